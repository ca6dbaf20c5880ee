"""SQLite store: the connection, schema migrations, transactions, one writer at a time.

Every write goes through :meth:`Store.transaction`; the stage runner opens one around each
batch, so an interrupted run (crash, Ctrl-C, kill -9) leaves only whole batches behind, and a
rerun picks up what is missing.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from marsad.store.base import now
from marsad.store.claims import Claims
from marsad.store.documents import Documents
from marsad.store.lock import WriterLock
from marsad.store.narratives import Narratives
from marsad.store.reuse import Reuse
from marsad.store.runs import Runs
from marsad.store.search import Search
from marsad.store.web import WebReads

SCHEMA_VERSION = 10
READ_BATCH = 500
BUSY_TIMEOUT_MS = 60_000  # a writer waits this long for another's transaction to end
LOCKED_RETRY_SECONDS = 0.05


class Store:
    """A Marsad store in one SQLite file: the connection, its transactions, the schema, the
    writer lock, and one repository per concern (``store.documents``, ``store.claims``,
    ``store.reuse``, ``store.narratives``, ``store.search``, ``store.runs``, ``store.web``)."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = str(path)
        self._depth = 0  # open transactions: 0 none, 1 a transaction, more savepoints
        self._lock: WriterLock | None = None
        if read_only:
            uri = f"file:{Path(self.path).resolve()}?mode=ro"
            self.conn = sqlite3.connect(
                uri, uri=True, check_same_thread=False, isolation_level=None
            )
        else:
            # isolation_level=None: no implicit transactions; every write goes through
            # transaction(), which the stage runner opens around a whole batch.
            self.conn = sqlite3.connect(self.path, isolation_level=None)
        self.conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if not read_only:
            self._write_ahead_log()
            self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        if read_only:
            self.conn.execute("PRAGMA query_only=ON")
        self.conn.row_factory = sqlite3.Row
        if not read_only:
            self.migrate()
        self.runs = Runs(self)
        self.documents = Documents(self)
        self.claims = Claims(self)
        self.reuse = Reuse(self)
        self.narratives = Narratives(self)
        self.search = Search(self)
        self.web = WebReads(self)

    def _write_ahead_log(self) -> None:
        """Switch a new store to WAL. SQLite answers "locked" at once, without waiting, when
        another process is creating the same file: try again for as long as a write would."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) or time.monotonic() > deadline:
                    raise
                time.sleep(LOCKED_RETRY_SECONDS)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One transaction; nested calls are savepoints inside it, so a caller (the stage
        runner) can make a batch and everything written for it one atomic unit, and a part
        that fails can be rolled back alone. The outermost level takes the write lock at once
        (``BEGIN IMMEDIATE``), so two writers wait for each other instead of failing."""
        depth = self._depth
        self.conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT sp{depth}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth = depth
            if depth == 0:
                self.conn.execute("ROLLBACK")
            else:
                self.conn.execute(f"ROLLBACK TO sp{depth}")
                self.conn.execute(f"RELEASE sp{depth}")
            raise
        self._depth = depth
        self.conn.execute("COMMIT" if depth == 0 else f"RELEASE sp{depth}")

    # -- schema ---------------------------------------------------------------------------
    def schema_version(self) -> int:
        row = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
        if row is None:
            return 0
        row = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def migrate(self) -> None:
        """Apply the numbered migrations in ``store/migrations`` that are not applied yet.

        Each runs in an immediate transaction that first reads the version again, so two
        processes opening a new store at once apply each migration exactly once."""
        folder = resources.files("marsad.store").joinpath("migrations")
        entries = sorted(
            (e for e in folder.iterdir() if e.name.endswith(".sql")), key=lambda e: e.name
        )
        if self.schema_version() >= int(entries[-1].name.split("_", 1)[0]):
            return
        for entry in entries:
            version = int(entry.name.split("_", 1)[0])
            with self.transaction():
                self.conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                    "name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
                if version <= self.schema_version():
                    continue
                for statement in _statements(entry.read_text("utf-8")):
                    self.conn.execute(statement)
                self.conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, entry.name, now())
                )

    # -- one writer at a time -------------------------------------------------------------
    def lock_writer(self, command: str, wait: float = 0.0) -> None:
        """Become the store's only writer (a lock file beside it, freed when this process
        ends, however it ends), then mark the runs a killed process left "running" as
        killed. Raises :class:`StoreBusy`, naming the other writer, after ``wait`` seconds."""
        if self._lock is None:
            self._lock = WriterLock.acquire(Path(self.path), command, wait)
        with self.transaction():
            self.conn.execute(
                "UPDATE runs SET status = 'killed', finished_at = ? WHERE status = 'running'",
                (now(),),
            )


def _statements(script: str) -> Iterator[str]:
    """Split a migration script on semicolons at line ends (no triggers in our migrations)."""
    buffer: list[str] = []
    for line in script.splitlines():
        if line.strip().startswith("--"):
            continue
        buffer.append(line)
        if line.rstrip().endswith(";"):
            statement = "\n".join(buffer).strip()
            if statement:
                yield statement
            buffer = []
    rest = "\n".join(buffer).strip()
    if rest:
        yield rest
