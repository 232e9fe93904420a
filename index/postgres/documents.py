"""Patients and documents of the PostgreSQL store (a mixin of PostgresStore: `connection`, `home`, `pdf_dir`
and the routing caches come from it).

Rows are the SQLite store's (index/sqlite/documents.py's `document_row` builds them, `stored_document` reads
them back), so both stores derive the same fields from a NewDocument and return the same records. A
document is written in one transaction with its chunks, words, pending passages, lab values and facts; the
patient's row is locked by the UPDATE that reserves the chunk ids, so two writers of one patient queue.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np
import psycopg

from carnet.errors import UnknownDocument, UnknownPatient
from carnet.records import NewDocument, Patient, PatientSummary, StoredDocument
from carnet.text import fold
from index.files import StoredFiles
from index.postgres.fts import tokens
from index.protocol import document_id_for
from index.sqlite.documents import document_row, stored_document, summary
from index.sqlite.schema import PATIENT_SHIFT, now, stem_row

_PATIENT_COLUMNS = "num, patient_id, name, vectors_version, next_chunk_seq, created_at"
_DOCUMENT_SELECT = (
    "SELECT d.*, (SELECT COALESCE(json_agg(f.source), '[]')::text FROM document_files f "
    "WHERE f.patient_id = d.patient_id AND f.document_id = d.id) AS duplicate_sources FROM documents d ")
_CHUNK_INSERT = ("INSERT INTO chunks (patient_id, id, document_id, page, char_start, char_end, section, text, "
                 "embedding, folded, stem_body, stem_key, folded_tokens, stem_tokens) "
                 "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")


def _patient(row: Sequence) -> Patient:
    return Patient(num=row[0], id=row[1], name=row[2], vectors_version=row[3], next_chunk_seq=row[4],
                   created_at=row[5])


def _rows(cur: psycopg.Cursor) -> list[dict]:
    names = [c.name for c in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def chunk_row(patient_id: str, chunk_id: int, document_id: str, chunk, title: str | None, vector) -> tuple:
    """A `chunks` row: the text with its folded form and stems (and their token counts), and the vector."""
    body, key = stem_row(chunk.text, title)
    folded = fold(chunk.text)
    embedding = None if vector is None else np.asarray(vector, dtype=np.float32)
    return (patient_id, chunk_id, document_id, chunk.page, chunk.char_start, chunk.char_end, chunk.section,
            chunk.text, embedding, folded, body, key, len(tokens(folded)), len(tokens(body)) + len(tokens(key)))


class Documents(StoredFiles):
    """Patients, documents and their files."""

    # --- patients ------------------------------------------------------------------------------------

    def patient(self, patient_id: str) -> Patient:
        with self.connection() as conn:
            row = conn.execute(f"SELECT {_PATIENT_COLUMNS} FROM patients WHERE patient_id = %s",
                               [patient_id]).fetchone()
        if row is None:
            raise UnknownPatient(patient_id)
        return _patient(row)

    def patients(self, search: str | None = None, limit: int = 50) -> list[PatientSummary]:
        """Every patient (a listing: the one query that reads all shards), like SQLite's LIKE: case-blind."""
        sql = ("SELECT p.patient_id, p.name, COUNT(d.id), MAX(d.service_date) FROM patients p "
               "LEFT JOIN documents d ON d.patient_id = p.patient_id")
        params: list = []
        if search:
            sql += " WHERE p.patient_id ILIKE %s OR p.name ILIKE %s"
            params += [f"%{search}%", f"%{search}%"]
        sql += ' GROUP BY p.patient_id, p.name ORDER BY p.patient_id COLLATE "C" LIMIT %s'
        params.append(limit)
        with self.connection() as conn:
            return [summary(r) for r in conn.execute(sql, params).fetchall()]

    def ensure_patient(self, patient_id: str, name: str | None = None) -> Patient:
        with self.connection() as conn:
            with conn.transaction():
                self._ensure_patient(conn, patient_id, name)
        return self.patient(patient_id)

    def _ensure_patient(self, conn: psycopg.Connection, patient_id: str, name: str | None = None) -> None:
        """Inside the caller's transaction: the patient's row and its number's routing row."""
        made = conn.execute(
            "INSERT INTO patients (patient_id, num, name, created_at) VALUES (%s, nextval('patient_num_seq'), %s, %s) "
            "ON CONFLICT (patient_id) DO NOTHING RETURNING num", [patient_id, name, now()]).fetchone()
        if made is not None:
            conn.execute("INSERT INTO patient_numbers (num, patient_id) VALUES (%s, %s)", [made[0], patient_id])
        elif name:
            conn.execute("UPDATE patients SET name = %s WHERE patient_id = %s AND name IS NULL", [name, patient_id])

    def iter_patients(self) -> Iterator[Patient]:
        with self.connection() as conn:
            rows = conn.execute(f"SELECT {_PATIENT_COLUMNS} FROM patients ORDER BY num").fetchall()
        for r in rows:
            yield _patient(r)

    # --- writing documents -----------------------------------------------------------------------------

    def add_document(self, new: NewDocument) -> str:
        return self.add_documents([new])[0]

    def add_documents(self, news: Sequence[NewDocument]) -> list[str]:
        """Write documents in one transaction (all or none), each with its chunks, words, vectors or pending
        passages, lab values and facts. Returns their ids."""
        ids = [document_id_for(n.patient_id, n.content_sha256) for n in news]
        wrote = [d for d, n in zip(ids, news) if self._write_pdf(d, n.pdf_bytes)]
        try:
            with self.connection() as conn:
                with conn.transaction():
                    for document_id, new in zip(ids, news):
                        self._write_document(conn, document_id, new)
        except BaseException:
            for document_id in wrote:
                self.pdf_path(document_id).unlink(missing_ok=True)
            raise
        return ids

    def _write_document(self, conn: psycopg.Connection, document_id: str, new: NewDocument) -> None:
        pid = new.patient_id
        self._ensure_patient(conn, pid)
        # Reserve the chunk ids (and lock the patient's row until the transaction ends).
        num, first = conn.execute(
            "UPDATE patients SET next_chunk_seq = next_chunk_seq + %s, vectors_version = vectors_version + 1 "
            "WHERE patient_id = %s RETURNING num, next_chunk_seq - %s",
            [len(new.chunks), pid, len(new.chunks)]).fetchone()
        row = document_row(document_id, num, new)
        row.pop("patient_num")
        row["is_noise"] = bool(row["is_noise"])
        names = list(row)
        updates = ", ".join(f"{n} = excluded.{n}" for n in names if n != "id")
        conn.execute(f"INSERT INTO documents (patient_id, {', '.join(names)}) VALUES (%s, {', '.join(['%s'] * len(names))}) "
                     f"ON CONFLICT (patient_id, id) DO UPDATE SET {updates}", [pid, *row.values()])
        conn.execute("INSERT INTO document_patients (document_id, patient_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                     [document_id, pid])
        base = (num << PATIENT_SHIFT) + first
        vectors = new.vectors
        chunk_rows = [chunk_row(pid, base + i, document_id, c, new.meta.title, None if vectors is None else vectors[i])
                      for i, c in enumerate(new.chunks)]
        with conn.cursor() as cur:
            cur.executemany(_CHUNK_INSERT, chunk_rows)
            if vectors is None:
                passages = new.passages
                cur.executemany("INSERT INTO pending_vectors (patient_id, chunk_id, document_id, passage) "
                                "VALUES (%s, %s, %s, %s)",
                                [(pid, r[1], document_id, passages[i] if passages is not None else r[7])
                                 for i, r in enumerate(chunk_rows)])
        self._write_lab_values(conn, pid, document_id, new.lab_values)
        self._write_facts(conn, pid, document_id, new.facts)

    def find_by_content(self, patient_id: str, content_sha256: str) -> StoredDocument | None:
        rows = self._document_rows("d.patient_id = %s AND d.content_sha256 = %s", [patient_id, content_sha256])
        return rows[0] if rows else None

    def add_duplicate_file(self, document_id: str, source: str) -> bool:
        """Record another file with the same bytes as a stored document. True if it was new."""
        owner = self.document_owner(document_id)
        with self.connection() as conn:
            cur = conn.execute("INSERT INTO document_files (patient_id, document_id, source) VALUES (%s, %s, %s) "
                               "ON CONFLICT DO NOTHING", [owner, document_id, source])
            return cur.rowcount > 0

    def set_canonical(self, document_ids: Iterable[str], canonical_id: str, kind: str) -> None:
        """Point near duplicates at their canonical document (the canonical's own link is cleared)."""
        owner = self.document_owner(canonical_id)
        others = [d for d in document_ids if d != canonical_id]
        with self.connection() as conn:
            with conn.transaction():
                conn.execute("UPDATE documents SET canonical_id = %s, duplicate_kind = %s "
                             "WHERE patient_id = %s AND id = ANY(%s)", [canonical_id, kind, owner, others])
                conn.execute("UPDATE documents SET canonical_id = NULL, duplicate_kind = NULL "
                             "WHERE patient_id = %s AND id = %s", [owner, canonical_id])

    # --- files ---------------------------------------------------------------------------------------

    def pdf_path(self, document_id: str) -> Path:
        self.pdf_dir.mkdir(parents=True, exist_ok=True)
        return self.pdf_dir / f"{document_id}.pdf"

    # --- reading documents -----------------------------------------------------------------------------

    def _document_rows(self, where: str, params: Sequence, order: str = "") -> list[StoredDocument]:
        with self.connection() as conn:
            cur = conn.execute(_DOCUMENT_SELECT + f"WHERE {where} {order}", list(params))
            return [stored_document(r) for r in _rows(cur)]

    def documents(self, patient_id: str) -> list[StoredDocument]:
        """All of a patient's documents, most recent act first (undated last)."""
        self.patient(patient_id)
        # The SQLite store's order before its sort (its index on (patient, date), then rowid), so that ties of
        # the sort (same date, same second of ingest) come out in the same order on both stores.
        rows = self._document_rows("d.patient_id = %s", [patient_id], "ORDER BY d.service_date NULLS FIRST, d.seq")
        rows.sort(key=lambda r: (r.service_date or date.min, r.ingested_at), reverse=True)
        return rows

    def document(self, document_id: str) -> StoredDocument:
        owner = self.document_owner(document_id)
        rows = self._document_rows("d.patient_id = %s AND d.id = %s", [owner, document_id])
        if not rows:
            raise UnknownDocument(document_id)
        return rows[0]

    def version_candidates(self, patient_id: str, set_id: str | None,
                           cda_ids: Sequence[str]) -> list[StoredDocument]:
        ids = [i for i in cda_ids if i]
        if not set_id and not ids:
            return []
        return self._document_rows("d.patient_id = %s AND (d.set_id = %s OR d.cda_id = ANY(%s))",
                                   [patient_id, set_id, ids])

    def near_duplicate_candidates(self, patient_id: str, type_code: str | None) -> list[StoredDocument]:
        return self._document_rows("d.patient_id = %s AND d.type_code IS NOT DISTINCT FROM %s "
                                   "AND d.fingerprint IS NOT NULL", [patient_id, type_code])
