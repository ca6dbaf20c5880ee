"""Stage narratives: ``run`` does the I/O; the steps are pure functions in the submodules.

1. Claims of at least ``narratives.min_words`` words (and ``min_checkworthiness``) are keyed
   by their folded wording; each distinct wording is embedded once (:mod:`.embed`) and its
   vector kept in the store, so copies cost nothing and reruns embed only new wordings.
2. Wordings not yet compared are searched against all vectors (:mod:`.neighbours`); pairs
   whose calibrated same-claim score passes (:mod:`.similarity`) are stored as links.
3. Families and narratives are rebuilt from all links (:mod:`.families`), cheaply, every run.
4. Catalogues (``--catalog`` / ``narratives.catalogs``) are stored, their entries embedded
   once, and matched against the claim vectors (:mod:`.match`).
"""

from __future__ import annotations

import logging
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from marsad.actors.gazetteer import Gazetteer, load_gazetteer
from marsad.config import Config
from marsad.narratives.catalog import Catalog, CatalogEntry, read_catalog
from marsad.narratives.embed import Embedder, get_embedder
from marsad.narratives.families import (
    ClaimInfo,
    build_families,
    build_narratives,
    centroids,
    claim_key,
    components,
    split_chains,
)
from marsad.narratives.match import (
    MatchOptions,
    candidate_pairs,
    entry_actors,
    match_catalog,
    rerank_subset,
)
from marsad.narratives.neighbours import Rows, neighbours
from marsad.narratives.similarity import (
    MIN_SHARED_WEIGHT,
    LogisticModel,
    SameClaimModel,
    clear_caches,
    load_model,
)
from marsad.normalize import normalize
from marsad.store import Store

LOGGER = logging.getLogger(__name__)
Reporter = Callable[[str], None]
NO_ACTORS: frozenset[str] = frozenset()
Matrix = npt.NDArray[np.float16]  # claim vectors, one row per wording, as stored


