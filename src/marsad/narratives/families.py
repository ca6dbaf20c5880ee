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

from marsad.narratives.core import is_anchorless, is_contact_line
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


DENSE_MAX = 2048  # at most this many wordings (or clusters) are clustered on all their pairs
CUT_SHARE = 0.25  # share of a larger piece's links (the weakest) cut at each step
LEVEL_MIN_MERGED = 0.01  # a level of a large component that merges fewer rows is the last
# Two groups of wordings merge only when at least this share of their member pairs are
# same-claim links: close vectors alone (a sports page's training camps of five clubs, one
# prince's meetings with different visitors) do not make one claim.
LINK_DENSITY = 0.6
EDGE_BLOCK = 1 << 16  # links whose cosines are computed at once
SIMILARITY_BLOCK = 1 << 24  # entries of a family-by-family similarity block (64 MB float32)
Points = npt.NDArray[np.float64]  # per cluster, the sum of its members' vectors
Floats = npt.NDArray[np.float64]  # per cluster, its size; per link, its mean cosine
Indices = npt.NDArray[np.int64]  # row numbers
Edges = npt.NDArray[np.int64]  # pairs (i, j), i < j, of linked rows


def split_chains(
    roots: dict[str, str],
    vectors: Mapping[str, Vector],
    min_cosine: float,
    links: Iterable[tuple[str, str]],
    min_density: float = LINK_DENSITY,
) -> dict[str, str]:
    """Break chained components: A~B and B~C do not make A~C. Within every component of three
    or more keys, average-linkage clustering on cosine merges groups only while their mean
    similarity reaches ``min_cosine`` and at least ``min_density`` of their member pairs are
    ``links`` (the pairs the roots were made from; only those inside components of three or
    more keys are kept); returns new roots. A component of more than DENSE_MAX keys is
    clustered a level at a time (:func:`cluster_large`). Keys are taken in sorted order: the
    result depends on neither the order of ``roots`` nor of ``links``."""
    members: dict[str, list[str]] = defaultdict(list)
    for key in sorted(roots):
        members[roots[key]].append(key)
    out = dict(roots)
    grouped: dict[str, list[str]] = {}
    for root, group in members.items():
        have = [k for k in group if k in vectors]
        for key in group:
            if key not in vectors:
                out[key] = key
        if len(have) >= 3:
            grouped[root] = have
    if not grouped:
        return out
    inside = _links_within(grouped, roots, links)
    for root, group in grouped.items():
        position = {key: i for i, key in enumerate(group)}
        edges = _edges((position[a], position[b]) for a, b in inside.pop(root))
        if len(group) > DENSE_MAX:
            found = cluster_large(_points(group, vectors), edges, min_cosine, min_density)
        else:
            linked = _linked_matrix(len(group), edges, np.ones(len(edges)))
            points = _points(group, vectors)
            found = average_linkage(points, np.ones(len(group)), min_cosine, linked, min_density)
        _assign(out, [[group[i] for i in cluster] for cluster in found])
    return out


def _points(keys: Sequence[str], vectors: Mapping[str, Vector]) -> Points:
    return np.stack([vectors[k] for k in keys]).astype(np.float64)


def _assign(roots: dict[str, str], clusters: Iterable[list[str]]) -> None:
    for cluster in clusters:
        root = min(cluster)
        for key in cluster:
            roots[key] = root


def _links_within(
    large: Mapping[str, list[str]], roots: Mapping[str, str], links: Iterable[tuple[str, str]]
) -> dict[str, list[tuple[str, str]]]:
    """The links between two keys (with vectors) of one of the ``large`` components (root ->
    its keys)."""
    wanted = {key for group in large.values() for key in group}
    inside: dict[str, list[tuple[str, str]]] = {root: [] for root in large}
    for a, b in links:
        if a in wanted and b in wanted and a != b and roots[a] == roots[b]:
            inside[roots[a]].append((a, b))
    return inside


