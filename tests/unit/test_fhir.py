"""FHIR R4 DocumentReference search and read over a tmp store: filters, date prefixes, order, paging,
patient isolation, duplicates and noise, errors as OperationOutcome, the resource's mapping."""

from __future__ import annotations

import base64
import hashlib
import sqlite3
from datetime import date
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.fhir import search as search_parameters
from api.fhir import systems
from carnet.models import DocMeta
from index.sqlite import SQLiteStore as Store
from tests.unit.test_store_and_vectors import add

pytestmark = pytest.mark.unit

FHIR_JSON = "application/fhir+json"


def _meta(type_code, day, specialty=None, **kw):
    return DocMeta(type_code=type_code, service_date=day, specialty_code=specialty, **kw)


@pytest.fixture
def record(settings, monkeypatch):
    """Two patients with the same kinds of documents; P1 also has duplicates, noise and an undated note."""
    ticks = iter(range(1000))  # one arrival time per document, in the order added (the clock ticks in seconds)
    monkeypatch.setattr("index.sqlite.documents.now", lambda: f"2026-01-01T00:00:{next(ticks):02d}+00:00")
    store = Store(settings.home)
    ids = {
        "echo": add(store, "P1", "echo", ["Échocardiographie"], _meta(
            "70004-7", date(2024, 5, 14), "SM04", author="Dr Hélène Marchetti", organisation="CH de Valmont",
            title="Échocardiographie transthoracique", exam_keys=("echocardiographie",))),
        "bio23": add(store, "P1", "bio23", ["HbA1c 6,9 %"], _meta("11502-2", date(2023, 11, 30), "SM63")),
        "imaging": add(store, "P1", "imaging", ["Scanner"], _meta(
            "11528-7", date(2022, 6, 1), "SM44", service_end_date=date(2022, 6, 3))),  # an ended LOINC code
        "bio25": add(store, "P1", "bio25", ["HbA1c 7,4 %"], _meta(
            "11502-2", date(2025, 2, 3), "SM03", analyte_keys=("hba1c",))),
        "gp": add(store, "P1", "gp", ["GP visit"], _meta("11488-4", date(2025, 3, 20), "SM54", language="en")),
        "cardio": add(store, "P1", "cardio", ["Consultation"], _meta(
            "11488-4", date(2025, 3, 20), "SM73", author="Dr Hélène Marchetti")),  # same day as gp, arrives later
        "undated": add(store, "P1", "undated", ["Note"], _meta("11488-4", None, "SM54")),
        "noise": add(store, "P1", "noise", ["Rendez-vous"], _meta(
            "ADMIN", date(2025, 1, 10), is_noise=True, noise_reason="appointment")),
        "bio25-copy": add(store, "P1", "bio25-copy", ["HbA1c 7,4 %"], _meta("11502-2", date(2025, 2, 3), "SM03")),
        # Another patient with documents that every P1 filter would match.
        "p2-bio": add(store, "P2", "p2-bio", ["HbA1c 8 %"], _meta("11502-2", date(2025, 2, 4), "SM03")),
        "p2-cardio": add(store, "P2", "p2-cardio", ["Consultation"], _meta(
            "11488-4", date(2025, 3, 21), "SM04", author="Dr Hélène Marchetti", exam_keys=("echocardiographie",))),
        "p2-same": add(store, "P2", "echo", ["Échocardiographie"], _meta("70004-7", date(2024, 5, 14), "SM04")),
    }
    store.set_canonical([ids["bio25"], ids["bio25-copy"]], ids["bio25"], "near")
    return ids


@pytest.fixture
def client(settings, record, granted_client):
    return granted_client(["P1", "P2", "NOBODY"])  # a grant may name a patient not ingested yet


def search(client, query: str, status: int = 200) -> dict:
    r = client.get(f"/fhir/DocumentReference?{query}")
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == FHIR_JSON
    return r.json()


