"""Stage reuse over the store: fingerprint new articles, align their candidate pairs, rebuild
families, origins and transmission edges.

Incremental: articles are fingerprinted once; only pairs that involve an article not yet
compared are aligned (the "record" of a comparison is that new article, with all its pairs);
families are rebuilt from the stored passages (cheap) every run.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from marsad.config import Config, ReuseOptions
from marsad.records import ArticleText, Fingerprint, ReusePassage
from marsad.reuse import align_options, align_pair, component, fingerprint_article
from marsad.reuse import rebuild_families as rebuild
from marsad.reuse.align import Grams, grams
from marsad.reuse.candidates import CandidateOptions, find_candidates
from marsad.reuse.tokens import Tokens
from marsad.stage import BatchStep, Stage, StageSpec, WholeStep

if TYPE_CHECKING:
    from marsad.stage import Counts, RunContext, Setup, StageSummary

PAIRS_PER_TASK = 2000  # candidate pairs per batch sent to a worker
GRAMS_CACHE = 6000  # articles whose n-grams a worker keeps between pairs
FINGERPRINT_BATCH = 500
NO_HASHES = np.zeros(0, dtype=np.uint64)


class FingerprintStep(BatchStep[ArticleText, Fingerprint]):
    name = "fingerprint"

    def __init__(self, options: ReuseOptions) -> None:
        self.options = options

    def pending(self, run: RunContext) -> Iterator[list[ArticleText]]:
        run.store.reuse.drop_stale_reuse(run.component)
        yield from run.store.reuse.unfingerprinted(FINGERPRINT_BATCH)

    def key(self, item: ArticleText) -> str:
        return item.id

    def source(self, item: ArticleText) -> str:
        return f"{item.source} (article {item.id})" if item.source else item.id

    def process(self, items: list[ArticleText]) -> list[Fingerprint]:
        return [fingerprint_article(a.id, a.text, self.options.ngram) for a in items]

    def save(self, run: RunContext, items: list[ArticleText], results: list[Fingerprint]) -> Counts:
        run.store.reuse.save_fingerprints(run.component, results)
        return {"fingerprinted": len(results)}


@dataclass
class OwnerPairs:
    """A newly compared article with its candidate pairs, and the packed tokens and outlet of
    every article of its batch (one dict shared by the batch, so sent to a worker once)."""

    owner: str
    pairs: list[tuple[str, str]]
    texts: dict[str, tuple[bytes, str | None]]


class CompareStep(BatchStep[OwnerPairs, list[ReusePassage]]):
    name = "compare"
    unit = "articles"

    def __init__(self, options: ReuseOptions) -> None:
        self.options = options
        self.common: npt.NDArray[np.uint64] = NO_HASHES
        self.frequent: npt.NDArray[np.uint64] = NO_HASHES
        self._grams: OrderedDict[str, Grams] = OrderedDict()

    def pending(self, run: RunContext) -> Iterator[list[OwnerPairs]]:
        store, options = run.store, self.options
        ids, blobs = store.reuse.fingerprints()
        new = store.reuse.new_since_passages()
        if not new:
            return
        is_new = np.array([i in new for i in ids], dtype=bool)
        found = find_candidates(
            [np.frombuffer(blob, dtype=np.uint64) for blob in blobs],
            is_new,
            CandidateOptions(options.max_df, options.min_shared, options.formulaic_df),
        )
        del blobs
        # set before the first batch: forked workers inherit them
        self.common, self.frequent = found.common, found.frequent
        a_idx, b_idx = found.a, found.b
        run.summary.counts["candidates"] += int(a_idx.shape[0])
        owners = np.where(is_new[a_idx], a_idx, b_idx)
        order = np.argsort(owners, kind="stable")
        outlets = {m.id: m.outlet for m in store.reuse.article_metas()}
        with_pairs: set[str] = set()
        for chunk in _chunks(order, owners):
            by_owner: dict[str, list[tuple[str, str]]] = {}
            for k in chunk.tolist():
                by_owner.setdefault(ids[owners[k]], []).append((ids[a_idx[k]], ids[b_idx[k]]))
            needed = {x for pairs in by_owner.values() for pair in pairs for x in pair}
            tokens = store.reuse.token_blobs(needed)
            texts = {i: (tokens[i], outlets.get(i)) for i in needed}
            with_pairs.update(by_owner)
            yield [OwnerPairs(owner, pairs, texts) for owner, pairs in by_owner.items()]
        lonely = sorted(new - with_pairs)  # no candidates: compared already
        for k in range(0, len(lonely), PAIRS_PER_TASK):
            yield [OwnerPairs(owner, [], {}) for owner in lonely[k : k + PAIRS_PER_TASK]]

    def key(self, item: OwnerPairs) -> str:
        return item.owner

    def process(self, items: list[OwnerPairs]) -> list[list[ReusePassage]]:
        options = align_options(self.options)
        out = []
        for item in items:
            passages: list[ReusePassage] = []
            for a, b in item.pairs:
                (blob_a, outlet_a), (blob_b, outlet_b) = item.texts[a], item.texts[b]
                same = outlet_a is not None and outlet_a == outlet_b
                passages += align_pair(
                    self._grams_of(a, blob_a), self._grams_of(b, blob_b), a, b, same, options
                )
            out.append(passages)
        return out

    def _grams_of(self, article_id: str, blob: bytes) -> Grams:
        """The article's n-grams, from a per-worker LRU cache (pairs repeat articles)."""
        cache = self._grams
        found = cache.get(article_id)
        if found is None:
            tokens = Tokens.from_bytes(blob)
            found = grams(tokens, self.options.ngram, self.common, self.frequent)
            cache[article_id] = found
            if len(cache) > GRAMS_CACHE:
                cache.popitem(last=False)
        else:
            cache.move_to_end(article_id)
        return found

    def save(
        self, run: RunContext, items: list[OwnerPairs], results: list[list[ReusePassage]]
    ) -> Counts:
        pairs = [pair for item in items for pair in item.pairs]
        passages = [p for found in results for p in found]
        run.store.reuse.save_passages(
            run.component, pairs, passages, sorted(i.owner for i in items)
        )
        return {"compared": len(items), "passages": len(passages)}


