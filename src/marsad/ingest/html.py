"""HTML pages: main text and metadata through trafilatura (site chrome is left behind)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import trafilatura
from lxml import html as lxml_html

from marsad.config import IngestOptions, parse_size
from marsad.ingest.decode import DecodeError, decode_text, repair_problems
from marsad.ingest.sniff import Blob
from marsad.records import Problem, RawDocument

_META_CHARSET_RE = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", re.IGNORECASE)
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "sailthru.date",
)
_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "section",
    "article",
    "pre",
    "figcaption",
}


def declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET_RE.search(data[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def _published_meta(markup: str) -> str | None:
    """A precise publication time from meta tags or JSON-LD (trafilatura keeps only the day)."""
    try:
        tree = lxml_html.fromstring(markup)
    except (ValueError, lxml_html.etree.ParserError):
        return None
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in {k.lower() for k in _DATE_META} and meta.get("content"):
            return str(meta.get("content")).strip()
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, TypeError):
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and item.get("datePublished"):
                return str(item["datePublished"])
    return None


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment (feed content), one line per block element."""
    try:
        tree = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml_html.etree.ParserError):
        return fragment
    for bad in tree.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    parts: list[str] = []
    for node in tree.iter():
        if node.tag in _BLOCK_TAGS:
            parts.append("\n")
        if node.text and node.tag not in {"script", "style"}:
            parts.append(node.text)
        if node.tail:
            parts.append(node.tail)
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def extract_html(
    markup: str, source: str, url: str | None, fmt: str = "html"
) -> RawDocument | Problem:
    """Run the extractor on one page."""
    doc: Any = trafilatura.bare_extraction(
        markup,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        deduplicate=False,
    )
    text = (doc.text or "").strip() if doc is not None else ""
    if not text:
        return Problem(
            source, "no-article", "HTML page with no article text found by the extractor"
        )
    title = doc.title or None
    lines = text.split("\n")
    if title and lines and lines[0].strip() == title.strip():
        text = "\n".join(lines[1:]).strip()
    return RawDocument(
        source=source,
        format=fmt,
        text=text,
        title=title,
        url=doc.url or url,
        published=_published_meta(markup) or doc.date,
        outlet=doc.sitename or doc.hostname or None,
        author=doc.author or None,
        meta={"hostname": doc.hostname} if doc.hostname else {},
    )


def too_large_page(source: str, limit: int) -> Problem:
    return Problem(
        source, "too-large", f"HTML page over the limit of {limit:,} bytes (ingest.max_page_size)"
    )


def read_html(blob: Blob, options: IngestOptions) -> Iterator[RawDocument | Problem]:
    limit = parse_size(options.max_page_size)
    data, more = blob.read_start(limit)
    if more:
        yield too_large_page(blob.name, limit)
        return
    try:
        decoded = decode_text(data, blob.declared_encoding or declared_charset(data))
    except DecodeError as err:
        yield Problem(blob.name, err.kind, err.message)
        return
    url = blob.name if blob.name.startswith(("http://", "https://")) else None
    result = extract_html(decoded.text, blob.name, url)
    if isinstance(result, RawDocument):
        result.meta["encoding"] = decoded.encoding
        yield result
        yield from repair_problems(blob.name, decoded)
    else:
        yield result
