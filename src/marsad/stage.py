"""The stage contract: what every stage of ``marsad analyze`` declares.

A :class:`Stage` has a name, a versioned :class:`Component` (its code version, the settings it
uses, the digests of its model files), the tables it reads and writes, and a list of steps:

* a :class:`BatchStep` turns records into results: ``pending`` lists the records not yet done
  by the current component, ``process`` is a pure function of a batch (it may run in a worker
  process), ``save`` writes a batch's results (the runner wraps it in one transaction);
* a :class:`WholeStep` works on everything at once (rebuilding families from all passages, say).

:mod:`marsad.runner` runs them all the same way: batching, workers, progress, timing,
transactions, and error capture per record. Stages never open transactions of their own.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from tqdm import tqdm

from marsad.records import Problem

if TYPE_CHECKING:
    from marsad.actors.gazetteer import Gazetteer
    from marsad.config import Config
    from marsad.records import Catalog
    from marsad.store import Store

I = TypeVar("I")  # noqa: E741 - the record type a step reads
R = TypeVar("R")  # the result type it writes
Reporter = Callable[[str], None]
Counts = Mapping[str, int]


def file_digest(path: str | Path) -> str:
    """Short SHA-256 of a model or data file, for a component version."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:8]


@dataclass(frozen=True)
class Component:
    """What made a stage's output. A stored result records ``version()``; when any part
    changes (code, a setting, a model file), the stage redoes what the old version made."""

    code: str  # code versions, e.g. "clean.v1+segment.v1+ar-norm-v1"
    settings: Any = None  # the settings the stage reads (JSON-able)
    models: tuple[tuple[str, str], ...] = ()  # (name, file digest)

    def version(self) -> str:
        parts = [self.code, *(f"{name}-{digest}" for name, digest in self.models)]
        if self.settings is not None:
            blob = json.dumps(self.settings, sort_keys=True, ensure_ascii=False, default=str)
            parts.append(hashlib.sha256(blob.encode("utf-8")).hexdigest()[:8])
        return "+".join(parts)


class BatchStep(ABC, Generic[I, R]):
    """Records in, results out, a batch at a time; a record that fails is skipped alone."""

    name: str = "process"
    parallel: bool = True  # process() may run in worker processes (pipeline.workers)
    unit: str = "articles"  # what the progress bar counts

    def total(self, run: RunContext) -> int | None:
        """How many records are pending (for the progress bar), when cheap to know."""
        return None

    @abstractmethod
    def pending(self, run: RunContext) -> Iterator[list[I]]:
        """Batches of the records this step has not done under the current component."""

    @abstractmethod
    def key(self, item: I) -> str:
        """The record's id: what a failure is recorded under and skipped by."""

    def source(self, item: I) -> str:
        """Where the record came from, as shown in a problem line."""
        return self.key(item)

    @abstractmethod
    def process(self, items: list[I]) -> list[R]:
        """One result per item, in order. Pure: no store, no reporting."""

    @abstractmethod
    def save(self, run: RunContext, items: list[I], results: list[R]) -> Counts | None:
        """Write the results of ``items`` (inside the runner's transaction); the counts
        returned are added to the stage's summary once the transaction is committed."""


class WholeStep(ABC):
    """A step over everything at once; if it fails, the stage is marked failed."""

    name: str = "build"
    atomic: bool = True  # the runner makes the whole step one transaction
    independent: bool = False  # when it fails, the stage's later steps still run

    @abstractmethod
    def run(self, run: RunContext) -> Counts | None:
        """Do the work through the store (in one transaction when ``atomic``, else each
        store write is its own)."""


Step = BatchStep[Any, Any] | WholeStep


@dataclass
class Stage:
    """A stage of ``marsad analyze``, as the runner sees it."""

    name: str
    component: Component
    reads: tuple[str, ...]  # tables (or inputs) it reads
    writes: tuple[str, ...]  # tables it writes
    steps: Sequence[Step]
    describe: Callable[[StageSummary], str]  # the summary line shown after a run
    redo: Callable[[Store], None] | None = None  # forget its work (analyze --redo)


@dataclass
class Setup:
    """What stages are built from: the run's settings, store, inputs and catalogues."""

    config: Config
    store: Store
    inputs: Sequence[str] = ()
    catalogs: Sequence[Catalog] = ()
    gazetteer: Gazetteer | None = None  # loaded once per run when the claims stage is on


@dataclass(frozen=True)
class StageSpec:
    """A registered stage: its name, whether the settings turn it on, how to build it (just
    before it runs, so it sees what the stages before it wrote)."""

    name: str
    build: Callable[[Setup], Stage]
    enabled: Callable[[Setup], bool] = lambda setup: True


@dataclass
class StageSummary:
    """What one stage did in one run."""

    name: str
    status: str = "done"  # done, failed (a step or some records failed), skipped
    counts: Counter[str] = field(default_factory=Counter)
    problems: Counter[str] = field(default_factory=Counter)  # bad input items, by kind
    failed: int = 0  # records (or whole steps) that raised
    skipped: int = 0  # records skipped because they failed under this component before
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "counts": dict(self.counts),
            "problems": dict(self.problems),
            "failed": self.failed,
            "skipped": self.skipped,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


@dataclass
class RunContext:
    """What every step of one run can use: settings, store, reporting, the stage's summary."""

    config: Config
    store: Store
    run_id: int
    report: Reporter
    progress: bool = False
    fail_fast: bool = False
    summary: StageSummary = field(default_factory=lambda: StageSummary(""))
    component: str = ""  # version of the running stage's component
    pending_problems: list[Problem] = field(default_factory=list)

    def say(self, line: str) -> None:
        """Report one line (above the progress bars when they are shown)."""
        if self.progress:
            tqdm.write(line)
        else:
            self.report(line)

    def problem(self, problem: Problem, bad_input: bool = True) -> None:
        """Report a bad item now; it is stored with the next batch the runner writes.
        ``bad_input`` counts it among the stage's input problems (record failures are
        counted by the runner instead)."""
        if bad_input:
            self.summary.problems[problem.kind] += 1
        self.pending_problems.append(problem)
        self.say(problem.line())
