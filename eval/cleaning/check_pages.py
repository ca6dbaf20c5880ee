"""Check the page-cleaning annotations (offsets into arabic_fc_stance pages).

    python eval/cleaning/check_pages.py [FILE] [--show] [--doc N ...]

Each line of ``pages_fc_stance.jsonl`` names a page by ``doc`` (its 0-based line in
``claims/arabic_fc_stance/dev.jsonl.gz`` of the shared data, read at run time from
``$MARSAD_SHARED_DATA`` or ``<repo>/../shared/data``) and gives half-open ``[start, end)``
character offsets into that page's ``text``: ``title``, ``dateline`` (or null) and ``body``
(a list of spans in reading order).  No corpus text is stored in the repository.

Checked: the fields and their types; ``split`` agrees with the page's fold (``heldout`` for
Fold_3, else ``dev``); ``kind`` is article / listing / other (listing and other pages have no
title, dateline or body); every span is in range, non-empty, non-blank and without
leading/trailing whitespace; body spans are in order and do not overlap; title and dateline do
not overlap the body; the dateline comes before the last body span (a photo caption kept as
body may precede it); every rationale line of the page
overlaps the body or the title of an article (or the note mentions the rationale).

Without ``--show`` only counts and problems are printed (no corpus text).  With ``--show`` the
title and dateline text and the first and last 60 characters of each body span are printed so
that they can be read back against ``annotate.py show`` (``^``/``$`` mark a span that starts or
ends at a line boundary, ``…`` one inside a line); ``--partial`` skips the whole-line body spans.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_FILE = HERE / "pages_fc_stance.jsonl"
KINDS = ("article", "listing", "other")
KEYS = {"doc", "split", "kind", "title", "dateline", "body", "note"}


def shared_data() -> Path:
    env = os.environ.get("MARSAD_SHARED_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


def load_pages() -> list[dict[str, Any]]:
    path = shared_data() / "claims" / "arabic_fc_stance" / "dev.jsonl.gz"
    if not path.is_file():
        raise SystemExit(f"missing {path} (set MARSAD_SHARED_DATA)")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def line_starts(text: str) -> list[int]:
    starts = [0]
    for n, ch in enumerate(text):
        if ch == "\n":
            starts.append(n + 1)
    return starts


def line_of(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def rationale_lines(page: dict[str, Any]) -> list[int]:
    """The page's rationale line numbers (stored as a JSON list, possibly as a string)."""
    value = page.get("rationale")
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else []
    return [int(n) for n in value or []]


def check_span(span: Any, text: str, what: str) -> list[str]:
    if not (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span)):
        return [f"{what}: not a [start, end] pair of ints"]
    s, e = span
    if not 0 <= s < e <= len(text):
        return [f"{what}: [{s}, {e}] out of range (text has {len(text)} chars)"]
    piece = text[s:e]
    problems = []
    if not piece.strip():
        problems.append(f"{what}: blank")
    elif piece != piece.strip():
        problems.append(f"{what}: leading/trailing whitespace")
    return problems


