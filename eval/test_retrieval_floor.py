"""Debunked-claim retrieval floors pinned in eval/floors.toml ([retrieval]): a regression
fails CI."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from eval.retrieval.load import COLLECTION

from retrieval_eval import evaluate

FLOORS = tomllib.loads(Path(__file__).with_name("floors.toml").read_text("utf-8"))


@pytest.mark.shared_data
@pytest.mark.skipif(not COLLECTION.exists(), reason=f"shared data not found: {COLLECTION}")
def test_retrieval_floor() -> None:
    floors = FLOORS["retrieval"]
    result = evaluate("static")
    for half in ("all", "even"):
        scores = result["marsad"][half]
        assert scores["mrr"] >= floors[f"{half}_mrr"], result
        assert scores["success@10"] >= floors[f"{half}_success_at_10"], result
    assert result["at_best_threshold_even"]["f1"] >= floors["even_f1_at_threshold"], result
