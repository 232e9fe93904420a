"""The store and the per-patient vector files: atomic writes, rowid ranges, isolation, model check."""

from __future__ import annotations

import sqlite3
from datetime import date

import numpy as np
import pytest

from carnet.errors import IndexMismatch, UnknownPatient
from carnet.models import Chunk, DocMeta
from index.embedders import HashingEmbedder
from index.sqlite import PATIENT_SHIFT, SQLiteStore as Store, chunk_id_range, document_id_for, fts_query
from index.vectors import VectorIndex
from tests.factories import new_document

pytestmark = pytest.mark.unit


def add(store, patient, sha, texts, meta=None, source=None):
    emb = HashingEmbedder()
    doc_id = document_id_for(patient, sha)
    chunks = [Chunk(doc_id, 1, 0, len(t), None, t) for t in texts]
    return store.add_document(new_document(
        patient_id=patient, content_sha256=sha, source=source or f"{patient}/{sha}.pdf",
        meta=meta or DocMeta(type_code="11488-4", service_date=date(2024, 1, 2)), chunks=chunks,
        vectors=emb.embed_passages(texts), page_count=1, ocr_pages=[], ocr_confidence=None, fingerprint=None,
        file_size=10, pdf_bytes=b"%PDF-1.4 test",
    ))


def test_same_bytes_for_two_patients_are_two_documents(tmp_path):
    store = Store(tmp_path)
    a = add(store, "A", "same", ["echographie cardiaque normale"])
    b = add(store, "B", "same", ["echographie cardiaque normale"])
    assert a != b
    assert [d.id for d in store.documents("A")] == [a]
    assert [d.id for d in store.documents("B")] == [b]


def test_chunk_ids_lie_in_the_patient_range(tmp_path):
    store = Store(tmp_path)
    add(store, "A", "a1", ["un", "deux"])
    add(store, "B", "b1", ["trois"])
    add(store, "A", "a2", ["quatre"])
    for pid in ("A", "B"):
        num = store.patient(pid).num
        lo, hi = chunk_id_range(num)
        ids, _ = store.chunk_vectors(num)
        assert len(ids) == (3 if pid == "A" else 1)
        assert all(lo <= i <= hi for i in ids)
        assert all(i >> PATIENT_SHIFT == num for i in ids)


def test_failed_write_leaves_no_half_document(tmp_path):
    store = Store(tmp_path)
    emb = HashingEmbedder()
    doc_id = document_id_for("A", "x")
    chunks = [Chunk(doc_id, 1, 0, 3, None, "abc"), Chunk(doc_id, 1, 3, 6, None, "def")]
    with pytest.raises(ValueError):
        store.add_document(new_document(patient_id="A", content_sha256="x", source="A/x.pdf", meta=DocMeta(), chunks=chunks,
                           vectors=emb.embed_passages(["abc"]), page_count=1, ocr_pages=[], ocr_confidence=None,
                           fingerprint=None, file_size=1, pdf_bytes=b"x"))
    # a crash inside the transaction (bad vector count is checked before; force one after BEGIN)
    bad_vectors = [np.zeros(256, dtype=np.float32), "not a vector"]
    with pytest.raises(Exception):
        store.add_document(new_document(patient_id="A", content_sha256="x", source="A/x.pdf", meta=DocMeta(), chunks=chunks,
                           vectors=bad_vectors, page_count=1, ocr_pages=[], ocr_confidence=None,
                           fingerprint=None, file_size=1, pdf_bytes=b"x"))
    assert store.counts()["documents"] == 0
    assert store.counts()["chunks"] == 0


def test_bm25_only_sees_the_patient(tmp_path):
    store = Store(tmp_path)
    add(store, "A", "a1", ["nodule pulmonaire du lobe superieur"])
    add(store, "B", "b1", ["nodule pulmonaire suspect"])
    num_a = store.patient("A").num
    hits = store.search_text(num_a, ["nodule"])
    assert len(hits) == 1
    assert store.chunks([hits[0][0]])[hits[0][0]].document_id == document_id_for("A", "a1")


