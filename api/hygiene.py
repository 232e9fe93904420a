"""Web hygiene: the Host check, security headers on every response, CORS only when configured, /docs offline.

- Host: a request whose Host is not one of `CARNET_SERVER_NAMES` is refused (400) before anything reads
  it: FHIR links are built from it, and a DNS-rebinding page would reach a laptop's server through it.
- Headers: a Content-Security-Policy that allows the page's own assets only (no inline script, no
  external resource; `blob:` for the PDFs and plots the page fetches with its token),
  `frame-ancestors 'none'`, `X-Content-Type-Options: nosniff`, no referrer, no caching of data.
  PDFs are served as attachments under `sandbox`, so a PDF opened directly runs nothing.
- CORS: none unless `CARNET_CORS_ORIGINS` lists origins; requests are authenticated by header only
  (no cookie), so a cross-origin page cannot act with the doctor's credentials.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem
from carnet.config import Settings

PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
            "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Swagger UI's page starts it with an inline script and styles itself inline.
DOCS_CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; worker-src blob:; base-uri 'none'; frame-ancestors 'none'")
DATA_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"
DOCS_ASSETS = "/docs-assets"


def host_name(host_header: str) -> str:
    """'example.org:8000' -> 'example.org'; '[::1]:8000' -> '::1'."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def add_security_headers(path: str, headers) -> None:
    """The headers every response carries; also called for a bug's 500, which is answered outside this
    middleware (api/middleware.py) and would otherwise leave without them."""
    if path in ("/docs", "/redoc") or path.startswith(DOCS_ASSETS):
        csp = DOCS_CSP
    elif path.startswith(("/v1/", "/fhir/")) or path in ("/openapi.json", "/healthz"):
        csp = DATA_CSP
    else:
        csp = PAGE_CSP
    headers.setdefault("Content-Security-Policy", csp)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if path.startswith(("/v1/", "/fhir/")):
        headers.setdefault("Cache-Control", "no-store")


class HostAndHeaders:
    """The Host check, then the security headers on the response's first message (ASGI middleware)."""

    def __init__(self, app: ASGIApp, allowed: frozenset[str] | set[str]):
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_security_headers(path, MutableHeaders(scope=message))
            await send(message)

        if host_name(Headers(scope=scope).get("host", "")) not in self.allowed:
            response = problem(400, "unknown_host", "This server does not answer to that Host name (see "
                                                    "CARNET_SERVER_NAMES).")
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(HostAndHeaders, allowed=settings.allowed_hosts)

    origins = settings.allowed_origins
    if origins:  # added after the security middleware, so it runs first (preflights get their headers)
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_credentials=False,
                           allow_methods=["GET", "POST", "PUT", "DELETE"],
                           allow_headers=["Authorization", "Content-Type", "X-Carnet-Break-Glass"])


def install_docs(app: FastAPI) -> None:
    """/docs (Swagger UI) and /redoc from assets shipped in the fastapi-offline package: no CDN."""
    import fastapi_offline

    assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount(DOCS_ASSETS, StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} API",
                                   swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
                                   swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png")

    @app.get("/redoc", include_in_schema=False, response_class=HTMLResponse)
    def redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url="/openapi.json", title=f"{app.title} API",
                              redoc_js_url=f"{DOCS_ASSETS}/redoc.standalone.js",
                              redoc_favicon_url=f"{DOCS_ASSETS}/favicon.png", with_google_fonts=False)
