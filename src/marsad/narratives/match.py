"""Matching catalogue entries (known narratives, debunked claims) to claims and articles.

Cosine similarity alone ranks "hub" claims and entries first: a vague claim sits close to
everything. Scores are corrected in the manner of CSLS (cross-domain similarity local
scaling, Conneau et al. 2018): ``2 cos(e, c) - r(e) - r(c)``, where ``r`` is a vector's mean
cosine to its ``k`` nearest claims. Shared actors add evidence across languages: the
gazetteer knows that ``ISIS`` and ``داعش`` are one actor. Shared wording adds evidence within a
language: ``lexical_weight`` times the weighted overlap of content words (:func:`lexical_overlap`;
0 across languages, so it never penalises a translation). An article matches an entry through
its best claim.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from marsad.actors.gazetteer import Gazetteer
from marsad.narratives.neighbours import Queries, Rows, Vectors, neighbours
from marsad.normalize import arabic_letter_share
from marsad.records import CatalogEntry, CatalogMatch


@dataclass(frozen=True)
class MatchOptions:
    candidates: int = 50  # nearest claims read per entry
    lexical_candidates: int = 50  # claims sharing most rare words, per entry (same script)
    hub_k: int = 10  # neighbours averaged for the hubness correction
    actor_weight: float = 0.05  # added per shared actor (at most ``max_actors`` of them)
    max_actors: int = 3
    lexical_weight: float = 2.0  # times the content-word overlap (0..1); see the evaluation
    threshold: float = 0.04  # pairs in two languages (or texts unknown); see docs/narratives.md
    same_language_threshold: float = 0.7  # pairs in one language, lexical evidence included
    threads: int = 0


def entry_actors(entry: CatalogEntry, gazetteer: Gazetteer) -> frozenset[str]:
    """Actors named in an entry's title, description and keywords (any language the
    gazetteer knows)."""
    found = {m.actor for m in gazetteer.find(entry.text) if not m.ambiguous}
    for keyword in entry.keywords:
        hit = gazetteer.lookup(keyword)
        if hit is not None and not hit[1]:
            found.add(hit[0])
    return frozenset(found)


def lexical_overlap(a: str, b: str) -> float:
    """Mean of the two coverages of ``a`` and ``b``: the share of each text's content words
    (folded, clitics stripped, weighted by rarity) that the other one has; 0..1."""
    # Imported here: the store imports this module, and similarity -> embed -> reuse -> store.
    from marsad.narratives.similarity import key_weight, lexical_profile

    keys_a, keys_b = lexical_profile(a).keys, lexical_profile(b).keys
    if not keys_a or not keys_b:
        return 0.0
    shared = math.fsum(key_weight(k) for k in keys_a & keys_b)  # exact: set order varies
    if not shared:
        return 0.0
    total_a, total_b = lexical_profile(a).weight, lexical_profile(b).weight
    return 0.5 * (shared / total_a + shared / total_b)


def hubness(a: Queries, b: Queries, k: int, threads: int = 0) -> npt.NDArray[np.float32]:
    """For each row of ``a``, its mean cosine to its ``k`` nearest rows of ``b``."""
    if len(a) == 0 or len(b) == 0:
        return np.zeros(len(a), np.float32)
    _, scores = neighbours(b, a, k, threads)
    return np.asarray(scores.mean(axis=1), dtype=np.float32)


@dataclass(frozen=True, slots=True)  # slots: a catalogue gives ~50 pairs per entry and group
class Pair:
    """A scored (entry, claim wording) candidate: rows into the entry and claim sequences."""

    entry: int
    claim: int
    score: float
    cosine: float
    shared_actors: tuple[str, ...]
    threshold: float  # the threshold that applies to this pair (one script or two)


def candidate_pairs(
    entries: Sequence[CatalogEntry],
    entry_vectors: Vectors,
    entry_actor_sets: Sequence[frozenset[str]],
    claim_actor_sets: Sequence[frozenset[str]],
    claim_vectors: Vectors,
    options: MatchOptions,
    claim_hubness: npt.NDArray[np.float32] | None = None,
    claim_texts: Sequence[str] | None = None,
) -> list[Pair]:
    """The ``options.candidates`` nearest claim wordings of every entry, in each script group,
    scored (see :func:`match_catalog`), best first; no threshold applied."""
    from marsad.narratives.similarity import is_cross_script  # see lexical_overlap

    if len(entries) == 0 or len(claim_vectors) == 0:
        return []
    r_claim = (
        claim_hubness
        if claim_hubness is not None
        else hubness(claim_vectors, claim_vectors, options.hub_k, options.threads)
    )
    pairs: list[Pair] = []
    for rows in _script_groups(claim_texts, len(claim_vectors)):
        vectors = Rows(claim_vectors, rows)  # read in blocks, not copied
        r_entry = hubness(entry_vectors, vectors, options.hub_k, options.threads)
        found, cosines = neighbours(vectors, entry_vectors, options.candidates, options.threads)
        index = rows[found]
        extra = (
            lexical_candidates(entries, claim_texts, rows, options.lexical_candidates)
            if claim_texts is not None and options.lexical_candidates
            else [[] for _ in entries]
        )
        for e, entry in enumerate(entries):
            seen = set(index[e].tolist())
            more = [j for j in extra[e] if j not in seen]
            more_cos = [
                float(np.dot(np.asarray(entry_vectors[e], np.float32),
                             np.asarray(claim_vectors[j], np.float32)))
                for j in more
            ]  # fmt: skip
            for j, cos in zip(
                index[e].tolist() + more, cosines[e].tolist() + more_cos, strict=True
            ):
                shared = tuple(sorted(entry_actor_sets[e] & claim_actor_sets[j]))
                score = 2 * cos - float(r_entry[e]) - float(r_claim[j])
                score += options.actor_weight * min(len(shared), options.max_actors)
                threshold = options.threshold
                if claim_texts is not None and not is_cross_script(entry.text, claim_texts[j]):
                    overlap = lexical_overlap(entry.title, claim_texts[j])
                    if entry.description:  # a long description dilutes the overlap
                        overlap = max(overlap, lexical_overlap(entry.text, claim_texts[j]))
                    score += options.lexical_weight * overlap
                    threshold = options.same_language_threshold
                pairs.append(Pair(e, j, score, cos, shared, threshold))
    pairs.sort(key=lambda p: (-p.score, p.entry, p.claim))  # ties: by row, not by chance
    return pairs


def lexical_candidates(
    entries: Sequence[CatalogEntry],
    claim_texts: Sequence[str],
    rows: npt.NDArray[np.int64],
    k: int,
) -> list[list[int]]:
    """For each entry, the ``k`` claims of ``rows`` (same script as the entry) whose shared
    content words weigh most (rarity-weighted, :func:`lexical_overlap`'s keys): a claim that
    repeats an entry's names and rare words is a candidate even when the embedding ranks it
    low. Entries in another script than the claims get none."""
    from marsad.narratives.similarity import is_cross_script, key_weight, lexical_profile

    posting: dict[str, list[int]] = {}
    for j in rows.tolist():
        for key in lexical_profile(claim_texts[j]).keys:
            posting.setdefault(key, []).append(j)
    limit = max(1, len(rows) // 20)  # words in over 5 % of the claims say little
    out: list[list[int]] = []
    sample = claim_texts[int(rows[0])] if len(rows) else ""
    for entry in entries:
        if not len(rows) or is_cross_script(entry.text, sample):
            out.append([])
            continue
        scores: dict[int, float] = {}
        for key in lexical_profile(entry.title).keys:
            hits = posting.get(key, ())
            if len(hits) > limit:
                continue
            weight = key_weight(key)
            for j in hits:
                scores[j] = scores.get(j, 0.0) + weight
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        out.append([j for j, _ in best])
    return out


def match_catalog(
    entries: Sequence[CatalogEntry],
    entry_vectors: Vectors,
    entry_actor_sets: Sequence[frozenset[str]],
    claim_claims: Sequence[Sequence[tuple[str, str]]],
    claim_actor_sets: Sequence[frozenset[str]],
    claim_vectors: Vectors,
    options: MatchOptions,
    claim_hubness: npt.NDArray[np.float32] | None = None,
    claim_texts: Sequence[str] | None = None,
) -> list[CatalogMatch]:
    """Best-scoring claim of every (entry, article) pair whose score reaches the threshold.

    The claim side is one row per distinct wording: ``claim_claims[j]`` lists the
    ``(claim id, article id)`` pairs that use wording ``j``, ``claim_actor_sets[j]`` the actors
    they mention and ``claim_vectors[j]`` its vector. Hubness is measured in the claim space on
    both sides (``r(c)``: a claim's mean cosine to its nearest claims; ``r(e)``: an entry's mean
    cosine to its nearest claims), so it does not depend on the catalogue's size or language;
    ``claim_hubness`` may pass ``r(c)`` precomputed. With ``claim_texts`` (one per wording),
    a pair written in one script gets ``options.lexical_weight`` times its
    :func:`lexical_overlap` and must reach ``options.same_language_threshold``; pairs across
    scripts (an English entry, an Arabic claim) must reach ``options.threshold``. Claims in
    Arabic script and the others are searched, and ``r(e)`` measured, apart."""
    pairs = candidate_pairs(
        entries, entry_vectors, entry_actor_sets, claim_actor_sets, claim_vectors, options,
        claim_hubness, claim_texts,
    )  # fmt: skip
    best: dict[tuple[int, str], CatalogMatch] = {}
    for pair in pairs:
        if pair.score < pair.threshold:
            continue
        for claim_id, article_id in claim_claims[pair.claim]:
            key = (pair.entry, article_id)
            if key not in best:  # pairs come best first
                best[key] = CatalogMatch(
                    entries[pair.entry].id,
                    article_id,
                    claim_id,
                    round(pair.score, 4),
                    round(pair.cosine, 4),
                    pair.shared_actors,
                )
    return sorted(best.values(), key=lambda m: (m.entry_id, -m.score, m.article_id))


def _script_groups(texts: Sequence[str] | None, count: int) -> list[npt.NDArray[np.int64]]:
    """Rows of the claims written mostly in Arabic script, and of the others (one group when
    the texts are unknown). Entries are compared with each group apart: cross-language cosines
    sit lower than same-language ones, so a shared hubness term and candidate list would let
    the claims in the entry's own language crowd out the rest."""
    if texts is None:
        return [np.arange(count)]
    arabic = np.array([arabic_letter_share(t) >= 0.5 for t in texts], dtype=bool)
    return [rows for rows in (np.flatnonzero(arabic), np.flatnonzero(~arabic)) if len(rows)]


def rerank_subset(
    pairs: Sequence[Pair], budget: int, articles: Sequence[Sequence[str]] | None = None
) -> tuple[list[int], list[int]]:
    """Entries and claim wordings to embed again with a finer model: those of the best pairs,
    until ``budget`` texts (entries + wordings) are taken. Pairs are taken by their rank
    within their entry first (every entry's best pair, then every entry's second, ...) and by
    score within a rank, so that entries with high-scoring neighbourhoods do not use up the
    budget that others need. With ``articles`` (the articles of each claim wording), a pair
    whose articles the entry already has a better pair in is passed over: an article matches
    through its best claim."""
    entries: dict[int, None] = {}
    claims: dict[int, None] = {}
    rank: dict[int, int] = {}
    covered: set[tuple[int, str]] = set()
    ranked = []
    for pair in pairs:  # best first
        if articles is not None:
            fresh = [
                (pair.entry, a) for a in articles[pair.claim] if (pair.entry, a) not in covered
            ]
            if not fresh:
                continue
            covered.update(fresh)
        r = rank.get(pair.entry, 0)
        rank[pair.entry] = r + 1
        ranked.append((r, pair))
    ranked.sort(key=lambda rp: rp[0])  # stable: score order within a rank
    for _, pair in ranked:
        new = (pair.entry not in entries) + (pair.claim not in claims)
        if len(entries) + len(claims) + new > budget:
            continue
        entries[pair.entry] = None
        claims[pair.claim] = None
    return sorted(entries), sorted(claims)
