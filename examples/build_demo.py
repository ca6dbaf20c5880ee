#!/usr/bin/env python3
"""Build the Marsad demo corpus.

Reads ``examples/source/outlets.yaml`` and every other ``examples/source/*.yaml``
(story files), renders the articles into ``examples/demo/`` in each outlet's
native format (HTML pages, JSON Lines, text files in several encodings, CSV,
WARC, RSS, Atom, a Telegram Desktop export and a JSON array), wraps them in the
outlet's site boilerplate, adds a set of deliberately broken inputs under
``examples/demo/bad/`` and writes the ground truth to ``examples/demo_truth.json``.

The build is deterministic: fixed seeds, gzip mtime 0, sorted output.
Requires Python 3.9+ and PyYAML. Usage::

    python3 examples/build_demo.py

Everything inside ``examples/demo/`` is deleted and recreated on each run.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import email.utils
import gzip
import hashlib
import html
import io
import json
import random
import re
import shutil
import struct
import sys
import uuid
import zlib
from urllib.parse import quote
from pathlib import Path

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("build_demo.py needs PyYAML: pip install pyyaml")

HERE = Path(__file__).resolve().parent
SRC = HERE / "source"
OUT = HERE / "demo"
TRUTH = HERE / "demo_truth.json"

PERIOD = (dt.date(2025, 9, 1), dt.date(2025, 9, 21))
SOURCE_TYPES = {
    "official", "media", "expert", "witness_local", "anonymous",
    "document_or_image", "social_media", "self", "unattributed",
}
TXT_ENCODINGS = {"utf-8", "utf-8-sig", "cp1256", "utf-16"}
CRAWLER_UA = "Mozilla/5.0 (compatible; MarsadDemoCrawler/1.0; +https://marsad.example/bot)"

WEEKDAYS_AR = ["الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
MONTHS_AR = [
    "كانون الثاني/يناير", "شباط/فبراير", "آذار/مارس", "نيسان/أبريل", "أيار/مايو",
    "حزيران/يونيو", "تموز/يوليو", "آب/أغسطس", "أيلول/سبتمبر", "تشرين الأول/أكتوبر",
    "تشرين الثاني/نوفمبر", "كانون الأول/ديسمبر",
]

WARNINGS: list[str] = []


def warn(msg: str) -> None:
    WARNINGS.append(msg)
    print("warning:", msg, file=sys.stderr)


# --------------------------------------------------------------------------- helpers

def seed_of(*parts: str) -> int:
    return int(hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16], 16)


def gz(data: bytes) -> bytes:
    """One gzip member, no file name, mtime 0 (deterministic)."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as f:
        f.write(data)
    return buf.getvalue()


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def ar_date(d: dt.datetime, with_time: bool = True) -> str:
    s = f"{WEEKDAYS_AR[d.weekday()]} {d.day} {MONTHS_AR[d.month - 1]} {d.year}"
    return f"{s} - {d:%H:%M}" if with_time else s


def slug_of(url: str) -> str:
    last = url.rstrip("/").rsplit("/", 1)[-1]
    last = re.sub(r"[^A-Za-z0-9._-]+", "-", last).strip("-")
    return last or "article"


def teaser_href(domain: str, text: str) -> str:
    return f"https://{domain}/?p={10000 + seed_of(domain, text) % 90000}"


def write_bytes(rel: str, data: bytes) -> None:
    p = OUT / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)


def write_text(rel: str, text: str) -> None:
    write_bytes(rel, text.encode("utf-8"))


# --------------------------------------------------------------------------- loading

def load_outlets() -> dict:
    data = yaml.safe_load((SRC / "outlets.yaml").read_text(encoding="utf-8"))
    outlets = data["outlets"]
    for oid, o in outlets.items():
        o["id"] = oid
    return outlets


TG_TOKEN = re.compile(
    r"\*\*(?P<bold>.+?)\*\*"
    r"|\[(?P<lt>[^\]]+)\]\((?P<lh>https?://[^)\s]+)\)"
    r"|(?P<url>https?://\S+|t\.me/\S+)"
    r"|(?P<tag>#\w+)"
)


def parse_tg_markup(text: str) -> list[tuple[str, str, str | None]]:
    """Split Telegram markup into (type, text, href) segments."""
    segs: list[tuple[str, str, str | None]] = []
    pos = 0
    for m in TG_TOKEN.finditer(text):
        if m.start() > pos:
            segs.append(("plain", text[pos:m.start()], None))
        if m.group("bold") is not None:
            segs.append(("bold", m.group("bold"), None))
        elif m.group("lt") is not None:
            segs.append(("text_link", m.group("lt"), m.group("lh")))
        elif m.group("url") is not None:
            segs.append(("link", m.group("url"), None))
        else:
            segs.append(("hashtag", m.group("tag"), None))
        pos = m.end()
    if pos < len(text):
        segs.append(("plain", text[pos:], None))
    return segs


def split_paragraphs(body: str) -> list[str]:
    paras = []
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = [ln.strip() for ln in block.strip().splitlines() if ln.strip()]
        if lines:
            paras.append(" ".join(lines))
    return paras


def load_articles(outlets: dict) -> list[dict]:
    arts: list[dict] = []
    files = sorted(p for p in SRC.glob("*.yaml") if p.name != "outlets.yaml")
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            warn(f"{path.name}: cannot parse YAML, skipped ({exc})")
            continue
        for raw in data.get("articles") or []:
            a = dict(raw)
            a["_file"] = path.name
            a.setdefault("story", data.get("story"))
            if a.get("outlet") not in outlets:
                warn(f"{path.name}: {a.get('key')}: unknown outlet {a.get('outlet')!r}, skipped")
                continue
            o = outlets[a["outlet"]]
            a.setdefault("language", o.get("language", "ar"))
            a["encoding"] = a.get("encoding") or "utf-8"
            a["section"] = a.get("section") or o.get("section", "")
            a["author"] = a.get("author") or o.get("author", o["name"])
            a["tags"] = a.get("tags") or []
            a["reprint_of"] = a.get("reprint_of")
            a["attributions"] = a.get("attributions") or []
            a["published"] = str(a["published"])
            a["_dt"] = dt.datetime.fromisoformat(a["published"])
            if a["_dt"].tzinfo is None:
                a["_dt"] = a["_dt"].replace(tzinfo=dt.timezone(dt.timedelta(hours=3)))
                warn(f"{a['key']}: published has no timezone, assumed +03:00")
            prepare_body(a, o)
            arts.append(a)
    arts.sort(key=lambda a: (a["_dt"], a["key"]))
    return arts


def prepare_body(a: dict, o: dict) -> None:
    body = str(a.get("body") or "")
    if o["format"] == "telegram":
        a["_segments"] = parse_tg_markup(body.strip())
        plain = "".join(s[1] for s in a["_segments"])
        a["_paras"] = split_paragraphs(plain)
        a["_plain"] = re.sub(r"\n\s*\n+", "\n\n", plain.strip())
        return
    paras = split_paragraphs(body)
    dl = a.get("dateline")
    if dl:
        join = o.get("dateline_join", ": ")
        if "\n" in join:
            paras.insert(0, dl)
        elif paras:
            paras[0] = f"{dl}{join}{paras[0]}"
    a["_paras"] = paras
    a["_plain"] = "\n\n".join(paras)