def check_record(rec: dict[str, Any], pages: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    if set(rec) != KEYS:
        problems.append(f"keys {sorted(rec)} != {sorted(KEYS)}")
    doc = rec.get("doc")
    if not isinstance(doc, int) or not 0 <= doc < len(pages):
        return [*problems, f"bad doc {doc!r}"]
    page = pages[doc]
    text = page["text"]
    split = "heldout" if page["fold"] == "Fold_3" else "dev"
    if rec.get("split") != split:
        problems.append(f"split {rec.get('split')!r} but fold {page['fold']} -> {split}")
    kind = rec.get("kind")
    if kind not in KINDS:
        problems.append(f"bad kind {kind!r}")
    if not isinstance(rec.get("note"), str):
        problems.append("note must be a string")
    body = rec.get("body")
    if not isinstance(body, list):
        return [*problems, "body must be a list"]
    if kind in ("listing", "other"):
        if rec.get("title") is not None or rec.get("dateline") is not None or body:
            problems.append(f"{kind}: title/dateline must be null and body empty")
        if not rec.get("note"):
            problems.append(f"{kind}: needs a note")
        return problems
    if not body:
        problems.append("article with an empty body")
    for n, span in enumerate(body):
        problems += check_span(span, text, f"body[{n}]")
    if problems:
        return problems
    for n in range(1, len(body)):
        if body[n][0] < body[n - 1][1]:
            problems.append(f"body[{n}] starts before body[{n - 1}] ends")
    for key in ("title", "dateline"):
        span = rec.get(key)
        if span is None:
            continue
        sub = check_span(span, text, key)
        problems += sub
        if sub:
            continue
        for n, b in enumerate(body):
            if span[0] < b[1] and b[0] < span[1]:
                problems.append(f"{key} overlaps body[{n}]")
    dl = rec.get("dateline")
    if dl is not None and body and dl[0] > body[-1][0]:
        problems.append("dateline after the start of the last body span")
    starts = line_starts(text)
    covered = set()
    for s, e in body + ([rec["title"]] if rec.get("title") else []):
        covered.update(range(line_of(starts, s), line_of(starts, e - 1) + 1))
    missing = [n for n in rationale_lines(page) if n not in covered]
    if missing and "rationale" not in rec.get("note", "").lower():
        problems.append(f"rationale lines {missing} outside the body (and no note about it)")
    return problems


def show_record(rec: dict[str, Any], pages: list[dict[str, Any]], partial: bool = False) -> None:
    page = pages[rec["doc"]]
    text = page["text"]
    starts = line_starts(text)
    print(f"== doc {rec['doc']} [{rec['split']}/{rec['kind']}] rationale={rationale_lines(page)}")
    if rec.get("note"):
        print(f"   note: {rec['note']}")
    for key in ("title", "dateline"):
        span = rec.get(key)
        if span is not None:
            print(f"   {key} L{line_of(starts, span[0])} {span}: {text[span[0] : span[1]]!r}")
    for n, (s, e) in enumerate(rec["body"]):
        piece = text[s:e].replace("\n", " ⏎ ")
        l0, l1 = line_of(starts, s), line_of(starts, e - 1)
        where = f"L{l0}" if l0 == l1 else f"L{l0}-{l1}"
        at_start = "^" if s == starts[l0] else "…"
        line_end = starts[l1 + 1] - 1 if l1 + 1 < len(starts) else len(text)
        at_end = "$" if e == line_end else "…"
        if partial and at_start == "^" and at_end == "$":
            continue
        if len(piece) <= 130:
            print(f"   body[{n}] {where} {at_start}{piece}{at_end}")
        else:
            print(f"   body[{n}] {where} {at_start}{piece[:60]} … {piece[-60:]}{at_end}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--show", action="store_true", help="print the spans' text")
    parser.add_argument(
        "--partial", action="store_true", help="with --show: skip body spans that are whole lines"
    )
    parser.add_argument("--doc", type=int, nargs="*", help="only these docs")
    args = parser.parse_args(argv)
    pages = load_pages()
    with args.file.open(encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    seen: Counter[int] = Counter(r.get("doc") for r in records)
    bad = 0
    for doc, n in seen.items():
        if n > 1:
            print(f"doc {doc}: annotated {n} times")
            bad += 1
    counts: Counter[tuple[str, str]] = Counter()
    spans = 0
    for rec in records:
        if args.doc and rec.get("doc") not in args.doc:
            continue
        problems = check_record(rec, pages)
        for p in problems:
            print(f"doc {rec.get('doc')}: {p}")
        bad += bool(problems)
        counts[(rec.get("split"), rec.get("kind"))] += 1
        spans += len(rec.get("body") or [])
        if args.show and not problems:
            show_record(rec, pages, args.partial)
    for (split, kind), n in sorted(counts.items()):
        print(f"{split:8} {kind:8} {n}")
    print(f"{sum(counts.values())} pages, {spans} body spans, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
