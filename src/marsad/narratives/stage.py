"""Stage narratives over the store; the steps are pure functions in the submodules.

1. ``embed``: claims of at least ``narratives.min_words`` words (and ``min_checkworthiness``)
   are keyed by their folded wording; each distinct wording is embedded once (:mod:`.embed`)
   and its vector kept in the store under the embedder and folding profile, so copies cost
   nothing and reruns embed only new wordings.
2. ``link``: wordings not yet compared under the link component (the vectors, the claim
   selection, ``neighbours``, the same-claim model) are searched against all vectors
   (:mod:`.neighbours`); pairs whose calibrated same-claim score passes (:mod:`.similarity`)
   are stored as links. A change of any of these compares every wording again.
3. ``families``: families and narratives are rebuilt from all links (:mod:`.families`).
4. ``catalog NAME``: each catalogue (``--catalog`` / ``narratives.catalogs``) is stored, its
   entries embedded once, and matched against the claim vectors (:mod:`.match`); each match
   gets the article's stance to the entry (repeats, disputes, discusses: :mod:`.stance`).
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from marsad.actors.gazetteer import Gazetteer, load_gazetteer
from marsad.config import Config
from marsad.narratives.embed import Embedder, get_embedder
from marsad.narratives.families import (
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
from marsad.narratives.neighbours import NeighbourIndex, Rows
from marsad.narratives.similarity import (
    MIN_SHARED_WEIGHT,
    LogisticModel,
    SameClaimModel,
    clear_caches,
    load_model,
    model_digest,
)
from marsad.narratives.stance import features as stance_features
from marsad.narratives.stance import load_model as load_stance_model
from marsad.narratives.stance import model_digest as stance_digest
from marsad.normalize import PROFILE
from marsad.records import Catalog, CatalogEntry, CatalogMatch, ClaimInfo
from marsad.stage import BatchStep, Component, Stage, StageSpec, WholeStep
from marsad.store import Store
from marsad.text import folded_stopwords

if TYPE_CHECKING:
    from marsad.stage import Counts, RunContext, Setup, StageSummary

LOGGER = logging.getLogger(__name__)
Reporter = Callable[[str], None]
NO_ACTORS: frozenset[str] = frozenset()
LINK_BATCH = 2048  # wordings searched and judged per batch
Matrix = npt.NDArray[np.float16]  # claim vectors, one row per wording, as stored


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


def vector_name(embedder: Embedder) -> str:
    """What claim vectors are stored under: the embedder and the folding profile of the
    wording keys."""
    return f"{embedder.name}:{embedder.version}+{PROFILE}"


def link_component(config: Config, embedder: Embedder) -> str:
    """What same-claim links are stored under: everything that changes which links exist
    (the vectors, the claims selected, the neighbours searched, the same-claim model)."""
    options = config.narratives
    return Component(
        f"links.v1+{vector_name(embedder)}",
        [options.min_words, options.min_checkworthiness, options.neighbours, MIN_SHARED_WEIGHT],
        (("same-claim", model_digest()),),
    ).version()


def _embed_missing(
    store: Store, embedder: Embedder, texts: dict[str, str], config: Config, progress: bool
) -> int:
    """Embed (and store) the wordings with no vector yet for ``embedder``; how many."""
    name = vector_name(embedder)
    stored = store.narratives.claim_vector_keys(name)
    missing = [key for key in texts if key not in stored]
    del stored
    bar = tqdm(total=len(missing), desc="embed", unit=" claims", disable=not progress, leave=False)
    size = config.narratives.batch_size
    for k in range(0, len(missing), size):
        chunk = missing[k : k + size]
        encoded = embedder.encode([texts[key] for key in chunk], kind="passage")
        store.narratives.save_claim_vectors(name, zip(chunk, encoded, strict=True))
        bar.update(len(chunk))
    bar.close()
    return len(missing)


@dataclass
class Wording:
    """One distinct claim wording: its folded key and the text it is embedded from."""

    key: str
    text: str


@dataclass
class Shared:
    """What the steps of one narratives run hand on to each other."""

    config: Config
    catalogs: Sequence[Catalog]
    gazetteer: Gazetteer
    embedder: Embedder | None = None
    claims: list[ClaimInfo] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    keys: list[str] = field(default_factory=list)
    matrix: Matrix | None = None
    judge: SameClaimModel | None = None

    def load_embedder(self) -> Embedder:
        if self.embedder is None:
            self.embedder = _embedder(self.config)
        return self.embedder

    def vectors(self, store: Store) -> tuple[list[str], Matrix]:
        """Keys with a vector and their matrix (read once from the store)."""
        if self.matrix is None:
            embedder = self.load_embedder()
            self.keys, self.matrix = store.narratives.claim_matrix(
                vector_name(embedder), list(self.texts), embedder.dim
            )
        return self.keys, self.matrix

    def catalog_vectors(self, store: Store, progress: bool) -> tuple[Embedder, list[str], Matrix]:
        """The claims' vectors by the catalogue embedder (made and stored when missing);
        the pipeline's own vectors are let go first when it is another embedder."""
        wanted = self.config.narratives.catalog_embedder
        if self.embedder is not None and self.embedder.name == wanted and self.matrix is not None:
            return self.embedder, self.keys, self.matrix
        self.matrix = None  # free the pipeline's vectors before reading the other ones
        self.embedder = get_embedder(wanted)
        _embed_missing(store, self.embedder, self.texts, self.config, progress)
        self.keys, self.matrix = store.narratives.claim_matrix(
            vector_name(self.embedder), list(self.texts), self.embedder.dim
        )
        return self.embedder, self.keys, self.matrix


