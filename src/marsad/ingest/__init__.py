"""Stage 1, ingest: turn files, folders and URLs into raw documents (or problems).

Readers are chosen by content (see :mod:`marsad.ingest.sniff`); every bad item (a file that
cannot be read, a malformed record, an odd message) becomes one
:class:`~marsad.records.Problem` and the stream goes on.
"""

from __future__ import annotations

import dataclasses
import errno
import logging
import os
import stat
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
from marsad.ingest.scrub import limit_article, scrub_document, scrub_problem
from marsad.ingest.sniff import Blob, TooLarge, detect_format
from marsad.ingest.telegram import read_telegram
from marsad.ingest.text import read_text
from marsad.ingest.warc import read_warc
from marsad.records import Problem, RawDocument, printable

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
    """Every document and problem found in ``inputs`` (files, folders, URLs), in order.

    Every item is scrubbed here (:mod:`marsad.ingest.scrub`): sources printable on one line,
    text fields encodable, article texts cut at ``ingest.max_article_chars``.
    """
    decompressed_limit(config.ingest)  # a bad size setting fails before anything is read
    parse_size(config.ingest.max_page_size)
    for item in _iter_items(inputs, config):
        if isinstance(item, Problem):
            yield scrub_problem(item)
            continue
        doc = scrub_document(item)
        cut = limit_article(doc, config.ingest.max_article_chars)
        yield doc
        if cut:
            yield cut


def decompressed_limit(options: IngestOptions) -> int:
    """Most decompressed bytes read from one file."""
    return parse_size(options.max_decompressed_size or options.max_file_size)


def _iter_items(inputs: Iterable[str], config: Config) -> Iterator[Item]:
    fetcher = Fetcher(config.fetch)
    for value in inputs:
        if is_url(value):
            yield from _read_url(value, fetcher, config)
        elif not os.path.lexists(value):
            yield Problem(value, "missing", "no such file, folder or URL")
        elif os.path.isdir(value):
            yield from _read_folder(Path(value), config.ingest)
        else:
            yield from read_file(Path(value), config.ingest)


def _read_folder(root: Path, options: IngestOptions) -> Iterator[Item]:
    """Files of ``root`` and its sub-folders (hidden ones left out), depth first, sorted by
    name. Links to folders are followed, each folder is read once; a folder that cannot be
    listed is one problem line."""
    seen: set[tuple[int, int]] = set()
    pending = [root]
    while pending:
        folder = pending.pop()
        listed = _list_folder(folder, seen)
        if isinstance(listed, Problem):
            yield listed
            continue
        files, folders = listed
        for path in files:
            yield from read_file(path, options)
        pending.extend(reversed(folders))


def _list_folder(
    folder: Path, seen: set[tuple[int, int]]
) -> tuple[list[Path], list[Path]] | Problem:
    """``(files, sub-folders)`` of ``folder``, or why it cannot be read."""
    try:
        info = folder.stat()
        key = (info.st_dev, info.st_ino)
        if key in seen:
            return Problem(
                str(folder), "duplicate", "folder already read (reached again through a link)"
            )
        seen.add(key)
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as err:
        return Problem(str(folder), "unreadable", f"cannot list the folder: {_why(folder, err)}")
    files: list[Path] = []
    folders: list[Path] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        (folders if _is_folder(entry) else files).append(Path(entry.path))
    return files, folders


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows a link; a broken one is a file, reported when read
    except OSError:
        return False


def _why(path: Path, err: OSError) -> str:
    """Why ``path`` cannot be read, in words."""
    if err.errno == errno.ENOENT and path.is_symlink():
        return "broken symbolic link (its target does not exist)"
    if err.errno == errno.ELOOP:
        return "symbolic link loop"
    if err.errno in {errno.EACCES, errno.EPERM}:
        return "permission denied"
    return err.strerror or str(err)


def read_file(path: Path, options: IngestOptions) -> Iterator[Item]:
    """Documents of one file, with the outlet filled in from the folder name when missing."""
    name = str(path)
    try:
        info = path.stat()
    except OSError as err:
        yield Problem(name, "unreadable", f"cannot read: {_why(path, err)}")
        return
    if not stat.S_ISREG(info.st_mode):
        yield Problem(name, "unreadable", "not a regular file (a device, pipe or socket)")
        return
    limit = parse_size(options.max_file_size)
    if info.st_size > limit:
        yield Problem(
            name,
            "too-large",
            f"file of {info.st_size:,} bytes is over the size limit of {limit:,} bytes",
        )
        return
    if info.st_size == 0:
        yield Problem(name, "empty", "empty file")
        return
    fallback = options.outlet or printable(path.parent.name) or None
    yield from _read_blob(Blob.from_path(path, name, info.st_size), options, fallback)


def _read_blob(blob: Blob, options: IngestOptions, fallback_outlet: str | None) -> Iterator[Item]:
    blob = dataclasses.replace(blob, max_bytes=decompressed_limit(options))
    try:
        head = blob.head()
        if not head.strip():
            yield Problem(blob.name, "empty", "no content (blank or empty after decompression)")
            return
        fmt = detect_format(blob, head)
    except DecodeError as err:
        yield Problem(blob.name, err.kind, err.message)
        return
    except OSError as err:
        yield Problem(blob.name, "unreadable", f"cannot read: {_why(Path(blob.name), err)}")
        return
    found = 0
    try:
        for item in READERS[fmt](blob, options):
            if isinstance(item, RawDocument):
                item.outlet = item.outlet or host_of(item.url) or fallback_outlet
                found += 1
            yield item
    except TooLarge as err:
        kept = f"kept the {found:,} documents read before it" if found else "skipped"
        yield Problem(blob.name, "too-large", str(err), kept)
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
