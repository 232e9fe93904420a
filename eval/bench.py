"""`python -m eval.bench`: ingest throughput, ask latency and memory at 1k, 10k and 100k patients.

    python -m eval.bench --output docs/benchmarks.md --sizes 1000,10000,100000 --embedders e5,minilm
    python -m eval.bench --quick --embedders hashing      # smoke test: tiny corpus, tiny sizes

1. Ingest: each embedder ingests the corpus (data/samples, or --corpus) into a fresh store; pages/s,
   chunks/s and the seconds per stage from IngestReport (extract includes OCR, embed, write, index).
2. Scale: for each size N, a store is filled with N synthetic patients written through the Store
   protocol (`Store.add_documents`, ~50k chunks per transaction: documents, chunks with random unit
   vectors, their FTS5 and stem rows, of French words drawn with the real corpus's word frequencies, so
   the FTS doclists of the questions' words are long), and the REAL patients of step 1 are written again
   into the middle of the chunk-id space. A fresh subprocess per size (OMP_NUM_THREADS=1, one embedder
   thread) then asks the real patients' labelled questions through `Searcher.ask` (parser, SQL,
   FTS5 on the patient's rowid range, the patient's FAISS file): p50/p95/p99 with the vector cache,
   without it (each question reads the patient's FAISS file), and with the other core busy; its peak
   RSS; then one question each to many different synthetic patients, with RSS along the way, to show
   that the LRU cache of per-patient indexes bounds memory.
3. Writes the Markdown report (tables, machine, date, exact command) and a JSON file next to it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from carnet.config import Settings
from eval.measure import _pcts, _peak_rss_mb, _rss_mb, _time_questions, bench_ingest, machine_info
from eval.runner import percentile, read_queries
from eval.scaled_store import build_scaled_store
from eval.synthetic.vocab import QUERY_DATE
from index.sqlite import SQLiteStore
from service.facade import Carnet

# eval/bench_postgres.py imports _pcts, _time_questions and build_scaled_store from here: these names are
# bound above, before the two sections are imported (bench_postgres imports this module in turn).
from eval import bench_load, bench_postgres  # noqa: E402  (isort: keep after the names it reads)

DEFAULT_SIZES = (1000, 10000, 100000)
QUICK_SIZES = (50, 300)

# Topic-only questions (no type, date or exam: the stemmed BM25 + evidence + rerank path, two or three FTS5
# searches within the patient's rowid range), asked of every real patient; timed apart from the labelled ones.
# Common words on purpose: their stems' doclists span the whole synthetic corpus.
TOPICAL_QUESTIONS = ("diabète", "insuffisance cardiaque", "douleur thoracique", "fibrillation atriale", "BPCO",
                     "hypertension artérielle", "fatty liver", "chest pain", "nodule pulmonaire", "kidney function")


# --- 2b. the measuring subprocess ---------------------------------------------------------------------


def serve_and_measure(spec: dict) -> dict:
    """Runs in a fresh process: load the store like the server does and time questions."""
    today = date.fromisoformat(spec["today"])
    settings = Settings(home=Path(spec["home"]), embedder=spec["embedder"], summary_mode="none",
                        vector_cache_bytes=spec["cache_bytes"], ocr=False)
    carnet = Carnet(settings, embedder_threads=1)
    searcher = carnet.searcher
    searcher.warm_up()
    questions = spec["questions"]
    out: dict = {"rss_after_load_mb": _rss_mb()}
    # First question of each real patient: builds (or reads) its FAISS file. Not part of the timings.
    first, _ = _time_questions(searcher, questions, len(questions), today)
    out["first_pass"] = _pcts(first)
    out["peak_rss_first_pass_mb"] = _peak_rss_mb()
    times, stages = _time_questions(searcher, questions, spec["samples"], today)
    out["cached"] = _pcts(times)
    out["stages_p50"] = {k: percentile(v, 50) for k, v in stages.items()}
    # The question's embedding alone (part of "rank"): what does not depend on the corpus size.
    embed = []
    for i in range(spec["samples"]):
        t0 = time.perf_counter()
        carnet.embedder.embed_query(questions[i % len(questions)]["query"])
        embed.append((time.perf_counter() - t0) * 1000)
    out["embed_query"] = _pcts(embed)
    topical = [{"patient": p, "query": t} for p in sorted({q["patient"] for q in questions}) for t in TOPICAL_QUESTIONS]
    _time_questions(searcher, topical, len(topical), today)  # first pass: not timed
    times, stages = _time_questions(searcher, topical, spec["samples"], today)
    out["topical"] = {**_pcts(times), "questions": len(topical), "stages_p50": {k: percentile(v, 50) for k, v in stages.items()}}
    # Without the LRU cache: every question reads the patient's FAISS file (from the OS page cache).
    uncached = Carnet(settings.model_copy(update={"vector_cache_bytes": 0}), embedder_threads=1)
    uncached.__dict__["embedder"] = carnet.embedder  # same loaded model
    times, _ = _time_questions(uncached.searcher, questions, spec["samples"], today)
    out["uncached"] = _pcts(times)
    out["peak_rss_before_busy_mb"] = _peak_rss_mb()
    # The other core busy with a busy-loop process (ended by its handle).
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.2)
        times, _ = _time_questions(searcher, questions, spec["samples"], today)
    finally:
        busy.kill()
        busy.wait()
    out["busy"] = _pcts(times)
    out["peak_rss_mb"] = _peak_rss_mb()
    out["rss_after_latency_mb"] = _rss_mb()
    # Many different patients: one question each; memory must level off at the cache bound.
    rng = random.Random(7)
    pool = spec["bulk_patients"]
    patients = rng.sample(pool, min(spec["rss_patients"], len(pool)))
    texts = [q["query"] for q in questions]
    checkpoints = sorted({max(1, len(patients) * k // 4) for k in range(1, 5)})
    series, times = [{"questions": 0, "rss_mb": _rss_mb(), "cache_mb": round(carnet.vectors.cached_bytes / 2**20, 2)}], []
    for i, pid in enumerate(patients, start=1):
        t0 = time.perf_counter()
        searcher.ask(pid, texts[i % len(texts)], top_k=10, today=today, summarize=False)
        times.append((time.perf_counter() - t0) * 1000)
        if i in checkpoints:
            series.append({"questions": i, "rss_mb": _rss_mb(), "cache_mb": round(carnet.vectors.cached_bytes / 2**20, 2)})
    out["many_patients"] = {"patients": len(patients), "series": series, "latency": _pcts(times),
                            "cache_limit_mb": round(spec["cache_bytes"] / 2**20, 2)}
    out["peak_rss_end_mb"] = _peak_rss_mb()
    return out


def _measure_in_subprocess(spec: dict, workdir: Path) -> dict:
    spec_path = workdir / "serve_spec.json"
    result_path = workdir / "serve_result.json"
    spec_path.write_text(json.dumps({**spec, "result": str(result_path)}))
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-m", "eval.bench", "--serve", str(spec_path)], env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"measuring subprocess failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(result_path.read_text())


# --- 3. Markdown ---------------------------------------------------------------------------------------


def render_markdown(result: dict) -> str:
    m = result["machine"]
    out = [
        "# Carnet benchmarks",
        "",
        f"- Date: {result['date']}",
        f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM, load average at start {m['load_avg']}, "
        f"Python {m['python']}, {m['platform']}",
        f"- Command: `{result['command']}`",
        f"- Corpus: `{result['corpus']}` ({result['real_patients']} real patients, {result['questions']} labelled "
        f"questions from `{result['queries']}`)",
        "",
        "## Ingest throughput",
        "",
        "Each embedder ingests the corpus into a fresh store (embedder threads: the engine's default, all cores).",
        "",
        "| embedder | files | added | failed | pages | OCR pages | chunks | model load s | wall s | pages/s | chunks/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["ingest"]:
        out.append(f"| {r['model']} | {r['files']} | {r['added']} | {r['failed']} | {r['pages']} | {r['ocr_pages']} | "
                   f"{r['chunks']} | {r['load_s']} | {r['wall_s']} | {r['pages_per_s']} | {r['chunks_per_s']} |")
    stages = list(dict.fromkeys(k for r in result["ingest"] for k in r["seconds"]))
    out += ["", "Where the time goes (seconds, share of the stage total; extract includes OCR):", "",
            "| embedder | " + " | ".join(stages) + " |", "|---|" + "---:|" * len(stages)]
    for r in result["ingest"]:
        total = sum(r["seconds"].values()) or 1.0
        out.append(f"| {r['model']} | " + " | ".join(
            f"{r['seconds'].get(s, 0):.2f} ({100 * r['seconds'].get(s, 0) / total:.0f}%)" for s in stages) + " |")

    scale = result["scale"]
    if scale:
        p = result["params"]
        out += [
            "",
            f"## Ask latency and memory as the corpus grows ({result['latency_model']})",
            "",
            f"Synthetic patients: {p['chunks_per_patient']} chunks of {p['words_per_chunk']} words in "
            f"{p['docs_per_patient']} documents each, random unit vectors, words drawn with the real corpus's "
            "frequencies; the real patients sit in the middle of the chunk-id space. Questions: the real patients' "
            f"labelled questions through `Searcher.ask` (no summary, top 10), {p['samples']} timed questions per "
            "row, in a fresh process per size, OMP_NUM_THREADS=1, one embedder thread. "
            f"Vector cache: {p['cache_mb']} MB.",
            "",
            "| patients | chunks | DB GB | build s | p50 ms | p95 ms | p99 ms | no cache p50/p95 ms | other core busy p50/p95/p99 ms | peak RSS MB |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in scale:
            s, c, u, b = row["store"], row["cached"], row["uncached"], row["busy"]
            out.append(f"| {s['patients']:,} | {s['chunks']:,} | {s['db_gb']} | {s['build_s']} | {c['p50']} | {c['p95']} | "
                       f"{c['p99']} | {u['p50']} / {u['p95']} | {b['p50']} / {b['p95']} / {b['p99']} | {row['peak_rss_mb']} |")
        first, last = scale[0], scale[-1]
        if first["cached"]["p95"] and last["cached"]["p95"]:
            ratio = last["cached"]["p95"] / first["cached"]["p95"]
            out += ["", f"p95 at {last['store']['patients']:,} patients is ×{ratio:.2f} the p95 at "
                        f"{first['store']['patients']:,} patients ({first['cached']['p95']} → {last['cached']['p95']} ms)."]
        out += ["", "Where a question's time goes (p50 per stage of `Answer.timings_ms`, ms; \"rank\" includes "
                    "embedding the question, also timed alone):", "",
                "| patients | " + " | ".join(last["stages_p50"]) + " | embed question p50 / p95 |",
                "|---:|" + "---:|" * (len(last["stages_p50"]) + 1)]
        for row in scale:
            e = row["embed_query"]
            out.append(f"| {row['store']['patients']:,} | " + " | ".join(
                str(row["stages_p50"].get(k)) for k in last["stages_p50"]) + f" | {e['p50']} / {e['p95']} |")
        if all("topical" in row for row in scale):
            out += ["", "Topic-only questions (`TOPICAL_QUESTIONS`: stemmed BM25, evidence and key-line searches "
                        "within the patient's rowid range, dense search, rerank), each asked of every real patient:", "",
                    "| patients | questions | p50 ms | p95 ms | p99 ms | rank stage p50 ms |", "|---:|---:|---:|---:|---:|---:|"]
            for row in scale:
                t = row["topical"]
                out.append(f"| {row['store']['patients']:,} | {t['questions']} | {t['p50']} | {t['p95']} | {t['p99']} | "
                           f"{t['stages_p50'].get('rank')} |")
        out += ["", "### Memory over many different patients", "",
                "One question to each of many synthetic patients (their FAISS files are built on first use, as "
                "after a restart), in the same process after the latency runs. RSS at checkpoints; the LRU cache "
                "of per-patient indexes is bounded by the cache size.", "",
                "| patients in store | cache limit MB | questions → RSS MB (cache MB) | latency p50/p95 ms |",
                "|---:|---:|---|---:|"]
        for row in scale:
            mp = row["many_patients"]
            series = ", ".join(f"{x['questions']} → {x['rss_mb']} ({x['cache_mb']})" for x in mp["series"])
            out.append(f"| {row['store']['patients']:,} | {mp['cache_limit_mb']} | {series} | "
                       f"{mp['latency']['p50']} / {mp['latency']['p95']} |")
    if result.get("load"):
        out += bench_load.render(result["load"])
    if result.get("postgres"):
        pg = result["postgres"]
        out += ["", "## PostgreSQL + pgvector (the same questions, hashing embedder)", "",
                "The samples ingested with the hashing embedder, grown with the same synthetic patients as above, "
                "copied into an embedded PostgreSQL by `carnet db migrate`'s code (write rate: chunks/s with "
                "vectors and stems), then the labelled questions asked through the service with "
                f"CARNET_DATABASE_URL set, after a warm-up round; {pg['samples']} timed questions a size.", "",
                bench_postgres.render(pg["rows"])]
        first, last = pg["rows"][0], pg["rows"][-1]
        if len(pg["rows"]) > 1 and first["ask_ms"]["p95"]:
            out += ["", f"p95 at {last['patients']:,} patients is ×{last['ask_ms']['p95'] / first['ask_ms']['p95']:.2f} "
                        f"the p95 at {first['patients']:,} patients."]
    out += ["", "## Notes", "",
            "- Latency rows exclude model loading and each real patient's first question (its FAISS file "
            "is built then); that first pass is in the JSON file next to this page.",
            "- 'No cache' reads the patient's FAISS file for every question (the file is in the OS page cache).",
            "- The busy run starts one `python -c 'while True: pass'` process for its duration.",
            "- Synthetic patients are written through the store's `add_documents` (eval/scaled_store.py), as an "
            "ingest writes them; their FAISS files are built on first question.",
            ""]
    return "\n".join(out)


# --- main ----------------------------------------------------------------------------------------------


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m eval.bench", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Example: python -m eval.bench --quick --embedders hashing --output /tmp/b.md")
    ap.add_argument("--output", type=Path, default=Path("docs/benchmarks.md"), help="Markdown report (a .json is written next to it).")
    ap.add_argument("--sizes", default=None, help="Synthetic patients per store, e.g. 1000,10000,100000.")
    ap.add_argument("--embedders", default="e5,minilm", help="Embedders for ingest throughput; the first one is used for latency.")
    ap.add_argument("--quick", action="store_true", help="Tiny sizes and the tiny rendered corpus: a smoke test.")
    ap.add_argument("--corpus", type=Path, default=None, help="Folder <patient>/<file>.pdf (default data/samples).")
    ap.add_argument("--queries", type=Path, default=None, help="Labelled questions JSONL (default eval/queries/samples.jsonl).")
    ap.add_argument("--today", default=None, help="Reference date of the questions (default: the generator's).")
    ap.add_argument("--chunks-per-patient", type=int, default=None, help="Synthetic chunks per patient (default 10).")
    ap.add_argument("--docs-per-patient", type=int, default=4)
    ap.add_argument("--words-per-chunk", type=int, default=80)
    ap.add_argument("--samples", type=int, default=None, help="Timed questions per latency row (default 400).")
    ap.add_argument("--rss-patients", type=int, default=None, help="Distinct patients asked in the memory run (default 2000).")
    ap.add_argument("--cache-mb", type=float, default=8.0, help="Vector cache of the measuring process (MB).")
    ap.add_argument("--no-ocr", action="store_true", help="Ingest without OCR.")
    ap.add_argument("--workdir", type=Path, default=None, help="Where the stores are built (default: a tmp dir, removed).")
    ap.add_argument("--keep", action="store_true", help="Keep the work directory.")
    ap.add_argument("--no-load", action="store_true", help="Skip the serving, busy-core and bad-file parts.")
    ap.add_argument("--no-postgres", action="store_true", help="Skip the PostgreSQL + pgvector rows.")
    ap.add_argument("--load-seconds", type=float, default=None, help="Seconds per number of clients (default 30).")
    ap.add_argument("--serve", type=Path, default=None, help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> dict | None:
    args = _parse_args(argv)
    if args.serve is not None:  # the measuring subprocess
        spec = json.loads(args.serve.read_text())
        Path(spec["result"]).write_text(json.dumps(serve_and_measure(spec)))
        return None
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    command = "python -m eval.bench " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    embedders = [e.strip() for e in args.embedders.split(",") if e.strip()]
    chunks_per_patient = args.chunks_per_patient or (6 if args.quick else 10)
    samples = args.samples or (20 if args.quick else 400)
    rss_patients = args.rss_patients or (20 if args.quick else 2000)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="carnet-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        corpus, queries_path = args.corpus, args.queries
        if corpus is None:
            corpus = Path("data/samples")
            if args.quick or not any(corpus.glob("*/*")):
                if not args.quick:
                    raise SystemExit(f"{corpus} holds no documents: generate the samples or give --corpus.")
                corpus = workdir / "tiny"
                queries_path = queries_path or render_tiny_corpus(corpus)
        queries_path = queries_path or Path("eval/queries/samples.jsonl")
        today = date.fromisoformat(args.today) if args.today else _default_today()

        ingest = []
        for spec in embedders:
            print(f"ingest {corpus} with {spec} ...", file=sys.stderr, flush=True)
            ingest.append(bench_ingest(corpus, spec, workdir / f"seed-{spec}", ocr=not args.no_ocr))
        latency_spec = embedders[0]
        seed_home = workdir / f"seed-{latency_spec}"

        seed = SQLiteStore(seed_home)
        real_ids = {p.id for p in seed.iter_patients()}
        dim = int(json.loads((seed_home / "manifest.json").read_text())["dim"])
        seed.close()
        questions = [{"patient": q["patient"], "query": q["query"]} for q in read_queries(queries_path)
                     if q["patient"] in real_ids]
        if not questions:
            raise SystemExit(f"No question of {queries_path} is about a patient of {corpus}.")

        scale = []
        for n in sizes:
            print(f"build a store of {n:,} synthetic patients ...", file=sys.stderr, flush=True)
            home = workdir / f"size-{n}"
            store_stats = build_scaled_store(home, seed_home, n, chunks_per_patient=chunks_per_patient,
                                             docs_per_patient=args.docs_per_patient,
                                             words_per_chunk=args.words_per_chunk, dim=dim)
            first_real, real = store_stats["real_first_num"], store_stats["real_patients"]
            bulk_nums = [k for k in range(1, n + real + 1) if not first_real <= k < first_real + real]
            print(f"  built in {store_stats['build_s']} s; measuring in a fresh process ...", file=sys.stderr, flush=True)
            measured = _measure_in_subprocess({
                "home": str(home), "embedder": latency_spec, "today": today.isoformat(), "questions": questions,
                "samples": samples, "cache_bytes": int(args.cache_mb * 2**20), "rss_patients": rss_patients,
                "bulk_patients": [f"B{k:07d}" for k in bulk_nums],
            }, workdir)
            scale.append({"store": store_stats, **measured})
            print(f"  p50 {measured['cached']['p50']} ms, p95 {measured['cached']['p95']} ms, "
                  f"peak RSS {measured['peak_rss_mb']} MB", file=sys.stderr, flush=True)
            if not args.keep:
                shutil.rmtree(home, ignore_errors=True)

        load = None
        if not args.no_load:
            load = bench_load.run(corpus, seed_home, latency_spec, ingest[0]["wall_s"],
                                  seconds=args.load_seconds or (5 if args.quick else 30), workdir=workdir / "load")
        postgres = None
        if not args.no_postgres:
            pg_seed = workdir / "seed-hashing"
            if "hashing" not in embedders:
                print(f"ingest {corpus} with hashing (PostgreSQL rows) ...", file=sys.stderr, flush=True)
                bench_ingest(corpus, "hashing", pg_seed, ocr=not args.no_ocr)
            pg_samples = min(samples, 200)
            postgres = {"samples": pg_samples,
                        "rows": bench_postgres.measure(pg_seed, sizes, pg_samples, workdir / "pg", today,
                                                       questions)}
        result = {
            "postgres": postgres,
            "load": load,
            "date": datetime.now().isoformat(timespec="seconds"),
            "machine": machine_info(),
            "command": command,
            "corpus": str(corpus),
            "queries": str(queries_path),
            "real_patients": len(real_ids),
            "questions": len(questions),
            "ingest": ingest,
            "latency_model": ingest[0]["model"],
            "params": {"sizes": sizes, "chunks_per_patient": chunks_per_patient,
                       "docs_per_patient": args.docs_per_patient, "words_per_chunk": args.words_per_chunk,
                       "samples": samples, "rss_patients": rss_patients, "cache_mb": args.cache_mb},
            "scale": scale,
        }
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(render_markdown(result), encoding="utf-8")
        args.output.with_suffix(".json").write_text(json.dumps(result, indent=1), encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
        return result
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def _default_today() -> date:
    return QUERY_DATE  # "today" of the labelled questions' relative dates


# --- the tiny corpus ------------------------------------------------------------------------------------
# 2 patients, 7 short French reports, 5 labelled questions, rendered with PyMuPDF: for --quick and the
# integration tests. A smoke-test corpus, not an evaluation set: its numbers say nothing about quality.

DOCUMENTS = {
    "P001/cardio_2024.pdf": [
        "Compte rendu de consultation de cardiologie",
        "Dr Hélène Marchand, cardiologue, Centre Hospitalier de Lille",
        "Consultation du 12/03/2024",
        "Motif : suivi d'une fibrillation atriale paroxystique.",
        "Examen : pression artérielle 132/80 mmHg, auscultation cardiaque normale.",
        "ECG : rythme sinusal, pas de trouble de conduction.",
        "Conclusion : fibrillation atriale stable sous apixaban, poursuite du traitement.",
    ],
    "P001/cardio_2022.pdf": [
        "Compte rendu de consultation de cardiologie",
        "Dr Hélène Marchand, cardiologue, Centre Hospitalier de Lille",
        "Consultation du 10/05/2022",
        "Motif : palpitations.",
        "Holter ECG des 24 heures : épisodes de fibrillation atriale paroxystique.",
        "Conclusion : introduction d'un traitement anticoagulant par apixaban.",
    ],
    "P001/bilan_2024.pdf": [
        "Laboratoire de Biologie Médicale Bioaxe",
        "Compte rendu d'examens biologiques du 15/01/2024",
        "Hémoglobine 13,8 g/dL (12,0 - 16,0)",
        "Cholestérol total 2,31 g/L (< 2,00) élevé",
        "LDL cholestérol 1,52 g/L",
        "Créatinine 78 µmol/L, DFG estimé 84 mL/min",
    ],
    "P001/scanner_2023.pdf": [
        "Centre d'Imagerie Médicale du Parc",
        "Compte rendu de scanner thoracique du 02/09/2023",
        "Indication : toux persistante chez une patiente ancienne fumeuse.",
        "Technique : acquisition hélicoïdale sans injection.",
        "Résultats : micronodule pulmonaire de 4 mm du lobe inférieur droit.",
        "Conclusion : micronodule non suspect, contrôle scanographique à 12 mois.",
    ],
    "P002/ordonnance_2025.pdf": [
        "Ordonnance",
        "Dr Pierre Girard, médecine générale, Roubaix",
        "Le 04/02/2025",
        "Metformine 1000 mg : un comprimé matin et soir pendant 3 mois.",
        "Atorvastatine 20 mg : un comprimé le soir.",
    ],
    "P002/echo_2024.pdf": [
        "Cabinet de Radiologie du Littoral",
        "Compte rendu d'échographie abdominale du 18/06/2024",
        "Foie de taille normale, d'échostructure homogène. Stéatose hépatique modérée.",
        "Vésicule biliaire alithiasique. Reins sans dilatation des cavités.",
        "Conclusion : stéatose hépatique modérée.",
    ],
    "P002/sortie_2023.pdf": [
        "Centre Hospitalier Universitaire de Lille, service de pneumologie",
        "Lettre de liaison à la sortie du 21/11/2023",
        "Hospitalisation du 14/11/2023 au 21/11/2023 pour pneumopathie communautaire.",
        "Traitement : amoxicilline-acide clavulanique pendant 7 jours.",
        "Conclusion : évolution favorable, radiographie thoracique de contrôle dans 6 semaines.",
    ],
}

QUERIES = [
    {"id": "t1", "patient": "P001", "query": "dernier compte rendu de cardiologie", "kind": "latest",
     "relevant": ["P001/cardio_2024.pdf"]},
    {"id": "t2", "patient": "P001", "query": "scanner thoracique micronodule", "kind": "topic",
     "relevant": ["P001/scanner_2023.pdf"]},
    {"id": "t3", "patient": "P001", "query": "cholestérol", "kind": "topic", "relevant": ["P001/bilan_2024.pdf"]},
    {"id": "t4", "patient": "P002", "query": "échographie abdominale", "kind": "topic",
     "relevant": ["P002/echo_2024.pdf"]},
    {"id": "t5", "patient": "P002", "query": "compte rendu de coloscopie", "kind": "no-answer", "relevant": []},
]


def render_tiny_corpus(folder: Path) -> Path:
    """Write the PDFs under folder/<patient>/ and the questions to folder/queries.jsonl (returned)."""
    import pymupdf

    folder = Path(folder)
    for source, lines in DOCUMENTS.items():
        path = folder / source
        path.parent.mkdir(parents=True, exist_ok=True)
        pdf = pymupdf.open()
        page = pdf.new_page()
        y = 72
        for line in lines:
            page.insert_text((56, y), line, fontsize=11, fontname="helv")
            y += 20
        pdf.save(path)
        pdf.close()
    queries = folder / "queries.jsonl"
    queries.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUERIES), encoding="utf-8")
    return queries


if __name__ == "__main__":
    main()
