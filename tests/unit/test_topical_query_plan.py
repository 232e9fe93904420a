"""The topical path's cost does not depend on the other patients: every statement a topical question runs is
restricted to the asking patient before anything else (the patient's document index, the chunk primary key,
the patient's rowid range inside FTS5). Read from SQLite's own query plans (EXPLAIN QUERY PLAN) of the
statements `Searcher.ask` really issues, captured with the connection's trace callback; `make bench` measures
the latency of the same path at 100,000 patients (eval/bench.py, "topical questions" row)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from carnet.models import DocMeta
from index.embedders import HashingEmbedder
from index.sqlite import SQLiteStore as Store, chunk_id_range
from index.vectors import VectorIndex
from query.retrieve import Searcher
from tests.unit.test_store_and_vectors import add

pytestmark = pytest.mark.unit

# Tables whose size grows with the corpus: a full SCAN of any of them would make a question's cost grow too.
_CORPUS_TABLES = ("documents", "chunks", "facts", "lab_values", "document_files", "patients")
_FTS_TABLES = ("chunks_stem", "chunks_fts")


@pytest.fixture
def searcher(tmp_path):
    store = Store(tmp_path)
    embedder = HashingEmbedder()
    # The asking patient sits between two others whose documents hold the same words: only the plan (not the
    # answer) can tell whether their rows are read.
    for patient in ("P0", "P1", "P2"):
        add(store, patient, f"{patient}-pneumo", [f"Consultation de pneumologie ({patient}). Conclusion : BPCO, "
                                                 "exacerbation hivernale, emphysème centrolobulaire."],
            meta=DocMeta(type_code="11488-4", service_date=date(2024, 1, 5), language="fr"))
        add(store, patient, f"{patient}-ct", ["CT chest. Impression: emphysema, no pulmonary nodule."],
            meta=DocMeta(type_code="18748-4", service_date=date(2023, 9, 19), language="en"))
    vectors = VectorIndex(store, embedder.name, embedder.dim, 10_000_000)
    vectors.check_manifest(create=True)
    return Searcher(store, vectors, embedder)


def _statements(searcher: Searcher, patient: str, question: str):
    """The answer and the SQL `ask` ran for it, parameters bound (FTS5's own statements on its shadow tables,
    which start with a comment, left out)."""
    conn = searcher.store.db.conn
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        answer = searcher.ask(patient, question, today=date(2026, 1, 1), summarize=False)
    finally:
        conn.set_trace_callback(None)
    return answer, [s for s in seen if s.lstrip().upper().startswith("SELECT")]


def _plan(searcher: Searcher, sql: str) -> list[str]:
    return [row[3] for row in searcher.store.db.conn.execute("EXPLAIN QUERY PLAN " + sql)]


# Two questions the record answers and one it cannot ("fatty liver": the searches run, nothing shows the topic).
@pytest.mark.parametrize("question,answered", [("BPCO exacerbation", True), ("emphysème", True),
                                               ("fatty liver", False)])
def test_a_topical_question_reads_only_the_patients_rows(searcher, question, answered):
    num = searcher.store.patient("P1").num
    lo, hi = chunk_id_range(num)
    answer, statements = _statements(searcher, "P1", question)
    assert bool(answer.documents) is answered
    fts = [s for s in statements if re.search(r"\bFROM (chunks_stem|chunks_fts)\b", s)]
    assert fts, "a topical question runs the stemmed BM25 search"
    for sql in statements:
        for step in _plan(searcher, sql):
            table = step.split()[1] if step.startswith(("SCAN", "SEARCH")) else None
            assert not (step.startswith("SCAN") and table in _CORPUS_TABLES), (sql[:160], step)
            if table in _FTS_TABLES:
                # FTS5's index string: M = MATCH, '>' and '<' = the rowid bounds handed to FTS5, which seeks
                # within each doclist instead of reading every patient's postings
                flags = step.rsplit(":", 1)[-1]
                assert "M" in flags and ">" in flags and "<" in flags, (sql[:160], step)
    for sql in fts:  # and the bounds are the asking patient's
        assert f"BETWEEN {lo} AND {hi}" in sql, sql[:200]
        # bm25()'s IDF and a column filter ("key : ...") read every patient's postings of a stem
        assert "bm25(" not in sql and "key :" not in sql, sql[:200]


def test_the_documents_of_a_question_come_from_the_patient_index(searcher):
    _, statements = _statements(searcher, "P1", "BPCO exacerbation")
    plans = [step for sql in statements for step in _plan(searcher, sql)]
    assert any("documents_patient" in step for step in plans), plans
    assert any(step.startswith("SEARCH chunks USING") for step in plans), plans


def test_the_patients_bm25_weights_do_not_depend_on_the_other_patients(tmp_path):
    """FTS5's bm25() counts a term's rows over every patient, so one patient's ranking (and its cost) would
    move when others are added; the patient's own BM25 does not: the same scores with 1 or 40 other
    patients whose every chunk holds the question's word."""

    def scores(others: int) -> list[tuple[str, float]]:
        store = Store(tmp_path / f"s{others}")
        add(store, "PX", "PX-a", ["Consultation. Conclusion : emphysème centrolobulaire, BPCO stade 2."])
        add(store, "PX", "PX-b", ["Scanner thoracique : pas de nodule, discret emphysème."])
        add(store, "PX", "PX-c", ["Bilan biologique sans particularité."])
        for i in range(others):
            add(store, f"O{i}", f"O{i}-a", ["Emphysème. Emphysème. BPCO."])
        embedder = HashingEmbedder()
        vectors = VectorIndex(store, embedder.name, embedder.dim, 10_000_000)
        vectors.check_manifest(create=True)
        searcher = Searcher(store, vectors, embedder)
        num = store.patient("PX").num
        ranked = searcher._patient_bm25(num, ['"emphysem"', '"bpco"'])
        names = {c: store.chunks([c])[c].document_id for c, _ in ranked}
        return sorted((names[c], round(s, 9)) for c, s in ranked)

    alone = scores(1)
    assert alone and scores(40) == alone
