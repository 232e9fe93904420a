"""Bad input is refused with a clear reason (4xx at the API, a message and exit code at the CLI), never a
500 or a traceback, and leaves nothing behind: no orphan PDF in the store, no file in the system temp folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from cli.main import app as cli
from ingest.pipeline import discover
from tests.pdfs import write_pdf

pytestmark = pytest.mark.unit
runner = CliRunner()


def _report_pdf(path, n: int):
    return write_pdf(path, [f"COMPTE RENDU DE CONSULTATION\nCardiologie, le 12/03/2024 (note {n}).\n"
                            "Conclusion : examen normal, pas de traitement."])


@pytest.fixture
def client(settings, carnet, tmp_path, auth_headers):
    carnet.ingestor.ingest(discover(_report_pdf(tmp_path / "in" / "PAT-A" / "a.pdf", 0).parent.parent))
    headers = auth_headers("dr-test", ["PAT-A"])
    with TestClient(create_app(settings), raise_server_exceptions=False, headers=headers) as c:
        yield c


def _stored_pdfs(settings) -> int:
    return len(list((settings.home / "pdfs").glob("*.pdf")))


def _multipart(filename: bytes, pdf: bytes) -> tuple[bytes, dict]:
    body = (b'--XX\r\nContent-Disposition: form-data; name="file"; filename="' + filename +
            b'"\r\nContent-Type: application/pdf\r\n\r\n' + pdf + b"\r\n--XX--\r\n")
    return body, {"content-type": "multipart/form-data; boundary=XX"}


def test_a_date_outside_the_calendar_is_a_422_not_a_500(client):
    r = client.post("/v1/patients/PAT-A/ask", json={"question": "traitement hier", "today": "0001-01-01"})
    assert r.status_code == 422, r.text
    assert "outside the calendar" in r.json()["detail"]


@pytest.mark.parametrize("filename, reason", [
    (b"a" * 300 + b".pdf", "over the 255-byte limit"),
    ("é".encode() * 130 + b".pdf", "over the 255-byte limit"),
    (b"a\x00b.pdf", "control character"),
    (b"a\x1bb.pdf", "control character"),
    (b"notes.txt", "is not a .pdf, .xml (CDA) or .zip (IHE XDM) file"),
    (b" .pdf", "is not a .pdf, .xml (CDA) or .zip (IHE XDM) file"),
])
def test_bad_upload_file_names_are_4xx_and_store_nothing(client, settings, tmp_path, filename, reason):
    before = _stored_pdfs(settings)
    body, headers = _multipart(filename, _report_pdf(tmp_path / "u.pdf", 1).read_bytes())
    r = client.post("/v1/patients/PAT-A/documents", content=body, headers=headers)
    assert 400 <= r.status_code < 500, r.text
    assert reason in r.json()["detail"]
    assert _stored_pdfs(settings) == before
    assert not list((settings.home / "tmp").glob("*"))  # no scratch folder left behind


def test_odd_but_valid_upload_names_are_stored_under_their_own_name(client, settings, tmp_path):
    body, headers = _multipart(b"\xff\xfe r\xe9sultat.pdf", _report_pdf(tmp_path / "u.pdf", 2).read_bytes())
    r = client.post("/v1/patients/PAT-A/documents", content=body, headers=headers)  # latin-1 bytes: decoded
    assert r.status_code == 201, r.text
    body, headers = _multipart(b"../../etc/passwd.pdf", _report_pdf(tmp_path / "u.pdf", 3).read_bytes())
    r = client.post("/v1/patients/PAT-A/documents", content=body, headers=headers)
    assert r.status_code == 201 and r.json()["documents"][0]["source"] == "PAT-A/uploads/passwd.pdf"
    assert _stored_pdfs(settings) == 3


def test_malformed_multipart_is_a_400_in_the_error_shape(client):
    r = client.post("/v1/patients/PAT-A/documents", content=b"garbage",
                    headers={"content-type": "multipart/form-data; boundary=XX"})
    assert r.status_code == 400 and r.json()["code"] == "bad_request"


def test_cli_refuses_a_date_outside_the_calendar_with_a_message(settings, carnet, tmp_path):
    carnet.ingestor.ingest(discover(_report_pdf(tmp_path / "in" / "PAT-A" / "a.pdf", 0).parent.parent))
    result = runner.invoke(cli, ["ask", "--patient", "PAT-A", "traitement hier", "--today", "0001-01-01",
                                 "--home", str(settings.home), "--embedder", "hashing"])
    assert result.exit_code == 2, result.output
    assert "outside the calendar" in result.output and "Traceback" not in result.output
    result = runner.invoke(cli, ["eval", str(tmp_path / "q.jsonl"), "--today", "yesterday",
                                 "--home", str(settings.home), "--embedder", "hashing"])
    assert result.exit_code == 2 and "--today must be YYYY-MM-DD" in result.output


def test_entries_that_are_no_pdf_file_are_skipped_with_a_reason(settings, carnet, tmp_path):
    root = tmp_path / "in"
    _report_pdf(root / "PAT-A" / "good.pdf", 0)
    (root / "PAT-A" / "folder.pdf").mkdir()
    os.symlink("/dev/zero", root / "PAT-A" / "zero.pdf")
    os.symlink(root / "nowhere.pdf", root / "PAT-A" / "broken.pdf")
    os.mkfifo(root / "PAT-A" / "pipe.pdf")  # reading it would block for ever
    bad_name = os.fsencode(root / "PAT-A") + b"/r\xe9sultat.pdf"  # latin-1 bytes: not UTF-8
    _report_pdf(tmp_path / "x.pdf", 5).rename(os.fsdecode(bad_name))
    report = carnet.ingestor.ingest(discover(root))
    reasons = dict(report.failed)
    assert report.added == ["PAT-A/good.pdf"]
    assert "a folder" in reasons["PAT-A/folder.pdf"]
    assert "a device, pipe or socket" in reasons["PAT-A/zero.pdf"]
    assert "a device, pipe or socket" in reasons["PAT-A/pipe.pdf"]
    assert "a link to nothing" in reasons["PAT-A/broken.pdf"]
    assert "not valid UTF-8" in reasons["PAT-A/r\\udce9sultat.pdf"]
    assert _stored_pdfs(settings) == 1  # the refused file left no orphan PDF


def test_cli_ingest_shows_each_skipped_entry(settings, tmp_path):
    root = tmp_path / "in"
    _report_pdf(root / "PAT-A" / "good.pdf", 0)
    os.symlink("/dev/zero", root / "PAT-A" / "zero.pdf")
    env = {"CARNET_ISOLATE_DOCUMENTS": "false"}  # no reader process to start in a unit test
    result = runner.invoke(cli, ["ingest", str(root), "--home", str(settings.home), "--embedder", "hashing"], env=env)
    assert result.exit_code == 1
    assert "PAT-A/zero.pdf" in result.output and "not a regular file" in result.output
    result = runner.invoke(cli, ["ingest", "/dev/zero", "--patient", "PAT-A", "--home", str(settings.home),
                                 "--embedder", "hashing"], env=env)
    assert result.exit_code == 1 and "not a regular file" in result.output


def test_the_data_limit_refuses_an_allocation_past_it_and_is_lifted_after():
    """In a child interpreter: the soft RLIMIT_DATA of ingest.worker.data_limit, then none."""
    import subprocess
    import sys

    code = ("from ingest.worker import data_limit\n"
            "try:\n"
            "    with data_limit(100_000_000):\n"
            "        x = bytearray(400_000_000)\n"
            "    print('allocated')\n"
            "except MemoryError:\n"
            "    print('refused')\n"
            "y = bytearray(400_000_000)\n"
            "print('lifted')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert out.stdout.split() == ["refused", "lifted"], out.stderr
