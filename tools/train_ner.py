"""Train the Arabic NER model shipped in src/marsad/data/models (see docs/models/ner.md).

    python tools/train_ner.py [--data ../shared/data] [--out src/marsad/data/models]
        [--c1 0.01] [--c2 0.05] [--max-iter 150] [--tune] [--clusters 32,128,512,2048]
        [--e5-clusters 64,256,1024]
        [--vocab 120000] [--contexts 2000] [--dims 100] [--max-docs 0] [--seed 13]
        [--lexicon-only] [--no-priors]

Arguments:
  --data       root of the shared data (reads ner/anercorp_camel/*train*.txt and
               news/saudinewsnet.jsonl.gz; the ANERcorp test split is never read here)
  --out        directory receiving ner-crf.crfsuite and ner-lexicon.tsv.gz
  --c1, --c2   L1 / L2 regularisation of the CRF (L-BFGS)
  --max-iter   L-BFGS iterations
  --tune       first grid-search c1/c2 on the last 10 % of the training split (trained on the
               other 90 %), print the entity micro-F1 of each setting, then train on everything
               with the best one
  --clusters   k of each k-means clustering of the word vectors (one cluster-id feature each)
  --e5-clusters  k of each k-means clustering of the packaged static e5 word vectors
               (src/marsad/data/models/static-e5.npz); empty: none
  --vocab      number of most frequent words (news + training text) that get clusters
  --contexts   number of most frequent news words used as co-occurrence contexts
  --dims       SVD dimensions of the PPMI co-occurrence matrix
  --max-docs   read at most this many news articles (0: all)
  --seed       seed of the k-means initialisation and of the gazetteer folds
  --lexicon-only  build and write only the lexicon (clusters + project gazetteers)
  --no-priors  skip the news priors (tagging the news with the new model, about 2-3 minutes)

Word clusters: PPMI of +-2 word co-occurrence over the normalised news text, truncated SVD
(eigen-decomposition of the contexts' Gram matrix), unit-length rows, spherical k-means; and
spherical k-means over the packaged static e5 word vectors (a second family of cluster ids;
"-" for a word missing from one of the two tables).
Gazetteers: typed entity strings of the training split ("train") and single tokens that are
inside an entity at least half the times they occur there ("tok") -- for the training sentences
themselves both are built from the other 4 of 5 folds only, so the CRF does not learn to trust
them blindly -- and project lists ("proj": packaged places -> LOC, agency spellings -> ORG).
NewsFANE Gold is not used: its newswire text overlaps the ANERcorp test split (443 of 925 test
sentences share an 8-token run with it), so it would leak test data into the model.
News priors: after training, the new model tags the news; every normalised word seen at least
PRIOR_MIN_COUNT times gets the share of its occurrences inside an entity of each type (kept
when one share reaches PRIOR_MIN_SHARE). The tagger adds PRIOR_WEIGHT x share to the scores of
that type's labels: evidence pooled over a whole corpus for a word whose own sentence is unclear.
Everything is deterministic given --seed (CRFsuite itself is deterministic).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pycrfsuite
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.actors.ner import (  # noqa: E402
    ENTITY_TYPES,
    LEXICON_NAME,
    MODEL_NAME,
    Lexicon,
    NerTagger,
    read_conll,
    sentence_features,
    spans_from_tags,
    tokenize,
)
from marsad.actors.ner_features import NO_CLUSTER  # noqa: E402
from marsad.normalize import normalize  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
TRAIN_FILE = Path("ner/anercorp_camel/ANERCorp_CamelLab_train_reconstructed.txt")
NEWS_FILE = Path("news/saudinewsnet.jsonl.gz")
DATA_DIR = ROOT / "src" / "marsad" / "data"
FOLDS = 5
TOKEN_SHARE = 0.5
HOLDOUT_SHARE = 0.1
GRID = [(0.01, 0.05), (0.05, 0.01), (0.05, 0.05), (0.1, 0.01), (0.1, 0.05), (0.2, 0.01)]
WINDOW_OFFSETS = (1, 2)
KMEANS_ITERS = 25
PRIOR_MIN_COUNT = 5  # news occurrences a word needs to get a prior
PRIOR_MIN_SHARE = 0.2  # ... and the share of them inside entities of one type
STATIC_E5 = "static-e5.npz"  # packaged word vectors distilled from multilingual-e5-small
E5_SEED_OFFSET = 87  # k-means seeds of the e5 clusterings (apart from the PPMI ones)
PRIOR_TAGGING_BOOST = 4.0  # entity boost of the tagger that labels the news (favours recall)

Sentence = tuple[list[str], list[str]]
Table = dict[tuple[str, ...], str]


def news_token_ids(
    path: Path, vocab_size: int, max_docs: int, extra: list[Sentence]
) -> tuple[list[str], np.ndarray]:
    """Vocabulary (by frequency) and the id stream of the news text (-1: out of vocabulary).

    ``extra`` (the training sentences, tags ignored) is appended to the news text.
    """
    docs: list[list[str]] = [[normalize(t) or t for t in tokens] for tokens, _ in extra]
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if max_docs and n >= max_docs:
                break
            record = json.loads(line)
            text = normalize(f"{record.get('title', '')}\n{record.get('content', '')}")
            docs.append([t for t, _, _ in tokenize(text)])
    counts = Counter(t for doc in docs for t in doc)
    vocab = [w for w, _ in counts.most_common(vocab_size)]
    index = {w: i for i, w in enumerate(vocab)}
    stream: list[int] = []
    for doc in docs:
        stream.extend(index.get(t, -1) for t in doc)
        stream.extend([-1] * max(WINDOW_OFFSETS))  # no windows across documents
    return vocab, np.asarray(stream, dtype=np.int64)


def word_vectors(ids: np.ndarray, vocab: int, contexts: int, dims: int) -> np.ndarray:
    """Unit-length SVD-reduced PPMI vectors (one row per vocabulary word)."""
    counts = np.zeros(vocab * contexts, dtype=np.float32)
    for offset in WINDOW_OFFSETS:
        for left, right in ((ids[:-offset], ids[offset:]), (ids[offset:], ids[:-offset])):
            keep = (left >= 0) & (right >= 0) & (right < contexts)
            counts += np.bincount(
                left[keep] * contexts + right[keep], minlength=vocab * contexts
            ).astype(np.float32)
    matrix = counts.reshape(vocab, contexts)
    row = matrix.sum(axis=1, keepdims=True) + 1e-9
    col = matrix.sum(axis=0, keepdims=True) ** 0.75
    col = col / col.sum()
    with np.errstate(divide="ignore"):
        pmi = np.log(matrix * (1.0 / row) / col + 1e-12)
    ppmi = np.maximum(pmi, 0.0) * (matrix > 0)
    gram = ppmi.T @ ppmi
    values, vectors = np.linalg.eigh(gram)
    top = vectors[:, np.argsort(values)[::-1][:dims]]
    reduced = ppmi @ top
    norms = np.linalg.norm(reduced, axis=1, keepdims=True)
    return np.asarray(reduced / np.maximum(norms, 1e-9))


def news_texts(path: Path, max_docs: int) -> Iterator[str]:
    """Title and content of each news article."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if max_docs and n >= max_docs:
                break
            record = json.loads(line)
            yield f"{record.get('title', '')}\n{record.get('content', '')}"


