"""The store's repositories, directly: runs and failures, the writer lock, claim links keyed by
their component, the search index replacing an article's rows, forgetting a stage's work.
(Racing migrations and two writing processes: tests/hostile/test_concurrency.py.)"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from marsad.records import (
    ActorMention,
    Article,
    ArticleClaims,
    Claim,
    Failure,
    IngestedDocument,
    Problem,
    RawDocument,
    SearchEntry,
)
from marsad.store import Store, StoreBusy


def test_runs_record_status_summary_and_the_killed(store: Store) -> None:
    first = store.runs.start_run("analyze a")
    store.runs.finish_run(first, "failed", {"stages": {"claims": {"failed": 2}}})
    second = store.runs.start_run("analyze b")  # left running, as by a kill -9
    store.lock_writer("analyze c")  # the next writer marks it
    latest = store.runs.runs(5)
    assert [r["id"] for r in latest] == [second, first]
    assert latest[0]["status"] == "killed" and latest[0]["finished_at"]
    assert latest[1]["summary"] == {"stages": {"claims": {"failed": 2}}}


def test_problems_keep_stage_record_exception_component(store: Store) -> None:
    run = store.runs.start_run("t")
    store.runs.add_problems(
        run,
        [
            Problem("a.txt", "binary", "binary file"),
            Problem(
                "b.json#L2",
                "error",
                "claims.analyse failed",
                stage="claims.analyse",
                record="abc",
                exception="ValueError: x",
                component="c1",
            ),
            Problem("bad\ud800name", "empty", "text with a lone surrogate"),
        ],
    )
    rows = store.runs.problems()
    assert rows[1]["stage"] == "claims.analyse" and rows[1]["record"] == "abc"
    assert rows[1]["exception"] == "ValueError: x" and rows[1]["component"] == "c1"
    assert rows[2]["stage"] == "ingest" and rows[2]["record"] is None
    assert rows[0]["source"] == "bad\\ud800name"  # stored as printable text, not refused


def test_failures_are_per_step_and_component(store: Store) -> None:
    run = store.runs.start_run("t")
    store.runs.add_failures(run, "claims.analyse", "c1", [Failure("a1", "ValueError: x")])
    store.runs.add_failures(run, "claims_x.analyse", "c1", [Failure("a2", "KeyError: y")])
    assert store.runs.failed_records("claims.analyse", "c1") == {"a1"}
    assert store.runs.failed_records("claims.analyse", "c2") == set()
    assert store.runs.forget_failures("claims") == 1  # not claims_x: "_" is no wildcard
    assert store.runs.failed_records("claims.analyse", "c1") == set()
    assert store.runs.failed_records("claims_x.analyse", "c1") == {"a2"}


def test_one_writer_at_a_time(tmp_path: Path) -> None:
    with Store(tmp_path / "w.db") as first, Store(tmp_path / "w.db") as second:
        first.lock_writer("analyze one")
        with pytest.raises(StoreBusy, match="analyze one"):
            second.lock_writer("analyze two")
        first.close()
        second.lock_writer("analyze two")  # freed when the holder closes


def test_claim_links_are_keyed_by_their_component(store: Store) -> None:
    vectors = "static:1+ar-norm-v1"
    vec = np.ones(4, dtype=np.float32) / 2
    store.narratives.save_claim_vectors(vectors, [("k1", vec), ("k2", vec), ("k3", vec)])
    assert store.narratives.unlinked_keys(vectors, "links-A") == {"k1", "k2", "k3"}
    store.narratives.save_claim_links("links-A", [("k2", "k1", 0.9)], ["k1", "k2"])
    assert store.narratives.unlinked_keys(vectors, "links-A") == {"k3"}
    assert list(store.narratives.claim_links("links-A")) == [("k1", "k2")]
    # other settings: the old links go, every wording is compared again
    store.narratives.drop_stale_links("links-B")
    assert list(store.narratives.claim_links("links-A")) == []
    assert store.narratives.unlinked_keys(vectors, "links-B") == {"k1", "k2", "k3"}


def _entry(article: str, text: str, claim: str = "") -> SearchEntry:
    return SearchEntry(article, text, "موقع", "2025-09-01", "ar", claim_id=claim)


def test_search_rows_of_an_article_are_replaced_not_added(store: Store) -> None:
    rows = [_entry("a1", "نص المقال"), _entry("a1", "ادعاء اول", "a1:0")]
    store.search.save_search("s1", [("a1", rows)])
    store.search.save_search("s1", [("a1", rows)])  # again: replaces
    count = store.conn.execute("SELECT COUNT(*) FROM search_articles").fetchone()[0]
    claims = store.conn.execute("SELECT COUNT(*) FROM search_claims").fetchone()[0]
    assert (count, claims) == (1, 1)


def test_forgetting_claims_leaves_no_stale_rows(store: Store) -> None:
    doc = RawDocument("a.txt", "txt", "خبر قصير للاختبار", outlet="موقع")
    store.documents.add_documents(store.runs.start_run("t"), [IngestedDocument("a1", doc, set())])
    article = Article("a1", "a.txt", "txt", "موقع", None, None, None, "ar", doc.text, [], [(0, 17)])
    store.documents.save_articles("v1", [article], [])
    claim = Claim("a1:0", "a1", "body", 0, 0, (0, 10), None, None, "self", None, None, False, False)
    mention = ActorMention("body", 0, 4, "سانا", "organisation", "sana", "gazetteer", "a1:0")
    store.claims.save_claims("c1", [ArticleClaims("a1", [claim], [mention])])
    store.claims.forget_claims()
    for table in ("claims", "mentions", "claims_done"):
        assert store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
