"""The data behind every page: one function per view, from the store to a JSON-ready dict.

The JSON API returns these dicts, the HTML pages and the static report render them. Lists
carry ``rows`` (what CSV/JSONL exports write) and a ``pager``.
"""

from __future__ import annotations

import difflib
import io
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from marsad.csvsafe import write_csv
from marsad.records import SearchRequest
from marsad.search import parse_query, snippet
from marsad.store import Store
from marsad.store.web import FamilyScope

Data = dict[str, Any]
MAX_PER_PAGE = 200
MAX_PAGE = 10_000
EXPORT_ROWS = 5_000  # an export writes the list with its filters, up to this many rows
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:#\-]{0,159}$")
DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_FILTER_CHARS = 200
LABEL_CHARS = 90  # an article with no title is listed by the start of its text
DIFF_WORDS = 3_000  # passages longer than this (in words) are not diffed
GRAPH_NODES = 60  # a reuse family's drawing shows its first members (the table has them all)


@dataclass(frozen=True)
class Paging:
    page: int = 1
    per_page: int = 25

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def paging(page: int | None, per_page: int | None, default: int = 25) -> Paging:
    """Bounded paging: pages from 1 to 10,000, 1 to 200 rows each."""
    size = min(MAX_PER_PAGE, max(1, per_page or default))
    return Paging(min(MAX_PAGE, max(1, page or 1)), size)


def export_paging() -> Paging:
    return Paging(1, EXPORT_ROWS)


