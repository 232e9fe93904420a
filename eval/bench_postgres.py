"""PostgreSQL rows beside SQLite's: ask p50/p95 at 1k, 10k and 100k synthetic patients, the rate at which
rows are written, the server's memory and the database's size.

    python -m eval.bench_postgres --seed-home H [--sizes 1000,10000,100000] [--samples 200]

H is a store of the samples ingested with the hashing embedder (carnet ingest data/samples --home H
--embedder hashing). Each size is built as `make bench` builds its SQLite stores (eval/bench.py's
build_scaled_store: synthetic patients around the samples' real ones), copied into a fresh database of an
embedded PostgreSQL by `carnet db migrate`'s code (the write rate: chunks per second, vectors and stems
included), then the samples' labelled questions are asked through the service with CARNET_DATABASE_URL
set, after a warm-up round. Prints a Markdown table, a row as soon as its size is measured (and JSON with
--json). Each row carries the 1-minute load average before and after it: the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Callable

import psutil
import psycopg

from carnet.config import Settings
from eval.bench import _pcts, _time_questions, build_scaled_store
from eval.runner import read_queries
from index.postgres import embedded
from index.postgres.migrate import migrate
from service.facade import Carnet

ROOT = Path(__file__).resolve().parents[1]


def _server_mb(directory: Path) -> float:
    """Memory of the server's processes (the postmaster and its backends): the sum of their PSS, in which
    each shared page (shared_buffers) counts once over all processes, not once per process as in RSS."""
    pid = embedded.server_pid(directory)
    if pid is None:
        return 0.0
    main = psutil.Process(pid)
    total = 0
    for p in [main, *main.children(recursive=True)]:
        try:
            total += p.memory_full_info().pss
        except (psutil.NoSuchProcess, AttributeError):  # a backend that ended; no PSS outside Linux
            continue
    return round(total / 2**20, 1)


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _progress(row: dict) -> None:
    print(f"PostgreSQL {row['patients']:,} patients: ask p50 {row['ask_ms']['p50']:.1f} ms, p95 "
          f"{row['ask_ms']['p95']:.1f} ms, write {row['write_chunks_per_s']:,} chunks/s", file=sys.stderr, flush=True)


def measure(seed_home: Path, sizes: list[int], samples: int, workdir: Path, today: date,
            questions: list[dict] | None = None, on_row: Callable[[dict], None] = _progress) -> list[dict]:
    """Rows per size, each passed to `on_row` as soon as it is measured; `questions` ({"patient", "query"})
    default to the samples' labelled questions."""
    server_dir = workdir / "pg"
    admin = embedded.start(server_dir)
    questions = questions if questions is not None else read_queries(ROOT / "eval" / "queries" / "samples.jsonl")
    dim = json.loads((seed_home / "manifest.json").read_text())["dim"]
    rows = []
    try:
        for n in sizes:
            load_before = _load()
            home = workdir / f"store-{n}"
            built = build_scaled_store(home, seed_home, n, chunks_per_patient=10, docs_per_patient=4,
                                       words_per_chunk=80, dim=dim)
            name = f"bench_{n}"
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
            url = embedded.with_database(admin, name)
            t0 = time.perf_counter()
            counts = migrate(home, url)
            write_s = time.perf_counter() - t0
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
                size_mb = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 2**20
            carnet = Carnet(Settings(home=home, embedder="hashing", database_url=url, summary_mode="none"))
            _time_questions(carnet.searcher, questions, len(questions), today)  # warm-up
            times, _ = _time_questions(carnet.searcher, questions, samples, today)
            carnet.store.close()
            rows.append({"patients": built["patients"], "chunks": counts["chunks"][1],
                         "write_chunks_per_s": round(counts["chunks"][1] / write_s), "write_s": round(write_s, 1),
                         "ask_ms": _pcts(times), "server_mb": _server_mb(server_dir),
                         "database_mb": round(size_mb, 1), "sqlite_mb": round(built["db_gb"] * 1000, 1),
                         "load_before": load_before, "load_after": _load()})
            on_row(rows[-1])
            shutil.rmtree(home, ignore_errors=True)
            with psycopg.connect(admin, autocommit=True) as conn:  # the next size's disk
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        embedded.stop(server_dir)
    return rows


HEADER = ("| patients | chunks | ask p50 ms | ask p95 ms | write (chunks/s) | server PSS MB | database MB | "
          "SQLite file MB | load avg before/after |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|")


def render_row(r: dict) -> str:
    return (f"| {r['patients']:,} | {r['chunks']:,} | {r['ask_ms']['p50']:.1f} | {r['ask_ms']['p95']:.1f} | "
            f"{r['write_chunks_per_s']:,} | {r['server_mb']} | {r['database_mb']} | {r['sqlite_mb']} | "
            f"{r['load_before']} / {r['load_after']} |")


def render(rows: list[dict]) -> str:
    return "\n".join([HEADER, *(render_row(r) for r in rows)])


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(prog="python -m eval.bench_postgres", description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed-home", type=Path, required=True, help="The samples ingested with --embedder hashing.")
    ap.add_argument("--sizes", default="1000,10000,100000", help="Synthetic patients per database.")
    ap.add_argument("--samples", type=int, default=200, help="Timed questions per size.")
    ap.add_argument("--today", default="2026-11-27", help="Reference date of the questions.")
    ap.add_argument("--workdir", type=Path, default=None, help="Where stores and the server live (default: tmp).")
    ap.add_argument("--json", type=Path, default=None, help="Write the rows as JSON here too.")
    args = ap.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="carnet-bench-pg-"))
    print(HEADER, flush=True)
    rows = measure(args.seed_home, [int(s) for s in args.sizes.split(",")], args.samples, workdir,
                   date.fromisoformat(args.today), on_row=lambda r: print(render_row(r), flush=True))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return rows


if __name__ == "__main__":
    main()
