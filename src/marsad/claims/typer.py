"""The learned source-type classifier: the rules' attribution in, the source type out.

The rules (:mod:`.attribution`) find the frame, the source and the verb, and type the source
from word lists. On real war and politics news the word lists miss what the annotators saw:
``قرويون`` and ``محاميه`` are witnesses, ``برقية`` is a document, ``لافروف`` speaks for a
ministry, an outlet's ``مراسل`` reporting what the outlet saw is its own voice. This module
re-decides the type with a multinomial logistic regression over sparse features of the
attribution, trained on the project's annotated real claims (``tools/train_attribution.py``,
model card ``docs/models/attribution.md``):

* what the rules said: their type, the frame's pattern, whether hedged;
* the reporting verb (folded, without its proclitic);
* the source's words without clitics and article, its first and last word, the word-list
  class of each word, its length, a withheld identity, a platform, ``سابق``;
* the gazetteer's type of a name in the source (``person``, ``outlet``, ``state`` ...).

Every feature is a readable string, so the export can say why (``type_basis``: the model's
probability and the features that weighed most for the chosen type). Inference is a sum of
weight rows: no numpy call per claim, a few microseconds each.

Attributions the rules inherit from an earlier claim (continuations, open quotations) keep the
type given to that speaker; a claim with no frame stays ``self``.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from marsad.actors.gazetteer import Gazetteer
from marsad.claims import attribution as rules
from marsad.normalize import normalize

MODEL_FILE = "source-type.json"
MAX_SOURCE_WORDS = 8  # source words read for word features
EXPLAIN_FEATURES = 3  # features named in type_basis
_CLITIC_RE = re.compile(r"^(?:و|ف)?(?:ب|ل|ك)?(?:ال|لل)?")
_WORD_RE = re.compile(r"[^\s\"'«»“”()\[\]،,:;.!?؟\-–|/]+")
_DIGIT_RE = re.compile(r"\d")
_QUOTE_RE = re.compile('["«»“”]')


def _stem(word: str) -> str:
    stripped = _CLITIC_RE.sub("", word)
    return stripped if len(stripped) >= 2 else word


def features(found: rules.Attribution, gazetteer: Gazetteer | None = None) -> list[str]:
    """The readable features of one attribution (see the module docstring)."""
    out = [f"rule={found.source_type}", f"pattern={found.pattern}"]
    out.append(f"rule+pattern={found.source_type}|{found.pattern}")
    basis = found.type_basis.split(":", 1)[0]
    if basis:
        out.append(f"basis={basis}")
        out.append(f"rule+basis={found.source_type}|{basis}")
    if found.hedged:
        out.append("hedged")
    if found.verb:
        verb = normalize(found.verb).split()
        if verb:
            first = verb[0]
            out.append(f"verb={first[1:] if first[:1] in 'وف' and len(first) > 3 else first}")
    if found.source is None:
        out.append("no source")
        return out
    folded = normalize(found.source)
    words = _WORD_RE.findall(folded)[:MAX_SOURCE_WORDS]
    out.append(f"words={min(len(words), 6)}")
    stems = [_stem(w) for w in words]
    for stem in stems:
        out.append(f"w={stem}")
    if stems:
        out.append(f"first={stems[0]}")
        out.append(f"last={stems[-1]}")
    classes = []
    for word in words:
        kind = rules._head_type(word)
        if kind:
            classes.append(kind)
            out.append(f"class={kind}")
    out.append(f"first class={classes[0] if classes else 'none'}")
    if rules._ANONYMOUS_RE.search(folded):
        out.append("withheld")
    if rules._PLATFORM_RE.search(folded):
        out.append("platform")
    if rules._FORMER_RE.search(folded):
        out.append("former")
    if _DIGIT_RE.search(folded):
        out.append("digit")
    if _QUOTE_RE.search(found.source):
        out.append("quoted")
    if gazetteer is not None:
        matches = gazetteer.find(found.source)
        for match in matches[:2]:
            actor = gazetteer.actors.get(match.actor)
            if actor is not None:
                out.append(f"gazetteer={actor.type}")
        if not matches:
            out.append("gazetteer=none")
    return out


@dataclass(frozen=True)
class TypeModel:
    """Weights per feature and class, read from ``data/models/source-type.json``."""

    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    digest: str
    meta: dict[str, Any]

    def scores(self, feats: list[str]) -> list[float]:
        total = list(self.bias)
        for feat in feats:
            row = self.weights.get(feat)
            if row is not None:
                for k, w in enumerate(row):
                    total[k] += w
        return total

    def predict(
        self, feats: list[str], allowed: frozenset[str] | None = None
    ) -> tuple[str, float, list[str]]:
        """The type (among ``allowed``), its probability among them and the features that
        weighed most for it."""
        total = self.scores(feats)
        ks = [k for k, c in enumerate(self.classes) if allowed is None or c in allowed]
        best = max(ks, key=total.__getitem__)
        top = total[best]
        prob = 1.0 / sum(math.exp(total[k] - top) for k in ks)
        weighed = sorted(
            (f for f in feats if f in self.weights),
            key=lambda f: self.weights[f][best],
            reverse=True,
        )
        return self.classes[best], prob, weighed[:EXPLAIN_FEATURES]

    def retype(
        self, found: rules.Attribution, gazetteer: Gazetteer | None = None
    ) -> rules.Attribution:
        """``found`` with the model's type (and why) when the rules found a frame of its own."""
        if found.pattern in INHERITED or found.carried_over:
            return found
        allowed = NO_SPEAKER_TYPES if found.source is None else SPEAKER_TYPES
        kind, prob, why = self.predict(features(found, gazetteer), allowed)
        basis = f"model {prob:.2f}: " + "; ".join(why)
        if kind == found.source_type:
            basis = f"{found.type_basis}; {basis}" if found.type_basis else basis
        return replace(found, source_type=kind, type_basis=basis)


# Patterns whose type is not the model's to decide: no frame, a quotation's continuation,
# English text (its own word lists).
INHERITED = frozenset({"none", "quote", "english"})
# With no speaker named, a claim is the outlet's, hearsay, or an unknown office-holder's
# (a continuation whose speaker is not in the text); with one, any type but those two.
NO_SPEAKER_TYPES = frozenset({"self", "unattributed", "official"})
SPEAKER_TYPES = frozenset(rules.SOURCE_TYPES) - {"self", "unattributed"}


def read_model(path: Path) -> TypeModel:
    raw = path.read_bytes()
    data = json.loads(raw)
    classes = tuple(data["classes"])
    weights = {f: tuple(row) for f, row in data["weights"].items()}
    if any(len(row) != len(classes) for row in weights.values()):
        raise ValueError(f"{path}: a weight row does not have one weight per class")
    return TypeModel(
        classes,
        tuple(data["bias"]),
        weights,
        hashlib.sha256(raw).hexdigest()[:8],
        data.get("meta", {}),
    )


@lru_cache(maxsize=1)
def packaged_model() -> TypeModel | None:
    """The model shipped with Marsad, ``None`` when it is not there (rules only)."""
    entry = resources.files("marsad.data.models").joinpath(MODEL_FILE)
    if not entry.is_file():
        return None
    with resources.as_file(entry) as path:
        return read_model(path)
