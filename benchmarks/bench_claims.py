"""Claims-stage benchmark: claims + attribution + actors (NER, gazetteer) + check-worthiness.

    python benchmarks/bench_claims.py [--sizes 1000,10000,all] [--data PATH] [--workers N]
        [--ner-model crf|crf+e5]

``cpu_s`` (user + system time of the stage process and its workers) hardly depends on what
else runs on the machine; divided by the cores in use it estimates the wall time on an idle
machine. For each size, a
fresh store is filled by ``marsad analyze`` with the claims and reuse stages
switched off (ingest + clean only, not timed), then the claims stage alone runs in a fresh
process over every article: wall time, articles/s, claims/s, and the peak resident memory of
the whole process tree (main process plus workers, sampled from /proc). The growth exponent
is the slope of log(time) against log(articles). ``--ner-model crf+e5`` times the accurate NER
model instead of the default (results in ``claims-crf+e5.json``; use small sizes, it tags about
750 words/s).
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest import (
    RESULTS,
    growth_exponent,
    parse_args,
    run_once,
    run_stage_script,
    samples,
)

STAGE = """
import json, sys
from marsad.config import load_config
from marsad.pipeline import Plan, analyze
from marsad.store import Store
config = load_config(overrides={"store.path": sys.argv[1]})
with Store(config.store.path) as store:
    summary = analyze([], config, store, lambda line: None, plan=Plan(only=("claims",)))
stage = summary.stages["claims"]
print(json.dumps({**stage.counts, "seconds": stage.seconds}))
"""


def run_claims(db: Path, workers: int | None, ner_model: str = "crf") -> dict[str, Any]:
    env = dict(os.environ)
    env["MARSAD_ACTORS_NER_MODEL"] = ner_model
    if workers is not None:
        env["MARSAD_PIPELINE_WORKERS"] = str(workers)
    summary, wall, cpu, peak = run_stage_script("claims", STAGE, [str(db)], env)
    with sqlite3.connect(db) as conn:
        words = conn.execute(
            "SELECT SUM(LENGTH(text) - LENGTH(REPLACE(text, ' ', '')) + 1) FROM articles"
        ).fetchone()[0]
    return {
        "articles": summary["articles"],
        "claims": summary["claims"],
        "mentions": summary["mentions"],
        "words": int(words or 0),
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 1),  # user + system of the stage process and its workers
        "articles_per_s": round(summary["articles"] / wall, 1),
        "claims_per_s": round(summary["claims"] / wall, 1),
        "peak_rss_mb": round(peak / 1024, 1),
    }


def main() -> None:
    args = parse_args(
        __doc__,
        lambda parser: parser.add_argument("--ner-model", default="crf", choices=("crf", "crf+e5")),
    )
    rows = []
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as tmp:
        folder = Path(tmp)
        for sample, count in samples(args, folder):
            db = folder / f"claims-{count}.db"
            run_once(
                sample,
                db,
                args.workers,
                env_extra={"MARSAD_CLAIMS_ENABLED": "false", "MARSAD_REUSE_ENABLED": "false"},
            )
            rows.append({"records": count, **run_claims(db, args.workers, args.ner_model)})
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    exponent = growth_exponent([(int(r["articles"]), float(r["wall_s"])) for r in rows])
    print(
        "\n| records | articles | claims | actor mentions | wall s | CPU s | articles/s "
        "| claims/s | peak RSS MB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['records']:,} | {r['articles']:,} | {r['claims']:,} | {r['mentions']:,} "
            f"| {r['wall_s']} | {r['cpu_s']} | {r['articles_per_s']} | {r['claims_per_s']} "
            f"| {r['peak_rss_mb']} |"
        )
    if exponent is not None:
        print(f"\nGrowth exponent (time ~ articles^k): k = {exponent:.2f}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / ("claims.json" if args.ner_model == "crf" else f"claims-{args.ner_model}.json")
    out.write_text(json.dumps({"rows": rows, "growth_exponent": exponent}, indent=2) + "\n")
    print(f"Saved {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")


if __name__ == "__main__":
    main()
