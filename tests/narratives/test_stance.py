"""Stance of a catalogue match: cue features and the logistic model (texts written for the
test)."""

from __future__ import annotations

import numpy as np

from marsad.narratives import stance
from marsad.narratives.stance import FEATURES, LABELS, StanceModel, features, fit

ENTRY = "القوات الحكومية قصفت مستشفى المدينة بالبراميل المتفجرة وقتلت 12 مريضا"
DEBUNK_TITLE = "وزارة الصحة تنفي قصف مستشفى المدينة"
DEBUNK = (
    "نفت وزارة الصحة اليوم ما تداولته صفحات على مواقع التواصل عن قصف مستشفى المدينة. "
    "وقالت الوزارة إن هذه مزاعم لا صحة لها وإن الصور المنشورة مفبركة. "
    "وأكد مدير المستشفى أن العمل يسير بشكل طبيعي."
)
REPEAT_TITLE = "قصف مستشفى المدينة بالبراميل المتفجرة"
REPEAT = (
    "قصفت القوات الحكومية مستشفى المدينة بالبراميل المتفجرة صباح اليوم وقتلت 12 مريضا. "
    "وخرج المستشفى عن الخدمة بعد القصف. "
)


def span_of(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def test_features_see_denial_near_the_matched_claim() -> None:
    claim = "نفت وزارة الصحة اليوم ما تداولته صفحات على مواقع التواصل عن قصف مستشفى المدينة"
    denial = features(ENTRY, DEBUNK_TITLE, DEBUNK, claim, span_of(DEBUNK, claim), 0.9, 0.85)
    claim = "قصفت القوات الحكومية مستشفى المدينة بالبراميل المتفجرة صباح اليوم وقتلت 12 مريضا"
    repeat = features(ENTRY, REPEAT_TITLE, REPEAT, claim, span_of(REPEAT, claim), 1.4, 0.95)
    assert len(denial) == len(FEATURES)
    names = {name: i for i, name in enumerate(FEATURES)}
    assert denial[names["denial_near"]] > 0 and denial[names["denial_title"]] > 0
    assert repeat[names["denial_near"]] == 0 and repeat[names["denial_title"]] == 0
    assert repeat[names["overlap_claim"]] > denial[names["overlap_claim"]]
    assert repeat[names["numbers_shared"]] == 1.0 and denial[names["numbers_missing"]] == 1.0
    assert repeat[names["cross_script"]] == 0.0
    english = features("Government forces shelled the hospital", "", REPEAT, "", None, 0.1, 0.8)
    assert english[names["cross_script"]] == 1.0


def test_fit_and_predict_roundtrip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(3)
    rows = rng.normal(size=(90, len(FEATURES)))
    labels = [LABELS[i % 3] for i in range(90)]
    for i, label in enumerate(labels):
        rows[i, LABELS.index(label)] += 4.0  # one separating feature per class
    model = fit(rows, labels, l2=0.1)
    predicted = [label for label, _ in model.predict(rows)]
    assert np.mean([a == b for a, b in zip(predicted, labels, strict=True)]) > 0.95
    path = tmp_path / "stance.npz"
    model.save(path)
    again = StanceModel.load(path)
    assert again.predict(rows[:5]) == model.predict(rows[:5])
    assert all(0.0 <= p <= 1.0 for _, p in again.predict(rows[:5]))


def test_packaged_model_reads_a_debunk_as_a_debunk() -> None:
    if not stance.model_digest():
        return  # no packaged model in this checkout
    model = stance.load_model()
    claim = "نفت وزارة الصحة اليوم ما تداولته صفحات على مواقع التواصل عن قصف مستشفى المدينة"
    row = features(ENTRY, DEBUNK_TITLE, DEBUNK, claim, span_of(DEBUNK, claim), 0.9, 0.85)
    assert model.predict([row])[0][0] == "disagree"
