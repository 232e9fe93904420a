"""`carnet eval`: run labelled questions through the real query path and score them."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

from carnet.errors import InvalidInput
from carnet.records import StoredDocument, iso
from eval.metrics import aggregate, score_query
from eval.metadata import evaluate_metadata
from eval.metadata import format_metadata_report


def read_queries(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise InvalidInput(f"{path}:{n} is not JSON: {e}") from e
        missing = {"id", "patient", "query", "relevant"} - set(row)
        if missing:
            raise InvalidInput(f"{path}:{n} lacks {sorted(missing)}")
        rows.append(row)
    return rows


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    i = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return round(ordered[i], 2)


def run_eval(carnet, queries_path: Path, *, today: date, output: Path | None = None, truth: Path | None = None,
             top_k: int = 10) -> dict:
    """Ask every labelled question; return metrics per kind and overall (and metadata accuracy with a truth file)."""
    queries = read_queries(queries_path)
    searcher = carnet.searcher

    def ask(q: dict) -> list[str]:
        answer = searcher.ask(q["patient"], q["query"], top_k=top_k, today=today, summarize=False)
        return [h.document.source for h in answer.documents]

    report = score_ranker(queries, ask, _exact_duplicate_map(carnet.store))
    results = report.pop("results")
    report.pop("latencies_ms")
    if output is not None:
        Path(output).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results), encoding="utf-8")
    if truth is not None:
        report["metadata"] = metadata_accuracy(carnet.store, truth)
    return report


def score_ranker(queries: list[dict], rank: Callable[[dict], list[str]], equivalents: dict[str, str]) -> dict:
    """Score any ranker (Carnet or a baseline) on labelled questions: `rank(query_row)` returns the
    ranked sources. Returns overall and per-kind metrics, latency percentiles (ms), per-query latencies,
    failures and per-query results."""
    per_kind: dict[str, list[dict]] = defaultdict(list)
    all_scores, latencies, results, failures = [], [], [], []
    for q in queries:
        t0 = time.perf_counter()
        ranked = rank(q)
        latencies.append((time.perf_counter() - t0) * 1000)
        s = score_query(q["relevant"], ranked, equivalents)
        all_scores.append(s)
        per_kind[q.get("kind", "unlabelled")].append(s)
        results.append({"id": q["id"], "results": ranked})
        if (s["answerable"] and s["top1"] < 1) or (not s["answerable"] and s["no_answer_correct"] < 1):
            failures.append({"id": q["id"], "kind": q.get("kind"), "query": q["query"],
                             "expected": q["relevant"][:3], "got": ranked[:3]})
    return {
        "overall": aggregate(all_scores),
        "per_kind": {k: aggregate(v) for k, v in sorted(per_kind.items())},
        "latency_ms": {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95)},
        "latencies_ms": [round(v, 3) for v in latencies],
        "failures": failures,
        "results": results,
    }


def stored_documents(store) -> Iterator[StoredDocument]:
    """Every stored document of every patient, through the Store protocol (patients in store order)."""
    for patient in store.iter_patients():
        yield from store.documents(patient.id)


def _exact_duplicate_map(store) -> dict[str, str]:
    """Every extra file of a document stored once (same bytes) -> the stored document's source."""
    return {dup: d.source for d in stored_documents(store) for dup in d.duplicate_sources}


def metadata_accuracy(store, truth_path: Path) -> dict:

    truth = [json.loads(line) for line in Path(truth_path).read_text(encoding="utf-8").splitlines() if line.strip()]
    # Every file: the stored documents and the extra files that held the same bytes (same metadata).
    predicted = [{"source": source, "type_code": d.type_code, "specialty_code": d.specialty_code,
                  "service_date": iso(d.service_date), "is_noise": d.is_noise}
                 for d in stored_documents(store) for source in (d.source, *d.duplicate_sources)]
    return evaluate_metadata(predicted, truth)


def format_report(result: dict) -> str:
    lines = ["kind                 n    top1   mrr@10  rec@5   rec@10  c-rec@5 no-answer"]
    def row(name, m):
        f = lambda v: "  -   " if v is None else f"{v:6.3f}"  # noqa: E731
        return (f"{name:<18} {m['queries']:>4}  {f(m['top1'])}  {f(m['mrr@10'])}  {f(m['recall@5'])}  "
                f"{f(m['recall@10'])}  {f(m.get('capped_recall@5'))}  {f(m['no_answer_accuracy'])}")
    for kind, m in result["per_kind"].items():
        lines.append(row(kind, m))
    lines.append(row("overall", result["overall"]))
    lines.append("c-rec@5: recall@5 out of min(5, number of relevant documents)")
    lat = result["latency_ms"]
    lines.append(f"ask latency (no summary): p50 {lat['p50']} ms, p95 {lat['p95']} ms")
    if "metadata" in result:

        lines.append(format_metadata_report(result["metadata"]))
    if result["failures"]:
        lines.append(f"{len(result['failures'])} questions not answered first time (see --json for the list)")
    return "\n".join(lines)
