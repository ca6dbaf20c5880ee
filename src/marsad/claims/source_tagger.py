"""The learned source tagger: a linear-chain CRF that marks the source and the cue of a claim
unit, with the rules' own reading among its features.

The rules (:mod:`.attribution`) stop where their word lists and patterns stop: a scraped
heading glued before the verb, a function word taken for a subject (``كذلك``, ``وزاد``), an
addressee (``لـ"رويترز"``) or a byline read as the speaker, a long source cut at the wrong
comma. The tagger reads the claim unit's words (folded, clitics stripped), what kind of word
each is (reporting verb, participle, complementiser, preposition, connective, punctuation,
quotation mark, word-list class), the gazetteer's names, and where the rules put the source and
the verb, and labels each word ``B-SRC I-SRC B-CUE I-CUE O``. It was trained on the project's
annotated real claims (``tools/train_attribution.py``; model card
``docs/models/attribution.md``).

How its reading is used (:func:`refine`):

* a source it marks replaces the rules' source when the two differ (the type is decided again,
  by the rules' word lists and then the type model); the cue it marks with it becomes the verb;
* when it marks no source where the rules found one, the rules' source is dropped only if the
  tagger is confident there is none (``DROP_BELOW``: the rules' source words' mean posterior of
  being a source);
* units the rules found no frame in and that hold no cue word are not tagged (most claims): the
  cost stays a fraction of the claims stage.

Tagging uses :mod:`marsad.actors.crf` (numpy Viterbi and marginals over the CRFsuite weights).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from marsad.actors.crf import CrfWeights, marginals, viterbi
from marsad.actors.gazetteer import Gazetteer
from marsad.claims import attribution as rules
from marsad.normalize import normalize
from marsad.records import Span

MODEL_FILE = "source-tagger.crfsuite"
LABELS = ("B-SRC", "I-SRC", "B-CUE", "I-CUE", "O")
MAX_TOKENS = 64  # words of a unit tagged (sources stand near the start or by the cue)
CUE_WINDOW = 24  # words either side of a late cue tagged when the unit is longer
NEIGHBOURS = (-2, -1, 1, 2)
DROP_BELOW = 0.2  # the rules' source is dropped when its words' mean source posterior is lower
TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_CLITIC_RE = re.compile(r"^(?:و|ف)?(?:ب|ل|ك)?(?:ال|لل)")


def _words(words: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in words.split())


_COMPLEMENTISERS = _words(
    "أن إن بأن فإن أنه إنه بأنه أنها إنها بأنها أنهم إنهم بأنهم قوله قولها قولهم"
)
_ACCORDING = _words("بحسب حسب وفق وفقا وفقاً طبقا طبقاً نقلا نقلاً لسان استنادا")
_CONNECTIVES = _words(
    "كما كذلك أيضا أيضاً لذلك ولذلك فيما بينما لكن ولكن حيث إذ ثم بل وكذلك غير إلا بدوره "
    "بدورها من جهته جهتها جانبه جانبها وفي وعلى في على عن إلى الى"
)
_TIME = _words(
    "اليوم أمس مساء صباح فجر ليلة يوم الأسبوع الشهر العام الماضي المقبل السبت الأحد الاثنين "
    "الثلاثاء الأربعاء الخميس الجمعة"
)


def tokens(text: str, span: Span) -> list[Span]:
    """Word and punctuation tokens of ``text[span]``, as offsets into ``text``."""
    return [m.span() for m in TOKEN_RE.finditer(text, *span)]


def window(toks: list[Span], found: rules.Attribution) -> tuple[int, int]:
    """The token range tagged: the unit, or its start and the words around a late cue."""
    if len(toks) <= MAX_TOKENS:
        return 0, len(toks)
    anchor = (found.verb_span or found.source_span or (0, 0))[0]
    at = next((k for k, (s, _) in enumerate(toks) if s >= anchor), 0)
    if at < MAX_TOKENS - CUE_WINDOW:
        return 0, MAX_TOKENS
    return at - CUE_WINDOW, min(len(toks), at + CUE_WINDOW)


def _kind(word: str, folded: str) -> str:
    if not word[0].isalnum() and word[0] != "_":
        return {'"': "quote", "«": "quote", "»": "quote", "“": "quote", "”": "quote"}.get(
            word, "punct"
        )
    if folded.isdigit():
        return "digit"
    bare = folded[1:] if folded[:1] in "وف" and len(folded) > 3 else folded
    if folded in rules._VERB_FORMS or bare in rules._VERB_FORMS:
        return "participle" if rules._PARTICIPLE_RE.fullmatch(bare) else "verb"
    if folded in _COMPLEMENTISERS:
        return "complementiser"
    if folded in _ACCORDING or bare in _ACCORDING:
        return "according"
    if folded in _TIME or bare in _TIME:
        return "time"
    if folded in _CONNECTIVES:
        return "connective"
    nominal = rules._NOMINAL_RE.match(folded + " ")
    if nominal and nominal.end() == len(folded):
        return "speech noun"
    return "word"


@lru_cache(maxsize=200_000)
def _word(word: str) -> tuple[str, ...]:
    """The features of a word on its own (cached: news repeats its words)."""
    folded = normalize(word) or word
    kind = _kind(word, folded)
    stem = _CLITIC_RE.sub("", folded)
    stem = stem if len(stem) >= 2 else folded
    out = [f"kind={kind}", f"w={stem}"]
    if kind == "word":
        out.append(f"pre={folded[:2]}")
        out.append(f"suf={folded[-2:]}")
        lex = rules._head_type(folded)
        if lex:
            out.append(f"class={lex}")
    elif kind == "punct":
        out.append(f"p={word}")
    return tuple(out)


def features(
    text: str,
    toks: list[Span],
    found: rules.Attribution,
    gazetteer: Gazetteer | None,
) -> list[list[str]]:
    """The features of each token of the tagged window (``toks`` already cut to it)."""
    words = [text[s:e] for s, e in toks]
    own = [_word(w) for w in words]
    marks = ["O"] * len(toks)
    if gazetteer is not None and toks:
        start, end = toks[0][0], toks[-1][1]
        for match in gazetteer.find(text[start:end]):
            actor = gazetteer.actors.get(match.actor)
            kind = actor.type if actor else "other"
            inside = [
                k
                for k, (s, e) in enumerate(toks)
                if s >= start + match.start and e <= start + match.end
            ]
            for n, k in enumerate(inside):
                marks[k] = f"{'B' if n == 0 else 'I'}-{kind}"
    rule_src = _marks(toks, found.source_span if not found.carried_over else None)
    rule_cue = _marks(toks, found.verb_span)
    pattern = f"pattern={found.pattern}"
    out = []
    for k in range(len(toks)):
        feats = [
            "bias",
            pattern,
            *own[k],
            f"gaz={marks[k]}",
            f"rs={rule_src[k]}",
            f"rv={rule_cue[k]}",
        ]
        feats.append(f"at={min(k, 5)}")
        feats.append(f"rs+kind={rule_src[k]}|{own[k][0]}")
        for d in NEIGHBOURS:
            j = k + d
            if 0 <= j < len(toks):
                feats.append(f"{d}:{own[j][0]}")
                feats.append(f"{d}:{own[j][1]}")
                feats.append(f"{d}:rs={rule_src[j]}")
                feats.append(f"{d}:rv={rule_cue[j]}")
            else:
                feats.append(f"{d}:edge")
        out.append(feats)
    return out


def _marks(toks: list[Span], span: Span | None) -> list[str]:
    if span is None:
        return ["O"] * len(toks)
    out, first = [], True
    for s, e in toks:
        if s >= span[0] and e <= span[1]:
            out.append("B" if first else "I")
            first = False
        else:
            out.append("O")
    return out


def gold_tags(toks: list[Span], source: Span | None, cue: Span | None) -> list[str]:
    """Training labels: the annotated source and cue over the tokens they cover."""
    tags = ["O"] * len(toks)
    for span, name in ((cue, "CUE"), (source, "SRC")):
        if span is None:
            continue
        first = True
        for k, (s, e) in enumerate(toks):
            if s >= span[0] and e <= span[1]:
                tags[k] = f"{'B' if first else 'I'}-{name}"
                first = False
    return tags


def spans(toks: list[Span], tags: Sequence[str], name: str) -> list[Span]:
    """The ``name`` spans (``SRC``, ``CUE``) of a tag sequence, as text offsets."""
    out: list[Span] = []
    start = end = None
    for (s, e), tag in zip(toks, tags, strict=True):
        if tag == f"B-{name}" or (tag == f"I-{name}" and start is None):
            if start is not None:
                out.append((start, end))  # type: ignore[arg-type]
            start, end = s, e
        elif tag == f"I-{name}":
            end = e
        else:
            if start is not None:
                out.append((start, end))  # type: ignore[arg-type]
            start = end = None
    if start is not None:
        out.append((start, end))  # type: ignore[arg-type]
    return out


def worth_tagging(text: str, span: Span, found: rules.Attribution) -> bool:
    """Units with a frame, or with a reporting cue the rules did not take up."""
    if found.pattern not in ("none",) and not found.carried_over:
        return True
    if found.carried_over:
        return False
    folded = normalize(text[span[0] : span[1]])
    return next(rules._verbs(folded), None) is not None or rules._gate(folded, rules._PREP_KEYS)


@dataclass(frozen=True)
class SourceTagger:
    weights: CrfWeights
    digest: str

    def tag(
        self, text: str, span: Span, found: rules.Attribution, gazetteer: Gazetteer | None
    ) -> tuple[list[Span], list[str], np.ndarray]:
        """The window's tokens, their best labels and their label posteriors."""
        toks = tokens(text, span)
        lo, hi = window(toks, found)
        toks = toks[lo:hi]
        if not toks:
            return [], [], np.zeros((0, len(self.weights.labels)))
        feats = features(text, toks, found, gazetteer)
        emission = np.stack([self.weights.score(f) for f in feats])
        lengths = np.array([len(toks)])
        best = viterbi(emission, lengths, self.weights.transition)
        labels = [self.weights.labels[k] for k in best]
        return toks, labels, marginals(emission, lengths, self.weights.transition)

    def refine(
        self,
        text: str,
        span: Span,
        found: rules.Attribution,
        gazetteer: Gazetteer | None,
    ) -> rules.Attribution:
        """``found`` with the tagger's source and cue where it reads the unit otherwise."""
        if not worth_tagging(text, span, found):
            return found
        toks, labels, post = self.tag(text, span, found, gazetteer)
        if not toks:
            return found
        sources = spans(toks, labels, "SRC")
        cues = spans(toks, labels, "CUE")
        if sources:
            cue = cues[0] if cues else found.verb_span
            chosen = min(sources, key=lambda s: abs(s[0] - cue[0]) if cue else s[0])
            if found.source_span == chosen:
                return found
            src_text = text[chosen[0] : chosen[1]]
            verb_span = min(cues, key=lambda c: abs(c[0] - chosen[0])) if cues else found.verb_span
            kind, basis = rules.type_of_source(text, span, src_text, found, verb_span)
            return replace(
                found,
                source=src_text,
                source_span=chosen,
                verb=text[verb_span[0] : verb_span[1]] if verb_span else found.verb,
                verb_span=verb_span,
                source_type=kind,
                carried_over=False,
                pattern=found.pattern if found.pattern != "none" else "tagged",
                type_basis=f"tagger; {basis}",
            )
        if found.source_span is not None and not found.carried_over:
            inside = [
                k
                for k, (s, e) in enumerate(toks)
                if s >= found.source_span[0] and e <= found.source_span[1]
            ]
            src_col = [self.weights.labels.index("B-SRC"), self.weights.labels.index("I-SRC")]
            if inside and float(post[inside][:, src_col].sum(axis=1).mean()) < DROP_BELOW:
                return replace(
                    found,
                    source=None,
                    source_span=None,
                    source_type="self",
                    pattern="none",
                    type_basis="tagger: no source",
                )
        return found


def read_tagger(path: Path) -> SourceTagger:
    import hashlib

    return SourceTagger(CrfWeights.load(path), hashlib.sha256(path.read_bytes()).hexdigest()[:8])


@lru_cache(maxsize=1)
def packaged_tagger() -> SourceTagger | None:
    entry = resources.files("marsad.data.models").joinpath(MODEL_FILE)
    if not entry.is_file():
        return None
    with resources.as_file(entry) as path:
        return read_tagger(path)
