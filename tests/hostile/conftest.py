"""Shared helpers of the audit suite: `marsad` in a child process (the same interpreter and
source tree as the tests), the hostile corpus analysed once per session, and the readers of
a store that the checks use."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from marsad.records import Problem, printable
from tests.hostile.cases import GOOD_RECORDS, LIMITS, SENTENCES, Case, build_cases, write_good

SRC = Path(__file__).resolve().parents[2] / "src"
MARKER_RE = re.compile(r"good-(\d{4})")
SUMMARY_PREFIXES = (
    "Read ",
    "Cleaned ",
    "Claims: ",
    "Reuse: ",
    "Narratives: ",
    "Search: ",
    "Time: ",
    "Results are in ",
)
# Root reads any file whatever its mode: there, the child refuses these paths itself (the
# module is put first on its PYTHONPATH; Python imports it at start-up).
DENY_SHIM = '''"""Test shim: refuse to open the paths in HOSTILE_DENY, as for an unprivileged user."""
import builtins
import errno
import json
import os

_DENIED = set(json.loads(os.environ.get("HOSTILE_DENY", "[]")))
_open, _scandir = builtins.open, os.scandir


def _refused(path):
    try:
        return os.fsdecode(os.fspath(path)) in _DENIED
    except TypeError:
        return False


def _denied_open(file, *args, **kwargs):
    if not isinstance(file, int) and _refused(file):
        raise PermissionError(errno.EACCES, "Permission denied", os.fspath(file))
    return _open(file, *args, **kwargs)


def _denied_scandir(path="."):
    if _refused(path):
        raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
    return _scandir(path)


if _DENIED:
    builtins.open = _denied_open
    os.scandir = _denied_scandir
'''


def marsad_env(settings: dict[str, str] | None = None, **extra: str) -> dict[str, str]:
    """The environment of a `marsad` child: this source tree first on its path, no setting
    inherited from the caller's environment, then ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))
    env["MARSAD_PIPELINE_WORKERS"] = "1"
    return {**env, **(settings or {}), **extra}


def deny(env: dict[str, str], paths: Sequence[Path], shim_dir: Path) -> dict[str, str]:
    """``env`` in which the child cannot open ``paths`` (by their mode; for root, by a shim)."""
    if not paths or os.geteuid() != 0:
        return env
    shim_dir.mkdir(parents=True, exist_ok=True)
    (shim_dir / "sitecustomize.py").write_text(DENY_SHIM, "utf-8")
    return {
        **env,
        "PYTHONPATH": os.pathsep.join([str(shim_dir), env["PYTHONPATH"]]),
        "HOSTILE_DENY": json.dumps([str(p) for p in paths]),
    }


def marsad(*args: str | Path) -> list[str]:
    """The command line of `marsad ARGS` in a child process."""
    return [sys.executable, "-m", "marsad", *map(str, args)]


