"""Stance of an article to the catalogue entry it matched: repeats, disputes or discusses.

A fact-checker must not see a debunk listed as a spreader. For every catalogue match the
article is read around the claim that matched and around the sentences that share most words
with the entry; cue words are counted there, in the headline and in the whole text:

* denial and debunking (``نفى``, ``كذب``, ``مزاعم``, ``شائعة``, ``لا صحة``, ``فبركة``,
  ``ما يسمى``, ``denied``, ``fake`` ...),
* reporting and hedging (``بحسب``, ``نقلا عن``, ``ناشطون``, ``لم يتسن التحقق``, ``reportedly``),
* negation (``لم``, ``لا``, ``ليس``) in the article but not in the entry,

together with how closely the article's wording follows the entry (shared content words,
numbers). A small multinomial logistic model (``data/models/stance.npz``, trained by
``tools/train_stance.py`` on the arabic_fc_stance development folds 1-2; card in
``docs/models/stance.md``) turns them into ``agree`` (the article repeats the claim),
``disagree`` (it disputes it) or ``discuss`` (it reports it without taking a side), with the
probability of that label. Pure functions: no store.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from marsad.normalize import arabic_letter_share, normalize
from marsad.text import word_key

LABELS = ("agree", "disagree", "discuss")
MODEL_FILE = "stance.npz"
WINDOW = 300  # characters read on each side of an anchor
ANCHORS = 3  # sentences sharing most words with the entry, besides the matched claim

_DENIAL = (
    "نفى نفت ينفي تنفي نفي ونفى نفيه نفيا تكذيب كذب كذبت يكذب تكذب كاذب كاذبة كاذبه أكاذيب "
    "كذبة مزاعم مزاعمه زعم زعمت يزعم تزعم مزعوم مزعومة المزعوم المزعومة ادعاء ادعاءات ادعى "
    "ادعت يدعي تدعي مزيف مزيفة زائف زائفة شائعة شائعات إشاعة إشاعات اشاعات فبركة مفبرك مفبركة "
    "فبرك فبركت ملفق ملفقة تلفيق مضلل مضللة تضليل دحض يدحض افتراء افتراءات أباطيل حملة_تضليل "
    "denied denies deny false fake hoax debunked fabricated baseless rumour rumor misleading"
)
_DENIAL_PHRASES = (
    "لا صحة",
    "لا اساس",
    "عار عن الصحة",
    "عارية عن الصحة",
    "غير صحيح",
    "غير صحيحة",
    "ليس صحيحا",
    "ما يسمى",
    "ما يزعم",
    "ما تزعم",
    "عن الصحة",
    "اخبار كاذبة",
    "not true",
    "no evidence",
)
_REPORT = (
    "بحسب حسب وفق وفقا نقلا نقل أفاد أفادت يفيد ذكر ذكرت يذكر قال قالت يقول تقول أعلن أعلنت "
    "أكد أكدت أشار أشارت مصادر مصدر ناشطون ناشطين مرصد المرصد تقارير تقرير أنباء انباء "
    "ربما يعتقد يرجح يحتمل محتمل reportedly according said claims alleged sources"
)
_REPORT_PHRASES = (
    "لم يتسن",
    "لا يمكن التحقق",
    "لم يتم التحقق",
    "لم يتسنى",
    "من جهة مستقلة",
    "بشكل مستقل",
    "could not be verified",
)
_NEGATION = "لم لن لا ليس ليست ليسوا غير بدون دون عدم not no never"
_QUESTION = "هل حقيقة صحة تحقق fact check"

FEATURES = (
    "denial_near",
    "denial_title",
    "denial_text",
    "report_near",
    "report_text",
    "negation_near",
    "negation_entry",
    "question_title",
    "quote_near",
    "overlap_claim",
    "overlap_title",
    "coverage_text",
    "numbers_shared",
    "numbers_missing",
    "length",
    "cross_script",
)

_TOKEN_RE = re.compile(r"\w+")
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")
_SENTENCE_RE = re.compile(r"[^.!?؟\n]+[.!?؟\n]?")
_QUOTES = '"«»“”'


def _key(word: str) -> str:
    key = word_key(word)
    if len(key) > 3 and key[0] in "وف" and word_key(key[1:]) != key[1:]:
        return word_key(key[1:])  # "ونفى" -> "نفى"; a bare و that is a root letter stays
    return key


def _keys(text: str) -> list[str]:
    return [_key(w) for w in _TOKEN_RE.findall(normalize(text.lower()))]


@lru_cache(maxsize=8)
def _word_set(words: str) -> frozenset[str]:
    return frozenset(_key(w) for w in words.replace("_", " ").split())


@lru_cache(maxsize=8)
def _phrases(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(_keys(p)) for p in phrases)


def _count(keys: Sequence[str], words: str, phrases: tuple[str, ...]) -> int:
    wanted = _word_set(words)
    n = sum(k in wanted for k in keys)
    for phrase in _phrases(phrases):
        size = len(phrase)
        n += sum(tuple(keys[i : i + size]) == phrase for i in range(len(keys) - size + 1))
    return n


def _coverage(entry: str, text: str) -> float:
    """Share of the entry's content words (weighted by rarity) found in ``text``."""
    from marsad.narratives.similarity import key_weight, lexical_profile

    a, b = lexical_profile(entry), lexical_profile(text)
    if not a.keys or not a.weight:
        return 0.0
    return math.fsum(key_weight(k) for k in a.keys & b.keys) / a.weight


