"""Safe outputs of ``marsad serve``: data URLs become links only when http(s), the server
answers only to its own names (``Host``), and a token never appears in a page, link, redirect
or log. Pure rules first, then a real server on loopback with raw HTTP requests."""

from __future__ import annotations

import html
import http.client
import socket
import sqlite3
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.web.app import WebOptions
from marsad.web.render import ENV
from marsad.web.security import (
    host_allowed,
    host_rule,
    is_loopback,
    link_url,
    without_param,
)
from tests.web.conftest import (
    HOSTILE_ENTRIES,
    HOSTILE_URLS,
    TOKEN,
    Server,
    start_server,
    unsafe_links,
)
from tests.web.test_app import page_urls

HOSTILE_SCHEMES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    " javascript:alert(1)",
    "  https://news.example/leading-space",
    "\x01javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "//evil.example/x",
    "/\\evil.example/x",
    "https:evil.example",
    "https://",
    "http://a\\@evil.example/",
    "http://evil.example:99999/",
    "file:///etc/passwd",
    "mailto:a@b.example",
    "/article/local",
    "",
]


# -- pure rules -------------------------------------------------------------------------------
@pytest.mark.parametrize("url", HOSTILE_SCHEMES)
def test_only_http_urls_are_links(url: str) -> None:
    assert link_url(url) is None
    macro = ENV.from_string('{% import "macros.html" as m with context %}{{ m.data_link(u, x) }}')
    for text in (None, "عنوان"):
        out = macro.render(u=url, x=text, t=str, links=None)
        assert "<a" not in out, (url, out)


@pytest.mark.parametrize(
    "url",
    ["http://news.example/a", "HTTPS://news.example/مقال?x=1&y=2#z", "https://[::1]:8443/p"],
)
def test_http_urls_are_links(url: str) -> None:
    assert link_url(url) == url
    macro = ENV.from_string('{% import "macros.html" as m with context %}{{ m.data_link(u, "t") }}')
    out = macro.render(u=url, t=str, links=None)
    assert out.startswith('<a href="') and 'rel="noopener noreferrer"' in out
    assert link_url(None) is None and link_url(3) is None


def test_host_rules() -> None:
    loopback = host_rule("127.0.0.1", ["Marsad.Example.org"])
    for good in (
        "127.0.0.1:8000",
        "localhost:8000",
        "LOCALHOST",
        "localhost.:8000",
        "[::1]:8000",
        "127.0.0.1",
        "marsad.example.org:443",
    ):
        assert host_allowed(good, loopback), good
    for bad in (
        None,
        "",
        "evil.example",
        "evil.example:8000",
        "127.0.0.1.evil.example:8000",
        "localhost.evil.example",
        "evil.example@127.0.0.1",
        "127.0.0.1@evil.example",
        "127.0.0.1:8000/x",
        "127.0.0.1 evil",
        "::1",
        "[::1",
        "10.0.0.5:8000",
        "127.0.0.1:",
    ):
        assert not host_allowed(bad, loopback), bad
    assert host_allowed("[::1]:9", host_rule("::1")) and host_allowed("localhost", host_rule("::1"))
    lan = host_rule("192.168.1.5")
    assert host_allowed("192.168.1.5:8000", lan) and not host_allowed("localhost:8000", lan)
    everywhere = host_rule("0.0.0.0")
    assert host_allowed("192.168.1.5:8000", everywhere) and host_allowed("[fe80::1]", everywhere)
    assert host_allowed("localhost:8000", everywhere)
    assert not host_allowed("evil.example:8000", everywhere)
    assert is_loopback("127.0.0.2") and is_loopback("[::1]") and not is_loopback("0.0.0.0")


def test_without_param_keeps_the_rest_as_sent() -> None:
    query = "q=%D8%A7+b&token=x&page=2&tok%65n=y&tokens=1"
    assert without_param(query, "token") == "q=%D8%A7+b&page=2&tokens=1"
    assert without_param("", "token") == "" and without_param("token=1", "token") == ""


# -- a real server ----------------------------------------------------------------------------
def raw_get(url: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, Any]:
    """GET with exactly these headers (``Host`` included when given): no redirect followed."""
    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname or "", parsed.port, timeout=30)
    given = headers or {}
    conn.putrequest("GET", path, skip_host="Host" in given, skip_accept_encoding=True)
    for name, value in given.items():
        conn.putheader(name, value)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, body, response.headers


def port_of(server: Server) -> int:
    return int(urllib.parse.urlsplit(server.url).port or 0)


