"""Train the stance model of catalogue matches (``src/marsad/data/models/stance.npz``).

    python eval/catalog_match_eval.py        # first: builds the cached store of the pages
    python tools/train_stance.py [--out PATH] [--l2-grid 0.1,1,10]

Data: the arabic_fc_stance development folds (``../shared/data/claims/arabic_fc_stance``, read
in place, never copied), as matched by ``marsad analyze`` in the store that
``eval/catalog_match_eval.py`` keeps (``$MARSAD_EVAL_CACHE/fcstance/fc.db``). A row is a labelled
page-claim pair whose page agrees with, disputes or discusses the claim, once per catalogue
(the Arabic claims and their English renderings): the features of
:func:`marsad.narratives.stance.features` for the stored match when the stage scored the pair
(its claim's span), else for the page alone (anchored on the sentences sharing most words with
the claim); the label from the corpus.

Only Fold_1 and Fold_2 are used. The penalty and the class weighting are chosen by two-fold
cross-validation between them (train on one, macro-F1 on the other, averaged; ties: the
earlier setting); the model is then fitted on both. Fold_3 is held out: it is scored by
``eval/catalog_match_eval.py`` only. Deterministic (full-batch gradient descent from zeros).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from eval.catalog_match_eval import POSITIVE, WORK, load_pairs, stance_scores  # noqa: E402

from marsad.narratives.catalog import read_catalog  # noqa: E402
from marsad.narratives.stance import MODEL_FILE, features, fit  # noqa: E402
from marsad.store import Store  # noqa: E402

TRAIN = ("Fold_1", "Fold_2")


def rows(folds: tuple[str, ...]) -> tuple[np.ndarray, list[str], list[str]]:
    """Features, labels and folds of the scored positive pairs of ``folds``."""
    pairs = [p for p in load_pairs() if p["fold"] in folds and p["stance"] in POSITIVE]
    entry_text = {
        (name, e.id): e.text
        for name in ("fc_ar", "fc_en")
        for e in read_catalog(WORK / f"{name}.jsonl", name=name).entries
    }
    x: list[list[float]] = []
    y: list[str] = []
    f: list[str] = []
    with Store(WORK / "fc.db") as store:
        article_of = {
            Path(source).stem: doc
            for doc, source in store.conn.execute("SELECT id, source FROM documents")
        }
        stored = {
            (m["catalog"], m["entry_id"], m["article_id"]): m
            for m in store.narratives.iter_catalog_matches()
        }
        wanted = []
        for pair in pairs:
            for name in ("fc_ar", "fc_en"):
                m = stored.get((name, pair["claim_id"], article_of.get(pair["page"], "")))
                wanted.append((pair, name, m))
        contexts = store.narratives.match_contexts(m["claim_id"] for _, _, m in wanted if m)
        pages = {
            doc: (title or "", text or "")
            for doc, title, text in store.conn.execute("SELECT id, title, text FROM articles")
        }
    for pair, name, m in wanted:
        if m is not None:
            title, text, where, start, end = contexts[m["claim_id"]]
            claim = (title if where == "headline" else text)[start:end]
            span: tuple[int, int] | None = (start, end) if where == "body" else None
        else:
            title, text = pages.get(article_of.get(pair["page"], ""), ("", ""))
            claim, span = "", None
        entry = entry_text[(name, pair["claim_id"])]
        x.append(features(entry, title, text, claim, span, 0.0, 0.0))
        y.append(pair["stance"])
        f.append(pair["fold"])
    return np.asarray(x), y, f


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "src/marsad/data/models" / MODEL_FILE)
    parser.add_argument("--l2-grid", default="0.1,1,10,30")
    args = parser.parse_args()
    x, y, folds = rows(TRAIN)
    fold = np.array(folds)
    print(f"{len(y)} rows: " + json.dumps({k: y.count(k) for k in POSITIVE}))
    best: tuple[float, float, bool] | None = None
    for balanced in (True, False):
        for l2 in (float(v) for v in args.l2_grid.split(",")):
            scores = []
            for a, b in (TRAIN, TRAIN[::-1]):
                train, test = fold == a, fold == b
                model = fit(x[train], [y[i] for i in np.flatnonzero(train)], l2, balanced)
                predicted = [label for label, _ in model.predict(x[test])]
                truth = [y[i] for i in np.flatnonzero(test)]
                scores.append(stance_scores(truth, predicted)["macro_f1"])
            mean = float(np.mean(scores))
            print(f"l2 {l2} balanced {balanced}: macro-F1 {scores} mean {mean:.3f}")
            if best is None or mean > best[0]:
                best = (mean, l2, balanced)
    assert best is not None
    model = fit(x, y, best[1], best[2])
    model.save(args.out)
    print(
        f"chosen l2 {best[1]} balanced {best[2]} (cross-validated macro-F1 {best[0]:.3f});"
        f" wrote {args.out}"
    )
    for name, w in zip(model.names, model.coef.T, strict=True):
        print(f"  {name:16s} " + " ".join(f"{v:+.2f}" for v in w))


if __name__ == "__main__":
    main()
