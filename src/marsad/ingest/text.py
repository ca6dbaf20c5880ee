"""Plain-text articles: the first line is the title when it looks like one."""

from __future__ import annotations

from collections.abc import Iterator

from marsad.config import IngestOptions
from marsad.ingest.decode import DecodeError, decode
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
    try:
        text, encoding = decode(blob.read_all(), blob.declared_encoding)
    except DecodeError as err:
        yield Problem(blob.name, err.kind, err.message)
        return
    title, body = split_title(text)
    yield RawDocument(
        source=blob.name, format="txt", text=body, title=title, meta={"encoding": encoding}
    )
