"""Failure is per record in every stage after ingest (issue 13): an exception on one article
(or on one of its claim wordings) in clean, claims, reuse (fingerprint, compare), narratives
(embed, link) or search costs that record only. It is stored as one problem (stage, record,
exception, component), the run is marked failed with the failure counted for its stage,
`marsad status` says so, a rerun skips the record without calling the failing code again,
and a new component (code version or setting) tries it again.

The fault is injected with ``monkeypatch`` on the function the stage's ``process`` calls; the
pipeline runs in this process (``pipeline.workers = 1``), and once in two forked workers."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import marsad.clean.stage
from marsad import __version__
from marsad.cli import main
from marsad.config import Config, load_config
from marsad.narratives.embed import StaticEmbedder
from marsad.narratives.families import claim_key
from marsad.narratives.similarity import SameClaimModel
from marsad.pipeline import RunSummary, analyze
from marsad.store import Store
from tests.hostile.cases import jsonl, marker

ARTICLES = 16  # records 0..15; n and n + 12 share both sentences, so reuse finds passages
MARKED = 2  # the record whose processing raises


class Injected(RuntimeError):
    """The fault the tests inject."""


@dataclass
class Marked:
    """The marked record as each stage knows it: its article id and claim wording key."""

    article: str
    wording: str
    text: str = marker(MARKED)


@dataclass
class Fault:
    """Where to inject the fault and how to tell the marked record's calls from the others."""

    step: str  # the runner's "<stage>.<step>"
    target: Any  # module or class whose attribute is patched
    name: str  # the attribute
    hits: Callable[[Marked, tuple[Any, ...]], bool]  # is this call for the marked record?
    record: Callable[[Marked], str]  # the record the problem names
    bump: Callable[[Config, pytest.MonkeyPatch], None]  # a new component for the stage
    done: str  # SQL: the marked record's output exists (parameter: its record id)

    @property
    def stage(self) -> str:
        return self.step.split(".")[0]


