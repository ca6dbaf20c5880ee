"""Rule-based claim attribution (marsad.claims.attribution) on sentences written for the tests.

Each source type, verb-first / source-first / prepositional / relayed frames, carried-over
speakers, hedges and cited links. The sentences are invented and differ from the evaluation
set in eval/attribution/.
"""

from __future__ import annotations

import pytest

from marsad.claims.attribution import SOURCE_TYPES, Attribution, attribute
from marsad.claims.split import split_claims
from marsad.segment import segment


def _one(claim: str, previous: Attribution | None = None) -> Attribution:
    return attribute(claim, (0, len(claim)), previous)


def _chain(text: str) -> list[Attribution]:
    """Attribute every claim unit of ``text`` in order, as the pipeline does."""
    out: list[Attribution] = []
    previous: Attribution | None = None
    for unit in split_claims(text, segment(text)):
        previous = attribute(text, unit.span, previous)
        out.append(previous)
    return out


@pytest.mark.parametrize(
    ("claim", "source", "kind"),
    [
        # official: ministry, spokesman with rank and name, the Gulf formula
        (
            "وأكدت وزارة النقل أن الطريق الساحلي سيفتح أمام السيارات مطلع الشهر",
            "وزارة النقل",
            "official",
        ),
        (
            "وقال المتحدث باسم الجيش العميد نادر سلوم إن الوحدات انسحبت من التلال",
            "المتحدث باسم الجيش العميد نادر سلوم",
            "official",
        ),
        (
            "صرح مصدر مسؤول بوزارة المالية بأن الرواتب ستصرف يوم الأحد",
            "مصدر مسؤول بوزارة المالية",
            "official",
        ),
        # media
        ("وذكرت صحيفة «الميزان» أن البرلمان سيصوت على القانون غداً", "صحيفة «الميزان»", "media"),
        (
            "وأفادت وكالة «النجم» للأنباء بأن الحريق أتى على مئة هكتار",
            "وكالة «النجم» للأنباء",
            "media",
        ),
        # expert
        (
            "ويرى الباحث الاقتصادي يوسف قاسم أن البطالة ستنخفض ببطء",
            "الباحث الاقتصادي يوسف قاسم",
            "expert",
        ),
        (
            "وقال أستاذ علم الزلازل في جامعة الشمال إن الهزة لم تكن الأخيرة",
            "أستاذ علم الزلازل في جامعة الشمال",
            "expert",
        ),
        # witness_local
        (
            "وقال سكان في الحي الغربي إن المياه انقطعت منذ أسبوع",
            "سكان في الحي الغربي",
            "witness_local",
        ),
        ("وروى سائق أجرة أن الحاجز أغلق الطريق طوال الليل", "سائق أجرة", "witness_local"),
        ("وقال والد أحد الضحايا إن ابنه كان عائداً من المدرسة", "والد أحد الضحايا", "witness_local"),
        # anonymous: sources, withheld identity
        ("وقالت مصادر مطلعة إن الاتفاق سيوقع الأسبوع المقبل", "مصادر مطلعة", "anonymous"),
        (
            "وقال مسؤول في البلدية، طلب عدم الكشف عن اسمه، إن المشروع توقف",
            "مسؤول في البلدية، طلب عدم الكشف عن اسمه",
            "anonymous",
        ),
        # document_or_image
        (
            "وأظهرت بيانات رسمية أن الصادرات تراجعت بنسبة عشرة في المئة",
            "بيانات رسمية",
            "document_or_image",
        ),
        ("كشف تقرير حكومي عن ثغرات في نظام الإنذار المبكر", "تقرير حكومي", "document_or_image"),
        # social_media: platform in the source, posting users, platform beats an official author
        (
            "وكتب النائب سامي حداد في تغريدة أن الجلسة أرجئت إلى الخميس",
            "النائب سامي حداد في تغريدة",  # a platform phrase right after the name
            "social_media",
        ),
        ("وتداول مغردون مقطعاً يظهر طوابير أمام المخابز", "مغردون", "social_media"),
    ],
)
def test_source_and_type(claim: str, source: str, kind: str) -> None:
    found = _one(claim)
    assert (found.source, found.source_type) == (source, kind)
    assert found.source_span is not None
    assert claim[found.source_span[0] : found.source_span[1]] == source


def test_source_first_and_verb_spans() -> None:
    claim = "الشرطة المحلية أعلنت أن الحادث نجم عن عطل في المكابح"
    found = _one(claim)
    assert (found.source, found.verb, found.source_type) == ("الشرطة المحلية", "أعلنت", "official")
    claim = "لكن المحلل المالي هاني زين يعتقد أن الأسهم ستتعافى"
    found = _one(claim)
    assert (found.source, found.source_type, found.hedged) == (
        "المحلل المالي هاني زين",
        "expert",
        True,
    )


