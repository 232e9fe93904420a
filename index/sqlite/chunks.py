"""Chunks of one patient in the SQLite store: their text, their words (FTS5 over folded text and over
stems), and their vectors, written with the chunk or afterwards (lexical first).

Every read names one patient by the store number and is bounded by the patient's rowid range
(schema.chunk_id_range), or names chunk ids or documents that the caller already holds for one patient.

A chunk's vector is a column of its row, written once by an UPDATE of a still-pending chunk: a crash
mid-embedding leaves the rest pending for the next run, and no chunk can get two vectors.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from carnet.records import StoredChunk
from index.sqlite.schema import PATIENT_SHIFT, chunk_id_range, fts_query

_CHUNK_COLUMNS = "id, document_id, page, char_start, char_end, section, text"
CHUNKS_CACHE_DOCUMENTS = 4096  # documents whose chunks SQLiteStore.document_chunks keeps in memory


def _chunk(r: Sequence) -> StoredChunk:
    return StoredChunk(id=r[0], document_id=r[1], page=r[2], char_start=r[3], char_end=r[4], section=r[5], text=r[6])


class Chunks:
    """Chunks, their words and vectors (a mixin of SQLiteStore: `db` comes from it)."""

    def chunk_vectors(self, patient_num: int) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of a patient's embedded chunks (pending ones left out): a rowid range scan."""
        lo, hi = chunk_id_range(patient_num)
        rows = self.db.execute("SELECT id, vector FROM chunks WHERE id BETWEEN ? AND ? AND length(vector) > 0 "
                               "ORDER BY id", [lo, hi]).fetchall()
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        vectors = np.stack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
        return ids, vectors

    def chunk_ids_for_documents(self, document_ids: Sequence[str]) -> np.ndarray:
        if not document_ids:
            return np.zeros(0, dtype=np.int64)
        marks = ",".join("?" * len(document_ids))
        rows = self.db.execute(f"SELECT id FROM chunks WHERE document_id IN ({marks})", list(document_ids)).fetchall()
        return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))

    def chunks(self, chunk_ids: Sequence[int]) -> dict[int, StoredChunk]:
        if not len(chunk_ids):
            return {}
        marks = ",".join("?" * len(chunk_ids))
        cur = self.db.execute(f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE id IN ({marks})", [int(c) for c in chunk_ids])
        return {r[0]: _chunk(r) for r in cur.fetchall()}

    def document_chunks(self, document_id: str) -> list[StoredChunk]:
        """A document's chunks in order ([] for an unknown document).

        Kept in memory per document under the key (patient number, `vectors_version`) read before the rows,
        as SQLiteStore.documents does: every write to the patient's rows bumps the version, so an entry is
        never older than its key and a changed document is read again; the rows are only those in the
        owner's chunk-id range, so an entry holds nothing of another patient. A question reads the chunks of
        every document it shows (19 % of a worker's samples under 50 clients); the key costs two primary-key
        lookups instead of the chunk rows. The records are frozen; each call gets its own list."""
        owner = self.db.execute("SELECT d.patient_num, p.vectors_version FROM documents d JOIN patients p "
                                "ON p.num = d.patient_num WHERE d.id = ?", [document_id]).fetchone()
        if owner is None:
            return []
        key = (owner[0], owner[1])
        with self._chunks_lock:
            hit = self._chunks_cache.get(document_id)
            if hit is not None and hit[0] == key:
                self._chunks_cache.move_to_end(document_id)
                return list(hit[1])
        lo, hi = chunk_id_range(owner[0])
        cur = self.db.execute(f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE document_id = ? ORDER BY id", [document_id])
        chunks = tuple(_chunk(r) for r in cur.fetchall() if lo <= r[0] <= hi)
        with self._chunks_lock:
            self._chunks_cache[document_id] = (key, chunks)
            self._chunks_cache.move_to_end(document_id)
            while len(self._chunks_cache) > CHUNKS_CACHE_DOCUMENTS:
                self._chunks_cache.popitem(last=False)
        return list(chunks)

    def patient_chunk_count(self, patient_num: int) -> int:
        """How many chunks the patient has (a count over the patient's rowid range of the chunk table)."""
        lo, hi = chunk_id_range(patient_num)
        return self.db.execute("SELECT COUNT(*) FROM chunks WHERE id BETWEEN ? AND ?", [lo, hi]).fetchone()[0]

    # --- words ---------------------------------------------------------------------------------------

    def search_text(self, patient_num: int, words: Iterable[str], limit: int = 50) -> list[tuple[int, float]]:
        """BM25 over one patient's chunks: (chunk id, score), best first; higher is better."""
        match = fts_query(words)
        if match is None:
            return []
        lo, hi = chunk_id_range(patient_num)
        # Sorted here, not by FTS5's "ORDER BY rank": one patient's matches are few, and FTS5's sorter took
        # twice as long on a 100,000-patient store (27 against 14 ms for "diabète" and its concept words).
        rows = self.db.execute(
            "SELECT rowid, bm25(chunks_fts) FROM chunks_fts WHERE chunks_fts MATCH ? AND rowid BETWEEN ? AND ?",
            [match, lo, hi],
        ).fetchall()
        rows.sort(key=lambda r: (r[1], r[0]))  # bm25() is lower for better matches
        return [(r[0], -r[1]) for r in rows[:limit]]

    def search_stems(self, patient_num: int, match: str, key_weight: float = 1.0,
                     limit: int = 50) -> list[tuple[int, float]]:
        """BM25 over one patient's stemmed chunks (`match` is an FTS5 expression over stems, built by the
        caller from quoted stems): (chunk id, score), best first, higher is better. `key_weight` is the
        weight of the title and key lines against the whole chunk's 1."""
        lo, hi = chunk_id_range(patient_num)
        rows = self.db.execute(
            "SELECT rowid, bm25(chunks_stem, 1.0, ?) FROM chunks_stem "
            "WHERE chunks_stem MATCH ? AND rowid BETWEEN ? AND ?",
            [float(key_weight), match, lo, hi],
        ).fetchall()
        rows.sort(key=lambda r: (r[1], r[0]))
        return [(r[0], -r[1]) for r in rows[:limit]]

    def match_stems(self, patient_num: int, match: str) -> list[int]:
        """The ids of one patient's stemmed chunks matching `match` (an FTS5 expression over quoted stems),
        in id order. No bm25(): its IDF counts each term's rows over the whole table, so its cost grows with
        every other patient's chunks (30 ms a question at 100,000 patients); a match alone is bounded by the
        patient's rowid range."""
        lo, hi = chunk_id_range(patient_num)
        rows = self.db.execute("SELECT rowid FROM chunks_stem WHERE chunks_stem MATCH ? AND rowid BETWEEN ? AND ?",
                               [match, lo, hi]).fetchall()
        return sorted(r[0] for r in rows)

    # --- vectors written after the text (lexical first) ----------------------------------------------------

    def pending_chunks(self, limit: int = 64, patient_num: int | None = None) -> list[tuple[int, str]]:
        """(chunk id, passage to embed) of up to `limit` chunks stored without their vector, lowest id first
        (a patient's chunks together), of one patient or of the whole store. Empty when all have vectors."""
        lo, hi = chunk_id_range(patient_num) if patient_num is not None else (0, (1 << 63) - 1)
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT chunk_id, passage FROM pending_vectors WHERE chunk_id BETWEEN ? AND ? ORDER BY chunk_id LIMIT ?",
            [lo, hi, int(limit)]).fetchall()]

    def pending_count(self) -> int:
        """How many chunks wait for their vector, over the whole store."""
        return self.db.execute("SELECT COUNT(*) FROM pending_vectors").fetchone()[0]

    def pending_documents(self, patient_num: int) -> set[str]:
        """The patient's documents that have a chunk without its vector yet (not searchable by meaning):
        a rowid range of the small pending table, empty in a store at rest."""
        lo, hi = chunk_id_range(patient_num)
        return {r[0] for r in self.db.execute(
            "SELECT DISTINCT document_id FROM pending_vectors WHERE chunk_id BETWEEN ? AND ?", [lo, hi]).fetchall()}

    def set_vectors(self, vectors: dict[int, np.ndarray]) -> dict[int, int]:
        """Write the vectors of pending chunks (chunk id -> vector) in one transaction, and bump the
        `vectors_version` of each patient concerned so that their vector files are rebuilt. A chunk that is
        no longer pending (another process wrote it first) is left as it is. Returns {patient number: new
        vectors_version} of the patients whose chunks got vectors."""
        conn = self.db.conn
        patients: set[int] = set()
        conn.execute("BEGIN IMMEDIATE")
        try:
            for chunk_id, vector in vectors.items():
                done = conn.execute("DELETE FROM pending_vectors WHERE chunk_id = ?", [int(chunk_id)]).rowcount
                if done:
                    conn.execute("UPDATE chunks SET vector = ? WHERE id = ?",
                                 [np.asarray(vector, dtype=np.float32).tobytes(), int(chunk_id)])
                    patients.add(int(chunk_id) >> PATIENT_SHIFT)
            versions = {}
            for num in sorted(patients):
                conn.execute("UPDATE patients SET vectors_version = vectors_version + 1 WHERE num = ?", [num])
                versions[num] = conn.execute("SELECT vectors_version FROM patients WHERE num = ?", [num]).fetchone()[0]
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return versions
