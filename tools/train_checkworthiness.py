"""Train the check-worthiness model on CheckThat! 2022 Arabic task 1A (needs scikit-learn, scipy).

    python tools/train_checkworthiness.py [--data DIR] [--out PATH] [--hash-bits 18]
                                          [--c-grid 0.5,1,2,4,8,16] [--class-weight balanced]

Arguments:

* ``--data``: folder with ``CT22_arabic_1A_checkworthy_{train,dev,dev_test}.tsv`` (default
  ``../shared/data/claims/checkthat22_arabic/task1`` beside the repository, or
  ``$MARSAD_SHARED_DATA/claims/checkthat22_arabic/task1``). Read in place, never copied.
* ``--out``: model file to write (default ``src/marsad/data/models/checkworthiness.npz``).
* ``--hash-bits``: hashed feature slots are ``2**hash_bits`` (default 18).
* ``--c-grid``: inverse regularisation strengths to try (comma-separated).
* ``--class-weight``: ``balanced`` or ``none``.

Procedure (deterministic: liblinear, fixed fold seed): train and dev are pooled (dev alone,
235 tweets, gives a noisy threshold). For each C, 5-fold stratified cross-validation gives an
out-of-fold probability for every pooled tweet; the threshold that maximises positive-class F1
over those is found, and the C with the best F1 kept (ties: the smaller C). A logistic
regression with that C is then fitted on all of train + dev and saved with that threshold.
dev_test is scored once at the end and written into the metadata; it is never used for a
choice.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.claims.checkworthiness import (  # noqa: E402
    DEFAULT_HASH_BITS,
    CheckworthinessModel,
    featurize,
    n_features,
    positive_class_scores,
)

SHARED_DATA = Path(os.environ.get("MARSAD_SHARED_DATA", ROOT.parent / "shared" / "data"))
DEFAULT_DATA = SHARED_DATA / "claims" / "checkthat22_arabic" / "task1"
DEFAULT_OUT = ROOT / "src" / "marsad" / "data" / "models" / "checkworthiness.npz"
FILE_PATTERN = "CT22_arabic_1A_checkworthy_{split}.tsv"
DEFAULT_C_GRID = "0.25,0.5,1,2,4"
FOLDS = 5
SEED = 0
MAX_ITER = 1000


def load_split(data: Path, split: str) -> tuple[list[str], np.ndarray]:
    """Texts and 0/1 labels of one labelled split."""
    path = data / FILE_PATTERN.format(split=split)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [row["tweet_text"] for row in rows], np.array([int(r["class_label"]) for r in rows])


def matrix(texts: list[str], hash_bits: int) -> csr_matrix:
    rows, cols, values = featurize(texts, hash_bits)
    return csr_matrix((values, (rows, cols)), shape=(len(texts), n_features(hash_bits)))


def best_threshold(labels: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    """Threshold (midpoint between adjacent scores) with the best positive-class F1."""
    ordered = np.unique(scores)
    candidates = np.concatenate(([0.0], (ordered[:-1] + ordered[1:]) / 2))
    best = (0.5, -1.0)
    for threshold in candidates:
        f1 = positive_class_scores(labels, scores >= threshold)["f1"]
        if f1 > best[1] + 1e-12:
            best = (float(threshold), f1)
    return best


def fit(x: csr_matrix, y: np.ndarray, c: float, class_weight: str | None) -> LogisticRegression:
    model = LogisticRegression(
        C=c, solver="liblinear", class_weight=class_weight, max_iter=MAX_ITER, random_state=SEED
    )
    return model.fit(x, y)


def out_of_fold(x: csr_matrix, y: np.ndarray, c: float, class_weight: str | None) -> np.ndarray:
    """Out-of-fold probabilities from stratified K-fold (fixed seed)."""
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=SEED)
    scores = np.zeros(len(y))
    for fit_rows, held_rows in folds.split(x, y):
        model = fit(x[fit_rows], y[fit_rows], c, class_weight)
        scores[held_rows] = model.predict_proba(x[held_rows])[:, 1]
    return scores


def select(args: argparse.Namespace) -> tuple[CheckworthinessModel, dict[str, Any]]:
    """Choose C and the threshold by cross-validation on train + dev; refit on both."""
    train_x, train_y = load_split(args.data, "train")
    dev_x, dev_y = load_split(args.data, "dev")
    texts, labels = train_x + dev_x, np.concatenate((train_y, dev_y))
    x = matrix(texts, args.hash_bits)
    class_weight = None if args.class_weight == "none" else args.class_weight
    best: tuple[float, float, float] | None = None
    log: list[dict[str, float]] = []
    for c in (float(v) for v in args.c_grid.split(",")):
        threshold, f1 = best_threshold(labels, out_of_fold(x, labels, c, class_weight))
        log.append({"C": c, "cv_f1": round(f1, 4), "threshold": round(threshold, 4)})
        print(f"C={c:<6g} {FOLDS}-fold F1={f1:.4f} threshold={threshold:.3f}", flush=True)
        if best is None or f1 > best[1] + 1e-12:
            best = (c, f1, threshold)
    assert best is not None
    c, cv_f1, threshold = best
    chosen = fit(x, labels, c, class_weight)
    result = CheckworthinessModel(
        weights=chosen.coef_[0].astype(np.float32),
        bias=float(chosen.intercept_[0]),
        threshold=threshold,
        hash_bits=args.hash_bits,
    )
    info = {"C": c, "cv_f1": round(cv_f1, 4), "grid": log, "train_size": len(texts)}
    return result, info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--hash-bits", type=int, default=DEFAULT_HASH_BITS)
    parser.add_argument("--c-grid", default=DEFAULT_C_GRID)
    parser.add_argument("--class-weight", default="balanced", choices=["balanced", "none"])
    args = parser.parse_args(argv)
    started = time.perf_counter()
    model, info = select(args)
    test_x, test_y = load_split(args.data, "dev_test")
    dev_test = positive_class_scores(test_y, model.predict(test_x))
    seconds = time.perf_counter() - started
    model.metadata = {
        "data": "CheckThat! 2022 Arabic task 1A (CT22_arabic_1A_checkworthy_*.tsv)",
        "trained_on": "train+dev",
        "selected_on": f"{FOLDS}-fold cross-validation on train+dev",
        "class_weight": args.class_weight,
        "selection": info,
        "dev_test": {k: round(v, 4) for k, v in dev_test.items()},
        "training_seconds": round(seconds, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    print(f"chosen C={info['C']} threshold={model.threshold:.4f} CV F1={info['cv_f1']}")
    print("dev_test " + " ".join(f"{k}={v:.4f}" for k, v in dev_test.items()))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB) in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