def validate(arts: list[dict]) -> None:
    keys: dict[str, dict] = {}
    for a in arts:
        if a["key"] in keys:
            sys.exit(f"duplicate article key {a['key']!r} ({a['_file']}, {keys[a['key']]['_file']})")
        keys[a["key"]] = a
    for a in arts:
        k = a["key"]
        if a["reprint_of"] and a["reprint_of"] not in keys:
            warn(f"{k}: reprint_of {a['reprint_of']!r} is not a known article key")
        if not (PERIOD[0] <= a["_dt"].date() <= PERIOD[1]):
            warn(f"{k}: published {a['published']} outside the demo period")
        if a["encoding"] not in TXT_ENCODINGS:
            warn(f"{k}: unknown encoding {a['encoding']!r}, using utf-8")
            a["encoding"] = "utf-8"
        if a["encoding"] != "utf-8" and a["outlet"] != "sabah":
            warn(f"{k}: encoding {a['encoding']} only applies to sabah .txt files; ignored")
        for i, at in enumerate(a["attributions"]):
            for field in ("claim", "source", "verb"):
                val = at.get(field)
                if val is not None and str(val) not in a["_plain"]:
                    warn(f"{k}: attribution {i} {field} not found in body: {val!r}")
            if at.get("source_type") not in SOURCE_TYPES:
                warn(f"{k}: attribution {i} has unknown source_type {at.get('source_type')!r}")


# --------------------------------------------------------------------------- boilerplate

class Pools:
    """Deterministic, non-repeating draws from an outlet's pools for one article."""

    def __init__(self, outlet: dict, key: str):
        self.pools = outlet.get("pools") or {}
        self.rng = random.Random(seed_of(outlet["id"], key))
        self.left: dict[str, list[str]] = {}

    def draw(self, name: str) -> str:
        if name not in self.left or not self.left[name]:
            items = list(self.pools.get(name) or [])
            if not items:
                return ""
            self.rng.shuffle(items)
            self.left[name] = items
        return self.left[name].pop()

    def fill(self, lines: list[str], a: dict) -> list[str]:
        out = []
        for line in lines or []:
            def repl(m: re.Match) -> str:
                name = m.group(1)
                if name == "title":
                    return a["title"]
                if name == "section":
                    return a["section"]
                return self.draw(name)
            out.append(re.sub(r"\{(\w+)\}", repl, str(line)))
        return out


# --------------------------------------------------------------------------- HTML pages

def nav_html(o: dict, items: list[str]) -> str:
    links = []
    for i, item in enumerate(items):
        href = "/" if i == 0 else f"/category/{i:02d}/"
        links.append(f'<li><a href="{href}">{esc(item)}</a></li>')
    return "<ul>" + "".join(links) + "</ul>"


def share_html(h: dict, url: str, cls: str) -> str:
    label = h["share"].split(":", 1)[0]
    nets = ["facebook", "twitter", "whatsapp", "telegram"]
    qurl = quote(url, safe="")
    links = " ".join(
        f'<a class="share-{n}" href="https://{o_share_host(n)}/share?u={qurl}" rel="nofollow">{esc(t)}</a>'
        for n, t in zip(nets, h["share_links"])
    )
    return f'<div class="{cls}"><span>{esc(label)}:</span> {links}</div>'


def o_share_host(net: str) -> str:
    return {"facebook": "www.facebook.com", "twitter": "twitter.com",
            "whatsapp": "api.whatsapp.com", "telegram": "t.me"}[net]


def footer_html(o: dict, h: dict) -> str:
    social = " | ".join(f'<a href="{esc(u)}" target="_blank">{esc(t)}</a>' for t, u in h["social"])
    return (
        '<footer class="site-footer">\n'
        f'  <div class="footer-about"><p>{esc(h["footer_about"])}</p></div>\n'
        f'  <div class="footer-contact"><p>{esc(h["footer_contact"])}</p><p>{esc(h["footer_email"])}</p></div>\n'
        f'  <div class="footer-social">{social}</div>\n'
        f'  <p class="copyright">{esc(h["copyright"])}</p>\n'
        f'  <a href="#top" class="back-to-top">{esc(h["back_to_top"])}</a>\n'
        '</footer>'
    )


def cookie_html(h: dict) -> str:
    return (
        '<div id="cookie-notice" class="cookie-banner" role="dialog">'
        f'<p>{esc(h["cookie"])} <a href="/privacy-policy/">سياسة الخصوصية</a></p>'
        f'<button type="button" class="cookie-accept">{esc(h["cookie_button"])}</button></div>'
    )


def jsonld(a: dict, o: dict) -> str:
    doc = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a["title"],
        "datePublished": a["published"],
        "mainEntityOfPage": a["url"],
        "inLanguage": a["language"],
        "author": {"@type": "Organization", "name": a["author"]},
        "publisher": {"@type": "Organization", "name": o["name"]},
    }
    return json.dumps(doc, ensure_ascii=False).replace("</", "<\\/")


def render_badia(a: dict, o: dict, pools: Pools) -> tuple[str, list[str]]:
    h = o["html"]
    teasers = [pools.draw("teaser") for _ in range(h.get("read_also_count", 3))]
    read_also = (
        '<div class="read-also"><strong>' + esc(h["read_also_label"]) + "</strong><ul>"
        + "".join(f'<li><a href="{teaser_href(o["domain"], t)}">{esc(t)}</a></li>' for t in teasers)
        + "</ul></div>"
    )
    paras = [f"<p>{esc(p)}</p>" for p in a["_paras"]]
    if a.get("dateline") and paras:
        dl = esc(a["dateline"] + o.get("dateline_join", ": ").rstrip())
        paras[0] = paras[0].replace(f"<p>{dl}", f"<p><strong>{dl}</strong>", 1)
    at = min(h.get("read_also_after_paragraph", 2), len(paras))
    paras.insert(at, read_also)
    excerpt = a["_paras"][0][:160] if a["_paras"] else ""
    most_read = "".join(
        f'<li><a href="{teaser_href(o["domain"], t)}">{esc(t)}</a></li>' for t in o["pools"]["most_read"]
    )
    tags = ""
    if a["tags"]:
        tags = (f'<div class="post-tags"><span>{esc(h["tags_label"])}</span> '
                + " ".join(f'<a href="/tag/{i}/" rel="tag">{esc(t)}</a>' for i, t in enumerate(a["tags"], 1))
                + "</div>")
    d = a["_dt"]
    page = f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(a["title"])} | {esc(h["site_title"])}</title>
