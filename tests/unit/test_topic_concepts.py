"""Topic words reach the other words of their concept, across French and English (query.vocabulary)."""

from __future__ import annotations

from datetime import date

import pytest

from carnet.models import DocMeta, Interpretation
from index.embedders import HashingEmbedder
from index.sqlite import SQLiteStore as Store
from index.vectors import VectorIndex
from query.question_terms import topic_words
from query.retrieve import Searcher
from tests.unit.test_store_and_vectors import add

pytestmark = pytest.mark.unit


def test_a_topic_word_brings_its_concept_in_both_languages():
    words = topic_words(Interpretation(question="documents sur les reins", topic="les reins"))
    assert words[0] == "reins"  # the doctor's own word first
    assert {"renale", "kidney", "nephrologie"} <= set(words)
    assert topic_words(Interpretation(question="x", topic="zona")) == ["zona"]  # no concept: unchanged


@pytest.fixture
def searcher(tmp_path):
    store = Store(tmp_path)
    embedder = HashingEmbedder()
    add(store, "P1", "letter", ["Cardiology clinic letter. Dear Doctor, I saw this patient today: soft systolic "
                                "murmur, heart sounds regular, no change to treatment."],
        meta=DocMeta(type_code="11488-4", service_date=date(2019, 10, 9), language="en"))
    add(store, "P1", "lab", ["Biologie médicale. Hémoglobine 13,4 g/dL. Créatinine 80 µmol/L."],
        meta=DocMeta(type_code="11502-2", service_date=date(2024, 5, 2)))
    vectors = VectorIndex(store, embedder.name, embedder.dim, 10_000_000)
    vectors.check_manifest(create=True)
    return Searcher(store, vectors, embedder)


def test_a_french_topic_finds_the_english_letter(searcher):
    answer = searcher.ask("P1", "documents concernant le cœur", summarize=False)
    assert answer.message is None
    assert answer.documents[0].document.source == "P1/letter.pdf"


def test_a_topic_absent_from_the_record_still_has_no_answer(searcher):
    answer = searcher.ask("P1", "documents sur la cheville", summarize=False)
    assert answer.documents == () and answer.message == "no-match"
