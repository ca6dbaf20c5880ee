"""Analyse inputs into a fresh store and print the SHA-256 of every export.

Used to check that a change of plumbing leaves the results byte-identical:

    python tools/export_digests.py --out out/digests-demo examples/demo \
        --catalog examples/catalog/demo_catalog.csv
    python tools/export_digests.py --out out/digests-snn --records 2000 \
        ../shared/data/news/saudinewsnet.jsonl.gz --field date=date_extracted

Run it before and after a change and compare the printed lines (``diff``). The exports are
kept in ``--out`` for a closer look.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

FORMATS = {
    "articles": ("jsonl", "csv"),
    "claims": ("jsonl", "csv"),
    "actors": ("jsonl", "csv"),
    "reuse": ("jsonl", "csv"),
    "reuse-families": ("jsonl",),
    "claim-families": ("jsonl", "csv"),
    "narratives": ("jsonl", "csv"),
    "catalog-matches": ("jsonl", "csv"),
    "outlet-reuse": ("jsonl", "gexf"),
}


def _marsad() -> str:
    return str(Path(sys.executable).with_name("marsad"))


def _sample(path: Path, records: int, folder: Path) -> Path:
    """The first ``records`` lines of a (gzipped) JSON Lines file, as a file of its own (at
    the same path on every call, since the path is part of each article's ``source``)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{path.name.split('.')[0]}-{records}.jsonl"
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for n, line in enumerate(src):
            if n >= records:
                break
            dst.write(line)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--records", type=int, default=0, help="first N lines of a JSONL input")
    parser.add_argument("--catalog", action="append", default=[])
    parser.add_argument("--field", action="append", default=[])
    parser.add_argument("--max-file-size", default=None)
    parser.add_argument("--samples", type=Path, default=Path("out/samples"))
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    if args.records:
        inputs = [str(_sample(Path(i), args.records, args.samples)) for i in args.inputs]
    else:
        inputs = list(args.inputs)
    db = args.out / "marsad.db"
    command = [_marsad(), "analyze", *inputs, "--db", str(db), "--no-progress"]
    for item in args.catalog:
        command += ["--catalog", item]
    for item in args.field:
        command += ["--field", item]
    if args.max_file_size:
        command += ["--max-file-size", args.max_file_size]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    for what, formats in FORMATS.items():
        for fmt in formats:
            target = args.out / f"{what}.{fmt}"
            subprocess.run(
                [_marsad(), "export", "--db", str(db), "--what", what, "--format", fmt],
                check=True,
                stdout=target.open("wb"),
                stderr=subprocess.DEVNULL,
            )
            digest = hashlib.sha256(target.read_bytes()).hexdigest()
            print(f"{digest[:16]}  {target.stat().st_size:>10}  {what}.{fmt}")


if __name__ == "__main__":
    main()
