"""Claim families on real news: sizes, and purity judged by hand (issue 15).

    python eval/families_eval.py                         # purity from the judgements
    python eval/families_eval.py --build DIR             # a store of the first 5,000
                                                         # SaudiNewsNet records, narratives made
    python eval/families_eval.py --db DIR/families.db    # + sizes, judged pairs still together
    python eval/families_eval.py --db DIR/families.db --sample 30 --pairs 10 --out FILE
                                                         # pairs to judge (texts on the terminal)

The judgements (``eval/families/snn5k.jsonl``) hold ids only: per family its id, its rank and
size when judged, a short English gloss written by the judge, and ten member pairs as claim
ids (``<article id>:<claim number>`` of the store built by ``--build``) with ``1`` when the
two state the same claim and ``0`` when not. No corpus text is kept in the repository.

Purity is the share of judged pairs that state the same claim (over all pairs, and the mean
of the per-family shares). Sizes: the largest family and narrative, in articles and as a
share of the articles analysed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
JUDGEMENTS = ROOT / "eval" / "families" / "snn5k.jsonl"
SHARED_DATA = Path(os.environ.get("MARSAD_SHARED_DATA", ROOT.parent / "shared" / "data"))
SNN = SHARED_DATA / "news" / "saudinewsnet.jsonl.gz"
RECORDS = 5000


def load_judgements(path: Path = JUDGEMENTS) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def purity(judged: list[dict[str, Any]]) -> dict[str, float]:
    """Share of same-claim pairs: pooled, and the mean of the per-family shares."""
    shares = [sum(p[2] for p in f["pairs"]) / len(f["pairs"]) for f in judged if f["pairs"]]
    pairs = [p[2] for f in judged for p in f["pairs"]]
    return {
        "families": len(shares),
        "pairs": len(pairs),
        "pair_purity": round(sum(pairs) / len(pairs), 3) if pairs else 0.0,
        "mean_family_purity": round(sum(shares) / len(shares), 3) if shares else 0.0,
        "families_at_0.9": sum(s >= 0.9 for s in shares),
    }


def _count(value: int | str) -> int:
    """An article count as stored: a number (families) or a JSON list (narratives)."""
    return value if isinstance(value, int) else len(json.loads(value))


def sizes(db: Path) -> dict[str, Any]:
    """The largest family and narrative of a store, in articles and as a share of the
    articles that have claims."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    analysed = conn.execute("SELECT COUNT(DISTINCT article_id) FROM claims").fetchone()[0]
    out: dict[str, Any] = {"articles": analysed}
    for table in ("claim_families", "narratives"):
        rows = conn.execute(f"SELECT articles FROM {table}").fetchall()
        largest = max((_count(r[0]) for r in rows), default=0)
        out[table] = {
            "count": len(rows),
            "largest_articles": largest,
            "largest_share": round(largest / analysed, 4) if analysed else 0.0,
        }
    conn.close()
    return out


def members(db: Path) -> dict[str, str]:
    """Claim id -> family id."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    found = dict(conn.execute("SELECT claim_id, family_id FROM claim_family_members"))
    conn.close()
    return {str(k): str(v) for k, v in found.items()}


def still_together(judged: list[dict[str, Any]], db: Path) -> dict[str, int]:
    """How many judged pairs are still in one family of the store (the judgements describe
    the families they were made on; a changed grouping needs judging again)."""
    family_of = members(db)
    pairs = [p for f in judged for p in f["pairs"]]
    together = sum(1 for a, b, _ in pairs if a in family_of and family_of[a] == family_of.get(b))
    return {"pairs": len(pairs), "still_in_one_family": together}


def sample(db: Path, families: int, per_family: int, seed: int) -> list[dict[str, Any]]:
    """``per_family`` random member pairs (of claims from two different articles when the
    family has them) of each of the ``families`` largest families; prints the texts to the
    terminal for judging and returns the ids-only template (labels -1)."""
    sys.path.insert(0, str(ROOT / "src"))
    from marsad.store import Store

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute("SELECT id, articles, outlets FROM claim_families").fetchall()
    rows.sort(key=lambda r: (-int(r[1]), r[0]))
    chosen = rows[:families]
    wanted = {r[0] for r in chosen}
    by_family: dict[str, list[str]] = {}
    for family, claim in conn.execute(
        "SELECT family_id, claim_id FROM claim_family_members ORDER BY family_id, claim_id"
    ):
        if family in wanted:
            by_family.setdefault(family, []).append(claim)
    conn.close()
    needed = {claim for found in by_family.values() for claim in found}
    with Store(db, read_only=True) as store:
        text = {
            c.id: (c.text, c.article_id, c.outlet)
            for c in store.narratives.narrative_claims()
            if c.id in needed
        }
    out = []
    for rank, (family, articles, outlets) in enumerate(chosen, 1):
        rng = random.Random(f"{seed}:{family}")  # a family's pairs do not depend on the others
        ids = by_family[family]
        candidates = [
            (a, b) for i, a in enumerate(ids) for b in ids[i + 1 :] if text[a][1] != text[b][1]
        ] or [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
        picked = rng.sample(candidates, min(per_family, len(candidates)))
        print(f"\n=== {rank}. {family}: {articles} articles, {outlets} outlets")
        for n, (a, b) in enumerate(picked):
            print(f"  [{n}] A {text[a][2]}: {text[a][0][:220]}")
            print(f"      B {text[b][2]}: {text[b][0][:220]}")
        out.append(
            {
                "rank": rank,
                "family": family,
                "articles": articles,
                "outlets": outlets,
                "gloss": "",
                "pairs": [[a, b, -1] for a, b in picked],
            }
        )
    return out


def build(folder: Path, records: int = RECORDS) -> Path:
    """A store of the first ``records`` SaudiNewsNet records, with claims and narratives."""
    import gzip

    folder.mkdir(parents=True, exist_ok=True)
    sample_file = folder / f"snn-{records}.jsonl"
    with gzip.open(SNN, "rt", encoding="utf-8") as src, sample_file.open("w") as dst:
        for n, line in enumerate(src):
            if n >= records:
                break
            dst.write(line)
    db = folder / "families.db"
    env = {**os.environ, "MARSAD_REUSE_ENABLED": "false", "MARSAD_NARRATIVES_ENABLED": "true"}
    command = [sys.executable, "-m", "marsad", "analyze", str(sample_file), "--db", str(db)]
    command += ["--no-progress", "--field", "date=date_extracted"]
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--judgements", type=Path, default=JUDGEMENTS)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--build", type=Path, default=None, help="build the store in DIR")
    parser.add_argument("--sample", type=int, default=0, help="families to sample for judging")
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    db = build(args.build) if args.build else args.db
    if db and args.sample:
        template = sample(db, args.sample, args.pairs, args.seed)
        target = args.out or Path("families-to-judge.jsonl")
        target.write_text(
            "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in template), "utf-8"
        )
        return
    result: dict[str, Any] = {}
    if args.judgements.exists():
        judged = load_judgements(args.judgements)
        result["purity"] = purity(judged)
        if db:
            result["judged_pairs"] = still_together(judged, db)
    if db:
        result["sizes"] = sizes(db)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
