"""No patient identifier in the access log: the filter on real uvicorn log records, and a real server."""

from __future__ import annotations

import io
import logging
import socket
import threading
import time
from datetime import date

import httpx
import pytest
import uvicorn
from uvicorn.logging import AccessFormatter

from api import redact
from api.app import create_app
from carnet.models import DocMeta
from index.sqlite import SQLiteStore as Store
from tests.unit.test_store_and_vectors import add

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("url", "kept"), [
    ("/v1/patients/P0001/ask", ["/v1/patients/pid-", "/ask"]),
    ("/v1/patients/P0001/labs/hba1c.png", ["/labs/hba1c.png"]),
    ("/v1/patients?search=Dupont&limit=5", ["search=pid-", "limit=5"]),
    ("/fhir/DocumentReference?patient=P0001&type=11502-2&date=ge2024-01-01", ["type=11502-2", "date=ge2024-01-01"]),
    ("/fhir/DocumentReference?type=11502-2&subject=Patient%2FP0001", ["type=11502-2&subject=pid-"]),
    ("/fhir/DocumentReference?patient.identifier=urn:carnet:patient|P0001", ["patient.identifier=pid-"]),
    ("/fhir/DocumentReference?subject:Patient=P0001", ["subject:Patient=pid-"]),
    ("/fhir/Patient/P0001", ["/fhir/Patient/pid-"]),
])
def test_redact_url_replaces_patient_ids_and_keeps_the_rest(url, kept):
    out = redact.redact_url(url)
    assert "P0001" not in out and "Dupont" not in out
    for part in kept:
        assert part in out


def test_tags_are_stable_short_and_keyed():
    tag = redact.patient_tag("P0001")
    assert tag == redact.patient_tag("Patient/P0001") == redact.patient_tag("urn:carnet:patient|P0001")
    assert tag != redact.patient_tag("P0002") and len(tag) == len("pid-") + 8
    # Not a plain hash of the identifier, which anyone could recompute for P0000..P9999.
    import hashlib

    assert tag[4:] not in hashlib.sha256(b"P0001").hexdigest()
    untouched = "/v1/documents/3fa2c1/pdf?page=2"
    assert redact.redact_url(untouched) == untouched
    assert redact.redact_url(redact.redact_url("/v1/patients/P0001/ask")) == redact.redact_url("/v1/patients/P0001/ask")


def test_access_log_record_is_redacted(monkeypatch):
    """The record uvicorn's access logger writes (same call, same formatter), through the installed filter."""
    logger = logging.getLogger("uvicorn.access")
    monkeypatch.setattr(logger, "filters", [])
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "propagate", False)
    monkeypatch.setattr(logger, "level", logging.INFO)
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False))
    logger.addHandler(handler)
    redact.install()
    redact.install()  # idempotent
    assert sum(isinstance(f, redact.RedactPatientIds) for f in logger.filters) == 1
    logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:50000", "POST", "/v1/patients/P0001/ask", "1.1", 200)
    logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:50000", "GET",
                "/fhir/DocumentReference?patient=P0001&_count=5", "1.1", 200)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and "P0001" not in out.getvalue()
    tag = redact.patient_tag("P0001")
    assert lines[0] == f'127.0.0.1:50000 - "POST /v1/patients/{tag}/ask HTTP/1.1" 200 OK'
    assert lines[1] == f'127.0.0.1:50000 - "GET /fhir/DocumentReference?patient={tag}&_count=5 HTTP/1.1" 200 OK'


def test_a_served_app_writes_no_patient_id_in_its_access_log(settings, monkeypatch, auth_headers):
    add(Store(settings.home), "P0001", "a", ["Consultation"], DocMeta(type_code="11488-4", service_date=date(2025, 1, 2)))
    headers = auth_headers("dr-test", ["P0001"])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="info")  # sets up logging
    access = logging.getLogger("uvicorn.access")
    monkeypatch.setattr(access, "filters", [])
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(AccessFormatter('"%(request_line)s" %(status_code)s', use_colors=False))
    access.addHandler(handler)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}/v1/patients/P0001/documents", headers=headers).status_code == 200
        assert httpx.get(f"{base}/fhir/DocumentReference", params={"patient": "P0001"}, headers=headers).status_code == 200
        assert httpx.get(f"{base}/v1/patients", params={"search": "P0001"}, headers=headers).status_code == 200
    finally:
        server.should_exit = True
        thread.join(10)
        access.removeHandler(handler)
    log = out.getvalue()
    assert log.count("GET ") == 3, log
    assert "P0001" not in log
    assert f"/v1/patients/{redact.patient_tag('P0001')}/documents" in log
