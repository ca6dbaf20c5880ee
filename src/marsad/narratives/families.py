"""Claim families and narratives, as pure functions over claims, links and vectors.

* A **claim family** is a connected group of claims that state the same thing: claims are
  linked when their calibrated same-claim score passes the threshold (see :mod:`.similarity`);
  identical claims (same folded text, e.g. wire copies) share one key and one vector.
* A **narrative** groups families that argue together: families whose centroids are close and
  that share an actor, or that recur together in the same articles.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from marsad.normalize import normalize
from marsad.records import ClaimInfo, Family, Narrative
from marsad.unionfind import DisjointSets

_SPACE_RE = re.compile(r"\s+")
Vector = npt.NDArray[np.floating[Any]]  # a claim vector: float16 as stored, or float32
_WORD_RE = re.compile(r"[^\W\d_]{3,}")


def claim_key(text: str) -> str:
    """Key of a claim's wording: identical folded texts share it (and one vector)."""
    folded = _SPACE_RE.sub(" ", normalize(text)).strip(" .،,:؛;\"'«»")
    return hashlib.blake2b(folded.encode(), digest_size=10).hexdigest()


def components(keys: Iterable[str], links: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The root key (the smallest) of every key's connected component."""
    sets = DisjointSets(keys)
    for a, b in links:
        if a in sets and b in sets:
            sets.union(a, b)
    return sets.roots()


MAX_SPLIT = 400  # components larger than this are split by their strongest links only
SIMILARITY_BLOCK = 1 << 24  # entries of a family-by-family similarity block (64 MB float32)


def split_chains(
    roots: dict[str, str],
    vectors: Mapping[str, Vector],
    min_cosine: float,
) -> dict[str, str]:
    """Break chained components: A~B and B~C do not make A~C. Within every component of three
    or more keys, average-linkage clustering on cosine merges groups only while their mean
    similarity reaches ``min_cosine``; returns new roots."""
    members: dict[str, list[str]] = defaultdict(list)
    for key, root in roots.items():
        members[root].append(key)
    out = dict(roots)
    for group in members.values():
        have = [k for k in group if k in vectors]
        if len(have) < 3 or len(have) > MAX_SPLIT:
            continue
        for cluster in _average_linkage(have, vectors, min_cosine):
            root = min(cluster)
            for key in cluster:
                out[key] = root
        for key in set(group) - set(have):
            out[key] = key
    return out


def _average_linkage(
    keys: list[str], vectors: Mapping[str, Vector], min_cosine: float
) -> list[list[str]]:
    matrix = np.stack([vectors[k] for k in keys]).astype(np.float64)
    sims = matrix @ matrix.T
    sizes = np.ones(len(keys))
    clusters: list[list[str] | None] = [[k] for k in keys]
    sums = sims.copy()  # sum of pairwise similarities between clusters i and j
    np.fill_diagonal(sums, -np.inf)
    alive = np.ones(len(keys), bool)
    while True:
        mean = sums / np.outer(sizes, sizes)
        mean[~alive, :] = -np.inf
        mean[:, ~alive] = -np.inf
        i, j = np.unravel_index(int(np.argmax(mean)), mean.shape)
        if mean[i, j] < min_cosine:
            break
        sums[i, :] += sums[j, :]
        sums[:, i] += sums[:, j]
        sums[i, i] = -np.inf
        sizes[i] += sizes[j]
        alive[j] = False
        first, second = clusters[i], clusters[j]
        assert first is not None and second is not None
        clusters[i], clusters[j] = first + second, None
    return [c for c, a in zip(clusters, alive, strict=True) if a and c]


def _daily(articles: dict[str, str | None]) -> dict[str, int]:
    counts = Counter(day for day in articles.values() if day)
    return dict(sorted(counts.items()))


def _representative(members: Sequence[ClaimInfo]) -> ClaimInfo:
    """The earliest claim, preferring the most check-worthy and then the longest."""
    return min(
        members,
        key=lambda c: (c.day or "9999", -(c.checkworthiness or 0.0), -len(c.text), c.id),
    )


def build_families(
    claims: Sequence[ClaimInfo], roots: dict[str, str], min_articles: int = 2
) -> list[Family]:
    """Families of claims whose keys share a root, kept when they span ``min_articles``
    articles (a claim repeated inside one article is not a family)."""
    groups: dict[str, list[ClaimInfo]] = defaultdict(list)
    for claim in claims:
        root = roots.get(claim.key)
        if root is not None:
            groups[root].append(claim)
    families: list[Family] = []
    for root, members in groups.items():
        articles = {c.article_id: c.day for c in members}
        if len(articles) < min_articles:
            continue
        rep = _representative(members)
        actors = Counter(a for c in members for a in dict.fromkeys(c.actors))  # stable order
        days = sorted(d for d in articles.values() if d)
        families.append(
            Family(
                id="cf-" + root[:12],
                representative=rep.id,
                label=rep.text,
                claims=sorted(c.id for c in members),
                articles=sorted(articles),
                outlets=sorted({c.outlet for c in members if c.outlet}),
                first_seen=days[0] if days else None,
                last_seen=days[-1] if days else None,
                daily=_daily(articles),
                actors=[a for a, n in actors.most_common(8) if n >= 2 or len(members) < 3],
                keys=sorted({c.key for c in members}),
            )
        )
    families.sort(key=lambda f: (-len(f.articles), f.id))
    return families


def centroids(
    families: Sequence[Family], vectors: Mapping[str, Vector]
) -> dict[str, npt.NDArray[np.float32]]:
    """Mean of the member vectors of each family, normalised."""
    out: dict[str, npt.NDArray[np.float32]] = {}
    for family in families:
        rows = [vectors[k] for k in family.keys if k in vectors]
        if rows:
            mean = np.mean(np.stack(rows).astype(np.float32), axis=0)
            norm = float(np.linalg.norm(mean)) or 1.0
            out[family.id] = (mean / norm).astype(np.float32)
    return out


def close_pairs(matrix: npt.NDArray[np.float32], min_cosine: float) -> Iterator[tuple[int, int]]:
    """Row pairs ``(i, j)``, ``i < j``, whose dot product reaches ``min_cosine``, in row-major
    order. The products are computed a block of rows at a time: the whole matrix would be
    quadratic in memory (23,474 families: 2.2 GB of float32, and as much again for masks)."""
    count = len(matrix)
    size = max(2, SIMILARITY_BLOCK // max(count, 1))
    starts = list(range(0, count, size))
    if len(starts) > 1 and count - starts[-1] == 1:
        starts.pop()  # no one-row block: a row times a matrix is summed in another order
    for start, end in zip(starts, [*starts[1:], count], strict=True):
        rows, cols = np.nonzero(matrix[start:end] @ matrix.T >= min_cosine)
        keep = cols > rows + start
        yield from zip((rows[keep] + start).tolist(), cols[keep].tolist(), strict=True)


def build_narratives(
    families: Sequence[Family],
    family_vectors: dict[str, npt.NDArray[np.float32]],
    claims: dict[str, ClaimInfo],
    min_cosine: float,
    min_shared_articles: int = 2,
    place_actors: frozenset[str] = frozenset(),
    stopwords: frozenset[str] = frozenset(),
) -> list[Narrative]:
    """Group families into narratives: two families join when their centroids reach
    ``min_cosine`` and they share an actor that is not a place, or when they recur together
    in ``min_shared_articles`` articles that make at least half the articles of the smaller
    one. Every family belongs to exactly one narrative."""
    ids = [f.id for f in families]
    by_id = {f.id: f for f in families}
    links: list[tuple[str, str]] = []
    with_vectors = [f for f in ids if f in family_vectors]
    if len(with_vectors) > 1:
        matrix = np.stack([family_vectors[f] for f in with_vectors])
        for i, j in close_pairs(matrix, min_cosine):
            first, second = by_id[with_vectors[i]], by_id[with_vectors[j]]
            if (set(first.actors) & set(second.actors)) - place_actors:
                links.append((first.id, second.id))
    per_article: dict[str, list[str]] = defaultdict(list)
    for family in families:
        for article in family.articles:
            per_article[article].append(family.id)
    together: Counter[tuple[str, str]] = Counter()
    for present in per_article.values():
        for i, a in enumerate(present):
            for b in present[i + 1 :]:
                together[(min(a, b), max(a, b))] += 1
    sizes = {f.id: len(f.articles) for f in families}
    links.extend(
        (a, b)
        for (a, b), n in together.items()
        if n >= min_shared_articles and 2 * n >= min(sizes[a], sizes[b])
    )
    roots = components(ids, links)
    groups: dict[str, list[Family]] = defaultdict(list)
    for family in families:
        groups[roots[family.id]].append(family)
    document_frequency = Counter(
        word for f in families for word in _family_words(f, claims, stopwords)
    )
    narratives: list[Narrative] = []
    for members in groups.values():
        members.sort(key=lambda f: (-len(f.articles), f.id))
        lead = members[0]
        articles: dict[str, str | None] = {}
        for family in members:
            for cid in family.claims:
                info = claims.get(cid)
                if info is not None:
                    articles[info.article_id] = info.day
        days = sorted(d for d in articles.values() if d)
        actor_counts = Counter(a for f in members for a in f.actors)
        narrative = Narrative(
            id="nr-" + lead.id[3:],
            label=lead.label,
            representative=lead.representative,
            terms=_terms(members, claims, document_frequency, len(families), stopwords),
            actors=[a for a, _ in actor_counts.most_common(6)],
            families=[f.id for f in members],
            articles=sorted(articles),
            outlets=sorted({o for f in members for o in f.outlets}),
            first_seen=days[0] if days else None,
            last_seen=days[-1] if days else None,
            daily=_daily(articles),
        )
        for family in members:
            family.narrative = narrative.id
        narratives.append(narrative)
    narratives.sort(key=lambda n: (-len(n.articles), n.id))
    return narratives


def _family_words(
    family: Family, claims: dict[str, ClaimInfo], stopwords: frozenset[str]
) -> set[str]:
    words: set[str] = set()
    for cid in family.claims:
        info = claims.get(cid)
        if info is not None:
            words.update(w for w in _WORD_RE.findall(normalize(info.text)) if w not in stopwords)
    return words


def _terms(
    members: Sequence[Family],
    claims: dict[str, ClaimInfo],
    document_frequency: Counter[str],
    n_families: int,
    stopwords: frozenset[str],
    top: int = 8,
) -> list[str]:
    """Distinctive words of a narrative (tf-idf over families), in their original spelling."""
    counts: Counter[str] = Counter()
    shown: dict[str, Counter[str]] = defaultdict(Counter)
    for family in members:
        for cid in family.claims:
            info = claims.get(cid)
            if info is None:
                continue
            for match in _WORD_RE.finditer(info.text):
                key = normalize(match.group())
                if key in stopwords or len(key) < 3:
                    continue
                counts[key] += 1
                shown[key][match.group()] += 1
    scored = sorted(
        counts,
        key=lambda w: -counts[w] * math.log((1 + n_families) / (1 + document_frequency[w])),
    )
    return [shown[w].most_common(1)[0][0] for w in scored[:top]]
