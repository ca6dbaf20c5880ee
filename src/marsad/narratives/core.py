"""A claim's core, and whether two claims agree on it: the gate of a same-claim link.

Close vectors and shared words are not enough for two sentences to state the same claim: on
SaudiNewsNet the static embedder and the word overlap treat honorific titles (صاحب السمو
الملكي الأمير ... بن عبدالعزيز) as shared content, so farewell lists of different princes at
different airports linked, statistics of one report with different figures linked, and a
writer's contact footer formed a family. Two claims agree on their core when

* neither is a contact or boilerplate line (an e-mail, a URL, a phone number, an SMS code,
  للتواصل ...): such lines never link;
* they share rare content words beyond titles and names: honorific and office titles
  (:data:`TITLE_WORDS`), lineage and family names (the words after بن / بنت / آل) and given
  names are
  left out of the evidence, and at least :data:`MIN_SHARED_RARE` words of rarity weight
  :data:`RARE_WEIGHT` or more must remain shared (fewer when one side has fewer), and the
  rarity-weighted overlap of what remains must reach the stage's minimum;
* their numbers agree: when both give numbers (digits, number words, month and weekday
  names), one set holds the other (a restatement may add a figure; two different figures
  are two claims);
* both or neither are negated;
* they do not name different people or places: when both name given names (the word before
  بن, or after الأمير / الشيخ / الدكتور ...), people of the starter gazetteer, or places
  (the dateline list, :data:`COUNTRIES`, :data:`SEAS`, the gazetteer's states and places),
  they share one
  of each.

:func:`core_signature` computes what this needs once per text (cached); :func:`core_agrees`
compares two signatures with set operations only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from marsad.actors.gazetteer import Gazetteer, load_gazetteer
from marsad.narratives.embed import words_of
from marsad.normalize import normalize
from marsad.text import word_key

CORE_VERSION = "core.v1"  # part of the link component (through the model digest)
_ARABIC_START, _ARABIC_END = "\u0600", "\u06ff"
RARE_WEIGHT = 0.9  # a content word of at least this SIF weight is rare (unknown words: 1.0)
MIN_SHARED_RARE = 2

# Honorifics, offices and ranks written before names: never evidence that two claims agree.
TITLE_WORDS = """
صاحب السمو الملكي الأمير الأميرة أمير سمو سموه سموها معالي معاليه فخامة فخامته سعادة سعادته
جلالة جلالته سماحة سماحته فضيلة فضيلته حضرة دولة خادم الحرمين الشريفين الملك الملكة ملك
ولي العهد عهده نائب رئيس رئيسة وزير وزيرة الوزراء الوزير مجلس حفظه يحفظه حفظها رعاه يرعاه
أيده الله الشيخ الشيخة الدكتور الدكتورة د المهندس المهندسة الأستاذ الأستاذة اللواء العميد
العقيد المقدم الرائد النقيب الفريق أول ركن طيار محافظ محافظة أمين سفير مدير مديرة عام العام
عضو المكرم السيد السيدة الإمام المفتي بن بنت ابن آل أبو أبا
الرئيس الأمين المستشار القائد وكيل وكيلة المشرف
المتحدث الناطق الرسمي الإعلامي الإعلام العلاقات إدارة الإدارة مدير المدير العامة رئاسة
"""
# After these (with the article) comes a given name: الأمير فيصل, الشيخ صباح.
NAME_TITLES = "الأمير الأميرة الشيخ الشيخة الدكتور الدكتورة المهندس الأستاذ اللواء العميد العقيد"
LINEAGE = ("بن", "بنت", "ابن", "آل")
MONTHS = (
    ("يناير", "كانون الثاني"),
    ("فبراير", "شباط"),
    ("مارس", "آذار"),
    ("أبريل", "إبريل", "ابريل", "نيسان"),
    ("مايو", "أيار"),
    ("يونيو", "حزيران"),
    ("يوليو", "تموز"),
    ("أغسطس", "آب"),
    ("سبتمبر", "أيلول"),
    ("أكتوبر", "تشرين الأول"),
    ("نوفمبر", "تشرين الثاني"),
    ("ديسمبر", "كانون الأول"),
)
# Countries the dateline list (capitals and cities) lacks: a training camp in Austria and one
# in Tunisia are two claims.
COUNTRIES = """
مصر الأردن لبنان سوريا العراق الكويت قطر البحرين الإمارات عمان اليمن
فلسطين إسرائيل ليبيا تونس الجزائر المغرب موريتانيا السودان الصومال جيبوتي إيران تركيا
باكستان أفغانستان الهند الصين اليابان روسيا أوكرانيا أمريكا بريطانيا
فرنسا ألمانيا إيطاليا إسبانيا البرتغال النمسا سويسرا هولندا بلجيكا السويد النرويج اليونان
البرازيل الأرجنتين كندا أستراليا إندونيسيا ماليزيا نيجيريا إثيوبيا كينيا كولومبيا المكسيك
"""
# Too general to tell two claims apart (most of the corpus is about it, as المملكة or by a
# city); not a place here.
HOME = frozenset({"saudi_arabia"})
# Seas and gulfs (several words each): winds on the Red Sea and on the Gulf are two forecasts.
SEAS = ("البحر الأحمر", "الخليج العربي", "البحر المتوسط", "بحر العرب", "البحر الأبيض المتوسط")
WEEKDAYS = ("الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت")
_CLITICS = "وفبل"

# Contact and boilerplate lines: an e-mail, a URL, a handle, a phone number (7+ digits,
# spaces and dashes allowed), an SMS code, or a contact call (normalised text).
_CONTACT_WORDS_RE = re.compile(
    r"\b(?:للتواصل|للاتصال|للاستفسار|للاعلان|للاشتراك|تابعونا|تابعوا|راسلونا|تويتر|فيسبوك"
    r"|sms|stc|mobily|zain|موبايلي|www|https?|com|net|org)\b|رساله نصيه|رسائل نصيه",
    re.IGNORECASE,
)
_HANDLE_RE = re.compile(r"@\w{3,}|\w@[\w-]+\.\w")  # an e-mail or a handle
_PHONE_RE = re.compile(r"\d(?:[\s-]?\d){6,}")  # 7 digits or more, spaces and dashes allowed
_DIGIT_RE = re.compile(r"\d")


def _base(key: str) -> str:
    """``key`` without one leading conjunction or preposition letter (ووزير -> وزير)."""
    return key[1:] if key[:1] in _CLITICS and len(key) > 3 else key


@lru_cache(maxsize=1)
def _titles() -> frozenset[str]:
    return frozenset(word_key(w) for w in TITLE_WORDS.split())


@lru_cache(maxsize=1)
def _name_titles() -> frozenset[str]:
    return frozenset(word_key(w) for w in NAME_TITLES.split())


@lru_cache(maxsize=1)
def _lineage() -> frozenset[str]:
    return frozenset(word_key(w) for w in LINEAGE)


@lru_cache(maxsize=1)
def _months() -> dict[tuple[str, ...], str]:
    out: dict[tuple[str, ...], str] = {}
    for n, names in enumerate(MONTHS, 1):
        for name in names:
            out[tuple(word_key(w) for w in name.split())] = f"m{n}"
    for name in WEEKDAYS:
        out.setdefault((word_key(name),), "d" + word_key(name).replace("إ", "ا"))
    return out


@lru_cache(maxsize=1)
def _places() -> dict[tuple[str, ...], str]:
    """Places (the dateline list, the countries above, the starter gazetteer's states and
    places), each name as a tuple of word keys -> what it is compared by."""
    out: dict[tuple[str, ...], str] = {}
    for actor in sorted(load_gazetteer().actors.values(), key=lambda a: a.id):
        if actor.type in ("state", "place") and actor.id not in HOME:
            for name in (actor.name, *actor.aliases):
                key = tuple(word_key(w) for w in words_of(name))
                if key and all(_ARABIC_START <= w[0] <= _ARABIC_END for w in key):
                    out.setdefault(key, actor.id)
    data = resources.files("marsad.data").joinpath("places_ar.txt").read_text("utf-8")
    names = [line.strip() for line in data.splitlines() if not line.startswith("#")]
    for line in names + COUNTRIES.split() + list(SEAS):
        key = tuple(word_key(w) for w in words_of(line))
        if key:
            out.setdefault(key, " ".join(key))
    return out


@lru_cache(maxsize=1)
def _people() -> Gazetteer:
    """The starter gazetteer's people (a claim naming Putin and one naming Obama differ)."""
    people = load_gazetteer()
    return Gazetteer({k: a for k, a in people.actors.items() if a.type == "person"})


