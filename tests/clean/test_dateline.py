import pytest

from marsad.clean.dateline import find_dateline, gazetteer
from marsad.config import CleanOptions

GAZ = gazetteer(CleanOptions())


@pytest.mark.parametrize(
    ("text", "place", "agency"),
    [
        ("دمشق-سانا\nأعلنت وزارة الخارجية أن الوفد وصل.", "دمشق", "سانا"),
        ("موسكو - سانا أكد الرئيس الروسي أن المحادثات بناءة.", "موسكو", "سانا"),
        ("لندن: رنيم الحسن\nقال رئيس الوزراء إن الخطة جاهزة.", "لندن", None),
        ("بيروت (رويترز) - قال مسؤول لبناني إن الحكومة ستجتمع.", "بيروت", "رويترز"),
        (
            "القدس المحتلة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس\nاقتحم مستوطنون المسجد.",
            "القدس المحتلة",
            "واس",
        ),
        ("دير الزور - فرات\nأفادت مصادر أهلية بهبوط مروحيات.", "دير الزور", "فرات"),
        ("القاهرة - أ ش أ: أعلنت الحكومة المصرية خطة جديدة.", "القاهرة", "أ ش أ"),
    ],
)
def test_datelines_at_the_start_of_the_text(text: str, place: str, agency: str | None) -> None:
    found = find_dateline(text, None, GAZ)
    assert found is not None
    assert (found.place, found.agency) == (place, agency)
    assert found.span is not None and text[found.span[0] : found.span[1]] == found.raw


@pytest.mark.parametrize(
    "text",
    [
        "وقال الوزير: إن الحكومة ستعمل على الحل.",
        "أفادت مصادر محلية - وفق ما نقلت وسائل إعلام - بوقوع انفجار.",
        "الحكومة تعلن خطة جديدة للإسكان.",
    ],
)
def test_ordinary_sentences_are_not_datelines(text: str) -> None:
    assert find_dateline(text, None, GAZ) is None


@pytest.mark.parametrize(
    ("byline", "place", "agency"),
    [
        ("مكة المكرمة : واس", "مكة المكرمة", "واس"),
        ("بنغازي: رويترز", "بنغازي", "رويترز"),
        ("منصور البقمي - تربة", "تربة", None),
        ("أحمد اللحياني (مكة المكرمة)", "مكة المكرمة", None),
    ],
)
def test_datelines_in_the_byline(byline: str, place: str, agency: str | None) -> None:
    found = find_dateline("نص الخبر يبدأ هنا دون خط تاريخ.", byline, GAZ)
    assert found is not None and (found.place, found.agency) == (place, agency)
    assert found.span is None


def test_extra_agencies_and_places_from_settings() -> None:
    gaz = gazetteer(CleanOptions(extra_agencies=["نبأ"], extra_places=["الحوايج"]))
    found = find_dateline("الحوايج - نبأ: خبر عاجل عن المنطقة.", None, gaz)
    assert found is not None and (found.place, found.agency) == ("الحوايج", "نبأ")
