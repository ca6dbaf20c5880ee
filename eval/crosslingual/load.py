"""Load the cross-lingual catalogue-matching set and the EUvsDisinfo catalogue it points into.

The articles (``articles.jsonl``) were written for the project; the catalogue is read in place
from the shared data folder and never copied into the repository. See README.md for the
construction and the scoring.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles.jsonl"
EQUIVALENTS = HERE / "equivalents.json"
ROOT = HERE.parents[1]
SHARED_DATA = Path(os.environ.get("MARSAD_SHARED_DATA", ROOT.parent / "shared" / "data"))
CATALOG = SHARED_DATA / "catalogs" / "euvsdisinfo" / "posts.csv"
LIST_SEPARATOR = "+"  # posts.csv joins countries, keywords, languages and outlets with "+"


def load_articles(path: Path = ARTICLES) -> list[dict[str, Any]]:
    """The labelled Arabic articles, one dict per line of ``articles.jsonl``."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def load_equivalents(path: Path = EQUIVALENTS) -> dict[str, list[str]]:
    """For some gold entries, other catalogue entries judged to state the same claim."""
    with path.open(encoding="utf-8") as handle:
        loaded: dict[str, list[str]] = json.load(handle)
    return loaded


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


def load_catalog(path: Path = CATALOG) -> list[dict[str, Any]]:
    """Every EUvsDisinfo case in posts.csv, in file order.

    Each record: ``id`` (the case URL, the identifier used in ``narratives``), ``title`` (the
    English claim summary, the text to match against), ``keywords``, ``countries``,
    ``languages`` and ``outlets`` (lists), ``date`` (YYYY-MM-DD) and ``url`` (same as ``id``).
    """
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {
                "id": row["id"],
                "title": row["title"],
                "keywords": _split(row["keywords"]),
                "countries": _split(row["countries"]),
                "languages": _split(row["languages"]),
                "outlets": _split(row["outlets"]),
                "date": row["date"],
                "url": row["id"],
            }
            for row in csv.DictReader(handle)
        ]