def is_contact_line(text: str) -> bool:
    """A contact or boilerplate line (e-mail, URL, handle, phone number, SMS, للتواصل)."""
    folded = normalize(text)
    if "@" in folded and _HANDLE_RE.search(folded):
        return True
    if len(_DIGIT_RE.findall(folded)) >= 7 and _PHONE_RE.search(folded):
        return True
    return _CONTACT_WORDS_RE.search(folded) is not None


@dataclass(frozen=True, slots=True)
class CoreSignature:
    """What the core agreement of one claim is decided from."""

    content: frozenset[str]  # content keys (the lexical profile's), titles and names left out
    weight: float  # the summed rarity weights of ``content``
    rare: frozenset[str]  # those of rarity weight RARE_WEIGHT or more
    names: frozenset[str]  # given names (before بن, after الأمير ...)
    people: frozenset[str]  # people of the starter gazetteer
    places: frozenset[str]  # places of the dateline list
    dates: frozenset[str]  # months as m1..m12, weekdays (digits and number words: the profile's)
    contact: bool


def _spans(keys: list[str], table: dict[tuple[str, ...], str]) -> set[str]:
    """The values of the longest names of ``table`` found in ``keys`` (a first word may
    carry a clitic: بجدة names جدة)."""
    longest = _longest(id(table), table)
    found: set[str] = set()
    for i, key in enumerate(keys):
        for first in (key, key[1:]) if key[:1] in _CLITICS and len(key) > 3 else (key,):
            reach = longest.get(first)
            if reach is None:
                continue
            for n in range(reach, 0, -1):
                value = table.get((first, *keys[i + 1 : i + n]))
                if value is not None:
                    found.add(value)
                    break
            break
    return found


