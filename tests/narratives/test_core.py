"""Core agreement of two claims: the gate of a same-claim link (texts written for the tests)."""

from __future__ import annotations

import numpy as np

from marsad.narratives.core import (
    content_overlap,
    core_agrees,
    core_signature,
    is_contact_line,
    numbers_agree,
)
from marsad.narratives.families import ClaimInfo, build_families, components, split_chains
from marsad.narratives.similarity import MIN_SHARED_WEIGHT, lexical_profile, load_model

FAREWELL_JEDDAH = (
    "وكان في وداعه بمطار الملك عبدالعزيز الدولي بجدة صاحب السمو الملكي الأمير خالد بن فهد "
    "بن عبدالعزيز، ومعالي وزير الدولة الدكتور سالم بن ناصر القحطاني"
)
FAREWELL_RIYADH = (
    "وكان في وداعه بمطار الملك خالد الدولي بالرياض صاحب السمو الملكي الأمير منصور بن سعود "
    "بن عبدالعزيز، ومعالي وزير الدولة الدكتور عادل بن حمد الشمري"
)
DEPOSITS = "وأوضح التقرير أن ودائع المصارف التجارية ارتفعت إلى 1.7 تريليون ريال بنهاية العام"
LOANS = "وأوضح التقرير أن قروض المصارف التجارية للقطاع الخاص ارتفعت إلى 1.3 تريليون ريال"
DEPOSITS_AGAIN = "التقرير: ودائع المصارف التجارية ارتفعت إلى 1.7 تريليون ريال بنهاية 2014"
FOOTER = "للتواصل مع الكاتب: salem.writer@example.com أو أرسل رسالة SMS إلى 88123"
FESTIVAL = "دشن أمير منطقة عسير الأمير خالد بن فهد مهرجان أبها للتسوق في دورته الحادية عشرة"
FESTIVAL_AGAIN = "الأمير خالد بن فهد يدشن مهرجان أبها للتسوق في دورته الحادية عشرة بحضور المسؤولين"


def _agree(a: str, b: str) -> bool:
    pa, pb = lexical_profile(a), lexical_profile(b)
    return core_agrees(a, b, pa.numbers, pb.numbers, pa.negated, pb.negated)


def test_titles_and_names_are_not_evidence_and_different_people_block() -> None:
    jeddah = core_signature(FAREWELL_JEDDAH)
    assert not {"امير", "سمو", "ملكي", "معالي", "وزير", "عبدالعزيز", "بن"} & jeddah.content
    assert jeddah.names >= {"خالد", "سالم"} and jeddah.places
    assert not _agree(FAREWELL_JEDDAH, FAREWELL_RIYADH)  # other people, other airport


def test_different_figures_of_one_report_are_different_claims() -> None:
    assert not _agree(DEPOSITS, LOANS)
    assert _agree(DEPOSITS, DEPOSITS_AGAIN)  # one adds a year: the figures still agree
    assert numbers_agree(frozenset({"1.7"}), frozenset({"1.7", "2014"}))
    assert not numbers_agree(frozenset({"1.7"}), frozenset({"1.3"}))


def test_negation_mismatch_blocks() -> None:
    said = "أكد رئيس الاتحاد الدولي لكرة القدم أنه سيترشح للانتخابات الرئاسية المقبلة للاتحاد"
    denied = "أكد رئيس الاتحاد الدولي لكرة القدم أنه لن يترشح للانتخابات الرئاسية المقبلة"
    assert not _agree(said, denied)


def test_contact_lines_never_link_and_form_no_family() -> None:
    assert is_contact_line(FOOTER)
    assert is_contact_line("تابعونا على تويتر @marsad_news")
    assert not is_contact_line(DEPOSITS)
    assert not _agree(FOOTER, FOOTER.replace("88123", "88124"))
    claims = [
        ClaimInfo(f"a{n}:0", "k-footer", f"a{n}", "daily", "2015-07-20", FOOTER, [], None)
        for n in range(5)
    ]
    claims += [
        ClaimInfo(f"a{n}:1", "k-deposits", f"a{n}", "daily", "2015-07-20", DEPOSITS, [], None)
        for n in range(2)
    ]
    roots = {"k-footer": "k-footer", "k-deposits": "k-deposits"}
    families = build_families(claims, roots, min_articles=2)
    assert [f.keys for f in families] == [["k-deposits"]]


