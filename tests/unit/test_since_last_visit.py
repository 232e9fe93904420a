""""Depuis la dernière consultation" / "since my last visit" means the ASKING practitioner's last consultation:
one they wrote (their identifier or name as its author), else the day they last opened the record (the
audit), else the patient's last consultation, said so."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from carnet.config import Settings
from carnet.facts import Fact
from carnet.models import Chunk, DocMeta
from carnet.records import AuditRecord
from index.embedders import HashingEmbedder
from index.sqlite import SQLiteStore as Store, document_id_for
from query.facts_questions import Asker, changes_answer, reference_visit, same_person
from tests.auth import TEST_SERVER_NAMES, headers_for
from tests.factories import new_document
from tests.factories import stored_document

pytestmark = pytest.mark.unit


def doc(id_, type_code, day, author=None, author_id=None, title=None):
    return stored_document(id_, "P0001", type_code=type_code, service_date=day, author=author, author_id=author_id,
                           title=title or id_)


DOCS = [  # most recent first, as the store gives them
    doc("lab", "11502-2", "2026-05-02", title="Bilan"),
    doc("cardio", "11488-4", "2026-04-20", "Dr Paul Fontaine"),
    doc("gp", "11488-4", "2026-02-01", "Dr C. Lemaire", "rpps-lemaire"),
    doc("echo", "18748-4", "2026-03-01"),
]


@pytest.mark.parametrize("name, author, same", [
    ("Claire Lemaire", "Dr C. Lemaire", True), ("Dr Claire Lemaire", "LEMAIRE Claire", True),
    ("Claire Lemaire", "Dr Paul Lemaire", False), ("Claire Lemaire", "Dr Fontaine", False),
    ("Lemaire", "Dr C. Lemaire", True), (None, "Dr C. Lemaire", False),
])
def test_same_person(name, author, same):
    assert same_person(name, author) is same


def test_the_asking_practitioners_own_consultation_by_identifier_or_name():
    by_id = reference_visit(DOCS, date(2026, 6, 1), Asker("rpps-lemaire"))
    assert (by_id["since"], by_id["kind"], by_id["document_id"], by_id["note"]) == ("2026-02-01", "practitioner",
                                                                                    "gp", None)
    by_name = reference_visit(DOCS, date(2026, 6, 1), Asker("sub-42", "Claire Lemaire"))
    assert by_name["document_id"] == "gp"
    # the patient's latest consultation is the cardiologist's: not this practitioner's last visit
    assert reference_visit(DOCS, date(2026, 6, 1), None)["document_id"] == "cardio"


def test_without_a_consultation_of_theirs_the_day_they_last_opened_the_record():
    ref = reference_visit(DOCS, date(2026, 6, 1), Asker("dr-remplacant", "Luc Martin", last_opened=date(2026, 3, 15)))
    assert (ref["since"], ref["kind"]) == ("2026-03-15", "record-opened")
    assert "journal d'accès" in ref["note"]


def test_without_either_the_patients_last_consultation_with_a_note():
    ref = reference_visit(DOCS, date(2026, 6, 1), Asker("dr-remplacant", "Luc Martin"))
    assert (ref["since"], ref["kind"], ref["document_id"]) == ("2026-04-20", "patient", "cardio")
    assert ref["note"].startswith("Aucune consultation de vous dans le dossier") and "Fontaine" in ref["note"]


def test_what_changed_since_my_visit_lists_documents_and_stated_treatment_changes():
    facts = [Fact("medication", "ramipril", status="stopped", end=date(2026, 4, 20), document_id="cardio",
                  service_date=date(2026, 4, 20), sentence="Arrêt du ramipril."),
             Fact("medication", "bisoprolol", status="started", start=date(2025, 12, 1), document_id="old",
                  service_date=date(2025, 12, 1), sentence="Introduction du bisoprolol.")]
    out = changes_answer(facts, DOCS, [], date(2026, 6, 1), "quoi de neuf depuis ma dernière consultation",
                         Asker("rpps-lemaire"))
    assert out["since"] == "2026-02-01" and out["reference"]["kind"] == "practitioner"
    kinds = [(i["kind"], i["document_id"]) for i in out["items"]]
    assert ("document", "cardio") in kinds and ("document", "echo") in kinds and ("document", "gp") not in kinds
    assert ("medication", "cardio") in kinds and "ramipril arrêté" in out["text"]
    assert "bisoprolol" not in out["text"]  # started before the practitioner's visit
    assert "votre consultation du 2026-02-01" in out["text"]


def _add(store, sha, text, meta):
    doc_id = document_id_for("P0001", sha)
    store.add_document(new_document(patient_id="P0001", content_sha256=sha, source=f"P0001/{sha}.pdf", meta=meta,
                       chunks=[Chunk(doc_id, 1, 0, len(text), None, text)],
                       vectors=HashingEmbedder().embed_passages([text]), page_count=1, ocr_pages=[],
                       ocr_confidence=None, fingerprint=None, file_size=10, pdf_bytes=b"%PDF-1.4 test",
                       lab_values=[], facts=[]))
    return doc_id


def test_through_the_api_the_token_says_who_asks(tmp_path):
    settings = Settings(home=tmp_path / "home", embedder="hashing", ocr=False, server_names=TEST_SERVER_NAMES)
    store = Store(settings.home)
    mine = _add(store, "gp", "Consultation de médecine générale. Examen normal.",
                DocMeta(type_code="11488-4", service_date=date(2026, 2, 1), author="Dr C. Lemaire",
                        author_id="dr-lemaire"))
    _add(store, "cardio", "Consultation de cardiologie. ECG normal.",
         DocMeta(type_code="11488-4", service_date=date(2026, 4, 20), author="Dr P. Fontaine"))
    question = {"question": "qu'est-ce qui a changé depuis la dernière consultation", "today": "2026-06-01"}
    with TestClient(create_app(settings)) as client:
        own = client.post("/v1/patients/P0001/ask", json=question,
                          headers=headers_for(settings, "dr-lemaire", ["P0001"])).json()
        assert own["facts"]["since"] == "2026-02-01" and own["facts"]["reference"]["document_id"] == mine
        other = client.post("/v1/patients/P0001/ask", json=question,
                            headers=headers_for(settings, "dr-martin", ["P0001"])).json()
        assert other["facts"]["reference"]["kind"] == "patient" and other["facts"]["since"] == "2026-04-20"
        # dr-martin opened the record on an earlier day: the audit says when
        earlier = (datetime.now(timezone.utc) - timedelta(days=10)).replace(microsecond=0)
        store.append_audit(AuditRecord(actor="dr-martin", actor_role="practitioner", action="ask",
                                              outcome="allowed", patient_id="P0001", recorded_at=earlier.isoformat()))
        again = client.post("/v1/patients/P0001/ask", json={**question, "today": None},
                            headers=headers_for(settings, "dr-martin", ["P0001"])).json()
        assert again["facts"]["reference"]["kind"] == "record-opened"
        assert again["facts"]["since"] == earlier.date().isoformat()
