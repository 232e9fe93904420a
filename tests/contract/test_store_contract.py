"""The store contract (index/protocol.py): every implementation passes the same tests.

Run over the `store` fixture of tests/contract/conftest.py (one case per registered kind). Patient
isolation comes first: no read that names one patient returns another patient's chunks, documents, lab
values or facts, even when both hold the same words and the same vectors."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import numpy as np
import pytest

from carnet.errors import UnknownDocument, UnknownPatient
from carnet.facts import Fact
from carnet.models import DocMeta, SectionMark
from carnet.records import (AuditRecord, BreakGlassWindow, Grant, LabRow, Patient, PatientSummary, StoredChunk,
                            StoredDocument)
from index.protocol import Store, document_id_for
from index.terms import stem
from tests.factories import new_document

DIM = 8
SHARED = ["Échographie cardiaque : fraction d'éjection normale.", "Conclusion : pas d'insuffisance mitrale."]


def _vectors(n: int, seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _add(store: Store, patient: str, sha: str, texts=SHARED, *, embedded: bool = True, **meta) -> str:
    meta = DocMeta(**{"title": "Échographie", "type_code": "11488-4", "service_date": date(2024, 3, 1), **meta})
    return store.add_document(new_document(patient, sha, meta=meta, texts=texts,
                                           vectors=_vectors(len(texts), hash(sha) % 1000) if embedded else None,
                                           pdf_bytes=b"%PDF-1.4 " + sha.encode(), file_size=10))


@pytest.fixture
def two(store):
    """Two patients with the same words and the same vectors."""
    a = _add(store, "A", "a1")
    b = _add(store, "B", "a1")  # the same bytes for another patient: another document
    return store, a, b


def test_it_is_a_store(store):
    assert isinstance(store, Store)


# --- isolation -----------------------------------------------------------------------------------------

def test_search_text_and_stems_stay_within_the_patient(two):
    store, a, b = two
    assert a != b
    for pid, doc in (("A", a), ("B", b)):
        num = store.patient(pid).num
        own = {c.id for c in store.document_chunks(doc)}
        hits = store.search_text(num, ["fraction", "ejection"])
        assert hits and {c for c, _ in hits} <= own
        match = f'"{stem("insuffisance")}"'
        assert set(store.match_stems(num, match)) <= own and store.match_stems(num, match)
        scored = store.search_stems(num, match)
        assert scored and {c for c, _ in scored} <= own
        assert all(s1 >= s2 for (_, s1), (_, s2) in zip(scored, scored[1:]))


def test_vectors_and_counts_stay_within_the_patient(two):
    store, a, b = two
    num_a, num_b = store.patient("A").num, store.patient("B").num
    ids_a, vectors_a = store.chunk_vectors(num_a)
    assert set(ids_a.tolist()) == {c.id for c in store.document_chunks(a)}
    assert vectors_a.shape == (2, DIM) and vectors_a.dtype == np.float32
    assert not set(ids_a.tolist()) & set(store.chunk_vectors(num_b)[0].tolist())
    assert store.patient_chunk_count(num_a) == 2
    index = store.vector_index("test", DIM, 1_000_000)
    found = index.search(num_a, store.patient("A").vectors_version, vectors_a[0], None, 10)
    assert found and {c for c, _ in found} <= set(ids_a.tolist())
    assert found[0][0] == ids_a[0] and found[0][1] == pytest.approx(1.0, abs=1e-5)


def test_pending_chunks_of_one_patient_are_that_patient_s(store):
    a = _add(store, "A", "a1", embedded=False)
    b = _add(store, "B", "b1", embedded=False)
    num_a = store.patient("A").num
    pending = store.pending_chunks(64, num_a)
    assert {c for c, _ in pending} == {c.id for c in store.document_chunks(a)}
    assert [t for _, t in pending] == SHARED  # the passage defaults to the chunk's text
    assert store.pending_documents(num_a) == {a}
    assert store.pending_count() == 4
    assert {c for c, _ in store.pending_chunks(64)} >= {c.id for c in store.document_chunks(b)}


def test_documents_lab_values_and_facts_are_the_patient_s(store):
    facts = [Fact(kind="allergy", name="pénicilline", sentence="Allergie à la pénicilline")]
    labs = [{"analyte": "hba1c", "label": "HbA1c", "value": 7.1, "unit": "%", "low": 4.0, "high": 6.0, "flag": "H",
             "page": 1}]
    for pid in ("A", "B"):
        store.add_document(new_document(pid, "f1", texts=["HbA1c 7,1 %"], facts=facts, lab_values=labs,
                                        meta=DocMeta(service_date=date(2024, 1, 2))))
    a = document_id_for("A", "f1")
    assert [d.id for d in store.documents("A")] == [a]
    assert [(v.document_id, v.analyte, v.value, v.service_date) for v in store.lab_values("A")] == [
        (a, "hba1c", 7.1, date(2024, 1, 2))]
    assert isinstance(store.lab_values("A")[0], LabRow)
    assert [(f.document_id, f.name) for f in store.facts("A")] == [(a, "pénicilline")]
    assert [f.name for f in store.document_facts(a)] == ["pénicilline"]


# --- documents -------------------------------------------------------------------------------------------

def test_a_document_reads_back_as_written(store):
    meta = DocMeta(title="CR", type_code="11488-4", service_date=date(2024, 3, 1), service_end_date=date(2024, 3, 4),
                   author="Dr Roux", author_id="dr-roux", specialty_code="SM04", exam_keys=("echocardiographie",),
                   confidentiality=("N", "MASQUE_PS"), specialty_candidates=("SM04", "SM03"),
                   sections=(SectionMark(0, "conclusion", "Conclusion"),))
    doc_id = store.add_document(new_document("A", "d1", meta=meta, texts=["x"], pdf_bytes=b"%PDF", ocr_pages=(1,),
                                             versioning={"cda_id": "1.2", "set_id": "S", "version_number": 2}))
    assert doc_id == document_id_for("A", "d1")
    doc = store.document(doc_id)
    assert isinstance(doc, StoredDocument) and doc.patient_id == "A" and doc.content_sha256 == "d1"
    assert (doc.service_date, doc.service_end_date) == (date(2024, 3, 1), date(2024, 3, 4))
    assert doc.exam_keys == ("echocardiographie",) and doc.ocr_pages == (1,)
    assert doc.confidentiality == ("N", "MASQUE_PS") and doc.author_id == "dr-roux"
    assert doc.specialty_candidates == ("SM04", "SM03") and doc.sections == meta.sections
    assert (doc.cda_id, doc.set_id, doc.version_number) == ("1.2", "S", 2)
    assert doc.pdf_size == 4 and store.pdf_path(doc_id).read_bytes() == b"%PDF"
    assert store.document_owner(doc_id) == "A"
    assert [d.id for d in store.version_candidates("A", "S", [])] == [doc_id]
    assert store.version_candidates("B", "S", []) == []
    chunk = store.document_chunks(doc_id)[0]
    assert isinstance(chunk, StoredChunk) and chunk.text == "x" and store.chunks([chunk.id]) == {chunk.id: chunk}


def test_unknown_ids_raise_typed_errors(store):
    with pytest.raises(UnknownPatient):
        store.patient("nobody")
    with pytest.raises(UnknownDocument):
        store.document("0" * 32)
    with pytest.raises(UnknownDocument):
        store.document_owner("0" * 32)


def test_documents_come_most_recent_first_and_undated_last(store):
    for sha, day in (("old", date(2020, 1, 1)), ("none", None), ("new", date(2024, 1, 1))):
        _add(store, "A", sha, service_date=day)
    assert [d.content_sha256 for d in store.documents("A")] == ["new", "old", "none"]
    listed = store.patients()
    assert listed == [PatientSummary("A", None, 3, date(2024, 1, 1))]
    assert [p.id for p in store.iter_patients()] == ["A"] and isinstance(store.patient("A"), Patient)
    assert store.counts() == {"patients": 1, "documents": 3, "chunks": 6}


def test_duplicate_files_and_canonical_links(store):
    a = _add(store, "A", "a1")
    b = _add(store, "A", "a2")
    found = store.find_by_content("A", "a1")
    assert found is not None and found.id == a and store.find_by_content("B", "a1") is None
    assert store.add_duplicate_file(a, "copy.pdf") is True
    assert store.add_duplicate_file(a, "copy.pdf") is False
    assert store.document(a).duplicate_sources == ("copy.pdf",)
    store.set_canonical([a, b], b, "near")
    assert (store.document(a).canonical_id, store.document(a).duplicate_kind) == (b, "near")
    assert store.document(b).canonical_id is None
    assert {d.id for d in store.near_duplicate_candidates("A", "11488-4")} == set()  # no fingerprints written


def test_many_documents_in_one_call(store):
    ids = store.add_documents([new_document("A", f"m{i}", texts=[f"texte {i}"]) for i in range(3)])
    assert ids == [document_id_for("A", f"m{i}") for i in range(3)]
    assert store.counts()["documents"] == 3
    chunk_ids = [c.id for d in ids for c in store.document_chunks(d)]
    assert len(set(chunk_ids)) == 3
    assert sorted(store.chunk_ids_for_documents(ids).tolist()) == sorted(chunk_ids)


def test_pending_vectors_are_written_once(store):
    doc = _add(store, "A", "p1", embedded=False)
    num = store.patient("A").num
    before = store.patient("A").vectors_version
    assert store.chunk_vectors(num)[0].size == 0
    pending = store.pending_chunks(64, num)
    versions = store.set_vectors({c: v for (c, _), v in zip(pending, _vectors(len(pending), 1))})
    assert versions == {num: store.patient("A").vectors_version} and versions[num] > before
    assert store.pending_chunks(64, num) == [] and store.pending_documents(num) == set()
    assert sorted(store.chunk_vectors(num)[0].tolist()) == sorted(c.id for c in store.document_chunks(doc))
    assert store.set_vectors({pending[0][0]: _vectors(1, 2)[0]}) == {}  # no longer pending: left as it is


def test_facts_are_replaced_not_added(store):
    doc = store.add_document(new_document("A", "f1", texts=["x"], facts=[Fact(kind="allergy", name="iode")]))
    assert not store.facts_outdated(doc)
    store.replace_facts(doc, [Fact(kind="medication", name="metformine")])
    assert [(f.kind, f.name) for f in store.facts("A")] == [("medication", "metformine")]
    assert [f.name for f in store.facts("A", ["allergy"])] == []
    with pytest.raises(UnknownDocument):
        store.replace_facts("0" * 32, [])


# --- access ------------------------------------------------------------------------------------------------

def test_grants(store):
    _add(store, "A", "a1")
    assert store.grant("dr-a", "A", "admin") is True
    assert store.grant("dr-a", "A", "someone else") is False  # the first grant stays
    assert store.is_granted("dr-a", "A") and not store.is_granted("dr-a", "B")
    [g] = store.grants(practitioner="dr-a")
    assert isinstance(g, Grant) and (g.practitioner, g.patient_id, g.granted_by) == ("dr-a", "A", "admin")
    assert [p.id for p in store.granted_patients("dr-a", None, 10)] == ["A"]
    assert store.revoke("dr-a", "A") is True and store.revoke("dr-a", "A") is False
    assert store.grants() == []


def test_break_glass_windows(store):
    now = datetime.now(timezone.utc).replace(microsecond=0)
    store.open_break_glass("dr-a", "A", "urgence", now + timedelta(hours=1))
    window = store.open_window("dr-a", "A", now)
    assert isinstance(window, BreakGlassWindow) and window.reason == "urgence"
    assert store.open_window("dr-a", "A", now + timedelta(hours=2)) is None
    assert store.open_window("dr-b", "A", now) is None


def test_the_audit_log_is_append_only_and_paged(store):
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for i in range(3):
        store.append_audit(AuditRecord(actor="dr-a", actor_role="practitioner", action="ask", outcome="allowed",
                                       patient_id="A", document_ids=(f"d{i}",),
                                       recorded_at=(at + timedelta(days=i)).isoformat()))
    store.append_audit(AuditRecord(actor="dr-b", actor_role="practitioner", action="ask", outcome="refused",
                                   patient_id="B"))
    total, page = store.audit_events("A", limit=2)
    assert total == 3 and [r.document_ids for r in page] == [("d2",), ("d1",)]
    assert [r.document_ids for r in store.audit_events("A", newest_first=False)[1]] == [("d0",), ("d1",), ("d2",)]
    assert store.audit_events()[0] == 4
    assert store.last_opened("dr-a", "A", at + timedelta(days=2)) == at + timedelta(days=1)
    assert store.last_opened("dr-b", "B", at + timedelta(days=9)) is None  # refused: not an opening


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET outcome = 'allowed', question = NULL",
                                       "DELETE FROM audit_events", "DELETE FROM audit_events WHERE actor = 'dr-b'"])
def test_the_database_refuses_to_change_or_delete_audit_events(store, raw_sql, statement):
    """Append-only in the database itself: a statement that bypasses the store's API is refused too."""
    store.append_audit(AuditRecord(actor="dr-a", actor_role="practitioner", action="ask", outcome="allowed",
                                   patient_id="A", question="écho ?"))
    store.append_audit(AuditRecord(actor="dr-b", actor_role="practitioner", action="ask", outcome="refused",
                                   patient_id="B", question="bilan ?"))
    before = store.audit_events()
    with pytest.raises(Exception, match="append-only"):
        raw_sql(statement)
    assert store.audit_events() == before and before[0] == 2
    assert store.append_audit(AuditRecord(actor="dr-c", actor_role="admin", action="grant", outcome="allowed")) == 3