def ids_of(bundle: dict) -> list[str]:
    return [e["resource"]["id"] for e in bundle["entry"]]


def named(record, *names) -> list[str]:
    return [record[n] for n in names]


# --- filters -----------------------------------------------------------------------------------------------


def test_default_search_is_the_patients_current_clinical_documents_most_recent_act_first(client, record):
    b = search(client, "patient=P1")
    assert b["resourceType"] == "Bundle" and b["type"] == "searchset"
    # Ties on 2025-03-20: latest arrival first; undated last; noise and the near duplicate left out.
    assert ids_of(b) == named(record, "cardio", "gp", "bio25", "echo", "bio23", "imaging", "undated")
    assert b["total"] == 7
    assert b["link"][0]["relation"] == "self"
    for e in b["entry"]:
        assert e["fullUrl"] == f"http://testserver/fhir/DocumentReference/{e['resource']['id']}"
        assert e["search"] == {"mode": "match"}


@pytest.mark.parametrize("value", ["11502-2", "http://loinc.org|11502-2", "urn:oid:2.16.840.1.113883.6.1|11502-2",
                                   "|11502-2"])
def test_type_filter_accepts_system_and_bare_codes(client, record, value):
    assert ids_of(search(client, f"patient=P1&type={value}")) == named(record, "bio25", "bio23")


def test_type_comma_is_or_and_ended_codes_match_their_current_code(client, record):
    assert ids_of(search(client, "patient=P1&type=11502-2,18748-4")) == named(record, "bio25", "bio23", "imaging")
    assert ids_of(search(client, "patient=P1&type=11528-7")) == named(record, "imaging")  # ended 2017
    assert search(client, "patient=P1&type=34874-8")["total"] == 0  # a valid type the record does not hold


def test_repeated_parameters_are_anded(client, record):
    assert ids_of(search(client, "patient=P1&type=11488-4,11502-2&type=11502-2")) == named(record, "bio25", "bio23")


def test_specialty_exact_code_or_carnet_group(client, record):
    assert ids_of(search(client, "patient=P1&specialty=G15_10/SM04")) == named(record, "echo")
    assert ids_of(search(client, "patient=P1&specialty=SM73")) == named(record, "cardio")
    assert ids_of(search(client, f"patient=P1&specialty={systems.SPECIALTY_SYSTEM}|G15_10/SM04")) == named(record, "echo")
    # The group covers SM04, SM73 and SM79-81: what a user means by "cardiologie".
    assert ids_of(search(client, "patient=P1&specialty=cardiologie")) == named(record, "cardio", "echo")
    assert ids_of(search(client, f"patient=P1&author.specialty={systems.GROUP_SYSTEM}|biologie")) == named(
        record, "bio25", "bio23")
    latest = search(client, "patient=P1&specialty=cardiologie&type=11488-4,70004-7&_count=1")
    assert ids_of(latest) == named(record, "cardio")  # "dernier compte rendu de cardiologie"


def test_event_author_language_category_and_id(client, record):
    assert ids_of(search(client, "patient=P1&event=echocardiographie")) == named(record, "echo")
    assert ids_of(search(client, "patient=P1&event=urn:carnet:analyte|hba1c")) == named(record, "bio25")
    assert ids_of(search(client, "patient=P1&author.family=marchetti")) == named(record, "cardio", "echo")
    assert ids_of(search(client, "patient=P1&author.given=Hel")) == named(record, "cardio", "echo")
    assert ids_of(search(client, "patient=P1&language=en")) == named(record, "gp")
    assert search(client, "patient=P1&category=10")["total"] == 7
    assert ids_of(search(client, f"patient=P1&_id={record['echo']},{record['gp']}")) == named(record, "gp", "echo")


