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
import os
import platform
import random
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

import numpy as np

from carnet.models import Chunk, DocMeta
from carnet.records import NewDocument, Patient, StoredChunk, StoredDocument, Versioning
from carnet.text import fold
from index.protocol import Store
from index.sqlite import SQLiteStore

_FIRST_DAY = date(2015, 1, 1).toordinal()  # synthetic service dates: 2015 .. 2025
DEFAULT_SIZES = (1000, 10000, 100000)
QUICK_SIZES = (50, 300)

# Document types and specialties the synthetic patients' documents carry (so filters have work to do).
_BULK_TYPES = ("11488-4", "11502-2", "18748-4", "11490-0", "57833-6", "34112-3", "15507-7", "34874-8")
_BULK_SPECIALTIES = ("SM04", "SM26", "SM54", "SM44", "SM32", "SM40", "SM38", None)
# Used with the real corpus's words, or alone when the corpus is tiny.
_FALLBACK_WORDS = """patient patiente examen conclusion compte rendu consultation traitement antecedents
cardiologie cardiaque echographie scanner thoracique abdominal biologie bilan sanguin hemoglobine creatinine
cholesterol glycemie tension arterielle fibrillation atriale insuffisance renale chronique diabete type
hypertension dyspnee douleur thoracique effort ecg rythme sinusal anticoagulant apixaban metformine
radiographie pulmonaire nodule lobe inferieur droit gauche contrôle mois semaines hospitalisation sortie
service urgence chirurgie operatoire anesthesie ordonnance posologie comprime matin soir biopsie resultat
normal anormal stable evolution favorable suivi rendez vous docteur centre hospitalier laboratoire""".split()
# Topic-only questions (no type, date or exam: the stemmed BM25 + evidence + rerank path, two or three FTS5
# searches within the patient's rowid range), asked of every real patient; timed apart from the labelled ones.
# Common words on purpose: their stems' doclists span the whole synthetic corpus.
TOPICAL_QUESTIONS = ("diabète", "insuffisance cardiaque", "douleur thoracique", "fibrillation atriale", "BPCO",
                     "hypertension artérielle", "fatty liver", "chest pain", "nodule pulmonaire", "kidney function")


# --- machine -------------------------------------------------------------------------------------------


def machine_info() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import psutil

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


# --- 1. ingest ------------------------------------------------------------------------------------------


def bench_ingest(corpus: Path, embedder: str, home: Path, *, ocr: bool = True) -> dict:
    """Ingest `corpus` into a fresh store at `home` with `embedder` (all cores: the ingest setting)."""
    from carnet.config import Settings
    from service.facade import Carnet
    from ingest.pipeline import discover

    if home.exists():
        shutil.rmtree(home)
    carnet = Carnet(Settings(home=home, embedder=embedder, ocr=ocr, summary_mode="none"))
    files = discover(corpus)
    t0 = time.perf_counter()
    carnet.embedder.load()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = carnet.ingestor.ingest(files)
    wall = time.perf_counter() - t0
    carnet.store.close()
    return {
        "embedder": embedder,
        "model": carnet.embedder.name,
        "files": len(files),
        "added": len(report.added),
        "failed": len(report.failed),
        "pages": report.pages,
        "ocr_pages": report.ocr_pages,
        "chunks": report.chunks,
        "load_s": round(load_s, 2),
        "wall_s": round(wall, 2),
        "pages_per_s": round(report.pages / wall, 2) if wall else None,
        "chunks_per_s": round(report.chunks / wall, 2) if wall else None,
        "seconds": {k: round(v, 2) for k, v in report.seconds.items()},
    }


# --- 2. synthetic store ---------------------------------------------------------------------------------


def _patient_chunks(store: Store, patient: Patient) -> list[StoredChunk]:
    """A patient's chunks in chunk-id order (the order they were written in)."""
    chunks = [c for d in store.documents(patient.id) for c in store.document_chunks(d.id)]
    return sorted(chunks, key=lambda c: c.id)


