"""Narratives-stage benchmark: embedding, same-claim links, families, narratives, catalogues.

    python benchmarks/bench_narratives.py [--sizes 1000,10000,all] [--data PATH]
        [--catalog PATH] [--embedder static]

For each size, a fresh store is filled by ``marsad analyze`` with the narratives and reuse
stages switched off (ingest, clean, claims: not timed); then the narratives stage alone runs
in a fresh process over every claim, with the catalogue (default: the EUvsDisinfo catalogue,
10,892 entries, when present) matched as ``marsad analyze --catalog`` does. Reported: wall
time and CPU time (stage process and children), the stage's own split (embed, link, families,
catalogues), claim wordings embedded and per second, same-claim links, families, narratives,
catalogue matches, and the peak resident memory of the process tree. The growth exponents are
the slopes of log(wall time) and of log(peak memory) against log(articles).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest import RESULTS, growth_exponent, parse_args, run_once, run_stage_script, samples

STEPS = ("embed", "link", "families", "catalogs")  # the stage's own split, in order
CATALOG = Path(__file__).resolve().parents[2] / "shared/data/catalogs/euvsdisinfo/posts.csv"

STAGE = """
import json, sys
from marsad.config import load_config
from marsad.narratives.catalog import read_catalog
from marsad.pipeline import Plan, analyze
from marsad.store import Store
config = load_config(overrides={"store.path": sys.argv[1], "narratives.enabled": True,
                                "narratives.embedder": sys.argv[3]})
catalogs = [read_catalog(sys.argv[2])] if sys.argv[2] else []
with Store(config.store.path) as store:
    articles = store.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    run = analyze([], config, store, lambda line: None, catalogs, Plan(only=("narratives",)))
s = run.stages["narratives"]
seconds = {}
for step, t in s.seconds.items():  # one step per catalogue: summed as "catalogs"
    name = "catalogs" if step.startswith("catalog ") else step
    seconds[name] = seconds.get(name, 0.0) + t
c = s.counts
print(json.dumps({"articles": articles, "embedded": c["embedded"], "compared": c["compared"],
                  "links": c["links"], "families": c["families"], "narratives": c["narratives"],
                  "catalog_matches": c["matches"], "seconds": seconds}))
"""


def run_stage(db: Path, catalog: Path | None, embedder: str) -> dict[str, Any]:
    summary, wall, cpu, peak = run_stage_script(
        "narratives", STAGE, [str(db), str(catalog or ""), embedder], dict(os.environ)
    )
    embed_s = summary["seconds"].get("embed") or 0.0
    return {
        **{k: v for k, v in summary.items() if k != "seconds"},
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "stage_s": {k: round(v, 1) for k, v in summary["seconds"].items()},
        "embedded_per_s": round(summary["embedded"] / embed_s, 1) if embed_s else None,
        "peak_rss_mb": round(peak / 1024, 1),
    }


def main() -> None:
    args = parse_args(__doc__, extra=_extra_options)
    catalog = args.catalog if args.catalog and Path(args.catalog).exists() else None
    rows = []
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as tmp:
        folder = Path(tmp)
        for sample, count in samples(args, folder):
            db = folder / f"narratives-{count}.db"
            run_once(
                sample,
                db,
                args.workers,
                env_extra={"MARSAD_NARRATIVES_ENABLED": "false", "MARSAD_REUSE_ENABLED": "false"},
            )
            rows.append({"records": count, **run_stage(db, catalog, args.embedder)})
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    exponent = growth_exponent([(int(r["articles"]), float(r["wall_s"])) for r in rows])
    memory = growth_exponent([(int(r["articles"]), float(r["peak_rss_mb"])) for r in rows])
    print(
        "\n| records | articles | wordings embedded | embedded/s | links | families "
        "| narratives | catalogue matches | wall s | CPU s | embed s | link s | families s "
        "| catalogues s | peak RSS MB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        split = " | ".join(str(r["stage_s"].get(step, "")) for step in STEPS)
        print(
            f"| {r['records']:,} | {r['articles']:,} | {r['embedded']:,} | {r['embedded_per_s']} "
            f"| {r['links']:,} | {r['families']:,} | {r['narratives']:,} "
            f"| {r['catalog_matches']:,} | {r['wall_s']} | {r['cpu_s']} | {split} "
            f"| {r['peak_rss_mb']} |"
        )
    if exponent is not None and memory is not None:
        print(f"\nGrowth exponent (time ~ articles^k): k = {exponent:.2f}")
        print(f"Peak memory ~ articles^k: k = {memory:.2f}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "narratives.json"
    result = {"rows": rows, "growth_exponent": exponent, "memory_exponent": memory}
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"Saved {out}")


def _extra_options(parser: Any) -> None:
    parser.add_argument("--catalog", default=str(CATALOG), help="catalogue matched (or '')")
    parser.add_argument("--embedder", default="static", help="narratives.embedder")


if __name__ == "__main__":
    main()
