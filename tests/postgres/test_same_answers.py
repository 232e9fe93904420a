"""The same answers from both stores, on the samples with the hashing embedder (OCR off: both skip the same
scanned files).

- Ingested through the service into SQLite and, with CARNET_DATABASE_URL set, into PostgreSQL: the same
  records (all but the time of ingest, which two ingests cannot share).
- The SQLite store copied into PostgreSQL by `carnet db migrate` (the same records, times included): the same
  top-5 documents for every labelled question of eval/queries/samples.jsonl. The copy is compared rather
  than the second ingest because a listing orders undated documents by their time of ingest, to the second:
  two ingests of the same files may tie or not, on either store.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from carnet.config import Settings
from eval.runner import read_queries
from index.postgres.migrate import migrate
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
    assert report.added and all("OCR is disabled" in why for _, why in report.failed)
    return c


@pytest.fixture(scope="module")
def lite(tmp_path_factory):
    c = _ingested(Settings(home=tmp_path_factory.mktemp("sqlite"), embedder="hashing", ocr=False))
    yield c
    c.store.close()


def test_an_ingest_into_postgresql_writes_the_same_records(lite, tmp_path):
    pg = _ingested(Settings(home=tmp_path, embedder="hashing", ocr=False,
                            database_url=pg_server.fresh_database("ingest")))
    try:
        assert pg.store.counts() == lite.store.counts() and lite.store.counts()["documents"] > 0
        for patient in lite.store.iter_patients():
            def docs(c):
                return sorted((replace(d, ingested_at="") for d in c.store.documents(patient.id)), key=lambda d: d.id)
            assert docs(pg) == docs(lite)
            assert pg.store.lab_values(patient.id) == lite.store.lab_values(patient.id)
            assert pg.store.facts(patient.id) == lite.store.facts(patient.id)
    finally:
        pg.store.close()


def test_every_labelled_question_gets_the_same_top_5_documents(lite):
    url = pg_server.fresh_database("migrated")
    migrate(lite.settings.home, url)
    pg = Carnet(Settings(home=lite.settings.home, embedder="hashing", ocr=False, database_url=url))
    queries = read_queries(QUERIES)
    assert len(queries) > 50
    differ, answered = [], 0
    try:
        for q in queries:
            ranked = [[h.document.source for h in c.searcher.ask(q["patient"], q["query"], top_k=5, today=TODAY,
                                                                 summarize=False).documents] for c in (lite, pg)]
            answered += bool(ranked[0])
            if ranked[0] != ranked[1]:
                differ.append((q["id"], q["query"], ranked))
    finally:
        pg.store.close()
    assert answered > len(queries) // 2  # the questions find documents: the comparison means something
    assert not differ, differ
