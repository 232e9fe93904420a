"""Structured CDA, the whole type list and XDM exports end to end (hand-written fixtures, hashing embedder)."""

from __future__ import annotations

from dataclasses import asdict

import json
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from carnet.config import Settings
from service.facade import Carnet
from eval.runner import run_eval
from ingest.pipeline import discover
from tests.auth import TEST_SERVER_NAMES, headers_for
from carnet.records import iso

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parent.parent / "fixtures"
CORPUS = FIXTURES / "cda"
QUESTIONS = Path(__file__).parent.parent.parent / "eval" / "queries" / "cda.jsonl"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cda")
    settings = Settings(home=tmp / "home", embedder="hashing", ocr=False, server_names=TEST_SERVER_NAMES)
    c = Carnet(settings)
    report = c.ingestor.ingest(discover(CORPUS))
    return c, settings, report


def _by_source(c, patient):
    return {d.source: _row(d) for d in c.store.documents(patient)}


def _row(d) -> dict:
    """A stored document as a dict with its dates and codes as the JSON writes them."""
    return {**asdict(d), "service_date": iso(d.service_date), "confidentiality": ",".join(d.confidentiality) or None}


def test_every_fixture_is_ingested_with_the_header_type_and_date(built):
    c, _, report = built
    truth = [json.loads(line) for line in (CORPUS / "truth.jsonl").read_text().splitlines() if line.strip()]
    assert not report.failed and len(report.added) == len(truth)
    for t in truth:
        d = _by_source(c, t["patient"])[t["source"]]
        assert (d["type_code"], d["service_date"], d["specialty_code"]) == (
            t["type_code"], t["service_date"], t["specialty_code"]), t["source"]


def test_latest_questions_right_first_time(built):
    c, _, _ = built
    result = run_eval(c, QUESTIONS, today=date(2026, 1, 15), truth=CORPUS / "truth.jsonl")
    assert result["overall"]["top1"] == 1.0, result["failures"]
    assert result["overall"]["no_answer_accuracy"] == 1.0
    assert result["metadata"]["type_accuracy"] == 1.0 and result["metadata"]["service_date_accuracy"] == 1.0


def test_a_new_version_replaces_the_old_one(built):
    c, settings, _ = built
    docs = _by_source(c, "PCDA1")
    v1, v2 = docs["PCDA1/crimg-2025-04-15-v1.xml"], docs["PCDA1/crimg-2025-04-15-v2.xml"]
    assert v1["canonical_id"] == v2["id"] and v1["duplicate_kind"] == "version" and v2["canonical_id"] is None
    with TestClient(create_app(settings), headers=headers_for(settings, "dr-cda", ["PCDA1"])) as client:
        bundle = client.get("/fhir/DocumentReference", params={"patient": "PCDA1", "type": "18748-4",
                                                              "status": "current,superseded"}).json()
    resources = {e["resource"]["id"]: e["resource"] for e in bundle["entry"]}
    assert resources[v1["id"]]["status"] == "superseded"
    assert resources[v2["id"]]["relatesTo"] == [{"code": "replaces", "target": {"reference": f"DocumentReference/{v1['id']}"}}]


def test_coded_lab_results_reach_the_synthesis_and_plots_with_units(built):
    from query.synthesis import lab_trend_png, patient_synthesis

    c, _, _ = built
    synthesis = patient_synthesis(c.store, "PCDA1")
    labs = {lab["analyte"]: lab for lab in synthesis["labs"]}
    assert labs["hba1c"]["value"] == 6.8 and labs["hba1c"]["unit"] == "%" and labs["hba1c"]["flag"] == "H"
    assert [p["value"] for p in labs["hba1c"]["trend"]] == [7.2, 6.8]
    assert labs["creatinine"]["unit"] == "µmol/L" and labs["cholesterol-ldl"]["unit"] == "g/L"
    rows = c.store.lab_values("PCDA1")
    assert all(r.origin == "cda" and r.loinc for r in rows)
    assert lab_trend_png(c.store, "PCDA1", "hba1c").startswith(b"\x89PNG")
    ldl = _by_source(c, "PCDA1")["PCDA1/ldlses-2025-06-07.xml"]["id"]
    penicillin = next(a for a in synthesis["allergies"] if a["substance"] == "Pénicillines")
    assert {"document_id": ldl, "source": "cda"}.items() <= next(
        s for s in penicillin["sources"] if s["document_id"] == ldl).items()
    coded = {(f.kind, f.code, f.status) for f in c.store.facts("PCDA1") if f.source == "cda"}
    assert {("allergy", "J01C", "active"), ("problem", "I21.1", "active"), ("problem", "E11.9", "active"),
            ("medication", "B01AC24", "active")} <= coded


