"""Stage clean (+ segment): every document not yet cleaned by the current component becomes a
cleaned, segmented article (or is marked as having no article text).

Documents are read in batches ordered by outlet, each with its outlet's recurring-line set (the
corpus statistics of boilerplate); cleaning runs in worker processes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from marsad.clean import Gazetteer, clean_document, component, gazetteer
from marsad.config import Config
from marsad.records import Article, Problem, StoredDocument
from marsad.stage import BatchStep, Stage, StageSpec
from marsad.store import Store

if TYPE_CHECKING:
    from marsad.stage import Counts, RunContext, Setup, StageSummary

MAX_CACHED_OUTLETS = 64


@dataclass
class CleanTask:
    """A stored document with the recurring lines of its outlet."""

    stored: StoredDocument
    frequent: frozenset[int]


class CleanStep(BatchStep[CleanTask, Article | Problem]):
    name = "clean"

    def __init__(self, config: Config, outlets: list[str]) -> None:
        self.config = config
        self.outlets = outlets
        self._gazetteer: Gazetteer | None = None

    def total(self, run: RunContext) -> int:
        return run.store.documents.count_pending(run.component)

    def pending(self, run: RunContext) -> Iterator[list[CleanTask]]:
        frequent = _FrequentLines(run.store, self.config.clean.boilerplate_min_articles)
        for batch in run.store.documents.pending_documents(
            run.component, self.config.ingest.batch_size
        ):
            yield [CleanTask(stored, frequent.get(stored.doc.outlet)) for stored in batch]

    def key(self, item: CleanTask) -> str:
        return item.stored.id

    def source(self, item: CleanTask) -> str:
        return item.stored.doc.source

    def process(self, items: list[CleanTask]) -> list[Article | Problem]:
        if self._gazetteer is None:
            self._gazetteer = gazetteer(self.config.clean, self.outlets)
        return [
            clean_document(t.stored.id, t.stored.doc, t.frequent, self._gazetteer, self.config)
            for t in items
        ]

    def save(
        self, run: RunContext, items: list[CleanTask], results: list[Article | Problem]
    ) -> Counts:
        articles: list[Article] = []
        rejected: list[tuple[str, str]] = []
        updated = 0
        for task, result in zip(items, results, strict=True):
            if isinstance(result, Problem):
                rejected.append((task.stored.id, result.kind))
                where = replace(result, stage="clean.clean", record=task.stored.id)
                run.problem(replace(where, component=run.component), bad_input=False)
            else:
                articles.append(result)
                updated += task.stored.cleaned_before
        run.store.documents.save_articles(run.component, articles, rejected)
        return {"cleaned": len(articles), "updated": updated, "no_text": len(rejected)}


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
            self.cache[outlet] = frozenset(
                self.store.documents.frequent_lines(outlet, self.min_articles)
            )
        return self.cache[outlet]


def build(setup: Setup) -> Stage:
    return Stage(
        name="clean",
        component=component(setup.config),
        reads=("documents", "line_counts"),
        writes=("articles", "sentences", "documents.clean_component", "search_done"),
        steps=[CleanStep(setup.config, setup.store.documents.outlets())],
        describe=describe,
        redo=lambda store: store.documents.forget_cleaning(),
    )


def describe(summary: StageSummary) -> str:
    counts = summary.counts
    return (
        f"Cleaned {counts['cleaned']} articles ({counts['updated']} updated); "
        f"{counts['no_text']} had no text left after cleaning."
    )


SPEC = StageSpec("clean", build)
