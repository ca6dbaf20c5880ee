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

from collections.abc import Sequence
from dataclasses import dataclass

from marsad.actors.gazetteer import (
    NER_TYPES,
    WORD_RE,
    Gazetteer,
    Match,
    first_word_variants,
)
from marsad.actors.ner import Entity
from marsad.actors.roles import find_roles
from marsad.normalize import normalize
from marsad.text import NAME_KEYS, name_key

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
    mentions.sort(key=lambda m: (m.start, -m.end))
    mentions = _corefer_people(mentions)
    mentions = _propagate_surnames(text, mentions)
    return _corefer_bodies(text, mentions)


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


# Definite head nouns that, alone, point back at the body named in full before them:
# "المرصد" after "المرصد السوري لحقوق الإنسان", "الوكالة" after "وكالة الإعلام الروسية".
BODY_HEADS = frozenset(
    name_key(w)
    for w in [
        "المرصد",
        "الوكالة",
        "الصحيفة",
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
        "الحركة",
        "الجماعة",
        "التنظيم",
        "المجلس",
        "المكتب",
        "المركز",
    ]
)
BODY_TYPES = frozenset({"organisation", "outlet", "armed_group"})


def _corefer_bodies(text: str, mentions: list[Mention]) -> list[Mention]:
    """A bare definite head (``الوكالة``) is the nearest body named before it whose name
    starts with that noun (``وكالة ...``, ``الوكالة ...``)."""
    bodies = [m for m in mentions if m.type in BODY_TYPES and m.how != "coreference"]
    if not bodies:
        return mentions
    taken = [(m.start, m.end) for m in mentions]
    added: list[Mention] = []
    for word in WORD_RE.finditer(text):
        key = _folded_words(word.group())[0] if word.group() else ""
        if key not in BODY_HEADS:
            continue
        span = (word.start(), word.end())
        if any(_overlaps(span, t) for t in taken):
            continue
        head = key.removeprefix("ال")
        earlier = [
            b
            for b in bodies
            if b.end <= span[0] and (_folded_words(b.text) or [""])[0].removeprefix("ال") == head
        ]
        if earlier:
            last = earlier[-1]
            added.append(Mention(*span, word.group(), last.type, last.actor, "coreference"))
    if not added:
        return mentions
    return sorted([*mentions, *added], key=lambda m: (m.start, -m.end))


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
