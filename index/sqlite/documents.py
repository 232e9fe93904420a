"""Patients and documents of the SQLite store: writing a document with everything it carries in one
transaction, and reading documents back as StoredDocument records.

A document is written in one transaction with all its chunks, their words, lab values and facts, so a
crash in the middle of an ingest never leaves a half-written document. `vectors=None` in the NewDocument
(lexical first): the chunks are written without vectors and listed as pending (index/sqlite/chunks.py)
with the passage each vector is to be computed from; the document is found by words and filters at
once, by meaning once `set_vectors` has run.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

from carnet import codes
from carnet.errors import UnknownDocument, UnknownPatient
from carnet.models import SectionMark
from carnet.records import NewDocument, Patient, PatientSummary, StoredDocument
from carnet.text import fold
from index.files import StoredFiles
from index.sqlite.schema import FACTS_VERSION, PATIENT_SHIFT, document_id_for, now, stem_row

DOCUMENTS_CACHE_PATIENTS = 256  # patients whose documents SQLiteStore.documents keeps in memory
_PATIENT_COLUMNS = "num, id, name, vectors_version, next_chunk_seq, created_at"


def parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _insert(conn: sqlite3.Connection, table: str, row: dict) -> None:
    """INSERT OR REPLACE inside the caller's transaction."""
    names = ", ".join(row)
    marks = ", ".join("?" * len(row))
    conn.execute(f"INSERT OR REPLACE INTO {table} ({names}) VALUES ({marks})", list(row.values()))


def bump_version(conn: sqlite3.Connection, document_ids: Iterable[str]) -> None:
    """A write to these documents' rows: their patients' `vectors_version` goes up (SQLiteStore.documents)."""
    ids = list(document_ids)
    marks = ",".join("?" * len(ids))
    conn.execute("UPDATE patients SET vectors_version = vectors_version + 1 WHERE num IN "
                 f"(SELECT patient_num FROM documents WHERE id IN ({marks}))", ids)


def _patient(row: Sequence) -> Patient:
    return Patient(num=row[0], id=row[1], name=row[2], vectors_version=row[3], next_chunk_seq=row[4],
                   created_at=row[5])


def summary(row: Sequence) -> PatientSummary:
    """A PatientSummary from (id, name, document count, latest service date)."""
    return PatientSummary(id=row[0], name=row[1], document_count=row[2], latest_date=parse_date(row[3]))


def _json_tuple(value: str | None) -> tuple:
    return tuple(json.loads(value)) if value else ()


def stored_document(row: dict) -> StoredDocument:
    """A StoredDocument from a `documents` row joined with its patient id and duplicate files."""
    extra = json.loads(row["extra"]) if row.get("extra") else {}
    return StoredDocument(
        id=row["id"], patient_id=row["patient_id"], content_sha256=row["content_sha256"], source=row["source"],
        ingested_at=row["ingested_at"], title=row["title"], type_code=row["type_code"],
        type_confidence=row["type_confidence"], class_code=row["class_code"], specialty_code=row["specialty_code"],
        specialty_group=row["specialty_group"], specialty_confidence=row["specialty_confidence"],
        specialty_candidates=tuple(extra.get("specialty_candidates", ())),
        service_date=parse_date(row["service_date"]), service_end_date=parse_date(row["service_end_date"]),
        date_confidence=row["date_confidence"], author=row["author"], author_id=row["author_id"],
        organisation=row["organisation"], language=row["language"], page_count=row["page_count"],
        ocr_pages=_json_tuple(row["ocr_pages"]), ocr_confidence=row["ocr_confidence"],
        is_noise=bool(row["is_noise"]), noise_reason=row["noise_reason"], canonical_id=row["canonical_id"],
        duplicate_kind=row["duplicate_kind"], metadata_source=row["metadata_source"],
        exam_keys=_json_tuple(row["exam_keys"]), analyte_keys=_json_tuple(row["analyte_keys"]),
        sections=tuple(SectionMark(**s) for s in json.loads(row["sections"] or "[]")),
        fingerprint=row["fingerprint"], file_size=row["file_size"], pdf_sha1=row["pdf_sha1"],
        pdf_size=row["pdf_size"],
        confidentiality=tuple(c for c in (row["confidentiality"] or "").split(",") if c),
        facts_version=row["facts_version"], cda_id=row["cda_id"], set_id=row["set_id"],
        version_number=row["version_number"], coded_entries=_json_tuple(row["coded_entries"]),
        duplicate_sources=_json_tuple(row["duplicate_sources"]),
    )


