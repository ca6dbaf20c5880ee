"""Nearest neighbours of unit vectors by cosine: exact (numpy, in blocks) for small sets, an
approximate HNSW index (usearch) for large ones, so cost grows near-linearly."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

EXACT_MAX = 20_000  # up to this many vectors, search exactly
BLOCK = 2048
Vectors = npt.NDArray[np.float32]


def neighbours(
    base: Vectors, queries: Vectors, k: int, threads: int = 0
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """For each query row, the ``k`` most similar rows of ``base``: ``(indices, cosines)``,
    best first (fewer columns when ``base`` is smaller than ``k``)."""
    k = min(k, len(base))
    if k == 0 or len(queries) == 0:
        return np.zeros((len(queries), 0), np.int64), np.zeros((len(queries), 0), np.float32)
    if len(base) <= EXACT_MAX:
        return _exact(base, queries, k)
    return _approximate(base, queries, k, threads)


def _exact(
    base: Vectors, queries: Vectors, k: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
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


def _approximate(
    base: Vectors, queries: Vectors, k: int, threads: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    from usearch.index import Index

    index = Index(
        ndim=base.shape[1],
        metric="ip",
        dtype="f16",
        connectivity=16,
        expansion_add=40,
        expansion_search=max(32, 2 * k),
    )
    index.add(np.arange(len(base)), base.astype(np.float32, copy=False), threads=threads)
    found = index.search(queries.astype(np.float32, copy=False), k, threads=threads)
    keys = np.asarray(found.keys, dtype=np.int64).reshape(len(queries), -1)
    scores = 1.0 - np.asarray(found.distances, dtype=np.float32).reshape(len(queries), -1)
    missing = keys < 0
    keys[missing] = 0
    scores[missing] = -1.0
    return keys, scores
