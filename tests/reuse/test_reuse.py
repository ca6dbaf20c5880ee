"""Reuse detection: tokens, candidates, alignment, direction, families; the demo reprint chain."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from marsad.pipeline import analyze
from marsad.records import ReusePassage
from marsad.reuse.align import AlignOptions, align, char_span, grams
from marsad.reuse.candidates import CandidateOptions, find_candidates, fingerprint
from marsad.reuse.origin import ArticleMeta, OriginOptions, extract_credits, infer_direction
from marsad.reuse.tokens import tokenize
from marsad.store import Store
from marsad.text import word_key as token_key
from tests.conftest import DEMO, DEMO_TRUTH
from tests.test_pipeline import demo_config, source_of

ORIGINAL = (
    "أفادت مصادر أهلية في ريف دير الزور الشرقي بأن مروحيتين أمريكيتين هبطتا فجر اليوم "
    "الأربعاء في أطراف قرية الغدير الشرقي، ونقلتا عدداً من قادة تنظيم داعش إلى جهة مجهولة. "
    "وأضافت المصادر أن العملية استغرقت نحو ساعة كاملة وسط إجراءات أمنية مشددة فرضتها القوات."
)
EDITED = (
    "وقالت مصادر محلية في ريف دير الزور الشرقي إن مروحيتين أمريكيتين هبطتا فجر الأربعاء "
    "في أطراف قرية الغدير، ونقلتا ٣ من قادة مسلحي التنظيم إلى جهة مجهولة، "
    "وأضافت المصادر أن العملية استغرقت نحو ساعة وسط إجراءات أمنية مشددة فرضتها القوات."
)
OTHER = (
    "ارتفعت أسعار الخضار في أسواق العاصمة خلال الأسبوع الماضي بنسبة كبيرة، وعزا التجار ذلك "
    "إلى تراجع الإنتاج المحلي وارتفاع تكاليف النقل والوقود، فيما طالب المستهلكون بتدخل "
    "الجهات الرقابية لضبط الأسعار ومنع الاحتكار في الأسواق الشعبية والمحال التجارية."
)
NO_COMMON = np.zeros(0, dtype=np.uint64)


def test_token_keys_fold_spelling_clitics_and_numbers() -> None:
    assert token_key("والمسلحين") == token_key("المسلحين") == "مسلحين"
    assert token_key("الثلاثة") == token_key("٣") == token_key("ثلاثة") == "3"
    assert token_key("وزير") == "وزير"  # a root waw is not a clitic
    tokens = tokenize("قُتِلَ ثلاثةُ مسلّحين، في دير الزور")
    text = "قُتِلَ ثلاثةُ مسلّحين، في دير الزور"
    assert [text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)] == [
        "قُتِلَ",
        "ثلاثةُ",
        "مسلّحين",
        "في",
        "دير",
        "الزور",
    ]
    assert tokens.content.tolist() == [True, True, True, False, True, True]


def test_candidates_skip_stock_phrases_and_need_a_new_article() -> None:
    texts = [ORIGINAL, EDITED, OTHER]
    fps = [fingerprint(tokenize(t), 3) for t in texts]
    found = find_candidates(fps, np.array([True, True, True]), CandidateOptions(100, 3))
    assert list(zip(found.a, found.b, strict=True)) == [(0, 1)]
    assert (
        find_candidates(fps, np.array([False, False, True]), CandidateOptions(100, 3)).a.size == 0
    )
    strict = find_candidates(fps, np.array([True, True, True]), CandidateOptions(1, 3))
    assert strict.a.size == 0 and strict.common.size > 0  # every shared n-gram is "common"


def test_alignment_survives_edits_and_gives_char_spans() -> None:
    ta, tb = tokenize(ORIGINAL), tokenize(EDITED)
    matches = align(grams(ta, 3, NO_COMMON), grams(tb, 3, NO_COMMON), AlignOptions())
    assert len(matches) == 1
    m = matches[0]
    a0, a1 = char_span(ta, m.a_start, m.a_end)
    b0, b1 = char_span(tb, m.b_start, m.b_end)
    assert ORIGINAL[a0:a1].startswith("مصادر") and ORIGINAL[a0:a1].endswith("فرضتها القوات")
    assert EDITED[b0:b1].endswith("فرضتها القوات")
    assert 0.6 <= m.score <= 1.0


def test_reordered_sentences_come_out_as_one_passage() -> None:
    first, second = ORIGINAL.split(". ")
    swapped = f"{second} {first}."
    ta, tb = tokenize(ORIGINAL), tokenize(swapped)
    matches = align(grams(ta, 3, NO_COMMON), grams(tb, 3, NO_COMMON), AlignOptions(min_words=8))
    assert len(matches) == 1
    assert char_span(ta, matches[0].a_start, matches[0].a_end) == (0, len(ORIGINAL) - 1)


def test_unrelated_and_stock_phrase_pairs_give_no_passage() -> None:
    ta, tc = tokenize(ORIGINAL), tokenize(OTHER)
    assert align(grams(ta, 3, NO_COMMON), grams(tc, 3, NO_COMMON), AlignOptions()) == []
    stock = "خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود وولي عهده الأمين وولي ولي العهد"
    x, y = tokenize(f"استقبل {stock} الوفد اليوم"), tokenize(f"هنأ {stock} المنتخب بالفوز")
    common = np.unique(fingerprint(tokenize(stock), 3))
    assert align(grams(x, 3, common), grams(y, 3, common), AlignOptions()) == []


def meta(
    id_: str, outlet: str, published: str | None, credits: tuple[str, ...] = (), length: int = 1000
) -> ArticleMeta:
    return ArticleMeta(id_, outlet, published, None, credits, length)


OPTS = OriginOptions(6.0, frozenset({"واس"}))
PASSAGE = ReusePassage("a", "b", (0, 500), (0, 500), 80, 0.9)


def test_direction_by_credit_time_wire_and_containment() -> None:
    credits = tuple(extract_credits("نقلاً عن وكالة الفرات للأنباء أن القوات انسحبت"))
    assert credits and "الفرات" in credits[0]
    a = meta("a", "وكالة الفرات للأنباء", "2025-09-04T10:00:00+03:00")
    b = meta("b", "صحيفة الصباح", "2025-09-04T08:00:00+03:00", credits)
    assert infer_direction(PASSAGE, a, b, OPTS, {})[:2] == (
        "a->b",
        "credit: صحيفة الصباح cites وكالة الفرات للأنباء",
    )
    later = meta("b", "صحيفة الصباح", "2025-09-06")
    assert infer_direction(PASSAGE, a, later, OPTS, {})[0] == "a->b"
    same_day = meta("b", "صحيفة الصباح", "2025-09-04T11:00:00+03:00")
    assert infer_direction(PASSAGE, same_day, a, OPTS, {})[:2] == ("b->a", "wire agency copy")
    x, y = (
        meta("x", "موقع س", "2025-09-04", length=520),
        meta("y", "موقع ص", "2025-09-04", length=3000),
    )
    assert infer_direction(PASSAGE, y, x, OPTS, {})[0] == "b->a"  # x is mostly the passage
    z = meta("z", "موقع ع", "2025-09-04", length=600)
    assert infer_direction(PASSAGE, x, z, OPTS, {})[0] == "unknown"


@pytest.fixture(scope="module")
def demo_reuse(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("reuse") / "demo.db"
    config = demo_config(db)
    with Store(db) as store:
        analyze([str(DEMO)], config, store, lambda line: None)
        by_source = {r["source"]: r["id"] for r in store.documents.iter_articles()}
        families = list(store.reuse.iter_families())
        passages = list(store.reuse.iter_reuse())
    return {"ids": by_source, "families": families, "passages": passages}


def test_demo_reprint_chain_origin_and_order(demo_reuse: dict[str, Any]) -> None:
    truth = {t["key"]: t for t in json.loads(Path(DEMO_TRUTH).read_text("utf-8"))["articles"]}
    ids = {key: demo_reuse["ids"][source_of(t)] for key, t in truth.items()}
    origin_id = ids["s1-badia-origin"]
    family = next(f for f in demo_reuse["families"] if f["origin"] == origin_id)
    parents = {m["article_id"]: m["parent"] for m in family["members"]}
    assert parents[ids["s1-furat-wire"]] == origin_id
    for key in ("s1-sabah", "s1-majra", "s1-rawafed"):
        assert parents[ids[key]] == ids["s1-furat-wire"], key
    assert parents[ids["s1-sada"]] in {ids["s1-furat-wire"], ids["s1-majra"]}
    published = {m["article_id"]: m["published"] for m in family["members"]}
    for edge in family["edges"]:
        assert (edge["lag_hours"] or 0) >= 0, edge
        assert published[edge["source"]][:10] <= published[edge["target"]][:10]
    sabah_edge = next(e for e in family["edges"] if e["target"] == ids["s1-sabah"])
    assert sabah_edge["reason"].startswith("credit")


def test_demo_passages_point_into_the_texts(demo_reuse: dict[str, Any]) -> None:
    assert demo_reuse["passages"]
    for p in demo_reuse["passages"]:
        assert p["text_a"] and p["text_b"]
        assert p["a_end"] - p["a_start"] == len(p["text_a"])
    cross = [p for p in demo_reuse["passages"] if not p["same_outlet"]]
    assert len(cross) >= 10


def test_incremental_runs_find_the_same_passages(tmp_path: Path) -> None:
    def passages(db: Path, inputs: list[list[Path]]) -> set[tuple[str, str, int, int, int, int]]:
        config = demo_config(db)
        with Store(db) as store:
            for batch in inputs:
                analyze([str(p) for p in batch], config, store, lambda line: None)
            return {
                (p["article_a"], p["article_b"], p["a_start"], p["a_end"], p["b_start"], p["b_end"])
                for p in store.reuse.iter_reuse()
            }

    once = passages(tmp_path / "once.db", [[DEMO]])
    twice = passages(tmp_path / "twice.db", [[DEMO / "furat", DEMO / "badia"], [DEMO]])
    assert once and once == twice
