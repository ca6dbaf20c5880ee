"""Run CPU-heavy batch work in worker processes, a few batches ahead of the writer.

The caller's thread keeps reading inputs and writing results (the store connection never
leaves it); workers only compute. With one worker everything runs in-process. Workers are
forked, so what the parent prepared before the first batch (a loaded model, an index) is
shared with them rather than copied through a pipe.

A worker that dies (killed, out of memory, a crash in native code) takes its batch with it:
the batches in flight are then redone one item at a time in a fresh pool, and an item that
kills a worker again is handed back as ``crashed(item)`` instead of a result.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

I = TypeVar("I")  # noqa: E741 - one item of a batch
R = TypeVar("R")  # the outcome of one item


def worker_count(configured: int) -> int:
    """``pipeline.workers``: 0 means one per CPU core."""
    return configured or os.cpu_count() or 1


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def map_batches(
    batches: Iterable[list[I]],
    work: Callable[[list[I]], list[R]],
    workers: int,
    crashed: Callable[[I, str], R],
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[tuple[list[I], list[R]]]:
    """``(batch, work(batch))`` for every batch, in order; ``work`` runs in ``workers``
    processes (in this one when ``workers <= 1``)."""
    if workers <= 1:
        if initializer:
            initializer(*initargs)
        for batch in batches:
            yield batch, work(batch)
        return
    pool = _Pool(workers, initializer, initargs)
    ahead: deque[tuple[list[I], Future[list[R]]]] = deque()
    try:
        for batch in batches:
            ahead.append((batch, pool.submit(work, batch)))
            while len(ahead) > workers:
                yield from _collect(ahead, pool, work, crashed)
        while ahead:
            yield from _collect(ahead, pool, work, crashed)
    finally:
        pool.shutdown()


def _collect(
    ahead: deque[tuple[list[I], Future[list[R]]]],
    pool: _Pool,
    work: Callable[[list[I]], list[R]],
    crashed: Callable[[I, str], R],
) -> Iterator[tuple[list[I], list[R]]]:
    batch, future = ahead.popleft()
    try:
        result = future.result()
    except BrokenProcessPool:
        lost = [batch, *(b for b, _ in ahead)]
        ahead.clear()
        pool.restart()
        for each in lost:
            yield each, [_alone(item, pool, work, crashed) for item in each]
        return
    yield batch, result


def _alone(
    item: I, pool: _Pool, work: Callable[[list[I]], list[R]], crash: Callable[[I, str], R]
) -> R:
    """Redo one item in a fresh worker; if the worker dies again, the item is to blame."""
    try:
        return pool.submit(work, [item]).result()[0]
    except BrokenProcessPool:
        pool.restart()
        return crash(
            item,
            "the worker process died on this record (killed, out of memory, or "
            "a crash in native code)",
        )


class _Pool:
    """A process pool that can be started again after a worker died."""

    def __init__(
        self, workers: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]
    ) -> None:
        self.args = (workers, initializer, initargs)
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        workers, initializer, initargs = self.args
        return ProcessPoolExecutor(
            workers, mp_context=_context(), initializer=initializer, initargs=initargs
        )

    def submit(self, fn: Callable[[list[I]], list[R]], batch: list[I]) -> Future[list[R]]:
        """The batch's future; when a worker died since the last one was handed out, a
        future that fails as the others do, so the batch is redone with them."""
        try:
            return self.executor.submit(fn, batch)
        except BrokenProcessPool as err:
            broken: Future[list[R]] = Future()
            broken.set_exception(err)
            return broken

    def restart(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._start()

    def shutdown(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
