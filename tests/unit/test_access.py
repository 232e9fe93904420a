"""Access control over HTTP: the authorisation matrix (every data route x no token / another patient's
practitioner / granted / break-glass / administrator), masking, the audit trail as FHIR AuditEvent.

The route list comes from the app itself: a new route that nobody classified here fails
`test_every_route_is_in_the_matrix`, and every route the app serves, classified or not, must refuse a
request without a token (`test_no_token_is_401_everywhere`).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from api.app import create_app
from carnet.config import Settings
from carnet.facts import Fact
from carnet.models import Chunk, DocMeta
from index.embedders import HashingEmbedder
from index.sqlite import SQLiteStore as Store, document_id_for
from tests.auth import TEST_SERVER_NAMES, grant, headers_for, token_for
from tests.pdfs import write_pdf
from tests.factories import new_document

pytestmark = pytest.mark.unit

OPEN = {("GET", "/healthz"), ("GET", "/fhir/metadata")}
REASON = "Patient inconscient aux urgences"
HBA1C = {"analyte": "hba1c", "label": "HbA1c", "value": 6.5, "unit": "%", "low": 4.0, "high": 6.0, "flag": "H",
         "page": 1}


def _add(store: Store, patient: str, sha: str, text: str, *, confidentiality=(), author_id=None,
         labs=(), facts=()) -> str:
    doc_id = document_id_for(patient, sha)
    meta = DocMeta(type_code="11502-2", service_date=date(2025, 3, 1), specialty_code="SM03",
                   confidentiality=tuple(confidentiality), author_id=author_id, analyte_keys=("hba1c",))
    store.add_document(new_document(patient_id=patient, content_sha256=sha, source=f"{patient}/{sha}.pdf", meta=meta,
                       chunks=[Chunk(doc_id, 1, 0, len(text), None, text)],
                       vectors=HashingEmbedder().embed_passages([text]), page_count=1, ocr_pages=[],
                       ocr_confidence=None, fingerprint=None, file_size=10, pdf_bytes=b"%PDF-1.4 test",
                       lab_values=list(labs), facts=list(facts)))
    return doc_id


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("access")
    settings = Settings(home=tmp / "home", embedder="hashing", ocr=False, server_names=TEST_SERVER_NAMES)
    store = Store(settings.home)
    docs = {
        "P0001": _add(store, "P0001", "a1", "Bilan biologique : HbA1c 6,5 %.", labs=[HBA1C]),
        "P0002": _add(store, "P0002", "b1", "Bilan biologique : HbA1c 7,1 %.", labs=[HBA1C]),
        # masked to professionals (DMP MASQUE_PS), written by dr-author
        "masked": _add(store, "P0001", "a2", "Bilan biologique : HbA1c 9,9 %. Sérologie. Allergie à la pénicilline.",
                       confidentiality=("N", "MASQUE_PS"), author_id="dr-author",
                       labs=[{**HBA1C, "value": 9.9}],
                       facts=[Fact(kind="allergy", name="pénicilline", page=1, sentence="Allergie à la pénicilline.",
                                   service_date=date(2025, 3, 1))]),
    }
    grant(settings, "dr-author", ["P0001"])
    pdf = write_pdf(tmp / "upload.pdf", ["Compte rendu de consultation de néphrologie du 02/02/2026.\nDFG stable."])
    with TestClient(create_app(settings)) as client:
        yield {
            "client": client, "settings": settings, "docs": docs, "pdf": pdf.read_bytes(),
            "granted": headers_for(settings, "dr-granted", ["P0001"]),
            "admin": headers_for(settings, "admin-1", role="administrator"),
        }


# --- the matrix --------------------------------------------------------------------------------------------

# Each secured route: what it is about ("patient": a patient's data; "document": a document's;
# "admin": administration; "audit": the access trace; "list": the patient list).
ROUTES = {
    ("GET", "/v1/patients"): "list",
    ("GET", "/v1/patients/{patient_id}"): "patient",
    ("POST", "/v1/patients/{patient_id}/ask"): "patient",
    ("POST", "/v1/patients/{patient_id}/ask/stream"): "patient",
    ("GET", "/v1/patients/{patient_id}/documents"): "patient",
    ("POST", "/v1/patients/{patient_id}/documents"): "upload",
    ("GET", "/v1/patients/{patient_id}/summary"): "patient",
    ("GET", "/v1/patients/{patient_id}/labs/{analyte}.png"): "patient",
    ("GET", "/v1/documents/{document_id}"): "document",
    ("GET", "/v1/documents/{document_id}/pdf"): "document",
    ("GET", "/v1/documents/{document_id}/source"): "document",
    ("GET", "/fhir/DocumentReference"): "patient",
    ("POST", "/fhir/DocumentReference/_search"): "patient",
    ("GET", "/fhir/DocumentReference/{document_id}"): "document",
    ("GET", "/fhir/AuditEvent"): "audit",
    ("GET", "/v1/admin/grants"): "admin",
    ("PUT", "/v1/admin/grants/{practitioner}/{patient_id}"): "admin",
    ("DELETE", "/v1/admin/grants/{practitioner}/{patient_id}"): "admin",
}


def _app_routes(app) -> set[tuple[str, str]]:
    """Every (method, path) the app serves: its OpenAPI paths (built from app.routes, included routers
    too) and any top-level route left out of the schema but for the documentation pages."""
    out = {(m.upper(), path) for path, item in app.openapi()["paths"].items() for m in item}
    for route in app.routes:
        if isinstance(route, APIRoute) and route.path not in ("/docs", "/redoc"):
            out |= {(m, route.path) for m in route.methods if m not in ("HEAD", "OPTIONS")}
    return out


def _call(world, method: str, path: str, patient: str, headers: dict | None):
    """One request to the route, about `patient` (or its document)."""
    docs = world["docs"]
    url = path.replace("{patient_id}", patient).replace("{document_id}", docs[patient]) \
              .replace("{analyte}", "hba1c").replace("{practitioner}", "dr-new")
    url = re.sub(r"\{[^}]+\}", "x", url)  # a parameter nobody classified: any value
    kw: dict = {"headers": headers or {}}
    if path.endswith("/ask") or path.endswith("/ask/stream"):
        kw["json"] = {"question": "dernière HbA1c", "today": "2026-01-01"}
    elif path.endswith("/documents") and method == "POST":
        kw["files"] = {"file": ("crh.pdf", world["pdf"], "application/pdf")}
    elif path == "/fhir/DocumentReference":
        url += f"?patient={patient}"
    elif path == "/fhir/DocumentReference/_search":
        kw["data"] = {"patient": patient}
    elif path == "/fhir/AuditEvent":
        url += f"?patient={patient}"
    return world["client"].request(method, url, **kw)


def test_every_route_is_in_the_matrix(world):
    routes = _app_routes(world["client"].app)
    assert routes - set(ROUTES) - OPEN == set(), "classify the new route(s) in ROUTES"
    assert set(ROUTES) - routes == set(), "ROUTES lists a route the app no longer has"


def test_no_token_is_401_everywhere(world):
    for method, path in sorted(_app_routes(world["client"].app) - OPEN):
        r = _call(world, method, path, "P0001", None)
        assert r.status_code == 401, (method, path, r.status_code, r.text)
        assert r.headers["www-authenticate"].startswith("Bearer")
        bad = _call(world, method, path, "P0001", {"Authorization": "Bearer not.a.token"})
        assert bad.status_code == 401, (method, path, bad.status_code)


def test_open_routes_need_no_token(world):
    client = world["client"]
    assert client.get("/healthz").status_code == 200
    assert client.get("/fhir/metadata").status_code == 200
    assert client.get("/").status_code == 200 and client.get("/app.js").status_code == 200


@pytest.mark.parametrize("route", [r for r, kind in ROUTES.items() if kind in ("patient", "document", "upload")],
                         ids=lambda r: f"{r[0]} {r[1]}")
def test_practitioner_sees_the_granted_patient_only(world, route):
    method, path = route
    granted = _call(world, method, path, "P0001", world["granted"])
    assert granted.status_code in (200, 201), (granted.status_code, granted.text)
    other = _call(world, method, path, "P0002", world["granted"])
    assert other.status_code == 403, (other.status_code, other.text)


@pytest.mark.parametrize("route", [r for r, kind in ROUTES.items() if kind in ("patient", "document", "upload")],
                         ids=lambda r: f"{r[0]} {r[1]}")
def test_break_glass_opens_another_patient(world, route):
    method, path = route
    settings = world["settings"]
    practitioner = f"dr-urgence-{abs(hash(route)) % 10**8}"  # a new one each time: no window left open
    plain = {"Authorization": f"Bearer {token_for(settings, practitioner)}"}
    assert _call(world, method, path, "P0002", plain).status_code == 403
    assert _call(world, method, path, "P0002", {**plain, "X-Carnet-Break-Glass": "  "}).status_code == 403
    opened = _call(world, method, path, "P0002", {**plain, "X-Carnet-Break-Glass": REASON})
    assert opened.status_code in (200, 201), (opened.status_code, opened.text)
    again = _call(world, method, path, "P0002", plain)  # the window stays open for a while
    assert again.status_code in (200, 201)


@pytest.mark.parametrize("route", [r for r, kind in ROUTES.items() if kind in ("patient", "document")],
                         ids=lambda r: f"{r[0]} {r[1]}")
def test_an_administrator_reads_no_patient_data(world, route):
    method, path = route
    r = _call(world, method, path, "P0001", world["admin"])
    assert r.status_code == 403, (r.status_code, r.text)


def test_administration_is_for_administrators(world):
    for route, kind in ROUTES.items():
        if kind != "admin":
            continue
        assert _call(world, *route, "P0001", world["granted"]).status_code == 403, route
    client, admin = world["client"], world["admin"]
    assert client.put("/v1/admin/grants/dr-new/P0002", headers=admin).status_code == 200
    assert {"practitioner": "dr-new", "patient": "P0002"}.items() <= client.get(
        "/v1/admin/grants?practitioner=dr-new", headers=admin).json()[0].items()
    assert client.delete("/v1/admin/grants/dr-new/P0002", headers=admin).status_code == 204
    assert client.delete("/v1/admin/grants/dr-new/P0002", headers=admin).status_code == 404
    upload = client.post("/v1/patients/P0003/documents", headers=admin,
                         files={"file": ("crh.pdf", world["pdf"], "application/pdf")})
    assert upload.status_code == 201  # an administrator ingests


def test_the_patient_list_holds_the_granted_patients_only(world):
    client = world["client"]
    assert [p["id"] for p in client.get("/v1/patients", headers=world["granted"]).json()] == ["P0001"]
    assert client.get("/v1/patients?search=P0002", headers=world["granted"]).json() == []
    everyone = {p["id"] for p in client.get("/v1/patients", headers=world["admin"]).json()}
    assert {"P0001", "P0002"} <= everyone


def test_tokens_are_checked(world, tmp_path):
    import jwt

    settings, client = world["settings"], world["client"]
    url = "/v1/patients/P0001/documents"
    expired = token_for(settings, "dr-granted", hours=1)
    payload = jwt.decode(expired, options={"verify_signature": False})
    from service.auth import LocalIssuer

    key = LocalIssuer(settings.home).private_key()
    old = jwt.encode({**payload, "exp": payload["iat"] - 3600}, key, algorithm="ES256")
    assert client.get(url, headers={"Authorization": f"Bearer {old}"}).status_code == 401
    wrong_aud = jwt.encode({**payload, "aud": "another-service"}, key, algorithm="ES256")
    assert client.get(url, headers={"Authorization": f"Bearer {wrong_aud}"}).status_code == 401
    other_key = LocalIssuer(tmp_path / "elsewhere").issue("dr-granted")  # another store's key
    assert client.get(url, headers={"Authorization": f"Bearer {other_key}"}).status_code == 401
    unsigned = jwt.encode(payload, None, algorithm="none")
    assert client.get(url, headers={"Authorization": f"Bearer {unsigned}"}).status_code == 401
    shared_secret = jwt.encode(payload, "a-shared-secret-of-32-bytes-long!", algorithm="HS256")
    assert client.get(url, headers={"Authorization": f"Bearer {shared_secret}"}).status_code == 401
    assert client.get(url, headers={"Authorization": f"Bearer {expired}"}).status_code == 200
    key_file = settings.home / "auth" / "signing-key.pem"
    assert key_file.stat().st_mode & 0o777 == 0o600


# --- masking -----------------------------------------------------------------------------------------------


def test_masked_documents_are_invisible_except_to_their_author_and_under_break_glass(world):
    client, docs = world["client"], world["docs"]
    masked = docs["masked"]
    granted = world["granted"]
    listed = {d["id"] for d in client.get("/v1/patients/P0001/documents", headers=granted).json()}
    assert masked not in listed and docs["P0001"] in listed
    assert client.get(f"/v1/documents/{masked}", headers=granted).status_code == 404
    assert client.get(f"/v1/documents/{masked}/pdf", headers=granted).status_code == 404
    assert client.get(f"/fhir/DocumentReference/{masked}", headers=granted).status_code == 404
    bundle = client.get("/fhir/DocumentReference?patient=P0001", headers=granted).json()
    assert masked not in {e["resource"]["id"] for e in bundle["entry"]}
    answer = client.post("/v1/patients/P0001/ask", headers=granted,
                         json={"question": "sérologie HbA1c", "today": "2026-01-01"}).json()
    assert masked not in {d["id"] for d in answer["documents"] + answer["alternatives"]}
    synthesis = client.get("/v1/patients/P0001/summary", headers=granted).json()
    assert all(lab["value"] != 9.9 for lab in synthesis["labs"])  # its lab value does not leak either
    assert "nicilline" not in str(synthesis)  # nor its facts
    allergies = client.post("/v1/patients/P0001/ask", headers=granted, json={"question": "allergies ?"}).json()
    assert "nicilline" not in str(allergies)

    author = headers_for(world["settings"], "dr-author")
    assert masked in {d["id"] for d in client.get("/v1/patients/P0001/documents", headers=author).json()}
    assert client.get(f"/v1/documents/{masked}", headers=author).status_code == 200
    mine = client.post("/v1/patients/P0001/ask", headers=author, json={"question": "allergies ?"}).json()
    assert "nicilline" in str(mine)  # the test can fail: its author sees the fact

    urgent = {**granted, "X-Carnet-Break-Glass": REASON}
    assert client.get(f"/v1/documents/{masked}", headers=urgent).status_code == 200


# --- the audit trail ---------------------------------------------------------------------------------------


def test_break_glass_appears_in_the_patients_audit_event_trace(world):
    from fhir.resources.R4B.bundle import Bundle

    client, settings = world["client"], world["settings"]
    urgent = headers_for(settings, "dr-smur", break_glass=REASON)
    assert client.post("/v1/patients/P0002/ask", headers=urgent,
                       json={"question": "dernière HbA1c", "today": "2026-01-01"}).status_code == 200
    assert client.get("/v1/patients/P0002/documents", headers=world["granted"]).status_code == 403  # refused

    assert client.get("/fhir/AuditEvent?patient=P0002", headers=world["granted"]).status_code == 403
    r = client.get("/fhir/AuditEvent?patient=P0002", headers=world["admin"])
    assert r.status_code == 200 and r.headers["content-type"] == "application/fhir+json"
    bundle = r.json()
    Bundle.model_validate(bundle)  # valid FHIR (R4B: the R4 AuditEvent with R4's elements)
    events = [e["resource"] for e in bundle["entry"]]
    assert all(any(x.get("what", {}).get("reference") == "Patient/P0002" for x in e.get("entity", []))
               for e in events)
    smur = [e for e in events if e["agent"][0]["who"]["identifier"]["value"] == "dr-smur"]
    assert smur and smur[0]["purposeOfEvent"][0]["coding"][0]["code"] == "BTG"
    assert smur[0]["purposeOfEvent"][0]["text"] == REASON
    question = [d for x in smur[0]["entity"] for d in x.get("detail", []) if d["type"] == "question"]
    assert question[0]["valueString"] == "dernière HbA1c"  # kept in the store's trace, for the patient
    assert any(x["what"]["reference"] == f"DocumentReference/{world['docs']['P0002']}" for x in smur[0]["entity"])
    refused = [e for e in events if e["agent"][0]["who"]["identifier"]["value"] == "dr-granted" and e["outcome"] == "4"]
    assert refused, "the refused access is traced"

    own = headers_for(settings, "P0002", role="patient")
    mine = client.get("/fhir/AuditEvent?patient=P0002", headers=own)
    assert mine.status_code == 200 and mine.json()["total"] >= len(events)
    assert client.get("/fhir/AuditEvent?patient=P0001", headers=own).status_code == 403


def test_the_audit_log_is_append_only(world):
    import sqlite3

    store = Store(world["settings"].home)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("UPDATE audit_events SET actor = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("DELETE FROM audit_events")


# --- web hygiene -------------------------------------------------------------------------------------------


def test_security_headers_host_check_and_no_cors(world):
    client = world["client"]
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    pdf = client.get(f"/v1/documents/{world['docs']['P0001']}/pdf", headers=world["granted"])
    assert pdf.headers["content-disposition"].startswith("attachment")
    assert "sandbox" in pdf.headers["content-security-policy"]
    assert client.get("/healthz", headers={"Host": "evil.example"}).status_code == 400
    # A page on another origin posting a document: no CORS headers, and refused without a token anyway.
    upload = client.post("/v1/patients/P0001/documents", headers={"Origin": "https://evil.example"},
                         files={"file": ("crh.pdf", world["pdf"], "application/pdf")})
    assert upload.status_code == 401 and "access-control-allow-origin" not in upload.headers
    preflight = client.options("/v1/patients/P0001/documents", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_a_bugs_500_carries_the_security_headers_too(world, monkeypatch):
    """A 500 is answered outside the security middleware (so that the connection stays open): it must not
    leave without the headers every other response has."""
    searcher = world["client"].app.state.carnet.searcher

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(searcher, "ask", broken)
    r = world["client"].post("/v1/patients/P0001/ask", json={"question": "dernier bilan"}, headers=world["granted"])
    assert r.status_code == 500 and r.headers["content-type"].startswith("application/problem+json")
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["cache-control"] == "no-store"


def test_errors_are_problem_details(world):
    client = world["client"]
    for r, status in ((client.get("/v1/nowhere"), 404), (client.delete("/healthz"), 405),
                      (client.post("/v1/patients/P0001/ask", headers=world["granted"], json={}), 422)):
        assert r.status_code == status and r.headers["content-type"] == "application/problem+json", r.text
        body = r.json()
        assert body["status"] == status and body["title"] and body["detail"] and body["type"].startswith("urn:")
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    ask = spec["paths"]["/v1/patients/{patient_id}/ask"]["post"]
    assert ask["security"] == [{"bearer": []}]
    for status in ("401", "403", "404", "422"):
        assert "application/problem+json" in ask["responses"][status]["content"]
    assert "security" not in spec["paths"]["/healthz"]["get"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/docs-assets/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200


def test_the_sidecar_security_label_and_author_identifier_reach_the_store(settings, tmp_path):
    import json

    from service.facade import Carnet
    from ingest.pipeline import discover
    from ingest.sources import overrides_from_mapping

    fhir_like = overrides_from_mapping({"securityLabel": [{"coding": [{"code": "N"}, {"code": "MASQUE_PS"}]}],
                                        "author": [{"identifier": {"value": "10003456789"}, "display": "Dr Roux"}]})
    assert fhir_like["confidentiality"] == ("N", "MASQUE_PS") and fhir_like["author_id"] == "10003456789"
    xds_like = overrides_from_mapping({"confidentialityCode": "MASQUE_PS", "authorPerson": "10003^Roux^Anne"})
    assert xds_like["confidentiality"] == ("MASQUE_PS",) and xds_like["author_id"] == "10003"

    pdf = write_pdf(tmp_path / "root" / "P0009" / "crh.pdf", ["Compte rendu de consultation du 02/02/2026."])
    pdf.with_suffix(".json").write_text(json.dumps({"securityLabel": ["MASQUE_PS"],
                                                    "author": {"identifier": {"value": "dr-roux"}}}))
    carnet = Carnet(settings)
    assert carnet.ingestor.ingest(discover(tmp_path / "root")).added
    row = carnet.store.documents("P0009")[0]
    assert row.confidentiality == ("MASQUE_PS",) and row.author_id == "dr-roux"


def test_an_oidc_issuer_plugged_in_with_a_jwks_file(tmp_path):
    """A hospital's identity provider: RS256 tokens checked against its JWKS (a file here; a URL is fetched
    the same way, on first use); the role from a nested claim; the store's own tokens refused meanwhile."""
    import json
    import time

    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    from service.auth import LocalIssuer, TokenVerifier
    from carnet.errors import Unauthenticated

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    (tmp_path / "jwks.json").write_text(json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}))
    settings = Settings(home=tmp_path / "home", auth_issuer="https://idp.example/realms/care",
                        auth_jwks=str(tmp_path / "jwks.json"), auth_audience="carnet-api",
                        auth_role_claim="realm_access.roles")
    verifier = TokenVerifier(settings)
    now = int(time.time())
    claims = {"iss": "https://idp.example/realms/care", "aud": "carnet-api", "sub": "10003456789", "iat": now,
              "exp": now + 300, "name": "Dr Anne Roux", "realm_access": {"roles": ["offline_access", "administrator"]}}
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
    who = verifier.verify(token)
    assert (who.id, who.role, who.name, who.issuer) == ("10003456789", "administrator", "Dr Anne Roux",
                                                         "https://idp.example/realms/care")
    practitioner = jwt.encode({**claims, "realm_access": {"roles": []}}, key, algorithm="RS256", headers={"kid": "k1"})
    assert verifier.verify(practitioner).role == "practitioner"
    skewed = jwt.encode({**claims, "exp": now - 30}, key, algorithm="RS256", headers={"kid": "k1"})
    assert verifier.verify(skewed).id == "10003456789"  # within the 60 s clock skew
    for bad in ({**claims, "exp": now - 600}, {**claims, "aud": "carnet"}, {**claims, "iss": "https://other.example"}):
        with pytest.raises(Unauthenticated):
            verifier.verify(jwt.encode(bad, key, algorithm="RS256", headers={"kid": "k1"}))
    with pytest.raises(Unauthenticated):  # an unknown key id
        verifier.verify(jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k2"}))
    with pytest.raises(Unauthenticated):  # the store's own key is not trusted once an issuer is configured
        verifier.verify(LocalIssuer(settings.home).issue("dr-local", audience="carnet-api"))
    both = TokenVerifier(settings.model_copy(update={"auth_local": True}))
    assert both.verify(LocalIssuer(settings.home).issue("dr-local", audience="carnet-api")).id == "dr-local"


def test_a_verified_token_is_remembered_until_it_expires(tmp_path, monkeypatch):
    import time

    import service.auth
    from service.auth import LocalIssuer, TokenVerifier

    settings = Settings(home=tmp_path / "home")
    verifier = TokenVerifier(settings)
    checked = []
    real = verifier._verify
    monkeypatch.setattr(verifier, "_verify", lambda token: checked.append(token) or real(token))
    token = LocalIssuer(settings.home).issue("dr-a", audience=settings.auth_audience, hours=1)
    other = LocalIssuer(settings.home).issue("dr-b", audience=settings.auth_audience, hours=1)
    assert verifier.verify(token).id == verifier.verify(token).id == "dr-a"
    assert verifier.verify(other).id == "dr-b"
    assert checked == [token, other]  # the second use of a token is not checked again
    later = time.time() + 3601
    monkeypatch.setattr(service.auth.time, "time", lambda: later)
    verifier.verify(token)
    assert checked == [token, other, token]  # past its expiry it is checked again (and refused there if expired)
