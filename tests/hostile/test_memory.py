"""Bombs and giants cost bounded memory (issue 13): gzip bombs (text, JSON Lines, JSON), a
50 MB one-line text, a 50 MB JSON Lines record, a huge WARC record, a big and a huge HTML page
and a 200,000-character article with no sentence end (one claim that goes through every
stage, narratives included), beside 200 good records, in one `marsad analyze` child whose
peak resident memory (``os.wait4``) stays under 1 GB, with every good record stored."""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from marsad.narratives.families import claim_key
from tests.hostile.cases import GIANT_LIMITS, GIANTS, GOOD_RECORDS, Case, build_cases, jsonl
from tests.hostile.conftest import markers, marsad, marsad_env, problems, query

CEILING_KIB = 1024 * 1024  # 1 GiB, as ru_maxrss counts it on Linux (KiB)
MAX_ARTICLE_CHARS = 200_000  # the default: the long article is as long as an article may be


@dataclass
class Giants:
    """The giants beside the good records, after one `marsad analyze` child."""

    db: Path
    cases: list[Case]
    returncode: int
    peak_kib: int  # the child's peak resident memory (ru_maxrss: KiB on Linux)
    log: str


@pytest.fixture(scope="module")
def giants(tmp_path_factory: pytest.TempPathFactory) -> Giants:
    base = tmp_path_factory.mktemp("giants")
    root = base / "corpus"
    (root / "good").mkdir(parents=True)
    (root / "good" / "good.jsonl").write_bytes(jsonl(range(GOOD_RECORDS)))
    cases = build_cases(root, GIANTS)
    db = base / "giants.db"
    log = base / "analyze.log"
    with open(log, "wb") as out:
        child = subprocess.Popen(
            marsad("analyze", root, "--db", db, "--no-progress"),
            env=marsad_env(GIANT_LIMITS),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(child.pid, 0)  # the child's own peak, not this process's
    return Giants(db, cases, os.waitstatus_to_exitcode(status), usage.ru_maxrss, log.read_text())


def test_giants_stay_under_the_memory_ceiling(giants: Giants) -> None:
    assert giants.returncode == 0, giants.log[-3000:]
    assert "Traceback" not in giants.log
    assert giants.peak_kib < CEILING_KIB, f"peak {giants.peak_kib / 1024:.0f} MiB"


def test_every_good_record_beside_the_giants_is_stored(giants: Giants) -> None:
    stored = markers(giants.db)
    wanted = [*range(GOOD_RECORDS), *(n for c in giants.cases for n in c.good)]
    assert [n for n in wanted if n not in stored] == []
    pages = query(giants.db, "SELECT COUNT(*) FROM documents WHERE source LIKE '%/big-page.html'")
    assert pages == [(1,)]


@pytest.mark.parametrize("name", sorted(GIANTS))
def test_each_giant_costs_its_problem_line(giants: Giants, name: str) -> None:
    case = next(c for c in giants.cases if c.name == name)
    found = Counter(
        str(r["kind"])
        for r in problems(giants.db)
        if str(r["source"]).startswith(str(case.folder) + "/")
    )
    assert found == case.problems


def test_a_long_article_without_sentence_ends_goes_through_every_stage(giants: Giants) -> None:
    ((article, text, length),) = query(
        giants.db,
        "SELECT a.id, a.text, length(a.text) FROM articles a JOIN documents d ON d.id = a.id "
        "WHERE d.source LIKE '%/one-line.txt'",
    )
    assert MAX_ARTICLE_CHARS * 0.9 <= int(length) <= MAX_ARTICLE_CHARS
    claims = query(
        giants.db,
        "SELECT start, \"end\" FROM claims WHERE article_id = ? AND part = 'body'",
        article,
    )
    longest = max(int(end) - int(start) for start, end in claims)
    assert longest > MAX_ARTICLE_CHARS // 2  # one endless sentence, one claim
    keys = {claim_key(str(text)[int(s) : int(e)]) for s, e in claims}
    vectors = {k for (k,) in query(giants.db, "SELECT key FROM claim_vectors")}
    linked = {k for (k,) in query(giants.db, "SELECT key FROM claim_linked")}
    assert keys <= vectors and keys <= linked
    for table in ("reuse_fingerprints", "reuse_compared", "search_done"):
        assert query(giants.db, f"SELECT 1 FROM {table} WHERE article_id = ?", article), table
