"""Actor recall floors pinned in eval/floors.toml: a regression fails CI (only the aggregate
figures are compared and reported; held-out misses are never shown)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from actors_eval import evaluate, load_real

FLOORS = tomllib.loads(Path(__file__).with_name("floors.toml").read_text("utf-8"))


@pytest.mark.shared_data
def test_actor_recall_floor() -> None:
    items = load_real()
    if items is None:
        pytest.skip("shared data not found: the real sets point into it")
    floors = FLOORS["actors"]
    for split in ("dev", "heldout"):
        result = evaluate([i for i in items if i["split"] == split])
        result.pop("misses")
        for key in ("recall", "recall_official", "recall_media"):
            assert result[key] >= floors[f"{split}_{key}"], (split, key, result)
