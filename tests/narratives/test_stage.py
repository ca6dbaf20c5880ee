"""The narratives stage end to end on the demo corpus (static embedder: fast, offline)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.config import load_config
from marsad.export import EXPORTERS, schema
from marsad.narratives.catalog import read_catalog
from marsad.pipeline import analyze
from marsad.store import Store
from tests.conftest import DEMO, DEMO_MAX_FILE_SIZE, ROOT

CATALOG = ROOT / "examples" / "catalog" / "demo_catalog.csv"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("narratives") / "demo.db"
    config = load_config(
        env={},
        overrides={
            "store.path": str(db),
            "pipeline.workers": 1,
            "ingest.max_file_size": DEMO_MAX_FILE_SIZE,
            "reuse.enabled": False,
            "narratives.enabled": True,
            "narratives.embedder": "static",
        },
    )
    with Store(db) as store:
        summary = analyze(
            [str(DEMO)], config, store, lambda _: None, catalogs=[read_catalog(CATALOG)]
        )
        rows = {what: list(EXPORTERS[what].rows(store)) for what in EXPORTERS}
    return {"db": db, "config": config, "summary": summary, "rows": rows}


def test_exports_validate(demo: dict[str, Any]) -> None:
    for what in ("claim-families", "narratives", "catalog-matches"):
        validator = jsonschema.Draft202012Validator(schema(what))
        for row in demo["rows"][what]:
            validator.validate(row)
    assert demo["rows"]["claim-families"] and demo["rows"]["narratives"]


def test_wire_copies_of_the_helicopter_story_form_one_family(demo: dict[str, Any]) -> None:
    claims = {c["id"]: c for c in demo["rows"]["claims"]}
    families = demo["rows"]["claim-families"]
    helicopter = [
        f
        for f in families
        if any(
            "مروحيتين" in claims[c]["text"] and "هبطتا" in claims[c]["text"] for c in f["claims"]
        )
    ]
    assert helicopter, "the landing claim should be a family"
    biggest = max(helicopter, key=lambda f: len(f["articles"]))
    assert len(biggest["articles"]) >= 4 and biggest["outlets"] >= 4
    assert biggest["first_seen"] == min(biggest["daily"])
    # the water-station story is a different family and narrative
    water = [f for f in families if any("تل الورد" in claims[c]["text"] for c in f["claims"])]
    assert water and all(w["id"] != biggest["id"] for w in water)
    assert all(w["narrative"] != biggest["narrative"] for w in water)


def test_every_family_spans_two_articles_and_belongs_to_one_narrative(
    demo: dict[str, Any],
) -> None:
    narratives = {n["id"]: n for n in demo["rows"]["narratives"]}
    for family in demo["rows"]["claim-families"]:
        assert len(family["articles"]) >= 2
        assert family["id"] in narratives[family["narrative"]]["families"]


def test_rerun_embeds_nothing_new(demo: dict[str, Any]) -> None:
    with Store(demo["db"]) as store:
        again = analyze([str(DEMO)], demo["config"], store, lambda _: None)
    assert again.narratives is not None
    assert again.narratives.embedded == 0 and again.narratives.compared == 0


def test_catalog_commands(demo: dict[str, Any], tmp_path: Path) -> None:
    listed = CliRunner().invoke(main, ["catalog", "list", "--db", str(demo["db"])])
    assert listed.exit_code == 0 and "demo_catalog: 10 entries" in listed.output
    bad = tmp_path / "bad.csv"
    bad.write_text("name,text\na,b\n", encoding="utf-8")
    refused = CliRunner().invoke(main, ["catalog", "add", "--db", str(demo["db"]), str(bad)])
    assert refused.exit_code == 2 and "--catalog-field" in refused.output
    mapped = tmp_path / "mapped.csv"
    mapped.write_text("name,text\nK1,مروحيات أمريكية تنقل قادة داعش\n", encoding="utf-8")
    added = CliRunner().invoke(
        main,
        [
            "catalog",
            "add",
            "--db",
            str(demo["db"]),
            str(mapped),
            "--field",
            "id=name",
            "--field",
            "title=text",
        ],
        env={"MARSAD_NARRATIVES_EMBEDDER": "static", "MARSAD_PIPELINE_WORKERS": "1"},
    )
    assert added.exit_code == 0, added.output
    assert json.loads(json.dumps(demo["summary"].as_dict()))["narratives"]["families"] > 0
