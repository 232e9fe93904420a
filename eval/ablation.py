"""Ablation of topical ranking: one labelled question set, one store, Carnet's ranking knobs one at a time.

Each variant is `query.retrieve.RankingOptions` with one or two fields changed; every variant runs the same
questions through the real query path (`Searcher.ask`) on the same store, so only the ranking differs. The
LangChain ensemble (eval/baselines.py) runs on the same stored PDFs with the same embedder for comparison.
Ingest-side variables (chunk size and overlap) need one store each: ingest with CARNET_CHUNK_SIZE /
CARNET_CHUNK_OVERLAP set and pass that store's --home.

    python -m eval.ablation eval/queries/topical_handwritten.jsonl --home tmp/e5 [--embedder e5] [--no-baseline]
        [--kinds topical,topical-no-answer] [--variants default,before,...] [--per-kind]
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import date
from pathlib import Path

from carnet.config import Settings
from eval.baselines import Baselines
from eval.runner import _exact_duplicate_map, read_queries, score_ranker
from query.retrieve import RankingOptions
from service.facade import Carnet

# name -> RankingOptions changes against the defaults. "before": the ranking before issue 21 (folded BM25,
# any topic or concept word is evidence of an answer, no medical names).
VARIANTS: dict[str, dict] = {
    "default": {},
    "before": {"stemmed": False, "synonyms": False, "strict_evidence": False, "key_weight": 1.0,
               "dense_alone_floor": None, "evidence_first": 0, "best_chunks": 1},
    "no answer floor": {"answer_floor": False},
    "floor: any word is evidence": {"strict_evidence": False},
    "dense floor 0.84": {"dense_floor": 0.84},
    "dense floor 0.88": {"dense_floor": 0.88},
    "dense floor 1 (never)": {"dense_floor": 1.01},
    "dense alone = dense floor": {"dense_alone_floor": None},
    "dense alone 0.90": {"dense_alone_floor": 0.90},
    "no evidence-first": {"evidence_first": 0},
    "evidence first (no key lines)": {"evidence_first": 1},
    "folded BM25 no stems": {"stemmed": False},
    "BM25 with corpus IDF (FTS5 bm25)": {"lexical_idf": "corpus"},
    "no medical names": {"synonyms": False},
    "no concept expansion": {"expand_concepts": False},
    "no names no expansion": {"synonyms": False, "expand_concepts": False},
    "key lines weight 1": {"key_weight": 1.0},
    "key lines weight 4": {"key_weight": 4.0},
    "key lines weight 2": {"key_weight": 2.0},
    "RRF k 10": {"rrf_k": 10},
    "RRF k 120": {"rrf_k": 120},
    "RRF dense 2 : BM25 1": {"dense_weight": 2.0},
    "RRF dense 1 : BM25 2": {"lexical_weight": 2.0},
    "dense only": {"lexical_weight": 0.0},
    "BM25 only": {"dense_weight": 0.0},
    "max of chunks (best 1)": {"best_chunks": 1},
    "sum of best 3 chunks": {"best_chunks": 3},
    "noise weight 1": {"noise_weight": 1.0},
    "noise weight 0.1": {"noise_weight": 0.1},
}


def _metrics(report: dict, kinds: list[str]) -> dict:
    answerable = [report["per_kind"][k] for k in kinds if k in report["per_kind"] and report["per_kind"][k]["top1"] is not None]
    empty = [report["per_kind"][k] for k in kinds if k in report["per_kind"] and report["per_kind"][k]["no_answer_accuracy"] is not None]

    def mean(rows, key):
        n = sum(r["queries"] for r in rows)
        return sum(r[key] * r["queries"] for r in rows) / n if n else None

    return {"n": sum(r["queries"] for r in answerable), "top1": mean(answerable, "top1"),
            "recall@5": mean(answerable, "recall@5"), "mrr@10": mean(answerable, "mrr@10"),
            "none_n": sum(r["queries"] for r in empty), "none": mean(empty, "no_answer_accuracy"),
            "p50": report["latency_ms"]["p50"]}


def run(queries_path: Path, home: Path, embedder: str, variants: list[str], baseline: bool, kinds: list[str] | None,
        today: date, per_kind: bool = False) -> list[tuple[str, dict]]:

    carnet = Carnet(Settings(home=home, embedder=embedder, summary_mode="none"))
    queries = read_queries(queries_path)
    if kinds:
        queries = [q for q in queries if q.get("kind") in kinds]
    kinds = kinds or sorted({q.get("kind", "unlabelled") for q in queries})
    equivalents = _exact_duplicate_map(carnet.store)
    searcher = carnet.searcher
    searcher.warm_up()
    rows = []
    for name in variants:
        searcher.options = replace(RankingOptions(), **VARIANTS[name])

        def ask(q):
            answer = searcher.ask(q["patient"], q["query"], top_k=10, today=today, summarize=False)
            return [h.document.source for h in answer.documents]

        report = score_ranker(queries, ask, equivalents)
        rows += [(f"{name} [{k}]", _metrics(report, [k])) for k in kinds] if per_kind else [(name, _metrics(report, kinds))]
    if baseline:
        s = carnet.settings
        base = Baselines(carnet.store, carnet.embedder, chunk_size=s.chunk_size, chunk_overlap=s.chunk_overlap)
        base.build([q["patient"] for q in queries])
        for method in ("ensemble", "dense", "bm25"):
            report = score_ranker(queries, lambda q, m=method: base.rank(m, q["patient"], q["query"], 10), equivalents)
            rows += [(f"LangChain {method} [{k}]", _metrics(report, [k])) for k in kinds] if per_kind \
                else [(f"LangChain {method}", _metrics(report, kinds))]
    return rows


def table(rows: list[tuple[str, dict]]) -> str:
    f = lambda v: "–" if v is None else f"{v:.3f}"  # noqa: E731
    lines = ["| variant | top-1 | recall@5 | MRR@10 | none | p50 ms |", "|---|---|---|---|---|---|"]
    for name, m in rows:
        lines.append(f"| {name} | {f(m['top1'])} | {f(m['recall@5'])} | {f(m['mrr@10'])} | {f(m['none'])} | {m['p50']} |")
    n = rows[0][1] if rows else {"n": 0, "none_n": 0}
    lines.append(f"\n{n['n']} answerable questions, {n['none_n']} the record cannot answer (none = no documents returned).")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queries", type=Path)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--embedder", default="e5")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated names of VARIANTS")
    parser.add_argument("--kinds", default=None, help="comma-separated question kinds (default: all)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--per-kind", action="store_true", help="one row per question kind")
    parser.add_argument("--today", default="2026-11-27")
    args = parser.parse_args(argv)
    names = [v for v in args.variants.split(",") if v]
    unknown = [v for v in names if v not in VARIANTS]
    if unknown:
        parser.error(f"unknown variants {unknown}; known: {list(VARIANTS)}")
    kinds = args.kinds.split(",") if args.kinds else None
    rows = run(args.queries, args.home, args.embedder, names, not args.no_baseline, kinds,
               date.fromisoformat(args.today), args.per_kind)
    print(table(rows))


if __name__ == "__main__":
    main()
