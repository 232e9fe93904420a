"""The SQLite store: patients, documents, chunks (with their vectors) and an FTS5 index over chunk text.

SQLite is the source of truth; the per-patient FAISS files (index/vectors.py) are derived from the
vectors kept here and can always be rebuilt. A document is written in one transaction with all its
chunks, so a crash in the middle of an ingest never leaves a half-written document.

Lexical first, vectors after: a document may be written without its vectors (`add_document(vectors=None)`).
Its chunks are then searchable by words, type and date at once, and are listed in `pending_vectors` until
`set_vectors` writes their vectors (index/pending.py does, in the background). A chunk's vector is a column
of its row, written once by an UPDATE of a still-pending chunk: a crash mid-embedding leaves the rest
pending for the next run, and no chunk can get two vectors.

Chunk ids are (patient number << 36) + a per-patient sequence: all of a patient's chunks lie in one
rowid range, so FTS5 and the vector files can be searched for one patient without touching anyone
else's rows (the cost of a question does not grow with the number of other patients).

One connection per thread: sqlite3 connections are not shared across FastAPI's thread pool.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import asdict
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np
import sqlite_utils

from carnet import codes
from carnet.errors import UnknownDocument, UnknownPatient
from carnet.facts import Fact
from carnet.models import Chunk, DocMeta
from carnet.text import fold
from index.terms import key_text, stemmed_text

PATIENT_SHIFT = 36  # chunk id = patient_num << 36 | sequence: 2^36 chunks per patient, 2^27 patients
DOCUMENTS_CACHE_PATIENTS = 256  # patients whose document rows Store.documents keeps in memory
SCHEMA_VERSION = 6  # 4: chunks_stem (stemmed FTS of chunks, filled when an older store is opened); 5: confidentiality, author_id; grants, break_glass, audit_events; CDA versions and coded entries; 6: pending_vectors
# The stored PDF's SHA-1 (hex) and size in bytes: FHIR's Attachment.hash and .size without reading the file.
_ADDED_COLUMNS = (("pdf_sha1", "TEXT"), ("pdf_size", "INTEGER"),
                  # Version 5: the source's confidentiality codes, comma-separated (CDA confidentialityCode,
                  # sidecar securityLabel), and the author's identifier: masking (service/access.py) reads both.
                  ("confidentiality", "TEXT"), ("author_id", "TEXT"),
                  # The version of the fact extractor that read the document's facts (NULL: never read, a
                  # document stored before facts existed; the next ingest of its file reads them).
                  ("facts_version", "INTEGER"),
                  # a CDA's id, setId and versionNumber (versions of one document) and its coded entries (JSON)
                  ("cda_id", "TEXT"), ("set_id", "TEXT"), ("version_number", "INTEGER"), ("coded_entries", "TEXT"))
FACTS_VERSION = 2  # 2: medication start / stop dates and changes (started, stopped, changed)
# Version 3: a lab value's LOINC code, its unit in UCUM, where it was read ("text" | "ocr" | "cda") and, when
# read by OCR, the page's confidence (older rows keep them empty and read as "text").
_ADDED_LAB_COLUMNS = (("loinc", "TEXT"), ("ucum", "TEXT"), ("origin", "TEXT"), ("confidence", "REAL"))
_FACT_COLUMNS = tuple(Fact.__dataclass_fields__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS patients (
    num INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT,
    next_chunk_seq INTEGER NOT NULL DEFAULT 0,
    vectors_version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    patient_num INTEGER NOT NULL REFERENCES patients(num),
    content_sha256 TEXT NOT NULL,
    source TEXT NOT NULL,
    title TEXT,
    type_code TEXT,
    type_confidence REAL,
    class_code TEXT,
    specialty_code TEXT,
    specialty_group TEXT,
    specialty_confidence REAL,
    service_date TEXT,
    service_end_date TEXT,
    date_confidence REAL,
    author TEXT,
    organisation TEXT,
    language TEXT,
    page_count INTEGER,
    ocr_pages TEXT,
    ocr_confidence REAL,
    is_noise INTEGER NOT NULL DEFAULT 0,
    noise_reason TEXT,
    canonical_id TEXT,
    duplicate_kind TEXT,
    metadata_source TEXT,
    exam_keys TEXT,
    analyte_keys TEXT,
    sections TEXT,
    fingerprint TEXT,
    file_size INTEGER,
    ingested_at TEXT NOT NULL,
    extra TEXT,
    cda_id TEXT,
    set_id TEXT,
    version_number INTEGER,
    coded_entries TEXT,
    pdf_sha1 TEXT,
    pdf_size INTEGER,
    confidentiality TEXT,
    author_id TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS documents_patient_content ON documents(patient_num, content_sha256);
CREATE INDEX IF NOT EXISTS documents_patient_date ON documents(patient_num, service_date);
CREATE TABLE IF NOT EXISTS document_files (
    document_id TEXT NOT NULL REFERENCES documents(id),
    source TEXT NOT NULL,
    PRIMARY KEY (document_id, source)
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    page INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    section TEXT,
    text TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_document ON chunks(document_id);
-- Chunks stored before their vectors (their `vector` is an empty blob until set_vectors): keyed by chunk id,
-- so a patient's pending chunks are a rowid range like the patient's chunks.
CREATE TABLE IF NOT EXISTS pending_vectors (
    chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id),
    document_id TEXT NOT NULL REFERENCES documents(id),
    passage TEXT NOT NULL  -- what the vector is computed from (the chunk with its title and section)
);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    text, content='chunks', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TABLE IF NOT EXISTS lab_values (
    document_id TEXT NOT NULL REFERENCES documents(id),
    analyte TEXT NOT NULL,
    label TEXT,
    value REAL,
    unit TEXT,
    low REAL,
    high REAL,
    flag TEXT,
    page INTEGER,
    PRIMARY KEY (document_id, analyte, label)
);
CREATE TABLE IF NOT EXISTS facts (
    id INTEGER PRIMARY KEY,
    patient_num INTEGER NOT NULL REFERENCES patients(num),
    document_id TEXT NOT NULL REFERENCES documents(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    reaction TEXT,
    dose TEXT,
    posology TEXT,
    start TEXT,
    "end" TEXT,
    code TEXT,
    code_system TEXT,
    page INTEGER NOT NULL,
    sentence TEXT,
    section TEXT,
    statement TEXT,
    service_date TEXT,
    author TEXT,
    source TEXT NOT NULL,
    confidence REAL
);
CREATE INDEX IF NOT EXISTS facts_patient ON facts(patient_num, kind);
CREATE INDEX IF NOT EXISTS facts_document ON facts(document_id);
""" + """
-- Access control (service/access.py, index/access_store.py): care-team grants, break-glass windows and the
-- append-only audit log of every access. Patients are named by their identifier: a grant may precede ingest.
CREATE TABLE IF NOT EXISTS grants (
    practitioner TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (practitioner, patient_id)
);
CREATE INDEX IF NOT EXISTS grants_patient ON grants(patient_id);
CREATE TABLE IF NOT EXISTS break_glass (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    practitioner TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS break_glass_open ON break_glass(practitioner, patient_id, expires_at);
CREATE TABLE IF NOT EXISTS audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at TEXT NOT NULL,
    actor TEXT,
    actor_role TEXT,
    actor_name TEXT,
    patient_id TEXT,
    action TEXT NOT NULL,
    question TEXT,
    document_ids TEXT,
    break_glass INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    outcome TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS audit_events_patient ON audit_events(patient_id, id);
CREATE TRIGGER IF NOT EXISTS audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""

# Stemmed words of each chunk (index.terms.stem, computed in Python: SQLite's tokenizers have no French
# stemmer), in two fields: `body`, the whole chunk, and `key`, its title and labelled key lines (conclusion,
# impression, procedure...), so that BM25 can weigh a topic named there above one in a letterhead.
# Contentless: only MATCH and bm25() read it; chunks are never deleted.
_STEM_TABLE = """CREATE VIRTUAL TABLE IF NOT EXISTS chunks_stem USING fts5(
    body, key, content='', tokenize='unicode61 remove_diacritics 2')"""


def stem_row(text: str, title: str | None) -> tuple[str, str]:
    """The (body, key) fields of a chunk's chunks_stem row."""
    return stemmed_text(text), stemmed_text(key_text(text, title))


