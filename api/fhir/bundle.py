"""FHIR R4 answers: a search's `searchset` Bundle, a read, the OperationOutcome of an error and the
CapabilityStatement. Nothing here writes SQL: the patient's rows come from `Store.documents`, so the patient
is a hard pre-filter and no other patient's row is ever read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from urllib.parse import urlencode

from api.fhir.resource import document_reference
from api.fhir.search import SEARCH_PARAMETERS, DocumentQuery
from api.fhir.systems import base as _base
from carnet.errors import UnknownDocument

def find(rows: Sequence[dict], query: DocumentQuery) -> list[dict]:
    """The rows that match, in the asked order (undated last; ties: latest arrival first, then id)."""
    hits = [r for r in rows if query.matches(r)]
    dated = [r for r in hits if r.service_date]
    undated = [r for r in hits if not r.service_date]
    # Ties on the date of the act: latest arrival first whatever the direction, as `carnet documents` lists them.
    dated.sort(key=lambda r: (r.ingested_at or "", r.id), reverse=True)
    dated.sort(key=lambda r: r.service_date, reverse=query.descending)
    undated.sort(key=lambda r: (r.ingested_at or "", r.id), reverse=True)
    return dated + undated


def search(store, query: DocumentQuery, base_url: str, visible: Callable[[dict], bool] | None = None) -> dict:
    """A `searchset` Bundle of one patient's matching documents (those `visible` lets the caller see).
    Raises UnknownPatient."""
    rows = store.documents(query.patient)  # the patient's rows only; raises UnknownPatient
    if visible is not None:
        rows = [r for r in rows if visible(r)]
    hits = find(rows, query)
    page = hits[query.offset:query.offset + query.count]
    replaced = _replaced_by(rows)
    base = _base(base_url)
    links = [{"relation": "self", "url": _page_url(base, query, query.offset)}]
    if query.count and query.offset + query.count < len(hits):
        links.append({"relation": "next", "url": _page_url(base, query, query.offset + query.count)})
    if query.count and query.offset > 0:
        links.append({"relation": "previous", "url": _page_url(base, query, max(0, query.offset - query.count))})
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(hits),
        "link": links,
        "entry": [
            {"fullUrl": f"{base}fhir/DocumentReference/{r.id}",
             "resource": document_reference(r, base, store, replaced.get(r.id, ())),
             "search": {"mode": "match"}}
            for r in page
        ],
    }


def read(store, document_id: str, base_url: str, patient: str | None = None) -> dict:
    """One DocumentReference. With `patient`, a document of another patient is reported as absent (404)."""
    doc = store.document(document_id)  # raises UnknownDocument
    if patient is not None and doc.patient_id != patient:
        raise UnknownDocument(document_id)  # the same answer as a missing id: nothing leaks
    replaced = _replaced_by(store.documents(doc.patient_id))
    return document_reference(doc, _base(base_url), store, replaced.get(doc.id, ()))


def _replaced_by(rows: Sequence[dict]) -> dict[str, list[str]]:
    """canonical id -> ids of the near duplicates it replaces."""
    out: dict[str, list[str]] = {}
    for r in rows:
        if r.canonical_id:
            out.setdefault(r.canonical_id, []).append(r.id)
    return out


def _page_url(base: str, query: DocumentQuery, offset: int) -> str:
    params = list(query.echo) + [("_count", str(query.count))]
    if offset:
        params.append(("_offset", str(offset)))
    return f"{base}fhir/DocumentReference?{urlencode(params)}"


# --- errors and capability ---------------------------------------------------------------------------------


def operation_outcome(message: str, issue: str = "invalid", severity: str = "error") -> dict:
    return {"resourceType": "OperationOutcome",
            "issue": [{"severity": severity, "code": issue, "diagnostics": message}]}


def capability_statement(base_url: str, software_version: str) -> dict:
    """What this endpoint serves: DocumentReference read and search, with the parameters above."""
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": date.today().isoformat(),
        "kind": "instance",
        "software": {"name": "Carnet", "version": software_version},
        "implementation": {"description": "Carnet: a patient's shared medical record (DMP), read-only",
                           "url": f"{_base(base_url)}fhir"},
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [{
            "mode": "server",
            "resource": [{
                "type": "DocumentReference",
                "interaction": [{"code": "read"}, {"code": "search-type"}],
                "searchParam": [
                    {"name": p.name, "type": p.type, "documentation": p.description}
                    for p in SEARCH_PARAMETERS if p.name == "_id" or not p.name.startswith("_")
                ],
            }],
        }],
    }
