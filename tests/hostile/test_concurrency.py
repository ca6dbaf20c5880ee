"""One writer at a time (issue 13): a second `marsad analyze` on a store being written stops
at once with one line naming the other process (or waits with --wait and then adds nothing);
the search index holds each article once and answers through the web layer; two processes
creating a store at the same moment apply each migration once; a run killed with SIGKILL is
marked killed when the next writer starts."""

from __future__ import annotations

import multiprocessing
import signal
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.store import SCHEMA_VERSION, Store
from marsad.web.app import WebOptions
from tests.hostile.cases import jsonl
from tests.hostile.conftest import (
    BIG_ARTICLES,
    Writers,
    marsad_env,
    query,
    run,
    scalar,
    start,
    wait_for,
)
from tests.web.conftest import Server, start_server
from tests.web.test_security import raw_get

EXIT_BUSY = 75
MIGRATION_RACES = 20


def lines(data: bytes) -> list[str]:
    return data.decode("utf-8").rstrip("\n").split("\n")


# -- two writers --------------------------------------------------------------------------


def test_a_second_writer_stops_with_one_line_naming_the_first(writers: Writers) -> None:
    assert writers.a_ran_past_b, "the first run ended before the second tried: corpus too small"
    assert writers.b.returncode == EXIT_BUSY, writers.b.stderr.decode()
    (line,) = lines(writers.b.stderr)
    assert "is being written by another Marsad process" in line
    assert f"(pid {writers.a_pid}, `analyze " in line and "--wait SECONDS" in line


def test_the_first_writer_finishes_undisturbed(writers: Writers) -> None:
    assert writers.a.returncode == 0, writers.a.stderr.decode()[-2000:]
    assert scalar(writers.db, "SELECT COUNT(*) FROM articles") == BIG_ARTICLES


def test_a_waiting_writer_runs_after_the_first_and_adds_nothing(writers: Writers) -> None:
    assert writers.c.returncode == 0, writers.c.stderr.decode()[-2000:]
    summary = lines(writers.c.stderr)
    assert summary[0] == (
        f"Read {BIG_ARTICLES} articles: 0 new, {BIG_ARTICLES} already in the store "
        "(or repeated in the inputs). Skipped 0 bad items."
    )
    runs = query(writers.db, "SELECT status FROM runs ORDER BY id")
    assert runs == [("done",), ("done",)]  # B never started a run


def test_the_search_index_holds_each_article_once(writers: Writers) -> None:
    db = writers.db
    articles = scalar(db, "SELECT COUNT(*) FROM articles")
    assert scalar(db, "SELECT COUNT(*) FROM search_articles") == articles
    assert scalar(db, "SELECT COUNT(DISTINCT article_id) FROM search_articles") == articles
    assert scalar(db, "SELECT COUNT(*) FROM search_done") == articles
    claims = scalar(db, "SELECT COUNT(*) FROM claims")
    assert scalar(db, "SELECT COUNT(*) FROM search_claims") == claims


@pytest.fixture(scope="module")
def server(writers: Writers) -> Iterator[Server]:
    running = start_server(WebOptions(writers.db))
    yield running
    running.server.should_exit = True
    running.thread.join(10)


def test_search_through_the_web_layer_works(server: Server) -> None:
    word = urllib.parse.quote("النشرة")
    for path in (f"/search?q={word}", f"/search?kind=claims&q={word}", f"/api/search?q={word}"):
        status, body, _ = raw_get(server.url, path)
        assert status == 200, (path, status)
        assert "خبر النشرة رقم" in body, path


# -- migrations race ----------------------------------------------------------------------


def _open_store(path: str, barrier: multiprocessing.synchronize.Barrier) -> None:
    barrier.wait(timeout=30)
    Store(path).close()


def test_two_processes_creating_a_store_apply_each_migration_once(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    for attempt in range(MIGRATION_RACES):
        path = str(tmp_path / f"race-{attempt}.db")
        barrier = context.Barrier(2)
        procs = [context.Process(target=_open_store, args=(path, barrier)) for _ in range(2)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(60)
        assert [p.exitcode for p in procs] == [0, 0], f"attempt {attempt}"
        versions = query(
            Path(path), "SELECT version, COUNT(*) FROM schema_migrations GROUP BY version"
        )
        assert versions == [(v, 1) for v in range(1, SCHEMA_VERSION + 1)], attempt


# -- a killed run ---------------------------------------------------------------------------


def test_a_killed_run_is_marked_killed_by_the_next_writer(tmp_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    corpus.write_bytes(jsonl(range(60)))
    db = tmp_path / "killed.db"
    env = marsad_env()
    proc = start(["analyze", corpus, "--db", db, "--no-progress"], env)
    wait_for(db, "SELECT COUNT(*) FROM runs WHERE status = 'running'", proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert query(db, "SELECT id, status FROM runs") == [(1, "running")]  # nobody said otherwise
    status = CliRunner().invoke(main, ["status", "--db", str(db)])
    assert "run 1: running" in status.output  # a reader does not change the store
    done = run(["analyze", corpus, "--db", db, "--no-progress"], env)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert query(db, "SELECT id, status FROM runs") == [(1, "killed"), (2, "done")]
    status = CliRunner().invoke(main, ["status", "--db", str(db)])
    assert "run 1: killed" in status.output and "run 2: done" in status.output
