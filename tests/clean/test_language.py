from marsad.clean.language import detect_language


def test_arabic_english_french_persian_and_too_short() -> None:
    assert detect_language("أفادت مصادر أهلية بأن مروحيات أمريكية هبطت قرب القرية") == "ar"
    assert (
        detect_language("The coalition denied reports of a helicopter landing near the village.")
        == "en"
    )
    assert (
        detect_language("La coalition a démenti les informations sur un atterrissage nocturne.")
        == "fr"
    )
    assert detect_language("گزارش‌ها حاکی از فرود بالگردهای آمریکایی در نزدیکی روستا است") == "fa"
    assert detect_language("123 !!") == "und"


def test_mixed_text_follows_the_majority_script() -> None:
    assert detect_language("قالت وكالة Reuters إن الوفد وصل إلى العاصمة صباح اليوم") == "ar"