def test_verb_later_in_the_sentence() -> None:
    claim = "تراجعت أسعار الذهب صباح اليوم، وقال تجار في السوق إن الطلب ضعيف"
    found = _one(claim)
    assert (found.source, found.source_type) == ("تجار في السوق", "witness_local")


@pytest.mark.parametrize(
    ("claim", "verb", "source", "kind"),
    [
        ("ارتفع عدد الضحايا إلى 12 قتيلاً، بحسب الهلال الأحمر", "بحسب", "الهلال الأحمر", "official"),
        (
            "ووفقاً لصحيفة «النهار الجديد»، فإن الوزير سيزور العاصمة",
            "وفقاً ل",
            "صحيفة «النهار الجديد»",
            "media",
        ),
        (
            "توقفت الرحلات عشر ساعات، وفق ما أعلنه مدير المطار",
            "وفق ما أعلنه",
            "مدير المطار",
            "official",
        ),
        ("أغلقت المدارس أبوابها، نقلاً عن شهود عيان", "نقلاً عن", "شهود عيان", "witness_local"),
    ],
)
def test_prepositional(claim: str, verb: str, source: str, kind: str) -> None:
    found = _one(claim)
    assert (found.verb, found.source, found.source_type) == (verb, source, kind)


def test_relayed_source_is_the_innermost() -> None:
    found = _one("ونقلت وكالة «الساحل» عن مصادر أمنية أن المتهمين اعترفوا")
    assert (found.source, found.verb, found.source_type) == ("مصادر أمنية", "نقلت", "anonymous")
    found = _one("وقالت الصحيفة نقلاً عن مسؤولين محليين إن الجسر سيغلق")
    assert (found.source, found.verb, found.source_type) == (
        "مسؤولين محليين",
        "نقلاً عن",
        "official",
    )


def test_circumstantial_phrases_and_addressee_are_left_out() -> None:
    found = _one("وقال وزير الزراعة مساء الثلاثاء في مؤتمر صحفي إن المحصول وفير")
    assert found.source == "وزير الزراعة"
    found = _one("وقالت مصادر محلية لـ«الأخبار» إن القوات انسحبت")
    assert found.source == "مصادر محلية"


@pytest.mark.parametrize(
    "second",
    [
        "وأضاف أن المخزون يكفي شهرين.",
        "وأشار إلى أن المخزون يكفي شهرين.",
        "وتابع: «المخزون يكفي شهرين».",
        "كما أن المخزون يكفي شهرين.",
    ],
)
def test_carried_over_continuations(second: str) -> None:
    text = "قال مدير الموانئ خالد عيسى إن الشحنات وصلت. " + second
    first, then = _chain(text)
    assert first.source == "مدير الموانئ خالد عيسى"
    assert then.carried_over and then.source == first.source
    assert then.source_type == "official" and then.source_span == first.source_span


def test_participle_continuation_after_a_comma() -> None:
    text = "وحذر الخبير البيئي رامي نصر من تلوث النهر، مضيفاً أن الأسماك نفقت بالآلاف."
    first, then = _chain(text)
    assert first.source == "الخبير البيئي رامي نصر" and first.source_type == "expert"
    assert then.carried_over and then.source_type == "expert"
    assert then.verb is not None and then.verb.startswith("مضيف")


def test_named_continuation_and_bare_name_role() -> None:
    text = (
        "قال المدرب الوطني سعيد فارس إن الفريق جاهز للمباراة. "
        "وأضاف فارس أن ثلاثة لاعبين سيغيبون بسبب الإصابة."
    )
    first, then = _chain(text)
    assert first.source_type == "witness_local"
    assert (then.source, then.source_type, then.carried_over) == ("فارس", "witness_local", False)


@pytest.mark.parametrize(
    ("claim", "kind", "hedged"),
    [
        ("يعتقد أن الحريق بدأ في الطابق الثالث", "unattributed", True),
        ("ويرجح أن تعلن النتائج الأسبوع المقبل", "unattributed", True),
        ("وتحدثت أنباء عن استقالة رئيس البلدية", "unattributed", True),
        ("وتردد أن الشركة ستغلق فرعها في المدينة", "unattributed", True),
        ("ويبدو أن المفاوضات وصلت إلى طريق مسدود", "self", True),
        ("وربما تتأخر الرحلات بسبب العاصفة", "self", True),
        ("ويذكر أن المدينة شهدت فيضانات مماثلة قبل عامين", "self", False),
        ("وكانت الحكومة قد رفعت أسعار الوقود الشهر الماضي", "self", False),
        ("عثر على سيارة محترقة قرب الجسر", "self", False),
    ],
)
def test_hedges_impersonal_and_own_voice(claim: str, kind: str, hedged: bool) -> None:
    found = _one(claim)
    assert (found.source, found.source_type, found.hedged) == (None, kind, hedged)


def test_performative_announcement_is_the_outlets_report() -> None:
    found = _one("أعلن النائب ماجد الحسن ترشحه لرئاسة البرلمان")
    assert (found.source, found.source_type) == (None, "self")
    found = _one("وأعلنت وزارة الصحة تسجيل 40 إصابة جديدة")
    assert (found.source, found.source_type) == ("وزارة الصحة", "official")


