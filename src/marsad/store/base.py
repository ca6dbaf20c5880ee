"""What every part of the store shares: the connection and the transaction helper."""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager


class Tables:
    """Base of the store's parts: one SQLite connection; writes go through
    :meth:`transaction` (the store's own, with savepoints when nested)."""

    conn: sqlite3.Connection

    def transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError
