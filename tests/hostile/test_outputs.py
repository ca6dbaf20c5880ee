"""Safe outputs of the hostile store (issue 13): the static report and the served pages show
markup from the data as text and link only http(s) URLs; every CSV (``marsad export``, the
web's ``format=csv``, the report's files) reaches a spreadsheet as data; `marsad status`
prints each problem on one line."""

from __future__ import annotations

import csv
import html
import re
import sqlite3
import urllib.parse
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.export import EXPORTERS, RECORD_FORMATS
from marsad.web.app import WebOptions
from tests.hostile.cases import FORMULAS, HOSTILE_URLS, XSS_OUTLET
from tests.hostile.conftest import HostileRun, query, scalar
from tests.web.conftest import Server, formula_cells, start_server, unsafe_links
from tests.web.test_security import raw_get

CSV_EXPORTS = [name for name, e in EXPORTERS.items() if set(RECORD_FORMATS) <= set(e.formats)]
PAYLOAD = "alert("  # every script in the data calls alert(); none in Marsad's own pages
ESCAPED = ("&lt;script&gt;alert(", "&lt;img src=x onerror=alert(", "&lt;iframe src=")
STATUS_LINE_RE = re.compile(r"^(?: *[\w ]+: \d+|run \d+: .*|problem(?: \[[\w. ]+\])?: .*)$")


class ActiveMarkup(HTMLParser):
    """What in a page a browser would run or load from the data: an element that embeds
    another document, an event-handler attribute, an inline script calling the payload."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("iframe", "frame", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
        self._script = tag == "script" and not dict(attrs).get("src")

    def handle_endtag(self, tag: str) -> None:
        self._script = False

    def handle_data(self, data: str) -> None:
        if self._script and PAYLOAD in data:
            self.found.append(f"<script>{data[:60]}")


def active_markup(page: str) -> list[str]:
    parser = ActiveMarkup()
    parser.feed(page)
    parser.close()
    return parser.found


def assert_safe_page(where: str, page: str) -> None:
    assert active_markup(page) == [], (where, active_markup(page)[:3])
    assert unsafe_links(page) == [], (where, unsafe_links(page)[:3])


# -- the static report ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def report(hostile: HostileRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile-report") / "site"
    result = CliRunner().invoke(main, ["report", "--db", str(hostile.db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_report_pages_show_data_markup_as_text(hostile: HostileRun, report: Path) -> None:
    pages = {str(p.relative_to(report)): p.read_text("utf-8") for p in report.rglob("*.html")}
    articles = int(scalar(hostile.db, "SELECT COUNT(*) FROM articles"))
    assert len([p for p in pages if p.startswith("article")]) >= articles
    for where, page in pages.items():
        assert_safe_page(where, page)
    everything = "".join(pages.values())
    for shown in ESCAPED:  # the payloads are on the pages, as text
        assert shown in everything, shown


def test_report_csv_files_hold_no_formula(report: Path) -> None:
    files = list((report / "exports").glob("*.csv"))
    assert {"articles.csv", "outlets.csv", "isnad.csv"} <= {f.name for f in files}
    for path in files:
        assert formula_cells(path.read_text("utf-8")) == [], path.name
    assert {"'" + formula for formula in FORMULAS} <= cells(report / "exports" / "outlets.csv")


def cells(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {cell for row in csv.reader(fh) for cell in row}


# -- the served pages -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(hostile: HostileRun) -> Iterator[Server]:
    running = start_server(WebOptions(hostile.db))
    yield running
    running.server.should_exit = True
    running.thread.join(10)


def first(db: Path, sql: str) -> str:
    return urllib.parse.quote(str(scalar(db, sql)), safe="")


def hostile_pages(db: Path) -> list[str]:
    """Every list page, and each page that shows a hostile title, text, outlet or URL."""
    marked = query(
        db,
        "SELECT d.id FROM documents d JOIN articles a ON a.id = d.id WHERE instr(a.title, '<') "
        "OR instr(a.text, '<') OR instr(d.outlet, '<') OR d.url NOT LIKE 'http%' "
        "OR substr(d.outlet, 1, 1) IN ('=', '+', '-', '@')",
    )
    outlets = [XSS_OUTLET, *FORMULAS]
    return [
        "/",
        "/search?q=" + urllib.parse.quote("عنوان"),
        "/search?q=" + urllib.parse.quote("<script>alert(1)</script>"),
        "/search?kind=claims&q=" + urllib.parse.quote("مراسلنا"),
        "/outlets",
        "/isnad",
        "/isnad/" + first(db, "SELECT id FROM reuse_families ORDER BY size DESC"),
        "/narratives",
        "/narrative/" + first(db, "SELECT id FROM narratives"),
        "/claim-families",
        "/claim-family/" + first(db, "SELECT id FROM claim_families"),
        *(f"/article/{key}" for (key,) in marked),
        *("/outlet/" + urllib.parse.quote(o, safe="") for o in outlets),
    ]


def test_served_pages_show_data_markup_as_text(hostile: HostileRun, server: Server) -> None:
    paths = hostile_pages(hostile.db)
    assert len(paths) > 11 + len(HOSTILE_URLS) + len(FORMULAS)
    everything = []
    for path in paths:
        status, body, headers = raw_get(server.url, path)
        assert status == 200, (path, status)
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert_safe_page(path, body)
        everything.append(body)
    for shown in ESCAPED:
        assert shown in "".join(everything), shown
    for url in HOSTILE_URLS:  # shown, never linked
        assert any(url in html.unescape(body) for body in everything), url


def test_web_csv_exports_hold_no_formula(hostile: HostileRun, server: Server) -> None:
    db = hostile.db
    paths = [
        "/api/search?format=csv",
        "/api/search?kind=claims&format=csv",
        "/api/isnad?format=csv",
        "/api/narratives?format=csv",
        "/api/claim-families?format=csv",
        "/api/outlets?format=csv",
        "/api/isnad/" + first(db, "SELECT id FROM reuse_families") + "?format=csv",
        "/api/narratives/" + first(db, "SELECT id FROM narratives") + "?format=csv",
        "/api/claim-families/" + first(db, "SELECT id FROM claim_families") + "?format=csv",
    ]
    for path in paths:
        status, body, _ = raw_get(server.url, path)
        assert status == 200 and body.count("\n") > 1, path
        assert formula_cells(body) == [], (path, formula_cells(body)[:3])


# -- marsad export and marsad status --------------------------------------------------------


@pytest.mark.parametrize("what", CSV_EXPORTS)
def test_marsad_export_csv_holds_no_formula(hostile: HostileRun, what: str, tmp_path: Path) -> None:
    out = tmp_path / f"{what}.csv"
    result = CliRunner().invoke(
        main,
        ["export", "--db", str(hostile.db), "--what", what, "--format", "csv", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text("utf-8")
    assert formula_cells(text) == [], formula_cells(text)[:3]
    if what == "articles":
        assert {"'" + formula for formula in FORMULAS} <= cells(out)


def test_status_prints_each_problem_on_one_line(hostile: HostileRun) -> None:
    result = CliRunner().invoke(main, ["status", "--db", str(hostile.db), "--problems", "1000"])
    assert result.exit_code == 0, result.output
    lines = result.output.rstrip("\n").split("\n")
    assert [line for line in lines if not STATUS_LINE_RE.match(line)] == []
    with sqlite3.connect(hostile.db) as conn:
        stored = conn.execute("SELECT COUNT(*) FROM problems").fetchone()[0]
    assert len([line for line in lines if line.startswith("problem")]) == stored
    assert all(line.isprintable() for line in lines)
