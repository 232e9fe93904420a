"""FHIR R4 routes: DocumentReference search and read, AuditEvent search, read-only. A thin layer over
api/fhir/search.py (parameters), api/fhir/bundle.py (answers) and service/audit_fhir.py; every route but /fhir/metadata needs a bearer token and
checks the caller's access like the REST routes (service/access.py).

Every answer, errors included, is `application/fhir+json`; errors are OperationOutcome with the HTTP
status (400 unsupported or malformed parameter, 401 no valid token, 403 refused, 404 unknown patient,
document or route, 405 method).
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from api.deps import BreakGlassDep, CarnetDep, PrincipalDep
from api.fhir import bundle, search, systems
from service.audit_fhir import audit_bundle
from carnet.errors import CarnetError, Forbidden, IndexMismatch, NotFound, Unauthenticated, UnknownDocument

TAG = "FHIR R4"
AUDIT_DEFAULT_COUNT = 50
AUDIT_MAX_COUNT = 500


class FhirResponse(JSONResponse):
    media_type = systems.FHIR_JSON


def outcome_response(status: int, message: str, issue: str) -> FhirResponse:
    return FhirResponse(status_code=status, content=bundle.operation_outcome(message, issue))


def error_response(e: CarnetError) -> FhirResponse:
    if isinstance(e, search.FhirError):
        return outcome_response(e.status, str(e), e.issue)
    if isinstance(e, Unauthenticated):
        response = outcome_response(401, str(e), "login")
        response.headers["WWW-Authenticate"] = 'Bearer realm="carnet"'
        return response
    if isinstance(e, Forbidden):
        return outcome_response(403, str(e), "forbidden")
    if isinstance(e, NotFound):
        return outcome_response(404, str(e), "not-found")
    if isinstance(e, IndexMismatch):
        return outcome_response(409, str(e), "conflict")
    return outcome_response(400, str(e), "invalid")


# --- OpenAPI: parameters and examples (from the library's parameter table) ---------------------------------

_REPEATABLE = {"date", "period", "period-start", "period-end", "type", "category", "specialty", "author.specialty",
               "event", "language", "author.family", "author.given", "_id"}


def _parameter_docs() -> list[dict]:
    out = []
    for p in search.SEARCH_PARAMETERS:
        schema: dict = {"type": "string"}
        if p.name in _REPEATABLE:
            schema = {"type": "array", "items": {"type": "string"}}
        # `patient` is documented as required (a search names its patient; `subject` and `patient.identifier`
        # are accepted in its place).
        doc = {"name": p.name, "in": "query", "required": p.name == "patient", "description": p.description,
               "schema": schema}
        if p.example is not None:
            doc["example"] = [p.example] if p.name in _REPEATABLE else p.example
        out.append(doc)
    return out


_EXAMPLE_RESOURCE = {
    "resourceType": "DocumentReference",
    "id": "5d0c6f0e8b1a4f7c9e2d3b4a5c6d7e8f",
    "meta": {"lastUpdated": "2026-11-27T10:02:11+00:00"},
    "contained": [{"resourceType": "PractitionerRole", "id": "author",
                   "practitioner": {"display": "Dr Hélène Marchetti"},
                   "organization": {"display": "Centre hospitalier de Valmont"},
                   "specialty": [{"coding": [
                       {"system": systems.SPECIALTY_SYSTEM, "code": "G15_10/SM04",
                        "display": "Cardiologie et maladies vasculaires"},
                       {"system": systems.GROUP_SYSTEM, "code": "cardiologie", "display": "Cardiologie"}],
                       "text": "Cardiologie et maladies vasculaires"}]}],
    "status": "current",
    "docStatus": "final",
    "type": {"coding": [{"system": systems.LOINC, "code": "11488-4", "display": "CR ou fiche de consultation ou de visite"}],
             "text": "CR ou fiche de consultation ou de visite"},
    "category": [{"coding": [{"system": systems.CLASS_SYSTEM, "code": "10", "display": "Compte rendu"}]}],
    "subject": {"reference": "Patient/P0002"},
    "author": [{"reference": "#author", "display": "Dr Hélène Marchetti"}],
    "content": [{"attachment": {"contentType": "application/pdf", "language": "fr",
                                "url": "http://127.0.0.1:8000/v1/documents/5d0c6f0e8b1a4f7c9e2d3b4a5c6d7e8f/pdf",
                                "size": 48213, "hash": "2jmj7l5rSw0yVb/vlWAYkK/YBwk=",
                                "title": "Consultation de cardiologie"}}],
    "context": {"event": [{"coding": [{"system": systems.EXAM_SYSTEM, "code": "ecg", "display": "Électrocardiogramme"}]}],
                "period": {"start": "2026-03-23"}},
}
_EXAMPLE_BUNDLE = {
    "resourceType": "Bundle", "type": "searchset", "total": 1,
    "link": [{"relation": "self", "url": "http://127.0.0.1:8000/fhir/DocumentReference?patient=P0002&specialty="
                                         "cardiologie&_sort=-date&_count=1"}],
    "entry": [{"fullUrl": "http://127.0.0.1:8000/fhir/DocumentReference/5d0c6f0e8b1a4f7c9e2d3b4a5c6d7e8f",
               "resource": _EXAMPLE_RESOURCE, "search": {"mode": "match"}}],
}


def _outcome_doc(description: str, message: str, issue: str) -> dict:
    return {"description": description,
            "content": {systems.FHIR_JSON: {"example": bundle.operation_outcome(message, issue)}}}


_SECURED_RESPONSES = {
    401: _outcome_doc("No bearer token, or an invalid one", "This route needs a bearer token.", "login"),
    403: _outcome_doc("The caller's role or care team does not open this patient",
                      "Access refused: not in the patient's care team.", "forbidden"),
}
_SEARCH_RESPONSES = {
    200: {"description": "A searchset Bundle", "content": {systems.FHIR_JSON: {"example": _EXAMPLE_BUNDLE}}},
    400: _outcome_doc("Missing patient, unknown or unsupported parameter, malformed value",
                      "Unknown search parameter 'foo'.", "not-supported"),
    404: _outcome_doc("Unknown patient", "Unknown patient 'P9999': no document has been ingested for this patient.",
                      "not-found"),
    **_SECURED_RESPONSES,
}
_READ_RESPONSES = {
    200: {"description": "One DocumentReference", "content": {systems.FHIR_JSON: {"example": _EXAMPLE_RESOURCE}}},
    400: _outcome_doc("A parameter other than `patient`, or a malformed one", "Parameter 'x' is not supported on a "
                      "read (only `patient`, to check the owner).", "not-supported"),
    404: _outcome_doc("No such document (or not this patient's, or masked from the caller)",
                      "Unknown document 'deadbeef'.", "not-found"),
    **_SECURED_RESPONSES,
}


# --- routes ------------------------------------------------------------------------------------------------

router = APIRouter(prefix="/fhir", tags=[TAG], default_response_class=FhirResponse)


def _search(c, who, reason, items: list[tuple[str, str]], base_url: str) -> FhirResponse:
    try:
        query = search.parse_search(items)
        access = c.access.open_patient(who, query.patient, "fhir-search", reason)
        found = bundle.search(c.store, query, base_url, visible=access.visible)
        c.access.record(access, "fhir-search", document_ids=[e["resource"]["id"] for e in found["entry"]])
        return FhirResponse(found)
    except CarnetError as e:
        return error_response(e)


@router.get("/metadata", summary="CapabilityStatement")
def metadata(request: Request):
    """What this FHIR endpoint serves: DocumentReference read and search, with its parameters."""
    return FhirResponse(bundle.capability_statement(str(request.base_url), request.app.version))


@router.get("/DocumentReference", summary="Search a patient's documents", responses=_SEARCH_RESPONSES,
            openapi_extra={"parameters": _parameter_docs()})
def search_documents(request: Request, c: CarnetDep, who: PrincipalDep, reason: BreakGlassDep):
    """A `searchset` Bundle of one patient's documents, most recent act first.

    Example: `/fhir/DocumentReference?patient=P0002&type=11488-4&specialty=cardiologie&date=ge2025-01-01&_count=5`.
    `patient` is required; repeat a parameter to AND it, comma-separate values to OR them. Near duplicates
    (`status=superseded`) and administrative papers (`noise=include`) are left out unless asked for.
    Unknown parameters are refused (400), never ignored."""
    return _search(c, who, reason, list(request.query_params.multi_items()), str(request.base_url))


@router.post("/DocumentReference/_search", summary="Search a patient's documents (form POST)",
             responses=_SEARCH_RESPONSES, openapi_extra={
                 "requestBody": {"content": {"application/x-www-form-urlencoded": {
                     "schema": {"type": "object", "additionalProperties": {"type": "string"}},
                     "example": {"patient": "P0002", "type": "11502-2", "_count": "3"}}}}})
async def search_documents_post(request: Request, c: CarnetDep, who: PrincipalDep, reason: BreakGlassDep):
    """The same search with the parameters in an `application/x-www-form-urlencoded` body (and/or the URL),
    so that patient identifiers stay out of URLs."""
    form = await request.form()
    items = list(request.query_params.multi_items()) + [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    return await run_in_threadpool(_search, c, who, reason, items, str(request.base_url))


@router.get("/DocumentReference/{document_id}", summary="Read one document's DocumentReference",
            responses=_READ_RESPONSES, openapi_extra={"parameters": [{
                "name": "patient", "in": "query", "required": False, "schema": {"type": "string"},
                "description": "Optional: the patient the caller expects; a document of another patient is then "
                               "reported as absent (404)."}]})
def read_document(document_id: str, request: Request, c: CarnetDep, who: PrincipalDep, reason: BreakGlassDep):
    """One DocumentReference; 404 OperationOutcome when the id is unknown (or belongs to another patient
    than the optional `patient`, or is masked from the caller); 403 when its patient is not open to them."""
    try:
        patient = search.parse_read(request.query_params.multi_items())
        if patient is not None and c.store.document(document_id).patient_id != patient:
            raise UnknownDocument(document_id)  # as before the access check: "not this patient's" is "absent"
        access, _ = c.access.open_document(who, document_id, "fhir-read", reason)
        resource = bundle.read(c.store, document_id, str(request.base_url), patient)
        c.access.record(access, "fhir-read", document_ids=[document_id])
        return FhirResponse(resource)
    except CarnetError as e:
        return error_response(e)


@router.get("/AuditEvent", summary="A patient's access trace (AuditEvent search)", responses={
    200: {"description": "A searchset Bundle of AuditEvent, newest first",
          "content": {systems.FHIR_JSON: {"example": {"resourceType": "Bundle", "type": "searchset", "total": 0,
                                                   "entry": []}}}},
    400: _outcome_doc("Malformed or unknown parameter", "_count must be a whole number.", "invalid"),
    **_SECURED_RESPONSES},
    openapi_extra={"parameters": [
        {"name": "patient", "in": "query", "required": False, "schema": {"type": "string", "minLength": 1},
         "example": "P0002",
         "description": "The patient (`P0001` or `Patient/P0001`); an administrator may leave it out (every "
                        "event), a patient's token reads its own trace."},
        {"name": "_count", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 1, "maximum": AUDIT_MAX_COUNT},
         "description": f"Page size, 1 to {AUDIT_MAX_COUNT} (default {AUDIT_DEFAULT_COUNT})."},
        {"name": "_offset", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0},
         "description": "Events skipped (newest first)."}]})
def search_audit_events(request: Request, c: CarnetDep, who: PrincipalDep):
    """Every access to the patient's record (who, role, what was asked, which documents, when, break-glass and
    its reason, refused or not), newest first: for the patient themself (a token with the `patient` role) and
    for administrators (who may leave `patient` out to read every event)."""
    try:
        patient, count, offset = _audit_parameters(request.query_params.multi_items())
        if patient is None and who.role == "patient":
            patient = who.patient_id  # a patient's own trace
        total, events = c.access.audit_trail(who, patient, limit=count, offset=offset)
        base = str(request.base_url)
        params = [("patient", patient)] if patient else []
        self_url = f"{base}fhir/AuditEvent?{urlencode(params + [('_count', str(count)), ('_offset', str(offset))])}"
        return FhirResponse(audit_bundle(events, total, base, self_url))
    except CarnetError as e:
        return error_response(e)


def _audit_parameters(items) -> tuple[str | None, int, int]:
    patient, count, offset = None, AUDIT_DEFAULT_COUNT, 0
    for name, value in items:
        value = value.strip()
        if name in ("patient", "entity", "subject"):
            patient = value.removeprefix("Patient/")
            if not patient:
                raise search.FhirError("`patient` is empty.", issue="required")
        elif name in ("_count", "_offset"):
            if not value.isdigit():
                raise search.FhirError(f"{name} must be a whole number. Currently, it is {value!r}")
            number = int(value)
            if name == "_count":
                if not 1 <= number <= AUDIT_MAX_COUNT:
                    raise search.FhirError(f"_count must be between 1 and {AUDIT_MAX_COUNT}. Currently, it is {number}")
                count = number
            else:
                offset = number
        elif name != "_format":
            raise search.FhirError(f"Unknown search parameter {name!r} for AuditEvent (patient, _count, _offset).",
                                 issue="not-supported")
    return patient, count, offset


_KNOWN = ("metadata", "DocumentReference", "DocumentReference/_search", "AuditEvent")


@router.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
def unsupported(rest: str, request: Request):
    """Anything else under /fhir: 405 on a known path (the endpoint is read-only), else 404."""
    if rest.rstrip("/") in _KNOWN or rest.startswith("DocumentReference/"):
        response = outcome_response(405, f"{request.method} is not supported here: Carnet's FHIR endpoint is "
                                         "read-only (GET search and read, POST _search).", "not-supported")
        response.headers["Allow"] = "POST" if rest.rstrip("/") == "DocumentReference/_search" else "GET"
        return response
    return outcome_response(404, f"Carnet's FHIR endpoint serves DocumentReference and AuditEvent only; nothing at "
                                 f"/fhir/{rest}.",
                            "not-found")
