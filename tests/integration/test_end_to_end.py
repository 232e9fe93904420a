"""Ingest real PDFs with the real embedders, then ask: pages, isolation, bad files, idempotence, crashes."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from cli.main import app as cli_app
from carnet.config import Settings
from carnet.errors import IndexMismatch, UnknownPatient
from service.facade import Carnet
from index.sqlite import chunk_id_range
from ingest.pipeline import discover
from tests.auth import TEST_SERVER_NAMES, headers_for
from tests.pdfs import write_pdf, write_reports, write_scanned_pdf

pytestmark = pytest.mark.integration
TODAY = date(2026, 11, 27)


def build(tmp_path, embedder: str):
    corpus = write_reports(tmp_path / "corpus")
    c = Carnet(Settings(home=tmp_path / f"home-{embedder}", embedder=embedder))
    report = c.ingestor.ingest(discover(corpus))
    return c, corpus, report


@pytest.fixture(scope="module")
def e5(tmp_path_factory):
    return build(tmp_path_factory.mktemp("e5"), "e5")


@pytest.mark.parametrize("embedder", ["e5", "minilm"])
def test_ingest_and_ask_with_each_embedder(tmp_path, embedder):
    c, _, report = build(tmp_path, embedder)
    assert len(report.added) == 6 and not report.failed
    answer = c.searcher.ask("PAT-B", "nodule pulmonaire", today=TODAY)
    assert answer.documents[0].document.source == "PAT-B/ct-chest.pdf"
    assert answer.documents[0].best_chunk.page == 1


def test_latest_cardiology_report(e5):
    c, _, _ = e5
    answer = c.searcher.ask("PAT-A", "dernier compte rendu de cardiologie", today=TODAY)
    assert answer.documents[0].document.source == "PAT-A/cardio-consult-2025.pdf"


def test_page_of_the_matching_passage(e5):
    c, _, _ = e5
    answer = c.searcher.ask("PAT-A", "équilibre glycémique insuffisant", today=TODAY)
    top = answer.documents[0]
    assert top.document.source == "PAT-A/bio-2025.pdf"
    assert top.best_chunk.page in (1, 2)


def test_english_question_finds_french_document(e5):
    c, _, _ = e5
    answer = c.searcher.ask("PAT-B", "lung nodule on CT", today=TODAY)
    assert answer.documents and answer.documents[0].document.source == "PAT-B/ct-chest.pdf"


def test_patient_isolation(e5, monkeypatch):
    """Each patient gets an answer from its own documents, and no other patient's chunk is ever scored: a spy
    on every source of candidate chunks (dense search, BM25, stemmed matches) and on the chunk fetch sees
    only ids in the asking patient's rowid range, while the other patients hold matching text too."""
    c, _, _ = e5
    seen: list[int] = []

    def spy(obj, name, ids_of):
        real = getattr(obj, name)

        def wrapper(*args, **kwargs):
            out = real(*args, **kwargs)
            seen.extend(ids_of(args, out))
            return out

        monkeypatch.setattr(obj, name, wrapper)

    spy(c.vectors, "search", lambda args, out: [i for i, _ in out])
    for name in ("search_text", "search_stems"):
        spy(c.store, name, lambda args, out: [i for i, _ in out])
    spy(c.store, "match_stems", lambda args, out: list(out))
    spy(c.store, "chunks", lambda args, out: list(args[0]))
    # topical questions: they rank chunks (a filter-only question like "dernier CR de cardiologie" scores none)
    asked = {"PAT-A": ["équilibre glycémique insuffisant", "rétrécissement aortique"],
             "PAT-B": ["nodule pulmonaire scanner thoracique", "lung nodule on CT"]}
    for patient, questions in asked.items():
        lo, hi = chunk_id_range(c.store.patient(patient).num)
        for question in questions:
            seen.clear()
            answer = c.searcher.ask(patient, question, today=TODAY)
            assert answer.documents, (patient, question)
            sources = [h.document.source for h in answer.documents + answer.alternatives]
            assert all(s.startswith(patient + "/") for s in sources), sources
            assert seen, "the spies saw the candidate chunks"
            assert all(lo <= i <= hi for i in seen), (patient, question, [i for i in seen if not lo <= i <= hi])


def test_unknown_patient(e5):
    c, _, _ = e5
    with pytest.raises(UnknownPatient):
        c.searcher.ask("NOBODY", "bilan", today=TODAY)


def test_reingest_is_idempotent_and_duplicates_are_linked(e5, tmp_path):
    c, corpus, _ = e5
    again = c.ingestor.ingest(discover(corpus))
    assert len(again.unchanged) == 6 and not again.added
    copy = corpus / "PAT-B" / "copie-ct.pdf"
    copy.write_bytes((corpus / "PAT-B" / "ct-chest.pdf").read_bytes())
    dup = c.ingestor.ingest(discover(corpus))
    assert dup.duplicates == [("PAT-B/copie-ct.pdf", "PAT-B/ct-chest.pdf")]
    copy.unlink()


