"""Text-reuse accuracy on synthetic corpora with planted passages (see benchmarks/reuse_corpus.py).

    python eval/reuse_eval.py [--docs 1000] [--edits 0,0.1,0.2,0.3] [--no-reorder]

For each edit level: pair precision (against every pair that truly shares a passage), pair
recall (of the planted source -> copy pairs), mean span IoU of the aligned passages (both
sides), and direction accuracy, for Marsad and for a plain baseline (rensa MinHash-LSH on whole
documents, word 3-gram shingles, 128 permutations, threshold 0.5; its spans are whole texts).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from marsad.config import load_config  # noqa: E402
from marsad.normalize import words  # noqa: E402
from marsad.pipeline import analyze  # noqa: E402
from marsad.store import Store  # noqa: E402
from reuse_corpus import DEFAULT_DATA, Corpus, build, load_sentences, write  # noqa: E402

RESULTS = ROOT / "eval" / "results"
Pair = tuple[str, str]


@dataclass
class Scores:
    precision: float
    recall: float
    iou: float
    direction: float
    detected: int
    seconds: float

    def row(self) -> str:
        return (
            f"{self.precision:.3f} | {self.recall:.3f} | {self.iou:.3f} | "
            f"{self.direction:.3f} | {self.detected}"
        )


def _key(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def _iou(got: tuple[int, int], want: list[int]) -> float:
    inter = max(0, min(got[1], want[1]) - max(got[0], want[0]))
    union = max(got[1], want[1]) - min(got[0], want[0])
    return inter / union if union else 0.0


def score(
    detected: dict[Pair, dict[str, Any]], truth: list[dict[str, Any]], seconds: float
) -> Scores:
    """``detected`` maps a key pair to {spans: {key: (start, end)}, source: key or None}."""
    all_true = {_key(t["a"], t["b"]) for t in truth}
    direct = {_key(t["a"], t["b"]): t for t in truth if t["kind"] == "direct"}
    hits = [p for p in detected if p in all_true]
    found = [p for p in direct if p in detected]
    ious, right = [], 0
    for pair in found:
        t, d = direct[pair], detected[pair]
        ious.append(
            (_iou(d["spans"][t["a"]], t["span_a"]) + _iou(d["spans"][t["b"]], t["span_b"])) / 2
        )
        right += d["source"] == t["source"]
    return Scores(
        precision=len(hits) / len(detected) if detected else 1.0,
        recall=len(found) / len(direct) if direct else 1.0,
        iou=sum(ious) / len(ious) if ious else 0.0,
        direction=right / len(found) if found else 0.0,
        detected=len(detected),
        seconds=round(seconds, 1),
    )


def run_marsad(
    corpus_path: Path, folder: Path, texts: dict[str, str]
) -> tuple[dict[Pair, dict[str, Any]], float, int]:
    config = load_config(overrides={"store.path": str(folder / "eval.db")})
    started = time.perf_counter()
    with Store(config.store.path) as store:
        analyze([str(corpus_path)], config, store, lambda line: None)
        seconds = time.perf_counter() - started
        keys = {r["id"]: r["url"].rsplit("/", 1)[1] for r in store.documents.iter_articles()}
        stored = {keys[r["id"]]: r["text"] for r in store.documents.iter_articles()}
        passages = list(store.reuse.iter_reuse())
    changed = sum(1 for k, t in texts.items() if stored.get(k) != t)
    detected: dict[Pair, dict[str, Any]] = {}
    for p in passages:
        ka, kb = keys[p["article_a"]], keys[p["article_b"]]
        entry = detected.setdefault(_key(ka, kb), {"spans": {}, "source": None})
        for k, s, e in ((ka, p["a_start"], p["a_end"]), (kb, p["b_start"], p["b_end"])):
            old = entry["spans"].get(k)
            entry["spans"][k] = (s, e) if old is None else (min(old[0], s), max(old[1], e))
        if p["direction"] != "unknown":
            entry["source"] = ka if p["direction"] == "a->b" else kb
    return detected, seconds, changed


def run_baseline(corpus: Corpus) -> tuple[dict[Pair, dict[str, Any]], float]:
    from rensa import RMinHash, RMinHashLSH

    started = time.perf_counter()
    lsh = RMinHashLSH(threshold=0.5, num_perm=128, num_bands=16)
    hashes = {}
    for i, doc in enumerate(corpus.docs):
        tokens = words(doc.text())
        m = RMinHash(num_perm=128, seed=42)
        m.update([" ".join(tokens[k : k + 3]) for k in range(max(1, len(tokens) - 2))])
        hashes[i] = m
        lsh.insert(i, m)
    detected: dict[Pair, dict[str, Any]] = {}
    for i, m in hashes.items():
        for j in lsh.query(m):
            if j > i and m.jaccard(hashes[j]) >= 0.5:
                a, b = corpus.docs[i], corpus.docs[j]
                detected[_key(a.key, b.key)] = {
                    "spans": {a.key: (0, len(a.text())), b.key: (0, len(b.text()))},
                    "source": (a if a.day <= b.day else b).key,
                }
    return detected, time.perf_counter() - started


def evaluate(
    docs: int, edits: list[float], reorder: bool, seed: int = 7, data: Path = DEFAULT_DATA
) -> list[dict[str, Any]]:
    pool = load_sentences(data, limit=docs * 12 + 20000)
    rows = []
    for edit in edits:
        corpus = build(pool, docs, edit, reorder, seed)
        with tempfile.TemporaryDirectory(prefix="marsad-eval-") as tmp:
            corpus_path, _ = write(corpus, Path(tmp))
            texts = {d.key: d.text() for d in corpus.docs}
            detected, seconds, changed = run_marsad(corpus_path, Path(tmp), texts)
        ours = score(detected, corpus.truth, seconds)
        base_detected, base_seconds = run_baseline(corpus)
        base = score(base_detected, corpus.truth, base_seconds)
        rows.append(
            {
                "edit": edit,
                "reorder": reorder,
                "docs": docs,
                "true_direct": sum(1 for t in corpus.truth if t["kind"] == "direct"),
                "texts_changed_by_cleaning": changed,
                "marsad": ours.__dict__,
                "baseline": base.__dict__,
            }
        )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| edit | system | precision | recall | span IoU | direction | pairs found |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        for system in ("marsad", "baseline"):
            s = Scores(**r[system])
            lines.append(f"| {r['edit']:.0%} | {system} | {s.row()} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--edits", default="0,0.1,0.2,0.3")
    parser.add_argument("--no-reorder", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = evaluate(
        args.docs, [float(e) for e in args.edits.split(",")], not args.no_reorder, args.seed
    )
    print(table(rows))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "reuse.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
