"""Web benchmark: response times of search and pages over a store of all SaudiNewsNet articles.

    python benchmarks/bench_web.py [--db PATH] [--data PATH] [--workers N] [--rounds 3]

With no ``--db`` (or a path that does not exist yet), a store is built first with
``marsad analyze`` over ``--data`` (all records, claims and reuse stages on: ~5 min on the
2-core reference machine), then ``marsad index`` makes sure the search index is complete.
``marsad serve`` runs in its own process on a free loopback port; a scripted set of
requests (searches over articles and claims with and without filters, sorts and pages,
article pages, and the other pages) is sent ``--rounds`` times, one at a time, each response
read in full. Reported: median and p95 per kind of request, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest import DEFAULT_DATA, RESULTS, make_sample, run_once

SEED = 7
ARTICLES = 60  # article pages requested per round
SEARCHES = (  # common words of Saudi news, written bare: the index folds hamza and diacritics
    "الرياض",
    "وزير",
    "امير",
    '"المملكة العربية السعودية"',
    "مجلس الوزراء",
    "الامن",
    "التعليم",
    "اليمن",
    "اسعار النفط",
    "الصحة*",
    "مشروع",
    "المرور",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ensure_store(args: argparse.Namespace, folder: Path) -> Path:
    db: Path = args.db or folder / "web-bench.db"
    if not db.exists():
        sample, count = make_sample(args.data, None, folder)
        print(f"building a store of {count} records at {db} ...", flush=True)
        result = run_once(sample, db, args.workers)
        print(json.dumps(result, ensure_ascii=False), flush=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "marsad", "index", "--db", str(db), "--no-progress"], check=True
    )
    print(f"search index checked/updated in {time.perf_counter() - started:.1f} s", flush=True)
    return db


def requests_for(db: Path) -> list[tuple[str, str]]:
    """``(kind, path)`` of one round: searches, article pages, other pages."""
    rng = random.Random(SEED)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM articles ORDER BY id")]
        outlets = [
            row[0]
            for row in conn.execute(
                "SELECT outlet FROM documents WHERE outlet IS NOT NULL GROUP BY outlet "
                "ORDER BY COUNT(*) DESC LIMIT 5"
            )
        ]
        family = conn.execute("SELECT id FROM reuse_families ORDER BY size DESC").fetchone()
        reused = conn.execute("SELECT article_a FROM reuse_passages LIMIT 1").fetchone()
    out: list[tuple[str, str]] = []
    for query in SEARCHES:
        q = urllib.parse.quote(query)
        out.append(("search articles", f"/search?q={q}"))
        out.append(("search claims", f"/search?kind=claims&q={q}"))
        out.append(("search api", f"/api/search?q={q}&sort=newest&page=3"))
        outlet = urllib.parse.quote(rng.choice(outlets))
        out.append(("search filtered", f"/search?q={q}&outlet={outlet}&from=2015-05-01"))
        out.append(("search filtered", f"/search?kind=claims&q={q}&source_type=official"))
    out.append(("search browse", "/search"))
    out.append(("search browse", "/search?kind=claims&page=50"))
    out += [("article", f"/article/{i}") for i in rng.sample(ids, min(ARTICLES, len(ids)))]
    if reused:
        out.append(("article", f"/article/{reused[0]}"))
    out += [("overview", "/"), ("list", "/isnad"), ("list", "/outlets"), ("list", "/narratives")]
    out += [("outlet", "/outlet/" + urllib.parse.quote(o, safe="")) for o in outlets[:3]]
    if family:
        out.append(("reuse family", f"/isnad/{family[0]}"))
    return out


def fetch(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}")
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, default=None, help="store to serve (built if absent)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="SaudiNewsNet JSONL.gz")
    parser.add_argument("--workers", type=int, default=None, help="pipeline.workers for the build")
    parser.add_argument("--rounds", type=int, default=3, help="times the request set is sent")
    args = parser.parse_args()
    if (args.db is None or not args.db.exists()) and not args.data.exists():
        raise SystemExit(f"data not found: {args.data}")
    with tempfile.TemporaryDirectory(prefix="marsad-bench-web-") as tmp:
        db = ensure_store(args, Path(tmp))
        counts = store_counts(db)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "marsad", "serve", "--db", str(db), "--port", str(port)],
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    fetch(base + "/static/marsad.css")
                    break
                except OSError:
                    time.sleep(0.2)
            plan = requests_for(db)
            for _, path in plan[:5]:  # warm-up: connections, page cache
                fetch(base + path)
            times: dict[str, list[float]] = {}
            for _ in range(args.rounds):
                for kind, path in plan:
                    times.setdefault(kind, []).append(fetch(base + path))
        finally:
            server.terminate()
            server.wait(10)
    report(times, counts)


def store_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return {
            table: int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for table in ("articles", "claims")
        }


def report(times: dict[str, list[float]], counts: dict[str, int]) -> None:
    rows = []
    every_search = [t for kind, ts in times.items() if kind.startswith("search") for t in ts]
    groups = {**times, "ALL searches": every_search}
    for kind, values in groups.items():
        rows.append(
            {
                "kind": kind,
                "requests": len(values),
                "median_ms": round(statistics.median(values), 1),
                "p95_ms": round(percentile(values, 0.95), 1),
                "max_ms": round(max(values), 1),
            }
        )
    print(f"\nstore: {counts}")
    print("\n| requests | n | median ms | p95 ms | max ms |\n|---|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['kind']} | {r['requests']} | {r['median_ms']} | {r['p95_ms']} | {r['max_ms']} |"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "web.json").write_text(
        json.dumps({"store": counts, "rows": rows, "cpus": os.cpu_count()}, indent=2),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
