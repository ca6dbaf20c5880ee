"""Arabic named-entity recognition: a linear-chain CRF (CRFsuite) trained on ANERcorp.

The tagger labels tokens with BIO tags for four types: ``PERS``, ``LOC``, ``ORG`` and ``MISC``.
Text is tokenized the way ANERcorp is: runs of letters/digits (with their diacritics) are words
and every other non-space character is a token of its own. :meth:`NerTagger.entities` keeps
the character offsets of every token, so entity spans point back into the input text.

Features of token *i* (all computed on the :func:`marsad.normalize.normalize` form):

* the word, its length bucket and shape (digits, Latin, punctuation, mixed), and whether it
  starts or ends the sentence;
* prefixes and suffixes of 1-4 characters;
* the clitic-stripped stem (leading ``و ف ب ل ك`` and the article ``ال``/``لل`` removed) and
  which clitics were removed;
* word-cluster ids at four granularities (spherical k-means over PPMI co-occurrence vectors
  reduced by SVD, computed from unlabelled Arabic news at training time; see
  ``tools/train_ner.py``) for the word and for its stem;
* gazetteer matches: the longest entry of a typed name list that covers the token (as B or I),
  separately for each list: entity strings of the training split (``train``), single tokens
  that are mostly inside entities in the training split (``tok``), and project-written lists
  (``proj``: the packaged place list as LOC, news-agency spellings as ORG);
* the word, stem, clusters and gazetteer marks of the neighbours at offsets -2..+2, and the word
  bigrams with the previous and next token.

The model file (``ner-crf.crfsuite``) sits next to a lexicon file (``ner-lexicon.tsv.gz``)
holding the clusters and gazetteers; both ship in :mod:`marsad.data.models`.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pycrfsuite

from marsad.normalize import normalize

MODEL_NAME = "ner-crf.crfsuite"
LEXICON_NAME = "ner-lexicon.tsv.gz"
MODEL_PACKAGE = "marsad.data.models"
ENTITY_TYPES = ("PERS", "LOC", "ORG", "MISC")
OUTSIDE = "O"
AFFIX_LENGTHS = (1, 2, 3, 4)
WINDOW = (-2, -1, 1, 2)
MAX_GAZETTEER_SPAN = 6
ENTITY_BOOST = 4.0  # odds multiplier for entity labels in posterior decoding (tuned on held-out)
MIN_STEM_LENGTH = 2
CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
ARTICLES = ("ال", "لل")
TOKEN_RE = re.compile(r"(?:[^\W_]|[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640])+|\S")
LATIN_RE = re.compile(r"[a-z]")
DIGIT_RE = re.compile(r"[0-9]")
LETTER_RE = re.compile(r"[^\W\d_]")
SENTENCE_END = frozenset({".", "!", "?", "؟"})

Features = list[str]
Span = tuple[int, int]


@dataclass(frozen=True)
class Entity:
    """A named entity found in a text; ``start``/``end`` are character offsets into it."""

    text: str
    type: str
    start: int
    end: int


@dataclass
class Lexicon:
    """Word clusters and typed gazetteers used as features (see the module docstring)."""

    clusters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    gazetteers: dict[str, dict[tuple[str, ...], str]] = field(default_factory=dict)

    def dump(self, path: Path) -> None:
        """Write the lexicon as gzipped TSV (``C word ids`` and ``G source type entry`` rows)."""
        with gzip.open(path, "wt", encoding="utf-8") as out:
            for word in sorted(self.clusters):
                out.write(f"C\t{word}\t{' '.join(self.clusters[word])}\n")
            for source in sorted(self.gazetteers):
                entries = self.gazetteers[source]
                for entry in sorted(entries):
                    out.write(f"G\t{source}\t{entries[entry]}\t{' '.join(entry)}\n")

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        """Read a lexicon written by :meth:`dump`."""
        lexicon = cls()
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                if parts[0] == "C":
                    lexicon.clusters[parts[1]] = tuple(parts[2].split())
                elif parts[0] == "G":
                    table = lexicon.gazetteers.setdefault(parts[1], {})
                    table[tuple(parts[3].split())] = parts[2]
        return lexicon


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Split ``text`` like ANERcorp (words and single punctuation marks), with char offsets."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def split_sentences(tokens: list[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
    """Cut a token list after sentence-final punctuation (ANERcorp sentences are short)."""
    sentences: list[list[tuple[str, int, int]]] = [[]]
    for token in tokens:
        sentences[-1].append(token)
        if token[0] in SENTENCE_END:
            sentences.append([])
    return [s for s in sentences if s]


def strip_clitics(word: str) -> tuple[str, str]:
    """Remove proclitics ``و ف`` + ``ب ل ك`` + ``ال`` from a normalised word.

    Returns ``(stem, marks)``, where ``marks`` names what was removed (``w``, ``p``, ``a``).
    """
    stem, marks = word, ""
    if len(stem) > MIN_STEM_LENGTH + 1 and stem.startswith(CONJUNCTIONS):
        stem, marks = stem[1:], marks + "w"
    for article in ARTICLES:
        if len(stem) > MIN_STEM_LENGTH + len(article) - 1 and stem.startswith(article):
            return stem[len(article) :], marks + "a"
    if len(stem) > MIN_STEM_LENGTH + 1 and stem.startswith(PREPOSITIONS):
        rest = stem[1:]
        if rest.startswith("ال") and len(rest) > MIN_STEM_LENGTH + 1:
            return rest[2:], marks + "pa"
        return rest, marks + "p"
    return stem, marks


def shape(word: str) -> str:
    """Coarse shape class of a normalised token."""
    if word.isdigit():
        return "digits"
    if DIGIT_RE.search(word):
        return "hasdigit"
    if LATIN_RE.search(word):
        return "latin"
    if not LETTER_RE.search(word):
        return "punct"
    return "arabic"


def gazetteer_marks(norm: Sequence[str], table: dict[tuple[str, ...], str]) -> list[str]:
    """Longest-match the entries of ``table`` over the tokens; one ``B-T``/``I-T``/'' per token."""
    marks = [""] * len(norm)
    i = 0
    while i < len(norm):
        for size in range(min(MAX_GAZETTEER_SPAN, len(norm) - i), 0, -1):
            kind = table.get(tuple(norm[i : i + size]))
            if kind is not None:
                marks[i] = "B-" + kind
                for j in range(i + 1, i + size):
                    marks[j] = "I-" + kind
                i += size
                break
        else:
            i += 1
    return marks


def _own_features(word: str, lexicon: Lexicon) -> Features:
    """Features of one normalised token that neighbours also see (prefixed when copied)."""
    stem, marks = strip_clitics(word)
    feats = [f"w={word}", f"stem={stem}", f"cl={marks}", f"shape={shape(word)}"]
    for level, cid in enumerate(lexicon.clusters.get(word, ())):
        feats.append(f"c{level}={cid}")
    if stem != word:
        for level, cid in enumerate(lexicon.clusters.get(stem, ())):
            feats.append(f"sc{level}={cid}")
    return feats


def _local_features(word: str) -> Features:
    """Affix and length features of the current token only."""
    feats = [f"len={min(len(word), 8)}"]
    for n in AFFIX_LENGTHS:
        if len(word) > n:
            feats.append(f"p{n}={word[:n]}")
            feats.append(f"s{n}={word[-n:]}")
    stem, _ = strip_clitics(word)
    if stem != word:
        feats.extend(f"sp{n}={stem[:n]}" for n in (2, 3) if len(stem) > n)
        feats.extend(f"ss{n}={stem[-n:]}" for n in (2, 3) if len(stem) > n)
    return feats


def sentence_features(
    tokens: Sequence[str],
    lexicon: Lexicon,
    gazetteers: dict[str, dict[tuple[str, ...], str]] | None = None,
) -> list[Features]:
    """CRF feature lists for a sentence of raw tokens.

    ``gazetteers`` overrides ``lexicon.gazetteers`` (training uses it to build the training-split
    gazetteer marks from the other folds only).
    """
    norm = [normalize(t) or t for t in tokens]
    own = [_own_features(w, lexicon) for w in norm]
    tables = lexicon.gazetteers if gazetteers is None else gazetteers
    gaz = [gazetteer_marks(norm, tables[name]) for name in sorted(tables)]
    names = sorted(tables)
    for i in range(len(norm)):
        own[i].extend(f"g{name}={g[i]}" for name, g in zip(names, gaz, strict=True) if g[i])
    out: list[Features] = []
    for i, word in enumerate(norm):
        feats = ["bias", *own[i], *_local_features(word)]
        if i == 0:
            feats.append("BOS")
        if i == len(norm) - 1:
            feats.append("EOS")
        for offset in WINDOW:
            j = i + offset
            if 0 <= j < len(norm):
                feats.extend(f"{offset}:{f}" for f in own[j])
            else:
                feats.append(f"{offset}:pad")
        if i > 0:
            feats.append(f"bg-={norm[i - 1]}|{word}")
        if i < len(norm) - 1:
            feats.append(f"bg+={word}|{norm[i + 1]}")
        out.append(feats)
    return out


def spans_from_tags(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Entity spans ``(type, first, last + 1)`` of a BIO sequence (CoNLL rules: I after O opens)."""
    spans: list[tuple[str, int, int]] = []
    kind, begin = "", -1
    for i, tag in enumerate([*tags, OUTSIDE]):
        prefix, _, label = tag.partition("-")
        continues = prefix == "I" and label == kind
        if kind and not continues:
            spans.append((kind, begin, i))
            kind = ""
        if prefix in ("B", "I") and not continues:
            kind, begin = label, i
    return spans