def document_row(document_id: str, patient_num: int, new: NewDocument) -> dict:
    """The `documents` row of a new document."""
    meta, pdf_bytes, versioning = new.meta, new.pdf_bytes, new.versioning
    type_code = codes.current_type_code(meta.type_code)
    return {
        "id": document_id,
        "patient_num": patient_num,
        "content_sha256": new.content_sha256,
        "source": new.source,
        "title": meta.title,
        "type_code": type_code,
        "type_confidence": meta.type_confidence,
        "class_code": codes.DOCUMENT_TYPES[type_code].class_code if type_code in codes.DOCUMENT_TYPES else None,
        "specialty_code": meta.specialty_code,
        "specialty_group": codes.specialty_group(meta.specialty_code),
        "specialty_confidence": meta.specialty_confidence,
        "service_date": meta.service_date.isoformat() if meta.service_date else None,
        "service_end_date": meta.service_end_date.isoformat() if meta.service_end_date else None,
        "date_confidence": meta.date_confidence,
        "author": meta.author,
        "organisation": meta.organisation,
        "language": meta.language,
        "page_count": new.page_count,
        "ocr_pages": json.dumps(list(new.ocr_pages)),
        "ocr_confidence": new.ocr_confidence,
        "is_noise": int(meta.is_noise),
        "noise_reason": meta.noise_reason,
        "canonical_id": None,  # near duplicates are linked afterwards, by set_canonical
        "duplicate_kind": None,
        "metadata_source": meta.metadata_source,
        # what understanding could not settle (the column `extra` holds it as JSON; older rows: NULL)
        "extra": json.dumps({"specialty_candidates": list(meta.specialty_candidates)})
        if meta.specialty_candidates else None,
        "exam_keys": json.dumps(list(meta.exam_keys)),
        "analyte_keys": json.dumps(list(meta.analyte_keys)),
        "sections": json.dumps([asdict(s) for s in meta.sections], ensure_ascii=False),
        "fingerprint": new.fingerprint,
        "file_size": new.file_size,
        "ingested_at": now(),
        "pdf_sha1": hashlib.sha1(pdf_bytes).hexdigest() if pdf_bytes else None,
        "pdf_size": len(pdf_bytes) or None,
        "facts_version": FACTS_VERSION,
        "confidentiality": ",".join(meta.confidentiality) or None,
        "author_id": meta.author_id,
        "cda_id": versioning.cda_id,
        "set_id": versioning.set_id,
        "version_number": versioning.version_number,
        "coded_entries": json.dumps(list(new.coded_entries), ensure_ascii=False) if new.coded_entries else None,
    }


