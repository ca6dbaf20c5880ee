"""Attribution of claims written in English (wire copy and English-language outlets).

The same record as the Arabic rules (:class:`~marsad.claims.attribution.Attribution`), from a
smaller set of frames: ``according to X``; ``X said/told/reported ...``; ``"...," said X``;
and a carried-over speaker (``he added``, ``she said``). Source types come from the head words
of the source phrase, checked in a fixed order (anonymity first, a platform before its user).
"""

from __future__ import annotations

import re

from marsad.records import Span

_VERBS = (
    "said|says|say|told|tells|reported|reports|claimed|claims|denied|denies|confirmed|"
    "confirms|announced|announces|stated|states|added|adds|wrote|writes|posted|posts|insisted|"
    "alleged|alleges|warned|warns|noted|notes|argued|argues|accused|accuses|revealed|reveals|"
    "showed|shows|acknowledged|admitted|suggested|suggests|estimated|estimates|rejected|"
    "dismissed|insists"
)
_SOURCE_FIRST_RE = re.compile(
    r"(?:^|(?<=[.;:!?\"“”]\s)|(?<=,\s)|(?<=—\s))(?P<source>(?:[A-Z\"“]|the |a |an |some |local |"
    r"two |three |several |many )[^,.;:!?\"“”]{1,90}?)\s+(?P<verb>" + _VERBS + r")\b",
)
_VERB_FIRST_RE = re.compile(
    r"[,\"”]\s*(?P<verb>said|says|added|told|wrote)\s+(?P<source>[^,.;:!?]{2,90}?)\s*(?:[,.;]|$)"
)
_ACCORDING_RE = re.compile(
    r"(?P<verb>[Aa]ccording to|[Ss]peaking to|[Cc]iting|[Qq]uoting)\s+(?P<source>[^,.;:!?]{2,90})"
)
_TRAILING_RE = re.compile(
    r"[,\"”]\s*(?P<source>[^,.;:!?\"“”]{2,90}?)\s+(?P<verb>said|says|added|wrote|reported|"
    r"told [a-z]+)\s*\.?\s*$"
)
MAX_SOURCE_WORDS = 8
_NOT_SUBJECT_END_RE = re.compile(r"\b(?:than|as|was|were|been|being|is|are|be|had|has|have)$")
_PRONOUN_RE = re.compile(r"^(?:he|she|they|it|the spokesman|the spokeswoman)$", re.IGNORECASE)
_HEDGES_RE = re.compile(
    r"\b(?:may|might|could|reportedly|allegedly|believed|apparently|unconfirmed|likely|possibly|"
    r"rumou?red|purported(?:ly)?|appears?|seems?)\b",
    re.IGNORECASE,
)
_URL_RE = re.compile(r"https?://\S+|t\.me/\S+")
_TYPES = (
    ("anonymous", r"\bsources?\b|\bunnamed\b|\banonymous\b|declined to be named"),
    (
        "social_media",
        r"\bposts?\b|\btweets?\b|\bon (?:x|twitter|facebook|telegram)\b|\bactivists?\b|"
        r"\bbloggers?\b|\busers?\b|\bchannel on telegram\b",
    ),
    (
        "document_or_image",
        r"\bimages?\b|\bvideos?\b|\bfootage\b|\bphotos?\b|\bphotographs?\b|"
        r"\bdocuments?\b|\bdata\b|\bsatellite\b|\brecords?\b|\bstudy\b|\bsurvey\b",
    ),
    (
        "expert",
        r"\banalysts?\b|\bexperts?\b|\bresearchers?\b|\bprofessors?\b|\bacademics?\b|"
        r"\bscholars?\b|\beconomists?\b|\bengineers?\b",
    ),
    (
        "witness_local",
        r"\bwitness(?:es)?\b|\bresidents?\b|\bvillagers?\b|\blocals\b|\bfarmers?\b|"
        r"\bshopkeepers?\b|\btraders?\b|\bdisplaced\b|\brelatives?\b|\bmothers?\b|\bfathers?\b",
    ),
    (
        "media",
        r"\bmedia\b|\breports?\b|\bnewspapers?\b|\bagency\b|\bchannel\b|\boutlets?\b|"
        r"\bsites?\b|\btelevision\b|\btv\b|\bcorrespondents?\b|\breuters\b|\bafp\b|\bjournalists?\b|"
        r"\bmonitor\b",
    ),
    (
        "official",
        r"\bministry\b|\bminister\b|\bgovernment\b|\barmy\b|\bmilitary\b|\bpolice\b|"
        r"\bspokes(?:man|woman|person)\b|\bofficials?\b|\bcoalition\b|\bpresident\b|\bcouncil\b|"
        r"\bauthorities\b|\bdepartment\b|\bpentagon\b|\bcommand\b|\bgovernor\b|\bembassy\b|"
        r"\bforces\b|\bstatement\b|\bun\b|\bunited nations\b",
    ),
)
TYPE_RULES = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _TYPES)


def english_source_type(source: str) -> str:
    """Type of an English source phrase; a bare name counts as official."""
    for kind, pattern in TYPE_RULES:
        if pattern.search(source):
            return kind
    return "official"


def find_english_frame(claim: str) -> tuple[Span, Span] | None:
    """``((source start, end), (verb start, end))`` in ``claim``, or None."""
    match = _TRAILING_RE.search(claim) or _ACCORDING_RE.search(claim)
    if match is None:
        first = _SOURCE_FIRST_RE.search(claim)
        if first is not None:
            words = first.group("source").split()
            if len(words) > MAX_SOURCE_WORDS or _NOT_SUBJECT_END_RE.search(first.group("source")):
                first = None
        match = first or _VERB_FIRST_RE.search(claim)
    if match is None:
        return None
    start, end = match.span("source")
    while end > start and claim[end - 1] in " ,":
        end -= 1
    while start < end and claim[start] in '"“ ':
        start += 1
    return (start, end), match.span("verb")


def is_hedged(claim: str) -> bool:
    return bool(_HEDGES_RE.search(claim))


def is_pronoun(source: str) -> bool:
    return bool(_PRONOUN_RE.match(source.strip()))


def links(claim: str) -> list[str]:
    return _URL_RE.findall(claim)
