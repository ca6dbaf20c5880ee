"""Attribution accuracy on the hand-annotated set in eval/attribution/ (see its GUIDELINES.md).

    python eval/attribution_eval.py [--set tuned|heldout|all] [--show-errors] [--speed]

Each annotated claim is matched to the Marsad claim unit that overlaps it most (the article or
paragraph is segmented and split as in the pipeline, and units are attributed in order so
carried-over sources resolve). Reported: source-type accuracy (overall, per type, per origin),
source-span exact and partial (overlapping) match over claims that have a source, and the
share of source-less claims left source-less.

The **real** sets (``real-dev``, ``real-heldout``: Syria-war pages, political SaudiNewsNet
articles and ArMPro paragraphs annotated by offsets, GUIDELINES.md "Real sets") also give
``source_overlap`` (a predicted source span overlapping the annotated one with Jaccard >= 0.5,
over claims with an annotated source), ``right_source`` (over every attributed claim, the
speaker named earlier included: the span overlaps so, or the predicted source names the same
speaker, one folded text holding the other, as ``بوتين`` and ``الرئيس الروسي فلاديمير بوتين``)
and both per pattern.

Figures are given for the **tuned** set (project + SaudiNewsNet claims, which the rules were
written against), the **held-out** set (``claims_heldout.jsonl``, annotated before the rules
were run on it and not used for tuning) and both combined. ``--speed`` also times
``attribute`` alone over every claim unit of the annotated texts (claims per second, one core).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent / "attribution"))

from load import load_all, load_heldout, load_real

from marsad.actors.gazetteer import load_gazetteer
from marsad.claims.attribution import (
    Attribution,
    Names,
    attribute,
    attribute_all,
    gazetteer_names,
)
from marsad.claims.models import Learned, packaged
from marsad.claims.split import split_claims
from marsad.config import load_config
from marsad.normalize import normalize
from marsad.segment import segment

SETS = ("tuned", "heldout", "all", "real-dev", "real-heldout")
JACCARD = 0.5  # a predicted source span is right when it overlaps the annotated one this much
MIN_SPEAKER_CHARS = 3  # a name shorter than this is not evidence of the same speaker
SPEED_ROUNDS = 20  # passes over the claim units when timing


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


_NAMES: list[Names] = []


def _learned() -> Learned | None:
    """The learned models when the claims stage would use them (``claims.learned_attribution``,
    also ``MARSAD_CLAIMS_LEARNED_ATTRIBUTION=true``), else ``None`` (the rules alone)."""
    if not load_config().claims.learned_attribution:
        return None
    return packaged(load_gazetteer())


_LEARNED: list[Learned | None] = []


def predictions(text: str) -> list[tuple[tuple[int, int], Attribution]]:
    """Every claim unit of ``text`` with its attribution, as the claims stage makes them with the
    default settings and the starter gazetteer."""
    if not _LEARNED:
        _LEARNED.append(_learned())
        _NAMES.append(gazetteer_names(load_gazetteer()))
    spans = [unit.span for unit in split_claims(text, segment(text))]
    found = attribute_all(text, spans, _LEARNED[0], _NAMES[0])
    return list(zip(spans, found, strict=True))


def evaluate(items: list[dict[str, Any]]) -> dict[str, Any]:
    cache: dict[str, list[tuple[tuple[int, int], Attribution]]] = {}
    per_type: Counter[str] = Counter()
    per_type_ok: Counter[str] = Counter()
    origin_ok: Counter[str] = Counter()
    origin_n: Counter[str] = Counter()
    exact = partial = with_source = empty_ok = empty_n = 0
    overlap = attributed = right = 0
    pattern_n: Counter[str] = Counter()
    pattern_type: Counter[str] = Counter()
    pattern_source: Counter[str] = Counter()
    pattern_attributed: Counter[str] = Counter()
    errors = []
    for item in items:
        units = cache.setdefault(item["text"], predictions(item["text"]))
        claim = tuple(item["claim"])
        _, found = max(units, key=lambda u: _overlap(u[0], claim))  # type: ignore[arg-type]
        gold_type = item["source_type"]
        per_type[gold_type] += 1
        origin_n[item["origin"]] += 1
        if found.source_type == gold_type:
            per_type_ok[gold_type] += 1
            origin_ok[item["origin"]] += 1
        else:
            errors.append((item["id"], gold_type, found.source_type, found.source))
        gold = item.get("source") or item.get("source_in_context")
        hit = False
        if gold:
            with_source += 1
            if found.source_span is not None:
                exact += tuple(found.source_span) == tuple(gold)
                partial += _overlap(tuple(found.source_span), tuple(gold)) > 0
                hit = _jaccard(tuple(found.source_span), tuple(gold)) >= JACCARD
            overlap += hit
        else:
            empty_n += 1
            empty_ok += found.source_span is None
        is_attributed = gold_type not in ("self", "unattributed")
        same = hit or (
            gold is not None
            and found.source is not None
            and _same_speaker(found.source, item["text"][gold[0] : gold[1]])
        )
        if is_attributed:
            attributed += 1
            right += same
        for pattern in item.get("patterns", ()):
            pattern_n[pattern] += 1
            pattern_type[pattern] += found.source_type == gold_type
            if is_attributed:
                pattern_attributed[pattern] += 1
                pattern_source[pattern] += same
    total = sum(per_type.values())
    return {
        "claims": total,
        "type_accuracy": round(sum(per_type_ok.values()) / total, 3),
        "type_accuracy_by_origin": {o: round(origin_ok[o] / n, 3) for o, n in origin_n.items()},
        "type_accuracy_by_type": {t: round(per_type_ok[t] / n, 3) for t, n in per_type.items()},
        "source_exact": round(exact / with_source, 3) if with_source else None,
        "source_partial": round(partial / with_source, 3) if with_source else None,
        "sourceless_kept_sourceless": round(empty_ok / empty_n, 3) if empty_n else None,
        "source_overlap": round(overlap / with_source, 3) if with_source else None,
        "right_source": round(right / attributed, 3) if attributed else None,
        **(
            {
                "type_accuracy_by_pattern": {
                    p: round(pattern_type[p] / n, 3) for p, n in sorted(pattern_n.items())
                },
                "right_source_by_pattern": {
                    p: round(pattern_source[p] / n, 3)
                    for p, n in sorted(pattern_attributed.items())
                },
                "claims_by_pattern": dict(sorted(pattern_n.items())),
            }
            if pattern_n
            else {}
        ),
        "errors": errors,
    }


def _same_speaker(predicted: str, gold: str) -> bool:
    """The predicted source names the annotated speaker: one folded text holds the other
    (``بوتين`` in ``الرئيس الروسي فلاديمير بوتين``: a carried-over claim may point at another
    mention of the same speaker than the one the annotator marked)."""
    a, b = normalize(" ".join(predicted.split())), normalize(" ".join(gold.split()))
    shorter, longer = sorted((a, b), key=len)
    return len(shorter.replace(" ", "")) >= MIN_SPEAKER_CHARS and f" {shorter} " in f" {longer} "


def _jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = _overlap(a, b)
    union = (a[1] - a[0]) + (b[1] - b[0]) - inter
    return inter / union if union else 0.0


def load_sets(which: str) -> tuple[dict[str, list[dict[str, Any]]], bool]:
    """The annotated claims of each requested set, and whether SaudiNewsNet could be read."""
    tuned, with_snn = load_all()
    heldout = load_heldout()
    sets = {"tuned": tuned, "heldout": heldout, "all": tuned + heldout}
    real = load_real()
    if real is not None:
        sets["real-dev"] = [i for i in real if i["split"] == "dev"]
        sets["real-heldout"] = [i for i in real if i["split"] == "heldout"]
    wanted = [name for name in SETS if name in sets] if which == "all" else [which]
    return {name: sets[name] for name in wanted if sets.get(name)}, with_snn


def speed(items: list[dict[str, Any]]) -> float:
    """Claims per second of ``attribute`` alone over the claim units of the annotated texts."""
    texts = list(dict.fromkeys(item["text"] for item in items))
    units = [(text, [u.span for u in split_claims(text, segment(text))]) for text in texts]
    count = 0
    began = time.perf_counter()
    for _ in range(SPEED_ROUNDS):
        for text, spans in units:
            previous: Attribution | None = None
            for span in spans:
                previous = attribute(text, span, previous)
                count += 1
    return count / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", choices=SETS, default="all", help="which claims to score")
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--speed", action="store_true", help="also time attribute()")
    args = parser.parse_args()
    sets, with_snn = load_sets(args.set)
    if not with_snn:
        print("SaudiNewsNet not found: the tuned set is the project-written claims only")
    for name, items in sets.items():
        result = evaluate(items)
        errors = result.pop("errors")
        print(f"== {name}")
        for key, value in result.items():
            print(f"{key}: {value}")
        if args.show_errors:
            for error in errors:
                print(error)
    if args.speed:
        every = [item for items in sets.values() for item in items]
        print(f"claims_per_second: {speed(every):.0f}")


if __name__ == "__main__":
    main()
