"""The real texts the attribution annotations point into, read in place from ../shared/data.

Annotations store offsets only. A record names its text with ``corpus`` and ``doc``:

* ``fc_stance``: ``doc`` is the 0-based line of ``claims/arabic_fc_stance/dev.jsonl.gz``;
  offsets index that line's ``text`` (a Syria-war page scraped whole, punctuation spaced);
* ``snn``: ``doc`` (or the older ``idx``) is the SaudiNewsNet record's ``idx``; offsets index
  its ``content``;
* ``armpro``: ``doc`` is an ArMPro dev ``paragraph_id``; offsets index its ``paragraph``.

``MARSAD_SHARED_DATA`` points at another copy of ``shared/data``.
"""

from __future__ import annotations

import gzip
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ("fc_stance", "snn", "armpro")


def shared_data() -> Path:
    env = os.environ.get("MARSAD_SHARED_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


def corpus_path(corpus: str) -> Path:
    base = shared_data()
    return {
        "fc_stance": base / "claims" / "arabic_fc_stance" / "dev.jsonl.gz",
        "snn": Path(
            os.environ.get("MARSAD_SAUDINEWSNET") or base / "news" / "saudinewsnet.jsonl.gz"
        ),
        "armpro": base / "propaganda" / "armpro_dev" / "ArMPro_span_dev_V2.jsonl",
    }[corpus]


def available(corpus: str) -> bool:
    return corpus_path(corpus).is_file()


def _lines(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@cache
def documents(corpus: str) -> dict[str | int, dict[str, Any]]:
    """Every document of ``corpus`` by its ``doc`` key, with ``text`` and what is known of
    it (outlet or site, url, title, and for fc_stance the claim, stance and fold)."""
    rows = _lines(corpus_path(corpus))
    if corpus == "fc_stance":
        return {
            n: {
                "text": r["text"],
                "url": r["url"],
                "claim": r["claim"],
                "stance": r["stance"],
                "fold": r["fold"],
                "rationale": r["rationale"],
            }
            for n, r in enumerate(rows)
        }
    if corpus == "snn":
        return {
            r["idx"]: {
                "text": r["content"],
                "outlet": r.get("source"),
                "url": r.get("url"),
                "title": r.get("title"),
            }
            for r in rows
        }
    return {
        r["paragraph_id"]: {
            "text": r["paragraph"],
            "outlet": r.get("page_domain"),
            "url": r.get("page_url"),
            "title": r.get("page_title"),
        }
        for r in rows
    }


def doc_key(record: dict[str, Any]) -> tuple[str, str | int]:
    """``(corpus, doc)`` of an annotation record (SaudiNewsNet records may say ``idx``)."""
    corpus = record.get("corpus", "snn")
    doc = record.get("doc", record.get("idx"))
    if corpus not in CORPORA or doc is None:
        raise ValueError(f"{record.get('id')}: unknown text ({corpus!r}, {doc!r})")
    return corpus, doc


def text_of(record: dict[str, Any]) -> dict[str, Any]:
    corpus, doc = doc_key(record)
    found = documents(corpus).get(doc)
    if found is None:
        raise ValueError(f"{record.get('id')}: {corpus} has no document {doc!r}")
    return found
