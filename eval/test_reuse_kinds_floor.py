"""Reuse-kind floors pinned in eval/floors.toml: links share real text beyond officials'
titles and names, and copy/template labels are right (100 SaudiNewsNet pairs judged by hand)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from reuse_kinds_eval import evaluate, load_labels, snn_path

FLOORS = tomllib.loads(Path(__file__).with_name("floors.toml").read_text("utf-8"))


def test_labels_hold_offsets_only() -> None:
    labels = load_labels()
    assert len(labels) == 100
    assert sum(r["split"] == "heldout" for r in labels) == 40
    for r in labels:
        assert set(r) == {"n", "idx_a", "idx_b", "split", "passages", "label"}
        assert r["label"] in {"copy", "template", "titles_only", "other"}
        for side_a, side_b in r["passages"]:
            assert all(isinstance(x, int) for x in side_a + side_b)


@pytest.mark.shared_data
def test_reuse_kinds_floor() -> None:
    if not snn_path().exists():
        pytest.skip("shared data not found: SaudiNewsNet is needed to rebuild the links")
    floors = FLOORS["reuse_kinds"]
    result = evaluate()
    for split in ("dev", "heldout", "all"):
        figures = result[split]
        assert figures["real_share"] >= floors[f"{split}_real_share"], (split, figures)
        assert figures["kind_accuracy"] >= floors[f"{split}_kind_accuracy"], (split, figures)
    assert result["all"]["real_kept"] >= floors["all_real_kept"], result["all"]
