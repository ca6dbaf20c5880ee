"""Pasted-text cases: real SaudiNewsNet articles laid out as people paste or scrape them.

A case is a recipe, not text: which record (its title and content, read from the shared data
at run time), which layout, which dateline and which widget lines around it. The layouts are
the ones seen on real pages: a section label or a dateline on its own line before or after
the headline, a printed date and a byline, theme widgets (show more, close, share, back to
top), a "read also" label with an unrelated headline (another record's title) inside the
body, related-story lists, rights and follow-us lines under it. The widget labels and
datelines are the generic strings sites print, written here; article text is never stored.

Each case knows what cleaning must give: the title, the dateline's place and agency (or
none), the chrome lines that must go, and the article lines that must stay.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

SEED = 1401
CASES = 80
MIN_CONTENT_CHARS = 400
MAX_CONTENT_CHARS = 4000

# (as printed, place, agency): datelines of the region's wires and state agencies
DATELINES = (
    ("دمشق-سانا", "دمشق", "سانا"),
    ("موسكو - سانا", "موسكو", "سانا"),
    ("حلب-سانا", "حلب", "سانا"),
    ("بيروت - رويترز", "بيروت", "رويترز"),
    ("بغداد (رويترز)", "بغداد", "رويترز"),
    ("واشنطن - أ ف ب", "واشنطن", "أ ف ب"),
    ("القاهرة - أ ش أ", "القاهرة", "أ ش أ"),
    ("عمان - بترا", "عمان", "بترا"),
    ("أنقرة - الأناضول", "أنقرة", "الأناضول"),
    ("الرياض - واس", "الرياض", "واس"),
    ("جنيف - أ ف ب", "جنيف", "أ ف ب"),
    ("طهران - إرنا", "طهران", "إرنا"),
)
SECTIONS = ("سياسة", "عربي ودولي", "أخبار سوريا", "الشرق الأوسط", "محليات", "أخبار عربية")
DATES = ("الخميس 4 أيلول/سبتمبر 2025", "2025/09/04 - 10:32 ص", "الأحد، 14 سبتمبر 2025")
BYLINES = ("كتب: محرر الشؤون السياسية", "بقلم: فريق التحرير", "المصدر: وكالات")
WIDGETS_TOP = ("شارك", "طباعة", "حجم الخط", "A A A", "مشاركة الخبر")
WIDGETS_MID = ("عرض المزيد", "إغلاق", "اضغط هنا للمزيد", "الإعلان")
WIDGETS_END = (
    "العودة إلى الأعلى",
    "تابعونا على تلغرام",
    "جميع الحقوق محفوظة © 2025",
    "اشترك في النشرة البريدية",
    "سجل الدخول لإضافة تعليق",
)
READ_ALSO = ("اقرأ أيضاً:", "اقرأ أيضا", "طالع أيضا:", "مواضيع ذات صلة")
RELATED = ("مقالات ذات صلة", "أخبار ذات صلة", "الأكثر قراءة")
LAYOUTS = (
    "section_title_body",
    "dateline_title_body",
    "title_dateline_body",
    "date_byline_dateline",
    "widgets",
    "see_also_inside",
    "related_footer",
    "everything",
)
_SEPARATOR_START = re.compile(r"^.{0,30}[-–—:(]")


@dataclass
class Case:
    """One pasted text and what its cleaning must give."""

    id: str
    split: str
    layout: str
    idx: int  # SaudiNewsNet record
    text: str
    title: str
    place: str | None
    agency: str | None
    chrome: list[str] = field(default_factory=list)  # lines that must not survive
    body: list[str] = field(default_factory=list)  # article lines that must survive


def _records(path: Path) -> list[dict[str, object]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    out = []
    for r in rows:
        title, content = str(r.get("title") or "").strip(), str(r.get("content") or "").strip()
        lines = [line.strip() for line in content.split("\n") if line.strip()]
        if not title or "&" in title or not lines or len(title) > 140:
            continue
        if not MIN_CONTENT_CHARS <= len(content) <= MAX_CONTENT_CHARS or len(lines) < 2:
            continue
        if _SEPARATOR_START.match(lines[0]) or len(lines[0]) < 80:
            continue  # the record's own first line may already hold a dateline
        out.append({"idx": r["idx"], "title": " ".join(title.split()), "lines": lines})
    return out


def split_of(idx: int) -> str:
    return "heldout" if hashlib.sha1(str(idx).encode()).digest()[0] % 5 < 2 else "dev"


def build(path: Path, count: int = CASES) -> list[Case]:
    """The cases, the same on every run (fixed seed) for the same corpus."""
    rng = random.Random(SEED)
    records = _records(path)
    picked = rng.sample(records, count + 20)
    cases = []
    for n in range(count):
        rec, other = picked[n], picked[count + n % 20]
        layout = LAYOUTS[n % len(LAYOUTS)]
        cases.append(_case(n, layout, rec, other, rng))
    return cases


def _case(
    n: int, layout: str, rec: dict[str, object], other: dict[str, object], rng: random.Random
) -> Case:
    title = str(rec["title"])
    lines = list(rec["lines"])  # type: ignore[call-overload]
    dl, place, agency = rng.choice(DATELINES)
    section, date, byline = rng.choice(SECTIONS), rng.choice(DATES), rng.choice(BYLINES)
    chrome: list[str] = []
    out: list[str]
    if layout == "section_title_body":
        out, chrome, place, agency = [section, title, *lines], [section], None, None
    elif layout == "dateline_title_body":
        out = [dl, title, *lines]
    elif layout == "title_dateline_body":
        out = [title, dl, *lines]
    elif layout == "date_byline_dateline":
        out, chrome = [title, date, byline, dl, *lines], [byline]
    elif layout == "widgets":
        top, mid, end = rng.choice(WIDGETS_TOP), rng.choice(WIDGETS_MID), rng.choice(WIDGETS_END)
        half = max(1, len(lines) // 2)
        out = [top, title, dl, *lines[:half], mid, *lines[half:], end]
        chrome = [top, mid, end]
    elif layout == "see_also_inside":
        label, teaser = rng.choice(READ_ALSO), str(other["title"])
        half = max(1, len(lines) // 2)
        out = [title, f"{dl} {lines[0]}", *lines[1:half], label, teaser, *lines[half:]]
        chrome = [label, teaser]
        lines = [f"{dl} {lines[0]}", *lines[1:]]
    elif layout == "related_footer":
        label, teaser = rng.choice(RELATED), str(other["title"])
        end = rng.choice(WIDGETS_END)
        out = [title, dl, *lines, label, teaser, end]
        chrome = [label, teaser, end]
    else:  # everything at once
        label, teaser = rng.choice(READ_ALSO), str(other["title"])
        top, end = rng.choice(WIDGETS_TOP), rng.choice(WIDGETS_END)
        half = max(1, len(lines) // 2)
        out = [section, top, dl, title, date, *lines[:half], label, teaser, *lines[half:], end]
        chrome = [section, top, label, teaser, end]
    body = lines[1:] if layout == "see_also_inside" else lines
    return Case(
        f"paste{n:03d}",
        split_of(int(rec["idx"])),  # type: ignore[call-overload]
        layout,
        int(rec["idx"]),  # type: ignore[call-overload]
        "\n".join(out) + "\n",
        title,
        place,
        agency,
        chrome,
        body,
    )
