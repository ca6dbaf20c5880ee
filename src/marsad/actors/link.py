"""Actor mentions of one text: NER entities and gazetteer matches linked to canonical actors.

1. Gazetteer matches (:meth:`Gazetteer.find`) are mentions of their actor; an *ambiguous*
   alias (a name that is also a common word) counts only where the NER model marks an entity.
2. NER entities that overlap no gazetteer match are looked up whole in the gazetteer (a
   variant spelling the scan missed); if still unknown they become an actor of their own, keyed
   by type and folded name (``person:ايمن الصفدي``), proclitics before ``ال`` removed.
3. Within one text, a person named by part of a longer name (``الصفدي`` after ``أيمن
   الصفدي``) is the same actor (``how = coreference``).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from marsad.actors.gazetteer import (
    NER_TYPES,
    WORD_RE,
    Gazetteer,
    Match,
    first_word_variants,
)
from marsad.actors.ner import LEXICON_NAME, Entity, default_model_path
from marsad.actors.roles import find_institutions, find_roles
from marsad.actors.roles import tables as roles_tables
from marsad.normalize import normalize
from marsad.text import NAME_KEYS, folded_stopwords, name_key

# Version of the linking rules (part of the claims stage's component: a new one relinks).
LINK_VERSION = "link.v2"
UNLINKED_SEPARATOR = ":"
MIN_SURNAME_LETTERS = 4
# Last words of names that are not surnames (عبد الله, نور الدين, ...).
NOT_SURNAMES = frozenset({"الله", "الدين", "الرحمن", "الرحيم", "العزيز", "الثاني", "الاول"})


@dataclass(frozen=True)
class Mention:
    start: int  # offsets into the text
    end: int
    text: str
    type: str  # actor type (see ACTOR_TYPES)
    actor: str  # canonical actor id: a gazetteer id, or "<type>:<folded name>"
    how: str  # gazetteer, ner+gazetteer, ner, coreference


def _folded_words(text: str) -> list[str]:
    """Folded words of a name, with ``و ف`` / ``ب ك ل`` removed before the article ``ال``."""
    words = [name_key(m.group()) for m in WORD_RE.finditer(text)]
    if words:
        first = words[0]
        if first[:1] in ("و", "ف") and len(first) > 3 and first[1:3] in ("ال", "لل", "بال"):
            first = first[1:]
        if first.startswith("لل") and len(first) > 4:
            first = "ال" + first[2:]
        elif first[:1] in ("ب", "ك", "ل") and first[1:3] == "ال" and len(first) > 4:
            first = first[1:]
        words[0] = first
    return words


def _trim_proclitics(text: str, start: int, end: int, stripped: int) -> int:
    """Start of the name after ``stripped`` folded letters of proclitics."""
    pos = start
    while stripped > 0 and pos < end:
        if normalize(text[pos]):
            stripped -= 1
        pos += 1
    while pos < end and not normalize(text[pos]):  # diacritics of the stripped letters
        pos += 1
    return pos


def _gazetteer_start(text: str, match: Match, gazetteer: Gazetteer) -> int:
    """Where the name of a match begins once proclitics (``وبـ``) are cut off."""
    first = WORD_RE.match(text, match.start)
    if first is None:
        return match.start
    key = name_key(first.group())
    actor = gazetteer.actors[match.actor]
    names = {
        name_key(w.group())
        for a in (actor.name, actor.en, *actor.aliases, *actor.ambiguous)
        if a
        for w in [WORD_RE.search(a)]
        if w
    }
    for cut in range(0, min(3, len(key) - 1)):
        if key[cut:] in names:
            return _trim_proclitics(text, match.start, match.end, cut)
    return match.start


_QUOTES = {'"': '"', "«": "»", "“": "”", "'": "'"}


def _close_quote(text: str, start: int, end: int) -> int:
    """Take in the closing quote of a name quoted inside the match (``تنظيم "داعش"``)."""
    inner = text[start:end]
    for opening, closing in _QUOTES.items():
        if opening == closing:
            unbalanced = inner.count(opening) % 2 == 1
        else:
            unbalanced = inner.count(opening) > inner.count(closing)
        if unbalanced and text[end : end + 1] == closing:
            return end + 1
    return end


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def link(text: str, entities: Sequence[Entity] | None, gazetteer: Gazetteer) -> list[Mention]:
    """Mentions of actors in ``text``, ordered by offset (see the module doc)."""
    entities = entities or []
    entity_spans = [(e.start, e.end) for e in entities]
    mentions: list[Mention] = []
    for match in gazetteer.find(text):
        span = (match.start, match.end)
        by_ner = any(_overlaps(span, e) for e in entity_spans)
        if match.ambiguous and not by_ner:
            continue
        start = _gazetteer_start(text, match, gazetteer)
        end = _close_quote(text, start, match.end)
        actor = gazetteer.actors[match.actor]
        mentions.append(
            Mention(
                start,
                end,
                text[start:end],
                actor.type,
                actor.id,
                "ner+gazetteer" if by_ner else "gazetteer",
            )
        )
    taken = [(m.start, m.end) for m in mentions]
    for entity in entities:
        span = (entity.start, entity.end)
        if any(_overlaps(span, t) for t in taken):
            continue
        found = gazetteer.lookup(entity.text)
        if found is not None:
            actor = gazetteer.actors[found[0]]
            mentions.append(
                Mention(
                    entity.start, entity.end, entity.text, actor.type, actor.id, "ner+gazetteer"
                )
            )
            continue
        kind = NER_TYPES.get(entity.type, "other")
        words = _folded_words(entity.text)
        if not words:
            continue
        actor_id = kind + UNLINKED_SEPARATOR + " ".join(words)
        mentions.append(Mention(entity.start, entity.end, entity.text, kind, actor_id, "ner"))
    mentions = _add_roles(text, mentions)
    mentions = _add_institutions(text, mentions, gazetteer)
    mentions.sort(key=lambda m: (m.start, -m.end))
    mentions = _corefer_people(mentions)
    mentions = _propagate_surnames(text, mentions)
    mentions = _add_speakers(text, mentions)
    return _corefer_bodies(text, mentions, gazetteer)


def _add_roles(text: str, mentions: list[Mention]) -> list[Mention]:
    """Offices and institutions named by a country adjective (:mod:`.roles`), where no
    gazetteer name is; a name the NER model found inside one gives way to it."""
    roles = find_roles(text)
    if not roles:
        return mentions
    named = [(m.start, m.end) for m in mentions if m.how != "ner"]
    kept = list(mentions)
    for role in roles:
        span = (role.start, role.end)
        if any(_overlaps(span, n) for n in named):
            continue
        kept = [m for m in kept if not (m.how == "ner" and span[0] <= m.start and m.end <= span[1])]
        kept.append(Mention(role.start, role.end, role.text, role.type, role.actor, "role"))
    return kept


def _add_institutions(text: str, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """Bodies named by a head and definite words (``وزارة الصحة``) and media offices
    (``المكتب الإعلامي للحكومة``, :func:`.roles.find_institutions`) where no other mention
    is: linked to the gazetteer when it knows the name, else keyed by the folded name like
    an organisation the NER model found."""
    found = find_institutions(text)
    if not found:
        return mentions
    taken = [(m.start, m.end) for m in mentions]
    kept = list(mentions)
    for body in found:
        span = (body.start, body.end)
        if any(_overlaps(span, t) for t in taken):
            continue
        if body.actor:  # an office-holder of a body: office:<body>:<office>
            kept.append(Mention(*span, body.text, body.type, body.actor, "role"))
            continue
        known = gazetteer.lookup(body.text)
        if known is not None:
            actor = gazetteer.actors[known[0]]
            kept.append(Mention(*span, body.text, actor.type, actor.id, "role"))
            continue
        words = _folded_words(body.text)
        actor_id = body.type + UNLINKED_SEPARATOR + " ".join(words)
        kept.append(Mention(*span, body.text, body.type, actor_id, "role"))
    return kept


# A speaker named by one word the news vocabulary lacks, right after a reporting verb and
# before what he said (``وقالت الكيلة إن``, ``فأكد سلو أنه``): a rare word in that slot is
# a name the NER model missed, not a common noun (``وقال المصدر إن`` is in the vocabulary).
REPORTING_VERB_WORDS = (
    "قال",
    "قالت",
    "يقول",
    "تقول",
    "أضاف",
    "أضافت",
    "أكد",
    "أكدت",
    "يؤكد",
    "تؤكد",
    "أوضح",
    "أوضحت",
    "كشف",
    "كشفت",
    "أشار",
    "أشارت",
    "تابع",
    "تابعت",
    "تابعت",
    "لفت",
    "لفتت",
    "أعلن",
    "أعلنت",
    "صرح",
    "صرحت",
    "ذكر",
    "ذكرت",
    "أفاد",
    "أفادت",
    "اعتبر",
    "اعتبرت",
    "رأى",
    "رأت",
    "يرى",
    "ترى",
    "نفى",
    "نفت",
    "حذر",
    "حذرت",
    "دعا",
    "دعت",
    "شدد",
    "شددت",
    "أردف",
    "أردفت",
    "قاله",
    "كشفه",
    "ذكره",
    "أكده",
    "أوضحه",
)
SAID_AFTER = frozenset(
    name_key(w)
    for w in [
        "إن",
        "أن",
        "أنه",
        "أنها",
        "إنه",
        "إنها",
        "بأن",
        "عن",
        "في",
        "خلال",
        "الذي",
        "التي",
        "قائلا",
        "قائلة",
        "ل",
        "لـ",
    ]
)
_SAID_PUNCTUATION = re.compile(r"^\s*[،,:\"“«]")
_NOT_NAME_ENDINGS = ("ون", "ها", "هم", "هن", "كم", "نا")


@cache
def news_vocabulary() -> frozenset[str]:
    """Folded words of the NER lexicon's clusters: the vocabulary of a large news corpus."""
    path = default_model_path().with_name(LEXICON_NAME)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return frozenset(line.split("\t", 2)[1] for line in handle if line.startswith("C\t"))


