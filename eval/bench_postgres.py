"""PostgreSQL rows beside SQLite's: ask p50/p95 at 1k, 10k and 100k synthetic patients, the rate at which
rows are written, the server's memory and the database's size.

    python -m eval.bench_postgres --seed-home H [--sizes 1000,10000,100000] [--samples 200]

H is a store of the samples ingested with the hashing embedder (carnet ingest data/samples --home H
--embedder hashing). Each size is built as `make bench` builds its SQLite stores (eval/bench.py's
build_scaled_store: synthetic patients around the samples' real ones), copied into a fresh database of an
embedded PostgreSQL by `carnet db migrate`'s code (the write rate: chunks per second, vectors and stems
included), then the samples' labelled questions are asked through the service with CARNET_DATABASE_URL
set, after a warm-up round. Prints a Markdown table (and JSON with --json).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import psutil
import psycopg

from carnet.config import Settings
from eval.bench import _pcts, _time_questions, build_scaled_store
from eval.runner import read_queries
from index.postgres import embedded
from index.postgres.migrate import migrate
from service.facade import Carnet

ROOT = Path(__file__).resolve().parents[1]


def _server_rss_mb(directory: Path) -> float:
    """RSS of the server's processes (the postmaster and its backends)."""
    pid = embedded.server_pid(directory)
    if pid is None:
        return 0.0
    main = psutil.Process(pid)
    return round(sum(p.memory_info().rss for p in [main, *main.children(recursive=True)]) / 2**20, 1)


def measure(seed_home: Path, sizes: list[int], samples: int, workdir: Path, today: date,
            questions: list[dict] | None = None) -> list[dict]:
    """Rows per size; `questions` ({"patient", "query"}) default to the samples' labelled questions."""
    server_dir = workdir / "pg"
    admin = embedded.start(server_dir)
    questions = questions if questions is not None else read_queries(ROOT / "eval" / "queries" / "samples.jsonl")
    dim = json.loads((seed_home / "manifest.json").read_text())["dim"]
    rows = []
    try:
        for n in sizes:
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
                         "write_chunks_per_s": round(counts["chunks"][1] / write_s),
                         "ask_ms": _pcts(times), "server_rss_mb": _server_rss_mb(server_dir),
                         "database_mb": round(size_mb, 1), "sqlite_mb": round(built["db_gb"] * 1000, 1)})
            shutil.rmtree(home, ignore_errors=True)
    finally:
        embedded.stop(server_dir)
    return rows


def render(rows: list[dict]) -> str:
    lines = ["| patients | chunks | ask p50 ms | ask p95 ms | write (chunks/s) | server RSS MB | database MB | SQLite file MB |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['patients']:,} | {r['chunks']:,} | {r['ask_ms']['p50']:.1f} | {r['ask_ms']['p95']:.1f} | "
                     f"{r['write_chunks_per_s']:,} | {r['server_rss_mb']} | {r['database_mb']} | {r['sqlite_mb']} |")
    return "\n".join(lines)


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
    rows = measure(args.seed_home, [int(s) for s in args.sizes.split(",")], args.samples, workdir,
                   date.fromisoformat(args.today))
    print(render(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return rows


if __name__ == "__main__":
    main()
