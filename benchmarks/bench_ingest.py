"""Ingestion benchmark: articles/s, peak memory and time per stage for growing SaudiNewsNet samples.

    python benchmarks/bench_ingest.py [--sizes 1000,10000,all] [--data PATH] [--workers N]

Each size runs ``marsad analyze`` in a fresh process on a fresh store, so the figures are
end to end (reading the gzip, parsing, cleaning, segmenting, writing SQLite). Peak memory is
the largest resident set of the whole process tree (main process plus workers), sampled
from /proc. The growth exponent is the slope of log(time) against log(articles).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "news" / "saudinewsnet.jsonl.gz"
RESULTS = ROOT / "benchmarks" / "results"
SAMPLE_SECONDS = 0.25  # /proc walks cost CPU; 4 samples a second catch the peak of long runs
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in KiB."""
    total = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE_KB
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as fh:
                    stack.extend(int(child) for child in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def watch(proc: subprocess.Popen[Any]) -> int:
    """Peak resident memory (KiB) of ``proc``'s process tree, sampled until it exits."""
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kb(proc.pid))
        time.sleep(SAMPLE_SECONDS)
    return peak


def make_sample(data: Path, size: int | None, folder: Path) -> tuple[Path, int]:
    out = folder / f"sample-{size or 'all'}.jsonl.gz"
    count = 0
    with (
        gzip.open(data, "rt", encoding="utf-8") as src,
        gzip.open(out, "wt", encoding="utf-8") as dst,
    ):
        for line in src:
            if size is not None and count >= size:
                break
            dst.write(line)
            count += 1
    return out, count


def run_once(
    sample: Path,
    db: Path,
    workers: int | None,
    fields: tuple[str, ...] = ("date=date_extracted",),
    env_extra: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run ``marsad analyze`` in a fresh process; wall time, tree peak memory, run summary."""
    env = {**os.environ, **(env_extra or {})}
    if workers is not None:
        env["MARSAD_PIPELINE_WORKERS"] = str(workers)
    cmd = [
        sys.executable,
        "-m",
        "marsad",
        "analyze",
        str(sample),
        "--db",
        str(db),
        *(arg for field in fields for arg in ("--field", field)),
        "--no-progress",
    ]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = watch(proc)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"marsad analyze failed with exit code {proc.returncode}")
    with sqlite3.connect(db) as conn:
        summary = json.loads(
            conn.execute("SELECT summary FROM runs ORDER BY id DESC").fetchone()[0]
        )
    stages = summary["stages"]  # the runner's RunSummary: per stage, counts and step seconds
    read = stages["ingest"]["counts"].get("read", 0)
    reuse = stages.get("reuse")
    return {
        "read": read,
        "cleaned": stages.get("clean", {}).get("counts", {}).get("cleaned", 0),
        "wall_s": round(wall, 2),
        "articles_per_s": round(read / wall, 1),
        "peak_rss_mb": round(peak / 1024, 1),
        "stages_s": {
            ("clean+segment" if name == "clean" else name): round(sum(s["seconds"].values()), 3)
            for name, s in stages.items()
        },
        "reuse": {
            **reuse["counts"],
            "seconds": {  # the names bench_reuse prints: index (fingerprint), align (compare)
                "index": reuse["seconds"].get("fingerprint"),
                "align": reuse["seconds"].get("compare"),
                "families": reuse["seconds"].get("families"),
            },
        }
        if reuse
        else None,
    }


def growth_exponent(points: list[tuple[int, float]]) -> float | None:
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def run_stage_script(
    name: str, code: str, args: list[str], env: dict[str, str]
) -> tuple[dict[str, Any], float, float, int]:
    """Run ``python -c code args`` in a fresh process whose last stdout line is JSON:
    ``(that JSON, wall s, CPU s of the process and its workers, peak tree RSS in kB)``."""
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], env=env, stdout=subprocess.PIPE, text=True
    )
    peak = watch(proc)
    wall = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    out = proc.stdout.read() if proc.stdout else ""
    if proc.returncode != 0:
        raise SystemExit(f"{name} stage failed with exit code {proc.returncode}")
    return json.loads(out.strip().splitlines()[-1]), wall, cpu, peak


def parse_args(
    doc: str | None, extra: Callable[[argparse.ArgumentParser], None] | None = None
) -> argparse.Namespace:
    """The options every benchmark takes: --sizes, --data, --workers (``extra`` adds more)."""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="1000,10000,all", help="comma-separated sample sizes, or all"
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="SaudiNewsNet JSONL.gz")
    parser.add_argument(
        "--workers", type=int, default=None, help="pipeline.workers (default: auto)"
    )
    if extra is not None:
        extra(parser)
    args = parser.parse_args()
    if not args.data.exists():
        raise SystemExit(f"data not found: {args.data}")
    return args


def samples(args: argparse.Namespace, folder: Path) -> Iterator[tuple[Path, int]]:
    """``(sample file, records)`` for each of ``--sizes``, written into ``folder``."""
    for item in args.sizes.split(","):
        size = None if item.strip() == "all" else int(item)
        yield make_sample(args.data, size, folder)


def main() -> None:
    args = parse_args(__doc__)
    rows = []
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as tmp:
        folder = Path(tmp)
        for sample, count in samples(args, folder):
            # the narratives stage has its own benchmark (bench_narratives.py)
            result = run_once(
                sample,
                folder / f"bench-{count}.db",
                args.workers,
                env_extra={"MARSAD_NARRATIVES_ENABLED": "false"},
            )
            rows.append({"records": count, **result})
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    exponent = growth_exponent([(int(r["records"]), float(r["wall_s"])) for r in rows])
    print(
        "\n| records | articles read | wall s | articles/s | peak RSS MB "
        "| ingest s | clean+segment s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        stages = r["stages_s"]
        print(
            f"| {r['records']} | {r['read']} | {r['wall_s']} | {r['articles_per_s']} | "
            f"{r['peak_rss_mb']} | {stages.get('ingest')} | {stages.get('clean+segment')} |"
        )
    if exponent is not None:
        print(f"\nGrowth exponent (time ~ n^k), all sizes: k = {exponent:.2f}")
        large = growth_exponent([(int(r["records"]), float(r["wall_s"])) for r in rows[-2:]])
        print(f"Growth exponent, two largest sizes (start-up excluded): k = {large:.2f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ingest.json").write_text(
        json.dumps({"rows": rows, "growth_exponent": exponent, "cpus": os.cpu_count()}, indent=2),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
