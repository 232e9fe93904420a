"""The PostgreSQL + pgvector store: index.protocol.Store over a psycopg 3 connection pool.

PostgresStore is the sum of its parts, each a module of one concern, like the SQLite store's:
documents.py (patients, documents, files), chunks.py (chunks, words, vectors, pending vectors), facts.py
(lab values, facts), access.py (grants, break-glass, audit), vectors.py (the exact per-patient vector
search), schema.py (the tables). It returns the records of carnet/records.py, the same as SQLiteStore for
the same writes (the contract suite, tests/contract/, runs over both).

Every statement names the patient first: `WHERE patient_id = %s AND ...`. A call that carries only a
chunk id or a patient number finds the patient by the number (a chunk id's high bits, as in SQLite) in
`patient_numbers`; one that carries a document id, in `document_patients`. Both mappings never change
once written, so they are cached here. On Citus each such statement is routed to the one shard holding
the patient (docs/scale-out.md).

Files stay in `home` as with SQLite: stored PDFs, originals and the signing key (the rows are in
PostgreSQL). Construction is cheap; the pool opens, and the schema is created, on first use.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import psycopg
from pgvector.psycopg import register_vector
from psycopg_pool import ConnectionPool

from carnet.errors import StoreUnavailable, UnknownDocument
from index.postgres import schema
from index.postgres.access import Access
from index.postgres.chunks import Chunks
from index.postgres.documents import Documents
from index.postgres.facts import Facts
from index.postgres.vectors import PgVectorSearch

POOL_SIZE = 8  # connections per store (per server process); PostgreSQL's default max_connections is 100


class PostgresStore(Documents, Chunks, Facts, Access):
    """The store in the PostgreSQL database at `url`; files (PDFs, originals) in `home`."""

    def __init__(self, url: str, home: Path, pool_size: int = POOL_SIZE):
        if not url.startswith(("postgresql://", "postgres://")):
            raise StoreUnavailable(f"a PostgreSQL URL starts with postgresql:// (got {url.split(':', 1)[0]}:...)")
        self.url = url
        self.home = Path(home)
        self.pdf_dir = self.home / "pdfs"
        self.pool_size = pool_size
        self._pool: ConnectionPool | None = None
        self._lock = threading.Lock()
        self._patient_ids: dict[int, str] = {}
        self._document_patients: dict[str, str] = {}

    # --- connections -----------------------------------------------------------------------------

    @property
    def pool(self) -> ConnectionPool:
        if self._pool is None:
            with self._lock:
                if self._pool is None:
                    self._pool = self._open()
        return self._pool

    def _open(self) -> ConnectionPool:
        self.home.mkdir(parents=True, exist_ok=True)
        self.pdf_dir.mkdir(exist_ok=True)
        try:
            with psycopg.connect(self.url, autocommit=True) as conn:
                schema.create(conn)
        except psycopg.OperationalError as e:
            raise StoreUnavailable(f"cannot reach PostgreSQL at {_redacted(self.url)}: {e}".strip()) from e
        pool = ConnectionPool(self.url, min_size=1, max_size=self.pool_size, kwargs={"autocommit": True},
                              configure=register_vector, open=False, name="carnet")
        pool.open(wait=True, timeout=30)
        return pool

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        """A pooled connection in autocommit (reads are single statements; writes open `conn.transaction()`)."""
        with self.pool.connection() as conn:
            yield conn

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None

    def counts(self) -> dict[str, int]:
        with self.connection() as conn:
            row = conn.execute("SELECT (SELECT COUNT(*) FROM patients), (SELECT COUNT(*) FROM documents), "
                               "(SELECT COUNT(*) FROM chunks)").fetchone()
        return {"patients": row[0], "documents": row[1], "chunks": row[2]}

    def vector_index(self, embedder_name: str, dim: int, cache_bytes: int = 0) -> PgVectorSearch:
        """Exact nearest chunks of one patient, computed by pgvector (`cache_bytes` unused: nothing is cached)."""
        return PgVectorSearch(self, embedder_name, dim)

    # --- routing: the patient of a number, of a document -------------------------------------------

    def patient_id_of_num(self, num: int) -> str | None:
        """The patient whose store number is `num` (None: no such patient)."""
        found = self._patient_ids.get(num)
        if found is None:
            with self.connection() as conn:
                row = conn.execute("SELECT patient_id FROM patient_numbers WHERE num = %s", [int(num)]).fetchone()
            if row is None:
                return None
            found = self._patient_ids.setdefault(int(num), row[0])
        return found

    def owner_or_none(self, document_id: str) -> str | None:
        found = self._document_patients.get(document_id)
        if found is None:
            with self.connection() as conn:
                row = conn.execute("SELECT patient_id FROM document_patients WHERE document_id = %s",
                                   [document_id]).fetchone()
            if row is None:
                return None
            found = self._document_patients.setdefault(document_id, row[0])
        return found

    def document_owner(self, document_id: str) -> str:
        owner = self.owner_or_none(document_id)
        if owner is None:
            raise UnknownDocument(document_id)
        return owner


def _redacted(url: str) -> str:
    """The URL without its password (error messages may be logged)."""
    head, sep, rest = url.partition("://")
    if "@" in rest.split("/", 1)[0]:
        credentials, _, host = rest.partition("@")
        return f"{head}{sep}{credentials.split(':', 1)[0]}:***@{host}"
    return url
