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
    formulaic_df: int = 20


@dataclass(frozen=True)
class Candidates:
    a: np.ndarray  # indexes into the fingerprint list, a < b
    b: np.ndarray
    shared: np.ndarray  # distinct rare n-grams the pair shares
    common: np.ndarray  # sorted hashes of stock-phrase n-grams (in more than max_df articles)
    frequent: np.ndarray  # sorted hashes in more than formulaic_df (but at most max_df) articles


def find_candidates(
    fingerprints: list[np.ndarray], is_new: np.ndarray, options: CandidateOptions
) -> Candidates:
    """Pairs of articles, at least one of them new, sharing ``min_shared`` or more n-grams that
    occur in at most ``max_df`` articles; and the set of n-grams too common to seed anything."""
    sizes = np.array([f.shape[0] for f in fingerprints], dtype=np.int64)
    empty = np.zeros(0, dtype=np.int64)
    if sizes.sum() == 0:
        return Candidates(empty, empty, empty, _EMPTY, _EMPTY)
    hashes = np.concatenate(fingerprints)
    docs = np.repeat(np.arange(len(fingerprints), dtype=np.int64), sizes)
    order = np.argsort(hashes, kind="stable")
    hashes, docs = hashes[order], docs[order]
    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
    df = np.diff(np.r_[starts, hashes.shape[0]])
    common = hashes[starts[df > options.max_df]]
    frequent = hashes[starts[(df > options.formulaic_df) & (df <= options.max_df)]]
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
        return Candidates(empty, empty, empty, common, frequent)
    pair_keys, shared = np.unique(np.concatenate(keys), return_counts=True)
    good = shared >= options.min_shared
    pair_keys, shared = pair_keys[good], shared[good]
    return Candidates(pair_keys // n_docs, pair_keys % n_docs, shared, common, frequent)