class Documents(StoredFiles):
    """Patients, documents and their files (a mixin of SQLiteStore: `db`, `home`, `pdf_dir` come from it)."""

    # --- patients ------------------------------------------------------------------------------------

    def patient(self, patient_id: str) -> Patient:
        row = self.db.execute(f"SELECT {_PATIENT_COLUMNS} FROM patients WHERE id = ?", [patient_id]).fetchone()
        if row is None:
            raise UnknownPatient(patient_id)
        return _patient(row)

    def patients(self, search: str | None = None, limit: int = 50) -> list[PatientSummary]:
        sql = (
            "SELECT p.id, p.name, COUNT(d.id), MAX(d.service_date) FROM patients p "
            "LEFT JOIN documents d ON d.patient_num = p.num"
        )
        params: list = []
        if search:
            sql += " WHERE p.id LIKE ? OR p.name LIKE ?"
            params += [f"%{search}%", f"%{search}%"]
        sql += " GROUP BY p.num ORDER BY p.id LIMIT ?"
        params.append(limit)
        return [summary(r) for r in self.db.execute(sql, params).fetchall()]

    def ensure_patient(self, patient_id: str, name: str | None = None) -> Patient:
        self.db.execute(
            "INSERT INTO patients(id, name, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING",
            [patient_id, name, now()],
        )
        if name:
            self.db.execute("UPDATE patients SET name = ? WHERE id = ? AND name IS NULL", [name, patient_id])
        return self.patient(patient_id)

    def iter_patients(self) -> Iterator[Patient]:
        for r in self.db.execute(f"SELECT {_PATIENT_COLUMNS} FROM patients ORDER BY num").fetchall():
            yield _patient(r)

    # --- writing documents -----------------------------------------------------------------------------

    def add_document(self, new: NewDocument) -> str:
        """Write one document, its chunks, vectors (or pending passages), FTS rows, lab values and facts in
        a single transaction. Returns its id."""
        return self.add_documents([new])[0]

    def add_documents(self, news: Sequence[NewDocument]) -> list[str]:
        """Write many documents in one transaction (benchmarks, migration): all of them or none."""
        ids = [document_id_for(n.patient_id, n.content_sha256) for n in news]
        # The PDFs before the rows (a row without its PDF is broken); removed again if the rows cannot be written.
        wrote = [d for d, n in zip(ids, news) if self._write_pdf(d, n.pdf_bytes)]
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for document_id, new in zip(ids, news):
                self._write_document(conn, document_id, new)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            for document_id in wrote:
                self.pdf_path(document_id).unlink(missing_ok=True)
            raise
        return ids

    def _write_document(self, conn: sqlite3.Connection, document_id: str, new: NewDocument) -> None:
        patient = self.ensure_patient(new.patient_id)
        _insert(conn, "documents", document_row(document_id, patient.num, new))
        base = (patient.num << PATIENT_SHIFT) + patient.next_chunk_seq
        vectors = new.vectors
        chunk_rows = [
            (base + i, document_id, c.page, c.char_start, c.char_end, c.section, c.text,
             b"" if vectors is None else np.asarray(vectors[i], dtype=np.float32).tobytes())
            for i, c in enumerate(new.chunks)
        ]
        conn.executemany(
            "INSERT INTO chunks(id, document_id, page, char_start, char_end, section, text, vector) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            chunk_rows,
        )
        conn.executemany("INSERT INTO chunks_fts(rowid, text) VALUES (?, ?)", [(r[0], fold(r[6])) for r in chunk_rows])
        conn.executemany("INSERT INTO chunks_stem(rowid, body, key) VALUES (?, ?, ?)",
                         [(r[0], *stem_row(r[6], new.meta.title)) for r in chunk_rows])
        if vectors is None:
            passages = new.passages
            conn.executemany("INSERT INTO pending_vectors(chunk_id, document_id, passage) VALUES (?, ?, ?)",
                             [(r[0], document_id, passages[i] if passages is not None else r[6])
                              for i, r in enumerate(chunk_rows)])
        for lv in new.lab_values:
            _insert(conn, "lab_values", {"document_id": document_id, **lv})
        self._write_facts(conn, patient.num, document_id, new.facts)
        conn.execute(
            "UPDATE patients SET next_chunk_seq = next_chunk_seq + ?, vectors_version = vectors_version + 1 "
            "WHERE num = ?",
            [len(chunk_rows), patient.num],
        )

    def find_by_content(self, patient_id: str, content_sha256: str) -> StoredDocument | None:
        rows = self._document_rows("p.id = ? AND d.content_sha256 = ?", [patient_id, content_sha256])
        return rows[0] if rows else None

    def add_duplicate_file(self, document_id: str, source: str) -> bool:
        """Record another file with the same bytes as a stored document. True if it was new."""
        cur = self.db.execute(
            "INSERT OR IGNORE INTO document_files(document_id, source) VALUES (?, ?)", [document_id, source]
        )
        if cur.rowcount > 0:  # the document lists its files (the documents cache is keyed by version)
            bump_version(self.db.conn, [document_id])
        return cur.rowcount > 0

    def set_canonical(self, document_ids: Iterable[str], canonical_id: str, kind: str) -> None:
        """Point near duplicates at their canonical document (the canonical's own link is cleared)."""
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for d in document_ids:
                if d != canonical_id:
                    conn.execute("UPDATE documents SET canonical_id = ?, duplicate_kind = ? WHERE id = ?",
                                 [canonical_id, kind, d])
            conn.execute("UPDATE documents SET canonical_id = NULL, duplicate_kind = NULL WHERE id = ?", [canonical_id])
            bump_version(conn, [canonical_id])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    # --- files ---------------------------------------------------------------------------------------

    def pdf_path(self, document_id: str) -> Path:
        self._ensure_schema()
        return self.pdf_dir / f"{document_id}.pdf"

    # --- reading documents -----------------------------------------------------------------------------

    def _document_rows(self, where: str, params: Sequence) -> list[StoredDocument]:
        cur = self.db.execute(
            "SELECT d.*, p.id AS patient_id, "
            "(SELECT json_group_array(source) FROM document_files f WHERE f.document_id = d.id) AS duplicate_sources "
            f"FROM documents d JOIN patients p ON p.num = d.patient_num WHERE {where}",
            list(params),
        )
        names = [c[0] for c in cur.description]
        return [stored_document(dict(zip(names, r))) for r in cur.fetchall()]

    def documents(self, patient_id: str) -> list[StoredDocument]:
        """All of a patient's documents, most recent act first (undated last).

        Kept in memory per patient and `vectors_version`, which every write to a patient's document rows
        bumps (add_document, set_vectors, add_duplicate_file, set_canonical, replace_facts): a question no
        longer re-reads and re-decodes the patient's rows. The version is read before the rows, so an entry
        is never older than its key. The records are frozen; each call gets its own list."""
        patient = self.patient(patient_id)
        key = (patient.num, patient.vectors_version)
        with self._documents_lock:
            rows = self._documents_cache.get(patient_id)
        if rows is None or rows[0] != key:
            fresh = self._document_rows("d.patient_num = ?", [patient.num])
            fresh.sort(key=lambda r: (r.service_date or date.min, r.ingested_at), reverse=True)
            rows = (key, fresh)
            with self._documents_lock:
                self._documents_cache[patient_id] = rows
                self._documents_cache.move_to_end(patient_id)
                while len(self._documents_cache) > DOCUMENTS_CACHE_PATIENTS:
                    self._documents_cache.popitem(last=False)
        return list(rows[1])

    def document(self, document_id: str) -> StoredDocument:
        rows = self._document_rows("d.id = ?", [document_id])
        if not rows:
            raise UnknownDocument(document_id)
        return rows[0]

    def document_owner(self, document_id: str) -> str:
        row = self.db.execute("SELECT p.id FROM documents d JOIN patients p ON p.num = d.patient_num "
                              "WHERE d.id = ?", [document_id]).fetchone()
        if row is None:
            raise UnknownDocument(document_id)
        return row[0]

    def version_candidates(self, patient_id: str, set_id: str | None,
                           cda_ids: Sequence[str]) -> list[StoredDocument]:
        """The patient's documents of one CDA set, or with one of these CDA ids (the versions a new one replaces)."""
        try:
            patient = self.patient(patient_id)
        except UnknownPatient:
            return []
        ids = [i for i in cda_ids if i]
        clauses, params = [], [patient.num]
        if set_id:
            clauses.append("d.set_id = ?")
            params.append(set_id)
        if ids:
            clauses.append(f"d.cda_id IN ({','.join('?' * len(ids))})")
            params += ids
        if not clauses:
            return []
        return self._document_rows(f"d.patient_num = ? AND ({' OR '.join(clauses)})", params)

    def near_duplicate_candidates(self, patient_id: str, type_code: str | None) -> list[StoredDocument]:
        """The patient's documents of one type with their fingerprints (for near-duplicate linking)."""
        try:
            patient = self.patient(patient_id)
        except UnknownPatient:
            return []
        return self._document_rows("d.patient_num = ? AND d.type_code IS ? AND d.fingerprint IS NOT NULL",
                                   [patient.num, type_code])