def pager(pages: Paging, total: int) -> Data:
    count = max(1, -(-total // pages.per_page))
    return {"page": pages.page, "per_page": pages.per_page, "total": total, "pages": count}


def valid_id(value: str) -> bool:
    """Ids come from URLs: only the characters Marsad's ids use, no path separators."""
    return bool(ID_RE.match(value))


def clean_filter(value: str | None) -> str | None:
    value = (value or "").strip()
    return value[:MAX_FILTER_CHARS] or None


def clean_day(value: str | None) -> str | None:
    value = (value or "").strip()
    return value if DAY_RE.match(value) else None


def export_rows(rows: list[Data]) -> Iterator[Data]:
    """List rows flattened for CSV/JSONL: snippets become plain text."""
    for row in rows:
        out = dict(row)
        if "snippet" in out:
            out["snippet"] = "".join(piece for piece, _ in out["snippet"])
        yield out


def export_body(rows: list[Data], fmt: str) -> tuple[str, str]:
    """``(body, media type)`` of a list as JSON Lines or CSV (list cells hold JSON, and no
    cell is a spreadsheet formula: :mod:`marsad.csvsafe`)."""
    flat = list(export_rows(rows))
    if fmt == "jsonl":
        body = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in flat)
        return body, "application/x-ndjson"
    buffer = io.StringIO()
    write_csv(buffer, list(dict.fromkeys(k for r in flat for k in r)), flat)
    return buffer.getvalue(), "text/csv"


# -- overview ---------------------------------------------------------------------------------
def overview(store: Store) -> Data:
    narratives, _ = store.web.narrative_list(0, 10)
    families, _ = store.web.claim_family_list(0, 10)
    return {
        "stats": store.web.corpus_stats(),
        "per_day": store.web.articles_per_day(),
        "narratives": narratives,
        "claim_families": families,
        "most_copied": store.web.most_copied_outlets(),
        "problems": store.runs.problems(10),
    }


# -- search -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    kind: str = "articles"
    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    language: str | None = None
    source_type: str | None = None
    narrative: str | None = None
    sort: str = "relevance"


def search(store: Store, params: SearchParams, pages: Paging) -> Data:
    parsed = parse_query(params.q)
    request = SearchRequest(
        kind="claims" if params.kind == "claims" else "articles",
        match=parsed.match,
        outlet=params.outlet,
        date_from=params.date_from,
        date_to=params.date_to,
        language=params.language,
        source_type=params.source_type,
        narrative=params.narrative,
        sort=params.sort if params.sort in ("relevance", "newest", "oldest") else "relevance",
        offset=pages.offset,
        limit=pages.per_page,
    )
    indexed = store.search.has_search_index()
    if parsed.match is not None and not indexed:
        rows: list[Data] = []
        total = 0
    else:
        if parsed.match is None and request.sort == "relevance":
            request = replace(request, sort="newest")
        rows, total = store.search.search(request)
    out_rows = []
    for row in rows:
        if request.kind == "articles":
            text = row.pop("text")
            row["label"] = row["title"] or text[:LABEL_CHARS].split("\n")[0] + "…"
            row["snippet"] = snippet(text, parsed.words)
        else:
            row["snippet"] = snippet(row["text"], parsed.words, width=len(row["text"]) + 1)
        out_rows.append(row)
    return {
        "params": params.__dict__,
        "indexed": indexed,
        "rows": out_rows,
        "pager": pager(pages, total),
        "filters": store.web.filter_values(),
    }


# -- article ----------------------------------------------------------------------------------
def segments(text: str, claims: list[Data], passages: list[Data]) -> list[Data]:
    """Cut ``text`` at every claim and passage boundary; each piece lists the claims and
    passages covering it and the passages that start on it (anchors for links)."""
    cuts = {0, len(text)}
    for item in [*claims, *passages]:
        cuts.update((max(0, min(len(text), item["start"])), max(0, min(len(text), item["end"]))))
    bounds = sorted(cuts)
    out = []
    for start, end in itertools.pairwise(bounds):
        if start >= end:
            continue
        out.append(
            {
                "text": text[start:end],
                "claims": [c["id"] for c in claims if c["start"] <= start and end <= c["end"]],
                "passages": [p["id"] for p in passages if p["start"] <= start and end <= p["end"]],
                "anchors": [p["id"] for p in passages if p["start"] == start],
            }
        )
    return out


def article(store: Store, article_id: str) -> Data | None:
    found = store.web.article(article_id)
    if found is None:
        return None
    claims = store.web.article_claims(article_id)
    passages = store.web.article_passages(article_id)
    body_claims = [c for c in claims if c["part"] == "body"]
    headline = [c for c in claims if c["part"] == "headline"]
    return {
        "article": found,
        "claims": claims,
        "passages": passages,
        "families": store.web.article_families(article_id),
        "claim_families": store.web.article_claim_families(article_id),
        "catalog_matches": store.web.article_catalog_matches(article_id),
        "segments": segments(found["text"], body_claims, passages),
        "title_segments": segments(found["title"] or "", headline, []),
    }


# -- reuse families ---------------------------------------------------------------------------
def reuse_families(store: Store, pages: Paging) -> Data:
    rows, total = store.web.reuse_family_list(pages.offset, pages.per_page)
    return {"rows": rows, "pager": pager(pages, total)}


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Word-level changes from ``before`` to ``after``: ``(op, text)`` with op ``equal``,
    ``delete`` or ``insert`` (a replacement is a deletion then an insertion)."""
    a, b = before.split(), after.split()
    if len(a) > DIFF_WORDS or len(b) > DIFF_WORDS:
        return [("delete", before), ("insert", after)]
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(("insert", " ".join(b[j1:j2])))
    return out


def reuse_family(store: Store, family_id: str, pages: Paging) -> Data | None:
    """A family with one page of its members (in time order), the edges and word diffs that
    reach them, and the drawing's data: the first ``GRAPH_NODES`` members and their edges."""
    family = store.web.reuse_family(family_id)
    if family is None:
        return None
    members, edges = family.pop("members"), family.pop("edges")
    page = members[pages.offset : pages.offset + pages.per_page]
    shown = {m["article_id"] for m in page}
    passage: dict[str, str] = {}
    for member in members:
        passage.setdefault(member["article_id"], member["passage"])
    drawn = list(dict.fromkeys(m["article_id"] for m in members))[:GRAPH_NODES]
    page_edges = [e for e in edges if e["target"] in shown]
    family.update(
        rows=page,
        edges=page_edges,
        pager=pager(pages, len(members)),
        graph={
            "members": [m for m in members if m["article_id"] in set(drawn)],
            "edges": [e for e in edges if e["source"] in drawn and e["target"] in drawn],
            "truncated": len(drawn) < len(passage),
        },
        diffs=[
            {
                "source": e["source"],
                "target": e["target"],
                "source_outlet": e["source_outlet"],
                "target_outlet": e["target_outlet"],
                "ops": word_diff(passage[e["source"]], passage[e["target"]]),
            }
            for e in page_edges
            if e["source"] in passage and e["target"] in passage
        ],
    )
    return family


# -- narratives and claim families -------------------------------------------------------------
def narratives(store: Store, pages: Paging) -> Data:
    rows, total = store.web.narrative_list(pages.offset, pages.per_page)
    return {"rows": rows, "pager": pager(pages, total)}


def claim_families(store: Store, pages: Paging, narrative: str | None = None) -> Data:
    rows, total = store.web.claim_family_list(pages.offset, pages.per_page, narrative)
    return {"rows": rows, "pager": pager(pages, total)}


def _members(store: Store, scope: FamilyScope, key: str, pages: Paging) -> Data:
    """Member claims (with attributions), timeline and catalogue matches of claim families."""
    found = store.web.family_members(scope, key, pages.offset, pages.per_page)
    return {
        "rows": store.search.claim_rows(found["claim_ids"]),
        "pager": pager(pages, found["total"]),
        "timeline": found["timeline"],
        "catalog_matches": found["catalog_matches"],
    }


def narrative(store: Store, narrative_id: str, pages: Paging) -> Data | None:
    found = store.web.narrative(narrative_id)
    if found is None:
        return None
    families, _ = store.web.claim_family_list(0, MAX_PER_PAGE, narrative_id)
    return {
        "narrative": found,
        "families": families,
        **_members(store, "narrative", narrative_id, pages),
    }


def claim_family(store: Store, family_id: str, pages: Paging) -> Data | None:
    found = store.web.claim_family(family_id)
    if found is None:
        return None
    texts = store.web.claim_text_rows([found["representative"]])
    found["representative_text"] = texts.get(found["representative"], found["label"])
    return {"family": found, **_members(store, "family", family_id, pages)}


# -- outlets ----------------------------------------------------------------------------------
def outlets(store: Store, pages: Paging) -> Data:
    rows, total = store.web.outlet_list(pages.offset, pages.per_page)
    return {"rows": rows, "pager": pager(pages, total)}


def outlet(store: Store, name: str) -> Data | None:
    summary = store.web.outlet_summary(name)
    if summary is None:
        return None
    copies_from, copied_by = store.web.outlet_copying(name)
    return {
        "outlet": summary,
        "per_day": store.web.articles_per_day(name),
        "source_types": store.web.outlet_source_types(name),
        "copies_from": copies_from,
        "copied_by": copied_by,
        "narratives": store.web.narratives_of_outlet(name),
    }
