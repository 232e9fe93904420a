"""The load, busy-core and bad-input parts of `make bench` (eval/bench.py calls `run`; `render` writes
their Markdown). Each part is bounded in time and stops by itself.

1. Serving: `carnet serve --workers N` on 127.0.0.1 and eval/load.py's clients (1, 10, 50; each asks
   its own patient and checks every returned document's patient), with 2 workers and, at 50 clients,
   with 1 worker: throughput, p50/p95/p99, errors, foreign answers, throughput over one client's.
2. Ingest with the other core busy: the same files ingested quiet and with a busy loop on one core
   (started by the bench, stopped after), chunks/s and their ratio.
3. Bad files: each crafted file of eval/bad_pdfs.py read by the document reader process: the refusal,
   the wall time and the reader's peak resident memory.
4. First answer: `carnet serve` started on the ingested store until the first question is answered
   (add the ingest's wall time above for a `make run`-like start); and as `make run` does it: the corpus
   ingested with `--defer-embedding` (text, metadata and facts only), the server started, its first answer
   (by words and filters, `semantic_search: "pending"`), and the time until its background thread has
   embedded every chunk.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from carnet.config import Settings
from carnet.errors import CarnetError
from eval.bad_pdfs import write_bad_pdfs
from eval.load import bench_headers, busy_core, measure, running_server, store_owners
from eval.measure import bench_ingest
from index.sqlite import SQLiteStore as Store
from ingest.limits import DocumentLimits
from ingest.pipeline import discover
from ingest.worker import DocumentJob, DocumentWorker
from service.facade import Carnet


def bench_serving(home: Path, embedder: str, seconds: float, *, levels=(1, 10, 50)) -> dict:
    out = {"embedder": embedder, "seconds": seconds, "workers": {}}
    for workers, lv in ((2, list(levels)), (1, [max(levels)])):
        print(f"serve with {workers} worker(s): {lv} clients ...", file=sys.stderr, flush=True)
        with running_server(home, workers=workers, embedder=embedder) as url:
            out["workers"][workers] = measure(url, home, lv, seconds)
    return out


def bench_busy_ingest(corpus: Path, embedder: str, workdir: Path, patients: int = 1) -> dict:
    subset = workdir / "busy-corpus"
    if subset.exists():
        shutil.rmtree(subset)
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir())[:patients]:
        shutil.copytree(folder, subset / folder.name)
    bench_ingest(subset, embedder, workdir / "busy-warm")  # page cache, compiled regexes: not on the quiet run
    quiet = bench_ingest(subset, embedder, workdir / "busy-quiet")
    with busy_core():
        busy = bench_ingest(subset, embedder, workdir / "busy-busy")
    ratio = busy["chunks_per_s"] / quiet["chunks_per_s"] if quiet["chunks_per_s"] else None
    return {"embedder": embedder, "files": quiet["files"], "chunks": quiet["chunks"], "quiet": quiet, "busy": busy,
            "ratio": round(ratio, 2) if ratio else None}


def bench_bad_files(workdir: Path) -> list[dict]:
    folder = workdir / "bad"
    home = workdir / "bad-home"
    files = write_bad_pdfs(folder)
    worker = DocumentWorker(DocumentLimits())
    rows = []
    try:
        warm = DocumentJob("warm.pdf", b"%PDF-1.4", None, "0" * 32)
        try:
            worker.understand(warm, home)  # start the reader: its start is not any file's cost
        except CarnetError:
            pass
        for name, path in files.items():
            t0 = time.perf_counter()
            try:
                worker.understand(DocumentJob(name, path.read_bytes(), None, "0" * 32), home)
                reason = "accepted"
            except CarnetError as e:
                reason = str(e)
            rows.append({"file": name, "bytes": path.stat().st_size, "seconds": round(time.perf_counter() - t0, 2),
                         "peak_rss_mb": round(worker.last_peak_rss / 2**20), "reason": reason})
    finally:
        worker.close()
    return rows


def bench_first_answer(home: Path, embedder: str) -> dict:
    import httpx

    _, patients = store_owners(home)
    headers = bench_headers(home, patients[:1])
    t0 = time.perf_counter()
    with running_server(home, workers=2, embedder=embedder) as url:
        up = time.perf_counter() - t0
        r = httpx.post(f"{url}/v1/patients/{patients[0]}/ask", json={"question": "dernier compte rendu"},
                       headers=headers, timeout=120)
        first = time.perf_counter() - t0
    return {"serve_up_s": round(up, 1), "first_answer_s": round(first, 1), "status": r.status_code}


def bench_deferred_first_answer(corpus: Path, embedder: str, home: Path, limit_s: float = 1800) -> dict:
    """`make run`'s path: ingest with embedding deferred, serve, ask, then wait for the background embedding."""
    import httpx

    if home.exists():
        shutil.rmtree(home)
    t0 = time.perf_counter()
    c = Carnet(Settings(home=home, embedder=embedder, summary_mode="none"), defer_embedding=True)
    report = c.ingestor.ingest(discover(corpus))
    c.ingestor.close()
    ingest_s = time.perf_counter() - t0
    _, patients = store_owners(home)
    headers = bench_headers(home, patients[:1])

    watcher = Store(home)  # counts the chunks still waiting for their vector, while the server embeds them

    def pending() -> int:
        return watcher.pending_count()

    with running_server(home, workers=2, embedder=embedder) as url:
        r = httpx.post(f"{url}/v1/patients/{patients[0]}/ask", json={"question": "dernier compte rendu"},
                       headers=headers, timeout=120)
        first = time.perf_counter() - t0
        semantic = r.json().get("semantic_search") if r.status_code == 200 else None
        while pending() and time.perf_counter() - t0 < limit_s:
            time.sleep(1)
        embedded = time.perf_counter() - t0
        left = pending()
    watcher.close()
    return {"chunks": report.chunks, "lexical_ingest_s": round(ingest_s, 1), "first_answer_s": round(first, 1),
            "status": r.status_code, "semantic_search": semantic, "all_embedded_s": round(embedded, 1),
            "pending_left": left}


