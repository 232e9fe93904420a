"""The embedded store: SQLite in `home/carnet.db` (patients, documents, chunks with their vectors, words,
lab values, facts, access) and per-patient FAISS files beside it (index/vectors.py).

SQLiteStore is the sum of its parts, each a module of one concern: documents.py (patients, documents,
files), chunks.py (chunks, words, vectors, pending vectors), facts.py (lab values, facts), access.py
(grants, break-glass, audit); schema.py holds the tables. It implements index.protocol.Store and returns
the records of carnet/records.py.

One connection per thread: sqlite3 connections are not shared across FastAPI's thread pool.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path

import sqlite_utils

from index.sqlite.access import Access
from index.sqlite.chunks import Chunks
from index.sqlite.documents import Documents
from index.sqlite.facts import Facts
from index.sqlite.schema import ensure_schema
from index.vectors import VectorIndex


class SQLiteStore(Documents, Chunks, Facts, Access):
    """The SQLite store in `home/carnet.db`. Cheap to construct; opens one connection per thread."""

    def __init__(self, home: Path):
        self.home = Path(home)
        self.path = self.home / "carnet.db"
        self.pdf_dir = self.home / "pdfs"
        self._local = threading.local()
        self._init_lock = threading.Lock()
        self._initialised = False
        self._documents_lock = threading.Lock()
        self._documents_cache: OrderedDict = OrderedDict()  # patient id -> ((num, vectors_version), rows)
        self._chunks_lock = threading.Lock()
        self._chunks_cache: OrderedDict = OrderedDict()  # document id -> ((num, vectors_version), chunks)

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
                ensure_schema(conn)
            finally:
                conn.close()
            self._initialised = True

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.conn.close()
            self._local.db = None

    def counts(self) -> dict[str, int]:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "patients": one("SELECT COUNT(*) FROM patients"),
            "documents": one("SELECT COUNT(*) FROM documents"),
            "chunks": one("SELECT COUNT(*) FROM chunks"),
        }

    def vector_index(self, embedder_name: str, dim: int, cache_bytes: int = 256_000_000) -> VectorIndex:
        """The per-patient FAISS files of this store (built from the vectors kept here)."""
        return VectorIndex(self, embedder_name, dim, cache_bytes)
