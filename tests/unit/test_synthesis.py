"""The patient synthesis: latest documents, medications, allergies, problems, labs over time, all sourced."""

from __future__ import annotations

from datetime import date

import pytest

from carnet.errors import NotFound, UnknownPatient
from carnet.models import Chunk, DocMeta, ExtractedDocument, Page
from index.embedders import HashingEmbedder
from index.sqlite import SQLiteStore as Store, document_id_for
from ingest.facts import extract_facts
from query.synthesis import lab_trend_png, patient_synthesis
from tests.factories import new_document

pytestmark = pytest.mark.unit

OLD_PRESCRIPTION = """Dr Martin Leroy
Le 3 mars 2023
ORDONNANCE
GLICLAZIDE 30 mg : 1 comprimé le matin
"""
PRESCRIPTION = """Docteur Martin Leroy
Médecine générale
Le 7 octobre 2024
ORDONNANCE
METFORMINE 1000 mg, comprimé : 1 comprimé matin et soir au cours du repas
- Ramipril 5 mg gélule
  1 gélule le matin
QSP 3 mois, à renouveler 1 fois.
"""
CONSULTATION = """Consultation de cardiologie
Antécédents : infarctus inférieur en 2016 ; hypertension artérielle ; dyslipidémie.
Allergies : pénicilline (urticaire)
Traitement actuel : aspirine 75 mg.
Conclusion : cardiopathie ischémique stable."""
DISCHARGE = """LETTRE DE LIAISON À LA SORTIE
Allergies : aucune connue
Diagnostics retenus :
- Exacerbation de BPCO
- Pneumopathie basale droite
Conclusion : exacerbation de BPCO d'origine infectieuse, évolution favorable."""


def _add(store, sha, text, meta, labs=(), page=1):
    emb = HashingEmbedder()
    doc_id = document_id_for("P1", sha)
    chunk = Chunk(doc_id, page, 0, len(text), None, text)
    facts = extract_facts(ExtractedDocument(f"{sha}.pdf", sha, (Page(page, text),)), meta)  # as ingestion does
    store.add_document(new_document(patient_id="P1", content_sha256=sha, source=f"P1/{sha}.pdf", meta=meta, chunks=[chunk],
                       vectors=emb.embed_passages([text]), page_count=page, ocr_pages=[], ocr_confidence=None,
                       fingerprint=None, file_size=10,
                       pdf_bytes=b"%PDF-1.4 test", lab_values=labs, facts=facts))
    return doc_id


def lab(analyte, label, value, unit, low, high, flag=None, page=1):
    return {"analyte": analyte, "label": label, "value": value, "unit": unit, "low": low, "high": high, "flag": flag,
            "page": page}


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path)
    _add(s, "rx-old", OLD_PRESCRIPTION, DocMeta(type_code="57833-6", service_date=date(2023, 3, 3)))
    _add(s, "rx", PRESCRIPTION, DocMeta(type_code="57833-6", service_date=date(2024, 10, 7)))
    _add(s, "cs", CONSULTATION, DocMeta(type_code="11488-4", service_date=date(2024, 3, 14)))
    _add(s, "dis", DISCHARGE, DocMeta(type_code="11490-0", service_date=date(2025, 1, 9)))
    _add(s, "lab1", "HbA1c 6,8 %", DocMeta(type_code="11502-2", service_date=date(2024, 1, 10)),
         [lab("hba1c", "HbA1c", 6.8, "%", 4.0, 6.0, "H"), lab("creatinine", "Créatinine", 80, "µmol/L", 45, 104)])
    _add(s, "lab2", "HbA1c 7,4 %", DocMeta(type_code="11502-2", service_date=date(2024, 9, 12)),
         [lab("hba1c", "HbA1c", 7.4, "%", 4.0, 6.0, "H", page=2), lab("creatinine", "Créatinine", 82, "µmol/L", 45, 104),
          lab("transaminases", "ASAT", 30, "UI/L", None, 35), lab("transaminases", "ALAT", 60, "UI/L", None, 45, "H")],
         page=2)
    return s


