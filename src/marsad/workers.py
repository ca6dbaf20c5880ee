"""Run CPU-heavy batch work in worker processes, a few batches ahead of the writer.

The caller's thread keeps reading inputs and writing results (the store connection never
leaves it); workers only compute. With one worker everything runs in-process.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

K = TypeVar("K")
P = TypeVar("P")
R = TypeVar("R")


def worker_count(configured: int) -> int:
    """``pipeline.workers``: 0 means one per CPU core."""
    return configured or os.cpu_count() or 1


def run_batches(
    tasks: Iterable[tuple[K, P]],
    work: Callable[[P], R],
    done: Callable[[K, R], None],
    workers: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> None:
    """For every ``(key, payload)`` call ``done(key, work(payload))``, in order; only the
    payload travels to the worker processes."""
    if workers <= 1:
        if initializer:
            initializer(*initargs)
        for key, payload in tasks:
            done(key, work(payload))
        return
    with ProcessPoolExecutor(workers, initializer=initializer, initargs=initargs) as pool:
        ahead: deque[tuple[K, Future[R]]] = deque()
        for key, payload in tasks:
            ahead.append((key, pool.submit(work, payload)))
            if len(ahead) > workers:
                first, future = ahead.popleft()
                done(first, future.result())
        while ahead:
            first, future = ahead.popleft()
            done(first, future.result())
