"""Same-claim score: embedding cosine plus lexical evidence, calibrated on labelled pairs.

e5 cosines sit high even for unrelated texts (0.8 is common), and their scale differs by
backend, so a raw cosine is not a probability. :func:`same_claim_score` combines, in a small
logistic regression fitted per backend (``tools/calibrate_same_claim.py``, parameters in
``marsad/data/models/same_claim.json``):

* ``cosine`` of the two vectors (from the backend the model was calibrated for);
* ``jaccard``: shared content words (``ar-norm-v1`` keys, article stripped, stopwords out);
* ``weighted_overlap``: the same, each word weighted by rarity (the static table's SIF
  weight; unknown words, often names, weigh most);
* ``containment``: shared content words over the shorter side;
* ``numbers_shared`` / ``numbers_conflict``: both sides give numbers, and one is common /
  none is;
* ``negation_mismatch``: one side only has a negation word (لا لم لن ليس غير ...).

Two targets are calibrated, on Arabic headline pairs (ANS stance corpus):

* ``"family"`` (the default): same claim, whether restated or contradicted: what an analyst
  grouping claim families wants (a denial belongs with the claim it denies);
* ``"paraphrase"``: same claim and same stance only (contradictions count as different).

For a pair in two scripts (Arabic against English) the lexical features say nothing, so a
cosine-only model fitted on the same data is used instead. Scores are probabilities; compare
them with :func:`same_claim_threshold` (chosen on dev for the best F1).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from marsad.narratives.core import CORE_VERSION, content_overlap, core_agrees, core_signature
from marsad.narratives.core import clear_caches as clear_core_caches
from marsad.narratives.embed import DEFAULT_BACKEND, StaticTable, word_keys, words_of
from marsad.normalize import normalize
from marsad.text import clear_caches as clear_word_caches
from marsad.text import stopwords, word_key

Target = Literal["family", "paraphrase"]
Vector = npt.NDArray[np.float32]

PARAMETERS = "same_claim.json"
DEFAULT_TARGET: Target = "family"
FEATURES = (
    "cosine",
    "jaccard",
    "weighted_overlap",
    "containment",
    "numbers_shared",
    "numbers_conflict",
    "negation_mismatch",
)
CROSS_SCRIPT_GAP = 0.5  # Arabic-script word shares further apart than this: cross-lingual
UNKNOWN_WORD_WEIGHT = 1.0
MIN_KEY_LENGTH = 2
_ARABIC_START, _ARABIC_END = "\u0600", "\u06ff"
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
NEGATION_WORDS = (
    "لا لم لن ليس ليست غير عدم ينفي نفى تنفي نفت نفي يرفض رفض ترفض رفضت",
    "not no never deny denies denied without",
)
_NEGATIONS = frozenset(normalize(word) for line in NEGATION_WORDS for word in line.split())
_NONE: frozenset[str] = frozenset()  # shared by the cached profiles (one empty set is 216 B)


# Two claims in one script that share less than this weighted share of content words are not
# the same claim, whatever their cosine. Chosen on real data: without it, about half of the
# nearest-neighbour pairs of 3,000 SaudiNewsNet articles passed the calibrated models (topic
# neighbours: "the sermon" and "the minister of religious affairs"), with it 7-8 %, mostly the
# same event. Applied by the narratives stage when it links claims (not by the calibrated
# models themselves): ANS dev F1 it costs is 0.02 (family 0.814 -> 0.791, static backend).
MIN_SHARED_WEIGHT = 0.2


@dataclass(frozen=True, slots=True)  # up to 200,000 cached
class LexicalProfile:
    """What the lexical features of one text are computed from."""

    keys: frozenset[str]
    numbers: frozenset[str]
    negated: bool
    arabic_share: float  # share of the words written in Arabic script
    weight: float = 0.0  # the summed rarity weights of ``keys``


@lru_cache(maxsize=1)
def _word_weights() -> dict[str, float]:
    table = StaticTable.load()
    return dict(zip(table.keys, (float(w) for w in table.weights), strict=True))


@lru_cache(maxsize=500_000)
def key_weight(key: str) -> float:
    """Rarity weight (SIF) of a content-word key, from the static table's word counts."""
    weights = _word_weights()
    return next(
        (weights[k] for k in word_keys(key) if k in weights),
        UNKNOWN_WORD_WEIGHT,
    )