def repair_bio(tags: list[str]) -> list[str]:
    """Turn an ``I-X`` that does not continue an ``X`` entity into ``B-X``."""
    out: list[str] = []
    for tag in tags:
        if tag.startswith("I-") and (not out or out[-1][2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
    return out


def read_conll(path: Path) -> list[tuple[list[str], list[str]]]:
    """Sentences of a CoNLL "token TAG" file (training and evaluation data); blank lines
    separate sentences."""
    sentences: list[tuple[list[str], list[str]]] = []
    tokens: list[str] = []
    tags: list[str] = []
    for line in path.read_text("utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            tokens.append(parts[0])
            tags.append(parts[-1])
        elif tokens:
            sentences.append((tokens, tags))
            tokens, tags = [], []
    if tokens:
        sentences.append((tokens, tags))
    return sentences


def default_model_path() -> Path:
    """Path of the packaged model file."""
    return Path(str(resources.files(MODEL_PACKAGE).joinpath(MODEL_NAME)))


class NerTagger:
    """CRF tagger; create with :meth:`load`."""

    def __init__(
        self, tagger: pycrfsuite.Tagger, lexicon: Lexicon, entity_boost: float | None
    ) -> None:
        self._tagger = tagger
        self._labels: list[str] = list(tagger.labels())
        self.lexicon = lexicon
        self.entity_boost = entity_boost

    @classmethod
    def load(cls, path: Path | None = None, entity_boost: float | None = ENTITY_BOOST) -> NerTagger:
        """Load a model file (default: the packaged one) and the lexicon next to it.

        With ``entity_boost`` set, each token takes the label of highest posterior probability,
        entity labels weighted by ``entity_boost`` (trades precision for recall; the CRF alone
        under-predicts entities); with ``None``, plain Viterbi decoding.
        """
        model = default_model_path() if path is None else Path(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model))
        return cls(tagger, Lexicon.load(model.with_name(LEXICON_NAME)), entity_boost)

    def tag_tokens(self, tokens: list[str]) -> list[str]:
        """BIO tags for a list of tokens (ANERcorp tokenization)."""
        if not tokens:
            return []
        features = sentence_features(tokens, self.lexicon)
        if self.entity_boost is None:
            tags: list[str] = self._tagger.tag(features)
            return tags
        self._tagger.set(features)
        boost = {y: 1.0 if y == OUTSIDE else self.entity_boost for y in self._labels}
        tags = []
        for i in range(len(tokens)):
            tags.append(max(self._labels, key=lambda y: self._tagger.marginal(y, i) * boost[y]))
        return repair_bio(tags)

    def tag_sentences(self, sentences: Iterable[list[str]]) -> list[list[str]]:
        """:meth:`tag_tokens` for each sentence."""
        return [self.tag_tokens(tokens) for tokens in sentences]

    def entities(self, text: str) -> list[Entity]:
        """Named entities of ``text`` with character offsets into it."""
        found: list[Entity] = []
        for tokens in split_sentences(tokenize(text)):
            tags = self.tag_tokens([t for t, _, _ in tokens])
            for kind, first, last in spans_from_tags(tags):
                start, end = tokens[first][1], tokens[last - 1][2]
                found.append(Entity(text[start:end], kind, start, end))
        return found
