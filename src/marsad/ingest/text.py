"""Plain-text articles: the first line that looks like a headline, past any section label,
widget, printed date, byline or dateline above it, is the title (:mod:`marsad.clean.lead`).

Only as much of a file is read as an article may hold (``ingest.max_article_chars``), so a
huge or decompression-bomb text costs no more memory than a long article.
"""

from __future__ import annotations

from collections.abc import Iterator

from marsad.clean.lead import split_title
from marsad.config import IngestOptions
from marsad.ingest.decode import MAX_BYTES_PER_CHAR, DecodeError, decode_text, repair_problems
from marsad.ingest.sniff import Blob
from marsad.records import Problem, RawDocument


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
