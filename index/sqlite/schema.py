"""The SQLite store's schema, its migrations of older files and the key arithmetic every part shares.

SQLite is the source of truth; the per-patient FAISS files (index/vectors.py) are derived from the
vectors kept here and can always be rebuilt. Chunk ids are (patient number << 36) + a per-patient
sequence: all of a patient's chunks lie in one rowid range, so FTS5 and the vector files can be searched
for one patient without touching anyone else's rows (the cost of a question does not grow with the
number of other patients).
"""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timezone
from typing import Iterable

from carnet.facts import Fact
from carnet.text import fold
from index.protocol import document_id_for  # noqa: F401 (the store's ids, shared by every store)
from index.terms import key_text, stemmed_text

PATIENT_SHIFT = 36  # chunk id = patient_num << 36 | sequence: 2^36 chunks per patient, 2^27 patients
SCHEMA_VERSION = 7  # 7: audit_events_last_opened (the index of last_opened); 4: chunks_stem (stemmed FTS of chunks, filled when an older store is opened); 5: confidentiality, author_id; grants, break_glass, audit_events; CDA versions and coded entries; 6: pending_vectors
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
FACT_COLUMNS = tuple(Fact.__dataclass_fields__)

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
-- Access control (service/access.py, index/sqlite/access.py): care-team grants, break-glass windows and the
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
-- Version 7: Access.last_opened (every question: "since my last visit") reads MAX(recorded_at) of one
-- practitioner's allowed accesses to one patient. It used to walk every event of the patient (a row
-- per question ever asked on the record); with this partial index it is one seek.
CREATE INDEX IF NOT EXISTS audit_events_last_opened ON audit_events(actor, patient_id, recorded_at)
    WHERE outcome = 'allowed' AND actor_role = 'practitioner';
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


_FTS_WORD = re.compile(r"[\w]+", re.UNICODE)


def chunk_id_range(patient_num: int) -> tuple[int, int]:
    """Inclusive rowid range of a patient's chunks."""
    lo = patient_num << PATIENT_SHIFT
    return lo, lo + (1 << PATIENT_SHIFT) - 1


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


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the tables of a new file, or bring an older store's file to SCHEMA_VERSION (its older rows keep
    the added columns empty), in the caller's connection; commits."""
    # A chunk row (900 characters + a 1.5 KB vector) is over half a 4 KB page: with the
    # default page size SQLite wastes nearly half the file. Only takes effect on a new file.
    conn.execute("PRAGMA page_size=16384")
    had_stems = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'chunks_stem'").fetchone() is not None
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


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
