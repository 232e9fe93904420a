"""Medication start / stop: durations and renewals of prescriptions, changes stated in letters, and the current
treatment they make. Hand-written documents in other people's styles (a GP's prescription, a cardiology
letter, a US discharge summary, a UK clinic letter)."""

from __future__ import annotations

from datetime import date

import pytest

from carnet.models import DocMeta, ExtractedDocument, Page
from ingest.facts import extract_facts
from ingest.facts.durations import line_duration, prescription_span, renewals
from query import clinical

pytestmark = pytest.mark.unit


def facts_of(text: str, type_code: str, when: date, language: str = "fr", doc_id: str = "d"):
    from dataclasses import replace

    doc = ExtractedDocument(f"{doc_id}.pdf", doc_id, (Page(1, text),))
    found = extract_facts(doc, DocMeta(type_code=type_code, service_date=when, language=language))
    return [replace(f, document_id=doc_id) for f in found]


def meds(facts):
    return {f.name.split()[0].lower(): f for f in facts if f.kind == "medication"}


@pytest.mark.parametrize("text, days", [
    ("pendant 10 jours", 10), ("durant 3 semaines", 21), ("x 5 j", 5), ("for 7 days", 7), ("for two weeks", 14),
    ("pendant un mois", 30), ("1 cp x 2/j", None), ("depuis 10 jours", None),
])
def test_line_duration(text, days):
    assert line_duration(text) == days


def test_prescription_span_with_renewals():
    assert prescription_span(["metformine 850 mg", "qsp 3 mois"]) == 90
    assert prescription_span(["qsp 1 mois, a renouveler 2 fois"]) == 90
    assert prescription_span(["q.s.p. 28 jours", "renouvelable 5 fois"]) == 168
    assert prescription_span(["dispense: 30 days", "refills: 2"]) == 90
    assert prescription_span(["amoxicilline 1 g"]) is None
    assert renewals("ar 3 fois") == 3


GP_PRESCRIPTION = """Dr Hélène Castaing
Médecin généraliste - 4 place du Marché, Tournus
Tournus, le 02/06/2025
Mme B. Solange
AMOXICILLINE 1 g : 1 comprimé matin, midi et soir pendant 7 jours
DOLIPRANE 1000 mg : 1 cp si douleur, max 3/j
LEVOTHYROX 75 µg : 1 cp le matin à jeun
QSP 3 mois, AR 3 fois
"""


def test_a_prescription_dates_its_lines_and_their_run_out():
    m = meds(facts_of(GP_PRESCRIPTION, "57833-6", date(2025, 6, 2)))
    amox, levo = m["amoxicilline"], m["levothyrox"]
    assert (amox.status, amox.start, amox.end) == ("active", date(2025, 6, 2), date(2025, 6, 9))  # its own 7 days
    assert (levo.start, levo.end) == (date(2025, 6, 2), date(2026, 5, 28))  # 3 months x 4 = 360 days


CARDIO_LETTER = """Service de Cardiologie - CH de Louhans
Louhans, le 14 mars 2025
Cher confrère,
J'ai revu en consultation votre patient M. Ferrand.
Sur le plan thérapeutique, arrêt de l'amlodipine le 10/03/2025 devant des oedèmes des membres inférieurs,
relayée par le lercanidipine 10 mg le soir. Majoration du bisoprolol à 5 mg.
Il n'y a pas lieu d'arrêter le Kardégic.
Traitement actuel :
- Kardégic 75 mg 1 sachet le midi
- Bisoprolol 5 mg le matin
- Lercanidipine 10 mg le soir
- Atorvastatine 40 mg : arrêtée (myalgies)
"""


def test_a_letter_states_stops_starts_and_dose_changes():
    found = [f for f in facts_of(CARDIO_LETTER, "11488-4", date(2025, 3, 14)) if f.kind == "medication"]
    changes = {(f.name.lower(), f.status) for f in found if not f.statement}
    assert ("amlodipine", "stopped") in changes and ("lercanidipine", "started") in changes
    assert ("bisoprolol", "changed") in changes
    assert not any(n == "kardégic" and s == "stopped" for n, s in changes)  # "pas lieu d'arrêter"
    stop = next(f for f in found if f.name.lower() == "amlodipine")
    assert stop.end == date(2025, 3, 10)  # the date the sentence writes, not the letter's
    statin = next(f for f in found if f.name.lower().startswith("atorvastatine"))
    assert statin.statement and statin.status == "stopped"


