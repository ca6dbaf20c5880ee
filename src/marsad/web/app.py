"""``marsad serve``: the FastAPI application. HTML pages and a JSON API over one read-only
store; OpenAPI at ``/openapi.json`` with Swagger UI at ``/docs`` (served from the
``swagger-ui-py`` package, no CDN).

Security: the store is opened read-only; ids in URLs are checked against the id alphabet;
pages and lists are bounded; every page is autoescaped and sent with a strict
Content-Security-Policy; a request naming another host (``Host``) than the server's own address
or ``web.allowed_hosts`` gets 400 (DNS rebinding); with a token, every request must carry it
(``Authorization: Bearer``, ``X-Marsad-Token``, or ``?token=`` once, which sets a cookie and
moves the browser on to the same page without it), compared in constant time.
"""

from __future__ import annotations

import hmac
import html
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from marsad import __version__
from marsad.store import Store
from marsad.web import views
from marsad.web.i18n import LANGUAGES
from marsad.web.render import Links, isnad_graph, render
from marsad.web.security import CSP, host_allowed, host_rule, without_param

TOKEN_COOKIE = "marsad_token"
LANG_COOKIE = "marsad_lang"
TOKEN_PARAM = "token"
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
DOCS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Marsad API</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml"></head>
<body><div id="swagger-ui"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script></body></html>"""
ONWARD_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0; url={href}">
<title>Marsad</title></head><body><p><a href="{href}">Marsad</a></p></body></html>
"""
Format = Literal["json", "csv", "jsonl"]


@dataclass(frozen=True)
class WebOptions:
    db: Path
    token: str | None = None
    lang: str = "ar"
    page_size: int = 25
    host: str = "127.0.0.1"  # the address the server listens on: the Host names it answers
    allowed_hosts: tuple[str, ...] = ()  # more Host names (web.allowed_hosts)


class StorePool:
    """One read-only connection per server thread (sqlite connections are not shared)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.local = threading.local()

    def get(self) -> Store:
        store: Store | None = getattr(self.local, "store", None)
        if store is None:
            store = Store(self.path, read_only=True)
            self.local.store = store
        return store


def _token_ok(request: Request, token: str) -> tuple[bool, bool]:
    """``(accepted, from_query)``: the request carries the token somewhere."""
    header = request.headers.get("authorization", "")
    given = [
        header[7:] if header.lower().startswith("bearer ") else "",
        request.headers.get("x-marsad-token", ""),
        request.cookies.get(TOKEN_COOKIE, ""),
    ]
    expected = token.encode("utf-8")
    if any(hmac.compare_digest(g.encode("utf-8"), expected) for g in given):
        return True, False
    query = request.query_params.get(TOKEN_PARAM, "")
    return hmac.compare_digest(query.encode("utf-8"), expected), True


def _plain(status: int, line: str, headers: dict[str, str] | None = None) -> Response:
    return Response(line + "\n", status_code=status, media_type="text/plain", headers=headers)


def _without_token(request: Request) -> str:
    """The request's local URL (path as sent, query) without any ``token`` parameter."""
    raw = request.scope.get("raw_path")
    path = raw.decode("latin-1") if isinstance(raw, bytes) else request.url.path
    query = request.url.query
    return _safe_next(path + (f"?{query}" if query else ""))


def _onward(target: str) -> HTMLResponse:
    """A page that moves the browser on to ``target`` (a local URL). Not a 303: after a
    redirect, a navigation that started on another site (a link in a chat) would not send the
    SameSite=Strict cookie; a refresh from this page is a navigation of this site."""
    body = ONWARD_HTML.format(href=html.escape(target, quote=True))
    return HTMLResponse(body, headers={"Cache-Control": "no-store"})


def _is_page(request: Request) -> bool:
    path = request.url.path
    return request.method in ("GET", "HEAD") and not (
        path.startswith("/api/") or path == "/openapi.json"
    )


