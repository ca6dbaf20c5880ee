"""Who copied whom: direction of each reused passage, reuse families, origins, transmission.

Evidence, strongest first, each inference keeping its reason and a confidence:

1. an explicit credit: B's text says ``نقلاً عن`` / ``المصدر:`` / ``بحسب ما أوردته`` A's outlet;
2. publication time: the earlier article is the source when the gap is at least
   ``reuse.same_time_hours`` (date-only articles: a different day);
3. a wire agency (``reuse.wire_agencies``, the packaged agency list, or an outlet named
   ``وكالة ...``) is the source of a non-agency outlet;
4. containment: the article whose text is mostly the shared passage is the source of the one
   that wraps it in extra material.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from marsad.clean.dateline import agency_spellings
from marsad.normalize import normalize
from marsad.records import (
    ArticleMeta,
    FamilyMember,
    ReuseFamily,
    ReusePassage,
    TransmissionEdge,
)
from marsad.unionfind import DisjointSets

COMPONENT = "reuse.origin.v1"
CONF_CREDIT = 0.9
CONF_DAYS = 0.85
CONF_HOURS = 0.75
CONF_WIRE = 0.7
CONF_CONTAINMENT = 0.55
CONTAINMENT_MARGIN = 0.2
NODE_OVERLAP = 0.5  # spans of one article overlapping this much are one family member
PARENT_CONF_MARGIN = 0.1  # parents whose evidence is this close count as equally likely
SCORE_STEP = 0.05  # alignment scores this close count as equally similar
_CREDIT_RE = re.compile(
    r"(?:نقلا عن|نقلا من|المصدر\s*[:\-–]|بحسب ما (?:اوردت|اورد|نقلت|نقل|ذكرت|ذكر|نشرت|نشر)ه?"
    r"|وفقا لما (?:اوردت|اورد|نشرت|نشر|ذكرت|ذكر)ه?)\s*((?:\S+\s*){1,6})"
)
_GENERIC_NAME_WORDS = {
    "وكاله",
    "صحيفه",
    "جريده",
    "موقع",
    "قناه",
    "شبكه",
    "بوابه",
    "للانباء",
    "الانباء",
    "انباء",
    "الاخباريه",
    "الاخبار",
    "اخبار",
    "نيوز",
    "news",
    "agency",
    "the",
    "press",
    "channel",
    "site",
    "العاجل",
    "عاجل",
    "نت",
}


@dataclass(frozen=True)
class OriginOptions:
    same_time_hours: float
    wire_names: frozenset[str]  # normalised outlet or agency names treated as wire agencies


def extract_credits(text: str) -> list[str]:
    """Normalised strings naming who an article credits (``نقلاً عن وكالة الفرات``)."""
    return [" ".join(m.group(1).split()) for m in _CREDIT_RE.finditer(normalize(text))]


@lru_cache(maxsize=4096)
def _aliases(outlet: str) -> frozenset[str]:
    return frozenset(outlet_aliases(outlet, agency_spellings()))


def outlet_aliases(outlet: str | None, agency_spellings: dict[str, str]) -> set[str]:
    """Forms under which an outlet can be credited: its name, the distinctive words of it,
    and the spellings of the same agency (``WAS`` ~ ``واس``)."""
    if not outlet:
        return set()
    name = normalize(outlet)
    aliases = {name}
    core = " ".join(w for w in name.split() if w not in _GENERIC_NAME_WORDS)
    if len(core) >= 3:
        aliases.add(core)
    canonical = agency_spellings.get(name)
    if canonical:
        aliases |= {s for s, c in agency_spellings.items() if c == canonical and len(s) >= 3}
    return aliases


def is_wire(meta: ArticleMeta, options: OriginOptions) -> bool:
    name = normalize(meta.outlet or "")
    return bool(name) and (
        name in options.wire_names
        or name.startswith("وكاله")
        or "news agency" in name
        or "press agency" in name
    )


def parse_time(value: str | None) -> tuple[datetime, bool] | None:
    """``(moment, has_time)``; naive times are taken as they are (same clock for a corpus)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.replace(tzinfo=None) - (moment.utcoffset() or timedelta())
    return moment, "T" in value


def lag_hours(source: ArticleMeta, target: ArticleMeta) -> float | None:
    """Hours from source to target; whole days when either side has only a date."""
    a, b = parse_time(source.published), parse_time(target.published)
    if a is None or b is None:
        return None
    if not (a[1] and b[1]):
        return float((b[0].date() - a[0].date()).days * 24)
    return round((b[0] - a[0]).total_seconds() / 3600, 2)


def _by_time(a: ArticleMeta, b: ArticleMeta, options: OriginOptions) -> tuple[int, str, float]:
    ta, tb = parse_time(a.published), parse_time(b.published)
    if ta is None or tb is None:
        return 0, "", 0.0
    if not (ta[1] and tb[1]):
        if ta[0].date() == tb[0].date():
            return 0, "", 0.0
        sign = 1 if ta[0].date() < tb[0].date() else -1
        return sign, "published a day or more earlier", CONF_DAYS
    hours = (tb[0] - ta[0]).total_seconds() / 3600
    if abs(hours) < options.same_time_hours:
        return 0, "", 0.0
    conf = CONF_DAYS if abs(hours) >= 24 else CONF_HOURS
    return (1 if hours > 0 else -1), f"published {abs(hours):.1f} h earlier", conf