def test_video_subject_vs_account_subject() -> None:
    found = _one("وأظهر مقطع فيديو نشره ناشطون على تلغرام دخاناً كثيفاً فوق المصفاة")
    assert found.source_type == "document_or_image"
    found = _one("ونشرت صفحة «أخبار المدينة» على فيسبوك صوراً للدمار")
    assert (found.source, found.source_type) == ("صفحة «أخبار المدينة» على فيسبوك", "social_media")


def test_activists_with_and_without_a_platform() -> None:
    assert _one("وأفاد ناشطون في البلدة بأن القصف استمر ساعتين").source_type == "witness_local"
    posted = _one("وقال ناشطون عبر مواقع التواصل إن القصف استمر ساعتين")
    assert posted.source_type == "social_media"


def test_cited_links_and_offsets_into_the_article() -> None:
    text = "مقدمة الخبر. وكتب الصحفي زياد عمر في منشور على فيسبوك https://example.org/p/1 أن الجسر انهار."
    start = text.index("وكتب")
    found = attribute(text, (start, len(text)))
    assert found.cited_links == ["https://example.org/p/1"]
    assert found.source_span is not None and found.verb_span is not None
    assert text[found.verb_span[0] : found.verb_span[1]] == "كتب"
    assert found.source_type == "social_media"


def test_offsets_survive_diacritics() -> None:
    text = "وقالَ وزيرُ الدّاخلية إنّ الوضعَ هادئٌ"
    found = _one(text)
    assert found.source_span is not None
    assert text[found.source_span[0] : found.source_span[1]] == "وزيرُ الدّاخلية"


