"""The same answers from both stores: the samples ingested with the hashing embedder into SQLite and into
PostgreSQL (through the service, CARNET_DATABASE_URL set) rank the same top-5 documents for every labelled
question of eval/queries/samples.jsonl. OCR is off, so both hold the same text documents (the scanned
samples are skipped by both)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from carnet.config import Settings
from eval.runner import read_queries
from ingest.pipeline import discover
from service.facade import Carnet
from tests import pg_server

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
QUERIES = ROOT / "eval" / "queries" / "samples.jsonl"
TODAY = date(2026, 11, 27)


def _ingested(settings: Settings) -> Carnet:
    c = Carnet(settings)
    report = c.ingestor.ingest(discover(SAMPLES))
    # OCR is off (minutes per scanned page on this machine): both stores skip the same scanned files
    assert report.added and all("OCR is disabled" in why for _, why in report.failed)
    return c


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    lite = _ingested(Settings(home=tmp_path_factory.mktemp("sqlite"), embedder="hashing", ocr=False))
    pg = _ingested(Settings(home=tmp_path_factory.mktemp("pg"), embedder="hashing", ocr=False,
                            database_url=pg_server.fresh_database("samples")))
    yield lite, pg
    lite.store.close()
    pg.store.close()


def test_both_stores_hold_the_same_records(both):
    lite, pg = both
    assert pg.store.counts() == lite.store.counts() and lite.store.counts()["documents"] > 0
    for patient in lite.store.iter_patients():
        assert pg.store.documents(patient.id) == lite.store.documents(patient.id)
        assert pg.store.lab_values(patient.id) == lite.store.lab_values(patient.id)
        assert pg.store.facts(patient.id) == lite.store.facts(patient.id)


def test_every_labelled_question_gets_the_same_top_5_documents(both):
    lite, pg = both
    queries = read_queries(QUERIES)
    assert len(queries) > 50
    differ = []
    for q in queries:
        ranked = [[h.document.source for h in c.searcher.ask(q["patient"], q["query"], top_k=5, today=TODAY,
                                                             summarize=False).documents] for c in (lite, pg)]
        if ranked[0] != ranked[1]:
            differ.append((q["id"], q["query"], ranked))
    assert not differ, differ
