"""What a reuse link is: a copied story, a shared official formula (template), or nothing.

Two articles can share a run of words for three reasons. The same story was copied (an
agency dispatch, a press release printed by several outlets); an official formula recurs
with its slots filled differently (cables of congratulation, weather and market bulletins,
obituaries, a columnist's footer, the arrival-and-farewell formula); or the two texts only
name the same official with the same titles (``صاحب السمو الملكي الأمير ... بن عبدالعزيز
أمير منطقة ...``). The last is no reuse at all: :func:`real_words` counts the content words
of an aligned passage that are neither titles nor names, and the align step drops passages
with too few (a pair with no passage left is no link). The first two are told apart by
:func:`label_passages` from deterministic, corpus-level evidence: numbers that differ
inside the aligned spans (a bulletin), how many articles share the passage (a formula
recurs across many articles), and whether the two articles' headlines tell the
same story.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from marsad.normalize import normalize
from marsad.records import ArticleMeta, PassageTexts, ReusePassage
from marsad.reuse.tokens import Tokens
from marsad.text import key_id, stopwords, word_key
from marsad.unionfind import DisjointSets

COMPONENT = "reuse.kinds.v1"  # the titles filter and the copy/template rules
COPY, TEMPLATE = "copy", "template"

# Honorifics, offices and the words of official titles (Saudi and Gulf news), regions named
# in titles, and the formulas of respect that follow a name (حفظه الله).
TITLE_WORDS = """
صاحب السمو الملكي الامير الاميرة امير الملك ملك خادم الحرمين الشريفين ولي العهد عهده الامين
النائب نائب الثاني الاول لرئيس رئيس مجلس الوزراء وزير وزيرة الدفاع الداخلية الخارجية الحرس
الوطني منطقة المنطقة بالمنطقة محافظ محافظة المستشار مستشار الدكتور د المهندس م الشيخ الشيخة
الاستاذ الاستاذة معالي سعادة فخامة جلالة سمو سموه سموها الرئيس جمهورية دولة الدولة مملكة
السلطان سلطان عضو الديوان المكلف حفظه حفظها حفظهم الله رعاه رعاهم ايده المفدى الكريم ال سعود
رحمه المتحدث الرسمي الناطق الاعلامي باسم مدير عام العام العامة العلاقات الاعلام والاتصال
مساعد امين العقيد اللواء العميد المقدم الرائد النقيب الفريق اول الركن الحرمين المقدسة العاصمة
هيئة الهيئة ادارة فرع امارة مكتب القائد قائد سفير السفير خادم الملكية الاعلى القوات المسلحة
الرياض مكة المكرمة المدينة المنورة القصيم الشرقية عسير تبوك حائل الجوف جازان نجران الباحة
الحدود الشمالية المملكة العربية السعودية جدة الدمام ابها الطائف
"""

# Given names frequent in Saudi official titles (a name after بن is found without a list).
GIVEN_NAMES = """
محمد احمد عبدالله عبد عبدالعزيز العزيز عبدالرحمن الرحمن سلمان فيصل خالد سعود بندر نايف مشعل
تركي فهد عبدالمحسن المحسن مقرن متعب مشاري طلال سعد سعيد عمر عثمان ابراهيم صالح ناصر منصور
حسن حسين يوسف عادل وليد ماجد نواف بدر جلوي حسام عبدالاله الاله عبدالملك سطام
عبدالرحمن مساعد الفيصل خليفة حمد تميم زايد قابوس
"""

# Words after which the next words are a person's name.
NAME_PREFIXES = """
الامير الاميرة الملك الشيخ الشيخة الدكتور د المهندس م الاستاذ الاستاذة المقدم النقيب اللواء
العقيد العميد الرائد الفريق الفقيد الفقيدة
"""

NAME_LINKS = ("بن", "ابن", "بنت", "ال")  # the word after (and before) one of these is a name
NAME_AFTER_PREFIX = 2  # words taken as a name after an honorific
MIN_REAL_WORDS = 5  # a passage needs this many content words that are not titles or names
MIN_REAL_SHARE = 0.3  # ... and this share of its content words,
ENOUGH_REAL_WORDS = 8  # ... unless it has this many (a sentence after a long run of titles)

# Template evidence
RECURRING_ARTICLES = 12  # a passage joined to this many articles (other headlines): a formula
MIN_NUMBERS = 2  # distinct numbers each aligned span needs before its figures are compared
NUMBER_DIFF = 0.3  # share of the numbers in the aligned spans that differ on the other side
HEADLINE_SHARE = 0.34  # shared content words of the two headlines (of the shorter): same story
_WORD_RE = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _lexicon() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sorted token ids of title words, given names, name prefixes and name links."""

    def ids(words: Iterable[str]) -> np.ndarray:
        keys = {word_key(w) for w in words}
        return np.array(sorted({key_id(k) for k in keys if k}), dtype=np.uint32)

    titles = ids(TITLE_WORDS.split())
    names = ids(GIVEN_NAMES.split())
    prefixes = ids(NAME_PREFIXES.split())
    links = ids(NAME_LINKS)
    return titles, names, prefixes, links


