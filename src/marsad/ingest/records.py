"""Record files: JSON, JSON Lines and CSV, with a field mapping (defaults in the config).

JSON Lines and CSV are streamed line by line (:func:`marsad.ingest.decode.iter_lines`), so a
file of any size uses constant memory; a bad line (malformed, undecodable, nested too deeply,
longer than ``ingest.max_record_chars``) is reported and skipped while the good lines of the
same file are kept.
"""

from __future__ import annotations

import csv
import html
import json
import logging
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from marsad.config import IngestOptions
from marsad.ingest.decode import (
    DecodeError,
    Line,
    decode_text,
    detect_encoding,
    iter_lines,
    repair_problems,
)
from marsad.ingest.html import html_to_text
from marsad.ingest.sniff import Blob
from marsad.records import Problem, RawDocument

_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_TAG_RE = re.compile(r"<(p|br|div|span|a|strong|em|b|i|h[1-6]|ul|li|img|script)[\s/>]", re.I)
_LIST_KEYS = ("articles", "items", "data", "records", "results", "posts", "entries", "docs")
_STREAM_ERRORS = (EOFError, OSError, zlib.error)
LOGGER = logging.getLogger(__name__)
Item = RawDocument | Problem
SKIPPED_LINE = "line skipped, other lines kept"
MAX_BAD_RUN = 1000  # unreadable lines in a row after which the rest of a file is not records


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


def _plain(value: str | None) -> str | None:
    """A record's text field as people read it: HTML character references decoded
    (``&#8220;`` in 232 SaudiNewsNet titles, ``&quot;``, ``&amp;``)."""
    if value is None or "&" not in value or not _ENTITY_RE.search(value):
        return value
    return html.unescape(value)


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
    text = html_to_text(text) if _TAG_RE.search(text) else (_plain(text) or "")
    raw_links = record.get("links")
    links = raw_links if isinstance(raw_links, list) else []
    return RawDocument(
        source=source,
        format=fmt,
        text=text,
        title=_plain(_as_text(_first(record, options.title_fields))),
        url=_as_text(_first(record, options.url_fields)),
        published=_as_text(_first(record, options.date_fields)),
        outlet=_plain(_as_text(_first(record, options.outlet_fields))),
        author=_plain(_as_text(_first(record, options.author_fields))),
        links=[str(link) for link in links],
    )


def guarded_document(record: Any, source: str, fmt: str, options: IngestOptions) -> Item:
    """:func:`record_to_document`, with any failure on an odd record as its problem line."""
    try:
        return record_to_document(record, source, fmt, options)
    except Exception as err:  # e.g. RecursionError on a value nested thousands deep
        LOGGER.debug("could not map record %s", source, exc_info=True)
        return Problem(source, "malformed", f"unreadable record ({type(err).__name__})")


def _lines(blob: Blob, options: IngestOptions) -> Iterator[Line]:
    encoding = detect_encoding(blob.head(), blob.declared_encoding, partial=True)
    with blob.open() as stream:
        yield from iter_lines(stream, encoding, options.max_record_chars)


def fault_problem(where: str, line: Line, options: IngestOptions) -> Problem:
    """The problem line for a line ``iter_lines`` could not give whole (``line.fault``)."""
    if line.fault == "too-long":
        limit = options.max_record_chars
        return Problem(where, "too-long", f"record over {limit:,} characters", SKIPPED_LINE)
    return Problem(where, "encoding", "line with bytes no encoding fits", SKIPPED_LINE)