@cache
def _speaker_re() -> re.Pattern[str]:
    """A reporting verb (``و``/``ف`` allowed before it, hamza or not) and the next word."""
    spellings = set()
    for verb in REPORTING_VERB_WORDS:
        spellings.add(verb)
        spellings.add(verb.replace("أ", "ا").replace("إ", "ا"))
    verbs = "|".join(sorted(spellings, key=len, reverse=True))
    return re.compile(rf"(?<!\w)[وف]?(?:{verbs})(?!\w)[ \t]+(\w+)")


def _add_speakers(text: str, mentions: list[Mention]) -> list[Mention]:
    """People named by one unknown word in a speaker's slot (see ``REPORTING_VERBS``)."""
    vocabulary: frozenset[str] | None = None
    surnames: dict[str, set[str]] | None = None
    added: list[Mention] = []
    for found in _speaker_re().finditer(text):
        word = found.group(1)
        key = name_key(word)
        if len(key) < 3 or key.endswith(_NOT_NAME_ENDINGS) or key.startswith(("بال", "لل")):
            continue
        end = found.end(1)
        after = text[end : end + 3]
        following = WORD_RE.search(text, end, end + 24)
        if not (
            _SAID_PUNCTUATION.match(after)
            or (following is not None and name_key(following.group()) in SAID_AFTER)
        ):
            continue
        span = (found.start(1), end)
        if any(_overlaps(span, (m.start, m.end)) for m in mentions):
            continue
        if surnames is None:  # the surname of someone named in the text: that person
            surnames = {}
            for m in mentions:
                names = _folded_words(m.text) if m.type == "person" else []
                if len(names) >= 2:
                    surnames.setdefault(names[-1], set()).add(m.actor)
        owners = surnames.get(_folded_words(word)[0])
        if owners:
            if len(owners) == 1:
                added.append(Mention(*span, word, "person", next(iter(owners)), "coreference"))
            continue
        if vocabulary is None:
            vocabulary = news_vocabulary()
        if key in vocabulary or key in folded_stopwords():
            continue
        actor = "person" + UNLINKED_SEPARATOR + " ".join(_folded_words(word))
        added.append(Mention(*span, word, "person", actor, "speaker"))
    if not added:
        return mentions
    return sorted([*mentions, *added], key=lambda m: (m.start, -m.end))


