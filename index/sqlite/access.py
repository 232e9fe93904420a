"""The access-control tables of the SQLite store: care-team grants, break-glass windows, the audit log.

The tables are created with the rest of the schema (index/sqlite/schema.py); this module holds their SQL,
all parameterised. The audit log is append-only: SQLite triggers refuse UPDATE and DELETE on it, so a bug
or a hand-typed statement cannot rewrite the trace. Rows never hold document text; they hold the
question asked (patient data, kept in the store, never in logs) and the ids of the documents seen.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime, timezone
from typing import Sequence

from carnet.records import AuditRecord, BreakGlassWindow, Grant, PatientSummary
from index.sqlite.documents import summary


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


_INSERT = ("INSERT INTO audit_events(recorded_at, actor, actor_role, actor_name, patient_id, action, question, "
           "document_ids, break_glass, reason, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


IDLE_SECONDS = 5.0


class AuditWriter:
    """The one thread of a process that writes audit records, in group commits.

    Every request writes a record, and each used to be its own transaction on its own thread's connection:
    under 50 concurrent clients, request threads queued for SQLite's write lock, and a thread that finds it
    taken sleeps in SQLite's busy handler (1, 2, 5 ... 100 ms) even once the lock is free again. Here a
    request hands its record to this thread and waits until the transaction that holds it has committed;
    the thread writes every record waiting at that moment in one transaction. Nothing is buffered past the
    answer: `write` returns (and the request answers) only after the COMMIT, and a failed transaction raises
    in every waiting request (which then answers 500, not the data). The connection commits with
    synchronous=FULL (the WAL is synced at each commit): one sync per batch instead of one per request makes
    a record survive a power loss too, not only a crash of the process."""

    def __init__(self, path):
        self.path = path
        self._cond = threading.Condition()
        self._queue: list[tuple[AuditRecord, list]] = []  # (record, [id or exception]) filled when committed
        self._thread: threading.Thread | None = None

    def write(self, record: AuditRecord) -> int:
        slot: list = []
        with self._cond:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="carnet-audit", daemon=True)
                self._thread.start()
            self._queue.append((record, slot))
            self._cond.notify_all()
            while not slot:
                self._cond.wait()
        if isinstance(slot[0], BaseException):
            raise slot[0]
        return slot[0]

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        try:
            self._serve(conn)
        finally:
            conn.close()

    def _serve(self, conn: sqlite3.Connection) -> None:
        while True:
            with self._cond:
                if not self._queue:
                    self._cond.wait(IDLE_SECONDS)
                if not self._queue:  # idle: the thread and its connection end (the next write starts them)
                    self._thread = None
                    return
                batch, self._queue = self._queue, []
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    ids = [int(conn.execute(_INSERT, _params(record)).lastrowid) for record, _ in batch]
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                results: list = ids
            except Exception as e:  # every waiting request learns that its record was not written
                results = [e] * len(batch)
            with self._cond:
                for (_, slot), result in zip(batch, results):
                    slot.append(result)
                self._cond.notify_all()


_WRITERS: dict[str, AuditWriter] = {}
_WRITERS_LOCK = threading.Lock()


def _writer(store) -> AuditWriter:
    """The process's writer of the store's file (one per file, however many SQLiteStore objects open it);
    the store keeps it, so a request does not resolve the file's path again (5 % of a worker under load)."""
    writer = store.__dict__.get("_audit_writer")
    if writer is not None:
        return writer
    key = str(store.path.resolve())
    with _WRITERS_LOCK:
        writer = _WRITERS.get(key)
        if writer is None:
            writer = _WRITERS[key] = AuditWriter(key)
    store._audit_writer = writer
    return writer


def _params(record: AuditRecord) -> list:
    return [record.recorded_at or now_utc().isoformat(), record.actor, record.actor_role, record.actor_name,
            record.patient_id, record.action, record.question, json.dumps(list(record.document_ids)),
            int(record.break_glass), record.reason, record.outcome, record.detail]


def _record(r: Sequence) -> AuditRecord:
    return AuditRecord(id=r[0], recorded_at=r[1], actor=r[2], actor_role=r[3], actor_name=r[4], patient_id=r[5],
                       action=r[6], question=r[7], document_ids=tuple(json.loads(r[8] or "[]")),
                       break_glass=bool(r[9]), reason=r[10], outcome=r[11], detail=r[12])


