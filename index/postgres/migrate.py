"""Copy a SQLite store into an empty PostgreSQL database (`carnet db migrate --to URL --home H`).

Everything the SQLite store holds is copied with its ids (patient numbers, chunk ids, fact, break-glass and
audit ids), so that a migrated store answers as the original does: patients, documents and their other
files, chunks with their vectors (a pending chunk stays pending), lab values, facts, grants, break-glass
windows and the audit log. The stems of each chunk are computed again (SQLite's stemmed index keeps none;
a text seen before reuses them). Rows are streamed with COPY (binary for the chunks and their vectors, text
for the rest) into tables whose indexes and keys are dropped first and built again after the load (a sort
instead of a B-tree insertion per row), then analysed; all of it in one transaction, so a failed migration
(or counts that differ at the end) leaves the target as it was. The target must hold no document (refused
otherwise: a second copy would mix two stores' numbers). The PDFs stay where they are: run the service on
PostgreSQL with the same --home (CARNET_HOME).
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import psycopg
from pgvector.psycopg import register_vector

from carnet.errors import CarnetError
from carnet.text import fold
from index.postgres import schema
from index.postgres.facts import LAB_COLUMNS
from index.postgres.fts import tokens
from index.sqlite.schema import FACT_COLUMNS
from index.terms import key_text, stemmed_text

BATCH = 5000
TABLES = ("patients", "documents", "document_files", "chunks", "pending_vectors", "lab_values", "facts", "grants",
          "break_glass", "audit_events")
LOADED = (*TABLES, "patient_numbers", "document_patients")  # the tables the copy writes
CHUNK_COLUMNS = ("patient_id", "id", "document_id", "page", "char_start", "char_end", "section", "text", "embedding",
                 "folded", "stem_body", "stem_key", "folded_tokens", "stem_tokens")
CHUNK_TYPES = ("text", "int8", "text", "int4", "int4", "int4", "text", "text", "vector", "text", "text", "text", "int4",
               "int4")


class MigrationRefused(CarnetError):
    """The target is not an empty Carnet database, or the source is not a SQLite store."""


class _Known(dict):
    """The owner of each id copied so far: a row naming an id the SQLite store does not hold (an
    inconsistent store) refuses the migration instead of failing with a KeyError."""

    def __init__(self, what: str, *args):
        super().__init__(*args)
        self.what = what

    def __missing__(self, key):
        raise MigrationRefused(f"the SQLite store is inconsistent: a row names {self.what} {key!r}, which it does "
                               "not hold (nothing was copied)")


def _batches(cur: sqlite3.Cursor):
    while rows := cur.fetchmany(BATCH):
        yield rows


def _insert(conn: psycopg.Connection, table: str, names: Iterable[str], rows: Iterable,
            types: Iterable[str] | None = None) -> None:
    """COPY `rows` into `table` (binary when the column `types` are given, text otherwise)."""
    columns = ", ".join(f'"{n}"' for n in names)
    binary = " WITH (FORMAT BINARY)" if types is not None else ""
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN{binary}") as copy:
        if types is not None:
            copy.set_types(list(types))
        for row in rows:
            copy.write_row(row)


@lru_cache(maxsize=1 << 15)
def _words(text: str) -> tuple[str, str, int, int]:
    """(folded, stems, their token counts) of a chunk's text."""
    folded, body = fold(text), stemmed_text(text)
    return folded, body, len(tokens(folded)), len(tokens(body))


@lru_cache(maxsize=1 << 17)
def _key_stems(text: str, title: str | None) -> tuple[str, int]:
    """The stems of a chunk's title and key lines, and their token count."""
    stems = stemmed_text(key_text(text, title))
    return stems, len(tokens(stems))


def _chunk_row(patient_id: str, row: tuple, title: str | None) -> tuple:
    """A `chunks` row from SQLite's (id, document_id, page, char_start, char_end, section, text, vector): the
    one index/postgres/documents.py's chunk_row writes, with the folded text and stems of a text seen before
    reused (a store's boilerplate lines, the benchmark's synthetic chunks)."""
    cid, doc, page, start, end, section, text, blob = row
    folded, body, folded_tokens, body_tokens = _words(text)
    key, key_tokens = _key_stems(text, title)
    vector = np.frombuffer(blob, dtype=np.float32) if blob else None
    return (patient_id, cid, doc, page, start, end, section, text, vector, folded, body, key, folded_tokens,
            body_tokens + key_tokens)


@contextmanager
def indexes_built_after(conn: psycopg.Connection, tables: Iterable[str]) -> Iterator[None]:
    """Drop the indexes, primary keys and unique constraints of `tables` (inside the caller's transaction) and
    create them again on exit, so that a bulk load sorts each index once instead of inserting row by row."""
    tables = list(tables)
    constraints = conn.execute(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "WHERE c.contype IN ('p', 'u') AND c.conrelid = ANY(%s::regclass[])", [tables]).fetchall()
    indexes = conn.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)", [tables]).fetchall()
    for table, name, _ in constraints:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    yield
    conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for table, name, definition in constraints:
        conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for _, definition in indexes:
        conn.execute(definition)


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
            with indexes_built_after(conn, LOADED):
                _copy(lite, conn)
            for table in LOADED:
                conn.execute(f"ANALYZE {table}")
            got = target_counts(conn)
            if got != expected:
                raise MigrationRefused(f"counts differ after the copy (rolled back): SQLite {expected}, "
                                       f"PostgreSQL {got}")
        return {t: (expected[t], got[t]) for t in TABLES}


def _copy(lite: sqlite3.Connection, conn: psycopg.Connection) -> None:
    patients = _Known("the patient number", lite.execute("SELECT num, id FROM patients").fetchall())
    rows = lite.execute("SELECT id, num, name, next_chunk_seq, vectors_version, created_at FROM patients").fetchall()
    _insert(conn, "patients", ["patient_id", "num", "name", "next_chunk_seq", "vectors_version", "created_at"], rows)
    _insert(conn, "patient_numbers", ["num", "patient_id"], [(r[1], r[0]) for r in rows])
    if rows:
        conn.execute("SELECT setval('patient_num_seq', %s)", [max(r[1] for r in rows)])
    cur = lite.execute("SELECT * FROM documents ORDER BY rowid")  # write order: PostgreSQL numbers it (seq)
    names = [c[0] for c in cur.description]

    pg_names = ["patient_id"] + [n for n in names if n != "patient_num"]
    titles: dict[str, str | None] = {}
    owners = _Known("the document")
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
    cur = lite.execute("SELECT id, document_id, page, char_start, char_end, section, text, vector FROM chunks "
                       "ORDER BY id")  # a patient's chunks side by side on disk: a question reads few pages
    _insert(conn, "chunks", CHUNK_COLUMNS, (_chunk_row(owners[r[1]], r, titles[r[1]]) for batch in _batches(cur)
                                            for r in batch), types=CHUNK_TYPES)
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

