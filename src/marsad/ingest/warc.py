"""WARC archives (plain or gzip): each HTML response record becomes an article."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from marsad.config import IngestOptions, parse_size
from marsad.ingest.decode import DecodeError, decode_text, repair_problems
from marsad.ingest.html import declared_charset, extract_html, too_large_page
from marsad.ingest.sniff import Blob
from marsad.records import Problem, RawDocument

LOGGER = logging.getLogger(__name__)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def read_warc(blob: Blob, options: IngestOptions) -> Iterator[RawDocument | Problem]:
    limit = parse_size(options.max_page_size)
    responses = 0
    with blob.opener() as raw:
        try:
            records = ArchiveIterator(raw)
            for record in records:
                if not record.rec_type:  # a record header cut short
                    break
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
                    del body  # the rest of the record is read past, not kept
                    yield too_large_page(where, limit)
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
                yield from _page(
                    body, where, uri, ctype, record.rec_headers.get_header("WARC-Date")
                )
            if records.offset < blob.size:  # bytes after the last whole record
                raise EOFError(
                    f"{blob.size - records.offset:,} bytes at the end are not a whole record"
                )
        except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as err:
            yield Problem(
                blob.name,
                "truncated",
                f"WARC is truncated or corrupt after {responses} response records ({err})",
                f"kept the {responses} records read before the damage",
            )


def _page(
    body: bytes, where: str, uri: str, ctype: str, crawled: str | None
) -> Iterator[RawDocument | Problem]:
    try:
        decoded = decode_text(body, _charset(ctype) or declared_charset(body))
        doc = extract_html(decoded.text, where, uri or None, fmt="warc")
    except DecodeError as err:
        yield Problem(where, err.kind, err.message)
        return
    except Exception as err:  # one odd page must not end the archive
        LOGGER.debug("could not read WARC record %s", where, exc_info=True)
        yield Problem(where, "error", f"could not read the page: {type(err).__name__}: {err}")
        return
    if isinstance(doc, RawDocument):
        if crawled:
            doc.meta["crawled"] = crawled
        yield doc
        yield from repair_problems(where, decoded)
    else:
        yield doc
