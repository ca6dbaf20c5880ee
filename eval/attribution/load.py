"""Load the hand-annotated claim-attribution evaluation set (see GUIDELINES.md).

    python eval/attribution/load.py [--data PATH] [--show]

Three files:

* ``claims_project.jsonl``: sentences written for this project; each line carries its text.
* ``claims_heldout.jsonl``: more project-written paragraphs, annotated before the rules were
  run on them and kept out of rule tuning (origin ``heldout``); same format.
* ``claims_snn_offsets.jsonl``: claims in real SaudiNewsNet articles.  No article text is
  stored in the repository: only the record ``idx`` and half-open character offsets into that
  record's ``content`` field (Python string indices of the raw field value).  The text is
  rebuilt at run time from the shared copy of the corpus (default
  ``<repo>/../shared/data/news/saudinewsnet.jsonl.gz``, or ``$MARSAD_SAUDINEWSNET``).  When that
  file is absent the SaudiNewsNet part is skipped with a message; nothing crashes.

Every span (claim, source, verb, source_in_context) is checked to be in range and non-empty
(and non-blank) in the rebuilt text; a bad span raises ``ValueError``.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpora import available, doc_key, text_of

from marsad.claims.attribution import SOURCE_TYPES as ATTRIBUTION_TYPES

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PROJECT_FILE = HERE / "claims_project.jsonl"
SNN_FILE = HERE / "claims_snn_offsets.jsonl"
HELDOUT_FILE = HERE / "claims_heldout.jsonl"
DEFAULT_SNN = ROOT.parent / "shared" / "data" / "news" / "saudinewsnet.jsonl.gz"

SOURCE_TYPES = tuple(ATTRIBUTION_TYPES)  # one definition: marsad.claims.attribution
SPAN_KEYS = ("claim", "source", "verb", "source_in_context")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _check(rec: dict[str, Any], text: str) -> dict[str, Any]:
    """Validate labels and spans of one record against ``text``; add ``*_text`` fields."""
    rid = rec["id"]
    if rec.get("source_type") not in SOURCE_TYPES:
        raise ValueError(f"{rid}: bad source_type {rec.get('source_type')!r}")
    if not isinstance(rec.get("hedged"), bool):
        raise ValueError(f"{rid}: hedged must be a bool")
    if rec.get("claim") is None:
        raise ValueError(f"{rid}: claim span is required")
    out = dict(rec)
    for key in SPAN_KEYS:
        span = rec.get(key)
        if span is None:
            out[f"{key}_text"] = None
            continue
        start, end = span
        if not (0 <= start < end <= len(text)):
            raise ValueError(f"{rid}: {key} span {span} out of range (text length {len(text)})")
        piece = text[start:end]
        if not piece.strip():
            raise ValueError(f"{rid}: {key} span {span} is blank")
        out[f"{key}_text"] = piece
    if rec["source_type"] in ("self", "unattributed") and rec.get("source") is not None:
        raise ValueError(f"{rid}: {rec['source_type']} claims have no source span")
    return out


def load_project(path: Path = PROJECT_FILE, origin: str = "project") -> list[dict[str, Any]]:
    """Project claims with their text and span texts, origin ``project``."""
    out = []
    for rec in _read_jsonl(path):
        item = _check(rec, rec["text"])
        item["origin"] = origin
        out.append(item)
    return out


def load_heldout(path: Path = HELDOUT_FILE) -> list[dict[str, Any]]:
    """Held-out project claims (annotated before the rules were run on them), origin ``heldout``."""
    return load_project(path, origin="heldout")


def snn_path(data: str | os.PathLike[str] | None = None) -> Path:
    if data is not None:
        return Path(data)
    env = os.environ.get("MARSAD_SAUDINEWSNET")
    return Path(env) if env else DEFAULT_SNN


def load_saudinewsnet(
    data: str | os.PathLike[str] | None = None, path: Path = SNN_FILE
) -> list[dict[str, Any]] | None:
    """SaudiNewsNet claims rebuilt with article text; ``None`` if the shared data is absent."""
    src = snn_path(data)
    if not src.is_file():
        return None
    recs = _read_jsonl(path)
    wanted = {r["idx"] for r in recs}
    articles: dict[int, dict[str, Any]] = {}
    opener = gzip.open if src.suffix == ".gz" else open
    with opener(src, "rt", encoding="utf-8") as f:
        for line in f:
            art = json.loads(line)
            if art.get("idx") in wanted:
                articles[art["idx"]] = art
    out = []
    for rec in recs:
        art = articles.get(rec["idx"])
        if art is None:
            raise ValueError(f"{rec['id']}: idx {rec['idx']} not found in {src}")
        item = _check(rec, art["content"])
        item.update(
            origin="saudinewsnet",
            text=art["content"],
            outlet=art.get("source"),
            url=art.get("url"),
            title=art.get("title"),
        )
        out.append(item)
    return out


# -- the real sets: war and politics news, offsets only (GUIDELINES.md, "Real sets") ----------
REAL_GLOB = "real_*.jsonl"
SPLITS = ("dev", "heldout")
PATTERNS = (
    "verb_first",  # قال / أكد / أعلن X إن ...
    "source_first",  # X قال إن ... ; الوزارة أكدت أن ...
    "quote",  # وقال X: « ... » / direct speech
    "long_source",  # the source after the verb is long (titles, names, appositions, a date)
    "nominal",  # إقرار / اعتراف / كشف / تصريحات / إفادات X بأن ; جاء في بيان ; في تصريح لـ
    "according_to",  # وفقاً لـ / بحسب / حسب / وفق / نقلاً عن X
    "according_to_what",  # وفقاً لما ذكرته X ; بحسب ما أفاد X
    "relay",  # نقلت X عن Y ; نقلاً عن ... عن ... : the innermost source is annotated
    "carried_over",  # وأضاف / وتابع قائلاً / واختتم / مضيفاً, the speaker named before
    "earlier_sentence",  # the speaker is named in an earlier sentence, with no continuation verb
    "media_report",  # a newspaper's or agency's report as the source (media, not a document)
    "chained",  # one of several statements chained in one sentence (كما ... وقبل ذلك ... تلاه)
    "hedged",  # impersonal hedges and rumours (يُعتقد، أنباء عن، تردد)
    "self",  # the outlet's own voice
)


def check_real_record(rec: dict[str, Any]) -> dict[str, Any]:
    """A real-set record checked against its text (read from the shared data)."""
    if rec.get("split") not in SPLITS:
        raise ValueError(f"{rec.get('id')}: split must be one of {SPLITS}")
    patterns = rec.get("patterns")
    if not patterns or any(p not in PATTERNS for p in patterns):
        raise ValueError(f"{rec.get('id')}: patterns must be a non-empty list from {PATTERNS}")
    found = text_of(rec)
    item = _check(rec, found["text"])
    corpus, doc = doc_key(rec)
    item.update(
        origin=f"real-{corpus}",
        corpus=corpus,
        doc=doc,
        text=found["text"],
        outlet=found.get("outlet"),
        url=found.get("url"),
        title=found.get("title"),
    )
    return item


def check_real_file(path: Path) -> list[dict[str, Any]]:
    items = [check_real_record(rec) for rec in _read_jsonl(path)]
    ids = [i["id"] for i in items]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{path}: repeated ids")
    return items


def load_real(split: str | None = None) -> list[dict[str, Any]] | None:
    """The real sets (``split`` ``dev``, ``heldout`` or both); ``None`` when a corpus they
    point into is not there."""
    items: list[dict[str, Any]] = []
    for path in sorted(HERE.glob(REAL_GLOB)):
        records = _read_jsonl(path)
        if any(not available(doc_key(r)[0]) for r in records):
            return None
        items += [check_real_record(r) for r in records]
    return [i for i in items if split is None or i["split"] == split]


def load_all(data: str | os.PathLike[str] | None = None) -> tuple[list[dict[str, Any]], bool]:
    """All claims; the flag says whether the SaudiNewsNet part could be rebuilt."""
    items = load_project()
    snn = load_saudinewsnet(data)
    if snn is not None:
        items += snn
    return items, snn is not None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", help="path to saudinewsnet.jsonl.gz")
    ap.add_argument("--show", action="store_true", help="print every claim with its spans")
    args = ap.parse_args(argv)

    items = load_project() + load_heldout()
    snn = load_saudinewsnet(args.data)
    if snn is None:
        n = len(_read_jsonl(SNN_FILE))
        print(
            f"SaudiNewsNet data not found at {snn_path(args.data)}: skipping its {n} claims "
            "(set --data or MARSAD_SAUDINEWSNET)."
        )
    else:
        items += snn

    by_origin = Counter(i["origin"] for i in items)
    print(f"{len(items)} claims, all spans verified non-empty")
    print("per origin:", ", ".join(f"{k}={v}" for k, v in sorted(by_origin.items())))
    print(f"{'source_type':<20}" + "".join(f"{o:>14}" for o in sorted(by_origin)) + f"{'total':>8}")
    for st in SOURCE_TYPES:
        row = [
            sum(1 for i in items if i["origin"] == o and i["source_type"] == st)
            for o in sorted(by_origin)
        ]
        print(f"{st:<20}" + "".join(f"{c:>14}" for c in row) + f"{sum(row):>8}")
    hedged = Counter(i["origin"] for i in items if i["hedged"])
    print("hedged:", ", ".join(f"{k}={v}" for k, v in sorted(hedged.items())))
    if snn is not None:
        outlets = Counter(i["outlet"] for i in snn)
        print("SaudiNewsNet outlets:", ", ".join(f"{k}={v}" for k, v in outlets.most_common()))
    if args.show:
        for i in items:
            ctx = i.get("source_in_context_text")
            print(
                f"{i['id']} [{i['source_type']}{', hedged' if i['hedged'] else ''}] "
                f"CLAIM={i['claim_text']!r} SOURCE={i['source_text']!r} VERB={i['verb_text']!r}"
                + (f" CONTEXT={ctx!r}" if ctx else "")
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
