"""Stage 1, ingest: turn files, folders and URLs into raw documents (or problems).

Readers are chosen by content (see :mod:`marsad.ingest.sniff`); every bad item becomes one
:class:`~marsad.records.Problem` and the stream goes on.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from marsad.config import Config, IngestOptions, parse_size
from marsad.ingest.decode import DecodeError
from marsad.ingest.feeds import parse_feed, read_feed
from marsad.ingest.fetch import Fetcher, FetchError
from marsad.ingest.html import extract_html, read_html
from marsad.ingest.records import read_csv, read_json, read_jsonl
from marsad.ingest.sniff import Blob, detect_format
from marsad.ingest.telegram import read_telegram
from marsad.ingest.text import read_text
from marsad.ingest.warc import read_warc
from marsad.records import Problem, RawDocument

LOGGER = logging.getLogger(__name__)
Item = RawDocument | Problem
Reader = Callable[[Blob, IngestOptions], Iterator[Item]]
READERS: dict[str, Reader] = {
    "txt": read_text,
    "html": read_html,
    "json": read_json,
    "jsonl": read_jsonl,
    "csv": read_csv,
    "warc": read_warc,
    "feed": read_feed,
    "telegram": read_telegram,
}
SUMMARY_ONLY_CHARS = 500  # feed items shorter than this are fetched in full when allowed


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def iter_documents(inputs: Iterable[str], config: Config) -> Iterator[Item]:
    """Every document and problem found in ``inputs`` (files, folders, URLs), in order."""
    fetcher = Fetcher(config.fetch)
    for value in inputs:
        if is_url(value):
            yield from _read_url(value, fetcher, config)
            continue
        path = Path(value)
        if path.is_dir():
            for file in _walk(path):
                yield from read_file(file, config.ingest)
        elif path.is_file():
            yield from read_file(path, config.ingest)
        else:
            yield Problem(value, "missing", "no such file, folder or URL")


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def read_file(path: Path, options: IngestOptions) -> Iterator[Item]:
    """Documents of one file, with the outlet filled in from the folder name when missing."""
    limit = parse_size(options.max_file_size)
    size = path.stat().st_size
    if size > limit:
        yield Problem(
            str(path),
            "too-large",
            f"file of {size:,} bytes is over the size limit of {limit:,} bytes",
        )
        return
    if size == 0:
        yield Problem(str(path), "empty", "empty file")
        return
    fallback = options.outlet or path.parent.name or None
    yield from _read_blob(Blob.from_path(path), options, fallback)


def _read_blob(blob: Blob, options: IngestOptions, fallback_outlet: str | None) -> Iterator[Item]:
    try:
        head = blob.head()
        if not head.strip():
            yield Problem(blob.name, "empty", "no content (blank or empty after decompression)")
            return
        fmt = detect_format(blob, head)
    except DecodeError as err:
        yield Problem(blob.name, err.kind, err.message)
        return
    try:
        for item in READERS[fmt](blob, options):
            if isinstance(item, RawDocument):
                item.outlet = item.outlet or host_of(item.url) or fallback_outlet
            yield item
    except (EOFError, zlib.error) as err:
        yield Problem(blob.name, "truncated", f"compressed file is truncated or corrupt ({err})")
    except Exception as err:  # one broken file must never stop the run
        LOGGER.debug("reader %s failed on %s", fmt, blob.name, exc_info=True)
        yield Problem(blob.name, "error", f"could not read as {fmt}: {type(err).__name__}: {err}")


def _read_url(url: str, fetcher: Fetcher, config: Config) -> Iterator[Item]:
    try:
        resp = fetcher.fetch(url)
    except FetchError as err:
        yield Problem(url, err.kind, err.message)
        return
    blob = Blob.from_bytes(
        resp.url, resp.body, declared_encoding=resp.charset, content_type=resp.content_type
    )
    head = resp.body[:65536]
    try:
        fmt = detect_format(blob, head) if head.strip() else "empty"
    except DecodeError as err:
        yield Problem(url, err.kind, err.message)
        return
    if fmt == "empty":
        yield Problem(url, "empty", "server returned an empty body")
    elif fmt == "feed":
        yield from _read_feed_url(resp.url, resp.body, fetcher, config)
    else:
        yield from _read_blob(blob, config.ingest, config.ingest.outlet or host_of(resp.url))


def _read_feed_url(url: str, body: bytes, fetcher: Fetcher, config: Config) -> Iterator[Item]:
    docs, problems = parse_feed(body, url)
    yield from problems
    for doc in docs[: config.fetch.max_feed_items]:
        doc.outlet = doc.outlet or host_of(url)
        if config.fetch.follow_feed_links and doc.url and len(doc.text) < SUMMARY_ONLY_CHARS:
            doc = _full_page(doc, fetcher)
        yield doc


def _full_page(doc: RawDocument, fetcher: Fetcher) -> RawDocument:
    """Replace a feed summary with the linked page's article text when it can be had."""
    assert doc.url is not None
    try:
        resp = fetcher.fetch(doc.url)
        page = extract_html(
            resp.body.decode(resp.charset or "utf-8", "replace"), resp.url, resp.url
        )
    except (FetchError, DecodeError, LookupError) as err:
        LOGGER.info("kept the feed summary of %s: %s", doc.url, err)
        return doc
    if isinstance(page, Problem) or len(page.text) <= len(doc.text):
        return doc
    doc.text = page.text
    doc.published = doc.published or page.published
    doc.meta["fetched_page"] = resp.url
    return doc
