"""The stage runner on a small stage of its own, over a real store: batching, per-record
failure (in process, in workers, when saving, when a worker dies), skipping on reruns until
the component changes, whole steps, --fail-fast, and rollback on Ctrl-C."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad import __version__
from marsad.config import Config
from marsad.runner import run_stage
from marsad.stage import (
    BatchStep,
    Component,
    Counts,
    RunContext,
    Stage,
    StageSummary,
    WholeStep,
)
from marsad.store import Store

BAD = 7  # the record the toy step fails on (how, depends on the test)


class Squares(BatchStep[int, int]):
    """Squares numbers into a table; ``fail`` says how record BAD goes wrong."""

    name = "square"

    def __init__(self, numbers: list[int], fail: str = "", batch: int = 4) -> None:
        self.numbers = numbers
        self.fail = fail
        self.batch = batch
        self.seen: list[int] = []  # records process() was given (in this process)

    def pending(self, run: RunContext) -> Iterator[list[int]]:
        done = {row[0] for row in run.store.conn.execute("SELECT n FROM toy")}
        todo = [n for n in self.numbers if n not in done]
        for k in range(0, len(todo), self.batch):
            yield todo[k : k + self.batch]

    def key(self, item: int) -> str:
        return str(item)

    def process(self, items: list[int]) -> list[int]:
        self.seen.extend(items)
        if BAD in items and self.fail == "raise":
            raise ValueError(f"cannot square {BAD}")
        if BAD in items and self.fail == "die":
            os._exit(3)  # a worker killed (as by the OOM killer): no exception, no result
        if BAD in items and self.fail == "interrupt":
            raise KeyboardInterrupt
        return [n * n for n in items]

    def save(self, run: RunContext, items: list[int], results: list[int]) -> Counts:
        for n, square in zip(items, results, strict=True):
            if n == BAD and self.fail == "save":
                raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
            run.store.conn.execute("INSERT INTO toy (n, square) VALUES (?, ?)", (n, square))
        return {"squared": len(items)}


class Total(WholeStep):
    name = "total"

    def __init__(self, fail: bool = False, independent: bool = False) -> None:
        self.fail = fail
        self.independent = independent

    def run(self, run: RunContext) -> Counts:
        if self.fail:
            raise RuntimeError("no total today")
        total = run.store.conn.execute("SELECT SUM(square) FROM toy").fetchone()[0]
        run.store.conn.execute("INSERT INTO toy_total VALUES (?)", (total,))
        return {"totals": 1}


def toy_stage(steps: list[BatchStep[int, int] | WholeStep], version: str = "v1") -> Stage:
    return Stage(
        name="toy",
        component=Component(f"toy.{version}"),
        reads=("numbers",),
        writes=("toy", "toy_total"),
        steps=steps,
        describe=lambda summary: f"{summary.counts['squared']} squared",
    )


@pytest.fixture
def toy_store(store: Store) -> Store:
    store.conn.execute("CREATE TABLE toy (n INTEGER PRIMARY KEY, square INTEGER)")
    store.conn.execute("CREATE TABLE toy_total (total INTEGER)")
    return store


def run_toy(store: Store, config: Config, stage: Stage, fail_fast: bool = False) -> StageSummary:
    run = RunContext(config, store, store.runs.start_run("test"), lambda _: None)
    run.fail_fast = fail_fast
    return run_stage(stage, run)


def squared(store: Store) -> list[int]:
    return [row[0] for row in store.conn.execute("SELECT n FROM toy ORDER BY n")]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_record_that_raises_costs_only_itself(
    toy_store: Store, config: Config, workers: int
) -> None:
    config.pipeline.workers = workers
    step = Squares(list(range(1, 11)), fail="raise")
    summary = run_toy(toy_store, config, toy_stage([step, Total()]))
    assert squared(toy_store) == [n for n in range(1, 11) if n != BAD]
    assert summary.status == "failed" and summary.failed == 1
    assert summary.counts == {"squared": 9, "totals": 1}  # the later step still ran
    problem = toy_store.runs.problems()[0]
    assert problem["stage"] == "toy.square" and problem["record"] == str(BAD)
    assert problem["exception"] == f"ValueError: cannot square {BAD}"
    assert problem["component"] == "toy.v1" and problem["kind"] == "error"
    assert toy_store.runs.failed_records("toy.square", f"toy.v1@{__version__}") == {str(BAD)}


def test_a_failed_record_is_skipped_until_the_component_changes(
    toy_store: Store, config: Config
) -> None:
    run_toy(toy_store, config, toy_stage([Squares(list(range(1, 11)), fail="raise")]))
    again = Squares(list(range(1, 11)), fail="raise")
    summary = run_toy(toy_store, config, toy_stage([again]))
    assert again.seen == [] and summary.skipped == 1 and summary.status == "done"
    fixed = Squares(list(range(1, 11)))  # new code: a new component version
    summary = run_toy(toy_store, config, toy_stage([fixed], version="v2"))
    assert fixed.seen == [BAD] and summary.counts["squared"] == 1
    assert squared(toy_store) == list(range(1, 11))


def test_a_record_that_cannot_be_saved_costs_only_itself(toy_store: Store, config: Config) -> None:
    summary = run_toy(toy_store, config, toy_stage([Squares(list(range(1, 11)), fail="save")]))
    assert squared(toy_store) == [n for n in range(1, 11) if n != BAD]
    assert summary.failed == 1 and summary.counts["squared"] == 9
    assert toy_store.runs.problems()[0]["exception"].startswith("UnicodeEncodeError")


def test_a_worker_that_dies_costs_only_its_record(toy_store: Store, config: Config) -> None:
    config.pipeline.workers = 2
    summary = run_toy(toy_store, config, toy_stage([Squares(list(range(1, 21)), fail="die")]))
    assert squared(toy_store) == [n for n in range(1, 21) if n != BAD]
    assert summary.failed == 1
    assert "worker process died" in toy_store.runs.problems()[0]["exception"]


def test_a_failed_whole_step_stops_its_stage_unless_independent(
    toy_store: Store, config: Config
) -> None:
    after = Squares([100])
    summary = run_toy(toy_store, config, toy_stage([Squares([1, 2]), Total(fail=True), after]))
    assert summary.status == "failed" and after.seen == []
    assert toy_store.runs.problems()[0]["stage"] == "toy.total"
    assert toy_store.conn.execute("SELECT COUNT(*) FROM toy_total").fetchone()[0] == 0
    summary = run_toy(
        toy_store, config, toy_stage([Total(fail=True, independent=True), Squares([100])])
    )
    assert squared(toy_store) == [1, 2, 100]


def test_fail_fast_raises_the_first_error(toy_store: Store, config: Config) -> None:
    with pytest.raises(ValueError, match="cannot square"):
        run_toy(
            toy_store, config, toy_stage([Squares(list(range(1, 11)), "raise")]), fail_fast=True
        )


def test_ctrl_c_rolls_back_the_batch_in_flight(toy_store: Store, config: Config) -> None:
    with pytest.raises(KeyboardInterrupt):
        run_toy(toy_store, config, toy_stage([Squares(list(range(1, 11)), "interrupt", 4)]))
    assert squared(toy_store) == [1, 2, 3, 4]  # the first batch; 5-8 never written
    assert toy_store.runs.failed_records("toy.square", f"toy.v1@{__version__}") == set()


def test_nested_transactions_roll_back_alone(store: Store) -> None:
    store.conn.execute("CREATE TABLE t (x INTEGER)")
    with store.transaction():
        store.conn.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(ValueError), store.transaction():
            store.conn.execute("INSERT INTO t VALUES (2)")
            raise ValueError
        store.conn.execute("INSERT INTO t VALUES (3)")
    assert [r[0] for r in store.conn.execute("SELECT x FROM t ORDER BY x")] == [1, 3]


def test_component_version_names_code_models_and_settings() -> None:
    plain = Component("clean.v1+segment.v1")
    assert plain.version() == "clean.v1+segment.v1"
    full = Component("claims.v2", {"headlines": True}, (("ner", "ab12cd34"),))
    other = Component("claims.v2", {"headlines": False}, (("ner", "ab12cd34"),))
    assert full.version().startswith("claims.v2+ner-ab12cd34+")
    assert full.version() != other.version()
    assert (
        full.version()
        == Component("claims.v2", {"headlines": True}, (("ner", "ab12cd34"),)).version()
    )


def test_store_lock_file_sits_beside_the_store(store: Store, tmp_path: Path) -> None:
    store.lock_writer("test")
    assert (tmp_path / "test.db.lock").exists()
