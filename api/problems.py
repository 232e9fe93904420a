"""Errors as RFC 9457 problem details (`application/problem+json`), and the OpenAPI that declares them.

Every error of the REST API, the page's routes and unknown paths included, is
`{"type", "title", "status", "detail", "code"}`: `code` is Carnet's machine-readable name
(`unknown_patient`, `forbidden`, ...), `detail` the sentence for a person. No `instance` member: the
request's path names the patient. FHIR routes keep answering OperationOutcome (api/fhir/routes.py).
"""

from __future__ import annotations

import re
from http import HTTPStatus

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from carnet.errors import CarnetError, Forbidden, IndexMismatch, MissingExtra, NotFound, StoreUnavailable, Unauthenticated

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "urn:carnet:problem:"


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_JSON


def problem(status: int, code: str, detail: str, headers: dict | None = None, **extra) -> ProblemResponse:
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body = {"type": TYPE_BASE + code, "title": title, "status": status, "detail": detail, "code": code, **extra}
    return ProblemResponse(status_code=status, content=body, headers=headers)


def status_of(e: CarnetError) -> int:
    if isinstance(e, Unauthenticated):
        return 401
    if isinstance(e, Forbidden):
        return 403
    if isinstance(e, NotFound):
        return 404
    if isinstance(e, IndexMismatch):
        return 409
    if isinstance(e, (MissingExtra, StoreUnavailable)):
        return 503  # the server's set-up, not the request: the message names what to install or configure
    if getattr(e, "status", None) in (413,):
        return 413
    return 422  # InvalidInput, UnreadableDocument


_CODES = {"UnknownPatient": "unknown_patient", "UnknownDocument": "unknown_document", "InvalidInput": "invalid_input",
          "UnreadableDocument": "unreadable_document", "UploadTooLarge": "upload_too_large",
          "IndexMismatch": "index_mismatch", "Unauthenticated": "unauthenticated", "Forbidden": "forbidden",
          "NotFound": "not_found", "MissingExtra": "missing_extra", "StoreUnavailable": "store_unavailable"}


def code_of(e: Exception) -> str:
    return _CODES.get(type(e).__name__, "error")


def error_response(e: CarnetError) -> ProblemResponse:
    status = status_of(e)
    headers = {"WWW-Authenticate": 'Bearer realm="carnet"'} if status == 401 else None
    return problem(status, code_of(e), str(e), headers)


# --- OpenAPI -----------------------------------------------------------------------------------------------

PROBLEM_SCHEMA = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string", "examples": ["urn:carnet:problem:unknown_patient"]},
        "title": {"type": "string", "examples": ["Not Found"]},
        "status": {"type": "integer", "examples": [404]},
        "detail": {"type": "string"},
        "code": {"type": "string", "examples": ["unknown_patient"]},
    },
}
_DESCRIPTIONS = {
    "400": "Bad request (e.g. a Host header this server does not answer to)",
    "401": "No bearer token, or one that is expired, malformed or from an untrusted issuer",
    "403": "Authenticated, but the role or the care team does not open this",
    "404": "Unknown patient, document or route (a masked document is reported as absent)",
    "405": "Method not allowed",
    "409": "Store built with another embedding model",
    "413": "Upload too large",
    "422": "Malformed request (the detail names the bad value)",
}
_ERRORS_EVERYWHERE = ("400", "404", "405")
_ERRORS_SECURED = ("401", "403")


def install_openapi(app: FastAPI) -> None:
    """Declare problem+json for every error of the REST routes (FHIR routes declare OperationOutcome
    themselves), the bearer scheme on the secured ones, and drop FastAPI's own 422 schema."""

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(title=app.title, version=app.version, summary=app.summary, description=app.description,
                           routes=app.routes, tags=app.openapi_tags)
        components = spec.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        schemas["Problem"] = PROBLEM_SCHEMA
        for name in ("HTTPValidationError", "ValidationError", "ErrorResponse", "ErrorBody"):
            schemas.pop(name, None)
        ref = {"$ref": "#/components/schemas/Problem"}
        for path, item in spec.get("paths", {}).items():
            fhir = path == "/fhir" or path.startswith("/fhir/")
            for operation in item.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                responses = operation["responses"]
                secured = bool(operation.get("security"))
                if fhir:
                    responses.pop("422", None)
                    continue
                wanted = set(_ERRORS_EVERYWHERE) | ({"422"} if "422" in responses else set())
                if secured:
                    wanted |= set(_ERRORS_SECURED)
                wanted |= {s for s in responses if s.isdigit() and int(s) >= 400}
                for status in sorted(wanted):
                    responses[status] = {"description": responses.get(status, {}).get("description")
                                         if status not in _DESCRIPTIONS else _DESCRIPTIONS[status],
                                         "content": {PROBLEM_JSON: {"schema": ref}}}
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def documented_methods(app: FastAPI, path: str) -> list[str]:
    """The methods the OpenAPI documents for a concrete path ("/v1/documents/abc"), for a 405's Allow header
    (the page's static mount would otherwise answer `GET, HEAD` for any path)."""
    for pattern, methods in _path_patterns(app):
        if pattern.fullmatch(path):
            return methods
    return []


def _path_patterns(app: FastAPI) -> list[tuple[re.Pattern, list[str]]]:
    cached = getattr(app.state, "path_patterns", None)
    if cached is None:
        cached = []
        for template, item in app.openapi().get("paths", {}).items():
            regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
            cached.append((re.compile(regex), sorted(m.upper() for m in item)))
        app.state.path_patterns = cached
    return cached
