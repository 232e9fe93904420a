"""The PostgreSQL schema: the SQLite store's records (index/sqlite/, schema version 6), keyed by patient.

Every table that holds patient data has `patient_id` as the first column of its primary key: it is the
distribution column on Citus (docs/scale-out.md), and every query the store runs names it first, so that
a question only ever reads one patient's rows, on one shard. Two small lookup tables route the calls that
only carry an id (a document id, a chunk id) to their patient: `document_patients` (distributed by document
id) and `patient_numbers` (by patient number, the high bits of a chunk id).

Dates stay ISO-8601 text as in SQLite (the same comparisons and the same order); JSON lists stay JSON text.
Vectors are pgvector `vector` columns, searched exactly within the patient through the primary key's
B-tree on (patient_id, id) (no ANN index: a patient's chunks are a few hundred at most, an exact scan of
them is cheaper than an approximate index and never misses). A chunk stored before its vector (lexical
first) has a NULL embedding and a row in `pending_vectors`. Full text: `to_tsvector('simple', ...)` over the
text folded (lowercase, no accents) and over Carnet's own French + English stems (index/terms.py; the
`simple` configuration keeps them as they are), so that a question finds the same chunks as on SQLite;
the store checks phrases, NEAR and the key-line column in Python on the candidates (index/postgres/fts.py).
"""

from __future__ import annotations

from carnet.errors import StoreUnavailable

SCHEMA_VERSION = 6  # the SQLite schema version whose records these tables hold (6: pending_vectors)