def _fill_stems(conn: sqlite3.Connection) -> None:
    rows = conn.execute("SELECT c.id, c.text, d.title FROM chunks c JOIN documents d ON d.id = c.document_id")
    conn.executemany("INSERT INTO chunks_stem(rowid, body, key) VALUES (?, ?, ?)",
                     ((r[0], *stem_row(r[1], r[2])) for r in rows.fetchall()))


# Fields a document row exposes to users (the API and CLI); internals such as fingerprints stay here.
PUBLIC_DOCUMENT_FIELDS = (
    "id", "patient_id", "source", "title", "type_code", "type_confidence", "class_code", "specialty_code",
    "specialty_group", "specialty_confidence", "service_date", "service_end_date", "date_confidence",
    "author", "organisation", "language", "page_count", "ocr_pages", "ocr_confidence", "is_noise",
    "noise_reason", "canonical_id", "duplicate_kind", "metadata_source", "exam_keys", "analyte_keys",
    "sections", "file_size", "ingested_at", "duplicate_sources", "specialty_candidates", "confidentiality", "set_id",
    "version_number",
)

_FTS_WORD = re.compile(r"[\w]+", re.UNICODE)


def chunk_id_range(patient_num: int) -> tuple[int, int]:
    """Inclusive rowid range of a patient's chunks."""
    lo = patient_num << PATIENT_SHIFT
    return lo, lo + (1 << PATIENT_SHIFT) - 1


