"""Sentence segmentation for Arabic (and English) news text, as offsets into the cleaned text.

Rules, in order:
* a line break always ends a sentence (cleaned text has one paragraph per line);
* ``. ! ? ؟ … ؛`` (and runs such as ``؟!`` or ``...``) end a sentence when followed by white
  space or the end, after any closing quotes or brackets; a ``. ! ؟`` between two Arabic words
  with no space (``أمس.فيما``: scraped text) ends one too;
* a full stop does not end a sentence after an abbreviation (``د.``, ``ص.ب.``, ``U.S.``) or a
  single letter (initials), nor inside a number (``3.5``, ``1.500``) since no space follows,
  nor inside a number of tokenised text (``1 . 4 تريليون``, ``7 . 3 %``: scraped pages with a
  space around every mark) when a percentage or a magnitude word follows;
* inside a quotation (``«…»``, ``“…”``, ``"…"``) shorter than ``segment.max_quote_chars`` a
  sentence end does not split, so a quoted statement stays with its reporting verb.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from marsad.config import SegmentOptions
from marsad.normalize import normalize
from marsad.records import Span

COMPONENT = "segment.v4"
# An end mark followed by white space, or glued to the next sentence's first Arabic letter
# ("أمس.فيما كشفت": scraped and pasted text loses the space).
_END_RE = re.compile(
    r"(?:[.!?؟…؛]+)(?P<close>[\"'»”’)\]]*)(?=\s|$)|(?<=[\u0621-\u064A]{3})[.!؟](?=[\u0621-\u064A]{3})"
)
# "1 . 4 تريليون", "7 . 3 %": a decimal point of tokenised text (a digit on both sides and a
# percentage or magnitude after), not a sentence end.
_SPACED_DECIMAL_RE = re.compile(
    r"\d \.(?= \d{1,3} ?(?:%|٪|بالمئة|بالمائة|في المئة|في المائة|مليون|مليار|ألف|تريليون)(?!\w))"
)
_OPENERS = {"«": "»", "“": "”", "„": "“"}
_QUOTE_RE = re.compile('[«»“”„"]')
_WORD_BEFORE_RE = re.compile(r"(\S+)$")
_CLOSING_STRAIGHT_RE = re.compile(r"\s*[.!?؟…؛;،,](?!\s*[.…])")
_ERA_LETTERS = {"م", "ه"}  # Gregorian and Hijri year markers


@lru_cache(maxsize=1)
def _packaged_abbreviations() -> frozenset[str]:
    text = resources.files("marsad.data").joinpath("abbreviations.txt").read_text("utf-8")
    return frozenset(
        normalize(line.strip()).rstrip(".")
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def _abbreviations(options: SegmentOptions) -> frozenset[str]:
    extra = {normalize(a).rstrip(".") for a in options.extra_abbreviations}
    return _packaged_abbreviations() | extra


def _is_abbreviation(before: str, abbreviations: frozenset[str]) -> bool:
    match = _WORD_BEFORE_RE.search(before)
    if not match:
        return False
    word = normalize(match.group(1)).lstrip("(«\"'“")
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        # An initial ("د. محمد", "J. Smith"), except the era letters after a year ("عام 2015 م.").
        previous = before[: match.start()].split()
        return not (word in _ERA_LETTERS and previous and previous[-1].isdigit())
    return word in abbreviations or word.rstrip(".") in abbreviations


def _quote_ends(line: str, max_quote: int) -> list[tuple[int, int]]:
    """Spans of short quotations in ``line`` (balanced «» “” and paired straight quotes)."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight: int | None = None
    for match in _QUOTE_RE.finditer(line):
        ch, i = match.group(), match.start()
        if ch in _OPENERS:
            stack.append((_OPENERS[ch], i))
        elif stack and ch == stack[-1][0]:
            _, start = stack.pop()
            if i - start <= max_quote:
                spans.append((start, i))
        elif ch == '"':
            if straight is None:
                if _CLOSING_STRAIGHT_RE.match(line, i + 1):
                    continue  # ` " . وأضاف`: it closes a quotation opened on an earlier line
                straight = i
            else:
                if i - straight <= max_quote:
                    spans.append((straight, i))
                straight = None
    return spans


def _split_line(
    line: str, base: int, options: SegmentOptions, abbrevs: frozenset[str]
) -> list[Span]:
    quotes = _quote_ends(line, options.max_quote_chars)
    spans: list[Span] = []
    start = 0
    for match in _END_RE.finditer(line):
        end = match.end()
        mark = match.group(0)
        if (
            mark.startswith(".")
            and len(mark.rstrip("\"'»”’)]")) == 1
            and _is_abbreviation(line[start : match.start()], abbrevs)
        ):
            continue
        if mark == "." and _SPACED_DECIMAL_RE.match(line, match.start() - 2):
            continue
        if any(
            q_start < match.start() and end - len(match.group("close") or "") <= q_end
            for q_start, q_end in quotes
        ):
            continue  # inside a quotation that closes later
        spans.append((start, end))
        start = end
    spans.append((start, len(line)))
    out: list[Span] = []
    for s, e in spans:
        piece = line[s:e]
        stripped_left = len(piece) - len(piece.lstrip())
        stripped_right = len(piece) - len(piece.rstrip())
        if piece.strip():
            out.append((base + s + stripped_left, base + e - stripped_right))
    return out


def segment(text: str, options: SegmentOptions | None = None) -> list[Span]:
    """Sentence spans ``[start, end)`` of ``text``; ``text[start:end]`` is one sentence."""
    options = options or SegmentOptions()
    abbrevs = _abbreviations(options)
    spans: list[Span] = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            spans.extend(_split_line(line, offset, options, abbrevs))
        offset += len(line) + 1
    return spans
