"""The web application over HTTP on loopback: pages, API, exports, escaping, token, bounds."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from marsad.cli import is_loopback, main
from tests.web.conftest import TOKEN, XSS_OUTLET, Server


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, Any]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8"), response.headers
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8"), err.headers


def first(db: Path, sql: str) -> str:
    with sqlite3.connect(db) as conn:
        return str(conn.execute(sql).fetchone()[0])


def page_urls(db: Path) -> list[str]:
    outlet = urllib.parse.quote(
        first(db, "SELECT outlet FROM documents WHERE outlet = 'صدى الشرق'")
    )
    return [
        "/",
        "/search?q=" + urllib.parse.quote("الحسكة"),
        "/search?kind=claims&q=" + urllib.parse.quote("مصادر"),
        "/article/" + first(db, "SELECT article_a FROM reuse_passages"),
        "/isnad",
        "/isnad/" + first(db, "SELECT id FROM reuse_families ORDER BY size DESC"),
        "/narratives",
        "/narrative/" + first(db, "SELECT id FROM narratives"),
        "/claim-families",
        "/claim-family/" + first(db, "SELECT id FROM claim_families"),
        "/outlets",
        "/outlet/" + outlet,
    ]


def test_every_page_renders_in_arabic_rtl(server: Server, web_db: Path) -> None:
    for path in page_urls(web_db):
        status, body, headers = get(server.url + path)
        assert status == 200, path
        assert '<html lang="ar" dir="rtl">' in body, path
        assert "default-src 'self'" in headers["Content-Security-Policy"]


def test_pages_need_no_outside_asset(server: Server, web_db: Path) -> None:
    """Nothing the page loads comes from elsewhere (links the reader may follow, such as an
    article's or a catalogue entry's URL, are fine)."""
    import re

    asset = re.compile(
        r"<(?:script|img|link|iframe|source|video|audio)\b[^>]*\b(?:src|href)=[\"']?(?:https?:)?//"
    )
    for path in [*page_urls(web_db), "/docs"]:
        body = get(server.url + path)[1]
        assert not asset.search(body), (path, asset.search(body))
        assert "//cdn" not in body, path


def test_hostile_text_is_escaped_everywhere(server: Server, web_db: Path) -> None:
    xss = first(web_db, "SELECT id FROM articles WHERE title LIKE '<script>%'")
    outlet = urllib.parse.quote(XSS_OUTLET, safe="")
    for path in [
        f"/article/{xss}",
        "/search?q=" + urllib.parse.quote("اللجنة"),
        "/search?kind=claims&q=" + urllib.parse.quote("المتحدث الاختبار"),
        "/outlets",
        f"/outlet/{outlet}",
        "/search?q=" + urllib.parse.quote('<script>"'),
    ]:
        status, body, _ = get(server.url + path)
        assert status == 200, path
        assert "<script>window" not in body and "<img src=x" not in body, path
    body = get(server.url + f"/article/{xss}")[1]
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in body


def test_arabic_aware_search(server: Server) -> None:
    # the article is fully diacritised; the queries are bare, or with another hamza form
    for query in ("وزارة الزراعة", "اعلنت", '"شجرة زيتون"', "زيتو*"):
        status, body, _ = get(server.url + "/api/search?q=" + urllib.parse.quote(query))
        data = json.loads(body)
        assert status == 200 and data["pager"]["total"] >= 1, query
        assert any(
            "الزِّرَاعَةِ" in r["title"] + str(r["snippet"]) or r["outlet"] == "بوابة الريف"
            for r in data["rows"]
        ), query
    data = json.loads(
        get(server.url + "/api/search?kind=claims&q=" + urllib.parse.quote("الف شجره"))[1]
    )
    assert data["rows"] and "أَلْفِ" in data["rows"][0]["text"]
    # the snippet shows the original (diacritised) words, marked
    data = json.loads(get(server.url + "/api/search?q=" + urllib.parse.quote("الزراعة"))[1])
    marked = [piece for piece, hit in data["rows"][0]["snippet"] if hit]
    assert "الزِّرَاعَةِ" in marked


def test_search_filters_sort_and_pagination(server: Server) -> None:
    base = server.url + "/api/search?kind=claims&per_page=5"
    everything = json.loads(get(base)[1])
    assert everything["pager"]["total"] > 5 and len(everything["rows"]) == 5
    second = json.loads(get(base + "&page=2")[1])
    assert {r["id"] for r in second["rows"]}.isdisjoint(r["id"] for r in everything["rows"])
    official = json.loads(get(base + "&source_type=official&per_page=50")[1])
    assert official["rows"] and all(r["source_type"] == "official" for r in official["rows"])
    sada = json.loads(
        get(server.url + "/api/search?outlet=" + urllib.parse.quote("صدى الشرق") + "&sort=oldest")[
            1
        ]
    )
    days = [r["published"] for r in sada["rows"]]
    assert (
        sada["rows"]
        and all(r["outlet"] == "صدى الشرق" for r in sada["rows"])
        and days == sorted(days)
    )
    window = json.loads(get(server.url + "/api/search?from=2025-09-10&to=2025-09-12")[1])
    assert all("2025-09-10" <= r["published"][:10] <= "2025-09-12" for r in window["rows"])
    english = json.loads(get(server.url + "/api/search?language=en")[1])
    assert english["rows"] and all(r["language"] == "en" for r in english["rows"])


def test_narrative_filter(server: Server, web_db: Path) -> None:
    narrative = first(web_db, "SELECT id FROM narratives ORDER BY json_array_length(articles) DESC")
    data = json.loads(get(server.url + f"/api/search?narrative={narrative}&per_page=200")[1])
    expected = set(
        json.loads(first(web_db, f"SELECT articles FROM narratives WHERE id = '{narrative}'"))
    )
    assert {r["id"] for r in data["rows"]} == expected


def test_bounds_and_bad_ids(server: Server) -> None:
    assert get(server.url + "/search?page=0")[0] == 422
    assert get(server.url + "/api/search?per_page=100000")[0] == 422
    assert get(server.url + "/api/search?q=" + "x" * 500)[0] == 422
    for path in (
        "/article/..%2F..%2Fetc%2Fpasswd",
        "/article/%2e%2e",
        "/api/articles/a'b",
        "/isnad/..",
        "/static/..%2F..%2Fstore%2Fsqlite.py",
        "/narrative/zz",
    ):
        assert get(server.url + path)[0] == 404, path


def test_exports_follow_the_list(server: Server) -> None:
    status, body, headers = get(
        server.url + "/api/search?kind=claims&source_type=official&format=csv"
    )
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and {r["source_type"] for r in rows} == {"official"}
    status, body, _ = get(server.url + "/api/isnad?format=jsonl")
    lines = [json.loads(line) for line in body.splitlines()]
    assert status == 200 and lines and "origin" in lines[0]
    for path in ("/api/outlets", "/api/narratives", "/api/claim-families"):
        assert get(server.url + path + "?format=csv")[0] == 200, path


def test_openapi_and_local_docs(server: Server) -> None:
    status, body, _ = get(server.url + "/openapi.json")
    paths = json.loads(body)["paths"]
    assert status == 200 and "/api/search" in paths and "/api/articles/{key}" in paths
    status, body, _ = get(server.url + "/docs")
    assert status == 200 and "/static/swagger/swagger-ui-bundle.js" in body
    assert get(server.url + "/static/swagger/swagger-ui-bundle.js")[0] == 200


def test_language_switch(server: Server) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with opener.open(server.url + "/lang/en?next=/outlets") as response:
        body = response.read().decode("utf-8")
    assert '<html lang="en" dir="ltr">' in body and "Outlets" in body
    with opener.open(server.url + "/lang/ar?next=//evil.example/") as response:
        assert response.url == server.url + "/"


def test_token_is_required_on_every_request(token_server: Server) -> None:
    for path in ("/", "/api/overview", "/openapi.json", "/static/marsad.css", "/docs"):
        assert get(token_server.url + path)[0] == 401, path
        assert get(token_server.url + path, {"Authorization": "Bearer wrong"})[0] == 401
        assert get(token_server.url + path, {"Authorization": f"Bearer {TOKEN}"})[0] == 200
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with opener.open(token_server.url + f"/?token={TOKEN}") as response:
        assert response.status == 200
    with opener.open(token_server.url + "/outlets") as response:  # the cookie carries it now
        assert response.status == 200


def test_serve_refuses_an_open_address_without_token(web_db: Path) -> None:
    result = CliRunner().invoke(
        main, ["serve", "--db", str(web_db), "--host", "0.0.0.0"], env={"MARSAD_TOKEN": ""}
    )
    assert result.exit_code == 2 and "without a token" in result.output
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_store_is_opened_read_only(server: Server, web_db: Path) -> None:
    from marsad.store import Store

    with Store(web_db, read_only=True) as store, pytest.raises(sqlite3.OperationalError):
        store.conn.execute("DELETE FROM articles")


def test_serve_asks_to_update_an_old_store(web_db: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    with sqlite3.connect(web_db) as src, sqlite3.connect(old) as dst:
        src.backup(dst)
        dst.execute("DELETE FROM schema_migrations WHERE version >= 5")  # a store of schema 4
        for column in ("stage", "record", "exception", "component"):
            dst.execute(f"ALTER TABLE problems DROP COLUMN {column}")
        for column in ("pattern", "type_basis"):
            dst.execute(f"ALTER TABLE claims DROP COLUMN {column}")
        for column in ("stance", "stance_p"):
            dst.execute(f"ALTER TABLE catalog_matches DROP COLUMN {column}")
        for table, column in (
            ("reuse_passages", "kind"),
            ("reuse_passages", "kind_reason"),
            ("reuse_families", "kind"),
        ):
            dst.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        for table in (
            "search_articles",
            "search_claims",
            "search_done",
            "search_rows",
            "failures",
            "claim_linked",
        ):
            dst.execute(f"DROP TABLE {table}")
        for index in (
            "articles_language",
            "documents_id_outlet",
            "documents_outlet_id",
            "reuse_edges_source",
            "reuse_edges_target",
        ):
            dst.execute(f"DROP INDEX {index}")
    result = CliRunner().invoke(main, ["serve", "--db", str(old)])
    assert result.exit_code == 2 and "marsad index" in result.output
    assert CliRunner().invoke(main, ["index", "--db", str(old)]).exit_code == 0
