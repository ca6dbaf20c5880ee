"""Nearest neighbours of unit vectors by cosine: exact (numpy, in blocks) for small sets, an
approximate HNSW index (usearch) for large ones, so cost grows near-linearly. Vectors may be
float16 (as stored) or float32; they are read, and made float32, a block at a time, and either
side may be :class:`Rows` of a matrix rather than a copy of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

EXACT_MAX = 20_000  # up to this many vectors, search exactly
BLOCK = 2048  # queries per block of an exact search
SEARCH_BLOCK = 16_384  # vectors per call when an HNSW index is filled or searched
EXPANSION_SEARCH = 32  # candidates an HNSW search keeps (at least twice k)
Vectors = npt.NDArray[np.floating[Any]]
Found = tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]


@dataclass(frozen=True)
class Rows:
    """Some rows of a matrix, gathered a block at a time: ``len()`` and ``[start:end]`` as a
    matrix of those rows would give, without copying them all."""

    matrix: Vectors
    rows: npt.NDArray[np.int64]

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), self.matrix.shape[1]

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, part: slice) -> Vectors:
        return self.matrix[self.rows[part]]


Queries = Vectors | Rows


def neighbours(base: Queries, queries: Queries, k: int, threads: int = 0) -> Found:
    """For each query row, the ``k`` most similar rows of ``base``: ``(indices, cosines)``,
    best first (fewer columns when ``base`` is smaller than ``k``)."""
    return NeighbourIndex(base, threads).search(queries, k)


class NeighbourIndex:
    """The rows of ``base``, searchable by cosine: exactly up to EXACT_MAX rows, through an
    HNSW graph built once (in one thread, so the same on every run) beyond. Searching a
    batch of queries at a time gives the same answers as searching them all at once."""

    def __init__(self, base: Queries, threads: int = 0) -> None:
        self.base = base
        self.threads = threads
        self.index: Any = None
        if len(base) > EXACT_MAX:
            self.index = _hnsw(base)

    def search(self, queries: Queries, k: int) -> Found:
        k = min(k, len(self.base))
        if k == 0 or len(queries) == 0:
            return np.zeros((len(queries), 0), np.int64), np.zeros((len(queries), 0), np.float32)
        if self.index is None:
            return _exact(self.base[0 : len(self.base)], queries, k)
        return _search(self.index, queries, k, self.threads)


def _exact(base: Vectors, queries: Queries, k: int) -> Found:
    indices = np.zeros((len(queries), k), np.int64)
    scores = np.zeros((len(queries), k), np.float32)
    base32 = base.astype(np.float32, copy=False)
    for start in range(0, len(queries), BLOCK):
        block = queries[start : start + BLOCK].astype(np.float32, copy=False) @ base32.T
        top = np.argpartition(-block, k - 1, axis=1)[:, :k]
        picked = np.take_along_axis(block, top, axis=1)
        order = np.argsort(-picked, axis=1)
        indices[start : start + len(block)] = np.take_along_axis(top, order, axis=1)
        scores[start : start + len(block)] = np.take_along_axis(picked, order, axis=1)
    return indices, scores


def _hnsw(base: Queries) -> Any:
    from usearch.index import Index

    index = Index(
        ndim=base.shape[1],
        metric="ip",
        dtype="f16",
        connectivity=16,
        expansion_add=40,
        expansion_search=EXPANSION_SEARCH,
    )
    for start in range(0, len(base), SEARCH_BLOCK):  # in order, a block at a time
        block = base[start : start + SEARCH_BLOCK].astype(np.float32, copy=False)
        # One thread: the graph, and so every neighbour list, is the same on every run
        # (threads inserting at once make it depend on timing). Searching is read-only.
        index.add(np.arange(start, start + len(block)), block, threads=1)
    return index


def _search(index: Any, queries: Queries, k: int, threads: int) -> Found:
    index.expansion_search = max(EXPANSION_SEARCH, 2 * k)
    keys = np.zeros((len(queries), k), np.int64)
    scores = np.zeros((len(queries), k), np.float32)
    for start in range(0, len(queries), SEARCH_BLOCK):
        block = queries[start : start + SEARCH_BLOCK].astype(np.float32, copy=False)
        found = index.search(block, k, threads=threads)
        end = start + len(block)
        keys[start:end] = np.asarray(found.keys, dtype=np.int64).reshape(len(block), -1)
        distances = np.asarray(found.distances, dtype=np.float32).reshape(len(block), -1)
        scores[start:end] = 1.0 - distances
    missing = keys < 0
    keys[missing] = 0
    scores[missing] = -1.0
    return keys, scores
