"""CSV cells a spreadsheet would run as formulas are written as text (OWASP's leading ``'``)."""

from __future__ import annotations

import csv
import io

import pytest

from marsad.csvsafe import safe_cell, write_csv


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","x")',
        "+966 11 000",
        "-2+3+cmd|' /C calc'!A0",
        "-3.5",
        "@SUM(1+1)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_formula_text_gets_a_leading_quote(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (-3.5, -3.5),
        (-2, -2),
        (0, 0),
        (True, True),
        (None, ""),
        ("قال المتحدث", "قال المتحدث"),
        (" =not at the start", " =not at the start"),
        ("a=b", "a=b"),
        (["=x", 1], '["=x", 1]'),
        ({"k": "-v"}, '{"k": "-v"}'),
    ],
)
def test_numbers_plain_text_and_json_stay(value: object, cell: object) -> None:
    assert safe_cell(value) == cell


def test_write_csv_neutralises_every_cell_and_keeps_numbers() -> None:
    out = io.StringIO()
    rows = [
        {"outlet": "=cmd", "title": "@x", "lag": -1.5, "tags": ["-a"]},
        {"outlet": "+y"},
    ]
    assert write_csv(out, ["outlet", "title", "lag", "tags"], rows) == 2
    read = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert read[0] == {"outlet": "'=cmd", "title": "'@x", "lag": "-1.5", "tags": '["-a"]'}
    assert read[1] == {"outlet": "'+y", "title": "", "lag": "", "tags": ""}