def news_priors(model: Path, news: Path, max_docs: int) -> dict[str, tuple[float, ...]]:
    """Tag the news with ``model`` (and its lexicon) and return, for each normalised word seen
    ``PRIOR_MIN_COUNT`` times, the share of its occurrences inside an entity of each type
    (kept when one share reaches ``PRIOR_MIN_SHARE``)."""
    started = time.time()
    tagger = NerTagger.load(model, entity_boost=PRIOR_TAGGING_BOOST, prior_weight=0.0)
    forms: dict[str, str] = {}
    seen: Counter[str] = Counter()
    inside: dict[str, list[int]] = defaultdict(lambda: [0] * len(ENTITY_TYPES))
    for text in news_texts(news, max_docs):
        tokens = [t for t, _, _ in tokenize(text)]
        seen.update(forms.get(t) or forms.setdefault(t, normalize(t) or t) for t in tokens)
        for entity in tagger.entities(text):
            column = ENTITY_TYPES.index(entity.type)
            for token, _, _ in tokenize(entity.text):
                inside[forms.get(token) or normalize(token) or token][column] += 1
    priors = {
        word: tuple(c / seen[word] for c in counts)
        for word, counts in inside.items()
        if seen[word] >= PRIOR_MIN_COUNT and max(counts) >= PRIOR_MIN_SHARE * seen[word]
    }
    print(f"news priors: {len(priors)} words, {time.time() - started:.0f}s", flush=True)
    return priors