def test_restatements_of_one_claim_still_agree() -> None:
    assert _agree(FESTIVAL, FESTIVAL_AGAIN)
    assert content_overlap(FESTIVAL, FESTIVAL_AGAIN) >= MIN_SHARED_WEIGHT


def test_the_link_gate_applies_with_min_shared_only() -> None:
    model = load_model("static", "paraphrase")
    vec = np.ones(4, np.float32) / 2.0  # cosine 1: only the gate can refuse the pair
    score, _ = model.judge(DEPOSITS, LOANS, vec, vec, min_shared=MIN_SHARED_WEIGHT)
    assert score == 0.0
    gated, threshold = model.judge(FESTIVAL, FESTIVAL_AGAIN, vec, vec, min_shared=MIN_SHARED_WEIGHT)
    assert gated >= threshold
    ungated, _ = model.judge(DEPOSITS, LOANS, vec, vec)
    assert ungated > 0.0


def test_close_vectors_without_links_do_not_make_one_family() -> None:
    """Two tight groups of wordings, one link between them and every vector close (a sports
    page: five clubs' training camps): the groups stay two families unless the share of
    linked pairs is ignored."""
    rng = np.random.default_rng(5)
    base = rng.normal(size=16)
    centres = {"a": base + 0.2 * rng.normal(size=16), "b": base + 0.2 * rng.normal(size=16)}
    vectors = {}
    for name in ("a0", "a1", "a2", "b0", "b1", "b2"):
        v = centres[name[0]] + 0.02 * rng.normal(size=16)
        vectors[name] = (v / np.linalg.norm(v)).astype(np.float16)
    assert float(np.dot(vectors["a0"], vectors["b0"])) > 0.9  # close, but not linked
    links = [("a0", "a1"), ("a1", "a2"), ("a0", "a2"), ("b0", "b1"), ("b1", "b2"), ("b0", "b2")]
    links.append(("a2", "b0"))
    roots = components(vectors, links)
    found = split_chains(roots, vectors, 0.9, links)
    assert len({found[k] for k in ("a0", "a1", "a2")}) == 1
    assert len({found[k] for k in ("b0", "b1", "b2")}) == 1
    assert found["a0"] != found["b0"]
    merged = split_chains(roots, vectors, 0.9, links, min_density=0.0)
    assert len(set(merged.values())) == 1


def test_forecasts_of_other_days_or_seas_are_other_claims() -> None:
    tuesday = "توقعت الأرصاد أن يكون الطقس اليوم الثلاثاء شديد الحرارة على المنطقة الشرقية والرياض"
    wednesday = (
        "توقعت الأرصاد أن يكون الطقس اليوم الأربعاء شديد الحرارة على المنطقة الشرقية والرياض"
    )
    assert not _agree(tuesday, wednesday)
    red_sea = "وتكون حركة الرياح السطحية على البحر الأحمر شمالية غربية بسرعة تصل إلى ثلاثين كيلا"
    gulf = "وتكون حركة الرياح السطحية على الخليج العربي شمالية غربية بسرعة تصل إلى ثلاثين كيلا"
    assert not _agree(red_sea, gulf)
    spokesman = "وأوضح المتحدث الإعلامي بأمانة المنطقة الشرقية محمد بن عبدالعزيز الصفيان"
    assert not {"صفيان", "متحدث", "اعلامي"} & core_signature(spokesman + " أن الطريق سيغلق").rare


def test_a_sites_stock_phrase_makes_no_family() -> None:
    """A wedding-notice phrase one site repeats under different weddings names no one, no
    place, figure or date: no family. The same number of articles repeating a claim with a
    figure, or a stock phrase spread over many outlets, still makes one."""
    phrase = "وسط حضور لفيف من الأهل والأقارب والأصدقاء والزملاء"
    claims = [
        ClaimInfo(f"w{n}:3", "k-phrase", f"w{n}", "daily", "2015-07-21", phrase, [], None)
        for n in range(6)
    ]
    claims += [
        ClaimInfo(f"d{n}:1", "k-deposits", f"d{n}", "daily", "2015-07-21", DEPOSITS, [], None)
        for n in range(6)
    ]
    claims += [
        ClaimInfo(f"s{n}:2", "k-spread", f"s{n}", f"site{n}", "2015-07-21", phrase, [], None)
        for n in range(6)
    ]
    roots = {"k-phrase": "k-phrase", "k-deposits": "k-deposits", "k-spread": "k-spread"}
    families = build_families(claims, roots, min_articles=2)
    assert sorted(f.keys[0] for f in families) == ["k-deposits", "k-spread"]
