"""Stage 2, clean: raw documents to cleaned, segmented articles with metadata.

Boilerplate removal, dateline, publication date, language and sentence segmentation. The
cleaned text keeps the original characters (only white space is tidied); normalisation is for
matching only. Every article records the versioned component that cleaned it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Set as AbstractSet
from dataclasses import asdict

from marsad.clean.boilerplate import first_line, strip_boilerplate, tidy_line
from marsad.clean.dateline import Gazetteer, find_dateline, gazetteer
from marsad.clean.dates import date_from_text, date_from_url, parse_date
from marsad.clean.language import detect_language
from marsad.clean.lead import dateline_past_lead, page_title
from marsad.clean.pagelines import load_model
from marsad.config import Config
from marsad.normalize import PROFILE
from marsad.records import Article, Problem, RawDocument
from marsad.segment import COMPONENT as SEGMENT_COMPONENT
from marsad.segment import segment
from marsad.stage import Component

COMPONENT = "clean.v2"
ID_CHARS = 24
PAGE_FORMATS = frozenset({"txt", "html", "warc"})  # whole pages: the article block is found

__all__ = ["Gazetteer", "article_id", "clean_document", "component", "gazetteer"]


def article_id(doc: RawDocument) -> str:
    """Stable content hash: the same outlet, title and text always give the same id."""
    key = "\x1f".join((doc.outlet or "", doc.title or "", doc.text))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:ID_CHARS]


def component(config: Config) -> Component:
    """The cleaning components and the settings they depend on."""
    return Component(
        f"{COMPONENT}+{load_model().version}+{SEGMENT_COMPONENT}+{PROFILE}",
        [asdict(config.clean), asdict(config.segment), config.ingest.min_text_chars],
    )


def clean_document(
    doc_id: str, doc: RawDocument, frequent: AbstractSet[int], gaz: Gazetteer, config: Config
) -> Article | Problem:
    """Clean and segment one raw document."""
    lead = first_line(doc.text)
    protect = {lead} if lead and find_dateline(lead, None, gaz) else set()
    page = config.clean.page_lines and doc.format in PAGE_FORMATS
    headline = None
    if page and not doc.title:
        # a page saved whole: its headline, and the line holding it is never cut away
        lines = [tidy for tidy in (tidy_line(line) for line in doc.text.split("\n")) if tidy]
        headline, at = page_title(lines)
        if headline:
            protect.add(lines[at])
    text, removed = strip_boilerplate(doc.text, frequent, config.clean, protect, page)
    if len(text) < config.ingest.min_text_chars:
        why = (
            "no article text left after removing boilerplate"
            if removed
            else f"text too short ({len(text)} characters, minimum {config.ingest.min_text_chars})"
        )
        return Problem(doc.source, "empty", why, "kept in the store as raw text, not analysed")
    title = tidy_line(doc.title) if doc.title else headline
    dateline = dateline_past_lead(text, doc.author, gaz)
    published = parse_date(doc.published) or date_from_url(doc.url) or date_from_text(text)
    return Article(
        id=doc_id,
        source=doc.source,
        format=doc.format,
        outlet=doc.outlet,
        url=doc.url,
        title=title or None,
        published=published,
        language=detect_language(f"{title or ''}\n{text}"),
        text=text,
        removed=removed,
        sentences=segment(text, config.segment),
        dateline=dateline,
        author=tidy_line(doc.author) if doc.author else None,
        links=doc.links,
        component=component(config).version(),
    )