def test_bad_files_are_skipped_with_a_reason_and_lose_nothing(tmp_path):
    root = tmp_path / "bad"
    write_pdf(root / "P1" / "good.pdf", ["Compte rendu de consultation de rhumatologie du 12/01/2025.\nGonalgie droite."])
    (root / "P1" / "corrupt.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (root / "P1" / "empty.pdf").write_bytes(b"")
    write_pdf(root / "P1" / "locked.pdf", ["secret"], password="pw")
    write_pdf(root / "P1" / "blank.pdf", [""])
    c = Carnet(Settings(home=tmp_path / "home", embedder="hashing", ocr=False))
    report = c.ingestor.ingest(discover(root))
    assert report.added == ["P1/good.pdf"]
    failed = dict(report.failed)
    assert set(failed) == {"P1/corrupt.pdf", "P1/empty.pdf", "P1/locked.pdf", "P1/blank.pdf"}
    assert all(reason for reason in failed.values())
    assert "encrypt" in failed["P1/locked.pdf"].lower() or "password" in failed["P1/locked.pdf"].lower()


def test_scanned_pdf_is_ocred(tmp_path):
    root = tmp_path / "scan"
    write_scanned_pdf(root / "P1" / "scan.pdf", "COMPTE RENDU DE RADIOLOGIE\nRadiographie du genou droit du 04/06/2025\n"
                                                 "Conclusion : gonarthrose fémoro-tibiale interne.")
    c = Carnet(Settings(home=tmp_path / "home", embedder="hashing"))
    report = c.ingestor.ingest(discover(root))
    assert report.added == ["P1/scan.pdf"] and report.ocr_pages == 1
    doc = c.store.documents("P1")[0]
    assert doc.ocr_pages == (1,) and 0.5 <= doc.ocr_confidence <= 1
    answer = c.searcher.ask("P1", "gonarthrose", today=TODAY)
    assert answer.documents[0].document.source == "P1/scan.pdf"

    # the OCR is exposed by `carnet documents --json` and the API's document
    expected = {"pages": [1], "confidence": pytest.approx(doc.ocr_confidence)}
    result = CliRunner().invoke(cli_app, ["documents", "--patient", "P1", "--home", str(tmp_path / "home"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["ocr"] == expected
    settings = Settings(home=tmp_path / "home", embedder="hashing", server_names=TEST_SERVER_NAMES)
    with TestClient(create_app(settings), headers=headers_for(settings, "dr-ocr", ["P1"])) as client:
        assert client.get(f"/v1/documents/{doc.id}").json()["ocr"] == expected


def test_crash_in_the_middle_of_an_ingest_loses_nothing(tmp_path, monkeypatch):
    """A crash while documents are being stored: the documents committed before it stay whole, the one in
    flight leaves nothing half-written, and the same command picks up the rest."""
    corpus = write_reports(tmp_path / "corpus")
    c = Carnet(Settings(home=tmp_path / "home", embedder="hashing", ocr=False))
    files = discover(corpus)
    real = c.store.add_document
    calls = {"n": 0}

    def dies_on_third(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the process is stopped while writing the third document
        return real(*args, **kwargs)

    monkeypatch.setattr(c.store, "add_document", dies_on_third)
    with pytest.raises(KeyboardInterrupt):
        c.ingestor.ingest(files)
    stored = c.store.counts()
    assert stored["documents"] == 2  # the two committed documents, nothing half-written
    chunk_docs = {r[0] for r in c.store.db.execute("SELECT DISTINCT document_id FROM chunks").fetchall()}
    assert len(chunk_docs) == 2
    monkeypatch.setattr(c.store, "add_document", real)
    resumed = c.ingestor.ingest(files)
    assert len(resumed.unchanged) == 2 and len(resumed.added) == 4
    assert c.store.pending_count() == 0  # the crashed run's two documents got their vectors too
    answer = c.searcher.ask("PAT-A", "rétrécissement aortique", today=TODAY)
    assert answer.documents  # vectors were rebuilt for the resumed patient


def test_crash_while_embedding_keeps_the_documents_and_embeds_the_rest_once(tmp_path, monkeypatch):
    """Lexical first: a crash in the embedding phase leaves every document stored (answerable by words and
    filters) with the rest of its chunks pending; the next run embeds exactly those, never a chunk twice."""
    corpus = write_reports(tmp_path / "corpus")
    c = Carnet(Settings(home=tmp_path / "home", embedder="hashing", ocr=False))
    files = discover(corpus)
    real = c.embedder.embed_passages
    calls = {"n": 0, "texts": 0}

    def dies_on_second(texts):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the process is stopped mid-embedding
        calls["texts"] += len(texts)
        return real(texts)

    monkeypatch.setattr(c.embedder, "embed_passages", dies_on_second)
    with pytest.raises(KeyboardInterrupt):
        c.ingestor.ingest(files)
    total_chunks = c.store.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
    assert c.store.counts()["documents"] == 6
    left = c.store.pending_count()
    assert 0 < left < total_chunks
    monkeypatch.setattr(c.embedder, "embed_passages", real)
    resumed = c.ingestor.ingest(files)
    assert len(resumed.unchanged) == 6 and not resumed.added
    assert resumed.embedded == left and c.store.pending_count() == 0
    assert calls["texts"] + resumed.embedded == total_chunks  # each chunk embedded once
    answer = c.searcher.ask("PAT-A", "rétrécissement aortique", today=TODAY)
    assert answer.documents


def test_store_refuses_another_model(e5):
    c, _, _ = e5
    other = Carnet(Settings(home=c.settings.home, embedder="hashing"))
    with pytest.raises(IndexMismatch):
        other.vectors  # noqa: B018