# --- dates ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), [
    ("date=ge2025-01-01&date=le2025-12-31", ["cardio", "gp", "bio25"]),
    ("date=2025-03", ["cardio", "gp"]),  # eq by default, at the value's precision
    ("date=eq2025-03-20", ["cardio", "gp"]),
    ("date=2024", ["echo"]),
    ("date=gt2025-02-03", ["cardio", "gp"]),
    ("date=ge2025-02-03", ["cardio", "gp", "bio25"]),
    ("date=lt2024-05-14", ["bio23", "imaging"]),
    ("date=le2024-05-14", ["echo", "bio23", "imaging"]),
    ("date=le2023", ["bio23", "imaging"]),
    ("date=gt2023", ["cardio", "gp", "bio25", "echo"]),
    ("date=ne2025", ["echo", "bio23", "imaging"]),  # undated documents match no date criterion
    ("date=2022,2024-05", ["echo", "imaging"]),  # comma = OR
    ("date=ge2024-01-01T00:00:00Z", ["cardio", "gp", "bio25", "echo"]),  # a time is ignored
    ("date=ge2024-01-01T00:00:00+01:00", ["cardio", "gp", "bio25", "echo"]),  # '+' unencoded: a space
    ("period-start=ge2022-06-02", ["cardio", "gp", "bio25", "echo", "bio23"]),
    # The scan ran from 2022-06-01 to 2022-06-03: its period reaches past 06-02, its start does not.
    ("period=ge2022-06-02", ["cardio", "gp", "bio25", "echo", "bio23", "imaging"]),
    ("period=2022-06", ["imaging"]),
    ("period=2022-06-02", []),  # eq: the period must lie within the day
    ("period-end=2022-06-03", ["imaging"]),
    ("period-end=2025-02-03", ["bio25"]),  # no end: the act's day
])
def test_date_prefixes_apply_to_the_date_of_the_act(client, record, query, expected):
    assert ids_of(search(client, f"patient=P1&{query}")) == named(record, *expected)


@pytest.mark.parametrize("value", ["2024-13", "2024-02-30", "ge24-01-01", "sa2024", "ap2024", "yesterday", "ge"])
def test_bad_dates_are_400(client, value):
    outcome = search(client, f"patient=P1&date={value}", 400)
    assert outcome["resourceType"] == "OperationOutcome" and f"date={value}" in outcome["issue"][0]["diagnostics"]


# --- order and paging ---------------------------------------------------------------------------------------


def test_sort_ascending_keeps_undated_last(client, record):
    asc = ids_of(search(client, "patient=P1&_sort=date"))
    assert asc == named(record, "imaging", "bio23", "echo", "bio25", "cardio", "gp", "undated")
    assert ids_of(search(client, "patient=P1&_sort=-period-start")) == ids_of(search(client, "patient=P1"))
    assert ids_of(search(client, "patient=P1&_sort=period-start")) == asc


def test_count_pages_through_next_links(client, record):
    first = search(client, "patient=P1&_count=3")
    assert len(first["entry"]) == 3 and first["total"] == 7
    seen, page = [], first
    while True:
        seen += ids_of(page)
        nxt = [link["url"] for link in page["link"] if link["relation"] == "next"]
        if not nxt:
            break
        url = urlsplit(nxt[0])
        assert url.path == "/fhir/DocumentReference" and "patient=P1" in url.query
        page = search(client, url.query)
    assert seen == ids_of(search(client, "patient=P1"))
    assert any(link["relation"] == "previous" for link in page["link"])


def test_count_zero_gives_the_total_only_and_limits_are_enforced(client):
    b = search(client, "patient=P1&_count=0")
    assert b["total"] == 7 and b["entry"] == []
    assert len(search(client, "patient=P1")["entry"]) == 7  # default 20
    for bad in ("101", "-1", "ten"):
        assert "_count" in search(client, f"patient=P1&_count={bad}", 400)["issue"][0]["diagnostics"]


