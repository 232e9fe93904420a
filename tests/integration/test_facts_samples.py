"""Facts on the sample patients, ingested for real (PDF text, understanding, edsnlp): P0005's penicillin
allergy, the "no known drug allergies" of another document shown as a contradiction, "allergies ?" answered
with the documents that state it; P0002's current treatment from its March 2026 letter, not the 2022
prescription, with its age and what changed."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from carnet.config import Settings
from service.serialize import answer_out
from service.facade import Carnet
from ingest.pipeline import discover
from query.synthesis import patient_synthesis

pytestmark = pytest.mark.integration
SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
FILES = ["P0005/e5fefcb1.pdf", "P0005/0fc6efc2.pdf", "P0005/6f2f4fb6.pdf", "P0005/98413a4c.pdf",
         "P0002/84e64100.pdf", "P0002/c2294478.pdf", "P0002/81b87a55.pdf", "P0002/41173df6.pdf",
         "P0002/1003176a.pdf"]
TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def carnet(tmp_path_factory):
    root = tmp_path_factory.mktemp("samples")
    for f in FILES:
        (root / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLES / f, root / f)
    c = Carnet(Settings(home=root / "home", embedder="hashing", ocr=False))
    report = c.ingestor.ingest(discover(root))
    assert not report.failed
    return c


def _source(c, document_id):
    return c.store.document(document_id).source


def test_p0005_penicillin_allergy_is_listed_with_its_source_and_the_contradiction_shown(carnet):
    syn = patient_synthesis(carnet.store, "P0005")
    texts = [a["text"] for a in syn["allergies"]]
    assert texts[0] == "pénicilline (urticaire)"
    assert _source(carnet, syn["allergies"][0]["document_id"]).endswith("e5fefcb1.pdf")
    # the English ED summary says "No known drug allergies": shown beside it, not resolved silently
    assert syn["allergy_status"] == "contradiction"
    assert any(a["none"] and _source(carnet, a["document_id"]).endswith("0fc6efc2.pdf") for a in syn["allergies"])
    assert not any("allerg" in p["text"].lower() for p in syn["problems"])


@pytest.mark.parametrize("question", ["allergies ?", "allergie à quoi", "any allergies"])
def test_allergy_questions_are_answered_from_the_facts(carnet, question):
    answer = carnet.searcher.ask("P0005", question, today=TODAY)
    data = answer_out(answer).model_dump(mode="json")
    assert data["facts"]["intent"] == "allergies"
    assert "pénicilline" in data["facts"]["text"]
    sources = [d["source"] for d in data["documents"]]
    assert any(s.endswith("e5fefcb1.pdf") for s in sources)
    assert not data["interpretation"]["specialty_groups"]  # not the allergology specialty


def test_p0002_current_treatment_is_the_2026_letter_with_its_age(carnet):
    syn = patient_synthesis(carnet.store, "P0002")
    current = syn["current_treatment"]
    assert current["date"] == "2026-04-22"  # the April 2026 consultation restates the March letter's treatment
    names = {m["name"].lower() for m in syn["medications"]}
    assert {"kardegic", "bisoprolol", "atorvastatine", "entresto", "spironolactone", "furosémide"} <= names
    answer = carnet.searcher.ask("P0002", "ordonnance en cours", today=TODAY)
    text = answer.facts["text"]
    assert "2026-04-22" in text and "il y a 7 mois" in text
    assert answer.documents and answer.documents[0].document.source.endswith("c2294478.pdf")


def test_what_changed_since_the_last_visit_lists_dated_documents(carnet):
    answer = carnet.searcher.ask("P0002", "qu'est-ce qui a changé depuis la dernière consultation", today=TODAY)
    assert answer.facts["intent"] == "changes" and answer.facts["since"] == "2026-04-22"
