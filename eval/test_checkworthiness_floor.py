"""Check-worthiness floors pinned in eval/floors.toml: a regression fails CI."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from checkworthiness_eval import DEFAULT_DATA, SPLIT_FILE, evaluate

FLOORS = tomllib.loads(Path(__file__).with_name("floors.toml").read_text("utf-8"))
DEV_TEST = DEFAULT_DATA / SPLIT_FILE.format(split="dev_test")


@pytest.mark.shared_data
@pytest.mark.skipif(not DEV_TEST.exists(), reason=f"shared data not found: {DEV_TEST}")
def test_checkworthiness_floor() -> None:
    floors = FLOORS["checkworthiness"]
    result = evaluate()
    assert result["model"]["f1"] >= floors["f1_positive"], result
    assert result["roc_auc"] >= floors["roc_auc"], result