def anchors(entry: str, text: str, span: tuple[int, int] | None) -> list[tuple[int, int]]:
    """The matched claim's span and the ``ANCHORS`` sentences of ``text`` that cover most of
    the entry's content words."""
    found: list[tuple[float, int, int]] = []
    for m in _SENTENCE_RE.finditer(text):
        if len(m.group().split()) >= 4:
            found.append((_coverage(entry, m.group()), m.start(), m.end()))
    found.sort(key=lambda t: (-t[0], t[1]))
    spans = [(s, e) for c, s, e in found[:ANCHORS] if c > 0]
    if span is not None:
        spans.insert(0, span)
    return spans


def features(
    entry: str,
    title: str,
    text: str,
    claim: str,
    span: tuple[int, int] | None,
    score: float,
    cosine: float,
) -> list[float]:
    """The values of :data:`FEATURES` for one (entry, article) match; ``span`` is the matched
    claim's offsets into ``text`` (``None`` for a headline claim). ``score`` and ``cosine``
    (the match's) are not used by this model version: the stance is read from the text, so
    the model can be trained on every labelled pair, matched or not."""
    near = " ".join(
        text[max(0, s - WINDOW) : min(len(text), e + WINDOW)] for s, e in anchors(entry, text, span)
    )
    near_keys, title_keys, text_keys = _keys(near), _keys(title), _keys(text)
    entry_keys = _keys(entry)
    words = max(len(text_keys), 1)
    numbers = set(_NUMBER_RE.findall(normalize(entry)))
    in_text = set(_NUMBER_RE.findall(normalize(title + " " + text)))
    log = math.log1p
    return [
        log(_count(near_keys, _DENIAL, _DENIAL_PHRASES)),
        log(_count(title_keys, _DENIAL, _DENIAL_PHRASES)),
        log(1000 * _count(text_keys, _DENIAL, _DENIAL_PHRASES) / words),
        log(_count(near_keys, _REPORT, _REPORT_PHRASES)),
        log(1000 * _count(text_keys, _REPORT, _REPORT_PHRASES) / words),
        log(_count(near_keys, _NEGATION, ())),
        log(_count(entry_keys, _NEGATION, ())),
        float(_count(title_keys, _QUESTION, ()) > 0 or "?" in title or "؟" in title),
        log(sum(near.count(q) for q in _QUOTES)),
        _coverage(entry, claim),
        _coverage(entry, title),
        _coverage(entry, title + " " + text),
        len(numbers & in_text) / len(numbers) if numbers else 0.0,
        float(len(numbers - in_text)),
        log(words),
        float(arabic_letter_share(entry) < 0.5),
    ]


@dataclass(frozen=True)
class StanceModel:
    """Multinomial logistic regression over standardised :data:`FEATURES`."""

    labels: tuple[str, ...]
    names: tuple[str, ...]
    mean: npt.NDArray[np.float64]
    scale: npt.NDArray[np.float64]
    coef: npt.NDArray[np.float64]  # (labels, features)
    intercept: npt.NDArray[np.float64]  # (labels,)

    def probabilities(self, rows: Sequence[Sequence[float]]) -> npt.NDArray[np.float64]:
        x = (
            np.asarray(rows, dtype=np.float64).reshape(-1, len(self.names)) - self.mean
        ) / self.scale
        z = x @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return np.asarray(p / p.sum(axis=1, keepdims=True))

    def predict(self, rows: Sequence[Sequence[float]]) -> list[tuple[str, float]]:
        """``(label, probability)`` per row."""
        p = self.probabilities(rows)
        best = p.argmax(axis=1)
        return [(self.labels[int(i)], round(float(p[r, i]), 3)) for r, i in enumerate(best)]

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            labels=np.array(self.labels),
            names=np.array(self.names),
            mean=self.mean,
            scale=self.scale,
            coef=self.coef,
            intercept=self.intercept,
        )

    @classmethod
    def load(cls, path: Path | None = None) -> StanceModel:
        source = path or _packaged()
        with np.load(source, allow_pickle=False) as data:
            names = tuple(str(n) for n in data["names"])
            if names != FEATURES:
                raise ValueError(f"{source}: features {names} are not this code's {FEATURES}")
            return cls(
                tuple(str(label) for label in data["labels"]),
                names,
                data["mean"],
                data["scale"],
                data["coef"],
                data["intercept"],
            )


def _packaged() -> Path:
    return Path(str(resources.files("marsad.data.models").joinpath(MODEL_FILE)))


@lru_cache(maxsize=1)
def load_model() -> StanceModel:
    return StanceModel.load()


def model_digest() -> str:
    """SHA-256 (first 16 hex digits) of the packaged model file; '' when it is missing."""
    path = _packaged()
    if not path.exists():
        return ""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def fit(
    rows: npt.NDArray[np.float64],
    labels: Sequence[str],
    l2: float = 1.0,
    balanced: bool = True,
    steps: int = 3000,
) -> StanceModel:
    """Multinomial logistic regression by gradient descent (deterministic): ``l2`` is the
    penalty on the weights, ``balanced`` weighs each class by its inverse frequency."""
    x = np.asarray(rows, dtype=np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    x = (x - mean) / scale
    y = np.array([LABELS.index(label) for label in labels])
    onehot = np.eye(len(LABELS))[y]
    counts = np.bincount(y, minlength=len(LABELS)).astype(np.float64)
    weight = (len(y) / (len(LABELS) * np.maximum(counts, 1)))[y] if balanced else np.ones(len(y))
    weight /= weight.sum()
    coef = np.zeros((len(LABELS), x.shape[1]))
    intercept = np.zeros(len(LABELS))
    rate = 0.5
    for _ in range(steps):
        z = x @ coef.T + intercept
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot) * weight[:, None]
        coef -= rate * (g.T @ x + l2 * coef / len(y))
        intercept -= rate * g.sum(axis=0)
    return StanceModel(LABELS, FEATURES, mean, scale, coef, intercept)
