"""query.clinical over facts: allergy contradictions, the current treatment and what changed since."""

from __future__ import annotations

from datetime import date

import pytest

from carnet.facts import Fact
from query import clinical
from query.facts_questions import changes_answer, facts_intent
from tests.factories import stored_document

pytestmark = pytest.mark.unit


def med(name, dose, doc, when, statement="traitement actuel", code=None, status="active"):
    return Fact("medication", name, dose=dose, document_id=doc, service_date=when, statement=statement, code=code,
                status=status)


def test_allergies_never_none_unless_stated_and_contradictions_shown():
    assert clinical.allergies([])["status"] == "not-stated"
    none = Fact("allergy", "aucune allergie connue", status="none", document_id="d1", service_date=date(2024, 1, 1))
    assert clinical.allergies([none])["status"] == "none"
    peni = Fact("allergy", "Pénicilline", reaction="urticaire", document_id="d2", service_date=date(2023, 1, 1))
    peni2 = Fact("allergy", "pénicilline", document_id="d3", service_date=date(2025, 1, 1), page=2)
    view = clinical.allergies([none, peni, peni2])
    assert view["status"] == "contradiction"
    [item] = view["items"]
    assert item["text"] == "pénicilline (urticaire)" and {s["document_id"] for s in item["sources"]} == {"d2", "d3"}
    denied = Fact("allergy", "pénicilline", status="negated", document_id="d4")
    assert any("niée" in c["text"] for c in clinical.allergies([peni, denied])["contradictions"])
    family = Fact("allergy", "aspirine", status="family", document_id="d5")
    assert clinical.allergies([family])["status"] == "not-stated"  # a relative's allergy is not the patient's


def test_current_treatment_is_the_latest_statement_with_what_changed():
    old = [med("Kardegic", "75 mg", "a", date(2022, 9, 1), "traitement de sortie", "B01AC06"),
           med("Ramipril", "5 mg", "a", date(2022, 9, 1), "traitement de sortie", "C09AA05"),
           med("Bisoprolol", "2,5 mg", "a", date(2022, 9, 1), "traitement de sortie", "C07AB07"),
           med("Ramipril", "2,5 mg", "a", date(2022, 9, 1), "traitement a l'entree", "C09AA05")]
    new = [med("KARDEGIC", "75 mg", "b", date(2026, 3, 23), code="B01AC06"),
           med("Bisoprolol", "5 mg", "b", date(2026, 3, 23), code="C07AB07"),
           med("Entresto", "49 mg/51 mg", "b", date(2026, 3, 23))]
    acute = [med("Amoxicilline", "1 g", "c", date(2026, 5, 1), "ordonnance", "J01CA04")]
    current = clinical.current_treatment(old + new + acute, today=date(2026, 11, 27))
    assert current["document_id"] == "b" and current["date"] == "2026-03-23" and current["age_days"] == 249
    assert [x["name"] for x in current["previous"]["added"]] == ["Entresto"]
    assert [x["name"] for x in current["previous"]["stopped"]] == ["Ramipril"]  # the discharge, not the admission
    assert [(x["name"], x["previous_dose"]) for x in current["previous"]["dose_changed"]] == [("Bisoprolol", "2,5 mg")]
    assert [x["name"] for x in current["prescribed_since"]] == ["Amoxicilline"]  # not a renewal: not current
    assert [x["name"] for x in current["not_restated"]] == ["Ramipril"]
    assert clinical.age_phrase(249) == "il y a 8 mois"


def test_a_renewal_prescription_becomes_the_current_statement():
    letter = [med("Metformine", "1000 mg", "a", date(2025, 1, 1)), med("Ramipril", "5 mg", "a", date(2025, 1, 1))]
    renewal = [med("METFORMINE", "1000 mg", "b", date(2025, 6, 1), "ordonnance"),
               med("RAMIPRIL", "5 mg", "b", date(2025, 6, 1), "ordonnance")]
    assert clinical.current_treatment(letter + renewal, today=date(2025, 7, 1))["document_id"] == "b"


@pytest.mark.parametrize("question, intent", [
    ("allergies ?", "allergies"), ("allergie à quoi", "allergies"), ("any allergies", "allergies"),
    ("est-elle allergique ?", "allergies"), ("dernière consultation d'allergologie", None),
    ("compte rendu de l'allergologue", None), ("ordonnance en cours", "treatment"),
    ("traitement en cours", "treatment"), ("current medication", "treatment"),
    ("qu'est-ce qui a changé depuis la dernière consultation", "changes"),
    ("what's new since my last visit", "changes"), ("dernier bilan sanguin", None),
])
def test_facts_intents(question, intent):
    assert facts_intent(question) == intent


def test_changes_since_the_last_consultation_are_dated_and_cited():
    docs = [stored_document(**d) for d in [{"id": "lab", "type_code": "11502-2", "service_date": "2026-05-02", "title": "Bilan", "canonical_id": None,
             "is_noise": False},
            {"id": "cs", "type_code": "11488-4", "service_date": "2026-04-01", "title": "Consultation",
             "canonical_id": None, "is_noise": False},
            {"id": "old", "type_code": "11502-2", "service_date": "2025-01-01", "title": "Bilan", "canonical_id": None,
             "is_noise": False}]]
    labs = [{"name": "HbA1c", "value": 8.1, "unit": "%", "flag": "H", "date": "2026-05-02", "document_id": "lab",
             "page": 1},
            {"name": "Potassium", "value": 5.9, "unit": "mmol/L", "flag": "H", "date": "2025-01-01",
             "document_id": "old", "page": 1}]
    out = changes_answer([], docs, labs, date(2026, 6, 1), "quoi de neuf depuis la dernière consultation")
    assert out["since"] == "2026-04-01"
    assert [(i["kind"], i["document_id"]) for i in out["items"]] == [("document", "lab"), ("lab", "lab")]
    assert "HbA1c" in out["text"] and "Potassium" not in out["text"]
