"""Reuse on SaudiNewsNet: counts, the Saudi Press Agency's share of origins, and samples for a
hand check (30 random detected cross-outlet pairs; 30 random same-day pairs of different
outlets that share at least one rare content-word trigram but were not linked).

    python benchmarks/reuse_saudinewsnet.py --db STORE [--seed 1] [--out FILE]

STORE is a store made by ``marsad analyze ../shared/data/news/saudinewsnet.jsonl.gz
--field date=date_extracted``. The sample file holds article ids, outlets and excerpts for
reading; nothing of it is committed.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
from pathlib import Path

import numpy as np

from marsad.reuse.candidates import CandidateOptions, find_candidates

SPA_OUTLET = "was"
SPA_AGENCY = "واس"
EXCERPT = 220


def stats(conn: sqlite3.Connection) -> dict[str, object]:
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    families = one("SELECT COUNT(*) FROM reuse_families WHERE outlets > 1")
    spa_origin = one(
        "SELECT COUNT(*) FROM reuse_families f JOIN documents d ON d.id = f.origin "
        f"WHERE f.outlets > 1 AND d.outlet = '{SPA_OUTLET}'"
    )
    spa_any = one(
        "SELECT COUNT(*) FROM reuse_families f JOIN documents d ON d.id = f.origin "
        "JOIN articles a ON a.id = f.origin WHERE f.outlets > 1 AND "
        f"(d.outlet = '{SPA_OUTLET}' OR a.dateline_agency = '{SPA_AGENCY}' "
        f"OR f.origin_agency = '{SPA_AGENCY}')"
    )
    return {
        "passages": one("SELECT COUNT(*) FROM reuse_passages"),
        "cross_outlet_passages": one("SELECT COUNT(*) FROM reuse_passages WHERE same_outlet = 0"),
        "cross_outlet_pairs": one(
            "SELECT COUNT(*) FROM (SELECT DISTINCT article_a, article_b "
            "FROM reuse_passages WHERE same_outlet = 0)"
        ),
        "families_cross_outlet": families,
        "families_all": one("SELECT COUNT(*) FROM reuse_families"),
        "largest_family": one("SELECT MAX(size) FROM reuse_families"),
        "spa_origin_article": spa_origin,
        "spa_origin_share": round(spa_origin / families, 3) if families else None,
        "spa_origin_or_wire_credit": spa_any,
        "spa_origin_or_wire_credit_share": round(spa_any / families, 3) if families else None,
        "directed_share": round(
            one("SELECT AVG(direction != 'unknown') FROM reuse_passages WHERE same_outlet = 0"), 3
        ),
    }


def samples(conn: sqlite3.Connection, seed: int) -> dict[str, list[dict[str, object]]]:
    rng = random.Random(seed)
    detected = conn.execute(
        "SELECT p.article_a, p.article_b, da.outlet, db.outlet, p.score, p.direction, p.reason, "
        "substr(aa.text, p.a_start + 1, p.a_end - p.a_start), "
        "substr(ab.text, p.b_start + 1, p.b_end - p.b_start) FROM reuse_passages p "
        "JOIN articles aa ON aa.id = p.article_a JOIN articles ab ON ab.id = p.article_b "
        "JOIN documents da ON da.id = p.article_a JOIN documents db ON db.id = p.article_b "
        "WHERE p.same_outlet = 0"
    ).fetchall()
    linked = {(r[0], r[1]) for r in detected}
    out_detected = [
        {
            "a": r[0],
            "b": r[1],
            "outlets": [r[2], r[3]],
            "score": r[4],
            "direction": r[5],
            "reason": r[6],
            "text_a": r[7][:EXCERPT],
            "text_b": r[8][:EXCERPT],
        }
        for r in rng.sample(detected, min(30, len(detected)))
    ]
    # "Same topic": articles of one day from two outlets sharing at least one rare content-word
    # trigram (in at most 100 articles) that Marsad did not link.
    ids, blobs = zip(
        *conn.execute(
            "SELECT article_id, hashes FROM reuse_fingerprints ORDER BY article_id"
        ).fetchall(),
        strict=True,
    )
    fps = [np.frombuffer(b, dtype=np.uint64) for b in blobs]
    found = find_candidates(fps, np.ones(len(fps), dtype=bool), CandidateOptions(100, 1))
    meta = {
        r[0]: r[1:]
        for r in conn.execute(
            "SELECT a.id, d.outlet, substr(a.published, 1, 10), a.title, a.text FROM articles a "
            "JOIN documents d ON d.id = a.id"
        )
    }
    pool = []
    for x, y, shared in zip(found.a.tolist(), found.b.tolist(), found.shared.tolist(), strict=True):
        a, b = ids[x], ids[y]
        ma, mb = meta[a], meta[b]
        if ma[0] != mb[0] and ma[1] and ma[1] == mb[1] and (a, b) not in linked:
            pool.append((a, b, shared))
    unlinked = []
    for a, b, shared in rng.sample(pool, min(30, len(pool))):
        ma, mb = meta[a], meta[b]
        unlinked.append(
            {
                "a": a,
                "b": b,
                "outlets": [ma[0], mb[0]],
                "shared_trigrams": shared,
                "titles": [ma[2], mb[2]],
                "start_a": ma[3][:EXCERPT],
                "start_b": mb[3][:EXCERPT],
            }
        )
    return {"detected": out_detected, "unlinked_same_day_same_topic": unlinked}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="write the samples here (JSON)")
    args = parser.parse_args()
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    print(json.dumps(stats(conn), ensure_ascii=False, indent=2))
    if args.out:
        args.out.write_text(
            json.dumps(samples(conn, args.seed), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        print(f"samples for the hand check: {args.out}")


if __name__ == "__main__":
    main()
