"""Lab analytes: one key and one LOINC code per analyte, UCUM units, conversions in trends, OCR rows."""

from __future__ import annotations

from datetime import date

import pytest

from carnet.models import Chunk, DocMeta
from index.embedders import HashingEmbedder
from index.sqlite import SQLiteStore as Store, document_id_for
from ingest.lab_codes import PARENT, code_rows, convert, loinc, ucum
from ingest.lab_analytes import KNOWN_ANALYTES, analyte_key
from ingest.labs import parse_lab_text
from query.synthesis import lab_summary
from tests.factories import new_document

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("label, key", [
    ("Hémoglobine Alc", "hba1c"), ("HbAlc", "hba1c"), ("Hémoglobine A1c (HPLC)", "hba1c"),
    ("Hémoglobine", "hemoglobine"), ("ASAT (TGO)", "asat"), ("ALAT (TGP)", "alat"), ("AST", "asat"),
    ("Alanine aminotransférase", "alat"), ("Transaminases", "transaminases"),
])
def test_one_analyte_one_key(label, key):
    assert analyte_key(label) == key


def test_asat_and_alat_rows_of_one_report_are_two_analytes_of_one_family():
    rows = parse_lab_text("ASAT (TGO)   30 UI/L   (< 35)\nALAT (TGP)   60 UI/L   (< 45)")
    assert [(r.analyte, r.value) for r in rows] == [("asat", 30.0), ("alat", 60.0)]
    assert {PARENT[r.analyte] for r in rows} == {"transaminases"}
    assert loinc("asat", "U/L") == "1920-8" and loinc("alat", "U/L") == "1742-6"


def test_units_in_ucum_and_loinc_by_unit():
    assert ucum("µmol/L") == "umol/L" and ucum("UI/L") == "U/L" and ucum("mL/min/1,73 m²") == "mL/min/{1.73_m2}"
    assert ucum("G/L", "leucocytes") == "10*9/L" and ucum("g/L", "glycemie") == "g/L"
    assert loinc("glycemie", "mmol/L") == "15074-8" and loinc("glycemie", "g/L") == "2345-7"
    assert loinc("hba1c", "%") == "4548-4"


def test_conversions_only_where_the_analyte_allows():
    assert convert("glycemie", 1.0, "g/L", "mmol/L") == pytest.approx(5.551)
    assert convert("creatinine", 9.3, "mg/L", "umol/L") == pytest.approx(82.2, abs=0.1)
    assert convert("hba1c", 53, "mmol/mol", "%") == pytest.approx(7.0, abs=0.01)
    assert convert("hemoglobine", 12.6, "g/dL", "g/L") == pytest.approx(126)
    assert convert("crp", 5, "mg/L", "g/L") is None  # not a conversion Carnet makes
    assert convert("potassium", 4.0, "mmol/L", "g/L") is None


def test_ocr_rows_below_confidence_or_naming_nothing_known_are_dropped():
    rows = [{"analyte": "ferritine", "label": "Ferritine", "value": 50.0, "unit": "µg/L", "page": 1},
            {"analyte": "biparbonates-noue-roc", "label": "Biparbonates noue roc", "value": 3.0, "unit": "g/L", "page": 1},
            {"analyte": "crp", "label": "CRP", "value": 3.0, "unit": "mg/L", "page": 2},
            {"analyte": "biparbonates-noue-roc", "label": "Biparbonates noue roc", "value": 3.0, "unit": "g/L", "page": 3}]
    out = code_rows(rows, {1: (True, 0.9), 2: (True, 0.4), 3: (False, None)}, set(KNOWN_ANALYTES))
    assert [(r["analyte"], r["origin"]) for r in out] == [("ferritine", "ocr"), ("biparbonates-noue-roc", "text")]
    assert out[0]["confidence"] == 0.9 and out[0]["loinc"] == "2276-4"


def test_a_trend_converts_units_it_can_and_never_mixes_others(tmp_path):
    store = Store(tmp_path)
    emb = HashingEmbedder()

    def add(sha, when, rows):
        doc_id = document_id_for("P1", sha)
        store.add_document(new_document(patient_id="P1", content_sha256=sha, source=f"P1/{sha}.pdf",
                           meta=DocMeta(type_code="11502-2", service_date=when), chunks=[Chunk(doc_id, 1, 0, 3, None, "lab")],
                           vectors=emb.embed_passages(["lab"]), page_count=1, ocr_pages=[], ocr_confidence=None,
                           fingerprint=None, file_size=3, pdf_bytes=b"%PDF-1.4", lab_values=rows))

    def row(analyte, value, unit, origin="text"):
        return {"analyte": analyte, "label": analyte, "value": value, "unit": unit, "low": None, "high": None,
                "flag": None, "page": 1, "ucum": ucum(unit, analyte), "origin": origin}

    add("a", date(2023, 1, 1), [row("glycemie", 1.0, "g/L"), row("crp", 0.004, "g/L")])
    add("b", date(2024, 1, 1), [row("glycemie", 6.1, "mmol/L", "ocr"), row("crp", 3.0, "mg/L")])
    labs = {lab["key"]: lab for lab in lab_summary(store, "P1")}
    assert [p["value"] for p in labs["glycemie"]["trend"]] == [pytest.approx(5.551), 6.1]
    assert labs["glycemie"]["read_by"] == "ocr"
    assert [p["value"] for p in labs["crp"]["trend"]] == [3.0]  # g/L and mg/L of CRP are not mixed
