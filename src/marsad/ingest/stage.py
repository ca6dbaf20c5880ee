"""Stage ingest: the inputs' documents into the store, with their short-line statistics.

Readers (:func:`marsad.ingest.iter_documents`) stream documents and problems; each document
gets its content-hash id and the keys of its short lines (the boilerplate statistics of its
outlet); batches are written by the runner. Then the outlets that received documents have
their recurring-line sets compared with the last ones, and an outlet whose set changed has its
documents marked for cleaning again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from marsad.clean import article_id
from marsad.clean.boilerplate import candidate_keys
from marsad.config import Config
from marsad.ingest import iter_documents
from marsad.records import IngestedDocument, Problem, RawDocument
from marsad.stage import BatchStep, Component, Stage, StageSpec, WholeStep

if TYPE_CHECKING:
    from marsad.stage import Counts, RunContext, Setup, StageSummary

COMPONENT = "ingest.v1"


class ReadStep(BatchStep[RawDocument, IngestedDocument]):
    """Documents read from the inputs (in this process: readers stream) and written."""

    name = "read"
    parallel = False

    def __init__(self, config: Config, inputs: list[str]) -> None:
        self.config = config
        self.inputs = inputs
        self.touched: set[str | None] = set()  # outlets that got new documents

    def pending(self, run: RunContext) -> Iterator[list[RawDocument]]:
        batch: list[RawDocument] = []
        for item in iter_documents(self.inputs, self.config):
            if isinstance(item, Problem):
                run.problem(item)
                continue
            batch.append(item)
            if len(batch) >= self.config.ingest.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def key(self, item: RawDocument) -> str:
        return item.source

    def process(self, items: list[RawDocument]) -> list[IngestedDocument]:
        clean = self.config.clean
        return [IngestedDocument(article_id(d), d, candidate_keys(d.text, clean)) for d in items]

    def save(
        self, run: RunContext, items: list[RawDocument], results: list[IngestedDocument]
    ) -> Counts:
        new_ids = set(run.store.documents.add_documents(run.run_id, results))
        self.touched.update(r.doc.outlet for r in results if r.id in new_ids)
        return {"read": len(results), "new": len(new_ids), "already": len(results) - len(new_ids)}


class BoilerplateStep(WholeStep):
    """Outlets whose recurring lines changed get their documents cleaned again."""

    name = "boilerplate"

    def __init__(self, config: Config, read: ReadStep) -> None:
        self.min_articles = config.clean.boilerplate_min_articles
        self.read = read

    def run(self, run: RunContext) -> Counts:
        marked = run.store.documents.refresh_boilerplate(self.read.touched, self.min_articles)
        return {"marked": marked}


def component(config: Config) -> Component:
    settings: dict[str, Any] = asdict(config.ingest)
    settings.pop("batch_size")
    return Component(COMPONENT, settings)


def build(setup: Setup) -> Stage:
    read = ReadStep(setup.config, list(setup.inputs))
    return Stage(
        name="ingest",
        component=component(setup.config),
        reads=("inputs",),
        writes=("documents", "line_counts", "outlet_boilerplate", "problems"),
        steps=[read, BoilerplateStep(setup.config, read)],
        describe=describe,
    )


def describe(summary: StageSummary) -> str:
    counts, problems = summary.counts, summary.problems
    bad = sum(problems.values())
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(problems.items()))
    return (
        f"Read {counts['read']} articles: {counts['new']} new, {counts['already']} already in "
        "the store (or repeated in the inputs). "
        + (f"Skipped {bad} bad items: {kinds}." if bad else "Skipped 0 bad items.")
    )


SPEC = StageSpec("ingest", build, lambda setup: bool(setup.inputs))
