"""Every exporter in every format it offers, directly (``write_export``), on a small store:
four articles written for this test, one passage copied from outlet to outlet."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest

from marsad.config import load_config
from marsad.csvsafe import FORMULA_START
from marsad.export import EXPORTERS, schema, write_export
from marsad.pipeline import analyze
from marsad.store import Store

STORY = (
    "أعلنت مديرية الصحة في المحافظة أن فرقها الميدانية بدأت حملة تلقيح واسعة تشمل "
    "القرى الواقعة على ضفتي النهر، وقال مدير المديرية إن الحملة تستمر أسبوعين كاملين "
    "وتستهدف أكثر من عشرين ألف طفل دون الخامسة."
)
RECORDS = [
    {"outlet": "=وكالة الريف", "title": "حملة تلقيح في قرى النهر", "text": STORY,
     "date": "2025-09-01", "url": "https://rif.example/1"},
    {"outlet": "صحيفة الضفة", "title": "بدء حملة التلقيح", "date": "2025-09-02",
     "text": "نقلاً عن وكالة الريف: " + STORY + " وأضافت الصحيفة أن الأهالي رحبوا بالحملة.",
     "url": "https://dafa.example/2"},
    {"outlet": "صحيفة الضفة", "title": "افتتاح سوق جديد", "date": "2025-09-03",
     "text": "افتتحت البلدية سوقاً جديداً للخضار في الحي الشمالي، وأكد رئيس البلدية أن السوق "
     "يضم خمسين محلاً.", "url": "https://dafa.example/3"},
    {"outlet": "-موقع السهل", "title": "@أمطار غزيرة", "date": "2025-09-04",
     "text": "هطلت أمطار غزيرة على مناطق السهل الشرقي، وأفادت مصادر محلية بأن الطرق الزراعية "
     "تضررت في ثلاث قرى.", "url": "https://sahl.example/4"},
]  # fmt: skip


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    corpus = folder / "small.jsonl"
    corpus.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8"
    )
    db = folder / "small.db"
    config = load_config(
        env={},
        overrides={
            "store.path": str(db),
            "pipeline.workers": 1,
            "narratives.embedder": "static",
            "reuse.min_words": 8,
        },
    )
    with Store(db) as store:
        summary = analyze([str(corpus)], config, store, lambda _: None)
    assert summary.status == "done" and summary.counts("reuse")["passages"] >= 1
    return db


def export(db: Path, what: str, fmt: str) -> tuple[int, str]:
    out = io.StringIO()
    with Store(db, read_only=True) as store:
        count = write_export(store, what, fmt, out)
    return count, out.getvalue()


@pytest.mark.parametrize("what", sorted(EXPORTERS))
def test_jsonl_rows_validate_against_their_schema(small_store: Path, what: str) -> None:
    count, text = export(small_store, what, "jsonl")
    rows = [json.loads(line) for line in text.splitlines()]
    assert len(rows) == count
    validator = jsonschema.Draft202012Validator(schema(what))
    for row in rows:
        validator.validate(row)


@pytest.mark.parametrize("what", sorted(EXPORTERS))
def test_csv_has_the_same_rows_and_no_formula(small_store: Path, what: str) -> None:
    count, text = export(small_store, what, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == count
    for row in rows:
        for value in row.values():
            assert not (value or "").startswith(FORMULA_START), value


def test_rows_carry_the_analysis(small_store: Path) -> None:
    _, text = export(small_store, "articles", "jsonl")
    articles = [json.loads(line) for line in text.splitlines()]
    assert sorted(a["outlet"] for a in articles) == sorted(r["outlet"] for r in RECORDS)
    _, text = export(small_store, "reuse", "jsonl")
    passage: dict[str, Any] = json.loads(text.splitlines()[0])
    assert "حملة تلقيح واسعة" in passage["text_a"] and passage["direction"] in ("a->b", "b->a")
    _, text = export(small_store, "claims", "jsonl")
    claims = [json.loads(line) for line in text.splitlines()]
    assert any(c["source"] == "مصادر محلية" and c["source_type"] == "anonymous" for c in claims)


def test_graph_formats_are_well_formed(small_store: Path) -> None:
    for fmt in ("gexf", "graphml"):
        count, text = export(small_store, "outlet-reuse", fmt)
        root = ElementTree.fromstring(text)
        assert count >= 1 and root.tag.endswith(fmt)
    with pytest.raises(ValueError):
        export(small_store, "articles", "gexf")