def test_every_type_is_defined() -> None:
    assert set(SOURCE_TYPES) == {
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
    assert all(SOURCE_TYPES.values())


def _all(text: str) -> list[Attribution]:
    """Attribute every claim unit of ``text`` with ``attribute_all`` (the claims stage)."""
    from marsad.claims.attribution import attribute_all

    spans = [unit.span for unit in split_claims(text, segment(text))]
    return attribute_all(text, spans)


def test_connectives_and_participles_are_never_sources() -> None:
    text = (
        "وقال وزير الداخلية العراقي إن الحدود مؤمنة بالكامل. كذلك أكد أن الدوريات تضاعفت. "
        "وتابع قائلاً إن المنافذ ستفتح قريباً. واختتم بالقول إن الوضع مستقر. "
        "وقبل ذلك قال إن القوات تنتشر على طول الشريط الحدودي."
    )
    found = _all(text)
    assert [f.source for f in found] == ["وزير الداخلية العراقي"] * 5
    assert [f.pattern for f in found] == ["verb_first"] + ["carried_over"] * 4
    assert all(f.source_type == "official" for f in found)


def test_an_outlets_report_is_media_and_an_addressee_is_not_a_source() -> None:
    report = _one("وأفاد تقرير لصحيفة «المرصد اليومي» المحلية بأن المعبر أغلق منذ يومين")
    assert report.source == "تقرير لصحيفة «المرصد اليومي» المحلية"
    assert report.source_type == "media"
    told = _one('مصدر محلي أكد ل - " الوطن " , أن القافلة وصلت إلى المدينة')
    assert told.source == "مصدر محلي" and told.source_type == "anonymous"
    own = _one("ذكرت صحيفة «النهار» في تقرير لها أن الجسر سيعاد بناؤه")
    assert own.source == "صحيفة «النهار»" and own.source_type == "media"


def test_the_innermost_speaker_and_the_relayers_continuation() -> None:
    text = (
        "وكشف مسؤول عسكري في وقت سابق أن أنقرة تعتقد أن الهدنة ستنهار قريباً. "
        "وأضاف أن التعزيزات وصلت إلى خطوط التماس."
    )
    inner, after = _all(text)
    assert inner.source == "أنقرة" and inner.pattern == "relay"
    assert after.source == "مسؤول عسكري" and after.carried_over


def test_postposed_verb_relative_clause_and_rumours() -> None:
    postposed = _one("«لن نغادر المدينة قبل إعادة فتح المدارس»، قال رئيس البلدية يوم الأحد.")
    assert (postposed.source, postposed.pattern) == ("رئيس البلدية", "postposed")
    relative = _one("ولفت ما أعلنه المتحدث باسم الدفاع المدني عن أن فرق الإنقاذ انتشلت 12 جثة")
    assert (relative.source, relative.pattern) == ("المتحدث باسم الدفاع المدني", "relative")
    rumour = _one("وكانت شائعات كثيرة قد نقلت أن الطريق الدولي أغلق")
    assert (rumour.source, rumour.source_type) == (None, "unattributed")
    assert _one("وانتشرت شائعات عن استقالة المحافظ").source_type == "unattributed"
    assert _one("هناك من يقول إن المفاوضات متوقفة").source_type == "unattributed"


def test_background_bylines_and_page_headers_are_not_sources() -> None:
    background = _one("يشار إلى أن الحكومة كانت قد أعلنت في آذار عن خطة لإعادة الإعمار")
    assert background.source is None and background.source_type == "self"
    byline = _one("سامر يوسف ــ الرقة: أكد ناشطون أن الجسر دمر بالكامل")
    assert byline.source == "ناشطون"
    header = _one("موقع الخبر | سوريا الدفاع المدني يعلن أن فرقه أخمدت الحريق")
    assert header.source == "سوريا الدفاع المدني"


def test_explanations_pattern_and_type_basis() -> None:
    found = _one("وقال المتحدث باسم الجيش إن الطائرة سقطت بسبب عطل فني")
    assert found.pattern == "verb_first" and found.type_basis == "lexicon: المتحدث"
    assert _one("سقطت الطائرة قرب المطار").pattern == "none"


def test_a_feminine_continuation_goes_back_to_the_woman_who_spoke() -> None:
    text = (
        "وقالت متحدثة باسم الشركة إن المصنع أغلق. وقال المتحدث باسم الشرطة إن التحقيق مستمر. "
        "وأضافت أن العمال حصلوا على تعويضات."
    )
    assert [f.source for f in _all(text)] == [
        "متحدثة باسم الشركة",
        "المتحدث باسم الشرطة",
        "متحدثة باسم الشركة",
    ]


def test_known_names_are_typed_by_the_gazetteer() -> None:
    from marsad.actors.gazetteer import load_gazetteer
    from marsad.claims.attribution import attribute_all, gazetteer_names

    text = "وقال لافروف إن موسكو لن تتراجع. وذكرت رويترز أن الاجتماع تأجل."
    spans = [unit.span for unit in split_claims(text, segment(text))]
    found = attribute_all(text, spans, names=gazetteer_names(load_gazetteer()))
    assert [(f.source, f.source_type) for f in found] == [
        ("لافروف", "official"),
        ("رويترز", "media"),
    ]
    assert found[0].type_basis == "gazetteer: lavrov (person)"


def test_bare_reports_and_likelihoods_are_hearsay() -> None:
    for claim in (
        "ولم ترد تقارير عن وقوع إصابات بين المدنيين",
        "وتتعارض الأرقام مع التقارير التي تحدثت عن نزوح آلاف العائلات",
        "ومن المرجح أن يصل الوفد إلى العاصمة الأسبوع المقبل",
        "وتؤكد الأنباء الواردة من الجبهة تقدم القوات نحو المدينة",
    ):
        found = _one(claim)
        assert (found.source, found.source_type, found.pattern) == (
            None,
            "unattributed",
            "hearsay",
        ), claim
    # a qualified report names its kind of source
    assert _one("وذكرت تقارير إعلامية أن الوفد وصل").source_type != "unattributed"
    assert _one("ويتوقع مؤلفو الدراسة أن ترتفع الأسعار").source_type == "expert"
    assert _one("وقال برنامج الأغذية العالمي إن المخزون نفد").source_type != "expert"


def test_frames_of_war_reports() -> None:
    # أفاد ... ب + the reported event; an agency "للأنباء" is a name, not hearsay
    event = _one("وأفادت وكالة «الرافد» للأنباء بسقوط قذائف على حي سكني شرق المدينة")
    assert (event.source, event.source_type) == ("وكالة «الرافد» للأنباء", "media")
    # a relay after an according-to frame: the innermost speaker
    relay = _one("وجاء ذلك وفق ما نقلته وكالة «الرافد»، عن نائب في البرلمان، أن الجسر دمر")
    assert (relay.source, relay.pattern) == ("نائب في البرلمان", "relay")
    # كان X قد + a verb with an object: X is its subject
    aux = _one("وكانت الحكومة قد أعلنت أمس سيطرة قواتها على الطريق الدولي")
    assert (aux.source, aux.pattern) == ("الحكومة", "source_first")
    # an aside in parentheses does not make the source too long to be one
    aside = _one(
        "وقالت القائدة في غرفة عمليات «درع الوادي» ( وهي تحالف لفصائل محلية تأسس العام "
        "الماضي بعد معارك طويلة في الريف الشرقي ) , سلمى ناصر : إن القوات تتقدم"
    )
    assert aside.source is not None and aside.source.endswith("سلمى ناصر")
    # نسب X إلى Y القول: Y's words
    ascribed = _one("ونسب التقرير إلى أحد سكان القرية القول إن المياه قطعت منذ أسبوع")
    assert (ascribed.source, ascribed.pattern) == ("أحد سكان القرية", "relay")
    # announcing a decision is the outlet's report of an act
    for claim in (
        "وأعلنت السلطات قرار إغلاق المعابر الحدودية أمام المسافرين",
        "حيث أعلنت منع دخول الشاحنات القادمة من الشمال",
    ):
        assert _one(claim).source_type == "self", claim
    # a verbal noun after a preposition is not a reporting verb
    rumours = _one("وانتشرت شائعات عن إصابة القائد بعد نشر صفحة محلية صورة له")
    assert rumours.pattern == "hearsay"


def test_a_statement_chained_on_keeps_its_attribution() -> None:
    text = (
        "وذكرت القناة الرسمية أن الطائرة لم تصب بأي أذى خلال المهمة الطويلة، "
        "وعادت إلى قاعدتها بسلام بعد ساعات من الإقلاع. "
        "وانتهت المعركة بعد أربعة أشهر من القتال العنيف في المدينة."
    )
    found = _all(text)
    assert [f.source for f in found] == ["القناة الرسمية", "القناة الرسمية", None]
    assert [f.pattern for f in found] == ["verb_first", "chained", "none"]


def test_opponents_conditions_of_anonymity_and_the_relayed_speaker_going_on() -> None:
    assert _one("وقال المعارض المقيم في باريس إن الحوار متوقف").source_type == "witness_local"
    assert _one("وقالت المعارضة السورية إن الحوار متوقف").source_type == "official"
    withheld = _one("وقال ثلاثة مسؤولين تحدثوا بشرط عدم نشر أسمائهم إن الاتفاق انهار")
    assert withheld.source_type == "anonymous"
    text = (
        "وجاء ذلك وفق ما نقلته وكالة «الرافد»، عن نائب في البرلمان، أن الجسر دمر بالكامل. "
        "وذكر أن عدد القتلى بلغ عشرة أشخاص بينهم أطفال."
    )
    assert [f.source for f in _all(text)] == ["نائب في البرلمان"] * 2
    own = _all(
        "يشار إلى أن الوزارة أغلقت المعبر الشهر الماضي بعد المعارك، كما أنه لا توجد طرق أخرى."
    )
    assert [f.source_type for f in own] == ["self", "self"]
    # the subject of كان ... قد stays first when a long phrase follows the verb
    aux = _one("وكان الوزير قد طالب الحكومة المحلية بمراجعة موقفها من الأزمة، قائلا إنه قلق")
    assert aux.source == "الوزير"


@pytest.mark.parametrize(
    ("claim", "source", "kind", "pattern"),
    [
        (
            "بحسب ما أفادت به مصادر محلية لموقع المدن، قتل خمسة مدنيين",
            "مصادر محلية",
            "anonymous",
            "according_to",
        ),
        (
            "ووفقا لما جاء في التقرير، فإن عدد النازحين تجاوز مليونا",
            "التقرير",
            "document_or_image",
            "according_to",
        ),
        (
            "بحسب ما أكدته مصادر مطلعة للجزيرة نت فإن المفاوضات توقفت",
            "مصادر مطلعة",
            "anonymous",
            "according_to",
        ),
        ("وعلى ما يقول المحللون، فإن الاتفاق هش", "المحللون", "expert", "according_to"),
        (
            "بحسب ما نقلت صحيفة الوطن عن مسؤولين في المحافظة، فإن المياه ستعود",
            "مسؤولين في المحافظة",
            "official",
            "relay",
        ),
        ("بحسب ما أفاد المرصد عن مقتل عشرة مدنيين", "المرصد", "official", "according_to"),
        ("وتشير المعلومات إلى أن القائد قتل في الغارة", None, "unattributed", "hearsay"),
        ("ويشتبه في أن التنظيم يقف وراء الهجوم", None, "unattributed", "hearsay"),
        ("ويُخشى أن يرتفع عدد الضحايا", None, "unattributed", "hearsay"),
        ("وتحدثت تقارير غير مؤكدة عن هروب السجناء", None, "unattributed", "hearsay"),
        ("وتشير التوقعات إلى أن الأسعار سترتفع", "التوقعات", "document_or_image", "verb_first"),
        ("ومن المتوقع أن تبدأ المفاوضات الأسبوع المقبل", None, "unattributed", "hearsay"),
        ("وذكرت تقارير صحفية أن المفاوضات فشلت", "تقارير صحفية", "media", "verb_first"),
        (
            "وزارة الدفاع، من جهتها، أكدت أن الطائرات لم تقصف المدينة",
            "وزارة الدفاع",
            "official",
            "source_first",
        ),
        (
            "أما وزير الخارجية فقد صرح بأن بلاده لن تسمح بذلك",
            "وزير الخارجية",
            "official",
            "source_first",
        ),
        (
            "وتأتي تصريحات الوزير بعد إعلان الحكومة أن المعابر ستفتح",
            "الحكومة",
            "official",
            "nominal",
        ),
        ("وادعى الإعلام الرسمي أن المدينة تحررت بالكامل", "الإعلام الرسمي", "media", "verb_first"),
        (
            "وقال المكتب الإعلامي للفصيل إن المدينة تحررت",
            "المكتب الإعلامي للفصيل",
            "media",  # GUIDELINES convention 9: a faction's media unit
            "verb_first",
        ),
        (
            "وقال المكتب الإعلامي للحكومة إن الرواتب ستصرف",
            "المكتب الإعلامي للحكومة",
            "official",  # a government's press office speaks for it
            "verb_first",
        ),
        (
            "وفي تغريدة على تويتر، قال الوزير إن بلاده لن تتراجع",
            "الوزير",
            "social_media",
            "verb_first",
        ),
    ],
)
def test_frames_found_in_war_coverage(
    claim: str, source: str | None, kind: str, pattern: str
) -> None:
    found = _one(claim)
    assert (found.source, found.source_type, found.pattern) == (source, kind, pattern)


def test_monitors_document_and_rights_bodies_are_official() -> None:
    documented = _one("ووثقت الشبكة السورية لحقوق الإنسان مقتل 200 مدني خلال الشهر الماضي")
    assert documented.source == "الشبكة السورية لحقوق الإنسان"
    assert documented.source_type == "official"
    assert _one("وقال خبير في حقوق الإنسان إن السجناء عذبوا").source_type == "expert"


def test_addressee_pronouns_and_denied_reports() -> None:
    assert _one("وقال لي مسؤول في الوزارة إن الاتفاق انهار").source == "مسؤول في الوزارة"
    emphatic = _one("لقد قال لي اليوم خلال محادثاتنا إن البلاد أنقذت")
    assert emphatic.source is None and emphatic.pattern == "carried_over"
    denied = _one("ونفى الكرملين التقارير عن مقتل جنود في المدينة")
    assert (denied.source, denied.source_type) == ("الكرملين", "official")


def test_subject_spans_of_spokesmen_posts_and_relative_clauses() -> None:
    spokesman = _one("وتوقع المتحدث باسم رئاسة الأركان الفرنسية أن تطول المعركة")
    assert spokesman.source == "المتحدث باسم رئاسة الأركان الفرنسية"
    denial = _one("ونفى المتحدث باسم الجيش الهجوم على القرية")
    assert denial.source == "المتحدث باسم الجيش"
    posted = _one("وتداول ناشطون على مواقع التواصل صوراً لجثث في الشوارع، مشيرين إلى أنها لمقاتلين")
    assert (posted.source, posted.source_type) == ("ناشطون على مواقع التواصل", "social_media")
    revealed = _one("وخطط القائد لهجمات عدة، بحسب ما كشفه المبعوث الذي قال إن الأدلة قاطعة")
    assert revealed.source == "المبعوث"


def test_statements_take_their_authors_type_and_inner_speakers_relay() -> None:
    houthis = _one("وجاء في بيان للجماعة بثته قناة المسيرة التلفزيونية أن القصور في مرمى الصواريخ")
    assert houthis.source_type == "official"
    letter = _one("وجاء في رسالة الرئيس اليمني أن الهدنة تأتي لإدخال المساعدات")
    assert letter.source_type == "official"
    leaked = _one("وجاء في رسالة مسربة أن الهدنة ستنهار")
    assert leaked.source_type == "document_or_image"
    agency = _one("وجاء في بيان لوكالة الأنباء الرسمية أن الهدنة ستنهار")
    assert (agency.source, agency.source_type) == ("بيان لوكالة الأنباء الرسمية", "media")
    relayed = _one("وذكرت وسائل الإعلام الرسمية أن الملك قال للرئيس إن القرار سيلهب المشاعر")
    assert (relayed.source, relayed.pattern) == ("الملك", "relay")
    feared = _one("لكن الكرملين يخشى ألا تشهد الانتخابات إقبالا كبيرا")
    assert (feared.source, feared.source_type) == ("الكرملين", "official")


@pytest.mark.parametrize(
    ("claim", "kind"),
    [
        ("وقال الصحفي المتخصص في الشؤون العسكرية إن الهجوم فشل", "expert"),
        ("وقال مدير مركز الدراسات الاستراتيجية إن الحرب ستطول", "expert"),
        ("ورأى الكاتب الصحفي أن الاتفاق انتهى", "expert"),
        ("وقال المفكر السياسي إن المنطقة تتغير", "expert"),
        ("وقال مدير المعهد الوطني للإحصاء إن البطالة ارتفعت", "official"),
        ("وقال مراسل القناة إن القصف مستمر", "media"),
        ("وبحسب مقطع مصور نشرته وكالة محلية، فإن المسلحين سيطروا على المطار", "document_or_image"),
    ],
)
def test_experts_think_tanks_and_footage(claim: str, kind: str) -> None:
    assert _one(claim).source_type == kind


def test_continuations_agree_with_their_speaker() -> None:
    agency = _all(
        "ونقلت وكالة الأنباء عن مسؤول في الوزارة قوله إن المعبر أغلق. "
        "وأضافت أن الوزارة رفضت التعليق على الخبر."
    )
    assert [f.source for f in agency] == ["مسؤول في الوزارة", "وكالة الأنباء"]
    official = _all(
        "ونقلت وكالة الأنباء عن مسؤول في الوزارة قوله إن المعبر أغلق. "
        "وأضاف أن القرار مؤقت حتى إشعار آخر."
    )
    assert [f.source for f in official] == ["مسؤول في الوزارة"] * 2
    monitor = _all(
        "ونقل المرصد عن مصادر طبية أن بين القتلى أربعة أطفال. "
        "وأشار إلى أن الغارات استهدفت سوقا شعبيا."
    )
    assert monitor[1].source == "المرصد"


def test_the_actor_of_an_appeal_goes_on_speaking() -> None:
    found = _all(
        "ودعا الأمين العام للأمم المتحدة إلى وقف فوري لإطلاق النار. "
        "وقال إن المدنيين يدفعون الثمن. "
        "وأدانت الخارجية الفرنسية الهجوم على القافلة. وأكدت أن باريس ستواصل دعم الحل."
    )
    assert [f.source_type for f in found] == ["self", "official", "self", "official"]
    assert [f.source for f in found] == [
        None,
        "الأمين العام للأمم المتحدة",
        None,
        "الخارجية الفرنسية",
    ]


def test_asked_then_answered() -> None:
    found = _all("وفي المؤتمر الصحفي، سئل الوزير عن مصير المفاوضات. فأجاب بأن الجولة ستعقد قريباً.")
    assert [f.source for f in found] == [None, "الوزير"]


def test_according_to_with_no_comma_and_news_sources() -> None:
    stats = _one("ووفقا لإحصاءات الأمم المتحدة قتل 29 مدنيا في المنطقة خلال الشهر")
    assert (stats.source, stats.source_type) == ("إحصاءات الأمم المتحدة", "document_or_image")
    assert _one("وكانت مصادر إخبارية أكدت أن القادة رفضوا الأوامر").source_type == "media"


def test_honorifics_and_envoys() -> None:
    found = _all(
        "وقال وزير الداخلية الأمير فيصل بن خالد إن الأمن مستتب. "
        "وأكد سموه أن المملكة ماضية في مكافحة الإرهاب."
    )
    assert [f.source for f in found] == ["وزير الداخلية الأمير فيصل بن خالد"] * 2
    envoy = _one("وقال سفير المملكة لدى اليمن محمد سالم إن الدعم مستمر")
    assert envoy.source == "سفير المملكة لدى اليمن محمد سالم"


def test_accusations_plural_verbs_and_own_words() -> None:
    accused = _one("واتهم وزير الخارجية الإيراني الولايات المتحدة بدعم الإرهاب")
    assert accused.source == "وزير الخارجية الإيراني"
    found = _all(
        "وقال ناشطون إن القصف استمر طوال الليل. "
        "كما اتهموا القوات الحكومية بإطلاق النار على المدنيين. "
        "وقالوا لوكالة الأنباء إن الطرق مغلقة."
    )
    assert [f.source for f in found] == ["ناشطون"] * 3
    named = _one("كما طالبوا، بحسب بيان صادر عن مكتب الرئيس، بحماية الموقع")
    assert named.source == "بيان صادر عن مكتب الرئيس"
    denied = _one("نفت الرئاسة ما تداولته مواقع التواصل عن مرض الرئيس")
    assert denied.source == "الرئاسة"


def test_a_post_named_after_the_speaker() -> None:
    # GUIDELINES: a platform phrase that directly follows the name is part of the source
    posted = _one("وأكد عضو المكتب السياسي للحركة سامي خالد، في تغريدة، أن المصالحة متعثرة")
    assert posted.source == "عضو المكتب السياسي للحركة سامي خالد، في تغريدة"
    assert posted.source_type == "social_media"


def test_warnings_and_relative_clauses_of_time() -> None:
    assert _one("ويأتي ذلك وسط تحذيرات أممية من أن الوضع يتدهور").source == "أممية"
    when = _one("وجاء ذلك في وقت أكدت فيه مصادر محلية أن القوات انسحبت")
    assert (when.source, when.source_type) == ("مصادر محلية", "anonymous")


def test_a_continuation_points_at_the_latest_mention_of_its_speaker() -> None:
    text = (
        "وقال وزير الخارجية الروسي سيرغي لافروف إن موسكو لن تسمح بذلك. "
        "وزار لافروف دمشق أمس. وأضاف أن الحل سياسي."
    )
    found = _all(text)
    assert found[2].source == "لافروف" and found[2].carried_over
    assert text[slice(*found[2].source_span)] == "لافروف"  # type: ignore[misc]
    assert found[2].source_span[0] > text.index("وزار")  # type: ignore[index]


@pytest.mark.parametrize(
    ("claim", "source", "kind"),
    [
        ("ميدانيا، أفاد مراسلنا بأن القصف تجدد", None, "self"),
        ("الحكومة من جانبها نفت أن تكون قد استخدمت أسلحة محرمة", "الحكومة", "official"),
        (
            "المتحدثة باسم الخارجية سلمى حداد وصفت الاتهامات بأنها كاذبة",
            "المتحدثة باسم الخارجية سلمى حداد",
            "official",
        ),
        ("ووصف الوزير الاتهامات بأنها باطلة", "الوزير", "official"),
    ],
)
def test_own_reporters_set_off_phrases_and_descriptions(
    claim: str, source: str | None, kind: str
) -> None:
    found = _one(claim)
    assert (found.source, found.source_type) == (source, kind)


def test_hedges_of_named_speakers() -> None:
    for claim in (
        "وقال الوزير إنه من المتوقع أن تنتهي الأزمة قريبا",
        "ورجح مسؤول أن يكون الهجوم انتقاميا",
        "ويخشى السكان أن يتجدد القصف",
    ):
        found = _one(claim)
        assert found.hedged and found.source is not None, claim


def test_quoted_names_labels_and_verbal_nouns() -> None:
    named = _one('وقال مدير " مرصد الشمال للحقوق " سامر خليل لوكالة محلية : " سقطت طائرة "')
    assert named.source == 'مدير " مرصد الشمال للحقوق " سامر خليل'
    quoted = _one('وقال الوزير " لن نتراجع عن قرارنا " وأضاف أن الحكومة موحدة')
    assert quoted.source == "الوزير"
    label = _one("الإنفاق الذاتي : يجب على مقدم الطلب أن ينفق على نفسه")
    assert label.source is None
    failed = _one("وفشلت الباحثة هي الأخرى في ذكر أي شيء حول دور الولايات المتحدة")
    assert failed.source is None


def test_lead_ins_bare_news_and_accused_after_a_comma() -> None:
    assert _one("أقولها بطريقة أخرى مفهومة أكثر : لنفرض أن الحل مستحيل").source is None
    assert _one("أبو محمد الحلبي : الطيران لم يغادر السماء").source == "أبو محمد الحلبي"
    news = _one("وكلها أخبار تقول بأن الحلفاء باتوا في موقع دفاعي")
    assert news.source_type == "unattributed"
    accused = _one("اتهم وزير الدفاع سامي حداد , الحركة بالسعي لتعزيز وجودها")
    assert accused.source == "وزير الدفاع سامي حداد"
    affiliated = _one('ونشرت وكالة "الراية" التابعة للتنظيم صورا لعناصره في المدينة')
    assert affiliated.source == 'وكالة "الراية" التابعة للتنظيم'


def test_honorific_titles_and_the_source_named_before() -> None:
    prince = _one("أكد صاحب السمو الملكي الأمير فيصل أمير المنطقة أن العمل مستمر")
    assert prince.source_type == "official"
    found = _all(
        "وقال مصدر مسؤول بوزارة الخارجية إن المملكة تابعت الأحداث بقلق. "
        "وأكد المصدر أن المملكة تقف إلى جانب الشعب."
    )
    assert [f.source_type for f in found] == ["official", "official"]


def test_a_closing_according_to_frame_covers_its_sentence() -> None:
    text = (
        "ودارت اشتباكات عنيفة صباح أمس بين الفصائل وقوات النظام في حي الخالدية، "
        "وسط قصف مدفعي على تجمعات القوات في الحي، وفق ما أفادت وكالة محلية."
    )
    found = _all(text)
    assert len(found) == 2
    assert [f.source for f in found] == ["وكالة محلية"] * 2
    assert [f.pattern for f in found] == ["chained", "according_to"]
    background = _all(
        "سجلت البلاد إصابات متصاعدة بالوباء في الأسبوع الأخير من الشهر، "
        "وسط تساؤلات عن خرق العزل بالرغم من تأكيد السلطات على أن القانون سيطبق."
    )
    assert background[0].source_type == "self"


def test_postposed_verb_after_hakadha() -> None:
    found = _all("«لن نتراجع عن مواقعنا»، هكذا قال القائد الميداني. وأضاف أن الإمدادات وصلت.")
    assert [f.source for f in found] == ["القائد الميداني"] * 2


def test_closing_frames_as_he_put_it() -> None:
    said = _one("والوضع كارثي على حد قول الوزير")
    assert (said.source, said.pattern) == ("الوزير", "according_to")
    agency = _one("والقوات انسحبت من المدينة، كما ذكرت وكالة الأنباء الرسمية.")
    assert (agency.source, agency.source_type) == ("وكالة الأنباء الرسمية", "media")
    assert _one("والوضع كارثي على حد تعبيره").source is None
    assert _one("وقال إن القوات انسحبت كما هو متوقع").pattern == "carried_over"


def test_who_informed_whom() -> None:
    inner = _one("وقال المسؤول إن الرئيس أبلغه أن القوات ستنسحب")
    assert (inner.source, inner.pattern) == ("الرئيس", "relay")
    assert _one("وأبلغ الوزير نظيره الأمريكي بأن القوات ستنسحب").source == "الوزير"
    assert _one("وأبلغ مسؤول عراقي وكالة الأنباء أن القوات ستنسحب").source == "مسؤول عراقي"