@dataclass
class NarrativesSummary:
    embedded: int = 0
    compared: int = 0
    links: int = 0
    families: int = 0
    narratives: int = 0
    catalog_matches: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def line(self) -> str:
        matches = ", ".join(f"{n} matches for {name}" for name, n in self.catalog_matches.items())
        return (
            f"Narratives: {self.embedded} claim wordings embedded, {self.compared} compared, "
            f"{self.links} new same-claim links, {self.families} claim families, "
            f"{self.narratives} narratives" + (f"; {matches}." if matches else ".")
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "embedded": self.embedded,
            "compared": self.compared,
            "links": self.links,
            "families": self.families,
            "narratives": self.narratives,
            "catalog_matches": self.catalog_matches,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def select_claims(claims: Iterable[ClaimInfo], config: Config) -> list[ClaimInfo]:
    """Claims worth grouping, with their wording keys (``claims`` may be a stream: only the
    selected ones are kept)."""
    options = config.narratives
    out = []
    for claim in claims:
        if len(claim.text.split()) < options.min_words:
            continue
        if (claim.checkworthiness or 0.0) < options.min_checkworthiness:
            continue
        out.append(
            ClaimInfo(
                claim.id,
                claim_key(claim.text),
                claim.article_id,
                claim.outlet,
                claim.day,
                claim.text,
                claim.actors,
                claim.checkworthiness,
            )
        )
    return out


def _embedder(config: Config) -> Embedder:
    options: dict[str, Any] = {}
    if config.narratives.embedder_model:
        options["model"] = config.narratives.embedder_model
    return get_embedder(config.narratives.embedder, **options)


def _embed_wordings(
    store: Store, embedder: Embedder, texts: dict[str, str], config: Config, progress: bool
) -> tuple[int, list[str], Matrix]:
    """Embed the wordings not yet stored for ``embedder``; (how many were embedded, the keys
    with a vector, their vectors as one float16 matrix, read from the store)."""
    name = f"{embedder.name}:{embedder.version}"
    stored = store.claim_vector_keys(name)
    missing = [key for key in texts if key not in stored]
    del stored
    bar = tqdm(total=len(missing), desc="embed", unit=" claims", disable=not progress, leave=False)
    size = config.narratives.batch_size
    for k in range(0, len(missing), size):
        chunk = missing[k : k + size]
        encoded = embedder.encode([texts[key] for key in chunk], kind="passage")
        store.save_claim_vectors(name, zip(chunk, encoded, strict=True))
        bar.update(len(chunk))
    bar.close()
    keys, matrix = store.claim_matrix(name, list(texts), embedder.dim)
    return len(missing), keys, matrix


def run(
    config: Config,
    store: Store,
    report: Reporter,
    progress: bool = False,
    catalogs: Sequence[Catalog] = (),
    gazetteer: Gazetteer | None = None,
) -> NarrativesSummary:
    """Embed new claim wordings, link them, rebuild families and narratives, match catalogues."""
    summary = NarrativesSummary()
    started = time.perf_counter()
    embedder = _embedder(config)
    name = f"{embedder.name}:{embedder.version}"
    claims = select_claims(store.narrative_claims(), config)
    texts: dict[str, str] = {}
    for claim in claims:
        texts.setdefault(claim.key, claim.text)
    summary.embedded, keys, matrix = _embed_wordings(store, embedder, texts, config, progress)
    summary.seconds["embed"] = time.perf_counter() - started

    started = time.perf_counter()
    judge = load_model(embedder.name, "paraphrase")
    summary.compared, summary.links = _link(store, name, judge, texts, keys, matrix, config)
    clear_caches()  # ~0.4 GB, else held through the catalogue step's index builds
    summary.seconds["link"] = time.perf_counter() - started

    started = time.perf_counter()
    gazetteer = gazetteer or load_gazetteer(
        config.actors.gazetteer, config.actors.starter_gazetteer
    )
    families, narratives = _group(store, name, judge, claims, keys, matrix, gazetteer, config)
    summary.families, summary.narratives = families, narratives
    summary.seconds["families"] = time.perf_counter() - started

    started = time.perf_counter()
    for path in config.narratives.catalogs:
        catalogs = [*catalogs, read_catalog(path)]
    if catalogs and config.narratives.catalog_embedder != config.narratives.embedder:
        del matrix  # free the pipeline's vectors before reading the catalogue embedder's
        embedder = get_embedder(config.narratives.catalog_embedder)
        name = f"{embedder.name}:{embedder.version}"
        _, keys, matrix = _embed_wordings(store, embedder, texts, config, progress)
    for catalog in catalogs:
        summary.catalog_matches[catalog.name] = _match(
            catalog, store, embedder, name, keys, matrix, claims, texts, gazetteer, config, report
        )
    summary.seconds["catalogs"] = time.perf_counter() - started
    return summary


def _link(
    store: Store,
    name: str,
    judge: SameClaimModel,
    texts: dict[str, str],
    keys: list[str],
    matrix: Matrix,
    config: Config,
) -> tuple[int, int]:
    """Compare the wordings not yet compared with their nearest wordings and store the
    same-claim links; (wordings compared, links stored)."""
    row = {key: i for i, key in enumerate(keys)}
    todo = sorted(store.unlinked_keys(name) & set(row))
    links: list[tuple[str, str, float]] = []
    if todo:
        rows = np.array([row[key] for key in todo], dtype=np.int64)
        index, cosines = neighbours(matrix, Rows(matrix, rows), config.narratives.neighbours + 1)
        floor = judge.least_cosine()
        for q, key in enumerate(todo):
            for j, cosine in zip(index[q].tolist(), cosines[q].tolist(), strict=True):
                other = keys[j]
                if other == key or cosine < floor - 1e-6:
                    continue
                a, b = texts[key], texts[other]
                a_vec, b_vec = matrix[row[key]].astype(np.float32), matrix[j].astype(np.float32)
                score, threshold = judge.judge(a, b, a_vec, b_vec, min_shared=MIN_SHARED_WEIGHT)
                if score >= threshold:
                    links.append((key, other, round(score, 4)))
    store.save_claim_links(name, links, todo)
    return len(todo), len(links)


def _group(
    store: Store,
    name: str,
    judge: SameClaimModel,
    claims: list[ClaimInfo],
    keys: list[str],
    matrix: Matrix,
    gazetteer: Gazetteer,
    config: Config,
) -> tuple[int, int]:
    """Rebuild and store every family and narrative from all links; (families, narratives)."""
    row = {key: i for i, key in enumerate(keys)}
    roots = split_chains(
        components(keys, store.claim_links(name)),
        {key: matrix[row[key]] for key in keys},
        _cosine_at_threshold(judge.cosine_only),
    )
    families = build_families(claims, roots, config.narratives.family_min_articles)
    vectors = {key: matrix[row[key]] for f in families for key in f.keys if key in row}
    places = frozenset(a.id for a in gazetteer.actors.values() if a.type == "place")
    by_id = {c.id: c for c in claims}
    narratives = build_narratives(
        families,
        centroids(families, vectors),
        by_id,
        config.narratives.narrative_cosine,
        config.narratives.narrative_shared_articles,
        place_actors=places,
        stopwords=_stopwords(),
    )
    store.save_families(families, narratives)
    return len(families), len(narratives)


def _match(
    catalog: Catalog,
    store: Store,
    embedder: Embedder,
    name: str,
    keys: list[str],
    matrix: Matrix,
    claims: Sequence[ClaimInfo],
    texts: dict[str, str],
    gazetteer: Gazetteer,
    config: Config,
    report: Reporter,
) -> int:
    for problem in catalog.problems:
        report(problem.line())
    actors = [entry_actors(e, gazetteer) for e in catalog.entries]
    store.save_catalog(catalog, actors)
    actors_of = {e.id: a for e, a in zip(catalog.entries, actors, strict=True)}
    entries = list(catalog.entries)
    entry_vectors = _entry_vectors(catalog, store, embedder, entries, config)
    key_actors = _key_actors(claims)
    options = MatchOptions(
        threshold=config.narratives.catalog_threshold,
        same_language_threshold=config.narratives.catalog_threshold_same_language,
        lexical_weight=config.narratives.catalog_lexical_weight,
    )
    fine_name = config.narratives.catalog_rerank_embedder
    if fine_name and fine_name != embedder.name and config.narratives.catalog_rerank_budget:
        rows_e, rows_c = rerank_subset(
            candidate_pairs(
                entries,
                entry_vectors,
                [actors_of[e.id] for e in entries],
                [key_actors.get(k, NO_ACTORS) for k in keys],
                matrix,
                options,
                claim_texts=[texts[k] for k in keys],
            ),
            config.narratives.catalog_rerank_budget,
        )
        fine = get_embedder(fine_name)
        entries = [entries[i] for i in rows_e]
        entry_vectors = _entry_vectors(catalog, store, fine, entries, config)
        keys = [keys[j] for j in rows_c]
        _, keys, matrix = _embed_wordings(store, fine, {k: texts[k] for k in keys}, config, False)
    wanted = set(keys)
    by_key: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for claim in claims:
        if claim.key in wanted:
            by_key[claim.key].append((claim.id, claim.article_id))
    matches = match_catalog(
        entries,
        entry_vectors,
        [actors_of[e.id] for e in entries],
        [by_key[k] for k in keys],
        [key_actors.get(k, NO_ACTORS) for k in keys],
        matrix,
        options,
        claim_texts=[texts[k] for k in keys],
    )
    store.save_catalog_matches(catalog.name, matches)
    return len(matches)


def _key_actors(claims: Iterable[ClaimInfo]) -> dict[str, frozenset[str]]:
    """The actors that the claims of each wording mention (wordings with none are left out:
    one shared empty set stands for them)."""
    found: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        if claim.actors:
            found[claim.key].update(claim.actors)
    return {key: frozenset(actors) for key, actors in found.items()}


def _entry_vectors(
    catalog: Catalog,
    store: Store,
    embedder: Embedder,
    entries: list[CatalogEntry],
    config: Config,
) -> npt.NDArray[np.float32]:
    """Vectors of ``entries`` by ``embedder``, embedding (and storing) those not yet stored."""
    name = f"{embedder.name}:{embedder.version}"
    stored = store.catalog_vector_ids(catalog.name, name)
    missing = [e for e in entries if e.id not in stored]
    for k in range(0, len(missing), config.narratives.batch_size):
        chunk = missing[k : k + config.narratives.batch_size]
        encoded = embedder.encode([e.text for e in chunk], kind="query")
        store.save_catalog_vectors(
            catalog.name, name, zip([e.id for e in chunk], encoded, strict=True)
        )
    ids = list(dict.fromkeys(e.id for e in entries))
    found, matrix = store.catalog_matrix(catalog.name, name, ids, embedder.dim)
    if len(found) != len(entries):  # an id seen twice (or a vector missing: KeyError)
        row = {entry_id: i for i, entry_id in enumerate(found)}
        matrix = matrix[[row[e.id] for e in entries]]
    return matrix


def _cosine_at_threshold(model: LogisticModel) -> float:
    """The cosine at which a cosine-only same-claim model reaches its threshold."""
    p = min(max(model.threshold, 1e-6), 1 - 1e-6)
    logit = math.log(p / (1 - p))
    return model.mean[0] + model.scale[0] * (logit - model.intercept) / model.coef[0]


def _stopwords() -> frozenset[str]:
    from importlib import resources

    text = resources.files("marsad.data").joinpath("stopwords_ar.txt").read_text("utf-8")
    words = {normalize(w) for w in text.split() if not w.startswith("#")}
    words |= {"the", "and", "that", "with", "from", "this", "was", "were", "has", "have", "for"}
    return frozenset(words)
