"""CSV that a spreadsheet opens as data: every CSV file Marsad writes goes through
:func:`write_csv` (``marsad export``, the web exports, the static report's exports).

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as
a formula by Excel, LibreOffice and Google Sheets (CSV injection: ``=HYPERLINK(...)`` in a
scraped title). Such cells are written with a leading ``'`` (OWASP's rule), which spreadsheets
show as text. Numbers are written as they are, so ``-3.5`` from a numeric field stays a
number; text that merely looks like one (``"-3.5"``) is neutralised like any other text.
Lists and objects are written as JSON, ``None`` as an empty cell.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LINE_END = "\n"


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell no spreadsheet runs: numbers and booleans as they are, lists
    and dicts as JSON, ``None`` empty, text starting like a formula behind a ``'``."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_csv(out: TextIO, fields: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
    """Write a header and ``rows`` (missing fields empty) to ``out``; returns the row count."""
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator=LINE_END)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
        count += 1
    return count
