"""Text-reuse scale benchmark: generated corpora of growing size, and all of SaudiNewsNet.

    python benchmarks/bench_reuse.py [--sizes 1000,10000,100000] [--no-saudinewsnet]

Each corpus runs ``marsad analyze`` (every stage, reuse included) in a fresh process on a
fresh store. Reported: wall time, peak memory of the process tree, the reuse stage's own
time split (index, align, families), candidate pairs, passages and families, and the growth
exponent of wall time and of reuse time with corpus size. Generated corpora have 20 % of the
words of each planted copy edited, sentences reordered (benchmarks/reuse_corpus.py).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from bench_ingest import DEFAULT_DATA, RESULTS, growth_exponent, run_once
from reuse_corpus import build, load_sentences, write

EDIT = 0.2


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--no-saudinewsnet", action="store_true")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: list[dict[str, Any]] = []
    pool = load_sentences(args.data, limit=max(sizes) * 12 + 20000)
    with tempfile.TemporaryDirectory(prefix="marsad-bench-reuse-") as tmp:
        folder = Path(tmp)
        for size in sizes:
            corpus = build(pool, size, EDIT, True, seed=11)
            corpus_path, _ = write(corpus, folder / f"gen-{size}")
            result = run_once(corpus_path, folder / f"gen-{size}.db", None, fields=())
            rows.append(
                {
                    "corpus": f"generated {size}",
                    "articles": size,
                    "pool_reused": corpus.pool_reused,
                    **result,
                }
            )
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
        if not args.no_saudinewsnet:
            result = run_once(args.data, folder / "saudinewsnet.db", None)
            rows.append({"corpus": "SaudiNewsNet", "articles": result["read"], **result})
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    print(
        "\n| corpus | articles | wall s | peak RSS MB | reuse s (index / align / families) "
        "| candidate pairs | passages | families |"
    )
    print("|---|---:|---:|---:|---|---:|---:|---:|")
    for r in rows:
        reuse = r["reuse"] or {}
        split = reuse.get("seconds", {})
        print(
            f"| {r['corpus']} | {r['articles']} | {r['wall_s']} | {r['peak_rss_mb']} | "
            f"{r['stages_s'].get('reuse')} ({split.get('index')} / {split.get('align')} / "
            f"{split.get('families')}) | {reuse.get('candidates')} | {reuse.get('passages')} | "
            f"{reuse.get('families')} |"
        )
    generated = [r for r in rows if r["corpus"].startswith("generated")]
    wall = growth_exponent([(r["articles"], r["wall_s"]) for r in generated])
    reuse_k = growth_exponent([(r["articles"], r["stages_s"]["reuse"]) for r in generated])
    if wall is not None and reuse_k is not None:
        print(
            f"\nGrowth exponent on generated corpora: wall time k = {wall:.2f}, "
            f"reuse stage k = {reuse_k:.2f}"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "reuse.json").write_text(
        json.dumps(
            {"rows": rows, "growth_wall": wall, "growth_reuse": reuse_k, "cpus": os.cpu_count()},
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
