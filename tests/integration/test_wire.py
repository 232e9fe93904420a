"""One wire format: `carnet ask --json` prints the same object the API answers for the same question, and
`carnet documents --json` the same documents as the API's /v1/documents/{id} (service/wire.py)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from carnet.config import Settings
from cli.main import app as cli_app
from ingest.pipeline import discover
from service.facade import Carnet
from tests.auth import TEST_SERVER_NAMES, headers_for
from tests.pdfs import write_reports

pytestmark = pytest.mark.integration

QUESTIONS = ("dernière échographie cardiaque", "bilan sanguin", "compte rendu de coloscopie")


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wire")
    settings = Settings(home=tmp / "home", embedder="hashing", ocr=False)
    report = Carnet(settings).ingestor.ingest(discover(write_reports(tmp / "corpus")))
    assert report.added
    return tmp / "home"


def _without_timings(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "timings_ms"}


@pytest.mark.parametrize("question", QUESTIONS)
def test_cli_json_and_api_json_are_the_same_answer(home, question):
    cli = CliRunner().invoke(cli_app, ["ask", question, "--patient", "PAT-A", "--today", "2025-06-01",
                                       "--home", str(home), "--embedder", "hashing", "--json"])
    assert cli.exit_code == 0, cli.output
    printed = json.loads(cli.output)
    settings = Settings(home=home, embedder="hashing", ocr=False, server_names=TEST_SERVER_NAMES)
    with TestClient(create_app(settings), headers=headers_for(settings, "dr-wire", ["PAT-A"])) as client:
        r = client.post("/v1/patients/PAT-A/ask", json={"question": question, "today": "2025-06-01"})
    assert r.status_code == 200
    answered = r.json()
    assert printed["documents"] or printed["message"]  # a real answer, not two empty objects
    assert _without_timings(printed) == _without_timings(answered)
    assert set(printed["timings_ms"]) == set(answered["timings_ms"])


def test_cli_documents_json_and_api_document_are_the_same(home):
    cli = CliRunner().invoke(cli_app, ["documents", "--patient", "PAT-A", "--home", str(home), "--json"])
    assert cli.exit_code == 0, cli.output
    printed = json.loads(cli.output)
    assert printed
    settings = Settings(home=home, embedder="hashing", ocr=False, server_names=TEST_SERVER_NAMES)
    with TestClient(create_app(settings), headers=headers_for(settings, "dr-wire", ["PAT-A"])) as client:
        for doc in printed:
            assert client.get(f"/v1/documents/{doc['id']}").json() == doc
