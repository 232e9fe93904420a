"""CDA R2 (level 1 and 3), the DMP type list, IHE XDM archives and safe XML: parsers and mappings."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from carnet import codes, doctypes
from carnet.errors import UnreadableDocument
from ingest.cda import read_cda_document
from ingest.xdm import merge, read_xdm

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).parent.parent / "fixtures"
CDA = FIXTURES / "cda"


def _read(rel: str):
    path = CDA / rel
    return read_cda_document(path.read_bytes(), path.name)


def xdm_zip(tmp_path: Path, extra: dict[str, bytes] | None = None) -> Path:
    """The fixture export folder as an IHE XDM ZIP (plus extra members)."""
    root = FIXTURES / "cda-xdm"
    out = tmp_path / "record.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for p in sorted(root.rglob("*")):
            if p.is_file():
                z.write(p, p.relative_to(root).as_posix())
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out


# --- the type table ---------------------------------------------------------------------------------


def test_type_table_covers_the_dmp_list():
    loinc = [c for c in codes.DOCUMENT_TYPES if c[0].isdigit()]
    french = [c for c in codes.DOCUMENT_TYPES if not c[0].isdigit() and c != "ADMIN"]
    assert len(loinc) >= 85 and len(french) >= 30
    for code in ("74207-2", "87273-9", "11369-6", "60591-5", "77436-4", "11490-0", "SYNTH", "CERT_DECL", "PRESC-KINE"):
        assert code in codes.DOCUMENT_TYPES, code
    for t in codes.DOCUMENT_TYPES.values():
        assert t.group in doctypes.TYPE_GROUP_LABELS, t.code
        assert t.class_code in doctypes.CLASS_LABELS, t.code
    assert len({t.group for t in codes.DOCUMENT_TYPES.values()}) > 25


def test_type_phrases_name_known_codes_and_ended_codes_map_to_current_ones():
    for table in (doctypes.TYPE_PHRASES_FR, doctypes.TYPE_PHRASES_EN):
        for phrase, found in table.items():
            assert phrase == phrase.lower(), phrase
            assert all(c in codes.DOCUMENT_TYPES for c in found), phrase
    assert all(current in codes.DOCUMENT_TYPES for current in doctypes.ENDED_TYPE_CODES.values())
    assert codes.same_type_codes("60568-3") == {"11526-1", "60568-3"}
    assert codes.is_administrative("56446-8") and not codes.is_administrative("11502-2")


def test_profession_codes_have_labels_and_groups():
    assert codes.specialty_label("G15_21/G") == "Pharmacien biologiste"
    assert codes.specialty_group("G15_50") == "sage-femme"
    assert codes.specialty_group("G15_60/SI01") == "soins-infirmiers"
    assert codes.specialty_group("SM04") == "cardiologie"
    assert codes.specialty_label("DISPOSITIF") == "Dispositif médical"


# --- the header ---------------------------------------------------------------------------------------


def test_header_of_a_structured_lab_report():
    cda = _read("PCDA1/crbio-2025-03-12.xml")
    o = cda.overrides
    assert cda.level == 3
    assert o["type_code"] == "11502-2" and o["metadata_source"] == "cda"
    assert o["service_date"] == date(2025, 3, 12) and o["service_end_date"] == date(2025, 3, 13)
    assert o["specialty_code"] == "SM03" and o["author"] == "Dr Anne ROCHEFORT"
    assert o["organisation"] == "Laboratoire des Tilleuls" and o["confidentiality"] == ("N",) and o["language"] == "fr"
    assert cda.identity.set_id == "1.2.250.1.999.1.2^BIO-SET-0312" and cda.identity.version_number == 1


@pytest.mark.parametrize("rel, type_code, day, specialty", [
    ("PCDA1/vac-2025-10-05.xml", "87273-9", date(2025, 10, 5), "G15_21"),  # a pharmacist vaccinates
    ("PCDA1/crbio-2025-09-20.xml", "11502-2", date(2025, 9, 20), "G15_21/G"),  # a pharmacist biologist
    ("PCDA2/grossesse-2025-05-10.xml", "89233-1", date(2025, 5, 10), "G15_50"),  # a midwife
    ("PCDA2/soins-inf-2025-07-01.xml", "96163-1", date(2025, 7, 1), "G15_60"),  # a nurse
    ("PCDA2/gds-2025-08-14.xml", "11502-2", date(2025, 8, 14), "AUTOMATE"),  # an analyser
    ("PCDA2/img-2016-03-02.xml", "18748-4", date(2016, 3, 2), "SM44"),  # ended code 11528-7
    ("PCDA2/synth-2024-12-01.xml", "SYNTH", date(2024, 12, 1), "SM08"),  # a TRE_A05 code
    ("PCDA1/dlu-2025-11-18.xml", "74207-2", date(2025, 11, 18), "SM54"),
    ("PCDA1/ldlses-2025-06-07.xml", "11490-0", date(2025, 6, 2), "SM04"),  # a stay: from admission
])
def test_header_type_date_and_author_code(rel, type_code, day, specialty):
    o = _read(rel).overrides
    assert (o["type_code"], o["service_date"], o["specialty_code"]) == (type_code, day, specialty)


def test_device_author_is_named_by_its_software():
    assert _read("PCDA2/gds-2025-08-14.xml").overrides["author"] == "Analyseur GEM"


def test_confidentiality_and_versions():
    assert _read("PCDA1/dlu-2025-11-18.xml").overrides["confidentiality"] == ("R",)
    v2 = _read("PCDA1/crimg-2025-04-15-v2.xml").identity
    assert v2.version_number == 2 and v2.replaces == ("1.2.250.1.999.3.1^IMG-0415-A",)
    assert v2.set_id == _read("PCDA1/crimg-2025-04-15-v1.xml").identity.set_id


def test_level_one_document_gives_its_pdf():
    cda = _read("PCDA1/consult-l1-2025-01-10.xml")
    assert cda.level == 1 and cda.pdf.startswith(b"%PDF") and cda.overrides["type_code"] == "11488-4"


# --- the level-3 body -----------------------------------------------------------------------------------


def test_sections_are_named_from_their_loinc_code_not_their_title():
    cda = _read("PCDA1/ldlses-2025-06-07.xml")
    names = {s.title: s.name for s in cda.sections}
    assert names["Synthèse du séjour"] == "evolution"  # 8648-8, though "synthèse" titles a conclusion
    assert names["Suites à donner"] == "plan"  # 18776-5
    assert names["Diagnostics de sortie"] == "conclusion" and names["Allergies et intolérances"] == "allergies"
    table = next(s for s in cda.sections if s.code == "10183-2")
    assert "TICAGRELOR 90 mg, comprimé   1 comprimé matin et soir pendant 12 mois" in table.text
    assert "<table>" in table.html and "<th>Médicament</th>" in table.html


def test_coded_lab_results_with_loinc_ucum_range_and_flag():
    results = {r.loinc: r for r in _read("PCDA1/crbio-2025-03-12.xml").lab_results}
    hba1c = results["4548-4"]
    assert (hba1c.analyte, hba1c.value, hba1c.unit, hba1c.low, hba1c.high, hba1c.flag) == ("hba1c", 7.2, "%", 4.0, 6.0, "H")
    creat = results["14682-9"]
    assert (creat.analyte, creat.value, creat.unit, creat.flag) == ("creatinine", 82.0, "µmol/L", None)
    dfg = results["62238-1"]
    assert (dfg.unit, dfg.low, dfg.high, dfg.flag) == ("mL/min/1,73m²", 90.0, None, "L")
    assert results["13457-7"].high == 1.0 and results["13457-7"].low is None  # "< 1,00": no lower bound
    crp = {r.loinc: r for r in _read("PCDA1/crbio-2025-09-20.xml").lab_results}["1988-5"]
    assert crp.value is None and crp.text_value == "< 3 mg/L"  # not a quantity: kept as text, never a number


def test_coded_allergies_medications_and_problems():
    entries = _read("PCDA1/ldlses-2025-06-07.xml").entries
    allergy = next(e for e in entries if e.kind == "allergy")
    assert (allergy.label, allergy.code, allergy.detail, allergy.negated) == ("Pénicillines", "J01C", "Urticaire", False)
    meds = [e for e in entries if e.kind == "medication"]
    assert [m.label for m in meds] == ["KARDEGIC 75 mg", "TICAGRELOR 90 mg", "ATORVASTATINE 80 mg", "METFORMINE 1000 mg"]
    assert meds[1].detail.endswith("pendant 12 mois") and meds[1].end == "2026-06-07" and meds[1].code == "B01AC24"
    problems = [e for e in entries if e.kind == "problem"]
    assert [p.code for p in problems] == ["I21.1", "E11.9"]
    vaccine = next(e for e in _read("PCDA1/vac-2025-10-05.xml").entries if e.kind == "vaccination")
    assert vaccine.code == "J07BB02" and vaccine.start == "2025-10-05"


def test_rendered_pdf_keeps_sections_and_their_pages():
    from ingest.cda_render import render_cda

    cda = _read("PCDA1/ldlses-2025-06-07.xml")
    doc, marks, pages = render_cda(cda, "ldl.xml")
    assert doc.pdf_bytes.startswith(b"%PDF")
    assert [m.name for m in marks] == [s.name for s in cda.sections]
    for mark in marks:
        assert doc.text[mark.offset:].startswith(mark.heading)
    assert set(pages) == set(range(len(cda.sections)))


# --- safe XML and refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize("name, reason", [
    ("billion-laughs.xml", "DTD, entities"),
    ("external-entity.xml", "DTD, entities"),
    ("malformed.xml", "malformed XML"),
    ("fhir-bundle.xml", "not a CDA document"),
    ("no-narrative.xml", "without any narrative"),
])
def test_bad_xml_is_refused_with_a_reason(name, reason):
    path = FIXTURES / "cda-bad" / name
    with pytest.raises(UnreadableDocument, match=reason):
        read_cda_document(path.read_bytes(), name)


def test_entities_are_refused_even_without_a_doctype_declaration_being_expanded():
    data = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "http://example.invalid/x">]><a>&e;</a>'
    with pytest.raises(UnreadableDocument, match="refused"):
        read_cda_document(data, "net.xml")


# --- IHE XDM ------------------------------------------------------------------------------------------------


def test_xdm_metadata_per_document(tmp_path):
    docs = {Path(d.member).name: d for d in read_xdm(xdm_zip(tmp_path), 1_000_000)}
    assert set(docs) == {"DOC0001.XML", "DOC0002.XML", "DOC0003.XML"}
    presc = docs["DOC0002.XML"].overrides
    assert presc["type_code"] == "57833-6" and presc["service_date"] == date(2025, 6, 7)
    assert presc["specialty_code"] == "SM04" and presc["author"] == "Dr Paul ESTRADE"
    assert presc["confidentiality"] == ("N", "MASQUE_PS") and presc["author_id"] == "899999990003"
    assert docs["DOC0001.XML"].unique_id == "1.2.250.1.999.1.1^BIO-2025-0312-001"


def test_xdm_header_wins_and_confidentiality_codes_are_kept():
    merged = merge({"type_code": "11502-2", "confidentiality": ("N",)},
                   {"type_code": "11488-4", "confidentiality": ("N", "MASQUE_PS"), "author": "Dr X"})
    assert merged == {"type_code": "11502-2", "confidentiality": ("N", "MASQUE_PS"), "author": "Dr X"}


@pytest.mark.parametrize("extra, reason", [
    ({"../evil.xml": b"<x/>"}, "leaves the archive"),
    ({"/abs.xml": b"<x/>"}, "leaves the archive"),
])
def test_xdm_refuses_names_outside_the_archive(tmp_path, extra, reason):
    with pytest.raises(UnreadableDocument, match=reason):
        read_xdm(xdm_zip(tmp_path, extra), 1_000_000)


def test_xdm_refuses_a_zip_that_is_not_an_export(tmp_path):
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("a.xml", "<a/>")
    with pytest.raises(UnreadableDocument, match="not an IHE XDM"):
        read_xdm(plain, 1_000_000)
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(UnreadableDocument, match="not a readable ZIP"):
        read_xdm(junk, 1_000_000)


def test_xdm_member_over_the_size_limit_is_refused(tmp_path):
    from ingest.xdm import read_member

    archive = xdm_zip(tmp_path)
    with pytest.raises(UnreadableDocument, match="limit"):
        read_member(archive, "IHE_XDM/SUBSET01/DOC0001.XML", 1_000)


# --- questions and FHIR -----------------------------------------------------------------------------------


@pytest.mark.parametrize("question, expected", [
    ("dernier DLU", {"74207-2"}),
    ("latest emergency liaison file", {"74207-2"}),
    ("dernière note de vaccination", {"87273-9"}),
    ("historique des vaccinations", {"11369-6"}),
    ("dernière synthèse médicale", {"60591-5"}),
    ("dernier CR d'anesthésie", {"77436-4"}),
    ("latest discharge letter", {"11490-0"}),
    ("dernier protocole ALD", {"PROT_ALD"}),
    ("directives anticipées", {"EXPPAT_3"}),
    ("dernier bilan de soins infirmiers", {"96163-1"}),
])
def test_questions_reach_the_new_types(question, expected):
    from query.parse import parse_question

    interp = parse_question(question, date(2026, 1, 1))
    assert expected <= set(interp.type_codes), interp.type_codes


def test_fhir_type_accepts_every_code_of_the_list():
    from api.fhir.search import parse_search

    for code in codes.DOCUMENT_TYPES:
        if code != "ADMIN":
            parse_search([("patient", "P1"), ("type", code)])
    q = parse_search([("patient", "P1"), ("type", f"{doctypes.TRE_A05_URL}|SYNTH")])
    assert q.types == (frozenset({"SYNTH"}),)
    assert parse_search([("patient", "P1"), ("type", "60568-3")]).types == (frozenset({"11526-1", "60568-3"}),)


def test_a_store_written_before_the_cda_columns_opens_and_gains_them(tmp_path):
    import sqlite3

    from index.sqlite import schema as store_module
    from index.sqlite import SQLiteStore as Store

    old = store_module._SCHEMA
    for column in ("confidentiality TEXT", "cda_id TEXT", "set_id TEXT", "version_number INTEGER",
                   "coded_entries TEXT", "loinc TEXT", "origin TEXT"):
        old = old.replace(f"    {column},\n", "")
    assert "confidentiality" not in old and "loinc" not in old
    (tmp_path / "pdfs").mkdir()
    with sqlite3.connect(tmp_path / "carnet.db") as conn:
        conn.executescript(old)
        conn.execute("PRAGMA user_version=2")
    store = Store(tmp_path)
    documents = {row[1] for row in store.db.execute("PRAGMA table_info(documents)").fetchall()}
    labs = {row[1] for row in store.db.execute("PRAGMA table_info(lab_values)").fetchall()}
    assert {"confidentiality", "cda_id", "set_id", "version_number", "coded_entries"} <= documents
    assert {"loinc", "origin"} <= labs
