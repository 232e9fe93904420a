"""Care-team grants, break-glass windows and the append-only audit log in the PostgreSQL store (a mixin of
PostgresStore). Triggers refuse UPDATE, DELETE and TRUNCATE on the audit table (schema.py). An audit event
that names no patient is stored with patient_id '' (a distribution column is never NULL) and read back as
None."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Sequence

from carnet.records import AuditRecord, BreakGlassWindow, Grant, PatientSummary
from index.sqlite.documents import summary

_AUDIT_COLUMNS = ("id, recorded_at, actor, actor_role, actor_name, patient_id, action, question, document_ids, "
                  "break_glass, reason, outcome, detail")


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _record(r: Sequence) -> AuditRecord:
    return AuditRecord(id=r[0], recorded_at=r[1], actor=r[2], actor_role=r[3], actor_name=r[4], patient_id=r[5] or None,
                       action=r[6], question=r[7], document_ids=tuple(json.loads(r[8] or "[]")),
                       break_glass=bool(r[9]), reason=r[10], outcome=r[11], detail=r[12])


class Access:
    """Grants, break-glass windows and audit rows."""

    def grant(self, practitioner: str, patient_id: str, granted_by: str) -> bool:
        """True when the grant is new (granting twice keeps the first grant's author and time)."""
        with self.connection() as conn:
            cur = conn.execute("INSERT INTO grants (patient_id, practitioner, granted_by, granted_at) "
                               "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                               [patient_id, practitioner, granted_by, _now()])
            return cur.rowcount > 0

    def revoke(self, practitioner: str, patient_id: str) -> bool:
        with self.connection() as conn:
            cur = conn.execute("DELETE FROM grants WHERE patient_id = %s AND practitioner = %s",
                               [patient_id, practitioner])
            return cur.rowcount > 0

    def is_granted(self, practitioner: str, patient_id: str) -> bool:
        with self.connection() as conn:
            return conn.execute("SELECT 1 FROM grants WHERE patient_id = %s AND practitioner = %s",
                                [patient_id, practitioner]).fetchone() is not None

    def grants(self, practitioner: str | None = None, patient_id: str | None = None,
               limit: int = 1000) -> list[Grant]:
        where, params = [], []
        if patient_id is not None:
            where.append("patient_id = %s")
            params.append(patient_id)
        if practitioner is not None:
            where.append("practitioner = %s")
            params.append(practitioner)
        sql = "SELECT practitioner, patient_id, granted_by, granted_at FROM grants"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += ' ORDER BY practitioner COLLATE "C", patient_id COLLATE "C" LIMIT %s'
        with self.connection() as conn:
            rows = conn.execute(sql, [*params, limit]).fetchall()
        return [Grant(practitioner=r[0], patient_id=r[1], granted_by=r[2], granted_at=r[3]) for r in rows]

    def granted_patients(self, practitioner: str, search: str | None, limit: int) -> list[PatientSummary]:
        sql = ("SELECT p.patient_id, p.name, COUNT(d.id), MAX(d.service_date) FROM grants g "
               "JOIN patients p ON p.patient_id = g.patient_id "
               "LEFT JOIN documents d ON d.patient_id = p.patient_id WHERE g.practitioner = %s")
        params: list = [practitioner]
        if search:
            sql += " AND (p.patient_id ILIKE %s OR p.name ILIKE %s)"
            params += [f"%{search}%", f"%{search}%"]
        sql += ' GROUP BY p.patient_id, p.name ORDER BY p.patient_id COLLATE "C" LIMIT %s'
        params.append(limit)
        with self.connection() as conn:
            return [summary(r) for r in conn.execute(sql, params).fetchall()]

    def open_break_glass(self, practitioner: str, patient_id: str, reason: str, expires_at: datetime) -> None:
        with self.connection() as conn:
            conn.execute("INSERT INTO break_glass (patient_id, practitioner, reason, opened_at, expires_at) "
                         "VALUES (%s, %s, %s, %s, %s)", [patient_id, practitioner, reason, _now(), expires_at.isoformat()])

    def open_window(self, practitioner: str, patient_id: str, at: datetime) -> BreakGlassWindow | None:
        with self.connection() as conn:
            row = conn.execute(
                "SELECT reason, opened_at, expires_at FROM break_glass WHERE patient_id = %s AND practitioner = %s "
                "AND expires_at > %s ORDER BY id DESC LIMIT 1", [patient_id, practitioner, at.isoformat()]).fetchone()
        return BreakGlassWindow(reason=row[0], opened_at=row[1], expires_at=row[2]) if row else None

    def last_opened(self, practitioner: str, patient_id: str, before: datetime) -> datetime | None:
        with self.connection() as conn:
            row = conn.execute(
                "SELECT MAX(recorded_at) FROM audit_events WHERE patient_id = %s AND actor = %s AND outcome = 'allowed' "
                "AND actor_role = 'practitioner' AND recorded_at < %s", [patient_id, practitioner, before.isoformat()]
            ).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def append_audit(self, record: AuditRecord) -> int:
        with self.connection() as conn:
            return conn.execute(
                "INSERT INTO audit_events (patient_id, recorded_at, actor, actor_role, actor_name, action, question, "
                "document_ids, break_glass, reason, outcome, detail) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                "%s, %s) RETURNING id",
                [record.patient_id or "", record.recorded_at or _now(), record.actor, record.actor_role,
                 record.actor_name, record.action, record.question, json.dumps(list(record.document_ids)),
                 bool(record.break_glass), record.reason, record.outcome, record.detail]).fetchone()[0]

    def audit_events(self, patient_id: str | None = None, limit: int = 100, offset: int = 0,
                     newest_first: bool = True) -> tuple[int, list[AuditRecord]]:
        """(total, one page of records) for a patient (None: every record), newest first by default."""
        where, params = ("WHERE patient_id = %s", [patient_id]) if patient_id is not None else ("", [])
        order = "DESC" if newest_first else "ASC"
        with self.connection() as conn:
            total = conn.execute(f"SELECT COUNT(*) FROM audit_events {where}", params).fetchone()[0]
            rows = conn.execute(f"SELECT {_AUDIT_COLUMNS} FROM audit_events {where} ORDER BY id {order} "
                                "LIMIT %s OFFSET %s", [*params, limit, offset]).fetchall()
        return total, [_record(r) for r in rows]
