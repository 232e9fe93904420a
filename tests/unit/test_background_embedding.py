"""Lexical first, vectors after (index/pending.py): a stored document answers by type, date and words before
its chunks are embedded; embedding picks up what a crash left, writes each chunk's vector once, and the
answer says while semantic search is pending."""

from __future__ import annotations

import sqlite3
import threading
import time

import numpy as np
import pytest

from service.facade import Carnet
from index.embedders import HashingEmbedder
from index.pending import BackgroundEmbedder, embed_batch, embed_pending, embedding_lock
from index.sqlite import PATIENT_SHIFT, SQLiteStore as Store
from ingest.pipeline import discover
from tests.pdfs import write_reports

pytestmark = pytest.mark.unit


@pytest.fixture
def deferred(settings, tmp_path) -> Carnet:
    """A store whose documents were ingested with embedding deferred (as `carnet ingest --defer-embedding`)."""
    c = Carnet(settings, defer_embedding=True)
    report = c.ingestor.ingest(discover(write_reports(tmp_path / "corpus")))
    assert report.added and report.embedded == 0 and report.pending == report.chunks > 0
    return c


def _vectors(home) -> dict[int, bytes]:
    with sqlite3.connect(home / "carnet.db") as conn:
        return dict(conn.execute("SELECT id, vector FROM chunks").fetchall())


def _passages(home) -> dict[int, str]:
    with sqlite3.connect(home / "carnet.db") as conn:
        return dict(conn.execute("SELECT chunk_id, passage FROM pending_vectors").fetchall())


def test_deferred_chunks_are_pending_then_embedded_from_their_passage(deferred, settings):
    store, num = deferred.store, deferred.store.patient("PAT-A").num
    passages = _passages(settings.home)
    assert set(passages) == set(_vectors(settings.home))  # every chunk is pending, none has a vector
    assert all(v == b"" for v in _vectors(settings.home).values())
    assert len(store.chunk_vectors(num)[0]) == 0  # the vector file leaves pending chunks out
    assert len(store.pending_documents(num)) == len(store.documents("PAT-A"))

    done = embed_pending(store, deferred.vectors, deferred.embedder)

    assert done == len(passages) and store.pending_count() == 0 and store.pending_documents(num) == set()
    stored = _vectors(settings.home)
    expected = HashingEmbedder().embed_passages(list(passages.values()))
    for (chunk_id, _), want in zip(passages.items(), expected):
        assert np.array_equal(np.frombuffer(stored[chunk_id], dtype=np.float32), want)
    ids, _ = store.chunk_vectors(num)
    index = deferred.vectors.index_for(num, store.patient("PAT-A").vectors_version)
    assert index.ntotal == len(ids) == len(set(ids)) > 0


def test_ask_while_pending_answers_by_words_and_filters_and_says_so(deferred):
    searcher = deferred.searcher
    latest = searcher.ask("PAT-A", "dernier compte rendu de cardiologie", summarize=False)
    assert latest.semantic_search == "pending"
    assert latest.documents and latest.documents[0].document.source == "PAT-A/cardio-consult-2025.pdf"
    topical = searcher.ask("PAT-A", "rétrécissement aortique", summarize=False)
    assert topical.semantic_search == "pending"
    assert {h.document.source for h in topical.documents} >= {"PAT-A/echo-2024.pdf",
                                                                 "PAT-A/cardio-consult-2025.pdf"}
    assert all(h.document.id in {d.id for d in deferred.store.documents("PAT-A")} for h in topical.documents)

    embed_pending(deferred.store, deferred.vectors, deferred.embedder)
    after = searcher.ask("PAT-A", "rétrécissement aortique", summarize=False)
    assert after.semantic_search == "ready"
    assert {h.document.source for h in after.documents} >= {"PAT-A/echo-2024.pdf", "PAT-A/cardio-consult-2025.pdf"}


def test_the_answer_reports_pending_only_for_a_patient_who_has_pending_documents(deferred):
    embed_pending(deferred.store, deferred.vectors, deferred.embedder, patient_num=deferred.store.patient("PAT-B").num)
    assert deferred.searcher.ask("PAT-B", "scanner thoracique", summarize=False).semantic_search == "ready"
    assert deferred.searcher.ask("PAT-A", "scanner thoracique", summarize=False).semantic_search == "pending"


class _CrashesAfter(HashingEmbedder):
    """Embeds `batches` batches, then fails as a killed process would in the middle of the next one."""

    def __init__(self, batches: int):
        super().__init__()
        self.left = batches

    def embed_passages(self, texts):
        if self.left == 0:
            raise KeyboardInterrupt("killed")
        self.left -= 1
        return super().embed_passages(texts)


