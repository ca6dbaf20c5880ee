"""Bodies named by a description and bare heads that point back at them (texts written for
these tests)."""

from __future__ import annotations

import pytest

from marsad.actors.gazetteer import load_gazetteer
from marsad.actors.link import link
from marsad.actors.ner import Entity
from marsad.actors.roles import find_institutions, find_roles


@pytest.fixture(scope="module")
def gaz():  # type: ignore[no-untyped-def]
    return load_gazetteer()


def actors(text: str, gaz) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m.text: m.actor for m in link(text, None, gaz)}


def test_new_states_and_groupings_name_offices(gaz) -> None:  # type: ignore[no-untyped-def]
    found = actors("أعلن الجيش الصومالي صباح اليوم استعادة بلدة على الحدود.", gaz)
    assert found["الجيش الصومالي"] == "office:somalia:جيش"
    found = actors("وقال مسؤولون عرب إن المبادرة ما زالت قيد الدرس.", gaz)
    assert found["مسؤولون عرب"] == "office:arab:مسوولون"
    found = actors("وأكدت القوات الكردية أنها صدت الهجوم.", gaz)
    assert found["القوات الكردية"] == "office:kurds:قوات"


def test_new_heads_with_a_country_adjective(gaz) -> None:  # type: ignore[no-untyped-def]
    found = actors("وحذرت إدارة الطيران المدني الأردنية المسافرين من التأخير.", gaz)
    assert found["إدارة الطيران المدني الأردنية"] == "office:jordan:اداره طيران مدني"
    found = actors("وقال عضو في المجلس الأعلى الليبي إن الجلسة تأجلت.", gaz)
    assert found["عضو في المجلس الأعلى الليبي"] == "office:libya:عضو مجلس اعلي"


def test_a_clause_or_a_verb_ends_the_search_for_an_adjective(gaz) -> None:  # type: ignore[no-untyped-def]
    assert find_roles("نقلت الوكالة عن وزارة الدفاع قوله إن طائرات روسية قصفت المواقع") == []
    assert find_roles("وقالت المصادر إن الإدارة غادرت الأراضي السورية أمس") == []


def test_bodies_named_without_an_adjective(gaz) -> None:  # type: ignore[no-untyped-def]
    found = actors("وفي البحرين، أعلنت وزارة الصحة الأربعاء تسجيل ثلاث حالات جديدة.", gaz)
    assert found["وزارة الصحة"] == "organisation:وزاره الصحه"
    found = actors("وأفادت هيئة شؤون اللاجئين بأن المخيم يستقبل المزيد من العائلات.", gaz)
    assert found["هيئة شؤون اللاجئين"] == "organisation:هييه شوون اللاجيين"
    found = actors("وأشاد رئيس الوفد بجهود لوزارة الثروة المائية في الموسم الماضي.", gaz)
    assert "وزارة الثروة المائية" in found  # the proclitic is cut off
    # a title ends the name of the body, a date is not part of it
    found = actors("وقال مجلس السيادة الفريق أول فلان إن الاتفاق صامد.", gaz)
    assert "مجلس السيادة" in found
    found = actors("وأعلن مجلس الوزراء اليوم خطة جديدة.", gaz)
    assert found["مجلس الوزراء"] == "organisation:مجلس الوزراء"


def test_words_that_are_not_bodies_make_no_institution() -> None:
    assert find_institutions("حلقت الطائرة على هيئة سرب فوق البلدة") == []
    assert find_institutions("وتقع مديرية العبر شرقي المحافظة") == []
    assert find_institutions("وعقد الاجتماع برئاسة العقيد قائد المنطقة") == []


def test_media_offices_of_bodies(gaz) -> None:  # type: ignore[no-untyped-def]
    found = actors("وذكر المكتب الإعلامي للبلدية في بيان أن الطرق أعيد فتحها.", gaz)
    assert found["المكتب الإعلامي للبلدية"] == "organisation:المكتب الاعلامي للبلديه"
    found = actors("وقالت مديرية إعلام الشرطة إن الدورية تعرضت لكمين.", gaz)
    assert found["مديرية إعلام الشرطة"] == "organisation:مديريه اعلام الشرطه"
    found = actors("وبحسب مدير المركز الإعلامي للفصيل فإن المقاتلين انسحبوا.", gaz)
    assert "المركز الإعلامي للفصيل" in found


def test_a_bare_head_is_the_body_by_its_gazetteer_name(gaz) -> None:  # type: ignore[no-untyped-def]
    text = "وقالت الدفاع الروسية إن طائراتها نفذت غارات جديدة. وأضافت الوزارة أن الأهداف دمرت."
    found = actors(text, gaz)
    assert found["الدفاع الروسية"] == found["الوزارة"] == "russia_mod"


def test_a_media_head_is_the_outlet_named_before(gaz) -> None:  # type: ignore[no-untyped-def]
    text = "ونقلت رويترز عن شهود أن الاشتباكات توقفت. وأضافت الصحيفة أن السكان عادوا."
    assert actors(text, gaz)["الصحيفة"] == "reuters"


def test_a_statement_is_its_issuer(gaz) -> None:  # type: ignore[no-untyped-def]
    text = (
        "وقالت منظمة الصحة العالمية في بيان إن الإمدادات وصلت. "
        "وأضاف البيان أن فرقا طبية ستتوجه إلى المنطقة."
    )
    assert actors(text, gaz)["البيان"] == "who"
    text = "وجاء في بيان صادر عن قوات سوريا الديمقراطية أن العملية انتهت. وذكر البيان أن الألغام أزيلت."
    assert actors(text, gaz)["البيان"] == "sdf"


def test_a_bare_spokesman_and_office_holder(gaz) -> None:  # type: ignore[no-untyped-def]
    text = "وقال المتحدث باسم التحالف الدولي إن الغارات مستمرة. وأوضح المتحدث أن عدد الطلعات تراجع."
    assert actors(text, gaz)["المتحدث"] == "office:intl_coalition:متحدث"
    text = "وصل وزير الخارجية العماني إلى العاصمة. وقال الوزير إن المحادثات مثمرة."
    assert actors(text, gaz)["الوزير"] == "office:oman:وزير خارجيه"
    text = "وصل وزير الخارجية العماني إلى العاصمة. وقال الرئيس إن المحادثات مثمرة."
    assert "الرئيس" not in actors(text, gaz)  # a minister is not a president


def test_a_state_body_named_by_its_head_alone(gaz) -> None:  # type: ignore[no-untyped-def]
    text = "سجلت الأردن ارتفاعا في الإصابات، وسط تأكيد السلطات أن الإغلاق سيطبق على الجميع."
    assert actors(text, gaz)["السلطات"] == "office:jordan:سلطات"
    text = "قصفت طائرات مواقع في سوريا. وقالت الحكومة إن الدفاعات تصدت لها."
    assert actors(text, gaz)["الحكومة"] == "syria_government"  # data/roles.yaml known
    text = "وصل الوفد إلى أنقرة. وقالت الخارجية الروسية إن اللقاء مثمر. وأكدت الخارجية ذلك."
    found = link(text, None, gaz)
    assert [m.actor for m in found if m.text == "الخارجية"] == ["russia_mfa"]
    # an adjective or an office's second noun is not the body
    assert "الداخلية" not in actors("زار العراق وبحث الشؤون الداخلية مع المسؤولين.", gaz)
    assert "الداخلية" not in actors("زار مصر ثم التقى وزير الداخلية مساء.", gaz)


@pytest.mark.parametrize(
    ("text", "name", "actor"),
    [
        ("وذكرت وكالة الأنباء الكويتية أن الوفد وصل.", "وكالة الأنباء الكويتية", "kuna"),
        ("ونقلت شبكة رووداو عن مسؤول محلي أن الطريق أغلق.", "شبكة رووداو", "rudaw"),
        ("وقالت صحيفة لوموند إن التحقيق مستمر.", "صحيفة لوموند", "le_monde"),
        ("وأعلنت قوات البيشمركة أنها صدت هجوما.", "قوات البيشمركة", "peshmerga"),
        ("وقال الكونغرس الأمريكي في تقرير إن الدعم سيستمر.", "الكونغرس الأمريكي", "us_congress"),
        ("وقالت وكالة الإعلام الروسية إن المحادثات بدأت.", "وكالة الإعلام الروسية", "ria_novosti"),
        ("وأعلنت حكومة إقليم كردستان أن الرواتب ستصرف.", "حكومة إقليم كردستان", "krg"),
    ],
)
def test_outlets_and_bodies_of_the_region(gaz, text: str, name: str, actor: str) -> None:  # type: ignore[no-untyped-def]
    assert actors(text, gaz)[name] == actor


