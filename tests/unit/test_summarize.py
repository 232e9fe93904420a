"""The extractive summary: verbatim, cited, conclusion first, nothing without hits, fast."""

from __future__ import annotations

from datetime import date

import pytest

from carnet.config import Settings
from carnet.models import Chunk, ChunkHit, DocMeta, DocumentHit, Interpretation
from index.embedders import HashingEmbedder
from index.sqlite import SQLiteStore as Store, document_id_for
from query.summarize import ExtractiveSummarizer, make_summarizer, metadata_lead, split_sentences
from tests.factories import new_document
from tests.factories import stored_document

pytestmark = pytest.mark.unit

ECHO_P1 = """CENTRE HOSPITALIER DE PONTVERT - Service de Cardiologie
Tél 02 99 00 00 00

Échocardiographie transthoracique du 10/03/2025
Indication : bilan d'une dyspnée d'effort chez un patient
hypertendu.
Ventricule gauche non dilaté, FEVG estimée à 58 % (Simpson biplan).
Valve aortique calcifiée, gradient moyen 18 mmHg. Pas de valvulopathie mitrale significative."""
ECHO_P2 = """Conclusion :
Fonction systolique du VG conservée. Rétrécissement aortique modéré.
Contrôle échographique dans un an.
Bien confraternellement, Dr Yann Le Goff"""

LAB = """LABORATOIRE BIOLAB
Hémoglobine glyquée (HbA1c)     7,1    %       4,0 - 6,0
Créatinine                      98     µmol/L  45 - 90
Commentaire du biologiste : discrète dégradation de la fonction rénale."""


def _add(store, patient, sha, pages, meta):
    emb = HashingEmbedder()
    doc_id = document_id_for(patient, sha)
    chunks = [Chunk(doc_id, page, 0, len(text), section, text) for page, section, text in pages]
    store.add_document(new_document(
        patient_id=patient, content_sha256=sha, source=f"{patient}/{sha}.pdf", meta=meta, chunks=chunks,
        vectors=emb.embed_passages([c.text for c in chunks]), page_count=max(p for p, _, _ in pages), ocr_pages=[],
        ocr_confidence=None, fingerprint=None, file_size=10,
        pdf_bytes=b"%PDF-1.4 test",
    ))
    return doc_id


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path)
    _add(s, "P1", "echo", [(1, "examen", ECHO_P1), (2, "conclusion", ECHO_P2)],
         DocMeta(type_code="70004-7", specialty_code="SM04", service_date=date(2025, 3, 10), author="Dr Yann Le Goff",
                 exam_keys=("echocardiographie",)))
    _add(s, "P1", "lab", [(1, None, LAB)],
         DocMeta(type_code="11502-2", service_date=date(2024, 9, 12), analyte_keys=("hba1c", "creatinine")))
    return s


def hit(store, sha, rank=1, chunk_text=None):
    doc_id = document_id_for("P1", sha)
    row = store.document(doc_id)
    chunks = store.document_chunks(doc_id)
    best = ChunkHit(chunks[0].id, doc_id, chunks[0].page, chunks[0].section, chunks[0].text, 1.0)
    return DocumentHit(document=row, score=1.0, rank=rank, best_chunk=best)


def assert_verbatim_and_cited(summary, store):
    assert summary.sentences
    for s in summary.sentences:
        pages = [c for c in store.document_chunks(s.citation.document_id) if c.page == s.citation.page]
        assert any(s.text in " ".join(c.text.split()) for c in pages), s.text
        assert s.text in summary.text


def test_summary_picks_the_conclusion_verbatim_with_its_page(store):
    interp = Interpretation(question="dernière échographie cardiaque", exam_keys=("echocardiographie",),
                            order="latest", topic="")
    summary = ExtractiveSummarizer().summarize(interp.question, interp, [hit(store, "echo")], store)
    assert summary is not None and summary.mode == "extractive"
    assert_verbatim_and_cited(summary, store)
    texts = [s.text for s in summary.sentences]
    assert any("Rétrécissement aortique modéré" in t for t in texts)
    assert any(s.citation.page == 2 for s in summary.sentences)
    assert not any("confraternellement" in t for t in texts)
    assert len(summary.sentences) <= 3
    # the lead comes from metadata only, and is the start of the text
    assert summary.text.startswith("Échocardiographie du 10/03/2025 (Dr Yann Le Goff, cardiologie) :")


def test_summary_of_a_lab_question_quotes_the_analyte_line(store):
    interp = Interpretation(question="dernière HbA1c", analyte_keys=("hba1c",), order="latest")
    summary = ExtractiveSummarizer().summarize(interp.question, interp, [hit(store, "lab")], store)
    assert_verbatim_and_cited(summary, store)
    assert "7,1" in summary.sentences[0].text and "HbA1c" in summary.sentences[0].text


def test_topic_words_pick_the_matching_sentence(store):
    interp = Interpretation(question="FEVG à la dernière écho ?", topic="fevg")
    summary = ExtractiveSummarizer().summarize(interp.question, interp, [hit(store, "echo")], store)
    assert_verbatim_and_cited(summary, store)
    assert any("FEVG estimée à 58 %" in s.text for s in summary.sentences)


def test_several_documents_at_most_four_sentences(store):
    interp = Interpretation(question="bilan rénal et cardiaque", topic="renal cardiaque")
    hits = [hit(store, "echo", 1), hit(store, "lab", 2)]
    summary = ExtractiveSummarizer().summarize(interp.question, interp, hits, store)
    assert_verbatim_and_cited(summary, store)
    assert len(summary.sentences) <= 4
    assert {c.document_id for c in summary.citations} == {document_id_for("P1", "echo"), document_id_for("P1", "lab")}
    assert len(summary.text.split("\n")) == 2


def test_no_hits_no_summary(store):
    assert ExtractiveSummarizer().summarize("x", Interpretation(question="x"), [], store) is None


def test_split_sentences_keeps_wrapped_prose_and_joins_headings():
    got = split_sentences("Indication : bilan d'une dyspnée chez un patient\nhypertendu.\nConclusion :\nVG normal. Dr. X vu.")
    assert got == ["Indication : bilan d'une dyspnée chez un patient hypertendu.", "Conclusion : VG normal.", "Dr. X vu."]


def test_metadata_lead_without_metadata():
    assert metadata_lead(stored_document(type_code=None, title=None)) == "Document :"
    assert metadata_lead(stored_document(type_code="11502-2", service_date="2024-09-12"), "en") == "Laboratory report of 2024-09-12:"


def test_make_summarizer_falls_back_to_extractive(tmp_path, monkeypatch):
    import query.summarize

    monkeypatch.delenv("CARNET_LLM_ENDPOINT", raising=False)
    monkeypatch.setattr(query.summarize, "_local_model_available", lambda: False)
    assert isinstance(make_summarizer(Settings(home=tmp_path, summary_mode="extractive")), ExtractiveSummarizer)
    assert isinstance(make_summarizer(Settings(home=tmp_path, summary_mode="generated")), ExtractiveSummarizer)
    assert make_summarizer(Settings(home=tmp_path, summary_mode="none")) is None


def test_make_summarizer_uses_the_generated_one_when_reachable(tmp_path, monkeypatch):
    monkeypatch.setenv("CARNET_LLM_ENDPOINT", "http://127.0.0.1:9/v1")  # configured, never called here
    summarizer = make_summarizer(Settings(home=tmp_path, summary_mode="generated"))
    assert type(summarizer).__name__ == "GeneratedSummarizer"
    assert isinstance(summarizer.fallback, ExtractiveSummarizer)
