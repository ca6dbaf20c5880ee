"""NER accuracy floor pinned in eval/floors.toml: a regression fails CI."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ner_eval import DEFAULT_DATA, MICRO, TEST_FILE, evaluate

FLOORS = tomllib.loads(Path(__file__).with_name("floors.toml").read_text("utf-8"))


@pytest.mark.shared_data
@pytest.mark.skipif(
    not (DEFAULT_DATA / TEST_FILE).exists(), reason=f"shared data not found: {DEFAULT_DATA}"
)
@pytest.mark.parametrize(("model", "section"), [("crf", "ner"), ("crf+e5", "ner_e5")])
def test_ner_floor(model: str, section: str) -> None:
    floors = FLOORS[section]
    result = evaluate(DEFAULT_DATA, ner_model=model)
    micro = result.scores[MICRO]
    assert micro.f1 >= floors["micro_f1"], micro
    assert micro.precision >= floors["micro_precision"], micro
    assert micro.recall >= floors["micro_recall"], micro