class EmbedStep(BatchStep[Wording, npt.NDArray[np.float32]]):
    """Each distinct wording of the selected claims embedded once, its vector stored."""

    name = "embed"
    parallel = False  # the embedders use every core already
    unit = "wordings"

    def __init__(self, shared: Shared) -> None:
        self.shared = shared

    def pending(self, run: RunContext) -> Iterator[list[Wording]]:
        shared = self.shared
        shared.claims = select_claims(run.store.narratives.narrative_claims(), shared.config)
        for claim in shared.claims:
            shared.texts.setdefault(claim.key, claim.text)
        embedder = shared.load_embedder()
        stored = run.store.narratives.claim_vector_keys(vector_name(embedder))
        missing = [key for key in shared.texts if key not in stored]
        del stored
        size = shared.config.narratives.batch_size
        for k in range(0, len(missing), size):
            yield [Wording(key, shared.texts[key]) for key in missing[k : k + size]]

    def key(self, item: Wording) -> str:
        return item.key

    def source(self, item: Wording) -> str:
        return f"claim wording {item.text[:80]!r}"

    def process(self, items: list[Wording]) -> list[npt.NDArray[np.float32]]:
        encoded = self.shared.load_embedder().encode([w.text for w in items], kind="passage")
        return list(encoded)

    def save(
        self, run: RunContext, items: list[Wording], results: list[npt.NDArray[np.float32]]
    ) -> Counts:
        name = vector_name(self.shared.load_embedder())
        run.store.narratives.save_claim_vectors(
            name, zip([w.key for w in items], results, strict=True)
        )
        return {"embedded": len(items)}