def run(corpus: Path, seed_home: Path, embedder: str, ingest_wall_s: float, *, seconds: float = 30,
        workdir: Path | None = None) -> dict:
    own = workdir is None
    workdir = workdir or Path(tempfile.mkdtemp(prefix="carnet-bench-load-"))
    try:
        result = {"bad_files": bench_bad_files(workdir)}
        print("bad files done", file=sys.stderr, flush=True)
        result["first_answer"] = {**bench_first_answer(seed_home, embedder), "ingest_wall_s": ingest_wall_s}
        result["deferred_first_answer"] = bench_deferred_first_answer(corpus, embedder, workdir / "deferred-home")
        result["serving"] = bench_serving(seed_home, embedder, seconds)
        result["busy_ingest"] = bench_busy_ingest(corpus, embedder, workdir)
        return result
    finally:
        if own:
            shutil.rmtree(workdir, ignore_errors=True)


def render(load: dict) -> list[str]:
    out = []
    s = load.get("serving")
    if s:
        out += ["", f"## Many doctors at once ({s['embedder']} embedder)", "",
                "`carnet serve --workers N` on 127.0.0.1; each client is one keep-alive connection asking its own "
                f"patient's questions one after the other for {s['seconds']} s (eval/load.py), and checks that "
                "every returned document belongs to that patient (the store says whose each document is).", "",
                "| workers | clients | requests | req/s | × one client | p50 ms | p95 ms | p99 ms | errors | foreign |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        one = next((r["throughput"] for r in s["workers"].get(2, s["workers"].get("2", [])) if r["clients"] == 1), None)
        for workers, rows in s["workers"].items():
            for r in rows:
                times = f"{r['throughput'] / one:.2f}" if one else ""
                out.append(f"| {workers} | {r['clients']} | {r['requests']} | {r['throughput']} | {times} | {r['p50']} | "
                           f"{r['p95']} | {r['p99']} | {r['errors']} | {r['foreign']} |")
    b = load.get("busy_ingest")
    if b:
        out += ["", "## Ingest with the other core busy", "",
                f"The same {b['files']} files ({b['chunks']} chunks, {b['embedder']}) ingested into a fresh store, "
                "quiet then with a `python -c 'while True: pass'` process started by the bench for the run.", "",
                "| run | wall s | chunks/s | extract s | embed s |", "|---|---:|---:|---:|---:|"]
        for name in ("quiet", "busy"):
            r = b[name]
            out.append(f"| {name} | {r['wall_s']} | {r['chunks_per_s']} | {r['seconds'].get('extract')} | "
                       f"{r['seconds'].get('embed')} |")
        out += ["", f"Busy / quiet throughput: {b['ratio']}."]
    rows = load.get("bad_files")
    if rows:
        out += ["", "## Crafted bad files", "",
                "Each file of `eval/bad_pdfs.py` read by the document reader process (default limits), after it "
                "started; the reader's peak resident memory while reading it.", "",
                "| file | bytes | seconds | peak RSS MB | outcome |", "|---|---:|---:|---:|---|"]
        for r in rows:
            out.append(f"| {r['file']} | {r['bytes']:,} | {r['seconds']} | {r['peak_rss_mb']} | {r['reason']} |")
    f = load.get("first_answer")
    if f:
        out += ["", "## First answer", "",
                f"Ingest of the corpus (above): {f['ingest_wall_s']} s; then `carnet serve --workers 2` answered "
                f"/healthz after {f['serve_up_s']} s and its first question after {f['first_answer_s']} s "
                f"(status {f['status']}): a `make run`-like start takes about "
                f"{round(f['ingest_wall_s'] + f['first_answer_s'])} s to the first answer."]
    d = load.get("deferred_first_answer")
    if d:
        out += ["", f"As `make run` starts (`carnet ingest --defer-embedding`, then `carnet serve --workers 2`): the "
                f"lexical ingest of {d['chunks']} chunks took {d['lexical_ingest_s']} s; the first answer came "
                f"{d['first_answer_s']} s after the start (status {d['status']}, semantic_search "
                f"{d['semantic_search']!r}); the server's background thread had embedded every chunk "
                f"{d['all_embedded_s']} s after the start ({d['pending_left']} left)."]
    return out