def hostile_articles(db: Path) -> dict[str, str]:
    """``{url: article id}`` of the articles with hostile URLs."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, id FROM documents WHERE url IS NOT NULL").fetchall()
    return {url: key for url, key in rows if url in HOSTILE_URLS}


def test_hostile_urls_render_as_text_in_served_pages(server: Server, web_db: Path) -> None:
    found = hostile_articles(web_db)
    assert set(found) == set(HOSTILE_URLS)
    for url, key in found.items():
        status, body, _ = raw_get(server.url, f"/article/{key}")
        assert status == 200, url
        assert unsafe_links(body) == [], (url, unsafe_links(body))
        if url.startswith("https://"):
            assert f'<a href="{url}" rel="noopener noreferrer">' in body
        else:
            assert "&lt;script&gt;" in body if "<script>" in url else url in body
    # catalogue entries: the hostile ones are text, the https one a link
    entries = {key: url for key, _, url in HOSTILE_ENTRIES}
    pages = [raw_get(server.url, f"/article/{k}")[1] for k in found.values()]
    everything = "".join(pages)
    assert '<a href="https://factcheck.example/h-4" rel="noopener noreferrer">' in everything
    for key in ("H-1", "H-2", "H-3"):
        assert f"{key})" in everything and entries[key] in everything, key
    for path in page_urls(web_db):
        body = raw_get(server.url, path)[1]
        assert unsafe_links(body) == [], (path, unsafe_links(body))


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}", "[::1]:{port}", "localhost"],
)
def test_own_host_names_are_answered(server: Server, host: str) -> None:
    status, _, _ = raw_get(server.url, "/", {"Host": host.format(port=port_of(server))})
    assert status == 200, host


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1.evil.example:{port}",
        "localhost.evil.example:{port}",
        "evil.example@127.0.0.1:{port}",
        "",
    ],
)
def test_forged_host_gets_one_plain_line(server: Server, token_server: Server, host: str) -> None:
    for running in (server, token_server):
        for path in ("/", "/api/overview", "/static/marsad.css"):
            status, body, headers = raw_get(
                running.url, path, {"Host": host.format(port=port_of(running))}
            )
            assert status == 400, (host, path)
            assert headers["Content-Type"].startswith("text/plain")
            assert body.count("\n") == 1 and body.startswith("400"), body


def test_missing_or_doubled_host_is_refused(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.0\r\n\r\n")
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 400"), reply[:80]
    here = f"127.0.0.1:{port_of(server)}"
    status, _, _ = raw_get(server.url, "/", {"Host": here})
    assert status == 200
    conn = http.client.HTTPConnection("127.0.0.1", port_of(server), timeout=10)
    conn.putrequest("GET", "/", skip_host=True)
    conn.putheader("Host", here)
    conn.putheader("Host", "evil.example")
    conn.endheaders()
    assert conn.getresponse().status == 400
    conn.close()


@pytest.fixture(scope="module")
def proxied_server(web_db: Path) -> Iterator[Server]:
    running = start_server(WebOptions(web_db, allowed_hosts=("marsad.example.org",)))
    yield running
    running.server.should_exit = True
    running.thread.join(10)


def test_allowed_hosts_are_answered_too(proxied_server: Server) -> None:
    for host, expected in (
        ("marsad.example.org", 200),
        ("MARSAD.example.org:443", 200),
        (f"127.0.0.1:{port_of(proxied_server)}", 200),
        ("www.marsad.example.org", 400),
        ("evil.example", 400),
    ):
        assert raw_get(proxied_server.url, "/outlets", {"Host": host})[0] == expected, host


def token_paths(db: Path) -> list[str]:
    return [
        *page_urls(db),
        "/search?q=x&page=2",
        "/docs",
        "/api/overview",
        "/api/outlets?format=csv",
        "/openapi.json",
        "/lang/en?next=" + urllib.parse.quote("/outlets?page=2"),
        "/no-such-page",
        "//evil.example/",
    ]


def test_query_token_is_never_echoed(token_server: Server, web_db: Path) -> None:
    for path in token_paths(web_db):
        joined = "&" if "?" in path else "?"
        status, body, headers = raw_get(token_server.url, f"{path}{joined}token={TOKEN}")
        assert TOKEN not in body and TOKEN not in headers.get("Location", ""), path
        if path.startswith(("/api/", "/openapi")):
            assert status == 200, path
            continue
        # a page: the cookie is set and the browser moves on to the URL without the token
        assert status == 200 and headers["Cache-Control"] == "no-store", path
        assert TOKEN in headers["Set-Cookie"] and "HttpOnly" in headers["Set-Cookie"]
        onward = path if not path.startswith("//") else "/"
        refresh = f'<meta http-equiv="refresh" content="0; url={html.escape(onward)}">'
        assert refresh in body, (path, body)
        cookie = {"Cookie": f"marsad_token={TOKEN}"}
        status, body, headers = raw_get(token_server.url, onward, cookie)
        assert status in (200, 303, 404), (onward, status)
        assert TOKEN not in body and TOKEN not in headers.get("Location", ""), onward


def test_header_token_with_a_query_token_is_not_echoed(token_server: Server, web_db: Path) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for path in token_paths(web_db):
        joined = "&" if "?" in path else "?"
        status, body, headers = raw_get(token_server.url, f"{path}{joined}token={TOKEN}", auth)
        assert status in (200, 303, 404), path
        assert TOKEN not in body and TOKEN not in headers.get("Location", ""), path
        assert "Set-Cookie" not in headers or TOKEN not in headers["Set-Cookie"], path
    # a token inside ?next= is dropped too
    nested = "/lang/en?next=" + urllib.parse.quote(f"/outlets?token={TOKEN}&page=2")
    status, _, headers = raw_get(token_server.url, nested, auth)
    assert status == 303 and headers["Location"] == "/outlets?page=2"


def test_serve_passes_host_settings_and_keeps_no_access_log(
    web_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    import marsad.web.app

    made: list[WebOptions] = []
    runs: list[dict[str, Any]] = []
    monkeypatch.setattr(marsad.web.app, "create_app", made.append)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: runs.append(kw))
    result = CliRunner().invoke(
        main,
        ["serve", "--db", str(web_db), "--port", "8123"],
        env={"MARSAD_TOKEN": "", "MARSAD_WEB_ALLOWED_HOSTS": "marsad.example.org, a.example"},
    )
    assert result.exit_code == 0, result.output
    assert runs == [
        {"host": "127.0.0.1", "port": 8123, "log_level": "warning", "access_log": False}
    ]
    (options,) = made
    assert options.host == "127.0.0.1"
    assert options.allowed_hosts == ("marsad.example.org", "a.example")
    running = start_server(options)
    try:
        assert raw_get(running.url, "/outlets", {"Host": "a.example"})[0] == 200
        assert raw_get(running.url, "/outlets", {"Host": "b.example"})[0] == 400
    finally:
        running.server.should_exit = True
        running.thread.join(10)