# Definite head nouns that, alone, point back at the body named in full before them:
# "المرصد" after "المرصد السوري لحقوق الإنسان", "الوكالة" after "وكالة الإعلام الروسية",
# "الوزارة" after "الدفاع الروسية" (the gazetteer's name: وزارة الدفاع الروسية).
BODY_HEADS = frozenset(
    name_key(w)
    for w in [
        "المرصد",
        "الوكالة",
        "الصحيفة",
        "الجريدة",
        "الحكومة",
        "الوزارة",
        "القناة",
        "الجيش",
        "الرئاسة",
        "البرلمان",
        "المنظمة",
        "اللجنة",
        "الشبكة",
        "الهيئة",
        "التحالف",
        "الائتلاف",
        "الحركة",
        "الجماعة",
        "التنظيم",
        "المجلس",
        "المكتب",
        "المركز",
        "الحزب",
        "الجبهة",
        "المفوضية",
        "الإذاعة",
        "التلفزيون",
    ]
)
# Heads that also name a body whose name starts with another noun of the same kind.
SAME_KIND = {
    name_key(a): frozenset(name_key(w) for w in kind)
    for kind in (["صحيفة", "جريدة"], ["قناة", "تلفزيون", "شبكة"])
    for a in kind
}
# Media heads: with no body of that name before them, the nearest outlet named before
# (``وقالت لوموند ... وأضافت الصحيفة``), else the nearest organisation the NER model found
# right after a reporting verb (``قالت``, ``ذكرت``, ``بحسب``).
MEDIA_HEADS = frozenset(
    name_key(w) for w in ["الصحيفة", "الجريدة", "القناة", "الوكالة", "الشبكة", "الإذاعة"]
)
REPORTED_BY = frozenset(
    name_key(w)
    for w in [
        "قالت",
        "قال",
        "ذكرت",
        "ذكر",
        "أفادت",
        "أفاد",
        "نقلت",
        "نقل",
        "أوردت",
        "أورد",
        "نشرت",
        "نشر",
        "كشفت",
        "كشف",
        "أضافت",
        "أشارت",
        "بحسب",
        "حسب",
        "وفق",
        "وفقا",
        "أكدت",
        "أعلنت",
    ]
)
# A statement (``البيان``) is its issuer: the speaker of the last ``في بيان``, ``أصدر بيانا``,
# ``بيان لوزارة الدفاع`` before it.
STATEMENT_HEADS = frozenset(name_key(w) for w in ["البيان"])
STATEMENT_WORDS = frozenset(
    name_key(w) for w in ["بيان", "بيانا", "بيانه", "بيانها", "بيانهم", "ببيان", "البيان"]
)
# A spokesman alone (``وأضاف المتحدث``) is the last spokesman "of" a body named before:
# ``المتحدث باسم التحالف`` -> an office of that body, ``office:<body>:متحدث``.
SPOKESMAN_HEADS = frozenset(
    name_key(w) for w in ["المتحدث", "المتحدثة", "الناطق", "الناطقة", "متحدث", "ناطق"]
)
ON_BEHALF = frozenset(name_key(w) for w in ["باسم", "باسمه", "باسمها", "باسمهم"])
SPOKESMAN_OFFICE = "متحدث"
# An office-holder alone (``الوزير``, ``السفير``) is the last office of that kind named with a
# country adjective before it (``وزير الخارجية اللبناني``); ``الرئيس`` only a president.
PERSON_HEADS = {
    name_key(w): (name_key(office), exact)
    for w, office, exact in [
        ("الوزير", "وزير", False),
        ("الوزيرة", "وزيرة", False),
        ("السفير", "سفير", False),
        ("السفيرة", "سفيرة", False),
        ("المبعوث", "مبعوث", False),
        ("المندوب", "مندوب", False),
        ("الرئيس", "رئيس", True),
    ]
}
# Bodies of a state named by their head alone (``وقالت الداخلية``, ``تأكيد السلطات``): the
# body named before whose names hold that word, else that body of the state named last
# before it (``الحكومة`` after ``مصر`` -> ``office:egypt:حكومه``, or the gazetteer's
# institution, data/roles.yaml ``known``).
STATE_BODIES = frozenset(
    name_key(w)
    for w in [
        "الحكومة",
        "السلطات",
        "الداخلية",
        "الخارجية",
        "الرئاسة",
        "البرلمان",
        "الجيش",
        "الشرطة",
    ]
)
STATE_WINDOW = 600  # characters back to the state named last
BODY_TYPES = frozenset({"organisation", "outlet", "armed_group"})
SPEAKER_TYPES = BODY_TYPES | {"person", "state"}
# Words between a statement and its issuer named after it (``بيان صادر عن``, ``بيان نشرته``).
ISSUED_BY = frozenset(
    name_key(w)
    for w in [
        "صادر",
        "صادرا",
        "صادرة",
        "الصادر",
        "الصادرة",
        "عن",
        "من",
        "ل",
        "نشره",
        "نشرته",
        "نشرها",
        "أصدره",
        "أصدرته",
        "أصدرها",
        "وزعه",
        "وزعته",
    ]
)
_SENTENCE_END = re.compile(r"[.!?؟\n]")


