"""Run the narratives stage several times over the same claims and compare what it makes.

    python tools/check_narratives_determinism.py ../shared/data/news/saudinewsnet.jsonl.gz \
        --records 5000 --field date=date_extracted [--catalog FILE] [--runs 2] [--keep DIR]
    python tools/check_narratives_determinism.py --base store-with-claims.db

The inputs are analysed once with the narratives stage off (ingest, clean, claims; or
``--base`` names such a store, which is not changed); the store
is then copied once per run and the narratives stage alone runs on each copy in a fresh
process, each with another hash seed (``PYTHONHASHSEED``) and the workers alternating between
1 and 2. Claim families, narratives and catalogue matches are exported as JSON Lines and their
SHA-256 compared; the largest family (articles) of each run is printed. Exit status 0 when
every run made the same exports, 1 when they differ.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXPORTS = ("claim-families", "narratives", "catalog-matches")


def _sample(path: Path, records: int, folder: Path) -> Path:
    """The first ``records`` lines of a (gzipped) JSON Lines file (all when 0)."""
    out = folder / f"{path.name.split('.')[0]}-{records or 'all'}.jsonl"
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for n, line in enumerate(src):
            if records and n >= records:
                break
            dst.write(line)
    return out


def _marsad(*args: str, env: dict[str, str] | None = None, out: Path | None = None) -> None:
    command = [sys.executable, "-m", "marsad", *args]
    with open(out or os.devnull, "wb") as stdout:
        subprocess.run(
            command, check=True, stdout=stdout, stderr=subprocess.DEVNULL, env=env or None
        )


def _run(base: Path, folder: Path, n: int, catalogs: list[str]) -> dict[str, object]:
    """The narratives stage on a copy of ``base``: digests of its exports, largest family."""
    db = folder / f"run-{n}.db"
    source, copy = sqlite3.connect(base), sqlite3.connect(db)
    source.backup(copy)  # the store as a reader sees it, write-ahead log included
    copy.close()
    source.close()
    env = {
        **os.environ,
        "PYTHONHASHSEED": str(n + 1),
        "MARSAD_PIPELINE_WORKERS": str(1 + n % 2),
        "MARSAD_NARRATIVES_ENABLED": "true",
    }
    started = time.perf_counter()
    args = ["analyze", "--db", str(db), "--only", "narratives", "--no-progress"]
    for catalog in catalogs:
        args += ["--catalog", catalog]
    _marsad(*args, env=env)
    seconds = time.perf_counter() - started
    digests: dict[str, str] = {}
    largest = 0
    for what in EXPORTS:
        target = folder / f"run-{n}.{what}.jsonl"
        _marsad("export", "--db", str(db), "--what", what, "--format", "jsonl", out=target)
        digests[what] = hashlib.sha256(target.read_bytes()).hexdigest()[:16]
        if what == "claim-families":
            with target.open(encoding="utf-8") as lines:
                largest = max((len(json.loads(line)["articles"]) for line in lines), default=0)
    return {"run": n, "seconds": round(seconds, 1), "largest_family": largest, **digests}


def _analyse(args: argparse.Namespace, folder: Path) -> Path:
    """A store of the inputs with claims made, no narratives (the same for every run)."""
    inputs = [str(_sample(Path(i), args.records, folder)) for i in args.inputs]
    base = folder / "base.db"
    analyse = ["analyze", *inputs, "--db", str(base), "--no-progress"]
    for item in args.field:
        analyse += ["--field", item]
    env = {**os.environ, "MARSAD_NARRATIVES_ENABLED": "false", "MARSAD_REUSE_ENABLED": "false"}
    _marsad(*analyse, env=env)
    return base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("inputs", nargs="*")
    parser.add_argument("--base", type=Path, default=None, help="a store with claims made")
    parser.add_argument("--records", type=int, default=0, help="first N lines of a JSONL input")
    parser.add_argument("--field", action="append", default=[])
    parser.add_argument("--catalog", action="append", default=[])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--keep", type=Path, default=None, help="keep stores and exports here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="marsad-determinism-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        base = args.base or _analyse(args, folder)
        runs = [_run(base, folder, n, args.catalog) for n in range(args.runs)]
    for run in runs:
        print(json.dumps(run))
    same = all(run[what] == runs[0][what] for run in runs for what in EXPORTS)
    print("identical" if same else "DIFFERENT")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
