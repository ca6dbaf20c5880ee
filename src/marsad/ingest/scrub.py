"""Make what readers found safe to store and to print: one pass over every item they yield.

Readers see untrusted data: a JSON string may hold an unpaired surrogate escape (``"\\ud800"``,
common in tweet and Telegram exports with broken emoji), a file name may hold bytes that are
not UTF-8 or a newline, a text may be millions of characters long. :func:`scrub_item` is
applied once to every document and problem in :func:`marsad.ingest.iter_documents`, so no
reader has to remember it.
"""

from __future__ import annotations

import re
from typing import Any

from marsad.records import Problem, RawDocument, printable

_SCRUB_RE = re.compile("[\x00\ud800-\udfff]")
_PARAGRAPH_BREAK = "\n"
CUT_LOOKBACK = 0.1  # look back at most this share of the limit for a paragraph or word break


def scrub_text(value: str) -> str:
    """``value`` without NUL characters, its surrogate pairs joined and lone ones U+FFFD."""
    if not _SCRUB_RE.search(value):
        return value
    value = value.replace("\x00", "")
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, list):
        return [_scrub_value(v) for v in value]
    if isinstance(value, dict):
        return {scrub_text(str(k)): _scrub_value(v) for k, v in value.items()}
    return value


def _optional(value: str | None) -> str | None:
    return None if value is None else scrub_text(value)


def scrub_document(doc: RawDocument) -> RawDocument:
    """Every text field of ``doc`` encodable; its source printable on one line."""
    doc.source = printable(doc.source)
    doc.text = scrub_text(doc.text)
    doc.title = _optional(doc.title)
    doc.url = _optional(doc.url)
    doc.published = _optional(doc.published)
    doc.outlet = _optional(doc.outlet)
    doc.author = _optional(doc.author)
    doc.links = [scrub_text(link) for link in doc.links]
    doc.meta = _scrub_value(doc.meta)
    return doc


def scrub_problem(problem: Problem) -> Problem:
    return Problem(
        printable(problem.source),
        problem.kind,
        scrub_text(problem.message),
        scrub_text(problem.action),
    )


def cut_text(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a paragraph or else a word break near it."""
    if len(text) <= limit:
        return text
    floor = limit - int(limit * CUT_LOOKBACK)
    for brk in (_PARAGRAPH_BREAK, " "):
        at = text.rfind(brk, floor, limit + 1)
        if at > 0:
            return text[:at].rstrip()
    return text[:limit]


def limit_article(doc: RawDocument, max_chars: int) -> Problem | None:
    """Cut an over-long article text in place; the problem line that says so, or None."""
    if len(doc.text) <= max_chars:
        return None
    doc.text = cut_text(doc.text, max_chars)
    doc.meta["cut"] = True
    return Problem(
        doc.source,
        "too-long",
        f"article text is over the limit of {max_chars:,} characters",
        f"cut to {len(doc.text):,} characters, kept",
    )