def _credits(citing: ArticleMeta, cited: ArticleMeta, spellings: dict[str, str]) -> bool:
    if not citing.credits:
        return False
    aliases = set(_aliases(cited.outlet or ""))
    if cited.dateline_agency:
        aliases |= _aliases(cited.dateline_agency)
    return any(alias in credit for credit in citing.credits for alias in aliases)


def infer_direction(
    passage: ReusePassage,
    a: ArticleMeta,
    b: ArticleMeta,
    options: OriginOptions,
    spellings: dict[str, str],
) -> tuple[str, str, float]:
    """``(direction, reason, confidence)`` for one passage between articles ``a`` and ``b``."""
    b_cites_a, a_cites_b = _credits(b, a, spellings), _credits(a, b, spellings)
    if b_cites_a != a_cites_b:
        who, whom = (b, a) if b_cites_a else (a, b)
        return (
            "a->b" if b_cites_a else "b->a",
            f"credit: {who.outlet or who.id} cites {whom.outlet or whom.id}",
            CONF_CREDIT,
        )
    sign, why, conf = _by_time(a, b, options)
    if sign:
        return ("a->b" if sign > 0 else "b->a"), why, conf
    wire_a, wire_b = is_wire(a, options), is_wire(b, options)
    if wire_a != wire_b:
        return ("a->b" if wire_a else "b->a"), "wire agency copy", CONF_WIRE
    share_a = (passage.span_a[1] - passage.span_a[0]) / max(a.text_len, 1)
    share_b = (passage.span_b[1] - passage.span_b[0]) / max(b.text_len, 1)
    if abs(share_a - share_b) >= CONTAINMENT_MARGIN:
        return (
            ("a->b" if share_a > share_b else "b->a"),
            "containment: the copy adds material around the passage",
            CONF_CONTAINMENT,
        )
    return "unknown", "same time, no credit, wire or containment evidence", 0.0


# -- families --------------------------------------------------------------------------------
Node = tuple[str, int]  # (article id, index of the span cluster in that article)


def side_nodes(
    passages: list[ReusePassage],
) -> tuple[list[Node], dict[str, list[tuple[int, int]]]]:
    """The node of every passage side (2 per passage) and each article's node spans.

    Two sides in one article are one node when they overlap by NODE_OVERLAP of the *longer*
    span: a whole-article reprint does not swallow the shorter passages inside it, which
    would chain unrelated stories into one giant family.
    """
    by_article: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for k, p in enumerate(passages):
        by_article[p.article_a].append((p.span_a[0], p.span_a[1], 2 * k))
        by_article[p.article_b].append((p.span_b[0], p.span_b[1], 2 * k + 1))
    nodes: list[Node] = [("", 0)] * (2 * len(passages))
    spans: dict[str, list[tuple[int, int]]] = {}
    for art, items in by_article.items():
        items.sort()
        sets: DisjointSets[int] = DisjointSets(range(len(items)))
        active: list[int] = []
        for k, (start, end, _) in enumerate(items):
            active = [j for j in active if items[j][1] > start]
            for j in active:
                overlap = min(end, items[j][1]) - start
                if overlap >= NODE_OVERLAP * max(end - start, items[j][1] - items[j][0]):
                    sets.union(k, j)
            active.append(k)
        roots: dict[int, int] = {}
        envelopes: list[list[int]] = []
        for k, (start, end, side) in enumerate(items):
            root = sets.find(k)
            if root not in roots:
                roots[root] = len(envelopes)
                envelopes.append([start, end])
            env = envelopes[roots[root]]
            env[0], env[1] = min(env[0], start), max(env[1], end)
            nodes[side] = (art, roots[root])
        spans[art] = [(a, b) for a, b in envelopes]
    return nodes, spans


def build_families(
    passages: list[ReusePassage],
    metas: dict[str, ArticleMeta],
    options: OriginOptions,
    spellings: dict[str, str],
) -> list[ReuseFamily]:
    """Group passages into families; infer each family's origin and transmission edges."""
    nodes, clusters = side_nodes(passages)
    uf: DisjointSets[Node] = DisjointSets()
    links: list[tuple[Node, Node, ReusePassage]] = []
    for k, p in enumerate(passages):
        na, nb = nodes[2 * k], nodes[2 * k + 1]
        uf.union(na, nb)
        links.append((na, nb, p))
    groups: dict[Node, list[tuple[Node, Node, ReusePassage]]] = defaultdict(list)
    for na, nb, p in links:
        groups[uf.find(na)].append((na, nb, p))
    families = [_family(group, clusters, metas, options) for group in groups.values()]
    seen: Counter[str] = Counter()
    for family in sorted(families, key=lambda f: f.id):
        seen[family.id] += 1
        if seen[family.id] > 1:  # two families from one origin span: keep ids unique
            family.id = f"{family.id}-{seen[family.id]}"
    return sorted(families, key=lambda f: (-len(f.members), f.id))


