"""Every CSV Marsad writes reaches a spreadsheet as data: the web exports (``format=csv``)
and ``marsad export --format csv`` over a store whose outlets and titles start like formulas
(the static report's exports are checked in ``test_report.py``)."""

from __future__ import annotations

import csv
import io
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.export import EXPORTERS, RECORD_FORMATS
from tests.web.conftest import FORMULA_OUTLETS, FORMULA_TITLE, Server, formula_cells
from tests.web.test_app import first, get

LISTS = (
    "/api/search?format=csv",
    "/api/search?kind=claims&format=csv",
    "/api/isnad?format=csv",
    "/api/narratives?format=csv",
    "/api/claim-families?format=csv",
    "/api/outlets?format=csv",
)


def test_web_csv_exports_hold_no_formula(server: Server, web_db: Path) -> None:
    paths = [
        *LISTS,
        "/api/isnad/" + first(web_db, "SELECT id FROM reuse_families") + "?format=csv",
        "/api/narratives/" + first(web_db, "SELECT id FROM narratives") + "?format=csv",
        "/api/claim-families/" + first(web_db, "SELECT id FROM claim_families") + "?format=csv",
    ]
    for path in paths:
        status, body, _ = get(server.url + path)
        assert status == 200 and body.count("\n") > 1, path
        assert formula_cells(body) == [], (path, formula_cells(body)[:3])
    outlets = {r["outlet"] for r in csv.DictReader(io.StringIO(get(server.url + LISTS[-1])[1]))}
    assert {"'" + o for o in FORMULA_OUTLETS[:5]} <= outlets
    hits = get(server.url + "/api/search?format=csv&q=" + urllib.parse.quote("مجرى النهر"))[1]
    rows = list(csv.DictReader(io.StringIO(hits)))
    assert rows and rows[0]["title"] == "'" + FORMULA_TITLE
    assert rows[0]["outlet"] == "'" + FORMULA_OUTLETS[0]


@pytest.mark.parametrize(
    "what", [name for name, e in EXPORTERS.items() if set(RECORD_FORMATS) <= set(e.formats)]
)
def test_marsad_export_csv_holds_no_formula(web_db: Path, what: str) -> None:
    result = CliRunner().invoke(
        main, ["export", "--db", str(web_db), "--what", what, "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert formula_cells(result.stdout) == [], formula_cells(result.stdout)[:3]
    if what == "articles":
        rows = {r["url"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
        hostile = rows["javascript:alert(document.domain)"]
        assert hostile["outlet"] == "'" + FORMULA_OUTLETS[0]
        assert hostile["title"] == "'" + FORMULA_TITLE
    if what == "catalog-matches":
        titles = [r["entry_title"] for r in csv.DictReader(io.StringIO(result.stdout))]
        assert any(t.startswith("'=HYPERLINK(") for t in titles)
