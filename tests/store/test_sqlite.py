from __future__ import annotations

import sqlite3
from pathlib import Path

from marsad.records import Article, IngestedDocument, Problem, RawDocument
from marsad.store import SCHEMA_VERSION, Store


def doc(text: str, outlet: str = "موقع") -> RawDocument:
    return RawDocument(source="x.txt", format="txt", text=text, outlet=outlet)


def test_migrations_apply_once(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    with Store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
    with Store(path) as store:  # reopening applies nothing twice
        assert store.schema_version() == SCHEMA_VERSION
    with sqlite3.connect(path) as conn:
        assert (
            conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0] == SCHEMA_VERSION
        )


def test_add_documents_is_idempotent_and_counts_lines(store: Store) -> None:
    run = store.runs.start_run("test")
    batch = [
        IngestedDocument("a" * 24, doc("نص أول"), {1, 2}),
        IngestedDocument("b" * 24, doc("نص ثان"), {2}),
    ]
    assert store.documents.add_documents(run, batch) == ["a" * 24, "b" * 24]
    assert store.documents.add_documents(run, batch) == []
    assert store.documents.frequent_lines("موقع", 2) == {2}
    assert store.documents.frequent_lines("موقع", 1) == {1, 2}
    assert store.documents.frequent_lines("آخر", 1) == set()


def test_save_articles_replaces_and_marks_done(store: Store) -> None:
    run = store.runs.start_run("test")
    store.documents.add_documents(
        run,
        [
            IngestedDocument("c" * 24, doc("نص"), set()),
            IngestedDocument("d" * 24, doc("قصير"), set()),
        ],
    )
    assert store.documents.count_pending("v1") == 2
    art = Article(
        id="c" * 24,
        source="x.txt",
        format="txt",
        outlet="موقع",
        url=None,
        title=None,
        published=None,
        language="ar",
        text="جملة. جملة ثانية.",
        removed=[],
        sentences=[(0, 5), (6, 17)],
        component="v1",
    )
    store.documents.save_articles("v1", [art], [("d" * 24, "empty")])
    store.documents.save_articles("v1", [art], [])  # replacing keeps one copy
    assert store.documents.count_pending("v1") == 0
    assert store.documents.count_pending("v2") == 2
    rows = list(store.documents.iter_articles())
    assert len(rows) == 1 and rows[0]["sentences"] == [[0, 5], [6, 17]]
    store.runs.add_problems(run, [Problem("x.txt", "empty", "فارغ")])
    assert store.runs.problems()[0]["message"] == "فارغ"


def test_refresh_boilerplate_marks_outlet_when_evidence_changes(store: Store) -> None:
    run = store.runs.start_run("test")
    store.documents.add_documents(
        run,
        [
            IngestedDocument("e" * 24, doc("نص", "س"), {7}),
            IngestedDocument("f" * 24, doc("نص", "ص"), {7}),
        ],
    )
    assert (
        store.documents.refresh_boilerplate(["س", "ص"], 2) == 0
    )  # first fingerprint: nothing to redo
    art = Article(
        id="e" * 24,
        source="x",
        format="txt",
        outlet="س",
        url=None,
        title=None,
        published=None,
        language="ar",
        text="نص",
        removed=[],
        sentences=[(0, 2)],
        component="v1",
    )
    store.documents.save_articles("v1", [art], [])
    store.documents.add_documents(run, [IngestedDocument("g" * 24, doc("نص آخر", "س"), {7})])
    store.documents.add_documents(run, [IngestedDocument("h" * 24, doc("نص ثالث", "س"), {7})])
    assert store.documents.refresh_boilerplate(["س"], 2) == 1  # line 7 is now frequent for outlet س
    assert store.documents.count_pending("v1") == 4