class LinkStep(BatchStep[str, list[tuple[str, str, float]]]):
    """Wordings not yet compared (under the link component) searched against all vectors;
    pairs the calibrated same-claim model accepts are stored as links."""

    name = "link"
    parallel = False
    unit = "wordings"

    def __init__(self, shared: Shared) -> None:
        self.shared = shared
        self.component = ""
        self.row: dict[str, int] = {}
        self.index: NeighbourIndex | None = None

    def pending(self, run: RunContext) -> Iterator[list[str]]:
        shared = self.shared
        embedder = shared.load_embedder()
        self.component = link_component(shared.config, embedder)
        run.store.narratives.drop_stale_links(self.component)
        keys, matrix = shared.vectors(run.store)
        self.row = {key: i for i, key in enumerate(keys)}
        unlinked = run.store.narratives.unlinked_keys(vector_name(embedder), self.component)
        todo = sorted(unlinked & set(self.row))
        if not todo:
            return
        shared.judge = shared.judge or load_model(embedder.name, "paraphrase")
        self.index = NeighbourIndex(matrix)
        for k in range(0, len(todo), LINK_BATCH):
            yield todo[k : k + LINK_BATCH]

    def key(self, item: str) -> str:
        return item

    def process(self, items: list[str]) -> list[list[tuple[str, str, float]]]:
        shared, row = self.shared, self.row
        assert self.index is not None and shared.matrix is not None and shared.judge is not None
        matrix, judge, texts, keys = shared.matrix, shared.judge, shared.texts, shared.keys
        k = shared.config.narratives.neighbours + 1
        index, cosines = self.index.search(Rows(matrix, np.array([row[x] for x in items])), k)
        floor = judge.least_cosine()
        out = []
        for q, key in enumerate(items):
            links: list[tuple[str, str, float]] = []
            for j, cosine in zip(index[q].tolist(), cosines[q].tolist(), strict=True):
                other = keys[j]
                if other == key or cosine < floor - 1e-6:
                    continue
                a_vec = matrix[row[key]].astype(np.float32)
                b_vec = matrix[j].astype(np.float32)
                score, threshold = judge.judge(
                    texts[key], texts[other], a_vec, b_vec, min_shared=MIN_SHARED_WEIGHT
                )
                if score >= threshold:
                    links.append((key, other, round(score, 4)))
            out.append(links)
        return out

    def save(
        self, run: RunContext, items: list[str], results: list[list[tuple[str, str, float]]]
    ) -> Counts:
        links = [link for found in results for link in found]
        run.store.narratives.save_claim_links(self.component, links, items)
        return {"compared": len(items), "links": len(links)}


class GroupStep(WholeStep):
    """Families and narratives rebuilt from all links."""

    name = "families"

    def __init__(self, shared: Shared, links: LinkStep) -> None:
        self.shared = shared
        self.links = links

    def run(self, run: RunContext) -> Counts:
        clear_caches()  # ~0.4 GB, else held through the catalogue step's index builds
        shared = self.shared
        keys, matrix = shared.vectors(run.store)
        embedder = shared.load_embedder()
        shared.judge = shared.judge or load_model(embedder.name, "paraphrase")
        component = self.links.component or link_component(shared.config, embedder)
        families, narratives = _group(
            run.store,
            component,
            shared.judge,
            shared.claims,
            keys,
            matrix,
            shared.gazetteer,
            shared.config,
        )
        return {"families": families, "narratives": narratives}


class CatalogStep(WholeStep):
    """One catalogue stored and matched against the claims."""

    atomic = False  # its entry vectors are stored a batch at a time, as they are made
    independent = True  # one broken catalogue does not stop the others

    def __init__(self, shared: Shared, catalog: Catalog) -> None:
        self.shared = shared
        self.catalog = catalog
        self.name = f"catalog {catalog.name}"

    def run(self, run: RunContext) -> Counts:
        shared, config = self.shared, self.shared.config
        embedder, keys, matrix = shared.catalog_vectors(run.store, run.progress)
        found = _match(
            self.catalog,
            run.store,
            embedder,
            keys,
            matrix,
            shared.claims,
            shared.texts,
            shared.gazetteer,
            config,
            run.say,
        )
        run.summary.counts[f"matches:{self.catalog.name}"] += found
        return {"matches": found}


def _group(
    store: Store,
    component: str,
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
        components(keys, store.narratives.claim_links(component)),
        {key: matrix[row[key]] for key in keys},
        _cosine_at_threshold(judge.cosine_only),
        store.narratives.claim_links(component),  # read again: only large components keep them
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
        stopwords=folded_stopwords(),
    )
    store.narratives.save_families(families, narratives)
    return len(families), len(narratives)


def _match(
    catalog: Catalog,
    store: Store,
    embedder: Embedder,
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
    store.narratives.save_catalog(catalog, actors)
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
        articles_of: dict[str, list[str]] = defaultdict(list)
        for claim in claims:
            articles_of[claim.key].append(claim.article_id)
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
            [articles_of[k] for k in keys],
        )
        fine = get_embedder(fine_name)
        entries = [entries[i] for i in rows_e]
        entry_vectors = _entry_vectors(catalog, store, fine, entries, config)
        subset = {keys[j]: texts[keys[j]] for j in rows_c}
        _embed_missing(store, fine, subset, config, False)
        keys, matrix = store.narratives.claim_matrix(vector_name(fine), list(subset), fine.dim)
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
    if config.narratives.catalog_stance:
        matches = with_stance(store, matches, {e.id: e.text for e in entries})
    store.narratives.save_catalog_matches(catalog.name, matches)
    return len(matches)


