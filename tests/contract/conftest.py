"""Fixtures shared by the contract suites: one fixture per swappable part (embedder, summariser, store),
parametrised over every implementation Carnet offers. The fast implementations carry the `unit` marker, the real models
`integration` and `slow` (and the local generative model `llm`), so `-m unit` runs the contracts on the
hashing embedder and the extractive summariser only."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable

import pytest

from carnet.errors import MissingExtra
from index.embedders import E5Embedder, HashingEmbedder, SentenceTransformerEmbedder
from index.protocol import Store
from index.postgres.store import PostgresStore
from index.sqlite import SQLiteStore
from tests import pg_server

REAL_MODEL = [pytest.mark.integration, pytest.mark.slow]

EMBEDDERS = {
    "hashing": HashingEmbedder,
    "e5": E5Embedder,
    "minilm": SentenceTransformerEmbedder,
}
EMBEDDER_PARAMS = [
    pytest.param("hashing", marks=pytest.mark.unit, id="hashing"),
    pytest.param("e5", marks=REAL_MODEL, id="e5"),
    pytest.param("minilm", marks=REAL_MODEL, id="minilm"),
]


def make_embedder_for_contract(kind: str):
    """A new instance of the embedder `kind`, loaded; skips when its optional extra is not installed."""
    try:
        embedder = EMBEDDERS[kind]()
    except MissingExtra as e:
        pytest.skip(str(e))
    embedder.load()
    return embedder


@lru_cache(maxsize=None)
def loaded_embedder(kind: str):
    """The session's one loaded instance of the embedder `kind` (a real model loads once)."""
    return make_embedder_for_contract(kind)


@pytest.fixture(scope="session", params=EMBEDDER_PARAMS)
def embedder_kind(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def embedder(embedder_kind):
    return loaded_embedder(embedder_kind)


# --- stores (tests/contract/test_store_contract.py) ---------------------------------------------------------
# kind -> (a factory of an empty store in a temporary folder, the marks of its cases). `sqlite` is the embedded
# default; another implementation (PostgreSQL) registers itself here with its own marks (`postgres`) and a
# factory that starts or reaches its server.
STORES: dict[str, tuple[Callable[[Path], Store], tuple]] = {
    "sqlite": (lambda home: SQLiteStore(home), (pytest.mark.unit,)),
    # a fresh database on the session's embedded server (tests/pg_server.py)
    "postgres": (lambda home: PostgresStore(pg_server.fresh_database("contract"), home),
                 (pytest.mark.postgres, pytest.mark.integration)),
}



def _sqlite_sql(store: SQLiteStore, sql: str) -> None:
    with store.db.conn:  # a transaction: committed, or rolled back when a trigger refuses the statement
        store.db.conn.execute(sql)


def _postgres_sql(store: PostgresStore, sql: str) -> None:
    with store.connection() as conn, conn.transaction():
        conn.execute(sql)


# kind -> how to run one raw SQL statement on that store, behind its API (a test that checks what the database
# itself refuses, whatever code reaches it: the audit log's append-only triggers).
RAW_SQL: dict[str, Callable[[Store, str], None]] = {"sqlite": _sqlite_sql, "postgres": _postgres_sql}


@pytest.fixture
def raw_sql(request, store) -> Callable[[str], None]:
    """Run one SQL statement directly on the `store` under test."""
    kind = request.node.callspec.params["store"]
    return lambda sql: RAW_SQL[kind](store, sql)


@pytest.fixture(params=[pytest.param(kind, marks=marks, id=kind) for kind, (_, marks) in STORES.items()])
def store(request, tmp_path) -> Store:
    factory, _ = STORES[request.param]
    made = factory(tmp_path / request.param)
    yield made
    made.close()
