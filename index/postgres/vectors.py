"""Exact nearest chunks of one patient, computed by PostgreSQL with pgvector (the store's VectorSearch).

    SELECT id, -(embedding <#> %s) FROM chunks
    WHERE patient_id = %s AND embedding IS NOT NULL [AND id = ANY(%s)]
    ORDER BY embedding <#> %s, id DESC LIMIT %s

The patient's rows come from the primary key's B-tree on (patient_id, id) and are all scored: an exact
scan of a few hundred vectors, which is what pgvector advises for a filter this selective (an HNSW or
IVFFlat index would search every patient's vectors, then filter, and could return fewer than k). `<#>`
is the negative inner product, the score FAISS's IndexFlatIP gives the SQLite store: the vectors are
L2-normalised, so it orders as cosine does, and both stores give the same scores; equal scores go
higher id first, as FAISS's heap orders them (seen on the samples: two chunks of one patient tie exactly).

The embedder's name and dimension are kept in `carnet_meta` (the SQLite store's manifest.json): a database
built with one model refuses another.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from carnet.errors import IndexMismatch


class PgVectorSearch:
    def __init__(self, store, embedder_name: str, dim: int):
        self.store = store
        self.embedder_name = embedder_name
        self.dim = dim
        self.cached_bytes = 0  # nothing is held in this process

    def check_manifest(self, create: bool) -> None:
        with self.store.connection() as conn:
            with conn.transaction():
                rows = dict(conn.execute("SELECT key, value FROM carnet_meta WHERE key IN ('embedder', 'dim') "
                                         "FOR UPDATE").fetchall())
                if rows:
                    if rows.get("embedder") != self.embedder_name or rows.get("dim") != str(self.dim):
                        raise IndexMismatch(
                            f"The database was built with {rows.get('embedder')!r} (dim {rows.get('dim')}); it cannot "
                            f"be used with {self.embedder_name!r} (dim {self.dim}). Use the same --embedder, or "
                            "another database.")
                    return
                if create:
                    conn.execute("INSERT INTO carnet_meta (key, value) VALUES ('embedder', %s), ('dim', %s) "
                                 "ON CONFLICT (key) DO NOTHING", [self.embedder_name, str(self.dim)])

    def rebuild(self, patient_num: int, version: int) -> None:
        """Nothing to rebuild: the vectors are searched where they are stored."""

    def search(self, patient_num: int, version: int, query: np.ndarray, allowed_ids: Sequence[int] | None,
               k: int) -> list[tuple[int, float]]:
        """(chunk id, inner product = cosine), best first, among the patient's embedded chunks."""
        if k <= 0 or (allowed_ids is not None and len(allowed_ids) == 0):
            return []
        pid = self.store.patient_id_of_num(patient_num)
        if pid is None:
            return []
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        sql = "SELECT id, -(embedding <#> %(q)s) FROM chunks WHERE patient_id = %(p)s AND embedding IS NOT NULL"
        params = {"q": q, "p": pid, "k": int(k)}
        if allowed_ids is not None:
            sql += " AND id = ANY(%(ids)s)"
            params["ids"] = [int(i) for i in allowed_ids]
        sql += " ORDER BY embedding <#> %(q)s, id DESC LIMIT %(k)s"  # ties: the higher id first, as FAISS
        with self.store.connection() as conn:
            return [(int(r[0]), float(r[1])) for r in conn.execute(sql, params).fetchall()]
