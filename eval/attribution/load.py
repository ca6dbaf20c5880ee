"""Load the hand-annotated claim-attribution evaluation set (see GUIDELINES.md).

    python eval/attribution/load.py [--data PATH] [--show]

Three files:

* ``claims_project.jsonl``: sentences written for this project; each line carries its text.
* ``claims_heldout.jsonl``: more project-written paragraphs, annotated before the rules were
  run on them and kept out of rule tuning (origin ``heldout``); same format.
* ``claims_snn_offsets.jsonl``: claims in real SaudiNewsNet articles.  No article text is
  stored in the repository: only the record ``idx`` and half-open character offsets into that
  record's ``content`` field (Python string indices of the raw field value).  The text is
  rebuilt at run time from the shared copy of the corpus (default
  ``<repo>/../shared/data/news/saudinewsnet.jsonl.gz``, or ``$MARSAD_SAUDINEWSNET``).  When that
  file is absent the SaudiNewsNet part is skipped with a message; nothing crashes.

Every span (claim, source, verb, source_in_context) is checked to be in range and non-empty
(and non-blank) in the rebuilt text; a bad span raises ``ValueError``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from marsad.claims.attribution import SOURCE_TYPES as ATTRIBUTION_TYPES

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PROJECT_FILE = HERE / "claims_project.jsonl"
SNN_FILE = HERE / "claims_snn_offsets.jsonl"
HELDOUT_FILE = HERE / "claims_heldout.jsonl"
DEFAULT_SNN = ROOT.parent / "shared" / "data" / "news" / "saudinewsnet.jsonl.gz"

SOURCE_TYPES = tuple(ATTRIBUTION_TYPES)  # one definition: marsad.claims.attribution
SPAN_KEYS = ("claim", "source", "verb", "source_in_context")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _check(rec: dict[str, Any], text: str) -> dict[str, Any]:
    """Validate labels and spans of one record against ``text``; add ``*_text`` fields."""
    rid = rec["id"]
    if rec.get("source_type") not in SOURCE_TYPES:
        raise ValueError(f"{rid}: bad source_type {rec.get('source_type')!r}")
    if not isinstance(rec.get("hedged"), bool):
        raise ValueError(f"{rid}: hedged must be a bool")
    if rec.get("claim") is None:
        raise ValueError(f"{rid}: claim span is required")
    out = dict(rec)
    for key in SPAN_KEYS:
        span = rec.get(key)
        if span is None:
            out[f"{key}_text"] = None
            continue
        start, end = span
        if not (0 <= start < end <= len(text)):
            raise ValueError(f"{rid}: {key} span {span} out of range (text length {len(text)})")
        piece = text[start:end]
        if not piece.strip():
            raise ValueError(f"{rid}: {key} span {span} is blank")
        out[f"{key}_text"] = piece
    if rec["source_type"] in ("self", "unattributed") and rec.get("source") is not None:
        raise ValueError(f"{rid}: {rec['source_type']} claims have no source span")
    return out


def load_project(path: Path = PROJECT_FILE, origin: str = "project") -> list[dict[str, Any]]:
    """Project claims with their text and span texts, origin ``project``."""
    out = []
    for rec in _read_jsonl(path):
        item = _check(rec, rec["text"])
        item["origin"] = origin
        out.append(item)
    return out


def load_heldout(path: Path = HELDOUT_FILE) -> list[dict[str, Any]]:
    """Held-out project claims (annotated before the rules were run on them), origin ``heldout``."""
    return load_project(path, origin="heldout")


def snn_path(data: str | os.PathLike[str] | None = None) -> Path:
    if data is not None:
        return Path(data)
    env = os.environ.get("MARSAD_SAUDINEWSNET")
    return Path(env) if env else DEFAULT_SNN


def load_saudinewsnet(
    data: str | os.PathLike[str] | None = None, path: Path = SNN_FILE
) -> list[dict[str, Any]] | None:
    """SaudiNewsNet claims rebuilt with article text; ``None`` if the shared data is absent."""
    src = snn_path(data)
    if not src.is_file():
        return None
    recs = _read_jsonl(path)
    wanted = {r["idx"] for r in recs}
    articles: dict[int, dict[str, Any]] = {}
    opener = gzip.open if src.suffix == ".gz" else open
    with opener(src, "rt", encoding="utf-8") as f:
        for line in f:
            art = json.loads(line)
            if art.get("idx") in wanted:
                articles[art["idx"]] = art
    out = []
    for rec in recs:
        art = articles.get(rec["idx"])
        if art is None:
            raise ValueError(f"{rec['id']}: idx {rec['idx']} not found in {src}")
        item = _check(rec, art["content"])
        item.update(
            origin="saudinewsnet",
            text=art["content"],
            outlet=art.get("source"),
            url=art.get("url"),
            title=art.get("title"),
        )
        out.append(item)
    return out


def load_all(data: str | os.PathLike[str] | None = None) -> tuple[list[dict[str, Any]], bool]:
    """All claims; the flag says whether the SaudiNewsNet part could be rebuilt."""
    items = load_project()
    snn = load_saudinewsnet(data)
    if snn is not None:
        items += snn
    return items, snn is not None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="path to saudinewsnet.jsonl.gz")
    ap.add_argument("--show", action="store_true", help="print every claim with its spans")
    args = ap.parse_args(argv)

    items = load_project() + load_heldout()
    snn = load_saudinewsnet(args.data)
    if snn is None:
        n = len(_read_jsonl(SNN_FILE))
        print(
            f"SaudiNewsNet data not found at {snn_path(args.data)}: skipping its {n} claims "
            "(set --data or MARSAD_SAUDINEWSNET)."
        )
    else:
        items += snn

    by_origin = Counter(i["origin"] for i in items)
    print(f"{len(items)} claims, all spans verified non-empty")
    print("per origin:", ", ".join(f"{k}={v}" for k, v in sorted(by_origin.items())))
    print(f"{'source_type':<20}" + "".join(f"{o:>14}" for o in sorted(by_origin)) + f"{'total':>8}")
    for st in SOURCE_TYPES:
        row = [
            sum(1 for i in items if i["origin"] == o and i["source_type"] == st)
            for o in sorted(by_origin)
        ]
        print(f"{st:<20}" + "".join(f"{c:>14}" for c in row) + f"{sum(row):>8}")
    hedged = Counter(i["origin"] for i in items if i["hedged"])
    print("hedged:", ", ".join(f"{k}={v}" for k, v in sorted(hedged.items())))
    if snn is not None:
        outlets = Counter(i["outlet"] for i in snn)
        print("SaudiNewsNet outlets:", ", ".join(f"{k}={v}" for k, v in outlets.most_common()))
    if args.show:
        for i in items:
            ctx = i.get("source_in_context_text")
            print(
                f"{i['id']} [{i['source_type']}{', hedged' if i['hedged'] else ''}] "
                f"CLAIM={i['claim_text']!r} SOURCE={i['source_text']!r} VERB={i['verb_text']!r}"
                + (f" CONTEXT={ctx!r}" if ctx else "")
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