<meta name="description" content="{esc(excerpt)}">
<link rel="canonical" href="{esc(a["url"])}">
<meta property="og:locale" content="ar_AR">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{esc(o["name"])}">
<meta property="og:title" content="{esc(a["title"])}">
<meta property="og:description" content="{esc(excerpt)}">
<meta property="og:url" content="{esc(a["url"])}">
<meta property="og:image" content="https://{o["domain"]}/wp-content/uploads/{d:%Y/%m}/{slug_of(a["url"])}.jpg">
<meta property="article:published_time" content="{esc(a["published"])}">
<meta property="article:section" content="{esc(a["section"])}">
<link rel="stylesheet" href="/wp-content/themes/badia-news/style.css?ver=3.2.1">
<script type="application/ld+json">{jsonld(a, o)}</script>
<script async src="/wp-content/plugins/stats/track.js?ver=1.4"></script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}gtag('js',new Date());gtag('config','G-DEMO000000');</script>
</head>
<body class="post-template-default single single-post rtl" id="top">
{cookie_html(h)}
<header class="site-header">
  <div class="top-bar"><span class="today">{esc(ar_date(d, with_time=False))}</span> <span class="hotline">{esc(h["footer_contact"])}</span></div>
  <div class="logo"><a href="/">{esc(h["site_title"])}</a><span class="tagline">{esc(h["tagline"])}</span></div>
  <nav class="main-nav" aria-label="القائمة الرئيسية">{nav_html(o, h["nav"])}</nav>
  <form class="search-form" action="/" method="get"><input type="search" name="s" placeholder="ابحث في الموقع"><button type="submit">بحث</button></form>
</header>
<div class="container">
<main id="main" class="site-main">
  <nav class="breadcrumb"><a href="/">{esc(h["breadcrumb_home"])}</a> &raquo; <a href="/category/01/">{esc(a["section"])}</a> &raquo; <span>{esc(a["title"])}</span></nav>
  <article class="post type-post status-publish">
    <span class="cat-label">{esc(a["section"])}</span>
    <h1 class="entry-title">{esc(a["title"])}</h1>
    <div class="entry-meta"><span class="author">{esc(a["author"])}</span> <time class="published" datetime="{esc(a["published"])}">{esc(ar_date(d))}</time></div>
    {share_html(h, a["url"], "share-top")}
    <figure class="post-thumbnail"><img src="https://{o["domain"]}/wp-content/uploads/{d:%Y/%m}/{slug_of(a["url"])}.jpg" alt="{esc(a["title"])}" width="800" height="450"><figcaption>صورة أرشيفية</figcaption></figure>
    <div class="entry-content">
      {chr(10).join("      " + p if i else p for i, p in enumerate(paras)).strip()}
    </div>
    {tags}
    {share_html(h, a["url"], "share-bottom")}
  </article>
  <section class="comments"><h3>التعليقات</h3><p>لا توجد تعليقات بعد. كن أول من يعلّق.</p></section>
</main>
<aside class="sidebar">
  <div class="widget most-read"><h3>{esc(h["most_read_label"])}</h3><ol>{most_read}</ol></div>
  <div class="widget ad-slot"><ins class="adsbygoogle" data-ad-slot="000000"></ins></div>
</aside>
</div>
{footer_html(o, h)}
</body>
</html>
"""
    return page, [h["read_also_label"]] + teasers


def render_sada(a: dict, o: dict, pools: Pools) -> tuple[str, list[str]]:
    h = o["html"]
    teasers = [pools.draw("teaser") for _ in range(h.get("read_also_count", 2))]
    d = a["_dt"]
    body = "\n".join(f"<p>{esc(p)}</p>" for p in a["_paras"])
    most_read = "".join(
        f'<li><a href="{teaser_href(o["domain"], t)}">{esc(t)}</a></li>' for t in o["pools"]["most_read"]
    )
    tags = ""
    if a["tags"]:
        tags = (f'<div class="news-tags">{esc(h["tags_label"])} '
                + "، ".join(f'<a href="/tags/{i}">{esc(t)}</a>' for i, t in enumerate(a["tags"], 1))
                + "</div>")
    excerpt = a["_paras"][0][:160] if a["_paras"] else ""
    page = f"""<!doctype html>
<html dir="rtl" lang="ar">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{esc(h["site_title"])} - {esc(a["title"])}</title>
<meta name="description" content="{esc(excerpt)}">
<meta name="keywords" content="{esc("، ".join(a["tags"]))}">
<link rel="canonical" href="{esc(a["url"])}">
<meta property="og:site_name" content="{esc(o["name"])}">
<meta property="og:title" content="{esc(a["title"])}">
<meta property="og:url" content="{esc(a["url"])}">
<meta property="article:published_time" content="{esc(a["published"])}">
<link href="/assets/css/main.min.css?v=20250801" rel="stylesheet">
<script type="application/ld+json">{jsonld(a, o)}</script>
</head>
<body>
<div id="wrapper">
<div class="header">
  <div class="header-top"><span>{esc(ar_date(d, with_time=False))}</span><a href="/login">دخول</a></div>
  <a class="brand" href="/"><img src="/assets/img/logo.png" alt="{esc(o["name"])}"></a>
  <div class="menu">{nav_html(o, h["nav"])}</div>
  <div class="ticker"><b>عاجل</b><marquee>{esc(o["pools"]["most_read"][1])}</marquee></div>
</div>
<div class="content-area">
  <div class="col-main">
    <div class="path"><a href="/">{esc(h["breadcrumb_home"])}</a> / <a href="/section/{esc(a["section"])}">{esc(a["section"])}</a></div>
    <div id="news-details">
      <div class="news-section">{esc(a["section"])}</div>
      <h2 class="news-title">{esc(a["title"])}</h2>
      <div class="news-date">تاريخ النشر: {esc(ar_date(d))} | {esc(a["author"])}</div>
      {share_html(h, a["url"], "share-box")}
      <div class="news-img"><img src="/uploads/{d:%Y%m%d}/{slug_of(a["url"])}.webp" alt=""></div>
      <div id="article-body">
{body}
      </div>
      {tags}
      <div class="related"><h4>{esc(h["read_also_label"])}</h4>
        {"".join(f'<a href="{teaser_href(o["domain"], t)}">{esc(t)}</a><br>' for t in teasers)}
      </div>
      <script>var adUnit='sada_inarticle_1';document.write('<div class="ad" id="'+adUnit+'"></div>');</script>
    </div>
  </div>
  <div class="col-side">
    <div class="box most-read"><div class="box-title">{esc(h["most_read_label"])}</div><ul>{most_read}</ul></div>
    <div class="box newsletter"><form action="/subscribe" method="post"><label>اشترك في النشرة البريدية</label><input type="email" name="email"><button>اشترك</button></form></div>
  </div>