def _install_security(app: FastAPI, options: WebOptions) -> None:
    hosts = host_rule(options.host, options.allowed_hosts)
    token = options.token

    @app.middleware("http")
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        named = request.headers.getlist("host")
        if len(named) != 1 or not host_allowed(named[0], hosts):
            return _plain(400, "400: unknown Host; add the name to web.allowed_hosts.")
        from_query = False
        if token:
            accepted, from_query = _token_ok(request, token)
            if not accepted:
                return _plain(
                    401,
                    "401: a token is required (Authorization: Bearer TOKEN).",
                    {"WWW-Authenticate": "Bearer"},
                )
        if from_query and _is_page(request):
            # the cookie carries the token from now on; the address bar, the history and every
            # link on the page are made from the URL without it
            response: Response = _onward(_without_token(request))
        else:
            response = await call_next(request)
        if from_query and token:
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        docs = request.url.path == "/docs"
        response.headers["Content-Security-Policy"] = DOCS_CSP if docs else CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response


# -- parameters shared by pages and API -------------------------------------------------------
def page_params(
    page: Annotated[int, Query(ge=1, le=views.MAX_PAGE)] = 1,
    per_page: Annotated[int | None, Query(ge=1, le=views.MAX_PER_PAGE)] = None,
) -> views.Paging:
    return views.paging(page, per_page)


def search_params(
    q: Annotated[str, Query(max_length=views.MAX_FILTER_CHARS, description="Query")] = "",
    kind: Literal["articles", "claims"] = "articles",
    outlet: Annotated[str | None, Query(max_length=views.MAX_FILTER_CHARS)] = None,
    date_from: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    date_to: Annotated[str | None, Query(alias="to", max_length=10)] = None,
    language: Annotated[str | None, Query(max_length=16)] = None,
    source_type: Annotated[str | None, Query(max_length=32)] = None,
    narrative: Annotated[str | None, Query(max_length=160)] = None,
    sort: Literal["relevance", "newest", "oldest"] = "relevance",
) -> views.SearchParams:
    return views.SearchParams(
        q=q.strip(),
        kind=kind,
        outlet=views.clean_filter(outlet),
        date_from=views.clean_day(date_from),
        date_to=views.clean_day(date_to),
        language=views.clean_filter(language),
        source_type=views.clean_filter(source_type),
        narrative=views.clean_filter(narrative),
        sort=sort,
    )


Paging = Annotated[views.Paging, Depends(page_params)]
Search = Annotated[views.SearchParams, Depends(search_params)]


class NotFound(StarletteHTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=404, detail="not found")


def _found(data: views.Data | None) -> views.Data:
    if data is None:
        raise NotFound()
    return data


def _checked(key: str) -> str:
    if not views.valid_id(key):
        raise NotFound()
    return key


# -- exports ----------------------------------------------------------------------------------
def export_response(rows: list[dict[str, Any]], fmt: Format, name: str) -> Response:
    body, media = views.export_body(rows, fmt)
    disposition = f'attachment; filename="marsad-{name}.{fmt}"'
    return Response(
        body, media_type=f"{media}; charset=utf-8", headers={"Content-Disposition": disposition}
    )


def _lang(request: Request, default: str) -> str:
    lang = request.cookies.get(LANG_COOKIE) or default
    return lang if lang in LANGUAGES else "ar"


