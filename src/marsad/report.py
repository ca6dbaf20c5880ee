"""``marsad report``: the workbench's views as a static site that opens from disk.

The pages are the server's templates rendered with :class:`marsad.web.render.Links` in static
mode: relative links to ``.html`` files, assets copied into ``static/``, list exports
written into ``exports/``. No page fetches anything; search needs ``marsad serve``, so the
report lists articles by date instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from importlib import resources
from pathlib import Path

from marsad.store import Store
from marsad.web import views
from marsad.web.render import FILES, Links, isnad_graph, render

ASSETS = ("marsad.css", "marsad.js", "favicon.svg")
LIST_VIEWS: dict[str, tuple[str, Callable[[Store, views.Paging], views.Data]]] = {
    "isnad_list": ("isnad_list.html", views.reuse_families),
    "narratives": ("narratives.html", views.narratives),
    "claim_families": ("claim_families.html", views.claim_families),
    "outlets": ("outlets.html", views.outlets),
}


@dataclass(frozen=True)
class ReportOptions:
    out: Path
    lang: str = "ar"
    per_page: int = 50
    max_pages: int = 20  # list pages written per list (the exports hold every row)


class _Writer:
    def __init__(self, store: Store, options: ReportOptions) -> None:
        self.store = store
        self.options = options
        self.pages = 0

    def page(
        self, name: str, key: str | None, page: int, template: str, data: views.Data | None
    ) -> None:
        if data is None:
            return
        depth = FILES[name].count("/")
        links = Links(static=True, depth=depth)
        target = self.options.out / Links(static=True).view(name, key, page)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(template, data, links, self.options.lang, ""), "utf-8")
        self.pages += 1

    def export(self, name: str, key: str | None, rows: list[views.Data]) -> None:
        for fmt in ("csv", "jsonl"):
            target = self.options.out / Links(static=True).export(name, fmt, key)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(views.export_body(rows, fmt)[0], "utf-8")

    def paged(
        self,
        name: str,
        key: str | None,
        template: str,
        build: Callable[[views.Paging], views.Data | None],
    ) -> None:
        """Pages 1..n of a list view, and its full export."""
        for number in range(1, self.options.max_pages + 1):
            data = build(views.Paging(number, self.options.per_page))
            if data is None:
                return
            self.page(name, key, number, template, data)
            if number >= data["pager"]["pages"]:
                break
        full = build(views.export_paging())
        if full is not None:
            self.export(name, key, full["rows"])


def _family(store: Store, key: str, pages: views.Paging) -> views.Data | None:
    family = views.reuse_family(store, key, pages)
    return None if family is None else isnad_graph(family, Links(True, 1))


def write_report(store: Store, options: ReportOptions) -> int:
    """Write every page of the store's workbench into ``options.out``; returns the count."""
    out = options.out
    out.mkdir(parents=True, exist_ok=True)
    static = resources.files("marsad.web").joinpath("static")
    (out / "static").mkdir(exist_ok=True)
    for asset in ASSETS:
        (out / "static" / asset).write_bytes(static.joinpath(asset).read_bytes())
    writer = _Writer(store, options)
    writer.page("overview", None, 1, "overview.html", views.overview(store))
    browse = views.SearchParams(sort="newest")
    writer.paged("search", None, "search.html", partial(views.search, store, browse))
    for name, (template, build) in LIST_VIEWS.items():
        writer.paged(name, None, template, partial(build, store))
    for key in store.web.ids_of("articles"):
        writer.page("article", key, 1, "article.html", views.article(store, key))
    for key in store.web.ids_of("reuse_families"):
        writer.paged("isnad", key, "isnad.html", partial(_family, store, key))
    for key in store.web.ids_of("narratives"):
        writer.paged("narrative", key, "narrative.html", partial(views.narrative, store, key))
    for key in store.web.ids_of("claim_families"):
        writer.paged(
            "claim_family", key, "claim_family.html", partial(views.claim_family, store, key)
        )
    for key in store.web.ids_of("outlets"):
        writer.page("outlet", key, 1, "outlet.html", views.outlet(store, key))
    return writer.pages
