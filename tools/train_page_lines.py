"""Train the page-line model (``marsad.clean.pagelines``): which lines of a scraped page are
the article.

    python tools/train_page_lines.py [--cv] [--out src/marsad/data/models/page-lines.json]

Training data, all real and read from the shared data at run time (nothing of it is stored):

* the development pages of ``eval/cleaning/pages_fc_stance.jsonl`` (``split`` = ``dev``:
  every ``arabic_fc_stance`` fold but ``Fold_3``, which is the held-out part): each line is
  article when at least half of its characters lie in the annotated title, dateline or body;
* the stance lines (``rationale``) of every other development page of ``arabic_fc_stance``
  (article lines, known without a full annotation);
* SaudiNewsNet article contents (records whose ``idx`` is not used by the pasted-text cases),
  every line article: clean article text must come through untouched.

The model is an L2-regularised logistic regression fitted by Newton's method (numpy); the
decoding bias is chosen by cross-validation over the annotated pages (``--cv`` prints the
figures per bias) to leave chrome on as few pages as possible without losing article lines.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "eval" / "attribution"))
sys.path.insert(0, str(ROOT / "eval"))

from corpora import corpus_path, documents  # noqa: E402

from marsad.clean.boilerplate import tidy_line  # noqa: E402
from marsad.clean.pagelines import (  # noqa: E402
    LEXICAL_BUCKETS,
    LineModel,
    best_block,
    features,
    lexical,
)

PAGES = ROOT / "eval" / "cleaning" / "pages_fc_stance.jsonl"
OUT = ROOT / "src" / "marsad" / "data" / "models" / "page-lines.json"
VERSION = "page-lines.v1"
L2 = 1.0
LEXICAL_L2 = 1.0  # times L2, for the lexical buckets
SNN_ARTICLES = 400
SNN_SEED = 7
SNN_WEIGHT = 0.1  # a clean article's lines count less than a hand-annotated page's
STANCE_WEIGHT = 0.5
FOLDS = 5


def vectors(lines: list[str]) -> list[list[float]]:
    """Dense features then the lexical buckets, one row per line."""
    rows = []
    for dense, words in zip(features(lines), lexical(lines), strict=True):
        lex = [0.0] * LEXICAL_BUCKETS
        for b, v in words.items():
            lex[b] = v
        rows.append(dense + lex)
    return rows


def page_lines(text: str, keep: list[tuple[int, int]]) -> tuple[list[str], list[int]]:
    """The page's non-blank lines (tidied) and their labels: 1 when at least half of the
    line's characters are article."""
    inside = bytearray(len(text))
    for a, b in keep:
        inside[a:b] = b"\x01" * (b - a)
    lines, labels = [], []
    pos = 0
    for raw in text.split("\n"):
        tidy = tidy_line(raw)
        if tidy:
            lines.append(tidy)
            labels.append(int(2 * sum(inside[pos : pos + len(raw)]) >= len(raw.strip())))
        pos += len(raw) + 1
    return lines, labels


def annotated_pages(split: str) -> list[tuple[int, list[str], list[int]]]:
    pages = documents("fc_stance")
    out = []
    for row in PAGES.read_text("utf-8").splitlines():
        ann = json.loads(row)
        if ann["split"] != split or ann.get("kind", "article") != "article":
            continue
        keep = [tuple(s) for s in ann["body"]] + [
            tuple(ann[k]) for k in ("title", "dateline") if ann.get(k)
        ]
        lines, labels = page_lines(pages[ann["doc"]]["text"], keep)  # type: ignore[arg-type]
        out.append((ann["doc"], lines, labels))
    return out


def stance_examples(skip: set[int]) -> tuple[list[list[float]], list[int]]:
    """Features of the stance lines of the unannotated development pages (all article)."""
    xs: list[list[float]] = []
    seen: set[str] = set()
    for doc, page in documents("fc_stance").items():
        if page["fold"] == "Fold_3" or doc in skip or not page["rationale"]:
            continue
        key = page["text"][:200]
        if key in seen:
            continue
        seen.add(key)
        raw = page["text"].split("\n")
        wanted = {tidy_line(raw[i]) for i in json.loads(page["rationale"]) if i < len(raw)}
        lines = [tidy_line(r) for r in raw if tidy_line(r)]
        feats = vectors(lines)
        xs.extend(f for line, f in zip(lines, feats, strict=True) if line in wanted)
    return xs, [1] * len(xs)