@lru_cache(maxsize=200_000)
def lexical_profile(text: str) -> LexicalProfile:
    """Content-word keys, numbers (digits, and number words such as ثلاثة), negation."""
    keys: set[str] = set()
    numbers = {n.replace(",", "") for n in _NUMBER_RE.findall(normalize(text))}
    negated = False
    stop = stopwords()
    words = words_of(text)
    arabic = 0
    for word in words:
        arabic += _ARABIC_START <= word[0] <= _ARABIC_END
        key = word_key(word)
        if key in _NEGATIONS:
            negated = True
        elif key[:1].isdigit():  # a number word (ثلاثة -> 3)
            numbers.add(key)
        elif len(key) >= MIN_KEY_LENGTH and key not in stop:
            keys.add(key)
    return LexicalProfile(
        keys=frozenset(keys) if keys else _NONE,
        numbers=frozenset(numbers) if numbers else _NONE,  # most claims have no number
        negated=negated,
        arabic_share=arabic / len(words) if words else 0.0,
        weight=math.fsum(key_weight(k) for k in keys),  # a set: any order, one sum
    )


def clear_caches() -> None:
    """Empty the caches of word keys, word weights and lexical profiles: they are bounded but
    hold ~0.4 GB when full (200,000 profiles), which a caller that is done with one set of
    texts (the narratives stage, after linking) need not carry into the next step."""
    lexical_profile.cache_clear()
    key_weight.cache_clear()
    clear_core_caches()
    clear_word_caches()


def pair_features(a_text: str, b_text: str, cosine: float) -> list[float]:
    """The feature vector of :data:`FEATURES` for one pair."""
    a, b = lexical_profile(a_text), lexical_profile(b_text)
    shared = a.keys & b.keys
    union = len(a.keys) + len(b.keys) - len(shared)
    shared_weight = math.fsum(key_weight(k) for k in shared)  # exact: set order is the hash's
    union_weight = a.weight + b.weight - shared_weight
    both_numbers = bool(a.numbers) and bool(b.numbers)
    return [
        cosine,
        len(shared) / union if union else 0.0,
        shared_weight / union_weight if union_weight > 1e-12 else 0.0,
        len(shared) / min(len(a.keys), len(b.keys)) if a.keys and b.keys else 0.0,
        float(both_numbers and bool(a.numbers & b.numbers)),
        float(both_numbers and not a.numbers & b.numbers),
        float(a.negated != b.negated),
    ]


def is_cross_script(a_text: str, b_text: str) -> bool:
    gap = abs(lexical_profile(a_text).arabic_share - lexical_profile(b_text).arabic_share)
    return gap > CROSS_SCRIPT_GAP


