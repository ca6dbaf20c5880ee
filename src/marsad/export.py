"""``marsad export``: stored results as JSONL, CSV or graph files, one exporter per ``--what``.

Each exporter names its JSON Schema in ``marsad/schema`` (documented in ``docs/schema.md``);
record exports write JSONL or CSV, graph exports GEXF or GraphML.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, TextIO

from marsad.csvsafe import write_csv
from marsad.graphs import Graph, write_gexf, write_graphml
from marsad.store import Store

SCHEMA_VERSION = "1.5"
Row = dict[str, Any]
RECORD_FORMATS = ("jsonl", "csv")
GRAPH_FORMATS = ("gexf", "graphml")


@dataclass(frozen=True)
class Exporter:
    name: str
    help: str
    fields: tuple[str, ...]
    rows: Callable[[Store], Iterator[Row]]
    schema_file: str | None
    formats: tuple[str, ...] = RECORD_FORMATS
    graph: Callable[[Store], Graph] | None = None


ARTICLE_FIELDS = (
    "id",
    "source",
    "format",
    "outlet",
    "url",
    "title",
    "published",
    "dateline_place",
    "dateline_agency",
    "dateline",
    "language",
    "text",
    "removed",
    "sentences",
    "author",
    "links",
    "component",
)
REUSE_FIELDS = (
    "article_a",
    "article_b",
    "outlet_a",
    "outlet_b",
    "published_a",
    "published_b",
    "span_a",
    "span_b",
    "text_a",
    "text_b",
    "score",
    "matched_words",
    "same_outlet",
    "direction",
    "reason",
    "confidence",
    "kind",
    "kind_reason",
)
FAMILY_FIELDS = (
    "id",
    "origin",
    "origin_outlet",
    "origin_reason",
    "confidence",
    "origin_agency",
    "size",
    "outlets",
    "first_published",
    "last_published",
    "kind",
    "members",
    "edges",
)


CLAIM_FIELDS = (
    "id",
    "article_id",
    "outlet",
    "published",
    "part",
    "sentence",
    "text",
    "start",
    "end",
    "source",
    "source_start",
    "source_end",
    "source_type",
    "verb",
    "verb_start",
    "verb_end",
    "pattern",
    "type_basis",
    "hedged",
    "carried_over",
    "cited_links",
    "actors",
    "checkworthiness",
)
ACTOR_FIELDS = (
    "id",
    "name",
    "type",
    "en",
    "in_gazetteer",
    "aliases_seen",
    "mentions",
    "articles",
    "claims",
)


FAMILY_OF_CLAIMS_FIELDS = (
    "id",
    "label",
    "representative",
    "narrative",
    "size",
    "claims",
    "articles",
    "outlets",
    "first_seen",
    "last_seen",
    "daily",
    "actors",
)
NARRATIVE_FIELDS = (
    "id",
    "label",
    "representative",
    "terms",
    "actors",
    "families",
    "articles",
    "outlets",
    "first_seen",
    "last_seen",
    "daily",
)
MATCH_FIELDS = (
    "catalog",
    "entry_id",
    "entry_title",
    "entry_url",
    "article_id",
    "outlet",
    "published",
    "claim_id",
    "claim_text",
    "score",
    "cosine",
    "shared_actors",
    "stance",
    "stance_p",
)


def claim_family_rows(store: Store) -> Iterator[Row]:
    articles = store.narratives.family_articles()
    names = store.claims.actor_names()
    for row in store.narratives.iter_claim_families():
        yield {
            "id": row["id"],
            "label": row["label"],
            "representative": row["representative"],
            "narrative": row["narrative"],
            "size": row["size"],
            "claims": row["claims"],
            "articles": articles.get(row["id"], []),
            "outlets": row["outlets"],
            "first_seen": row["first_seen"],
            "last_seen": row["last_seen"],
            "daily": json.loads(row["daily"]),
            "actors": [names.get(a, a) for a in json.loads(row["actors"])],
        }


def narrative_rows(store: Store) -> Iterator[Row]:
    names = store.claims.actor_names()
    for row in store.narratives.iter_narratives():
        yield {
            "id": row["id"],
            "label": row["label"],
            "representative": row["representative"],
            "terms": json.loads(row["terms"]),
            "actors": [names.get(a, a) for a in json.loads(row["actors"])],
            "families": json.loads(row["families"]),
            "articles": json.loads(row["articles"]),
            "outlets": json.loads(row["outlets"]),
            "first_seen": row["first_seen"],
            "last_seen": row["last_seen"],
            "daily": json.loads(row["daily"]),
        }


def match_rows(store: Store) -> Iterator[Row]:
    texts = store.narratives.claim_texts()
    for row in store.narratives.iter_catalog_matches():
        yield {
            "catalog": row["catalog"],
            "entry_id": row["entry_id"],
            "entry_title": row["entry_title"],
            "entry_url": row["entry_url"],
            "article_id": row["article_id"],
            "outlet": row["outlet"],
            "published": row["published"],
            "claim_id": row["claim_id"],
            "claim_text": texts.get(row["claim_id"]),
            "score": row["score"],
            "cosine": row["cosine"],
            "shared_actors": json.loads(row["actors"]),
            "stance": row["stance"],
            "stance_p": row["stance_p"],
        }


def claim_rows(store: Store) -> Iterator[Row]:
    names = store.claims.actor_names()
    for row in store.claims.iter_claims():
        content = row["title"] if row["part"] == "headline" else row["article_text"]
        yield {
            "id": row["id"],
            "article_id": row["article_id"],
            "outlet": row["outlet"],
            "published": row["published"],
            "part": row["part"],
            "sentence": row["sentence"],
            "text": content[row["start"] : row["end"]],
            "start": row["start"],
            "end": row["end"],
            "source": row["source"],
            "source_start": row["source_start"],
            "source_end": row["source_end"],
            "source_type": row["source_type"],
            "verb": row["verb"],
            "verb_start": row["verb_start"],
            "verb_end": row["verb_end"],
            "pattern": row["pattern"],
            "type_basis": row["type_basis"],
            "hedged": bool(row["hedged"]),
            "carried_over": bool(row["carried_over"]),
            "cited_links": json.loads(row["cited_links"]),
            "actors": [
                {
                    "name": m["text"],
                    "canonical": names.get(m["actor"], m["actor"]),
                    "actor_id": m["actor"],
                    "type": m["type"],
                    "start": m["start"],
                    "end": m["end"],
                    "how": m["how"],
                }
                for m in row["mentions"]
            ],
            "checkworthiness": row["checkworthiness"],
        }


def actor_rows(store: Store) -> Iterator[Row]:
    for row in store.claims.iter_actors():
        yield {
            "id": row["actor"],
            "name": row["name"],
            "type": row["type"],
            "en": row["en"],
            "in_gazetteer": row["origin"] is not None,
            "aliases_seen": [{"text": text, "count": n} for text, n in row["names"]],
            "mentions": row["mentions"],
            "articles": row["articles"],
            "claims": row["claims"],
        }


def article_rows(store: Store) -> Iterator[Row]:
    for row in store.documents.iter_articles():
        yield {
            "id": row["id"],
            "source": row["source"],
            "format": row["format"],
            "outlet": row["outlet"],
            "url": row["url"],
            "title": row["title"],
            "published": row["published"],
            "dateline_place": row["dateline_place"],
            "dateline_agency": row["dateline_agency"],
            "dateline": row["dateline_raw"],
            "language": row["language"],
            "text": row["text"],
            "removed": json.loads(row["removed"]),
            "sentences": row["sentences"],
            "author": row["author"],
            "links": json.loads(row["links"]),
            "component": row["component"],
        }


def reuse_rows(store: Store) -> Iterator[Row]:
    for row in store.reuse.iter_reuse():
        yield {
            "article_a": row["article_a"],
            "article_b": row["article_b"],
            "outlet_a": row["outlet_a"],
            "outlet_b": row["outlet_b"],
            "published_a": row["published_a"],
            "published_b": row["published_b"],
            "span_a": [row["a_start"], row["a_end"]],
            "span_b": [row["b_start"], row["b_end"]],
            "text_a": row["text_a"],
            "text_b": row["text_b"],
            "score": row["score"],
            "matched_words": row["matched"],
            "same_outlet": bool(row["same_outlet"]),
            "direction": row["direction"],
            "reason": row["reason"],
            "confidence": row["confidence"],
            "kind": row["kind"],
            "kind_reason": row["kind_reason"],
        }


def family_rows(store: Store) -> Iterator[Row]:
    for row in store.reuse.iter_families():
        yield {
            **{k: row[k] for k in FAMILY_FIELDS if k not in ("members", "edges")},
            "members": [
                {
                    "article_id": m["article_id"],
                    "outlet": m["outlet"],
                    "published": m["published"],
                    "span": [m["start"], m["end"]],
                    "role": m["role"],
                    "parent": m["parent"],
                }
                for m in row["members"]
            ],
            "edges": [
                {
                    "source": e["source"],
                    "target": e["target"],
                    "reason": e["reason"],
                    "confidence": e["confidence"],
                    "lag_hours": e["lag_hours"],
                    "score": e["score"],
                }
                for e in row["edges"]
            ],
        }


def outlet_graph(store: Store) -> Graph:
    """Outlets as nodes; an edge A -> B counts the passages B took from A (cross-outlet).
    Copied stories and shared templates (recurring official formulas) are separate edges,
    told apart by their ``kind``; the weight of a template edge is 0, so a network drawn by
    weight shows who copies whom."""
    nodes, edges = store.reuse.outlet_reuse()
    grouped: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for edge in edges:
        if edge["source"] != edge["target"]:
            grouped[(edge["source"], edge["target"], edge["kind"])].append(edge)
    graph = Graph(directed=True)
    for node in nodes:
        graph.nodes.append(
            (
                node["outlet"],
                node["outlet"],
                {
                    "articles": node["articles"],
                    "families_originated": node["families_originated"],
                },
            )
        )
    for (source, target, kind), items in sorted(grouped.items()):
        lags = [e["lag_hours"] for e in items if e["lag_hours"] is not None]
        graph.edges.append(
            (
                source,
                target,
                float(len(items)) if kind == "copy" else 0.0,
                {
                    "kind": kind,
                    "copies": len(items),
                    "median_lag_hours": round(statistics.median(lags), 2) if lags else None,
                    "mean_confidence": round(statistics.fmean(e["confidence"] for e in items), 3),
                },
            )
        )
    return graph


def outlet_rows(store: Store) -> Iterator[Row]:
    for source, target, _, attrs in outlet_graph(store).edges:
        yield {"source": source, "target": target, **attrs}


EXPORTERS: dict[str, Exporter] = {
    "articles": Exporter(
        "articles",
        "cleaned articles with metadata, removed boilerplate and sentence offsets",
        ARTICLE_FIELDS,
        article_rows,
        "articles.schema.json",
    ),
    "reuse": Exporter(
        "reuse",
        "passages shared by two articles, aligned span to span, with direction",
        REUSE_FIELDS,
        reuse_rows,
        "reuse.schema.json",
    ),
    "reuse-families": Exporter(
        "reuse-families",
        "reuse families: origin, members with spans, transmission edges",
        FAMILY_FIELDS,
        family_rows,
        "reuse-families.schema.json",
    ),
    "claims": Exporter(
        "claims",
        "claim units with source, reporting verb, source type, hedging, cited links, actors "
        "and check-worthiness",
        CLAIM_FIELDS,
        claim_rows,
        "claims.schema.json",
    ),
    "actors": Exporter(
        "actors",
        "canonical actors with their type, the names seen for them, and article and claim counts",
        ACTOR_FIELDS,
        actor_rows,
        "actors.schema.json",
    ),
    "claim-families": Exporter(
        "claim-families",
        "claims that state the same thing across outlets and wording, with days and actors",
        FAMILY_OF_CLAIMS_FIELDS,
        claim_family_rows,
        "claim-families.schema.json",
    ),
    "narratives": Exporter(
        "narratives",
        "narratives: claim families argued together, with label, terms, actors, daily counts",
        NARRATIVE_FIELDS,
        narrative_rows,
        "narratives.schema.json",
    ),
    "catalog-matches": Exporter(
        "catalog-matches",
        "catalogue entries (known narratives, debunked claims) matched to articles, with the "
        "evidence claim and score",
        MATCH_FIELDS,
        match_rows,
        "catalog-matches.schema.json",
    ),
    "outlet-reuse": Exporter(
        "outlet-reuse",
        "who copies whom between outlets: counts and lags (also as a graph)",
        ("source", "target", "kind", "copies", "median_lag_hours", "mean_confidence"),
        outlet_rows,
        "outlet-reuse.schema.json",
        RECORD_FORMATS + GRAPH_FORMATS,
        outlet_graph,
    ),
}
ALL_FORMATS = RECORD_FORMATS + GRAPH_FORMATS


@cache
def schema(what: str) -> dict[str, Any]:
    """The JSON Schema of one record export."""
    name = EXPORTERS[what].schema_file
    assert name is not None
    loaded: dict[str, Any] = json.loads(
        resources.files("marsad.schema").joinpath(name).read_text("utf-8")
    )
    return loaded


def write_export(store: Store, what: str, fmt: str, out: TextIO) -> int:
    """Write export ``what`` in format ``fmt`` to ``out``; returns the number of records."""
    exporter = EXPORTERS[what]
    if fmt not in exporter.formats:
        raise ValueError(f"--what {what} supports {', '.join(exporter.formats)}, not {fmt}")
    if fmt in GRAPH_FORMATS:
        assert exporter.graph is not None
        graph = exporter.graph(store)
        (write_gexf if fmt == "gexf" else write_graphml)(graph, out)
        return len(graph.edges)
    if fmt == "csv":
        return write_csv(out, exporter.fields, exporter.rows(store))
    count = 0
    for row in exporter.rows(store):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count
