"""Peak memory of `marsad analyze` on one hostile file beside 200 good records.

    python benchmarks/bench_hostile_ingest.py [--cases text-bomb,jsonl-line,...] [--keep DIR]

Each case writes its files to a fresh folder (streamed to disk, never built in memory), runs
``python -m marsad analyze FOLDER --db DB --no-progress`` in a child process and reports the
child's peak resident memory (``os.wait4``'s ``ru_maxrss``, which covers the process and its
workers), the seconds it took, and how many documents and problems the store holds. Every
good record must be stored (200, plus the kept part of a cut article).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parents[1]
GOOD_RECORDS = 200
MIB = 1024 * 1024
BOMB_BYTES = 1024 * MIB  # decompressed size of the gzip bombs
LINE_BYTES = 50 * MIB  # the single-line text and JSON Lines record
WARC_RECORD_BYTES = 100 * MIB  # the huge WARC response record
PAGE_BYTES = 9 * MIB  # an HTML page just under ingest.max_page_size (10MiB)
JSON_BOMB_BYTES = 600 * MIB  # a whole-file JSON just over ingest.max_decompressed_size
MEMORY_BUDGET_MB = 1024
SENTENCES = [
    "أعلنت بلدية المدينة افتتاح جسر جديد فوق النهر بعد عامين من العمل المتواصل",
    "قال مدير المستشفى الوطني إن قسم الطوارئ استقبل عشرات المصابين مساء أمس",
    "ارتفعت أسعار الخضار في السوق المركزي بنسبة كبيرة خلال الأسبوع الماضي",
    "أكدت وزارة التربية أن الامتحانات العامة ستبدأ في موعدها المحدد الشهر المقبل",
    "طالب أهالي الحي الشرقي بإصلاح شبكة المياه التي تعطلت منذ أيام",
]


def story(i: int) -> str:
    first = SENTENCES[i % len(SENTENCES)]
    second = SENTENCES[(i * 3 + 1) % len(SENTENCES)]
    return f"{first}، وفق ما نقله المراسل رقم {i}.\n{second}، بحسب مصدر محلي في اليوم {i}."


def write_good(folder: Path) -> None:
    with open(folder / "good.jsonl", "w", encoding="utf-8") as fh:
        for i in range(GOOD_RECORDS):
            record = {
                "title": f"عنوان الخبر {i}",
                "content": story(i),
                "url": f"https://g.example/{i}",
            }
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def _repeat(fh: io.BufferedIOBase | gzip.GzipFile, block: bytes, total: int) -> None:
    written = 0
    while written < total:
        fh.write(block)
        written += len(block)


def text_bomb(folder: Path) -> None:
    """1 GiB of Arabic paragraphs as a .txt.gz of about 1 MB."""
    block = ("\n".join(story(i) for i in range(300)) + "\n").encode()
    with gzip.open(folder / "bomb.txt.gz", "wb", compresslevel=9) as fh:
        _repeat(fh, block * max(1, MIB // len(block)), BOMB_BYTES)


def zeros_bomb(folder: Path) -> None:
    """1 GiB of NUL bytes as a .txt.gz of about 1 MB."""
    with gzip.open(folder / "zeros.txt.gz", "wb", compresslevel=9) as fh:
        _repeat(fh, bytes(MIB), BOMB_BYTES)


def jsonl_bomb(folder: Path) -> None:
    """1 GiB of the same long JSON Lines record as a .jsonl.gz (stops at the decompressed limit)."""
    record = json.dumps({"content": story(0) * 200}, ensure_ascii=False).encode() + b"\n"
    with gzip.open(folder / "bomb.jsonl.gz", "wb", compresslevel=9) as fh:
        _repeat(fh, record * max(1, MIB // len(record)), BOMB_BYTES)


def json_bomb(folder: Path) -> None:
    """A .json.gz whose one array decompresses past the 512 MiB decompressed limit."""
    item = json.dumps({"content": story(1)}, ensure_ascii=False).encode() + b","
    with gzip.open(folder / "bomb.json.gz", "wb", compresslevel=9) as fh:
        fh.write(b"[")
        _repeat(fh, item * max(1, MIB // len(item)), JSON_BOMB_BYTES)
        fh.write(b"{}]")


def text_line(folder: Path) -> None:
    """A 50 MB text file that is one line of Arabic words."""
    words = " ".join(SENTENCES).encode() + b" "
    with open(folder / "one-line.txt", "wb") as fh:
        _repeat(fh, words * max(1, MIB // len(words)), LINE_BYTES)


def jsonl_line(folder: Path) -> None:
    """A JSON Lines file whose second record is one 50 MB line, between two good records."""
    words = " ".join(SENTENCES).encode() + b" "
    with open(folder / "huge-record.jsonl", "wb") as fh:
        fh.write(json.dumps({"content": story(900)}, ensure_ascii=False).encode() + b"\n")
        fh.write(b'{"title": "huge", "content": "')
        _repeat(fh, words * max(1, MIB // len(words)), LINE_BYTES)
        fh.write(b'"}\n')
        fh.write(json.dumps({"content": story(901)}, ensure_ascii=False).encode() + b"\n")


def _html_record(writer: WARCWriter, uri: str, payload: io.IOBase, length: int) -> None:
    headers = StatusAndHeaders(
        "200 OK",
        [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(length))],
        protocol="HTTP/1.1",
    )
    record = writer.create_warc_record(
        uri, "response", payload=payload, length=length, http_headers=headers
    )
    writer.write_record(record)


def page(i: int) -> bytes:
    return (
        f"<html><head><title>خبر {i}</title></head><body><article><p>"
        + story(i).replace("\n", "</p><p>")
        + "</p></article></body></html>"
    ).encode()


def warc_huge(folder: Path) -> None:
    """A gzip WARC: a good page, a 100 MB HTML response, two good pages."""
    paragraph = ("<p>" + " ".join(SENTENCES) + "</p>\n").encode()
    huge = folder.parent / "huge-page.tmp"
    with open(huge, "wb") as fh:
        fh.write(b"<html><body><article>")
        _repeat(fh, paragraph * max(1, MIB // len(paragraph)), WARC_RECORD_BYTES)
        fh.write(b"</article></body></html>")
    with open(folder / "crawl.warc.gz", "wb") as fh, open(huge, "rb") as body:
        writer = WARCWriter(fh, gzip=True)
        _html_record(writer, "https://w.example/0", io.BytesIO(page(1000)), len(page(1000)))
        _html_record(writer, "https://w.example/huge", body, huge.stat().st_size)
        for i in (1001, 1002):
            _html_record(writer, f"https://w.example/{i}", io.BytesIO(page(i)), len(page(i)))
    huge.unlink()


def _html_file(path: Path, size: int) -> None:
    paragraph = ("<p>" + " ".join(SENTENCES) + "</p>\n").encode()
    with open(path, "wb") as fh:
        fh.write(b"<!DOCTYPE html><html><head><title>x</title></head><body><article>")
        _repeat(fh, paragraph * max(1, MIB // len(paragraph)), size)
        fh.write(b"</article></body></html>")


def html_page(folder: Path) -> None:
    """A 9 MB HTML page, just under ingest.max_page_size (10MiB): read and extracted."""
    _html_file(folder / "big-page.html", PAGE_BYTES)


def html_huge(folder: Path) -> None:
    """A 100 MB HTML page, over ingest.max_page_size: skipped with one line."""
    _html_file(folder / "huge-page.html", WARC_RECORD_BYTES)


def baseline(folder: Path) -> None:
    """Nothing hostile: the 200 good records alone, for comparison."""


CASES: dict[str, Callable[[Path], None]] = {
    "baseline": baseline,
    "text-bomb": text_bomb,
    "zeros-bomb": zeros_bomb,
    "jsonl-bomb": jsonl_bomb,
    "json-bomb": json_bomb,
    "text-line": text_line,
    "jsonl-line": jsonl_line,
    "warc-huge": warc_huge,
    "html-page": html_page,
    "html-huge": html_huge,
}


EXTRA_DOCUMENTS = {  # good documents a case adds to the 200 (a cut article is kept)
    "baseline": 0,
    "text-bomb": 1,
    "zeros-bomb": 0,
    "jsonl-bomb": 1,  # the same record over and over is one document
    "json-bomb": 0,
    "text-line": 1,
    "jsonl-line": 2,
    "warc-huge": 3,
    "html-page": 1,
    "html-huge": 0,
}


def run_case(name: str, folder: Path) -> dict[str, object]:
    folder.mkdir(parents=True)
    write_good(folder)
    CASES[name](folder)
    db = folder.parent / f"{name}.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "MARSAD_PIPELINE_WORKERS": "1"}
    cmd = [sys.executable, "-m", "marsad", "analyze", str(folder), "--db", str(db)]
    started = time.perf_counter()
    with open(folder.parent / f"{name}.log", "wb") as log:
        proc = subprocess.Popen([*cmd, "--no-progress"], env=env, stdout=log, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own rusage, workers included
        proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    peak_mb = usage.ru_maxrss / 1024
    with sqlite3.connect(db) as conn:
        documents = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        problems = conn.execute("SELECT kind, COUNT(*) FROM problems GROUP BY kind").fetchall()
    input_mb = sum(p.stat().st_size for p in folder.iterdir()) / MIB
    return {
        "case": name,
        "input_mb": round(input_mb, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "seconds": round(seconds, 1),
        "documents": documents,
        "problems": dict(problems),
        "expected": GOOD_RECORDS + EXTRA_DOCUMENTS[name],
        "exit": proc.returncode,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated case names")
    parser.add_argument("--keep", default=None, help="build the cases in this folder, kept")
    args = parser.parse_args()
    names = [n for n in args.cases.split(",") if n]
    unknown = set(names) - set(CASES)
    if unknown:
        parser.error(f"unknown cases: {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory(prefix="marsad-hostile-") as tmp:
        base = Path(args.keep) if args.keep else Path(tmp)
        print(f"{'case':<12} {'input MB':>9} {'peak RSS MB':>12} {'s':>6} {'docs':>9}  problems")
        for name in names:
            row = run_case(name, base / name)
            flags = [] if float(str(row["peak_rss_mb"])) < MEMORY_BUDGET_MB else ["OVER BUDGET"]
            if row["documents"] != row["expected"]:
                flags.append("DOCUMENTS LOST")
            if row["exit"]:
                flags.append(f"exit {row['exit']} (see {name}.log)")
            docs = f"{row['documents']}/{row['expected']}"
            print(
                f"{row['case']:<12} {row['input_mb']:>9} {row['peak_rss_mb']:>12} "
                f"{row['seconds']:>6} {docs:>9}  {row['problems']}  {' '.join(flags)}",
                flush=True,
            )
            if not args.keep:
                for path in sorted((base / name).iterdir()):
                    path.unlink()


if __name__ == "__main__":
    main()