class FamiliesStep(WholeStep):
    name = "families"

    def __init__(self, options: ReuseOptions) -> None:
        self.options = options

    def run(self, run: RunContext) -> Counts:
        passages = run.store.reuse.passages()
        texts = run.store.reuse.passage_texts()
        families = rebuild(run.store.reuse.article_metas(), passages, self.options, texts)
        run.store.reuse.replace_families(passages, families)
        return {"families": len(families)}


def _chunks(order: np.ndarray, owners: np.ndarray) -> Iterator[np.ndarray]:
    """Slices of ``order`` of about PAIRS_PER_TASK pairs that never split one owner's pairs."""
    start = 0
    total = order.shape[0]
    while start < total:
        end = min(start + PAIRS_PER_TASK, total)
        while end < total and owners[order[end]] == owners[order[end - 1]]:
            end += 1
        yield order[start:end]
        start = end


def build(setup: Setup) -> Stage:
    options = setup.config.reuse
    return Stage(
        name="reuse",
        component=component(options),
        reads=("articles", "documents"),
        writes=(
            "reuse_fingerprints",
            "reuse_compared",
            "reuse_passages",
            "reuse_families",
            "reuse_family_members",
            "reuse_edges",
        ),
        steps=[FingerprintStep(options), CompareStep(options), FamiliesStep(options)],
        describe=describe,
        redo=lambda store: store.reuse.forget_reuse(),
    )


def describe(summary: StageSummary) -> str:
    c = summary.counts
    return (
        f"Reuse: {c['fingerprinted']} articles indexed, {c['compared']} compared, "
        f"{c['candidates']} candidate pairs, {c['passages']} new passages, "
        f"{c['families']} families."
    )


def _enabled(setup: Setup) -> bool:
    config: Config = setup.config
    return config.reuse.enabled


SPEC = StageSpec("reuse", build, _enabled)
