"""The embedded SQLite + FAISS store (the default): SQLiteStore and the key arithmetic of its tables."""

from index.sqlite.schema import (FACTS_VERSION, PATIENT_SHIFT, SCHEMA_VERSION, chunk_id_range, document_id_for,
                                 fts_query, stem_row)
from index.sqlite.store import SQLiteStore

__all__ = ["FACTS_VERSION", "PATIENT_SHIFT", "SCHEMA_VERSION", "SQLiteStore", "chunk_id_range", "document_id_for",
           "fts_query", "stem_row"]
