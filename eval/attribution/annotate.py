"""Tools for annotating attribution on real texts by offsets (see GUIDELINES.md).

    python eval/attribution/annotate.py show fc_stance 17          # lines with their offsets
    python eval/attribution/annotate.py locate fc_stance 17 "قال التحالف" [--nth 2] [--from 300]
    python eval/attribution/annotate.py find armpro "اعترف\\S* .{0,40} ب?أن" --limit 20
    python eval/attribution/annotate.py check eval/attribution/real_fc_stance.jsonl

``show`` prints a document line by line, each line with the offset where it starts (and the
page's url, outlet, title); ``locate`` prints the ``[start, end)`` of a piece of text (the
n-th occurrence after an offset), so spans are copied, never counted by hand; ``find`` searches
a whole corpus with a regular expression and prints each hit with its document and offsets;
``check`` validates a file of annotations and prints every span's text. Nothing here runs
Marsad's attribution: annotations are made without seeing its output.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import CORPORA, documents
from load import check_real_file


def _doc(corpus: str, doc: str) -> tuple[str | int, dict[str, Any]]:
    docs = documents(corpus)
    key: str | int = int(doc) if corpus in ("fc_stance", "snn") else doc
    if key not in docs:
        raise SystemExit(f"{corpus} has no document {doc!r}")
    return key, docs[key]


def show(corpus: str, doc: str, width: int) -> None:
    _, found = _doc(corpus, doc)
    for field in ("url", "outlet", "title", "claim", "stance", "fold", "rationale"):
        if found.get(field) not in (None, ""):
            print(f"# {field}: {found[field]}")
    offset = 0
    for n, line in enumerate(found["text"].split("\n")):
        shown = line if width <= 0 else line[:width] + ("…" if len(line) > width else "")
        print(f"[{n:>3} @{offset:>6}] {shown}")
        offset += len(line) + 1


def locate(corpus: str, doc: str, piece: str, nth: int, start: int) -> None:
    _, found = _doc(corpus, doc)
    text = found["text"]
    at = start - 1
    for _ in range(nth):
        at = text.find(piece, at + 1)
        if at < 0:
            raise SystemExit(f"not found (occurrence {nth} after {start}): {piece!r}")
    print(json.dumps([at, at + len(piece)]))


def find(corpus: str, pattern: str, limit: int, context: int) -> None:
    regex = re.compile(pattern)
    hits = 0
    for key, found in documents(corpus).items():
        for match in regex.finditer(found["text"]):
            text = found["text"]
            left = text[max(0, match.start() - context) : match.start()].replace("\n", " ⏎ ")
            right = text[match.end() : match.end() + context].replace("\n", " ⏎ ")
            print(f"{key}\t[{match.start()}, {match.end()}]\t{left}【{match.group()}】{right}")
            hits += 1
            if hits >= limit:
                return


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_show = sub.add_parser("show")
    p_show.add_argument("corpus", choices=CORPORA)
    p_show.add_argument("doc")
    p_show.add_argument("--width", type=int, default=0, help="cut lines to this many chars")
    p_locate = sub.add_parser("locate")
    p_locate.add_argument("corpus", choices=CORPORA)
    p_locate.add_argument("doc")
    p_locate.add_argument("piece")
    p_locate.add_argument("--nth", type=int, default=1)
    p_locate.add_argument("--from", dest="start", type=int, default=0)
    p_find = sub.add_parser("find")
    p_find.add_argument("corpus", choices=CORPORA)
    p_find.add_argument("pattern")
    p_find.add_argument("--limit", type=int, default=30)
    p_find.add_argument("--context", type=int, default=80)
    p_check = sub.add_parser("check")
    p_check.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    if args.command == "show":
        show(args.corpus, args.doc, args.width)
    elif args.command == "locate":
        locate(args.corpus, args.doc, args.piece, args.nth, args.start)
    elif args.command == "find":
        find(args.corpus, args.pattern, args.limit, args.context)
    else:
        for item in check_real_file(args.file):
            print(
                f"{item['id']} [{item['split']}/{','.join(item['patterns'])}/{item['source_type']}"
                f"{', hedged' if item['hedged'] else ''}] CLAIM={item['claim_text']!r} "
                f"SOURCE={item['source_text']!r} VERB={item['verb_text']!r}"
                + (
                    f" CONTEXT={item['source_in_context_text']!r}"
                    if item.get("source_in_context_text")
                    else ""
                )
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
