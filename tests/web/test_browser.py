"""End-to-end tests in a real headless browser (Debian's Chromium driven by Playwright).

Every page of the demo corpus loads without console errors, right to left; search finds a
diacritised word from a bare query; a reused passage links to its counterpart; hostile text
stays text. Screenshots of each page go to ``out/screenshots/`` (test artefacts).
Skipped, with the reason, when Playwright or Chromium is not installed (`make dev` installs
both where apt is available)."""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.web.conftest import XSS_OUTLET, Server
from tests.web.test_app import first, page_urls

CHROMIUM = Path(os.environ.get("MARSAD_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "out" / "screenshots"
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (make dev installs it with apt)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    opened = context.new_page()
    opened.errors = []  # console errors and uncaught exceptions
    opened.on("console", lambda msg: msg.type == "error" and opened.errors.append(msg.text))
    opened.on("pageerror", lambda exc: opened.errors.append(str(exc)))
    yield opened
    context.close()


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def test_every_page_loads_rtl_without_console_errors(
    page: Any, server: Server, web_db: Path
) -> None:
    names = [
        "overview",
        "search",
        "search-claims",
        "article",
        "isnad-list",
        "isnad",
        "narratives",
        "narrative",
        "claim-families",
        "claim-family",
        "outlets",
        "outlet",
    ]
    for name, path in zip(names, page_urls(web_db), strict=True):
        response = page.goto(server.url + path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
        shot(page, name)
    page.goto(server.url + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    shot(page, "api-docs")
    assert page.errors == []


def test_search_finds_diacritised_text_from_a_bare_query(page: Any, server: Server) -> None:
    page.goto(server.url + "/search")
    page.fill("input[name=q]", "وزارة الزراعة")
    page.click("form.search button[type=submit]")
    page.wait_for_selector("ol.hits li")
    assert "الزِّرَاعَةِ" in page.locator("ol.hits mark").all_inner_texts()
    shot(page, "search-results")
    page.click("ol.hits li a.title")
    page.wait_for_selector(".reader .text")
    assert "وِزَارَةُ الزِّرَاعَةِ" in page.inner_text(".reader .text")
    assert page.errors == []


def test_reused_passage_links_to_its_counterpart(page: Any, server: Server, web_db: Path) -> None:
    article = first(web_db, "SELECT article_a FROM reuse_passages ORDER BY id")
    page.goto(server.url + f"/article/{article}")
    link = page.locator("a.reuse").first
    target = link.get_attribute("href")
    passage = link.get_attribute("data-passage")
    link.click()
    page.wait_for_load_state("load")
    other, anchor = target.split("#")
    assert page.url.endswith(target) and other != f"/article/{article}"
    assert anchor == f"p-{passage}" and page.locator(f"#{anchor}").count() == 1
    # the counterpart's highlight there is the same passage
    back = page.locator(f"#{anchor} + a.reuse")
    assert passage in back.get_attribute("data-passages").split()
    shot(page, "article-counterpart")
    # a claim shows its attribution when clicked
    claim = page.locator("span.claim").first
    claim.click()
    assert "المصدر" in page.inner_text("#claim-box")
    assert page.errors == []


def test_hostile_article_is_text_everywhere(page: Any, server: Server, web_db: Path) -> None:
    xss = first(web_db, "SELECT id FROM articles WHERE title LIKE '<script>%'")
    outlet = urllib.parse.quote(XSS_OUTLET, safe="")
    for path in (
        f"/article/{xss}",
        "/search?q=" + urllib.parse.quote("اللجنة"),
        "/outlets",
        f"/outlet/{outlet}",
        "/search?kind=claims&q=" + urllib.parse.quote("النص"),
    ):
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__xss") is None, path
        assert page.locator("main script, main img").count() == 0, path
    page.goto(server.url + f"/article/{xss}")
    assert "<script>window.__xss=1</script>" in page.inner_text("h1")
    assert 'onerror="window.__xss=1"' in page.inner_text(".reader .text")
    shot(page, "xss-article")


def test_english_interface(page: Any, server: Server) -> None:
    page.goto(server.url + "/")
    page.click("header a.lang")
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.dir") == "ltr"
    assert re.search(r"Overview", page.inner_text("h1"))
    shot(page, "overview-en")


def test_token_server_refuses_the_browser_without_token(page: Any, token_server: Server) -> None:
    assert page.goto(token_server.url + "/").status == 401
    from tests.web.conftest import TOKEN

    assert page.goto(token_server.url + f"/?token={TOKEN}").status == 200
    page.wait_for_url(token_server.url + "/")  # the page refreshes itself without the token
    assert page.goto(token_server.url + "/outlets").status == 200  # cookie set by the server


def test_query_token_leaves_the_address_bar(page: Any, token_server: Server) -> None:
    """A link with ?token= from another site: the page opens, without the token in its URL
    (the SameSite=Strict cookie follows because the last step is a navigation of this site)."""
    from tests.web.conftest import TOKEN

    page.set_content(f'<a id="go" href="{token_server.url}/outlets?page=1&token={TOKEN}">go</a>')
    page.click("#go")
    page.wait_for_url(f"{token_server.url}/outlets?page=1")
    page.wait_for_load_state("load")
    assert page.locator("table.list").count() == 1
    assert TOKEN not in page.content() and TOKEN not in page.url
    assert page.errors == []
