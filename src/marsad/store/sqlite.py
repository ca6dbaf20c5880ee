"""SQLite store: schema migrations, one write path, a transaction per batch.

Every write method runs in its own transaction, so an interrupted run (crash, Ctrl-C) leaves
only whole batches behind, and a rerun picks up what is missing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from marsad.records import (
    Article,
    Failure,
    IngestedDocument,
    Problem,
    RawDocument,
    StoredDocument,
)
from marsad.store.claims import ClaimsReads, ClaimsStore
from marsad.store.lock import WriterLock
from marsad.store.narratives import NarrativesReads, NarrativesStore
from marsad.store.reuse import ReuseReads, ReuseStore
from marsad.store.search import SearchReads, SearchStore
from marsad.store.web import WebReads

SCHEMA_VERSION = 7
READ_BATCH = 500
BUSY_TIMEOUT_MS = 60_000  # a writer waits this long for another's transaction to end


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store(
    ReuseStore,
    ReuseReads,
    ClaimsStore,
    ClaimsReads,
    NarrativesStore,
    NarrativesReads,
    SearchStore,
    SearchReads,
    WebReads,
):
    """A Marsad store in one SQLite file."""

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
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        if read_only:
            self.conn.execute("PRAGMA query_only=ON")
        self.conn.row_factory = sqlite3.Row
        if not read_only:
            self.migrate()

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
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)", (version, entry.name, _now())
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
                (_now(),),
            )

    # -- runs and problems ----------------------------------------------------------------
    def start_run(self, command: str) -> int:
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO runs (command, started_at, status) VALUES (?, ?, 'running')",
                (command, _now()),
            )
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, summary: dict[str, Any]) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?",
                (_now(), status, json.dumps(summary, ensure_ascii=False), run_id),
            )

    def add_problems(self, run_id: int, problems: Iterable[Problem]) -> None:
        now = _now()
        with self.transaction():
            self.conn.executemany(
                "INSERT INTO problems (run_id, source, kind, message, action, created_at, "
                "stage, record, exception, component) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        run_id,
                        p.source,
                        p.kind,
                        p.message,
                        p.action,
                        now,
                        p.stage,
                        p.record,
                        p.exception,
                        p.component,
                    )
                    for p in problems
                ],
            )

    def add_failures(
        self, run_id: int, step: str, component: str, failures: Iterable[Failure]
    ) -> None:
        """Records a step failed on: skipped by later runs until ``component`` changes."""
        with self.transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO failures (step, component, record, run_id, exception) "
                "VALUES (?, ?, ?, ?, ?)",
                [(step, component, f.record, run_id, f.exception) for f in failures],
            )

    def failed_records(self, step: str, component: str) -> set[str]:
        """Records ``step`` failed on under ``component`` (skipped by this run)."""
        return {
            row[0]
            for row in self.conn.execute(
                "SELECT record FROM failures WHERE step = ? AND component = ?", (step, component)
            )
        }

    def forget_failures(self, step_prefix: str) -> int:
        """Forget the failures of a stage's steps (``marsad analyze --redo``)."""
        with self.transaction():
            cur = self.conn.execute(
                "DELETE FROM failures WHERE step LIKE ? ESCAPE '\\'",
                (step_prefix.replace("_", "\\_") + ".%",),
            )
        return int(cur.rowcount)

    def problems(self, limit: int = 100) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT run_id, source, kind, message, action, created_at, stage, record, exception, "
            "component FROM problems ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [dict(row) for row in rows]

    def runs(self, limit: int = 10) -> list[dict[str, Any]]:
        """The latest runs, newest first, with their summaries (JSON decoded)."""
        rows = self.conn.execute(
            "SELECT id, command, started_at, finished_at, status, summary FROM runs "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        out = []
        for row in rows:
            record = dict(row)
            record["summary"] = json.loads(row["summary"]) if row["summary"] else None
            out.append(record)
        return out

    # -- ingest ---------------------------------------------------------------------------
    def add_documents(self, run_id: int, batch: Iterable[IngestedDocument]) -> list[str]:
        """Insert new documents and count their short lines per outlet; returns the new ids."""
        now = _now()
        new_ids: list[str] = []
        counts: dict[tuple[str, int], int] = {}
        with self.transaction():
            for item in batch:
                doc_id, doc, keys = item.id, item.doc, item.line_keys
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO documents (id, source, format, outlet, url, title, "
                    "published_raw, author, raw_text, links, meta, run_id, ingested_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        doc_id,
                        doc.source,
                        doc.format,
                        doc.outlet,
                        doc.url,
                        doc.title,
                        doc.published,
                        doc.author,
                        doc.text,
                        json.dumps(doc.links, ensure_ascii=False),
                        json.dumps(doc.meta, ensure_ascii=False, default=str),
                        run_id,
                        now,
                    ),
                )
                if cur.rowcount == 1:
                    new_ids.append(doc_id)
                    for key in keys:
                        counts[(doc.outlet or "", key)] = counts.get((doc.outlet or "", key), 0) + 1
            self.conn.executemany(
                "INSERT INTO line_counts (outlet, line_key, n) VALUES (?, ?, ?) "
                "ON CONFLICT (outlet, line_key) DO UPDATE SET n = n + excluded.n",
                [(outlet, key, n) for (outlet, key), n in counts.items()],
            )
        return new_ids

    def outlets(self) -> list[str]:
        """Distinct outlet names in the store."""
        rows = self.conn.execute("SELECT DISTINCT outlet FROM documents WHERE outlet IS NOT NULL")
        return sorted(str(row[0]) for row in rows)

    def frequent_lines(self, outlet: str | None, min_articles: int) -> set[int]:
        rows = self.conn.execute(
            "SELECT line_key FROM line_counts WHERE outlet = ? AND n >= ?",
            (outlet or "", min_articles),
        )
        return {int(row[0]) for row in rows}

    def refresh_boilerplate(self, outlets: Iterable[str | None], min_articles: int) -> int:
        """Mark an outlet's documents for re-cleaning when its recurring-line set changed.

        Returns how many documents were marked. The fingerprint of each outlet's set of frequent
        lines is kept, so adding articles only re-cleans an outlet when the evidence changed.
        """
        marked = 0
        with self.transaction():
            for outlet in set(outlets):
                keys = sorted(self.frequent_lines(outlet, min_articles))
                digest = hashlib.blake2b(",".join(map(str, keys)).encode(), digest_size=8)
                fingerprint = f"{min_articles}:{len(keys)}:{digest.hexdigest()}"
                row = self.conn.execute(
                    "SELECT fingerprint FROM outlet_boilerplate WHERE outlet = ?", (outlet or "",)
                ).fetchone()
                if row is not None and row[0] == fingerprint:
                    continue
                if row is not None:
                    cur = self.conn.execute(
                        "UPDATE documents SET clean_component = 'stale:' || clean_component "
                        "WHERE COALESCE(outlet, '') = ? AND clean_component NOT LIKE 'stale:%'",
                        (outlet or "",),
                    )
                    marked += cur.rowcount
                self.conn.execute(
                    "INSERT INTO outlet_boilerplate (outlet, fingerprint) VALUES (?, ?) "
                    "ON CONFLICT (outlet) DO UPDATE SET fingerprint = excluded.fingerprint",
                    (outlet or "", fingerprint),
                )
        return marked

    # -- clean ----------------------------------------------------------------------------
    def forget_cleaning(self) -> None:
        """Every document is cleaned again by the next run (``analyze --redo clean``)."""
        with self.transaction():
            self.conn.execute("UPDATE documents SET clean_component = NULL")

    def count_pending(self, component: str) -> int:
        row = self.conn.execute(
            "SELECT COUNT(*) FROM documents WHERE clean_component IS NULL OR clean_component != ?",
            (component,),
        ).fetchone()
        return int(row[0])

    def pending_documents(self, component: str, batch_size: int) -> Iterator[list[StoredDocument]]:
        """Documents not yet cleaned by ``component``, in batches (ordered by outlet, then id)."""
        last = ("", "")
        while True:
            rows = self.conn.execute(
                "SELECT * FROM documents WHERE (clean_component IS NULL OR clean_component != ?) "
                "AND (COALESCE(outlet, ''), id) > (?, ?) ORDER BY COALESCE(outlet, ''), id LIMIT ?",
                (component, *last, batch_size),
            ).fetchall()
            if not rows:
                return
            last = (rows[-1]["outlet"] or "", rows[-1]["id"])
            yield [
                StoredDocument(row["id"], _document(row), row["clean_component"] is not None)
                for row in rows
            ]

    def save_articles(
        self, component: str, articles: list[Article], rejected: list[tuple[str, str]]
    ) -> None:
        """Write cleaned articles (replacing older versions) and mark documents as done."""
        now = _now()
        with self.transaction():
            for art in articles:
                dl = art.dateline
                self.conn.execute("DELETE FROM articles WHERE id = ?", (art.id,))
                self.conn.execute(
                    "INSERT INTO articles (id, title, published, language, text, removed, "
                    "dateline_raw, dateline_place, dateline_agency, dateline_start, dateline_end, "
                    "author, component, cleaned_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        art.id,
                        art.title,
                        art.published,
                        art.language,
                        art.text,
                        json.dumps(art.removed, ensure_ascii=False),
                        dl.raw if dl else None,
                        dl.place if dl else None,
                        dl.agency if dl else None,
                        dl.span[0] if dl and dl.span else None,
                        dl.span[1] if dl and dl.span else None,
                        art.author,
                        art.component,
                        now,
                    ),
                )
                self.conn.executemany(
                    'INSERT INTO sentences (article_id, idx, start, "end") VALUES (?, ?, ?, ?)',
                    [(art.id, i, s, e) for i, (s, e) in enumerate(art.sentences)],
                )
            self.conn.executemany(
                "UPDATE documents SET clean_component = ?, clean_status = 'ok' WHERE id = ?",
                [(component, art.id) for art in articles],
            )
            self.mark_search_stale(art.id for art in articles)
            for doc_id, reason in rejected:
                self.conn.execute("DELETE FROM articles WHERE id = ?", (doc_id,))
                self.conn.execute(
                    "UPDATE documents SET clean_component = ?, clean_status = ? WHERE id = ?",
                    (component, reason, doc_id),
                )

    # -- read -----------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("documents", "articles", "sentences", "problems", "runs"):
            out[table] = int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        return out

    def iter_articles(self, batch_size: int = READ_BATCH) -> Iterator[dict[str, Any]]:
        """Every article joined with its document and sentences, ordered by id."""
        last = ""
        while True:
            rows = self.conn.execute(
                "SELECT a.*, d.source, d.format, d.outlet, d.url, d.links FROM articles a "
                "JOIN documents d ON d.id = a.id WHERE a.id > ? ORDER BY a.id LIMIT ?",
                (last, batch_size),
            ).fetchall()
            if not rows:
                return
            last = rows[-1]["id"]
            sentences = self._sentences([row["id"] for row in rows])
            for row in rows:
                record = dict(row)
                record["sentences"] = sentences.get(row["id"], [])
                yield record

    def _sentences(self, ids: list[str]) -> dict[str, list[list[int]]]:
        marks = ",".join("?" * len(ids))
        out: dict[str, list[list[int]]] = {}
        for row in self.conn.execute(
            f'SELECT article_id, start, "end" FROM sentences WHERE article_id IN ({marks}) '
            "ORDER BY article_id, idx",
            ids,
        ):
            out.setdefault(row[0], []).append([row[1], row[2]])
        return out


def _document(row: sqlite3.Row) -> RawDocument:
    return RawDocument(
        source=row["source"],
        format=row["format"],
        text=row["raw_text"],
        title=row["title"],
        url=row["url"],
        published=row["published_raw"],
        outlet=row["outlet"],
        author=row["author"],
        links=json.loads(row["links"]),
        meta=json.loads(row["meta"]),
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
