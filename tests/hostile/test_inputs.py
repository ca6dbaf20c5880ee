"""Untrusted input in, a complete store out (issue 13): every bad-input case of
:mod:`tests.hostile.cases` beside 200 good records, in one `marsad analyze FOLDER`. Every good
record is stored and goes through every stage; every case costs exactly its problem lines;
every line printed is one line."""

from __future__ import annotations

from collections import Counter

import pytest

from marsad.narratives.families import claim_key
from marsad.records import printable
from tests.hostile.cases import BUILDERS, MARKUP_SIGNS, story
from tests.hostile.conftest import (
    SUMMARY_PREFIXES,
    HostileRun,
    markers,
    problem_line,
    problems,
    query,
    scalar,
)

CASE_NAMES = sorted(BUILDERS)


def test_there_are_as_many_cases_as_the_audit_found() -> None:
    assert len(BUILDERS) >= 46


def test_the_run_succeeds_without_a_traceback(hostile: HostileRun) -> None:
    assert hostile.returncode == 0, hostile.stderr[-3000:]
    assert "Traceback" not in hostile.stderr
    assert scalar(hostile.db, "SELECT status FROM runs ORDER BY id DESC LIMIT 1") == "done"


def test_every_good_record_is_stored_once(hostile: HostileRun) -> None:
    documents = markers(hostile.db, "documents", "raw_text")
    articles = markers(hostile.db, "articles", "text")
    lost = [n for n in hostile.good if n not in articles]
    assert lost == [], f"good records lost: {lost}"
    doubled = {n: ids for n, ids in articles.items() if n in hostile.good and len(ids) > 1}
    assert doubled == {}
    holders = Counter(i for n, ids in articles.items() if n in hostile.good for i in ids)
    assert [i for i, k in holders.items() if k > 1] == [], "one article holds two good records"
    assert all(n in documents for n in hostile.good)


def test_good_records_keep_their_text(hostile: HostileRun) -> None:
    """NUL bytes, mixed encodings, odd file names and bombs beside them change nothing."""
    texts = {
        n: str(text)
        for n in (n for c in hostile.cases for n in c.exact)
        for (text,) in query(
            hostile.db, "SELECT raw_text FROM documents WHERE instr(raw_text, ?)", f"good-{n:04d}"
        )
    }
    wrong = {n: text for n, text in texts.items() if text != story(n)}
    assert wrong == {}
    assert len(texts) == sum(len(c.exact) for c in hostile.cases)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_each_case_costs_exactly_its_problem_lines(hostile: HostileRun, name: str) -> None:
    case = next(c for c in hostile.cases if c.name == name)
    rows = [r for r in problems(hostile.db) if hostile.case_of(str(r["source"])) is case]
    assert Counter(str(r["kind"]) for r in rows) == case.problems, [problem_line(r) for r in rows]
    printed = hostile.stderr.split("\n")
    for row in rows:
        assert printed.count(problem_line(row)) == 1, problem_line(row)
    lost = [n for n in case.good if n not in markers(hostile.db)]
    assert lost == [], f"{name}: good records lost: {lost}"


def test_no_problem_outside_the_cases(hostile: HostileRun) -> None:
    stray = [
        problem_line(r) for r in problems(hostile.db) if hostile.case_of(str(r["source"])) is None
    ]
    assert stray == []


def test_every_printed_line_is_a_problem_or_the_summary(hostile: HostileRun) -> None:
    """A file name holding a newline, an escape sequence or a whole forged problem line is
    printed escaped, on its one line."""
    lines = hostile.stderr.rstrip("\n").split("\n")
    stored = [problem_line(r) for r in problems(hostile.db)]
    root = printable(str(hostile.root))
    problem_lines = [line for line in lines if line.startswith(root)]
    assert sorted(problem_lines) == sorted(stored)
    others = [line for line in lines if not line.startswith(root)]
    assert [line for line in others if not line.startswith(SUMMARY_PREFIXES)] == []
    assert len(others) == len(SUMMARY_PREFIXES)
    for line in lines:
        assert line == printable(line), line  # no control character, no bidi override
    assert not [line for line in lines if line.startswith("forged.txt")]


def test_problem_rows_say_where_and_what(hostile: HostileRun) -> None:
    for row in problems(hostile.db):
        assert row["stage"] == "ingest" and row["run_id"] is not None
        assert str(row["source"]) == printable(str(row["source"]))


def test_good_articles_go_through_every_stage(hostile: HostileRun) -> None:
    db = hostile.db
    good = {n: ids[0] for n, ids in markers(db).items() if n in hostile.good}
    ids = set(good.values())

    def having(sql: str) -> set[str]:
        return {str(row[0]) for row in query(db, sql)}

    assert ids <= having("SELECT article_id FROM sentences")
    assert ids <= having("SELECT article_id FROM claims_done")
    assert ids <= having("SELECT article_id FROM claims WHERE part = 'body'")
    assert ids <= having("SELECT article_id FROM reuse_fingerprints")
    assert ids <= having("SELECT article_id FROM reuse_compared")
    assert ids <= having("SELECT article_id FROM search_done")
    assert ids <= having("SELECT article_id FROM search_articles")
    vectors = having("SELECT key FROM claim_vectors")
    claims: dict[str, set[str]] = {}
    for article, text in query(
        db,
        'SELECT c.article_id, substr(a.text, c.start + 1, c."end" - c.start) FROM claims c '
        "JOIN articles a ON a.id = c.article_id WHERE c.part = 'body'",
    ):
        claims.setdefault(str(article), set()).add(claim_key(str(text)))
    assert [i for i in ids if not claims[i] & vectors] == []
    assert scalar(db, "SELECT COUNT(*) FROM search_articles") == scalar(
        db, "SELECT COUNT(*) FROM articles"
    )


def test_markup_is_stored_as_text(hostile: HostileRun) -> None:
    """What the outputs must neutralise is really in the store (else test_outputs proves
    nothing)."""
    db = hostile.db
    for sign in MARKUP_SIGNS:
        assert scalar(db, "SELECT COUNT(*) FROM articles WHERE instr(text, ?)", sign), sign
        assert scalar(db, "SELECT COUNT(*) FROM articles WHERE instr(title, ?)", sign) or (
            sign == "<iframe"
        ), sign
    assert scalar(db, "SELECT COUNT(*) FROM documents WHERE url LIKE 'javascript:%'")
    assert scalar(db, "SELECT COUNT(*) FROM documents WHERE outlet LIKE '=HYPERLINK%'")
