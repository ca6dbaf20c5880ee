"""Cleaning floors (eval/floors.toml [cleaning]) on the real pages and pasted layouts."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cleaning_eval import evaluate, summary

FLOORS = tomllib.loads((Path(__file__).with_name("floors.toml")).read_text("utf-8"))["cleaning"]


@pytest.fixture(scope="module")
def figures() -> dict[str, float]:
    result = evaluate()
    if result is None:
        pytest.skip("shared data not found (claims/arabic_fc_stance, news/saudinewsnet)")
    return summary(result, "all")


def test_no_stance_line_lost(figures: dict[str, float]) -> None:
    assert figures["stance_lines_lost"] <= FLOORS["stance_lines_lost_max"]


def test_site_chrome_left(figures: dict[str, float]) -> None:
    assert figures["pages_with_chrome"] <= FLOORS["pages_with_chrome_max"], figures
    assert figures["body_chars_kept"] >= FLOORS["body_chars_kept"], figures


def test_titles(figures: dict[str, float]) -> None:
    assert figures["page_title_right"] >= FLOORS["page_title_right"], figures
    assert (
        figures["pasted_title_and_dateline_right"] >= FLOORS["pasted_title_and_dateline_right"]
    ), figures
    assert figures["pasted_chrome_gone"] >= FLOORS["pasted_chrome_gone"], figures
