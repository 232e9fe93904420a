"""Copy a SQLite store into an empty PostgreSQL database (`carnet db migrate --to URL --home H`).

Everything the SQLite store holds is copied with its ids (patient numbers, chunk ids, fact, break-glass and
audit ids), so that a migrated store answers as the original does: patients, documents and their other
files, chunks with their vectors (a pending chunk stays pending), lab values, facts, grants, break-glass
windows and the audit log. The stems of each chunk are computed again (SQLite's stemmed index keeps none).
Rows go in batches (executemany) in one transaction: a failed migration leaves the target empty. The
target must hold no document (refused otherwise: a second copy would mix two stores' numbers). The PDFs stay
where they are: run the service on PostgreSQL with the same --home (CARNET_HOME).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import psycopg
from pgvector.psycopg import register_vector

from carnet.errors import CarnetError
from carnet.models import Chunk
from index.postgres import schema
from index.postgres.documents import chunk_row
from index.postgres.facts import LAB_COLUMNS
from index.sqlite.schema import FACT_COLUMNS

BATCH = 1000
TABLES = ("patients", "documents", "document_files", "chunks", "pending_vectors", "lab_values", "facts", "grants",
          "break_glass", "audit_events")


class MigrationRefused(CarnetError):
    """The target is not an empty Carnet database, or the source is not a SQLite store."""


def _batches(cur: sqlite3.Cursor):
    while rows := cur.fetchmany(BATCH):
        yield rows


def _insert(conn: psycopg.Connection, table: str, names: list[str], rows) -> None:
    sql = (f"INSERT INTO {table} ({', '.join(chr(34) + n + chr(34) for n in names)}) "
           f"VALUES ({', '.join(['%s'] * len(names))})")
    with conn.cursor() as cur:
        cur.executemany(sql, rows)


def source_counts(lite: sqlite3.Connection) -> dict[str, int]:
    return {t: lite.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


def target_counts(conn: psycopg.Connection) -> dict[str, int]:
    return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


def migrate(home: Path, url: str) -> dict[str, tuple[int, int]]:
    """Copy the store in `home` into the database at `url`; {table: (rows in SQLite, rows in PostgreSQL)}.
    Raises MigrationRefused when the target already holds documents or the counts differ (rolled back)."""
    path = Path(home) / "carnet.db"
    if not path.is_file():
        raise MigrationRefused(f"no SQLite store at {path}")
    lite = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return _migrate(lite, url)
    except psycopg.OperationalError as e:
        raise MigrationRefused(f"cannot reach PostgreSQL at the --to URL: {str(e).strip()}") from e
    finally:
        lite.close()


def _migrate(lite: sqlite3.Connection, url: str) -> dict[str, tuple[int, int]]:
    with psycopg.connect(url, autocommit=True) as conn:
        schema.create(conn)
        register_vector(conn)
        if conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]:
            raise MigrationRefused("the target database already holds documents: migrate into an empty one")
        expected = source_counts(lite)
        with conn.transaction():
            _copy(lite, conn)
            got = target_counts(conn)
            if got != expected:
                raise MigrationRefused(f"counts differ after the copy (rolled back): SQLite {expected}, "
                                       f"PostgreSQL {got}")
        return {t: (expected[t], got[t]) for t in TABLES}


def _copy(lite: sqlite3.Connection, conn: psycopg.Connection) -> None:
    patients = dict(lite.execute("SELECT num, id FROM patients").fetchall())
    rows = lite.execute("SELECT id, num, name, next_chunk_seq, vectors_version, created_at FROM patients").fetchall()
    _insert(conn, "patients", ["patient_id", "num", "name", "next_chunk_seq", "vectors_version", "created_at"], rows)
    _insert(conn, "patient_numbers", ["num", "patient_id"], [(r[1], r[0]) for r in rows])
    if rows:
        conn.execute("SELECT setval('patient_num_seq', %s)", [max(r[1] for r in rows)])
    cur = lite.execute("SELECT * FROM documents ORDER BY rowid")  # write order: PostgreSQL numbers it (seq)
    names = [c[0] for c in cur.description]

    pg_names = ["patient_id"] + [n for n in names if n != "patient_num"]
    titles: dict[str, str | None] = {}
    owners: dict[str, str] = {}
    for batch in _batches(cur):
        out = []
        for r in batch:
            row = dict(zip(names, r))
            pid = patients[row.pop("patient_num")]
            row["is_noise"] = bool(row["is_noise"])
            titles[row["id"]], owners[row["id"]] = row["title"], pid
            out.append([pid, *(row[n] for n in pg_names[1:])])
        _insert(conn, "documents", pg_names, out)
        _insert(conn, "document_patients", ["document_id", "patient_id"], [(o[pg_names.index("id")], o[0]) for o in out])
    _insert(conn, "document_files", ["patient_id", "document_id", "source"],
            [(owners[d], d, s) for d, s in lite.execute("SELECT document_id, source FROM document_files")])
    cur = lite.execute("SELECT id, document_id, page, char_start, char_end, section, text, vector FROM chunks")
    for batch in _batches(cur):
        out = []
        for cid, doc, page, start, end, section, text, blob in batch:
            chunk = Chunk(doc, page, start, end, section, text)
            vector = np.frombuffer(blob, dtype=np.float32) if blob else None
            out.append(chunk_row(owners[doc], cid, doc, chunk, titles[doc], vector))
        with conn.cursor() as pg:
            pg.executemany("INSERT INTO chunks (patient_id, id, document_id, page, char_start, char_end, section, text, "
                           "embedding, folded, stem_body, stem_key, folded_tokens, stem_tokens) "
                           "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", out)
    _insert(conn, "pending_vectors", ["patient_id", "chunk_id", "document_id", "passage"],
            [(owners[d], c, d, p) for c, d, p in lite.execute("SELECT chunk_id, document_id, passage FROM pending_vectors")])
    cur = lite.execute(f"SELECT {', '.join(LAB_COLUMNS)} FROM lab_values")
    for batch in _batches(cur):
        _insert(conn, "lab_values", ["patient_id", *LAB_COLUMNS], [(owners[r[0]], *r) for r in batch])
    cur = lite.execute(f"SELECT id, {', '.join(chr(34) + c + chr(34) for c in FACT_COLUMNS)} FROM facts")
    doc_at = FACT_COLUMNS.index("document_id") + 1
    for batch in _batches(cur):
        _insert(conn, "facts", ["patient_id", "id", *FACT_COLUMNS], [(owners[r[doc_at]], *r) for r in batch])
    _insert(conn, "grants", ["patient_id", "practitioner", "granted_by", "granted_at"],
            lite.execute("SELECT patient_id, practitioner, granted_by, granted_at FROM grants").fetchall())
    _insert(conn, "break_glass", ["patient_id", "id", "practitioner", "reason", "opened_at", "expires_at"],
            lite.execute("SELECT patient_id, id, practitioner, reason, opened_at, expires_at FROM break_glass").fetchall())
    audit = ["id", "recorded_at", "actor", "actor_role", "actor_name", "patient_id", "action", "question",
             "document_ids", "break_glass", "reason", "outcome", "detail"]
    cur = lite.execute(f"SELECT {', '.join(audit)} FROM audit_events ORDER BY id")
    for batch in _batches(cur):
        _insert(conn, "audit_events", audit,
                [(*r[:5], r[5] or "", *r[6:9], bool(r[9]), *r[10:]) for r in batch])
    for table in ("facts", "break_glass", "audit_events"):  # new rows are numbered after the copied ones
        conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) "
                     f"FROM {table}")

