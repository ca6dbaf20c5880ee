"""Well-formedness of the cross-lingual catalogue-matching set (eval/crosslingual)."""

from __future__ import annotations

import re

import pytest

from crosslingual.load import CATALOG, load_articles, load_catalog, load_equivalents

ID_PATTERN = re.compile(r"^x\d{3}$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIELDS = {"id", "outlet", "published", "title", "text", "narratives", "evidence"}


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    return load_articles()


@pytest.fixture(scope="module")
def catalog_ids() -> set[str]:
    if not CATALOG.exists():
        pytest.skip(f"shared data absent: {CATALOG} (set MARSAD_SHARED_DATA)")
    return {entry["id"] for entry in load_catalog()}


def test_fields_and_ids(articles: list[dict]) -> None:
    assert all(set(article) == FIELDS for article in articles)
    ids = [article["id"] for article in articles]
    assert len(ids) == len(set(ids))
    assert all(ID_PATTERN.match(article_id) for article_id in ids)
    assert all(DATE_PATTERN.match(article["published"]) for article in articles)
    assert all(article["title"].strip() and article["text"].strip() for article in articles)


def test_evidence_is_in_text(articles: list[dict]) -> None:
    for article in articles:
        assert len(article["evidence"]) == len(article["narratives"]), article["id"]
        assert len(set(article["narratives"])) == len(article["narratives"]), article["id"]
        for sentence in article["evidence"]:
            assert sentence and sentence in article["text"], article["id"]


def test_distractors_and_labelled_articles(articles: list[dict]) -> None:
    distractors = [article for article in articles if not article["narratives"]]
    labelled = [article for article in articles if article["narratives"]]
    assert len(distractors) >= 15
    assert len(labelled) >= 35
    assert all(article["evidence"] == [] for article in distractors)
    assert len({entry for article in labelled for entry in article["narratives"]}) >= 35


def test_every_entry_is_in_the_catalog(articles: list[dict], catalog_ids: set[str]) -> None:
    missing = {entry for article in articles for entry in article["narratives"]} - catalog_ids
    assert not missing


def test_equivalents_are_in_the_catalog(articles: list[dict], catalog_ids: set[str]) -> None:
    gold = {entry for article in articles for entry in article["narratives"]}
    for entry, others in load_equivalents().items():
        assert entry in gold
        assert entry not in others
        assert set(others) <= catalog_ids