</div>
{footer_html(o, h)}
{cookie_html(h)}
</div>
</body>
</html>
"""
    return page, [h["read_also_label"]] + teasers


# --------------------------------------------------------------------------- WARC

def warc_record(rtype: str, uri: str | None, date: str, block: bytes,
                extra: list[tuple[str, str]] | None = None, content_type: str = "") -> tuple[bytes, str]:
    rid = f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{rtype}|{uri}|{date}')}>"
    headers = [("WARC-Type", rtype), ("WARC-Record-ID", rid), ("WARC-Date", date)]
    if uri:
        headers.append(("WARC-Target-URI", uri))
    headers += extra or []
    if content_type:
        headers.append(("Content-Type", content_type))
    headers.append(("WARC-Block-Digest", "sha1:" + base64.b32encode(hashlib.sha1(block).digest()).decode()))
    headers.append(("Content-Length", str(len(block))))
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return gz(head.encode("utf-8") + block + b"\r\n\r\n"), rid


def build_warc(filename: str, pages: list[tuple[str, bytes, dt.datetime]]) -> list[bytes]:
    """Return the gzip members of a WARC file: warcinfo + request/response per page."""
    start = dt.datetime(2025, 9, 20, 2, 14, 5, tzinfo=dt.timezone.utc)
    info = (
        "software: marsad-demo-build/1.0\r\n"
        "format: WARC File Format 1.0\r\n"
        "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.0/\r\n"
        f"http-header-user-agent: {CRAWLER_UA}\r\n"
        "robots: obey\r\n"
        "description: demo crawl for the Marsad test corpus\r\n"
    ).encode("utf-8")
    members = [warc_record("warcinfo", None, start.strftime("%Y-%m-%dT%H:%M:%SZ"), info,
                           [("WARC-Filename", filename)], "application/warc-fields")[0]]
    for i, (url, body, published) in enumerate(pages):
        when = start + dt.timedelta(seconds=7 * i + 3)
        wdate = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        host = url.split("/")[2]
        path = "/" + url.split("/", 3)[3]
        req = (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {CRAWLER_UA}\r\n"
               "Accept: text/html,application/xhtml+xml\r\nAccept-Language: ar,en;q=0.5\r\n"
               "Connection: close\r\n\r\n").encode("utf-8")
        lastmod = email.utils.format_datetime(published.astimezone(dt.timezone.utc), usegmt=True)
        resp_head = (
            "HTTP/1.1 200 OK\r\n"
            f"Date: {email.utils.format_datetime(when, usegmt=True)}\r\n"
            "Server: nginx\r\n"
            "Content-Type: text/html; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n"
            f"Last-Modified: {lastmod}\r\n"
            "Cache-Control: max-age=300\r\n"
            "Connection: close\r\n\r\n"
        ).encode("utf-8")
        payload_digest = "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()
        resp, resp_id = warc_record(
            "response", url, wdate, resp_head + body,
            [("WARC-IP-Address", f"192.0.2.{10 + i % 200}"), ("WARC-Payload-Digest", payload_digest)],
            "application/http; msgtype=response",
        )
        reqm, _ = warc_record("request", url, wdate, req, [("WARC-Concurrent-To", resp_id)],
                              "application/http; msgtype=request")
        members += [reqm, resp]
    return members


# --------------------------------------------------------------------------- renderers

class Corpus:
    def __init__(self, outlets: dict, arts: list[dict]):
        self.outlets = outlets
        self.arts = arts
        self.truth: dict[str, dict] = {}
        self.bad: list[dict] = []

    def by_outlet(self, oid: str) -> list[dict]:
        return [a for a in self.arts if a["outlet"] == oid]

    def record(self, a: dict, file: str, fmt: str, locator: dict, boilerplate: list[str],
               encoding: str = "utf-8", **extra) -> None:
        entry = {
            "key": a["key"],
            "story": a.get("story"),
            "outlet": a["outlet"],
            "outlet_name": self.outlets[a["outlet"]]["name"],
            "language": a["language"],
            "published": a["published"],
            "url": a["url"],
            "title": a["title"],
            "file": file,
            "format": fmt,
            "encoding": encoding,
            "locator": locator,
            "reprint_of": a["reprint_of"],
            "edits": a.get("edits"),
            "dateline": a.get("dateline"),
            "body": a["_plain"],
            "boilerplate": boilerplate,
            "attributions": [
                {k: at.get(k) for k in ("claim", "source", "verb", "source_type", "hedged")}
                for at in a["attributions"]
            ],
        }
        entry.update(extra)
        self.truth[a["key"]] = entry

    # -- badia: one HTML page per article
    def badia(self) -> None:
        o = self.outlets["badia"]
        for a in self.by_outlet("badia"):
            page, bp = render_badia(a, o, Pools(o, a["key"]))
            rel = f"badia/{a['_dt']:%Y-%m-%d}-{slug_of(a['url'])}.html"
            write_text(rel, page)
            self.record(a, rel, "html", {}, bp)

    # -- furat: JSON Lines wire feed (+ XSS record, + two malformed lines)
    def furat(self) -> None:
        o = self.outlets["furat"]
        rel = "furat/wire-2025-09.jsonl"
        items = []
        for a in self.by_outlet("furat"):
            tail = Pools(o, a["key"]).fill(o.get("tail"), a)
            body = a["_plain"] + ("\n\n" + "\n".join(tail) if tail else "")
            items.append((a["_dt"], a, {"title": a["title"], "body": body, "url": a["url"],
                                        "published": a["published"], "source": o["source_field"]}, tail))
        xss = xss_article(o)
        items.append((xss["_dt"], xss, xss["_record"], []))
        items.sort(key=lambda t: (t[0], t[1]["key"]))
        good = [(a, json.dumps(rec, ensure_ascii=False), tail) for _, a, rec, tail in items]
        truncated = json.dumps(broken_wire_record(), ensure_ascii=False)
        # two malformed lines between good ones: after good line p1 and after good line p2
        n = len(good)
        p1 = max(1, min(2, n - 2))
        p2 = max(p1 + 1, min(5, n - 1))
        junk = {
            p1: (truncated[: int(len(truncated) * 0.55)], "truncated JSON object"),
            p2: ("---- export interrupted: upstream timed out (502), resuming at offset 7340032 ----",
                 "garbage line (not JSON)"),
        }
        lines: list[str] = []
        placed: list[tuple[int, dict, list[str]]] = []
        bad_lines: list[tuple[int, str]] = []
        for i, (a, line, tail) in enumerate(good, start=1):
            lines.append(line)
            placed.append((len(lines), a, tail))
            if i in junk:
                lines.append(junk[i][0])
                bad_lines.append((len(lines), junk[i][1]))
        for i in sorted(k for k in junk if k > len(good)):
            lines.append(junk[i][0])
            bad_lines.append((len(lines), junk[i][1]))
        write_text(rel, "\n".join(lines) + "\n")
        for lineno, a, tail in placed:
            if a["key"] == "xss-furat":
                self.truth[a["key"]] = {
                    "key": a["key"], "story": None, "outlet": "furat",
                    "outlet_name": o["name"], "language": "ar",
                    "published": a["published"], "url": a["url"], "title": a["title"],
                    "file": rel, "format": "jsonl", "encoding": "utf-8",
                    "locator": {"line": lineno}, "reprint_of": None,
                    "edits": None, "dateline": a["dateline"], "body": a["_record"]["body"],
                    "boilerplate": [], "attributions": a["attributions"],
                    "note": ("garbled scrape with HTML/script injection in title and body; "
                             "must be shown escaped, never executed"),
                }
            else:
                self.record(a, rel, "jsonl", {"line": lineno}, tail)
        for lineno, what in bad_lines:
            self.bad.append({"file": rel, "line": lineno, "kind": "malformed_jsonl_line",
                             "problem": what})

    # -- sabah: one .txt per article, title / blank line / body, various encodings
    def sabah(self) -> None:
        o = self.outlets["sabah"]
        for a in self.by_outlet("sabah"):
            pools = Pools(o, a["key"])
            head = pools.fill(o.get("head"), a)
            tail = pools.fill(o.get("tail"), a)
            parts = [a["title"], ""]
            if head:
                parts += ["\n".join(head), ""]
            parts.append("\n\n".join(a["_paras"]))
            if tail:
                parts += ["", "\n".join(tail)]
            text = "\n".join(parts) + "\n"
            enc = a["encoding"]
            if enc == "cp1256":
                text = text.replace("\n", "\r\n")  # a Windows-era export
                try:
                    data = text.encode("cp1256")
                except UnicodeEncodeError as exc:
                    bad = sorted({ch for ch in text if not _encodable(ch, "cp1256")})
                    sys.exit(f"{a['key']}: text cannot be encoded in cp1256: {bad} ({exc})")
            elif enc == "utf-16":
                data = b"\xff\xfe" + text.encode("utf-16-le")
            elif enc == "utf-8-sig":
                data = text.encode("utf-8-sig")
            else:
                data = text.encode("utf-8")
            rel = f"sabah/{a['_dt']:%Y-%m-%d}-{slug_of(a['url'])}.txt"
            write_bytes(rel, data)
            self.record(a, rel, "txt", {}, head + tail, encoding=enc,
                        newline="crlf" if enc == "cp1256" else "lf")

    # -- majra: one CSV export
    def majra(self) -> None:
        o = self.outlets["majra"]
        rel = "majra/export.csv"
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(["title", "content", "url", "date", "outlet"])
        for row, a in enumerate(self.by_outlet("majra"), start=1):
            pools = Pools(o, a["key"])
            head = pools.fill(o.get("head"), a)
            tail = pools.fill(o.get("tail"), a)
            blocks = []
            if head:
                blocks.append("\n".join(head))
            blocks.append("\n\n".join(a["_paras"]))
            if tail:
                blocks.append("\n".join(tail))
            content = "\n\n".join(blocks)
            w.writerow([a["title"], content, a["url"], f"{a['_dt']:%Y-%m-%d %H:%M}", o["name"]])
            self.record(a, rel, "csv", {"row": row}, head + tail)
        write_text(rel, buf.getvalue())

    # -- sada: HTML pages inside a WARC
    def sada(self) -> None:
        o = self.outlets["sada"]
        rel = "sada/crawl-2025-09.warc.gz"
        pages = []
        for a in self.by_outlet("sada"):
            page, bp = render_sada(a, o, Pools(o, a["key"]))
            pages.append((a["url"], page.encode("utf-8"), a["_dt"]))
            self.record(a, rel, "warc", {"warc_target_uri": a["url"]}, bp)
        write_bytes(rel, b"".join(build_warc("crawl-2025-09.warc.gz", pages)))

    # -- rawafed: RSS 2.0 with full text in content:encoded
    def rawafed(self) -> None:
        o = self.outlets["rawafed"]
        rel = "rawafed/rss.xml"
        arts = sorted(self.by_outlet("rawafed"), key=lambda a: (a["_dt"], a["key"]), reverse=True)
        items = []
        for a in arts:
            tail = Pools(o, a["key"]).fill(o.get("tail"), a)
            paras = "".join(f"<p>{esc(p)}</p>\n" for p in a["_paras"])
            bp_html = ""
            for line in tail:
                if line.startswith("اقرأ أيضاً: "):
                    t = line.split(": ", 1)[1]
                    bp_html += f'<p><strong>اقرأ أيضاً:</strong> <a href="{teaser_href(o["domain"], t)}">{esc(t)}</a></p>\n'
                elif line.startswith("ظهرت المقالة "):
                    bp_html += (f'<p>ظهرت المقالة <a href="{esc(a["url"])}">{esc(a["title"])}</a> '
                                f'أولاً على <a href="https://{o["domain"]}">{esc(o["name"])}</a>.</p>\n')
                else:
                    bp_html += f"<p>{esc(line)}</p>\n"
            content = (paras + bp_html).replace("]]>", "]]]]><![CDATA[>")
            excerpt = a["_paras"][0] if a["_paras"] else ""
            if len(excerpt) > 200:
                excerpt = excerpt[:200].rsplit(" ", 1)[0] + " […]"
            cats = "".join(f"      <category><![CDATA[{t}]]></category>\n" for t in [a["section"]] + a["tags"])
            items.append(
                "    <item>\n"
                f"      <title>{esc(a['title'])}</title>\n"
                f"      <link>{esc(a['url'])}</link>\n"
                f"      <dc:creator><![CDATA[{a['author']}]]></dc:creator>\n"
                f"      <pubDate>{email.utils.format_datetime(a['_dt'])}</pubDate>\n"
                f"{cats}"
                f"      <guid isPermaLink=\"false\">https://{o['domain']}/?p={10000 + seed_of(a['key']) % 90000}</guid>\n"
                f"      <description><![CDATA[{excerpt}]]></description>\n"
                f"      <content:encoded><![CDATA[{content}]]></content:encoded>\n"
                "    </item>\n"
            )
            self.record(a, rel, "rss", {"guid": f"https://{o['domain']}/?p={10000 + seed_of(a['key']) % 90000}"}, tail)
        last = max((a["_dt"] for a in arts), default=dt.datetime(2025, 9, 1, tzinfo=dt.timezone.utc))
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n'
            "  <channel>\n"
            f"    <title>{esc(o['name'])}</title>\n"
            f"    <atom:link href=\"https://{o['domain']}/feed/\" rel=\"self\" type=\"application/rss+xml\"/>\n"
            f"    <link>https://{o['domain']}</link>\n"
            "    <description>تقارير وتحليلات وأخبار من سوريا والمنطقة</description>\n"
            f"    <lastBuildDate>{email.utils.format_datetime(last)}</lastBuildDate>\n"
            "    <language>ar</language>\n"
            "    <sy:updatePeriod xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\">hourly</sy:updatePeriod>\n"
            "    <generator>https://wordpress.org/?v=6.6.2</generator>\n"
            + "".join(items)
            + "  </channel>\n</rss>\n"
        )
        write_text(rel, xml)

    # -- ufuq: Atom feed
    def ufuq(self) -> None:
        o = self.outlets["ufuq"]
        rel = "ufuq/atom.xml"
        arts = sorted(self.by_outlet("ufuq"), key=lambda a: (a["_dt"], a["key"]), reverse=True)
        entries = []
        for a in arts:
            pools = Pools(o, a["key"])
            head = pools.fill(o.get("head"), a)
            tail = pools.fill(o.get("tail"), a)
            inner = "".join(f'<p class="section-label">{esc(x)}</p>' for x in head)
            inner += "".join(f"<p>{esc(p)}</p>" for p in a["_paras"])
            inner += "".join(f"<p>{esc(x)}</p>" for x in tail)
            entry_id = f"tag:{o['domain']},2025:{slug_of(a['url'])}"
            entries.append(
                "  <entry>\n"
                f"    <title>{esc(a['title'])}</title>\n"
                f"    <link rel=\"alternate\" type=\"text/html\" href=\"{esc(a['url'])}\"/>\n"
                f"    <id>{entry_id}</id>\n"
                f"    <published>{a['published']}</published>\n"
                f"    <updated>{a['published']}</updated>\n"
                f"    <author><name>{esc(a['author'])}</name></author>\n"
                f"    <category term=\"{esc(a['section'])}\"/>\n"
                f"    <content type=\"html\">{esc(inner)}</content>\n"
                "  </entry>\n"
            )
            self.record(a, rel, "atom", {"id": entry_id}, head + tail)
        last = max((a["_dt"] for a in arts), default=dt.datetime(2025, 9, 1, tzinfo=dt.timezone.utc))
        xml = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">\n'
            f"  <title>{esc(o['name'])}</title>\n"
            f"  <subtitle>آخر الأخبار من سوريا والعالم</subtitle>\n"
            f"  <link rel=\"self\" href=\"https://{o['domain']}/feeds/atom.xml\"/>\n"
            f"  <link rel=\"alternate\" href=\"https://{o['domain']}/\"/>\n"
            f"  <id>tag:{o['domain']},2025:feed</id>\n"
            f"  <updated>{last.isoformat()}</updated>\n"
            + "".join(entries)
            + "</feed>\n"
        )
        write_text(rel, xml)

    # -- maydan: Telegram Desktop export
    def maydan(self) -> None:
        o = self.outlets["maydan"]
        rel = "maydan/result.json"
        cid = o["channel_id"]
        msgs = []
        next_id = o.get("first_message_id", 1)
        handle = o["domain"].split("/", 1)[1]
        for n, a in enumerate(self.by_outlet("maydan")):
            tail = Pools(o, a["key"]).fill(o.get("tail"), a)
            segs = list(a["_segments"])
            for line in tail:
                segs.append(("plain", "\n\n", None))
                segs += parse_tg_markup(line)
            text, ents = tg_text(segs)
            m = re.fullmatch(rf"https://t\.me/{re.escape(handle)}/(\d+)", str(a.get("url") or ""))
            mid = int(m.group(1)) if m and int(m.group(1)) >= next_id else next_id
            next_id = mid + 1
            d = a["_dt"]
            msgs.append({
                "id": mid, "type": "message",
                "date": d.strftime("%Y-%m-%dT%H:%M:%S"), "date_unixtime": str(int(d.timestamp())),
                "from": o["name"], "from_id": f"channel{cid}",
                "text": text, "text_entities": ents,
            })
            url = f"https://t.me/{handle}/{mid}"
            if a.get("url") and a["url"] != url:
                warn(f"{a['key']}: Telegram URL {a['url']} replaced by {url}")
            a["url"] = url
            self.record(a, rel, "telegram", {"message_id": mid}, tail)
            if n == 0:  # the channel pins its first flash
                pd = d + dt.timedelta(seconds=41)
                msgs.append({"id": next_id, "type": "service",
                             "date": pd.strftime("%Y-%m-%dT%H:%M:%S"), "date_unixtime": str(int(pd.timestamp())),
                             "actor": o["name"], "actor_id": f"channel{cid}", "action": "pin_message",
                             "message_id": mid, "text": "", "text_entities": []})
                next_id += 1
            if n == 1:  # a photo posted without caption
                pd = d + dt.timedelta(minutes=6, seconds=12)
                msgs.append({"id": next_id, "type": "message",
                             "date": pd.strftime("%Y-%m-%dT%H:%M:%S"), "date_unixtime": str(int(pd.timestamp())),
                             "from": o["name"], "from_id": f"channel{cid}",
                             "photo": f"photos/photo_{next_id - 300}@{pd:%d-%m-%Y_%H-%M-%S}.jpg",
                             "width": 1280, "height": 720, "text": "", "text_entities": []})
                next_id += 1
        export = {"name": o["name"], "type": "public_channel", "id": cid,
                  "messages": [{"id": o.get("first_message_id", 1) - 1, "type": "service",
                                "date": "2025-08-31T23:58:10",
                                "date_unixtime": str(int(dt.datetime(2025, 8, 31, 23, 58, 10,
                                                     tzinfo=dt.timezone(dt.timedelta(hours=3))).timestamp())),
                                "actor": o["name"], "actor_id": f"channel{cid}",
                                "action": "edit_group_photo", "photo": "photos/photo_1@31-08-2025_23-58-10.jpg",
                                "width": 640, "height": 640, "text": "", "text_entities": []}] + msgs}
        write_text(rel, json.dumps(export, ensure_ascii=False, indent=1) + "\n")

    # -- levant: JSON array (English)
    def levant(self) -> None:
        o = self.outlets["levant"]
        rel = "levant/articles.json"
        out = []
        for i, a in enumerate(self.by_outlet("levant")):
            tail = Pools(o, a["key"]).fill(o.get("tail"), a)
            text = a["_plain"] + ("\n\n" + "\n".join(tail) if tail else "")
            out.append({"title": a["title"], "text": text, "url": a["url"],
                        "date": a["published"], "outlet": o["name"]})
            self.record(a, rel, "json", {"index": i}, tail)
        write_text(rel, json.dumps(out, ensure_ascii=False, indent=2) + "\n")


def _encodable(ch: str, enc: str) -> bool:
    try:
        ch.encode(enc)
        return True
    except UnicodeEncodeError:
        return False


def tg_text(segs: list[tuple[str, str, str | None]]):
    """Telegram Desktop's `text` (string or mixed list) and `text_entities`."""
    merged: list[tuple[str, str, str | None]] = []
    for t, s, h in segs:
        if t == "plain" and merged and merged[-1][0] == "plain":
            merged[-1] = ("plain", merged[-1][1] + s, None)
        elif s:
            merged.append((t, s, h))
    ents = []
    for t, s, h in merged:
        e = {"type": t, "text": s}
        if h:
            e["href"] = h
        ents.append(e)
    if all(t == "plain" for t, _, _ in merged):
        return "".join(s for _, s, _ in merged), ents
    text = [s if t == "plain" else dict(e) for (t, s, _), e in zip(merged, ents)]
    return text, ents


