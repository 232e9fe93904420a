"""A FHIR DocumentReference search and the doctor's question that asks for the same documents select the same
documents: both build a carnet.document_filter.DocumentFilter, and a specialty group matches the stored
specialty_group on both paths."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from api.fhir.search import parse_search
from carnet import codes
from carnet.document_filter import DocumentFilter
from query.parse import parse_question

TODAY = date(2026, 11, 27)
_TYPES = (codes.CONSULTATION, codes.OPHTHALMOLOGY_CONSULTATION, codes.IMAGING, codes.LAB, codes.DIAGNOSTIC_ACT_REPORT,
          codes.DISCHARGE_LETTER)
_SPECIALTIES = ("SM04", "SM73", "SM44", "SM74", "SM03", "SM26", None)


def _rows(n: int = 400, seed: int = 7) -> list[dict]:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        specialty = rnd.choice(_SPECIALTIES)
        day = date(2021, 1, 1) + timedelta(days=rnd.randrange(6 * 365))
        rows.append({
            "id": f"D{i:04d}", "type_code": rnd.choice(_TYPES), "class_code": "10", "specialty_code": specialty,
            "specialty_group": codes.specialty_group(specialty), "language": rnd.choice(("fr", "en")),
            "author": "Dr Jean Martin", "service_date": None if rnd.random() < 0.1 else day.isoformat(),
            "service_end_date": None, "canonical_id": "D0000" if rnd.random() < 0.1 else None,
            "is_noise": rnd.random() < 0.1, "exam_keys": rnd.choice(([], ["echocardiographie"], ["ecg"])),
            "analyte_keys": [],
        })
    return rows


def _ids(docs) -> set[str]:
    return {d["id"] for d in docs}


@pytest.mark.parametrize("question, params", [
    ("consultations de cardiologie depuis 2024",
     [("type", "11488-4,78513-9"), ("specialty", "cardiologie"), ("date", "ge2024-01-01")]),
    ("compte rendu d imagerie de radiologie avant 2023",
     [("type", "18748-4"), ("specialty", "radiologie"), ("date", "le2022-12-31")]),
    ("bilans biologiques en 2024", [("type", "11502-2"), ("date", "ge2024-01-01"), ("date", "le2024-12-31")]),
    ("echographies cardiaques", [("event", "echocardiographie")]),
])
def test_a_fhir_search_and_the_same_question_select_the_same_documents(question, params):
    rows = _rows()
    by_question = DocumentFilter.from_interpretation(parse_question(question, TODAY)).select(rows)
    by_fhir = [r for r in rows if parse_search([("patient", "P1"), *params]).matches(r)]
    assert by_question, "the generated rows hold documents the question asks for"
    assert _ids(by_fhir) == _ids(by_question)


def test_a_fhir_specialty_group_matches_the_stored_group_not_only_the_listed_codes():
    """A document whose stored group is "cardiologie" is found by `specialty=cardiologie` whatever its exact
    code (here a code written with its system), as the question path finds it."""
    doc = {"id": "D1", "type_code": codes.CONSULTATION, "specialty_code": "G15_10/SM04",
           "specialty_group": "cardiologie", "canonical_id": None, "is_noise": False}
    assert parse_search([("patient", "P1"), ("specialty", "cardiologie")]).matches(doc)
    assert not parse_search([("patient", "P1"), ("specialty", "radiologie")]).matches(doc)
    assert DocumentFilter.from_interpretation(parse_question("consultations de cardiologie", TODAY)).matches(doc)


def test_a_status_no_document_has_matches_nothing():
    doc = {"id": "D1", "type_code": codes.LAB, "canonical_id": None, "is_noise": False}
    assert parse_search([("patient", "P1")]).matches(doc)
    assert not parse_search([("patient", "P1"), ("status", "entered-in-error")]).matches(doc)
