"""NER tagger: tokenization, offsets and plausible entities on sentences written for the project."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pycrfsuite
import pytest

from marsad.actors.crf import marginals
from marsad.actors.ner import (
    Entity,
    Lexicon,
    NerTagger,
    default_model_path,
    repair_bio,
    sentence_features,
    spans_from_tags,
    strip_clitics,
    tokenize,
)
from marsad.actors.ner_features import NO_CLUSTER, word_features
from marsad.normalize import normalize

SENTENCE = (
    "قال وزير الخارجية الأردني أيمن الصفدي في عمّان إن المحادثات مع الجانب المصري كانت إيجابية."
)
SECOND = "وصل الرئيس الفرنسي إيمانويل ماكرون إلى بيروت يوم الخميس في زيارة رسمية إلى لبنان."


@pytest.fixture(scope="module")
def tagger() -> NerTagger:
    return NerTagger.load()


def test_tokenize_keeps_offsets_and_splits_punctuation() -> None:
    text = "زار «ماكرون» بيروت، أمس."
    tokens = tokenize(text)
    assert [t for t, _, _ in tokens] == ["زار", "«", "ماكرون", "»", "بيروت", "،", "أمس", "."]
    for token, start, end in tokens:
        assert text[start:end] == token


def test_tokenize_keeps_diacritics_inside_words() -> None:
    assert [t for t, _, _ in tokenize("في عمّان")] == ["في", "عمّان"]


def test_strip_clitics() -> None:
    assert strip_clitics(normalize("والقاهرة")) == ("قاهره", "wa")
    assert strip_clitics(normalize("بالأردن")) == ("اردن", "pa")
    assert strip_clitics("في") == ("في", "")


def test_spans_from_tags_follows_conll_rules() -> None:
    tags = ["B-PERS", "I-PERS", "O", "I-LOC", "B-ORG", "I-LOC"]
    assert spans_from_tags(tags) == [("PERS", 0, 2), ("LOC", 3, 4), ("ORG", 4, 5), ("LOC", 5, 6)]


def test_repair_bio() -> None:
    assert repair_bio(["I-PERS", "I-PERS", "O", "I-LOC", "B-ORG", "I-LOC"]) == [
        "B-PERS",
        "I-PERS",
        "O",
        "B-LOC",
        "B-ORG",
        "B-LOC",
    ]


def test_viterbi_decoding_also_works() -> None:
    tagger = NerTagger.load(entity_boost=None)
    assert len(tagger.tag_tokens(["زار", "ماكرون", "بيروت"])) == 3


def test_empty_text(tagger: NerTagger) -> None:
    assert tagger.entities("") == []
    assert tagger.tag_tokens([]) == []


def test_entities_have_exact_offsets(tagger: NerTagger) -> None:
    for text in (SENTENCE, SECOND):
        found = tagger.entities(text)
        assert found
        for entity in found:
            assert isinstance(entity, Entity)
            assert text[entity.start : entity.end] == entity.text
            assert entity.type in {"PERS", "LOC", "ORG", "MISC"}


def test_person_and_place_are_found(tagger: NerTagger) -> None:
    found = {(e.text, e.type) for e in tagger.entities(SENTENCE)}
    assert ("أيمن الصفدي", "PERS") in found
    assert ("عمّان", "LOC") in found
    found = {(e.text, e.type) for e in tagger.entities(SECOND)}
    assert ("إيمانويل ماكرون", "PERS") in found
    assert ("بيروت", "LOC") in found
    assert ("لبنان", "LOC") in found


def test_tag_tokens_returns_one_tag_per_token(tagger: NerTagger) -> None:
    tokens = [t for t, _, _ in tokenize(SECOND)]
    tags = tagger.tag_tokens(tokens)
    assert len(tags) == len(tokens)
    assert all(t == "O" or t[:2] in ("B-", "I-") for t in tags)


def test_entities_cut_sentences_at_line_breaks(tagger: NerTagger) -> None:
    text = f"{SENTENCE[:-1]}\n{SECOND}"
    found = tagger.entities(text)
    for entity in found:
        assert "\n" not in entity.text
        assert text[entity.start : entity.end] == entity.text
    assert ("إيمانويل ماكرون", "PERS") in {(e.text, e.type) for e in found}


def test_batch_tagging_equals_one_by_one(tagger: NerTagger) -> None:
    sentences = [[t for t, _, _ in tokenize(s)] for s in (SENTENCE, SECOND, "بيروت")]
    assert tagger.tag_sentences(sentences) == [tagger.tag_tokens(s) for s in sentences]


def test_numpy_decoding_matches_crfsuite() -> None:
    """The cached-weight numpy path gives CRFsuite's own Viterbi labels and marginals."""
    viterbi_tagger = NerTagger.load(entity_boost=None, prior_weight=0.0)
    crfsuite = pycrfsuite.Tagger()
    crfsuite.open(str(default_model_path()))
    for text in (SENTENCE, SECOND):
        tokens = [t for t, _, _ in tokenize(text)]
        features = sentence_features(tokens, viterbi_tagger.lexicon)
        assert viterbi_tagger.tag_tokens(tokens) == crfsuite.tag(features)
        rows = [viterbi_tagger._word(t) for t in tokens]
        lengths = np.array([len(tokens)])
        emission = viterbi_tagger._emission(rows, lengths)
        ours = marginals(emission, lengths, viterbi_tagger.weights.transition)
        crfsuite.set(features)
        for i in range(len(tokens)):
            for y, label in enumerate(viterbi_tagger.weights.labels):
                assert abs(ours[i, y] - crfsuite.marginal(label, i)) < 1e-4


def test_missing_cluster_ids_give_no_feature() -> None:
    lexicon = Lexicon(clusters={"بيروت": ("3", NO_CLUSTER, "7")})
    own, _ = word_features("بيروت", lexicon)
    assert [f for f in own if f[:1] == "c" and f[1].isdigit()] == ["c0=3", "c2=7"]


def test_lexicon_round_trip_with_priors(tmp_path: Path) -> None:
    lexicon = Lexicon(
        clusters={"بيروت": ("1", "2")},
        gazetteers={"proj": {("بيروت",): "LOC"}},
        priors={"ماكرون": (0.9, 0.0, 0.05, 0.0)},
    )
    lexicon.dump(tmp_path / "lexicon.tsv.gz")
    again = Lexicon.load(tmp_path / "lexicon.tsv.gz")
    assert again == lexicon


def test_news_prior_raises_its_type() -> None:
    plain = NerTagger.load(prior_weight=0.0)
    word = "زيكولاتي"
    lexicon = Lexicon(plain.lexicon.clusters, plain.lexicon.gazetteers, {word: (1, 0, 0, 0)})
    primed = NerTagger(plain.weights, lexicon, plain.entity_boost, prior_weight=6.0)
    tokens = ["وصل", word, "إلى", "المدينة"]
    rows = [primed._word(t) for t in tokens]
    lengths = np.array([len(tokens)])
    person = [y.endswith("PERS") for y in primed.weights.labels]
    gain = primed._emission(rows, lengths) - plain._emission(
        [plain._word(t) for t in tokens], lengths
    )
    assert np.allclose(gain[1, person], 6.0)
    assert np.allclose(np.delete(gain, 1, axis=0), 0.0)
