"""Accuracy floors pinned in eval/floors.toml: a regression fails CI."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from reuse_corpus import DEFAULT_DATA
from reuse_eval import evaluate

FLOORS = tomllib.loads((Path(__file__).with_name("floors.toml")).read_text("utf-8"))


@pytest.mark.skipif(not DEFAULT_DATA.exists(), reason=f"shared data not found: {DEFAULT_DATA}")
def test_reuse_floors() -> None:
    floors = FLOORS["reuse"]
    rows = evaluate(floors["docs"], floors["edits"], reorder=True)
    for row in rows:
        ours = row["marsad"]
        suffix = "max_edit_20" if row["edit"] <= 0.2 else "edit_30"
        assert ours["precision"] >= floors[f"precision_{suffix}"], row
        assert ours["recall"] >= floors[f"recall_{suffix}"], row
        assert ours["iou"] >= floors[f"iou_{suffix}"], row
        assert ours["direction"] >= floors["direction"], row