def _body_nouns(mention: Mention, gazetteer: Gazetteer | None) -> set[str]:
    """First nouns of a body's names, without the article: of the words as written, of the
    gazetteer's names for its actor, of the office of a role."""
    nouns = {(_folded_words(mention.text) or [""])[0].removeprefix("ال")}
    actor = gazetteer.actors.get(mention.actor) if gazetteer is not None else None
    if actor is not None:
        for name in (actor.name, *actor.aliases):
            words = _folded_words(name)
            if words:
                nouns.add(words[0].removeprefix("ال"))
    elif mention.actor.startswith("office" + UNLINKED_SEPARATOR):
        office = mention.actor.rsplit(UNLINKED_SEPARATOR, 1)[-1].split()
        if office:
            nouns.add(office[0].removeprefix("ال"))
    nouns.discard("")
    return nouns


def _corefer_bodies(
    text: str, mentions: list[Mention], gazetteer: Gazetteer | None = None
) -> list[Mention]:
    """Bare definite heads that point back at an actor named before them:

    * a body's head noun (``الوكالة``) is the nearest body named before it whose name starts
      with that noun (``وكالة ...``, ``الوكالة ...``, or the gazetteer's name for it), or one
      of the same kind (``الصحيفة`` -> ``جريدة ...``); a media head with no such body, the
      nearest outlet (else organisation found by the NER model) before it;
    * ``البيان`` is the issuer of the last statement named before it;
    * ``المتحدث`` is the spokesman of the body of the last ``المتحدث باسم ...``;
    * ``الوزير``, ``السفير``, ``الرئيس`` the last office of that kind named before it.
    """
    if not mentions:
        return mentions
    bodies = [m for m in mentions if m.type in BODY_TYPES and m.how != "coreference"]
    nouns = {id(b): _body_nouns(b, gazetteer) for b in bodies}
    taken = [(m.start, m.end) for m in mentions]
    ordered = sorted(mentions, key=lambda m: (m.start, -m.end))
    added: list[Mention] = []
    statements: list[tuple[int, Mention]] = []  # (offset of the statement word, issuer)
    spokesmen: list[tuple[int, str]] = []  # (offset, office actor id)
    candidates = _candidate_keys()
    keys = NAME_KEYS
    for word in WORD_RE.finditer(text):
        raw = word.group()
        folded = keys.get(raw) or name_key(raw)
        if folded not in candidates:  # most words: one dict look-up
            continue
        key = _folded_words(raw)[0]
        span = (word.start(), word.end())
        if folded in STATEMENT_WORDS and key not in STATEMENT_HEADS:
            issuer = _issuer(text, span, [*ordered, *added])
            if issuer is not None:
                statements.append((span[0], issuer))
        if folded in ON_BEHALF:
            office = _spokesman_of(text, span, raw, ordered, added)
            if office is not None:
                spokesmen.append((span[0], office))
        if any(_overlaps(span, t) for t in taken):
            continue
        found = None
        if key in BODY_HEADS:
            found = _body_before(text, span, key, bodies, nouns, ordered)
        elif key in STATEMENT_HEADS:
            if statements:
                issuer = statements[-1][1]
                found = (issuer.type, issuer.actor)
            else:  # البيان الصادر عن الوزارة
                issuer = _issuer(text, span, [*ordered, *added])
                found = (issuer.type, issuer.actor) if issuer is not None else None
        elif key in SPOKESMAN_HEADS and key.startswith("ال"):
            after = text[span[1] : span[1] + 8].split()
            if spokesmen and not (after and name_key(after[0]) in ON_BEHALF):
                found = ("person", spokesmen[-1][1])
        elif key in PERSON_HEADS:
            found = _office_before(span, *PERSON_HEADS[key], ordered)
        if found is None and key in STATE_BODIES and not _in_construct(text, span):
            found = _state_body_before(span, key, bodies, ordered, gazetteer)
        if found is not None:
            added.append(Mention(*span, raw, found[0], found[1], "coreference"))
            taken.append(span)
    if not added:
        return mentions
    return sorted([*mentions, *added], key=lambda m: (m.start, -m.end))


