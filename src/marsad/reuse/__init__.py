"""Stage reuse (isnad): passages shared between articles, their origin, their transmission.

``run`` does the I/O; the steps are pure functions in the submodules:

* :mod:`tokens` - ``tokenize``: words with spans and edit-tolerant keys;
* :mod:`candidates` - ``fingerprint`` and ``find_candidates``: a content-word n-gram index;
* :mod:`align` - ``align``: span-to-span local alignment of a candidate pair;
* :mod:`origin` - ``infer_direction``, ``build_families``: who copied whom.

Incremental: articles are fingerprinted once; only pairs that involve an article not yet
compared are aligned; families are rebuilt from the stored passages (cheap) every run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from tqdm import tqdm

from marsad.clean.dateline import agency_spellings
from marsad.config import Config, ReuseOptions
from marsad.normalize import PROFILE, normalize
from marsad.records import ReusePassage
from marsad.reuse.align import COMPONENT as ALIGN_COMPONENT
from marsad.reuse.align import AlignOptions, Grams, align, char_span, grams
from marsad.reuse.candidates import CandidateOptions, find_candidates, fingerprint
from marsad.reuse.origin import (
    ArticleMeta,
    OriginOptions,
    build_families,
    extract_credits,
    infer_direction,
)
from marsad.reuse.tokens import COMPONENT as TOKENS_COMPONENT
from marsad.reuse.tokens import Tokens, tokenize
from marsad.store import Store
from marsad.workers import run_batches, worker_count

LOGGER = logging.getLogger(__name__)
PAIRS_PER_TASK = 2000
GRAMS_CACHE = 6000  # articles whose n-grams a worker keeps between pairs
FINGERPRINT_BATCH = 500


@dataclass
class ReuseSummary:
    fingerprinted: int = 0
    compared: int = 0
    candidates: int = 0
    passages: int = 0
    families: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def line(self) -> str:
        return (
            f"Reuse: {self.fingerprinted} articles indexed, {self.compared} compared, "
            f"{self.candidates} candidate pairs, {self.passages} new passages, "
            f"{self.families} families."
        )


def component_version(options: ReuseOptions) -> str:
    """Names the reuse components and the settings that change their output."""
    key = json.dumps(
        [
            options.ngram,
            options.min_words,
            options.min_ratio,
            options.max_df,
            options.min_shared,
            options.formulaic_df,
            options.formulaic_words,
        ]
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:8]
    return f"{TOKENS_COMPONENT}+{ALIGN_COMPONENT}+{PROFILE}+{digest}"


def align_options(options: ReuseOptions) -> AlignOptions:
    return AlignOptions(
        ngram=options.ngram,
        min_words=options.min_words,
        min_ratio=options.min_ratio,
        formulaic_words=options.formulaic_words,
    )


def origin_options(options: ReuseOptions) -> OriginOptions:
    names = {normalize(n) for n in options.wire_agencies}
    spellings = agency_spellings()
    names |= set(spellings)
    return OriginOptions(options.same_time_hours, frozenset(names))


# -- work done in worker processes -------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _init(
    options: ReuseOptions, common: np.ndarray | None = None, frequent: np.ndarray | None = None
) -> None:
    _WORKER["options"] = options
    _WORKER["common"] = np.zeros(0, dtype=np.uint64) if common is None else common
    _WORKER["frequent"] = np.zeros(0, dtype=np.uint64) if frequent is None else frequent
    _WORKER["grams"] = OrderedDict()


def _grams(article_id: str, blob: bytes) -> Grams:
    """The article's n-grams, from a per-worker LRU cache (pairs repeat articles)."""
    cache: OrderedDict[str, Grams] = _WORKER["grams"]
    found = cache.get(article_id)
    if found is None:
        tokens = Tokens.from_bytes(blob)
        found = grams(tokens, _WORKER["options"].ngram, _WORKER["common"], _WORKER["frequent"])
        cache[article_id] = found
        if len(cache) > GRAMS_CACHE:
            cache.popitem(last=False)
    else:
        cache.move_to_end(article_id)
    return found


def fingerprint_batch(batch: list[tuple[str, str]]) -> list[tuple[str, bytes, bytes, list[str]]]:
    """Fingerprints, packed tokens and credits of ``(id, text)`` articles."""
    n = _WORKER["options"].ngram
    out = []
    for i, text in batch:
        tokens = tokenize(text)
        out.append((i, fingerprint(tokens, n).tobytes(), tokens.to_bytes(), extract_credits(text)))
    return out


AlignTask = tuple[list[tuple[str, str]], dict[str, tuple[bytes, str | None]]]


