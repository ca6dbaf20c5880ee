"""The one runner of every stage: batching, workers, progress, timing, transactions and
error capture, the same for all (the contract is :mod:`marsad.stage`).

Failure is per record. When ``process`` raises on a batch, the batch is done again one record
at a time in the worker, so only the records that raise are lost; when ``save`` raises, the
batch's transaction is rolled back and its records are written one at a time. Each record
that fails becomes a ``problems`` row (stage, record, exception, component) and one line,
and a ``failures`` row that makes later runs skip it until the component changes. A whole
step that fails marks its stage failed and the run goes on with the next stage. Errors of the
store itself (disk full, a locked database) and Ctrl-C stop the run: the store keeps every
batch written before.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from typing import Any

from tqdm import tqdm

from marsad import __version__
from marsad.records import Failure, Problem
from marsad.stage import BatchStep, Counts, RunContext, Stage, StageSummary, WholeStep
from marsad.workers import map_batches, worker_count

LOGGER = logging.getLogger(__name__)
MAX_MESSAGE_CHARS = 300  # of an exception's message, in a problem line
FATAL = (sqlite3.OperationalError, MemoryError)  # the store or the machine, not the record

_WORKER: dict[str, Any] = {}  # the step a worker process runs (set by _init)


def run_stage(stage: Stage, run: RunContext) -> StageSummary:
    """Run every step of ``stage``; the summary says what it did and what failed."""
    summary = StageSummary(stage.name)
    run.summary = summary
    run.component = stage.component.version()
    for step in stage.steps:
        started = time.perf_counter()
        try:
            if isinstance(step, WholeStep):
                _run_whole(step, run)
            else:
                _run_batches(stage, step, run)
        except FATAL:
            raise
        except Exception as err:
            if run.fail_fast:
                raise
            LOGGER.debug("step %s.%s failed", stage.name, step.name, exc_info=True)
            summary.failed += 1
            summary.status = "failed"
            run.problem(
                Problem(
                    source=f"{stage.name}.{step.name}",
                    kind="error",
                    message=f"the step failed: {describe(err)}",
                    action="the rest of the stage was skipped; the run went on",
                    stage=f"{stage.name}.{step.name}",
                    exception=describe(err),
                    component=run.component,
                ),
                bad_input=False,
            )
            with run.store.transaction():
                _flush_problems(run)
            if not (isinstance(step, WholeStep) and step.independent):
                break  # later steps of a stage build on the earlier ones
        finally:
            summary.seconds[step.name] = summary.seconds.get(step.name, 0.0) + (
                time.perf_counter() - started
            )
    if summary.failed and summary.status == "done":
        summary.status = "failed"
    return summary


def _run_whole(step: WholeStep, run: RunContext) -> None:
    if step.atomic:
        with run.store.transaction():
            counts = step.run(run)
            _flush_problems(run)
    else:
        counts = step.run(run)
        with run.store.transaction():
            _flush_problems(run)
    run.summary.counts.update(counts or {})


def describe(err: BaseException) -> str:
    """``Type: message``, cut to a readable length and on one line."""
    message = " ".join(str(err).split())
    if len(message) > MAX_MESSAGE_CHARS:
        message = message[:MAX_MESSAGE_CHARS] + "…"
    return f"{type(err).__name__}: {message}" if message else type(err).__name__


def _run_batches(stage: Stage, step: BatchStep[Any, Any], run: RunContext) -> None:
    step_id = f"{stage.name}.{step.name}"
    skip = run.store.runs.failed_records(step_id, _failure_key(run))
    workers = worker_count(run.config.pipeline.workers) if step.parallel else 1
    total = step.total(run) if run.progress else None
    bar = tqdm(
        total=total, desc=step_id, unit=f" {step.unit}", disable=not run.progress, leave=False
    )

    def batches() -> Iterator[list[Any]]:
        for batch in step.pending(run):
            todo = [item for item in batch if step.key(item) not in skip] if skip else batch
            run.summary.skipped += len(batch) - len(todo)
            if todo:
                yield todo

    def crashed(item: Any, why: str) -> Failure:
        return Failure(step.key(item), why)

    try:
        for items, outcomes in map_batches(
            batches(), _process, workers, crashed, _init, (step, run.fail_fast)
        ):
            _save(step_id, step, run, items, outcomes)
            bar.update(len(items))
        with run.store.transaction():
            _flush_problems(run)
    finally:
        bar.close()


def _init(step: BatchStep[Any, Any], fail_fast: bool) -> None:
    _WORKER["step"] = step
    _WORKER["fail_fast"] = fail_fast


def _process(items: list[Any]) -> list[Any]:
    """In a worker: the step's results for ``items``, a :class:`Failure` for each item that
    raises (the batch is done again one item at a time to find them)."""
    step: BatchStep[Any, Any] = _WORKER["step"]
    try:
        return _checked(step, items)
    except Exception as err:
        if _WORKER["fail_fast"]:
            raise
        if len(items) == 1:
            return [Failure(step.key(items[0]), describe(err))]
    out: list[Any] = []
    for item in items:
        try:
            out.extend(_checked(step, [item]))
        except Exception as err:
            out.append(Failure(step.key(item), describe(err)))
    return out


def _checked(step: BatchStep[Any, Any], items: list[Any]) -> list[Any]:
    results = step.process(items)
    if len(results) != len(items):
        raise RuntimeError(f"{step.name} gave {len(results)} results for {len(items)} records")
    return results


def _save(
    step_id: str,
    step: BatchStep[Any, Any],
    run: RunContext,
    items: list[Any],
    outcomes: list[Any],
) -> None:
    """Write a batch in one transaction; if that fails, its records one at a time."""
    good = [(i, o) for i, o in zip(items, outcomes, strict=True) if not isinstance(o, Failure)]
    failed = [(i, o) for i, o in zip(items, outcomes, strict=True) if isinstance(o, Failure)]
    try:
        with run.store.transaction():
            counts = step.save(run, [i for i, _ in good], [o for _, o in good]) if good else None
            _record_failures(step_id, step, run, failed)
        _count(run, counts, len(failed))
        return
    except FATAL:
        raise
    except Exception:
        if run.fail_fast:
            raise
        LOGGER.debug("saving a batch of %s failed; saving its records one by one", step_id)
    for item, outcome in good:
        try:
            with run.store.transaction():
                counts = step.save(run, [item], [outcome])
            _count(run, counts, 0)
        except FATAL:
            raise
        except Exception as err:
            failed.append((item, Failure(step.key(item), describe(err))))
    with run.store.transaction():
        _record_failures(step_id, step, run, failed)
    _count(run, None, len(failed))


def _count(run: RunContext, counts: Counts | None, failed: int) -> None:
    run.summary.counts.update(counts or {})
    if failed:
        run.summary.failed += failed
        run.summary.status = "failed"


def _record_failures(
    step_id: str, step: BatchStep[Any, Any], run: RunContext, failed: list[tuple[Any, Failure]]
) -> None:
    """Problems and failure rows for the records of a batch that failed (inside the batch's
    transaction), plus the bad input items reported since the last batch."""
    for item, failure in failed:
        run.problem(
            Problem(
                source=step.source(item),
                kind="error",
                message=f"{step_id} failed on this record: {failure.exception}",
                action="record skipped until the component changes; the run went on",
                stage=step_id,
                record=failure.record,
                exception=failure.exception,
                component=run.component,
            ),
            bad_input=False,
        )
    if failed:
        run.store.runs.add_failures(run.run_id, step_id, _failure_key(run), [f for _, f in failed])
    _flush_problems(run)


def _failure_key(run: RunContext) -> str:
    """What a failure is skipped under: the stage's component and Marsad's version, so a new
    release (which may fix the bug) tries the record again, as does a new setting or model."""
    return f"{run.component}@{__version__}"


def _flush_problems(run: RunContext) -> None:
    if run.pending_problems:
        run.store.runs.add_problems(run.run_id, run.pending_problems)
        run.pending_problems.clear()
