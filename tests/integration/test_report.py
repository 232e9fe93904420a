"""write_report over a tiny rendered corpus with the hashing embedder and the three baselines."""

from __future__ import annotations

import json
from datetime import date

import pytest

pytestmark = pytest.mark.integration


@pytest.fixture
def ingested(tmp_path):
    from carnet.config import Settings
    from service.facade import Carnet
    from eval.bench import render_tiny_corpus
    from ingest.pipeline import discover

    corpus = tmp_path / "corpus"
    queries = render_tiny_corpus(corpus)
    carnet = Carnet(Settings(home=tmp_path / "home", embedder="hashing", ocr=False), embedder_threads=1)
    report = carnet.ingestor.ingest(discover(corpus))
    assert not report.failed and len(report.added) == 7
    return carnet, queries, tmp_path


def test_report_with_baselines(ingested, capsys):
    from eval.report import write_report

    carnet, queries, tmp_path = ingested
    out = tmp_path / "report"
    result = write_report(carnet, queries, out, today=date(2026, 11, 27), command="carnet eval --report out")
    md = (out / "report.md").read_text(encoding="utf-8")
    for needle in ("top-1", "MRR@10", "recall@5", "recall@10", "no-answer accuracy", "p50", "p95",
                   "LangChain dense (FAISS)", "LangChain BM25", "LangChain ensemble", "Ratios Carnet / baseline",
                   "`carnet eval --report out`", "hashing-256", "2026-11-27", "no-answer accuracy is 0"):
        assert needle in md, needle
    for png in ("metrics_overall.png", "top1_per_kind.png", "latency.png"):
        data = (out / png).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000
        assert f"({png})" in md
    assert set(result["systems"]) == {"carnet", "dense", "bm25", "ensemble"}
    for name in ("dense", "bm25", "ensemble"):
        assert result["systems"][name]["overall"]["no_answer_accuracy"] == 0.0
        assert set(result["ratios"][name]) == {"top1", "mrr@10", "recall@5", "recall@10"}
    assert result["baseline_build"]["passages_embedded"] == result["baseline_build"]["chunks"]  # each chunk once
    assert result["systems"]["carnet"]["overall"]["queries"] == 5
    assert "Carnet/bm25" in capsys.readouterr().out
    saved = json.loads((out / "report.json").read_text())
    assert saved["embedder"] == "hashing-256"
    assert len((out / "results.jsonl").read_text().splitlines()) == 5 * 4


def test_report_without_baselines_and_with_truth(ingested):
    from eval.report import write_report

    carnet, queries, tmp_path = ingested
    truth = tmp_path / "truth.jsonl"
    truth.write_text(json.dumps({"source": "P001/cardio_2024.pdf", "type_code": "11488-4", "specialty_code": "SM04",
                                 "service_date": "2024-03-12", "is_noise": False}) + "\n", encoding="utf-8")
    out = tmp_path / "report-nob"
    result = write_report(carnet, queries, out, today=date(2026, 11, 27), truth=truth, baselines=False, echo=False)
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "LangChain" not in md
    assert "## Metadata accuracy" in md
    assert result["metadata"]["n"] == 1 and result["metadata"]["missing"] == 0
    assert "| type |" in md
    assert (out / "metrics_overall.png").exists() and (out / "metadata_accuracy.png").exists()
