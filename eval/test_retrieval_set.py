"""Well-formedness of the debunked-claim retrieval set (eval/retrieval)."""

from __future__ import annotations

import re

import pytest

from retrieval.load import (
    COLLECTION,
    clean_claim,
    load_collection,
    load_duplicates,
    load_queries,
    relevant_ids,
)

QUERY_ID = re.compile(r"^q\d{3}$")
TARGET_ID = re.compile(r"^\d+-\d+$")
KINDS = {"synonym", "reorder", "partial", "msa", "question", "detail"}
FIELDS = {"query_id", "target", "query", "kind"}
MIN_QUERIES = 100


@pytest.fixture(scope="module")
def queries() -> list[dict]:
    return load_queries()


@pytest.fixture(scope="module")
def collection() -> dict[str, dict]:
    if not COLLECTION.exists():
        pytest.skip(f"shared data absent: {COLLECTION} (set MARSAD_SHARED_DATA)")
    return {record["id"]: record for record in load_collection()}


def test_fields_and_ids(queries: list[dict]) -> None:
    assert len(queries) >= MIN_QUERIES
    assert all(set(query) == FIELDS for query in queries)
    assert all(QUERY_ID.match(query["query_id"]) for query in queries)
    assert all(TARGET_ID.match(query["target"]) for query in queries)
    assert all(query["kind"] in KINDS for query in queries)
    assert len({query["query_id"] for query in queries}) == len(queries)


def test_queries_and_targets_are_unique(queries: list[dict]) -> None:
    texts = [query["query"].strip() for query in queries]
    assert all(texts)
    assert len(set(texts)) == len(texts)
    assert len({query["target"] for query in queries}) == len(queries)


def test_clean_claim() -> None:
    assert clean_claim("الإدعاء\n📌 - بوست  منتشر ❌❌") == "بوست منتشر"


def test_duplicate_groups(collection: dict[str, dict]) -> None:
    groups = load_duplicates()
    members = [member for group in groups for member in group]
    assert len(members) == len(set(members))
    assert set(members) <= set(collection)
    assert relevant_ids(groups[0][0], groups) == set(groups[0])


def test_targets_exist_and_are_reworded(queries: list[dict], collection: dict[str, dict]) -> None:
    for query in queries:
        target = collection.get(query["target"])
        assert target is not None, query["query_id"]
        assert clean_claim(query["query"]) != target["claim"], query["query_id"]
        assert query["query"].strip() not in target["raw"], query["query_id"]