# --- patient isolation ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "&type=11502-2", "&specialty=cardiologie", "&event=echocardiographie",
                                   "&author.family=Marchetti", "&date=ge2025-02-04", "&status=current,superseded",
                                   "&noise=include", "&_count=100"])
def test_another_patients_documents_never_appear(client, record, query):
    p2 = set(named(record, "p2-bio", "p2-cardio", "p2-same"))
    b = search(client, f"patient=P1{query}")
    assert not p2 & set(ids_of(b))
    assert all(e["resource"]["subject"] == {"reference": "Patient/P1"} for e in b["entry"])
    assert set(ids_of(search(client, f"patient=P2{query}"))) <= p2  # and the other way round
    assert search(client, f"patient=P1&_id={record['p2-bio']}")["total"] == 0


def test_patient_reference_forms(client, record):
    expected = ids_of(search(client, "patient=P2"))
    assert set(expected) == set(named(record, "p2-bio", "p2-cardio", "p2-same"))
    for query in ("patient=Patient/P2", "subject=Patient/P2", "subject=P2", "patient.identifier=P2",
                  "patient.identifier=urn:carnet:patient|P2"):
        assert ids_of(search(client, query)) == expected


def test_unknown_patient_is_404_and_missing_patient_400(client):
    outcome = search(client, "patient=NOBODY", 404)
    assert outcome == {"resourceType": "OperationOutcome", "issue": [
        {"severity": "error", "code": "not-found",
         "diagnostics": "Unknown patient 'NOBODY': no document has been ingested for this patient."}]}
    assert search(client, "type=11502-2", 400)["issue"][0]["code"] == "required"
    assert search(client, "patient=P1&patient=P2", 400)["issue"][0]["code"] == "invalid"
    assert search(client, "patient=P1,P2", 400)["issue"][0]["code"] == "invalid"


@pytest.mark.parametrize(("query", "word"), [
    ("foo=1", "foo"), ("type:text=bilan", "text"), ("setting=ETABLISSEMENT", "cadre"),
    ("security-label=N", "security-label"), ("type=CR-BIO", "LOINC"), ("type=urn:oid:1.2.250.1.213.1.1.4.12|NOPE", "TRE_A05"),
    ("specialty=SM99", "SM99"), ("specialty=astrologie", "astrologie"), ("event=ccam-ABCD001", "ccam"),
    ("status=final", "status"), ("_sort=title", "_sort"), ("noise=maybe", "noise"), ("_format=xml", "JSON"),
    ("patient.identifier=urn:oid:1.2.250.1.213.1.4.8|1234567890123", "INS"), ("_summary=count", "_summary"),
])
def test_unsupported_or_malformed_parameters_are_400_outcomes(client, query, word):
    outcome = search(client, f"patient=P1&{query}", 400)
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["severity"] == "error" and word in outcome["issue"][0]["diagnostics"]


# --- duplicates and noise ---------------------------------------------------------------------------------------


def test_near_duplicates_are_superseded_and_replaced_by_their_canonical(client, record):
    assert ids_of(search(client, "patient=P1&status=superseded")) == named(record, "bio25-copy")
    both = ids_of(search(client, "patient=P1&type=11502-2&status=current,superseded"))
    assert set(both) == set(named(record, "bio25", "bio25-copy", "bio23"))
    canonical = client.get(f"/fhir/DocumentReference/{record['bio25']}").json()
    assert canonical["status"] == "current"
    assert canonical["relatesTo"] == [{"code": "replaces", "target": {"reference": f"DocumentReference/{record['bio25-copy']}"}}]
    copy = client.get(f"/fhir/DocumentReference/{record['bio25-copy']}").json()
    assert copy["status"] == "superseded" and "relatesTo" not in copy


