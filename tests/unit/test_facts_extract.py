"""Facts read from short texts: allergies, medication lines and problems, with negation, family and hypothesis."""

from __future__ import annotations

from datetime import date

import pytest

from carnet.models import DocMeta, ExtractedDocument, Page
from ingest.facts import extract_facts

pytestmark = pytest.mark.unit


def facts(text, kind=None, language="fr", type_code="11488-4", ocr_confidence=None):
    page = Page(1, text, ocr=ocr_confidence is not None, ocr_confidence=ocr_confidence, ocr_words=100)
    doc = ExtractedDocument("x.pdf", "sha", (page,))
    meta = DocMeta(type_code=type_code, language=language, service_date=date(2025, 3, 1), author="Dr Essai")
    out = extract_facts(doc, meta)
    return [f for f in out if kind is None or f.kind == kind]


def allergies(text, language="fr"):
    return {(f.name.lower(), f.status) for f in facts(text, "allergy", language)}


def test_an_allergy_in_a_history_list_is_an_allergy_not_a_problem():
    text = "Antécédents :\n- Appendicectomie en 2001\n- Allergie à l'amoxicilline (œdème de Quincke)\n"
    got = facts(text)
    allergy = [f for f in got if f.kind == "allergy"]
    assert [(f.name, f.reaction, f.status) for f in allergy] == [("amoxicilline", "œdème de Quincke", "active")]
    assert allergy[0].service_date == date(2025, 3, 1) and allergy[0].author == "Dr Essai"
    assert "amoxicilline" in allergy[0].sentence
    assert not any("allerg" in f.name.lower() for f in got if f.kind == "problem")


def test_negated_family_and_suspected_allergies_keep_their_status():
    assert allergies("Pas d'allergie à l'iode.") >= {("iode", "negated")}
    assert allergies("Sa mère est allergique aux sulfamides.") == {("sulfamides", "family")}
    assert allergies("Suspicion d'allergie au latex, à explorer.") == {("latex", "hypothetical")}


def test_no_known_allergy_is_a_stated_fact():
    assert allergies("Allergies : aucune connue.") == {("aucune allergie connue", "none")}
    assert allergies("Pas d'allergie médicamenteuse connue.") == {("aucune allergie connue", "none")}
    assert allergies("History\nNo known drug allergies.", "en") == {("aucune allergie connue", "none")}
    assert allergies("Allergies: NKDA", "en") == {("aucune allergie connue", "none")}


def test_an_allergies_section_lists_each_substance_with_its_reaction():
    got = facts("ALLERGIES\nPénicilline (urticaire), sulfamides\nTraitement : néant\n", "allergy")
    assert {(f.name, f.reaction) for f in got} == {("Pénicilline", "urticaire"), ("sulfamides", None)}


def test_english_allergies_and_family_history():
    assert allergies("Allergic to penicillin (rash).", "en") == {("penicillin", "active")}
    assert allergies("Latex allergy.", "en") == {("latex", "active")}
    assert allergies("Her mother has a penicillin allergy.", "en") == {("penicillin", "family")}


def test_a_letter_treatment_section_is_one_statement():
    text = ("Traitement actuel :\nKARDEGIC 75 mg : 1 sachet par jour\nBisoprolol 2,5 mg : 1 comprimé le matin\n"
            "Metformine 1000 mg\nmatin et soir\nConclusion : HTA équilibrée.")
    meds = facts(text, "medication")
    assert [(m.name, m.dose, m.posology) for m in meds] == [
        ("KARDEGIC", "75 mg", "1 sachet par jour"), ("Bisoprolol", "2,5 mg", "1 comprimé le matin"),
        ("Metformine", "1000 mg", "matin et soir")]
    assert {m.statement for m in meds} == {"traitement actuel"}
    assert meds[0].code == "B01AC06" and meds[0].code_system == "ATC"  # edsnlp's drug matcher


def test_a_prescription_body_is_a_statement_and_forms_are_not_posologies():
    text = "ORDONNANCE\nLe 06/07/2026\nOMÉPRAZOLE 20 mg, gélule\n1 gélule le matin — QSP 3 mois\nDr Test"
    meds = facts(text, "medication", type_code="57833-6")
    assert [(m.name, m.dose, m.posology, m.statement) for m in meds] == [
        ("OMÉPRAZOLE", "20 mg", "1 gélule le matin — QSP 3 mois", "ordonnance")]


def test_no_treatment_is_stated_and_english_discharge_prose_is_read():
    assert [(m.name, m.status) for m in facts("Traitement habituel : aucun traitement au long cours.", "medication")] == [
        ("aucun traitement", "none")]
    text = "Medications on discharge\nAmoxicillin 1 g three times daily for 2 more days. Paracetamol 1 g four\ntimes daily."
    meds = facts(text, "medication", "en")
    assert [(m.name, m.dose) for m in meds] == [("Amoxicillin", "1 g"), ("Paracetamol", "1 g")]
    assert meds[1].posology == "four times daily."


def test_problems_with_negation_and_family_history():
    got = facts("Antécédents : HTA ; pas de diabète ; tabagisme sevré.\nAntécédents familiaux : cancer du sein chez la mère.",
                "problem")
    status = {f.name: f.status for f in got}
    assert status["HTA"] == "active"
    assert status["pas de diabète"] == "negated"
    assert status["cancer du sein chez la mère"] == "family"


def test_a_page_read_badly_by_ocr_gives_no_fact_and_a_good_one_says_so():
    text = "Allergie à la pénicilline."
    assert facts(text, "allergy", ocr_confidence=0.5) == []
    got = facts(text, "allergy", ocr_confidence=0.93)
    assert got[0].source == "ocr" and got[0].confidence == pytest.approx(0.93)


def test_lab_reports_state_no_facts():
    assert facts("Glycémie 1,10 g/L (0,70-1,10)\nAllergie : néant", type_code="11502-2") == []


def test_a_denied_substance_is_no_statement_of_none_and_a_doubt_after_the_mention_counts():
    assert allergies("Pas d'allergie à l'iode.") == {("iode", "negated")}
    assert allergies("Allergie au latex suspectée, à explorer.") == {("latex", "hypothetical")}
    assert allergies("Il est allergique à la pénicilline (œdème de Quincke) et aux sulfamides.") == {
        ("pénicilline", "active"), ("sulfamides", "active")}
    assert allergies("She denies any drug allergies.", "en") == {("aucune allergie connue", "none")}


def test_a_french_abbreviated_treatment_heading_opens_a_statement():
    meds = facts("ATCD : HTA.\nTTT :\n- Amlodipine 5 mg 1/j\n- Metformine 850 mg matin et soir", "medication")
    assert [(m.name, m.dose, m.statement) for m in meds] == [("Amlodipine", "5 mg", "ttt"), ("Metformine", "850 mg", "ttt")]
