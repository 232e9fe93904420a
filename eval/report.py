"""The evaluation report: Carnet's retrieval metrics next to three LangChain baselines, in Markdown + PNG.

`write_report` asks every labelled question through Carnet's real query path, builds the baselines of
eval/baselines.py on the same stored corpus with the same embedder, scores everything with the same
pure metric functions (eval/metrics.py) and writes `out_dir/report.md` and its plots. It returns the
numbers as a dict (and prints the Carnet/baseline ratios).
"""

from __future__ import annotations

import json
import platform
import shlex
import sys
from datetime import date, datetime
from pathlib import Path

from eval.baselines import BASELINE_NAMES, Baselines
from eval.metadata import format_metadata_report
from eval.runner import _exact_duplicate_map, metadata_accuracy, percentile, read_queries, score_ranker

METRICS = ("top1", "mrr@10", "recall@5", "recall@10")
METRIC_LABELS = {"top1": "top-1", "mrr@10": "MRR@10", "recall@5": "recall@5", "recall@10": "recall@10",
                 "no_answer_accuracy": "no-answer accuracy"}
BASELINE_LABELS = {"dense": "LangChain dense (FAISS)", "bm25": "LangChain BM25", "ensemble": "LangChain ensemble"}


def write_report(carnet, queries_path: Path, out_dir: Path, *, today: date, truth: Path | None = None,
                 baselines: bool = True, top_k: int = 10, command: str | None = None, echo: bool = True) -> dict:
    """Evaluate Carnet (and the baselines) on labelled questions; write report.md + PNGs in out_dir."""
    queries_path, out_dir = Path(queries_path), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    queries = read_queries(queries_path)
    store = carnet.store
    equivalents = _exact_duplicate_map(store)
    searcher = carnet.searcher
    searcher.warm_up()  # model load and parser start-up are not part of a question's latency

    def ask(q: dict) -> list[str]:
        answer = searcher.ask(q["patient"], q["query"], top_k=top_k, today=today, summarize=False)
        return [h.document.source for h in answer.documents]

    systems: dict[str, dict] = {"carnet": score_ranker(queries, ask, equivalents)}
    result: dict = {
        "generated_at": datetime.now().isoformat(timespec="seconds"),
        "today": today.isoformat(),
        "command": command or _command_line(),
        "corpus": {"home": str(store.home), **store.counts(), "queries": len(queries),
                   "queries_path": str(queries_path), "truth_path": str(truth) if truth else None},
        "embedder": carnet.embedder.name,
        "top_k": top_k,
    }
    if truth is not None:
        result["metadata"] = metadata_accuracy(store, Path(truth))

    if baselines:
        s = carnet.settings
        base = Baselines(store, carnet.embedder, chunk_size=s.chunk_size, chunk_overlap=s.chunk_overlap)
        base.build([q["patient"] for q in queries])  # build (and embed) once, before timing questions
        for name in BASELINE_NAMES:
            systems[name] = score_ranker(queries, lambda q, n=name: base.rank(n, q["patient"], q["query"], top_k),
                                         equivalents)
        result["baseline_build"] = base.stats()
        result["ratios"] = ratios(systems)

    for r in systems.values():
        r["latency_ms"]["p99"] = percentile(r["latencies_ms"], 99)
    result["systems"] = {name: {k: v for k, v in r.items() if k != "results"} for name, r in systems.items()}
    (out_dir / "results.jsonl").write_text(
        "".join(json.dumps({"system": name, **row}, ensure_ascii=False) + "\n"
                for name, r in systems.items() for row in r["results"]), encoding="utf-8")
    result["plots"] = _plots(result, out_dir)
    (out_dir / "report.md").write_text(render_markdown(result), encoding="utf-8")
    (out_dir / "report.json").write_text(json.dumps(_without_latency_lists(result), indent=1, ensure_ascii=False),
                                         encoding="utf-8")
    if echo:
        print(summary_text(result))
    return result


def ratios(systems: dict[str, dict]) -> dict[str, dict[str, float | None]]:
    """Carnet's overall metric divided by each baseline's (None when the baseline scores 0 or n/a)."""
    carnet = systems["carnet"]["overall"]
    out: dict[str, dict[str, float | None]] = {}
    for name, r in systems.items():
        if name == "carnet":
            continue
        row = {}
        for m in METRICS:
            a, b = carnet.get(m), r["overall"].get(m)
            row[m] = round(a / b, 3) if a is not None and b else None
        out[name] = row
    return out


def summary_text(result: dict) -> str:
    lines = [f"Carnet ({result['embedder']}), {result['corpus']['queries']} questions:"]
    for name, r in result["systems"].items():
        o = r["overall"]
        lines.append(f"  {name:<9} " + "  ".join(f"{METRIC_LABELS[m]} {_fmt(o.get(m))}" for m in METRICS)
                     + f"  no-answer {_fmt(o.get('no_answer_accuracy'))}  p50 {r['latency_ms']['p50']} ms")
    for name, row in result.get("ratios", {}).items():
        lines.append(f"  Carnet/{name}: " + "  ".join(f"{METRIC_LABELS[m]} x{_fmt(v, 2)}" for m, v in row.items()))
    return "\n".join(lines)


