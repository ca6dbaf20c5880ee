"""Search: an Arabic-aware full-text index over articles and claims, and its queries.

SQLite FTS5 does not fold Arabic, so the index holds :func:`marsad.normalize.normalize` of
every title, body and claim, and queries are folded the same way: a query without diacritics
or with another hamza form finds the text. What people see stays the original text; result
snippets are cut from it through the normaliser's offset map.

``run(config, store)`` indexes the articles not yet indexed by :data:`COMPONENT` (new ones,
re-cleaned ones, ones whose claims were redone); ``marsad analyze`` calls it after the other
stages and ``marsad index`` on its own.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tqdm import tqdm

from marsad.config import Config
from marsad.normalize import PROFILE, normalize, normalize_with_offsets
from marsad.records import SearchEntry
from marsad.store import Store

COMPONENT = f"search.v1+{PROFILE}"
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
SNIPPET_CHARS = 220
_TOKEN_RE = re.compile(r'"([^"]*)"|(\S+)')
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class ParsedQuery:
    """A query as FTS5 reads it, and the folded words to mark in snippets."""

    match: str | None  # None: the query had no words
    words: tuple[str, ...]


@dataclass
class SearchSummary:
    indexed: int = 0
    removed: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return f"Search: {self.indexed} articles indexed, {self.removed} removed."


def parse_query(raw: str) -> ParsedQuery:
    """Fold a user query into an FTS5 expression: words are ANDed, ``"..."`` is a phrase,
    a trailing ``*`` is a prefix. Everything else FTS5 would read as syntax is dropped."""
    terms: list[str] = []
    words: list[str] = []
    for phrase, bare in _TOKEN_RE.findall(raw[:MAX_QUERY_CHARS]):
        text = phrase or bare
        prefix = bool(bare) and bare.endswith("*")
        folded = _WORD_RE.findall(normalize(text))
        if not folded:
            continue
        words.extend(folded)
        quoted = '"' + " ".join(folded) + '"'
        terms.append(quoted + "*" if prefix else quoted)
        if len(terms) >= MAX_TERMS:
            break
    return ParsedQuery(" ".join(terms) or None, tuple(words))


def entries(article: dict[str, Any]) -> list[SearchEntry]:
    """The index rows of one article (``Store.unindexed`` record): the article and its claims."""
    title = article.get("title") or ""
    text = article["text"]
    day = (article.get("published") or "")[:10] or None
    common = {
        "article_id": article["id"],
        "outlet": article.get("outlet"),
        "day": day,
        "language": article["language"],
    }
    rows = [SearchEntry(text=normalize(text), title=normalize(title), **common)]
    for claim in article["claims"]:
        content = title if claim["part"] == "headline" else text
        rows.append(
            SearchEntry(
                text=normalize(content[claim["start"] : claim["end"]]),
                claim_id=claim["id"],
                source_type=claim["source_type"],
                **common,
            )
        )
    return rows


def snippet(
    text: str, words: tuple[str, ...], width: int = SNIPPET_CHARS
) -> list[tuple[str, bool]]:
    """A window of the original ``text`` around the first query word, as ``(piece, marked)``
    pieces where ``marked`` pieces are the words that matched (found on the folded text)."""
    folded, offsets = normalize_with_offsets(text)
    spans: list[tuple[int, int]] = []
    for word in set(words):
        for match in re.finditer(r"(?<!\w)" + re.escape(word), folded):
            start = offsets[match.start()]
            end = offsets[match.end() - 1] + 1
            while end < len(text) and not normalize(text[end]):  # trailing diacritics
                end += 1
            spans.append((start, end))
    spans.sort()
    first = spans[0][0] if spans else 0
    begin = max(0, first - width // 3)
    if begin:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < first else begin
    end = min(len(text), begin + width)
    pieces: list[tuple[str, bool]] = [("…", False)] if begin else []
    cursor = begin
    for start, stop in spans:
        if start < cursor or stop > end:
            continue
        pieces.append((text[cursor:start], False))
        pieces.append((text[start:stop], True))
        cursor = stop
    pieces.append((text[cursor:end], False))
    if end < len(text):
        pieces.append(("…", False))
    return [piece for piece in pieces if piece[0]]


def run(
    config: Config, store: Store, progress: bool = False, say: Callable[[str], None] | None = None
) -> SearchSummary:
    """Index every article (and its claims) not yet indexed by :data:`COMPONENT`."""
    summary = SearchSummary()
    started = time.perf_counter()
    store.drop_stale_search(COMPONENT)
    summary.removed = store.drop_orphan_search()
    total = store.count_unindexed()
    with tqdm(total=total, disable=not progress, desc="search index", unit="art") as bar:
        for batch in store.unindexed(config.search.batch_size):
            store.save_search(COMPONENT, [(a["id"], entries(a)) for a in batch])
            summary.indexed += len(batch)
            bar.update(len(batch))
    summary.seconds = time.perf_counter() - started
    if say is not None:
        say(summary.line())
    return summary
