"""Offices and institutions named by a country adjective: ``الرئيس الروسي``, ``وزير الخارجية
الأمريكي``, ``مسؤولون أتراك``, ``التلفزيون الرسمي السوري``, ``الرئاسة التركية``.

War and politics reporting names most of its sources this way, not by name. A head word (an
office, a body: ``data/roles.yaml``), up to four more words, then the nisba of a state make one
mention. It links to the institution when the gazetteer has it (``وزارة الدفاع الروسية`` ->
``russia_mod``), else to an actor of its own keyed by the state and the office
(``office:russia:رئيس``), so every "Russian president" of a corpus is one actor.

Bodies are also named without an adjective: :func:`find_institutions` takes a head that only
names bodies (``وزارة``, ``هيئة``, ``مجلس``) followed by definite words (``وزارة الصحة``, ``هيئة
شؤون الأسرى``), and the media or press office of a body (``المكتب الإعلامي للحكومة``,
``مديرية إعلام الحشد``); these have no state, so the caller keys them by their name.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from marsad.text import fold, folded_stopwords

MAX_MIDDLE_WORDS = 4
OFFICE_PREFIX = "office"
_WORD_RE = re.compile(r"[\w\u0640\u064B-\u065F\u0670]+")
_BREAK_RE = re.compile(r"[.،,؛;:!?؟()\"«»\n]")
_PROCLITICS = ("و", "ف", "ب", "ل", "ك")
MAX_INSTITUTION_WORDS = 4
# words that end a clause: a nisba after them does not qualify the head before them
_CLAUSE_WORDS = frozenset(
    fold(w)
    for w in [
        "إن",
        "أن",
        "بأن",
        "وأن",
        "فإن",
        "لأن",
        "بأنه",
        "بأنها",
        "أنه",
        "إنه",
        "أنها",
        "إنها",
        "قوله",
        "قولها",
        "قولهم",
        "الذي",
        "التي",
        "الذين",
        "حيث",
        "بينما",
        "عندما",
        "لكن",
        "ثم",
    ]
)
# words that qualify an office without naming it ("مسؤول كبير", "رفيع المستوى")
_QUALIFIERS = frozenset(
    fold(w)
    for w in [
        "كبير",
        "كبار",
        "رفيع",
        "رفيعة",
        "رفيعي",
        "المستوى",
        "سابق",
        "السابق",
        "السابقة",
        "في",
        "ب",
        "لدى",
        "باسم",
        "عن",
        "من",
        "الرسمي",
        "الرسمية",
        "الرسميه",
    ]
)
KINDS = {"person": "person", "group": "organisation", "organisation": "organisation"}


@dataclass(frozen=True)
class RoleMention:
    start: int
    end: int
    text: str
    type: str  # person (one office-holder) or organisation
    actor: str  # a gazetteer id, or office:<state>:<folded office>


@dataclass(frozen=True)
class _Tables:
    nisba: dict[str, str]  # folded adjective form -> state id
    heads: dict[str, str]  # folded head word -> person, group, organisation
    known: dict[tuple[str, str], str]  # (state, folded word) -> gazetteer id
    institutions: frozenset[str]  # folded heads naming a body without an adjective
    unit_heads: frozenset[str]  # folded heads of media offices (مكتب, مديرية)
    unit_seconds: frozenset[str]  # الإعلامي, إعلام
    stop: frozenset[str]  # definite words that end an institution's name
    outlet_heads: frozenset[str] = frozenset()  # صحيفة, وكالة
    needs_news: frozenset[str] = frozenset()  # موقع, شبكة: only before a quote or news
    news: frozenset[str] = frozenset()  # إخباري, إلكتروني
    not_names: frozenset[str] = frozenset()  # قناة اتصال, وكالة الاستخبارات: no outlet
    name_ends: frozenset[str] = frozenset()  # الفضائية: the last word of an outlet's name
    member_bodies: frozenset[str] = frozenset()  # حركة, مرصد: bodies of office-holders
    member_qualifiers: frozenset[str] = frozenset()  # العام: between the office and body
    collective_heads: frozenset[str] = frozenset()  # وسائل, مصادر
    collective_seconds: frozenset[str] = frozenset()  # إعلام, إخبارية


def roles_digest() -> str:
    """Short SHA-256 of the packaged office and institution tables (part of the claims
    stage's component: editing them redoes the actors of every article)."""
    data = resources.files("marsad.data").joinpath("roles.yaml").read_bytes()
    return hashlib.sha256(data).hexdigest()[:8]


@cache
def tables() -> _Tables:
    data = yaml.safe_load(resources.files("marsad.data").joinpath("roles.yaml").read_text("utf-8"))
    nisba: dict[str, str] = {}
    for state, stems in data["states"].items():
        for stem in stems:
            key = fold(stem)
            forms = [key] if not key.endswith("ي") else [key, key + "ه", key + "ون", key + "ين"]
            for form in forms:
                nisba["ال" + form] = state  # الرئيس الروسي
                nisba[form] = state  # مسؤولون أمريكيون, مصدر عسكري روسي
    heads: dict[str, str] = {}
    for kind, words in data["heads"].items():
        for word in words:
            key = fold(word)
            heads[key] = kind
            if not key.startswith("ال"):
                heads["ال" + key] = kind
    known = {
        (state, fold(word)): actor
        for state, words in data["known"].items()
        for word, actor in words.items()
    }

    def with_article(words: list[str]) -> frozenset[str]:
        keys = {fold(w) for w in words}
        return frozenset(keys | {"ال" + k for k in keys if not k.startswith("ال")})

    units = data.get("media_units") or {}
    outlets = data.get("outlets") or {}
    collectives = data.get("media_collectives") or {}
    members = data.get("members") or {}
    return _Tables(
        nisba,
        heads,
        known,
        with_article(data.get("institutions") or []),
        with_article(units.get("heads") or []),
        frozenset(fold(w) for w in units.get("seconds") or []),
        frozenset(fold(w) for w in data.get("stop") or []),
        frozenset(fold(w) for w in outlets.get("heads") or []),
        frozenset(fold(w) for w in outlets.get("needs_news") or []),
        frozenset(fold(w) for w in outlets.get("news") or []),
        frozenset(fold(w) for w in outlets.get("not_names") or []),
        frozenset(fold(w) for w in outlets.get("name_ends") or []),
        with_article(members.get("bodies") or []),
        frozenset(fold(w) for w in members.get("qualifiers") or []),
        frozenset(fold(w) for w in collectives.get("heads") or []),
        frozenset(fold(w) for w in collectives.get("seconds") or []),
    )


def _bare(key: str) -> str:
    """A folded word without one proclitic before ``ال`` (``والروسية`` -> ``الروسية``)."""
    if key[:1] in _PROCLITICS and key[1:3] == "ال" and len(key) > 4:
        return key[1:]
    if key.startswith("لل") and len(key) > 4:
        return "ال" + key[2:]
    return key


def find_roles(text: str) -> list[RoleMention]:
    """Every office or institution named with a state's adjective in ``text``."""
    t = tables()
    words = [(m.start(), m.end(), _bare(fold(m.group()))) for m in _WORD_RE.finditer(text)]
    out: list[RoleMention] = []
    i = 0
    while i < len(words):
        kind = t.heads.get(words[i][2])
        if kind is None:
            i += 1
            continue
        found = _nisba_after(text, words, i, t, kind == "organisation")
        if found is None:
            i += 1
            continue
        j, state = found
        out.append(_mention(text, words, i, j, state, kind, t))
        i = j + 1
    return out


def _nisba_after(
    text: str, words: list[tuple[int, int, str]], i: int, t: _Tables, body: bool = False
) -> tuple[int, str] | None:
    """The nisba after head ``i`` (index and state). After the head of a body named with the
    article (``الإدارة``) every word up to the nisba is definite too: ``الإدارة غادرت
    الأراضي السورية`` names no Syrian administration."""
    definite_only = body and words[i][2].startswith("ال")
    for j in range(i + 1, min(len(words), i + MAX_MIDDLE_WORDS + 2)):
        key = words[j][2]
        if _BREAK_RE.search(text, words[j - 1][1], words[j][0]) or key in _CLAUSE_WORDS:
            return None
        state = t.nisba.get(key)
        if state is not None:
            return j, state
        if definite_only and not key.startswith("ال") and key not in _QUALIFIERS:
            return None
    return None


def _mention(
    text: str,
    words: list[tuple[int, int, str]],
    i: int,
    j: int,
    state: str,
    kind: str,
    t: _Tables,
) -> RoleMention:
    phrase = [w[2] for w in words[i:j]]
    start, end = words[i][0], words[j][1]
    if kind == "organisation":
        for key in phrase:
            actor = t.known.get((state, key))
            if actor is not None:
                return RoleMention(start, end, text[start:end], "organisation", actor)
    office = [w.removeprefix("ال") for w in phrase if w not in _QUALIFIERS]
    if kind == "group":  # مسؤولون / مسؤولين: one actor
        office = [office[0].removesuffix("ين") + "ون" if office[0].endswith("ين") else office[0]]
    actor = f"{OFFICE_PREFIX}:{state}:{' '.join(office)}"
    return RoleMention(start, end, text[start:end], KINDS[kind], actor)


def _head(key: str, heads: frozenset[str]) -> tuple[str, int] | None:
    """``(head, letters of proclitics before it)`` when ``key`` is one of ``heads``, alone or
    after proclitics (``ووزارة``, ``لهيئة``, ``وللمكتب``), else ``None``."""
    if key in heads:
        return key, 0
    if key.startswith("لل") and len(key) > 4 and "ال" + key[2:] in heads:
        return "ال" + key[2:], 0  # the article's alef is gone: the word stays whole
    if len(key) > 4 and key[0] in _PROCLITICS:
        rest = key[1:]
        if rest in heads:
            return rest, 1
        if rest.startswith("لل") and len(rest) > 4 and "ال" + rest[2:] in heads:  # ولل
            return "ال" + rest[2:], 1
        if len(rest) > 4 and rest[0] in "بلك" and rest[1:] in heads:
            return rest[1:], 2
    return None


@cache
def _institution_keys() -> frozenset[str]:
    """Folded words that :func:`_head` may take for a head of :func:`find_institutions`."""
    t = tables()
    heads = t.unit_heads | t.institutions | t.outlet_heads | t.collective_heads
    heads |= _person_heads()
    out = set(heads)
    for head in heads:
        for clitics in ("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"):
            out.add(clitics + head)
        if head.startswith("ال"):
            out.update(c + "لل" + head[2:] for c in ("", "و", "ف"))
    return frozenset(out)


def _skip_letters(text: str, start: int, end: int, letters: int) -> int:
    """Offset after the first ``letters`` letters from ``start`` (and their diacritics)."""
    pos = start
    while letters > 0 and pos < end:
        if fold(text[pos]):
            letters -= 1
        pos += 1
    while pos < end and not fold(text[pos]):
        pos += 1
    return pos


def _definite(key: str) -> bool:
    """A definite word, alone or after ``و`` or ``ل`` (``الصحة``, ``والدواء``, ``للحكومة``)."""
    return key.startswith(("ال", "وال", "لل", "ولل")) and len(key) > 3


def find_institutions(text: str) -> list[RoleMention]:
    """Bodies named by a head and definite words, and media offices of bodies (module doc);
    ``actor`` is empty (the caller keys them by name or links them to the gazetteer)."""
    t = tables()
    words = [(m.start(), m.end(), fold(m.group())) for m in _WORD_RE.finditer(text)]
    out: list[RoleMention] = []
    i = 0
    stopwords = folded_stopwords()
    candidates = _institution_keys()
    while i < len(words):
        key = words[i][2]
        if key not in candidates:  # most words: one set look-up
            i += 1
            continue
        end = None
        unit = _head(key, t.unit_heads)
        head = _head(key, t.institutions)
        if unit and i + 1 < len(words) and words[i + 1][2] in t.unit_seconds:
            if not _broken(text, words, i + 1):
                last = _chain(text, words, i + 2, t, False)
                owner = i + 2 < len(words) and words[i + 2][2]
                if (
                    last is None
                    and owner
                    and owner not in stopwords
                    and owner not in _CLAUSE_WORDS
                    and not _broken(text, words, i + 2)
                ):
                    last = i + 2  # the owner: مكتب إعلام حلب
                end = last if last is not None else i + 1
                head = unit
        elif head:
            end = _chain(text, words, i + 1, t, head[0].startswith("ال"))
        kind = "organisation"
        if end is None:
            outlet = _head(key, t.outlet_heads)
            if outlet is None:
                outlet = _head(key, t.collective_heads)
                if (
                    outlet
                    and i + 1 < len(words)
                    and not _broken(text, words, i + 1)
                    and words[i + 1][2] in t.collective_seconds
                ):
                    end, head, kind = i + 1, outlet, "outlet"
            else:
                found = _outlet_name(text, words, i, outlet[0], t, stopwords)
                if found is not None:
                    end, head, kind = found, outlet, "outlet"
        actor = ""
        if end is None:
            member = _member(text, words, i, t)
            if member is not None:
                head, end, kind, actor = member
        if end is None or head is None:
            i += 1
            continue
        start = _skip_letters(text, words[i][0], words[i][1], head[1])
        stop = words[end][1]
        if kind == "outlet" and text[stop : stop + 1] in _CLOSING_QUOTES:
            stop += 1
        out.append(RoleMention(start, stop, text[start:stop], kind, actor))
        i = end + 1
    return out


def _member(
    text: str, words: list[tuple[int, int, str]], i: int, t: _Tables
) -> tuple[tuple[str, int], int, str, str] | None:
    """An office-holder of a body (``مسؤولين في الحركة الانفصالية``) at word ``i``: (head,
    index of the last word, actor type, ``office:<body>:<office>``), or ``None``."""
    office = _head(words[i][2], _person_heads())
    if office is None:
        return None
    j = i + 1
    while j < len(words) and j <= i + 3 and not _broken(text, words, j):
        key = words[j][2]
        if key in _QUALIFIERS or key in t.member_qualifiers:
            j += 1
            continue
        break
    if j >= len(words) or _broken(text, words, j):
        return None
    body = _head(words[j][2], t.member_bodies)
    if body is None:
        return None
    if j + 1 < len(words) and words[j + 1][2] in t.unit_seconds:
        return None  # مدير المكتب الإعلامي: the media office is the mention
    last = _chain(text, words, j + 1, t, body[0].startswith("ال"))
    if last is None:  # مسؤول في حركة: which one? مدير المرصد: the body named before
        return None
    end = last
    names = [body[0]] + [_bare(w[2]) for w in words[j + 1 : end + 1]]
    kind = KINDS[t.heads[office[0]]]
    role = office[0].removeprefix("ال")
    if t.heads[office[0]] == "group" and role.endswith("ين"):
        role = role[:-2] + "ون"
    actor = f"{OFFICE_PREFIX}:{' '.join(n.removeprefix('ال') for n in names)}:{role}"
    return office, end, kind, actor


@cache
def _person_heads() -> frozenset[str]:
    t = tables()
    return frozenset(k for k, kind in t.heads.items() if kind in ("person", "group"))


_OPENING_QUOTES = '"«“'
_CLOSING_QUOTES = '"»”'
MAX_OUTLET_WORDS = 3


def _outlet_name(
    text: str,
    words: list[tuple[int, int, str]],
    i: int,
    head: str,
    t: _Tables,
    stopwords: frozenset[str],
) -> int | None:
    """Index of the last word of the outlet's name after head ``i``, or ``None``."""
    if i + 1 >= len(words):
        return None
    gap = text[words[i][1] : words[i + 1][0]]
    if any(q in gap for q in _OPENING_QUOTES):  # صحيفة «الوطن»: the quoted words
        for k in range(i + 1, min(len(words), i + 6)):
            if any(q in text[words[k][1] : words[k][1] + 2] for q in _CLOSING_QUOTES):
                return k
        return None
    if _broken(text, words, i + 1):
        return None
    if head in t.needs_news and words[i + 1][2] not in t.news:
        return None
    if words[i + 1][2] in t.not_names:
        return None
    last = None
    for k in range(i + 1, min(len(words), i + 1 + MAX_OUTLET_WORDS)):
        key = words[k][2]
        if k > i + 1 and _broken(text, words, k):
            break
        if (
            key in stopwords
            or key in _CLAUSE_WORDS
            or key in t.stop
            or len(key) < 2
            or key.isdigit()
        ):
            break
        last = k
        if _bare(key) in t.nisba or key in t.name_ends:  # صحيفة الغارديان البريطانية
            break
    return last


def _broken(text: str, words: list[tuple[int, int, str]], j: int) -> bool:
    """Punctuation between word ``j - 1`` and word ``j``."""
    return bool(_BREAK_RE.search(text, words[j - 1][1], words[j][0]))


def _chain(
    text: str, words: list[tuple[int, int, str]], j: int, t: _Tables, definite_head: bool
) -> int | None:
    """Index of the last word of the definite words from ``j`` (after a head without the
    article, at most one indefinite noun before a definite one, as in a construct chain), or
    ``None``."""
    last = None
    indefinite = False
    stopwords = folded_stopwords()
    for k in range(j, min(len(words), j + MAX_INSTITUTION_WORDS)):
        key = words[k][2]
        if _broken(text, words, k) or key in t.stop or key in _CLAUSE_WORDS:
            break
        if _definite(key):
            last = k
            indefinite = False
            continue
        if definite_head or indefinite or last is not None or len(key) < 3 or key in stopwords:
            break
        indefinite = True  # شؤون in هيئة شؤون الأسرى
    return last
