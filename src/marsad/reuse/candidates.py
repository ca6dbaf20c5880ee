"""Candidate pairs: an index of content-word n-grams in the spirit of passim.

Each article is fingerprinted by the hashes of its content-word n-grams (stop words skipped,
so an edited function word does not break a shingle). An n-gram shared by more than
``reuse.max_df`` articles is a stock phrase (``الجيش العربي السوري``) or boilerplate and is
ignored; article pairs sharing at least ``reuse.min_shared`` of the remaining n-grams are
candidates for alignment. All of it is vectorised with numpy, so cost grows with the number of
n-gram occurrences, not with the number of article pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from marsad.reuse.tokens import Tokens

_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9))
_EMPTY = np.zeros(0, dtype=np.uint64)


def content_ngrams(tokens: Tokens, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the content-word n-grams and, for each, the token index where it starts."""
    positions = np.flatnonzero(tokens.content)
    if positions.shape[0] < n:
        return _EMPTY, np.zeros(0, dtype=np.int64)
    ids = tokens.ids[positions].astype(np.uint64)
    count = ids.shape[0] - n + 1
    hashes = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            hashes = hashes * _MIX[k % 3] + ids[k : k + count] * _MIX[(k + 1) % 3]
            hashes ^= hashes >> np.uint64(29)
    return hashes, positions[:count]


def fingerprint(tokens: Tokens, n: int) -> np.ndarray:
    """The distinct n-gram hashes of one article (sorted), as stored in the index."""
    return np.unique(content_ngrams(tokens, n)[0])


@dataclass(frozen=True)
class CandidateOptions:
    max_df: int
    min_shared: int


def find_candidates(
    fingerprints: list[np.ndarray], is_new: np.ndarray, options: CandidateOptions
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``(a, b, shared)`` of indexes into ``fingerprints`` (``a < b``) with at least one
    new article, sharing ``shared >= min_shared`` n-grams that occur in at most ``max_df``
    articles."""
    sizes = np.array([f.shape[0] for f in fingerprints], dtype=np.int64)
    if sizes.sum() == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    hashes = np.concatenate(fingerprints)
    docs = np.repeat(np.arange(len(fingerprints), dtype=np.int64), sizes)
    order = np.argsort(hashes, kind="stable")
    hashes, docs = hashes[order], docs[order]
    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    df = np.diff(np.r_[starts, hashes.shape[0]])
    keep = (df >= 2) & (df <= options.max_df)
    new_in_group = np.add.reduceat(is_new[docs].astype(np.int64), starts) > 0
    keep &= new_in_group
    keys: list[np.ndarray] = []
    n_docs = np.int64(len(fingerprints))
    for size in np.unique(df[keep]):
        group_starts = starts[keep & (df == size)]
        members = docs[group_starts[:, None] + np.arange(size)[None, :]]  # groups x size
        for i in range(size - 1):
            for j in range(i + 1, size):
                a, b = members[:, i], members[:, j]
                lo, hi = np.minimum(a, b), np.maximum(a, b)
                either_new = is_new[lo] | is_new[hi]
                keys.append((lo * n_docs + hi)[either_new])
    if not keys:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    pair_keys, shared = np.unique(np.concatenate(keys), return_counts=True)
    good = shared >= options.min_shared
    pair_keys, shared = pair_keys[good], shared[good]
    return pair_keys // n_docs, pair_keys % n_docs, shared