def test_noise_is_left_out_unless_asked_for(client, record):
    assert search(client, "patient=P1&date=2025-01")["total"] == 0
    assert ids_of(search(client, "patient=P1&date=2025-01&noise=include")) == named(record, "noise")
    assert ids_of(search(client, "patient=P1&noise=only")) == named(record, "noise")
    assert record["noise"] in ids_of(search(client, "patient=P1&noise=include"))
    assert ids_of(search(client, "patient=P1&type=ADMIN")) == named(record, "noise")  # asking for them is enough
    assert ids_of(search(client, "patient=P1&category=95")) == named(record, "noise")
    resource = search(client, "patient=P1&noise=only")["entry"][0]["resource"]
    assert resource["meta"]["tag"][0]["code"] == "noise"
    assert resource["type"]["coding"][0]["system"] == systems.CARNET_TYPE_SYSTEM
    assert resource["category"][0]["coding"][0] == {"system": systems.CLASS_SYSTEM, "code": "95",
                                                    "display": "Document de gestion"}


# --- read and mapping -------------------------------------------------------------------------------------------


def test_read_by_id_maps_the_dmp_metadata(client, record, settings):
    r = client.get(f"/fhir/DocumentReference/{record['echo']}")
    assert r.status_code == 200 and r.headers["content-type"] == FHIR_JSON
    doc = r.json()
    assert doc["resourceType"] == "DocumentReference" and doc["id"] == record["echo"]
    assert doc["status"] == "current" and doc["docStatus"] == "final"
    assert doc["type"]["coding"] == [{"system": "http://loinc.org", "code": "70004-7",
                                      "display": "CR d'acte diagnostique (autre)"}]
    assert doc["category"][0]["coding"][0]["code"] == "10"
    assert doc["subject"] == {"reference": "Patient/P1"}
    assert doc["author"] == [{"reference": "#author", "display": "Dr Hélène Marchetti"}]
    role = doc["contained"][0]
    assert role["resourceType"] == "PractitionerRole" and role["id"] == "author"
    assert role["organization"] == {"display": "CH de Valmont"}
    assert role["specialty"][0]["coding"][0] == {"system": systems.SPECIALTY_SYSTEM, "code": "G15_10/SM04",
                                                 "display": "Cardiologie et maladies vasculaires"}
    assert role["specialty"][0]["coding"][1]["code"] == "cardiologie"
    assert "practiceSetting" not in doc["context"]  # in France that is the cadre d'exercice, not the specialty
    assert doc["context"]["period"] == {"start": "2024-05-14"}
    assert doc["context"]["event"][0]["coding"][0]["code"] == "echocardiographie"
    assert "date" not in doc and doc["meta"]["lastUpdated"].endswith("+00:00")
    attachment = doc["content"][0]["attachment"]
    assert attachment["contentType"] == "application/pdf" and attachment["language"] == "fr"
    assert attachment["title"] == "Échocardiographie transthoracique"
    pdf = client.get(urlsplit(attachment["url"]).path)  # the existing PDF route
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert attachment["size"] == len(pdf.content)
    assert attachment["hash"] == base64.b64encode(hashlib.sha1(pdf.content).digest()).decode()
    # size and hash were recorded at ingest: answering does not read the PDF
    Store(settings.home).pdf_path(record["echo"]).unlink()
    again = client.get(f"/fhir/DocumentReference/{record['echo']}").json()["content"][0]["attachment"]
    assert (again["size"], again["hash"]) == (attachment["size"], attachment["hash"])
    # a row written before Carnet recorded them: the PDF is read instead
    with sqlite3.connect(Store(settings.home).path) as conn:
        conn.execute("UPDATE documents SET pdf_sha1 = NULL, pdf_size = NULL WHERE id = ?", [record["bio23"]])
    old = client.get(f"/fhir/DocumentReference/{record['bio23']}").json()["content"][0]["attachment"]
    data = Store(settings.home).pdf_path(record["bio23"]).read_bytes()
    assert (old["size"], old["hash"]) == (len(data), base64.b64encode(hashlib.sha1(data).digest()).decode())
    imaging = client.get(f"/fhir/DocumentReference/{record['imaging']}").json()
    assert imaging["type"]["coding"][0]["code"] == "18748-4"
    assert imaging["context"]["period"] == {"start": "2022-06-01", "end": "2022-06-03"}
    assert imaging["content"][0]["attachment"]["title"] == "CR d'imagerie médicale"  # no title: the type's label