US_DISCHARGE = """DISCHARGE SUMMARY
Admission: 01/06/2025   Discharge: 01/09/2025
Hospital course: new atrial fibrillation. Started on apixaban 5 mg twice daily. Metoprolol was switched to
diltiazem because of bronchospasm. Her home lisinopril was held for acute kidney injury.
Discharge medications:
Apixaban 5 mg PO BID
Diltiazem ER 120 mg PO daily
Cefuroxime 500 mg PO BID for 5 days
"""


def test_english_changes_and_a_course_with_its_days():
    found = [f for f in facts_of(US_DISCHARGE, "11490-0", date(2025, 1, 9), "en") if f.kind == "medication"]
    changes = {(f.name.lower(), f.status) for f in found if not f.statement}
    assert {("apixaban", "started"), ("metoprolol", "stopped"), ("diltiazem", "started"),
            ("lisinopril", "stopped")} <= changes
    cef = next(f for f in found if f.statement and f.name.lower().startswith("cefuroxime"))
    assert (cef.start, cef.end) == (date(2025, 1, 9), date(2025, 1, 14))  # from the discharge, 5 days


def test_the_current_treatment_applies_later_changes_and_run_outs():
    letter = facts_of("""Compte rendu de consultation - Dr Vasseur, médecin généraliste
Traitement habituel :
Ramipril 5 mg 1 cp le matin
Metformine 1000 mg matin et soir
Atorvastatine 20 mg le soir""", "11488-4", date(2025, 1, 10), doc_id="gp")
    nephro = facts_of("""Avis néphrologique
Devant une hyperkaliémie à 6,1 mmol/L, arrêt du ramipril. Introduction de l'amlodipine 5 mg le 20/02/2025.
Conclusion : insuffisance rénale chronique stade 3b.""", "11488-4", date(2025, 2, 18), doc_id="nephro")
    antibiotic = facts_of("""Dr Vasseur
Le 01/03/2025
Pristinamycine 500 mg : 2 cp matin et soir pendant 7 jours""", "57833-6", date(2025, 3, 1), doc_id="rx")
    cur = clinical.current_treatment(letter + nephro + antibiotic, today=date(2025, 6, 1))
    current = {x["name"].lower() for x in cur["lines"]}
    assert current == {"metformine", "atorvastatine", "amlodipine"}  # ramipril stopped since, amlodipine started
    assert [x["name"] for x in cur["stopped_since"]] == ["Ramipril"]
    assert cur["stopped_since"][0]["stop_source"]["document_id"] == "nephro"
    assert [x["start"] for x in cur["started_since"]] == ["2025-02-20"]
    # the 7-day antibiotic of March is not current in June: "last prescribed on"
    assert [(x["name"], x["start"], x["ended_on"]) for x in cur["last_prescribed"]] == [
        ("Pristinamycine", "2025-03-01", "2025-03-08")]
    assert cur["prescribed_since"] == []
    # the same record asked a week after the antibiotic: it is still current
    assert [x["name"] for x in clinical.current_treatment(letter + nephro + antibiotic, date(2025, 3, 5))[
        "prescribed_since"]] == ["Pristinamycine"]


def test_a_prescription_without_a_duration_runs_out_after_twelve_months():
    rx = facts_of("""Ordonnance du 12/01/2023
Kardégic 75 mg 1 sachet par jour""", "57833-6", date(2023, 1, 12), doc_id="old")
    cur = clinical.current_treatment(rx, today=date(2025, 6, 1))
    assert cur["lines"] == [] and [x["ended_on"] for x in cur["last_prescribed"]] == ["2024-01-12"]
    assert clinical.current_treatment(rx, today=date(2023, 6, 1))["lines"][0]["name"] == "Kardégic"
