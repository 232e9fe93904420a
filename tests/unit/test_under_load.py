"""What the server does under concurrent load keeps its guarantees: every answered request has its audit
record (written in group commits by one thread per process), and the in-memory copy of a patient's
document rows follows every write to them."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import json
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from carnet.config import Settings
from carnet.models import Chunk, DocMeta
from carnet.records import AuditRecord
from index.embedders import HashingEmbedder
from index.sqlite import SQLiteStore as Store, document_id_for
from tests.factories import new_document
from tests.auth import TEST_SERVER_NAMES, headers_for

pytestmark = pytest.mark.unit


def _add(store: Store, patient: str, sha: str, text: str, day: date = date(2025, 3, 1), vectors=True) -> str:
    doc_id = document_id_for(patient, sha)
    store.add_document(new_document(patient_id=patient, content_sha256=sha, source=f"{patient}/{sha}.pdf",
                       meta=DocMeta(title="Bilan", type_code="11502-2", service_date=day, specialty_code="SM03"),
                       chunks=[Chunk(doc_id, 1, 0, len(text), None, text)],
                       vectors=HashingEmbedder().embed_passages([text]) if vectors else None, page_count=1,
                       ocr_pages=[], ocr_confidence=None, fingerprint=None, file_size=10,
                       pdf_bytes=b"%PDF-1.4 test"))
    return doc_id


def _audit_rows(home) -> list[tuple]:
    conn = sqlite3.connect(home / "carnet.db")
    try:
        return conn.execute("SELECT actor, patient_id, action, question, document_ids, outcome FROM audit_events "
                            "ORDER BY id").fetchall()
    finally:
        conn.close()


def test_every_answered_request_has_its_audit_record_under_concurrency(tmp_path):
    settings = Settings(home=tmp_path / "home", embedder="hashing", ocr=False, server_names=TEST_SERVER_NAMES)
    store = Store(settings.home)
    for p in ("P0001", "P0002"):
        _add(store, p, f"{p}-a", "Bilan biologique : HbA1c 6,5 %.")
        _add(store, p, f"{p}-b", "Compte rendu de cardiologie : échographie normale.", date(2025, 4, 1))
    headers = {p: headers_for(settings, f"dr-{p}", [p]) for p in ("P0001", "P0002")}
    before = len(_audit_rows(settings.home))
    questions = [(f"P000{1 + i % 2}", f"question {i} : dernière HbA1c") for i in range(60)]
    with TestClient(create_app(settings)) as client:
        def ask(item):
            patient, question = item
            r = client.post(f"/v1/patients/{patient}/ask", json={"question": question}, headers=headers[patient])
            body = r.json()
            return patient, question, r.status_code, [d["id"] for d in body["documents"] + body["alternatives"]]

        with ThreadPoolExecutor(12) as pool:
            answered = list(pool.map(ask, questions))
    assert all(status == 200 for _, _, status, _ in answered)
    rows = _audit_rows(settings.home)[before:]
    asked = {(r[1], r[3]): r for r in rows if r[2] == "ask"}
    assert len(asked) == len(questions)  # one record per answered request, none merged or lost
    for patient, question, _, ids in answered:
        actor, patient_id, _, _, document_ids, outcome = asked[(patient, question)]
        assert (actor, patient_id, outcome) == (f"dr-{patient}", patient, "allowed")
        assert sorted(ids) == sorted(json.loads(document_ids)) and ids  # the documents it showed


def test_audit_appends_from_many_threads_get_distinct_committed_ids(tmp_path):
    store = Store(tmp_path / "home")
    records = store
    barrier = threading.Barrier(16)

    def write(i):
        barrier.wait()
        return [records.append_audit(AuditRecord(actor=f"dr-{i}", actor_role="practitioner", action="ask",
                                           outcome="allowed", patient_id="P0001", question=f"q{i}-{k}"))
                for k in range(10)]

    with ThreadPoolExecutor(16) as pool:
        ids = [x for batch in pool.map(write, range(16)) for x in batch]
    assert len(set(ids)) == 160
    # committed when append returned: another connection reads every one of them
    conn = sqlite3.connect(store.path)
    stored = dict(conn.execute("SELECT id, question FROM audit_events").fetchall())
    conn.close()
    assert set(ids) <= set(stored)
    assert sorted(stored[i] for i in ids) == sorted(f"q{i}-{k}" for i in range(16) for k in range(10))


def test_a_failed_audit_write_fails_the_request_instead_of_passing_silently(tmp_path):
    store = Store(tmp_path / "home")
    records = store
    with pytest.raises(sqlite3.IntegrityError):  # action is NOT NULL: the transaction fails, the caller learns it
        records.append_audit(AuditRecord(actor="dr", actor_role="practitioner", action=None, outcome="allowed"))
    assert records.append_audit(AuditRecord(actor="dr", actor_role="practitioner", action="ask", outcome="allowed")) > 0


def test_cached_documents_follow_every_write_to_the_patients_rows(tmp_path):
    home = tmp_path / "home"
    store = Store(home)
    a = _add(store, "P0001", "a", "Bilan biologique : HbA1c 6,5 %.")
    assert [r.id for r in store.documents("P0001")] == [a]
    other = Store(home)  # another process's store: its writes reach this one's cache through the version
    b = _add(other, "P0001", "b", "Compte rendu de cardiologie.", date(2025, 5, 1))
    assert [r.id for r in store.documents("P0001")] == [b, a]
    other.add_duplicate_file(a, "P0001/copy-of-a.pdf")
    assert store.documents("P0001")[1].duplicate_sources == ("P0001/copy-of-a.pdf",)
    other.set_canonical([a, b], b, "near")
    rows = {r.id: r for r in store.documents("P0001")}
    assert rows[a].canonical_id == b and rows[b].canonical_id is None
    c = _add(other, "P0001", "c", "Ordonnance.", date(2025, 6, 1), vectors=False)
    assert [r.id for r in store.documents("P0001")] == [c, b, a]


def test_a_caller_changing_its_rows_does_not_change_the_next_callers(tmp_path):
    store = Store(tmp_path / "home")
    _add(store, "P0001", "a", "Bilan biologique.")
    rows = store.documents("P0001")
    with pytest.raises(FrozenInstanceError):
        rows[0].title = "changed"  # the records are frozen
    rows.clear()
    assert store.documents("P0001")[0].title == "Bilan"


def test_cached_chunks_are_the_documents_own_and_follow_writes_to_the_patients_rows(tmp_path):
    home = tmp_path / "home"
    store = Store(home)
    a = _add(store, "P0001", "a", "Bilan biologique : HbA1c 6,5 %.")
    b = _add(store, "P0002", "b", "Compte rendu de cardiologie : échographie normale.")
    assert store.document_chunks("absent") == []
    for doc, patient, text in ((a, "P0001", "HbA1c"), (b, "P0002", "cardiologie")):
        for _ in range(2):  # read, then served from memory: the same chunks, the owner's only
            chunks = store.document_chunks(doc)
            assert [c.document_id for c in chunks] == [doc] and text in chunks[0].text
            assert store.document_owner(chunks[0].document_id) == patient
    chunks.clear()  # a caller changing its list does not change the next caller's
    assert len(store.document_chunks(b)) == 1
    # A write through another store (another process) bumps the patient's version: the next read goes
    # back to the rows (here a chunk rewritten behind the store's back, then a version bump as any write does).
    conn = sqlite3.connect(home / "carnet.db")
    conn.execute("UPDATE chunks SET text = 'Bilan corrigé.' WHERE document_id = ?", [a])
    conn.commit()
    conn.close()
    _add(Store(home), "P0001", "c", "Ordonnance.", date(2025, 6, 1))
    assert store.document_chunks(a)[0].text == "Bilan corrigé."
    assert store.document_chunks(b)[0].text.startswith("Compte rendu")


def test_last_opened_is_one_index_seek(tmp_path):
    store = Store(tmp_path / "home")
    plan = store.db.execute(
        "EXPLAIN QUERY PLAN SELECT MAX(recorded_at) FROM audit_events WHERE actor = ? AND patient_id = ? "
        "AND outcome = 'allowed' AND actor_role = 'practitioner' AND recorded_at < ?", ["dr", "P0001", "2030"]
    ).fetchall()
    assert "audit_events_last_opened" in str(plan)
    when = "2025-01-02T10:00:00+00:00"
    for actor, role, outcome, at in (("dr", "practitioner", "allowed", when), ("dr", "practitioner", "denied",
                                     "2025-02-01T10:00:00+00:00"), ("other", "practitioner", "allowed",
                                     "2025-03-01T10:00:00+00:00")):
        store.append_audit(AuditRecord(recorded_at=at, actor=actor, actor_role=role, patient_id="P0001",
                                       action="ask", outcome=outcome))
    assert store.last_opened("dr", "P0001", datetime(2026, 1, 1)).isoformat() == when
