"""The store: the only package that speaks SQL. SQLite is the embedded default."""

from marsad.store.lock import StoreBusy
from marsad.store.sqlite import SCHEMA_VERSION, Store

__all__ = ["SCHEMA_VERSION", "Store", "StoreBusy"]