def test_names_that_are_also_phrases_need_the_ner(gaz) -> None:  # type: ignore[no-untyped-def]
    found = actors("وقال الرئيس المصري اليوم إن الحوار مستمر في اليوم السابع من الشهر.", gaz)
    assert "اليوم السابع" not in found and "المصري اليوم" not in found


def test_outlets_named_by_their_head(gaz) -> None:  # type: ignore[no-untyped-def]
    found = {m.text: m for m in link("وذكرت صحيفة «الفجر الجديد» أن الحكومة استقالت.", None, gaz)}
    assert found["صحيفة «الفجر الجديد»"].type == "outlet"
    found = actors("ونقلت قناة النهار الفضائية عن شهود أن القصف توقف.", gaz)
    assert found["قناة النهار الفضائية"] == "outlet:قناه النهار الفضاييه"
    found = actors("وأفاد موقع إخباري محلي بأن الطريق أغلق.", gaz)
    assert "موقع إخباري محلي" in found
    assert actors("وذكرت وسائل إعلام أن الوفد غادر.", gaz)["وسائل إعلام"] == "outlet:وسايل اعلام"
    found = actors("وذكرت وسائل إعلام إيرانية أن الوفد غادر.", gaz)
    assert found["وسائل إعلام إيرانية"] == "office:iran:وسايل اعلام"


def test_words_after_an_outlet_head_that_make_no_outlet(gaz) -> None:  # type: ignore[no-untyped-def]
    assert find_institutions("وأبقى الطرفان على قناة اتصال مفتوحة بينهما") == []
    assert find_institutions("عبرت السفينة قناة السويس صباحا") == []
    assert find_institutions("ووصل الفريق إلى موقع الحادث بعد ساعة") == []
    assert find_institutions("وقالت وكالة الاستخبارات في تقرير إن الخطر قائم") == []


def test_a_speaker_named_by_a_word_the_news_vocabulary_lacks(gaz) -> None:  # type: ignore[no-untyped-def]
    found = {m.text: m for m in link("وقالت الزرقوني إن الحالات تراجعت هذا الأسبوع.", None, gaz)}
    assert found["الزرقوني"].actor == "person:الزرقوني"
    assert found["الزرقوني"].how == "speaker"
    # common words in that slot are in the vocabulary; plurals and suffixed words are no names
    assert actors("وقال المصدر إن الحالات تراجعت.", gaz) == {}
    assert actors("وقال قرويون في المنطقة إن المياه انقطعت.", gaz) == {}
    # only right after a reporting verb and before what was said
    assert "الزرقوني" not in actors("وزار الزرقوني المستشفى أمس.", gaz)


def test_a_short_surname_in_the_speaker_slot_is_the_person_named_before(gaz) -> None:  # type: ignore[no-untyped-def]
    text = "وأعلن المتحدث باسم المجلس، بسام نور، أن الطريق فتح. وأكد نور أن القوافل ستمر."
    start = text.index("بسام")
    entity = Entity("بسام نور", "PERS", start, start + len("بسام نور"))
    found = [(m.text, m.actor) for m in link(text, [entity], gaz) if m.type == "person"]
    assert found == [("بسام نور", "person:بسام نور"), ("نور", "person:بسام نور")]


def test_an_office_holder_of_a_body_named_without_a_state(gaz) -> None:  # type: ignore[no-untyped-def]
    found = actors("وقال مسؤولون في الجبهة الشعبية إن الهدنة صامدة.", gaz)
    assert found["مسؤولون في الجبهة الشعبية"] == "office:جبهه شعبيه:مسوولون"
    found = actors("وأكد المدير العام لمركز الأبحاث الزراعية أن الموسم جيد.", gaz)
    assert found["المدير العام لمركز الأبحاث الزراعية"] == "office:مركز ابحاث زراعيه:مدير"
    # the body's head alone is the body named before (coreference), not a new office
    text = "وأفاد المرصد السوري لحقوق الإنسان بسقوط قتلى. وقال مدير المرصد إن العدد سيرتفع."
    assert actors(text, gaz)["المرصد"] == "sohr"