# --------------------------------------------------------------------------- special records

def xss_article(o: dict) -> dict:
    published = "2025-09-09T22:10:00+03:00"
    title = "عاجل: اشتباكات متقطعة في ريف الرقة الشمالي <img src=x onerror=alert(1)> - وكالة الفرات"
    body = (
        "الرقة - فرات: اندلعت مساء اليوم الثلاثاء اشتباكات متقطعة بين مجموعتين مسلحتين في محيط "
        "بلدة عين عيسى بريف الرقة الشمالي، استُخدمت فيها أسلحة خفيفة ومتوسطة، بحسب ما أفادت مصادر محلية."
        "\n\n<script>alert('xss')</script>&nbsp;[caption id=\"attachment_4411\" align=\"aligncenter\"]"
        "\n\nوأضافت المصادر أن الاشتباكات استمرت قرابة ساعتين قبل أن يتدخل وجهاء من المنطقة لتهدئة "
        "الموقف، من دون ورود أنباء عن إصابات حتى الآن.\n\nمشاركة:  \u00a0 | طباعة | تصغير الخط تكبير الخط"
    )
    return {
        "key": "xss-furat", "outlet": "furat", "story": None, "language": "ar",
        "published": published, "_dt": dt.datetime.fromisoformat(published),
        "url": "https://furat-news.example/wire/2025/09/09/raqqa-clashes", "title": title,
        "dateline": "الرقة - فرات",
        "_record": {"title": title, "body": body,
                    "url": "https://furat-news.example/wire/2025/09/09/raqqa-clashes",
                    "published": published, "source": o["source_field"]},
        "attributions": [{"claim": "اندلعت مساء اليوم الثلاثاء اشتباكات متقطعة بين مجموعتين مسلحتين",
                          "source": "مصادر محلية", "verb": "أفادت",
                          "source_type": "anonymous", "hedged": False}],
    }


