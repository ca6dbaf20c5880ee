"""Attribution of a claim: who it is attributed to, with which reporting verb, and hedging.

Rules, on the claim's text folded with ``ar-norm-v1`` (offsets map back to the original):

* **Verb first** (``أفادت مصادر أهلية بأن ...``, ``وقال وزير الخارجية في مؤتمر صحفي إن ...``):
  the source is what stands between the reporting verb and the complementiser (``أن``, ``إن``,
  ``بأن``, a colon or an opening quote), minus a trailing circumstantial phrase (``في ...``,
  ``خلال ...``, ``اليوم``).
* **Source first** (``وزارة الدفاع أعلنت أن ...``): a short noun phrase before the verb.
* **Prepositional** (``... وفقاً لوزارة الصحة``, ``بحسب ناشطين``, ``نقلاً عن وكالة ...``): the
  words after the preposition up to the next punctuation.
* **Carried over** (``وأضاف أن ...``, ``مضيفاً أن ...``): no source named, so the previous
  claim's source is used.
* No reporting verb: ``unattributed`` when hedged (``تردد أن``, ``أنباء عن``), else ``self``
  (the outlet's own voice).

The source type comes from ordered keyword rules over the source (see ``SOURCE_TYPES``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from marsad.normalize import map_span, normalize_with_offsets
from marsad.records import Span

COMPONENT = "claims.attribution.v1"
SOURCE_TYPES = {
    "official": "Government bodies and officials, armies, police, parliaments, courts, "
    "international organisations and their spokespeople.",
    "media": "Another outlet, agency, channel or 'media reports' named as the source.",
    "expert": "An analyst, academic, engineer, economist or researcher speaking as an expert.",
    "witness_local": "Eyewitnesses, residents, local people speaking from the scene.",
    "anonymous": "Unnamed sources: 'مصادر مطلعة', 'مصادر محلية', 'مصدر مسؤول'.",
    "document_or_image": "A document, report, statement text, study, data, photos, video or "
    "satellite images.",
    "social_media": "A tweet, post, Telegram channel, activists or users on social networks.",
    "self": "No attribution: the outlet states the claim in its own voice.",
    "unattributed": "Hedged hearsay with no source ('تردد أن', 'أنباء عن').",
}
_VERBS = (
    "قال|قالت|قالوا|يقول|تقول|اكد|اكدت|اكدوا|يوكد|توكد|اعلن|اعلنت|يعلن|تعلن|افاد|افادت|"
    "يفيد|تفيد|ذكر|ذكرت|يذكر|تذكر|اشار|اشارت|يشير|تشير|نقل|نقلت|اعترف|اعترفت|كشف|كشفت|"
    "يكشف|تكشف|زعم|زعمت|يزعم|تزعم|نفي|نفت|ينفي|تنفي|اوضح|اوضحت|يوضح|توضح|اضاف|اضافت|"
    "صرح|صرحت|حذر|حذرت|اتهم|اتهمت|ادعي|ادعت|اظهرت|اظهر|تظهر|يظهر|بين|بينت|لفت|لفتت|اعتبر|"
    "اعتبرت|اورد|اوردت|بث|بثت|نشر|نشرت|تابع|تابعت|شدد|شددت|رجح|رجحت|توقع|توقعت|روي|روت|"
    "ابلغ|ابلغت|اكدا|قالا|افادوا|ذكروا|اشاروا|تداول|تداولت|يتداول|زعموا|نفوا|اتهموا|"
    "كتب|كتبت|راي|رات|يري|تري|حذروا|طالب|طالبت|وصف|وصفت|عزا|عزت|ارجع|ارجعت"
)
_VERB_RE = re.compile(r"(?:^|(?<=\s))(?:و|ف)?(?P<verb>" + _VERBS + r")(?=\s|$|:)")
_PREP_RE = re.compile(
    r"(?P<verb>وفقا ل|وفقا لما (?:اورده|اوردته|ذكره|ذكرته|نشره|نشرته)|وفق|طبقا ل|بحسب ما "
    r"(?:اورده|اوردته|ذكره|ذكرته|نشره|نشرته|نقله|نقلته)|بحسب|حسب|نقلا عن|علي لسان|استنادا الي|"
    r"كما جاء في|جاء في)\s*(?:ال)?"
)
_COMP_RE = re.compile(r"\s(?:ب?ان|الي ان|علي ان|من ان)(?:ه|ها|هم|هما|هن|نا|ني)?\s|\s?:|\s?[\"«“]")
_TRAILING_PP_RE = re.compile(
    r"\s(?:في|خلال|امام|عبر|اثناء|لدي|اليوم|امس|مساء|صباح|ظهر|مطلع|نهايه|بعد|قبل)\b.*$|\sل\S+$"
)
_CARRY_VERBS = re.compile(
    r"^(?:و|ف)?(?:اضاف|اضافت|تابع|تابعت|تابعوا|اشار|اشارت|لفت|لفتت|اوضح|اوضحت|شدد|شددت|اكد|"
    r"اكدت|مضيفا|مضيفه|مشيرا|مشيره|موكدا|موكده|لافتا|لافته|موضحا|موضحه|منوها|منوهه)\b"
)
# A clause continuing the previous speaker's reported speech: "كما أن ...", "وأن ...".
_CONTINUED_SPEECH_RE = re.compile(r"^(?:كما|و)?\s?ان(?:ه|ها|هم)?\s")
_HEDGES = re.compile(
    r"\b(?:يعتقد|يبدو|علي ما يبدو|من المفترض|من المرجح|يرجح|ربما|قد|تردد|ترددت|يتردد|انباء عن|"
    r"انباء تفيد|انباء غير موكده|يشتبه|مزاعم|يزعم|زعم|يقال|قيل|لم يتسن|غير موكد|غير موكده|"
    r"محتمل|يحتمل|من المحتمل|علي الارجح)\b"
)
_URL_RE = re.compile(r"https?://\S+|t\.me/\S+")
MAX_SOURCE_WORDS = 12
_LEAD_CONNECTIVE_RE = re.compile(
    r"(?:(?:و|ف)?(?:فيما|بينما|من جهتهم|من جهتها|من جهته|من جانبهم|من جانبها|من جانبه|"
    r"في المقابل|لكن|كما|غير ان|الا ان|حول [^ ]+ [^ ]+|في هذا السياق|الي ذلك|بدورهم|بدورها|"
    r"بدوره|كانوا|كانت|كان)(?=[\s،,]|$)[\s،,]*)+"
)
_AUX_RE = re.compile(r"\s+قد\s*$")  # "وكانت صحيفة ... قد نشرت"
_SOURCE_END_RE = re.compile(
    r"[،,](?!\s*(?:وهو|وهي|وهم|احد|احدي|عضو|العضو|اختصاصي|اختصاصيه|استاذ|مدير|رئيس|"
    r"الخبير|الخبيره|الباحث|الباحثه|المسوول|الناطق|المتحدث)\b)|\s(?:وفقا|بحسب|حسب|نقلا)\b"
    r"|\s(?:صحه|وجود|عن|في تغريده|في حسابه|في حسابها|علي حسابه|علي حسابها)\b"
)
MAX_SUBJECT_WORDS = 3  # subject of a transitive verb ("أظهرت صور الأقمار الصناعية ...")
_TRANSITIVE_RE = re.compile(r"تداول|تداولت|يتداول|نشر|نشرت|بث|بثت|اظهرت|اظهر|تظهر|يظهر")
_STOP_WORD_RE = re.compile(r"علي|في|عبر|من|عن|الي|مقطع|مقطعا|صوره|صورا|فيديو|تسجيلا|بيانا")
MAX_SV_SOURCE_WORDS = 6
VERB_WINDOW_WORDS = 4  # a verb-first attribution starts within this many words
# Ordered rules: the first type whose pattern matches the (folded) source wins.
_WORD_START = r"(?:^|(?<=[\s\"«(]))(?:و|ب|ل|ف)?(?:ال)?"  # a word's start, with clitics
_TYPE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(_WORD_START + "(?:" + pattern + ")"))
    for kind, pattern in (
        ("anonymous", r"مصادر|مصدر|مسوول رفض|طلب عدم|مطلع|مطلعه|مسوولون\b"),
        (
            "social_media",
            r"تغريد|غرد|تويتر|فيسبوك|فيس بوك|تلغرام|تليغرام|منشور|ناشط|نشطاء|مدون|"
            r"مواقع التواصل|وسائل التواصل|يوتيوب|انستغرام|حساب|منصه|اكس\b|مستخدم|صفحه|تيك توك",
        ),
        (
            "document_or_image",
            r"صور|فيديو|مقطع|تسجيل|وثيق|وثائق|تقرير|دراس|بيانات|خريط|رساله|اقمار|بيان\b",
        ),
        ("witness_local", r"شهود|شاهد|سكان|اهالي|مواطن|عيان|اهل\b|مزارع|سائق|صاحب"),
        (
            "media",
            r"وكاله|صحيف|جريده|قناه|موقع|تلفزيون|اذاع|وسائل اعلام|وسائل الاعلام|مجله|"
            r"شبكه|رويترز|فرانس برس|اسوشيتد|سانا|واس\b",
        ),
        (
            "official",
            r"(?:وزير|وزاره|مدير|رئيس|محافظ|امير|متحدث|ناطق|قائد|سفير|ملك|نائب|امين عام)\b",
        ),
        ("expert", r"خبير|محلل|استاذ|باحث|اكاديمي|مهندس|اقتصادي|خبراء|مختص|اخصائي|اختصاصي|طبيب"),
        (
            "official",
            r"وزار|وزير|حكوم|رئيس|رئاس|متحدث|ناطق|جيش|قوات|شرطه|مديري|هيي|"
            r"مجلس|امم المتحده|منظمه|سفير|محافظ|امير|ملك|قائد|بلدي|بيت الابيض|"
            r"بنتاغون|خارجيه|داخليه|دفاع|تحالف|مكتب|سلطات|مسوول|نائب|"
            r"لجنه|ادار|قياد|امين|مدير|دائر|مفوضي|محكم|نيابه|برلمان|كونغرس",
        ),
    )
)


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


def source_type(source: str | None, hedged: bool) -> str:
    """Type of a source text (``None``: self or unattributed)."""
    if source is None:
        return "unattributed" if hedged else "self"
    folded, _ = normalize_with_offsets(source)
    for kind, pattern in _TYPE_RULES:
        if pattern.search(folded):
            return kind
    return "official"  # a named person without a role word: most often an official


def _words_between(folded: str, start: int, end: int) -> int:
    return len(folded[start:end].split())


def _source_after_verb(folded: str, verb_end: int, verb: str) -> tuple[int, int] | None:
    if _TRANSITIVE_RE.fullmatch(verb):  # "تداول ناشطون مقطعاً": the subject, then the object
        words = list(re.finditer(r"\S+", folded[verb_end:]))[:MAX_SUBJECT_WORDS]
        stop = next((k for k, w in enumerate(words) if _STOP_WORD_RE.fullmatch(w.group())), None)
        words = words[:stop] if stop else words
        if not words:
            return None
        return verb_end + words[0].start(), verb_end + words[-1].end()
    comp = _COMP_RE.search(folded, verb_end)
    limit = comp.start() if comp else len(folded)
    if _words_between(folded, verb_end, limit) > MAX_SOURCE_WORDS:
        return None
    chunk = folded[verb_end:limit]
    trailing = _TRAILING_PP_RE.search(chunk)
    end = verb_end + (trailing.start() if trailing else len(chunk))
    start = verb_end
    while start < end and folded[start] in " ،,":
        start += 1
    while end > start and folded[end - 1] in " ،,":
        end -= 1
    return (start, end) if end > start else None


def _prepositional(folded: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    for match in _PREP_RE.finditer(folded):
        stop = re.search(r"[،,.؛;:!?؟\n]|\s(?:ان|بان|الي ان)\s", folded[match.end() :])
        end = match.end() + (stop.start() if stop else len(folded) - match.end())
        if 0 < _words_between(folded, match.end(), end) <= MAX_SOURCE_WORDS:
            return (match.start("verb"), match.end("verb")), (match.end(), end)
    return None


def attribute(text: str, span: Span, previous: Attribution | None = None) -> Attribution:
    """Attribution of the claim ``text[span[0]:span[1]]``; ``previous`` is the claim before it."""
    claim = text[span[0] : span[1]]
    folded, offsets = normalize_with_offsets(claim)
    hedged = bool(_HEDGES.search(folded))
    links = _URL_RE.findall(claim)

    def real(local: tuple[int, int]) -> Span:
        s, e = map_span(offsets, *local)
        return span[0] + s, span[0] + e

    lead = _LEAD_CONNECTIVE_RE.match(folded)
    begin = lead.end() if lead else 0  # "فيما قال ...", "من جهتها، حذرت ...", "وكانت ... قد"
    verb = _VERB_RE.search(folded, begin)
    if verb and _words_between(folded, begin, verb.start()) <= VERB_WINDOW_WORDS:
        if _words_between(folded, begin, verb.start()) == 0 or _CARRY_VERBS.match(folded):
            found = _source_after_verb(folded, verb.end(), verb.group("verb"))
            if found is None and previous is not None and previous.source is not None:
                return _carried(
                    previous, real((verb.start("verb"), verb.end())), text, hedged, links
                )
        else:  # source first: "وزارة الدفاع أعلنت أن"
            aux = _AUX_RE.search(folded, 0, verb.start())
            subject_end = aux.start() if aux else verb.start()
            found = (
                (begin, subject_end)
                if _words_between(folded, begin, verb.start()) <= MAX_SV_SOURCE_WORDS
                else None
            )
            found = _strip_conj(folded, found)
        found = _cut_source(folded, found)
        if found:
            src, vspan = real(found), real((verb.start("verb"), verb.end()))
            source = text[src[0] : src[1]]
            return Attribution(
                source,
                src,
                text[vspan[0] : vspan[1]],
                vspan,
                source_type(source, hedged),
                hedged,
                cited_links=links,
            )
    prep = _prepositional(folded)
    if prep:
        vspan, src = real(prep[0]), real(prep[1])
        source = text[src[0] : src[1]]
        return Attribution(
            source,
            src,
            text[vspan[0] : vspan[1]].strip(),
            vspan,
            source_type(source, hedged),
            hedged,
            cited_links=links,
        )
    carries = _CARRY_VERBS.match(folded) or _CONTINUED_SPEECH_RE.match(folded)
    if carries and previous is not None and previous.source is not None:
        return _carried(previous, None, text, hedged, links)
    return Attribution(None, None, None, None, source_type(None, hedged), hedged, cited_links=links)


def _strip_conj(folded: str, found: tuple[int, int] | None) -> tuple[int, int] | None:
    if found is None:
        return None
    start, end = found
    lead = _LEAD_CONNECTIVE_RE.match(folded, start)
    if lead and lead.end() <= end:
        start = lead.end()
    if folded[start : start + 1] in ("و", "ف") and folded[start + 1 : start + 2] == "ا":
        start += 1  # "والوزارة" -> "الوزارة"
    while end > start and folded[end - 1] in " ،,":
        end -= 1
    return (start, end) if end > start else None


def _cut_source(folded: str, found: tuple[int, int] | None) -> tuple[int, int] | None:
    """End a source at a comma or at a nested attribution ("..., وفقا لما اوردته صحيفة")."""
    if found is None:
        return None
    start, end = found
    cut = _SOURCE_END_RE.search(folded, start, end)
    if cut:
        end = cut.start()
    while end > start and folded[end - 1] in " ،,":
        end -= 1
    return (start, end) if end > start else None


def _carried(
    previous: Attribution, verb_span: Span | None, text: str, hedged: bool, links: list[str]
) -> Attribution:
    verb = text[verb_span[0] : verb_span[1]] if verb_span else None
    return Attribution(
        previous.source,
        previous.source_span,
        verb,
        verb_span,
        previous.source_type,
        hedged,
        carried_over=True,
        cited_links=links,
    )
