"""Worker processes: order kept, and a worker that dies costs only the item that killed it,
whether its death is seen when collecting a batch or when sending the next one."""

from __future__ import annotations

import os

import pytest

from marsad.workers import map_batches

DEADLY = 7


def square_or_die(items: list[int]) -> list[object]:
    if DEADLY in items:
        os._exit(3)  # as the OOM killer would: no exception, no result
    return [i * i for i in items]


def crashed(item: int, why: str) -> object:
    return ("crashed", item)


@pytest.mark.parametrize("workers", [2, 3])
def test_a_dying_worker_costs_only_its_item(workers: int) -> None:
    batches = [list(range(k, k + 4)) for k in range(1, 21, 4)]
    for _ in range(3):  # the death is seen at different moments from run to run
        out = list(map_batches(iter(batches), square_or_die, workers, crashed))
        assert [b for b, _ in out] == batches
        results = [r for _, found in out for r in found]
        assert results == [("crashed", i) if i == DEADLY else i * i for i in range(1, 21)]


def test_one_worker_runs_in_process() -> None:
    out = list(map_batches(iter([[1, 2], [3]]), lambda b: [x + 1 for x in b], 1, crashed))
    assert out == [([1, 2], [2, 3]), ([3], [4])]