def align_batch(task: AlignTask) -> list[ReusePassage]:
    """Align candidate pairs; ``texts`` maps id -> (packed tokens, outlet)."""
    pairs, texts = task
    options = align_options(_WORKER["options"])
    out: list[ReusePassage] = []
    for a, b in pairs:
        ga, gb = _grams(a, texts[a][0]), _grams(b, texts[b][0])
        ta, tb = ga.tokens, gb.tokens
        for m in align(ga, gb, options):
            out.append(
                ReusePassage(
                    a,
                    b,
                    char_span(ta, m.a_start, m.a_end),
                    char_span(tb, m.b_start, m.b_end),
                    m.matched,
                    round(m.score, 4),
                    same_outlet=texts[a][1] is not None and texts[a][1] == texts[b][1],
                )
            )
    return out


# -- the stage -----------------------------------------------------------------------------------
def run(config: Config, store: Store, progress: bool = False) -> ReuseSummary:
    """Fingerprint new articles, align their candidate pairs, rebuild families."""
    options = config.reuse
    summary = ReuseSummary()
    component = component_version(options)
    workers = worker_count(config.pipeline.workers)
    started = time.perf_counter()
    store.drop_stale_reuse(component)
    _fingerprint(store, component, options, workers, summary)
    summary.seconds["index"] = time.perf_counter() - started
    started = time.perf_counter()
    _compare(store, component, options, workers, summary, progress)
    summary.seconds["align"] = time.perf_counter() - started
    started = time.perf_counter()
    summary.families = rebuild_families(store, options)
    summary.seconds["families"] = time.perf_counter() - started
    return summary


def _fingerprint(
    store: Store, component: str, options: ReuseOptions, workers: int, summary: ReuseSummary
) -> None:
    def save(_: None, rows: list[tuple[str, bytes, bytes, list[str]]]) -> None:
        store.save_fingerprints(component, rows)
        summary.fingerprinted += len(rows)

    tasks = ((None, batch) for batch in store.unfingerprinted(FINGERPRINT_BATCH))
    run_batches(tasks, fingerprint_batch, save, workers, _init, (options,))


def _compare(
    store: Store,
    component: str,
    options: ReuseOptions,
    workers: int,
    summary: ReuseSummary,
    progress: bool,
) -> None:
    ids, blobs = store.fingerprints()
    pending = store.new_since_passages()
    if not pending:
        return
    is_new = np.array([i in pending for i in ids], dtype=bool)
    fps = [np.frombuffer(blob, dtype=np.uint64) for blob in blobs]
    found = find_candidates(
        fps, is_new, CandidateOptions(options.max_df, options.min_shared, options.formulaic_df)
    )
    a_idx, b_idx = found.a, found.b
    summary.candidates = int(a_idx.shape[0])
    owners = np.where(is_new[a_idx], a_idx, b_idx)
    order = np.argsort(owners, kind="stable")
    outlets = {m["id"]: m["outlet"] for m in store.reuse_metadata()}
    bar = tqdm(
        total=summary.candidates, desc="reuse", unit=" pairs", disable=not progress, leave=False
    )

    def tasks() -> Iterator[tuple[tuple[list[tuple[str, str]], list[str]], AlignTask]]:
        for chunk in _chunks(order, owners):
            pairs = [(ids[a_idx[k]], ids[b_idx[k]]) for k in chunk]
            needed = {x for pair in pairs for x in pair}
            blobs = store.token_blobs(needed)
            done_owners = sorted({ids[owners[k]] for k in chunk})
            yield (pairs, done_owners), (pairs, {i: (blobs[i], outlets.get(i)) for i in needed})

    def save(key: tuple[list[tuple[str, str]], list[str]], passages: list[ReusePassage]) -> None:
        pairs, done_owners = key
        store.save_passages(component, pairs, passages, done_owners)
        summary.passages += len(passages)
        summary.compared += len(done_owners)
        bar.update(len(pairs))

    run_batches(tasks(), align_batch, save, workers, _init, (options, found.common, found.frequent))
    lonely = pending - {ids[o] for o in np.unique(owners)}
    store.save_passages(component, [], [], sorted(lonely))  # no candidates: compared already
    summary.compared += len(lonely)
    bar.close()


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


def rebuild_families(store: Store, options: ReuseOptions) -> int:
    """Directions of all passages, then families, origins and edges; returns the family count."""
    metas = {
        m["id"]: ArticleMeta(
            m["id"],
            m["outlet"],
            m["published"],
            m["dateline_agency"],
            tuple(json.loads(m["credits"])),
            m["text_len"],
        )
        for m in store.reuse_metadata()
    }
    passages = store.passages()
    opts = origin_options(options)
    spellings = agency_spellings()
    for p in passages:
        p.direction, p.reason, p.confidence = infer_direction(
            p, metas[p.article_a], metas[p.article_b], opts, spellings
        )
    families = build_families(passages, metas, opts, spellings)
    store.replace_families(passages, families)
    return len(families)


__all__ = ["ReuseSummary", "component_version", "rebuild_families", "run"]
