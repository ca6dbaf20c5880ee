"""Claim-family floors pinned in eval/floors.toml ([families]): purity of the hand-judged
pairs, and the share of articles the largest family and narrative span on the first 5,000
SaudiNewsNet records (``python eval/families_eval.py --build DIR``; set
``MARSAD_FAMILIES_DB`` to a store built so to reuse it)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from families_eval import JUDGEMENTS, SNN, build, load_judgements, purity, sizes

FLOORS = tomllib.loads(Path(__file__).with_name("floors.toml").read_text("utf-8"))


@pytest.mark.skipif(not JUDGEMENTS.exists(), reason=f"no judgements: {JUDGEMENTS}")
def test_judged_purity_floor() -> None:
    floors = FLOORS["families"]
    result = purity(load_judgements())
    assert result["families"] >= floors["judged_families"], result
    assert result["pair_purity"] >= floors["pair_purity"], result
    assert result["mean_family_purity"] >= floors["mean_family_purity"], result


@pytest.mark.shared_data
@pytest.mark.skipif(
    not SNN.exists() and not os.environ.get("MARSAD_FAMILIES_DB"),
    reason=f"shared data not found: {SNN}",
)
def test_largest_family_and_narrative_shares(tmp_path: Path) -> None:
    floors = FLOORS["families"]
    given = os.environ.get("MARSAD_FAMILIES_DB")
    db = Path(given) if given else build(tmp_path)
    result = sizes(db)
    assert result["claim_families"]["largest_share"] <= floors["largest_family_share"], result
    assert result["narratives"]["largest_share"] <= floors["largest_narrative_share"], result
