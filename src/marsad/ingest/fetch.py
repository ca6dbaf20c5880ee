"""Polite HTTP(S) fetching: user agent, timeout, robots.txt, size limit, per-host delay."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urlsplit, urlunsplit

from marsad.config import FetchOptions, parse_size

ALLOWED_SCHEMES = ("http", "https")
CHUNK = 65536
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/json,text/plain;q=0.9,*/*;q=0.5"
)


class FetchError(Exception):
    """A URL could not be fetched; ``kind`` says why (unreachable, robots, too-large, http)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass
class Response:
    url: str  # final URL after redirects
    body: bytes
    content_type: str
    charset: str | None


@dataclass
class Fetcher:
    """Fetches URLs one at a time, remembering robots.txt and the last request per host."""

    options: FetchOptions
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    _last: dict[str, float] = field(default_factory=dict)

    def fetch(self, url: str) -> Response:
        parts = urlsplit(url)
        if parts.scheme not in ALLOWED_SCHEMES or not parts.netloc:
            raise FetchError("unsupported", f"not an http(s) URL: {url}")
        if self.options.respect_robots and not self._allowed(url):
            raise FetchError("robots", "robots.txt of the site disallows fetching this URL")
        return self._get(url, parse_size(self.options.max_size))

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = self.options.delay - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)
        self._last[host] = time.monotonic()

    def _get(self, url: str, limit: int) -> Response:
        self._wait(urlsplit(url).netloc)
        request = urllib.request.Request(
            url,
            headers={
                "User-Agent": self.options.user_agent,
                "Accept": ACCEPT,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.options.timeout) as resp:
                length = resp.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > limit:
                    raise FetchError(
                        "too-large", f"response of {length} bytes is over the limit of {limit}"
                    )
                chunks: list[bytes] = []
                size = 0
                while chunk := resp.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(
                            "too-large", f"response is over the limit of {limit} bytes"
                        )
                    chunks.append(chunk)
                headers: Message = resp.headers
                return Response(
                    resp.geturl(),
                    b"".join(chunks),
                    headers.get_content_type(),
                    headers.get_content_charset(),
                )
        except urllib.error.HTTPError as err:
            raise FetchError("http", f"HTTP {err.code} {err.reason}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise FetchError("unreachable", f"unreachable ({reason})") from None

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._robots:
            self._robots[key] = self._load_robots(key)
        parser = self._robots[key]
        return True if parser is None else parser.can_fetch(self.options.user_agent, url)

    def _load_robots(self, base: str) -> urllib.robotparser.RobotFileParser | None:
        robots_url = urlunsplit((*urlsplit(base)[:2], "/robots.txt", "", ""))
        parser = urllib.robotparser.RobotFileParser(robots_url)
        try:
            resp = self._get(robots_url, parse_size("512KiB"))
        except FetchError as err:
            if err.kind == "unreachable":
                raise  # the site itself is down: say so rather than blame robots.txt
            if err.kind == "http" and err.message.startswith("HTTP 4"):
                return None  # no robots.txt: everything allowed (RFC 9309)
            parser.parse(["User-agent: *", "Disallow: /"])  # robots.txt erroring: stay away
            return parser
        parser.parse(resp.body.decode("utf-8", "replace").splitlines())
        return parser
