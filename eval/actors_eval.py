"""Do the actors Marsad finds cover the sources of real claims? Measured on the real
attribution sets (eval/attribution, GUIDELINES.md "Real sets").

    python eval/actors_eval.py [--split dev|heldout|all] [--ner-model crf|crf+e5] [--show-misses]

For every annotated claim whose source is typed ``official`` or ``media``, the source span
(or, for a continuation, the speaker's earlier mention) must overlap at least one actor
mention found in the text by the NER model and the gazetteer (``marsad.actors.link``), as
the claims stage finds them. Reported per split: recall, and the share of those mentions
that are linked to a gazetteer actor (a canonical id rather than a name of its own).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent / "attribution"))

from load import load_real

from marsad.actors.gazetteer import load_gazetteer
from marsad.actors.link import Mention, link
from marsad.actors.ner import NerTagger

TYPES = ("official", "media")


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def evaluate(items: list[dict[str, Any]], ner_model: str = "crf") -> dict[str, Any]:
    gazetteer = load_gazetteer([], True)
    tagger = NerTagger.load(model=ner_model)
    mentions: dict[str, list[Mention]] = {}
    counts: Counter[str] = Counter()
    misses = []
    for item in items:
        if item["source_type"] not in TYPES:
            continue
        span = item.get("source") or item.get("source_in_context")
        if not span:
            continue
        text = item["text"]
        if text not in mentions:
            mentions[text] = link(text, tagger.entities(text), gazetteer)
        found = [m for m in mentions[text] if _overlap((m.start, m.end), tuple(span))]
        counts["sources"] += 1
        counts[f"sources:{item['source_type']}"] += 1
        if found:
            counts["found"] += 1
            counts[f"found:{item['source_type']}"] += 1
            counts["canonical"] += any(UNLINKED not in m.actor for m in found)
        else:
            misses.append((item["id"], item["source_type"], text[span[0] : span[1]]))
    total = counts["sources"]
    return {
        "sources": total,
        "recall": round(counts["found"] / total, 3) if total else None,
        **{
            f"recall_{t}": round(counts[f"found:{t}"] / counts[f"sources:{t}"], 3)
            for t in TYPES
            if counts[f"sources:{t}"]
        },
        "linked_to_gazetteer": round(counts["canonical"] / counts["found"], 3)
        if counts["found"]
        else None,
        "misses": misses,
    }


UNLINKED = ":"  # ids of actors the gazetteer lacks look like "organisation:<folded name>"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="all")
    parser.add_argument("--ner-model", choices=("crf", "crf+e5"), default="crf")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    items = load_real()
    if items is None:
        print("shared data not found: the real attribution sets cannot be rebuilt")
        return 0
    for split in ("dev", "heldout") if args.split == "all" else (args.split,):
        result = evaluate([i for i in items if i["split"] == split], args.ner_model)
        misses = result.pop("misses")
        print(f"[{split}] " + ", ".join(f"{k} {v}" for k, v in result.items()))
        if args.show_misses and split == "dev":  # held-out misses are not looked at
            for miss in misses:
                print("  miss", *miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