def _edges(pairs: Iterable[tuple[int, int]]) -> Edges:
    """Distinct pairs ``(low, high)``, sorted, as an array of two columns."""
    found = sorted({(a, b) if a < b else (b, a) for a, b in pairs if a != b})
    return np.array(found, dtype=np.int64).reshape(-1, 2)


def _linked_matrix(count: int, edges: Edges, counts: Floats) -> Floats:
    """A symmetric ``count`` x ``count`` matrix of the linked member pairs of rows."""
    linked = np.zeros((count, count))
    linked[edges[:, 0], edges[:, 1]] = counts
    linked[edges[:, 1], edges[:, 0]] = counts
    return linked


def _merge_edges(owner: Indices, edges: Edges, counts: Floats) -> tuple[Edges, Floats]:
    """The links between clusters (``owner`` of each row), sorted, with their summed counts of
    linked member pairs; links inside one cluster go."""
    a, b = owner[edges[:, 0]], owner[edges[:, 1]]
    low, high = np.minimum(a, b), np.maximum(a, b)
    keep = low != high
    code = low[keep] * len(owner) + high[keep]
    unique, position = np.unique(code, return_inverse=True)
    summed = np.bincount(position, weights=counts[keep], minlength=len(unique))
    merged = np.stack([unique // len(owner), unique % len(owner)], axis=1).astype(np.int64)
    return merged.reshape(-1, 2), summed.astype(np.float64)


def _piece_links(piece: Indices, count: int, edges: Edges, counts: Floats) -> Floats:
    """The linked-pairs matrix of the rows of ``piece`` (ascending), from all ``edges``."""
    position = np.full(count, -1, np.int64)
    position[piece] = np.arange(len(piece))
    a, b = position[edges[:, 0]], position[edges[:, 1]]
    keep = (a >= 0) & (b >= 0)
    return _linked_matrix(len(piece), np.stack([a[keep], b[keep]], axis=1), counts[keep])


def cluster_large(
    points: Points, edges: Edges, min_cosine: float, min_density: float = 0.0
) -> list[list[int]]:
    """Average linkage over more rows than fit one similarity matrix, a level at a time: the
    linked rows are cut into connected pieces of at most DENSE_MAX rows
    (:func:`cut_weakest_links`), each piece is clustered, and the clusters, linked where their
    members were, are the rows of the next level, until they fit one matrix (then clustered
    as a small component is) or a level merges less than LEVEL_MIN_MERGED of its rows (so the
    levels are few). Two clusters merge only when ``min_density`` of their member pairs are
    linked (``edges`` are the links of the rows). Clusters come as sorted row lists."""
    count = len(points)
    groups = [[i] for i in range(count)]
    sizes = np.ones(count)
    counts = np.ones(len(edges))  # linked member pairs of each linked pair of rows
    while True:
        if len(points) <= DENSE_MAX:
            linked = _linked_matrix(len(points), edges, counts)
            merged = average_linkage(points, sizes, min_cosine, linked, min_density)
        else:
            weights = _link_means(points, sizes, edges)
            merged = []
            for piece in cut_weakest_links(len(points), edges, weights):
                linked = _piece_links(piece, len(points), edges, counts)
                found = average_linkage(
                    points[piece], sizes[piece], min_cosine, linked, min_density
                )
                merged += [[int(piece[i]) for i in cluster] for cluster in found]
        merged = sorted(sorted(cluster) for cluster in merged)
        if len(points) <= DENSE_MAX or len(merged) > (1 - LEVEL_MIN_MERGED) * len(points):
            return sorted(sorted(r for i in c for r in groups[i]) for c in merged)
        owner = np.empty(len(points), np.int64)
        for n, cluster in enumerate(merged):
            owner[cluster] = n
        groups = [[r for i in cluster for r in groups[i]] for cluster in merged]
        points = np.stack([points[cluster].sum(axis=0) for cluster in merged])
        sizes = np.array([float(sizes[cluster].sum()) for cluster in merged])
        edges, counts = _merge_edges(owner, edges, counts)


def _link_means(points: Points, sizes: Floats, edges: Edges) -> Floats:
    """The mean pairwise cosine of the members of each linked pair of clusters."""
    weights = np.empty(len(edges))
    for start in range(0, len(edges), EDGE_BLOCK):
        a, b = edges[start : start + EDGE_BLOCK, 0], edges[start : start + EDGE_BLOCK, 1]
        dots = np.einsum("ij,ij->i", points[a], points[b])
        weights[start : start + len(a)] = dots / (sizes[a] * sizes[b])
    return weights


def cut_weakest_links(count: int, edges: Edges, weights: Floats) -> list[Indices]:
    """Rows ``0..count-1`` cut into connected pieces of at most DENSE_MAX rows: while a piece
    is larger, the weakest CUT_SHARE of its links (ties all go or all stay) are dropped and
    it falls apart into the components of the rest. Pieces (arrays of rows, ascending) come
    in the order of their first row."""
    todo = _parts(count, np.arange(count), edges, weights)
    pieces: list[Indices] = []
    while todo:
        nodes, piece_edges, piece_weights = todo.pop()
        if len(nodes) <= DENSE_MAX:
            pieces.append(nodes)
            continue
        cut = np.sort(piece_weights)[int(len(piece_weights) * CUT_SHARE)]
        keep = piece_weights > cut if cut == piece_weights.min() else piece_weights >= cut
        if keep.all() or not keep.any():  # every link as strong: no cut tells them apart
            pieces.extend(np.array_split(nodes, -(-len(nodes) // DENSE_MAX)))
            continue
        todo += _parts(count, nodes, piece_edges[keep], piece_weights[keep])
    pieces.sort(key=lambda nodes: int(nodes[0]))
    return pieces


def _parts(
    count: int, nodes: Indices, edges: Edges, weights: Floats
) -> list[tuple[Indices, Edges, Floats]]:
    """The connected components of ``nodes`` (ascending) through ``edges`` (which join
    ``nodes`` only): each its nodes, ascending, and its edges and their weights."""
    sets = DisjointSets(nodes.tolist())
    for a, b in edges.tolist():
        sets.union(a, b)
    label = np.zeros(count, np.int64)
    label[nodes] = [sets.find(n) for n in nodes.tolist()]
    node_order = np.argsort(label[nodes], kind="stable")
    edge_order = np.argsort(label[edges[:, 0]], kind="stable")
    parts, starts = np.unique(label[nodes][node_order], return_index=True)
    edge_labels = label[edges[edge_order, 0]]
    out = []
    for n, part in enumerate(parts.tolist()):
        end = starts[n + 1] if n + 1 < len(starts) else len(nodes)
        low, high = np.searchsorted(edge_labels, [part, part + 1])
        picked = edge_order[low:high]
        out.append((nodes[node_order[starts[n] : end]], edges[picked], weights[picked]))
    return out


def average_linkage(
    points: Points,
    sizes: Floats,
    min_cosine: float,
    linked: Floats | None = None,
    min_density: float = 0.0,
) -> list[list[int]]:
    """Average-linkage clusters of the rows of ``points`` (each the sum of the unit vectors
    of ``sizes`` members): the two clusters of highest mean pairwise cosine are merged (ties:
    the lowest row, then column) until no two reach ``min_cosine``. With ``linked`` (per pair
    of rows, how many of their member pairs are linked), two clusters may merge only when
    that share reaches ``min_density``. Each row's best partner is kept and refreshed only
    when it changes, so a merge costs a few rows rather than the whole matrix (quadratic
    time and memory in all). Clusters come as lists of rows."""
    count = len(points)
    sums = points @ points.T  # sum of pairwise similarities between clusters i and j
    np.fill_diagonal(sums, -np.inf)
    sizes = sizes.astype(np.float64)  # a copy: merged sizes are written into it
    if linked is not None:
        linked = linked.astype(np.float64)  # a copy: merged counts are written into it

    def means(k: int) -> Floats:
        pairs = sizes[k] * sizes
        mean: Floats = sums[k] / pairs
        if linked is not None:
            mean[linked[k] / pairs < min_density] = -np.inf
        return mean

    alive = np.ones(count, bool)
    best = np.zeros(count, np.int64)
    value = np.full(count, -np.inf)  # each row's highest mean similarity
    for k in range(count):
        mean = means(k)
        best[k] = int(np.argmax(mean))
        value[k] = mean[best[k]]
    clusters: list[list[int] | None] = [[k] for k in range(count)]
    while count > 1:
        i = int(np.argmax(value))
        if value[i] < min_cosine:
            break
        i, j = sorted((i, int(best[i])))
        sums[i, :] += sums[j, :]
        sums[:, i] += sums[:, j]
        sums[j, :] = sums[:, j] = sums[i, i] = -np.inf
        if linked is not None:
            linked[i, :] += linked[j, :]
            linked[:, i] += linked[:, j]
            linked[j, :] = linked[:, j] = 0.0
        sizes[i] += sizes[j]
        alive[j] = False
        value[j] = -np.inf
        first, second = clusters[i], clusters[j]
        assert first is not None and second is not None
        clusters[i], clusters[j] = first + second, None
        row = means(i)
        best[i] = int(np.argmax(row))
        value[i] = row[best[i]]
        stale = alive & ((best == i) | (best == j))
        stale[i] = False
        better = alive & ~stale & ((row > value) | ((row == value) & (best > i)))
        better[i] = False
        best[better] = i
        value[better] = row[better]
        for k in np.flatnonzero(stale).tolist():
            mean = means(k)
            best[k] = int(np.argmax(mean))
            value[k] = mean[best[k]]
    return [c for c in clusters if c]


def _daily(articles: dict[str, str | None]) -> dict[str, int]:
    counts = Counter(day for day in articles.values() if day)
    return dict(sorted(counts.items()))


def _representative(members: Sequence[ClaimInfo]) -> ClaimInfo:
    """The earliest claim, preferring the most check-worthy and then the longest."""
    return min(
        members,
        key=lambda c: (c.day or "9999", -(c.checkworthiness or 0.0), -len(c.text), c.id),
    )


SITE_SHARE = 2 / 3  # a family this much of one outlet's, with no anchor, is site boilerplate
SITE_MIN_ARTICLES = 5  # ... when it spans this many articles (an outlet may repeat a claim)


def is_site_boilerplate(members: Sequence[ClaimInfo]) -> bool:
    """A site's stock phrase rather than a claim: the family spans SITE_MIN_ARTICLES articles
    or more, one outlet holds at least SITE_SHARE of them, and no member names anyone, any
    place, figure or date (:func:`.core.is_anchorless`), such as a site's "amid family and
    friends" under every wedding notice."""
    outlets = Counter(c.outlet for c in {c.article_id: c for c in members}.values())
    if sum(outlets.values()) < SITE_MIN_ARTICLES:
        return False
    top = max(outlets.values(), default=0)
    if top < SITE_SHARE * sum(outlets.values()):
        return False
    return all(is_anchorless(text) for text in {c.text for c in members})


def build_families(
    claims: Sequence[ClaimInfo], roots: dict[str, str], min_articles: int = 2
) -> list[Family]:
    """Families of claims whose keys share a root, kept when they span ``min_articles``
    articles (a claim repeated inside one article is not a family). Contact and boilerplate
    lines (a writer's e-mail and SMS footer, :func:`.core.is_contact_line`) are in none,
    even when the same wording recurs in many articles, and a site's stock phrases
    (:func:`is_site_boilerplate`) make no family."""
    groups: dict[str, list[ClaimInfo]] = defaultdict(list)
    contact: dict[str, bool] = {}
    for claim in claims:
        root = roots.get(claim.key)
        if root is None:
            continue
        if claim.key not in contact:
            contact[claim.key] = is_contact_line(claim.text)
        if not contact[claim.key]:
            groups[root].append(claim)
    families: list[Family] = []
    for root, members in groups.items():
        articles = {c.article_id: c.day for c in members}
        if len(articles) < min_articles or is_site_boilerplate(members):
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
