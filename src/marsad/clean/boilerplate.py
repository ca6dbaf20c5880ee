"""Boilerplate removal for text and feed inputs: a documented pattern list plus corpus statistics.

A line is boilerplate when it matches a packaged pattern (``data/boilerplate.yaml``) or when
the same line recurs verbatim (after normalisation) in at least
``clean.boilerplate_min_articles`` articles of the same outlet. Removed lines are returned so
every decision stays auditable.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from marsad.clean.pagelines import page_chrome
from marsad.config import CleanOptions
from marsad.normalize import normalize, normalize_with_offsets

EDGE_LINES = 2
MAX_TEASERS = 3  # teaser headlines taken after a lone "read also" label
MAX_TEASER_CHARS = 120
SUBHEADING_PARAGRAPH_CHARS = 100  # a paragraph this long after a short line makes it a subheading
SENTENCE_ENDS = (".", "!", "؟", "?", "…", ":")
TAIL_WINDOW = 300  # characters at the end of the last line searched by tail patterns


@dataclass(frozen=True)
class Pattern:
    name: str
    description: str
    scope: str  # line, edge, tail
    regex: re.Pattern[str]
    next_line: bool = False


@lru_cache(maxsize=1)
def load_patterns() -> tuple[Pattern, ...]:
    data = yaml.safe_load(
        resources.files("marsad.data").joinpath("boilerplate.yaml").read_text("utf-8")
    )
    return tuple(
        Pattern(
            d["name"],
            d["description"],
            d["scope"],
            re.compile(d["regex"], re.IGNORECASE),
            bool(d.get("next_line", False)),
        )
        for d in data
    )


def tidy_line(line: str) -> str:
    """Collapse runs of white space (any Unicode space) and strip the line."""
    return " ".join(line.split())


def line_key(line: str) -> int:
    """A 63-bit key of a normalised line, for counting recurring lines per outlet."""
    digest = hashlib.blake2b(normalize(tidy_line(line)).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def candidate_keys(raw_text: str, options: CleanOptions) -> set[int]:
    """Distinct keys of the lines of one article that could be boilerplate (short enough)."""
    keys = set()
    for line in raw_text.split("\n"):
        tidy = tidy_line(line)
        if tidy and len(tidy) <= options.boilerplate_max_line_chars:
            keys.add(line_key(tidy))
    return keys


def _matches(line: str, patterns: Iterable[Pattern], scopes: set[str]) -> Pattern | None:
    folded = normalize(line)
    for pattern in patterns:
        if pattern.scope in scopes and pattern.regex.search(folded):
            return pattern
    return None


def _is_label_only(line: str, pattern: Pattern) -> bool:
    folded = normalize(line)
    match = pattern.regex.search(folded)
    return match is not None and not re.sub(r"\W", "", folded[match.end() :])


def first_line(raw_text: str) -> str:
    """The first non-blank line, tidied."""
    for line in raw_text.split("\n"):
        tidy = tidy_line(line)
        if tidy:
            return tidy
    return ""


def strip_boilerplate(
    raw_text: str,
    frequent: AbstractSet[int],
    options: CleanOptions,
    protect: AbstractSet[str] = frozenset(),
    page: bool = False,
) -> tuple[str, list[str]]:
    """``(clean_text, removed_lines)``; lines are tidied, blank lines dropped.

    Lines in ``protect`` (e.g. a dateline line, which recurs across one day's wire copy) are
    never removed. With ``page`` (a whole scraped or pasted page), only the block of lines
    that the page-line model finds to be the article is kept (:mod:`marsad.clean.pagelines`).
    """
    lines = [tidy_line(line) for line in raw_text.split("\n")]
    lines = [line for line in lines if line]
    removed: list[str] = []
    chrome = page_chrome(lines) if page else [False] * len(lines)
    patterns = load_patterns() if options.use_patterns else ()
    limit = options.boilerplate_max_line_chars
    kept: list[str] = []
    teasers = 0  # lines still to take after a lone "read also" label
    for i, line in enumerate(lines):
        outside = chrome[i] and line not in protect
        short = len(line) <= limit and line not in protect
        if teasers and _is_teaser(line, lines[i + 1] if i + 1 < len(lines) else "", teasers):
            removed.append(line)
            teasers -= 1
            continue
        teasers = 0
        at_edge = i < EDGE_LINES or i >= len(lines) - EDGE_LINES
        scopes = {"line", "edge"} if at_edge else {"line"}
        hit = _matches(line, patterns, scopes) if short else None
        if short and (hit or line_key(line) in frequent):
            removed.append(line)
            if hit and hit.next_line and _is_label_only(line, hit):
                teasers = MAX_TEASERS
            continue
        if outside:
            removed.append(line)
            continue
        kept.append(line)
    while kept and patterns:
        cut = _cut_tail(kept[-1], patterns)
        if cut is None:
            break
        head, tail = cut
        removed.append(tail)
        if head:
            kept[-1] = head
            break
        kept.pop()
    return "\n".join(kept), removed


def _is_teaser(line: str, following: str, left: int) -> bool:
    """A line after a lone "read also" label: a short unpunctuated headline. Past the first,
    a short line that a long paragraph follows is the article's own subheading."""
    if len(line) > MAX_TEASER_CHARS or line.endswith(SENTENCE_ENDS):
        return False
    subheading = len(following) >= SUBHEADING_PARAGRAPH_CHARS and len(following) >= 2 * len(line)
    return left == MAX_TEASERS or not subheading


def _cut_tail(line: str, patterns: Iterable[Pattern]) -> tuple[str, str] | None:
    base = max(0, len(line) - TAIL_WINDOW)
    tails = [p for p in patterns if p.scope == "tail" and p.regex.search(normalize(line[base:]))]
    if not tails:
        return None
    folded, offsets = normalize_with_offsets(line[base:])
    for pattern in tails:
        match = pattern.regex.search(folded)
        if match and match.end() - match.start() > 0:
            start = base + offsets[match.start()]
            return line[:start].rstrip(), line[start:].strip()
    return None