@cache
def _candidate_keys() -> frozenset[str]:
    """Folded words that may be a head of :func:`_corefer_bodies`, with their proclitics."""
    heads = BODY_HEADS | STATEMENT_HEADS | SPOKESMAN_HEADS | STATE_BODIES | set(PERSON_HEADS)
    out = set(STATEMENT_WORDS | ON_BEHALF)
    for head in heads:
        out.add(head)
        out.update(c + head for c in ("و", "ف"))
        if head.startswith("ال"):
            out.update(c + head for c in ("ب", "ك", "وب", "فب", "وك"))
            out.update(c + "لل" + head[2:] for c in ("", "و", "ف"))
    return frozenset(out)


def _body_before(
    text: str,
    span: tuple[int, int],
    key: str,
    bodies: list[Mention],
    nouns: dict[int, set[str]],
    ordered: list[Mention],
) -> tuple[str, str] | None:
    head = key.removeprefix("ال")
    kinds = SAME_KIND.get(head, frozenset({head}))
    earlier = [b for b in bodies if b.end <= span[0]]
    same = [b for b in earlier if nouns[id(b)] & kinds]
    if same:
        return same[-1].type, same[-1].actor
    if key in MEDIA_HEADS:
        outlets = [b for b in earlier if b.type == "outlet"]
        if not outlets:
            outlets = [
                m
                for m in ordered
                if m.end <= span[0]
                and m.how == "ner"
                and m.type == "organisation"
                and _reported_by(text, m.start)
            ]
        if outlets:
            return "outlet", outlets[-1].actor
    return None