def broken_wire_record() -> dict:
    return {
        "title": "انطلاق حملة لقاح ضد الحمى القلاعية في ريف الحسكة",
        "body": ("الحسكة - فرات: أطلقت مديرية الزراعة في الحسكة اليوم حملة لتلقيح نحو 120 ألف رأس من "
                 "الأغنام والأبقار ضد مرض الحمى القلاعية، تستمر ثلاثة أسابيع وتشمل قرى الريفين الجنوبي والشرقي."),
        "url": "https://furat-news.example/wire/2025/09/06/fmd-vaccination",
        "published": "2025-09-06T09:30:00+03:00",
        "source": "وكالة الفرات للأنباء",
    }


ARCHIVE_RECORDS = [
    {"title": "ارتفاع منسوب الفرات بعد زيادة الوارد المائي من الشمال",
     "body": "الرقة - فرات: سجّل منسوب نهر الفرات عند مدينة الرقة ارتفاعاً بنحو 40 سنتيمتراً خلال يومين، وفق مديرية الموارد المائية، التي دعت المزارعين إلى الحذر عند تشغيل المضخات على الضفاف.",
     "url": "https://furat-news.example/wire/2025/08/12/euphrates-level", "published": "2025-08-12T10:05:00+03:00"},
    {"title": "افتتاح فرن آلي جديد في حي الصالحية بالحسكة",
     "body": "الحسكة - فرات: افتُتح اليوم فرن آلي جديد في حي الصالحية بطاقة إنتاجية تبلغ ثمانية أطنان يومياً، ما يُتوقع أن يخفف الازدحام على الأفران القائمة في المدينة.",
     "url": "https://furat-news.example/wire/2025/08/14/new-bakery", "published": "2025-08-14T12:40:00+03:00"},
    {"title": "امتحانات الدورة التكميلية تنطلق في دير الزور وسط إجراءات تنظيمية",
     "body": "دير الزور - فرات: بدأ أكثر من ثلاثة آلاف طالب وطالبة امتحانات الدورة التكميلية للشهادة الثانوية في 27 مركزاً امتحانياً، بحسب مديرية التربية في المحافظة.",
     "url": "https://furat-news.example/wire/2025/08/18/exams", "published": "2025-08-18T08:15:00+03:00"},
    {"title": "حريق في مستودع للأعلاف بريف القامشلي دون إصابات",
     "body": "القامشلي - فرات: أتى حريق اندلع فجر اليوم على مستودع للأعلاف في ريف القامشلي الجنوبي، وتمكنت فرق الإطفاء من إخماده بعد نحو ساعتين، من دون تسجيل إصابات بشرية.",
     "url": "https://furat-news.example/wire/2025/08/21/fodder-fire", "published": "2025-08-21T06:50:00+03:00"},
    {"title": "تأهيل طريق الميادين - البوكمال بعد سنوات من الإهمال",
     "body": "دير الزور - فرات: بدأت ورشات الصيانة العمل على تأهيل مقطع بطول 18 كيلومتراً من طريق الميادين - البوكمال، يتضمن ترميم الجسور الصغيرة وإعادة تعبيد الحفر.",
     "url": "https://furat-news.example/wire/2025/08/25/road-repair", "published": "2025-08-25T14:20:00+03:00"},
]

