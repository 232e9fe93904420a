"""Who may see what: care-team grants, roles, masked documents, break-glass, and the audit of every access.

The rules (the DMP's, README "Access control"):
- a practitioner opens a patient only through a care-team grant, or by breaking the glass: a request
  that gives a reason (`X-Carnet-Break-Glass: <reason>`) opens the patient for `break_glass_hours`;
  the reason is kept and every access in the window is flagged;
- documents the source marks as masked to professionals (`MASQUE_PS`) are invisible, except to their
  author and under break-glass;
- an administrator manages grants and ingests, and reads no document; a patient reads its own trace;
- every access, allowed or refused, is appended to the audit log (who, role, patient, what was asked,
  which documents were returned or opened, break-glass and its reason).

The API and the service call these checks; the CLI is a local administrator tool and does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Callable, Iterable, Sequence
from urllib.parse import unquote

from ingest.pipeline import valid_patient_id
from service.auth import LOCAL_ADMINISTRATOR, Principal
from carnet.config import Settings
from carnet.errors import Forbidden, InvalidInput, UnknownDocument
from carnet.records import AuditRecord, PatientSummary, StoredDocument
from index.protocol import Store

BREAK_GLASS_HEADER = "X-Carnet-Break-Glass"
MAX_REASON_CHARS = 1000  # as sent (percent-encoding included)
# DMP confidentiality codes (1.2.250.1.213.1.1.4.13) that hide a document from professionals.
MASKED_CODES = frozenset({"MASQUE_PS"})


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def confidentiality_codes(row: StoredDocument) -> tuple[str, ...]:
    return tuple(c.strip() for c in row.confidentiality if c.strip())


def is_masked(row: StoredDocument) -> bool:
    return any(c.upper() in MASKED_CODES for c in confidentiality_codes(row))


def break_glass_reason(raw: str | None) -> str | None:
    """The header's reason (UTF-8 sent raw or percent-encoded), or None when there is none. Raises on an
    over-long reason; an empty one is no break-glass."""
    if raw is None:
        return None
    try:
        text = raw.encode("latin-1").decode("utf-8")  # HTTP headers arrive as latin-1 text
    except (UnicodeEncodeError, UnicodeDecodeError):
        text = raw
    if len(raw) > MAX_REASON_CHARS:
        raise InvalidInput(f"The break-glass reason is {len(raw)} characters long as sent; the limit is "
                           f"{MAX_REASON_CHARS}.")
    return " ".join(unquote(text).split()) or None


@dataclass(frozen=True)
class PatientAccess:
    """An opened patient: who opened it and how. `visible` says which of its documents they may see."""

    principal: Principal
    patient_id: str
    break_glass: bool = False
    reason: str | None = None

    def visible(self, row: StoredDocument) -> bool:
        if row.patient_id not in (None, self.patient_id):
            return False
        if not is_masked(row) or self.break_glass:
            return True
        return bool(row.author_id) and row.author_id == self.principal.id

    def hidden_ids(self, rows: Iterable[StoredDocument]) -> frozenset[str]:
        return frozenset(r.id for r in rows if not self.visible(r))


class AccessControl:
    """The checks and the audit, over one store. Cheap to construct."""

    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.settings = settings

    # --- patients and documents ----------------------------------------------------------------------

    def open_patient(self, principal: Principal, patient_id: str, action: str, reason: str | None = None,
                     question: str | None = None) -> PatientAccess:
        """The practitioner's access to a patient, or Forbidden (audited). A reason breaks the glass, even
        for a granted patient (it then also shows masked documents)."""
        if principal.role != "practitioner":
            self._refuse(principal, action, patient_id, f"the {principal.role} role reads no patient record",
                         question=question, reason=reason)
        if reason:
            expires = now_utc() + timedelta(hours=self.settings.break_glass_hours)
            self.store.open_break_glass(principal.id, patient_id, reason, expires)
            return PatientAccess(principal, patient_id, break_glass=True, reason=reason)
        if self.store.is_granted(principal.id, patient_id):
            return PatientAccess(principal, patient_id)
        window = self.store.open_window(principal.id, patient_id, now_utc())
        if window is not None:
            return PatientAccess(principal, patient_id, break_glass=True, reason=window.reason)
        self._refuse(principal, action, patient_id, "not in the patient's care team", question=question)
        raise AssertionError("unreachable")

    def open_document(self, principal: Principal, document_id: str, action: str,
                      reason: str | None = None) -> tuple[PatientAccess, StoredDocument]:
        """(the access, the document's row); Forbidden when its patient is not open to the caller, and
        UnknownDocument (audited) when the document is masked from them: invisible, as a missing one."""
        row = self.store.document(document_id)  # UnknownDocument
        access = self.open_patient(principal, row.patient_id, action, reason)
        if not access.visible(row):
            self.record(access, action, outcome="refused", detail="masked document", document_ids=(row.id,))
            raise UnknownDocument(document_id)
        return access, row

    def last_opened(self, access: PatientAccess, before: date) -> date | None:
        """The day the caller last opened this patient's record before the day `before` (from the audit):
        what "since my last visit" means for a practitioner who wrote no consultation of the patient."""
        start = datetime.combine(before, datetime.min.time(), tzinfo=timezone.utc)
        when = self.store.last_opened(access.principal.id, access.patient_id, start)
        return when.date() if when else None

    def visible_rows(self, access: PatientAccess, rows: Sequence[StoredDocument]) -> list[StoredDocument]:
        return [r for r in rows if access.visible(r)]

    def patients(self, principal: Principal, search: str | None, limit: int) -> list[PatientSummary]:
        """Patients the caller may pick: a practitioner's granted ones; every patient for an administrator
        (to manage grants); none for a patient token."""
        if principal.role == "administrator":
            return self.store.patients(search, limit)
        if principal.role == "practitioner":
            return self.store.granted_patients(principal.id, search, limit)
        return []

    # --- administration ------------------------------------------------------------------------------

    def require_administrator(self, principal: Principal, action: str, patient_id: str | None = None) -> None:
        if principal.role != "administrator":
            self._refuse(principal, action, patient_id, "administrators only")

    def grant(self, practitioner: str, patient_id: str, by: Principal = LOCAL_ADMINISTRATOR) -> bool:
        self.require_administrator(by, "grant", patient_id)
        patient_id = valid_patient_id(patient_id)  # a grant may precede the patient's first document
        practitioner = _identifier("practitioner", practitioner)
        new = self.store.grant(practitioner, patient_id, by.id)
        self.record_admin(by, "grant", patient_id, f"granted {practitioner}" if new else f"{practitioner} already granted")
        return new

    def revoke(self, practitioner: str, patient_id: str, by: Principal = LOCAL_ADMINISTRATOR) -> bool:
        self.require_administrator(by, "revoke", patient_id)
        practitioner = _identifier("practitioner", practitioner)
        gone = self.store.revoke(practitioner, patient_id)
        self.record_admin(by, "revoke", patient_id, f"revoked {practitioner}" if gone else f"{practitioner} had no grant")
        return gone

    def audit_trail(self, principal: Principal, patient_id: str | None, limit: int = 100,
                    offset: int = 0) -> tuple[int, list[AuditRecord]]:
        """A patient's access trace (every patient's for an administrator with patient None): for an
        administrator, or for the patient themself. Reading it is itself audited."""
        own = principal.role == "patient" and patient_id is not None and principal.patient_id == patient_id
        if principal.role != "administrator" and not own:
            self._refuse(principal, "audit-read", patient_id, "the trace is for the patient and administrators")
        result = self.store.audit_events(patient_id, limit=limit, offset=offset)
        self.store.append_audit(AuditRecord(actor=principal.id, actor_role=principal.role, actor_name=principal.name,
                                        action="audit-read", outcome="allowed", patient_id=patient_id))
        return result

    # --- the audit -----------------------------------------------------------------------------------

    def record(self, access: PatientAccess, action: str, *, question: str | None = None,
               document_ids: Sequence[str] = (), outcome: str = "allowed", detail: str | None = None) -> None:
        p = access.principal
        self.store.append_audit(AuditRecord(actor=p.id, actor_role=p.role, actor_name=p.name, action=action,
                                        outcome=outcome, patient_id=access.patient_id, question=question,
                                        document_ids=tuple(document_ids), break_glass=access.break_glass,
                                        reason=access.reason, detail=detail))

    def record_admin(self, principal: Principal, action: str, patient_id: str | None, detail: str | None = None,
                     document_ids: Sequence[str] = ()) -> None:
        self.store.append_audit(AuditRecord(actor=principal.id, actor_role=principal.role, actor_name=principal.name,
                                        action=action, outcome="allowed", patient_id=patient_id, detail=detail,
                                        document_ids=tuple(document_ids)))

    def _refuse(self, principal: Principal, action: str, patient_id: str | None, why: str,
                question: str | None = None, reason: str | None = None) -> None:
        self.store.append_audit(AuditRecord(actor=principal.id, actor_role=principal.role, actor_name=principal.name,
                                        action=action, outcome="refused", patient_id=patient_id, question=question,
                                        break_glass=bool(reason), reason=reason, detail=why))
        raise Forbidden(f"Access refused: {why}.")


def _identifier(what: str, value: str) -> str:
    value = (value or "").strip()
    if not value or len(value) > 200 or any(ch.isspace() for ch in value):
        raise InvalidInput(f"The {what} identifier must be one word of 1 to 200 characters. Currently, it is {value!r}")
    return value
