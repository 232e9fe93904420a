"""Chunks of one patient in the PostgreSQL store: their text, their words and their vectors, written with
the chunk or afterwards (lexical first). A mixin of PostgresStore.

Words: PostgreSQL selects the patient's candidate chunks with a tsquery over the stored tsvectors
(`simple` configuration: the folded text, Carnet's stems), and index/postgres/fts.py decides the match
(phrases, NEAR, the key-line column) and the BM25 as SQLite's FTS5 does, with the patient's own chunk
statistics. The default ranking (query/retrieve.py) only calls `match_stems` and `patient_chunk_count`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Sequence

import numpy as np


from carnet.records import StoredChunk
from index.postgres import fts
from index.sqlite.schema import PATIENT_SHIFT, fts_query

_CHUNK_COLUMNS = "id, document_id, page, char_start, char_end, section, text"


def _chunk(r: Sequence) -> StoredChunk:
    return StoredChunk(id=r[0], document_id=r[1], page=r[2], char_start=r[3], char_end=r[4], section=r[5], text=r[6])


class Chunks:
    """Chunks, their words and vectors."""

    def _by_patient(self, chunk_ids: Iterable[int]) -> dict[str, list[int]]:
        """Chunk ids grouped by patient id (a chunk id's high bits are its patient's number)."""
        groups: dict[str, list[int]] = defaultdict(list)
        for c in chunk_ids:
            pid = self.patient_id_of_num(int(c) >> PATIENT_SHIFT)
            if pid is not None:
                groups[pid].append(int(c))
        return groups

    def chunk_vectors(self, patient_num: int) -> tuple[np.ndarray, np.ndarray]:
        pid = self.patient_id_of_num(patient_num)
        rows = []
        if pid is not None:
            with self.connection() as conn:
                rows = conn.execute("SELECT id, embedding FROM chunks WHERE patient_id = %s AND embedding IS NOT NULL "
                                    "ORDER BY id", [pid]).fetchall()
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        return ids, np.stack([np.asarray(r[1].to_numpy(), dtype=np.float32) for r in rows])

    def chunk_ids_for_documents(self, document_ids: Sequence[str]) -> np.ndarray:
        groups: dict[str, list[str]] = defaultdict(list)
        for d in document_ids:
            owner = self.owner_or_none(d)
            if owner is not None:
                groups[owner].append(d)
        ids: list[int] = []
        with self.connection() as conn:
            for pid, docs in groups.items():
                ids += [r[0] for r in conn.execute("SELECT id FROM chunks WHERE patient_id = %s AND document_id = ANY(%s) "
                                                   "ORDER BY id", [pid, docs]).fetchall()]
        return np.asarray(ids, dtype=np.int64)

    def chunks(self, chunk_ids: Sequence[int]) -> dict[int, StoredChunk]:
        out: dict[int, StoredChunk] = {}
        if not len(chunk_ids):
            return out
        with self.connection() as conn:
            for pid, ids in self._by_patient(chunk_ids).items():
                for r in conn.execute(f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE patient_id = %s AND id = ANY(%s)",
                                      [pid, ids]).fetchall():
                    out[r[0]] = _chunk(r)
        return out

    def document_chunks(self, document_id: str) -> list[StoredChunk]:
        owner = self.owner_or_none(document_id)
        if owner is None:
            return []
        with self.connection() as conn:
            return [_chunk(r) for r in conn.execute(
                f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE patient_id = %s AND document_id = %s ORDER BY id",
                [owner, document_id]).fetchall()]

    def patient_chunk_count(self, patient_num: int) -> int:
        pid = self.patient_id_of_num(patient_num)
        if pid is None:
            return 0
        with self.connection() as conn:
            return conn.execute("SELECT COUNT(*) FROM chunks WHERE patient_id = %s", [pid]).fetchone()[0]

    # --- words ---------------------------------------------------------------------------------------

    def _candidates(self, pid: str, terms: Sequence[fts.Term], stemmed: bool) -> dict[int, dict[str, list[str]]]:
        """The patient's chunks whose tsvector holds every token of one of `terms`, as tokens by column."""
        query = fts.tsquery(terms)
        if query is None:
            return {}
        if stemmed:
            sql = ("SELECT id, stem_body, stem_key FROM chunks WHERE patient_id = %s "
                   "AND stem_tsv @@ to_tsquery('simple', %s)")
        else:
            sql = "SELECT id, folded FROM chunks WHERE patient_id = %s AND folded_tsv @@ to_tsquery('simple', %s)"
        with self.connection() as conn:
            rows = conn.execute(sql, [pid, query]).fetchall()
        if stemmed:
            return {r[0]: {"body": fts.tokens(r[1]), "key": fts.tokens(r[2])} for r in rows}
        return {r[0]: {"text": fts.tokens(r[1])} for r in rows}

    def _statistics(self, pid: str, stemmed: bool) -> tuple[int, int]:
        """(chunks, tokens) of the patient: BM25's N and the sum behind its mean length."""
        column = "stem_tokens" if stemmed else "folded_tokens"
        with self.connection() as conn:
            row = conn.execute(f"SELECT COUNT(*), COALESCE(SUM({column}), 0) FROM chunks WHERE patient_id = %s",
                               [pid]).fetchone()
        return int(row[0]), int(row[1])

    def _bm25(self, patient_num: int, terms: Sequence[fts.Term], stemmed: bool, weights: dict[str, float],
              limit: int) -> list[tuple[int, float]]:
        pid = self.patient_id_of_num(patient_num)
        if pid is None or not terms:
            return []
        rows = self._candidates(pid, terms, stemmed)
        if not rows:
            return []
        total, tokens = self._statistics(pid, stemmed)
        return fts.rank(rows, terms, weights, total, tokens, limit)

    def search_text(self, patient_num: int, words: Iterable[str], limit: int = 50) -> list[tuple[int, float]]:
        """BM25 over one patient's folded chunk text: (chunk id, score), best first; higher is better."""
        match = fts_query(words)
        if match is None:
            return []
        return self._bm25(patient_num, fts.parse(match), False, {}, limit)

    def search_stems(self, patient_num: int, match: str, key_weight: float = 1.0,
                     limit: int = 50) -> list[tuple[int, float]]:
        """BM25 over one patient's stemmed chunks (`match`: an FTS5 expression over quoted stems), key lines
        weighted `key_weight` against the body's 1: (chunk id, score), best first."""
        return self._bm25(patient_num, fts.parse(match), True, {"body": 1.0, "key": float(key_weight)}, limit)

    def match_stems(self, patient_num: int, match: str) -> list[int]:
        """The ids of one patient's stemmed chunks matching `match`, in id order."""
        pid = self.patient_id_of_num(patient_num)
        terms = fts.parse(match)
        if pid is None or not terms:
            return []
        rows = self._candidates(pid, terms, True)
        return sorted(i for i, cols in rows.items() if fts.matches(cols, terms))

    # --- vectors written after the text (lexical first) ----------------------------------------------------

    def pending_chunks(self, limit: int = 64, patient_num: int | None = None) -> list[tuple[int, str]]:
        """(chunk id, passage to embed) of up to `limit` chunks without their vector, lowest id first, of one
        patient or (the background embedder's sweep) of the whole store."""
        with self.connection() as conn:
            if patient_num is None:
                rows = conn.execute("SELECT chunk_id, passage FROM pending_vectors ORDER BY chunk_id LIMIT %s",
                                    [int(limit)]).fetchall()
            else:
                pid = self.patient_id_of_num(patient_num)
                rows = [] if pid is None else conn.execute(
                    "SELECT chunk_id, passage FROM pending_vectors WHERE patient_id = %s ORDER BY chunk_id LIMIT %s",
                    [pid, int(limit)]).fetchall()
        return [(r[0], r[1]) for r in rows]

    def pending_count(self) -> int:
        with self.connection() as conn:
            return conn.execute("SELECT COUNT(*) FROM pending_vectors").fetchone()[0]

    def pending_documents(self, patient_num: int) -> set[str]:
        pid = self.patient_id_of_num(patient_num)
        if pid is None:
            return set()
        with self.connection() as conn:
            return {r[0] for r in conn.execute("SELECT DISTINCT document_id FROM pending_vectors WHERE patient_id = %s",
                                               [pid]).fetchall()}

    def set_vectors(self, vectors: dict[int, np.ndarray]) -> dict[int, int]:
        """Write the vectors of pending chunks in one transaction and bump each patient's vectors_version; a
        chunk no longer pending (another process wrote it first) is left as it is. {patient number: version}."""
        versions: dict[int, int] = {}
        by_patient = self._by_patient(vectors)
        with self.connection() as conn:
            with conn.transaction():
                for pid, ids in sorted(by_patient.items()):
                    done = [r[0] for r in conn.execute(
                        "DELETE FROM pending_vectors WHERE patient_id = %s AND chunk_id = ANY(%s) RETURNING chunk_id",
                        [pid, ids]).fetchall()]
                    if not done:
                        continue
                    with conn.cursor() as cur:
                        cur.executemany("UPDATE chunks SET embedding = %s WHERE patient_id = %s AND id = %s",
                                        [(np.asarray(vectors[c], dtype=np.float32), pid, c) for c in done])
                    num, version = conn.execute(
                        "UPDATE patients SET vectors_version = vectors_version + 1 WHERE patient_id = %s "
                        "RETURNING num, vectors_version", [pid]).fetchone()
                    versions[num] = version
        return versions


