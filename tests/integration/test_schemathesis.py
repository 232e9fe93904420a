"""The API against its own OpenAPI description, with schemathesis: generated requests (valid and invalid)
to every operation, signed in as a practitioner and as an administrator. No 500, and every response
(status, content type, body) is one the OpenAPI declares. Bounded: a few examples per operation."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance
from hypothesis import HealthCheck, settings

from api.app import create_app
from carnet.config import Settings
from carnet.models import Chunk, DocMeta
from index.embedders import HashingEmbedder
from index.sqlite import SQLiteStore as Store, document_id_for
from tests.auth import TEST_SERVER_NAMES, headers_for
from tests.factories import new_document

pytestmark = pytest.mark.integration

EXAMPLES_PER_OPERATION = 8  # x 17 operations x 2 roles: a few hundred requests, well under a minute


# The app is built at import (cheap: nothing is read until a request); its store is filled by a fixture.
_HOME = Path(tempfile.mkdtemp(prefix="carnet-schemathesis-")) / "home"
_SETTINGS = Settings(home=_HOME, embedder="hashing", ocr=False, server_names=TEST_SERVER_NAMES)
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_SETTINGS))


@pytest.fixture(scope="module")
def signed_in():
    store = Store(_HOME)
    if not store.counts()["documents"]:
        text = "Bilan biologique : HbA1c 6,5 %."
        doc_id = document_id_for("P0001", "a1")
        store.add_document(new_document(patient_id="P0001", content_sha256="a1", source="P0001/a1.pdf",
                           meta=DocMeta(type_code="11502-2", service_date=date(2025, 3, 1), analyte_keys=("hba1c",)),
                           chunks=[Chunk(doc_id, 1, 0, len(text), None, text)],
                           vectors=HashingEmbedder().embed_passages([text]), page_count=1, ocr_pages=[],
                           ocr_confidence=None, fingerprint=None, file_size=10, pdf_bytes=b"%PDF-1.4 test",
                           lab_values=[{"analyte": "hba1c", "label": "HbA1c", "value": 6.5, "unit": "%",
                                        "low": 4.0, "high": 6.0, "flag": "H", "page": 1}]))
    yield [headers_for(_SETTINGS, "st-practitioner", ["P0001"]),
           headers_for(_SETTINGS, "st-administrator", role="administrator")]
    shutil.rmtree(_HOME.parent, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_openapi_promises(case, signed_in):
    # Where the OpenAPI can only describe a value in words, a schema-valid request may still be refused by
    # design: an upload is any multipart file to the schema, but Carnet ingests PDFs only (422); FHIR search
    # values follow FHIR's grammars (tokens, date prefixes), and Carnet refuses what it cannot honour (400
    # OperationOutcome) rather than ignore it. Every other check (no 500, documented status, content type,
    # body schema, headers, methods) still runs on them.
    method, path = case.operation.method.upper(), case.operation.path
    refuses_by_design = (method == "POST" and path.endswith("/documents")) or path.startswith("/fhir/DocumentReference")
    excluded = [positive_data_acceptance] if refuses_by_design else []
    for headers in signed_in:  # each generated request as a practitioner, then as an administrator
        case.call_and_validate(headers=headers, excluded_checks=excluded)
