"""Typed records that flow between Marsad's stages.

Dicts appear only at the edges (JSON, SQL rows). Character offsets always index the cleaned
article text (``Article.text``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]


@dataclass
class RawDocument:
    """One article as a reader found it, before cleaning."""

    source: str  # path or URL it came from, with a "#locator" for records inside a file
    format: str  # txt, html, jsonl, json, csv, warc, rss, atom, telegram
    text: str  # main text, original characters, paragraphs separated by newlines
    title: str | None = None
    url: str | None = None
    published: str | None = None  # as found (any format); parsed in the clean stage
    outlet: str | None = None
    author: str | None = None
    links: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """One bad input item: what it is, what is wrong, what Marsad did about it."""

    source: str
    kind: str  # binary, encoding, empty, too-large, truncated, malformed, no-article, ...
    message: str
    action: str = "skipped"

    def line(self) -> str:
        return f"{self.source}: {self.message} ({self.kind}; {self.action})"


@dataclass(frozen=True)
class Dateline:
    """The dateline of an article: ``دمشق - سانا`` gives place دمشق and agency سانا."""

    raw: str
    place: str | None
    agency: str | None
    span: Span | None  # offsets in the cleaned text when the dateline is part of it


@dataclass
class Article:
    """A cleaned, segmented article: the record every later stage reads."""

    id: str
    source: str
    format: str
    outlet: str | None
    url: str | None
    title: str | None
    published: str | None  # ISO 8601 date or date-time, or None
    language: str  # ISO 639-1 code, or "und"
    text: str  # cleaned text (original characters, boilerplate removed)
    removed: list[str]  # boilerplate lines removed from the raw text, in order
    sentences: list[Span]
    dateline: Dateline | None = None
    author: str | None = None
    links: list[str] = field(default_factory=list)
    component: str = ""  # versioned component that produced the cleaned text

    @property
    def is_arabic(self) -> bool:
        return self.language == "ar"