def test_sections_and_citations_point_into_the_rendered_pdf(built):
    c, settings, _ = built
    doc = _by_source(c, "PCDA1")["PCDA1/ldlses-2025-06-07.xml"]
    names = [s["name"] for s in doc["sections"]]
    assert names == ["motif", "allergies", "evolution", "conclusion", "traitement", "plan"]
    chunks = [asdict(ch) for ch in c.store.document_chunks(doc["id"])]
    assert {ch["section"] for ch in chunks} == set(names) | {None}  # None: the header block above the sections
    assert all(ch["page"] >= 1 for ch in chunks)
    stent = next(ch for ch in chunks if "stent actif" in ch["text"])
    assert stent["section"] == "evolution"
    answer = c.searcher.ask("PCDA1", "coronarographie stent", today=date(2026, 1, 15), summarize=False)
    assert answer.documents[0].document.id == doc["id"]
    with TestClient(create_app(settings), headers=headers_for(settings, "dr-cda", ["PCDA1"])) as client:
        pdf = client.get(f"/v1/documents/{doc['id']}/pdf")
        source = client.get(f"/v1/documents/{doc['id']}/source")
        detail = client.get(f"/v1/documents/{doc['id']}").json()
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert source.status_code == 200 and source.headers["content-type"].startswith("application/xml")
    assert source.content == (CORPUS / "PCDA1" / "ldlses-2025-06-07.xml").read_bytes()
    assert detail["confidentiality"] == "N" and detail["version_number"] == 1
    assert {e["kind"] for e in detail["coded_entries"]} == {"allergy", "problem", "medication"}


def test_xdm_export_metadata_and_confidentiality(built):
    c, _, _ = built
    docs = _by_source(c, "PCDA3")
    presc = docs["PCDA3/record.zip/IHE_XDM/SUBSET01/DOC0002.XML"]
    assert presc["service_date"] == "2025-06-07"  # the CDA header has no date of the act: METADATA.XML gives it
    assert presc["confidentiality"] == "N,MASQUE_PS"
    assert _by_source(c, "PCDA1")["PCDA1/dlu-2025-11-18.xml"]["confidentiality"] == "R"


def test_committed_export_matches_its_folder():
    with zipfile.ZipFile(CORPUS / "PCDA3" / "record.zip") as z:
        members = {n: z.read(n) for n in z.namelist()}
    folder = FIXTURES / "cda-xdm"
    assert members == {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_upload_xml_and_zip_and_a_batch_with_bad_files(tmp_path):
    settings = Settings(home=tmp_path / "home", embedder="hashing", ocr=False, server_names=TEST_SERVER_NAMES)
    bad = tmp_path / "bad" / "PBAD"
    shutil.copytree(FIXTURES / "cda-bad", bad)
    shutil.copy(CORPUS / "PCDA1" / "vac-2025-10-05.xml", bad / "vac.xml")
    report = Carnet(settings).ingestor.ingest(discover(bad.parent))
    assert report.added == ["PBAD/vac.xml"] and len(report.failed) == 5
    reasons = dict(report.failed)
    assert "refused" in reasons["PBAD/billion-laughs.xml"] and "refused" in reasons["PBAD/external-entity.xml"]
    with TestClient(create_app(settings), headers=headers_for(settings, "dr-cda", ["PUP"])) as client:
        xml = (CORPUS / "PCDA1" / "dlu-2025-11-18.xml").read_bytes()
        r = client.post("/v1/patients/PUP/documents", files={"file": ("dlu.xml", xml, "application/xml")})
        assert r.status_code == 201 and r.json()["documents"][0]["type"]["code"] == "74207-2"
        archive = (CORPUS / "PCDA3" / "record.zip").read_bytes()
        r = client.post("/v1/patients/PUP/documents", files={"file": ("record.zip", archive, "application/zip")})
        assert r.status_code == 201 and r.json()["added"] == 3
        laughs = (FIXTURES / "cda-bad" / "billion-laughs.xml").read_bytes()
        r = client.post("/v1/patients/PUP/documents", files={"file": ("x.xml", laughs, "application/xml")})
        assert r.status_code == 422 and "refused" in r.json()["detail"]
        answer = client.post("/v1/patients/PUP/ask", json={"question": "dernier DLU", "summary": False}).json()
        assert answer["documents"][0]["type"]["code"] == "74207-2"
