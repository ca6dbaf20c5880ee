"""The command line, through click's runner: every command, its help, exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path
from xml.etree import ElementTree

import click
import jsonschema
import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.config import settings, settings_markdown
from marsad.export import EXPORTERS, schema
from marsad.pipeline import STAGE_NAMES
from marsad.store import Store
from tests.conftest import DEMO, DEMO_MAX_FILE_SIZE, ROOT

DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "demo.db"
    result = CliRunner().invoke(
        main,
        ["analyze", str(DEMO), "--db", str(db), "--max-file-size", DEMO_MAX_FILE_SIZE],
        env={"MARSAD_PIPELINE_WORKERS": "1"},
    )
    assert result.exit_code == 0, result.output
    return db


def test_analyze_reports_summary_and_store(demo_db: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(DEMO / "furat"), "--db", str(demo_db)])
    assert result.exit_code == 0
    assert "0 new" in result.output and f"Results are in {demo_db}" in result.output


def test_analyze_exits_non_zero_only_when_nothing_is_read(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(main, ["analyze", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert "empty file" in result.output and "Nothing could be read" in result.output


def test_field_option_maps_record_fields(tmp_path: Path) -> None:
    data = tmp_path / "records.jsonl"
    record = {
        "headline": "عنوان",
        "story": "نص خبر قصير عن افتتاح جسر جديد في المدينة.",
        "day": "2025-09-01",
    }
    data.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "f.db"
    args = ["analyze", str(data), "--db", str(db), "--field", "text=story", "--field", "date=day"]
    assert CliRunner().invoke(main, args).exit_code == 0
    out = CliRunner().invoke(main, ["export", "--db", str(db), "--what", "articles"])
    row = json.loads(out.stdout.splitlines()[0])
    assert row["published"] == "2025-09-01" and row["text"].startswith("نص خبر")
    bad = CliRunner().invoke(main, ["analyze", str(data), "--db", str(db), "--field", "body"])
    assert bad.exit_code == 2 and "NAME=FIELD" in bad.output


def test_jsonl_export_validates_against_schema(demo_db: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--db", str(demo_db), "--what", "articles"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) >= 41
    validator = jsonschema.Draft202012Validator(schema("articles"))
    for row in rows:
        validator.validate(row)
        for start, end in row["sentences"]:
            assert row["text"][start:end].strip()


def test_csv_export_to_file_validates_against_schema(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "articles.csv"
    args = [
        "export",
        "--db",
        str(demo_db),
        "--what",
        "articles",
        "--format",
        "csv",
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and "Exported" in result.output
    props = schema("articles")["properties"]
    validator = jsonschema.Draft202012Validator(schema("articles"))
    reader = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
    assert reader.fieldnames == list(EXPORTERS["articles"].fields)
    for row in reader:
        record: dict[str, object] = {}
        for key, value in row.items():
            kinds = props[key].get("type")
            if kinds == "array":
                record[key] = json.loads(value)
            elif isinstance(kinds, list) and "null" in kinds and value == "":
                record[key] = None
            else:
                record[key] = value
        validator.validate(record)


@pytest.mark.parametrize("what", ["reuse", "reuse-families", "outlet-reuse"])
def test_reuse_exports_validate_against_their_schemas(demo_db: Path, what: str) -> None:
    result = CliRunner().invoke(main, ["export", "--db", str(demo_db), "--what", what])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows, what
    validator = jsonschema.Draft202012Validator(schema(what))
    for row in rows:
        validator.validate(row)


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_outlet_graph_files_are_well_formed(demo_db: Path, fmt: str) -> None:
    result = CliRunner().invoke(
        main, ["export", "--db", str(demo_db), "--what", "outlet-reuse", "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    root = ElementTree.fromstring(result.stdout)
    assert root.tag.endswith("gexf" if fmt == "gexf" else "graphml")
    edges = [el for el in root.iter() if el.tag.endswith("edge")]
    assert edges
    bad = CliRunner().invoke(
        main, ["export", "--db", str(demo_db), "--what", "articles", "--format", fmt]
    )
    assert bad.exit_code == 2 and "supports jsonl, csv" in bad.output


def test_export_needs_a_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["export", "--db", str(tmp_path / "none.db"), "--what", "articles"]
    )
    assert result.exit_code == 2 and "run `marsad analyze` first" in result.output


def test_status_and_schema_commands(demo_db: Path) -> None:
    status = CliRunner().invoke(main, ["status", "--db", str(demo_db)])
    assert status.exit_code == 0 and "articles:" in status.output and "problem:" in status.output
    assert re.search(r"^run \d+: done \(started ", status.output, re.M)
    printed = CliRunner().invoke(main, ["schema", "articles"])
    assert json.loads(printed.output) == schema("articles")


def _copy(db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "copy.db"
    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    return copy


def test_only_until_and_redo_choose_the_stages(demo_db: Path, tmp_path: Path) -> None:
    db = _copy(demo_db, tmp_path)
    needs_inputs = CliRunner().invoke(main, ["analyze", "--db", str(db)])
    assert needs_inputs.exit_code == 2 and "--only/--until/--redo" in needs_inputs.output
    unknown = CliRunner().invoke(main, ["analyze", "--db", str(db), "--only", "nothing"])
    assert unknown.exit_code == 2
    only = CliRunner().invoke(main, ["analyze", "--db", str(db), "--only", "search"])
    assert only.exit_code == 0 and only.output.count("Search:") == 1
    assert "Claims:" not in only.output and "Read " not in only.output
    redo = CliRunner().invoke(
        main, ["analyze", "--db", str(db), "--redo", "claims", "--until", "claims"]
    )
    assert redo.exit_code == 0, redo.output
    with sqlite3.connect(db) as conn:
        articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert f"in {articles} articles" in redo.output  # every article analysed again
    assert "Reuse:" not in redo.output and "Search:" not in redo.output
    after = CliRunner().invoke(main, ["analyze", "--db", str(db), "--only", "search"])
    assert f"Search: {articles} articles indexed" in after.output  # redone claims: reindexed


def test_a_second_writer_is_refused_with_one_line(demo_db: Path, tmp_path: Path) -> None:
    db = _copy(demo_db, tmp_path)
    with Store(db) as holder:
        holder.lock_writer("analyze elsewhere")
        busy = CliRunner().invoke(main, ["analyze", "--db", str(db), "--only", "search"])
        assert busy.exit_code == 75
        assert "is being written by another Marsad process" in busy.output
        assert "analyze elsewhere" in busy.output and "Traceback" not in busy.output
    free = CliRunner().invoke(main, ["analyze", "--db", str(db), "--only", "search"])
    assert free.exit_code == 0


def test_stages_command_lists_every_stage() -> None:
    result = CliRunner().invoke(main, ["stages"])
    assert result.exit_code == 0
    for name in STAGE_NAMES:
        assert re.search(rf"^{name}( \(off in these settings\))?: ", result.output, re.M)
    assert re.search(r"component clean\.v\d+\+page-lines\.v\d+\+segment\.v\d+", result.output)


def test_every_command_and_option_has_help() -> None:
    assert main.help
    for name, command in main.commands.items():
        assert command.help, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts}"
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def test_configuration_doc_is_generated_from_the_settings() -> None:
    assert (DOCS / "configuration.md").read_text("utf-8") == settings_markdown()
    assert all(info.help for info in settings())


def test_config_command_and_env_and_toml(tmp_path: Path) -> None:
    toml = tmp_path / "marsad.toml"
    toml.write_text('[ingest]\nmax_file_size = "1MiB"\n', encoding="utf-8")
    result = CliRunner().invoke(
        main, ["config", "--config", str(toml)], env={"MARSAD_FETCH_DELAY": "2.5"}
    )
    assert "ingest.max_file_size = '1MiB'" in result.output
    assert "fetch.delay = 2.5" in result.output
    toml.write_text("[ingest]\nno_such = 1\n", encoding="utf-8")
    bad = CliRunner().invoke(main, ["config", "--config", str(toml)])
    assert bad.exit_code == 2 and "unknown setting 'ingest.no_such'" in bad.output


def test_schema_doc_lists_every_exported_field() -> None:
    doc = (DOCS / "schema.md").read_text("utf-8")
    for what in EXPORTERS:
        assert f"--what {what}" in doc
        for field in schema(what)["properties"]:
            assert f"`{field}`" in doc, field
