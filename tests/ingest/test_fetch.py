"""URL inputs against a real HTTP server on loopback, serving project-written pages."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from marsad.config import Config
from marsad.ingest import iter_documents
from marsad.records import Problem, RawDocument
from tests.ingest.test_readers import PAGE

FEED = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>موجز الاختبار</title>
<item><title>خبر الخبز</title><link>{base}/bread</link><pubDate>Sun, 14 Sep 2025 22:40:00 +0300</pubDate>
<description>ملخص: رفع سعر الخبز.</description></item>
<item><title>خبر محجوب</title><link>{base}/private/x</link><description>ملخص لصفحة لا يسمح بجلبها.</description></item>
</channel></rss>"""


class Site(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes]] = {}
    agents: list[str] = []

    def do_GET(self) -> None:
        self.agents.append(self.headers.get("User-Agent", ""))
        status, ctype, body = self.routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    Site.routes = {
        "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private/\n"),
        "/bread": (200, "text/html; charset=utf-8", PAGE.encode()),
        "/feed.xml": (200, "application/rss+xml", FEED.format(base=base).encode()),
        "/private/x": (200, "text/html; charset=utf-8", PAGE.encode()),
        "/huge": (200, "text/html", b"<html><body>" + b"x" * 300_000 + b"</body></html>"),
    }
    Site.agents = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def run(urls: list[str], config: Config) -> tuple[list[RawDocument], list[Problem]]:
    items = list(iter_documents(urls, config))
    return (
        [i for i in items if isinstance(i, RawDocument)],
        [i for i in items if isinstance(i, Problem)],
    )


def test_article_url(site: str, config: Config) -> None:
    docs, problems = run([f"{site}/bread"], config)
    assert problems == []
    assert docs[0].title == "ارتفاع أسعار الخبز في الأسواق المحلية"
    assert docs[0].source == f"{site}/bread"
    assert all(agent.startswith("Marsad/") for agent in Site.agents)


def test_feed_url_follows_item_links_politely(site: str, config: Config) -> None:
    docs, problems = run([f"{site}/feed.xml"], config)
    assert problems == []
    by_title = {d.title: d for d in docs}
    assert "وزارة التجارة الداخلية" in by_title["خبر الخبز"].text  # the full page was fetched
    assert by_title["خبر الخبز"].meta["fetched_page"].endswith("/bread")
    assert by_title["خبر محجوب"].text == "ملخص لصفحة لا يسمح بجلبها."  # robots: summary kept


def test_robots_disallow_404_size_limit_and_unreachable(site: str, config: Config) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    config.fetch.max_size = "64KiB"
    urls = [
        f"{site}/private/x",
        f"{site}/missing",
        f"{site}/huge",
        f"http://127.0.0.1:{closed_port}/a",
    ]
    docs, problems = run(urls, config)
    assert docs == []
    assert [p.kind for p in problems] == ["robots", "http", "too-large", "unreachable"]
    assert "404" in problems[1].message


def test_robots_can_be_ignored_by_setting(site: str, config: Config) -> None:
    config.fetch.respect_robots = False
    docs, problems = run([f"{site}/private/x"], config)
    assert problems == [] and len(docs) == 1
