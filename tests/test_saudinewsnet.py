"""SaudiNewsNet (real articles, read in place from ../shared/data; skipped when absent)."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

from marsad.config import Config
from marsad.pipeline import Plan, analyze
from marsad.store import Store
from tests.conftest import SAUDINEWSNET, needs_shared

SAMPLE = 3000


@needs_shared(SAUDINEWSNET)
def test_saudinewsnet_sample_ingests_with_field_mapping(tmp_path: Path, config: Config) -> None:
    sample = tmp_path / "sample.jsonl.gz"
    expected: Counter[str] = Counter()
    with gzip.open(SAUDINEWSNET, "rt", encoding="utf-8") as src, gzip.open(sample, "wt") as dst:
        for i, line in enumerate(src):
            if i == SAMPLE:
                break
            dst.write(line)
            record = json.loads(line)
            expected["with_text" if record["content"].strip() else "no_text"] += 1
    config.ingest.date_fields = ["date_extracted"]
    config.pipeline.workers = 2
    lines: list[str] = []
    with Store(config.store.path) as store:
        # ingest and clean are what this test is about; the later stages have their own
        summary = analyze([str(sample)], config, store, lines.append, plan=Plan(until="clean"))
        rows = list(store.documents.iter_articles())
    ingest, clean = summary.counts("ingest"), summary.counts("clean")
    assert ingest["read"] == expected["with_text"]
    assert summary.problems["empty"] == expected["no_text"]
    assert ingest["new"] + ingest["already"] == ingest["read"]
    assert clean["cleaned"] + clean["no_text"] == ingest["new"]
    assert len(rows) == clean["cleaned"] > 0.95 * ingest["new"]
    assert all(r["published"] and r["published"].startswith("2015-") for r in rows)
    assert all(r["language"] == "ar" for r in rows[:200])
    outlets = Counter(r["outlet"] for r in rows)
    assert set(outlets) <= {
        "aawsat",
        "aleqtisadiya",
        "aljazirah",
        "almadina",
        "alriyadh",
        "alwatan",
        "alweeam",
        "alyaum",
        "arreyadi",
        "arriyadiyah",
        "okaz",
        "sabq",
        "was",
        "3alyoum",
    }
    with_place = sum(1 for r in rows if r["dateline_place"])
    assert with_place > 0.3 * len(rows)  # many bylines carry "المكان - الكاتب" or "المكان: واس"
