"""Claim-attribution accuracy floors pinned in eval/floors.toml: a regression fails CI."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from attribution_eval import evaluate, load_real, load_sets

FLOORS = tomllib.loads(Path(__file__).with_name("floors.toml").read_text("utf-8"))


@pytest.mark.shared_data
def test_attribution_floor() -> None:
    sets, with_snn = load_sets("all")
    if not with_snn:
        pytest.skip("shared data not found: SaudiNewsNet claims cannot be rebuilt")
    floors = FLOORS["attribution"]
    for name in ("tuned", "heldout", "all"):
        result = evaluate(sets[name])
        result.pop("errors")
        assert result["type_accuracy"] >= floors[f"{name}_type_accuracy"], (name, result)
        assert result["source_exact"] >= floors[f"{name}_source_exact"], (name, result)
        assert result["source_partial"] >= floors[f"{name}_source_partial"], (name, result)


@pytest.mark.shared_data
def test_real_attribution_floor() -> None:
    items = load_real()
    if items is None:
        pytest.skip("shared data not found: the real sets point into it")
    floors = FLOORS["attribution_real"]
    for split in ("dev", "heldout"):
        result = evaluate([i for i in items if i["split"] == split])
        result.pop("errors")
        for key in ("type_accuracy", "source_overlap", "right_source"):
            assert result[key] >= floors[f"{split}_{key}"], (split, key, result)
