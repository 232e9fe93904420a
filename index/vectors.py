"""Per-patient FAISS indexes, derived from the vectors in SQLite, read only when a patient is asked about.

Each patient has one file `vectors/<num % 256>/<num>.v<version>.faiss` holding an
IndexIDMap2(IndexFlatIP) of that patient's chunk vectors keyed by chunk id. The version is the
patient's `vectors_version` in SQLite, bumped in the same transaction that adds chunks, so a reader
always knows whether a file is current; a stale or missing file is rebuilt from SQLite (a rowid range
scan) and swapped in atomically (write to a temporary file, then rename), so writes never disturb a
search in progress. The server keeps recently asked patients in a bounded LRU cache: memory does not
grow with the corpus, and a search only ever scores one patient's vectors.

Filtering by document type or date is a pre-filter too: the search passes the allowed chunk ids as an
IDSelectorBatch, so FAISS scores only those (no top-k-then-filter starvation).
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

import faiss
import numpy as np

from carnet.errors import IndexMismatch
from index.protocol import Store

MANIFEST = "manifest.json"
INDEX_FORMAT = 1


def _file_for(root: Path, patient_num: int, version: int) -> Path:
    return root / f"{patient_num % 256:02x}" / f"{patient_num}.v{version}.faiss"


class VectorIndex:
    def __init__(self, store: Store, embedder_name: str, dim: int, cache_bytes: int = 256_000_000):
        self.store = store
        self.root = store.home / "vectors"
        self.embedder_name = embedder_name
        self.dim = dim
        self.cache_bytes = cache_bytes
        self._cache: OrderedDict[int, tuple[int, faiss.Index, int]] = OrderedDict()  # num -> (version, index, bytes)
        self._cached_bytes = 0
        self._lock = threading.Lock()
        self._build_locks: dict[int, threading.Lock] = {}

    # --- manifest --------------------------------------------------------------------------------

    def check_manifest(self, create: bool) -> None:
        """Refuse a store built by another model; write the manifest on first use when `create`."""
        path = self.store.home / MANIFEST
        if path.exists():
            manifest = json.loads(path.read_text())
            if manifest.get("embedder") != self.embedder_name or manifest.get("dim") != self.dim:
                raise IndexMismatch(
                    f"The store at {self.store.home} was built with {manifest.get('embedder')!r} "
                    f"(dim {manifest.get('dim')}); it cannot be used with {self.embedder_name!r} (dim {self.dim}). "
                    "Use the same --embedder, or another --home."
                )
            return
        if create:
            self.store.home.mkdir(parents=True, exist_ok=True)
            manifest = {
                "embedder": self.embedder_name,
                "dim": self.dim,
                "index": "faiss IndexIDMap2(IndexFlatIP) per patient",
                "format": INDEX_FORMAT,
                "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            }
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(manifest, indent=2))
            tmp.replace(path)

    # --- building ----------------------------------------------------------------------------------

    def rebuild(self, patient_num: int, version: int) -> faiss.Index:
        """Build a patient's index from SQLite and publish it as the file for `version`."""
        ids, vectors = self.store.chunk_vectors(patient_num)
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))
        if len(ids):
            if vectors.shape[1] != self.dim:
                raise IndexMismatch(f"stored vectors have dim {vectors.shape[1]}, the embedder {self.dim}")
            index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
        target = _file_for(self.root, patient_num, version)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        faiss.write_index(index, str(tmp))
        tmp.replace(target)
        for old in target.parent.glob(f"{patient_num}.v*.faiss"):
            if old != target:
                old.unlink(missing_ok=True)
        return index

    # --- reading -------------------------------------------------------------------------------------

    def _build_lock(self, patient_num: int) -> threading.Lock:
        with self._lock:
            return self._build_locks.setdefault(patient_num, threading.Lock())

    def index_for(self, patient_num: int, version: int) -> faiss.Index:
        with self._lock:
            cached = self._cache.get(patient_num)
            if cached and cached[0] == version:
                self._cache.move_to_end(patient_num)
                return cached[1]
        with self._build_lock(patient_num):
            path = _file_for(self.root, patient_num, version)
            if path.exists():
                index = faiss.read_index(str(path))
            else:
                index = self.rebuild(patient_num, version)
        self._remember(patient_num, version, index)
        return index

    def _remember(self, patient_num: int, version: int, index: faiss.Index) -> None:
        size = index.ntotal * (self.dim * 4 + 8)
        with self._lock:
            old = self._cache.pop(patient_num, None)
            if old:
                self._cached_bytes -= old[2]
            if size > self.cache_bytes:
                return  # larger than the whole cache: use it once, keep nothing
            self._cache[patient_num] = (version, index, size)
            self._cached_bytes += size
            while self._cached_bytes > self.cache_bytes and self._cache:
                _, (_, _, evicted) = self._cache.popitem(last=False)
                self._cached_bytes -= evicted

    def search(
        self, patient_num: int, version: int, query: np.ndarray, allowed_ids: Sequence[int] | None, k: int
    ) -> list[tuple[int, float]]:
        """(chunk id, cosine) for one patient's chunks, best first, restricted to `allowed_ids` if given."""
        index = self.index_for(patient_num, version)
        if index.ntotal == 0 or k <= 0:
            return []
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        if allowed_ids is not None and len(allowed_ids) == 0:
            return []
        # One query over one patient's few hundred vectors: OpenMP's team costs more than it brings (150
        # vectors: 1.8 ms with 2 threads against 0.04 ms with 1, and 15 ms a search in a loaded server). The
        # thread count is an OpenMP setting of the calling thread (the server's pool threads each have
        # their own), so it is set here around the search and put back.
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            if allowed_ids is not None:
                selector = faiss.IDSelectorBatch(np.asarray(allowed_ids, dtype=np.int64))
                params = faiss.SearchParameters(sel=selector)
                scores, ids = index.search(q, min(k, len(allowed_ids)), params=params)
            else:
                scores, ids = index.search(q, min(k, index.ntotal))
        finally:
            faiss.omp_set_num_threads(threads)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i != -1]

    @property
    def cached_bytes(self) -> int:
        return self._cached_bytes