def kmeans(vectors: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Spherical k-means; returns the cluster id of each row."""
    rng = np.random.default_rng(seed)
    centres = vectors[rng.choice(len(vectors), size=k, replace=False)]
    labels = np.zeros(len(vectors), dtype=np.int64)
    for _ in range(KMEANS_ITERS):
        labels = np.argmax(vectors @ centres.T, axis=1)
        for c in range(k):
            members = vectors[labels == c]
            if len(members):
                centre = members.sum(axis=0)
                centres[c] = centre / max(float(np.linalg.norm(centre)), 1e-9)
    return labels


def build_clusters(
    args: argparse.Namespace, sentences: list[Sentence]
) -> dict[str, tuple[str, ...]]:
    """Word -> cluster ids at each granularity of ``--clusters``."""
    started = time.time()
    vocab, ids = news_token_ids(args.data / NEWS_FILE, args.vocab, args.max_docs, sentences)
    vectors = word_vectors(ids, len(vocab), args.contexts, args.dims)
    levels = [kmeans(vectors, int(k), args.seed + n) for n, k in enumerate(args.clusters)]
    print(f"clusters: {len(vocab)} words, {len(ids)} tokens, {time.time() - started:.0f}s")
    clusters = {w: tuple(str(int(lv[i])) for lv in levels) for i, w in enumerate(vocab)}
    if not args.e5_clusters:
        return clusters
    e5 = e5_clusters([int(k) for k in args.e5_clusters], args.seed)
    missing, missing_e5 = (NO_CLUSTER,) * len(levels), (NO_CLUSTER,) * len(args.e5_clusters)
    return {
        word: clusters.get(word, missing) + e5.get(word, missing_e5)
        for word in sorted(set(clusters) | set(e5))
    }


def e5_clusters(sizes: list[int], seed: int) -> dict[str, tuple[str, ...]]:
    """Word -> cluster ids of the packaged static e5 word vectors (``static-e5.npz``: words
    of the news embedded one at a time by multilingual-e5-small), one per k in ``sizes``."""
    with np.load(DATA_DIR / "models" / STATIC_E5) as table:
        words = [str(w) for w in table["keys"]]
        vectors = table["vectors"].astype(np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    levels = [kmeans(vectors, k, E5_SEED_OFFSET + seed + n) for n, k in enumerate(sizes)]
    return {w: tuple(str(int(lv[i])) for lv in levels) for i, w in enumerate(words)}


def train_table(sentences: list[Sentence]) -> Table:
    """Normalised entity strings of ``sentences`` -> their most frequent type."""
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for tokens, tags in sentences:
        for kind, first, last in spans_from_tags(tags):
            votes[tuple(normalize(t) or t for t in tokens[first:last])][kind] += 1
    return {entry: c.most_common(1)[0][0] for entry, c in votes.items()}


def token_table(sentences: list[Sentence]) -> Table:
    """Single normalised tokens tagged inside entities at least half the times they occur."""
    seen: Counter[str] = Counter()
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for tokens, tags in sentences:
        for token, tag in zip(tokens, tags, strict=True):
            word = normalize(token) or token
            seen[word] += 1
            if tag != "O":
                votes[word][tag[2:]] += 1
    return {
        (word,): c.most_common(1)[0][0]
        for word, c in votes.items()
        if sum(c.values()) >= TOKEN_SHARE * seen[word]
    }


def split_tables(sentences: list[Sentence]) -> dict[str, Table]:
    """Gazetteers learnt from labelled sentences: whole entity strings and single tokens."""
    return {"train": train_table(sentences), "tok": token_table(sentences)}


def project_table() -> Table:
    """Project-written lists: packaged places (LOC) and news-agency spellings (ORG)."""
    table: Table = {}
    for line in (DATA_DIR / "places_ar.txt").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            table[tuple(t for t, _, _ in tokenize(normalize(line)))] = "LOC"
    agencies = yaml.safe_load((DATA_DIR / "agencies.yaml").read_text("utf-8"))
    for spellings in agencies.values():
        for spelling in spellings:
            table[tuple(t for t, _, _ in tokenize(normalize(str(spelling))))] = "ORG"
    return table


def featurize(sentences: list[Sentence], lexicon: Lexicon, seed: int) -> list[list[list[str]]]:
    """Features of training sentences; their "train" gazetteer comes from the other folds."""
    order = list(range(len(sentences)))
    random.Random(seed).shuffle(order)
    fold_of = {s: n % FOLDS for n, s in enumerate(order)}
    tables = []
    for fold in range(FOLDS):
        others = [s for n, s in enumerate(sentences) if fold_of[n] != fold]
        tables.append({**lexicon.gazetteers, **split_tables(others)})
    return [
        sentence_features(tokens, lexicon, tables[fold_of[n]])
        for n, (tokens, _) in enumerate(sentences)
    ]


def fit(
    features: list[list[list[str]]],
    sentences: list[Sentence],
    c1: float,
    c2: float,
    max_iter: int,
    path: Path,
) -> None:
    """Train a CRF with L-BFGS and save it to ``path``."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for feats, (_, tags) in zip(features, sentences, strict=True):
        trainer.append(feats, tags)
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": max_iter,
            "feature.possible_transitions": True,
        }
    )
    trainer.train(str(path))


