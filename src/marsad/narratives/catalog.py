"""Catalogues of known narratives and debunked claims (CSV, JSON Lines, JSON or YAML).

An entry has ``id`` and ``title`` and optionally ``description``, ``language``, ``url``,
``keywords`` (a list, or one string split on ``+ , ; |``), ``date``. Other column names are
mapped with ``fields`` (``{"title": "claim", "id": "link"}``); unknown columns are kept in
``extra``. Every bad row is reported as a :class:`~marsad.records.Problem` and skipped; the
good rows are kept. Files may be UTF-8 (with or without BOM), UTF-16 or Windows-1256.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from marsad.ingest.decode import DecodeError, decode
from marsad.records import Catalog, CatalogEntry, Problem

FIELDS = ("id", "title", "description", "language", "url", "keywords", "date")
_LIST_SPLIT_RE = re.compile(r"\s*[+,;|،]\s*")
MAX_TITLE_CHARS = 2000


class CatalogError(ValueError):
    """A catalogue file that cannot be read at all (the message names it and says why)."""


def read_catalog(
    path: str | Path, fields: Mapping[str, str] | None = None, name: str | None = None
) -> Catalog:
    """Read a catalogue file; ``fields`` maps our field names to the file's column names."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read the catalogue ({exc.strerror or exc})") from exc
    if path.suffix == ".gz":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise CatalogError(f"{path}: broken gzip ({exc})") from exc
    try:
        text, _ = decode(raw)
    except DecodeError as exc:
        raise CatalogError(f"{path}: {exc}") from exc
    mapping = {key: (fields or {}).get(key, key) for key in FIELDS}
    catalog = Catalog(name or path.stem, str(path), [])
    seen: set[str] = set()
    for locator, record in _records(path, text, catalog):
        for entry in _entries(record, mapping):
            if isinstance(entry, str):
                catalog.problems.append(Problem(f"{path}#{locator}", "malformed", entry))
                continue
            if entry.id in seen:
                catalog.problems.append(
                    Problem(f"{path}#{locator}", "duplicate", f"id {entry.id!r} seen before")
                )
                continue
            seen.add(entry.id)
            catalog.entries.append(entry)
    if not catalog.entries:
        raise CatalogError(
            f"{path}: no usable entries (need columns {mapping['id']!r} and {mapping['title']!r}"
            " or a mapping, e.g. --catalog-field title=headline)"
        )
    return catalog


def _records(path: Path, text: str, catalog: Catalog) -> Iterator[tuple[str, dict[str, Any]]]:
    suffix = (path.with_suffix("") if path.suffix == ".gz" else path).suffix.lower()
    stripped = text.lstrip()
    if suffix in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise CatalogError(f"{path}: not valid YAML ({exc})") from exc
        yield from _listed(path, data)
    elif suffix == ".jsonl" or (suffix != ".json" and stripped.startswith("{")):
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                catalog.problems.append(
                    Problem(f"{path}#L{n}", "malformed", f"malformed JSON line ({exc.msg})")
                )
                continue
            if isinstance(record, dict):
                yield f"L{n}", record
            else:
                catalog.problems.append(Problem(f"{path}#L{n}", "malformed", "not an object"))
    elif suffix == ".json" or stripped.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogError(f"{path}: not valid JSON ({exc.msg})") from exc
        yield from _listed(path, data)
    else:
        reader = csv.DictReader(io.StringIO(text))
        for n, row in enumerate(reader, start=2):
            if None in row:
                catalog.problems.append(
                    Problem(f"{path}#row{n}", "malformed", "more cells than the header")
                )
                continue
            yield f"row{n}", dict(row)


def _listed(path: Path, data: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(data, dict):  # {"entries": [...]} or {id: {...}}
        items = data.get("entries")
        if isinstance(items, list):
            data = items
        else:
            data = [{"id": key, **value} for key, value in data.items() if isinstance(value, dict)]
    if not isinstance(data, list):
        raise CatalogError(f"{path}: a catalogue is a list of entries")
    for n, record in enumerate(data):
        if isinstance(record, dict):
            yield str(n), record


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    out = " ".join(str(value).split())
    return out or None


def _entries(record: dict[str, Any], mapping: dict[str, str]) -> Iterator[CatalogEntry | str]:
    """One entry per record; a record whose title is a list (a fact-check page listing
    several debunked claims) gives one entry per item, with ids ``<id>#<n>``."""
    titles = record.get(mapping["title"])
    if not isinstance(titles, list):
        yield _entry(record, mapping)
        return
    if not titles:
        yield f"empty {mapping['title']!r}"
    for n, title in enumerate(titles):
        entry = _entry({**record, mapping["title"]: title}, mapping)
        if isinstance(entry, CatalogEntry) and not entry.id.startswith("sha:"):
            entry = replace(entry, id=f"{entry.id}#{n}")
        yield entry


def _entry(record: dict[str, Any], mapping: dict[str, str]) -> CatalogEntry | str:
    values = {key: record.get(column) for key, column in mapping.items()}
    title = _text(values["title"])
    if not title:
        return f"no {mapping['title']!r}"
    entry_id = _text(values["id"]) or _text(values["url"])
    if not entry_id:
        entry_id = "sha:" + hashlib.sha256(title.encode()).hexdigest()[:16]
    keywords = values["keywords"]
    if isinstance(keywords, str):
        keywords = [k for k in _LIST_SPLIT_RE.split(keywords) if k]
    elif not isinstance(keywords, list):
        keywords = []
    used = set(mapping.values())
    url = _text(values["url"]) or (
        entry_id if entry_id.startswith(("http://", "https://")) else None
    )
    return CatalogEntry(
        id=entry_id,
        title=title[:MAX_TITLE_CHARS],
        description=_text(values["description"]),
        language=_text(values["language"]),
        url=url,
        keywords=tuple(str(k).strip() for k in keywords if str(k).strip()),
        date=_text(values["date"]),
        extra={k: v for k, v in record.items() if k not in used},
    )