_LONGEST: dict[int, dict[str, int]] = {}


def _longest(ident: int, table: dict[tuple[str, ...], str]) -> dict[str, int]:
    """First word -> the most words of a name of ``table`` that starts with it (the tables
    are built once and kept, so their ids are stable)."""
    found = _LONGEST.get(ident)
    if found is None:
        found = {}
        for name in table:
            found[name[0]] = max(found.get(name[0], 0), len(name))
        _LONGEST[ident] = found
    return found


@lru_cache(maxsize=200_000)
def core_signature(text: str) -> CoreSignature:
    """The core signature of one claim (cached per text)."""
    # similarity imports this module
    from marsad.narratives.similarity import key_weight, lexical_profile

    titles, name_titles, lineage = _titles(), _name_titles(), _lineage()
    words = words_of(text)
    keys = [word_key(w) for w in words]
    names: set[str] = set()
    lineage_names: set[str] = set()
    for i, key in enumerate(keys):
        if key in lineage and i + 1 < len(keys):
            lineage_names.add(keys[i + 1])
            if i + 2 < len(keys) and words[i + 2].startswith("ال") and keys[i + 2] not in lineage:
                lineage_names.add(keys[i + 2])  # a family name: خالد بن محمد اليوسف
            given = i and keys[i - 1] not in titles and (i < 2 or keys[i - 2] not in lineage)
            if given:  # the first of a chain: فيصل بن خالد بن عبدالعزيز names فيصل
                names.add(keys[i - 1])
        elif key in name_titles and i + 1 < len(keys) and keys[i + 1] not in titles:
            names.add(keys[i + 1])
    skip = names | lineage_names
    content = {
        k for k in lexical_profile(text).keys if k not in skip and _base(k) not in titles
    } - titles
    return CoreSignature(
        content=frozenset(content),
        weight=math.fsum(key_weight(k) for k in content),  # a set: any order, one sum
        rare=frozenset(k for k in content if len(k) > 2 and key_weight(k) >= RARE_WEIGHT),
        names=frozenset(names),
        people=frozenset(m.actor for m in _people().find(text)),
        places=frozenset(_spans(keys, _places())),
        dates=frozenset(_spans(keys, _months())),
        contact=is_contact_line(text),
    )


def is_anchorless(text: str) -> bool:
    """A claim that names no one, no place, no figure and no date: a stock phrase ("amid
    family and friends") that a site repeats under different stories looks so."""
    from marsad.narratives.similarity import lexical_profile

    sig = core_signature(text)
    anchors = sig.names or sig.people or sig.places or sig.dates
    return not anchors and not lexical_profile(text).numbers


def numbers_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Both give numbers: one set must hold the other (else two different figures)."""
    return not a or not b or a <= b or b <= a


def core_agrees(
    a_text: str,
    b_text: str,
    a_numbers: frozenset[str],
    b_numbers: frozenset[str],
    a_negated: bool,
    b_negated: bool,
) -> bool:
    """Whether two claims agree on their core (module docstring); the numbers and negation
    come from their lexical profiles."""
    if a_negated != b_negated:
        return False
    a, b = core_signature(a_text), core_signature(b_text)
    if a.contact or b.contact:
        return False
    if not numbers_agree(a_numbers | a.dates, b_numbers | b.dates):
        return False
    if a.names and b.names and not a.names & b.names:
        return False
    if a.people and b.people and not a.people & b.people:
        return False
    if a.places and b.places and not a.places & b.places:
        return False
    need = min(MIN_SHARED_RARE, len(a.rare), len(b.rare))
    return need > 0 and len(a.rare & b.rare) >= need


def content_overlap(a_text: str, b_text: str) -> float:
    """Rarity-weighted overlap (shared over union) of the two claims' content words, titles
    and names left out (0..1)."""
    from marsad.narratives.similarity import key_weight

    a, b = core_signature(a_text), core_signature(b_text)
    shared_keys = a.content & b.content
    shared = math.fsum(key_weight(k) for k in shared_keys)
    union = a.weight + b.weight - shared
    return shared / union if union > 1e-12 else 0.0


def clear_caches() -> None:
    core_signature.cache_clear()
