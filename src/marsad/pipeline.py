"""``marsad analyze``: a loop over the registered stages.

ingest -> clean (+ segment) -> claims -> reuse -> narratives -> search. Each stage declares
its component and steps (:mod:`marsad.stage`); :mod:`marsad.runner` runs them in batches with
per-record error capture. The store is written by one process at a time: a second run waits
for the first or stops with one line naming it.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from marsad.actors.gazetteer import load_gazetteer
from marsad.claims.stage import SPEC as CLAIMS
from marsad.clean.stage import SPEC as CLEAN
from marsad.config import Config
from marsad.ingest.stage import SPEC as INGEST
from marsad.narratives.catalog import read_catalog
from marsad.narratives.stage import SPEC as NARRATIVES
from marsad.records import Catalog
from marsad.reuse.stage import SPEC as REUSE
from marsad.runner import run_stage
from marsad.search import SPEC as SEARCH
from marsad.stage import Reporter, RunContext, Setup, StageSpec, StageSummary
from marsad.store import Store

LOGGER = logging.getLogger(__name__)
STAGES: tuple[StageSpec, ...] = (INGEST, CLEAN, CLAIMS, REUSE, NARRATIVES, SEARCH)
STAGE_NAMES = tuple(spec.name for spec in STAGES)


@dataclass(frozen=True)
class Plan:
    """Which stages a run does: ``only`` these, those ``until`` one (inclusive), and which to
    ``redo`` from scratch (their outputs and recorded failures are forgotten first)."""

    only: tuple[str, ...] = ()
    until: str | None = None
    redo: tuple[str, ...] = ()
    fail_fast: bool = False
    wait: float = 0.0  # seconds to wait for another writer of the store

    def stages(self) -> list[StageSpec]:
        for name in (*self.only, *self.redo, *([self.until] if self.until else [])):
            if name not in STAGE_NAMES:
                raise ValueError(f"unknown stage {name!r}; stages: {', '.join(STAGE_NAMES)}")
        chosen = list(STAGES)
        if self.until:
            chosen = chosen[: STAGE_NAMES.index(self.until) + 1]
        if self.only:
            chosen = [spec for spec in chosen if spec.name in self.only]
        return chosen


@dataclass
class RunSummary:
    """What a run did, stage by stage; ``status`` is done, failed or interrupted."""

    stages: dict[str, StageSummary] = field(default_factory=dict)
    status: str = "running"
    describe: dict[str, Any] = field(default_factory=dict)  # stage -> its summary line maker

    def counts(self, stage: str) -> Counter[str]:
        found = self.stages.get(stage)
        return found.counts if found else Counter()

    @property
    def problems(self) -> Counter[str]:
        """Bad input items of every stage, by kind."""
        out: Counter[str] = Counter()
        for summary in self.stages.values():
            out.update(summary.problems)
        return out

    @property
    def failed(self) -> dict[str, int]:
        """Records (or whole steps) that failed, per stage."""
        return {name: s.failed for name, s in self.stages.items() if s.failed}

    @property
    def nothing_read(self) -> bool:
        return "ingest" in self.stages and self.counts("ingest")["read"] == 0

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "stages": {k: v.as_dict() for k, v in self.stages.items()}}

    def lines(self) -> list[str]:
        out = [self.describe[name](summary) for name, summary in self.stages.items()]
        for name, n in self.failed.items():
            out.append(
                f"{name}: {n} records failed (listed by `marsad status`); they are skipped "
                "until the code or settings change."
            )
        timing = ", ".join(
            f"{name} {sum(s.seconds.values()):.1f}s" for name, s in self.stages.items()
        )
        return [*out, f"Time: {timing}."]


def analyze(
    inputs: Iterable[str],
    config: Config,
    store: Store,
    report: Reporter,
    progress: bool = False,
    catalogs: Sequence[Catalog] = (),
    plan: Plan | None = None,
) -> RunSummary:
    """Ingest ``inputs`` into ``store`` and run the later stages on what is new or stale;
    ``catalogs`` are matched along with those named by ``narratives.catalogs``."""
    plan = plan or Plan()
    inputs = list(inputs)
    specs = plan.stages()
    command = "analyze " + " ".join(inputs)
    # Settings errors (a broken gazetteer or catalogue file) stop the run before any write.
    gazetteer = (
        load_gazetteer(config.actors.gazetteer, config.actors.starter_gazetteer)
        if config.claims.enabled
        else None
    )
    for warning in gazetteer.warnings if gazetteer else []:
        report(f"gazetteer: {warning}")
    catalogs = [*catalogs, *(read_catalog(path) for path in config.narratives.catalogs)]
    store.lock_writer(command, plan.wait)
    setup = Setup(config, store, inputs, catalogs, gazetteer)
    summary = RunSummary()
    run = RunContext(config, store, store.runs.start_run(command), report, progress, plan.fail_fast)
    try:
        for name in plan.redo:
            _forget(name, setup)
        for spec in specs:
            if not spec.enabled(setup):
                continue
            stage = spec.build(setup)
            summary.describe[stage.name] = stage.describe
            summary.stages[stage.name] = run_stage(stage, run)
    except BaseException as err:
        summary.status = "interrupted" if isinstance(err, KeyboardInterrupt) else "failed"
        store.runs.finish_run(run.run_id, summary.status, summary.as_dict())
        raise
    summary.status = "failed" if summary.failed else "done"
    store.runs.finish_run(run.run_id, summary.status, summary.as_dict())
    return summary


def _forget(name: str, setup: Setup) -> None:
    """``--redo``: forget what a stage made, and the records it failed on."""
    spec = next(s for s in STAGES if s.name == name)
    stage = spec.build(setup)
    if stage.redo is not None:
        stage.redo(setup.store)
    setup.store.runs.forget_failures(name)
