"""Check-worthiness on CheckThat! 2022 Arabic task 1A dev_test (a packaged model).

    python eval/checkworthiness_eval.py [--name default|e5] [--model PATH] [--data DIR]
                                        [--split dev_test|dev] [--json]

Prints positive-class precision, recall and F1 (the task's official measure) and accuracy at
the model's tuned threshold, ROC AUC of the raw score, the all-"worth checking" baseline, and
scoring speed (claims per CPU second, features included; for a model with embeddings, on the
first :data:`EMBEDDING_SPEED_SAMPLE` texts once, as embedding is slow). Run with
``OMP_NUM_THREADS=1`` for one-core figures (CPU time is counted over all threads anyway).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from marsad.claims.checkworthiness import MODEL_FILES, CheckworthinessModel, positive_class_scores

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("MARSAD_SHARED_DATA", ROOT.parent / "shared" / "data"))
DEFAULT_DATA = SHARED_DATA / "claims" / "checkthat22_arabic" / "task1"
SPLIT_FILE = "CT22_arabic_1A_checkworthy_{split}.tsv"
SPEED_REPEATS = 5
EMBEDDING_SPEED_SAMPLE = 64


def load_split(data: Path, split: str) -> tuple[list[str], np.ndarray]:
    """Tweet texts and 0/1 labels of a labelled split."""
    with (data / SPLIT_FILE.format(split=split)).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [r["tweet_text"] for r in rows], np.array([int(r["class_label"]) for r in rows])


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney, ties counted half)."""
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    for start, count in zip(first, counts, strict=True):
        ranks[order[start : start + count]] = start + (count + 1) / 2
    positives = int(np.sum(labels == 1))
    negatives = len(labels) - positives
    return float((ranks[labels == 1].sum() - positives * (positives + 1) / 2)
                 / (positives * negatives))  # fmt: skip


def evaluate(
    data: Path = DEFAULT_DATA,
    model_path: Path | None = None,
    name: str = "default",
    split: str = "dev_test",
) -> dict[str, Any]:
    """Metrics of the model on ``split``, plus the all-positive baseline and speed."""
    model = CheckworthinessModel.load(model_path, name=name)
    texts, labels = load_split(data, split)
    scores = model.score(texts)
    sample, repeats = texts, SPEED_REPEATS
    if model.embedding_weights is not None:
        sample, repeats = texts[:EMBEDDING_SPEED_SAMPLE], 1
    started = time.process_time()  # CPU time: steadier than wall time on a shared machine
    for _ in range(repeats):
        model.score(sample)
    seconds = (time.process_time() - started) / repeats
    return {
        "split": split,
        "size": len(texts),
        "threshold": model.threshold,
        "model": positive_class_scores(labels, scores >= model.threshold),
        "roc_auc": roc_auc(labels, scores),
        "all_positive_baseline": positive_class_scores(labels, np.ones(len(labels), dtype=bool)),
        "claims_per_second": len(sample) / seconds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", type=Path, default=None, help="a model file")
    parser.add_argument("--name", default="default", choices=sorted(MODEL_FILES))
    parser.add_argument("--split", default="dev_test", choices=["dev_test", "dev"])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = evaluate(args.data, args.model, args.name, args.split)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['split']}: {result['size']} tweets, threshold {result['threshold']:.4f}")
    for name in ("model", "all_positive_baseline"):
        row = result[name]
        print(f"{name:22} P={row['precision']:.4f} R={row['recall']:.4f} "
              f"F1(pos)={row['f1']:.4f} acc={row['accuracy']:.4f}")  # fmt: skip
    print(f"ROC AUC {result['roc_auc']:.4f}; {result['claims_per_second']:.0f} claims/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
