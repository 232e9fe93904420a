"""The PostgreSQL store's tools for `carnet db`: the embedded server (start, stop, its URL and pid) and the
copy of a SQLite store into PostgreSQL.

cli/db.py imports these from here, not from index/ (the import-linter contract "Adapters reach ingest,
query and index through service only")."""

from __future__ import annotations

from index.postgres import embedded
from index.postgres.migrate import MigrationRefused, migrate

__all__ = ["MigrationRefused", "embedded", "migrate"]
