"""Inputs as blobs, and which reader fits a blob, decided by content (extension breaks ties)."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from marsad.ingest.decode import DecodeError, binary_kind, detect_encoding, is_line_based

HEAD_BYTES = 65536
HEAD_CHUNK = 1024  # small reads, so a truncated gzip still yields its readable start
STREAM_BUFFER = 65536
GZIP_MAGIC = b"\x1f\x8b"
FORMATS = ("txt", "html", "json", "jsonl", "csv", "warc", "feed", "telegram")
_TELEGRAM_TYPES = {
    "public_channel",
    "private_channel",
    "public_supergroup",
    "private_supergroup",
    "personal_chat",
    "private_group",
    "bot_chat",
    "saved_messages",
}
_HTML_RE = re.compile(r"<(!doctype\s+html|html|head|body|article|div|p)[\s>]", re.IGNORECASE)
_FEED_RE = re.compile(r"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_EXT_FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".warc": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}


class TooLarge(Exception):
    """The (decompressed) content of a blob passed its ``max_bytes``."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"decompressed content is over the limit of {limit:,} bytes")
        self.limit = limit


class _Capped(io.RawIOBase):
    """A byte stream that raises :class:`TooLarge` once more than ``limit`` bytes were read."""

    def __init__(self, inner: BinaryIO, limit: int) -> None:
        super().__init__()
        self.inner = inner
        self.limit = limit
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        # read1: what is at hand, so the lines before a truncated gzip's end still come out
        data = self.inner.read1(len(buffer))  # type: ignore[attr-defined]
        n = len(data)
        buffer[:n] = data
        self.count += n
        if self.count > self.limit:
            raise TooLarge(self.limit)
        return n

    def close(self) -> None:
        self.inner.close()
        super().close()


@dataclass
class Blob:
    """One input file or fetched body: a name, a size, a way to open its (decompressed) bytes."""

    name: str  # path or URL, as shown to people
    size: int
    opener: Callable[[], BinaryIO]
    declared_encoding: str | None = None  # e.g. from an HTTP Content-Type header
    content_type: str | None = None
    max_bytes: int | None = None  # reading more decompressed bytes raises TooLarge

    @classmethod
    def from_path(cls, path: Path, name: str, size: int) -> Blob:
        """``name`` is the path as shown to people, ``size`` its size on disk."""
        return cls(name, size, lambda: open(path, "rb"))

    @classmethod
    def from_bytes(
        cls,
        name: str,
        data: bytes,
        declared_encoding: str | None = None,
        content_type: str | None = None,
    ) -> Blob:
        return cls(name, len(data), lambda: io.BytesIO(data), declared_encoding, content_type)

    @property
    def suffixes(self) -> list[str]:
        base = self.name.split("?", 1)[0].split("#", 1)[0]
        return [s.lower() for s in Path(base).suffixes]

    @property
    def is_gzip(self) -> bool:
        with self.opener() as fh:
            return fh.read(2) == GZIP_MAGIC

    def open(self) -> BinaryIO:
        """The decompressed byte stream (gzip is undone transparently), capped at ``max_bytes``."""
        raw = self.opener()
        stream: BinaryIO = raw
        if raw.read(2) == GZIP_MAGIC:
            raw.seek(0)
            stream = gzip.GzipFile(fileobj=raw)  # type: ignore[assignment]
        else:
            raw.seek(0)
        if self.max_bytes is None:
            return stream
        capped = _Capped(stream, self.max_bytes)
        return io.BufferedReader(capped, STREAM_BUFFER)

    def head(self) -> bytes:
        """Up to 64 KiB of decompressed content; a truncated gzip gives what could be read."""
        chunks: list[bytes] = []
        size = 0
        with self.open() as fh:
            while size < HEAD_BYTES:
                try:
                    chunk = fh.read(HEAD_CHUNK)
                except (EOFError, OSError, zlib.error, TooLarge):
                    break
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        return b"".join(chunks)[:HEAD_BYTES]

    def read_all(self) -> bytes:
        """All decompressed bytes. Raises EOFError/OSError/zlib.error on a truncated archive,
        :class:`TooLarge` past ``max_bytes``."""
        with self.open() as fh:
            return fh.read()

    def read_start(self, limit: int) -> tuple[bytes, bool]:
        """The first ``limit`` decompressed bytes, and whether more follow."""
        with self.open() as fh:
            data = fh.read(limit + 1)
        return data[:limit], len(data) > limit


def _ext_format(blob: Blob) -> str | None:
    for suffix in reversed(blob.suffixes):
        if suffix in _EXT_FORMATS:
            return _EXT_FORMATS[suffix]
    return None


def detect_format(blob: Blob, head: bytes) -> str:
    """Which reader to use for ``blob``. Raises DecodeError for binary or undecodable content."""
    if head.startswith(b"WARC/"):
        return "warc"
    kind = binary_kind(head)
    if kind:
        raise DecodeError("binary", f"binary file ({kind}), not text")
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        return _ext_format(blob) or "txt"
    text = _head_text(head, blob.declared_encoding).lstrip("\ufeff \t\r\n")
    ext = _ext_format(blob)
    lowered = text[:2048].lower()
    if text.startswith("<"):
        if _FEED_RE.search(lowered) and not lowered.lstrip().startswith(
            ("<!doctype html", "<html")
        ):
            return "feed"
        if _HTML_RE.search(text[:HEAD_BYTES]):
            return "html"
    if text.startswith(("{", "[")) and (ext in ("json", "jsonl") or _JSON_START_RE.match(text)):
        return _json_kind(text, ext)  # "[ العنوان ] - الموقع": a text page, not JSON
    if ext in {"csv"} or (ext is None and _looks_like_csv(text)):
        return "csv"
    if ext == "html" and _HTML_RE.search(text):
        return "html"
    return "txt"


def _head_text(head: bytes, declared: str | None) -> str:
    """Decode the head of a blob (which may end in the middle of a character)."""
    encoding = detect_encoding(head, declared, partial=len(head) >= HEAD_BYTES)
    if is_line_based(encoding):
        head = head.replace(b"\x00", b"")  # stray NUL bytes are dropped when reading too
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=False)


# How JSON opens: an array of values or an object with a quoted key (or empty).
_JSON_START_RE = re.compile(r'(?:\[\s*(?:[\[{"\]\d-]|true|false|null)|\{\s*(?:"|\}))')


def _json_kind(text: str, ext: str | None) -> str:
    head = text[:HEAD_BYTES]
    if (
        text.startswith("{")
        and '"messages"' in head
        and re.search(r'"type"\s*:\s*"(' + "|".join(sorted(_TELEGRAM_TYPES)) + ')"', head)
    ):
        return "telegram"
    if ext == "jsonl":
        return "jsonl"
    if text.startswith("{"):
        lines = [line.strip() for line in text.split("\n", 3)[:3] if line.strip()]
        first: Any
        try:
            first = json.loads(lines[0])
        except json.JSONDecodeError:
            first = None
        except RecursionError:
            first = {}  # an object nested too deeply: a record line the reader will report
        if isinstance(first, dict) and (ext != "json" or (len(lines) > 1 and lines[1][:1] == "{")):
            return "jsonl"
    return "json"


def _looks_like_csv(text: str) -> bool:
    lines = [line for line in text.split("\n")[:5] if line.strip()]
    if len(lines) < 2:
        return False
    header = lines[0].lower()
    return header.count(",") >= 1 and any(
        name in header.split(",") for name in ("text", "content", "body", "title")
    )
