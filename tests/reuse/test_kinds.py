"""Reuse kinds: runs of officials' titles and names are no reuse; copied stories and shared
formulas are told apart. Texts are written for these tests in the style of Saudi news."""

from __future__ import annotations

import numpy as np

from marsad.config import ReuseOptions
from marsad.records import ArticleMeta, PassageTexts, ReusePassage
from marsad.reuse import align_options, align_pair, rebuild_families
from marsad.reuse.align import grams
from marsad.reuse.kinds import has_real_text, label_passages, numbers_differ, same_headline
from marsad.reuse.tokens import tokenize

TITLES = (
    "صاحب السمو الملكي الأمير فيصل بن خالد بن عبدالعزيز أمير منطقة عسير "
    "وخادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود حفظه الله"
)
STORY = (
    "أعلنت لجنة القبول المركزية أسماء المقبولين نهائيا في معهد التدريب الفني بالظهران، "
    "ودعت الطلاب المقبولين إلى مراجعة مقر القبول خلال ثلاثة أيام مصطحبين أصل الشهادة "
    "وصورة الهوية الوطنية وأربع صور شخصية حديثة"
)


def _all(text: str) -> bool:
    tokens = tokenize(text)
    return has_real_text(tokens, 0, len(tokens))


def test_titles_and_names_alone_are_no_real_text() -> None:
    assert not _all(TITLES)
    assert not _all(
        "الأمير محمد بن نايف بن عبدالعزيز ولي العهد نائب رئيس مجلس الوزراء وزير الداخلية"
    )
    assert _all(STORY)
    assert _all("رعى " + TITLES + " حفل افتتاح مهرجان الصيف في مدينة أبها بحضور عدد من المسؤولين")


def test_a_pair_sharing_only_titles_is_no_link() -> None:
    a = f"استقبل {TITLES} في مكتبه اليوم وفدا من رجال الأعمال لبحث فرص الاستثمار السياحي."
    b = f"هنأ {TITLES} الفائزين بجائزة التميز التعليمي في حفل أقيم بمدينة خميس مشيط مساء أمس."
    options = align_options(ReuseOptions())
    empty = np.zeros(0, dtype=np.uint64)
    ga, gb = grams(tokenize(a), 3, empty), grams(tokenize(b), 3, empty)
    assert align_pair(ga, gb, "a", "b", False, options) == []
    c = f"{STORY} وقال مصدر في اللجنة إن عدد المقبولين بلغ 900 طالب."
    d = f"ذكرت الصحيفة أن {STORY}"
    gc, gd = grams(tokenize(c), 3, empty), grams(tokenize(d), 3, empty)
    assert align_pair(gc, gd, "c", "d", False, options)


def test_numbers_differ_marks_a_bulletin() -> None:
    monday = "أغلق مؤشر السوق عند 7650 نقطة مرتفعا 1.2 في المئة بتداولات بلغت 5 مليارات ريال"
    tuesday = "أغلق مؤشر السوق عند 7590 نقطة منخفضا 0.8 في المئة بتداولات بلغت 4 مليارات ريال"
    assert numbers_differ(monday, tuesday)
    assert not numbers_differ(monday, monday.replace("5 مليارات", "خمسة مليارات"))
    assert not numbers_differ("على بعد 40 كيلومترا", "على بعد أربعين كيلومترا")


HEADLINES = [
    "الفقيد سالم إلى رحمة الله",
    "تعازي في وفاة والدة الزميل",
    "عائلة الحربي تتلقى العزاء",
    "الشمري إلى رحمة الله تعالى",
    "وفاة الشيخ عبدالرحمن العتيبي",
    "آل مرعي يتلقون التعازي",
    "الزهراني في ذمة الله",
    "رحيل رجل الأعمال القحطاني",
    "المطيري يفقد شقيقه",
    "الغامدي إلى رحمة الله",
    "وفاة معلم متقاعد بجدة",
    "الدوسري يتلقى المواساة",
    "رحيل الشاعر البلوي",
    "العنزي يودع والده",
]


def meta(id_: str, title: str, outlet: str = "صحيفة") -> ArticleMeta:
    return ArticleMeta(id_, outlet, "2015-07-20", None, (), 1000, title)


def test_labels_copy_and_template() -> None:
    assert same_headline(
        meta("a", "وصول الدفعة الثالثة من المعونات الطبية إلى حضرموت"),
        meta("b", "الدفعة الطبية الثالثة تصل حضرموت"),
    )
    metas = {
        m.id: m
        for m in (
            meta("a", "وصول الدفعة الثالثة من المعونات الطبية إلى حضرموت"),
            meta("b", "الدفعة الطبية الثالثة تصل حضرموت"),
        )
    }
    # a formula shared by many articles with unrelated headlines: a template
    for k, title in enumerate(HEADLINES):
        metas[f"c{k}"] = meta(f"c{k}", title)
    copy = ReusePassage("a", "b", (0, 300), (0, 290), 45, 0.9, id=1)
    formula = [
        ReusePassage(f"c{k}", f"c{k + 1}", (500, 600), (500, 600), 15, 0.9, id=10 + k)
        for k in range(13)
    ]
    passages = [copy, *formula]
    label_passages(passages, metas, {})
    assert copy.kind == "copy" and copy.kind_reason.startswith("same story")
    assert all(p.kind == "template" for p in formula), formula[0].kind_reason
    bulletin = ReusePassage("a", "b", (0, 300), (0, 290), 45, 0.9, id=1)
    texts = {
        1: PassageTexts("المؤشر عند 7650 نقطة و1.2 في المئة", "المؤشر عند 7590 نقطة و0.8 في المئة")
    }
    label_passages([bulletin], metas, texts)
    assert bulletin.kind == "template" and bulletin.kind_reason.startswith("numbers")


def test_templates_make_their_own_families() -> None:
    metas = [
        meta("a", "خبر أ"),
        meta("b", "خبر أ"),
        *(meta(f"c{k}", f"موضوع {k}") for k in range(14)),
    ]
    copy = ReusePassage("a", "b", (0, 300), (0, 290), 45, 0.9, id=1)
    formula = [
        ReusePassage(f"c{k}", f"c{k + 1}", (500, 600), (500, 600), 15, 0.9, id=10 + k)
        for k in range(13)
    ]
    families = rebuild_families(metas, [copy, *formula], ReuseOptions())
    kinds = sorted((f.kind, len(f.members)) for f in families)
    assert kinds == [("copy", 2), ("template", 14)]
    assert all(f.id.startswith("t-") for f in families if f.kind == "template")