def document_id_for(patient_id: str, content_sha256: str) -> str:
    """A document's id: the same bytes for two patients are two documents (isolation), so the
    patient is part of the hash. Re-ingesting the same bytes for the same patient is a no-op."""
    return hashlib.sha256(f"{patient_id}\x00{content_sha256}".encode()).hexdigest()[:32]


def fts_query(words: Iterable[str]) -> str | None:
    """An FTS5 MATCH expression that ORs the given words, each quoted (no FTS syntax injection)."""
    terms = []
    for w in words:
        for token in _FTS_WORD.findall(fold(w)):
            if len(token) >= 2:
                terms.append(f'"{token}"')
    if not terms:
        return None
    return " OR ".join(dict.fromkeys(terms))


def _insert(conn: sqlite3.Connection, table: str, row: dict) -> None:
    """INSERT OR REPLACE inside the caller's transaction (sqlite-utils' insert would commit it)."""
    names = ", ".join(row)
    marks = ", ".join("?" * len(row))
    conn.execute(f"INSERT OR REPLACE INTO {table} ({names}) VALUES ({marks})", list(row.values()))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """The SQLite store in `home/carnet.db`. Cheap to construct; opens one connection per thread."""

    def __init__(self, home: Path):
        self.home = Path(home)
        self.path = self.home / "carnet.db"
        self.pdf_dir = self.home / "pdfs"
        self._local = threading.local()
        self._init_lock = threading.Lock()
        self._initialised = False
        self._documents_lock = threading.Lock()
        self._documents_cache: OrderedDict[str, tuple[tuple[int, int], list[dict]]] = OrderedDict()

    # --- connections -----------------------------------------------------------------------------

    @property
    def db(self) -> sqlite_utils.Database:
        db = getattr(self._local, "db", None)
        if db is None:
            self._ensure_schema()
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")  # readers (the API) never block the writer (ingest)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            db = sqlite_utils.Database(conn)
            self._local.db = db
        return db

    def _ensure_schema(self) -> None:
        with self._init_lock:
            if self._initialised:
                return
            self.home.mkdir(parents=True, exist_ok=True)
            self.pdf_dir.mkdir(exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30)
            try:
                # A chunk row (900 characters + a 1.5 KB vector) is over half a 4 KB page: with the
                # default page size SQLite wastes nearly half the file. Only takes effect on a new file.
                conn.execute("PRAGMA page_size=16384")
                had_stems = conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = 'chunks_stem'").fetchone() is not None
                conn.executescript(_SCHEMA)
                conn.execute(_STEM_TABLE)
                if not had_stems:  # a store written before version 4: its chunks are stemmed once, now
                    _fill_stems(conn)
                # Columns added after version 1 (a store written by an older Carnet keeps working; its
                # older rows have them empty and FHIR reads the PDF instead).
                have = {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
                for name, kind in _ADDED_COLUMNS:
                    if name not in have:
                        conn.execute(f"ALTER TABLE documents ADD COLUMN {name} {kind}")
                have = {row[1] for row in conn.execute("PRAGMA table_info(lab_values)")}
                for name, kind in _ADDED_LAB_COLUMNS:
                    if name not in have:
                        conn.execute(f"ALTER TABLE lab_values ADD COLUMN {name} {kind}")
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                conn.commit()
            finally:
                conn.close()
            self._initialised = True

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.conn.close()
            self._local.db = None

    # --- patients ------------------------------------------------------------------------------------

    def patient(self, patient_id: str) -> dict:
        row = self.db.execute("SELECT * FROM patients WHERE id = ?", [patient_id]).fetchone()
        if row is None:
            raise UnknownPatient(patient_id)
        return dict(zip(["num", "id", "name", "next_chunk_seq", "vectors_version", "created_at"], row))

    def patients(self, search: str | None = None, limit: int = 50) -> list[dict]:
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
        return [
            {"id": r[0], "name": r[1], "document_count": r[2], "latest_date": r[3]}
            for r in self.db.execute(sql, params).fetchall()
        ]

    def ensure_patient(self, patient_id: str, name: str | None = None) -> dict:
        self.db.execute(
            "INSERT INTO patients(id, name, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING",
            [patient_id, name, _now()],
        )
        if name:
            self.db.execute("UPDATE patients SET name = ? WHERE id = ? AND name IS NULL", [name, patient_id])
        return self.patient(patient_id)

    # --- documents -----------------------------------------------------------------------------------

    def find_by_content(self, patient_id: str, content_sha256: str) -> dict | None:
        row = self.db.execute(
            "SELECT d.id, d.source FROM documents d JOIN patients p ON p.num = d.patient_num "
            "WHERE p.id = ? AND d.content_sha256 = ?",
            [patient_id, content_sha256],
        ).fetchone()
        return {"id": row[0], "source": row[1]} if row else None

    def add_duplicate_file(self, document_id: str, source: str) -> bool:
        """Record another file with the same bytes as a stored document. True if it was new."""
        cur = self.db.execute(
            "INSERT OR IGNORE INTO document_files(document_id, source) VALUES (?, ?)", [document_id, source]
        )
        if cur.rowcount > 0:  # the document's row lists its files (Store.documents' cache is keyed by version)
            self._bump_version(self.db.conn, [document_id])
        return cur.rowcount > 0

    @staticmethod
    def _bump_version(conn: sqlite3.Connection, document_ids: Iterable[str]) -> None:
        """A write to these documents' rows: their patients' `vectors_version` goes up (Store.documents)."""
        ids = list(document_ids)
        marks = ",".join("?" * len(ids))
        conn.execute("UPDATE patients SET vectors_version = vectors_version + 1 WHERE num IN "
                     f"(SELECT patient_num FROM documents WHERE id IN ({marks}))", ids)

    def add_document(
        self,
        *,
        patient_id: str,
        content_sha256: str,
        source: str,
        meta: DocMeta,
        chunks: Sequence[Chunk],
        vectors: np.ndarray | None,
        page_count: int,
        ocr_pages: Sequence[int],
        ocr_confidence: float | None,
        fingerprint: str | None,
        file_size: int,
        pdf_bytes: bytes,
        lab_values: Sequence[dict] = (),
        facts: Sequence[Fact] = (),
        versioning: dict | None = None,
        coded_entries: Sequence[dict] = (),
        passages: Sequence[str] | None = None,
    ) -> str:
        """Write one document, its chunks, vectors, FTS rows, lab values and facts in a single transaction.

        `vectors=None`: the chunks are written without vectors and listed as pending (see `pending_chunks`),
        each with the text its vector is to be computed from (`passages`, default: the chunk's text); the
        document is found by words and filters at once, by meaning once `set_vectors` has run."""
        if vectors is not None and len(chunks) != len(vectors):
            raise ValueError(f"{len(chunks)} chunks but {len(vectors)} vectors")
        if passages is not None and len(chunks) != len(passages):
            raise ValueError(f"{len(chunks)} chunks but {len(passages)} passages")
        document_id = document_id_for(patient_id, content_sha256)
        # The PDF before the row (a row without its PDF is broken); removed again if the row cannot be written.
        wrote_pdf = self._write_pdf(document_id, pdf_bytes)
        type_code = codes.current_type_code(meta.type_code)
        db = self.db
        conn = db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            patient = self.ensure_patient(patient_id)
            row = {
                "id": document_id,
                "patient_num": patient["num"],
                "content_sha256": content_sha256,
                "source": source,
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
                "page_count": page_count,
                "ocr_pages": json.dumps(list(ocr_pages)),
                "ocr_confidence": ocr_confidence,
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
                "fingerprint": fingerprint,
                "file_size": file_size,
                "ingested_at": _now(),
                "pdf_sha1": hashlib.sha1(pdf_bytes).hexdigest() if pdf_bytes else None,
                "pdf_size": len(pdf_bytes) or None,
                "facts_version": FACTS_VERSION,
                "confidentiality": ",".join(meta.confidentiality) or None,
                "author_id": meta.author_id,
                "cda_id": (versioning or {}).get("cda_id"),
                "set_id": (versioning or {}).get("set_id"),
                "version_number": (versioning or {}).get("version_number"),
                "coded_entries": json.dumps(list(coded_entries), ensure_ascii=False) if coded_entries else None,
            }
            _insert(conn, "documents", row)
            seq = patient["next_chunk_seq"]
            base = patient["num"] << PATIENT_SHIFT
            chunk_rows = []
            for i, c in enumerate(chunks):
                blob = b"" if vectors is None else np.asarray(vectors[i], dtype=np.float32).tobytes()
                chunk_rows.append(
                    (base + seq + i, document_id, c.page, c.char_start, c.char_end, c.section, c.text, blob)
                )
            conn.executemany(
                "INSERT INTO chunks(id, document_id, page, char_start, char_end, section, text, vector) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                chunk_rows,
            )
            conn.executemany(
                "INSERT INTO chunks_fts(rowid, text) VALUES (?, ?)", [(r[0], fold(r[6])) for r in chunk_rows]
            )
            conn.executemany("INSERT INTO chunks_stem(rowid, body, key) VALUES (?, ?, ?)",
                             [(r[0], *stem_row(r[6], meta.title)) for r in chunk_rows])
            if vectors is None:
                conn.executemany("INSERT INTO pending_vectors(chunk_id, document_id, passage) VALUES (?, ?, ?)",
                                 [(r[0], document_id, passages[i] if passages is not None else r[6])
                                  for i, r in enumerate(chunk_rows)])
            for lv in lab_values:
                _insert(conn, "lab_values", {"document_id": document_id, **lv})
            self._write_facts(conn, patient["num"], document_id, facts)
            conn.execute(
                "UPDATE patients SET next_chunk_seq = next_chunk_seq + ?, vectors_version = vectors_version + 1 "
                "WHERE num = ?",
                [len(chunk_rows), patient["num"]],
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if wrote_pdf:
                self.pdf_path(document_id).unlink(missing_ok=True)
            raise
        return document_id

    def _write_pdf(self, document_id: str, pdf_bytes: bytes) -> bool:
        """Write the stored copy of a document's PDF; False if it was there already (or there is none)."""
        target = self.pdf_path(document_id)
        if target.exists() or not pdf_bytes:
            return False
        tmp = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(pdf_bytes)
        tmp.replace(target)
        return True

    def write_original(self, document_id: str, data: bytes, suffix: str) -> None:
        """Keep the source file when the stored PDF is a rendering of it (a level-3 CDA's XML)."""
        target = self.pdf_dir.parent / "originals" / f"{document_id}{suffix}"
        self._ensure_schema()
        if target.exists():
            return
        target.parent.mkdir(exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)

    def original_path(self, document_id: str) -> Path | None:
        """The source file kept by `write_original`, if any."""
        self._ensure_schema()
        found = sorted((self.home / "originals").glob(f"{document_id}.*"))
        return found[0] if found else None

    def version_candidates(self, patient_id: str, set_id: str | None, cda_ids: Sequence[str]) -> list[dict]:
        """The patient's documents of one CDA set, or with one of these CDA ids (the versions a new one replaces)."""
        try:
            patient = self.patient(patient_id)
        except UnknownPatient:
            return []
        ids = [i for i in cda_ids if i]
        clauses, params = [], [patient["num"]]
        if set_id:
            clauses.append("set_id = ?")
            params.append(set_id)
        if ids:
            clauses.append(f"cda_id IN ({','.join('?' * len(ids))})")
            params += ids
        if not clauses:
            return []
        cur = self.db.execute(
            f"SELECT id, cda_id, set_id, version_number, ingested_at FROM documents WHERE patient_num = ? "
            f"AND ({' OR '.join(clauses)})", params)
        names = ["id", "cda_id", "set_id", "version_number", "ingested_at"]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def pdf_path(self, document_id: str) -> Path:
        self._ensure_schema()
        return self.pdf_dir / f"{document_id}.pdf"

    def _document_rows(self, where: str, params: Sequence) -> list[dict]:
        cur = self.db.execute(
            "SELECT d.*, p.id AS patient_id, "
            "(SELECT json_group_array(source) FROM document_files f WHERE f.document_id = d.id) AS duplicate_sources "
            f"FROM documents d JOIN patients p ON p.num = d.patient_num WHERE {where}",
            list(params),
        )
        names = [c[0] for c in cur.description]
        rows = []
        for r in cur.fetchall():
            row = dict(zip(names, r))
            for key in ("exam_keys", "analyte_keys", "sections", "ocr_pages", "duplicate_sources", "coded_entries"):
                row[key] = json.loads(row[key]) if row[key] else []
            row["is_noise"] = bool(row["is_noise"])
            row["specialty_candidates"] = json.loads(row["extra"]).get("specialty_candidates", []) if row.get("extra") else []
            rows.append(row)
        return rows

    def documents(self, patient_id: str) -> list[dict]:
        """All of a patient's documents, most recent act first (undated last).

        Kept in memory per patient and `vectors_version`, which every write to a patient's document rows
        bumps (add_document, set_vectors, add_duplicate_file, set_canonical, replace_facts): a question no
        longer re-reads and re-decodes the patient's rows. The version is read before the rows, so an entry
        is never older than its key. Each call gets its own copies of the rows."""
        patient = self.patient(patient_id)
        key = (patient["num"], patient["vectors_version"])
        with self._documents_lock:
            rows = self._documents_cache.get(patient_id)
        if rows is None or rows[0] != key:
            fresh = self._document_rows("d.patient_num = ?", [patient["num"]])
            fresh.sort(key=lambda r: (r["service_date"] or "", r["ingested_at"]), reverse=True)
            rows = (key, fresh)
            with self._documents_lock:
                self._documents_cache[patient_id] = rows
                self._documents_cache.move_to_end(patient_id)
                while len(self._documents_cache) > DOCUMENTS_CACHE_PATIENTS:
                    self._documents_cache.popitem(last=False)
        return [dict(r) for r in rows[1]]

    def document(self, document_id: str) -> dict:
        rows = self._document_rows("d.id = ?", [document_id])
        if not rows:
            raise UnknownDocument(document_id)
        return rows[0]

    def near_duplicate_candidates(self, patient_id: str, type_code: str | None) -> list[dict]:
        """The patient's documents of one type with their fingerprints (for near-duplicate linking)."""
        try:
            patient = self.patient(patient_id)
        except UnknownPatient:
            return []
        cur = self.db.execute(
            "SELECT id, fingerprint, service_date, title, canonical_id, type_code FROM documents "
            "WHERE patient_num = ? AND type_code IS ? AND fingerprint IS NOT NULL",
            [patient["num"], type_code],
        )
        names = ["id", "fingerprint", "service_date", "title", "canonical_id", "type_code"]
        return [dict(zip(names, r)) for r in cur.fetchall()]

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
            self._bump_version(conn, [canonical_id])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    # --- chunks --------------------------------------------------------------------------------------

    def chunk_vectors(self, patient_num: int) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of a patient's embedded chunks (pending ones left out): a rowid range scan."""
        lo, hi = chunk_id_range(patient_num)
        rows = self.db.execute("SELECT id, vector FROM chunks WHERE id BETWEEN ? AND ? AND length(vector) > 0 "
                               "ORDER BY id", [lo, hi]).fetchall()
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        vectors = np.stack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
        return ids, vectors

    def chunk_ids_for_documents(self, document_ids: Sequence[str]) -> np.ndarray:
        if not document_ids:
            return np.zeros(0, dtype=np.int64)
        marks = ",".join("?" * len(document_ids))
        rows = self.db.execute(f"SELECT id FROM chunks WHERE document_id IN ({marks})", list(document_ids)).fetchall()
        return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))

    def chunks(self, chunk_ids: Sequence[int]) -> dict[int, dict]:
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        cur = self.db.execute(
            f"SELECT id, document_id, page, char_start, char_end, section, text FROM chunks WHERE id IN ({marks})",
            [int(c) for c in chunk_ids],
        )
        names = ["id", "document_id", "page", "char_start", "char_end", "section", "text"]
        return {r[0]: dict(zip(names, r)) for r in cur.fetchall()}

    def document_chunks(self, document_id: str) -> list[dict]:
        cur = self.db.execute(
            "SELECT id, document_id, page, char_start, char_end, section, text FROM chunks "
            "WHERE document_id = ? ORDER BY id",
            [document_id],
        )
        names = ["id", "document_id", "page", "char_start", "char_end", "section", "text"]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def search_text(self, patient_num: int, words: Iterable[str], limit: int = 50) -> list[tuple[int, float]]:
        """BM25 over one patient's chunks: (chunk id, score), best first; higher is better."""
        match = fts_query(words)
        if match is None:
            return []
        lo, hi = chunk_id_range(patient_num)
        # Sorted here, not by FTS5's "ORDER BY rank": one patient's matches are few, and FTS5's sorter took
        # twice as long on a 100,000-patient store (27 against 14 ms for "diabète" and its concept words).
        rows = self.db.execute(
            "SELECT rowid, bm25(chunks_fts) FROM chunks_fts WHERE chunks_fts MATCH ? AND rowid BETWEEN ? AND ?",
            [match, lo, hi],
        ).fetchall()
        rows.sort(key=lambda r: (r[1], r[0]))  # bm25() is lower for better matches
        return [(r[0], -r[1]) for r in rows[:limit]]

    def search_stems(self, patient_num: int, match: str, key_weight: float = 1.0,
                     limit: int = 50) -> list[tuple[int, float]]:
        """BM25 over one patient's stemmed chunks (`match` is an FTS5 expression over stems, built by the
        caller from quoted stems): (chunk id, score), best first, higher is better. `key_weight` is the
        weight of the title and key lines against the whole chunk's 1."""
        lo, hi = chunk_id_range(patient_num)
        rows = self.db.execute(
            "SELECT rowid, bm25(chunks_stem, 1.0, ?) FROM chunks_stem "
            "WHERE chunks_stem MATCH ? AND rowid BETWEEN ? AND ?",
            [float(key_weight), match, lo, hi],
        ).fetchall()
        rows.sort(key=lambda r: (r[1], r[0]))
        return [(r[0], -r[1]) for r in rows[:limit]]

    def patient_chunk_count(self, patient_num: int) -> int:
        """How many chunks the patient has (a count over the patient's rowid range of the chunk table)."""
        lo, hi = chunk_id_range(patient_num)
        return self.db.execute("SELECT COUNT(*) FROM chunks WHERE id BETWEEN ? AND ?", [lo, hi]).fetchone()[0]

    def match_stems(self, patient_num: int, match: str) -> list[int]:
        """The ids of one patient's stemmed chunks matching `match` (an FTS5 expression over quoted stems),
        in id order. No bm25(): its IDF counts each term's rows over the whole table, so its cost grows with
        every other patient's chunks (30 ms a question at 100,000 patients); a match alone is bounded by the
        patient's rowid range."""
        lo, hi = chunk_id_range(patient_num)
        rows = self.db.execute("SELECT rowid FROM chunks_stem WHERE chunks_stem MATCH ? AND rowid BETWEEN ? AND ?",
                               [match, lo, hi]).fetchall()
        return sorted(r[0] for r in rows)

    # --- vectors written after the text (lexical first) ----------------------------------------------------

    def pending_chunks(self, limit: int = 64, patient_num: int | None = None) -> list[tuple[int, str]]:
        """(chunk id, passage to embed) of up to `limit` chunks stored without their vector, lowest id first
        (a patient's chunks together), of one patient or of the whole store. Empty when all have vectors."""
        lo, hi = chunk_id_range(patient_num) if patient_num is not None else (0, (1 << 63) - 1)
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT chunk_id, passage FROM pending_vectors WHERE chunk_id BETWEEN ? AND ? ORDER BY chunk_id LIMIT ?",
            [lo, hi, int(limit)]).fetchall()]

    def pending_count(self) -> int:
        """How many chunks wait for their vector, over the whole store."""
        return self.db.execute("SELECT COUNT(*) FROM pending_vectors").fetchone()[0]

    def pending_documents(self, patient_num: int) -> set[str]:
        """The patient's documents that have a chunk without its vector yet (not searchable by meaning):
        a rowid range of the small pending table, empty in a store at rest."""
        lo, hi = chunk_id_range(patient_num)
        return {r[0] for r in self.db.execute(
            "SELECT DISTINCT document_id FROM pending_vectors WHERE chunk_id BETWEEN ? AND ?", [lo, hi]).fetchall()}

    def set_vectors(self, vectors: dict[int, np.ndarray]) -> dict[int, int]:
        """Write the vectors of pending chunks (chunk id -> vector) in one transaction, and bump the
        `vectors_version` of each patient concerned so that their vector files are rebuilt. A chunk that is
        no longer pending (another process wrote it first) is left as it is. Returns {patient number: new
        vectors_version} of the patients whose chunks got vectors."""
        conn = self.db.conn
        patients: set[int] = set()
        conn.execute("BEGIN IMMEDIATE")
        try:
            for chunk_id, vector in vectors.items():
                done = conn.execute("DELETE FROM pending_vectors WHERE chunk_id = ?", [int(chunk_id)]).rowcount
                if done:
                    conn.execute("UPDATE chunks SET vector = ? WHERE id = ?",
                                 [np.asarray(vector, dtype=np.float32).tobytes(), int(chunk_id)])
                    patients.add(int(chunk_id) >> PATIENT_SHIFT)
            versions = {}
            for num in sorted(patients):
                conn.execute("UPDATE patients SET vectors_version = vectors_version + 1 WHERE num = ?", [num])
                versions[num] = conn.execute("SELECT vectors_version FROM patients WHERE num = ?", [num]).fetchone()[0]
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return versions

    def lab_values(self, patient_id: str) -> list[dict]:
        patient = self.patient(patient_id)
        cur = self.db.execute(
            "SELECT l.*, d.service_date, d.source FROM lab_values l JOIN documents d ON d.id = l.document_id "
            "WHERE d.patient_num = ? AND d.canonical_id IS NULL ORDER BY l.analyte, d.service_date",
            [patient["num"]],
        )
        names = [c[0] for c in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    # --- facts ---------------------------------------------------------------------------------------

    @staticmethod
    def _write_facts(conn: sqlite3.Connection, patient_num: int, document_id: str, facts: Sequence[Fact]) -> None:
        """Inside the caller's transaction: the document's facts replace any it had."""
        conn.execute("DELETE FROM facts WHERE document_id = ?", [document_id])
        names = ", ".join(f'"{c}"' for c in _FACT_COLUMNS)
        marks = ", ".join("?" * (len(_FACT_COLUMNS) + 1))
        rows = []
        for f in facts:
            row = f.as_row()
            row["document_id"] = document_id
            rows.append([patient_num] + [row[c] for c in _FACT_COLUMNS])
        conn.executemany(f"INSERT INTO facts (patient_num, {names}) VALUES ({marks})", rows)

    def replace_facts(self, document_id: str, facts: Sequence[Fact]) -> None:
        """Write a stored document's facts again (a new extractor run over an older store), in one transaction."""
        row = self.db.execute("SELECT patient_num FROM documents WHERE id = ?", [document_id]).fetchone()
        if row is None:
            raise UnknownDocument(document_id)
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            self._write_facts(conn, row[0], document_id, facts)
            conn.execute("UPDATE documents SET facts_version = ? WHERE id = ?", [FACTS_VERSION, document_id])
            self._bump_version(conn, [document_id])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def facts_outdated(self, document_id: str) -> bool:
        """Whether the document's facts were never read, or read by an older extractor."""
        row = self.db.execute("SELECT facts_version FROM documents WHERE id = ?", [document_id]).fetchone()
        return row is not None and (row[0] or 0) < FACTS_VERSION

    def facts(self, patient_id: str, kinds: Sequence[str] = (), *, include_duplicates: bool = False) -> list[Fact]:
        """A patient's facts (all kinds, or those asked for), most recent act first. Facts of a near duplicate
        (a document another version replaces) are left out unless asked for: the canonical version states them."""
        patient = self.patient(patient_id)
        names = ", ".join(f'f."{c}"' for c in _FACT_COLUMNS)
        sql = (f"SELECT {names} FROM facts f JOIN documents d ON d.id = f.document_id WHERE f.patient_num = ?")
        params: list = [patient["num"]]
        if kinds:
            sql += f" AND f.kind IN ({','.join('?' * len(kinds))})"
            params += list(kinds)
        if not include_duplicates:
            sql += " AND d.canonical_id IS NULL"
        sql += " ORDER BY f.service_date DESC, f.id"
        return [Fact.from_row(dict(zip(_FACT_COLUMNS, r))) for r in self.db.execute(sql, params).fetchall()]

    def document_facts(self, document_id: str) -> list[Fact]:
        names = ", ".join(f'"{c}"' for c in _FACT_COLUMNS)
        rows = self.db.execute(f"SELECT {names} FROM facts WHERE document_id = ? ORDER BY id", [document_id]).fetchall()
        return [Fact.from_row(dict(zip(_FACT_COLUMNS, r))) for r in rows]

    def counts(self) -> dict:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "patients": one("SELECT COUNT(*) FROM patients"),
            "documents": one("SELECT COUNT(*) FROM documents"),
            "chunks": one("SELECT COUNT(*) FROM chunks"),
        }

    def iter_patients(self) -> Iterator[dict]:
        for r in self.db.execute("SELECT num, id, vectors_version FROM patients ORDER BY num").fetchall():
            yield {"num": r[0], "id": r[1], "vectors_version": r[2]}


def parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
