"""Plain-text articles: the first line is the title when it looks like one.

Only as much of a file is read as an article may hold (``ingest.max_article_chars``), so a
huge or decompression-bomb text costs no more memory than a long article.
"""

from __future__ import annotations

from collections.abc import Iterator

from marsad.config import IngestOptions
from marsad.ingest.decode import MAX_BYTES_PER_CHAR, DecodeError, decode_text, repair_problems
from marsad.ingest.sniff import Blob
from marsad.records import Problem, RawDocument

MAX_TITLE_CHARS = 160
MAX_TITLE_WORDS = 28
_SENTENCE_END = (".", "!", "؟", "?", "،", ",", ":", "؛", "…")


def split_title(text: str) -> tuple[str | None, str]:
    """``(title, body)``: the first line is the title if short, unpunctuated and not alone."""
    lines = text.split("\n")
    idx = next((i for i, line in enumerate(lines) if line.strip()), None)
    if idx is None:
        return None, ""
    first = lines[idx].strip()
    rest = "\n".join(lines[idx + 1 :])
    looks_like_title = (
        len(first) <= MAX_TITLE_CHARS
        and len(first.split()) <= MAX_TITLE_WORDS
        and not first.endswith(_SENTENCE_END)
        and rest.strip() != ""
    )
    if looks_like_title:
        return first, rest.strip("\n")
    return None, text.strip("\n")


def read_text(blob: Blob, options: IngestOptions) -> Iterator[RawDocument | Problem]:
    limit = (options.max_article_chars + 1) * MAX_BYTES_PER_CHAR  # always past the cut
    data, more = blob.read_start(limit)
    try:
        decoded = decode_text(data, blob.declared_encoding, partial=more)
    except DecodeError as err:
        yield Problem(blob.name, err.kind, err.message)
        return
    title, body = split_title(decoded.text)
    yield RawDocument(
        source=blob.name,
        format="txt",
        text=body,
        title=title,
        meta={"encoding": decoded.encoding},
    )
    yield from repair_problems(blob.name, decoded)
