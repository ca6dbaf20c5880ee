"""The article block of a page saved whole, and its headline (text written for these tests)."""

from __future__ import annotations

from marsad.clean import clean_document, gazetteer
from marsad.clean.lead import page_title
from marsad.clean.pagelines import article_block, best_block, is_menu, load_model, page_chrome
from marsad.config import load_config
from marsad.records import Article, RawDocument

HEADLINE = "وزير الري يعلن خطة لإصلاح قنوات المياه في ريف المحافظة الشرقي"

ARTICLE = [
    "أعلن وزير الموارد المائية، اليوم الأحد، أن الوزارة وضعت خطة لإصلاح شبكة قنوات الري في"
    " ريف المحافظة الشرقي خلال الأشهر الستة المقبلة، بعد شكاوى متكررة من المزارعين.",
    "وقال الوزير في مؤتمر صحفي عقده في مقر الوزارة إن الخطة تشمل تنظيف القنوات الرئيسية"
    " وإعادة تأهيل محطات الضخ التي توقفت عن العمل منذ سنوات، مضيفاً أن الكلفة ستغطى من"
    " موازنة العام الحالي.",
    "وأشار إلى أن فرقاً فنية بدأت مسح المناطق الأكثر تضرراً، وأن الأولوية ستكون للقرى التي"
    " تعتمد على الزراعة المروية في تأمين دخلها.",
    "من جهتهم، قال مزارعون من المنطقة إنهم ينتظرون تنفيذ الوعود قبل بدء الموسم الزراعي،"
    " لافتين إلى أن خسائرهم في العام الماضي كانت كبيرة بسبب نقص المياه.",
]

PAGE = [
    f"{HEADLINE} | موقع الخبر اليومي",
    "الرئيسية أخبار محلية اقتصاد رياضة منوعات اتصل بنا تسجيل الدخول البحث",
    HEADLINE,
    *ARTICLE,
    "شارك هذا الخبر فيسبوك تويتر واتساب طباعة",
    "اشترك في النشرة البريدية ليصلك كل جديد على بريدك الإلكتروني",
    "جميع الحقوق محفوظة لموقع الخبر اليومي 2025 سياسة الخصوصية اتصل بنا",
]


def test_best_block_is_the_run_with_the_highest_total() -> None:
    assert best_block([-2.0, 1.0, 3.0, -0.5, 2.0, -4.0]) == (1, 5)
    assert best_block([-1.0, -2.0]) == (0, 0)
    assert best_block([]) == (0, 0)


def test_page_chrome_drops_menu_and_footer_keeps_the_article() -> None:
    start, end = article_block(PAGE)
    assert PAGE[-1] not in PAGE[start:end]
    kept = [line for line, chrome in zip(PAGE, page_chrome(PAGE), strict=True) if not chrome]
    for line in ARTICLE:
        assert line in kept
    assert PAGE[1] not in kept
    assert PAGE[-1] not in kept
    assert PAGE[-2] not in kept


def test_a_clean_article_is_kept_whole() -> None:
    assert article_block(ARTICLE) == (0, len(ARTICLE))
    assert article_block(ARTICLE[:1]) == (0, 1)


def test_menu_lines() -> None:
    assert is_menu(PAGE[1])
    assert not any(is_menu(line) for line in ARTICLE)


def test_scores_are_one_per_line() -> None:
    assert len(load_model().scores(PAGE)) == len(PAGE)


def test_page_title_from_the_repeated_headline() -> None:
    title, at = page_title(PAGE)
    assert title == HEADLINE
    assert at == 0


def test_page_title_before_a_site_separator() -> None:
    lines = ["انطلاق معرض الكتاب الدولي بمشاركة مئتي دار نشر - صحيفة المساء", *ARTICLE]
    assert page_title(lines) == ("انطلاق معرض الكتاب الدولي بمشاركة مئتي دار نشر", 0)


def test_no_page_title_in_a_dated_or_chrome_lead() -> None:
    assert page_title(["الأحد 14 سبتمبر 2025 - 10:30", *ARTICLE]) == (None, -1)
    assert page_title(ARTICLE) == (None, -1)


def test_clean_document_on_a_page_saved_whole() -> None:
    config = load_config(env={})
    doc = RawDocument(source="page.txt", format="txt", text="\n".join(PAGE), title=None)
    article = clean_document("x", doc, frozenset(), gazetteer(config.clean, []), config)
    assert isinstance(article, Article)
    assert article.title == HEADLINE
    for line in ARTICLE:
        assert line in article.text
    assert "سياسة الخصوصية" not in article.text
    assert any("سياسة الخصوصية" in line for line in article.removed)


def test_page_lines_off_keeps_every_line() -> None:
    config = load_config(env={})
    config.clean.page_lines = False
    doc = RawDocument(source="page.txt", format="txt", text="\n".join(PAGE), title=None)
    article = clean_document("x", doc, frozenset(), gazetteer(config.clean, []), config)
    assert isinstance(article, Article)
    assert PAGE[1] in article.text


def test_records_are_not_pages() -> None:
    config = load_config(env={})
    doc = RawDocument(source="a.jsonl:1", format="jsonl", text="\n".join(PAGE), title="t")
    article = clean_document("x", doc, frozenset(), gazetteer(config.clean, []), config)
    assert isinstance(article, Article)
    assert PAGE[1] in article.text