def test_a_restart_mid_embedding_picks_up_the_rest_and_writes_each_vector_once(deferred, settings):
    total = deferred.store.pending_count()
    with pytest.raises(KeyboardInterrupt):
        embed_pending(deferred.store, deferred.vectors, _CrashesAfter(batches=1), batch=2)
    assert deferred.store.pending_count() == total - 2  # the first batch is written, the second is not

    restarted = Carnet(settings)  # a new process: new connections, new vector cache
    report = restarted.ingestor.ingest([])  # nothing new: the leftovers are the next ingest's
    assert report.pending == total - 2
    assert restarted.ingestor.embed_pending() == total - 2
    vectors = _vectors(settings.home)
    assert len(vectors) == total and all(len(v) == 4 * HashingEmbedder().dim for v in vectors.values())
    for pid in ("PAT-A", "PAT-B", "PAT-C"):
        patient = restarted.store.patient(pid)
        ids, _ = restarted.store.chunk_vectors(patient.num)
        index = restarted.vectors.index_for(patient.num, patient.vectors_version)
        assert index.ntotal == len(ids) == len(set(ids)) == len(restarted.store.chunk_ids_for_documents(
            [d.id for d in restarted.store.documents(pid)]))


def test_set_vectors_writes_a_chunk_once_and_all_or_nothing(deferred, settings):
    store = deferred.store
    (first, _), (second, _) = store.pending_chunks(2)
    one = np.ones(HashingEmbedder().dim, dtype=np.float32)
    num = first >> PATIENT_SHIFT
    before = {p.num: p.vectors_version for p in store.iter_patients()}
    with pytest.raises(ValueError):  # the second vector cannot be stored: neither is
        store.set_vectors({first: one, second: np.array(["not a number"])})
    assert store.pending_count() == len(_passages(settings.home)) and _vectors(settings.home)[first] == b""
    assert store.set_vectors({first: one}) == {num: before[num] + 1}
    assert store.set_vectors({first: -one}) == {}  # no longer pending: the first vector stays
    assert np.array_equal(np.frombuffer(_vectors(settings.home)[first], dtype=np.float32), one)


def test_a_held_embedding_lock_makes_another_embedder_wait(deferred):
    pending = deferred.store.pending_count()
    with embedding_lock(deferred.store.home) as held:  # as another process embedding would
        assert held
        assert embed_batch(deferred.store, deferred.vectors, deferred.embedder, wait=False) == 0
    assert deferred.store.pending_count() == pending
    assert embed_batch(deferred.store, deferred.vectors, deferred.embedder, batch=3, wait=False) == 3


def test_the_server_thread_embeds_what_an_ingest_left(deferred, settings):
    store = Store(settings.home)
    background = BackgroundEmbedder(store, deferred.vectors, deferred.embedder, batch=4, poll_seconds=0.05)
    background.start()
    try:
        deadline = time.monotonic() + 60  # not a speed check: a liveness bound for a loaded machine
        while store.pending_count() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        background.stop()
    assert store.pending_count() == 0
    assert not any(t.name == "carnet-embedding" for t in threading.enumerate())


def test_ingest_without_deferring_embeds_its_patients_chunks(carnet, tmp_path):
    report = carnet.ingestor.ingest(discover(write_reports(tmp_path / "corpus")))
    assert report.embedded == report.chunks > 0 and report.pending == 0
    assert carnet.searcher.ask("PAT-A", "rétrécissement aortique", summarize=False).semantic_search == "ready"


def test_the_cli_defers_embedding_when_asked_and_the_next_ingest_finishes_it(tmp_path, monkeypatch):
    import json

    from typer.testing import CliRunner

    from cli.main import app

    monkeypatch.setenv("CARNET_OCR", "false")
    monkeypatch.setenv("CARNET_ISOLATE_DOCUMENTS", "false")
    corpus, home = write_reports(tmp_path / "corpus"), tmp_path / "home"
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(corpus), "--home", str(home), "--embedder", "hashing",
                                "--defer-embedding", "--json"])
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert report["pending"] == report["chunks"] > 0 and report["embedded"] == 0
    again = runner.invoke(app, ["ingest", str(corpus), "--home", str(home), "--embedder", "hashing", "--json"])
    assert again.exit_code == 0, again.output
    report = json.loads(again.stdout)
    assert report["added"] == 0 and report["embedded"] > 0 and report["pending"] == 0
    assert Store(home).pending_count() == 0
