"""``marsad analyze``: run every stage that exists over the inputs and store the results.

Stages: ingest (readers) -> clean (boilerplate, dateline, date, language) -> segment ->
claims (claim units, attribution, actors, check-worthiness) -> reuse (the isnad).
Each stage reads and writes through the store in batches, so memory stays flat and an
interrupted run resumes where it stopped.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tqdm import tqdm

from marsad import claims, reuse, search
from marsad.actors.gazetteer import load_gazetteer
from marsad.claims import ClaimsSummary
from marsad.clean import article_id, clean_document, component_version, gazetteer
from marsad.clean.boilerplate import candidate_keys
from marsad.config import Config
from marsad.ingest import iter_documents
from marsad.narratives.catalog import Catalog
from marsad.narratives.stage import NarrativesSummary
from marsad.narratives.stage import run as run_narratives
from marsad.records import Article, Problem, RawDocument
from marsad.reuse import ReuseSummary
from marsad.search import SearchSummary
from marsad.store import Store, StoredDocument
from marsad.workers import run_batches, worker_count

LOGGER = logging.getLogger(__name__)
Reporter = Callable[[str], None]
MAX_CACHED_OUTLETS = 64


@dataclass
class RunSummary:
    read: int = 0  # documents read from the inputs
    new: int = 0  # of which new to the store
    already: int = 0  # of which already in the store (same content hash)
    cleaned: int = 0  # articles produced by the clean stage in this run
    updated: int = 0  # of which re-cleaned because a component or outlet statistics changed
    no_text: int = 0  # documents that had no article text left after cleaning
    problems: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)
    reuse: ReuseSummary | None = None
    claims: ClaimsSummary | None = None
    narratives: NarrativesSummary | None = None
    search: SearchSummary | None = None

    @property
    def nothing_read(self) -> bool:
        return self.read == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "new": self.new,
            "already": self.already,
            "cleaned": self.cleaned,
            "updated": self.updated,
            "no_text": self.no_text,
            "problems": dict(self.problems),
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "claims": None if self.claims is None else self.claims.as_dict(),
            "narratives": None if self.narratives is None else self.narratives.as_dict(),
            "search": None if self.search is None else {"indexed": self.search.indexed},
            "reuse": None
            if self.reuse is None
            else {
                "fingerprinted": self.reuse.fingerprinted,
                "compared": self.reuse.compared,
                "candidates": self.reuse.candidates,
                "passages": self.reuse.passages,
                "families": self.reuse.families,
                "seconds": {k: round(v, 3) for k, v in self.reuse.seconds.items()},
            },
        }

    def lines(self) -> list[str]:
        skipped = sum(self.problems.values())
        out = [
            f"Read {self.read} articles: {self.new} new, "
            f"{self.already} already in the store (or repeated in the inputs).",
            f"Cleaned {self.cleaned} articles ({self.updated} updated); "
            f"{self.no_text} had no text left after cleaning.",
            f"Skipped {skipped} bad items"
            + (
                ": " + ", ".join(f"{kind} {n}" for kind, n in sorted(self.problems.items()))
                if skipped
                else "."
            ),
        ]
        if self.claims is not None:
            out.append(self.claims.line())
        if self.reuse is not None:
            out.append(self.reuse.line())
        if self.narratives is not None:
            out.append(self.narratives.line())
        if self.search is not None:
            out.append(self.search.line())
        timing = ", ".join(f"{k} {v:.1f}s" for k, v in self.seconds.items())
        return [*out, f"Time: {timing}."]


@dataclass
class RunContext:
    """What every stage of one ``analyze`` run needs: settings, store, summary, reporting."""

    config: Config
    store: Store
    run_id: int
    summary: RunSummary
    report: Reporter
    progress: bool

    def say(self, line: str) -> None:
        """Report one line (above the progress bars when they are shown)."""
        if self.progress:
            tqdm.write(line)
        else:
            self.report(line)


def analyze(
    inputs: Iterable[str],
    config: Config,
    store: Store,
    report: Reporter,
    progress: bool = False,
    catalogs: Sequence[Catalog] = (),
) -> RunSummary:
    """Ingest ``inputs`` into ``store`` and run the later stages on what is new or stale;
    ``catalogs`` are matched along with those named by ``narratives.catalogs``."""
    inputs = list(inputs)
    summary = RunSummary()
    # A broken user gazetteer stops the run before anything is written (GazetteerError).
    gazetteer = (
        load_gazetteer(config.actors.gazetteer, config.actors.starter_gazetteer)
        if config.claims.enabled
        else None
    )
    for warning in gazetteer.warnings if gazetteer else []:
        report(f"gazetteer: {warning}")
    run_id = store.start_run("analyze " + " ".join(inputs))
    try:
        started = time.perf_counter()
        run = RunContext(config, store, run_id, summary, report, progress)
        outlets = ingest_stage(inputs, run)
        summary.seconds["ingest"] = time.perf_counter() - started
        started = time.perf_counter()
        store.refresh_boilerplate(outlets, config.clean.boilerplate_min_articles)
        clean_stage(run)
        summary.seconds["clean+segment"] = time.perf_counter() - started
        if config.claims.enabled:
            started = time.perf_counter()
            summary.claims = claims.run(config, store, progress, gazetteer)
            summary.seconds["claims"] = time.perf_counter() - started
        if config.reuse.enabled:
            started = time.perf_counter()
            summary.reuse = reuse.run(config, store, progress)
            summary.seconds["reuse"] = time.perf_counter() - started
        if (config.narratives.enabled or catalogs) and config.claims.enabled:
            started = time.perf_counter()
            summary.narratives = run_narratives(
                config, store, run.say, progress, catalogs, gazetteer
            )
            summary.seconds["narratives"] = time.perf_counter() - started
        if config.search.enabled:
            summary.search = search.run(config, store, progress)
            summary.seconds["search"] = summary.search.seconds
    except BaseException:
        store.finish_run(run_id, "interrupted", summary.as_dict())
        raise
    store.finish_run(run_id, "done", summary.as_dict())
    return summary


def ingest_stage(inputs: list[str], run: RunContext) -> set[str | None]:
    """Read every input; write new documents in batches. Returns the outlets that got new ones."""
    config, store, run_id, summary = run.config, run.store, run.run_id, run.summary
    batch: list[tuple[str, RawDocument, set[int]]] = []
    problems: list[Problem] = []
    touched: set[str | None] = set()
    bar = tqdm(desc="ingest", unit=" articles", disable=not run.progress, leave=False)

    def flush() -> None:
        new_ids = set(store.add_documents(run_id, batch))
        summary.new += len(new_ids)
        summary.already += len(batch) - len(new_ids)
        touched.update(doc.outlet for doc_id, doc, _ in batch if doc_id in new_ids)
        store.add_problems(run_id, problems)
        batch.clear()
        problems.clear()

    for item in iter_documents(inputs, config):
        if isinstance(item, Problem):
            summary.problems[item.kind] += 1
            problems.append(item)
            run.say(item.line())
            continue
        summary.read += 1
        bar.update()
        batch.append((article_id(item), item, candidate_keys(item.text, config.clean)))
        if len(batch) >= config.ingest.batch_size:
            flush()
    flush()
    bar.close()
    return touched


def clean_stage(run: RunContext) -> None:
    """Clean and segment every document not yet cleaned by the current components.

    Batches are read and written here; the cleaning itself runs in worker processes when
    ``pipeline.workers`` allows, a few batches ahead of the writes.
    """
    config, store, run_id, summary = run.config, run.store, run.run_id, run.summary
    component = component_version(config)
    bar = tqdm(
        total=store.count_pending(component),
        desc="clean",
        unit=" articles",
        disable=not run.progress,
        leave=False,
    )
    outlets = store.outlets()
    frequent = _FrequentLines(store, config.clean.boilerplate_min_articles)

    def save(batch: list[StoredDocument], results: list[Article | Problem]) -> None:
        articles: list[Article] = []
        rejected: list[tuple[str, str]] = []
        problems: list[Problem] = []
        for stored, result in zip(batch, results, strict=True):
            if isinstance(result, Problem):
                rejected.append((stored.id, result.kind))
                problems.append(result)
                run.say(result.line())
            else:
                articles.append(result)
                summary.updated += stored.cleaned_before
        store.save_articles(component, articles, rejected)
        store.add_problems(run_id, problems)
        summary.cleaned += len(articles)
        summary.no_text += len(rejected)
        bar.update(len(batch))

    tasks = (
        (batch, _task(batch, frequent))
        for batch in store.pending_documents(component, config.ingest.batch_size)
    )
    run_batches(
        tasks,
        _clean_batch,
        save,
        worker_count(config.pipeline.workers),
        _init_worker,
        (config, outlets),
    )
    bar.close()


class _FrequentLines:
    """Recurring-line sets per outlet, read from the store once each."""

    def __init__(self, store: Store, min_articles: int) -> None:
        self.store = store
        self.min_articles = min_articles
        self.cache: dict[str | None, frozenset[int]] = {}

    def get(self, outlet: str | None) -> frozenset[int]:
        if outlet not in self.cache:
            if len(self.cache) > MAX_CACHED_OUTLETS:
                self.cache.clear()
            self.cache[outlet] = frozenset(self.store.frequent_lines(outlet, self.min_articles))
        return self.cache[outlet]


_Task = tuple[list[tuple[str, RawDocument]], dict[str | None, frozenset[int]]]
_WORKER: dict[str, Any] = {}


def _task(batch: list[StoredDocument], frequent: _FrequentLines) -> _Task:
    outlets = {stored.doc.outlet for stored in batch}
    return [(s.id, s.doc) for s in batch], {o: frequent.get(o) for o in outlets}


def _init_worker(config: Config, outlets: list[str]) -> None:
    _WORKER["config"] = config
    _WORKER["gazetteer"] = gazetteer(config.clean, outlets)


def _clean_batch(task: _Task) -> list[Article | Problem]:
    docs, frequent = task
    config, gaz = _WORKER["config"], _WORKER["gazetteer"]
    return [clean_document(doc_id, doc, frequent[doc.outlet], gaz, config) for doc_id, doc in docs]