TRUNCATED_WARC_PAGES = [
    ("https://sada-news.example/local/2025/08/30/bread-queues",
     "طوابير الخبز تعود إلى أحياء الحسكة",
     ["عادت طوابير الخبز إلى عدد من أحياء مدينة الحسكة خلال الأيام الماضية، بعد تراجع كميات الطحين الموزعة على الأفران بنحو الربع، وفق ما أفاد أصحاب أفران.",
      "وقال مواطنون إنهم ينتظرون ساعتين على الأقل للحصول على ربطة واحدة، مطالبين بزيادة المخصصات قبل بدء العام الدراسي."]),
    ("https://sada-news.example/local/2025/08/31/school-repairs",
     "ترميم 14 مدرسة في ريف دير الزور الغربي قبل بدء العام الدراسي",
     ["أنهت ورشات محلية ترميم 14 مدرسة في ريف دير الزور الغربي، شملت إصلاح النوافذ والأبواب ودورات المياه، استعداداً لاستقبال الطلاب في الحادي والعشرين من أيلول.",
      "وأشار مسؤول في المجمع التربوي إلى أن عشر مدارس أخرى ما زالت بحاجة إلى تأهيل كامل."]),
    ("https://sada-news.example/local/2025/09/01/cotton-season",
     "مزارعو القطن يترقبون تسعيرة الموسم الجديد",
     ["يترقب مزارعو القطن في ريف الرقة والحسكة إعلان تسعيرة الموسم الجديد، وسط شكاوى من ارتفاع تكاليف الري والأسمدة.",
      "ويقدّر مزارعون أن كلفة إنتاج الكيلوغرام الواحد تضاعفت تقريباً مقارنة بالموسم الماضي."]),
]


# --------------------------------------------------------------------------- bad inputs