def _reported_by(text: str, start: int) -> bool:
    """The word before ``start`` is a reporting verb (``وقالت``, ``بحسب``)."""
    before = WORD_RE.findall(text[max(0, start - 16) : start])
    if not before:
        return False
    key = name_key(before[-1])
    return key in REPORTED_BY or (key[:1] in ("و", "ف") and key[1:] in REPORTED_BY)


def _issuer(text: str, span: tuple[int, int], ordered: list[Mention]) -> Mention | None:
    """Who a statement named at ``span`` is from: the body or person right after it (``بيان
    التحالف``, ``بيان لوزارة الدفاع``, ``بيان صادر عن الجيش``), else the first speaker of its
    clause before it (``وقالت الوزارة في بيانها``)."""
    ordered = sorted(ordered, key=lambda m: (m.start, -m.end))
    after = [m for m in ordered if m.start >= span[1]]
    if after and after[0].type in SPEAKER_TYPES:
        gap = text[span[1] : after[0].start]
        words = WORD_RE.findall(gap)
        if (
            len(words) <= 2
            and all(name_key(w) in ISSUED_BY for w in words)
            and not _SENTENCE_END.search(gap)
        ):
            return after[0]
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, span[0])), default=0)
    before = [m for m in ordered if start <= m.start and m.end <= span[0]]
    speakers = [m for m in before if m.type in SPEAKER_TYPES]
    return speakers[0] if speakers else None