def test_fts_query_quotes_words_and_drops_syntax():
    assert fts_query(['nodule" OR x', "NEAR(a b)"]) == '"nodule" OR "or" OR "near"'
    assert fts_query(["", "?"]) is None


def test_vector_search_scores_one_patient_and_respects_the_selector(tmp_path):
    store = Store(tmp_path)
    emb = HashingEmbedder()
    add(store, "A", "a1", ["echographie cardiaque fraction d'ejection", "hemoglobine glyquee"])
    add(store, "B", "b1", ["echographie cardiaque fraction d'ejection"])
    vi = VectorIndex(store, emb.name, emb.dim)
    vi.check_manifest(create=True)
    pa = store.patient("A")
    q = emb.embed_query("echographie cardiaque")
    hits = vi.search(pa.num, pa.vectors_version, q, None, 10)
    lo, hi = chunk_id_range(pa.num)
    assert len(hits) == 2 and all(lo <= c <= hi for c, _ in hits)
    only = [hits[-1][0]]
    assert [c for c, _ in vi.search(pa.num, pa.vectors_version, q, only, 10)] == only
    assert vi.search(pa.num, pa.vectors_version, q, [], 10) == []


def test_vector_file_follows_the_version(tmp_path):
    store = Store(tmp_path)
    emb = HashingEmbedder()
    vi = VectorIndex(store, emb.name, emb.dim)
    add(store, "A", "a1", ["premier"])
    p = store.patient("A")
    assert vi.index_for(p.num, p.vectors_version).ntotal == 1
    add(store, "A", "a2", ["second"])
    p2 = store.patient("A")
    assert p2.vectors_version == p.vectors_version + 1
    assert vi.index_for(p2.num, p2.vectors_version).ntotal == 2  # stale file rebuilt from SQLite
    files = list((tmp_path / "vectors").rglob("*.faiss"))
    assert len(files) == 1 and files[0].name.endswith(f".v{p2.vectors_version}.faiss")


def test_cache_is_bounded(tmp_path):
    store = Store(tmp_path)
    emb = HashingEmbedder()
    vi = VectorIndex(store, emb.name, emb.dim, cache_bytes=3 * (emb.dim * 4 + 8))
    for i in range(5):
        add(store, f"P{i}", f"s{i}", ["a", "b"])
        p = store.patient(f"P{i}")
        vi.index_for(p.num, p.vectors_version)
    assert vi.cached_bytes <= 3 * (emb.dim * 4 + 8)


def test_manifest_refuses_another_model(tmp_path):
    store = Store(tmp_path)
    VectorIndex(store, "model-a", 256).check_manifest(create=True)
    with pytest.raises(IndexMismatch, match="model-a"):
        VectorIndex(store, "model-b", 384).check_manifest(create=True)


def test_unknown_patient(tmp_path):
    with pytest.raises(UnknownPatient, match="NOPE"):
        Store(tmp_path).documents("NOPE")


def test_a_store_written_before_the_pdf_hash_columns_opens_and_gains_them(tmp_path):
    # the documents table as version 1 wrote it: no pdf_sha1 / pdf_size
    from index.sqlite import schema as store_module
    old_schema = store_module._SCHEMA.replace(
        ",\n    pdf_sha1 TEXT,\n    pdf_size INTEGER,\n    confidentiality TEXT,\n    author_id TEXT\n", "\n")
    assert "pdf_sha1" not in old_schema and "confidentiality" not in old_schema
    (tmp_path / "pdfs").mkdir()
    with sqlite3.connect(tmp_path / "carnet.db") as conn:
        conn.executescript(old_schema)
        conn.execute("PRAGMA user_version=1")
    store = Store(tmp_path)
    columns = {row[1] for row in store.db.execute("PRAGMA table_info(documents)").fetchall()}
    assert {"pdf_sha1", "pdf_size", "confidentiality", "author_id"} <= columns
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION
