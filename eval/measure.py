"""What the benchmarks measure and how: the machine, an ingest's throughput, a run of timed questions,
percentiles, resident memory (eval/bench.py, eval/bench_load.py, eval/bench_postgres.py)."""

from __future__ import annotations

import os
import platform
import resource
import shutil
import time
from datetime import date
from pathlib import Path

import psutil

from carnet.config import Settings
from eval.runner import percentile
from ingest.pipeline import discover
from service.facade import Carnet


def machine_info() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def bench_ingest(corpus: Path, embedder: str, home: Path, *, ocr: bool = True) -> dict:
    """Ingest `corpus` into a fresh store at `home` with `embedder` (all cores: the ingest setting)."""
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


def _rss_mb() -> float:
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
