"""The facts table: written with their document in one transaction, read back per patient, never across."""

from __future__ import annotations

import sqlite3
from datetime import date

import numpy as np
import pytest

from carnet.facts import Fact
from carnet.models import Chunk, DocMeta
from index.embedders import HashingEmbedder
from index.sqlite import SQLiteStore as Store, document_id_for
from tests.factories import new_document

pytestmark = pytest.mark.unit


def add(store, patient, sha, facts=(), when=date(2024, 1, 2), vectors=None):
    emb = HashingEmbedder()
    doc_id = document_id_for(patient, sha)
    chunks = [Chunk(doc_id, 1, 0, 4, None, "text")]
    return store.add_document(new_document(
        patient_id=patient, content_sha256=sha, source=f"{patient}/{sha}.pdf",
        meta=DocMeta(type_code="11488-4", service_date=when), chunks=chunks,
        vectors=emb.embed_passages(["text"]) if vectors is None else vectors, page_count=1, ocr_pages=[],
        ocr_confidence=None, fingerprint=None, file_size=10, pdf_bytes=b"%PDF-1.4 test", facts=facts,
    ))


def test_facts_round_trip_with_their_provenance(tmp_path):
    store = Store(tmp_path)
    allergy = Fact("allergy", "pénicilline", reaction="urticaire", page=2, sentence="Allergie à la pénicilline",
                   section="allergies", service_date=date(2024, 1, 2), author="Dr Test")
    med = Fact("medication", "metformine", dose="1000 mg", posology="matin et soir", code="A10BA02",
               code_system="ATC", start=date(2020, 5, 1))
    doc_id = add(store, "A", "a1", [allergy, med])
    facts = store.facts("A")
    assert {f.name for f in facts} == {"pénicilline", "metformine"}
    got = next(f for f in facts if f.kind == "allergy")
    assert got.document_id == doc_id and got.page == 2 and got.reaction == "urticaire"
    assert got.service_date == date(2024, 1, 2) and got.author == "Dr Test"
    assert [f.name for f in store.facts("A", ["medication"])] == ["metformine"]
    assert store.facts("A", ["medication"])[0].start == date(2020, 5, 1)


def test_facts_are_patient_isolated_and_newest_first(tmp_path):
    store = Store(tmp_path)
    add(store, "A", "a1", [Fact("allergy", "iode")], when=date(2020, 1, 1))
    add(store, "A", "a2", [Fact("allergy", "latex", service_date=date(2023, 1, 1))], when=date(2023, 1, 1))
    add(store, "B", "b1", [Fact("allergy", "arachide")])
    assert [f.name for f in store.facts("A")] == ["latex", "iode"]
    assert [f.name for f in store.facts("B")] == ["arachide"]


def test_a_failed_document_write_leaves_no_fact(tmp_path):
    store = Store(tmp_path)
    add(store, "A", "a0")
    with pytest.raises(ValueError):
        add(store, "A", "a1", [Fact("allergy", "iode")], vectors=np.zeros((2, 4), dtype=np.float32))
    assert store.facts("A") == []


def test_replace_facts_rewrites_one_document(tmp_path):
    store = Store(tmp_path)
    doc_id = add(store, "A", "a1", [Fact("allergy", "iode")])
    store.replace_facts(doc_id, [Fact("allergy", "latex"), Fact("problem", "asthme", status="history")])
    assert sorted(f.name for f in store.document_facts(doc_id)) == ["asthme", "latex"]


def test_a_fact_names_a_bad_status():
    with pytest.raises(ValueError, match="status"):
        Fact("allergy", "iode", status="maybe")


def test_an_older_store_gains_the_facts_table_and_lab_columns(tmp_path):
    home = tmp_path / "old"
    home.mkdir()
    conn = sqlite3.connect(home / "carnet.db")
    conn.executescript(
        "CREATE TABLE lab_values (document_id TEXT NOT NULL, analyte TEXT NOT NULL, label TEXT, value REAL, "
        "unit TEXT, low REAL, high REAL, flag TEXT, page INTEGER, PRIMARY KEY (document_id, analyte, label));"
    )
    conn.close()
    store = Store(home)
    add(store, "A", "a1", [Fact("allergy", "iode")])
    cols = {r[1] for r in store.db.execute("PRAGMA table_info(lab_values)").fetchall()}
    assert {"loinc", "ucum", "origin", "confidence"} <= cols
    assert [f.name for f in store.facts("A")] == ["iode"]


def test_a_document_stored_before_facts_existed_gains_them_on_the_next_ingest(carnet, tmp_path):
    from ingest.pipeline import discover
    from tests.pdfs import write_pdf

    root = tmp_path / "corpus"
    write_pdf(root / "P1" / "letter.pdf", ["Consultation\nAntécédents : HTA.\nAllergie à la pénicilline (urticaire).\n"])
    carnet.ingestor.ingest(discover(root))
    store = carnet.store
    [doc] = store.documents("P1")
    assert [f.name for f in store.facts("P1", ["allergy"])] == ["pénicilline"]
    # as an older Carnet left it: no facts, no extractor version
    store.db.execute("DELETE FROM facts")
    store.db.execute("UPDATE documents SET facts_version = NULL")
    assert store.facts_outdated(doc.id)
    report = carnet.ingestor.ingest(discover(root))
    assert report.unchanged == ["P1/letter.pdf"]
    assert [f.name for f in store.facts("P1", ["allergy"])] == ["pénicilline"]
    assert not store.facts_outdated(doc.id)