def test_read_unknown_or_other_patients_document_is_404(client, record):
    r = client.get("/fhir/DocumentReference/deadbeef")
    assert r.status_code == 404 and r.json()["issue"][0]["code"] == "not-found"
    assert r.headers["content-type"] == FHIR_JSON
    mine = client.get(f"/fhir/DocumentReference/{record['p2-bio']}?patient=P2")
    assert mine.status_code == 200
    other = client.get(f"/fhir/DocumentReference/{record['p2-bio']}?patient=Patient/P1")
    assert other.status_code == 404  # the same answer as an id that does not exist
    assert other.json()["issue"] == [{"severity": "error", "code": "not-found",
                                      "diagnostics": f"Unknown document {record['p2-bio']!r}."}]
    assert client.get(f"/fhir/DocumentReference/{record['echo']}?type=1").status_code == 400


def test_post_search_and_the_rest_of_the_endpoint(client, record):
    posted = client.post("/fhir/DocumentReference/_search", data={"patient": "P1", "type": "11502-2"})
    assert posted.status_code == 200 and posted.headers["content-type"] == FHIR_JSON
    assert ids_of(posted.json()) == named(record, "bio25", "bio23")
    assert client.post("/fhir/DocumentReference/_search", data={"patient": "P1", "bogus": "1"}).status_code == 400
    assert client.post("/fhir/DocumentReference", json={}).status_code == 405
    assert client.delete(f"/fhir/DocumentReference/{record['echo']}").status_code == 405
    missing = client.get("/fhir/Observation?patient=P1")
    assert missing.status_code == 404 and missing.json()["resourceType"] == "OperationOutcome"
    capability = client.get("/fhir/metadata").json()
    params = {p["name"] for p in capability["rest"][0]["resource"][0]["searchParam"]}
    assert {"patient", "type", "date", "period", "specialty", "_id"} <= params and "_count" not in params


def test_routes_show_in_openapi_with_a_tag_and_examples(client):
    spec = client.get("/openapi.json").json()
    search_op = spec["paths"]["/fhir/DocumentReference"]["get"]
    assert search_op["tags"] == ["FHIR R4"]
    assert {"patient", "type", "date", "_sort", "_count"} <= {p["name"] for p in search_op["parameters"]}
    assert search_op["responses"]["200"]["content"][FHIR_JSON]["example"]["resourceType"] == "Bundle"
    assert spec["paths"]["/fhir/DocumentReference/{document_id}"]["get"]["tags"] == ["FHIR R4"]


def test_the_v1_api_keeps_its_error_shape(client):
    r = client.get("/v1/patients/NOBODY/documents")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "unknown_patient" and r.json()["status"] == 404


# --- the library, without HTTP ----------------------------------------------------------------------------------


def test_parse_search_builds_the_query():
    q = search_parameters.parse_search([("patient", "Patient/P1"), ("type", "11528-7,11502-2"), ("date", "ge2024-01"),
                           ("date", "le2024-12-31"), ("specialty", "radiologie"), ("_count", "5")])
    assert q.patient == "P1" and q.count == 5 and q.descending and q.noise == "exclude"
    assert q.types == (frozenset({"18748-4", "11502-2"}),)
    assert q.specialties == (frozenset({"radiologie"}),)  # matched on the stored specialty_group
    assert [(t.prefix, t.lo, t.hi) for (t,) in q.dates] == [("ge", date(2024, 1, 1), date(2024, 2, 1)),
                                                          ("le", date(2024, 12, 31), date(2025, 1, 1))]
    assert q.statuses == {"current"}
