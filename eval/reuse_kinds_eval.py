"""What reuse links are, measured on 100 SaudiNewsNet pairs judged by hand.

``eval/reuse/snn_pairs.jsonl`` holds 100 article pairs drawn at random (seed 15) from the
reuse passages of a run over the first 5,000 SaudiNewsNet records *before* the titles filter
and the copy/template labels existed: record indexes (``idx``), the passages' offsets into
the cleaned texts, and a label judged by reading both passages and headlines (``copy``: the
same story; ``template``: a recurring official formula with other slots filled: cables,
bulletins, obituaries, footers; ``titles_only``: nothing shared but officials' titles and
names). 60 are ``dev`` (used to tune), 40 ``heldout`` (set apart before any tuning).

This script runs ingest, clean and reuse over the same 5,000 records (or reads ``--db``) and
reports, for each split:

* ``real_share``: of the judged pairs the run still links, the share whose label is not
  ``titles_only`` (the links share real text beyond titles and names);
* ``kind_accuracy``: of the linked pairs judged copy or template, the share whose kind is
  right (a pair is a template when all its passages are);
* ``titles_dropped`` and ``real_kept``: titles-only pairs no longer linked, real pairs kept.

    python eval/reuse_kinds_eval.py [--db STORE] [--records N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LABELS = HERE / "reuse" / "snn_pairs.jsonl"
RECORDS = 5000


def snn_path() -> Path:
    base = Path(os.environ.get("MARSAD_SHARED_DATA", "/work/shared/data"))
    return Path(os.environ.get("MARSAD_SAUDINEWSNET") or base / "news" / "saudinewsnet.jsonl.gz")


def load_labels() -> list[dict[str, Any]]:
    return [json.loads(line) for line in LABELS.read_text("utf-8").splitlines() if line]


def build_store(folder: Path, records: int = RECORDS) -> Path:
    """The first ``records`` SaudiNewsNet records through ingest, clean and reuse."""
    corpus = folder / "snn.jsonl"
    with gzip.open(snn_path(), "rt", encoding="utf-8") as f, corpus.open("w") as out:
        for k, line in enumerate(f):
            if k >= records:
                break
            r = json.loads(line)
            row = {
                "idx": r["idx"],
                "source": r["source"],
                "date": r["date_extracted"].replace(" ", "T"),
                "title": r["title"],
                "content": r["content"],
                "url": r["url"],
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    db = folder / "marsad.db"
    src = HERE.parent / "src"
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    command = [sys.executable, "-m", "marsad", "analyze", str(corpus), "--db", str(db)]
    for stage in ("ingest", "clean", "reuse"):
        command += ["--only", stage]
    subprocess.run(command, check=True, env=env, capture_output=True)
    return db


def system_pairs(db: Path) -> dict[tuple[int, int], str]:
    """``{(idx_a, idx_b): kind}`` of every linked pair (copy when any passage is a copy)."""
    conn = sqlite3.connect(db)
    idx = {
        row[0]: int(row[1].rsplit("#L", 1)[1]) - 1
        for row in conn.execute("SELECT id, source FROM documents")
    }
    out: dict[tuple[int, int], str] = {}
    for a, b, kind in conn.execute("SELECT article_a, article_b, kind FROM reuse_passages"):
        x, y = sorted((idx[a], idx[b]))
        if out.get((x, y)) != "copy":
            out[(x, y)] = kind
    conn.close()
    return out


def score(labels: list[dict[str, Any]], found: dict[tuple[int, int], str]) -> dict[str, Any]:
    linked = [r for r in labels if (r["idx_a"], r["idx_b"]) in found]
    real = [r for r in linked if r["label"] != "titles_only"]
    kinds = [r for r in linked if r["label"] in ("copy", "template")]
    right = [r for r in kinds if found[(r["idx_a"], r["idx_b"])] == r["label"]]
    titles = [r for r in labels if r["label"] == "titles_only"]
    reals = [r for r in labels if r["label"] != "titles_only"]
    return {
        "pairs": len(labels),
        "linked": len(linked),
        "real_share": round(len(real) / max(len(linked), 1), 3),
        "kind_accuracy": round(len(right) / max(len(kinds), 1), 3),
        "titles_dropped": round(
            sum((r["idx_a"], r["idx_b"]) not in found for r in titles) / max(len(titles), 1), 3
        ),
        "real_kept": round(
            sum((r["idx_a"], r["idx_b"]) in found for r in reals) / max(len(reals), 1), 3
        ),
        "wrong": [
            (r["n"], r["label"], found[(r["idx_a"], r["idx_b"])]) for r in kinds if r not in right
        ],
        "titles_linked": [r["n"] for r in linked if r["label"] == "titles_only"],
    }


def evaluate(db: Path | None = None) -> dict[str, dict[str, Any]]:
    labels = load_labels()
    if db is None:
        with tempfile.TemporaryDirectory() as tmp:
            found = system_pairs(build_store(Path(tmp)))
    else:
        found = system_pairs(db)
    return {
        split: score([r for r in labels if split == "all" or r["split"] == split], found)
        for split in ("dev", "heldout", "all")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a store already analysed (default: build one)")
    args = parser.parse_args()
    for split, figures in evaluate(args.db).items():
        print(split, json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
