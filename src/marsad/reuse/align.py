"""Span-to-span alignment of a candidate pair, tolerant to edits and reordering.

Seeds are the content-word n-grams the two articles share. Seeds close to each other in both
texts form a region; inside a region the two token sequences are aligned with a longest-
common-subsequence (rapidfuzz, bit-parallel C++), and the best-scoring stretch of that
alignment (matched words +1, unmatched words -``gap_penalty`` each, as in local alignment) is
the reused passage. The region is searched again with that passage masked, so a passage whose
sentences were reordered comes out in pieces, which are then merged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import LCSseq

from marsad.reuse.candidates import content_ngrams
from marsad.reuse.tokens import Tokens

COMPONENT = "reuse.align.v1"
MAX_SEED_REPEATS = 4  # an n-gram repeated more often inside one article seeds only this often
MERGE_GAP = 8  # tokens between two passages of one pair that still merge them
RECENT_GROUPS = 4  # seeds come sorted; only the latest regions can still take one


@dataclass(frozen=True)
class AlignOptions:
    ngram: int = 3
    min_words: int = 12
    min_ratio: float = 0.5
    gap_penalty: float = 0.5
    region_gap: int = 30
    region_pad: int = 20
    passes: int = 3
    min_seeds: int = 2
    formulaic_words: int = 30


@dataclass(frozen=True)
class Match:
    """Token spans ``[a_start, a_end)`` and ``[b_start, b_end)`` with ``matched`` equal words."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    matched: int

    @property
    def score(self) -> float:
        return self.matched / max(self.a_end - self.a_start, self.b_end - self.b_start)


@dataclass(frozen=True)
class Grams:
    """One article's tokens and rare content-word n-grams, ready for seeding alignments."""

    tokens: Tokens
    hashes: np.ndarray  # n-gram hashes in text order (stock phrases removed)
    starts: np.ndarray  # token index of each n-gram's first word
    ends: np.ndarray  # token index after its last word
    order: np.ndarray  # argsort of hashes
    sorted: np.ndarray  # hashes[order]
    frequent: np.ndarray  # bool per n-gram: found in many articles (formulaic)


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    if not sorted_set.shape[0] or not values.shape[0]:
        return np.zeros(values.shape[0], dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, values), sorted_set.shape[0] - 1)
    return np.asarray(sorted_set[at] == values)


def grams(tokens: Tokens, n: int, common: np.ndarray, frequent: np.ndarray | None = None) -> Grams:
    hashes, starts = content_ngrams(tokens, n)
    content = np.flatnonzero(tokens.content)
    ends = content[n - 1 : n - 1 + hashes.shape[0]] + 1
    rare = ~_member(hashes, common)
    hashes, starts, ends = hashes[rare], starts[rare], ends[rare]
    order = np.argsort(hashes, kind="stable")
    often = _member(hashes, frequent if frequent is not None else common[:0])
    return Grams(tokens, hashes, starts, ends, order, hashes[order], often)


