"""The lead of a pasted or scraped page: which of its first lines are page furniture (a
section label, a share or font-size widget, a printed date, a byline, a dateline standing
alone) and which is the headline.

Used by the text reader to choose the title of a ``.txt`` page (``أخبار سوريا`` or
``دمشق-سانا`` on the first line is not the title) and by the dateline search to look past a
printed date and a byline. Works on one page alone: no corpus statistics.
"""

from __future__ import annotations

import re

from marsad.clean.boilerplate import load_patterns
from marsad.clean.dateline import Gazetteer, base_gazetteer, find_dateline, parse_dateline
from marsad.clean.dates import find_date
from marsad.normalize import normalize
from marsad.records import Dateline

MAX_TITLE_CHARS = 160
MAX_TITLE_WORDS = 28
MAX_LEAD_LINES = 6  # furniture lines looked past before the headline
MAX_DATE_LINE_CHARS = 48
MAX_DATELINE_WORDS = 6
MAX_DATELINE_CHARS = 45
# A headline may end in ! ? … or "..": a body sentence ends in a full stop or a comma.
_NOT_A_TITLE_END = (".", "،", ",", ":", "؛", ";")
_TITLE_END_OK = ("!.", "..", "؟.", "?.")
_BYLINE_RE = re.compile(
    r"^\W*(كتب|كتبت|بقلم|اعداد|تحرير|ترجمه|المصدر|متابعات|تقرير|حوار|اعد التقرير|by)\s*[:：\-–]",
    re.IGNORECASE,
)
_FURNITURE_SCOPES = {"line", "edge"}
_LETTERS_RE = re.compile(r"[^\W\d_]{3,}")


def is_byline(line: str) -> bool:
    """``كتب: فلان``, ``بقلم: ...``, ``المصدر: وكالات``: who wrote it or where it came from."""
    return len(line) <= MAX_TITLE_CHARS and bool(_BYLINE_RE.match(normalize(line)))


def is_date_line(line: str) -> bool:
    """A printed date (and time) on its own line."""
    return len(line) <= MAX_DATE_LINE_CHARS and find_date(line) is not None


def is_dateline_alone(line: str, gaz: Gazetteer | None = None) -> bool:
    """``دمشق-سانا``, ``موسكو - سانا``, ``بغداد (رويترز)`` on a line of its own."""
    text = line.strip()
    if len(text) > MAX_DATELINE_CHARS or len(text.split()) > MAX_DATELINE_WORDS:
        return False
    place, agency = parse_dateline(text, gaz or base_gazetteer())
    return bool(place and agency) or bool(agency and len(text.split()) <= 3)


def is_furniture(line: str) -> bool:
    """A label, widget or notice line (the packaged boilerplate patterns), or a line with no
    word of three letters (``A A A``, ``|``, ``»``)."""
    text = line.strip()
    if not _LETTERS_RE.search(text):
        return True
    folded = normalize(text)
    return any(p.scope in _FURNITURE_SCOPES and p.regex.search(folded) for p in load_patterns())


def is_lead_furniture(line: str, gaz: Gazetteer | None = None) -> bool:
    """Anything that may stand above a headline without being it."""
    return (
        is_furniture(line) or is_date_line(line) or is_byline(line) or is_dateline_alone(line, gaz)
    )


def looks_like_title(line: str) -> bool:
    text = line.strip()
    if not text or len(text) > MAX_TITLE_CHARS or len(text.split()) > MAX_TITLE_WORDS:
        return False
    return text.endswith(_TITLE_END_OK) or not text.endswith(_NOT_A_TITLE_END)


def split_title(text: str, gaz: Gazetteer | None = None) -> tuple[str | None, str]:
    """``(title, body)`` of a pasted page: the first line that looks like a headline, past
    any furniture above it, when an article follows it. The furniture lines stay in the body
    (cleaning removes them, and keeps an audit of what it removed; a dateline standing alone
    becomes the start of the body)."""
    lines = text.split("\n")
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if seen >= MAX_LEAD_LINES:
            break
        seen += 1
        if is_lead_furniture(line, gaz):
            continue
        rest = [*lines[:i], *lines[i + 1 :]]
        if looks_like_title(line) and any(len(r.strip()) > len(line.strip()) for r in rest):
            return line.strip(), "\n".join(rest).strip("\n")
        break
    return None, text.strip("\n")