# --- Markdown ------------------------------------------------------------------------------------------


def _fmt(v, digits: int = 3) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


def _system_label(name: str) -> str:
    return "Carnet" if name == "carnet" else BASELINE_LABELS.get(name, name)


def render_markdown(result: dict) -> str:
    corpus = result["corpus"]
    systems = result["systems"]
    carnet = systems["carnet"]
    out = [
        "# Carnet retrieval evaluation",
        "",
        f"- Command: `{result['command']}`",
        f"- Date: {result['generated_at']} (questions dated as of {result['today']})",
        f"- Corpus: store `{corpus['home']}`: {corpus['patients']} patients, {corpus['documents']} documents, "
        f"{corpus['chunks']} chunks",
        f"- Questions: {corpus['queries']} labelled questions from `{corpus['queries_path']}`, top {result['top_k']}",
        f"- Embedder: `{result['embedder']}` (Carnet and the dense/ensemble baselines use the same model)",
        f"- Machine: {platform.node()}, Python {platform.python_version()}",
        "",
        "## Carnet per kind of question",
        "",
        "| kind | n | top-1 | MRR@10 | recall@5 | recall@10 | no-answer accuracy |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for kind, m in list(carnet["per_kind"].items()) + [("**overall**", carnet["overall"])]:
        out.append(f"| {kind} | {m['queries']} | " + " | ".join(_fmt(m.get(k)) for k in METRICS)
                   + f" | {_fmt(m.get('no_answer_accuracy'))} |")
    lat = carnet["latency_ms"]
    out += ["", f"Carnet ask latency (real query path, no summary, model warmed up): p50 {lat['p50']} ms, "
                f"p95 {lat['p95']} ms, p99 {lat.get('p99')} ms over {corpus['queries']} questions.", ""]

    if len(systems) > 1:
        out += [
            "## Carnet against LangChain baselines",
            "",
            "Same stored corpus (the PDFs Carnet kept, one per document), same embedder, one index per patient, "
            "scored by the same metric functions. Baselines: PyMuPDFLoader + RecursiveCharacterTextSplitter "
            "(900/120) + FAISS per patient (dense), BM25Retriever (bm25), EnsembleRetriever of the two with "
            "equal weights (ensemble); a document is ranked by its best chunk.",
            "",
            "| system | top-1 | MRR@10 | recall@5 | recall@10 | no-answer accuracy | p50 ms | p95 ms |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, r in systems.items():
            o = r["overall"]
            out.append(f"| {_system_label(name)} | " + " | ".join(_fmt(o.get(k)) for k in METRICS)
                       + f" | {_fmt(o.get('no_answer_accuracy'))} | {r['latency_ms']['p50']} | {r['latency_ms']['p95']} |")
        out += [
            "",
            "The baselines have no notion of \"the record holds no answer\": they always return their top results, "
            "so their no-answer accuracy is 0 by construction. They also have no OCR (PyMuPDFLoader reads the text "
            "layer only), no document types, dates or specialties, and no question parser.",
            "",
            "### Ratios Carnet / baseline (overall)",
            "",
            "| baseline | " + " | ".join(METRIC_LABELS[m] for m in METRICS) + " |",
            "|---|" + "---:|" * len(METRICS),
        ]
        for name, row in result["ratios"].items():
            out.append(f"| {_system_label(name)} | " + " | ".join(
                "–" if v is None else f"×{v:.2f}" for v in row.values()) + " |")
        kinds = list(carnet["per_kind"])
        out += ["", "### top-1 per kind of question", "",
                "For kinds without an answer (marked *), the cell is the no-answer accuracy.", "",
                "| kind | " + " | ".join(_system_label(n) for n in systems) + " |",
                "|---|" + "---:|" * len(systems)]
        for kind in kinds:
            out.append(f"| {kind} | " + " | ".join(_kind_cell(systems[n]["per_kind"].get(kind, {}))
                                                  for n in systems) + " |")
        b = result["baseline_build"]
        out += ["", f"Baselines built for {b['patients']} patients: {b['chunks']} chunks, {b['passages_embedded']} "
                    f"passages embedded once ({b['embed_seconds']} s), {b['build_seconds']} s in all (not part of the "
                    "latencies above).", ""]

    out += ["## Metadata accuracy", ""]
    if "metadata" in result:
        out += [_metadata_text(result["metadata"]), ""]
    else:
        out += ["Not measured (no truth file given).", ""]

    if result.get("plots"):
        out += ["## Plots", ""] + [f"![{Path(p).stem}]({Path(p).name})" for p in result["plots"]] + [""]

    failures = carnet["failures"]
    if failures:
        out += [f"## Carnet's misses ({len(failures)}, first 25)", "",
                "| id | kind | question | expected | got |", "|---|---|---|---|---|"]
        for f in failures[:25]:
            out.append(f"| {f['id']} | {f['kind']} | {_cell(f['query'])} | {_cell(', '.join(f['expected']))} | "
                       f"{_cell(', '.join(f['got']))} |")
        out.append("")
    return "\n".join(out)


def _kind_cell(m: dict) -> str:
    if m.get("top1") is None and m.get("no_answer_accuracy") is not None:
        return _fmt(m["no_answer_accuracy"]) + "*"
    return _fmt(m.get("top1"))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ") or "(none)"


def _metadata_text(metadata) -> str:
    """eval.metadata's Markdown rendering; the raw numbers in a code block if it cannot render them."""
    try:

        return format_metadata_report(metadata)
    except Exception:  # another module's formatter: a change there must not lose the report
        return "```\n" + json.dumps(metadata, indent=1, ensure_ascii=False, default=str) + "\n```"


def _without_latency_lists(result: dict) -> dict:
    systems = {n: {k: v for k, v in r.items() if k != "latencies_ms"} for n, r in result["systems"].items()}
    return {**result, "systems": systems}


def _command_line() -> str:
    argv = list(sys.argv)
    if not argv or argv[0] in ("", "-", "-c"):
        return "python (interactive or -c: pass command= to record it)"
    if argv[0].endswith(".py"):
        argv[0] = f"python {argv[0]}"
    else:
        argv[0] = Path(argv[0]).name
    return " ".join([argv[0]] + [shlex.quote(a) for a in argv[1:]])


# --- plots ----------------------------------------------------------------------------------------------


def _plots(result: dict, out_dir: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = result["systems"]
    names = list(systems)
    labels = [_system_label(n) for n in names]
    files = []

    fig, ax = plt.subplots(figsize=(8, 4))
    metrics = METRICS + ("no_answer_accuracy",)
    width = 0.8 / len(names)
    for i, n in enumerate(names):
        values = [systems[n]["overall"].get(m) or 0.0 for m in metrics]
        ax.bar([x + i * width for x in range(len(metrics))], values, width, label=labels[i])
    ax.set_xticks([x + width * (len(names) - 1) / 2 for x in range(len(metrics))])
    ax.set_xticklabels([METRIC_LABELS[m] for m in metrics])
    ax.set_ylim(0, 1.05)
    ax.set_title(f"Overall retrieval metrics ({result['embedder']})")
    ax.legend(fontsize=8)
    fig.tight_layout()
    files.append(_save(fig, out_dir / "metrics_overall.png"))

    kinds = list(systems["carnet"]["per_kind"])
    fig, ax = plt.subplots(figsize=(max(6, 1.2 * len(kinds)), 4))
    for i, n in enumerate(names):
        per_kind = systems[n]["per_kind"]
        values = [(per_kind.get(k, {}).get("top1") if per_kind.get(k, {}).get("top1") is not None
                   else per_kind.get(k, {}).get("no_answer_accuracy")) or 0.0 for k in kinds]
        ax.bar([x + i * width for x in range(len(kinds))], values, width, label=labels[i])
    ax.set_xticks([x + width * (len(names) - 1) / 2 for x in range(len(kinds))])
    ax.set_xticklabels(kinds, rotation=30, ha="right", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_title("top-1 per kind (no-answer accuracy for kinds without an answer)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    files.append(_save(fig, out_dir / "top1_per_kind.png"))

    fig, ax = plt.subplots(figsize=(7, 4))
    data = [[max(v, 1e-3) for v in systems[n]["latencies_ms"]] or [1e-3] for n in names]
    ax.boxplot(data, showfliers=True)
    ax.set_xticks(range(1, len(names) + 1))
    ax.set_xticklabels(labels, fontsize=8)
    ax.set_yscale("log")
    ax.set_ylabel("ms per question")
    ax.set_title("Question latency (no summary)")
    fig.tight_layout()
    files.append(_save(fig, out_dir / "latency.png"))

    metadata = result.get("metadata")
    accuracies = {k.removesuffix("_accuracy"): v for k, v in (metadata or {}).items()
                  if k.endswith("_accuracy") and isinstance(v, (int, float))}
    if accuracies:
        fig, ax = plt.subplots(figsize=(6, 3.5))
        ax.bar(list(accuracies), list(accuracies.values()), color="tab:blue")
        ax.set_ylim(0, 1.05)
        ax.set_title(f"Metadata accuracy ({metadata.get('n', '?')} documents)")
        ax.tick_params(axis="x", labelsize=8)
        fig.tight_layout()
        files.append(_save(fig, out_dir / "metadata_accuracy.png"))
    return files


def _save(fig, path: Path) -> str:
    import matplotlib.pyplot as plt

    fig.savefig(path, dpi=110)
    plt.close(fig)
    return str(path)