def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def build_bad_inputs(outlets: dict) -> list[dict]:
    bad = []

    # binary junk with a misleading extension: PNG signature + IHDR, then noise
    rng = random.Random(20250903)
    ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 640, 480, 8, 2, 0, 0, 0))
    data = b"\x89PNG\r\n\x1a\n" + ihdr + bytes(rng.getrandbits(8) for _ in range(6000))
    write_bytes("bad/photo.html", data)
    bad.append({"file": "bad/photo.html", "kind": "binary_misleading_extension",
                "problem": "PNG signature and IHDR chunk followed by random bytes, saved as .html"})

    # bytes 0x80-0xBF only, with spaces and newlines: unknown encoding, invalid UTF-8
    rng = random.Random(1256)
    out = bytearray()
    while len(out) < 3000:
        word = bytes(rng.randint(0x80, 0xBF) for _ in range(rng.randint(2, 7)))
        out += word
        out += b"\n" if rng.random() < 0.08 else b" "
    write_bytes("bad/garbled.txt", bytes(out))
    bad.append({"file": "bad/garbled.txt", "kind": "unknown_encoding",
                "problem": "only bytes 0x80-0xBF, spaces and newlines: not valid UTF-8, no meaningful decoding"})

    write_bytes("bad/empty.txt", b"")
    bad.append({"file": "bad/empty.txt", "kind": "empty_file", "problem": "0 bytes"})

    jl = "".join(json.dumps(dict(r, source="وكالة الفرات للأنباء"), ensure_ascii=False) + "\n"
                 for r in ARCHIVE_RECORDS).encode("utf-8")
    full = gz(jl)
    write_bytes("bad/archive.jsonl.gz", full[: int(len(full) * 0.6)])
    bad.append({"file": "bad/archive.jsonl.gz", "kind": "truncated_gzip",
                "problem": f"gzip of 5 JSON Lines records cut at 60% ({int(len(full) * 0.6)} of {len(full)} bytes); "
                           "the first records may be recoverable by streaming decompression"})

    o = outlets["sada"]
    pages = []
    for url, title, paras in TRUNCATED_WARC_PAGES:
        published = dt.datetime.fromisoformat(url.split("/")[-4] + "-" + url.split("/")[-3] + "-"
                                              + url.split("/")[-2] + "T09:00:00+03:00")
        a = {"key": url, "title": title, "url": url, "published": published.isoformat(), "_dt": published,
             "_paras": paras, "section": o["section"], "author": o["author"], "tags": [], "language": "ar"}
        page, _ = render_sada(a, o, Pools(o, url))
        pages.append((url, page.encode("utf-8"), published))
    members = build_warc("crawl-truncated.warc.gz", pages)
    cut = b"".join(members[:4]) + members[4][: len(members[4]) // 2]
    write_bytes("bad/crawl-truncated.warc.gz", cut)
    bad.append({"file": "bad/crawl-truncated.warc.gz", "kind": "truncated_warc",
                "problem": "warcinfo + 3 request/response pairs, cut in the middle of the second response record "
                           "(gzip member); the first response is intact"})

    doc = {"outlet": "وكالة الفرات للأنباء", "exported_at": "2025-09-15T09:00:00+03:00",
           "articles": ARCHIVE_RECORDS}
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    write_text("bad/broken.json", text[: len(text) // 2])
    bad.append({"file": "bad/broken.json", "kind": "truncated_json",
                "problem": "JSON document cut off half way"})

    write_text("bad/login.html", login_page(outlets["badia"]))
    bad.append({"file": "bad/login.html", "kind": "no_article_content",
                "problem": "login form with site navigation and footer only, no article"})

    lines = [
        "أرشيف النشرة الإخبارية اليومية - نسخة نصية كاملة",
        "تتواصل أعمال صيانة شبكة الكهرباء في الأحياء الشرقية من المدينة وفق الجدول المعلن سابقاً.",
        "دعت مديرية الصحة الأهالي إلى مراجعة المراكز الصحية لاستكمال لقاحات الأطفال قبل بدء العام الدراسي.",
        "سجلت أسعار الخضار في سوق الهال انخفاضاً طفيفاً مع بدء موسم البندورة المحلية.",
        "أعلنت البلدية عن إغلاق جزئي للطريق الرئيسي لمدة يومين بسبب أعمال تمديد أنابيب المياه.",
        "يُتوقع أن تنخفض درجات الحرارة قليلاً نهاية الأسبوع مع هبوب رياح شمالية غربية معتدلة.",
    ]
    chunks, size, n = [], 0, 0
    while size < 300 * 1024:
        line = f"{n + 1}. {lines[1 + n % (len(lines) - 1)]}" if n else lines[0]
        chunks.append(line)
        size += len(line.encode("utf-8")) + 1
        n += 1
    write_text("bad/oversized.txt", "\n".join(chunks) + "\n")
    bad.append({"file": "bad/oversized.txt", "kind": "oversized",
                "problem": f"{size} bytes of repeated plain UTF-8 Arabic lines; above the demo's 256 KiB file size limit"})
    return bad


def login_page(o: dict) -> str:
    h = o["html"]
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>تسجيل الدخول | {esc(h["site_title"])}</title>
<meta name="robots" content="noindex, nofollow">
<link rel="stylesheet" href="/wp-content/themes/badia-news/style.css?ver=3.2.1">
</head>
<body class="login-page" id="top">
<header class="site-header">
  <div class="logo"><a href="/">{esc(h["site_title"])}</a></div>
  <nav class="main-nav">{nav_html(o, h["nav"])}</nav>
</header>
<main class="container">
  <h1>تسجيل الدخول</h1>
  <form id="loginform" action="/wp-login.php" method="post">
    <p><label for="user_login">اسم المستخدم أو البريد الإلكتروني</label><input type="text" name="log" id="user_login"></p>
    <p><label for="user_pass">كلمة المرور</label><input type="password" name="pwd" id="user_pass"></p>
    <p><label><input type="checkbox" name="rememberme" value="forever"> تذكرني</label></p>
    <p><button type="submit">دخول</button></p>
    <p><a href="/wp-login.php?action=lostpassword">نسيت كلمة المرور؟</a> | <a href="/register/">إنشاء حساب جديد</a></p>
  </form>
</main>
{footer_html(o, h)}
</body>
</html>
"""


# --------------------------------------------------------------------------- main

def main() -> int:
    outlets = load_outlets()
    arts = load_articles(outlets)
    validate(arts)
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    c = Corpus(outlets, arts)
    for oid in ("badia", "furat", "sabah", "majra", "sada", "rawafed", "ufuq", "maydan", "levant"):
        getattr(c, oid)()
    bad = c.bad + build_bad_inputs(outlets)
    truth_articles = sorted(c.truth.values(), key=lambda e: (e["published"], e["key"]))
    truth = {
        "description": ("Ground truth for the Marsad demo corpus (examples/demo/). Invented outlets and events. "
                        "`file` is relative to examples/demo; `body` is the article text without site boilerplate; "
                        "`boilerplate` lists the outlet lines wrapped around it; attributions quote exact "
                        "substrings of `body`."),
        "articles": truth_articles,
        "bad_inputs": sorted(bad, key=lambda b: (b["file"], b.get("line", 0))),
    }
    TRUTH.write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    per_outlet: dict[str, int] = {}
    per_story: dict[str, int] = {}
    for e in truth_articles:
        per_outlet[e["outlet"]] = per_outlet.get(e["outlet"], 0) + 1
        per_story[str(e["story"])] = per_story.get(str(e["story"]), 0) + 1
    print(f"wrote {len(truth_articles)} articles and {len(truth['bad_inputs'])} bad inputs to {OUT}")
    print("per outlet:", ", ".join(f"{k}={v}" for k, v in sorted(per_outlet.items())))
    print("per story: ", ", ".join(f"{k}={v}" for k, v in sorted(per_story.items())))
    if WARNINGS:
        print(f"{len(WARNINGS)} warning(s), see above", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
