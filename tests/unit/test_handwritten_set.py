"""The hand-written development set is consistent: unique names, labels from the DMP vocabularies, and the
gold answers of its questions (eval/queries/handwritten.jsonl, set by hand) agree with the documents' labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carnet.codes import SPECIALTIES, specialty_group
from carnet.lexicon import EXAMS
from eval.handwritten import QUESTIONS, documents

pytestmark = pytest.mark.unit

TYPES = {"11488-4", "11502-2", "18748-4", "11490-0", "34874-8", "34112-3", "57833-6", "15507-7", "11526-1",
         "70004-7", "34749-2", "78513-9", "ADMIN"}


def _questions() -> list[dict]:
    return [json.loads(line) for line in Path(QUESTIONS).read_text(encoding="utf-8").splitlines() if line.strip()]


def test_documents_are_labelled_with_the_dmp_vocabularies():
    docs = documents()
    new = [d for d in docs if d["patient"] != "H00"]
    assert len(new) >= 80
    assert len({(d["patient"], d["name"]) for d in docs}) == len(docs)
    for d in docs:
        assert d["type_code"] in TYPES, d["name"]
        assert d["specialty_code"] is None or d["specialty_code"] in SPECIALTIES, d["name"]
        assert (d["service_date"] is None) == (d["type_code"] == "ADMIN"), d["name"]
        assert all(k in EXAMS for k in d.get("exam_keys", [])), d["name"]
    for d in new:
        assert d["conclusion"] and d["patient_name"] and d["patient_birth_date"], d["name"]
        folded = " ".join(d["text"].split()).lower()
        assert " ".join(d["conclusion"].split()).lower() in folded, d["name"]  # the conclusion is quoted


def _matches(d: dict, expect: dict) -> bool:
    if d["is_noise"]:
        return False
    if "type_codes" in expect and d["type_code"] not in expect["type_codes"]:
        return False
    if "specialty_group" in expect and specialty_group(d["specialty_code"]) != expect["specialty_group"]:
        return False
    if "exam" in expect and expect["exam"] not in d.get("exam_keys", []):
        return False
    if "analyte" in expect and d["type_code"] != "11502-2":
        return False
    if "date_from" in expect and not expect["date_from"] <= d["service_date"] <= expect["date_to"]:
        return False
    return True


def test_gold_answers_agree_with_the_labels():
    by_source = {f"{d['patient']}/{d['name']}.pdf": d for d in documents()}
    questions = _questions()
    assert len(questions) >= 60
    assert {q["lang"] for q in questions} == {"fr", "en"}
    for q in questions:
        assert all(r in by_source and r.startswith(q["patient"] + "/") for r in q["relevant"]), q["id"]
        patient_docs = [d for s, d in by_source.items() if s.startswith(q["patient"] + "/")]
        hits = [d for d in patient_docs if _matches(d, q["expect"])]
        if q["kind"] == "no-answer":
            assert not q["relevant"] and not hits, q["id"]
        elif q["kind"].startswith("latest-") and "analyte" not in q["expect"]:
            latest = max(d["service_date"] for d in hits)
            gold = {f"{q['patient']}/{d['name']}.pdf" for d in hits if d["service_date"] == latest}
            assert gold <= set(q["relevant"]), (q["id"], gold)
        elif q["kind"] == "date-scoped":
            assert {f"{q['patient']}/{d['name']}.pdf" for d in hits} == set(q["relevant"]), q["id"]
