"""Stage claims: what is claimed, on whose word, about whom, and how worth checking it is.

``run`` does the I/O; the steps are pure functions in the submodules:

* :mod:`.split` - claim units: sentences split where they chain several statements;
* :mod:`.attribution` - source, reporting verb, source type, hedges, cited links;
* :mod:`.checkworthiness` - a score per claim;
* :mod:`marsad.actors` - NER entities and gazetteer aliases linked to canonical actors.

Incremental: an article is processed once per component version (the component names the
splitter, the attribution rules, the model files, the gazetteer and the settings that change
the output); editing the gazetteer or updating a model redoes every article.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from tqdm import tqdm

from marsad.actors.e5_tagger import default_path as e5_model_path
from marsad.actors.gazetteer import Gazetteer, load_gazetteer
from marsad.actors.link import link
from marsad.actors.ner import NerTagger, check_model, default_model_path
from marsad.claims.attribution import COMPONENT as ATTRIBUTION_COMPONENT
from marsad.claims.attribution import Attribution, attribute
from marsad.claims.checkworthiness import MODEL_FILE, MODEL_PACKAGE, CheckworthinessModel
from marsad.claims.split import COMPONENT as SPLIT_COMPONENT
from marsad.claims.split import split_claims, split_sentence
from marsad.config import Config
from marsad.normalize import PROFILE
from marsad.records import ActorMention, ArticleClaims, Claim, Span
from marsad.store import Store
from marsad.workers import run_batches, worker_count

HEADLINE, BODY = "headline", "body"
WARM_MIN_ARTICLES = 2000  # below this, filling the NER cache up front does not pay
_Item = tuple[str, str | None, str, list[Span], int | None]
_LEAD_PUNCTUATION = " \t\n|-–—:،,"


@dataclass
class ClaimsSummary:
    articles: int = 0
    claims: int = 0
    mentions: int = 0
    redone: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def line(self) -> str:
        return (
            f"Claims: {self.claims} claims and {self.mentions} actor mentions in "
            f"{self.articles} articles"
            + (f" ({self.redone} redone for new components)." if self.redone else ".")
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "claims": self.claims,
            "mentions": self.mentions,
            "redone": self.redone,
        }


def _file_digest(path: Any) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:8]


def component_version(config: Config, gazetteer: Gazetteer) -> str:
    """Names everything that changes the stage's output."""
    parts = [SPLIT_COMPONENT, ATTRIBUTION_COMPONENT, PROFILE, "gaz-" + gazetteer.digest]
    if config.actors.ner:
        parts.append("ner-" + _file_digest(default_model_path()))
        if check_model(config.actors.ner_model) == "crf+e5":
            parts.append("e5-" + _file_digest(e5_model_path()))
    if config.claims.checkworthiness:
        resource = resources.files(MODEL_PACKAGE).joinpath(MODEL_FILE)
        with resources.as_file(resource) as packaged:
            parts.append("cw-" + _file_digest(packaged))
    settings = json.dumps([config.claims.headlines])
    parts.append(hashlib.sha256(settings.encode()).hexdigest()[:8])
    return "+".join(parts)


# -- work done in worker processes -------------------------------------------------------------
_WORKER: dict[str, Any] = {}


def _init(config: Config, gazetteer: Gazetteer) -> None:
    _WORKER["config"] = config
    _WORKER["gazetteer"] = gazetteer
    warm = _WORKER.pop("warm_ner", None)  # made by run() before the workers were forked
    model = config.actors.ner_model
    _WORKER["ner"] = (warm or NerTagger.load(model=model)) if config.actors.ner else None
    _WORKER["scorer"] = CheckworthinessModel.load() if config.claims.checkworthiness else None


