"""Record files: JSON, JSON Lines and CSV, with a field mapping (defaults in the config).

JSON Lines and CSV are streamed, so a file of any size uses constant memory; a bad line is
reported and skipped while the good lines of the same file are kept.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import zlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from marsad.config import IngestOptions
from marsad.ingest.decode import DecodeError, decode, detect_encoding
from marsad.ingest.html import html_to_text
from marsad.ingest.sniff import Blob
from marsad.records import Problem, RawDocument

_TAG_RE = re.compile(r"<(p|br|div|span|a|strong|em|b|i|h[1-6]|ul|li|img|script)[\s/>]", re.I)
_LIST_KEYS = ("articles", "items", "data", "records", "results", "posts", "entries", "docs")
_STREAM_ERRORS = (EOFError, OSError, zlib.error)

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _first(record: Mapping[str, Any], names: Iterable[str]) -> Any:
    lowered = {str(k).lower(): v for k, v in record.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value not in (None, "", [], {}):
            return value
    return None


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return "\n".join(str(v) for v in value if v is not None)
    return str(value)


def record_to_document(
    record: Any, source: str, fmt: str, options: IngestOptions
) -> RawDocument | Problem:
    """Map one record to a document with the configured field names."""
    if not isinstance(record, Mapping):
        return Problem(source, "malformed", f"record is a {type(record).__name__}, not an object")
    text = _as_text(_first(record, options.text_fields))
    if not text or not text.strip():
        wanted = "|".join(options.text_fields)
        return Problem(source, "empty", f"record has no text (looked for fields {wanted})")
    if _TAG_RE.search(text):
        text = html_to_text(text)
    raw_links = record.get("links")
    links = raw_links if isinstance(raw_links, list) else []
    return RawDocument(
        source=source,
        format=fmt,
        text=text,
        title=_as_text(_first(record, options.title_fields)),
        url=_as_text(_first(record, options.url_fields)),
        published=_as_text(_first(record, options.date_fields)),
        outlet=_as_text(_first(record, options.outlet_fields)),
        author=_as_text(_first(record, options.author_fields)),
        links=[str(link) for link in links],
    )


def _text_stream(blob: Blob) -> tuple[io.TextIOWrapper, str]:
    encoding = detect_encoding(blob.head(), blob.declared_encoding, partial=True)
    if encoding in {"utf-8", "utf-8-sig"}:
        encoding = "utf-8-sig"
    return io.TextIOWrapper(blob.open(), encoding=encoding, errors="replace", newline=""), encoding


def read_jsonl(blob: Blob, options: IngestOptions) -> Iterator[RawDocument | Problem]:
    try:
        stream, _ = _text_stream(blob)
    except DecodeError as err:
        yield Problem(blob.name, err.kind, err.message)
        return
    lineno = 0
    with stream:
        try:
            for lineno, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                where = f"{blob.name}#L{lineno}"
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as err:
                    yield Problem(
                        where,
                        "malformed",
                        f"malformed JSON line ({err.msg})",
                        "line skipped, other lines kept",
                    )
                    continue
                yield record_to_document(record, where, "jsonl", options)
        except _STREAM_ERRORS as err:
            yield Problem(
                blob.name,
                "truncated",
                f"file is truncated or corrupt after line {lineno} ({err})",
                f"kept the {lineno} lines read before the damage",
            )


def read_csv(blob: Blob, options: IngestOptions) -> Iterator[RawDocument | Problem]:
    try:
        stream, _ = _text_stream(blob)
    except DecodeError as err:
        yield Problem(blob.name, err.kind, err.message)
        return
    rowno = 0
    with stream:
        header = stream.readline()
        delimiter = "\t" if header.count("\t") > header.count(",") else ","
        reader = csv.DictReader(_chain_first(header, stream), delimiter=delimiter, restkey="_extra")
        try:
            for rowno, row in enumerate(reader, start=1):
                yield record_to_document(row, f"{blob.name}#row{rowno}", "csv", options)
        except csv.Error as err:
            yield Problem(
                f"{blob.name}#row{rowno + 1}",
                "malformed",
                f"malformed CSV ({err})",
                f"kept the {rowno} rows before it",
            )
        except _STREAM_ERRORS as err:
            yield Problem(
                blob.name,
                "truncated",
                f"file is truncated or corrupt ({err})",
                f"kept the {rowno} rows read before the damage",
            )


def _chain_first(first: str, rest: Iterable[str]) -> Iterator[str]:
    yield first
    yield from rest


def read_json(blob: Blob, options: IngestOptions) -> Iterator[RawDocument | Problem]:
    try:
        data = blob.read_all()
        text, _ = decode(data, blob.declared_encoding)
    except DecodeError as err:
        yield Problem(blob.name, err.kind, err.message)
        return
    except _STREAM_ERRORS as err:
        yield Problem(blob.name, "truncated", f"compressed file is truncated or corrupt ({err})")
        return
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        yield Problem(
            blob.name,
            "malformed",
            f"malformed JSON at line {err.lineno} column {err.colno} ({err.msg})",
        )
        return
    records = _records_of(doc)
    if records is None:
        yield Problem(blob.name, "malformed", "JSON holds no list of article records")
        return
    for i, record in enumerate(records):
        yield record_to_document(record, f"{blob.name}#{i}", "json", options)


def _records_of(doc: Any) -> list[Any] | None:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        for key in _LIST_KEYS:
            if isinstance(doc.get(key), list):
                return list(doc[key])
        return [doc]
    return None