def with_stance(
    store: Store, matches: list[CatalogMatch], entry_texts: dict[str, str], chunk: int = 500
) -> list[CatalogMatch]:
    """``matches`` with the stance of each article to its entry (:mod:`.stance`), read a
    chunk of matches at a time (the articles' texts are not all held at once)."""
    if not matches or not stance_digest():
        return matches
    model = load_stance_model()
    out: list[CatalogMatch] = []
    for k in range(0, len(matches), chunk):
        part = matches[k : k + chunk]
        contexts = store.narratives.match_contexts(m.claim_id for m in part)
        rows = []
        for m in part:
            title, text, where, start, end = contexts.get(m.claim_id, ("", "", "body", 0, 0))
            claim = (title if where == "headline" else text)[start:end]
            span = (start, end) if where == "body" else None
            rows.append(
                stance_features(
                    entry_texts[m.entry_id], title, text, claim, span, m.score, m.cosine
                )
            )
        for m, (label, p) in zip(part, model.predict(rows), strict=True):
            out.append(replace(m, stance=label, stance_p=p))
    return out


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
    stored = store.narratives.catalog_vector_ids(catalog.name, name)
    missing = [e for e in entries if e.id not in stored]
    for k in range(0, len(missing), config.narratives.batch_size):
        chunk = missing[k : k + config.narratives.batch_size]
        encoded = embedder.encode([e.text for e in chunk], kind="query")
        store.narratives.save_catalog_vectors(
            catalog.name, name, zip([e.id for e in chunk], encoded, strict=True)
        )
    ids = list(dict.fromkeys(e.id for e in entries))
    found, matrix = store.narratives.catalog_matrix(catalog.name, name, ids, embedder.dim)
    if len(found) != len(entries):  # an id seen twice (or a vector missing: KeyError)
        row = {entry_id: i for i, entry_id in enumerate(found)}
        matrix = matrix[[row[e.id] for e in entries]]
    return matrix


def _cosine_at_threshold(model: LogisticModel) -> float:
    """The cosine at which a cosine-only same-claim model reaches its threshold."""
    p = min(max(model.threshold, 1e-6), 1 - 1e-6)
    logit = math.log(p / (1 - p))
    return model.mean[0] + model.scale[0] * (logit - model.intercept) / model.coef[0]


def build(setup: Setup) -> Stage:
    config = setup.config
    gazetteer = setup.gazetteer or load_gazetteer(
        config.actors.gazetteer, config.actors.starter_gazetteer
    )
    shared = Shared(config, setup.catalogs, gazetteer)
    link = LinkStep(shared)
    steps: list[BatchStep[Any, Any] | WholeStep] = [EmbedStep(shared), link]
    if config.narratives.enabled:
        steps.append(GroupStep(shared, link))
    steps += [CatalogStep(shared, catalog) for catalog in setup.catalogs]
    return Stage(
        name="narratives",
        component=Component(
            f"narratives.v2+{PROFILE}",
            asdict(config.narratives),
            (("same-claim", model_digest()), ("stance", stance_digest())),
        ),
        reads=("claims", "mentions", "articles", "catalogue files"),
        writes=(
            "claim_vectors",
            "claim_links",
            "claim_linked",
            "claim_families",
            "claim_family_members",
            "narratives",
            "catalogs",
            "catalog_entries",
            "catalog_vectors",
            "catalog_matches",
        ),
        steps=steps,
        describe=describe,
        redo=lambda store: store.narratives.forget_links(),
    )


def describe(summary: StageSummary) -> str:
    c = summary.counts
    matches = ", ".join(
        f"{n} matches for {name.split(':', 1)[1]}"
        for name, n in c.items()
        if name.startswith("matches:")
    )
    return (
        f"Narratives: {c['embedded']} claim wordings embedded, {c['compared']} compared, "
        f"{c['links']} new same-claim links, {c['families']} claim families, "
        f"{c['narratives']} narratives" + (f"; {matches}." if matches else ".")
    )


def _enabled(setup: Setup) -> bool:
    config = setup.config
    return (config.narratives.enabled or bool(setup.catalogs)) and config.claims.enabled


SPEC = StageSpec("narratives", build, _enabled)
