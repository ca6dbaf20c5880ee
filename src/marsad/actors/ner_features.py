"""Features of the Arabic NER tagger (:mod:`marsad.actors.ner`), shared by training and tagging.

Text is tokenized the way ANERcorp is: runs of letters/digits (with their diacritics) are words
and every other non-space character is a token of its own.

Features of token *i* (all computed on the :func:`marsad.normalize.normalize` form):

* the word, its length bucket and shape (digits, Latin, punctuation, mixed), and whether it
  starts or ends the sentence;
* prefixes and suffixes of 1-4 characters;
* the clitic-stripped stem (leading ``و ف ب ل ك`` and the article ``ال``/``لل`` removed) and
  which clitics were removed;
* word-cluster ids at several granularities for the word and for its stem: spherical k-means
  over PPMI co-occurrence vectors reduced by SVD (computed from unlabelled Arabic news at
  training time; see ``tools/train_ner.py``), and spherical k-means over the packaged static
  e5 word vectors (``static-e5.npz``); a word missing from one of the two tables has
  :data:`NO_CLUSTER` there and gets no feature for it;
* gazetteer matches: the longest entry of a typed name list that covers the token (as B or I),
  separately for each list: entity strings of the training split (``train``), single tokens
  that are mostly inside entities in the training split (``tok``), and project-written lists
  (``proj``: the packaged place list as LOC, news-agency spellings as ORG);
* the word, stem, clusters and gazetteer marks of the neighbours at offsets -2..+2, and the word
  bigrams with the previous and next token.

The lexicon (clusters, gazetteers, and the news priors used by the tagger) is written by
``tools/train_ner.py``.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from marsad.normalize import normalize

ENTITY_TYPES = ("PERS", "LOC", "ORG", "MISC")
OUTSIDE = "O"
AFFIX_LENGTHS = (1, 2, 3, 4)
STEM_AFFIX_LENGTHS = (2, 3)
MAX_LENGTH_BUCKET = 8
WINDOW = (-2, -1, 1, 2)
MAX_GAZETTEER_SPAN = 6
MIN_STEM_LENGTH = 2
CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
ARTICLES = ("ال", "لل")
TOKEN_RE = re.compile(r"(?:[^\W_]|[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640])+|\S")
LATIN_RE = re.compile(r"[a-z]")
DIGIT_RE = re.compile(r"[0-9]")
LETTER_RE = re.compile(r"[^\W\d_]")
NO_CLUSTER = "-"  # cluster id of a word missing from one of the clusterings
SENTENCE_END = frozenset({".", "!", "?", "؟"})

Features = list[str]


@dataclass
class Lexicon:
    """Word clusters and typed gazetteers used as features (see the module docstring)."""

    clusters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    gazetteers: dict[str, dict[tuple[str, ...], str]] = field(default_factory=dict)
    priors: dict[str, tuple[float, ...]] = field(default_factory=dict)

    def dump(self, path: Path) -> None:
        """Write the lexicon as gzipped TSV (``C word ids``, ``G source type entry`` and
        ``P word shares`` rows)."""
        with gzip.open(path, "wt", encoding="utf-8") as out:
            for word in sorted(self.clusters):
                out.write(f"C\t{word}\t{' '.join(self.clusters[word])}\n")
            for word in sorted(self.priors):
                out.write(f"P\t{word}\t{' '.join(f'{v:.3f}' for v in self.priors[word])}\n")
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
                elif parts[0] == "P":
                    lexicon.priors[parts[1]] = tuple(float(v) for v in parts[2].split())
        return lexicon


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Split ``text`` like ANERcorp (words and single punctuation marks), with char offsets."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def split_sentences(
    tokens: list[tuple[str, int, int]], text: str | None = None
) -> list[list[tuple[str, int, int]]]:
    """Cut a token list after sentence-final punctuation (ANERcorp sentences are short) and,
    when the ``text`` the offsets point into is given, at line breaks."""
    sentences: list[list[tuple[str, int, int]]] = [[]]
    previous_end = 0
    for token in tokens:
        if text is not None and sentences[-1] and "\n" in text[previous_end : token[1]]:
            sentences.append([])
        sentences[-1].append(token)
        previous_end = token[2]
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


def entry_starts(table: dict[tuple[str, ...], str]) -> dict[str, tuple[int, ...]]:
    """First word of each gazetteer entry -> the lengths of the entries starting with it,
    longest first."""
    sizes: dict[str, set[int]] = {}
    for entry in table:
        if 0 < len(entry) <= MAX_GAZETTEER_SPAN:
            sizes.setdefault(entry[0], set()).add(len(entry))
    return {word: tuple(sorted(found, reverse=True)) for word, found in sizes.items()}


def gazetteer_marks(
    norm: Sequence[str],
    table: dict[tuple[str, ...], str],
    starts: dict[str, tuple[int, ...]] | None = None,
) -> list[str]:
    """Longest-match the entries of ``table`` over the tokens; one ``B-T``/``I-T``/'' per token.

    ``starts`` (from :func:`entry_starts`) only speeds the search up.
    """
    marks = [""] * len(norm)
    i = 0
    while i < len(norm):
        sizes = range(MAX_GAZETTEER_SPAN, 0, -1) if starts is None else starts.get(norm[i], ())
        for size in sizes:
            if size > len(norm) - i:
                continue
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


def word_features(word: str, lexicon: Lexicon) -> tuple[Features, Features]:
    """Features of one normalised token: those its neighbours also see (prefixed with the
    offset when copied) and the affix/length features of the token itself."""
    stem, marks = strip_clitics(word)
    own = [f"w={word}", f"stem={stem}", f"cl={marks}", f"shape={shape(word)}"]
    clusters = lexicon.clusters
    own.extend(
        f"c{level}={cid}" for level, cid in enumerate(clusters.get(word, ())) if cid != NO_CLUSTER
    )
    local = [f"len={min(len(word), MAX_LENGTH_BUCKET)}"]
    for n in AFFIX_LENGTHS:
        if len(word) > n:
            local.append(f"p{n}={word[:n]}")
            local.append(f"s{n}={word[-n:]}")
    if stem != word:
        own.extend(
            f"sc{level}={cid}"
            for level, cid in enumerate(clusters.get(stem, ()))
            if cid != NO_CLUSTER
        )
        local.extend(f"sp{n}={stem[:n]}" for n in STEM_AFFIX_LENGTHS if len(stem) > n)
        local.extend(f"ss{n}={stem[-n:]}" for n in STEM_AFFIX_LENGTHS if len(stem) > n)
    return own, local


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
    if not norm:
        return []
    own, local = zip(*(word_features(w, lexicon) for w in norm), strict=True)
    tables = lexicon.gazetteers if gazetteers is None else gazetteers
    gaz = [gazetteer_marks(norm, tables[name]) for name in sorted(tables)]
    names = sorted(tables)
    for i in range(len(norm)):
        own[i].extend(f"g{name}={g[i]}" for name, g in zip(names, gaz, strict=True) if g[i])
    out: list[Features] = []
    for i, word in enumerate(norm):
        feats = ["bias", *own[i], *local[i]]
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
