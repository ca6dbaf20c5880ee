"""Stage claims over the store: every article not yet done by the current component gets its
claims, attributions, actor mentions and check-worthiness scores.

The component names the splitter, the attribution rules, the NER and check-worthiness model
files, the gazetteer and the settings that change the output; editing the gazetteer or
updating a model redoes every article.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from importlib import resources
from typing import TYPE_CHECKING

from marsad.actors.e5_tagger import default_path as e5_model_path
from marsad.actors.gazetteer import Gazetteer, load_gazetteer
from marsad.actors.link import LINK_VERSION
from marsad.actors.ner import NerTagger, check_model, default_model_path
from marsad.actors.roles import roles_digest
from marsad.claims import HEADLINE, analyse_article
from marsad.claims.attribution import COMPONENT as ATTRIBUTION_COMPONENT
from marsad.claims.checkworthiness import MODEL_FILE, MODEL_PACKAGE, CheckworthinessModel
from marsad.claims.models import packaged as packaged_models
from marsad.claims.split import COMPONENT as SPLIT_COMPONENT
from marsad.config import Config
from marsad.normalize import PROFILE
from marsad.records import ArticleClaims, ArticleText
from marsad.stage import BatchStep, Component, Stage, StageSpec, file_digest
from marsad.workers import worker_count

if TYPE_CHECKING:
    from marsad.stage import Counts, RunContext, Setup, StageSummary

WARM_MIN_ARTICLES = 2000  # below this, filling the NER cache up front does not pay


def component(config: Config, gazetteer: Gazetteer) -> Component:
    """Names everything that changes the stage's output."""
    models = [("gaz", gazetteer.digest), ("roles", roles_digest()), ("link", LINK_VERSION)]
    if config.actors.ner:
        models.append(("ner", file_digest(default_model_path())))
        if check_model(config.actors.ner_model) == "crf+e5":
            models.append(("e5", file_digest(e5_model_path())))
    if config.claims.learned_attribution:
        learned = packaged_models(gazetteer)
        models.extend(learned.digests if learned is not None else ())
    if config.claims.checkworthiness:
        resource = resources.files(MODEL_PACKAGE).joinpath(MODEL_FILE)
        with resources.as_file(resource) as packaged:
            models.append(("cw", file_digest(packaged)))
    return Component(
        f"{SPLIT_COMPONENT}+{ATTRIBUTION_COMPONENT}+{PROFILE}",
        [config.claims.headlines],
        tuple(models),
    )


class AnalyseStep(BatchStep[ArticleText, ArticleClaims]):
    """Claims and actor mentions of each article; check-worthiness scored per batch."""

    name = "analyse"

    def __init__(self, config: Config, gazetteer: Gazetteer) -> None:
        self.config = config
        self.gazetteer = gazetteer
        # The e5 tagger's matrix products already use every core; more processes only add
        # memory (100 news articles: same wall time, 545 MB instead of 900 MB).
        self.parallel = not (config.actors.ner and config.actors.ner_model == "crf+e5")
        self._ner: NerTagger | None = None
        self._scorer: CheckworthinessModel | None = None
        self._learned = packaged_models(gazetteer) if config.claims.learned_attribution else None

    def total(self, run: RunContext) -> int:
        return run.store.claims.count_unclaimed()

    def pending(self, run: RunContext) -> Iterator[list[ArticleText]]:
        store = run.store
        store.claims.save_gazetteer(self.gazetteer.actors.values())
        run.summary.counts["redone"] += store.claims.drop_stale_claims(run.component)
        workers = worker_count(self.config.pipeline.workers) if self.parallel else 1
        warm = self.config.actors.ner and workers > 1 and self._ner is None
        if warm and store.claims.count_unclaimed() > WARM_MIN_ARTICLES:
            # Loaded before the first batch, so the forked workers inherit this tagger with
            # its per-word cache filled once.
            self._ner = NerTagger.load(model=self.config.actors.ner_model)
            self._ner.warm()
        yield from store.claims.unclaimed(self.config.claims.batch_size)

    def key(self, item: ArticleText) -> str:
        return item.id

    def source(self, item: ArticleText) -> str:
        return f"{item.source} (article {item.id})" if item.source else item.id

    def process(self, items: list[ArticleText]) -> list[ArticleClaims]:
        config = self.config
        if config.actors.ner and self._ner is None:
            self._ner = NerTagger.load(model=config.actors.ner_model)
        out = [
            analyse_article(
                a.id,
                a.title,
                a.text,
                a.sentences,
                config,
                self.gazetteer,
                self._ner,
                a.dateline_end,
                self._learned,
            )
            for a in items
        ]
        if config.claims.checkworthiness:
            out = self._score(items, out)
        return out

    def _score(self, items: list[ArticleText], out: list[ArticleClaims]) -> list[ArticleClaims]:
        if self._scorer is None:
            self._scorer = CheckworthinessModel.load()
        by_id = {a.id: a for a in items}
        claims = [c for result in out for c in result.claims]
        scores = self._scorer.score(
            [
                (
                    (by_id[c.article_id].title or "")
                    if c.part == HEADLINE
                    else by_id[c.article_id].text
                )[c.span[0] : c.span[1]]
                for c in claims
            ]
        )
        scored = iter(scores.tolist())
        for result in out:
            result.claims = [
                replace(c, checkworthiness=round(next(scored), 4)) for c in result.claims
            ]
        return out

    def save(
        self, run: RunContext, items: list[ArticleText], results: list[ArticleClaims]
    ) -> Counts:
        run.store.claims.save_claims(run.component, results)
        return {
            "articles": len(results),
            "claims": sum(len(r.claims) for r in results),
            "mentions": sum(len(r.mentions) for r in results),
        }


def build(setup: Setup) -> Stage:
    config = setup.config
    gazetteer = setup.gazetteer or load_gazetteer(
        config.actors.gazetteer, config.actors.starter_gazetteer
    )
    return Stage(
        name="claims",
        component=component(config, gazetteer),
        reads=("articles", "sentences"),
        writes=("claims", "mentions", "actors", "claims_done", "search_done"),
        steps=[AnalyseStep(config, gazetteer)],
        describe=describe,
        redo=lambda store: store.claims.forget_claims(),
    )


def describe(summary: StageSummary) -> str:
    counts = summary.counts
    redone = counts["redone"]
    return (
        f"Claims: {counts['claims']} claims and {counts['mentions']} actor mentions in "
        f"{counts['articles']} articles"
        + (f" ({redone} redone for new components)." if redone else ".")
    )


SPEC = StageSpec("claims", build, lambda setup: setup.config.claims.enabled)