def _spokesman_of(
    text: str, span: tuple[int, int], raw: str, ordered: list[Mention], added: list[Mention]
) -> str | None:
    """The office actor of the spokesman in ``المتحدث باسم X`` (``باسم`` at ``span``), or
    ``None`` when no spokesman comes before it."""
    before = WORD_RE.findall(text[max(0, span[0] - 20) : span[0]])
    if not before or _folded_words(before[-1])[0] not in SPOKESMAN_HEADS:
        return None
    if name_key(raw) == name_key("باسم"):  # the body named right after
        after = [m for m in ordered if m.start >= span[1]]
        if not after or WORD_RE.findall(text[span[1] : after[0].start]):
            return None
        body = after[0]
    else:  # باسمه: the nearest body before it
        earlier = [
            m
            for m in sorted([*ordered, *added], key=lambda m: m.start)
            if m.end <= span[0] and m.type in BODY_TYPES
        ]
        if not earlier:
            return None
        body = earlier[-1]
    if body.type not in BODY_TYPES | {"state"}:
        return None
    return f"office{UNLINKED_SEPARATOR}{body.actor}{UNLINKED_SEPARATOR}{SPOKESMAN_OFFICE}"


def _in_construct(text: str, span: tuple[int, int]) -> bool:
    """The word at ``span`` qualifies the word before it: an adjective after a definite noun
    (``الشؤون الداخلية``) or the second noun of an office (``وزير الداخلية``)."""
    before = WORD_RE.findall(text[max(0, span[0] - 24) : span[0]])
    if not before or re.search(r"[.،,؛:!?؟\n]", text[span[0] - 2 : span[0]]):
        return False
    key = _folded_words(before[-1])[0]
    return key.startswith("ال") or key in _office_heads()


@cache
def _office_heads() -> frozenset[str]:
    heads = roles_tables().heads
    return frozenset(k for k in heads if not k.startswith("ال"))


def _state_body_before(
    span: tuple[int, int],
    key: str,
    bodies: list[Mention],
    ordered: list[Mention],
    gazetteer: Gazetteer | None,
) -> tuple[str, str] | None:
    for body in reversed(bodies):
        if body.end > span[0]:
            continue
        names = [body.text]
        actor = gazetteer.actors.get(body.actor) if gazetteer is not None else None
        if actor is not None:
            names += [actor.name, *actor.aliases]
        if any(_names_body(_folded_words(n), key) for n in names):
            return body.type, body.actor
    prefix = "office" + UNLINKED_SEPARATOR
    for m in reversed(ordered):
        if m.end > span[0]:
            continue
        if m.end < span[0] - STATE_WINDOW:
            break
        if m.type == "state":
            state = m.actor
        elif m.actor.startswith(prefix) and m.actor.count(UNLINKED_SEPARATOR) == 2:
            state = m.actor.split(UNLINKED_SEPARATOR)[1]
        else:
            continue
        known = roles_tables().known.get((state, key))
        if known is not None and gazetteer is not None and known in gazetteer.actors:
            return gazetteer.actors[known].type, known
        return "organisation", f"{prefix}{state}{UNLINKED_SEPARATOR}{key.removeprefix('ال')}"
    return None


