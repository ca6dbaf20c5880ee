"""Claim units: sentences split where Arabic news chains several checkable statements.

A sentence such as ``قصفت الطائرات المدينة، وقبل ذلك سقطت قذائف على السوق، كما أعلن الجيش
...`` holds three claims. A sentence is split before a chaining connective (``وقبل ذلك``,
``كما``, ``تلاه``, ``فيما``, ``بينما``, ``في حين``, ``فضلاً عن ذلك`` ...) and before an
attribution that carries a new statement from the same speaker (``مضيفاً أن``, ``مشيراً إلى
أن``), when each side keeps at least ``MIN_CLAIM_WORDS`` words. Short sentences stay whole.
Offsets index the cleaned article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marsad.normalize import normalize_mapped
from marsad.records import Span

COMPONENT = "claims.split.v4"
MIN_CLAIM_WORDS = 4
# Connectives (in normalised spelling) that start a new claim; the claim starts at the
# connective. They must follow a comma, a semicolon or a dash, so "كما" inside a phrase
# ("كما هو") does not split.
_CHAIN = (
    r"وقبل ذلك|وبعد ذلك|قبل ذلك|بعد ذلك|وفي وقت سابق|وفي وقت لاحق|كما|وكما|تلاه|تلاها|وتلاه|"
    r"وتلا ذلك|فيما|بينما|في حين|وفي حين|لكن|ولكن|الا ان|غير ان|وسط|"
    r"فضلا عن ذلك|علاوه علي ذلك|الي ذلك|والي ذلك|"
    r"من جهه اخري|من جانب اخر|وفي سياق متصل|وفي سياق اخر|في المقابل|وفي المقابل|"
    r"مضيفا|مضيفه|مشيرا|مشيره|موكدا|موكده|لافتا|لافته|موضحا|موضحه|منوها|منوهه|"
    r"كاشفا|كاشفه|معتبرا|معتبره|محذرا|محذره|مشددا|مشدده|مبينا|مبينه|معلنا|معلنه|"
    r"متوقعا|متوقعه|مطالبا|مطالبه|معربا|معربه|منبها|منبهه|مستدركا|مستدركه|"
    # a new speaker or a new report inside the sentence: "...، وقال المتحدث إن", "وسط أنباء"
    r"وقال|وقالت|وقالوا|واضاف|واضافت|واكد|واكدت|وافاد|وافادت|وافادوا|واشار|واشارت|وذكر|"
    r"وذكرت|واوضح|واوضحت|ونقل|ونقلت|ونفي|ونفت|وتابع|وتابعت|وشدد|وشددت|واعتبر|واعتبرت|"
    r"وحذر|وحذرت|واعلن|واعلنت|وكشف|وكشفت|وسط انباء|وسط ورود انباء|وسط تقارير|"
    r"وسط انباء عن|"
    # a pluperfect statement of its own: "...، وكانت الأمم المتحدة قالت", "...، وكان البرلمان قد"
    r"وكان|وكانت|وكانوا"
)
# ...and a coordinated past verb in the feminine or plural ("، وتزوجت", "، وأصدرت", "، وقتلوا"):
# a new statement about the same subject (nouns in -ات and the auxiliary كان stay).
_COORDINATED_VERB = r"و(?!كان)[\u0621-\u064A]{2,}(?<!ا)(?:ت|وا)"
_SPLIT_RE = re.compile(r"[،,;؛–—-]\s*(?=(?:" + _CHAIN + r")\b|" + _COORDINATED_VERB + r"(?=\s))")
_WORD_RE = re.compile(r"\w+")
_PUNCT_RE = re.compile(r"[،,;؛–—-]")


@dataclass(frozen=True)
class ClaimUnit:
    span: Span  # offsets into the cleaned text
    sentence: int  # index of the sentence it came from


def _words(text: str) -> int:
    return len(_WORD_RE.findall(text))


def split_sentence(text: str, start: int, end: int) -> list[Span]:
    """Claim spans inside the sentence ``text[start:end]``."""
    sentence = text[start:end]
    if not _PUNCT_RE.search(sentence):  # every split follows a comma, semicolon or dash
        return [_trim(text, start, end)] if end > start else []
    folded, offsets = normalize_mapped(sentence)
    ends = [m.end() for m in _SPLIT_RE.finditer(folded)]
    cuts = ends if offsets is None else [offsets[e] for e in ends]
    spans: list[Span] = []
    left = 0
    for cut in cuts:
        head, tail = text[start + left : start + cut], text[start + cut : end]
        if _words(head) >= MIN_CLAIM_WORDS and _words(tail) >= MIN_CLAIM_WORDS:
            spans.append(_trim(text, start + left, start + cut))
            left = cut
    spans.append(_trim(text, start + left, end))
    return [s for s in spans if s[1] > s[0]]


def _trim(text: str, start: int, end: int) -> Span:
    """Strip white space and a trailing comma or dash from a span."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "،,؛;–—-"):
        end -= 1
    return start, end


def split_claims(text: str, sentences: list[Span]) -> list[ClaimUnit]:
    """Claim units of an article from its sentences (see :func:`split_sentence`)."""
    units: list[ClaimUnit] = []
    for k, (start, end) in enumerate(sentences):
        units.extend(ClaimUnit(span, k) for span in split_sentence(text, start, end))
    return units
