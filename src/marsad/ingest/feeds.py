"""RSS and Atom feeds: each entry becomes an article (full content when the feed carries it)."""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from marsad.config import IngestOptions
from marsad.ingest.decode import DecodeError, decode
from marsad.ingest.html import html_to_text
from marsad.ingest.sniff import Blob
from marsad.records import Problem, RawDocument

_CHARREF_RE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
_SURROGATES = range(0xD800, 0xE000)
MAX_CODE_POINT = 0x10FFFF


def _safe_charref(match: re.Match[str]) -> str:
    hexa, decimal = match.groups()
    code = int(hexa, 16) if hexa else int(decimal)
    return "&#xFFFD;" if code in _SURROGATES or code > MAX_CODE_POINT else match.group()


def safe_charrefs(markup: str) -> str:
    """``markup`` with character references to surrogates or past U+10FFFF made U+FFFD
    (feedparser's loose parser fails on them, and they are never text)."""
    return _CHARREF_RE.sub(_safe_charref, markup) if "&#" in markup else markup


def _iso(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC).isoformat()


def _entry_html(entry: Any) -> str:
    contents = entry.get("content") or []
    best = max((c.get("value", "") for c in contents), key=len, default="")
    summary = entry.get("summary", "") or ""
    return best if len(best) >= len(summary) else summary


def parse_feed(data: bytes, source: str) -> tuple[list[RawDocument], list[Problem]]:
    """Entries of a feed as documents (``format`` rss or atom)."""
    try:
        text, _ = decode(data)
    except DecodeError as err:
        return [], [Problem(source, err.kind, err.message)]
    parsed = feedparser.parse(safe_charrefs(text))
    version = str(parsed.get("version") or "")
    if not parsed.entries:
        why = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
        return [], [Problem(source, "no-article", f"feed with no entries{why}")]
    fmt = "atom" if version.startswith("atom") else "rss"
    outlet = parsed.feed.get("title") or None
    docs: list[RawDocument] = []
    problems: list[Problem] = []
    for i, entry in enumerate(parsed.entries):
        where = f"{source}#{entry.get('id') or entry.get('link') or i}"
        try:
            item = _entry_document(entry, where, fmt, outlet)
        except Exception as err:  # one odd entry must not end the feed
            item = Problem(where, "malformed", f"feed entry unreadable ({type(err).__name__})")
        if isinstance(item, RawDocument):
            docs.append(item)
        else:
            problems.append(item)
    if parsed.get("bozo") and docs:
        problems.append(
            Problem(
                source,
                "malformed",
                f"feed is not well-formed ({parsed.get('bozo_exception')})",
                f"kept {len(docs)} entries the parser recovered",
            )
        )
    return docs, problems


def _entry_document(entry: Any, where: str, fmt: str, outlet: str | None) -> RawDocument | Problem:
    body = html_to_text(_entry_html(entry))
    if not body.strip():
        return Problem(where, "empty", "feed entry without text")
    links = [link.get("href") for link in entry.get("links", []) if link.get("href")]
    return RawDocument(
        source=where,
        format=fmt,
        text=body,
        title=entry.get("title") or None,
        url=entry.get("link") or None,
        published=entry.get("published")
        or entry.get("updated")
        or _iso(entry.get("published_parsed") or entry.get("updated_parsed")),
        outlet=outlet,
        author=entry.get("author") or None,
        links=links,
        meta={"summary_only": not entry.get("content")},
    )


def read_feed(blob: Blob, options: IngestOptions) -> Iterator[RawDocument | Problem]:
    docs, problems = parse_feed(blob.read_all(), blob.name)
    yield from docs
    yield from problems
