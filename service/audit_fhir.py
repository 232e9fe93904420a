"""The audit log as FHIR R4 AuditEvent resources, and a searchset Bundle of them.

One event per access: `agent` is the caller (identifier, name, role), `entity` the patient, the
documents returned or opened and, for a question, the question itself (as `entity.detail`: the trace
is the patient's and the administrator's to read; it never reaches a log); `outcome` 0 when allowed,
4 when refused (with the reason in `outcomeDesc`); a break-glass access carries the purpose of use
`BTG` (HL7 ActReason "break the glass") with the practitioner's justification as its text, and the
security label `BTG` so that it stands out in any viewer.
"""

from __future__ import annotations

from typing import Sequence

from carnet.records import AuditRecord

EVENT_TYPE = {"system": "http://terminology.hl7.org/CodeSystem/audit-event-type", "code": "rest",
              "display": "RESTful Operation"}
ACTION_SYSTEM = "urn:carnet:audit-action"
PRACTITIONER_SYSTEM = "urn:carnet:practitioner"
ROLE_SYSTEM = "urn:carnet:role"
ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type"
OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role"
# What each action does, as AuditEvent.action: C create, R read, U update, D delete, E execute (a query).
_ACTION_CODES = {"ask": "E", "fhir-search": "E", "documents": "R", "document": "R", "pdf": "R", "fhir-read": "R",
                 "summary": "R", "lab-plot": "R", "patient": "R", "patients": "E", "audit-read": "R", "grants": "R",
                 "upload": "C", "grant": "U", "revoke": "U"}


def audit_event(e: AuditRecord) -> dict:
    out: dict = {
        "resourceType": "AuditEvent",
        "id": str(e.id),
        "type": EVENT_TYPE,
        "subtype": [{"system": ACTION_SYSTEM, "code": e.action}],
        "action": _ACTION_CODES.get(e.action, "E"),
        "recorded": e.recorded_at,
        "outcome": "0" if e.outcome == "allowed" else "4",
    }
    if e.detail:
        out["outcomeDesc"] = e.detail
    if e.break_glass:
        btg = {"system": ACT_REASON, "code": "BTG", "display": "break the glass"}
        out["meta"] = {"security": [btg]}
        out["purposeOfEvent"] = [{"coding": [btg], "text": e.reason or ""}]
    agent: dict = {"requestor": True,
                   "type": {"coding": [{"system": ROLE_SYSTEM, "code": e.actor_role or "unknown"}]},
                   "who": {"identifier": {"system": PRACTITIONER_SYSTEM, "value": e.actor or "unknown"}}}
    if e.actor_name:
        agent["who"]["display"] = e.actor_name
    out["agent"] = [agent]
    out["source"] = {"observer": {"display": "Carnet"}}
    entities: list[dict] = []
    if e.patient_id:
        patient: dict = {"what": {"reference": f"Patient/{e.patient_id}"},
                         "type": {"system": ENTITY_TYPE, "code": "1", "display": "Person"},
                         "role": {"system": OBJECT_ROLE, "code": "1", "display": "Patient"}}
        if e.question:
            patient["detail"] = [{"type": "question", "valueString": e.question}]
        entities.append(patient)
    for document_id in e.document_ids:
        entities.append({"what": {"reference": f"DocumentReference/{document_id}"},
                         "type": {"system": ENTITY_TYPE, "code": "2", "display": "System Object"},
                         "role": {"system": OBJECT_ROLE, "code": "3", "display": "Report"}})
    if entities:
        out["entity"] = entities
    return out


def audit_bundle(events: Sequence[AuditRecord], total: int, base_url: str, self_url: str | None = None) -> dict:
    base = base_url if base_url.endswith("/") else base_url + "/"
    bundle: dict = {"resourceType": "Bundle", "type": "searchset", "total": total}
    if self_url:
        bundle["link"] = [{"relation": "self", "url": self_url}]
    bundle["entry"] = [{"fullUrl": f"{base}fhir/AuditEvent/{e.id}", "resource": audit_event(e),
                        "search": {"mode": "match"}} for e in events]
    return bundle
