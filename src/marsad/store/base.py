"""What every repository of the store shares: the store's connection and transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Protocol


class Database(Protocol):
    path: str
    conn: sqlite3.Connection

    def transaction(self) -> AbstractContextManager[None]: ...


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Repository:
    """One concern's tables. Reads use :attr:`conn`; writes go through :meth:`transaction`
    (the store's own: nested calls are savepoints inside the caller's transaction)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    @property
    def path(self) -> str:
        return self.db.path

    def transaction(self) -> AbstractContextManager[None]:
        return self.db.transaction()

    def pages(self, sql: str, size: int) -> Iterator[list[sqlite3.Row]]:
        """The rows of ``sql`` a page at a time, by keyset on their first column (``sql`` ends
        ``WHERE ... <key> > ? ORDER BY <key> LIMIT ?``), so rows written meanwhile by the
        caller (the stage runner saving a batch) never shift a page."""
        last = ""
        while True:
            rows = self.conn.execute(sql, (last, size)).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield rows

    def empty(self, *tables: str) -> None:
        """Delete every row of ``tables`` (names from the code, never from data), atomically."""
        with self.transaction():
            for table in tables:
                self.conn.execute(f"DELETE FROM {table}")
