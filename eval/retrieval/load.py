"""Load the debunked-claim retrieval set and the Matsda2sh collection it points into.

The queries (``queries.jsonl``) were written for the project; the collection of debunked claims
is read in place from the shared data folder and never copied into the repository. See
README.md for the construction and the scoring.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries.jsonl"
DUPLICATES = HERE / "duplicates.json"
ROOT = HERE.parents[1]
SHARED_DATA = Path(os.environ.get("MARSAD_SHARED_DATA", ROOT.parent / "shared" / "data"))
COLLECTION = SHARED_DATA / "claims" / "matsda2sh_factchecks" / "fake_news_dataset.json"

PAGE_ID = re.compile(r"/details/(\d+)")
CLAIM_LABEL = re.compile(r"^\s*(?:الإدعاء|الادعاء)\s*")  # the page's "claim" heading
SYMBOLS = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\uFE0F]")  # emoji, marks
LEADING_BULLETS = re.compile(r"^[\s\-–•◾]+")
SPACES = re.compile(r"\s+")


def clean_claim(raw: str) -> str:
    """The claim as a reader would quote it: heading, emoji, bullets and extra spaces removed."""
    text = CLAIM_LABEL.sub("", raw)
    text = SYMBOLS.sub("", text)
    text = LEADING_BULLETS.sub("", text)
    return SPACES.sub(" ", text).strip()


def load_queries(path: Path = QUERIES) -> list[dict[str, Any]]:
    """The hand-written queries, one dict per line of ``queries.jsonl``."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def load_duplicates(path: Path = DUPLICATES) -> list[list[str]]:
    """Groups of collection ids that state the same claim (checked by hand)."""
    with path.open(encoding="utf-8") as handle:
        groups: list[list[str]] = json.load(handle)
    return groups


def relevant_ids(target: str, duplicates: list[list[str]]) -> set[str]:
    """The target and every collection id in its duplicate group."""
    for group in duplicates:
        if target in group:
            return set(group)
    return {target}


def load_collection(path: Path = COLLECTION) -> list[dict[str, Any]]:
    """Every debunked claim in the Matsda2sh dump, in file order.

    The json is a list of fact-check pages ``{link, fakes, trues}``: ``fakes`` holds the claim
    as it circulated (usually one per page, under a "الإدعاء" heading), ``trues`` the
    fact-checker's findings. One record per element of ``fakes``:

    - ``id``: ``"<page id>-<offset>"``, the page id from the link (``/details/<page id>/``) and
      the claim's offset in ``fakes``; the queries' ``target`` uses this id.
    - ``claim``: the claim text after :func:`clean_claim` (the text to retrieve), ``raw``: as
      stored.
    - ``page_id``, ``offset``, ``index`` (the page's position in the json list), ``url``.
    - ``findings``: the fact-checker's text (``trues`` joined); not part of the claim.
    - ``date``: always None; the dump has no date field (some findings mention one in prose).
    """
    with path.open(encoding="utf-8") as handle:
        pages = json.load(handle)
    records = []
    for index, page in enumerate(pages):
        match = PAGE_ID.search(page["link"])
        page_id = match.group(1) if match else str(index)
        for offset, raw in enumerate(page["fakes"]):
            records.append(
                {
                    "id": f"{page_id}-{offset}",
                    "claim": clean_claim(raw),
                    "raw": raw,
                    "page_id": page_id,
                    "offset": offset,
                    "index": index,
                    "url": page["link"],
                    "findings": "\n".join(page["trues"]),
                    "date": None,
                }
            )
    return records
