"""Attribution of a claim: who it is attributed to, with which reporting verb, and hedging.

Rules, on the claim's text folded with ``ar-norm-v1`` (offsets map back to the original). The
first attribution frame in the claim wins; each frame gives a source span and a verb span:

* **Verb first** (``أفادت مصادر أهلية بأن ...``, ``وقال وزير الخارجية في مؤتمر صحفي إن ...``):
  the source is what stands between a reporting verb and its complementiser (``أن``, ``إن``,
  ``بأن``, ``قوله``, a colon or a long quotation), less a trailing circumstantial phrase (``في
  بيان``, ``خلال ...``, ``اليوم``, an addressee ``لـ«...»``). Appositions, locatives and a
  platform phrase (``في تغريدة``) stay in the source. The verb may stand anywhere in the claim.
* **Relayed** (``نقلت وكالة X عن مسؤول ...``, ``قالت الوكالة نقلاً عن مصادر ...``, ``قال: أظهر
  التقرير ...``): the innermost source, the one closest to the claim's origin.
* **Verb with an object** (``أظهرت صور الأقمار الصناعية قافلة ...``, ``كشف تقرير عن ...``): at
  the start of a clause, the subject noun phrase after the verb, up to a preposition, a comma
  or an accusative object. ``أعلن ... ترشحه`` (a performative) is the outlet's own report.
* **Source first** (``وزارة الدفاع أعلنت أن ...``, ``غير أن المهندس ... رأى أن``): the noun
  phrase between the clause start (or a connective) and the verb.
* **Prepositional** (``... وفقاً لوزارة الصحة``, ``بحسب ناشطين``, ``وفق ما أعلنه المتحدث``): the
  words after the preposition (and its relative verb) up to the next punctuation.
* **Carried over** (``وأضاف أن ...``, ``مضيفاً أن ...``, ``وتابع:``, ``وهو يعتقد أن``, ``كما أن
  ...``): no source named, so the previous claim's source and type are kept.
* **Impersonal** (``يُعتقد أن``, ``يُرجّح``, ``تردد``, ``يُشاع``, ``ورود أنباء عن``, ``قُدّر
  عدد``): ``unattributed``. Background formulas (``يذكر أن``) and the outlet's own hedges
  (``يبدو``, ``من المفترض``, ``ربما``) are ``self``; a sentence with no frame is ``self``.

The source type is decided by the head of the source noun phrase, read left to right against
word lists (``_LEXICON``), with the overrides of the guidelines: a withheld identity makes it
``anonymous``, a platform named in the source or the verb phrase makes it ``social_media``
(unless a video or image is itself the subject), a former office-holder is an ``expert``. A bare
name borrows the role words of its earlier mention in the article.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from marsad.actors.gazetteer import Gazetteer
from marsad.claims import attribution_en as english
from marsad.normalize import (
    arabic_letter_share,
    map_span,
    normalize,
    normalize_mapped,
    normalize_with_offsets,
)
from marsad.records import Span

COMPONENT = "claims.attribution.v3"
SOURCE_TYPES = {
    "official": "A person or body speaking in an institutional role: governments, ministries, "
    "armies, police, municipalities, central banks, courts, international organisations, "
    "federations, clubs and companies through their office-holders; unnamed officials "
    "described by role; the formula 'مصدر مسؤول بوزارة X'.",
    "media": "Another outlet, news agency or channel named as the source; 'وسائل إعلام'.",
    "expert": "Analysts, economists, academics, researchers, specialists and professional or "
    "scientific associations; former officials commenting as experts.",
    "witness_local": "First-hand, non-institutional people: eyewitnesses, residents, displaced "
    "people, victims and relatives, drivers, shopkeepers; players, coaches, candidates and "
    "private persons on their own experience; activists with no platform named.",
    "anonymous": "Deliberately unidentified sources: 'مصادر' with any qualifier, 'مصدر قضائي', "
    "an official who asked not to be named.",
    "document_or_image": "An artefact that is itself the evidence: reports, studies, surveys, "
    "statistics, estimates, leaked documents, photos, satellite images, footage, a video.",
    "social_media": "A post, tweet, account, page or channel on a social network, or users and "
    "activists posting there; the platform decides even for an official author.",
    "self": "The outlet's own voice: no attribution, background formulas, agentless passives, "
    "performative announcements, the outlet's own inference or observation.",
    "unattributed": "Hearsay or belief ascribed to no one: 'يُعتقد', 'يُرجّح', 'تردد', 'يُشاع', "
    "'أنباء عن', 'لا يُستبعد', 'ينتظر أن', 'قُدّر'.",
}


# How an attribution was found (``Attribution.pattern``, the ``pattern`` column of the export).
PATTERNS = {
    "none": "No frame: the outlet's own voice.",
    "verb_first": "A reporting verb, then its subject (قال الوزير إن ...).",
    "verb_object": "A verb with an object, its subject after it (أظهرت صور ... قافلة).",
    "source_first": "The subject, then the verb (الوزارة أعلنت أن ..., وكان X قد ذكر).",
    "relay": "A nested attribution: the innermost source (نقلت وكالة X عن مسؤول ...).",
    "according_to": "A preposition frame (وفقاً لـ، بحسب، نقلاً عن، جاء في).",
    "nominal": "A speech noun with its speaker (تصريح / اعتراف X بأن ...).",
    "colon": "A short noun phrase and a colon (مصادر محلية: ...).",
    "postposed": "A quotation, then its verb and speaker («...»، قال المتحدث).",
    "relative": "What someone said, then its content (ما أعلنه الوزير عن أن ...).",
    "carried_over": "A continuation of the speaker named before (وأضاف، مضيفاً).",
    "quote": "A sentence inside a quotation opened by an attributed claim.",
    "chained": "A statement chained on in the sentence of an attributed claim (قال إن ...، وعادت).",
    "impersonal": "An impersonal verb with its complementiser (يُعتقد أن، يُرجّح أن).",
    "hearsay": "Hearsay ascribed to no one (أنباء عن، قُدّر عدد).",
    "performative": "An announced act that is itself the event (أعلن ترشحه).",
    "own_observation": "The outlet's own observation (حسب ما رصدته).",
    "english": "An English sentence, read with the English word lists.",
    "tagged": "A source the learned tagger found where the rules found no frame.",
}


def _fold(words: str) -> str:
    """Regex alternation of space-separated words (``_`` joins a phrase), folded, longest first."""
    forms = {normalize(w.replace("_", " ")) for w in words.split()}
    return "|".join(sorted(forms, key=len, reverse=True))


def _conjugate(stems: str) -> str:
    """Past-tense stems with their feminine, plural and dual endings."""
    return " ".join(f"{s} {s}ت {s}وا {s}ا {s}تا" for s in stems.split())


# Reporting verbs. Regular past stems are conjugated; weak verbs and the imperfect are listed.
_PAST_STEMS = (
    "قال أكد أعلن أفاد ذكر أشار نقل اعترف كشف زعم أوضح أضاف صرح حذر اتهم أظهر لفت اعتبر "
    "أورد بث نشر تابع شدد رجح توقع أبلغ تداول كتب طالب وصف أرجع وجد رصد أقر نبه تحدث "
    "لاحظ أفصح أردف استطرد علق بين قدر أبان اختتم ختم طمأن وثق أجاب تساءل"
)
_VERBS = _fold(
    _conjugate(
        "قال أكد أعلن أفاد ذكر أشار نقل اعترف كشف زعم أوضح أضاف صرح حذر اتهم أظهر لفت اعتبر "
        "أورد بث نشر تابع شدد رجح توقع أبلغ تداول كتب طالب وصف أرجع وجد رصد أقر نبه تحدث "
        "لاحظ أفصح أردف استطرد علق بين قدر أبان اختتم ختم طمأن وثق أجاب تساءل"
    )
    + " يوثق توثق"
    + " مضى مضت مضوا زاد زادت"
    + " نفى نفت نفوا نفيا ادعى ادعت ادعوا روى روت رووا رأى رأت رأوا عزا عزت عزوا اشتكى "
    "اشتكت اشتكوا شكا شكت ذكروا قالوا "
    "يقول تقول يقولون يؤكد تؤكد يؤكدون يعلن تعلن يفيد تفيد يفيدون يذكر تذكر يذكرون يشير "
    "تشير يشيرون ينقل تنقل يكشف تكشف يزعم تزعم يزعمون ينفي تنفي ينفون يوضح توضح يضيف تضيف "
    "يحذر تحذر يحذرون يتهم تتهم يظهر تظهر يبين تبين يعتبر تعتبر يعتبرون يرى ترى "
    "يرون يتوقع تتوقع يتوقعون يعتقد تعتقد يعتقدون يرجح ترجح يعزو تعزو يرجع ترجع يروي تروي "
    "يخشى تخشى يخشون خشي خشيت  "
    "أبلغه أبلغها أبلغهم أبلغني أبلغنا أبلغته أبلغتها أبلغتهم يبلغ تبلغ "
    "يتحدث تتحدث يشتكي يشكو يقر تقر يصف تصف يجد تجد يلاحظ يرصد ترصد يقدر تقدر يكتب تكتب"
)
# Participles continuing the previous speaker (``مضيفاً أن``): the verb of their own claim.
_PARTICIPLE_STEMS = (
    "مضيف مشير مؤكد لافت موضح منوه متوقع معتبر مبين مشدد محذر واصف مرجح زاعم ناف متابع "
    "معلن كاشف مستدرك قائل"
)
_PARTICIPLES = _fold(
    " ".join(f"{s}اً {s}ة {s}ين" for s in _PARTICIPLE_STEMS.split()) + " نافياً نافية"
)
_VERB_FORMS = frozenset(_VERBS.split("|")) | frozenset(_PARTICIPLES.split("|"))
_TOKEN_RE = re.compile(r"[^\s\"(:،,]+")


@dataclass(frozen=True)
class _Verb:
    """A reporting verb in the folded claim: ``start`` includes a proclitic و/ف, ``at`` not."""

    start: int
    at: int
    end: int
    word: str


def _verbs(folded: str, start: int = 0, end: int | None = None) -> Iterator[_Verb]:
    """Reporting verbs between ``start`` and ``end``, as whole words (a set look-up per word)."""
    for token in _TOKEN_RE.finditer(folded, start, len(folded) if end is None else end):
        word = token.group()
        if word in _VERB_FORMS:
            at = token.start()
        elif word[0] in "وف" and word[1:] in _VERB_FORMS:
            at, word = token.start() + 1, word[1:]
        else:
            continue
        window = max(0, token.start() - BEFORE_VERB_WINDOW)  # the words just before it
        if _AFTER_NUMBER_RE.search(folded, window, token.start()):
            continue  # "201 طالب": a noun counted, not the verb طالب
        if _AFTER_PREPOSITION_RE.search(folded, window, token.start()):
            continue  # "بعد نشر نص على تويتر": a verbal noun after a preposition
        yield _Verb(token.start(), at, token.end(), word)


BEFORE_VERB_WINDOW = 24  # characters read before a verb form for a number or a preposition
_AFTER_NUMBER_RE = re.compile(r"\d[\d,.]*\s*-?\s*$")
_AFTER_PREPOSITION_RE = re.compile(
    r"(?:^|\s)(?:و|ف)?(?:بعد|قبل|عقب|اثر|خلال|عبر|لدي|في|عن|علي|الي|حول|دون)\s+$"
)
_PARTICIPLE_RE = re.compile(r"(?:" + _PARTICIPLES + r")$")
_PARTICIPLE_AFTER_RE = re.compile(r"[،,]\s*(?:" + _PARTICIPLES + r"|مشيرين|مؤكدين|موضحين)(?=\s)")
_COPULA_BEFORE_RE = re.compile(r"(?:^|\s)(?:و|ف)?(?:بدا|يبدو|بات|اصبح|ظل|كان|كانت)\s*$")
_AFTER_COMMA_RE = re.compile(r"[،,]\s*$")
# Carry-over verbs: continuing the previous speaker when no new one is named.
_CARRY_RE = re.compile(
    r"^(?:و|ف)?(?:"
    + _fold(_conjugate("أضاف تابع أشار لفت أوضح شدد أكد استطرد أردف بين نبه اختتم ختم أجاب"))
    + "|"
    + _fold("مضى مضت مضوا")
    + "|"
    + _PARTICIPLES
    + r")(?=[\s:،,\"]|$)"
)
# Verbs that take an object, so a subject may stand without a complementiser.
_OBJECT_VERBS = re.compile(
    r"(?:"
    + _fold(_conjugate("أظهر كشف أعلن نشر تداول بث وجد تحدث اشتكى أورد نقل توقع أرجع وثق"))
    + "|"
    + _fold(
        "نفى نفت نفوا ينفي تنفي ينفون يظهر تظهر يتداول يتوقع تتوقع يكشف تكشف عزا عزت يعزو "
        "يرجع ترجع يوثق توثق"
    )
    + r")$"
)
# Verbs with an object that also mean moving or finding things: no frame without a
# complementiser ("نقلت سيارات الإسعاف الجرحى", "وجدت فرق الإنقاذ جثثاً", "تحدث الرئيس أمام")
_MOVING_VERBS_RE = re.compile(r"(?:" + _fold(_conjugate("نقل وجد تحدث")) + r")")
_SHOWING_VERBS_RE = re.compile(r"(?:" + _fold(_conjugate("أظهر") + " يظهر تظهر") + r")")
_DEPLOYING_RE = re.compile(r"(?:" + _fold(_conjugate("نشر") + " ينشر تنشر") + r")")
_MATERIEL_RE = re.compile(
    r"\s+(?:نحو |قرابه |حوالي |اكثر من |الاف |مئات |عشرات |[\d,.]+ )*(?:ال)?(?:"
    + _fold(
        "جندي جنود جنديا قوات قواته قواتها عناصر عنصر منظومة منظومات صواريخ صاروخ دبابات "
        "مدرعات بطاريات سفن بوارج مقاتلين مقاتلات طائرات وحدات كتيبة كتائب تعزيزات قطع "
        "حواجز نقاط ألف آلاف"
    )
    + r")(?=\s|$|[،,.])"
)
# Verbs that, alone at a clause start with their complementiser, are impersonal or background.
_IMPERSONAL = re.compile(
    r"(?:"
    + _fold("يعتقد يرجح يتوقع ينتظر يفترض يقدر يقال يشاع تردد ترددت يتردد يشتبه يخشى")
    + r")$"
)
_BACKGROUND = re.compile(r"(?:" + _fold("يذكر يشار") + r")$")
_BACKGROUND_LEAD_RE = re.compile(
    r"(?:و|ف)?(?:يذكر|يشار|الجدير بالذكر|جدير بالذكر|تجدر الاشاره|يجدر ذكره)(?: الي)? ان"
)
_SPEECH_VERB_RE = re.compile(r"(?:" + _fold(_conjugate("قال") + " يقول تقول يقولون") + r")$")
_DENIAL_RE = re.compile(r"(?:" + _fold("نفى نفت نفوا ينفي تنفي ينفون") + r")$")
# Verbs whose content may follow a preposition instead of أن ("حذر الخبير من تلوث ...").
_PREPOSITIONAL_COMP = (
    (re.compile(r"(?:ي|ت)?حذر(?:ت|وا|ون|ا)?$"), re.compile(r"\sمن\s")),
    (re.compile(r"(?:اشار|لفت|يشير|تشير|يلفت|تلفت)(?:ت|وا|ون|ا)?$"), re.compile(r"\sالي\s")),
    (  # "أفاد المرصد عن مقتل", "كشف التقرير عن"
        re.compile(r"(?:افاد|كشف|تحدث|اعلن|يفيد|تفيد|يكشف|تكشف|يتحدث|تتحدث)(?:ت|وا|ون|ا)?$"),
        re.compile(r"\sعن\s"),
    ),
    (  # "اتهمت المعارضة الحكومة بتزوير الانتخابات": the accuser, then the accused
        re.compile(r"اتهم(?:ت|وا|ا)?$"),  # past only: "يُتهم X بـ" is as often passive
        re.compile(r"\sب(?=[^\s\"]{3})"),
    ),
    (  # "أفاد المرصد بمقتل", "وأفادت وكالة ... للأنباء بانتشار": ب with the reported event
        re.compile(r"(?:افاد|يفيد|تفيد)(?:ت|وا|ون|ا)?$"),
        re.compile(r"(?<!وكاله)(?<!صحيفه)(?<!موقع)(?<!قناه)(?<!مراسل)\sب(?=[^\s\"]{3})"),
    ),
)
_NOT_A_FRAME_BEFORE = re.compile(
    r"(?:^|\s)(?:" + _fold("أن لم لن لا كي لكي حتى الذي التي الذين ما") + r")\s*$"
)
_PRONOUN_SUBJECT_RE = re.compile(
    r"(?:^|\s)(?:و|ف)?(?:هو|هي|هم|هما|لكنه|لكنها|لكنهم|بل انه|الا انه|غير انه)\s*$"
)
# Complementisers: أن / إن / بأن (with pronoun suffixes), قوله, a colon, a long quotation.
_COMP_RE = re.compile(
    r"(?<!\sسي)(?<!\sسي\sان)"  # "سي إن إن" (CNN) is a name
    r"\s(?:(?:ب|ف|و)?ان|الي ان|علي ان|من ان)(?:ه|ها|هم|هما|هن|نا|ني)?(?=\s)|\s(?:ب)?الا(?=\s[يت])"
    r"|\s(?:قوله|قولها|قولهم|قولهما)(?=[\s:])|\s?:|\s?\"(?!\s*(?:[.!?؟،,]|$))|\s(?:فان|فانه|فانها)(?=\s)"
)
MAX_SOURCE_WORDS = 16  # verb-first: source words between the verb and the complementiser
MAX_SV_WORDS = 12  # source-first: source words before the verb
MAX_FRAME_WORDS = (
    40  # verb first: words to the complementiser when a circumstantial cuts the source
)
MAX_LONG_SOURCE_WORDS = 16  # long frame: the source before its first circumstantial phrase
MAX_SUBJECT_WORDS = 6  # subject of a verb with an object
PERFORMATIVE_WINDOW = 40  # characters after the subject where the announced act is looked for
SHORT_QUOTE_WORDS = 3  # a quotation this short is a name (``وأضاف "السهلي":``)
QUOTED_NAME_WORDS = 6  # ... and one this short when the source goes on after it
_NAME_GOES_ON_RE = re.compile(r"\s*(?P<word>[\u0621-\u064A]+)")
NAME_LOOKBACK_CHARS = 3000  # where a bare name's earlier mention is looked for
NAME_WINDOW_WORDS = 5  # words either side of that mention read for role words
# A circumstantial phrase ending a source: time, occasion, addressee.
_DAYS = "السبت الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة"
_CIRCUMSTANTIAL_RE = re.compile(
    r"\s(?:(?:في|خلال|اثناء|عبر)\s(?:"
    + _fold(
        "بيان بيانه بيانها مؤتمر تصريح تصريحات تصريحه تصريحها حديث حديثه حديثها مقابلة لقاء "
        "كلمة كلمته خطاب اتصال ندوة جلسة اجتماع برنامج الحلقة ختام افتتاح عام وقت رد ردّه "
        "سياق إطار تعليق المباراة حوار مداخلة وقت_سابق وقت_لاحق تقرير تقريرها تقريره مقال "
        "دراسة دراستها دراسته تسجيل شريط رسالة رسالته "
        "مقالة افتتاحيتها عددها أحدث آخر"
    )
    + r")\b|(?:"
    + _fold("عقب خلال أثناء أمام لدى بعد قبل منذ")
    + r")\s|(?:"
    + _fold(
        "اليوم أمس مساء صباح ظهر فجر ليل ليلة أول_من_أمس يوم سابقاً لاحقاً مؤخراً أيضاً "
        "كذلك مجدداً أخيراً بدوره بدورها مراراً أكثر_من_مرة مرة_أخرى النقاب الستار " + _DAYS
    )
    + r")\b|\(\s?(?:"
    + _fold("اليوم " + _DAYS)
    + r")|(?:"
    + _fold("الأسبوع الشهر العام")
    + r")\s(?:الماضي|المقبل|الجاري)|ل\"|لل?(?:"
    + _fold(
        "صحفيين صحافة صحيفة وكالة قناة موقع تلفزيون إذاعة شبكة مجلة جريدة جزيرة ميادين "
        "مراسل مراسلنا مراسلي مراسلة "
        "منار شرق_الأوسط مسيرة سبوتنيك روسيا_اليوم فرانس_24 فرانس_برس رويترز أناضول سانا "
        "عنب_بلدي بي_بي_سي سي_إن_إن إرنا تسنيم"
    )
    + r")|(?:لي|لنا|له|لها|لهم)\b|بالقول\b|(?:الذي|التي|الذين) (?:قال|قالت|قالوا|اكد|اكدت|اكدوا|"
    r"اضاف|اضافت|اوضح|اوضحت|اشار|اشارت|يقول|تقول|يوكد|توكد)\b|في اشاره\b|"
    # "وأكد الوزير، حسبما نقلت وكالة ...، أن": the agency relays him
    r"(?<=[،,] )(?:و)?(?:بحسب|حسب|وفق|وفقا|طبقا)(?:\s?ما)?\s|"
    r"(?:و|ف)(?:هو|هي)\s(?=[يت]\S{2,})" + r"|ل\s?[-–]\s?[\"«(]|ل[«(])"
)
_PLATFORM_WORDS = (
    "تغريدة تغريدات تويتر فيسبوك فيس_بوك تلغرام تليغرام تيليغرام إنستغرام انستجرام يوتيوب "
    "تيك_توك سناب_شات واتساب منصة منصات مواقع_التواصل وسائل_التواصل شبكات_التواصل "
    "موقع_التواصل حسابه حسابها حسابهم حساب صفحته صفحتها منشور منشورا وسم هاشتاغ إكس"
)
_PLATFORM = _fold(_PLATFORM_WORDS)
_PLATFORM_RE = re.compile(r"(?:^|[\s\"])(?:و|ب|ل|ف)?(?:ال)?(?:" + _PLATFORM + r")(?=[\s\"،,.:]|$)")
_PREPOSITION_RE = re.compile(r"(?:في|عبر|علي|عن|من|الي|منذ|خلال|بعد|قبل|لدي|امام|ما|بين)$")
_SUBJECT_STOP_RE = re.compile(
    r"(?:عن|علي|الي|من|منذ|خلال|بعد|قبل|ان|بان|ايضا|اليوم|امس|في|ل|ل-|ما|امام|"
    + _fold(
        "نبأ نبأً تفاصيل صورة صوراً صور مقطع مقطعاً فيديو خبر خبراً بياناً مقتل اعتقال وفاة "
        "ارتفاع انخفاض تراجع وجود استمرار سعي حجم نسبة عدد تشكيل تأسيس إنشاء إطلاق إغلاق "
        "تعليق وقف فرض حظر منع استقالة استقالته انسحاب"
    )
    + r")$|\S{2,}ا$"  # an accusative object (``مقطعاً``, ``شاباً``)
    # what is denied or confirmed: "نفى الكرملين التقارير عن", "أكد الجيش صحة الأنباء"
    r"|(?:ال)?(?:" + _fold("تقارير انباء شائعات اشاعات معلومات اتهامات مزاعم ادعاءات عناصر") + r")$"
)
_PERFORMATIVE_RE = re.compile(
    r"(?:^|\s)(?:عن\s)?(?:"
    + _fold(
        "ترشحه ترشحها ترشيحه ترشيحها استقالته استقالتها استقالة انسحابه انسحابها اعتزاله "
        "تنحيه الحداد حالة_الطوارئ قرار قرارا قراره قرارها حظر منع فرض تعليق إغلاق وقف "
        "إطلاق تشكيل تأسيس إنشاء"
    )
    + r")"
)
_LEAD_CONNECTIVE_RE = re.compile(
    r"(?:(?:و|ف)?(?:لقد|اما|فيما|بينما|من جهتهم|من جهتها|من جهته|من جانبهم|من جانبها|من جانبه|"
    r"من جهه ثانيه|من جهه اخري|في المقابل|لكن|كما|غير ان|الا ان|حول [^ ]+ [^ ]+|"
    r"في هذا السياق|في سياق متصل|الي ذلك|بدورهم|بدورها|بدوره|كانوا|كانت|كان|حيث|اذ|"
    r"من المفترض ان|يبدو ان|ربما|كذلك|لذلك|ايضا|قبل ذلك|بعد ذلك|في حين|في وقت لاحق|"
    r"في وقت سابق|علي صعيد (?:اخر|متصل)|في السياق ذاته|في السياق نفسه|بالمقابل|"
    r"علاوه علي ذلك|فضلا عن ذلك|من جانب اخر|وفي سياق [^ ]+ [^ ]+|علي صعيد [^،,.:]{1,40}[،,])"
    r"(?=[\s،,]|$)[\s،,]*)+"
)
_SV_BOUNDARY_RE = re.compile(
    r".*(?:[.؛;!?؟]|(?:^|[\s،,])(?:و|ف)?(?:لكن|لكنه|لكنها|لكنهم|غير ان|الا ان|بينما|فيما|حيث|"
    r"اذ|ثم|بل|بعدما|عندما|كما)(?=\s)|(?:^|[\s،,])(?<!سي )(?<!سي ان )(?:و|ف)?(?:ان|انه)(?=\s))\s*",
    re.S,
)
# "وكانت صحيفة ... قد نشرت", "أن روسيا كانت قد أعلنت"
_TOPIC_RE = re.compile(r"(?:^|\s)(?:و)?اما (?P<topic>[^.؛;:!?؟]+?)[\s،,]*$")
_AUX_RE = re.compile(
    r"(?:\s+(?:كان|كانت|كانوا))?\s+ف?قد\s*$|\s+(?:كان|كانت|كانوا)\s*$|[\s،,]+فان?\s*$"
)
# A phrase set off after a source-first subject: "وزارة الدفاع، من جهتها، أكدت", "X، في مؤتمر"
_SET_OFF_TAIL_RE = re.compile(
    r"\s*[،,]?\s+(?:من )?(?:جهته|جهتها|جهتهم|جانبه|جانبها|جانبهم)[\s،,]*$|"
    r"\s+(?:بدوره|بدورها|بدورهم)[\s،,]*$|"
    r"\s*[،,]\s*(?:(?:من )?(?:جهته|جهتها|جهتهم|جانبه|جانبها|جانبهم)|بدوره|بدورها|بدورهم|"
    r"(?:في|خلال|اثناء|عبر|امام|عقب) [^،,]+|امس|اليوم|مساء [^،,]+|صباح [^،,]+)[\s،,]*$"
)
# Nested attribution inside a verb-first source: the innermost source follows it.
# ("فضل عدم الكشف عن اسمه" is an apposition of anonymity, not a relay)
_RELAY_RE = re.compile(
    r"(?:^|\s)(?<!الكشف)(?<!ذكر)(?<!الافصاح)(?P<verb>نقلا عن|علي لسان|عن)\s(?!هويت|اسم)"
)
_RELAY_VERB_RE = re.compile(r"نقل|نقلت|نقلوا|ينقل|تنقل|روي|روت|اورد|اوردت|يورد|تورد")
_PLATFORM_LEAD_RE = re.compile(r"(?:و|ف)?(?:في|عبر)\s[^.؛;:!?؟]{0,80}$")
# Past verbs that open the reported event after an according-to phrase with no comma.
_EVENT_VERB_RE = re.compile(
    r"\s(?:و)?(?:"
    + _fold(
        _conjugate(
            "قتل أصيب سقط بلغ ارتفع وصل تجاوز شهد نفذ سيطر اعتقل دخل انسحب تراجع انخفض تعرض "
            "استهدف شن قصف أطلق تمكن فر تقدم استعاد"
        )
        + " تم جرى بات يبلغ تبلغ يصل تصل يتجاوز تتجاوز يوجد توجد هناك"
    )
    + r")(?=\s)"
)
MAX_PREP_NO_COMMA_WORDS = 5
_OWN_WORDS_RE = re.compile(
    r"(?:حد )?(?:قوله|قولها|قولهم|تعبيره|تعبيرها|تعبيرهم|وصفه|وصفها|وصفهم|روايته|روايتها|"
    r"زعمه|زعمها)"
)
_VISUAL_RE = re.compile(r"(?:ال)?(?:مقطع|صور|صوره|فيديو|تسجيل|شريط|لقطات|مشاهد)\s")
_HONORIFIC_RE = re.compile(
    r"(?:صاحب )?(?:سموه|سموها|معاليه|معاليها|سعادته|سعادتها|فخامته|دولته|سماحته|نيافته|غبطته)"
)
_ACCUSE_RE = re.compile(r"(?:اتهم|وصف|ابلغ)(?:ت|وا|ا)?(?:ه|ها|هم|ني|نا)?")
_DESCRIBE_RE = re.compile(r"(?:اتهم|وصف)(?:ت|وا|ا)?")
_OUR_REPORTER_RE = re.compile(
    r"(?<![^\s])(?:مراسل|مراسله|مراسلو|مراسلي|مندوب|موفد|محرر)(?:نا)(?=\s|$)"
)
_ENVOY_RE = re.compile(r"(?:سفير|سفيره|مندوب|مندوبه|ممثل|ممثله|ملحق|قنصل)")
_LEAD_ADDRESSEE_RE = re.compile(r"\s*(?:لي|لنا|له|لها|لهم|فيه|فيها|خلاله|خلالها)(?:\s+|$)")
_NESTED_RELAY_RE = re.compile(r"\s(نقلا\s)?عن\s+(?!هويت|اسم)")
_RELAY_AFTER_RE = re.compile(r"[\s،,]*عن\s+(?!هويت|اسم)")
_PREP_RE = re.compile(
    r"(?:^|(?<=[\s\"(]))[وف]?(?P<verb>(?:(?:وفقا|طبقا) ل|(?:بحسب|حسب|وفق)\s?)"
    r"ما\s(?:(?:جاء|ورد) في|\S+(?:\s(?:به|بها|اليه|اليها|عنه|عنها))?)|"
    r"علي ما (?:يقول|تقول|يقولون|(?:قال|افاد|ذكر|اورد|نقل|اكد)(?:ت|وا)?(?:ه|ته)?)"
    r"(?:\s(?:به|بها|عنه|عنها))?|"
    r"(?:وفقا|طبقا) ل|(?:بحسب|حسب|وفق)(?=\s)|"
    r"نقلا عن|استنادا (?:الي|ل)(?:\s?ما (?:ورد|جاء) في)?|علي لسان|"
    r"علي حد (?:قول|تعبير|وصف)(?=\s)|كما جاء في|جاء في)\s*"
)
_PREP_STOP_RE = re.compile(
    r"[،,.؛;:!?؟\n]|\s[\"«]|\s(?:ان|بان|فان|فانه|فانها|فقد|الي ان|انه|انها)(?=\s|$)"
)
_OWN_OBSERVATION_RE = re.compile(r"ما (?:رصدته|رصده|شاهدته|عاينته|لاحظته)")
# Impersonal hearsay anywhere in a clause.
_HEARSAY_RE = re.compile(
    r"(?P<verb>(?:ورود |وسط |تحدثت |تفيد |وتحدثت |(?:^|(?<=\s))(?:و|ف)?(?:ال)?)انباء"
    r"(?: غير موكده| متضاربه)? (?:عن|تفيد|بان|ب)|"
    r"(?:(?:و|ف)?(?:انتشرت|تنتشر|سرت|راجت|تروج|ترددت|تتردد|وسط|تداولت|تتداول) )?"
    r"(?:شايعات|اشاعات|شايعه|اشاعه|اقاويل)(?: \S+)? (?:عن|تفيد|بان|ب|حول)|"
    r"(?:^|(?<=[\s،,]))(?:و|ف)?(?:هناك|ثمه) من (?:يقول|يري|يعتقد|يزعم|يوكد)(?= )|"
    # bare reports naming no outlet: "وردت تقارير عن", "التقارير التي تحدثت عن", "تقول تقارير"
    r"(?:(?:و|ف)?(?:لم )?(?:وردت|ترد|ترددت|تحدثت|تفيد|تشير|تقول|انتشار|وسط|تواترت) )?"
    r"(?:ال)?تقارير(?: (?:اخري|عديده|متطابقه|اوليه|غير موكده|متضاربه))?"
    r"(?: (?:التي )?(?:تحدثت|تفيد|تشير|تقول|تحدث|افادت|اشارت))? (?:عن|مفادها|بان|ان|الي)(?= )|"
    r"(?:و|ف)?(?:تفيد|تشير|تقول|توكد) (?:ال)?انباء (?:الوارده|المتواتره)|"
    r"(?:^|(?<=[\s،,]))(?:و|ف)?(?:قدر|قدرت|يقدر|تقدر) (?=(?:عدد|حجم|قيمه|كلفه|تكلفه|اعداد|"
    r"نسبه|الخساير|الاضرار))|"
    r"(?:^|(?<=[،,:]\s)|(?<=[،,:])|(?<=\s)(?=و|ف))(?:و|ف)?(?:لا )?(?:"
    + _fold(
        "يعتقد يرجح يتوقع ينتظر يفترض يقدر يقال قيل يشاع تردد ترددت يتردد يستبعد يشتبه يخشى "
        "من_غير_المستبعد"
    )
    + r")(?: علي نطاق واسع| في)? (?=ان|بان|انه|انها|انهم)|"
    r"(?:^|(?<=[\s،,]))(?:و|ف)?(?:من المرجح|من المتوقع|من المنتظر|ي ?نظر علي نطاق واسع الي)(?= )|"
    # information naming no one: "وتشير المعلومات إلى أن", "تفيد معلومات أولية بأن"
    r"(?:^|(?<=[\s،,]))(?:و|ف)?(?:تشير|تفيد|تقول|توكد|افادت|اشارت) (?:ال)?معلومات"
    r"(?: (?:ال)?(?:متوفره|متوافره|اوليه|متاحه|وارده|متواتره))? (?:الي|بان|ان)(?= ))"
)
_HEDGES = re.compile(
    r"(?:^|(?<=[\s\"(]))(?:و|ف)?(?:يعتقد|يعتقدون|تعتقد|يبدو|ما بدا|من المفترض|من المرجح|يرجح|ربما|"
    r"رجح|رجحت|رجحوا|ترجح|من المتوقع|من المنتظر|من غير المستبعد|يخشي|تخشي|يخشون|"
    r"تردد|ترددت|يتردد|انباء|يشاع|يقال|قيل|لم يتسن|غير موكد|غير موكده|محتمل|يحتمل|"
    r"من المحتمل|علي الارجح|مرشحه ل|مرشح ل|يتوقع|تتوقع|يتوقعون|توقع|توقعت|متوقعا|متوقعه|"
    r"لا يستبعد|لا تستبعد|يشتبه (?:ان|بان|بانه|بانهم|انهم)|يزعم|زعم|زعمت)(?=[\s\"،,.]|$)"
    r"|(?<!كان )(?<!كانت )(?<!كانوا )(?:^|(?<=\s))(?:و|ف)?قد (?=[يتنا])"
)
_URL_RE = re.compile(r"https?://\S+|t\.me/\S+")
# Substrings without which a pattern cannot match: a cheap gate before the regular expression.
_HEARSAY_KEYS = ("انباء", "قدر", "يعتقد", "يرجح", "يتوقع", "ينتظر", "يفترض", "يقال", "قيل",
                 "يشاع", "تردد", "يستبعد", "يشتبه", "شايع", "اشاع", "اقاويل", "هناك من",
                 "ثمه من", "مرجح", "نطاق واسع", "تقارير", "المتوقع", "المنتظر",
                 "معلومات", "يخشي", "المستبعد")  # fmt: skip
_HEDGE_KEYS = ("عتقد", "بدو", "بدا", "مفترض", "رجح", "ربما", "تردد", "انباء", "يشاع", "يقال",
               "قيل", "يتسن", "موكد", "حتمل", "ارجح", "مرشح", "توقع", "ستبعد", "يشتبه", "زعم",
               "قد ", "منتظر", "خشي")  # fmt: skip
_PREP_KEYS = ("حسب", "وفق", "طبقا", "نقلا", "استنادا", "لسان", "جاء في", "علي ما", "علي حد")


# Characters that ar-norm-v1 deletes (diacritics, tatweel, invisible marks): when a claim only
# loses these, a folded offset maps back by counting the deletions before it.
_REMOVED_RE = re.compile(
    "["
    + "".join(
        re.escape(chr(c))
        for c in [
            *range(0x0600, 0x0700),
            *range(0x08D3, 0x0900),
            *range(0x200B, 0x2070),
            0xAD,
            0xFEFF,
        ]
        if normalize(chr(c)) == ""
    )
    + "]"
)


def _unfold(removed: list[int], position: int) -> int:
    """Index in the original claim of ``position`` in the folded claim (deletions only)."""
    for index in removed:
        if index <= position:
            position += 1
        else:
            break
    return position


def _gate(folded: str, keys: tuple[str, ...]) -> bool:
    return any(key in folded for key in keys)


# Source-type word lists: the first word of a source (clitics ``و ب ل ف`` and ``ال``
# removed) that is listed gives the type; unlisted words (names, بيان) defer to the next one.
_LEXICON: tuple[tuple[str, str], ...] = (
    ("anonymous", "مصدر مصادر"),
    ("social_media", "مغرد مغردون مغردين مدون مدونون مستخدم مستخدمون مستخدمين " + _PLATFORM_WORDS),
    ("activist", "ناشط ناشطة ناشطون ناشطين نشطاء"),
    (
        "document_or_image",
        "صورة صور فيديو مقطع مقاطع تسجيل تسجيلات شريط أشرطة لقطات كاميرا كاميرات وثيقة وثائق تقرير "
        "تقارير دراسة دراسات بحث بحثاً أبحاث بيانات إحصاء إحصائية إحصائيات أرقام معطيات مسح "
        "استطلاع خريطة خرائط رسالة رسائل الأقمار أقمار تقديرات تقدير تحليل نتائج سجلات مذكرة "
        "محضر مستند مستندات تسريبات برقية برقيات تحقيق تحقيقات توقعات تقييم تقييمات",
    ),
    # the opposition as a body (before the opponent, a person); honorifics (before صاحب, owner)
    (
        "official",
        "معارضة صاحب_السمو صاحبة_السمو صاحب_المعالي صاحب_الفخامة صاحب_الجلالة صاحب_السعادة",
    ),
    (
        "witness_local",
        "معارض معارضون معارضين "
        "شاهد شهود عيان سكان ساكن أهالي أهل مواطن مواطنون مواطنين نازح نازحون نازحين لاجئ "
        "لاجئون لاجئين مزارع مزارعون سائق سائقو سائقين صاحب أصحاب تاجر تجار بائع باعة ضحية "
        "ضحايا ناج ناجون ناجين جريح جرحى أقارب ذوو ذوي عائلة عائلات أسرة والد والدة ابن ابنة "
        "نجل شقيق شقيقة حفيد زوج زوجة جيران عامل عمال لاعب لاعبو لاعبون مدرب حارس مهاجم "
        "مدافع نجم فنان فنانة مطرب مطربة مغني الممثل الممثلة مرشح المرشح ملياردير متظاهر "
        "متظاهرون محتج محتجون معتقل أسير مسافر مسافرون ركاب راكب طالب طلاب قبلية قبليون "
        "وجهاء عشائر شيخ سيدة امرأة نساء رجل رجال شاب شبان فتاة طفل أطفال خال عم جد جدة "
        "متعامل متعاملون متعاملين مختار معلم معلمة موظف موظفة موظفون ربة أمهات الأمهات "
        "قروي قرويون قرويين مدنيون مدنيين مسعف مسعفون مسعفين محامي محامية محامو المرأة",
    ),
    # a body's press office or centre speaks for the body (before "إعلام", the media)
    ("official", "مكتب_الإعلامي مركز_الإعلامي مكتب_إعلامي مركز_إعلامي"),
    (
        "media",
        "وكالة الوكالة صحيفة الصحيفة صحف جريدة قناة القناة تلفزيون التلفزيون إذاعة مجلة شبكة "
        "جناح_الإعلامي خلية_الإعلامية الإعلام_الحربي موقع وسائل_إعلام وسائل_الإعلام إعلام "
        "مراسل مراسلو رويترز فرانس_برس "
        "أسوشيتد_برس أسوشييتد_برس بلومبرغ سانا واس الأناضول",
    ),
    (
        "expert",
        "خبير خبيرة خبراء محلل محللة محللون محللين أستاذ أستاذة باحث باحثة باحثون أكاديمي "
        "أكاديمية الأكاديمة اقتصادي اقتصاديون مختص مختصو مختصي مختصون اختصاصي اختصاصية أخصائي "
        "طبيب طبيبة أطباء جمعية نقابة معهد جامعة علماء مراقبون مراقبين مؤلف مؤلفو مؤلفي معدو "
        "معدي واضعو كاتب كاتبة مفكر متخصص متخصصة متخصصون متخصصين مؤرخ مؤرخة مؤرخون "
        "مستشرق مستشرقة مستشرقون باحثو خبيرا محللو "
        "استشاري استشارية عالم_الاجتماع عالم_الآثار عالم_النفس عالم_الاقتصاد عالم_الفيزياء",
    ),
    (
        "official",
        "وزير وزيرة وزراء وزارة رئيس رئيسة رئاسة حكومة الحكومة متحدث متحدثة المتحدث "
        "المتحدثة ناطق ناطقة جيش قوات شرطة الشرطة أمن أجهزة مديرية مدير مديرة هيئة مجلس "
        "منظمة الأمم_المتحدة سفير سفارة محافظ محافظة أمير إمارة ملك ولي_العهد قائد قادة بلدية "
        "أمانة البيت_الأبيض البنتاغون الخارجية الداخلية الدفاع التحالف مكتب سلطات مسؤول "
        "مسؤولة مسؤولون مسؤولين مسئول مسئولون مسئولين نائب لجنة إدارة قيادة قيادات أمين دائرة "
        "مفوضية محكمة نيابة برلمان البرلمان كونغرس الكونغرس نادي النادي اتحاد الاتحاد شركة "
        "الشركة بنك مصرف البنك مستشفى عميد لواء عقيد العقيد العميد اللواء نقيب ضابط مندوب "
        "ممثل وكيل عضو حزب حركة مرصد المرصد جنرال دبلوماسي دبلوماسيون دبلوماسيين "
        "الدفاع_المدني الهلال_الأحمر الصليب_الأحمر "
        "الرئاسة المجلس الهيئة الوزارة الجيش الأمانة المديرية المحكمة",
    ),
)
# Whose report it is, when an outlet's ("تقرير لصحيفة الغارديان", "تقرير إخباري").
_OUTLET_OWNER_RE = re.compile(
    r"(?:^|\s)(?:ل|لل)?(?:ال)?(?:"
    + _fold(
        "صحيفة جريدة قناة موقع مجلة تلفزيون إذاعة شبكة إخباري إخبارية رويترز الأناضول سانا "
        "صحفي صحفية صحافي صحافية إعلامي إعلامية"
    )
    + r")(?=[\s\"«]|$)|وكاله (?:ال)?انباء|فرانس برس|اسوشيتد برس"
)
_TITLES = re.compile(r"(?:ال)?(?:دكتور|دكتوره|مهندس|مهندسه)$")
_ANONYMOUS_RE = re.compile(
    r"(?:طلب|طلبت|طلبوا|فضل|فضلت|فضلوا|رفض|رفضت|رفضوا|اشترط|اشترطت)\s(?:عدم|الكشف)|"
    r"(?:^|\s)(?:ال)?مطلع(?:ه|ون|ين)?(?=\s|$)|هويته|هويتها|هويتهم|"
    r"(?:بشرط|شريطه|شرط) (?:عدم|الا)"
)
_OFFICIAL_SOURCE_RE = re.compile(r"^(?:ال)?مصدر (?:ال)?(?:مسوول|مسيول)\s(?:ب|في|لدي)")
_FORMER_RE = re.compile(r"(?:^|\s)(?:ال)?(?:سابق|اسبق|متقاعد)(?:ه|ون|ين)?(?=\s|$)")
# "عميد كلية الاقتصاد", "رئيس قسم العلوم السياسية": an academic post speaks from expertise
_ACADEMIC_POST_RE = re.compile(
    r"^(?:و|ف)?(?:ال)?(?:عميد|رييس|مدير|نايب رييس|نايب عميد) (?:ال)?(?:كليه|قسم)(?=\s)"
)
_TEAM_CAPTAIN_RE = re.compile(normalize("قائد") + r" (?:ال)?(?:منتخب|فريق|نادي)")
_RIGHTS_BODY_RE = re.compile(r"(?:^|\s)(?:ل|و)?(?:ال)?حقوق (?:ال)?انسان(?=\s|$)")
_EXPERT_BODY_RE = re.compile(r"جمعي|نقاب|معهد|جامع")
_PRESS_OFFICE_RE = re.compile(
    r"(?:^|\s)(?:ال)?(?:مكتب|مركز|مديريه|دايره|قسم)\s(?:ال)?(?:اعلامي|اعلام)(?:\s|$)"
)
_GOVERNMENT_OWNER_RE = re.compile(
    r"\s*(?:ل|لل|في |ب)?(?:ال)?(?:حكومه|رياسه|رييس|وزاره|وزير|مجلس الوزراء|الديوان|ديوان|"
    r"محافظ|سفاره|امانه|بلديه|الامم|منظمه)"
)
_THINK_TANK_RE = re.compile(r"(?:^|\s)(?:لل|ال)?(?:دراسات|ابحاث|بحوث)(?=\s|$)")
_SPECIALIST_RE = re.compile(r"(?:^|\s)(?:ال)?(?:متخصص|مختص|خبير|محلل)(?:ه)?(?=\s|$)")
_NEWS_SOURCES_RE = re.compile(
    r"(?:و|ف|ب|ل)?(?:ال)?(?:مصادر|مصدر) (?:ال)?(?:اخباريه|اعلاميه|صحفيه|صحافيه|اخباري|اعلامي)"
)
_STATEMENT_OWNER_RE = re.compile(
    r"(?:و|ب)?(?:ال)?(?:بيان|بيانا|رساله|خطاب|كلمه|تصريح|تصريحات)(?: (?:رسمي|مكتوب|مقتضب|مصور))?"
    r" (?:(?:ال)?صادره? (?:عن|من) |من )?"
    r"(?P<owner>(?:ال|لل|ل)[^\s\"«]\S*(?: (?!الذي|التي|بثته|نشرته|اوردته|نقلته|تلقته)\S+){0,4})"
)
# "قالت المنظمة في تقرير إن", "وفي دراسة له، أشار البنك إلى": a body speaking through a
# report, study or survey (GUIDELINES rule 2: the artefact is the evidence)
_IN_REPORT_RE = re.compile(
    r"(?:^|\s)(?:و|ف)?(?:في|ضمن|عبر)\s(?:(?:احدث|اخر|احد|اول)\s)?(?:ال)?(?:"
    + _fold("تقرير تقارير دراسة دراسات مسح إحصائية إحصاءات تقديرات بحث أبحاث ورقة_بحثية")
    + r")(?:ه|ها|هم|يه)?(?=[\s،,.:]|$)"
)
_SPEAKS_THROUGH = frozenset({"official", "expert"})
# a letter or statement the outlet obtained is a document, whoever wrote it
_OBTAINED_RE = re.compile(r"اطلع|حصل|مسرب|نسخه")
_POSTING_VERB_RE = re.compile(r"تداول|نشر|بث|غرد|كتب")


@dataclass(frozen=True)
class Attribution:
    source: str | None
    source_span: Span | None  # offsets into the article text
    verb: str | None
    verb_span: Span | None
    source_type: str
    hedged: bool
    carried_over: bool = False
    cited_links: list[str] = field(default_factory=list)
    pattern: str = "none"  # which frame gave it (PATTERNS); shown in the export
    type_basis: str = ""  # what decided the type: "lexicon: <word>", "context: <word>", ...
    # who a continuation after this claim goes on quoting, when not its source: the relaying
    # speaker of "قال مسؤول إن واشنطن تعتقد أن ..." (then "وأضاف" is the official again)
    speaker: Attribution | None = field(default=None, compare=False, repr=False)
    # who relayed the source (نقلت وكالة X عن Y: X), remembered for continuations that agree
    # with it and not with the source ("وأضافت" after "نقلت الوكالة عن مسؤول")
    relayer: Attribution | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class _Frame:
    """An attribution frame found in the folded claim (local offsets)."""

    source: tuple[int, int] | None
    verb: tuple[int, int] | None
    kind: str | None = None  # forced type (self, unattributed); None: typed from the source
    frame: tuple[int, int] | None = None  # verb phrase read for platform words
    carried: bool = False
    how: str = "verb_first"  # the pattern (PATTERNS)
    outer: _Frame | None = None  # the frame whose content this one opens (relays)
    channel: tuple[int, int] | None = None  # who relays the source (نقلت وكالة X عن Y: X)


_TYPE_WORD_RE = re.compile(
    r"(?:|و|ب|ل|ف)(?:|ال|ل)(?:"
    + "|".join(f"(?P<{kind}{k}>{_fold(words)})" for k, (kind, words) in enumerate(_LEXICON))
    + r")(?:ه|ها|هم|ات|ون|ين|ي|يه|يون|يين|ا)?(?=[\s\"،,.)]|$)"
)
_WORD_START_RE = re.compile(r"(?:^|(?<=[\s\"(]))\S")


def _head_type(folded: str) -> str | None:
    """Type of the first listed word of a folded noun phrase (``activist`` undecided)."""
    return _head(folded)[0]


def _head(folded: str) -> tuple[str | None, str]:
    """``_head_type`` with the word that decided it."""
    titled = ""
    for start in _WORD_START_RE.finditer(folded):
        found = _TYPE_WORD_RE.match(folded, start.start())
        if found and found.lastgroup:
            return found.lastgroup.rstrip("0123456789"), found.group().strip()
        word = folded[start.start() :].split(maxsplit=1)[0]
        titled = titled or (word if _TITLES.match(word) else "")
    return ("expert", titled) if titled else (None, "")


def _type_from_context(name: str, context: str) -> str | None:
    """Role words near the last earlier mention of a bare name (``فينجر`` <- ``فينجر مدرب``)."""
    words = name.split()
    if not words or len(words) > MAX_SUBJECT_WORDS // 2:
        return None
    last = re.escape(words[-1].strip('"()'))
    if len(last) < 3:
        return None
    mentions = list(re.finditer(r"(?:^|(?<=[\s\"]))" + last + r"(?=[\s\"،,.]|$)", context))
    if not mentions:
        return None
    for mention in mentions:  # the first mention that says who it is (it introduces them)
        after = _marked_words(context[mention.end() : mention.end() + 200])[:NAME_WINDOW_WORDS]
        before = _marked_words(context[max(0, mention.start() - 200) : mention.start()])
        before = before[-NAME_WINDOW_WORDS:]
        found = _nearest_type(before) or _head_type(" ".join(after))
        if found == "media":
            continue  # an outlet named near a person (a dateline, a credit) is not their role
        if found is not None:
            return found
    return None


def _marked_words(text: str) -> list[str]:
    """Words of ``text`` without the marks standing alone (``" هاني``: the quote is no word)."""
    return [word for word in text.split() if not _MARK_ONLY_RE.fullmatch(word)]


def _nearest_type(before: list[str]) -> str | None:
    """The type of the role word nearest before a name (its title: ``المحلل السياسي هاني``),
    not of the first one in the window (``تقرير ... المحلل``)."""
    for k in range(len(before) - 1, -1, -1):
        found = _classify(" ".join(before[k:]), "", "")  # "السفير السابق": an expert
        if found is not None:
            return found
    return None


def source_type(source: str | None, hedged: bool, frame: str = "", verb: str = "") -> str:
    """Type of a source text (``None``: self or unattributed); see the module docstring.

    ``frame`` is the folded verb phrase (read for platform words), ``verb`` the folded verb.
    """
    if source is None:
        return "unattributed" if hedged else "self"
    return _classify(normalize(source), frame, verb) or "official"


def _classify(folded: str, frame: str, verb: str) -> str | None:
    """Type of a folded source, ``None`` when no word of it says (a bare name)."""
    return _classify_basis(folded, frame, verb)[0]


def _classify_basis(folded: str, frame: str, verb: str) -> tuple[str | None, str]:
    """``_classify`` with what decided it (shown in the export as ``type_basis``)."""
    if _OFFICIAL_SOURCE_RE.match(folded):
        return "official", "formula: مصدر مسؤول ب"
    if _NEWS_SOURCES_RE.match(folded):
        return "media", "news sources"  # "مصادر إخبارية", "مصادر إعلامية"
    anonymous = _ANONYMOUS_RE.search(folded)
    if anonymous:
        return "anonymous", f"withheld: {anonymous.group().strip()}"
    owner = _STATEMENT_OWNER_RE.match(folded)
    if owner and not _OBTAINED_RE.search(
        folded
    ):  # "بيان للحوثيين بثته قناة المسيرة", "رسالة الرئيس اليمني": the author's type
        kind, by = _classify_basis(owner.group("owner"), frame, verb)
        return kind or "official", f"a statement's author: {by or owner.group('owner')}"
    head, word = _head(folded)
    if head == "document_or_image":
        outlet = _OUTLET_OWNER_RE.search(folded) if _REPORT_NOUN_RE.match(word) else None
        if outlet:
            return "media", f"an outlet's report: {outlet.group().strip()}"
        return head, f"lexicon: {word}"
    platform = _PLATFORM_RE.search(folded) or _PLATFORM_RE.search(frame)
    if platform:
        return "social_media", f"platform: {platform.group().strip()}"
    if head == "activist":
        posting = bool(_POSTING_VERB_RE.match(verb))
        return ("social_media" if posting else "witness_local"), f"lexicon: {word}"
    press = _PRESS_OFFICE_RE.search(folded)
    if press and not _GOVERNMENT_OWNER_RE.match(folded, press.end()):
        # GUIDELINES convention 9: a party's, faction's or army's media unit is media; a
        # government's or presidency's press office speaks for it (official)
        return "media", f"a media unit: {press.group().strip()}"
    if head == "official" and _THINK_TANK_RE.search(folded):
        return "expert", f"think tank: {word}"  # "مدير مركز الدراسات الاستراتيجية"
    if head == "media" and _SPECIALIST_RE.search(folded):
        return "expert", f"specialist: {word}"  # "الصحفي المتخصص في الشؤون العسكرية"
    body = head == "expert" and _EXPERT_BODY_RE.search(word)
    if (head in (None, "media") or body) and _RIGHTS_BODY_RE.search(folded):
        return "official", "monitor: حقوق الانسان"  # a rights network or centre monitors
    if head == "official" and _TEAM_CAPTAIN_RE.search(folded):
        return "witness_local", "team captain"
    if head == "official" and _FORMER_RE.search(folded):
        return "expert", f"former: {word}"
    if head == "official" and _ACADEMIC_POST_RE.match(folded):
        return "expert", f"academic post: {word}"
    return head, f"lexicon: {word}" if head else ""


def _words(folded: str, start: int, end: int) -> int:
    """Words between two offsets; a mark standing alone (tokenised pages: ` , ` ` " `) is
    not a word."""
    return sum(1 for token in folded[start:end].split() if not _MARK_ONLY_RE.fullmatch(token))


_MARK_ONLY_RE = re.compile(r"[^\w]+")
_BRACKETED_RE = re.compile(r"\([^()]{1,300}\)")


def _bracketed(folded: str, start: int, end: int) -> int:
    """Words inside parentheses between two offsets: an aside (``القيادية في حملة "غضب
    الفرات" ( وهي اسم المعركة ... )``) does not make a source longer."""
    return sum(
        _words(folded, m.start() + 1, m.end() - 1)
        for m in _BRACKETED_RE.finditer(folded, start, end)
    )


def _trim(folded: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and folded[start] in " ،,-–":
        start += 1
    while end > start and folded[end - 1] in " ،,-–":
        end -= 1
    return (start, end) if end > start else None


def _complementiser(folded: str, start: int) -> re.Match[str] | None:
    """The complementiser after ``start``; a short quotation (a quoted name) is skipped."""
    pos = start
    while True:
        comp = _COMP_RE.search(folded, pos)
        if comp is None or not comp.group().strip().startswith('"'):
            return comp
        close = folded.find('"', comp.end())
        if close < 0:
            return comp
        quoted = _words(folded, comp.end(), close)
        after = _NAME_GOES_ON_RE.match(folded, close + 1)
        named = (
            quoted <= QUOTED_NAME_WORDS
            and after is not None
            and not after.group("word").startswith("و")
            and after.group("word") not in _VERB_FORMS
        )
        if quoted > SHORT_QUOTE_WORDS and not named:
            return comp  # "مدير " المرصد السوري لحقوق الانسان " رامي": a quoted name goes on
        pos = close + 1


def _cut_circumstantial(folded: str, start: int, end: int) -> tuple[int, int] | None:
    """A source without its trailing time, occasion or addressee phrase; a participle or
    ``بالقول`` opening it is the verb's continuation, not a speaker (``وتابع قائلاً إن``).
    After a report noun, ``لصحيفة X`` names whose report it is (``تقرير لصحيفة الغارديان``)."""
    lead = _LEAD_PARTICIPLE_RE.match(folded, start, end)
    if lead:
        start = lead.end()
    told = _LEAD_ADDRESSEE_RE.match(folded, start, end)
    if told:  # "وقال لي مسؤول": the addressee first, then the speaker
        start = told.end()
    text = " " + folded[start:end]
    for cut in _CIRCUMSTANTIAL_RE.finditer(text):
        owner = cut.group().lstrip().startswith("ل") and _REPORT_NOUN_RE.fullmatch(
            text[: cut.start()].strip()
        )
        aside = text.count("(", 0, cut.start()) > text.count(")", 0, cut.start())
        if cut.group().strip() == "لدي" and (
            _ENVOY_RE.search(text, 0, cut.start())
            or (_head_type(text[: cut.start()]) and not _OCCASION_RE.match(text, cut.end()))
        ):
            continue  # "سفير المملكة لدى اليمن", "كبير الاقتصاديين لدى X": part of the title
        if not owner and not aside:  # a time or place phrase inside an aside stays in it
            end = start + cut.start()
            break
    return _trim(folded, start, end)


# "لدى وصوله", "لدى استقباله": an occasion after لدى, not an employer
_OCCASION_RE = re.compile(
    r"(?:" + _fold("وصول استقبال لقاء زيارة مشاركة ترؤس افتتاح حضور خروج مغادرة عودة") + r")"
)
_LEAD_PARTICIPLE_RE = re.compile(
    r"\s*(?:(?:"
    + _PARTICIPLES
    + r")|(?:"
    + _fold(_PARTICIPLE_STEMS)
    + r") ا|بالقول)(?=[\s:،,\"]|$)"
)
_REPORT_NOUN_RE = re.compile(
    r"(?:ال)?(?:" + _fold("تقرير تقارير تحقيق مقال مقالة افتتاحية بيان رسالة") + ")"
)


def _source_after(folded: str, verb_end: int, limit: int, verb: str) -> _Frame | None:
    """Verb first: the noun phrase between the verb and the complementiser."""
    relay = _RELAY_RE.search(folded, verb_end, limit)
    if relay and (relay.group("verb") != "عن" or _RELAY_VERB_RE.fullmatch(verb)):
        inner = _cut_circumstantial(folded, relay.end(), limit)
        if inner:
            bare = relay.group("verb") == "عن"  # "نقلت وكالة X عن Y": the verb is نقلت
            verb_span = None if bare else (relay.start("verb"), relay.end("verb"))
            channel = _cut_circumstantial(folded, verb_end, relay.start())
            return _Frame(inner, verb_span, how="relay", channel=channel)
    found = _cut_circumstantial(folded, verb_end, limit)
    if found is None or _PREPOSITION_RE.fullmatch(folded[found[0] :].split(maxsplit=1)[0]):
        return None
    if _PREP_RE.match(folded, found[0]):
        return None  # "وأضاف، بحسب ما نقلت عنه صحيفة ...، أن": the frame is the preposition's
    start, end = found
    pipe = folded.rfind("|", start, end)
    if pipe >= 0:  # a page header glued on: "جريدة X | سوريا ..."
        trimmed = _trim(folded, pipe + 1, end)
        if trimmed is None:
            return None
        start, end = trimmed
    if folded[start] == '"' and folded[end - 1] == '"':
        start, end = start + 1, end - 1  # وأضاف "السهلي":
    return _Frame((start, end), None)


def _source_before(folded: str, begin: int, verb_start: int) -> tuple[int, int] | None:
    """Source first: the words between the clause start (or a connective) and the verb."""
    head = folded[begin:verb_start]
    boundary = _SV_BOUNDARY_RE.match(head)
    start = begin + (boundary.end() if boundary else 0)
    aux = _AUX_RE.search(folded, start, verb_start)
    end = aux.start() if aux else verb_start
    pipe = folded.rfind("|", start, end)
    start = max(start, pipe + 1)  # a page header glued on before the subject
    found = _trim(folded, start, end)
    tail = _SET_OFF_TAIL_RE.search(folded, *found) if found else None
    if found and tail and tail.start() > found[0]:
        found = _trim(folded, found[0], tail.start())
    if found is not None:  # "وفي السياق، المتحدث ... قال", "من ناحيته، نائب الوزير صرح"
        set_off = _SET_OFF_LEAD_RE.match(folded, found[0], found[1])
        if set_off and _words(folded, found[0], set_off.end()) <= MAX_SET_OFF_LEAD_WORDS:
            found = _trim(folded, set_off.end(), found[1])
    middle = _SET_OFF_MIDDLE_RE.search(folded, *found) if found else None
    if found and middle and middle.start() > found[0]:
        # "وزير الخارجية، الذي يزور موسكو، قال", "X، وفي تصريح للصحفيين، قال"
        found = _trim(folded, found[0], middle.start())
    if found is None or _words(folded, *found) > MAX_SV_WORDS:
        return None
    lead = _LEAD_CONNECTIVE_RE.match(folded, found[0])
    start = lead.end() if lead and lead.end() < found[1] else found[0]
    if folded[start : start + 3] in ("وال", "فال"):
        start += 1  # "والوزارة" -> "الوزارة" (not "واشنطن")
    elif folded[start] in "وف" and _PROCLITIC_HEAD_RE.match(folded, start + 1):
        start += 1  # "ورئيس الوزراء" -> "رئيس الوزراء" (not "وزير")
    return _trim(folded, start, found[1])


# A relative clause or an occasion set off by commas between a subject and its verb.
_SET_OFF_MIDDLE_RE = re.compile(
    r"\s*[،,]\s*(?:الذي|التي|الذين|وفي|وخلال|وعبر|وفي|اثناء|خلال|في تصريح|في تصريحات|في حديث|"
    r"في مقابله|في كلمه|في بيان|في مؤتمر)\s"
)
# A phrase set off by a comma before a source-first subject: "وفي الأثناء،", "من ناحيته،".
_SET_OFF_LEAD_RE = re.compile(
    r"(?:و|ف)?(?:في|من|علي|عقب|خلال|بعد|الي|مع|وسط|اثر)\s[^،,.:\"]{1,40}?[،,]\s*"
)
MAX_SET_OFF_LEAD_WORDS = 4
# A head noun after a proclitic و/ف that is not part of the word ("ورئيس", not "وزير").
_PROCLITIC_HEAD_RE = re.compile(
    r"(?:"
    + _fold(
        "رئيس رئيسة وزير وزيرة وزارة متحدث متحدثة ناطق ناطقة مسؤول مسؤولون مسؤولين قائد "
        "سفير محافظ أمين مدير مديرة نائب ممثل مندوب مصادر مصدر محلل خبير باحث أستاذ"
    )
    + r")(?=\s)"
)


_DEFINITE_RE = re.compile(r"(?:و|ف|ب|ك)?(?:ال|لل)")
_AFFILIATED_RE = re.compile(r"(?:ال)?(?:تابع|تابعه|مقرب|مقربه|موالي|مواليه)")
_NAMED_FOR_RE = re.compile(r"ل(?:حقوق|شوون|مكافحه|حمايه|رعايه|دعم|توثيق|تنسيق)$")
_PERSON_TITLE_RE = re.compile(
    r"^(?:و|ف)?(?:ال)?(?:"
    + _fold(
        "محلل خبير متحدث ناطق وزير رئيس مدير عقيد لواء عميد دكتور مهندس أستاذ باحث لاعب مدرب "
        "فنان ممثل مراسل ناشط مواطن سائق شاهد نائب سفير محافظ أمير ملك قائد مسؤول"
    )
    + ")"
)


_QUOTED_NAME_RE = re.compile(r"\s*[\"«“]\s*(?P<name>[^\"»”«“\n،,.:]{2,60}?)\s*[\"»”]")
MAX_QUOTED_NAME_WORDS = 6


def _subject(folded: str, verb_end: int) -> tuple[int, int] | None:
    """Subject of a verb with an object: words up to a preposition, comma or object; a name
    in quotation marks right after the verb (``أعلنت «قوات سوريا الديمقراطية»``) whole."""
    quoted = _QUOTED_NAME_RE.match(folded, verb_end)
    if quoted and len(quoted.group("name").split()) <= MAX_QUOTED_NAME_WORDS:
        return quoted.start("name"), quoted.end("name")
    words = list(re.finditer(r"[^\s،,:]+|[،,:]", folded[verb_end:]))[: MAX_SUBJECT_WORDS + 6]
    taken: list[re.Match[str]] = []
    naming = False
    for k, word in enumerate(words):
        text = word.group()
        platform_ahead = bool(
            _PLATFORM_RE.search(" " + " ".join(w.group() for w in words[k : k + 6]))
        )
        if text in "،,:" or (taken and text == "ما"):  # "نفت الرئاسة | ما تداولته"
            break
        if taken and _SUBJECT_STOP_RE.fullmatch(text) and not platform_ahead:
            break
        definite = any(_DEFINITE_RE.match(w.group()) for w in taken)
        person = any(_PERSON_TITLE_RE.search(w.group()) for w in taken)
        named_for = (
            _NAMED_FOR_RE.match(text)
            or (  # "الشبكة السورية لحقوق الإنسان"
                bool(taken) and _AFFILIATED_RE.fullmatch(taken[-1].group()) and text[:1] == "ل"
            )
        )  # "وكالة أعماق التابعة لتنظيم الدولة"
        spoken_for = [j for j, w in enumerate(taken) if w.group() == "باسم"]
        if spoken_for and _body_word([w.group() for w in taken[spoken_for[-1] + 1 :]], text):
            taken.append(word)  # "المتحدث باسم رئاسة الأركان الفرنسية": the body's name
            continue
        if not platform_ahead and definite and not _DEFINITE_RE.match(text) and not named_for:
            if not person:
                break  # "صور الأقمار الصناعية | قافلة": an indefinite object after the subject
            naming = True  # "المحلل الاقتصادي رامي فخري": a name after a person's title
        elif not platform_ahead and naming and _DEFINITE_RE.match(text):
            break  # "... رامي فخري | الارتفاع": the object after the name
        if not taken and _PREPOSITION_RE.fullmatch(text):
            return None
        taken.append(word)
        if len(taken) >= MAX_SUBJECT_WORDS and not platform_ahead:
            break
    if not taken:
        return None
    return verb_end + taken[0].start(), verb_end + taken[-1].end()


_NISBA_RE = re.compile(r"\S{3,}(?:ي|يه|يون|يين)$")


def _body_word(body: list[str], word: str) -> bool:
    """Whether ``word`` goes on the name of the body after ``باسم``: its first word, a genitive
    after an indefinite head (``رئاسة الأركان``), or a nisba adjective (``الفرنسية``)."""
    if not body:
        return True
    if len(body) == 1 and not _DEFINITE_RE.match(body[0]) and _DEFINITE_RE.match(word):
        return True
    return len(body) < 4 and bool(_DEFINITE_RE.match(word)) and bool(_NISBA_RE.match(word))


# Acts whose subject may go on speaking: appeals, condemnations, welcomes, being asked.
_ACT_RE = re.compile(
    r"(?:و|ف)?(?:"
    + _fold(_conjugate("أدان ندد رحب ناشد حث استنكر شجب ثمن") + " دعا دعت دعوا سئل سئلت يدعو تدعو")
    + r")\s"
)


_OCCASION_LEAD_RE = re.compile(r"(?:و|ف)?(?:في|خلال|عقب) [^،,.]{1,50}[،,]\s*")


def _actor(folded: str) -> tuple[int, int] | None:
    """The subject of an act opening a claim (``ودعا الأمين العام إلى``), if named."""
    lead = _LEAD_CONNECTIVE_RE.match(folded) or _OCCASION_LEAD_RE.match(folded)
    act = _ACT_RE.match(folded, lead.end() if lead else 0)
    if act is None:
        return _actor_first(folded, lead.end() if lead else 0)
    subject = _subject(folded, act.end() - 1)
    if subject is None or not _head_type(folded[slice(*subject)]):
        return None
    return _without_object(folded, subject)


_ACT_AFTER_RE = re.compile(
    r"\s(?:" + _fold(_conjugate("أدان ندد رحب ناشد حث استنكر شجب ثمن") + " دعا دعت دعوا") + r")\s"
)


def _actor_first(folded: str, begin: int) -> tuple[int, int] | None:
    """The subject before an act (``وزارة الخارجية رحبت بالاتفاق``), when its head is listed."""
    act = _ACT_AFTER_RE.search(folded, begin)
    if act is None or _words(folded, begin, act.start()) > MAX_SUBJECT_WORDS:
        return None
    subject = _source_before(folded, begin, act.start() + 1)
    if subject is None or not _head_type(folded[slice(*subject)]):
        return None
    return subject


def _without_object(folded: str, subject: tuple[int, int]) -> tuple[int, int]:
    """A verb's subject without the object glued on (``المعارضة | الحكومة``): after its
    head, only a genitive, nisba adjectives, ل-phrases and names go on."""
    words = list(re.finditer(r"\S+", folded[: subject[1]]))
    words = [w for w in words if w.start() >= subject[0]]
    if not words:  # a name inside quotation marks glued to them: «حماس»
        return subject
    end = words[0].end()
    for k, word in enumerate(words[1:], 1):
        text = word.group()
        if text in (",", "،") or words[k - 1].group().endswith((",", "،")):
            break  # "اتهم الوزير X , حركة حماس بـ": the object after a comma
        if text.startswith(("نظير", "لنظير")) or _head_type(text) == "media":
            break  # "أبلغ الوزير | نظيره", "أبلغ مسؤول | وكالة رويترز": who was told
        before = words[k - 1].group()
        genitive = (k == 1 and not _DEFINITE_RE.match(words[0].group())) or (
            before.startswith("لل")  # "حكومة الإقليم", "للأمم المتحدة"
        )
        if not (
            genitive
            or _NISBA_RE.match(text)
            or text in ("العام", "الخاص")
            or (text.startswith("ل") and not text.startswith("ال"))
            or not _DEFINITE_RE.match(text)
        ):
            break  # "الخارجية الفرنسية | الهجوم": the object of the act
        end = word.end()
    return subject[0], end


def _clause_start(folded: str, begin: int, verb: _Verb) -> bool:
    """Whether the verb opens a clause: first word, a proclitic و/ف, or after a connective."""
    if _words(folded, begin, verb.start) == 0 or verb.at > verb.start:
        return True
    return bool(re.search(r"(?:حيث|اذ|بعدما|عندما|فيما|بينما|لكن|[،,:])\s*$", folded[: verb.start]))


def _verb_frame(folded: str, begin: int, verb: _Verb) -> _Frame | None:
    """The attribution frame opened by one reporting verb, or ``None`` if it opens none."""
    word, vspan = verb.word, (verb.at, verb.end)
    if _NOT_A_FRAME_BEFORE.search(folded, 0, verb.start):
        return None  # "أن تعلن", "لم تؤكد", "التي يرجح"
    if _PARTICIPLE_RE.fullmatch(word):
        # a participle continues the speaker of its clause (مضيفاً أن، وعلّل ذلك قائلاً):
        # it names no speaker of its own, and after بدا / بات it is an adjective (بدا لافتاً)
        if _COPULA_BEFORE_RE.search(folded, 0, verb.start):
            return None
        if _words(folded, begin, verb.start) == 0 or _AFTER_COMMA_RE.search(folded, 0, verb.start):
            return _Frame(None, vspan, carried=True, how="carried_over")
        return None
    opens = _clause_start(folded, begin, verb)
    proclitic = verb.at > verb.start
    before = None if proclitic else _source_before(folded, begin, verb.start)
    topic_end = verb.start
    if folded[verb.start] != "ف":  # "أما الخبير فإنه يرى أن"
        fa = _FA_INNA_RE.search(folded, 0, verb.start)
        topic_end = fa.start() if fa else -1
    topic = _TOPIC_RE.search(folded, 0, topic_end) if topic_end > 0 else None
    if topic and _words(folded, *topic.span("topic")) <= MAX_SV_WORDS:
        # "أما القيادي في الحشد فقال ...": the topic is the speaker
        before = _trim(folded, topic.start("topic"), topic.end("topic"))
    if (
        before
        and _IMPERSONAL.fullmatch(word)
        and not _head_type(folded[slice(*before)])
        and not _DEFINITE_RE.match(folded, before[0])  # "الكرملين يخشى ألا": a definite subject
    ):
        before = None  # "انتحاري يعتقد أنه": a qualified noun, not a speaker
    comp = _complementiser(folded, verb.end)
    if comp is None:
        found = [
            preposition.search(folded, verb.end)
            for verb_re, preposition in _PREPOSITIONAL_COMP
            if verb_re.fullmatch(word)
        ]
        comp = min((c for c in found if c), key=lambda c: c.start(), default=None)
    if (
        comp
        and _OBJECT_VERBS.fullmatch(word)
        and _PARTICIPLE_AFTER_RE.search(folded, verb.end, comp.start() + 1)
    ):
        comp = None  # "تداول ناشطون صوراً ...، مشيرين إلى أنها": the participle's complement
    if comp and _OBJECT_VERBS.fullmatch(word):
        later = next(_verbs(folded, verb.end, comp.start()), None)
        if later and _SPEECH_VERB_RE.fullmatch(later.word):
            comp = None  # "تداول مستخدمون صوراً قالوا إنها": the complementiser is قالوا's
    gap = (
        _words(folded, verb.end, comp.start()) - _bracketed(folded, verb.end, comp.start())
        if comp
        else 0
    )
    if comp and MAX_SOURCE_WORDS < gap <= MAX_FRAME_WORDS and opens:
        # a long frame ("وقال بوتين خلال قمة ثلاثية جمعته ... أمس : إنه"): the source is
        # what comes before the first circumstantial phrase, when that is short
        long = _source_after(folded, verb.end, comp.start(), word)
        if long and long.source and _words(folded, *long.source) <= MAX_LONG_SOURCE_WORDS:
            return replace(long, verb=long.verb or vspan, frame=(vspan[0], comp.start()))
    if comp and gap <= MAX_SOURCE_WORDS:
        frame_span = (vspan[0], comp.start())
        # Words between the verb and the complementiser are its subject (Arabic puts the
        # subject after the verb: "قال رئيس الوزراء إن"); what stands before the verb is then
        # a heading or the tail of another sentence glued on by scraping, not the source.
        # A subject set off by a connective before the verb ("لكن فينجر نفى") stays first.
        anchored = bool(before) and (
            bool(_SV_BOUNDARY_RE.match(folded[begin : verb.start]))
            or (  # "وكان صالح قد طالب": not a relay ("وكانت قناة X قد نقلت عن Y")
                _framed_by_aux(folded, before, verb.start)  # type: ignore[arg-type]
                and not _RELAY_VERB_RE.fullmatch(word)
            )
        )
        after = None if anchored else _source_after(folded, verb.end, comp.start(), word)
        if after is not None and word.endswith("وا") and after.how != "relay":
            after = None  # "قالوا لرويترز إن", "اتهموا القوات بـ": the subject is in the verb
        if before and _DESCRIBE_RE.fullmatch(word):
            after = None  # "الناطقة ماريا زاخاروفا وصفت الاتهامات بأنها": she describes them
        if after is not None and after.source is not None and _ACCUSE_RE.fullmatch(word):
            after = replace(after, source=_without_object(folded, after.source))
        if after is not None:
            return replace(after, verb=after.verb or vspan, frame=frame_span)
        if before:
            return _Frame(before, vspan, frame=frame_span, how="source_first")
        if _BACKGROUND.fullmatch(word) and opens:
            return None  # "يذكر أن": background in the outlet's voice
        if _IMPERSONAL.fullmatch(word) and opens:
            return _Frame(None, vspan, kind="unattributed", how="impersonal")
        if opens or _PRONOUN_SUBJECT_RE.search(folded, 0, verb.start):
            return _Frame(None, vspan, frame=frame_span, carried=True, how="carried_over")
        return None
    if before and _DENIAL_RE.fullmatch(word):
        return _Frame(before, vspan, frame=vspan, how="source_first")  # "لكن فينجر نفى تنازله"
    if (
        before
        and _OBJECT_VERBS.fullmatch(word)
        and (_head_type(folded[slice(*before)]) or _framed_by_aux(folded, before, verb.start))
    ):
        # "وكان ناشطون على مواقع التواصل قد تداولوا صوراً": a listed speaker before the verb
        if _PERFORMATIVE_RE.search(folded, verb.end, verb.end + PERFORMATIVE_WINDOW):
            return _Frame(None, None, kind="self", how="performative")
        return _Frame(before, vspan, frame=(vspan[0], verb.end), how="source_first")
    if _OBJECT_VERBS.fullmatch(word) and opens:
        if _MOVING_VERBS_RE.fullmatch(word):
            return None  # "نقلت سيارات الإسعاف الجرحى", "وجدت فرق الإنقاذ جثثاً": no speech
        subject = _subject(folded, verb.end)
        if subject is None:
            return None
        if _SHOWING_VERBS_RE.fullmatch(word) and not _head_type(folded[slice(*subject)]):
            return None  # "أظهر المنتخب مستوى رائعاً": only an artefact or a speaker shows
        materiel = _MATERIEL_RE.search(folded, subject[0], subject[1] + PERFORMATIVE_WINDOW)
        if _DEPLOYING_RE.fullmatch(word) and materiel:
            return None  # "نشرت روسيا منظومة صواريخ": deployed, not published
        if _PERFORMATIVE_RE.match(folded, subject[0] - 1) or _PERFORMATIVE_RE.search(
            folded, subject[1], subject[1] + PERFORMATIVE_WINDOW
        ):  # "أعلنت منع الرحلات": no subject, the decision itself
            return _Frame(None, None, kind="self", how="performative")  # "أعلن ... ترشحه"
        subject = _with_relative(folded, subject)
        return _Frame(subject, vspan, frame=(vspan[0], subject[1]), how="verb_object")
    if _PARTICIPLE_RE.fullmatch(word) and _words(folded, begin, verb.start) == 0:
        return _Frame(None, vspan, carried=True, how="carried_over")
    return None


_FA_INNA_RE = re.compile(r"\sف(?:ان|انه|انها|انهم)\s+$")
# "صور نشرتها وزارة الدفاع", "لقطات بثها التلفزيون الرسمي", "وثيقة اطلعت عليها الصحيفة": a
# relative clause with no relative pronoun naming who made or published the artefact
_RELATIVE_VERB_RE = re.compile(
    r"\s+(?:(?:" + _fold("نشر بث التقط أجر أعد أصدر وزع سرب عرض") + r")(?:ت|وا)?(?:ه|ها|هم)"
    r"|(?:اطلع|حصل)(?:ت|وا)? (?:عليه|عليها|عليهم))(?=\s)"
)
_AGENT_WORD_RE = re.compile(r"\s+(?:[\"«]?(?:و|ف|ب|ل)?ال[^\s،,.:\"»]+[\"»]?)")


def _with_relative(folded: str, subject: tuple[int, int]) -> tuple[int, int]:
    """A subject with its relative clause and the agent's name, if one follows."""
    verb = _RELATIVE_VERB_RE.match(folded, subject[1])
    if verb is None or not _head_type(folded[slice(*subject)]):
        return subject
    first = re.compile(r"\s+[^\s،,.:]+").match(folded, verb.end())
    if first is None or _PREPOSITION_RE.fullmatch(first.group().strip()):
        return subject
    end = first.end()
    for _ in range(MAX_SUBJECT_WORDS):
        more = _AGENT_WORD_RE.match(folded, end)
        if more is None:
            break
        end = more.end()
    return subject[0], end


_KANA_BEFORE_RE = re.compile(r"(?:^|\s)(?:و|ف)?(?:كان|كانت|كانوا)\s*$")
_QAD_RE = re.compile(r"\s+قد\s+$")


def _framed_by_aux(folded: str, subject: tuple[int, int], verb_start: int) -> bool:
    """``وكانت روسيا قد أعلنت``: the words between كان and قد are the verb's subject."""
    return bool(
        _KANA_BEFORE_RE.search(folded, 0, subject[0])
        and _QAD_RE.fullmatch(folded, subject[1], verb_start)
    )


# "ونسبت الصحيفة إلى مسؤول قوله إن", "نسب التقرير لإحدى الأمهات القول إن"
_ASCRIBED_RE = re.compile(
    r"(?:^|\s)(?P<verb>(?:و|ف)?(?:نسب|نسبت|ينسب|تنسب))\s+(?P<outer>[^،,.:]{2,80}?)\s+"
    r"(?:الي\s+|ل(?=\S))(?P<source>[^،,.:]{2,80}?)\s+(?:ال)?قول(?:ه|ها|هم|هما)?\s+(?:ب?ان|:)"
)


def _prep_end(folded: str, start: int) -> int:
    """Where the noun phrase after ``وفقا ل`` / ``جاء في`` ends: punctuation, a complementiser,
    or a quotation (a quoted name of a few words, ``صحيفة «الأطلسي»``, is part of it)."""
    pos = start
    while True:
        stop = _PREP_STOP_RE.search(folded, pos)
        if stop is None:
            return len(folded)
        if stop.group().strip() in ('"', "«"):
            close = folded.find("»" if "«" in stop.group() else '"', stop.end())
            if close > 0 and _words(folded, stop.end(), close) <= SHORT_QUOTE_WORDS:
                pos = close + 1
                continue
        return stop.start()


# "بحسب معطيات وفرتها مصادر مطلعة", "وفقاً لأرقام نشرتها الوزارة": who provided them.
_PROVIDED_RE = re.compile(
    r"\S+(?: \S+)? (?:التي |الذي )?(?:"
    + _fold("وفرت نشرت أوردت أصدرت قدمت أعدت ذكرت نقلت جمعت حصلت")
    + r")(?:ها|ه) (?P<source>\S)"
)


_LEARNED_FROM_RE = re.compile(r"\sمن\s+(?=\S)")


def _prepositional(folded: str, begin: int) -> _Frame | None:
    if not _gate(folded, _PREP_KEYS):
        return None
    for match in _PREP_RE.finditer(folded, begin):
        verb = match.group("verb")
        vspan = (match.start("verb"), match.start("verb") + len(verb))
        if _OWN_OBSERVATION_RE.search(verb):
            return _Frame(None, vspan, kind="self", how="own_observation")  # حسب ما رصدته
        if verb.endswith((" عنه", " عنها")):  # "بحسب ما نقلت عنه صحيفة": his words, relayed
            return _Frame(None, vspan, carried=True, how="relay")
        end = _prep_end(folded, match.end())
        provided = _PROVIDED_RE.match(folded, match.end(), end)
        if provided and _VISUAL_RE.match(folded, match.end()):
            provided = None  # "بحسب مقطع مصور نشرته وكالة": the footage is the evidence
        start = provided.start("source") if provided else match.end()  # معطيات وفرتها مصادر
        found = _cut_circumstantial(folded, start, end)
        if found:
            # "ووفقاً لإحصاءات رويترز قتل 29 جندياً": no comma, the clause's verb ends it
            event = _EVENT_VERB_RE.search(folded, found[0], found[1])
            if event and _words(folded, found[0], event.start()) <= MAX_PREP_NO_COMMA_WORDS:
                found = _trim(folded, found[0], event.start())
        nested = _NESTED_RELAY_RE.search(folded, *found) if found else None
        if nested and (nested.group(1) or _RELAY_VERB_RE.search(verb)):
            # "بحسب ما نقلت صحيفة الوطن عن مسؤولين", "... أوردته صحيفة نقلا عن مصادر"
            inner = _trim(folded, nested.end(), found[1])  # type: ignore[index]
            if inner and _words(folded, *inner) <= MAX_SOURCE_WORDS // 2 + 4:
                return _Frame(inner, vspan, frame=vspan, how="relay")
        elif nested and " ما " in f" {verb} ":  # "بحسب ما أفاد المرصد عن مقتل": the content
            found = _trim(folded, found[0], nested.start())  # type: ignore[index]
        learned = _LEARNED_FROM_RE.search(folded, *found) if found and "علم" in verb else None
        if learned:  # "بحسب ما علمته «الأخبار» من مصادر في الحزب": the sources
            inner = _trim(folded, learned.end(), found[1])  # type: ignore[index]
            if inner:
                return _Frame(inner, vspan, frame=vspan, how="relay")
        if found and _PREPOSITION_RE.fullmatch(folded[found[0] :].split(maxsplit=1)[0]):
            # "بحسب ما نشره على حسابه في تويتر": the speaker named before, on a platform
            return _Frame(None, vspan, frame=(vspan[0], found[1]), carried=True, how="according_to")
        if found and _OWN_WORDS_RE.fullmatch(folded, *found):
            return _Frame(None, vspan, carried=True, how="according_to")  # وفق قوله: his own
        if found and _words(folded, *found) <= MAX_SOURCE_WORDS // 2 + 4:
            outer = _Frame(found, vspan, frame=vspan, how="according_to")
            relay = _RELAY_AFTER_RE.match(folded, end) if _RELAY_VERB_RE.search(verb) else None
            inner = relay and _cut_circumstantial(
                folded, relay.end(), _prep_end(folded, relay.end())
            )
            if inner and _words(folded, *inner) <= MAX_SOURCE_WORDS // 2 + 4:
                # "وفق ما نقلته وكالة نوفوستي، عن مندوب البرلمان": the agency relays him, and
                # he goes on speaking (وذكر أن): the agency is a channel, not a relaying speaker
                return _Frame(inner, vspan, frame=vspan, how="relay")
            return outer
        if found is None and " ما " in f" {verb} ":
            return _Frame(None, vspan, carried=True, how="according_to")  # بحسب ما ذكر أمس
    return None


def _find_frame(folded: str) -> _Frame | None:
    lead = _LEAD_CONNECTIVE_RE.match(folded)
    begin = lead.end() if lead else 0
    if _BACKGROUND_LEAD_RE.match(folded, begin):
        return None  # "يشار إلى أن روسيا كانت قد أعلنت ...": background, the outlet's voice
    found: _Frame | None = None
    at = len(folded)
    for verb in _verbs(folded, begin):
        if _BACKGROUND.fullmatch(verb.word) and _words(folded, begin, verb.start) == 0:
            return None  # "يشار إلى أن روسيا كانت قد أعلنت ...": background, the outlet's voice
        found = _verb_frame(folded, begin, verb)
        if found is not None:
            at = verb.start
            break
    if found is not None and found.frame is not None and found.verb is not None:
        lead_in = folded[begin : found.verb[0]]
        if _PLATFORM_LEAD_RE.match(lead_in) and _PLATFORM_RE.search(lead_in):
            # "وفي تغريدة على تويتر، قال الوزير إن": the platform decides
            found = replace(found, frame=(begin, found.frame[1]))
    ascribed = _ASCRIBED_RE.search(folded, begin, at) if "نسب" in folded else None
    if ascribed:  # "ونسب التقرير إلى إحدى الأمهات القول إنها": the one it quotes
        inner = _trim(folded, *ascribed.span("source"))
        outer = _trim(folded, *ascribed.span("outer"))
        vspan = ascribed.span("verb")
        if inner and outer:
            found = _Frame(inner, vspan, frame=vspan, how="relay", outer=_Frame(outer, vspan))
            at = vspan[0]
    if found is None:
        found = _shown_in(folded, begin)
    prep = _prepositional(folded, begin)
    unnamed = (  # "كما طالبوا، بحسب بيان": right after a verb that names no one
        found is not None
        and found.carried
        and found.source is None
        and found.verb is not None
        and prep is not None
        and prep.verb is not None
        and _words(folded, found.verb[1], prep.verb[0]) <= 1
    )
    if (
        prep is not None
        and prep.verb is not None
        and (prep.verb[0] < at or (unnamed and prep.source is not None))
    ):
        # "كما طالبوا، بحسب بيان صادر عن المكتب": the statement names them
        found, at = prep, prep.verb[0]
    if found is None:
        found = _nominal(folded, begin)
    if found is None or found.source is None:
        # "لفت ما أعلنه X عن أن": what X said is the frame, not the verb before it
        found = _relative(folded, begin) or found
    if found is None:
        found = _postposed(folded)
    hearsay = _HEARSAY_RE.search(folded, begin) if _gate(folded, _HEARSAY_KEYS) else None
    named = found is not None and found.how == "according_to" and found.source is not None
    if (
        hearsay
        and not named  # "ويقدر عدد ... بحسب البرلمان": whose estimate it is
        and (found is None or found.kind is not None or hearsay.start() <= _anchor(found))
        and not _topic_only(hearsay, found)
    ):
        verb_span = (hearsay.start("verb"), hearsay.end("verb"))
        return _Frame(None, verb_span, kind="unattributed", how="hearsay")
    if found is not None and found.kind is None:
        return _inner(folded, found) or found
    return found


# "ويظهر في الفيديو مسلحون ...", "وتظهر في الصور آثار دمار": what an artefact shows
_SHOWN_IN_RE = re.compile(
    r"(?:و|ف)?(?:يظهر|تظهر|يبدو|تبدو|يسمع|تسمع|يشاهد|تشاهد)(?P<at>\s+في\s+)"
    r"(?=(?:ال)?(?:فيديو|مقطع|صوره|صور|تسجيل|شريط|لقطات|الشريط|الصوره|الصور|المقطع|اللقطات)"
    r"(?=[\s،,]|$))"
)


def _shown_in(folded: str, begin: int) -> _Frame | None:
    shown = _SHOWN_IN_RE.match(folded, begin)
    if shown is None:
        return None
    subject = _subject(folded, shown.end("at") - 1)
    if subject is None:
        return None
    subject = _with_relative(folded, subject)
    verb = (shown.start() + (folded[shown.start()] in "وف"), shown.end("at"))
    return _Frame(subject, verb, frame=(verb[0], subject[1]), how="verb_object")


def _topic_only(hearsay: re.Match[str], found: _Frame | None) -> bool:
    """Rumours *about* a topic (``شائعات عن ...``), then a named speaker's frame later in the
    clause (``... نص على تويتر أكد أن``): the claim is that speaker's, not the rumours'."""
    return (
        found is not None
        and found.kind is None
        and found.source is not None
        and hearsay.group("verb").endswith((" عن", " حول"))
        and _anchor(found) >= hearsay.end()
    )


# A quotation, then its verb and speaker: "«...»، قال المتحدث", "\"...\" , تقول الصحيفة".
_POSTPOSED_RE = re.compile(
    r"[\"»”]\s*[،,]?\s*(?:هكذا\s+|بهذه الكلمات\s+)?(?P<verb>(?:و)?(?:"
    + _fold(
        _conjugate("قال أضاف أكد تابع أوضح أردف استطرد ختم اختتم")
        + " يقول تقول يقولون يضيف تضيف يؤكد تؤكد"
    )
    + r"))\s+(?P<source>[^\"«»“”:]+?)\s*[.،,]?\s*$"
)


# "ما أعلنه عون عن أن ...", "بما قاله الوزير من أن ...": what someone said, then the content.
_RELATIVE_RE = re.compile(
    r"(?:^|\s)(?:و|ف)?(?:ب|ل|من|في|الي)?ما (?P<verb>(?:"
    + _fold("أعلن قال ذكر أكد كشف أورد أوضح نشر صرح أفاد")
    + r")(?:ه|ته|وه|ها|تها)(?: به)?)\s+(?P<source>[^،,.:]+?)\s+(?:عن ان|من ان|ب?ان|:)(?=[\s\"«])"
)


def _relative(folded: str, begin: int) -> _Frame | None:
    found = _RELATIVE_RE.search(folded, begin) if "ما " in folded else None
    if found is None:
        return None
    source = _cut_circumstantial(folded, *found.span("source"))
    if source is None or _words(folded, *source) > MAX_SOURCE_WORDS:
        return None
    verb = found.span("verb")
    return _Frame(source, verb, frame=(verb[0], source[1]), how="relative")


# "والقوات انسحبت، كما يقول المرصد", "... كما ذكرت وكالة سانا": the frame closes the claim
_AS_SAID_RE = re.compile(
    r"[\s،,]+(?:و)?كما (?P<verb>"
    + _fold(
        _conjugate("قال ذكر أفاد أكد أعلن أورد نقل أوضح")
        + " يقول تقول يقولون يذكر تذكر يؤكد تؤكد يرى ترى يرون"
    )
    + r")\s+(?P<source>[^،,.:\"«»]+?)\s*[.]?\s*$"
)


# "...، وهو ما أكده الوزير", "الأمر الذي أعلنه الجيش": a closing frame confirming the claim
_WHICH_SAID_RE = re.compile(
    r"(?:^|[\s،,]+)(?:و)?(?:(?:هو|هذا|ذلك) ما|(?:هو )?الامر الذي) (?P<verb>(?:"
    + _fold("أكد أعلن أوضح ذكر كشف أفاد نفى أظهر أورد نقل قال أشار")
    + r")(?:ت)?(?:ه|ته|وه|ها|تها))\s+(?P<source>[^،,.:\"«»]+?)\s*[.]?\s*$"
)


def _postposed(folded: str) -> _Frame | None:
    said = _WHICH_SAID_RE.search(folded) if ("ما " in folded or "الذي" in folded) else None
    if said is not None:
        source = _cut_circumstantial(folded, *said.span("source"))
        if source is not None and _words(folded, *source) <= MAX_SOURCE_WORDS // 2:
            verb = said.span("verb")
            return _Frame(source, verb, frame=(verb[0], source[1]), how="according_to")
    said = _AS_SAID_RE.search(folded) if "كما " in folded else None
    if said is not None and _words(folded, 0, said.start()) >= 2:
        source = _cut_circumstantial(folded, *said.span("source"))
        if source is not None and _words(folded, *source) <= MAX_SOURCE_WORDS // 2:
            verb = said.span("verb")
            return _Frame(source, verb, frame=(verb[0], source[1]), how="according_to")
    found = _POSTPOSED_RE.search(folded)
    if found is None or _words(folded, 0, found.start()) < 2:
        return None
    source = _cut_circumstantial(folded, *found.span("source"))
    if source is None or _words(folded, *source) > MAX_SOURCE_WORDS:
        return None
    verb = found.span("verb")
    return _Frame(source, verb, frame=(verb[0], source[1]), how="postposed")


# Nominal attribution: "تصريح أمين المجلس بأن", "تأكيد السلطات على أن", "اعتراف الوزير بأن".
_NOMINAL_NOUNS = _fold(
    "تصريح تصريحات تأكيد تأكيدات إعلان إقرار اعتراف كشف إفادة إفادات نفي تحذير تحذيرات "
    "اتهام اتهامات مزاعم ادعاء ادعاءات رواية قول إشارة"
)
_NOMINAL_RE = re.compile(
    r"(?:^|(?<=[\s\"(]))(?:و|ف|ب|ل)?(?:ال)?(?P<noun>"
    + _NOMINAL_NOUNS
    + r")(?P<poss>ه|ها|هم)?(?=\s)"
)
_NOMINAL_COMP_RE = re.compile(r"\s(?:ب|علي |من )?ان(?:ه|ها|هم)?(?=\s)|\s(?:ب|علي )?:")
MAX_NOMINAL_SOURCE_WORDS = 8


_TEMPORAL_BEFORE_COMP_RE = re.compile(r"(?:^|\s)(?:بعد|قبل|منذ|حتي|رغم|بعدما|قبيل|عقب)\s*$")


def _nominal(folded: str, begin: int) -> _Frame | None:
    """A speech noun with its speaker as genitive and the claim after a complementiser."""
    for match in _NOMINAL_RE.finditer(folded, begin):
        noun = match.span("noun")
        comp = _NOMINAL_COMP_RE.search(folded, match.end())
        if comp is None or _words(folded, match.end(), comp.start()) > MAX_NOMINAL_SOURCE_WORDS:
            continue
        if _NOMINAL_RE.search(folded, match.end(), comp.start()):
            continue  # "تصريحات الوزير بعد إعلان الحكومة أن": the nearer noun's speaker
        if _TEMPORAL_BEFORE_COMP_RE.search(folded, match.end(), comp.start()):
            continue  # "وجاء إعلان المنظمة بعد أن أعلنت": "بعد أن" opens a time clause
        if match.group("poss"):  # "تصريحاته بأن": the speaker was named before
            if _words(folded, match.end(), comp.start()) == 0:
                return _Frame(None, noun, carried=True, how="nominal")
            continue
        source = _cut_circumstantial(folded, match.end(), comp.start())
        if source is not None:
            return _Frame(source, noun, frame=(noun[0], comp.start()), how="nominal")
    return None


def _anchor(found: _Frame) -> int:
    """Where a frame's source starts (or its verb, with no source)."""
    if found.source is not None:
        return found.source[0]
    return found.verb[0] if found.verb is not None else 0


_BARE_COMP_RE = re.compile(
    r"[\s،,]*(?::|(?:(?:ب|ف)?ان|الي ان|علي ان)(?:ه|ها|هم)?(?=\s)|فقد)?[\s\"]*"
)
MAX_INNER_SUBJECT_WORDS = 6  # "أن الملك سلمان بن عبد العزيز قال": the inner speaker first


def _inner(folded: str, outer: _Frame) -> _Frame | None:
    """A frame opening the reported content of ``outer`` (``قال: أظهر التقرير ...``)."""
    ends = [span[1] for span in (outer.source, outer.frame, outer.verb) if span is not None]
    pos = max(ends, default=0)
    comp = _BARE_COMP_RE.match(folded, pos)
    if comp is None:
        return None
    rest = comp.end()
    verb = next(_verbs(folded, rest), None)
    if verb is None or _PARTICIPLE_RE.fullmatch(verb.word):
        return None
    if verb.start != rest:
        # "أن الملك سلمان قال للرئيس إن ...", "فإن استطلاعات الرأي تظهر أن": the content opens
        # with its own speaker and verb; a short subject with no punctuation or verb between
        between = folded[rest : verb.start]
        if (
            not comp.group().strip(' \t،,"')
            or not _INNER_VERB_RE.fullmatch(verb.word)
            or verb.at > verb.start
            or _words(folded, rest, verb.start) > MAX_INNER_SUBJECT_WORDS
            or _INNER_STOP_RE.search(between)
            or _NOT_A_FRAME_BEFORE.search(between)
        ):
            return None
        inner = _verb_frame(folded, rest, verb)
        if inner is None or inner.source is None or inner.source[0] >= verb.start:
            # "أن الملك سلمان قال للرئيس ترامب إن": the subject before the verb is the speaker
            subject = _trim(folded, rest, verb.start)
            comp = _complementiser(folded, verb.end)
            if subject is None or comp is None:
                return None
            if _words(folded, verb.end, comp.start()) > MAX_INNER_SUBJECT_WORDS:
                return None
            vspan = (verb.at, verb.end)
            return _Frame(subject, vspan, frame=(vspan[0], comp.start()), how="relay", outer=outer)
        return replace(inner, how="relay", outer=outer)
    inner = _verb_frame(folded, verb.start, verb)
    if inner is None or inner.source is None:
        return None
    return replace(inner, how="relay", outer=outer)


# Verbs of saying and showing that open a speaker's own frame inside reported content (not
# نقل / نشر / تداول, which are as often "was carried", "published").
_INNER_VERB_RE = re.compile(
    r"(?:"
    + _fold(
        _conjugate("قال أكد أعلن أفاد ذكر أوضح اعتبر شدد أشار حذر اعترف أظهر أبلغ")
        + " أبلغه أبلغها أبلغهم أبلغني أبلغنا أبلغته أبلغتها أبلغتهم"
        + " نفى نفت نفوا رأى رأت رأوا يرى ترى يرون يعتقد تعتقد يعتقدون يقول تقول يقولون يؤكد "
        "تؤكد يظهر تظهر يشير تشير"
    )
    + r")$"
)
_INNER_STOP_RE = re.compile(
    r"[،,.:؛;!?؟\"«»()]|(?:^|\s)(?:لا|لم|لن|قد|ما|التي|الذي|الذين|انه|انها|الي|علي|من|عن)\s"
)


# The type of a continuation ("وأضاف أن") whose speaker is not in the text: someone speaks
# (a reporting verb says so), and in news that someone is most often an office-holder.
UNKNOWN_SPEAKER = "official"
SPEAKER_MEMORY_UNITS = 4  # claim units a named speaker is remembered for (وأضاف, مضيفاً)
MAX_QUOTED_UNITS = 4  # units of one open quotation given to its speaker


Refine = Callable[[str, Span, Attribution], Attribution]
# A bare name's type and basis from a list of known actors (None: not known).
Names = Callable[[str], tuple[str, str] | None]
# Gazetteer actor types -> the source type of a bare name: people in a news gazetteer are
# office-holders, outlets speak as media, bodies, groups, states and capitals as officials.
GAZETTEER_SOURCE_TYPES = {
    "person": "official",
    "outlet": "media",
    "organisation": "official",
    "armed_group": "official",
    "state": "official",
    "place": "official",
}
MIN_NAME_COVER = 0.6  # share of a source's characters a gazetteer name must cover


def gazetteer_names(gazetteer: Gazetteer) -> Names:
    """A :data:`Names` from a gazetteer: the actor whose alias covers most of the source."""

    def names(source: str) -> tuple[str, str] | None:
        length = len(source.strip())
        for match in gazetteer.find(source):
            actor = gazetteer.actors.get(match.actor)
            if actor is None or (match.end - match.start) < MIN_NAME_COVER * length:
                continue
            kind = GAZETTEER_SOURCE_TYPES.get(actor.type)
            if kind is not None:
                return kind, f"gazetteer: {actor.id} ({actor.type})"
        return None

    return names


def attribute_all(
    text: str, spans: Sequence[Span], refine: Refine | None = None, names: Names | None = None
) -> list[Attribution]:
    """Attributions of the claim units ``spans`` of one text, in order.

    ``refine`` (the learned models, :mod:`marsad.claims.models`) rereads each unit's
    attribution before the next unit is attributed, so continuations inherit its reading.
    ``names`` types a bare name the word lists do not (the gazetteer: :func:`gazetteer_names`).

    A continuation (``وأضاف``, ``مضيفاً أن``, ``وتابع``) goes to the last speaker named in the
    few units before it, not only the unit just before (a caption or a heading may stand
    between); the sentences of a quotation opened by an attributed claim are that speaker's
    until the quotation closes."""
    out: list[Attribution] = []
    speaker: Attribution | None = None
    since = 0  # units since the speaker was named
    quoting: Attribution | None = None  # the speaker of an open quotation
    quoted = 0
    named: list[tuple[int, Attribution]] = []  # (unit index, speaker) of recent named speakers
    for index, span in enumerate(spans):
        previous = out[-1] if out else None
        if previous is not None and previous.speaker is not None:
            previous = previous.speaker  # a relay's continuation goes on with the relayer
        if previous is not None and previous.source is None and speaker is not None:
            previous = speaker if since <= SPEAKER_MEMORY_UNITS else previous
        found = attribute(text, span, previous, names)
        if refine is not None:
            found = refine(text, span, found)
        if found.carried_over and found.source is not None and found.verb:
            found = _agreeing(found, named, index)
        if found.carried_over and found.source_span is not None:
            found = _latest_mention(text, found, span[0])
        elif found.source is not None and _THE_SOURCE_RE.fullmatch(normalize(found.source)):
            found = _same_source(found, named, index)
        unit = text[span[0] : span[1]]
        if out and _chained_on(text, spans[index - 1], span):
            if found.pattern == "none":
                found = _chained(out[-1], found)
            elif found.carried_over and found.verb is None and out[-1].source_type == "self":
                # "يشار إلى أن ...، كما أنه لا توجد": no verb goes on from the outlet's voice
                found = Attribution(
                    None,
                    None,
                    None,
                    None,
                    "self",
                    found.hedged,
                    False,
                    found.cited_links,
                    "none",
                    "the statement it is chained to",
                )
        if quoting is not None and found.source is None and found.source_type == "self":
            found = Attribution(
                quoting.source,
                quoting.source_span,
                None,
                None,
                quoting.source_type,
                found.hedged,
                carried_over=True,
                cited_links=found.cited_links,
                pattern="quote",
                type_basis=quoting.type_basis,
            )
        if found.source is None and found.speaker is not None:
            speaker, since = found.speaker, 0  # the actor of "ودعا الأمين العام إلى"
            named = [*named[-SPEAKER_MEMORY_UNITS:], (index, found.speaker)]
        elif found.source is not None:
            speaker, since = found.speaker or found, 0
            if found.relayer is not None:
                named = [*named[-SPEAKER_MEMORY_UNITS:], (index, found.relayer)]
            if not found.carried_over:
                named = [*named[-SPEAKER_MEMORY_UNITS:], (index, speaker)]
        else:
            since += 1
        quoting = _still_quoting(unit, found, quoting)
        quoted = quoted + 1 if quoting is not None else 0
        if quoted > MAX_QUOTED_UNITS:
            quoting, quoted = None, 0
        out.append(found)
    return _tail_frames(text, spans, out)


TAIL_FRAME_MIN_WORDS = 3  # an according-to frame this far into its unit closes the sentence


def _tail_frames(text: str, spans: Sequence[Span], found: list[Attribution]) -> list[Attribution]:
    """An according-to frame closing a sentence (``...، وسط قصف ...، وفق ما أفادت وكالة X``)
    covers the statements of that sentence before it that have no frame of their own."""
    out = list(found)
    for k in range(len(out) - 1, 0, -1):
        tail = out[k]
        if tail.pattern not in ("according_to", "relay") or tail.verb_span is None:
            continue
        if _words(text, spans[k][0], tail.verb_span[0]) < TAIL_FRAME_MIN_WORDS:
            continue  # "وبحسب المرصد، ...": it opens its own statement
        j = k - 1
        while j >= 0 and out[j].pattern == "none" and _same_sentence(text, spans[j], spans[j + 1]):
            out[j] = replace(
                tail,
                verb=None,
                verb_span=None,
                hedged=tail.hedged or out[j].hedged,
                carried_over=True,
                cited_links=out[j].cited_links,
                pattern="chained",
                type_basis=f"the frame closing its sentence: {tail.type_basis}",
            )
            j -= 1
    return out


def _same_sentence(text: str, before: Span, after: Span) -> bool:
    return before[1] <= after[0] and bool(_BETWEEN_CLAUSES_RE.fullmatch(text, before[1], after[0]))


_BETWEEN_CLAUSES_RE = re.compile(r"\s*[،,;؛–—-][\s،,;؛–—-]*")
_CHAINED_OPENING_RE = re.compile(
    r"(?:و(?!كان)\w{2,}(?<!ا)(?:ت|وا)|و?(?:كما|فيما|بينما|في حين|لكن|الا ان|غير ان)|تلاه|تلاها|"
    r"وقبل ذلك|وبعد ذلك)"
    r"(?=\s)"
)


def _chained_on(text: str, before: Span, span: Span) -> bool:
    """The unit goes on the sentence of the unit before it (the splitter cut the sentence at
    a comma before a chained statement: ``...، وعادت``, ``...، كما قتل``)."""
    return bool(
        before[1] <= span[0]
        and _BETWEEN_CLAUSES_RE.fullmatch(text, before[1], span[0])
        and _CHAINED_OPENING_RE.match(normalize(text[span[0] : span[0] + 40]))
    )


def _chained(previous: Attribution, found: Attribution) -> Attribution:
    """A chained statement with no frame of its own is still the reported content of the
    attributed statement it is chained to."""
    if previous.source_type == "self":
        return found
    return replace(
        previous,
        verb=None,
        verb_span=None,
        hedged=previous.hedged or found.hedged,
        carried_over=True,
        cited_links=found.cited_links,
        pattern="chained",
        type_basis="the statement it is chained to",
    )


# Feminine forms of the reporting verbs: past stems + ت, the imperfect with ت where the
# ي form is listed too (تقول / يقول, not تابع), participles in ة, and the weak verbs.
_FEMININE_VERBS = (
    frozenset(normalize(stem + "ت") for stem in _PAST_STEMS.split())
    | frozenset(w for w in _VERB_FORMS if w.startswith("ت") and "ي" + w[1:] in _VERB_FORMS)
    | frozenset(normalize(stem + "ة") for stem in _PARTICIPLE_STEMS.split())
    | frozenset(
        normalize(w)
        for w in ["نفت", "ادعت", "روت", "رأت", "عزت", "اشتكت", "شكت", "مضت", "زادت", "نافية"]
    )
)
# Titles of a man (a feminine form ends in ة): a feminine verb does not continue them.
_MASCULINE_TITLE_RE = re.compile(
    r"^(?:و|ف)?(?:ال)?(?:"
    + _fold(
        "متحدث ناطق وزير رئيس مدير محامي مسؤول محلل خبير سفير قائد نائب مستشار أمين عميد "
        "لواء عقيد ضابط مندوب ممثل محافظ ملك أمير شيخ مراسل باحث أستاذ طبيب"
    )
    + r")(?=\s|$)"
)


def _gender(verb: str) -> str | None:
    """``f`` for a feminine reporting verb (قالت، تضيف، مضيفةً), else ``None``."""
    folded = normalize(verb).split()
    if not folded:
        return None
    word = folded[0]
    if word[:1] in "وف" and word[1:] in _VERB_FORMS:
        word = word[1:]
    return "f" if word in _FEMININE_VERBS else None


_NAME_TOKEN_RE = re.compile(r"[\u0621-\u064A]{3,}")


def _latest_mention(text: str, found: Attribution, before: int) -> Attribution:
    """A continuation points at the most recent mention naming its speaker (``وأوضح لافروف``
    after ``وزير الخارجية سيرغي لافروف``), as an analyst reads it back: the speaker's last
    name, with the words of the named source just before it."""
    assert found.source is not None and found.source_span is not None
    words = found.source.split()
    name = words[-1].strip("\"'«»“”()،,.:") if words else ""
    if not _NAME_TOKEN_RE.fullmatch(name) or normalize(name).startswith("ال"):
        return found  # a title or a body (المتحدث، الجيش): no name to look for
    pattern = re.compile(r"(?<![\w])" + re.escape(name) + r"(?![\w])")
    mentions = list(pattern.finditer(text, found.source_span[1], before))
    if not mentions:
        return found
    last = mentions[-1]
    start = last.start()
    for word in reversed(words[:-1]):  # "سيرغي لافروف": the first name when it is there too
        head = text.rfind(word, max(0, start - len(word) - 2), start)
        if head < 0 or text[head + len(word) : start].strip():
            break
        start = head
    return replace(found, source=text[start : last.end()], source_span=(start, last.end()))


_THE_SOURCE_RE = re.compile(r"(?:ال)?(?:مصدر|مصادر)(?: نفسه| ذاته| نفسها| ذاتها)?")


def _same_source(
    found: Attribution, named: list[tuple[int, Attribution]], index: int
) -> Attribution:
    """``وأكد المصدر أن``: the source named just before (``مصدر مسؤول بوزارة الخارجية``, the
    ministry's on-record voice) keeps its type."""
    for at, candidate in reversed(named):
        if index - at > SPEAKER_MEMORY_UNITS * 2 or candidate.source is None:
            break
        if normalize(candidate.source).startswith(("مصدر", "مصادر", "المصدر", "المصادر")):
            if candidate.source_type == found.source_type:
                return found
            basis = f"the source named before: {candidate.source}"
            return replace(found, source_type=candidate.source_type, type_basis=basis)
    return found


def _agreeing(found: Attribution, named: list[tuple[int, Attribution]], index: int) -> Attribution:
    """A continuation goes on with the most recent speaker its verb agrees with: ``وقالت``
    not after ``محاميه``, ``وأضاف`` not after ``مصادر طبية`` (then the observatory that
    relayed them), ``وأضافوا`` after people, not after a ministry."""
    if found.source is None:
        return found
    form = _verb_form(found.verb or "")
    if form is None or form in _accepts(found.source):
        return found
    for at, candidate in reversed(named):
        if index - at > SPEAKER_MEMORY_UNITS * 2 or candidate.source is None:
            break
        if form in _accepts(candidate.source):
            return replace(
                found,
                source=candidate.source,
                source_span=candidate.source_span,
                source_type=candidate.source_type,
                type_basis=candidate.type_basis,
            )
    return found


_PLURAL_PEOPLE_RE = re.compile(
    r"^(?:و|ف)?(?:ال)?(?:"
    + _fold(
        "شهود سكان أهالي نشطاء ناشطون ناشطين مسؤولون مسؤولين مسئولون مسئولين محللون محللين "
        "خبراء مراقبون مراقبين مواطنون مواطنين معارضون معارضين دبلوماسيون دبلوماسيين قادة "
        "مقاتلون مقاتلين متظاهرون محتجون نازحون لاجئون أطباء"
    )
    + r")(?=\s|$)"
)
_NON_HUMAN_PLURAL_RE = re.compile(
    r"^(?:و|ف)?(?:ال)?(?:" + _fold("مصادر تقارير وسائل وكالات صحف أوساط جهات") + r")(?=\s|$)"
)
# a definite feminine noun or an institution (not a man's name in ة: أسامة، حمزة)
_FEMININE_HEAD_RE = re.compile(
    r"^(?:و|ف)?(?:ال\S{2,}ه(?=\s|$)|(?:"
    + _fold(
        "وزارة وكالة صحيفة قناة حكومة منظمة هيئة لجنة شركة حركة جماعة مجموعة شبكة مفوضية "
        "رئاسة قيادة سفارة محكمة"
    )
    + r")(?=\s))"
)


def _accepts(source: str) -> frozenset[str]:
    """Verb forms a continuation naming no subject can take after ``source``: ``m`` (أضاف),
    ``f`` (أضافت) or ``p`` (أضافوا); every form when the words do not tell."""
    folded = normalize(" ".join(source.split()))
    if _PLURAL_PEOPLE_RE.match(folded):
        return frozenset("p")
    if _NON_HUMAN_PLURAL_RE.match(folded):
        return frozenset("fp")
    if _MASCULINE_TITLE_RE.match(folded):
        return frozenset("m")
    if _FEMININE_HEAD_RE.match(folded):
        return frozenset("f")
    return frozenset("mfp")


def _verb_form(verb: str) -> str | None:
    """``f``, ``p`` or ``m`` for a continuation verb (قالت، قالوا، قال), ``None`` unknown."""
    words = normalize(verb).split()
    if not words:
        return None
    word = words[0]
    if word[:1] in "وف" and word[1:] in _VERB_FORMS:
        word = word[1:]
    if word not in _VERB_FORMS:
        return None
    if word in _FEMININE_VERBS:
        return "f"
    if word.endswith(("وا", "ون", "ين")):
        return "p"
    return "m"


def _still_quoting(
    unit: str, found: Attribution, quoting: Attribution | None
) -> Attribution | None:
    """The speaker whose quotation is still open after ``unit``."""
    opened = unit.count("«") - unit.count("»") + unit.count("“") - unit.count("”")
    straight = unit.count('"') % 2 == 1
    if quoting is None:
        return found if found.source is not None and (opened > 0 or straight) else None
    return None if opened < 0 or straight else quoting


def attribute(
    text: str, span: Span, previous: Attribution | None = None, names: Names | None = None
) -> Attribution:
    """Attribution of the claim ``text[span[0]:span[1]]``; ``previous`` is the claim before it."""
    claim = text[span[0] : span[1]]
    if _LATIN_LETTER_RE.search(claim) and arabic_letter_share(claim) < ENGLISH_MAX_ARABIC_SHARE:
        return _attribute_english(text, span, previous)
    folded = normalize(claim)  # one str.translate; offsets are only built when needed
    hedged = _gate(folded, _HEDGE_KEYS) and bool(_HEDGES.search(folded))
    links = _URL_RE.findall(claim)
    removed: list[int] = []
    offsets: list[int] = []

    def real(local: tuple[int, int]) -> Span:
        if len(folded) == len(claim):  # nothing folded away: offsets are the identity
            return span[0] + local[0], span[0] + local[1]
        if not removed and not offsets:
            removed.extend(m.start() for m in _REMOVED_RE.finditer(claim))
            if len(folded) != len(claim) - len(removed):  # not only deletions: map every char
                offsets.extend(normalize_with_offsets(claim)[1])
        if offsets:
            s, e = map_span(offsets, *local)
        else:
            s, e = _unfold(removed, local[0]), _unfold(removed, local[1] - 1) + 1
        return span[0] + s, span[0] + e

    frame = (_colon_frame(folded) if ":" in folded else None) or _find_frame(folded)
    if frame is None and previous is not None and _continues(folded):
        frame = _Frame(None, None, carried=True, how="carried_over")
    if (
        frame is not None
        and frame.source is not None
        and previous is not None
        and _HONORIFIC_RE.fullmatch(folded, *frame.source)
    ):  # "وأكد سموه أن": his highness is the one named before
        frame = replace(frame, source=None, carried=True, how="carried_over")
    if (
        frame is not None
        and frame.source is not None
        and _OUR_REPORTER_RE.search(folded, *frame.source)
    ):  # "أفاد مراسلنا", "حسب مراسلنا": the outlet's own observation
        frame = replace(frame, source=None, kind="self", how="own_observation")
    if frame is None:  # the outlet's own voice, hedged or not ("يبدو أن", "ربما")
        actor = _actor(folded)
        speaker = None
        if actor is not None:  # "ودعا الأمين العام إلى ...": the act is the news, and he may
            actor_span = real(actor)  # go on speaking ("وقال إن")
            kind, basis = _classify_basis(folded[slice(*actor)], "", "")
            speaker = Attribution(
                text[actor_span[0] : actor_span[1]],
                actor_span,
                None,
                None,
                kind or "official",
                hedged,
                pattern="performative",
                type_basis=basis or "bare name",
            )
        return Attribution(
            None, None, None, None, "self", hedged, False, links, "none", "no frame", speaker
        )
    vspan = real(frame.verb) if frame.verb else None
    verb = text[vspan[0] : vspan[1]].strip() if vspan else None
    report = _through_report(folded, frame)
    if frame.carried:
        if previous is not None and previous.source is not None:
            kind, basis = previous.source_type, previous.type_basis
            if report and kind in _SPEAKS_THROUGH:
                kind, basis = "document_or_image", report
            platform = frame.frame and _PLATFORM_RE.search(folded, *frame.frame)
            if platform and frame.how == "according_to":  # "بحسب ما نشره على حسابه"
                kind, basis = "social_media", f"platform: {platform.group().strip()}"
            return Attribution(
                previous.source,
                previous.source_span,
                verb,
                vspan,
                kind,
                hedged,
                carried_over=True,
                cited_links=links,
                pattern=frame.how,
                type_basis=basis,
            )
        known = previous is not None and previous.source_type != "self"
        kind = previous.source_type if known and previous is not None else UNKNOWN_SPEAKER
        basis = "the previous claim" if known else "unknown speaker"
        if report and kind in _SPEAKS_THROUGH:
            kind, basis = "document_or_image", report
        return Attribution(
            None, None, verb, vspan, kind, hedged, bool(previous), links, frame.how, basis
        )
    if frame.source is None:
        kind, how = frame.kind or "self", frame.how
        return Attribution(None, None, verb, vspan, kind, hedged, False, links, how, how)
    if _RUMOUR_HEAD_RE.match(folded[slice(*frame.source)]):
        # "وكانت شائعات كثيرة قد نقلت أن": hearsay named as its own source
        return Attribution(
            None, None, verb, vspan, "unattributed", True, False, links, "hearsay", "hearsay"
        )
    src = real(frame.source)
    source = text[src[0] : src[1]]
    found, basis = _classify_basis(
        folded[slice(*frame.source)],
        folded[slice(*frame.frame)] if frame.frame else "",
        folded[slice(*frame.verb)] if frame.verb else "",
    )
    if found is None and names is not None:  # a bare name the gazetteer knows
        listed = names(source)
        if listed is not None:
            found, basis = listed
    if found is None:  # a bare name: the role words of its earlier mention, else an official
        context = _folded_before(text, span[0])
        found = _type_from_context(folded[slice(*frame.source)], context)
        found = "witness_local" if found == "activist" else found
        basis = "earlier mention" if found else "bare name"
    if report and (found or "official") in _SPEAKS_THROUGH:
        found, basis = "document_or_image", report
    outer = frame.outer
    speaker = None
    if outer is not None and outer.source is not None and not outer.carried:
        outer_span = real(outer.source)
        outer_kind, outer_basis = _classify_basis(folded[slice(*outer.source)], "", "")
        speaker = Attribution(
            text[outer_span[0] : outer_span[1]],
            outer_span,
            None,
            None,
            outer_kind or "official",
            hedged,
            pattern=outer.how,
            type_basis=outer_basis,
        )
    relayer = None
    if frame.channel is not None:
        channel_span = real(frame.channel)
        channel_kind, channel_basis = _classify_basis(folded[slice(*frame.channel)], "", "")
        relayer = Attribution(
            text[channel_span[0] : channel_span[1]],
            channel_span,
            None,
            None,
            channel_kind or "official",
            hedged,
            pattern="relay",
            type_basis=channel_basis,
        )
    return Attribution(
        source,
        src,
        verb,
        vspan,
        found or "official",
        hedged,
        False,
        links,
        frame.how,
        basis,
        speaker,
        relayer,
    )


def _through_report(folded: str, frame: _Frame) -> str:
    """``in a report`` between the clause start and the complementiser of a speaker's frame
    (``قالت المنظمة في تقرير إن``): the basis of a ``document_or_image`` type, else ``""``."""
    if frame.how not in ("verb_first", "source_first", "carried_over") or frame.frame is None:
        return ""
    if not _gate(folded, _REPORT_KEYS):
        return ""
    found = _IN_REPORT_RE.search(folded, 0, frame.frame[1])
    return f"through a report: {found.group().strip()}" if found else ""


_REPORT_KEYS = ("تقرير", "تقارير", "دراس", "مسح", "احصا", "تقديرات", "بحث", "ابحاث")


def type_of_source(
    text: str, span: Span, source: str, found: Attribution, verb_span: Span | None
) -> tuple[str, str]:
    """The rules' type (and basis) of a source found otherwise (the learned tagger) in the
    claim ``text[span]``: word lists, then the earlier mention of a bare name."""
    folded = normalize(source)
    verb = normalize(text[verb_span[0] : verb_span[1]]) if verb_span else ""
    kind, basis = _classify_basis(folded, verb, verb)
    if kind is None:
        kind = _type_from_context(folded, _folded_before(text, span[0]))
        kind = "witness_local" if kind == "activist" else kind
        basis = "earlier mention" if kind else "bare name"
    return kind or "official", basis


# "مصادر محلية: ..." / "⚡ ناشطون: ..." (Telegram posts and headlines): a short noun phrase
# and a colon open the claim; rubric labels ("عاجل |", "اقتصاد |") may come first.
_LABELS = _fold("عاجل خاص متابعة فيديو بالفيديو بالصور شاهد اقتصاد رياضة محليات تحديث هام")
_COLON_FRAME_RE = re.compile(
    r"^(?:[^\w\s]+\s*)?(?:(?:" + _LABELS + r")\s*[|:\-–]\s*)?"
    r"(?P<source>[^\W\d][^:|،,.!?؟\n]{1,60}?)\s*:\s*\S"
)
MAX_COLON_SOURCE_WORDS = 5
_RUMOUR_HEAD_RE = re.compile(
    r"(?:ال)?(?:شايعات|اشاعات|شايعه|اشاعه|اقاويل|هناك من|ثمه من)(?=\s|$)"
    r"|(?:(?:و|ف)?(?:كلها|كل) )?(?:ال)?(?:تقارير|انباء|اخبار)"
    r"(?: (?:اخري|عديده|متطابقه|اوليه|متداوله|متواتره|غير موكده|الوارده[^،,]*))?$"
)
# (folding deletes the tatweel of "ــ", leaving two spaces)
_BYLINE_MARK_RE = re.compile(r"ـ|\s\s|\s[-–]\s|[()|/]")


def _colon_frame(folded: str) -> _Frame | None:
    found = _COLON_FRAME_RE.match(folded)
    if found is None:
        return None
    start, colon = found.span("source")
    cut = _cut_circumstantial(folded, start, colon)  # "مصدر عسكري لـ«الحياة»:" -> the source
    end = colon
    if cut is not None and cut[0] == start and folded[cut[1] : colon].strip()[:1] in ("ل", "ف"):
        end = cut[1]  # an addressee or an occasion (لـ«الحياة»، في مقابلة), not a date
    words = folded[start:end].split()
    if not words or len(words) > MAX_COLON_SOURCE_WORDS or words[0] in _LABELS.split("|"):
        return None
    if _BYLINE_MARK_RE.search(folded, start, end):
        return None  # "محمد زامل ــ سبق ــ الرياض:", "(واشنطن):": a byline or dateline
    if next(_verbs(folded, 0, end), None) is not None:
        return None  # "قال الوزير: ..." is a verb frame
    head = words[0][1:] if words[0][:1] in "وف" and words[0][1:].startswith("ال") else words[0]
    if _head_type(folded[start:end]) is None and (head.startswith("ال") or len(words) > 3):
        # "الإنفاق الذاتي: ...", "أقولها بطريقة أخرى مفهومة أكثر: ...": a label or the
        # writer's own lead-in, not a speaker (names are short: "لافروف:", "أبو محمد:")
        return None
    return _Frame((start, end), (colon, folded.index(":", colon) + 1), how="colon")


_LATIN_LETTER_RE = re.compile(r"[A-Za-z]")
ENGLISH_MAX_ARABIC_SHARE = 0.3  # a claim with fewer Arabic letters is read with English rules


def _attribute_english(text: str, span: Span, previous: Attribution | None) -> Attribution:
    claim = text[span[0] : span[1]]
    hedged, cited = english.is_hedged(claim), english.links(claim)
    frame = english.find_english_frame(claim)
    if frame is None:
        return Attribution(None, None, None, None, "self", hedged, False, cited, "none", "no frame")
    (s, e), (vs, ve) = frame
    source = claim[s:e]
    verb_span = (span[0] + vs, span[0] + ve)
    if english.is_pronoun(source) and (previous is None or previous.source is None):
        kind = previous.source_type if previous is not None else "self"
        basis = "the previous claim" if previous is not None else "no speaker"
        return Attribution(
            None, None, claim[vs:ve], verb_span, kind, hedged, False, cited, "carried_over", basis
        )
    if english.is_pronoun(source) and previous is not None and previous.source is not None:
        return Attribution(
            previous.source,
            previous.source_span,
            claim[vs:ve],
            verb_span,
            previous.source_type,
            hedged,
            True,
            cited,
            "carried_over",
            previous.type_basis,
        )
    return Attribution(
        source,
        (span[0] + s, span[0] + e),
        claim[vs:ve],
        verb_span,
        english.english_source_type(source),
        hedged,
        False,
        cited,
        "english",
        "english word lists",
    )


_LAST_TEXT: dict[str, Any] = {}


def _folded_before(text: str, end: int) -> str:
    """The folded text of the ``NAME_LOOKBACK_CHARS`` characters before ``end``; the article
    is folded once for all its claims (the last text is kept)."""
    if _LAST_TEXT.get("text") is not text:
        folded, offsets = normalize_mapped(text)
        _LAST_TEXT.update(text=text, folded=folded, offsets=offsets)
    folded, offsets = _LAST_TEXT["folded"], _LAST_TEXT["offsets"]
    start = max(0, end - NAME_LOOKBACK_CHARS)
    if offsets is None:
        return str(folded[start:end])
    return str(folded[bisect_left(offsets, start) : bisect_left(offsets, end)])


# A clause continuing the previous speaker's reported speech: "كما أن ...", "وأن ...".
_CONTINUED_SPEECH_RE = re.compile(r"^(?:كما|و)?\s?ان(?:ه|ها|هم)?\s")


# "وزاد أن ...": زاد continues a speaker only before what he said (else "increased").
_ADDED_RE = re.compile(r"^(?:و|ف)?زاد(?:ت|وا)?\s?(?:ان|بان|قائلا|قائله|بالقول|:)")


def _continues(folded: str) -> bool:
    return bool(
        _CARRY_RE.match(folded) or _CONTINUED_SPEECH_RE.match(folded) or _ADDED_RE.match(folded)
    )
