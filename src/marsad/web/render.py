"""HTML rendering shared by the server and the static report: one Jinja environment
(autoescape on for every template), and :class:`Links`, which knows whether a link goes to a
server route or to a file of the static site."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined

from marsad.web import charts
from marsad.web.i18n import DIRECTION, SOURCE_TYPES, translator
from marsad.web.security import META_CSP, link_url

ROUTES = {
    "overview": "/",
    "search": "/search",
    "article": "/article/{key}",
    "isnad_list": "/isnad",
    "isnad": "/isnad/{key}",
    "narratives": "/narratives",
    "narrative": "/narrative/{key}",
    "claim_families": "/claim-families",
    "claim_family": "/claim-family/{key}",
    "outlets": "/outlets",
    "outlet": "/outlet/{key}",
}
API = {
    "overview": "/api/overview",
    "search": "/api/search",
    "article": "/api/articles/{key}",
    "isnad_list": "/api/isnad",
    "isnad": "/api/isnad/{key}",
    "narratives": "/api/narratives",
    "narrative": "/api/narratives/{key}",
    "claim_families": "/api/claim-families",
    "claim_family": "/api/claim-families/{key}",
    "outlets": "/api/outlets",
    "outlet": "/api/outlets/{key}",
}
FILES = {
    "overview": "index",
    "search": "articles",
    "article": "article/{key}",
    "isnad_list": "isnad",
    "isnad": "isnad/{key}",
    "narratives": "narratives",
    "narrative": "narrative/{key}",
    "claim_families": "claim-families",
    "claim_family": "claim-family/{key}",
    "outlets": "outlets",
    "outlet": "outlet/{key}",
}


def file_key(key: str) -> str:
    """A file name for an id or outlet name: ids as they are, other names hashed."""
    safe = key.replace(":", "_").replace("#", "_")
    if safe.replace("-", "").replace("_", "").replace(".", "").isalnum() and safe.isascii():
        return safe
    return "x" + hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


class Links:
    """Hrefs of pages, exports and assets, for the server (``static=False``) or for a page of
    the static site ``depth`` folders below its root."""

    def __init__(self, static: bool = False, depth: int = 0) -> None:
        self.static = static
        self.prefix = "../" * depth

    def view(self, name: str, key: str | None = None, page: int = 1, **query: Any) -> str:
        if self.static:
            path = FILES[name].format(key=file_key(key or ""))
            return f"{self.prefix}{path}{f'-{page}' if page > 1 else ''}.html"
        path = ROUTES[name].format(key=quote(key or "", safe=""))
        params = {k: v for k, v in query.items() if v not in (None, "")}
        if page > 1:
            params["page"] = page
        return path + ("?" + urlencode(params) if params else "")

    def export(self, name: str, fmt: str, key: str | None = None, **query: Any) -> str:
        if self.static:
            stem = FILES[name].format(key=file_key(key or "")).replace("/", "-")
            return f"{self.prefix}exports/{stem}.{fmt}"
        path = API[name].format(key=quote(key or "", safe=""))
        params = {k: v for k, v in query.items() if v not in (None, "")}
        return path + "?" + urlencode({**params, "format": fmt})

    def asset(self, path: str) -> str:
        return f"{self.prefix}static/{path}" if self.static else f"/static/{path}"


def pairs(rows: list[Mapping[str, Any]], label: str, value: str) -> list[tuple[str, int]]:
    """``[(row[label], row[value])]``: chart input from table rows."""
    return [(str(row[label]), int(row[value] or 0)) for row in rows]


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("marsad.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pairs"] = pairs
    env.filters["link_url"] = link_url  # every URL from the data goes through macros.data_link
    env.globals["charts"] = charts
    env.globals["source_types"] = SOURCE_TYPES
    env.globals["meta_csp"] = META_CSP
    return env


ENV = environment()


def render(template: str, data: Mapping[str, Any], links: Links, lang: str, path: str) -> str:
    """The page ``template`` for ``data`` in ``lang``; ``path`` is the current URL (for the
    language switch)."""
    return ENV.get_template(template).render(
        **data,
        t=translator(lang),
        lang=lang,
        dir=DIRECTION.get(lang, "rtl"),
        rtl=DIRECTION.get(lang, "rtl") == "rtl",
        links=links,
        here=path,
        lang_href="/lang/{}?{}".format("en" if lang == "ar" else "ar", urlencode({"next": path})),
    )


def isnad_graph(family: dict[str, Any], links: Links) -> dict[str, Any]:
    """A reuse family with the nodes and labelled edges of its transmission drawing."""
    seen: dict[str, charts.Node] = {}
    for member in family["graph"]["members"]:
        if member["article_id"] not in seen:
            seen[member["article_id"]] = charts.Node(
                member["article_id"],
                member["outlet"] or member["article_id"][:10],
                (member["published"] or "")[:16].replace("T", " "),
                links.view("article", member["article_id"]),
                member["role"] == "origin",
            )
    edges = [
        (
            e["source"],
            e["target"],
            e["reason"].split()[0].rstrip(":")
            + ("" if e["lag_hours"] is None else f" · {e['lag_hours']:.0f}h"),
        )
        for e in family["graph"]["edges"]
    ]
    return {**family, "nodes": list(seen.values()), "graph_edges": edges}
