"""Arabic datelines: ``دمشق-سانا``, ``موسكو - سانا``, ``لندن: فلان``, ``الرياض 5 شوال ... واس``.

A dateline is looked for in the byline (many sites put it there) and at the start of the text.
Its parts are split on the usual separators (``- – — : | ( )``); a part is a place when it is in
the place list, an agency when it is in the agency list. At the start of the text the dateline
must end at a separator or line break, so ordinary sentences are not mistaken for datelines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from marsad.clean.dates import find_date
from marsad.config import CleanOptions
from marsad.normalize import normalize
from marsad.records import Dateline

MAX_DATELINE_CHARS = 90
MAX_PART_WORDS = 4
MAX_DATE_LINE_CHARS = 40
_SEP_RE = re.compile(r"\s*[-–—:|()/]\s*|\s*\)\s*")
_HIJRI_RE = re.compile(
    r"^(?P<place>[^\d\n]{2,40}?)\s+\d{1,2}\s+\S+(?:\s+\S+)?\s+\d{4}\s*هـ?\s*(?:الموافق\s+)?"
    r"\d{1,2}\s+\S+\s+\d{4}\s*م?\s+(?P<agency>[^\s\n]{2,12})"
)
# Place/agency parts joined by separators, ending at a separator or a line break.
_LEAD_RE = re.compile(
    r"^\s*(?P<dl>[^\n.،؛!؟?|]{2,"
    + str(MAX_DATELINE_CHARS)
    + r"}?(?:\s*[-–—:]\s*|\s*\([^)\n]{2,40}\)\s*)[^\n.،؛!؟?:|]{0,40}?)"
    r"(?P<end>\s*[-–—:|]\s*|\s*\n|\s*$)"
)

_PLACE_SEP_RE = re.compile(
    r"^\s*(?P<place>[^\W\d_][^-–—:(\n]{0,40}?)\s*(?:[-–—:]|\()\s*(?P<rest>[^\n]{0,60})"
)


@dataclass(frozen=True)
class Gazetteer:
    places: dict[str, str]  # normalised -> as listed
    agencies: dict[str, str]  # normalised spelling -> canonical name


@lru_cache(maxsize=8)
def _base_gazetteer() -> tuple[dict[str, str], dict[str, str]]:
    data = resources.files("marsad.data")
    places = {}
    for line in data.joinpath("places_ar.txt").read_text("utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            places[normalize(line)] = line
    agencies = {}
    for canonical, spellings in yaml.safe_load(
        data.joinpath("agencies.yaml").read_text("utf-8")
    ).items():
        for spelling in [canonical, *spellings]:
            agencies[normalize(str(spelling))] = str(canonical)
    return places, agencies


@lru_cache(maxsize=1)
def base_gazetteer() -> Gazetteer:
    """The packaged places and agencies alone (no settings, no corpus outlets)."""
    places, agencies = _base_gazetteer()
    return Gazetteer(places, agencies)


def agency_spellings() -> dict[str, str]:
    """Normalised agency spelling -> canonical name, from the packaged agency list."""
    return dict(_base_gazetteer()[1])


def gazetteer(options: CleanOptions, outlets: Iterable[str] = ()) -> Gazetteer:
    """Places and agencies: the packaged lists, the settings, and the corpus's outlet names
    (so ``دير الزور - صدى الشرق`` is read as place and outlet, not place and reporter)."""
    places, agencies = _base_gazetteer()
    places = {**places, **{normalize(p): p for p in options.extra_places}}
    extra = [
        *options.extra_agencies,
        *(o for o in outlets if o and len(o.split()) <= MAX_PART_WORDS),
    ]
    agencies = {**{normalize(a): a for a in extra}, **agencies}
    return Gazetteer(places, agencies)


def _classify(parts: list[str], gaz: Gazetteer) -> tuple[str | None, str | None]:
    place = agency = None
    for part in parts:
        key = normalize(part).strip()
        if not key or len(key.split()) > MAX_PART_WORDS:
            continue
        if place is None and key in gaz.places:
            place = part
        elif agency is None and key in gaz.agencies:
            agency = part
    return place, agency


def parse_dateline(candidate: str, gaz: Gazetteer) -> tuple[str | None, str | None]:
    """``(place, agency)`` named in a dateline-like string such as a byline."""
    parts = [p.strip() for p in _SEP_RE.split(candidate) if p and p.strip()]
    return _classify(parts, gaz)


def find_dateline(text: str, byline: str | None, gaz: Gazetteer) -> Dateline | None:
    """The dateline of an article from the start of its cleaned text, else from its byline."""
    found = _from_text(text, gaz)
    if found:
        return found
    if byline and len(byline) <= MAX_DATELINE_CHARS * 2:
        place, agency = parse_dateline(byline, gaz)
        if place or agency:
            return Dateline(byline.strip(), place, agency, None)
    return None


def _from_text(text: str, gaz: Gazetteer) -> Dateline | None:
    first, _, rest = text.partition("\n")
    if rest and len(first) <= MAX_DATE_LINE_CHARS and find_date(first):
        # A printed date line ("الخميس 4 أيلول/سبتمبر 2025") may come before the dateline.
        found = _from_start(rest, gaz)
        if found and found.span:
            shift = len(first) + 1
            return Dateline(
                found.raw, found.place, found.agency, (found.span[0] + shift, found.span[1] + shift)
            )
        return found
    return _from_start(text, gaz)


def _from_start(text: str, gaz: Gazetteer) -> Dateline | None:
    head = text[: MAX_DATELINE_CHARS * 2]
    match = _HIJRI_RE.match(head)
    if match:
        place = match.group("place").strip()
        agency_key = normalize(match.group("agency"))
        if normalize(place) in gaz.places or agency_key in gaz.agencies:
            return Dateline(match.group(0), place, match.group("agency"), (0, match.end()))
    match = _LEAD_RE.match(head)
    if not match:
        return _place_then_agency(head, gaz)
    raw = match.group("dl").strip()
    place, agency = parse_dateline(raw, gaz)
    if not (place or agency):
        return None
    # A known place with an unknown second part is still a dateline when a separator closes it.
    start = head.index(raw)
    return Dateline(raw, place, agency or _other_part(raw, place), (start, start + len(raw)))


def _place_then_agency(head: str, gaz: Gazetteer) -> Dateline | None:
    """``موسكو - سانا أكد ...``: a listed place, a separator, then a listed agency, run on."""
    match = _PLACE_SEP_RE.match(head)
    if not match or normalize(match.group("place")).strip() not in gaz.places:
        return None
    words = match.group("rest").split()
    for n in range(min(MAX_PART_WORDS, len(words)), 0, -1):
        candidate = " ".join(words[:n]).rstrip(":)،,")
        if normalize(candidate) in gaz.agencies:
            end = head.index(candidate, match.start("rest")) + len(candidate)
            raw = head[match.start("place") : end].strip()
            return Dateline(
                raw, match.group("place").strip(), candidate, (match.start("place"), end)
            )
    return None


def _other_part(raw: str, place: str | None) -> str | None:
    """The X of ``place - X`` when X is one word: an agency or outlet we do not list.

    ``لندن: فلان الفلاني`` names a reporter, not an agency, so longer parts and parts after a
    colon are not taken.
    """
    if not place:
        return None
    match = re.match(r"^\s*" + re.escape(place) + r"\s*[-–—]\s*(\S+)\s*$", raw)
    return match.group(1) if match else None
