import pytest

from marsad.clean.dates import date_from_text, date_from_url, parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-09-03T08:40:00+03:00", "2025-09-03T08:40:00+03:00"),
        ("2015-07-21 02:51:32", "2015-07-21T02:51:32"),
        ("2025-09-05 14:10", "2025-09-05T14:10:00"),
        ("2025-09-03", "2025-09-03"),
        ("Thu, 04 Sep 2025 10:00:00 +0300", "2025-09-04T10:00:00+03:00"),
        ("1756886537", "2025-09-03T08:02:17+00:00"),
        (1756886537000, "2025-09-03T08:02:17+00:00"),
        ("الخميس 4 أيلول/سبتمبر 2025", "2025-09-04"),
        ("٢٠٢٥/٠٩/٠٣", "2025-09-03"),
        ("3/9/2025", "2025-09-03"),
        ("September 5, 2025", "2025-09-05"),
        ("دبي - الرياضية | Tuesday, 11 August 2015 - 13:48 pm", "2015-08-11T13:48:00"),
        ("10 اغسطس 2015 م", "2015-08-10"),
        ("", None),
        ("غير معروف", None),
        ("2025-13-45", None),
        (None, None),
    ],
)
def test_parse_date(value: str | int | None, expected: str | None) -> None:
    assert parse_date(value) == expected


def test_date_from_url_and_text() -> None:
    assert date_from_url("https://x.example/news/2025/09/03/heli") == "2025-09-03"
    assert date_from_url("https://x.example/news/heli") is None
    assert date_from_text("الخميس 4 أيلول/سبتمبر 2025\nدير الزور - فرات") == "2025-09-04"
    assert date_from_text("نص بلا تاريخ") is None
