"""numpy CRF decoding against brute force on tiny hand-made chains."""

from __future__ import annotations

import itertools

import numpy as np

from marsad.actors.crf import CrfWeights, marginals, viterbi

DUMP = """FILEHEADER = {
  magic: lCRF
}

LABELS = {
      0: O
      1: B-LOC
}

ATTRIBUTES = {
      0: w=a
      1: -1:w=a --> x
}

TRANSITIONS = {
  (1) O --> O: 0.500000
  (1) B-LOC --> O: -1.250000
}

STATE_FEATURES = {
  (0) w=a --> B-LOC: 2.000000
  (0) -1:w=a --> x --> O: -0.500000
}
"""


def _chain_scores(emission: np.ndarray, transition: np.ndarray) -> dict[tuple[int, ...], float]:
    n, labels = emission.shape
    scores = {}
    for path in itertools.product(range(labels), repeat=n):
        score = sum(emission[i, y] for i, y in enumerate(path))
        score += sum(transition[a, b] for a, b in itertools.pairwise(path))
        scores[path] = score
    return scores


def test_viterbi_and_marginals_match_brute_force() -> None:
    rng = np.random.default_rng(3)
    lengths = np.array([4, 1, 3])
    emission = rng.normal(size=(int(lengths.sum()), 3)) * 3
    transition = rng.normal(size=(3, 3)) * 2
    best = viterbi(emission, lengths, transition)
    probs = marginals(emission, lengths, transition)
    start = 0
    for length in lengths.tolist():
        part = emission[start : start + length]
        scores = _chain_scores(part, transition)
        assert tuple(best[start : start + length].tolist()) == max(scores, key=scores.__getitem__)
        total = np.logaddexp.reduce(list(scores.values()))
        for i in range(length):
            for y in range(3):
                mass = [s for path, s in scores.items() if path[i] == y]
                expected = np.exp(np.logaddexp.reduce(mass) - total)
                assert abs(probs[start + i, y] - expected) < 1e-9
        start += length


def test_long_chain_stays_finite() -> None:
    rng = np.random.default_rng(5)
    emission = rng.normal(size=(3000, 9)) * 20
    probs = marginals(emission, np.array([3000]), rng.normal(size=(9, 9)) * 6)
    assert np.isfinite(probs).all()
    assert np.allclose(probs.sum(axis=1), 1.0)


def test_parse_dump() -> None:
    weights = CrfWeights.parse_dump(DUMP)
    assert weights.labels == ("O", "B-LOC")
    assert weights.transition.tolist() == [[0.5, 0.0], [-1.25, 0.0]]
    assert weights.score(["w=a"]).tolist() == [0.0, 2.0]
    assert weights.score(["-1:w=a --> x", "unknown"]).tolist() == [-0.5, 0.0]
