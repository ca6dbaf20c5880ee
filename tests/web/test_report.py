"""``marsad report``: a static site whose every link resolves on disk, escaped like the server,
with the server's Content-Security-Policy in every page and safe CSV exports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.web.security import META_CSP
from tests.web.conftest import FORMULA_OUTLETS, HOSTILE_URLS, formula_cells, unsafe_links
from tests.web.test_browser import CHROMIUM

HREF_RE = re.compile(r'(?:href|src)="([^"]*)"')
INLINE_SCRIPT_PROBE = """() => new Promise((resolve) => {
  document.addEventListener("securitypolicyviolation", (e) => resolve(e.violatedDirective));
  const s = document.createElement("script");
  s.textContent = "window.__inline = 1";
  document.body.appendChild(s);
  setTimeout(() => resolve("none"), 2000);
})"""
CSP_META_RE = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


@pytest.fixture(scope="module")
def report(web_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "site"
    result = CliRunner().invoke(main, ["report", "--db", str(web_db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_every_link_resolves_on_disk(report: Path) -> None:
    pages = list(report.rglob("*.html"))
    assert len(pages) > 50
    kinds = {p.relative_to(report).parts[0] for p in pages}
    assert {"article", "isnad", "narrative", "claim-family", "outlet", "index.html"} <= kinds
    for page in pages:
        html = page.read_text("utf-8")
        assert "fetch(" not in html and '="/' not in html, page
        for href in HREF_RE.findall(html):
            if href.startswith(("http://", "https://", "#")):
                continue
            target = (page.parent / href.split("#")[0]).resolve()
            assert target.is_file(), (page, href)


def test_report_escapes_hostile_text(report: Path) -> None:
    for page in report.rglob("*.html"):
        html = page.read_text("utf-8")
        assert "<script>window" not in html and "<img src=x" not in html, page


def test_every_page_carries_the_servers_csp(report: Path) -> None:
    assert "frame-ancestors" not in META_CSP and "script-src 'self'" in META_CSP
    for page in report.rglob("*.html"):
        html = page.read_text("utf-8")
        head = html[: html.index("</head>")]
        assert CSP_META_RE.findall(head) == [META_CSP.replace("'", "&#39;")], page
        # before anything the page loads
        assert head.index("Content-Security-Policy") < min(
            head.index("<link"), head.index("<script")
        )


def test_report_renders_hostile_urls_as_text(report: Path) -> None:
    shown = ""
    for page in report.rglob("*.html"):
        html = page.read_text("utf-8")
        assert unsafe_links(html) == [], (page, unsafe_links(html))
        shown += html
    assert '<a href="https://news.example/ok" rel="noopener noreferrer">' in shown
    assert '<a href="https://factcheck.example/h-4" rel="noopener noreferrer">' in shown
    for url in HOSTILE_URLS[:2]:
        assert url in shown  # as text


def test_report_csv_exports_hold_no_formula(report: Path) -> None:
    files = list((report / "exports").glob("*.csv"))
    assert len(files) > 10
    text = ""
    for file in files:
        body = file.read_text("utf-8")
        assert formula_cells(body) == [], (file, formula_cells(body)[:3])
        text += body
    for outlet in FORMULA_OUTLETS[:4]:
        assert "'" + outlet.replace('"', '""') in text, outlet


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}")
def test_report_opens_from_disk_in_a_browser(report: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto((report / "index.html").as_uri())
        assert page.evaluate("document.documentElement.dir") == "rtl"
        page.click("header nav a[href='isnad.html']")
        page.click("table.list a[href^='isnad/']")
        assert page.locator("svg.chart").count() == 1
        page.locator("svg.chart a").first.click()
        page.wait_for_selector(".reader .text")
        assert page.url.startswith("file://") and "/article/" in page.url
        assert errors == []
        # the policy of the <meta> tag is in force on file://: an injected inline script is
        # refused
        violated = page.evaluate(INLINE_SCRIPT_PROBE)
        assert violated.startswith("script-src") and page.evaluate("window.__inline") is None
        browser.close()
