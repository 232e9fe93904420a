"""Which store a deployment uses: SQLite in `settings.home` by default, PostgreSQL + pgvector when
CARNET_DATABASE_URL is a postgresql:// URL. The service and the CLI open stores here only."""

from __future__ import annotations

import importlib

from carnet.config import Settings
from carnet.errors import StoreUnavailable
from index.protocol import Store
from index.sqlite import SQLiteStore

_POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def make_store(settings: Settings) -> Store:
    url = settings.database_url
    if not url or url.startswith("sqlite:"):
        return SQLiteStore(settings.home)
    if url.startswith(_POSTGRES_SCHEMES):
        try:
            # Imported by name: the PostgreSQL backend needs psycopg, an optional extra ('.[postgres]').
            module = importlib.import_module("index.postgres.store")
        except ImportError as e:
            raise StoreUnavailable(f"PostgreSQL support is not installed ({e}); install Carnet with "
                                   "pip install -e '.[postgres]'") from e
        return module.PostgresStore(url, settings.home)
    raise StoreUnavailable(f"CARNET_DATABASE_URL must start with postgresql:// (got {url.split(':', 1)[0]}:...)")
