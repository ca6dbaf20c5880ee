"""The actor gazetteer and alias linking (texts written for these tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.actors.gazetteer import (
    ACTOR_TYPES,
    GazetteerError,
    load_gazetteer,
    starter_entries,
)
from marsad.actors.link import link
from marsad.actors.ner import Entity


@pytest.fixture(scope="module")
def gaz():  # type: ignore[no-untyped-def]
    return load_gazetteer()


def linked(text: str, gaz, entities: list[Entity] | None = None) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(m.text, m.actor) for m in link(text, entities, gaz)]


def test_starter_set_is_valid_and_covers_every_actor_type(gaz) -> None:  # type: ignore[no-untyped-def]
    entries = starter_entries()
    assert len(entries) >= 150
    assert {e.type for e in entries} == set(ACTOR_TYPES) - {"other"}
    assert gaz.warnings == []  # no alias claimed by two actors
    assert all(e.en for e in entries)  # every starter actor has an English name


@pytest.mark.parametrize(
    ("name", "actor"),
    [
        ("داعش", "isis"),
        ("تنظيم الدولة الإسلامية", "isis"),
        ("تنظيم الدولة الاسلامية", "isis"),  # hamza folded
        ("ISIS", "isis"),
        ("Daesh", "isis"),
        ("وللأمم المتحدة", "un"),  # و + لل
        ("بالرياض", "riyadh"),
        ("الولايات المتحدة الأميركية", "usa"),
        ("أمريكا", "usa"),
        ("قسد", "sdf"),
        ("Syrian Democratic Forces", "sdf"),
        ("مجلس الأمن", "unsc"),
        ("حزب الله", "hezbollah"),
        ("أنصار الله", "houthis"),
        ("سلمان بن عبد العزيز", "king_salman"),
        ("الجبير", "adel_jubeir"),
    ],
)
def test_aliases_link_to_one_canonical_actor(gaz, name: str, actor: str) -> None:  # type: ignore[no-untyped-def]
    found = gaz.lookup(name)
    assert found is not None and found[0] == actor, name


def test_latin_abbreviations_match_only_in_capitals(gaz) -> None:  # type: ignore[no-untyped-def]
    assert linked("قال مسؤول في UN إن", gaz) == [("UN", "un")]
    assert linked("un rapport", gaz) == []
    assert linked("the US and us", gaz) == [("US", "usa")]


def test_longest_alias_wins_and_clitics_are_cut_from_the_mention(gaz) -> None:  # type: ignore[no-untyped-def]
    text = "وأكد مجلس التعاون لدول الخليج العربية وبالرياض أن الاجتماع انتهى."
    assert linked(text, gaz) == [("مجلس التعاون لدول الخليج العربية", "gcc"), ("الرياض", "riyadh")]


def test_quoted_name_keeps_its_closing_quote(gaz) -> None:  # type: ignore[no-untyped-def]
    assert linked('عناصر تنظيم "داعش" في البادية', gaz) == [('تنظيم "داعش"', "isis")]


def test_ambiguous_alias_needs_the_ner(gaz) -> None:  # type: ignore[no-untyped-def]
    text = "استقبل الجمهور الفريق بحماس كبير، وقالت حماس إن الهدنة صامدة."
    # Without NER evidence neither "حماس" links.
    assert linked(text, gaz) == []
    start = text.index("حماس إن")
    entity = Entity("حماس", "ORG", start, start + 4)
    assert linked(text, gaz, [entity]) == [("حماس", "hamas")]


def test_unknown_entities_become_their_own_actor_and_surnames_corefer(gaz) -> None:  # type: ignore[no-untyped-def]
    text = "وقال الوزير سليم الرواحي إن الطريق مفتوح. وأضاف الرواحي أن القوافل ستصل."
    start = text.index("سليم")
    entity = Entity("سليم الرواحي", "PERS", start, start + len("سليم الرواحي"))
    mentions = link(text, [entity], gaz)
    assert [(m.text, m.actor, m.how) for m in mentions] == [
        ("سليم الرواحي", "person:سليم الرواحي", "ner"),
        ("الرواحي", "person:سليم الرواحي", "coreference"),
    ]
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_surname_shared_by_two_people_stays_unlinked(gaz) -> None:  # type: ignore[no-untyped-def]
    text = "التقى سليم الرواحي بخالد الرواحي. وقال الرواحي إن اللقاء مثمر."
    ents = [
        Entity("سليم الرواحي", "PERS", 6, 18),
        Entity("خالد الرواحي", "PERS", text.index("خالد"), text.index("خالد") + 12),
    ]
    actors = [m.actor for m in link(text, ents, gaz)]
    assert actors == ["person:سليم الرواحي", "person:خالد الرواحي"]


def test_user_yaml_extends_and_overrides_the_starter_set(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text(
        "- {id: badia_council, type: organisation, name: مجلس عشائر البادية, "
        "en: Badia Tribal Council, aliases: [مجلس العشائر, BTC]}\n"
        "- {id: isis, type: armed_group, name: داعش, en: ISIS, aliases: [الدواعش]}\n",
        encoding="utf-8",
    )
    gaz = load_gazetteer([user])
    assert gaz.lookup("لمجلس العشائر") == ("badia_council", False)
    assert gaz.lookup("BTC") == ("badia_council", False)
    assert gaz.lookup("الدواعش") == ("isis", False)
    assert gaz.lookup("ISIL") is None  # the user's entry replaced the starter one
    assert gaz.actors["isis"].origin == str(user)
    assert gaz.digest != load_gazetteer().digest


def test_user_csv_gazetteer(tmp_path: Path) -> None:
    user = tmp_path / "mine.csv"
    user.write_text(
        "id,type,name,en,aliases,ambiguous\n"
        "furat_guard,armed_group,حرس الفرات,Euphrates Guard,قوات حرس الفرات|EG,الحرس\n",
        encoding="utf-8",
    )
    gaz = load_gazetteer([user], starter=False)
    assert list(gaz.actors) == ["furat_guard"]
    assert gaz.lookup("وقوات حرس الفرات") == ("furat_guard", False)
    assert gaz.lookup("الحرس") == ("furat_guard", True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- {id: x, type: militia, name: س}\n", "type 'militia' is not one of"),
        ("- {id: x, type: person}\n", "needs an id and a name"),
        ("- {id: x, type: person, name: س, alias: [ص]}\n", "unknown fields ['alias']"),
        ("id: x\n", "a gazetteer is a list of entries"),
        ("- [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_gazetteer_files_are_named_with_the_reason(
    tmp_path: Path, content: str, message: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"bad\.yaml") as err:
        load_gazetteer([bad])
    assert message in str(err.value)


def test_alias_conflicts_are_reported(tmp_path: Path) -> None:
    user = tmp_path / "clash.yaml"
    user.write_text("- {id: other, type: organisation, name: قسد}\n", encoding="utf-8")
    gaz = load_gazetteer([user])
    assert any("'قسد'" in w and "'sdf'" in w for w in gaz.warnings)