MINISTRY = name_key("وزارة")


def _names_body(words: list[str], key: str) -> bool:
    """A name whose head is ``key`` (``الحكومة السورية``), or a ministry of it (``وزارة
    الخارجية الروسية``, ``الخارجية الروسية``)."""
    if not words:
        return False
    first = words[0].removeprefix("ال")
    bare = key.removeprefix("ال")
    return first == bare or (first == MINISTRY and len(words) > 1 and words[1] == key)


def _office_before(
    span: tuple[int, int], office: str, exact: bool, ordered: list[Mention]
) -> tuple[str, str] | None:
    prefix = "office" + UNLINKED_SEPARATOR
    for m in reversed(ordered):
        if m.end > span[0] or m.type != "person" or not m.actor.startswith(prefix):
            continue
        words = m.actor.rsplit(UNLINKED_SEPARATOR, 1)[-1].split()
        if words and (words == [office] if exact else words[0] == office):
            return m.type, m.actor
    return None


def _propagate_surnames(text: str, mentions: list[Mention]) -> list[Mention]:
    """A surname alone elsewhere in the text (``وأضاف الصفدي``) names the person given in full."""
    owners: dict[str, set[str]] = {}
    for m in mentions:
        if m.type == "person":
            words = _folded_words(m.text)
            surname = words[-1] if len(words) >= 2 else ""
            if len(surname) >= MIN_SURNAME_LETTERS and surname not in NOT_SURNAMES:
                owners.setdefault(surname, set()).add(m.actor)
    surnames = {name: actors.pop() for name, actors in owners.items() if len(actors) == 1}
    if not surnames:
        return mentions
    taken = {pos for m in mentions for pos in range(m.start, m.end)}
    added: list[Mention] = []
    hints = {name[-3:] for name in surnames}  # cheap filter: a surname ends the word
    keys = NAME_KEYS
    for word in WORD_RE.finditer(text):
        key = keys.get(word.group()) or name_key(word.group())
        if key[-3:] not in hints:
            continue
        span = (word.start(), word.end())
        if span[0] in taken:
            continue
        for variant in first_word_variants(word.group()):
            actor = surnames.get(variant)
            if actor is not None:
                added.append(Mention(*span, word.group(), "person", actor, "coreference"))
                break
    if not added:
        return mentions
    return sorted([*mentions, *added], key=lambda m: (m.start, -m.end))


def _corefer_people(mentions: list[Mention]) -> list[Mention]:
    """Give an unlinked person named by a part of a longer person name that longer name's
    actor (the surname after the full name, or the full name after the surname)."""
    people = [m for m in mentions if m.type == "person"]
    names = {m.actor: _folded_words(m.text) for m in people}
    out: list[Mention] = []
    for mention in mentions:
        if mention.how == "ner" and mention.type == "person":
            words = names[mention.actor]
            longer = [
                other
                for other in people
                if other.actor != mention.actor
                and len(names[other.actor]) > len(words)
                and names[other.actor][-len(words) :] == words
            ]
            targets = {o.actor for o in longer}
            if len(targets) == 1:  # one candidate only: "الصفدي" with two Safadis stays apart
                mention = Mention(
                    mention.start,
                    mention.end,
                    mention.text,
                    mention.type,
                    targets.pop(),
                    "coreference",
                )
        out.append(mention)
    return out
