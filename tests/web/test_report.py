"""``marsad report``: a static site whose every link resolves on disk, escaped like the server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.cli import main
from tests.web.test_browser import CHROMIUM

HREF_RE = re.compile(r'(?:href|src)="([^"]*)"')


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
        browser.close()
    assert errors == []