def analyse_article(
    article_id: str,
    title: str | None,
    text: str,
    sentences: list[Span],
    config: Config,
    gazetteer: Gazetteer,
    ner: NerTagger | None,
    dateline_end: int | None = None,
) -> ArticleClaims:
    """Claims and actor mentions of one article (check-worthiness is scored per batch).

    The dateline (``الرقة - صدى الشرق |``) is not part of the first claim; its place is still
    an actor mention."""
    claims: list[Claim] = []
    mentions: list[ActorMention] = []
    parts: list[tuple[str, str, list[tuple[Span, int]]]] = []
    if config.claims.headlines and title and title.strip():
        parts.append((HEADLINE, title, [(s, 0) for s in split_sentence(title, 0, len(title))]))
    units = [(u.span, u.sentence) for u in split_claims(text, sentences)]
    if dateline_end:
        units = [_after(text, span, dateline_end, sentence) for span, sentence in units]
    parts.append((BODY, text, [u for u in units if u[0][1] > u[0][0]]))
    for part, content, units in parts:
        previous: Attribution | None = None
        spans: list[tuple[Span, str]] = []
        for idx, (span, sentence) in enumerate(units):
            found = attribute(content, span, previous)
            previous = found
            claim_id = f"{article_id}:{'h' if part == HEADLINE else ''}{idx}"
            spans.append((span, claim_id))
            claims.append(
                Claim(
                    claim_id,
                    article_id,
                    part,
                    idx,
                    sentence,
                    span,
                    found.source,
                    found.source_span,
                    found.source_type,
                    found.verb,
                    found.verb_span,
                    found.hedged,
                    found.carried_over,
                    list(found.cited_links),
                )
            )
        entities = ner.entities(content) if ner is not None else None
        for m in link(content, entities, gazetteer):
            owner = next((cid for (s, e), cid in spans if s <= m.start < e), None)
            mentions.append(
                ActorMention(part, m.start, m.end, m.text, m.type, m.actor, m.how, owner)
            )
    return ArticleClaims(article_id, claims, mentions)


def _after(text: str, span: Span, cut: int, sentence: int) -> tuple[Span, int]:
    """``span`` without what lies before ``cut`` (and the punctuation that follows it)."""
    start, end = span
    if start < cut:
        start = min(cut, end)
        while start < end and text[start] in _LEAD_PUNCTUATION:
            start += 1
    return (start, end), sentence


def _claims_batch(batch: list[_Item]) -> list[ArticleClaims]:
    config: Config = _WORKER["config"]
    out = [
        analyse_article(
            i, title, text, sentences, config, _WORKER["gazetteer"], _WORKER["ner"], dateline
        )
        for i, title, text, sentences, dateline in batch
    ]
    scorer: CheckworthinessModel | None = _WORKER["scorer"]
    if scorer is not None:
        texts = {item[0]: item[2] for item in batch}
        titles = {item[0]: item[1] or "" for item in batch}
        claims = [c for result in out for c in result.claims]
        scores = scorer.score(
            [
                (titles if c.part == HEADLINE else texts)[c.article_id][c.span[0] : c.span[1]]
                for c in claims
            ]
        )
        scored = iter(scores.tolist())
        for result in out:
            result.claims = [
                replace(c, checkworthiness=round(next(scored), 4)) for c in result.claims
            ]
    return out


def run(
    config: Config,
    store: Store,
    progress: bool = False,
    gazetteer: Gazetteer | None = None,
) -> ClaimsSummary:
    """Process every article not yet done by the current component version.

    ``gazetteer`` defaults to the one the settings name (:func:`load_gazetteer`)."""
    summary = ClaimsSummary()
    started = time.perf_counter()
    if gazetteer is None:
        gazetteer = load_gazetteer(config.actors.gazetteer, config.actors.starter_gazetteer)
    component = component_version(config, gazetteer)
    store.save_gazetteer(gazetteer.actors.values())
    summary.redone = store.drop_stale_claims(component)
    summary_pending = store.count_unclaimed()
    bar = tqdm(
        total=summary_pending,
        desc="claims",
        unit=" articles",
        disable=not progress,
        leave=False,
    )

    def save(_: None, results: list[ArticleClaims]) -> None:
        store.save_claims(component, results)
        summary.articles += len(results)
        summary.claims += sum(len(r.claims) for r in results)
        summary.mentions += sum(len(r.mentions) for r in results)
        bar.update(len(results))

    workers = worker_count(config.pipeline.workers)
    if config.actors.ner and config.actors.ner_model == "crf+e5":
        # The e5 tagger's matrix products already use every core; more processes only add
        # memory (100 news articles: same wall time, 545 MB instead of 900 MB).
        workers = 1
    if config.actors.ner and workers > 1 and summary_pending > WARM_MIN_ARTICLES:
        # Forked workers inherit this tagger with its per-word cache filled once.
        _WORKER["warm_ner"] = NerTagger.load(model=config.actors.ner_model)
        _WORKER["warm_ner"].warm()
    run_batches(
        ((None, batch) for batch in store.unclaimed(config.claims.batch_size)),
        _claims_batch,
        save,
        workers,
        _init,
        (config, gazetteer),
    )
    _WORKER.pop("warm_ner", None)
    bar.close()
    summary.seconds["claims"] = time.perf_counter() - started
    return summary
