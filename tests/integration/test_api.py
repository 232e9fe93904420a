"""The HTTP API over a real store: contracts, status codes, errors as JSON, uploads, PDFs."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from carnet.config import Settings
from service.facade import Carnet
from ingest.pipeline import discover
from tests.auth import TEST_SERVER_NAMES, headers_for
from tests.pdfs import write_pdf, write_reports

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("api")
    corpus = write_reports(tmp / "corpus")
    settings = Settings(home=tmp / "home", embedder="hashing", ocr=False, max_upload_bytes=200_000,
                        server_names=TEST_SERVER_NAMES)
    Carnet(settings).ingestor.ingest(discover(corpus))
    headers = headers_for(settings, "dr-api", ["PAT-A", "PAT-B", "PAT-C", "NOBODY"])
    with TestClient(create_app(settings), headers=headers) as c:
        yield c


def test_health_and_openapi(client):
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["patients"] == 3 and health["documents"] == 6
    spec = client.get("/openapi.json").json()
    assert "/v1/patients/{patient_id}/ask" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_ask_contract(client):
    r = client.post("/v1/patients/PAT-A/ask", json={"question": "dernier compte rendu de cardiologie", "today": "2026-11-27"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) >= {"question", "patient", "interpretation", "documents", "alternatives", "summary", "timings_ms"}
    doc = body["documents"][0]
    assert set(doc) >= {"id", "source", "title", "type", "specialty", "date", "score", "page", "snippet"}
    assert doc["source"].startswith("PAT-A/")


def test_ask_stream_sends_documents_then_the_summary(client):
    r = client.post("/v1/patients/PAT-A/ask/stream", json={"question": "dernier compte rendu de cardiologie"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = []
    for block in r.text.strip().split("\n\n"):
        name, data = block.split("\n", 1)
        events.append((name.removeprefix("event: "), json.loads(data.removeprefix("data: "))))
    assert [e for e, _ in events] == ["answer", "summary-estimate", "summary", "done"]
    answer, summary = events[0][1], events[2][1]
    assert answer["summary"] is None and answer["documents"][0]["source"] == "PAT-A/cardio-consult-2025.pdf"
    assert events[1][1]["seconds"] >= 0
    ids = {d["id"] for d in answer["documents"]}
    assert summary["sentences"] and all(s["document_id"] in ids for s in summary["sentences"])
    assert client.post("/v1/patients/NOBODY/ask/stream", json={"question": "bilan"}).status_code == 404


def test_unknown_patient_is_404_json(client):
    r = client.post("/v1/patients/NOBODY/ask", json={"question": "bilan"})
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "unknown_patient" and r.json()["detail"]
    assert client.get("/v1/patients/NOBODY/documents").status_code == 404
    assert client.get("/v1/documents/deadbeef").status_code == 404


@pytest.mark.parametrize("body", [{}, {"question": ""}, {"question": "x" * 501}, {"question": "bilan", "top_k": 0}])
def test_bad_requests_are_422_json(client, body):
    r = client.post("/v1/patients/PAT-A/ask", json=body)
    assert r.status_code == 422
    assert r.json()["detail"] and r.json()["status"] == 422
    assert "Traceback" not in r.text


def test_whitespace_question_is_422(client):
    r = client.post("/v1/patients/PAT-A/ask", json={"question": "   "})
    assert r.status_code == 422 and "empty" in r.json()["detail"].lower()


def test_documents_and_pdf(client):
    docs = client.get("/v1/patients/PAT-A/documents").json()
    assert len(docs) == 3 and all(d["source"].startswith("PAT-A/") for d in docs)
    detail = client.get(f"/v1/documents/{docs[0]['id']}").json()
    assert detail["patient"] == "PAT-A" and detail["page_count"] >= 1
    pdf = client.get(f"/v1/documents/{docs[0]['id']}/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_upload(client, tmp_path):
    good = write_pdf(tmp_path / "crh.pdf", ["Compte rendu de consultation de néphrologie du 02/02/2026.\nDFG stable."])
    r = client.post("/v1/patients/PAT-C/documents", files={"file": ("crh.pdf", good.read_bytes(), "application/pdf")})
    assert r.status_code == 201, r.text
    assert r.json()["added"] == 1
    bad = client.post("/v1/patients/PAT-C/documents", files={"file": ("x.pdf", b"not a pdf", "application/pdf")})
    assert bad.status_code == 422 and bad.json()["code"] == "unreadable_document"
    big = client.post("/v1/patients/PAT-C/documents", files={"file": ("big.pdf", b"%PDF" + b"0" * 300_000, "application/pdf")})
    assert big.status_code == 413 and big.json()["code"] == "upload_too_large"
    huge = client.post("/v1/patients/PAT-C/documents", files={"file": ("huge.pdf", b"%PDF" + b"0" * 2_000_000, "application/pdf")})
    assert huge.status_code == 413  # refused by its declared length, before the body is read
    evil = client.post("/v1/patients/bad%24id/documents", files={"file": ("crh.pdf", good.read_bytes(), "application/pdf")})
    assert evil.status_code == 422 and "patient identifier" in evil.json()["detail"]


def test_ask_shows_readings_and_takes_them_back(client):
    """"der" is read as "dernier" and says so; the chip's × (sent in `remove`) keeps the word as typed; an
    ambiguous abbreviation offers its other reading, which `remove` takes instead."""
    body = client.post("/v1/patients/PAT-A/ask", json={"question": "der cr cardio", "today": "2026-11-27"}).json()
    chip = next(c for c in body["interpretation"]["chips"] if c["kind"] == "correction")
    assert chip == {"kind": "correction", "value": "der", "label": "der → dernier"}
    assert body["interpretation"]["order"] == "latest"
    undone = client.post("/v1/patients/PAT-A/ask", json={"question": "der cr cardio", "today": "2026-11-27",
                                                         "remove": [chip]}).json()
    assert undone["interpretation"]["topic"] == "der" and undone["interpretation"]["order"] == "relevance"
    assert all(c["kind"] != "correction" for c in undone["interpretation"]["chips"])

    ambiguous = client.post("/v1/patients/PAT-A/ask", json={"question": "dernier MG"}).json()["interpretation"]
    assert ambiguous["specialty_groups"] == ["medecine-generale"]
    other = ambiguous["alternatives"][0]
    assert other["value"] == "mg=analyte:magnesium"
    chosen = client.post("/v1/patients/PAT-A/ask", json={"question": "dernier MG", "remove": [other]}).json()
    assert chosen["interpretation"]["analyte_keys"] == ["magnesium"]
    assert chosen["interpretation"]["alternatives"][0]["value"] == "mg=specialty:medecine-generale"
    # how it was read, against this record, and every reading one click away
    (how,) = ambiguous["ambiguity"]
    assert how["word"] == "MG" and how["reading"] == "mg=specialty:medecine-generale" and how["message"]
    assert how["decided_by"] in ("usage", "record") and how["ambiguous"] is (how["decided_by"] == "usage")
    assert [r["chip"] for r in how["readings"] if not r["chosen"]] == ambiguous["alternatives"]
    assert all(isinstance(r["documents"], int) for r in how["readings"])
    assert chosen["interpretation"]["ambiguity"][0]["decided_by"] == "doctor"


def test_the_openapi_documents_how_a_question_was_read(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    interpretation = schemas["InterpretationOut"]["properties"]
    for field in ("chips", "alternatives", "ambiguity"):
        assert interpretation[field].get("description"), field
    assert set(schemas["AmbiguityOut"]["properties"]) >= {"word", "reading", "decided_by", "ambiguous", "message",
                                                          "readings"}
    assert "record" in schemas["AmbiguityOut"]["properties"]["decided_by"]["description"]
    assert {"value", "documents", "chip"} <= set(schemas["ReadingOut"]["properties"])