class BadRun:
    """Counts unreadable lines in a row: past :data:`MAX_BAD_RUN` the rest of the file is
    binary or corrupt, and reading it would only give a flood of problem lines."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.run = 0
        self.kept = 0

    def note(self, item: Item) -> bool:
        """Count ``item``; True when the file should be given up."""
        unreadable = isinstance(item, Problem) and item.kind != "empty"
        self.run = self.run + 1 if unreadable else 0
        self.kept += isinstance(item, RawDocument)
        return self.run >= MAX_BAD_RUN

    def problem(self, lineno: int) -> Problem:
        return Problem(
            self.name,
            "malformed",
            f"{self.run:,} unreadable lines in a row up to line {lineno:,}: the rest of the "
            "file is not records (binary or corrupt)",
            f"stopped reading; kept the {self.kept:,} records before",
        )


def read_jsonl(blob: Blob, options: IngestOptions) -> Iterator[Item]:
    lineno = 0
    bad = BadRun(blob.name)
    try:
        for line in _lines(blob, options):
            lineno = line.number
            where = f"{blob.name}#L{lineno}"
            item: Item
            if line.fault:
                item = fault_problem(where, line, options)
            elif line.text.strip():
                item = _json_line(line.text, where, options)
            else:
                continue
            yield item
            if bad.note(item):
                yield bad.problem(lineno)
                return
    except DecodeError as err:
        yield Problem(blob.name, err.kind, err.message)
    except _STREAM_ERRORS as err:
        yield Problem(
            blob.name,
            "truncated",
            f"file is truncated or corrupt after line {lineno} ({err})",
            f"kept the {lineno} lines read before the damage",
        )


def _json_line(text: str, where: str, options: IngestOptions) -> Item:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as err:
        return Problem(where, "malformed", f"malformed JSON line ({err.msg})", SKIPPED_LINE)
    except RecursionError:
        return Problem(where, "malformed", "JSON line nested too deeply to read", SKIPPED_LINE)
    return guarded_document(record, where, "jsonl", options)


class _CsvLines:
    """Decoded lines for the csv module; lines that could not be given whole are remembered
    (the csv reader sees them as blank, so the rows around them stay in step)."""

    def __init__(self, lines: Iterator[Line]) -> None:
        self.lines = lines
        self.faulty: list[Line] = []
        self.ended = False  # the csv reader asked for a line past the last one

    def __iter__(self) -> Iterator[str]:
        for line in self.lines:
            if line.fault:
                self.faulty.append(line)
                yield "\n"
            else:
                yield line.text
        self.ended = True


def read_csv(blob: Blob, options: IngestOptions) -> Iterator[Item]:
    # The csv module counts field sizes itself; an unclosed quote would otherwise swallow
    # the rest of the file into one field.
    csv.field_size_limit(options.max_record_chars)
    rows = items = 0
    try:
        source = _CsvLines(_lines(blob, options))
        lines = iter(source)
        header = next(lines, "")
        if source.faulty:  # the header line itself could not be read whole
            line = source.faulty.pop()
            yield _header_problem(f"{blob.name}#L{line.number}", line, options)
            if line.fault == "too-long":
                return
            header = line.text
        delimiter = "\t" if header.count("\t") > header.count(",") else ","
        reader = csv.DictReader(_chain_first(header, lines), delimiter=delimiter, restkey="_extra")
        for item in _csv_rows(blob.name, reader, source, options):
            rows += isinstance(item, RawDocument)
            items += 1
            yield item
        if not items:
            yield Problem(blob.name, "empty", "CSV file with a header line and no rows")
    except DecodeError as err:
        yield Problem(blob.name, err.kind, err.message)
    except _STREAM_ERRORS as err:
        yield Problem(
            blob.name,
            "truncated",
            f"file is truncated or corrupt ({err})",
            f"kept the {rows} rows read before the damage",
        )


def _header_problem(where: str, line: Line, options: IngestOptions) -> Problem:
    if line.fault == "too-long":
        limit = options.max_record_chars
        return Problem(where, "too-long", f"CSV header line over {limit:,} characters")
    return Problem(
        where,
        "encoding",
        "CSV header line with bytes no encoding fits",
        "those bytes replaced by U+FFFD, rows read",
    )


def _csv_rows(
    name: str, reader: csv.DictReader[str], source: _CsvLines, options: IngestOptions
) -> Iterator[Item]:
    rowno = 0
    bad = BadRun(name)
    done = False
    while not done:
        start = reader.reader.line_num + 1
        items: list[Item] = []
        try:
            row = next(reader)
            rowno += 1
            items.append(guarded_document(row, f"{name}#row{rowno}", "csv", options))
            if source.ended:  # only an open quote runs a row past the last line
                why = "malformed CSV (a quote is never closed: the lines after it are in one field)"
                items.append(Problem(f"{name}#L{start}", "malformed", why, "row kept as read"))
        except StopIteration:
            done = True
        except csv.Error as err:
            why = f"malformed CSV ({err})"
            items.append(Problem(f"{name}#L{start}", "malformed", why, "row skipped"))
            done = reader.reader.line_num < start  # no progress: stop rather than spin
        items[:0] = [fault_problem(f"{name}#L{x.number}", x, options) for x in source.faulty]
        source.faulty.clear()
        for item in items:
            yield item
            if bad.note(item):
                yield bad.problem(reader.reader.line_num)
                return


def _chain_first(first: str, rest: Iterable[str]) -> Iterator[str]:
    yield first
    yield from rest


def read_json(blob: Blob, options: IngestOptions) -> Iterator[Item]:
    try:
        decoded = decode_text(blob.read_all(), blob.declared_encoding)
    except DecodeError as err:
        yield Problem(blob.name, err.kind, err.message)
        return
    except _STREAM_ERRORS as err:
        yield Problem(blob.name, "truncated", f"compressed file is truncated or corrupt ({err})")
        return
    try:
        doc = json.loads(decoded.text)
    except json.JSONDecodeError as err:
        yield Problem(
            blob.name,
            "malformed",
            f"malformed JSON at line {err.lineno} column {err.colno} ({err.msg})",
        )
        return
    except RecursionError:
        yield Problem(blob.name, "malformed", "JSON nested too deeply to read")
        return
    records = _records_of(doc)
    if records is None:
        yield Problem(blob.name, "malformed", "JSON holds no list of article records")
        return
    if not records:
        yield Problem(blob.name, "empty", "JSON holds no records (an empty list or object)")
        return
    for i, record in enumerate(records):
        yield guarded_document(record, f"{blob.name}#{i}", "json", options)
    yield from repair_problems(blob.name, decoded)


def _records_of(doc: Any) -> list[Any] | None:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        for key in _LIST_KEYS:
            if isinstance(doc.get(key), list):
                return list(doc[key])
        return [doc] if doc else []
    return None
