"""Claim splitting and rule-based attribution on sentences written for the project."""

from __future__ import annotations

import pytest

from marsad.claims.attribution import SOURCE_TYPES, Attribution, attribute
from marsad.claims.split import split_claims, split_sentence
from marsad.segment import segment

CHAINED = (
    "قصفت الطائرات الحربية المدينة صباح اليوم، وقبل ذلك سقطت ثلاث قذائف على السوق الشعبي، "
    "كما أعلن الجيش عن مقتل خمسة مسلحين في اشتباكات، تلاه بيان من وزارة الداخلية يؤكد اعتقال "
    "عشرين شخصاً."
)


def test_chained_sentence_becomes_several_claims() -> None:
    spans = split_sentence(CHAINED, 0, len(CHAINED))
    assert [CHAINED[s:e] for s, e in spans] == [
        "قصفت الطائرات الحربية المدينة صباح اليوم",
        "وقبل ذلك سقطت ثلاث قذائف على السوق الشعبي",
        "كما أعلن الجيش عن مقتل خمسة مسلحين في اشتباكات",
        "تلاه بيان من وزارة الداخلية يؤكد اعتقال عشرين شخصاً.",
    ]


def test_short_sentences_and_inner_kama_stay_whole() -> None:
    for text in ("الأمر كما هو، لم يتغير شيء.", "ارتفع سعر الخبز، كما متوقع."):
        assert split_sentence(text, 0, len(text)) == [(0, len(text))]


def test_participle_carries_a_second_claim_of_the_same_speaker() -> None:
    text = "وقال الوزير إن المفاوضات مستمرة، مضيفاً أن الاتفاق سيوقع الأسبوع المقبل."
    claims = split_claims(text, segment(text))
    assert [text[c.span[0] : c.span[1]] for c in claims] == [
        "وقال الوزير إن المفاوضات مستمرة",
        "مضيفاً أن الاتفاق سيوقع الأسبوع المقبل.",
    ]
    first = attribute(text, claims[0].span)
    second = attribute(text, claims[1].span, first)
    assert second.carried_over and second.source == "الوزير" and second.source_type == "official"


@pytest.mark.parametrize(
    ("claim", "source", "verb", "kind"),
    [
        (
            "أفادت مصادر أهلية في ريف دير الزور بأن مروحيتين هبطتا فجر اليوم",
            "مصادر أهلية في ريف دير الزور",  # the place belongs to the source (GUIDELINES)
            "أفادت",
            "anonymous",
        ),
        (
            "وقال وزير الخارجية أيمن الصفدي في مؤتمر صحفي إن المفاوضات مستمرة",
            "وزير الخارجية أيمن الصفدي",
            "قال",
            "official",
        ),
        (
            "وزارة الدفاع الروسية أعلنت أن الصور تثبت تورط التحالف",
            "وزارة الدفاع الروسية",
            "أعلنت",
            "official",
        ),
        ("قتل خمسة أشخاص في القصف، وفقاً لوزارة الصحة", "وزارة الصحة", "وفقاً ل", "official"),
        (
            "وتداول ناشطون على مواقع التواصل مقطع فيديو يظهر القصف",
            "ناشطون على مواقع التواصل",  # the platform phrase is part of who posted
            "تداول",
            "social_media",
        ),
        (
            "وأظهرت صور الأقمار الصناعية قافلة من الصهاريج تعبر الحدود",
            "صور الأقمار الصناعية",
            "أظهرت",
            "document_or_image",
        ),
        ("وقال شاهد عيان إن الانفجار هز الحي بأكمله", "شاهد عيان", "قال", "witness_local"),
        (
            "وبحسب وكالة الفرات للأنباء، فإن الاشتباكات استمرت ساعتين",
            "وكالة الفرات للأنباء",
            "بحسب",
            "media",
        ),
        (
            "وقال الخبير الاقتصادي سامر الحلبي إن التضخم سيتجاوز عشرين في المئة",
            "الخبير الاقتصادي سامر الحلبي",
            "قال",
            "expert",
        ),
    ],
)
def test_source_verb_and_type(claim: str, source: str, verb: str, kind: str) -> None:
    found = attribute(claim, (0, len(claim)))
    assert (found.source, found.verb, found.source_type) == (source, verb, kind)
    assert found.source_span is not None
    assert claim[found.source_span[0] : found.source_span[1]] == source


@pytest.mark.parametrize(
    ("claim", "source", "kind"),
    [
        ("فيما قال شهود عيان إنهم سمعوا دوي انفجارات متتالية", "شهود عيان", "witness_local"),
        (
            "من جهتها، حذرت الطبيبة ليلى منصور، اختصاصية الأمراض المعدية، من أن الإصابات أكثر",
            "الطبيبة ليلى منصور، اختصاصية الأمراض المعدية",
            "expert",
        ),
        (
            "وكانت صحيفة «الصباح الجديد» قد نشرت الأسبوع الماضي أن ثلاثة وزراء استقالوا",
            "صحيفة «الصباح الجديد»",
            "media",
        ),
        (
            "وتداول مستخدمون على منصة إكس صوراً قالوا إنها تظهر مرضى",
            "مستخدمون على منصة إكس",
            "social_media",
        ),
    ],
)
def test_connectives_auxiliaries_and_appositions(claim: str, source: str, kind: str) -> None:
    found = attribute(claim, (0, len(claim)))
    assert (found.source, found.source_type) == (source, kind)


def test_continued_reported_speech_keeps_the_speaker() -> None:
    text = "وقال وزير النقل كمال الزعبي إن الأعمال ستنتهي العام المقبل. كما أن الكلفة ارتفعت."
    units = split_claims(text, segment(text))
    first = attribute(text, units[0].span)
    second = attribute(text, units[1].span, first)
    assert second.carried_over and second.source == "وزير النقل كمال الزعبي"


def test_offsets_point_into_the_article_text() -> None:
    text = "مقدمة الخبر. أفادت مصادر أهلية بأن القوات انسحبت."
    start = text.index("أفادت")
    found = attribute(text, (start, len(text)))
    assert found.source_span is not None and found.verb_span is not None
    assert text[found.source_span[0] : found.source_span[1]] == "مصادر أهلية"
    assert text[found.verb_span[0] : found.verb_span[1]] == "أفادت"


def test_own_voice_hedged_hearsay_and_links() -> None:
    own = attribute("ارتفع سعر الخبز إلى 600 ليرة", (0, 27))
    assert (own.source, own.source_type, own.hedged) == (None, "self", False)
    text = "تردد أن القوات انسحبت من المدينة ليلاً https://t.me/channel/12"
    rumour = attribute(text, (0, len(text)))
    assert rumour.source_type == "unattributed" and rumour.hedged
    assert rumour.cited_links == ["https://t.me/channel/12"]


def test_every_type_is_documented() -> None:
    kinds = {
        "official",
        "media",
        "expert",
        "witness_local",
        "anonymous",
        "document_or_image",
        "social_media",
        "self",
        "unattributed",
    }
    assert set(SOURCE_TYPES) == kinds and all(SOURCE_TYPES.values())
    assert Attribution(None, None, None, None, "self", False).cited_links == []