# One statement per item: psycopg sends them one by one (a DO block would hide which one failed).
DDL: tuple[str, ...] = (
    "CREATE EXTENSION IF NOT EXISTS vector",
    """CREATE TABLE IF NOT EXISTS carnet_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    # A patient's number is the high bits of each of its chunk ids (as in SQLite): ids stay unique over the
    # whole store and a migrated store keeps its ids.
    "CREATE SEQUENCE IF NOT EXISTS patient_num_seq",
    """CREATE TABLE IF NOT EXISTS patients (
        patient_id TEXT NOT NULL,
        num BIGINT NOT NULL,
        name TEXT,
        next_chunk_seq BIGINT NOT NULL DEFAULT 0,
        vectors_version BIGINT NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        PRIMARY KEY (patient_id)
    )""",
    """CREATE TABLE IF NOT EXISTS patient_numbers (
        num BIGINT NOT NULL,
        patient_id TEXT NOT NULL,
        PRIMARY KEY (num)
    )""",
    """CREATE TABLE IF NOT EXISTS documents (
        patient_id TEXT NOT NULL,
        id TEXT NOT NULL,
        content_sha256 TEXT NOT NULL,
        source TEXT NOT NULL,
        title TEXT,
        type_code TEXT,
        type_confidence DOUBLE PRECISION,
        class_code TEXT,
        specialty_code TEXT,
        specialty_group TEXT,
        specialty_confidence DOUBLE PRECISION,
        service_date TEXT,
        service_end_date TEXT,
        date_confidence DOUBLE PRECISION,
        author TEXT,
        organisation TEXT,
        language TEXT,
        page_count INTEGER,
        ocr_pages TEXT,
        ocr_confidence DOUBLE PRECISION,
        is_noise BOOLEAN NOT NULL DEFAULT FALSE,
        noise_reason TEXT,
        canonical_id TEXT,
        duplicate_kind TEXT,
        metadata_source TEXT,
        exam_keys TEXT,
        analyte_keys TEXT,
        sections TEXT,
        fingerprint TEXT,
        file_size BIGINT,
        ingested_at TEXT NOT NULL,
        extra TEXT,
        cda_id TEXT,
        set_id TEXT,
        version_number INTEGER,
        coded_entries TEXT,
        pdf_sha1 TEXT,
        pdf_size BIGINT,
        confidentiality TEXT,
        author_id TEXT,
        facts_version INTEGER,
        PRIMARY KEY (patient_id, id),
        UNIQUE (patient_id, content_sha256)
    )""",
    "CREATE INDEX IF NOT EXISTS documents_patient_date ON documents (patient_id, service_date)",
    """CREATE TABLE IF NOT EXISTS document_patients (
        document_id TEXT NOT NULL,
        patient_id TEXT NOT NULL,
        PRIMARY KEY (document_id)
    )""",
    """CREATE TABLE IF NOT EXISTS document_files (
        patient_id TEXT NOT NULL,
        document_id TEXT NOT NULL,
        source TEXT NOT NULL,
        PRIMARY KEY (patient_id, document_id, source)
    )""",
    # stem_body / stem_key: Carnet's stems of the chunk and of its title and key lines (the SQLite store's
    # chunks_stem columns); folded_tokens / stem_tokens: their token counts (BM25's document length).
    """CREATE TABLE IF NOT EXISTS chunks (
        patient_id TEXT NOT NULL,
        id BIGINT NOT NULL,
        document_id TEXT NOT NULL,
        page INTEGER NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        section TEXT,
        text TEXT NOT NULL,
        embedding vector,
        folded TEXT NOT NULL,
        stem_body TEXT NOT NULL,
        stem_key TEXT NOT NULL,
        folded_tokens INTEGER NOT NULL,
        stem_tokens INTEGER NOT NULL,
        folded_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', folded)) STORED,
        stem_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', stem_body || ' ' || stem_key)) STORED,
        PRIMARY KEY (patient_id, id)
    )""",
    "CREATE INDEX IF NOT EXISTS chunks_document ON chunks (patient_id, document_id)",
    # Chunks stored before their vectors (lexical first): what each vector is computed from.
    """CREATE TABLE IF NOT EXISTS pending_vectors (
        patient_id TEXT NOT NULL,
        chunk_id BIGINT NOT NULL,
        document_id TEXT NOT NULL,
        passage TEXT NOT NULL,
        PRIMARY KEY (patient_id, chunk_id)
    )""",
    "CREATE INDEX IF NOT EXISTS pending_vectors_chunk ON pending_vectors (chunk_id)",
    """CREATE TABLE IF NOT EXISTS lab_values (
        patient_id TEXT NOT NULL,
        document_id TEXT NOT NULL,
        analyte TEXT NOT NULL,
        label TEXT,
        value DOUBLE PRECISION,
        unit TEXT,
        low DOUBLE PRECISION,
        high DOUBLE PRECISION,
        flag TEXT,
        page INTEGER,
        loinc TEXT,
        ucum TEXT,
        origin TEXT,
        confidence DOUBLE PRECISION,
        UNIQUE (patient_id, document_id, analyte, label)
    )""",
    """CREATE TABLE IF NOT EXISTS facts (
        patient_id TEXT NOT NULL,
        id BIGINT GENERATED BY DEFAULT AS IDENTITY,
        document_id TEXT NOT NULL,
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
        confidence DOUBLE PRECISION,
        PRIMARY KEY (patient_id, id)
    )""",
    "CREATE INDEX IF NOT EXISTS facts_patient ON facts (patient_id, kind)",
    "CREATE INDEX IF NOT EXISTS facts_document ON facts (patient_id, document_id)",
    # Access control: grants may precede the patient's first document (they name the patient's identifier).
    """CREATE TABLE IF NOT EXISTS grants (
        patient_id TEXT NOT NULL,
        practitioner TEXT NOT NULL,
        granted_by TEXT NOT NULL,
        granted_at TEXT NOT NULL,
        PRIMARY KEY (patient_id, practitioner)
    )""",
    "CREATE INDEX IF NOT EXISTS grants_practitioner ON grants (practitioner)",
    """CREATE TABLE IF NOT EXISTS break_glass (
        patient_id TEXT NOT NULL,
        id BIGINT GENERATED BY DEFAULT AS IDENTITY,
        practitioner TEXT NOT NULL,
        reason TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        PRIMARY KEY (patient_id, id)
    )""",
    "CREATE INDEX IF NOT EXISTS break_glass_open ON break_glass (patient_id, practitioner, expires_at)",
    # An event without a patient (a refused request that named none) has patient_id '' (a distribution
    # column cannot be NULL); the store reads '' back as None.
    """CREATE TABLE IF NOT EXISTS audit_events (
        patient_id TEXT NOT NULL,
        id BIGINT GENERATED BY DEFAULT AS IDENTITY,
        recorded_at TEXT NOT NULL,
        actor TEXT,
        actor_role TEXT,
        actor_name TEXT,
        action TEXT NOT NULL,
        question TEXT,
        document_ids TEXT,
        break_glass BOOLEAN NOT NULL DEFAULT FALSE,
        reason TEXT,
        outcome TEXT NOT NULL,
        detail TEXT,
        PRIMARY KEY (patient_id, id)
    )""",
    "CREATE INDEX IF NOT EXISTS audit_events_id ON audit_events (id)",
    # The audit log is append-only, as in SQLite: UPDATE, DELETE and TRUNCATE are refused.
    """CREATE OR REPLACE FUNCTION carnet_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$""",
    "DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events",
    """CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION carnet_audit_append_only()""",
    "DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events",
    """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION carnet_audit_append_only()""",
)

# Patient-keyed tables and their distribution on Citus (docs/scale-out.md), in creation order.
DISTRIBUTED = ("patients", "documents", "document_files", "chunks", "pending_vectors", "lab_values", "facts",
               "grants", "break_glass", "audit_events")
REFERENCE = ("carnet_meta",)
LOOKUP = {"document_patients": "document_id", "patient_numbers": "num"}


def create(conn) -> None:
    """Create whatever is missing, in one transaction; serialised by an advisory lock (two servers starting
    at once would otherwise race on CREATE ... IF NOT EXISTS)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(7165230)")
        have = conn.execute("SELECT value FROM carnet_meta WHERE key = 'schema_version'").fetchone() \
            if _exists(conn, "carnet_meta") else None
        if have is not None and int(have[0]) == SCHEMA_VERSION:
            return
        if have is not None and int(have[0]) > SCHEMA_VERSION:
            raise StoreUnavailable(f"The database holds Carnet schema version {have[0]}; this Carnet reads "
                                   f"version {SCHEMA_VERSION}. Upgrade Carnet.")
        for statement in DDL:
            conn.execute(statement)
        conn.execute("INSERT INTO carnet_meta (key, value) VALUES ('schema_version', %s) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [str(SCHEMA_VERSION)])


def _exists(conn, table: str) -> bool:
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL", [table]).fetchone()[0]