def _family(
    group: list[tuple[Node, Node, ReusePassage]],
    clusters: dict[str, list[tuple[int, int]]],
    metas: dict[str, ArticleMeta],
    options: OriginOptions,
) -> ReuseFamily:
    nodes: dict[str, Node] = {}
    for na, nb, _ in group:
        for node in (na, nb):
            nodes.setdefault(node[0], node)  # one member per article (its first span cluster)
    incoming: dict[str, list[tuple[str, ReusePassage]]] = defaultdict(list)
    for _, _, p in group:
        if p.direction == "a->b":
            incoming[p.article_b].append((p.article_a, p))
        elif p.direction == "b->a":
            incoming[p.article_a].append((p.article_b, p))
    origin, reason, confidence = _origin(list(nodes), incoming, metas, options)
    best_score: dict[str, float] = {}
    for _, _, p in group:
        for art in (p.article_a, p.article_b):
            best_score[art] = max(best_score.get(art, 0.0), p.score)
    members: list[FamilyMember] = []
    edges: list[TransmissionEdge] = []
    for art, (_, k) in sorted(nodes.items(), key=lambda kv: _time_key(metas[kv[0]])):
        span = clusters[art][k]
        if art == origin:
            members.append(FamilyMember(art, span, "origin"))
            continue
        parent, edge = _parent(art, origin, incoming, best_score, metas, options)
        members.append(FamilyMember(art, span, "copy", parent))
        edges.append(edge)
    origin_span = next(m.span for m in members if m.article_id == origin)
    times = sorted(m.published for m in (metas[a] for a in nodes) if m.published)
    return ReuseFamily(
        id=f"{origin[:12]}-{origin_span[0]}-{origin_span[1]}",
        origin=origin,
        origin_reason=reason,
        confidence=confidence,
        members=members,
        edges=edges,
        origin_agency=_common_agency([metas[a] for a in nodes]),
        first_published=times[0] if times else None,
        last_published=times[-1] if times else None,
    )


def _time_key(meta: ArticleMeta) -> tuple[int, datetime, str]:
    parsed = parse_time(meta.published)
    return (0, parsed[0], meta.id) if parsed else (1, datetime.max, meta.id)


def _origin(
    articles: list[str],
    incoming: dict[str, list[tuple[str, ReusePassage]]],
    metas: dict[str, ArticleMeta],
    options: OriginOptions,
) -> tuple[str, str, float]:
    """The member nothing points into with the most outgoing evidence; ties by time."""
    roots = [a for a in articles if not incoming.get(a)]
    outgoing: Counter[str] = Counter()
    for sources in incoming.values():
        for source, _ in sources:
            outgoing[source] += 1
    pool = roots or articles
    best = min(pool, key=lambda a: (-outgoing[a], _time_key(metas[a])))
    if not roots:
        return best, "earliest of a cycle of conflicting evidence", 0.3
    if outgoing[best] == 0:
        return best, "earliest member; no directed evidence", 0.3
    from_best = [p for sources in incoming.values() for s, p in sources if s == best]
    reasons = Counter(p.reason.split(":")[0].split(" ")[0] for p in from_best)
    main = reasons.most_common(1)[0][0] if reasons else "evidence"
    confidence = max((p.confidence for p in from_best), default=0.3)
    if len(roots) > 1:
        confidence *= 0.8
    return best, f"source of {outgoing[best]} member(s) by {main}", round(confidence, 2)


def _neg_time(meta: ArticleMeta) -> float:
    parsed = parse_time(meta.published)
    return -parsed[0].timestamp() if parsed else float("-inf")


def _parent(
    art: str,
    origin: str,
    incoming: dict[str, list[tuple[str, ReusePassage]]],
    best_score: dict[str, float],
    metas: dict[str, ArticleMeta],
    options: OriginOptions,
) -> tuple[str, TransmissionEdge]:
    sources = incoming.get(art, [])
    if sources:
        # Strongest evidence first; among near-equal copies the closest text, then a wire
        # agency (the usual hub), then the earliest.
        top = max(p.confidence for _, p in sources)
        near = [(src, p) for src, p in sources if p.confidence >= top - PARENT_CONF_MARGIN]
        source, p = max(
            near,
            key=lambda sp: (
                round(sp[1].score / SCORE_STEP),
                is_wire(metas[sp[0]], options),
                _neg_time(metas[sp[0]]),
            ),
        )
        return source, TransmissionEdge(
            source, art, p.reason, p.confidence, lag_hours(metas[source], metas[art]), p.score
        )
    score = best_score.get(art, 0.0)
    return origin, TransmissionEdge(
        origin,
        art,
        "order unknown: attached to the origin",
        0.2,
        lag_hours(metas[origin], metas[art]),
        score,
    )


def _common_agency(metas: Iterable[ArticleMeta]) -> str | None:
    agencies = Counter(m.dateline_agency for m in metas if m.dateline_agency)
    if not agencies:
        return None
    agency, count = agencies.most_common(1)[0]
    return agency if count >= 2 else None