def title_or_name(tokens: Tokens, start: int, end: int) -> np.ndarray:
    """Bool per token of ``[start, end)``: a title word, a name, or a name link."""
    titles, names, prefixes, links = _lexicon()
    ids = tokens.ids[start:end]
    out = np.isin(ids, titles) | np.isin(ids, names)
    is_link = np.isin(ids, links)
    is_prefix = np.isin(ids, prefixes)
    out |= is_link
    count = ids.shape[0]
    for k in np.flatnonzero(is_link).tolist():
        if k + 1 < count:
            out[k + 1] = True
        if k > 0:
            out[k - 1] = True
    content = tokens.content[start:end]
    for k in np.flatnonzero(is_prefix).tolist():
        taken = 0
        j = k + 1
        while j < count and taken < NAME_AFTER_PREFIX and content[j]:  # a name: no stop word
            if not out[j]:
                out[j] = True
                taken += 1
            j += 1
    return out


def real_words(tokens: Tokens, start: int, end: int) -> tuple[int, int]:
    """``(real, content)``: content words of the token range ``[start, end)`` that are not
    titles or names, and all its content words."""
    content = tokens.content[start:end]
    real = content & ~title_or_name(tokens, start, end)
    return int(real.sum()), int(content.sum())


def has_real_text(tokens: Tokens, start: int, end: int) -> bool:
    """Whether an aligned passage says more than the titles and names of officials."""
    real, content = real_words(tokens, start, end)
    if real >= ENOUGH_REAL_WORDS:
        return True
    return real >= MIN_REAL_WORDS and real >= MIN_REAL_SHARE * max(content, 1)


# -- copy or template ------------------------------------------------------------------------
_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c"), None)


def _numbers(text: str) -> list[str]:
    """The numbers of a text, in figures or in words (``أربعين`` is 40, as in the tokens)."""
    keys = (word_key(w) for w in _WORD_RE.findall(normalize(text.translate(_MARKS))))
    return [k for k in keys if k.isdigit()]


def numbers_differ(text_a: str, text_b: str) -> bool:
    """Both aligned spans hold numbers and a good share of them differ (a bulletin: the same
    frame with other figures filled in)."""
    sa, sb = set(_numbers(text_a)), set(_numbers(text_b))
    if len(sa) < MIN_NUMBERS or len(sb) < MIN_NUMBERS:
        return False
    # both sides have numbers of their own: a span cut shorter on one side is no bulletin
    return min(len(sa - sb) / len(sa), len(sb - sa) / len(sb)) >= NUMBER_DIFF


def _headline_keys(title: str | None) -> set[str]:
    stops = stopwords()
    keys = {word_key(w) for w in _WORD_RE.findall(title or "")}
    return {k for k in keys if len(k) >= 2 and k not in stops}


def same_headline(a: ArticleMeta, b: ArticleMeta) -> bool:
    """The two headlines share enough content words to tell the same story."""
    ka, kb = _headline_keys(a.title), _headline_keys(b.title)
    if not ka or not kb:
        return False
    return len(ka & kb) >= max(2, HEADLINE_SHARE * min(len(ka), len(kb)))


def recurrence(passages: list[ReusePassage]) -> list[int]:
    """For each passage, the number of articles whose spans it is joined to through
    overlapping spans (the articles that share this formula or story)."""
    from marsad.reuse.origin import side_nodes

    nodes, _ = side_nodes(passages)
    sets: DisjointSets[tuple[str, int]] = DisjointSets()
    for k in range(len(passages)):
        sets.union(nodes[2 * k], nodes[2 * k + 1])
    members: dict[tuple[str, int], set[str]] = defaultdict(set)
    for node in nodes:
        members[sets.find(node)].add(node[0])
    return [len(members[sets.find(nodes[2 * k])]) for k in range(len(passages))]


def label_passages(
    passages: list[ReusePassage],
    metas: dict[str, ArticleMeta],
    texts: dict[int, PassageTexts],
) -> None:
    """Set ``kind`` (copy or template) and ``kind_reason`` on every passage, in place; all
    passages of one article pair take the pair's kind.

    A pair is a template when numbers differ inside one of its aligned passages (a bulletin);
    else a copy when the headlines tell the same story; else a template when one of its
    passages is shared by ``RECURRING_ARTICLES`` articles or more (a formula); else a copy."""
    counts = recurrence(passages)
    by_pair: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, p in enumerate(passages):
        by_pair[(p.article_a, p.article_b)].append(k)
    for (a, b), ks in by_pair.items():
        bulletin = False
        for k in ks:
            row = passages[k].id
            found = texts.get(row) if row is not None else None
            if found is not None and numbers_differ(found.text_a, found.text_b):
                bulletin = True
                break
        shared_by = max(counts[k] for k in ks)
        if bulletin:
            kind, reason = TEMPLATE, "numbers differ inside the passage"
        elif same_headline(metas[a], metas[b]):
            kind, reason = COPY, "same story: the headlines agree"
        elif shared_by >= RECURRING_ARTICLES:
            kind, reason = TEMPLATE, f"recurring formula: shared by {shared_by} articles"
        else:
            kind, reason = COPY, f"shared text, not a recurring formula ({shared_by} articles)"
        for k in ks:
            passages[k].kind, passages[k].kind_reason = kind, reason