def micro_f1(gold: list[list[str]], pred: list[list[str]]) -> float:
    """Entity-level micro-F1 (exact span and type)."""
    hit = n_gold = n_pred = 0
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(spans_from_tags(g)), set(spans_from_tags(p))
        hit, n_gold, n_pred = hit + len(gs & ps), n_gold + len(gs), n_pred + len(ps)
    return 2 * hit / max(n_gold + n_pred, 1)


def tune(
    sentences: list[Sentence], lexicon: Lexicon, args: argparse.Namespace, tmp: Path
) -> tuple[float, float]:
    """Grid-search c1/c2 on a held-out tail of the training split."""
    cut = int(len(sentences) * (1 - HOLDOUT_SHARE))
    fit_part, held = sentences[:cut], sentences[cut:]
    feats = featurize(fit_part, lexicon, args.seed)
    held_lex = Lexicon(lexicon.clusters, {**lexicon.gazetteers, **split_tables(fit_part)})
    held_feats = [sentence_features(t, held_lex) for t, _ in held]
    best = (-1.0, args.c1, args.c2)
    for c1, c2 in GRID:
        fit(feats, fit_part, c1, c2, args.max_iter, tmp)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(tmp))
        score = micro_f1([g for _, g in held], [tagger.tag(f) for f in held_feats])
        print(f"tune c1={c1} c2={c2}: held-out micro-F1 {score:.4f}", flush=True)
        best = max(best, (score, c1, c2))
    return best[1], best[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DATA_DIR / "models")
    parser.add_argument("--c1", type=float, default=0.01)
    parser.add_argument("--c2", type=float, default=0.05)
    parser.add_argument("--max-iter", type=int, default=150)
    parser.add_argument("--tune", action="store_true")
    parser.add_argument(
        "--clusters", type=lambda s: s.split(","), default=["32", "128", "512", "2048"]
    )
    parser.add_argument(
        "--e5-clusters",
        type=lambda s: [k for k in s.split(",") if k],
        default=["64", "256", "1024"],
    )
    parser.add_argument("--vocab", type=int, default=120000)
    parser.add_argument("--contexts", type=int, default=2000)
    parser.add_argument("--dims", type=int, default=100)
    parser.add_argument("--max-docs", type=int, default=0)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--lexicon-only", action="store_true")
    parser.add_argument("--no-priors", action="store_true")
    args = parser.parse_args()
    started = time.time()
    sentences = read_conll(args.data / TRAIN_FILE)
    lexicon = Lexicon(build_clusters(args, sentences), {"proj": project_table()})
    args.out.mkdir(parents=True, exist_ok=True)
    if args.lexicon_only:
        lexicon.dump(args.out / LEXICON_NAME)
        return
    if args.tune:
        args.c1, args.c2 = tune(sentences, lexicon, args, args.out / "tune.crfsuite.tmp")
        (args.out / "tune.crfsuite.tmp").unlink()
    features = featurize(sentences, lexicon, args.seed)
    fit(features, sentences, args.c1, args.c2, args.max_iter, args.out / MODEL_NAME)
    lexicon.gazetteers.update(split_tables(sentences))
    lexicon.dump(args.out / LEXICON_NAME)
    if not args.no_priors:
        lexicon.priors = news_priors(args.out / MODEL_NAME, args.data / NEWS_FILE, args.max_docs)
        lexicon.dump(args.out / LEXICON_NAME)
    print(f"trained c1={args.c1} c2={args.c2} in {time.time() - started:.0f}s -> {args.out}")


if __name__ == "__main__":
    main()
