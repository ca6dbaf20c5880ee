"""Stage reuse (isnad): passages shared between articles, their origin, their transmission.

:mod:`.stage` runs it over the store; the steps are pure functions in the submodules:

* :mod:`tokens` - ``tokenize``: words with spans and edit-tolerant keys;
* :mod:`candidates` - ``fingerprint`` and ``find_candidates``: a content-word n-gram index;
* :mod:`align` - ``align``: span-to-span local alignment of a candidate pair;
* :mod:`origin` - ``infer_direction``, ``build_families``: who copied whom;
* :mod:`kinds` - ``has_real_text`` (no link made of titles and names alone) and
  ``label_passages``: a copied story or a recurring official formula (template).

Incremental: articles are fingerprinted once; only pairs that involve an article not yet
compared are aligned; families are rebuilt from the stored passages (cheap) every run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from marsad.clean.dateline import agency_spellings
from marsad.config import ReuseOptions
from marsad.normalize import PROFILE, normalize
from marsad.records import ArticleMeta, Fingerprint, PassageTexts, ReuseFamily, ReusePassage
from marsad.reuse.align import COMPONENT as ALIGN_COMPONENT
from marsad.reuse.align import AlignOptions, Grams, align, char_span
from marsad.reuse.candidates import fingerprint
from marsad.reuse.kinds import COMPONENT as KINDS_COMPONENT
from marsad.reuse.kinds import TEMPLATE, has_real_text, label_passages
from marsad.reuse.origin import (
    OriginOptions,
    build_families,
    extract_credits,
    infer_direction,
)
from marsad.reuse.tokens import COMPONENT as TOKENS_COMPONENT
from marsad.reuse.tokens import tokenize
from marsad.stage import Component

LOGGER = logging.getLogger(__name__)


def component(options: ReuseOptions) -> Component:
    """The reuse components and the settings that change their output."""
    return Component(
        f"{TOKENS_COMPONENT}+{ALIGN_COMPONENT}+{KINDS_COMPONENT}+{PROFILE}",
        [
            options.ngram,
            options.min_words,
            options.min_ratio,
            options.max_df,
            options.min_shared,
            options.formulaic_df,
            options.formulaic_words,
        ],
    )


def align_options(options: ReuseOptions) -> AlignOptions:
    return AlignOptions(
        ngram=options.ngram,
        min_words=options.min_words,
        min_ratio=options.min_ratio,
        formulaic_words=options.formulaic_words,
    )


def origin_options(options: ReuseOptions) -> OriginOptions:
    names = {normalize(n) for n in options.wire_agencies}
    spellings = agency_spellings()
    names |= set(spellings)
    return OriginOptions(options.same_time_hours, frozenset(names))


def fingerprint_article(article_id: str, text: str, n: int) -> Fingerprint:
    """Fingerprint (content-word n-gram hashes), packed tokens and credits of one text."""
    tokens = tokenize(text)
    return Fingerprint(
        article_id, fingerprint(tokens, n).tobytes(), tokens.to_bytes(), extract_credits(text)
    )


def align_pair(
    ga: Grams, gb: Grams, a: str, b: str, same_outlet: bool, options: AlignOptions
) -> list[ReusePassage]:
    """The passages two articles share, as character spans of each (passages that are only
    titles and names of officials are no reuse: dropped)."""
    return [
        ReusePassage(
            a,
            b,
            char_span(ga.tokens, m.a_start, m.a_end),
            char_span(gb.tokens, m.b_start, m.b_end),
            m.matched,
            round(m.score, 4),
            same_outlet=same_outlet,
        )
        for m in align(ga, gb, options)
        if has_real_text(ga.tokens, m.a_start, m.a_end)
        and has_real_text(gb.tokens, m.b_start, m.b_end)
    ]


def rebuild_families(
    metas: Iterable[ArticleMeta],
    passages: list[ReusePassage],
    options: ReuseOptions,
    texts: dict[int, PassageTexts] | None = None,
) -> list[ReuseFamily]:
    """Kinds and directions of all ``passages`` (set on them), then families, origins and
    edges: copied stories and templates (recurring formulas) make separate families, so a
    formula never joins the transmission chain of a story."""
    by_id = {m.id: m for m in metas}
    opts = origin_options(options)
    spellings = agency_spellings()
    label_passages(passages, by_id, texts or {})
    for p in passages:
        p.direction, p.reason, p.confidence = infer_direction(
            p, by_id[p.article_a], by_id[p.article_b], opts, spellings
        )
    copies = [p for p in passages if p.kind != TEMPLATE]
    templates = [p for p in passages if p.kind == TEMPLATE]
    families = build_families(copies, by_id, opts, spellings)
    formulas = build_families(templates, by_id, opts, spellings)
    for f in formulas:
        f.kind = TEMPLATE
        f.id = f"t-{f.id}"
    return families + formulas


__all__ = ["align_pair", "component", "fingerprint_article", "rebuild_families"]
