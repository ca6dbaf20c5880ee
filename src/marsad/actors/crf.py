"""Linear-chain CRF inference in numpy, on weights read from a CRFsuite model file.

CRFsuite (through ``python-crfsuite``) trains the model; tagging from Python through its
``Tagger`` costs a feature-string round trip per token and a Python call per marginal. Here the
weights are loaded once into a matrix (one row per attribute, one column per label), so callers
can sum feature rows once per word type and decode many sentences at a time:

* :func:`viterbi` -- the best label sequence of each sentence;
* :func:`marginals` -- per-token label posteriors (forward-backward), scaled in probability space.

Both take a batch of sentences as their tokens' state scores ``[tokens, labels]``
one after another with the sentence lengths, and loop over positions only.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pycrfsuite

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
ARROW = " --> "
SECTION_END = "}"
RESCALE_EVERY = 8  # forward-backward steps between rescalings (see marginals)


@dataclass(frozen=True)
class CrfWeights:
    """Weights of a CRFsuite model: ``state[attribute_row, label]`` and ``transition[from, to]``."""

    labels: tuple[str, ...]
    attributes: dict[str, int]
    state: FloatArray
    transition: FloatArray

    @classmethod
    def load(cls, path: Path) -> CrfWeights:
        """Read a CRFsuite model file (through its text dump; weights have 6 decimals there)."""
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        with tempfile.TemporaryDirectory() as tmp:
            dump = Path(tmp) / "model.txt"
            tagger.dump(str(dump))
            return cls.parse_dump(dump.read_text("utf-8"))

    @classmethod
    def parse_dump(cls, text: str) -> CrfWeights:
        """Parse the text written by ``crfsuite dump`` (labels, transitions, state features)."""
        sections: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in text.splitlines():
            stripped = line.strip()
            if stripped.endswith(" = {"):
                current = sections.setdefault(stripped[: -len(" = {")], [])
            elif stripped == SECTION_END:
                current = None
            elif current is not None and stripped:
                current.append(line.lstrip().rstrip("\r\n"))
        labels = tuple(line.split(": ", 1)[1] for line in sections.get("LABELS", []))
        label_index = {label: n for n, label in enumerate(labels)}
        transition = np.zeros((len(labels), len(labels)))
        for line in sections.get("TRANSITIONS", []):
            pair, _, weight = line.partition(") ")[2].rpartition(": ")
            source, _, target = pair.partition(ARROW)
            transition[label_index[source], label_index[target]] = float(weight)
        attributes: dict[str, int] = {}
        rows: list[int] = []
        columns: list[int] = []
        values: list[float] = []
        for line in sections.get("STATE_FEATURES", []):
            pair, _, weight = line.partition(") ")[2].rpartition(": ")
            attribute, _, label = pair.rpartition(ARROW)
            rows.append(attributes.setdefault(attribute, len(attributes)))
            columns.append(label_index[label])
            values.append(float(weight))
        state = np.zeros((len(attributes), len(labels)))
        state[rows, columns] = values
        return cls(labels, attributes, state, transition)

    def score(self, features: list[str]) -> FloatArray:
        """Summed state weights of a list of (binary) features; unknown features weigh 0."""
        rows = [self.attributes[f] for f in features if f in self.attributes]
        return np.asarray(self.state[rows].sum(axis=0))


def _padded(
    emission: FloatArray, lengths: IntArray, fill: float, right: bool = False
) -> tuple[FloatArray, tuple[IntArray, IntArray]]:
    """The concatenated sentences of ``emission`` as a padded ``[position, sentence, label]``
    array (and the index of each token in it); ``right`` aligns the sentences' ends."""
    width = int(lengths.max())
    sentence = np.repeat(np.arange(len(lengths)), lengths)
    column = np.arange(len(emission)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    if right:
        column += np.repeat(width - lengths, lengths)
    padded = np.full((width, len(lengths), emission.shape[1]), fill)
    padded[column, sentence] = emission
    return padded, (column, sentence)


def viterbi(emission: FloatArray, lengths: IntArray, transition: FloatArray) -> IntArray:
    """Best label id of each token; ``emission`` holds the sentences' tokens one after another
    (``[tokens, labels]``), ``lengths`` says where each sentence ends."""
    if not len(emission):
        return np.zeros(0, dtype=np.int64)
    padded, index = _padded(emission, lengths, 0.0)
    width, count, n_labels = padded.shape
    back = np.zeros((width, count, n_labels), dtype=np.int64)
    best = padded[0].copy()
    for t in range(1, width):
        scores = best[:, :, None] + transition[None]
        back[t] = scores.argmax(axis=1)
        step = scores.max(axis=1) + padded[t]
        best = np.where((t < lengths)[:, None], step, best)
    path = np.zeros((width, count), dtype=np.int64)
    rows = np.arange(count)
    label = best.argmax(axis=1)
    path[np.maximum(lengths - 1, 0), rows] = label
    for t in range(width - 1, 0, -1):
        inside = t < lengths
        label = np.where(inside, back[t, rows, label], label)
        path[t - 1] = np.where(inside, label, path[t - 1])
    return np.asarray(path[index])


def marginals(emission: FloatArray, lengths: IntArray, transition: FloatArray) -> FloatArray:
    """Posterior label probabilities of each token (``[tokens, labels]``, forward-backward);
    arguments as for :func:`viterbi`.

    Works in probability space. Each step multiplies by at most ``labels`` and at least the
    smallest ``exp(transition - max)``, so rescaling every ``RESCALE_EVERY`` steps keeps the
    values far from overflow and underflow; per-token scale factors cancel in the end.
    """
    if not len(emission):
        return np.zeros((0, transition.shape[0]))
    odds = np.exp(emission - emission.max(axis=1, keepdims=True))
    step = np.exp(transition - transition.max())
    forward, index = _padded(odds, lengths, 1.0)
    alpha = np.empty_like(forward)
    current = alpha[0] = forward[0]
    for t in range(1, len(forward)):
        current = np.matmul(current, step, out=alpha[t])
        current *= forward[t]
        if t % RESCALE_EVERY == 0:
            current /= current.sum(axis=1, keepdims=True)
    backward, right_index = _padded(odds, lengths, 1.0, right=True)
    beta = np.empty_like(backward)
    beta[-1] = 1.0
    current = beta[-1]
    step_back = np.ascontiguousarray(step.T)
    for t in range(len(backward) - 2, -1, -1):
        current = np.matmul(backward[t + 1] * current, step_back, out=beta[t])
        if t % RESCALE_EVERY == 0:
            current /= current.sum(axis=1, keepdims=True)
    joint = alpha[index] * beta[right_index]
    return np.asarray(joint / joint.sum(axis=1, keepdims=True))