def _safe_next(target: str) -> str:
    """Only local paths (no scheme, no host, no backslash tricks), never with a token."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    path, _, query = target.partition("?")
    query = without_param(query, TOKEN_PARAM)
    return path + (f"?{query}" if query else "")


def create_app(options: WebOptions) -> FastAPI:
    """The application for one store (opened read-only, one connection per thread)."""
    app = FastAPI(
        title="Marsad API",
        version=__version__,
        description="Read-only JSON API of a Marsad store: the data behind every page. "
        "Lists take page/per_page (at most 200) and format=csv|jsonl to export.",
        docs_url=None,
        redoc_url=None,
    )
    pool = StorePool(options.db)
    static = resources.files("marsad.web").joinpath("static")
    swagger = resources.files("swagger_ui").joinpath("static")  # swagger-ui-py's files
    app.mount("/static/swagger", StaticFiles(directory=str(swagger)), name="swagger")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    _install_security(app, options)

    def page(request: Request, template: str, data: views.Data) -> HTMLResponse:
        lang = _lang(request, options.lang)
        query = without_param(request.url.query, TOKEN_PARAM)
        here = request.url.path + (f"?{query}" if query else "")
        return HTMLResponse(render(template, data, Links(), lang, here))

    @app.exception_handler(StarletteHTTPException)
    async def not_found(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/") or request.url.path.startswith("/static/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        lang = _lang(request, options.lang)
        html = render(
            "error.html", {"status": exc.status_code, "message": exc.detail}, Links(), lang, "/"
        )
        return HTMLResponse(html, status_code=exc.status_code)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_HTML)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> RedirectResponse:
        return RedirectResponse("/static/favicon.svg")

    @app.get("/lang/{code}", include_in_schema=False)
    def set_lang(code: str, next: str = "/") -> RedirectResponse:
        response = RedirectResponse(_safe_next(next), status_code=303)
        if code in LANGUAGES:
            response.set_cookie(LANG_COOKIE, code, samesite="lax")
        return response

    _pages(app, pool, page, options)
    _api(app, pool, options)
    return app


def _pages(
    app: FastAPI,
    pool: StorePool,
    page: Callable[[Request, str, views.Data], HTMLResponse],
    options: WebOptions,
) -> None:
    def sized(p: views.Paging) -> views.Paging:
        return p if p.per_page != 25 else views.paging(p.page, options.page_size)

    @app.get("/", include_in_schema=False)
    def overview_page(request: Request) -> HTMLResponse:
        return page(request, "overview.html", views.overview(pool.get()))

    @app.get("/search", include_in_schema=False)
    def search_page(request: Request, params: Search, pages: Paging) -> HTMLResponse:
        return page(request, "search.html", views.search(pool.get(), params, sized(pages)))

    @app.get("/article/{key}", include_in_schema=False)
    def article_page(request: Request, key: str) -> HTMLResponse:
        data = _found(views.article(pool.get(), _checked(key)))
        return page(request, "article.html", data)

    @app.get("/isnad", include_in_schema=False)
    def isnad_list_page(request: Request, pages: Paging) -> HTMLResponse:
        return page(request, "isnad_list.html", views.reuse_families(pool.get(), sized(pages)))

    @app.get("/isnad/{key}", include_in_schema=False)
    def isnad_page(request: Request, key: str, pages: Paging) -> HTMLResponse:
        data = _found(views.reuse_family(pool.get(), _checked(key), sized(pages)))
        return page(request, "isnad.html", isnad_graph(data, Links()))

    @app.get("/narratives", include_in_schema=False)
    def narratives_page(request: Request, pages: Paging) -> HTMLResponse:
        return page(request, "narratives.html", views.narratives(pool.get(), sized(pages)))

    @app.get("/narrative/{key}", include_in_schema=False)
    def narrative_page(request: Request, key: str, pages: Paging) -> HTMLResponse:
        data = _found(views.narrative(pool.get(), _checked(key), sized(pages)))
        return page(request, "narrative.html", data)

    @app.get("/claim-families", include_in_schema=False)
    def claim_families_page(request: Request, pages: Paging) -> HTMLResponse:
        data = views.claim_families(pool.get(), sized(pages))
        return page(request, "claim_families.html", data)

    @app.get("/claim-family/{key}", include_in_schema=False)
    def claim_family_page(request: Request, key: str, pages: Paging) -> HTMLResponse:
        data = _found(views.claim_family(pool.get(), _checked(key), sized(pages)))
        return page(request, "claim_family.html", data)

    @app.get("/outlets", include_in_schema=False)
    def outlets_page(request: Request, pages: Paging) -> HTMLResponse:
        return page(request, "outlets.html", views.outlets(pool.get(), sized(pages)))

    @app.get("/outlet/{key:path}", include_in_schema=False)
    def outlet_page(request: Request, key: str) -> HTMLResponse:
        data = _found(views.outlet(pool.get(), key[: views.MAX_FILTER_CHARS]))
        return page(request, "outlet.html", data)


def _api(app: FastAPI, pool: StorePool, options: WebOptions) -> None:
    def listing(data: views.Data, fmt: Format, name: str) -> Any:
        return data if fmt == "json" else export_response(data["rows"], fmt, name)

    @app.get("/api/overview", tags=["overview"])
    def api_overview() -> views.Data:
        """Corpus size, outlets, date range, articles per day, top narratives and claim
        families, most-copied outlets, latest ingest problems."""
        return views.overview(pool.get())

    @app.get("/api/search", tags=["search"])
    def api_search(params: Search, pages: Paging, format: Format = "json") -> Any:
        """Full-text search over articles or claims (Arabic-aware: diacritics and hamza forms
        folded). Without q, lists articles or claims by date with the filters."""
        pages = views.export_paging() if format != "json" else pages
        return listing(views.search(pool.get(), params, pages), format, "search")

    @app.get("/api/articles/{key}", tags=["articles"])
    def api_article(key: str) -> views.Data:
        """An article: cleaned text, claims with attributions and actors, reused passages with
        their counterparts, reuse and claim families, catalogue matches, removed lines."""
        return _found(views.article(pool.get(), _checked(key)))

    @app.get("/api/isnad", tags=["reuse"])
    def api_isnad_list(pages: Paging, format: Format = "json") -> Any:
        """Reuse families, largest first."""
        pages = views.export_paging() if format != "json" else pages
        return listing(views.reuse_families(pool.get(), pages), format, "isnad")

    @app.get("/api/isnad/{key}", tags=["reuse"])
    def api_isnad(key: str, pages: Paging, format: Format = "json") -> Any:
        """A reuse family: one page of members (``rows``, time order), the transmission edges
        reaching them (reason, lag) with word diffs, and the drawing's first members."""
        pages = views.export_paging() if format != "json" else pages
        data = _found(views.reuse_family(pool.get(), _checked(key), pages))
        return listing(data, format, "isnad-members")

    @app.get("/api/narratives", tags=["narratives"])
    def api_narratives(pages: Paging, format: Format = "json") -> Any:
        pages = views.export_paging() if format != "json" else pages
        return listing(views.narratives(pool.get(), pages), format, "narratives")

    @app.get("/api/narratives/{key}", tags=["narratives"])
    def api_narrative(key: str, pages: Paging, format: Format = "json") -> Any:
        """A narrative: its claim families, member claims, timeline by outlet, matches."""
        pages = views.export_paging() if format != "json" else pages
        data = _found(views.narrative(pool.get(), _checked(key), pages))
        return listing(data, format, "narrative-claims")

    @app.get("/api/claim-families", tags=["narratives"])
    def api_claim_families(pages: Paging, format: Format = "json") -> Any:
        pages = views.export_paging() if format != "json" else pages
        return listing(views.claim_families(pool.get(), pages), format, "claim-families")

    @app.get("/api/claim-families/{key}", tags=["narratives"])
    def api_claim_family(key: str, pages: Paging, format: Format = "json") -> Any:
        pages = views.export_paging() if format != "json" else pages
        data = _found(views.claim_family(pool.get(), _checked(key), pages))
        return listing(data, format, "claim-family-claims")

    @app.get("/api/outlets", tags=["outlets"])
    def api_outlets(pages: Paging, format: Format = "json") -> Any:
        pages = views.export_paging() if format != "json" else pages
        return listing(views.outlets(pool.get(), pages), format, "outlets")

    @app.get("/api/outlets/{key:path}", tags=["outlets"])
    def api_outlet(key: str) -> views.Data:
        """An outlet: volume per day, claims by source type, who it copies and who copies it,
        narratives it carries."""
        return _found(views.outlet(pool.get(), key[: views.MAX_FILTER_CHARS]))