def corpus_vocabulary(seed: Store, limit: int = 4000) -> tuple[list[str], np.ndarray]:
    """Folded words of the real chunks with their frequencies (plus a fallback list), as sampling weights."""
    counts: Counter[str] = Counter()
    for patient in seed.iter_patients():
        for chunk in _patient_chunks(seed, patient):
            counts.update(w for w in fold(chunk.text).split() if len(w) >= 3 and w.isalpha())
    for w in _FALLBACK_WORDS:
        counts[w] += 1
    words, freq = zip(*counts.most_common(limit))
    weights = np.asarray(freq, dtype=np.float64)
    return list(words), weights / weights.sum()


def _bulk_patients(store: Store, nums: range, *, chunks_per_patient: int, docs_per_patient: int,
                   dim: int, texts: list[str], rng: np.random.Generator) -> None:
    """Write synthetic patients `nums` with their documents and chunks (random unit vectors) through
    `Store.add_documents`, ~50k chunks per transaction. Patient `num` is named B{num:07d}; the store
    numbers patients in the order they are first written, which `build_scaled_store` checks."""
    batch = max(1, 50_000 // chunks_per_patient)  # ~50k chunks per transaction
    for start in range(nums.start, nums.stop, batch):
        block = range(start, min(nums.stop, start + batch))
        vectors = rng.standard_normal((len(block) * chunks_per_patient, dim), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        picks = rng.integers(0, len(texts), size=len(block) * chunks_per_patient)
        days = rng.integers(0, 4000, size=len(block) * docs_per_patient)
        news = []
        for num in block:
            pid = f"B{num:07d}"
            first = (num - block.start) * chunks_per_patient
            for j in range(docs_per_patient):
                type_code = _BULK_TYPES[(num + j) % len(_BULK_TYPES)]
                specialty = _BULK_SPECIALTIES[(num * 7 + j) % len(_BULK_SPECIALTIES)]
                day = int(days[(num - block.start) * docs_per_patient + j])
                meta = DocMeta(type_code=type_code, type_confidence=0.9, specialty_code=specialty,
                               specialty_confidence=0.9, service_date=date.fromordinal(_FIRST_DAY + day),
                               date_confidence=0.9, title=f"Document {j}", language="fr")
                # chunk s of the patient belongs to document s % docs_per_patient
                seqs = range(j, chunks_per_patient, docs_per_patient)
                chunks = [Chunk("", 1, 0, len(texts[picks[first + s]]), None, texts[picks[first + s]]) for s in seqs]
                news.append(NewDocument(
                    patient_id=pid, content_sha256=f"{num:056x}{j:08x}", source=f"{pid}/doc{j}.pdf", meta=meta,
                    chunks=chunks, vectors=vectors[[first + s for s in seqs]].reshape(len(chunks), dim),
                    page_count=1, file_size=40_000))
        store.add_documents(news)


def _copy_document(seed: Store, doc: StoredDocument, vectors: dict[int, np.ndarray]) -> NewDocument:
    """A seed store's document as the NewDocument that writes it again: the same row, chunks, vectors,
    lab values (LabRow minus what the store adds), facts and stored PDF."""
    chunks = seed.document_chunks(doc.id)
    embedded = all(c.id in vectors for c in chunks)
    meta = DocMeta(
        type_code=doc.type_code, type_confidence=doc.type_confidence or 0.0, specialty_code=doc.specialty_code,
        specialty_confidence=doc.specialty_confidence or 0.0, specialty_candidates=doc.specialty_candidates,
        service_date=doc.service_date, service_end_date=doc.service_end_date,
        date_confidence=doc.date_confidence or 0.0, author=doc.author, organisation=doc.organisation,
        title=doc.title, language=doc.language or "fr", sections=doc.sections, exam_keys=doc.exam_keys,
        analyte_keys=doc.analyte_keys, is_noise=doc.is_noise, noise_reason=doc.noise_reason,
        metadata_source=doc.metadata_source or "inferred", confidentiality=doc.confidentiality,
        author_id=doc.author_id)
    pdf = seed.pdf_path(doc.id)
    return NewDocument(
        patient_id=doc.patient_id, content_sha256=doc.content_sha256, source=doc.source, meta=meta,
        chunks=[Chunk(doc.id, c.page, c.char_start, c.char_end, c.section, c.text) for c in chunks],
        pdf_bytes=pdf.read_bytes() if pdf.is_file() else b"",
        vectors=np.stack([vectors[c.id] for c in chunks]) if embedded and chunks else None,
        page_count=doc.page_count or 0, ocr_pages=doc.ocr_pages, ocr_confidence=doc.ocr_confidence,
        fingerprint=doc.fingerprint, file_size=doc.file_size or 0,
        lab_values=[{k: v for k, v in asdict(lab).items() if k not in ("document_id", "service_date", "source")}
                    for lab in seed.lab_values(doc.patient_id) if lab.document_id == doc.id],
        facts=seed.document_facts(doc.id),
        versioning=Versioning(cda_id=doc.cda_id, set_id=doc.set_id, version_number=doc.version_number),
        coded_entries=doc.coded_entries)


def _copy_real_patients(store: Store, seed: Store) -> int:
    """Write the seed store's (real) patients again through the Store protocol, each with its documents in
    the order they were written (so their chunks keep their sequence), their other files and their links
    to canonical documents; the store numbers them after the patients already in it. Lab values are read
    through `Store.lab_values`, which leaves out documents replaced by a newer version (no question reads
    theirs). Returns how many patients."""
    n = 0
    for patient in seed.iter_patients():
        n += 1
        store.ensure_patient(patient.id, patient.name)
        ids, vecs = seed.chunk_vectors(patient.num)
        vectors = {int(i): v for i, v in zip(ids, vecs)}
        docs = seed.documents(patient.id)
        first_chunk = {d.id: min((c.id for c in seed.document_chunks(d.id)), default=1 << 62) for d in docs}
        docs.sort(key=lambda d: first_chunk[d.id])
        store.add_documents([_copy_document(seed, d, vectors) for d in docs])
        for d in docs:
            for source in d.duplicate_sources:
                store.add_duplicate_file(d.id, source)
        links: dict[tuple[str, str], list[str]] = {}
        for d in docs:
            if d.canonical_id:
                links.setdefault((d.canonical_id, d.duplicate_kind or ""), []).append(d.id)
        for (canonical, kind), replaced in links.items():
            store.set_canonical(replaced, canonical, kind)
    return n


def build_scaled_store(home: Path, seed_home: Path, n_patients: int, *, chunks_per_patient: int, docs_per_patient: int,
                       words_per_chunk: int, dim: int, seed: int = 8) -> dict:
    """A store with `n_patients` synthetic patients and the seed's real patients in the middle of the id space,
    written through the Store protocol (the real schema, FTS and stem rows as ingest writes them)."""
    if home.exists():
        shutil.rmtree(home)
    t0 = time.perf_counter()
    store = SQLiteStore(home)
    seed_store = SQLiteStore(seed_home)
    try:
        home.mkdir(parents=True, exist_ok=True)
        shutil.copy(seed_home / "manifest.json", home / "manifest.json")
        rng = np.random.default_rng(seed)
        words, weights = corpus_vocabulary(seed_store)
        pool = rng.choice(len(words), size=(min(20_000, max(1000, n_patients * chunks_per_patient // 20)),
                                            words_per_chunk), p=weights)
        texts = [" ".join(words[i] for i in row) for row in pool]  # folded already, as the FTS rows are
        half = n_patients // 2
        common = dict(chunks_per_patient=chunks_per_patient, docs_per_patient=docs_per_patient, dim=dim, texts=texts,
                      rng=rng)
        _bulk_patients(store, range(1, half + 1), **common)
        real = _copy_real_patients(store, seed_store)
        _bulk_patients(store, range(half + real + 1, n_patients + real + 1), **common)
        for num in {1, half, half + real + 1, n_patients + real} & set(range(1, n_patients + real + 1)):
            if not half < num <= half + real and store.patient(f"B{num:07d}").num != num:
                raise RuntimeError(f"patient B{num:07d} was numbered {store.patient(f'B{num:07d}').num}")
        chunks = store.counts()["chunks"]
    finally:
        seed_store.close()
        store.close()
    return {
        "patients": n_patients + real,
        "real_patients": real,
        "real_first_num": half + 1,
        "chunks": chunks,
        "build_s": round(time.perf_counter() - t0, 1),
        "db_gb": round((home / "carnet.db").stat().st_size / 1e9, 3),
    }


# --- 2b. the measuring subprocess ---------------------------------------------------------------------


def _rss_mb() -> float:
    import psutil

    return round(psutil.Process().memory_info().rss / 2**20, 1)


def _peak_rss_mb() -> float:
    """This process's high-water RSS. VmHWM belongs to the address space, so it starts afresh at exec;
    getrusage's ru_maxrss would carry over the parent's peak from before the fork."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)  # kB
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _pcts(values: list[float]) -> dict:
    from eval.runner import percentile

    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "p99": percentile(values, 99), "max": round(max(values), 2) if values else None}


def _time_questions(searcher, questions: list[dict], samples: int, today: date) -> tuple[list[float], dict]:
    times, stages = [], {}
    for i in range(samples):
        q = questions[i % len(questions)]
        t0 = time.perf_counter()
        answer = searcher.ask(q["patient"], q["query"], top_k=10, today=today, summarize=False)
        times.append((time.perf_counter() - t0) * 1000)
        for k, v in answer.timings_ms.items():
            stages.setdefault(k, []).append(v)
    return times, stages


def serve_and_measure(spec: dict) -> dict:
    """Runs in a fresh process: load the store like the server does and time questions."""
    from carnet.config import Settings
    from service.facade import Carnet
    from eval.runner import percentile

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
        from eval.bench_load import render

        out += render(result["load"])
    if result.get("postgres"):
        from eval.bench_postgres import render as render_postgres

        pg = result["postgres"]
        out += ["", "## PostgreSQL + pgvector (the same questions, hashing embedder)", "",
                "The samples ingested with the hashing embedder, grown with the same synthetic patients as above, "
                "copied into an embedded PostgreSQL by `carnet db migrate`'s code (write rate: chunks/s with "
                "vectors and stems), then the labelled questions asked through the service with "
                f"CARNET_DATABASE_URL set, after a warm-up round; {pg['samples']} timed questions a size.", "",
                render_postgres(pg["rows"])]
        first, last = pg["rows"][0], pg["rows"][-1]
        if len(pg["rows"]) > 1 and first["ask_ms"]["p95"]:
            out += ["", f"p95 at {last['patients']:,} patients is ×{last['ask_ms']['p95'] / first['ask_ms']['p95']:.2f} "
                        f"the p95 at {first['patients']:,} patients."]
    out += ["", "## Notes", "",
            "- Latency rows exclude model loading and each real patient's first question (its FAISS file "
            "is built then); that first pass is in the JSON file next to this page.",
            "- 'No cache' reads the patient's FAISS file for every question (the file is in the OS page cache).",
            "- The busy run starts one `python -c 'while True: pass'` process for its duration.",
            "- Synthetic rows are written straight through SQL (same schema, same chunk-id layout, same FTS5 "
            "tokenizer input as `Store.add_document`); their FAISS files are built on first question.",
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
    import logging

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

        from eval.runner import read_queries
        from index.sqlite import SQLiteStore as Store

        seed = Store(seed_home)
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
            from eval import bench_load

            load = bench_load.run(corpus, seed_home, latency_spec, ingest[0]["wall_s"],
                                  seconds=args.load_seconds or (5 if args.quick else 30), workdir=workdir / "load")
        postgres = None
        if not args.no_postgres:
            from eval import bench_postgres

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
    try:
        from eval.synthetic.vocab import QUERY_DATE

        return QUERY_DATE
    except ImportError:
        return date.today()


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
