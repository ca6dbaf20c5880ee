"""Stage claims: what is claimed, on whose word, about whom, and how worth checking it is.

:func:`analyse_article` does one article; :mod:`.stage` runs it over the store. The parts are
pure functions in the submodules:

* :mod:`.split` - claim units: sentences split where they chain several statements;
* :mod:`.attribution` - source, reporting verb, source type, hedges, cited links;
* :mod:`.checkworthiness` - a score per claim;
* :mod:`marsad.actors` - NER entities and gazetteer aliases linked to canonical actors.

Incremental: an article is processed once per component version (the component names the
splitter, the attribution rules, the model files, the gazetteer and the settings that change
the output); editing the gazetteer or updating a model redoes every article.
"""

from __future__ import annotations

from marsad.actors.gazetteer import Gazetteer
from marsad.actors.link import link
from marsad.actors.ner import NerTagger
from marsad.claims.attribution import Refine, attribute_all, gazetteer_names
from marsad.claims.split import split_claims, split_sentence
from marsad.config import Config
from marsad.records import ActorMention, ArticleClaims, Claim, Span

HEADLINE, BODY = "headline", "body"
_LEAD_PUNCTUATION = " \t\n|-–—:،,"


def analyse_article(
    article_id: str,
    title: str | None,
    text: str,
    sentences: list[Span],
    config: Config,
    gazetteer: Gazetteer,
    ner: NerTagger | None,
    dateline_end: int | None = None,
    refine: Refine | None = None,
) -> ArticleClaims:
    """Claims and actor mentions of one article (check-worthiness is scored per batch).

    The dateline (``الرقة - صدى الشرق |``) is not part of the first claim; its place is still
    an actor mention. ``refine`` rereads each attribution (the learned models,
    :mod:`.models`)."""
    claims: list[Claim] = []
    mentions: list[ActorMention] = []
    names = gazetteer_names(gazetteer)
    parts: list[tuple[str, str, list[tuple[Span, int]]]] = []
    if config.claims.headlines and title and title.strip():
        parts.append((HEADLINE, title, [(s, 0) for s in split_sentence(title, 0, len(title))]))
    units = [(u.span, u.sentence) for u in split_claims(text, sentences)]
    if dateline_end:
        units = [_after(text, span, dateline_end, sentence) for span, sentence in units]
    parts.append((BODY, text, [u for u in units if u[0][1] > u[0][0]]))
    for part, content, units in parts:
        spans: list[tuple[Span, str]] = []
        found_all = attribute_all(content, [span for span, _ in units], refine, names)
        for idx, ((span, sentence), found) in enumerate(zip(units, found_all, strict=True)):
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
                    pattern=found.pattern,
                    type_basis=found.type_basis,
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
