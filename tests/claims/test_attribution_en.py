"""Attribution of English claims (sentences written for these tests)."""

from __future__ import annotations

import pytest

from marsad.claims.attribution import attribute


@pytest.mark.parametrize(
    ("claim", "source", "verb", "kind"),
    [
        (
            "According to the report, two helicopters landed near the village.",
            "the report",
            "According to",
            "media",
        ),
        (
            "The witness said he saw five masked men board the aircraft.",
            "The witness",
            "said",
            "witness_local",
        ),
        (
            '"We do not transport militants," a coalition spokesperson said.',
            "a coalition spokesperson",
            "said",
            "official",
        ),
        (
            "A source in the local council told the outlet that a search took place.",
            "A source in the local council",
            "told",
            "anonymous",
        ),
        (
            "The images may be months older than claimed, an imagery analyst said.",
            "an imagery analyst",
            "said",
            "expert",
        ),
        (
            "The ministry said the images show a convoy of 37 tankers.",
            "The ministry",
            "said",
            "official",
        ),
        (
            "Residents told reporters that the water had been cut for three days.",
            "Residents",
            "told",
            "witness_local",
        ),
        (
            "Satellite images released on Monday show the convoy, the newspaper reported.",
            "the newspaper",
            "reported",
            "media",
        ),
    ],
)
def test_english_frames(claim: str, source: str, verb: str, kind: str) -> None:
    found = attribute(claim, (0, len(claim)))
    assert (found.source, found.verb, found.source_type) == (source, verb, kind)
    assert found.source_span is not None
    assert claim[found.source_span[0] : found.source_span[1]] == source


def test_english_carried_over_hedged_and_own_voice() -> None:
    text = "The ministry said the convoy crossed at night. He added that it may return."
    first_end = text.index(".") + 1
    first = attribute(text, (0, first_end))
    second = attribute(text, (first_end + 1, len(text)), first)
    assert second.carried_over and second.source == "The ministry" and second.hedged
    own = "Two helicopters landed near the village on Tuesday night."
    assert attribute(own, (0, len(own))).source_type == "self"
