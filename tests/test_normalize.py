from marsad.normalize import (
    PROFILE,
    arabic_letter_share,
    map_span,
    normalize,
    normalize_with_offsets,
    words,
)


def test_profile_is_versioned() -> None:
    assert PROFILE == "ar-norm-v1"


def test_alef_hamza_forms_fold_to_bare_alef() -> None:
    assert normalize("أحمد إبراهيم آمال ٱلله") == "احمد ابراهيم امال الله"


def test_hamza_carriers_ta_marbuta_and_alef_maqsura() -> None:
    assert normalize("مسؤول") == "مسوول"
    assert normalize("رئيس") == "رييس"
    assert normalize("مدينة") == "مدينه"
    assert normalize("مستشفى") == "مستشفي"


def test_diacritics_and_tatweel_are_removed() -> None:
    assert normalize("الأمـــمُ المتّحدةُ") == "الامم المتحده"
    assert normalize("قُتِلَ") == "قتل"


def test_arabic_indic_and_persian_digits_become_ascii() -> None:
    assert normalize("٣٠ قتيلاً و۴ جرحى") == "30 قتيلا و4 جرحي"
    assert normalize("٣٫٥") == "3.5"


def test_curly_and_angle_quotes_fold() -> None:
    assert normalize("«عاجل» “خبر” ‘x’") == '"عاجل" "خبر" \'x\''


def test_presentation_forms_and_case() -> None:
    assert normalize("ﻻ") == "لا"
    assert normalize("US Forces") == "us forces"


def test_offsets_map_back_to_original_text() -> None:
    text = "قالت الأمـمُ المتحدة إن «٣٠» شخصاً"
    folded, offsets = normalize_with_offsets(text)
    assert folded == normalize(text)
    assert len(offsets) == len(folded) + 1
    start = folded.index("30")
    assert text[slice(*map_span(offsets, start, start + 2))] == "٣٠"
    start = folded.index("الامم")
    s, e = map_span(offsets, start, start + len("الامم"))
    assert text[s:e] == "الأمـم"
    assert normalize(text[s:e]) == "الامم"


def test_words_and_arabic_share() -> None:
    assert words("أكّد الوزيرُ، أمس: «لا تراجع»") == ["اكد", "الوزير", "امس", "لا", "تراجع"]
    assert arabic_letter_share("مرحبا hello") == 5 / 10
    assert arabic_letter_share("123 !!") == 0.0


def test_normalize_mapped_skips_offsets_only_when_they_are_the_identity() -> None:
    from marsad.normalize import normalize_mapped, normalize_with_offsets

    plain = "قالت الوزارة إن القصف استهدف المدينة"
    assert normalize_mapped(plain) == (normalize(plain), None)
    for text in ("قالَت الوزارةُ", "ﻻ يوجد", "Straße ﬁnal", "الـــوزارة"):
        folded, offsets = normalize_mapped(text)
        assert (folded, offsets) == normalize_with_offsets(text)


def test_offsets_fast_path_agrees_with_character_by_character_folding() -> None:
    import random

    from marsad.normalize import _table, normalize_with_offsets

    def reference(text: str) -> tuple[str, list[int]]:
        out, offsets = [], []
        for i, ch in enumerate(text):
            for piece in (_table().get(ord(ch), ch) or "").casefold():
                out.append(piece)
                offsets.append(i)
        return "".join(out), [*offsets, len(text)]

    alphabet = "قالتَُِّْـ\u200fأإآةى٣«» ABCﻻß\u0670"
    rng = random.Random(3)
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert normalize_with_offsets(text) == reference(text), text