def test_synthesis_is_structured_and_sourced(store):
    syn = patient_synthesis(store, "P1", today=date(2025, 1, 15))
    ids = {k: document_id_for("P1", k) for k in ("rx", "rx-old", "cs", "dis", "lab1", "lab2")}

    latest = {d["type_code"]: d for d in syn["latest_documents"]}
    assert latest["57833-6"]["document_id"] == ids["rx"] and latest["57833-6"]["count"] == 2
    assert latest["11502-2"]["document_id"] == ids["lab2"] and latest["11502-2"]["page"] == 1
    assert latest["11502-2"]["type_label"] == "CR d'examens biologiques"

    # the letter's current treatment, then what was prescribed since (not a renewal of it); never the old
    # prescription's gliclazide
    meds = {m["name"]: m for m in syn["medications"]}
    assert set(meds) == {"aspirine", "METFORMINE", "Ramipril"}
    assert meds["aspirine"]["document_id"] == ids["cs"] and not meds["aspirine"].get("prescribed_since")
    assert meds["METFORMINE"]["dose"] == "1000 mg" and meds["METFORMINE"]["prescribed_since"]
    assert meds["METFORMINE"]["posology"] == "1 comprimé matin et soir au cours du repas"
    assert meds["Ramipril"]["posology"] == "1 gélule le matin"
    assert meds["Ramipril"]["document_id"] == ids["rx"] and meds["Ramipril"]["page"] == 1
    assert syn["current_treatment"]["date"] == "2024-03-14"

    # an allergy in one document, "aucune connue" in a later one: both shown, the contradiction named
    allergies = syn["allergies"]
    assert [a["text"] for a in allergies] == ["pénicilline (urticaire)",
                                              "aucune allergie connue (contredit ailleurs), 2025-01-09"]
    assert not allergies[0]["none"] and allergies[1]["none"]
    assert allergies[0]["document_id"] == ids["cs"] and allergies[1]["document_id"] == ids["dis"]
    assert syn["allergy_status"] == "contradiction" and syn["allergy_contradictions"]

    problems = {p["text"]: p for p in syn["problems"]}
    assert problems["infarctus inférieur en 2016"]["document_id"] == ids["cs"]
    assert "hypertension artérielle" in problems and "Exacerbation de BPCO" in problems
    assert any(p["kind"] == "conclusion" and p["document_id"] == ids["dis"] for p in syn["problems"])

    labs = {lab["key"]: lab for lab in syn["labs"]}
    hba1c = labs["hba1c"]
    assert (hba1c["value"], hba1c["date"], hba1c["document_id"], hba1c["page"]) == (7.4, "2024-09-12", ids["lab2"], 2)
    assert [(p["date"], p["value"]) for p in hba1c["trend"]] == [("2024-01-10", 6.8), ("2024-09-12", 7.4)]
    assert hba1c["direction"] == "up" and labs["creatinine"]["direction"] == "stable"
    assert {"transaminases:asat", "transaminases:alat"} <= set(labs)
    assert {lab["key"] for lab in syn["out_of_range"]} == {"hba1c", "transaminases:alat"}


def test_a_prescription_that_ran_out_long_ago_is_last_prescribed_not_current(store):
    # QSP 3 mois renewed once from 2024-10-07: runs out on 2025-04-05; on 2026-01-15 it is long gone
    syn = patient_synthesis(store, "P1", today=date(2026, 1, 15))
    meds = {m["name"]: m for m in syn["medications"]}
    assert not meds["METFORMINE"].get("prescribed_since") and meds["METFORMINE"]["last_prescribed"]
    assert "dernière prescription le 2024-10-07, terminée le 2025-04-05" in meds["Ramipril"]["line"]
    assert [x["name"] for x in syn["current_treatment"]["last_prescribed"]] == ["METFORMINE", "Ramipril"]
    assert [x["name"] for x in syn["current_treatment"]["lines"]] == ["aspirine"]  # a letter's line does not run out


def test_lab_trend_png(store):
    png = lab_trend_png(store, "P1", "hba1c")
    assert png.startswith(b"\x89PNG")
    assert lab_trend_png(store, "P1", "transaminases").startswith(b"\x89PNG")
    with pytest.raises(NotFound):
        lab_trend_png(store, "P1", "tsh")


def test_unknown_patient(store):
    with pytest.raises(UnknownPatient):
        patient_synthesis(store, "NOPE")
