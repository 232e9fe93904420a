"""One embedded PostgreSQL (index/postgres/embedded.py) for the whole test session, started on first use in a
temporary folder and stopped at the session's end (tests/conftest.py); each caller gets a fresh database in
it (CREATE DATABASE is a file copy of the template: tens of milliseconds)."""

from __future__ import annotations

import itertools
import shutil
import tempfile
import threading
from pathlib import Path

import psycopg

from index.postgres import embedded
from index.postgres.embedded import with_database

_lock = threading.Lock()
_state: dict[str, object] = {}
_numbers = itertools.count(1)


def server_url() -> str:
    """The URL of the session's server (its `carnet` database), started on first call."""
    with _lock:
        if "url" not in _state:
            directory = Path(tempfile.mkdtemp(prefix="carnet-pg-"))
            _state["dir"] = directory
            _state["url"] = embedded.start(directory)
        return str(_state["url"])


def fresh_database(prefix: str = "t") -> str:
    """A new, empty database (with pgvector) on the session's server; its postgresql:// URL."""
    url = server_url()
    name = f"{prefix}_{next(_numbers)}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(url, name)


def stop() -> None:
    with _lock:
        directory = _state.pop("dir", None)
        _state.pop("url", None)
    if directory is not None:
        embedded.stop(directory)
        shutil.rmtree(directory, ignore_errors=True)
