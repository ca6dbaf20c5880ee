"""Entity-level (CoNLL) accuracy of the NER tagger on the ANERcorp test split.

    python eval/ner_eval.py [--data ../shared/data] [--model PATH/ner-crf.crfsuite]
        [--ner-model crf|crf+e5] [--viterbi] [--news-docs 3000]

Prints precision, recall and F1 per type and micro-averaged (an entity counts only when its
span and type both match exactly, as in conlleval), the model size (CRF file + lexicon) and
tagging speed in tokens per second of CPU time (one process; feature extraction included):
on the test split (``tag_sentences`` over all sentences) and on news text
(``NerTagger.entities`` over the first ``--news-docs`` SaudiNewsNet articles, a fresh tagger,
so its per-word cache starts empty; 0 skips it). ``--viterbi`` scores plain Viterbi decoding
instead of the tagger's default posterior decoding. ``--ner-model crf+e5`` scores the CRF mixed
with the fine-tuned e5 tagger (``actors.ner_model = "crf+e5"``); its speed is also given in
wall-clock words per second, since its numpy matrix products use both cores.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.actors.e5_tagger import default_path as e5_path  # noqa: E402
from marsad.actors.ner import (  # noqa: E402
    E5_WEIGHT,
    ENTITY_BOOST,
    ENTITY_TYPES,
    LEXICON_NAME,
    PRIOR_WEIGHT,
    NerTagger,
    default_model_path,
    read_conll,
    spans_from_tags,
    tokenize,
)

DEFAULT_DATA = ROOT.parent / "shared" / "data"
TEST_FILE = Path("ner/anercorp_camel/ANERCorp_CamelLab_test.txt")
NEWS_FILE = Path("news/saudinewsnet.jsonl.gz")
NEWS_DOCS = 3000
MICRO = "micro"


@dataclass
class Score:
    hit: int = 0
    gold: int = 0
    pred: int = 0

    @property
    def precision(self) -> float:
        return self.hit / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.hit / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: list[list[str]], pred: list[list[str]]) -> dict[str, Score]:
    """Per-type and micro counts of exact-match entities."""
    scores = {kind: Score() for kind in (*ENTITY_TYPES, MICRO)}
    for g_tags, p_tags in zip(gold, pred, strict=True):
        g, p = set(spans_from_tags(g_tags)), set(spans_from_tags(p_tags))
        for spans, attr in ((g, "gold"), (p, "pred"), (g & p, "hit")):
            for kind, _, _ in spans:
                for key in (kind, MICRO):
                    row = scores.setdefault(key, Score())
                    setattr(row, attr, getattr(row, attr) + 1)
    return scores


@dataclass
class Result:
    scores: dict[str, Score]
    size_bytes: int
    tokens_per_s: float
    tokens: int
    wall_tokens_per_s: float = 0.0


def evaluate(
    data: Path = DEFAULT_DATA,
    model: Path | None = None,
    entity_boost: float | None = ENTITY_BOOST,
    ner_model: str = "crf",
) -> Result:
    """Scores, model size (bytes) and tokens/s on the test split (decoding as in NerTagger)."""
    path = default_model_path() if model is None else model
    tagger = NerTagger.load(path, entity_boost=entity_boost, model=ner_model)
    sentences = read_conll(data / TEST_FILE)
    started, wall = time.process_time(), time.perf_counter()
    pred = tagger.tag_sentences(tokens for tokens, _ in sentences)
    seconds, wall = time.process_time() - started, time.perf_counter() - wall
    n_tokens = sum(len(tokens) for tokens, _ in sentences)
    size = path.stat().st_size + path.with_name(LEXICON_NAME).stat().st_size
    if ner_model == "crf+e5":
        size += e5_path().stat().st_size
    return Result(
        scores=score([tags for _, tags in sentences], pred),
        size_bytes=size,
        tokens_per_s=n_tokens / seconds,
        tokens=n_tokens,
        wall_tokens_per_s=n_tokens / wall,
    )


def news_speed(
    data: Path = DEFAULT_DATA,
    model: Path | None = None,
    docs: int = NEWS_DOCS,
    entity_boost: float | None = ENTITY_BOOST,
    ner_model: str = "crf",
) -> tuple[float, int]:
    """Tokens per CPU second of ``NerTagger.entities`` on the first ``docs`` news articles."""
    texts: list[str] = []
    with gzip.open(data / NEWS_FILE, "rt", encoding="utf-8") as handle:
        for line in handle:
            if len(texts) >= docs:
                break
            record = json.loads(line)
            texts.append(f"{record.get('title', '')}\n{record.get('content', '')}")
    tagger = NerTagger.load(model, entity_boost=entity_boost, model=ner_model)
    started = time.process_time()
    for text in texts:
        tagger.entities(text)
    seconds = time.process_time() - started
    n_tokens = sum(len(tokenize(text)) for text in texts)
    return n_tokens / max(seconds, 1e-9), n_tokens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--ner-model", default="crf", choices=("crf", "crf+e5"))
    parser.add_argument("--viterbi", action="store_true", help="plain Viterbi decoding")
    parser.add_argument("--news-docs", type=int, default=NEWS_DOCS, help="0: no news speed")
    args = parser.parse_args()
    boost = None if args.viterbi else ENTITY_BOOST
    result = evaluate(args.data, args.model, boost, args.ner_model)
    decoding = "viterbi" if args.viterbi else f"posterior, entity boost {ENTITY_BOOST}"
    if args.ner_model == "crf+e5":
        decoding = (
            f"crf+e5: CRF log posteriors x {1 - E5_WEIGHT:.1f} + e5 x {E5_WEIGHT}, BIO Viterbi"
        )
    print(f"model: {args.ner_model}; decoding: {decoding}, news prior weight {PRIOR_WEIGHT}")
    print("| type | P | R | F1 | gold | pred |")
    print("|---|---|---|---|---|---|")
    for kind, row in result.scores.items():
        print(
            f"| {kind} | {row.precision:.3f} | {row.recall:.3f} | {row.f1:.3f} | "
            f"{row.gold} | {row.pred} |"
        )
    print(f"model size: {result.size_bytes / 1e6:.2f} MB")
    print(
        f"speed, test split: {result.tokens_per_s:.0f} tokens per CPU second, "
        f"{result.wall_tokens_per_s:.0f} tokens/s wall clock, over {result.tokens} tokens"
    )
    if args.news_docs:
        speed, n_tokens = news_speed(args.data, args.model, args.news_docs, boost, args.ner_model)
        print(f"speed, news (entities()): {speed:.0f} tokens/s over {n_tokens} tokens")


if __name__ == "__main__":
    main()
