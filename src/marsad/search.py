"""Search: an Arabic-aware full-text index over articles and claims, and its queries.

SQLite FTS5 does not fold Arabic, so the index holds :func:`marsad.normalize.normalize` of
every title, body and claim, and queries are folded the same way: a query without diacritics
or with another hamza form finds the text. What people see stays the original text; result
snippets are cut from it through the normaliser's offset map.

The stage (:data:`SPEC`) indexes the articles not yet indexed by :data:`COMPONENT` (new ones,
re-cleaned ones, ones whose claims were redone); ``marsad analyze`` runs it after the other
stages and ``marsad index`` on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from marsad.config import Config
from marsad.normalize import PROFILE, deleted_chars, normalize, normalize_with_offsets
from marsad.records import IndexedArticle, SearchEntry
from marsad.stage import BatchStep, Component, Stage, StageSpec

if TYPE_CHECKING:
    from marsad.stage import Counts, RunContext, Setup, StageSummary

COMPONENT = f"search.v1+{PROFILE}"
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
SNIPPET_CHARS = 220
SCAN_CHARS = 1_000  # text folded per step while looking for the first match
SCAN_OVERLAP = 60  # so that a word across two steps is still found
_TOKEN_RE = re.compile(r'"([^"]*)"|(\S+)')
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class ParsedQuery:
    """A query as FTS5 reads it, and the folded words to mark in snippets."""

    match: str | None  # None: the query had no words
    words: tuple[str, ...]


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


def entries(article: IndexedArticle) -> list[SearchEntry]:
    """The index rows of one article: the article and its claims."""
    title = article.title or ""
    text = article.text
    day = (article.published or "")[:10] or None
    a = article
    rows = [SearchEntry(a.id, normalize(text), a.outlet, day, a.language, title=normalize(title))]
    for claim in article.claims:
        content = title if claim.part == "headline" else text
        folded = normalize(content[claim.span[0] : claim.span[1]])
        rows.append(
            SearchEntry(
                a.id,
                folded,
                a.outlet,
                day,
                a.language,
                claim_id=claim.id,
                source_type=claim.source_type,
            )
        )
    return rows


def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """Any of the folded query words at the start of a word (clitics before it do not count)."""
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})")


def _first_match(text: str, pattern: re.Pattern[str]) -> int:
    """Offset in ``text`` of the first query word, folding only as much text as needed."""
    for start in range(0, len(text), SCAN_CHARS):
        folded, offsets = normalize_with_offsets(text[start : start + SCAN_CHARS + SCAN_OVERLAP])
        match = pattern.search(folded)
        if match:
            return start + offsets[match.start()]
    return 0


def snippet(
    text: str, words: tuple[str, ...], width: int = SNIPPET_CHARS
) -> list[tuple[str, bool]]:
    """A window of the original ``text`` around the first query word, as ``(piece, marked)``
    pieces where ``marked`` pieces are the words that matched (found on the folded text)."""
    pattern = _pattern(words)
    first = _first_match(text, pattern) if pattern else 0
    begin = max(0, first - width // 3)
    if begin:
        space = text.find(" ", begin)
        begin = space + 1 if 0 <= space < first else begin
    end = min(len(text), begin + width)
    window = text[begin:end]
    pieces: list[tuple[str, bool]] = [("…", False)] if begin else []
    cursor = 0
    if pattern:
        folded, offsets = normalize_with_offsets(window)
        deleted = deleted_chars()
        for match in pattern.finditer(folded):
            start, stop = offsets[match.start()], offsets[match.end() - 1] + 1
            while stop < len(window) and window[stop] in deleted:  # trailing diacritics
                stop += 1
            pieces += [(window[cursor:start], False), (window[start:stop], True)]
            cursor = stop
    pieces.append((window[cursor:], False))
    if end < len(text):
        pieces.append(("…", False))
    return [piece for piece in pieces if piece[0]]


class IndexStep(BatchStep[IndexedArticle, list[SearchEntry]]):
    """Articles not yet indexed by the current component (new, re-cleaned, or with redone
    claims: the write path drops their ``search_done`` row), their old rows replaced."""

    name = "index"

    def __init__(self, config: Config) -> None:
        self.batch_size = config.search.batch_size

    def total(self, run: RunContext) -> int:
        return run.store.search.count_unindexed()

    def pending(self, run: RunContext) -> Iterator[list[IndexedArticle]]:
        run.store.search.drop_stale_search(run.component)
        run.summary.counts["removed"] += run.store.search.drop_orphan_search()
        yield from run.store.search.unindexed(self.batch_size)

    def key(self, item: IndexedArticle) -> str:
        return item.id

    def source(self, item: IndexedArticle) -> str:
        return f"{item.source} (article {item.id})" if item.source else item.id

    def process(self, items: list[IndexedArticle]) -> list[list[SearchEntry]]:
        return [entries(article) for article in items]

    def save(
        self, run: RunContext, items: list[IndexedArticle], results: list[list[SearchEntry]]
    ) -> Counts:
        run.store.search.save_search(
            run.component, [(a.id, rows) for a, rows in zip(items, results, strict=True)]
        )
        return {"indexed": len(items)}


def build(setup: Setup) -> Stage:
    return Stage(
        name="search",
        component=Component(COMPONENT),
        reads=("articles", "documents", "claims"),
        writes=("search_articles", "search_claims", "search_done", "search_rows"),
        steps=[IndexStep(setup.config)],
        describe=describe,
        redo=lambda store: store.search.drop_stale_search(""),
    )


def describe(summary: StageSummary) -> str:
    counts = summary.counts
    return f"Search: {counts['indexed']} articles indexed, {counts['removed']} removed."


SPEC = StageSpec("search", build, lambda setup: setup.config.search.enabled)