def start(args: Sequence[str | Path], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """`marsad ARGS` started in a child process, stdout and stderr captured."""
    return subprocess.Popen(
        marsad(*args),
        env=env or marsad_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # a child inherits an ignored SIGINT (a server thread of another test may have set
        # one); it must behave as from a shell
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def run(
    args: Sequence[str | Path], env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[bytes]:
    proc = start(args, env)
    out, err = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def wait_for(db: Path, sql: str, proc: subprocess.Popen[bytes] | None, timeout: float = 60) -> bool:
    """Poll ``db`` until ``sql`` gives a true first value; False when ``proc`` ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
            try:
                row = conn.execute(sql).fetchone()
            finally:
                conn.close()
            if row and row[0]:
                return True
        except sqlite3.Error:
            pass  # not created yet, or being migrated
        time.sleep(0.005)
    raise TimeoutError(f"{sql!r} never became true in {db}")


def query(db: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def scalar(db: Path, sql: str, *params: object) -> Any:
    return query(db, sql, *params)[0][0]


def orphans(db: Path) -> dict[str, int]:
    """Rows whose parent is gone: sentences, claims, mentions, fingerprints, search rows."""
    checks = {
        "articles without documents": "SELECT COUNT(*) FROM articles a LEFT JOIN documents d "
        "ON d.id = a.id WHERE d.id IS NULL",
        "sentences without articles": "SELECT COUNT(*) FROM sentences s LEFT JOIN articles a "
        "ON a.id = s.article_id WHERE a.id IS NULL",
        "claims without articles": "SELECT COUNT(*) FROM claims c LEFT JOIN articles a "
        "ON a.id = c.article_id WHERE a.id IS NULL",
        "mentions without claims": "SELECT COUNT(*) FROM mentions m LEFT JOIN claims c "
        "ON c.id = m.claim_id WHERE m.claim_id IS NOT NULL AND c.id IS NULL",
        "claims_done without articles": "SELECT COUNT(*) FROM claims_done x LEFT JOIN articles a "
        "ON a.id = x.article_id WHERE a.id IS NULL",
        "fingerprints without articles": "SELECT COUNT(*) FROM reuse_fingerprints f "
        "LEFT JOIN articles a ON a.id = f.article_id WHERE a.id IS NULL",
        "passages without articles": "SELECT COUNT(*) FROM reuse_passages p "
        "LEFT JOIN articles a ON a.id = p.article_a LEFT JOIN articles b ON b.id = p.article_b "
        "WHERE a.id IS NULL OR b.id IS NULL",
        "search rows without articles": "SELECT COUNT(*) FROM search_done s "
        "LEFT JOIN articles a ON a.id = s.article_id WHERE a.id IS NULL",
    }
    return {name: int(scalar(db, sql)) for name, sql in checks.items()}


def integrity(db: Path) -> str:
    return str(scalar(db, "PRAGMA integrity_check"))


def problem_line(row: sqlite3.Row | dict[str, Any]) -> str:
    """The line `marsad` printed for a stored problem."""
    return Problem(
        str(row["source"]), str(row["kind"]), str(row["message"]), str(row["action"])
    ).line()


def problems(db: Path) -> list[dict[str, object]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM problems ORDER BY id")]
    finally:
        conn.close()


def markers(db: Path, table: str = "articles", column: str = "text") -> dict[int, list[str]]:
    """``{good record number: ids of the rows whose text holds its marker}``."""
    found: dict[int, list[str]] = {}
    for key, text in query(db, f"SELECT id, {column} FROM {table}"):
        for number in set(MARKER_RE.findall(str(text))):
            found.setdefault(int(number), []).append(str(key))
    return found


# -- the hostile corpus, analysed once --------------------------------------------------------


@dataclass
class HostileRun:
    """Every case beside the good records, after one `marsad analyze FOLDER`."""

    root: Path
    db: Path
    cases: list[Case]
    returncode: int
    stderr: str

    @property
    def good(self) -> list[int]:
        return [*range(GOOD_RECORDS), *(n for c in self.cases for n in c.good)]

    def case_of(self, source: str) -> Case | None:
        for item in self.cases:
            if source.startswith(printable(str(item.folder)) + os.sep):
                return item
        return None


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileRun]:
    base = tmp_path_factory.mktemp("hostile")
    root = base / "corpus"
    write_good(root, range(GOOD_RECORDS))
    cases = build_cases(root)
    denied = [p for c in cases for p in c.denied]
    db = base / "hostile.db"
    env = deny(marsad_env(LIMITS), denied, base / "shim")
    try:
        done = run(["analyze", root, "--db", db, "--no-progress"], env)
    finally:
        for path in denied:
            path.chmod(0o755)
    yield HostileRun(root, db, cases, done.returncode, done.stderr.decode("utf-8"))


# -- a corpus big enough to be caught mid-stage, analysed once by three writers ---------------

BIG_ARTICLES = 2000
# Small batches: every stage writes many, so a kill or a second writer finds it mid-stage.
BIG_SETTINGS = {
    "MARSAD_INGEST_BATCH_SIZE": "50",
    "MARSAD_CLAIMS_BATCH_SIZE": "20",
    "MARSAD_NARRATIVES_BATCH_SIZE": "64",
    "MARSAD_SEARCH_BATCH_SIZE": "50",
}


def big_record(i: int) -> dict[str, str]:
    """Short article ``i``; every tenth is an earlier one reprinted with a line more (reuse
    passages, reuse families and claim families)."""
    base = i - 7 if i % 10 == 9 else i
    lines = [
        f"{SENTENCES[(base + j) % len(SENTENCES)]} في النشرة رقم {base * 2 + j}." for j in (0, 1)
    ]
    if base != i:
        lines.append(f"وأعادت نشر الخبر صحيفة المساء في عددها رقم {i}.")
    return {
        "title": f"خبر النشرة رقم {i}",
        "text": "\n".join(lines),
        "outlet": f"موقع {i % 5}",
        "date": f"2025-09-{1 + i % 28:02d}",
    }


@pytest.fixture(scope="session")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "news.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(BIG_ARTICLES):
            fh.write(json.dumps(big_record(i), ensure_ascii=False) + "\n")
    return path


@dataclass
class Writers:
    """`marsad analyze` A on the big corpus; B started on the same store while A runs (it
    must stop at once), C started with --wait 120 (it must wait for A, then add nothing)."""

    db: Path
    a: subprocess.CompletedProcess[bytes]
    b: subprocess.CompletedProcess[bytes]
    c: subprocess.CompletedProcess[bytes]
    a_ran_past_b: bool  # A was still running when B had stopped
    a_pid: int


@pytest.fixture(scope="session")
def writers(big_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Writers:
    db = tmp_path_factory.mktemp("writers") / "big.db"
    env = marsad_env(BIG_SETTINGS)
    args: list[str | Path] = ["analyze", big_corpus, "--db", db, "--no-progress"]
    a = start(args, env)
    wait_for(db, "SELECT COUNT(*) FROM runs WHERE status = 'running'", a)
    b = start(args, env)
    c = start([*args, "--wait", "120"], env)
    b_out = b.communicate(timeout=120)
    a_ran_past_b = a.poll() is None
    done = {name: p.communicate(timeout=300) for name, p in (("a", a), ("c", c))}

    def completed(proc: subprocess.Popen[bytes], out: tuple[bytes, bytes]) -> Any:
        return subprocess.CompletedProcess(proc.args, proc.returncode, *out)

    return Writers(
        db,
        completed(a, done["a"]),
        completed(b, b_out),
        completed(c, done["c"]),
        a_ran_past_b,
        a.pid,
    )
