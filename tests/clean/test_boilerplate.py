from marsad.clean.boilerplate import candidate_keys, line_key, load_patterns, strip_boilerplate
from marsad.config import CleanOptions

OPTIONS = CleanOptions()
ARTICLE = """محليات
دير الزور - فرات
أفادت مصادر أهلية بأن مروحيات هبطت فجر اليوم قرب القرية، ونقلت عدداً من الأشخاص إلى جهة مجهولة.
وقال شاهد عيان إن العملية استغرقت نحو ساعة.
اقرأ أيضاً:
ندوة في دمشق حول مستقبل الزراعة
تابعونا على قناتنا في تلغرام: t.me/sabah_arabi
للاشتراك في خدمة الأخبار العاجلة أرسل كلمة "اشتراك" إلى الرقم 0944123456
شارك الخبر: فيسبوك | تويتر | واتساب
العودة إلى الأعلى
جميع الحقوق محفوظة © 2025"""


def test_patterns_remove_site_furniture_and_keep_the_story() -> None:
    text, removed = strip_boilerplate(ARTICLE, set(), OPTIONS)
    assert text.splitlines() == [
        "دير الزور - فرات",
        "أفادت مصادر أهلية بأن مروحيات هبطت فجر اليوم قرب القرية، ونقلت عدداً من الأشخاص إلى جهة مجهولة.",
        "وقال شاهد عيان إن العملية استغرقت نحو ساعة.",
    ]
    assert removed[0] == "محليات"
    assert "ندوة في دمشق حول مستقبل الزراعة" in removed  # the teaser under a lone "read also"
    assert len(removed) == 8


def test_news_sentences_that_start_like_widgets_are_kept() -> None:
    text = (
        "شارك في الاجتماع وزراء الخارجية العرب.\nشاهد عيان أكد سماع دوي انفجار.\n"
        "اشترك في المسابقة عشرون لاعباً.\nتابع الوزير حديثه عن خطة الإعمار."
    )
    cleaned, removed = strip_boilerplate(text, set(), OPTIONS)
    assert removed == []
    assert cleaned == text


def test_recurring_lines_of_an_outlet_are_removed() -> None:
    footer = "للتواصل مع الكاتب ارسل رسالة"
    frequent = {line_key(footer)}
    text, removed = strip_boilerplate(
        f"خبر عن افتتاح جسر جديد فوق النهر.\n{footer}", frequent, OPTIONS
    )
    assert text == "خبر عن افتتاح جسر جديد فوق النهر."
    assert removed == [footer]


def test_protected_lines_survive_even_if_recurring() -> None:
    dateline = "الرياض 26 شوال 1436 هـ الموافق 11 أغسطس 2015 م واس"
    text, removed = strip_boilerplate(
        f"{dateline}\nنص الخبر.", {line_key(dateline)}, OPTIONS, {dateline}
    )
    assert text.startswith(dateline) and removed == []


def test_long_lines_are_never_removed() -> None:
    long_line = "تابعونا على قناتنا " + "ونص طويل جداً " * 30
    text, removed = strip_boilerplate(long_line, {line_key(long_line)}, OPTIONS)
    assert removed == [] and text == long_line.strip()


def test_tail_marks_are_cut_from_the_last_line() -> None:
    text, removed = strip_boilerplate("وأكد المتحدث أن التحقيق مستمر ...المزيد", set(), OPTIONS)
    assert text == "وأكد المتحدث أن التحقيق مستمر"
    assert removed == ["...المزيد"]
    text, removed = strip_boilerplate("واختتم الاجتماع أعماله. (انتهى)\nع.م/ح.س", set(), OPTIONS)
    assert text == "واختتم الاجتماع أعماله."
    assert removed == ["ع.م/ح.س", "(انتهى)"]


def test_patterns_can_be_switched_off() -> None:
    text, removed = strip_boilerplate(ARTICLE, set(), CleanOptions(use_patterns=False))
    assert removed == [] and text.startswith("محليات")


def test_candidate_keys_ignore_blank_and_long_lines_and_fold_spelling() -> None:
    keys = candidate_keys("تابعونا   على تلغرام\n\n" + "س" * 500, OPTIONS)
    assert keys == {line_key("تابعونا على تلغرام")}
    assert line_key("إقرأ أيضاً") == line_key("اقرأ ايضا")


def test_every_pattern_is_documented() -> None:
    for pattern in load_patterns():
        assert pattern.description and pattern.scope in {"line", "edge", "tail"}
