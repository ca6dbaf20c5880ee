"""Train the learned parts of attribution: the source tagger (a CRF) and the source-type
classifier (needs scikit-learn for the classifier: ``pip install -e .[train]``).

    python tools/train_attribution.py [--folds 5] [--crf-grid 0.05:0.01,0.1:0.05,0.5:0.01]
                                      [--c-grid 0.3,1,3,10] [--project-weight 0.5]
                                      [--part tagger|typer|both] [--dry-run]

Training data, read in place (nothing is copied into the repository):

* the **dev** part of the project's real attribution sets (``eval/attribution/real_*.jsonl``:
  offsets into ``arabic_fc_stance`` pages, SaudiNewsNet articles and ArMPro paragraphs under
  ``../shared/data`` or ``$MARSAD_SHARED_DATA``);
* the project-written sentences and the SaudiNewsNet claims of the first set
  (``claims_project.jsonl``, ``claims_snn_offsets.jsonl``; weighted ``--project-weight`` in the
  classifier).

The **held-out** parts (``split: heldout`` of the real sets, ``claims_heldout.jsonl``) are never
read here.

Procedure (deterministic): the texts are split and attributed by the rules as the claims stage
does (:func:`marsad.claims.attribution.attribute_all`); each annotated claim is matched to the
claim unit that overlaps it most.

1. **Tagger.** Each matched unit the tagger reads (:func:`marsad.claims.source_tagger.
   worth_tagging`) is one sequence: its tokens' features and the annotated source and cue as
   ``B-/I-SRC``, ``B-/I-CUE`` labels (a source named outside the unit is not labelled). For each
   ``c1:c2`` of ``--crf-grid`` a CRF (CRFsuite, L-BFGS, 200 iterations) is trained in a
   document-grouped ``--folds``-fold cross-validation over the real dev units (project units
   always train); the units read right (source span Jaccard >= 0.5, or no source where none is
   annotated in the unit) decide the pair, which is trained on everything.
2. **Classifier.** The texts are attributed again with the new tagger; each annotated claim
   whose unit the classifier types (not continuations or open quotations) is one example of
   :func:`marsad.claims.typer.features` and the annotated type. A multinomial logistic
   regression (lbfgs, L2) is cross-validated the same way for each ``C`` of ``--c-grid``; the
   best is refitted on everything.

Both files are written to ``src/marsad/data/models`` with their cross-validated figures (in
the classifier's ``meta``; the tagger's are printed and go into the model card).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pycrfsuite
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "eval" / "attribution"))

from load import load_all, load_real  # noqa: E402

from marsad.actors.gazetteer import load_gazetteer  # noqa: E402
from marsad.claims import source_tagger as tagger  # noqa: E402
from marsad.claims.attribution import Attribution, attribute_all  # noqa: E402
from marsad.claims.split import split_claims  # noqa: E402
from marsad.claims.typer import (  # noqa: E402
    INHERITED,
    MODEL_FILE,
    NO_SPEAKER_TYPES,
    SPEAKER_TYPES,
    features,
)
from marsad.segment import segment  # noqa: E402

MODELS = ROOT / "src" / "marsad" / "data" / "models"
WEIGHT_DECIMALS = 4


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def examples(
    items: list[dict[str, Any]], gazetteer: Any, refine: Any = None
) -> list[dict[str, Any]]:
    """One example per annotated claim whose matched unit the classifier types."""
    cache: dict[str, list[tuple[tuple[int, int], Attribution]]] = {}
    out = []
    for item in items:
        text = item["text"]
        if text not in cache:
            spans = [u.span for u in split_claims(text, segment(text))]
            cache[text] = list(zip(spans, attribute_all(text, spans, refine), strict=True))
        units = cache[text]
        if not units:
            continue
        claim = tuple(item["claim"])
        _, found = max(units, key=lambda u: _overlap(u[0], claim))  # type: ignore[arg-type]
        if found.pattern in INHERITED or found.carried_over:
            continue
        out.append(
            {
                "features": features(found, gazetteer),
                "gold": item["source_type"],
                "rule": found.source_type,
                "has_source": found.source is not None,
                "group": _group(item),
                "real": item.get("corpus") is not None,
            }
        )
    return out


def _predict(
    model: LogisticRegression, vec: DictVectorizer, rows: list[dict[str, Any]]
) -> list[str]:
    X = vec.transform([{f: 1.0 for f in r["features"]} for r in rows])
    scores = model.decision_function(X)
    classes = list(model.classes_)
    out = []
    for row, score in zip(rows, scores, strict=True):
        allowed = SPEAKER_TYPES if row["has_source"] else NO_SPEAKER_TYPES
        ks = [k for k, c in enumerate(classes) if c in allowed]
        out.append(classes[max(ks, key=lambda k: score[k])])
    return out


def fit(
    rows: list[dict[str, Any]], c: float, project_weight: float
) -> tuple[LogisticRegression, DictVectorizer]:
    vec = DictVectorizer()
    X = vec.fit_transform([{f: 1.0 for f in r["features"]} for r in rows])
    y = [r["gold"] for r in rows]
    w = np.array([1.0 if r["real"] else project_weight for r in rows])
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit(X, y, sample_weight=w)
    return model, vec


def cross_validate(
    rows: list[dict[str, Any]], c: float, folds: int, project_weight: float
) -> tuple[float, float, int]:
    real = [r for r in rows if r["real"]]
    project = [r for r in rows if not r["real"]]
    groups = [r["group"] for r in real]
    right = rule_right = 0
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(real, groups=groups):
        train = [real[i] for i in train_idx] + project
        test = [real[i] for i in test_idx]
        model, vec = fit(train, c, project_weight)
        for row, kind in zip(test, _predict(model, vec, test), strict=True):
            right += kind == row["gold"]
            rule_right += row["rule"] == row["gold"]
    return right / len(real), rule_right / len(real), len(real)


def tagger_examples(items: list[dict[str, Any]], gazetteer: Any) -> list[dict[str, Any]]:
    """One tagging example per claim unit matched by an annotated claim (the first claim
    of a unit labels it)."""
    cache: dict[str, list[tuple[tuple[int, int], Attribution]]] = {}
    seen: set[tuple[str, tuple[int, int]]] = set()
    out = []
    for item in items:
        text = item["text"]
        if text not in cache:
            spans = [u.span for u in split_claims(text, segment(text))]
            cache[text] = list(zip(spans, attribute_all(text, spans), strict=True))
        units = cache[text]
        if not units:
            continue
        claim = tuple(item["claim"])
        span, found = max(units, key=lambda u: _overlap(u[0], claim))  # type: ignore[arg-type]
        key = (hashlib.sha1(text.encode()).hexdigest(), span)
        if key in seen or not tagger.worth_tagging(text, span, found):
            continue
        seen.add(key)
        toks = tagger.tokens(text, span)
        lo, hi = tagger.window(toks, found)
        toks = toks[lo:hi]
        if not toks:
            continue
        source = tuple(item["source"]) if item.get("source") else None
        cue = tuple(item["verb"]) if item.get("verb") else None
        out.append(
            {
                "text": text,
                "span": span,
                "found": found,
                "toks": toks,
                "features": tagger.features(text, toks, found, gazetteer),
                "tags": tagger.gold_tags(toks, source, cue),
                "source": source,
                "group": _group(item),
                "real": item.get("corpus") is not None,
            }
        )
    return out


def _group(item: dict[str, Any]) -> str:
    doc = item.get("doc", hashlib.sha1(item["text"].encode()).hexdigest()[:10])
    return f"{item.get('corpus', 'project')}:{doc}"


def _jaccard(a: tuple[int, int] | None, b: tuple[int, int] | None) -> float:
    if a is None or b is None:
        return 0.0
    inter = _overlap(a, b)
    return inter / ((a[1] - a[0]) + (b[1] - b[0]) - inter)


def train_tagger(rows: list[dict[str, Any]], c1: float, c2: float, path: Path) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for row in rows:
        trainer.append(row["features"], row["tags"])
    trainer.set_params(
        {"c1": c1, "c2": c2, "max_iterations": 200, "feature.possible_transitions": True}
    )
    trainer.train(str(path))


def score_tagger(model: Any, rows: list[dict[str, Any]], gazetteer: Any) -> Counter[str]:
    """Right sources (Jaccard >= 0.5, or none where none is annotated in the unit), rules
    against rules + tagger."""
    out: Counter[str] = Counter()
    for row in rows:
        refined = model.refine(row["text"], row["span"], row["found"], gazetteer)
        for name, found in (("rules", row["found"]), ("tagger", refined)):
            own = None if found.carried_over else found.source_span
            if row["source"] is None:
                out[f"{name} none right"] += own is None
            else:
                out[f"{name} source right"] += _jaccard(own, row["source"]) >= 0.5
        out["with source"] += row["source"] is not None
        out["without source"] += row["source"] is None
    return out


def cross_validate_tagger(
    rows: list[dict[str, Any]], c1: float, c2: float, folds: int, gazetteer: Any
) -> Counter[str]:
    real = [r for r in rows if r["real"]]
    project = [r for r in rows if not r["real"]]
    total: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fold.crfsuite"
        for train_idx, test_idx in GroupKFold(n_splits=folds).split(
            real, groups=[r["group"] for r in real]
        ):
            train_tagger([real[i] for i in train_idx] + project, c1, c2, path)
            model = tagger.read_tagger(path)
            total += score_tagger(model, [real[i] for i in test_idx], gazetteer)
    return total


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--models", type=Path, default=MODELS, help="folder to write to")
    parser.add_argument("--c-grid", default="0.3,1,3,10")
    parser.add_argument("--crf-grid", default="0.05:0.01,0.1:0.05,0.5:0.01")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--project-weight", type=float, default=0.5)
    parser.add_argument("--part", choices=("tagger", "typer", "both"), default="both")
    parser.add_argument("--dry-run", action="store_true", help="cross-validate only")
    args = parser.parse_args()
    started = time.time()
    real = load_real("dev")
    if not real:
        print("the real attribution sets need ../shared/data (or $MARSAD_SHARED_DATA)")
        return 1
    tuned, _ = load_all()
    gazetteer = load_gazetteer()
    tagger_path = args.models / tagger.MODEL_FILE
    if args.part in ("tagger", "both"):
        rows = tagger_examples(real, gazetteer) + tagger_examples(tuned, gazetteer)
        print(f"tagger: {len(rows)} units ({sum(r['real'] for r in rows)} real dev)")
        best: tuple[int, float, float] | None = None
        for pair in args.crf_grid.split(","):
            c1, c2 = (float(x) for x in pair.split(":"))
            got = cross_validate_tagger(rows, c1, c2, args.folds, gazetteer)
            right = got["tagger source right"] + got["tagger none right"]
            print(
                f"c1={c1:g} c2={c2:g}: units read right {right}/"
                f"{got['with source'] + got['without source']} (rules "
                f"{got['rules source right'] + got['rules none right']}); sources "
                f"{got['tagger source right']}/{got['with source']} (rules "
                f"{got['rules source right']}), no source {got['tagger none right']}/"
                f"{got['without source']} (rules {got['rules none right']})"
            )
            if best is None or right > best[0]:
                best = (right, c1, c2)
        assert best is not None
        if not args.dry_run:
            train_tagger(rows, best[1], best[2], tagger_path)
            print(f"wrote {tagger_path} (c1={best[1]:g} c2={best[2]:g})")
    if args.part == "tagger":
        return 0
    refine = None
    if tagger_path.is_file():
        model = tagger.read_tagger(tagger_path)

        def refine(text: str, span: tuple[int, int], found: Attribution) -> Attribution:
            return model.refine(text, span, found, gazetteer)

    rows = examples(real, gazetteer, refine) + examples(tuned, gazetteer, refine)
    print(
        f"classifier: {len(rows)} examples ({sum(r['real'] for r in rows)} real dev), "
        f"types {dict(Counter(r['gold'] for r in rows))}"
    )
    results = []
    for c in (float(x) for x in args.c_grid.split(",")):
        acc, rule_acc, n = cross_validate(rows, c, args.folds, args.project_weight)
        results.append((acc, -c, c))
        print(f"C={c:g}: cross-validated type accuracy {acc:.3f} (rules {rule_acc:.3f}) over {n}")
    best_acc, _, best_c = max(results)
    if args.dry_run:
        return 0
    classifier, vec = fit(rows, best_c, args.project_weight)
    names = vec.get_feature_names_out()
    coef = classifier.coef_.T  # features x classes
    weights = {
        str(name): [round(float(w), WEIGHT_DECIMALS) for w in coef[k]]
        for k, name in enumerate(names)
        if np.abs(coef[k]).max() >= 10**-WEIGHT_DECIMALS
    }
    data = {
        "classes": [str(c) for c in classifier.classes_],
        "bias": [round(float(b), WEIGHT_DECIMALS) for b in classifier.intercept_],
        "weights": dict(sorted(weights.items())),
        "meta": {
            "trained_on": "real dev attribution sets + project sets (eval/attribution)",
            "examples": len(rows),
            "real_dev_examples": sum(r["real"] for r in rows),
            "C": best_c,
            "project_weight": args.project_weight,
            "cv_folds": args.folds,
            "cv_type_accuracy": round(best_acc, 4),
            "seconds": round(time.time() - started, 1),
        },
    }
    out = args.models / MODEL_FILE
    out.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(weights)} features, C={best_c:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
