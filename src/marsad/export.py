"""``marsad export``: stored results as JSONL or CSV, one registered exporter per ``--what``.

Later stages register more exporters in :data:`EXPORTERS`; each names its JSON Schema in
``marsad/schema`` (documented in ``docs/schema.md``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, TextIO

from marsad.store import Store

SCHEMA_VERSION = "1.0"
Row = dict[str, Any]


@dataclass(frozen=True)
class Exporter:
    name: str
    help: str
    fields: tuple[str, ...]
    rows: Callable[[Store], Iterator[Row]]
    schema_file: str
    formats: tuple[str, ...] = ("jsonl", "csv")


ARTICLE_FIELDS = (
    "id",
    "source",
    "format",
    "outlet",
    "url",
    "title",
    "published",
    "dateline_place",
    "dateline_agency",
    "dateline",
    "language",
    "text",
    "removed",
    "sentences",
    "author",
    "links",
    "component",
)


def article_rows(store: Store) -> Iterator[Row]:
    for row in store.iter_articles():
        yield {
            "id": row["id"],
            "source": row["source"],
            "format": row["format"],
            "outlet": row["outlet"],
            "url": row["url"],
            "title": row["title"],
            "published": row["published"],
            "dateline_place": row["dateline_place"],
            "dateline_agency": row["dateline_agency"],
            "dateline": row["dateline_raw"],
            "language": row["language"],
            "text": row["text"],
            "removed": json.loads(row["removed"]),
            "sentences": row["sentences"],
            "author": row["author"],
            "links": json.loads(row["links"]),
            "component": row["component"],
        }


EXPORTERS: dict[str, Exporter] = {
    "articles": Exporter(
        "articles",
        "cleaned articles with metadata, removed boilerplate and sentence offsets",
        ARTICLE_FIELDS,
        article_rows,
        "articles.schema.json",
    ),
}


@cache
def schema(what: str) -> dict[str, Any]:
    """The JSON Schema of one export."""
    text = resources.files("marsad.schema").joinpath(EXPORTERS[what].schema_file).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def write_export(store: Store, what: str, fmt: str, out: TextIO) -> int:
    """Write export ``what`` in format ``fmt`` to ``out``; returns the number of records."""
    exporter = EXPORTERS[what]
    if fmt not in exporter.formats:
        raise ValueError(f"--what {what} supports {', '.join(exporter.formats)}, not {fmt}")
    count = 0
    if fmt == "jsonl":
        for row in exporter.rows(store):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=list(exporter.fields), lineterminator="\n")
        writer.writeheader()
        for row in exporter.rows(store):
            writer.writerow({k: _cell(v) for k, v in row.items()})
            count += 1
    return count


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value
