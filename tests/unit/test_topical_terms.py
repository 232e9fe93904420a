"""Topical search: shared French/English stems, medical names across languages, the stricter 'no answer' floor,
and the stemmed FTS table that an older store gains when opened (index/terms.py, index/sqlite/schema.py)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from carnet.models import DocMeta
from index.embedders import HashingEmbedder
from index.sqlite import SQLiteStore as Store
from index.vectors import VectorIndex
from query.retrieve import RankingOptions, Searcher
from index.terms import evidence_match, key_text, stem, stems, synonym_phrases
from tests.unit.test_store_and_vectors import add

pytestmark = pytest.mark.unit


def test_stems_meet_across_plurals_and_languages():
    assert stems("Douleurs thoraciques") == stems("douleur thoracique")
    assert stem("hepatique") == stem("hepatic")
    assert stem("2024") == "2024" and stem("ct") == "ct"  # numbers and short words stay as they are


def test_a_medical_name_brings_its_synonyms_and_the_longest_name_wins():
    copd = synonym_phrases(["bpco"])
    assert ("copd",) in copd and tuple(stems("chronic obstructive pulmonary disease")) in copd
    # "pulmonary hypertension" is its own entry, not arterial hypertension's
    assert tuple(stems("hypertension arterielle")) not in synonym_phrases(["pulmonary", "hypertension"])
    # linking words may be typed or not
    assert tuple(stems("hip replacement")) in synonym_phrases(["prothese", "hanche"])
    assert synonym_phrases(["zona"]) == []


def test_evidence_needs_every_word_of_a_longer_topic_near_each_other():
    match = evidence_match(["breast", "cancer"], [], ["oncology", "mammography"])
    assert match.startswith("NEAR(") and "oncolog" not in match
    single = evidence_match(["coeur"], [], ["cardiology"])
    assert stem("cardiology") in single  # a one-word body system is shown by its concept's words


def test_key_text_keeps_the_title_and_labelled_lines():
    text = "ST. BRIGID HOSPITAL\nCardiology | Oncology\nFindings: nodule.\nIMPRESSION:\n1. Stable nodule.\n\nSigned"
    key = key_text(text, "CT CHEST")
    assert key.splitlines() == ["CT CHEST", "IMPRESSION:", "1. Stable nodule."]


@pytest.fixture
def searcher(tmp_path):
    store = Store(tmp_path)
    embedder = HashingEmbedder()
    footer = "Departments: cardiology, orthopedics, oncology and breast imaging. Confidential."
    add(store, "P1", "ct", [f"CT chest. Impression: 7 mm pulmonary nodule, emphysema. {footer}"],
        meta=DocMeta(type_code="18748-4", service_date=date(2023, 9, 19), language="en"))
    add(store, "P1", "pneumo", ["Consultation de pneumologie. Conclusion : BPCO stade 2, douleurs thoraciques."],
        meta=DocMeta(type_code="11488-4", service_date=date(2024, 1, 5), language="fr"))
    vectors = VectorIndex(store, embedder.name, embedder.dim, 10_000_000)
    vectors.check_manifest(create=True)
    return Searcher(store, vectors, embedder)


def _sources(answer):
    return [h.document.source for h in answer.documents]


def test_an_english_abbreviation_finds_the_french_letter_and_plurals_meet(searcher):
    assert _sources(searcher.ask("P1", "COPD", summarize=False))[0] == "P1/pneumo.pdf"
    assert _sources(searcher.ask("P1", "douleur thoracique", summarize=False))[0] == "P1/pneumo.pdf"
    assert _sources(searcher.ask("P1", "emphysème", summarize=False))[0] == "P1/ct.pdf"


def test_a_footer_naming_departments_does_not_answer_a_topic(searcher):
    answer = searcher.ask("P1", "breast cancer", summarize=False)
    assert answer.message == "no-match" and not answer.documents
    searcher.options = RankingOptions(strict_evidence=False)  # the floor before: any word was evidence
    assert searcher.ask("P1", "breast cancer", summarize=False).documents


def test_a_store_written_before_the_stem_table_is_stemmed_when_opened(tmp_path):
    first = Store(tmp_path)
    add(first, "P1", "pneumo", ["Conclusion : exacerbations de BPCO."],
        meta=DocMeta(type_code="11488-4", service_date=date(2024, 1, 5)))
    first.close()
    with sqlite3.connect(tmp_path / "carnet.db") as conn:
        conn.execute("DROP TABLE chunks_stem")
    store = Store(tmp_path)
    num = store.patient("P1").num
    assert [c for c, _ in store.search_stems(num, f'"{stem("exacerbation")}"')] == \
        [c for c, _ in store.search_text(num, ["exacerbations"])]


def test_a_document_naming_the_topic_in_its_conclusion_comes_first(tmp_path):
    store = Store(tmp_path)
    embedder = HashingEmbedder()
    add(store, "P1", "gp", ["Consultation de suivi. Antécédents : prothèse de hanche, hypertension, genou douloureux, "
                            "genou gauche, genou droit, hanche."],
        meta=DocMeta(type_code="11488-4", service_date=date(2024, 6, 4)))
    add(store, "P1", "op", ["Compte rendu opératoire. Intervention : arthroplastie totale de hanche droite."],
        meta=DocMeta(type_code="34874-8", service_date=date(2019, 5, 14)))
    vectors = VectorIndex(store, embedder.name, embedder.dim, 10_000_000)
    vectors.check_manifest(create=True)
    searcher = Searcher(store, vectors, embedder)
    # "hip replacement" is named in the operative report's key line (a medical name of the question's words)
    assert _sources(searcher.ask("P1", "hip replacement", summarize=False))[0] == "P1/op.pdf"
