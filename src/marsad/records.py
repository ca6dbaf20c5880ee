"""Typed records that flow between Marsad's stages.

Dicts appear only at the edges (JSON, SQL rows). Character offsets always index the cleaned
article text (``Article.text``).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]
# Control characters, line/paragraph separators, bidi overrides and isolates, and surrogates
# (os.fsdecode turns each undecodable byte of a file name into one of U+DC80..U+DCFF).
_UNPRINTABLE_RE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SURROGATE_ESCAPES = range(0xDC80, 0xDD00)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    if code in _SURROGATE_ESCAPES:
        return f"\\x{code - 0xDC00:02x}"  # the undecodable byte itself
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(value: str) -> str:
    """``value`` on one printable line that encodes to UTF-8: a file name's undecodable bytes
    read ``\\xe9``, control characters (newline, tab, ESC...) ``\\n``, ``\\t``, ``\\x1b``."""
    return _UNPRINTABLE_RE.sub(_escape, value)


@dataclass
class RawDocument:
    """One article as a reader found it, before cleaning."""

    source: str  # path or URL it came from, with a "#locator" for records inside a file
    format: str  # txt, html, jsonl, json, csv, warc, rss, atom, telegram
    text: str  # main text, original characters, paragraphs separated by newlines
    title: str | None = None
    url: str | None = None
    published: str | None = None  # as found (any format); parsed in the clean stage
    outlet: str | None = None
    author: str | None = None
    links: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class IngestedDocument:
    """A document read by ingest, with its content-hash id and the keys of its short lines
    (the outlet's boilerplate statistics)."""

    id: str
    doc: RawDocument
    line_keys: set[int]


@dataclass
class StoredDocument:
    """A document as the store keeps it, waiting to be cleaned."""

    id: str
    doc: RawDocument
    cleaned_before: bool  # True when an older component had cleaned it (an update)


@dataclass(frozen=True)
class Problem:
    """One bad input item, or one record a stage failed on: what it is, what is wrong, what
    Marsad did about it."""

    source: str
    kind: str  # binary, encoding, empty, too-large, too-long, truncated, malformed, unreadable,
    # duplicate, missing, no-article, error (a stage failed on the record), ...
    message: str
    action: str = "skipped"
    stage: str = "ingest"  # the stage (and step) that met it, e.g. "claims.analyse"
    record: str | None = None  # the record's id: article, document, wording, catalogue, ...
    exception: str | None = None  # type and message of the exception, when one was raised
    component: str | None = None  # the versioned component in force

    def line(self) -> str:
        """One line for people: control characters in any part are shown escaped."""
        return printable(f"{self.source}: {self.message} ({self.kind}; {self.action})")


@dataclass(frozen=True)
class Failure:
    """A record a stage step could not process: skipped by reruns until its component changes."""

    record: str
    exception: str  # "ExceptionType: message"


@dataclass(frozen=True)
class Dateline:
    """The dateline of an article: ``دمشق - سانا`` gives place دمشق and agency سانا."""

    raw: str
    place: str | None
    agency: str | None
    span: Span | None  # offsets in the cleaned text when the dateline is part of it


@dataclass
class Article:
    """A cleaned, segmented article: the record every later stage reads."""

    id: str
    source: str
    format: str
    outlet: str | None
    url: str | None
    title: str | None
    published: str | None  # ISO 8601 date or date-time, or None
    language: str  # ISO 639-1 code, or "und"
    text: str  # cleaned text (original characters, boilerplate removed)
    removed: list[str]  # boilerplate lines removed from the raw text, in order
    sentences: list[Span]
    dateline: Dateline | None = None
    author: str | None = None
    links: list[str] = field(default_factory=list)
    component: str = ""  # versioned component that produced the cleaned text

    @property
    def is_arabic(self) -> bool:
        return self.language == "ar"


@dataclass
class ArticleText:
    """What the claims stage reads of an article."""

    id: str
    title: str | None
    text: str
    sentences: list[Span]
    dateline_end: int | None = None
    source: str = ""  # the document's source (file#locator or URL), for problem lines


@dataclass
class Fingerprint:
    """What the reuse stage keeps of an article: its content-word n-gram hashes (uint64),
    its packed tokens, and the outlets it credits (``نقلاً عن ...``)."""

    article_id: str
    hashes: bytes
    tokens: bytes
    credits: list[str]


@dataclass
class ReusePassage:
    """A passage shared by two articles, aligned span to span (offsets into each text)."""

    article_a: str
    article_b: str
    span_a: Span
    span_b: Span
    matched: int  # aligned equal words
    score: float  # matched words / words of the longer side
    same_outlet: bool = False
    direction: str = "unknown"  # a->b, b->a or unknown
    reason: str = ""
    confidence: float = 0.0
    id: int | None = None  # row id once stored
    kind: str = "copy"  # copy (the same story) or template (a recurring official formula)
    kind_reason: str = ""


@dataclass(frozen=True)
class PassageTexts:
    """The aligned text of each side of a stored passage (kinds read its numbers)."""

    text_a: str
    text_b: str


@dataclass(frozen=True)
class ArticleMeta:
    """What origin inference knows of an article: who published it when, under whose
    dateline, what it credits, how long it is."""

    id: str
    outlet: str | None
    published: str | None
    dateline_agency: str | None
    credits: tuple[str, ...]
    text_len: int
    title: str | None = None


@dataclass
class FamilyMember:
    article_id: str
    span: Span
    role: str  # origin or copy
    parent: str | None = None


@dataclass
class TransmissionEdge:
    source: str
    target: str
    reason: str
    confidence: float
    lag_hours: float | None
    score: float


@dataclass
class ReuseFamily:
    """Passages that recur across articles: the origin and how the text travelled."""

    id: str
    origin: str
    origin_reason: str
    confidence: float
    members: list[FamilyMember]
    edges: list[TransmissionEdge]
    origin_agency: str | None = None
    first_published: str | None = None
    last_published: str | None = None
    kind: str = "copy"  # copy (a story copied) or template (a recurring official formula)


@dataclass(frozen=True)
class Claim:
    """One claim unit with its attribution. Body offsets index ``Article.text``; headline
    offsets index ``Article.title``."""

    id: str  # "<article id>:<n>" (body) or "<article id>:h<n>" (headline)
    article_id: str
    part: str  # body or headline
    idx: int
    sentence: int
    span: Span
    source: str | None
    source_span: Span | None
    source_type: str
    verb: str | None
    verb_span: Span | None
    hedged: bool
    carried_over: bool
    cited_links: list[str] = field(default_factory=list)
    checkworthiness: float | None = None
    pattern: str = "none"  # the attribution frame (marsad.claims.attribution.PATTERNS)
    type_basis: str = ""  # what decided the source type (word, earlier mention, model ...)


@dataclass(frozen=True)
class ActorMention:
    """A mention of an actor in an article's body or headline, linked to a canonical actor."""

    part: str  # body or headline
    start: int
    end: int
    text: str
    type: str  # person, organisation, outlet, armed_group, state, place, other
    actor: str  # gazetteer id, or "<type>:<folded name>" for actors the gazetteer lacks
    how: str  # gazetteer, ner+gazetteer, ner, coreference
    claim_id: str | None = None


@dataclass
class ArticleClaims:
    """What the claims stage found in one article."""

    article_id: str
    claims: list[Claim]
    mentions: list[ActorMention]


@dataclass(frozen=True)
class ClaimSpan:
    """Where a claim is (its part: body or headline) and how it is sourced."""

    id: str
    part: str
    span: Span
    source_type: str


@dataclass
class IndexedArticle:
    """What the search index holds of an article: text, filter values, claims."""

    id: str
    title: str | None
    text: str
    published: str | None
    language: str
    outlet: str | None
    claims: list[ClaimSpan] = field(default_factory=list)
    source: str = ""  # the document's source, for problem lines


@dataclass(frozen=True)
class SearchEntry:
    """One row of a search index: folded text and the values the filters read."""

    article_id: str
    text: str  # folded (marsad.normalize); the article's body or one claim
    outlet: str | None
    day: str | None  # YYYY-MM-DD
    language: str
    title: str = ""  # folded title (article rows)
    claim_id: str = ""  # claim rows
    source_type: str = ""  # claim rows


@dataclass(frozen=True)
class SearchRequest:
    """A search over articles or claims: an FTS5 expression (folded) plus filters and a page."""

    kind: str = "articles"  # articles or claims
    match: str | None = None  # FTS5 MATCH expression; None lists everything
    outlet: str | None = None
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None
    language: str | None = None
    source_type: str | None = None
    narrative: str | None = None
    sort: str = "relevance"  # relevance, newest, oldest
    offset: int = 0
    limit: int = 20


# -- actors and narratives ----------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    title: str
    description: str | None = None
    language: str | None = None
    url: str | None = None
    keywords: tuple[str, ...] = ()
    date: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def text(self) -> str:
        """What is embedded and matched: the title, and the description when there is one."""
        return self.title if not self.description else f"{self.title}. {self.description}"


@dataclass
class Catalog:
    name: str  # the file's stem unless given
    path: str
    entries: list[CatalogEntry]
    problems: list[Problem] = field(default_factory=list)

    @property
    def digest(self) -> str:
        data = json.dumps(
            [[e.id, e.title, e.description, e.language, list(e.keywords)] for e in self.entries],
            ensure_ascii=False,
        )
        return hashlib.sha256(data.encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)  # one per claim: 329k for SaudiNewsNet
class ClaimInfo:
    id: str
    key: str
    article_id: str
    outlet: str | None
    day: str | None  # YYYY-MM-DD of the article
    text: str
    actors: tuple[str, ...] = ()
    checkworthiness: float | None = None


@dataclass
class Family:
    id: str
    representative: str  # claim id
    label: str
    claims: list[str]
    articles: list[str]
    outlets: list[str]
    first_seen: str | None
    last_seen: str | None
    daily: dict[str, int]
    actors: list[str]
    keys: list[str] = field(default_factory=list)
    narrative: str | None = None


@dataclass
class Narrative:
    id: str
    label: str
    representative: str  # claim id
    terms: list[str]
    actors: list[str]
    families: list[str]
    articles: list[str]
    outlets: list[str]
    first_seen: str | None
    last_seen: str | None
    daily: dict[str, int]


@dataclass(frozen=True)
class CatalogMatch:
    entry_id: str
    article_id: str
    claim_id: str
    score: float
    cosine: float
    shared_actors: tuple[str, ...]
    stance: str | None = None  # agree (repeats the entry), disagree (disputes it), discuss
    stance_p: float | None = None  # the stance model's probability of ``stance``


@dataclass(frozen=True)
class Actor:
    id: str
    type: str
    name: str
    en: str | None = None
    aliases: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    origin: str = "starter"  # the file the entry came from
