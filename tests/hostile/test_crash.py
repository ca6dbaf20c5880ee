"""kill -9 anywhere leaves a consistent store, and the same command resumes (issue 13).

One store, one analysis killed at seven points in turn, each as soon as the stage there has
written its first rows: documents (ingest), articles (clean), claims_done (claims),
reuse_fingerprints and reuse_compared (reuse), claim_vectors (narratives), search_done
(search). After each kill the store passes SQLite's integrity check and holds no orphan row;
the next start marks the killed run `killed`. Once the last run finishes, the exports equal
those of the uninterrupted run of the same corpus (``writers`` in conftest.py)."""

from __future__ import annotations

import json
import signal
import warnings
from pathlib import Path

from click.testing import CliRunner

from marsad.cli import main
from tests.hostile.conftest import (
    BIG_SETTINGS,
    Writers,
    integrity,
    marsad_env,
    orphans,
    query,
    run,
    scalar,
    start,
    wait_for,
)

KILL_POINTS = (
    "documents",
    "articles",
    "claims_done",
    "reuse_fingerprints",
    "reuse_compared",
    "claim_vectors",
    "search_done",
)
EXPORTS = ("articles", "claims", "reuse", "claim-families")
LEAST_KILLS = 5  # points may be passed before the poll sees them; most must not be


def rows(db: Path, table: str) -> int:
    if not db.exists():
        return 0
    try:
        return int(scalar(db, f"SELECT COUNT(*) FROM {table}"))
    except Exception:  # not created yet
        return 0


def exported(db: Path, what: str) -> list[str]:
    """The export's records as canonical JSON, sorted (ids, offsets and texts compared)."""
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--what", what])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line]
    return sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records)


def test_kill_9_at_seven_points_then_resume_gives_the_same_store(
    big_corpus: Path, writers: Writers, tmp_path: Path
) -> None:
    db = tmp_path / "crash.db"
    env = marsad_env(BIG_SETTINGS)
    args: list[str | Path] = ["analyze", big_corpus, "--db", db, "--no-progress"]
    killed: list[str] = []
    for table in KILL_POINTS:
        before = rows(db, table)
        proc = start(args, env)
        caught = wait_for(db, f"SELECT COUNT(*) > {before} FROM {table}", proc)
        if not caught:  # the run ended first: this point (and the later ones) passed
            warnings.warn(f"kill point {table} passed before it was seen", stacklevel=1)
            assert proc.wait() == 0, proc.stderr.read().decode()[-2000:]
            break
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        killed.append(table)
        assert integrity(db) == "ok", table
        assert orphans(db) == dict.fromkeys(orphans(db), 0), table
        statuses = [s for (s,) in query(db, "SELECT status FROM runs ORDER BY id")]
        assert statuses == ["killed"] * (len(statuses) - 1) + ["running"], (table, statuses)
    assert len(killed) >= LEAST_KILLS, f"only {killed} caught mid-run"

    final = run(args, env)
    assert final.returncode == 0, final.stderr.decode()[-2000:]
    statuses = [s for (s,) in query(db, "SELECT status FROM runs ORDER BY id")]
    assert statuses == ["killed"] * len(killed) + ["done"]
    assert integrity(db) == "ok" and set(orphans(db).values()) == {0}
    for what in EXPORTS:
        got, want = exported(db, what), exported(writers.db, what)
        assert len(got) == len(want), what
        assert got == want, (what, next(g for g, w in zip(got, want, strict=True) if g != w))