def snn_examples() -> tuple[list[list[float]], list[int]]:
    from cleaning.pasted import build

    used = {case.idx for case in build(corpus_path("snn"))}
    rows = []
    with gzip.open(corpus_path("snn"), "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["idx"] not in used and len(r.get("content") or "") > 300:
                rows.append(r)
    rng = random.Random(SNN_SEED)
    xs: list[list[float]] = []
    for r in rng.sample(rows, SNN_ARTICLES):
        lines = [tidy_line(x) for x in r["content"].split("\n") if tidy_line(x)]
        if len(lines) >= 2:
            xs.extend(vectors(lines))
    return xs, [1] * len(xs)


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = L2) -> np.ndarray:
    """Weighted L2 logistic regression by Newton's method (the bias, column 0, unpenalised;
    the lexical buckets penalised ``LEXICAL_L2`` times more than the dense features)."""
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[x.shape[1] - LEXICAL_BUCKETS :] = l2 * LEXICAL_L2
    penalty[0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(x @ beta)))
        grad = x.T @ (w * (p - y)) + penalty * beta
        hess = (x * (w * p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-6 * np.eye(len(beta))
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-7:
            break
    return beta


def judge(model: LineModel, pages: list[tuple[int, list[str], list[int]]]) -> dict[str, float]:
    """Pages with chrome left, article lines lost, on annotated pages."""
    chrome_pages = lost = lines = 0
    for _doc, page, labels in pages:
        if len(page) < 2:
            start, end = 0, len(page)
        else:
            start, end = best_block([s + model.bias for s in model.scores(page)])
            if start >= end:
                start, end = 0, len(page)
        kept = [start <= i < end for i in range(len(page))]
        chrome_pages += any(k and not lab for k, lab in zip(kept, labels, strict=True))
        lost += sum(1 for k, lab in zip(kept, labels, strict=True) if lab and not k)
        lines += sum(labels)
    return {
        "pages": len(pages),
        "pages_with_chrome": round(chrome_pages / max(1, len(pages)), 4),
        "article_lines_lost": lost,
        "article_lines": lines,
    }


def dataset(
    pages: list[tuple[int, list[str], list[int]]], extra: tuple[list[list[float]], list[int], float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xs, ys, ws = [], [], []
    for _doc, lines, labels in pages:
        xs.extend(vectors(lines))
        ys.extend(labels)
        ws.extend([1.0] * len(labels))
    ex, ey, weight = extra
    xs.extend(ex)
    ys.extend(ey)
    ws.extend([weight] * len(ey))
    return np.array(xs), np.array(ys, dtype=float), np.array(ws)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="cross-validate the decoding bias")
    parser.add_argument("--bias", type=float, default=None, help="decoding bias to ship")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    pages = annotated_pages("dev")
    sx, sy = stance_examples({doc for doc, _, _ in pages})
    nx, ny = snn_examples()
    extra_x = sx + nx
    extra_y = sy + ny
    extra_w = [STANCE_WEIGHT] * len(sy) + [SNN_WEIGHT] * len(ny)
    print(f"{len(pages)} annotated pages, {len(sy)} stance lines, {len(ny)} SaudiNewsNet lines")

    def train(train_pages: list[tuple[int, list[str], list[int]]]) -> np.ndarray:
        x, y, w = dataset(train_pages, ([], [], 1.0))
        x = np.vstack([x, np.array(extra_x)])
        y = np.concatenate([y, np.array(extra_y, dtype=float)])
        w = np.concatenate([w, np.array(extra_w)])
        return fit(x, y, w)

    biases = (-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0)
    if args.cv:
        order = sorted(pages, key=lambda p: p[0])
        folds = [order[i::FOLDS] for i in range(FOLDS)]
        for bias in biases:
            totals = {"pages": 0, "chrome": 0.0, "lost": 0, "lines": 0}
            for k in range(FOLDS):
                rest = [p for j, f in enumerate(folds) if j != k for p in f]
                beta = train(rest)
                got = judge(LineModel(tuple(beta), bias, VERSION), folds[k])
                totals["pages"] += got["pages"]
                totals["chrome"] += got["pages_with_chrome"] * got["pages"]
                totals["lost"] += got["article_lines_lost"]
                totals["lines"] += got["article_lines"]
            print(
                f"bias {bias:+.1f}: pages with chrome {totals['chrome'] / totals['pages']:.3f}"
                f"  article lines lost {totals['lost']}/{totals['lines']}"
            )
    beta = train(pages)
    bias = args.bias if args.bias is not None else 0.0
    model = LineModel(tuple(float(b) for b in beta), bias, VERSION)
    print("dev (training pages):", judge(model, pages))
    args.out.write_text(
        json.dumps(
            {"version": VERSION, "bias": bias, "weights": [round(b, 6) for b in beta]}, indent=1
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
