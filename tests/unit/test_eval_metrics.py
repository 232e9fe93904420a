"""Metric functions on hand-made gold and ranked lists (eval/metrics.py), plus the report's ratios."""

from __future__ import annotations

import pytest

from eval.metrics import aggregate, recall_at, reciprocal_rank, score_query, top1

pytestmark = pytest.mark.unit


def test_top1_and_reciprocal_rank():
    assert top1({"a"}, ["a", "b"]) == 1.0
    assert top1({"a"}, ["b", "a"]) == 0.0
    assert top1({"a"}, []) == 0.0
    assert reciprocal_rank({"c"}, ["a", "b", "c"]) == pytest.approx(1 / 3)
    assert reciprocal_rank({"z"}, ["a", "b", "c"]) == 0.0


def test_reciprocal_rank_stops_at_k():
    ranked = [f"d{i}" for i in range(12)]
    assert reciprocal_rank({"d10"}, ranked, k=10) == 0.0
    assert reciprocal_rank({"d9"}, ranked, k=10) == pytest.approx(0.1)


def test_recall_at_k():
    assert recall_at({"a", "b"}, ["a", "x", "y", "z", "w", "b"], 5) == 0.5
    assert recall_at({"a", "b"}, ["a", "x", "y", "z", "w", "b"], 10) == 1.0
    assert recall_at(set(), ["a"], 5) == 0.0


def test_score_query_answerable():
    s = score_query(["P1/b.pdf"], ["P1/a.pdf", "P1/b.pdf"])
    assert s == {"answerable": True, "top1": 0.0, "mrr@10": 0.5, "recall@5": 1.0, "recall@10": 1.0,
                 "capped_recall@5": 1.0}


def test_capped_recall_counts_what_five_results_can_hold():
    gold = [f"P1/{i}.pdf" for i in range(8)]
    s = score_query(gold, gold[:5] + ["P1/x.pdf"])
    assert s["recall@5"] == 5 / 8 and s["capped_recall@5"] == 1.0
    s = score_query(gold[:2], ["P1/x.pdf", gold[0], "P1/y.pdf"])
    assert s["capped_recall@5"] == 0.5


def test_duplicate_copy_counts_as_the_same_answer():
    # P1/b2.pdf holds the same bytes as P1/b.pdf: returning either copy answers the question.
    equivalents = {"P1/b2.pdf": "P1/b.pdf"}
    s = score_query(["P1/b.pdf"], ["P1/b2.pdf", "P1/a.pdf"], equivalents)
    assert s["top1"] == 1.0 and s["mrr@10"] == 1.0
    s = score_query(["P1/b2.pdf"], ["P1/b.pdf"], equivalents)  # gold names the copy, ranking the original
    assert s["top1"] == 1.0


def test_duplicates_in_the_ranking_take_one_rank():
    # Both copies ranked first and second: the next document moves up to rank 2, not 3.
    equivalents = {"P1/b2.pdf": "P1/b.pdf"}
    s = score_query(["P1/c.pdf"], ["P1/b.pdf", "P1/b2.pdf", "P1/c.pdf"], equivalents)
    assert s["mrr@10"] == 0.5


def test_gold_duplicates_collapse_for_recall():
    equivalents = {"P1/b2.pdf": "P1/b.pdf"}
    s = score_query(["P1/b.pdf", "P1/b2.pdf"], ["P1/b.pdf"], equivalents)
    assert s["recall@5"] == 1.0  # one document, sent twice, found once


def test_no_answer_question():
    assert score_query([], []) == {"answerable": False, "no_answer_correct": 1.0}
    assert score_query([], ["P1/a.pdf"]) == {"answerable": False, "no_answer_correct": 0.0}


def test_aggregate_separates_answerable_and_no_answer():
    scores = [score_query(["a"], ["a"]), score_query(["b"], ["a", "b"]), score_query([], []),
              score_query([], ["a"])]
    agg = aggregate(scores)
    assert agg["queries"] == 4
    assert agg["top1"] == 0.5
    assert agg["mrr@10"] == 0.75
    assert agg["recall@10"] == 1.0
    assert agg["no_answer_accuracy"] == 0.5


def test_aggregate_without_no_answer_questions():
    agg = aggregate([score_query(["a"], ["a"])])
    assert agg["no_answer_accuracy"] is None
    assert aggregate([score_query([], [])])["top1"] is None


def test_baseline_always_answering_scores_zero_on_no_answer():
    from eval.runner import score_ranker

    queries = [{"id": "1", "patient": "P", "query": "x", "relevant": [], "kind": "no-answer"},
               {"id": "2", "patient": "P", "query": "y", "relevant": ["a"], "kind": "topic"}]
    result = score_ranker(queries, lambda q: ["a", "b"], {})
    assert result["per_kind"]["no-answer"]["no_answer_accuracy"] == 0.0
    assert result["overall"]["top1"] == 1.0
    assert len(result["latencies_ms"]) == 2


def test_ratios_carnet_over_baseline():
    from eval.report import ratios

    systems = {"carnet": {"overall": {"top1": 0.8, "mrr@10": 0.9, "recall@5": 1.0, "recall@10": 1.0}},
               "bm25": {"overall": {"top1": 0.4, "mrr@10": 0.0, "recall@5": None, "recall@10": 1.0}}}
    r = ratios(systems)["bm25"]
    assert r == {"top1": 2.0, "mrr@10": None, "recall@5": None, "recall@10": 1.0}


def test_unique_sources_keeps_best_chunk_order():
    from langchain_core.documents import Document

    from eval.baselines import unique_sources

    docs = [Document(page_content=t, metadata={"source": s}) for t, s in
            [("1", "b"), ("2", "a"), ("3", "b"), ("4", "c")]]
    assert unique_sources(docs, 10) == ["b", "a", "c"]
    assert unique_sources(docs, 2) == ["b", "a"]


def test_embeddings_adapter_embeds_each_text_once():
    from eval.baselines import CarnetEmbeddings
    from index.embedders import HashingEmbedder

    emb = CarnetEmbeddings(HashingEmbedder(32))
    first = emb.embed_documents(["un", "deux", "un"])
    again = emb.embed_documents(["deux", "trois"])
    assert emb.passages_embedded == 3
    assert first[0] == first[2] and first[1] == again[0]
    assert len(emb.embed_query("un")) == 32
