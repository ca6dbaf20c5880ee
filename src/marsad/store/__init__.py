"""The store: the only package that speaks SQL. SQLite is the embedded default."""

from marsad.store.sqlite import SCHEMA_VERSION, Store, StoredDocument

__all__ = ["SCHEMA_VERSION", "Store", "StoredDocument"]