def dateline_past_lead(text: str, byline: str | None, gaz: Gazetteer) -> Dateline | None:
    """The dateline at the start of ``text``, looking past printed dates and bylines above it
    (``الخميس 4 أيلول 2025`` / ``كتب: فلان`` / ``دمشق-سانا``); offsets index ``text``."""
    offset = 0
    for _ in range(MAX_LEAD_LINES):
        line, sep, _rest = text[offset:].partition("\n")
        if not sep or not (is_date_line(line) or is_byline(line)):
            break
        offset += len(line) + 1
    found = find_dateline(text[offset:], byline, gaz)
    if found is None or found.span is None or not offset:
        return found
    return Dateline(
        found.raw, found.place, found.agency, (found.span[0] + offset, found.span[1] + offset)
    )


MAX_PAGE_TITLE_WORDS = 30
MIN_PAGE_TITLE_WORDS = 4
PAGE_HEAD_LINES = 3
PAGE_HEAD_CHARS = 1500
_SEPARATOR_RE = re.compile(r"\s[|\-–—]\s")
_PUNCT_TOKENS = frozenset(",.،:;؛|-–—/()\"'«»")
_ARABIC_WORD_RE = re.compile(r"[\u0621-\u064a]{3}")


def _plausible_title(words: tuple[str, ...] | list[str]) -> bool:
    """No date, no word of site chrome, at most two numbers, not cut at punctuation."""
    from marsad.clean.pagelines import CHROME_WORDS

    text = " ".join(words)
    if words[0] in _PUNCT_TOKENS or words[-1] in _PUNCT_TOKENS:
        return False
    if not _ARABIC_WORD_RE.search(text) or find_date(text) is not None:
        return False
    if any(normalize(w).lower() in CHROME_WORDS for w in words):
        return False
    return sum(1 for w in words if w.isdigit()) <= 2


def page_title(lines: list[str]) -> tuple[str | None, int]:
    """The headline of a page saved whole, and the index of the line it was found in
    (``(None, -1)`` when none is found), from its first lines:

    * a page repeats its headline (the browser title, then the headline above the article):
      the longest run of 4 to 30 words that occurs twice there, one occurrence at the start
      of a line or after a separator, is the headline;
    * otherwise the first line's text before a `` | `` or `` - `` separator (``headline - Site``).
    """
    head_lines = lines[:PAGE_HEAD_LINES]
    words: list[str] = []
    line_of: list[int] = []
    for i, line in enumerate(head_lines):
        for w in line.split():
            if sum(len(x) + 1 for x in words) >= PAGE_HEAD_CHARS:
                break
            words.append(w)
            line_of.append(i)
    n = len(words)
    for size in range(min(MAX_PAGE_TITLE_WORDS, n // 2), MIN_PAGE_TITLE_WORDS - 1, -1):
        seen: dict[tuple[str, ...], int] = {}
        for i in range(n - size + 1):
            key = tuple(words[i : i + size])
            j = seen.setdefault(key, i)
            if j == i or i < j + size:
                continue
            if key[0].isdigit() or key[-1].isdigit() or not _plausible_title(key):
                continue
            if any(k == 0 or line_of[k] != line_of[k - 1] or words[k - 1] in _PUNCT_TOKENS
                   for k in (i, j)):  # fmt: skip
                return " ".join(key), line_of[j]
    if head_lines:
        found = _SEPARATOR_RE.search(head_lines[0])
        if found:
            lead = head_lines[0][: found.start()].split()
            if MIN_PAGE_TITLE_WORDS - 1 <= len(lead) <= MAX_PAGE_TITLE_WORDS - 5 and (
                _ARABIC_WORD_RE.search(" ".join(lead)) and find_date(" ".join(lead)) is None
            ):
                return " ".join(lead), 0
    return None, -1
