"""Many doctors at once: concurrent clients against a real `carnet serve` on 127.0.0.1.

    python -m eval.load --home H --clients 1,10,50 --seconds 30 --workers 2

Each client is one doctor with one keep-alive connection, asking questions about *its own* patient
(clients are spread over the store's patients) one after the other, for a fixed time and at most a
fixed number of requests. Every answer is checked: status 200, and every returned document (results
and alternatives) belongs to the client's patient according to the store itself (a "foreign" answer
would be another patient's document). Reports throughput and p50/p95/p99 per number of clients.
The server is started by this module (`carnet serve --workers N`) and stopped at the end; a busy loop
on one core can be started alongside (`--busy`) to measure a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from carnet.config import Settings
from index.sqlite import SQLiteStore as Store
from service.access import AccessControl
from service.auth import LocalIssuer

QUESTIONS = ("dernier compte rendu de cardiologie", "dernière HbA1c", "derniers examens biologiques",
             "imagerie depuis janvier 2024", "ordonnances de l'an dernier", "latest echo", "documents sur le diabète",
             "dernier scanner thoracique", "courrier de sortie", "bilan lipidique", "tension artérielle",
             "last discharge summary")


def _pcts(values: list[float]) -> dict:
    if not values:
        return {"p50": None, "p95": None, "p99": None}
    v = sorted(values)
    pick = lambda q: round(v[min(len(v) - 1, int(q * len(v)))] * 1000, 1)  # noqa: E731 - ms
    return {"p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99)}


def store_owners(home: Path) -> tuple[dict[str, str], list[str]]:
    """document id -> patient id, and the patients with documents, read through the store."""
    store = Store(home)
    try:
        owners = {d.id: patient.id for patient in store.iter_patients() for d in store.documents(patient.id)}
    finally:
        store.close()
    return owners, sorted(set(owners.values()))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(home: Path, *, workers: int, embedder: str, port: int | None = None,
                   env: dict | None = None, log: Path | None = None) -> Iterator[str]:
    """`carnet serve` in a subprocess until the block ends; yields its base URL once /healthz answers."""
    import httpx

    port = port or free_port()
    carnet = Path(sys.executable).with_name("carnet")
    cmd = [str(carnet), "serve", "--home", str(home), "--embedder", embedder, "--port", str(port),
           "--workers", str(workers)]
    out = open(log, "wb") if log else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"carnet serve exited with code {proc.returncode} (log: {log})")
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("carnet serve did not answer /healthz within 180 s")
            time.sleep(0.5)
        yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        if log:
            out.close()


@contextmanager
def busy_core() -> Iterator[None]:
    """One core kept busy by a spinning process (like `yes > /dev/null`) until the block ends."""
    proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)
        yield
    finally:
        proc.kill()
        proc.wait(10)


async def _doctor(url: str, patient: str, questions: list[str], owners: dict[str, str], stop_at: float,
                  max_requests: int, out: dict, headers: dict) -> None:
    import httpx

    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30, headers=headers) as client:
        n = 0
        while time.monotonic() < stop_at and n < max_requests:
            question = questions[n % len(questions)]
            n += 1
            t0 = time.perf_counter()
            try:
                r = await client.post(f"/v1/patients/{patient}/ask", json={"question": question})
            except httpx.HTTPError as e:
                out["errors"].append(f"{type(e).__name__}")
                continue
            out["latencies"].append(time.perf_counter() - t0)
            if r.status_code != 200:
                out["errors"].append(str(r.status_code))
                continue
            body = r.json()
            docs = body.get("documents", []) + body.get("alternatives", [])
            if body.get("patient") != patient or any(owners.get(d["id"]) != patient for d in docs):
                out["foreign"] += 1


async def _level(url: str, clients: int, seconds: float, patients: list[str], owners: dict[str, str],
                 questions: list[str], max_requests: int, headers: dict) -> dict:
    out = {"latencies": [], "errors": [], "foreign": 0}
    start = time.monotonic()
    stop_at = start + seconds
    await asyncio.gather(*(
        _doctor(url, patients[i % len(patients)], questions[i % len(questions):] + questions[:i % len(questions)],
                owners, stop_at, max_requests, out, headers)
        for i in range(clients)))
    wall = time.monotonic() - start
    n = len(out["latencies"])
    return {"clients": clients, "seconds": round(wall, 1), "requests": n, "throughput": round(n / wall, 1),
            "errors": len(out["errors"]), "error_kinds": sorted(set(out["errors"]))[:5], "foreign": out["foreign"],
            **_pcts(out["latencies"])}


def bench_headers(home: Path, patients: list[str]) -> dict:
    """Bearer headers of a "bench-load" practitioner granted `patients` in the store at `home` (a grant
    written into that store), with a token from the store's own key."""

    settings = Settings(home=home)
    control = AccessControl(Store(home), settings)
    for patient in patients:
        control.grant("bench-load", patient)
    token = LocalIssuer(home).issue("bench-load", "practitioner", audience=settings.auth_audience)
    return {"Authorization": f"Bearer {token}"}


def measure(url: str, home: Path, levels: list[int], seconds: float, *, max_requests: int = 5000,
            questions: list[str] | None = None, headers: dict | None = None) -> list[dict]:
    owners, patients = store_owners(home)
    if not patients:
        raise SystemExit(f"The store at {home} holds no patient.")
    headers = headers if headers is not None else bench_headers(home, patients)
    results = []
    for clients in levels:
        asyncio.run(_level(url, min(clients, 2), 2, patients, owners, list(questions or QUESTIONS), 20,
                           headers or {}))  # warm-up: models, vector files, SQLite caches
        results.append(asyncio.run(_level(url, clients, seconds, patients, owners, list(questions or QUESTIONS),
                                          max_requests, headers or {})))
        print(f"  {clients:>3} clients: {results[-1]['throughput']} req/s, p50 {results[-1]['p50']} ms, "
              f"p99 {results[-1]['p99']} ms, errors {results[-1]['errors']}, foreign {results[-1]['foreign']}",
              file=sys.stderr, flush=True)
    return results


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", type=Path, required=True, help="An ingested store.")
    ap.add_argument("--embedder", default="hashing")
    ap.add_argument("--clients", default="1,10,50")
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--busy", action="store_true", help="Keep one core busy during the measurement.")
    ap.add_argument("--token", default=os.environ.get("CARNET_TOKEN"), help="Bearer token, if the server asks one.")
    args = ap.parse_args(argv)
    headers = {"Authorization": f"Bearer {args.token}"} if args.token else None  # None: a bench token
    levels = [int(x) for x in args.clients.split(",")]
    with running_server(args.home, workers=args.workers, embedder=args.embedder) as url:
        if args.busy:
            with busy_core():
                results = measure(url, args.home, levels, args.seconds, headers=headers)
        else:
            results = measure(url, args.home, levels, args.seconds, headers=headers)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