def seeds(a: Grams, b: Grams) -> np.ndarray:
    """Shared rare n-grams as rows ``(a_start, a_end, b_start, b_end, formulaic)``, sorted."""
    lo = np.searchsorted(b.sorted, a.hashes, side="left")
    hi = np.searchsorted(b.sorted, a.hashes, side="right")
    counts = np.minimum(hi - lo, MAX_SEED_REPEATS)
    total = int(counts.sum())
    if total == 0:
        return np.zeros((0, 5), dtype=np.int64)
    ka = np.repeat(np.arange(a.hashes.shape[0]), counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    kb = b.order[np.repeat(lo, counts) + offsets]
    rows = np.stack(
        [a.starts[ka], a.ends[ka], b.starts[kb], b.ends[kb], a.frequent[ka]], axis=1
    ).astype(np.int64)
    return rows[np.lexsort((rows[:, 2], rows[:, 0]))]


def regions(found: np.ndarray, gap: int) -> list[tuple[int, int, int, int]]:
    """Group seeds that are near each other in both texts into regions."""
    groups: list[list[int]] = []
    for a_start, a_end, b_start, b_end, _ in found.tolist():
        for group in reversed(groups[-RECENT_GROUPS:]):
            near_a = a_start - group[1] <= gap
            near_b = group[2] - gap <= b_start and b_end <= group[3] + gap
            if near_a and near_b:
                group[1] = max(group[1], a_end)
                group[2] = min(group[2], b_start)
                group[3] = max(group[3], b_end)
                break
        else:
            groups.append([a_start, a_end, b_start, b_end])
    return [(g[0], g[1], g[2], g[3]) for g in groups]


def best_stretch(x: list[int], y: list[int], gap_penalty: float) -> Match | None:
    """The maximum-scoring stretch of the LCS alignment of ``x`` and ``y`` (local alignment)."""
    best: tuple[float, int, int] | None = None
    blocks = [op for op in LCSseq.opcodes(x, y) if op.tag == "equal"]
    if not blocks:
        return None
    score = 0.0
    start = 0
    for k, block in enumerate(blocks):
        if k > start:
            prev = blocks[k - 1]
            gap = (block.src_start - prev.src_end) + (block.dest_start - prev.dest_end)
            score -= gap_penalty * gap
        if score < 0:
            score, start = 0.0, k
        score += block.src_end - block.src_start
        if best is None or score > best[0]:
            best = (score, start, k)
    assert best is not None
    _, first, last = best
    matched = sum(b.src_end - b.src_start for b in blocks[first : last + 1])
    return Match(
        blocks[first].src_start,
        blocks[last].src_end,
        blocks[first].dest_start,
        blocks[last].dest_end,
        matched,
    )


def _valid(match: Match, found: np.ndarray, options: AlignOptions) -> bool:
    shortest = min(match.a_end - match.a_start, match.b_end - match.b_start)
    if shortest < options.min_words or match.score < options.min_ratio:
        return False
    inside = (
        (found[:, 0] >= match.a_start)
        & (found[:, 1] <= match.a_end)
        & (found[:, 2] >= match.b_start)
        & (found[:, 3] <= match.b_end)
    )
    if int(inside.sum()) < options.min_seeds:
        return False  # stock phrases alone never make a passage
    if shortest < options.formulaic_words:  # a short passage needs one seed of its own
        return bool((inside & (found[:, 4] == 0)).any())
    return True


def align(ga: Grams, gb: Grams, options: AlignOptions) -> list[Match]:
    """Every reused passage between two articles, as token spans, merged and sorted."""
    found: list[Match] = []
    a_ids = ga.tokens.ids.astype(np.int64)
    b_ids = gb.tokens.ids.astype(np.int64)
    shared = seeds(ga, gb)
    for a0, a1, b0, b1 in regions(shared, options.region_gap):
        a0, a1 = max(0, a0 - options.region_pad), min(len(ga.tokens), a1 + options.region_pad)
        b0, b1 = max(0, b0 - options.region_pad), min(len(gb.tokens), b1 + options.region_pad)
        x, y = a_ids[a0:a1].tolist(), b_ids[b0:b1].tolist()
        for _ in range(options.passes):
            local = best_stretch(x, y, options.gap_penalty)
            if local is None:
                break
            match = Match(
                local.a_start + a0,
                local.a_end + a0,
                local.b_start + b0,
                local.b_end + b0,
                local.matched,
            )
            if not _valid(match, shared, options):
                break
            found.append(match)
            x[local.a_start : local.a_end] = [-1] * (local.a_end - local.a_start)
            y[local.b_start : local.b_end] = [-2] * (local.b_end - local.b_start)
    return merge(found)


def _touch(s1: int, e1: int, s2: int, e2: int) -> bool:
    return s1 <= e2 + MERGE_GAP and s2 <= e1 + MERGE_GAP


def merge(matches: list[Match]) -> list[Match]:
    """Merge passages of one pair that overlap or adjoin in both texts (reordered pieces)."""
    out: list[Match] = []
    for m in sorted(matches, key=lambda m: (m.a_start, m.b_start)):
        for k, o in enumerate(out):
            if _touch(m.a_start, m.a_end, o.a_start, o.a_end) and _touch(
                m.b_start, m.b_end, o.b_start, o.b_end
            ):
                a_start, a_end = min(m.a_start, o.a_start), max(m.a_end, o.a_end)
                b_start, b_end = min(m.b_start, o.b_start), max(m.b_end, o.b_end)
                overlapping = m.a_start < o.a_end and o.a_start < m.a_end
                matched = max(m.matched, o.matched) if overlapping else m.matched + o.matched
                matched = min(matched, a_end - a_start, b_end - b_start)
                out[k] = Match(a_start, a_end, b_start, b_end, matched)
                break
        else:
            out.append(m)
    return out


def char_span(tokens: Tokens, start: int, end: int) -> tuple[int, int]:
    """Character offsets of the token range ``[start, end)``."""
    return int(tokens.starts[start]), int(tokens.ends[end - 1])
