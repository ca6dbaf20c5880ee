"""Offices and institutions named by a country adjective: ``الرئيس الروسي``, ``وزير الخارجية
الأمريكي``, ``مسؤولون أتراك``, ``التلفزيون الرسمي السوري``, ``الرئاسة التركية``.

War and politics reporting names most of its sources this way, not by name. A head word (an
office, a body: ``data/roles.yaml``), up to four more words, then the nisba of a state make one
mention. It links to the institution when the gazetteer has it (``وزارة الدفاع الروسية`` ->
``russia_mod``), else to an actor of its own keyed by the state and the office
(``office:russia:رئيس``), so every "Russian president" of a corpus is one actor.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from marsad.text import fold

MAX_MIDDLE_WORDS = 4
OFFICE_PREFIX = "office"
_WORD_RE = re.compile(r"[\w\u0640\u064B-\u065F\u0670]+")
_BREAK_RE = re.compile(r"[.،,؛;:!?؟()\"«»\n]")
_PROCLITICS = ("و", "ف", "ب", "ل", "ك")
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
    return _Tables(nisba, heads, known)


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
        found = _nisba_after(text, words, i, t)
        if found is None:
            i += 1
            continue
        j, state = found
        out.append(_mention(text, words, i, j, state, kind, t))
        i = j + 1
    return out


def _nisba_after(
    text: str, words: list[tuple[int, int, str]], i: int, t: _Tables
) -> tuple[int, str] | None:
    for j in range(i + 1, min(len(words), i + MAX_MIDDLE_WORDS + 2)):
        if _BREAK_RE.search(text, words[j - 1][1], words[j][0]):
            return None
        state = t.nisba.get(words[j][2])
        if state is not None:
            return j, state
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
