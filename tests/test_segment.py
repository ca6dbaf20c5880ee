from marsad.config import SegmentOptions
from marsad.segment import segment


def sentences(text: str, **options: object) -> list[str]:
    return [text[s:e] for s, e in segment(text, SegmentOptions(**options))]  # type: ignore[arg-type]


def test_arabic_punctuation_ends_sentences() -> None:
    text = "هل انتهت الأزمة؟ لا أحد يعرف! وقال مسؤول إن المفاوضات مستمرة؛ وأضاف أن الحل قريب."
    assert sentences(text) == [
        "هل انتهت الأزمة؟",
        "لا أحد يعرف!",
        "وقال مسؤول إن المفاوضات مستمرة؛",
        "وأضاف أن الحل قريب.",
    ]


def test_line_breaks_end_sentences_without_punctuation() -> None:
    text = "عاجل: انقطاع المياه عن الحسكة\nوقال المجلس المحلي إن الضخ سيعود غداً."
    assert sentences(text) == [
        "عاجل: انقطاع المياه عن الحسكة",
        "وقال المجلس المحلي إن الضخ سيعود غداً.",
    ]


def test_numbers_with_dots_do_not_split() -> None:
    text = "ارتفع السعر إلى 3.5 دولار، وبلغ عدد المتضررين 1.500 شخص. وتابع التقرير."
    assert sentences(text) == [
        "ارتفع السعر إلى 3.5 دولار، وبلغ عدد المتضررين 1.500 شخص.",
        "وتابع التقرير.",
    ]


def test_abbreviations_and_initials_do_not_split() -> None:
    text = "وقال د. سامر الحلبي إن ص.ب. 1234 مغلق. وصل أ.د. منير إلى U.S. Embassy أمس."
    assert sentences(text) == [
        "وقال د. سامر الحلبي إن ص.ب. 1234 مغلق.",
        "وصل أ.د. منير إلى U.S. Embassy أمس.",
    ]


def test_era_letter_after_a_year_can_end_a_sentence() -> None:
    text = "تأسست الجمعية عام 1990 م. وتضم اليوم مئات الأعضاء."
    assert sentences(text) == ["تأسست الجمعية عام 1990 م.", "وتضم اليوم مئات الأعضاء."]


def test_quotation_stays_with_its_reporting_verb() -> None:
    text = "وقال الوزير: «لن نسمح بذلك. سنرد بقوة». ثم غادر القاعة."
    assert sentences(text) == ["وقال الوزير: «لن نسمح بذلك. سنرد بقوة».", "ثم غادر القاعة."]
    text = 'وكتب ناشط: "الفيديو قديم. نشر عام 2019". وانتهى الجدل.'
    assert sentences(text) == ['وكتب ناشط: "الفيديو قديم. نشر عام 2019".', "وانتهى الجدل."]


def test_long_quotation_is_split() -> None:
    quote = "جملة أولى طويلة. " * 40
    text = f"قال: «{quote}»"
    assert len(sentences(text, max_quote_chars=100)) > 1


def test_ellipsis_and_mixed_marks() -> None:
    assert sentences("انتظروا… وصلت القوات؟! نعم.") == ["انتظروا…", "وصلت القوات؟!", "نعم."]


def test_offsets_are_trimmed_and_point_into_text() -> None:
    text = "  أولاً.   ثانياً.  \n\n  ثالثاً  "
    spans = segment(text)
    assert [text[s:e] for s, e in spans] == ["أولاً.", "ثانياً.", "ثالثاً"]
    assert all(text[s] != " " and text[e - 1] != " " for s, e in spans)


def test_extra_abbreviations_from_options() -> None:
    text = "زار م.ب. المشروع. ثم عاد."
    assert sentences(text) == ["زار م.ب.", "المشروع.", "ثم عاد."]
    assert sentences(text, extra_abbreviations=["م.ب"]) == ["زار م.ب. المشروع.", "ثم عاد."]


def test_empty_text() -> None:
    assert segment("") == []
    assert segment("\n\n  \n") == []


def test_decimals_of_tokenised_pages_do_not_end_sentences() -> None:
    text = "بلغت الصادرات 1 . 4 مليار دولار . وارتفعت البطالة إلى 7 . 3 % هذا العام . قتل 5 . 10 أشخاص أصيبوا"
    parts = [text[s:e] for s, e in segment(text)]
    assert parts == [
        "بلغت الصادرات 1 . 4 مليار دولار .",
        "وارتفعت البطالة إلى 7 . 3 % هذا العام .",
        "قتل 5 .",
        "10 أشخاص أصيبوا",
    ]


def test_a_straight_quote_before_a_full_stop_closes_an_earlier_quotation() -> None:
    text = 'وشكر كل من شارك في العمليات " . وأضاف الوزير : " قبل عامين بدأ القتال للتو .'
    assert [text[s:e] for s, e in segment(text)] == [
        'وشكر كل من شارك في العمليات " .',
        'وأضاف الوزير : " قبل عامين بدأ القتال للتو .',
    ]


def test_dotted_acronyms_do_not_end_a_sentence() -> None:
    text = "ونقلت خدمة دي.إيه.إن الإخبارية عن مسؤولين أن الهدنة انهارت. وقال الجيش إنه رد."
    assert len(segment(text)) == 2
    glued = "وصل الوفد أمس.فيما كشفت مصادر أن الاجتماع تأجل."
    assert len(segment(glued)) == 2
