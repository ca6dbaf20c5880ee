"""WARC archives (plain or gzip): each HTML response record becomes an article."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from marsad.config import IngestOptions, parse_size
from marsad.ingest.decode import DecodeError, decode
from marsad.ingest.html import declared_charset, extract_html
from marsad.ingest.sniff import Blob
from marsad.records import Problem, RawDocument

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def read_warc(blob: Blob, options: IngestOptions) -> Iterator[RawDocument | Problem]:
    limit = parse_size(options.max_file_size)
    responses = 0
    with blob.opener() as raw:
        try:
            for record in ArchiveIterator(raw):
                if record.rec_type != "response":
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                where = f"{blob.name}#{uri or responses}"
                responses += 1
                status = record.http_headers.get_statuscode() if record.http_headers else None
                ctype = (
                    (record.http_headers.get_header("Content-Type") or "")
                    if record.http_headers
                    else ""
                )
                if status and not status.startswith("2"):
                    continue
                if ctype and not ctype.lower().startswith(_HTML_TYPES):
                    continue
                body = record.content_stream().read(limit + 1)
                if len(body) > limit:
                    yield Problem(where, "too-large", f"WARC record over {limit:,} bytes")
                    continue
                missing = getattr(record.raw_stream, "limit", 0)
                if missing:
                    yield Problem(
                        where,
                        "truncated",
                        f"WARC is truncated: the last record lacks {missing:,} bytes",
                        f"kept the {responses - 1} complete records before it",
                    )
                    return
                yield _page(body, where, uri, ctype, record.rec_headers.get_header("WARC-Date"))
        except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as err:
            yield Problem(
                blob.name,
                "truncated",
                f"WARC is truncated or corrupt after {responses} response records ({err})",
                f"kept the {responses} records read before the damage",
            )


def _page(
    body: bytes, where: str, uri: str, ctype: str, crawled: str | None
) -> RawDocument | Problem:
    try:
        markup, _ = decode(body, _charset(ctype) or declared_charset(body))
    except DecodeError as err:
        return Problem(where, err.kind, err.message)
    doc = extract_html(markup, where, uri or None, fmt="warc")
    if isinstance(doc, RawDocument) and crawled:
        doc.meta["crawled"] = crawled
    return doc