@dataclass(frozen=True)
class LogisticModel:
    """A standardised logistic regression and its decision threshold."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LogisticModel:
        return cls(
            features=tuple(data["features"]),
            mean=tuple(data["mean"]),
            scale=tuple(data["scale"]),
            coef=tuple(data["coef"]),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
        )

    def probability(self, values: list[float]) -> float:
        z = self.intercept + sum(
            c * (v - m) / s
            for c, v, m, s in zip(self.coef, values, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


@dataclass(frozen=True)
class SameClaimModel:
    """The calibrated models of one backend and target: with lexical features and cosine-only."""

    backend: str
    target: Target
    embedder_version: str
    full: LogisticModel
    cosine_only: LogisticModel

    def score(self, a_text: str, b_text: str, a_vec: Vector, b_vec: Vector) -> float:
        return self.judge(a_text, b_text, a_vec, b_vec)[0]

    def judge(
        self,
        a_text: str,
        b_text: str,
        a_vec: Vector,
        b_vec: Vector,
        min_shared: float = 0.0,
        core: bool | None = None,
    ) -> tuple[float, float]:
        """``(score, the threshold that applies to the pair)`` in one pass. With ``core``
        (by default, whenever ``min_shared`` is set: the narratives stage's link gate, which
        passes :data:`MIN_SHARED_WEIGHT`), a pair scores 0 unless the two claims agree on
        their core (:func:`marsad.narratives.core.core_agrees`: no contact line, the same
        figures, negation, people and places, shared rare words beyond titles) and a
        same-script pair's weighted overlap of content words, titles and names left out,
        reaches ``min_shared``. Without it, only the weighted overlap of all content words
        is held to ``min_shared``."""
        gate = min_shared > 0 if core is None else core
        cosine = float(np.dot(a_vec, b_vec))
        if is_cross_script(a_text, b_text):
            if gate and (core_signature(a_text).contact or core_signature(b_text).contact):
                return 0.0, self.cosine_only.threshold
            return self.cosine_only.probability([cosine]), self.cosine_only.threshold
        features = pair_features(a_text, b_text, cosine)
        if features[2] < min_shared:  # weighted_overlap: no claim is shared without words
            return 0.0, self.full.threshold
        if gate:
            a, b = lexical_profile(a_text), lexical_profile(b_text)
            agrees = core_agrees(a_text, b_text, a.numbers, b.numbers, a.negated, b.negated)
            if not agrees or content_overlap(a_text, b_text) < min_shared:
                return 0.0, self.full.threshold
        return self.full.probability(features), self.full.threshold

    def threshold_for(self, a_text: str, b_text: str) -> float:
        cross = is_cross_script(a_text, b_text)
        return self.cosine_only.threshold if cross else self.full.threshold

    def least_cosine(self) -> float:
        """No pair with a lower cosine can pass, whatever its lexical features (all of which
        lie in [0, 1]) and scripts: pairs below it need not be scored."""
        floors = []
        for model in (self.full, self.cosine_only):
            rest = sum(
                max(c * (0.0 - m) / s, c * (1.0 - m) / s)
                for c, m, s in zip(model.coef[1:], model.mean[1:], model.scale[1:], strict=True)
            )
            p = min(max(model.threshold, 1e-9), 1 - 1e-9)
            z = math.log(p / (1 - p)) - model.intercept - rest
            if model.coef[0] <= 0:
                return -1.0
            floors.append(model.mean[0] + model.scale[0] * z / model.coef[0])
        return min(floors)

    def is_same(self, a_text: str, b_text: str, a_vec: Vector, b_vec: Vector) -> bool:
        score = self.score(a_text, b_text, a_vec, b_vec)
        return score >= self.threshold_for(a_text, b_text)


@lru_cache(maxsize=1)
def _parameters() -> dict[str, Any]:
    text = resources.files("marsad.data.models").joinpath(PARAMETERS).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def model_digest() -> str:
    """Short SHA-256 of the shipped same-claim parameters and the version of the core rules
    (:data:`marsad.narratives.core.CORE_VERSION`): part of the link component."""
    data = resources.files("marsad.data.models").joinpath(PARAMETERS).read_bytes()
    return hashlib.sha256(data + CORE_VERSION.encode()).hexdigest()[:8]


def calibrated_backends() -> list[str]:
    return sorted(_parameters()["backends"])


@lru_cache(maxsize=16)
def load_model(backend: str = DEFAULT_BACKEND, target: Target = DEFAULT_TARGET) -> SameClaimModel:
    """The shipped calibration for vectors from ``backend`` (``KeyError`` when there is none)."""
    backends = _parameters()["backends"]
    if backend not in backends:
        raise KeyError(
            f"no same-claim calibration for backend {backend!r}; have {sorted(backends)}"
        )
    entry = backends[backend]
    return SameClaimModel(
        backend=backend,
        target=target,
        embedder_version=entry["embedder_version"],
        full=LogisticModel.from_dict(entry[target]["full"]),
        cosine_only=LogisticModel.from_dict(entry[target]["cosine_only"]),
    )


def same_claim_score(
    a_text: str,
    b_text: str,
    a_vec: Vector,
    b_vec: Vector,
    backend: str = DEFAULT_BACKEND,
    target: Target = DEFAULT_TARGET,
) -> float:
    """Probability that the two texts state the same claim (vectors from ``backend``)."""
    return load_model(backend, target).score(a_text, b_text, a_vec, b_vec)


def same_claim_threshold(backend: str = DEFAULT_BACKEND, target: Target = DEFAULT_TARGET) -> float:
    """Decision threshold for :func:`same_claim_score` (same-script pairs; see the model card)."""
    return load_model(backend, target).full.threshold
