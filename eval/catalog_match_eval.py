"""Catalogue matching on real war news: the arabic_fc_stance development claims as a catalogue.

    python eval/catalog_match_eval.py [--json] [--fresh] [--scan]

The 254 development claims of the Arabic Fact-Checking and Stance corpus (Baly et al. 2018,
read in place from ``../shared/data/claims/arabic_fc_stance``) are made into two catalogues:
the Arabic claims, and their English renderings (``dev_claims_en.jsonl``). Every distinct page
of the development folds is written as a ``.txt`` file and both catalogues are matched against
all pages by ``marsad analyze --catalog`` itself (default settings, thresholds switched off so
every scored pair is kept; the store is cached in ``$MARSAD_EVAL_CACHE/fcstance`` and reused,
``--fresh`` starts it again). The thresholds in force are applied afterwards.

Reported per split (``dev``: Fold_1 + Fold_2, where anything is tuned; ``held_out``: Fold_3,
looked at for the chosen settings only; ``all``):

* pair precision and recall: a labelled (page, claim) pair is positive when the page agrees
  with, disputes or discusses the claim, negative when it is unrelated (a hard negative: the
  page was retrieved by a search for the claim). A pair is predicted when the stage stored a
  match at or above the threshold;
* Success@1 and @10 per page: of the pages with a positive claim, the share whose positive
  claim is among the 1 / 10 best-scored entries of the whole catalogue for that page;
* stance of the matches (``agree`` repeats the claim, ``disagree`` disputes it, ``discuss``
  reports it without taking a side) against the labels: macro-F1 over the three classes, on
  the positive pairs the stage matched, and on all positive pairs (stance of the best claim).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import shutil
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.config import load_config  # noqa: E402
from marsad.narratives.catalog import read_catalog  # noqa: E402
from marsad.narratives.similarity import is_cross_script  # noqa: E402
from marsad.pipeline import analyze  # noqa: E402
from marsad.store import Store  # noqa: E402

DATA = Path(os.environ.get("MARSAD_SHARED_DATA", ROOT.parent / "shared" / "data"))
FOLDER = DATA / "claims" / "arabic_fc_stance"
PAIRS = FOLDER / "dev.jsonl.gz"
ENGLISH = FOLDER / "dev_claims_en.jsonl"
CACHE = Path(os.environ.get("MARSAD_EVAL_CACHE", Path.home() / ".cache" / "marsad" / "eval"))
WORK = CACHE / "fcstance"
POSITIVE = ("agree", "disagree", "discuss")
SPLITS = {
    "dev": ("Fold_1", "Fold_2"),
    "held_out": ("Fold_3",),
    "all": ("Fold_1", "Fold_2", "Fold_3"),
}


def page_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_pairs() -> list[dict[str, Any]]:
    """The labelled (claim, page) pairs: claim id and text, fold, stance, page key."""
    pairs = []
    with gzip.open(PAIRS, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            pairs.append(
                {
                    "claim_id": row["claim_id"],
                    "claim": row["claim"],
                    "fold": row["fold"],
                    "stance": row["stance"],
                    "page": page_key(row["text"]),
                    "text": row["text"],
                }
            )
    return pairs


def write_inputs(pairs: list[dict[str, Any]], folder: Path) -> tuple[Path, Path, Path]:
    """Pages as ``<key>.txt`` and the two catalogues as JSON Lines under ``folder``."""
    pages = folder / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    for pair in pairs:
        path = pages / f"{pair['page']}.txt"
        if not path.exists():
            path.write_text(pair["text"], encoding="utf-8")
    claims = {p["claim_id"]: p["claim"] for p in pairs}
    arabic = folder / "fc_ar.jsonl"
    with arabic.open("w", encoding="utf-8") as out:
        for cid, text in sorted(claims.items()):
            out.write(json.dumps({"id": cid, "title": text, "language": "ar"}, ensure_ascii=False))
            out.write("\n")
    english = folder / "fc_en.jsonl"
    with english.open("w", encoding="utf-8") as out, ENGLISH.open(encoding="utf-8") as src:
        for line in src:
            row = json.loads(line)
            out.write(json.dumps({"id": row["claim_id"], "title": row["en"], "language": "en"}))
            out.write("\n")
    return pages, arabic, english


def run_pipeline(
    pairs: list[dict[str, Any]], fresh: bool = False, names: tuple[str, ...] = ("fc_ar", "fc_en")
) -> dict[str, Any]:
    """``marsad analyze`` over the pages with both catalogues (thresholds off); the stored
    matches: ``{catalog: {page: {entry: (score, same_script, stance)}}}``."""
    if fresh and WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True, exist_ok=True)
    pages, arabic, english = write_inputs(pairs, WORK)
    config = load_config(
        env={},
        overrides={
            "store.path": str(WORK / "fc.db"),
            "reuse.enabled": False,
            "narratives.enabled": False,
            "narratives.catalog_threshold": -10.0,
            "narratives.catalog_threshold_same_language": -10.0,
            "pipeline.workers": 2,
        },
    )
    files = {"fc_ar": arabic, "fc_en": english}
    catalogs = [read_catalog(files[name], name=name) for name in names]
    entry_text = {(c.name, e.id): e.text for c in catalogs for e in c.entries}
    with Store(config.store.path) as store:
        analyze(
            [str(pages)],
            config,
            store,
            lambda line: print(line, file=sys.stderr),
            catalogs=catalogs,
        )
        sources = {
            row[0]: Path(row[1]).stem
            for row in store.conn.execute("SELECT id, source FROM documents")
        }
        texts = store.narratives.claim_texts()
        found: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in names}
        for row in store.narratives.iter_catalog_matches():
            if row["catalog"] not in found:
                continue
            claim = texts.get(row["claim_id"]) or ""
            same = not is_cross_script(entry_text[(row["catalog"], row["entry_id"])], claim)
            page = sources[row["article_id"]]
            found[row["catalog"]].setdefault(page, {})[row["entry_id"]] = (
                float(row["score"]),
                same,
                row.get("stance"),
            )
    return found


def threshold_of(config: Any, same_script: bool) -> float:
    n = config.narratives
    return float(n.catalog_threshold_same_language if same_script else n.catalog_threshold)


def score_split(
    pairs: list[dict[str, Any]],
    found: dict[str, dict[str, Any]],
    folds: tuple[str, ...],
    offset: float | None = None,
) -> dict[str, Any]:
    """Pair precision / recall, Success@1/@10 per page and stance macro-F1 on ``folds``;
    ``offset`` (a threshold for every pair) overrides the configured thresholds."""
    config = load_config(env={})
    tp = fp = fn = tn = 0
    stance_true: list[str] = []
    stance_pred: list[str] = []
    positives: dict[str, set[str]] = defaultdict(set)
    for pair in pairs:
        if pair["fold"] not in folds:
            continue
        hit = found.get(pair["page"], {}).get(pair["claim_id"])
        if hit is None:
            predicted = False
        else:
            limit = offset if offset is not None else threshold_of(config, hit[1])
            predicted = hit[0] >= limit
        positive = pair["stance"] in POSITIVE
        if positive:
            positives[pair["page"]].add(pair["claim_id"])
            if predicted and hit is not None and hit[2]:
                stance_true.append(pair["stance"])
                stance_pred.append(hit[2])
        tp += predicted and positive
        fp += predicted and not positive
        fn += (not predicted) and positive
        tn += (not predicted) and not positive
    ranks = []
    for page, wanted in positives.items():
        order = sorted(found.get(page, {}).items(), key=lambda kv: -kv[1][0])
        rank = next((i + 1 for i, (e, _) in enumerate(order) if e in wanted), 10**6)
        ranks.append(rank)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    out = {
        "pairs": tp + fp + fn + tn,
        "positive": tp + fn,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(2 * precision * recall / (precision + recall), 3) if tp else 0.0,
        "pages": len(ranks),
        "success@1": round(float(np.mean([r <= 1 for r in ranks])), 3) if ranks else 0.0,
        "success@10": round(float(np.mean([r <= 10 for r in ranks])), 3) if ranks else 0.0,
    }
    if stance_true:
        out["stance"] = stance_scores(stance_true, stance_pred)
    return out


def stance_scores(truth: list[str], predicted: list[str]) -> dict[str, Any]:
    """Macro-F1 over agree / disagree / discuss, per-class F1 and the count of pairs."""
    per = {}
    for label in POSITIVE:
        tp = sum(t == label and p == label for t, p in zip(truth, predicted, strict=True))
        n_pred = sum(p == label for p in predicted)
        n_true = sum(t == label for t in truth)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_true if n_true else 0.0
        per[label] = round(2 * prec * rec / (prec + rec), 3) if tp else 0.0
    return {
        "pairs": len(truth),
        "macro_f1": round(float(np.mean(list(per.values()))), 3),
        "f1": per,
        "accuracy": round(
            float(np.mean([t == p for t, p in zip(truth, predicted, strict=True)])), 3
        ),
    }


def evaluate(
    fresh: bool = False, scan: bool = False, names: tuple[str, ...] = ("fc_ar", "fc_en")
) -> dict[str, Any]:
    pairs = load_pairs()
    found = run_pipeline(pairs, fresh, names)
    result: dict[str, Any] = {}
    for catalog in names:
        result[catalog] = {
            split: score_split(pairs, found[catalog], folds) for split, folds in SPLITS.items()
        }
        if scan:  # thresholds chosen on the dev folds only
            result[catalog]["scan_dev"] = [
                {
                    "threshold": round(float(t), 2),
                    **score_split(pairs, found[catalog], SPLITS["dev"], t),
                }
                for t in np.arange(-0.3, 1.6, 0.05)
            ]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--fresh", action="store_true", help="start the cached store again")
    parser.add_argument(
        "--scan", action="store_true", help="precision/recall over thresholds (dev)"
    )
    parser.add_argument(
        "--catalogs", default="fc_ar,fc_en", help="fc_ar (Arabic claims), fc_en (English)"
    )
    args = parser.parse_args()
    if not PAIRS.exists():
        raise SystemExit(f"data not found: {PAIRS}")
    result = evaluate(args.fresh, args.scan, tuple(args.catalogs.split(",")))
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for catalog, splits in result.items():
        for split, scores in splits.items():
            if split == "scan_dev":
                for row in scores:
                    print(
                        catalog,
                        "dev",
                        {k: row[k] for k in ("threshold", "precision", "recall", "f1")},
                    )
                continue
            print(catalog, split, json.dumps(scores))


if __name__ == "__main__":
    main()
