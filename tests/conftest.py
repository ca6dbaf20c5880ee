"""Shared fixtures. Test texts are written for the project; shared data is read in place."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from marsad.config import Config, load_config
from marsad.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo"
DEMO_TRUTH = ROOT / "examples" / "demo_truth.json"
SHARED_DATA = Path(os.environ.get("MARSAD_SHARED_DATA", ROOT.parent / "shared" / "data"))
SAUDINEWSNET = SHARED_DATA / "news" / "saudinewsnet.jsonl.gz"
DEMO_MAX_FILE_SIZE = "256KiB"


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """Defaults, in-process workers, a store in the test's temporary folder."""
    return load_config(
        env={},
        overrides={
            "store.path": str(tmp_path / "test.db"),
            "pipeline.workers": 1,
            "fetch.delay": 0.0,
            "fetch.timeout": 5.0,
        },
    )


@pytest.fixture
def store(config: Config) -> Store:
    with Store(config.store.path) as opened:
        yield opened  # type: ignore[misc]


def needs_shared(path: Path) -> pytest.MarkDecorator:
    return pytest.mark.skipif(not path.exists(), reason=f"shared data not found: {path}")