class Access:
    """Grants, break-glass windows and audit rows (a mixin of SQLiteStore: `db` comes from it)."""

    # --- grants --------------------------------------------------------------------------------------

    def grant(self, practitioner: str, patient_id: str, granted_by: str) -> bool:
        """True when the grant is new (granting twice keeps the first grant's author and time)."""
        cur = self.db.execute(
            "INSERT OR IGNORE INTO grants(practitioner, patient_id, granted_by, granted_at) VALUES (?, ?, ?, ?)",
            [practitioner, patient_id, granted_by, now_utc().isoformat()],
        )
        return cur.rowcount > 0

    def revoke(self, practitioner: str, patient_id: str) -> bool:
        cur = self.db.execute("DELETE FROM grants WHERE practitioner = ? AND patient_id = ?",
                              [practitioner, patient_id])
        return cur.rowcount > 0

    def is_granted(self, practitioner: str, patient_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM grants WHERE practitioner = ? AND patient_id = ?",
                               [practitioner, patient_id]).fetchone() is not None

    def grants(self, practitioner: str | None = None, patient_id: str | None = None,
               limit: int = 1000) -> list[Grant]:
        where, params = [], []
        if practitioner is not None:
            where.append("practitioner = ?")
            params.append(practitioner)
        if patient_id is not None:
            where.append("patient_id = ?")
            params.append(patient_id)
        sql = "SELECT practitioner, patient_id, granted_by, granted_at FROM grants"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY practitioner, patient_id LIMIT ?"
        rows = self.db.execute(sql, [*params, limit]).fetchall()
        return [Grant(practitioner=r[0], patient_id=r[1], granted_by=r[2], granted_at=r[3]) for r in rows]

    def granted_patients(self, practitioner: str, search: str | None, limit: int) -> list[PatientSummary]:
        """The practitioner's granted patients that the store holds, like `patients` (grants index first)."""
        sql = ("SELECT p.id, p.name, COUNT(d.id), MAX(d.service_date) FROM grants g "
               "JOIN patients p ON p.id = g.patient_id LEFT JOIN documents d ON d.patient_num = p.num "
               "WHERE g.practitioner = ?")
        params: list = [practitioner]
        if search:
            sql += " AND (p.id LIKE ? OR p.name LIKE ?)"
            params += [f"%{search}%", f"%{search}%"]
        sql += " GROUP BY p.num ORDER BY p.id LIMIT ?"
        params.append(limit)
        return [summary(r) for r in self.db.execute(sql, params).fetchall()]

    # --- break-glass -------------------------------------------------------------------------------------

    def open_break_glass(self, practitioner: str, patient_id: str, reason: str, expires_at: datetime) -> None:
        self.db.execute(
            "INSERT INTO break_glass(practitioner, patient_id, reason, opened_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            [practitioner, patient_id, reason, now_utc().isoformat(), expires_at.isoformat()],
        )

    def open_window(self, practitioner: str, patient_id: str, at: datetime) -> BreakGlassWindow | None:
        """The latest break-glass window still open at `at`, or None."""
        row = self.db.execute(
            "SELECT reason, opened_at, expires_at FROM break_glass WHERE practitioner = ? AND patient_id = ? "
            "AND expires_at > ? ORDER BY id DESC LIMIT 1",
            [practitioner, patient_id, at.isoformat()],
        ).fetchone()
        return BreakGlassWindow(reason=row[0], opened_at=row[1], expires_at=row[2]) if row else None

    # --- audit ---------------------------------------------------------------------------------------

    def last_opened(self, practitioner: str, patient_id: str, before: datetime) -> datetime | None:
        """When the practitioner last opened the patient's record (an allowed access) before `before`."""
        row = self.db.execute(
            "SELECT MAX(recorded_at) FROM audit_events WHERE actor = ? AND patient_id = ? AND outcome = 'allowed' "
            "AND actor_role = 'practitioner' AND recorded_at < ?",
            [practitioner, patient_id, before.isoformat()],
        ).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def append_audit(self, record: AuditRecord) -> int:
        """Write one record and return its id once it is committed (see AuditWriter: the caller answers
        only after its access is on disk)."""
        self.db  # noqa: B018 - the schema exists before the writer's connection opens the file
        return _writer(self).write(record)

    def audit_events(self, patient_id: str | None = None, limit: int = 100, offset: int = 0,
                     newest_first: bool = True) -> tuple[int, list[AuditRecord]]:
        """(total, one page of records) for a patient (None: every record), newest first by default."""
        where, params = ("WHERE patient_id = ?", [patient_id]) if patient_id is not None else ("", [])
        total = self.db.execute(f"SELECT COUNT(*) FROM audit_events {where}", params).fetchone()[0]
        order = "DESC" if newest_first else "ASC"
        cur = self.db.execute(
            "SELECT id, recorded_at, actor, actor_role, actor_name, patient_id, action, question, document_ids, "
            f"break_glass, reason, outcome, detail FROM audit_events {where} ORDER BY id {order} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return total, [_record(r) for r in cur.fetchall()]