def _bump_attr(module: str, name: str) -> Callable[[Config, pytest.MonkeyPatch], None]:
    """A new code version: the component string ``module.name`` gets a suffix."""

    def bump(config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
        import importlib

        target = importlib.import_module(module)
        monkeypatch.setattr(target, name, getattr(target, name) + "-next")

    return bump


def _bump_setting(section: str, name: str, value: object) -> Callable[..., None]:
    def bump(config: Config, monkeypatch: pytest.MonkeyPatch) -> None:
        setattr(getattr(config, section), name, value)

    return bump


def _in_text(marked: Marked, args: tuple[Any, ...]) -> bool:
    return any(isinstance(a, str) and marked.text in a for a in args)


FAULTS = {
    "clean": Fault(
        "clean.clean",
        marsad.clean.stage,
        "clean_document",
        lambda m, args: m.text in args[1].text,  # (doc_id, doc, frequent, gazetteer, config)
        lambda m: m.article,
        _bump_setting("clean", "extra_places", ["بلدة التجربة"]),
        "SELECT 1 FROM articles WHERE id = ?",
    ),
    "claims": Fault(
        "claims.analyse",
        "marsad.claims.stage",
        "analyse_article",
        _in_text,  # (article_id, title, text, sentences, ...)
        lambda m: m.article,
        _bump_attr("marsad.claims.stage", "ATTRIBUTION_COMPONENT"),
        "SELECT 1 FROM claims_done WHERE article_id = ?",
    ),
    "reuse-fingerprint": Fault(
        "reuse.fingerprint",
        "marsad.reuse.stage",
        "fingerprint_article",
        _in_text,  # (article_id, text, ngram)
        lambda m: m.article,
        _bump_attr("marsad.reuse", "ALIGN_COMPONENT"),
        "SELECT 1 FROM reuse_fingerprints WHERE article_id = ?",
    ),
    "reuse-compare": Fault(
        "reuse.compare",
        "marsad.reuse.stage",
        "align_pair",
        lambda m, args: args[2] == m.article,  # (grams_a, grams_b, a, b, ...); owner is a
        lambda m: m.article,
        _bump_attr("marsad.reuse", "ALIGN_COMPONENT"),
        "SELECT 1 FROM reuse_compared WHERE article_id = ?",
    ),
    "narratives-embed": Fault(
        "narratives.embed",
        StaticEmbedder,
        "encode",
        lambda m, args: any(m.text in t for t in args[1]),  # (self, texts, kind)
        lambda m: m.wording,
        _bump_setting("narratives", "narrative_cosine", 0.9000001),
        "SELECT 1 FROM claim_vectors WHERE key = ?",
    ),
    "narratives-link": Fault(
        "narratives.link",
        SameClaimModel,
        "judge",
        lambda m, args: m.text in args[1],  # (self, a_text, b_text, a_vec, b_vec, ...)
        lambda m: m.wording,
        _bump_setting("narratives", "narrative_cosine", 0.9000001),
        "SELECT 1 FROM claim_linked WHERE key = ?",
    ),
    "search": Fault(
        "search.index",
        "marsad.search",
        "entries",
        lambda m, args: m.text in args[0].text,  # (IndexedArticle,)
        lambda m: m.article,
        _bump_attr("marsad.search", "COMPONENT"),
        "SELECT 1 FROM search_done WHERE article_id = ?",
    ),
}


@dataclass
class Switch:
    """The patched function's state: whether it raises for the marked record, and how many
    times it was called for it."""

    fail: bool = True
    calls: list[int] = field(default_factory=list)


def inject(fault: Fault, marked: Marked, monkeypatch: pytest.MonkeyPatch) -> Switch:
    switch = Switch()
    target = fault.target
    if isinstance(target, str):
        import importlib

        target = importlib.import_module(target)
    original = getattr(target, fault.name)

    def patched(*args: Any, **kwargs: Any) -> Any:
        if fault.hits(marked, args):
            switch.calls.append(1)
            if switch.fail:
                raise Injected(f"injected fault in {fault.step}")
        return original(*args, **kwargs)

    monkeypatch.setattr(target, fault.name, patched)
    return switch


# -- running and reading the store ------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("failures") / "news.jsonl"
    path.write_bytes(jsonl(range(ARTICLES)))
    return path


def settings(db: Path, workers: int = 1) -> Config:
    return load_config(env={}, overrides={"store.path": str(db), "pipeline.workers": workers})


def run(corpus: Path, config: Config) -> RunSummary:
    with Store(config.store.path) as store:
        return analyze([str(corpus)], config, store, lambda line: None)


Outputs = dict[str, dict[tuple[Any, ...], Any]]
OUTPUT_QUERIES = {  # what the stages make, keyed by the records it belongs to
    "articles": "SELECT id, title, text, language, published FROM articles",
    "sentences": 'SELECT article_id, idx, start, "end" FROM sentences',
    "claims": 'SELECT article_id, id, part, start, "end", source, source_type, verb, hedged, '
    "checkworthiness FROM claims",
    "mentions": 'SELECT article_id, part, start, "end", actor FROM mentions',
    "fingerprints": "SELECT article_id, hashes, tokens FROM reuse_fingerprints",
    "compared": "SELECT article_id FROM reuse_compared",
    "passages": "SELECT article_a, article_b, a_start, a_end, b_start, b_end FROM reuse_passages",
    "vectors": "SELECT key, vector FROM claim_vectors",
    "linked": "SELECT key FROM claim_linked",
    "links": "SELECT a, b, score FROM claim_links",
    "search": "SELECT article_id, title, body FROM search_articles",
    "indexed": "SELECT article_id FROM search_done",
}


def outputs(db: Path) -> Outputs:
    with sqlite3.connect(db) as conn:
        out: Outputs = {}
        for name, sql in OUTPUT_QUERIES.items():
            rows = conn.execute(sql).fetchall()
            key_width = {"sentences": 2, "claims": 2, "mentions": 3, "passages": 6, "links": 2}
            width = key_width.get(name, 1)
            out[name] = {tuple(r[:width]): tuple(r[width:]) for r in rows}
    return out


def without(found: Outputs, marked: Marked, keys: set[str]) -> Outputs:
    """``found`` less everything that belongs to the marked article or its wordings."""
    gone = {marked.article, *keys}
    return {
        name: {k: v for k, v in rows.items() if not gone & {str(x) for x in k}}
        for name, rows in found.items()
    }


@dataclass
class Reference:
    db: Path
    outputs: Outputs
    marked: Marked
    wordings: set[str]  # every claim wording key of the marked article


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """The corpus analysed without a fault."""
    db = tmp_path_factory.mktemp("reference") / "clean.db"
    assert run(corpus, settings(db)).status == "done"
    with sqlite3.connect(db) as conn:
        (article,) = conn.execute(
            "SELECT id FROM articles WHERE instr(text, ?)", (marker(MARKED),)
        ).fetchone()
        texts = conn.execute(  # the claims of its text and of its headline
            "SELECT substr(CASE c.part WHEN 'body' THEN a.text ELSE a.title END, c.start + 1, "
            'c."end" - c.start) FROM claims c JOIN articles a ON a.id = c.article_id '
            "WHERE c.article_id = ?",
            (article,),
        ).fetchall()
        passages = conn.execute(
            "SELECT COUNT(*) FROM reuse_passages WHERE article_a = ? OR article_b = ?",
            (article, article),
        ).fetchone()[0]
    keys = {claim_key(text) for (text,) in texts}
    wording = next(claim_key(t) for (t,) in texts if marker(MARKED) in t)
    assert passages, "the marked article shares passages (the compare step has work)"
    return Reference(db, outputs(db), Marked(article, wording), keys)


def status_lines(db: Path) -> list[str]:
    result = CliRunner().invoke(main, ["status", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


# -- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(FAULTS))
def test_a_record_that_raises_costs_only_itself(
    name: str,
    corpus: Path,
    reference: Reference,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fault, marked = FAULTS[name], reference.marked
    switch = inject(fault, marked, monkeypatch)
    db = tmp_path / "faulty.db"
    config = settings(db)
    summary = run(corpus, config)
    assert switch.calls, f"{fault.step} never met the marked record"
    # the run: failed, one failure counted for the stage
    assert summary.status == "failed" and summary.failed == {fault.stage: 1}
    with Store(db) as store:
        (last,) = store.runs.runs(1)
        problems = store.runs.problems()
        # failures are skipped per component and Marsad version (a release may fix the bug)
        key = f"{problems[0]['component']}@{__version__}"
        failures = store.runs.failed_records(fault.step, key)
    assert last["status"] == "failed"
    assert last["summary"]["stages"][fault.stage]["failed"] == 1
    # one problem row: stage, record, exception, component
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem["stage"] == fault.step and problem["kind"] == "error"
    assert problem["record"] == fault.record(marked)
    assert problem["exception"] == f"Injected: injected fault in {fault.step}"
    assert problem["component"] and failures == {fault.record(marked)}
    # every other record: the same results as the run without a fault
    got, ref = outputs(db), reference.outputs
    mine = reference.wordings
    for table in OUTPUT_QUERIES.keys() - {"links"}:
        assert without(got, marked, mine)[table] == without(ref, marked, mine)[table], table
    assert without(ref, marked, mine)["links"].keys() <= got["links"].keys()
    # marsad status lists the run as failed, with the count for the stage
    lines = status_lines(db)
    assert any(
        line.startswith("run 1: failed") and line.endswith(f"; failed: {fault.stage} 1")
        for line in lines
    ), lines
    assert any(line.startswith(f"problem [{fault.step}]: ") for line in lines), lines

    # the same settings again: the record is skipped, the failing code not called for it
    calls = len(switch.calls)
    again = run(corpus, config)
    assert len(switch.calls) == calls
    assert again.status == "done" and again.stages[fault.stage].skipped == 1
    assert sqlite_has(db, fault.done, fault.record(marked)) is False

    # a new component (the fix): the record is tried again, and now it is done
    switch.fail = False
    fault.bump(config, monkeypatch)
    fixed = run(corpus, config)
    assert len(switch.calls) > calls
    assert fixed.status == "done" and not fixed.failed
    assert sqlite_has(db, fault.done, fault.record(marked)) is True
    after = outputs(db)
    for table in ("articles", "claims", "fingerprints", "passages", "vectors", "search"):
        assert after[table] == ref[table], table


def sqlite_has(db: Path, sql: str, record: str) -> bool:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, (record,)).fetchone() is not None


def test_a_record_that_raises_in_a_worker_costs_only_itself(
    corpus: Path, reference: Reference, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two forked workers inherit the patched claims analyser; the one that meets the marked
    article reports it, the other articles are analysed as without a fault."""
    fault, marked = FAULTS["claims"], reference.marked
    inject(fault, marked, monkeypatch)
    db = tmp_path / "workers.db"
    config = settings(db, workers=2)
    config.claims.batch_size = 4  # several batches: both workers get some
    summary = run(corpus, config)
    assert summary.status == "failed" and summary.failed == {"claims": 1}
    with Store(db) as store:
        (problem,) = store.runs.problems()
    assert problem["stage"] == "claims.analyse" and problem["record"] == marked.article
    assert problem["exception"] == "Injected: injected fault in claims.analyse"
    got = without(outputs(db), marked, reference.wordings)
    ref = without(reference.outputs, marked, reference.wordings)
    assert got["claims"] == ref["claims"] and len(got["claims"]) > 0
    assert got["vectors"] == ref["vectors"]
