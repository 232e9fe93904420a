"""A real uvicorn server on 127.0.0.1: one request's failure never breaks another request's connection."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil
import pytest
import uvicorn

from api.app import create_app
from carnet.config import Settings
from service.facade import Carnet
from ingest.pipeline import discover
from tests.auth import headers_for
from tests.pdfs import write_reports

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    settings = Settings(home=tmp / "home", embedder="hashing", ocr=False)
    Carnet(settings).ingestor.ingest(discover(write_reports(tmp / "corpus")))
    global HEADERS
    HEADERS = headers_for(settings, "dr-serving", ["PAT-A"])
    app = create_app(settings)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started
    yield app, port
    srv.should_exit = True
    thread.join(10)


HEADERS: dict = {}  # a practitioner of PAT-A's care team, set by the server fixture


def _ask(conn: http.client.HTTPConnection, question: str) -> tuple[int, dict]:
    conn.request("POST", "/v1/patients/PAT-A/ask", body=json.dumps({"question": question}),
                 headers={"content-type": "application/json", **HEADERS})
    r = conn.getresponse()
    return r.status, json.loads(r.read())


def test_a_500_keeps_the_keep_alive_connection_open(server, monkeypatch):
    app, port = server
    searcher = app.state.carnet.searcher
    real_ask = searcher.ask

    def ask(patient_id, question, **kw):
        if question == "boom":
            raise RuntimeError("a bug")  # what an unexpected failure looks like
        return real_ask(patient_id, question, **kw)

    monkeypatch.setattr(searcher, "ask", ask)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, body = _ask(conn, "boom")
    assert status == 500 and body["code"] == "internal_error"
    sock = conn.sock
    assert sock is not None  # the server did not close it (http.client drops a socket the server closed)
    status, body = _ask(conn, "dernier compte rendu de cardiologie")
    assert status == 200 and body["documents"]
    assert conn.sock is sock  # the same connection answered
    conn.close()


def test_concurrent_clients_each_get_only_their_own_patients_documents(server):
    from eval.load import measure

    app, port = server
    home = app.state.carnet.settings.home
    rows = measure(f"http://127.0.0.1:{port}", home, [6], 2, max_requests=15)  # its own token and grants
    assert rows[0]["requests"] > 0 and rows[0]["errors"] == 0 and rows[0]["foreign"] == 0


def _sockets_on(port: int, state: str) -> set[str]:
    """Inodes of the sockets on 127.0.0.1:`port` in `state` (/proc/net/tcp: 0A listen, 01 established)."""
    want = f"0100007F:{port:04X}"
    with open("/proc/net/tcp") as f:
        rows = [line.split() for line in f.readlines()[1:]]
    return {r[9] for r in rows if r[1] == want and r[3] == state}


def _held_by(pid: int, inodes: set[str]) -> int:
    held = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            held += os.readlink(f"/proc/{pid}/fd/{fd}")[8:-1] in inodes
        except OSError:
            pass
    return held


def test_carnet_serve_deals_connections_to_its_workers_in_turn_and_stops_on_sigterm(server):
    app, _ = server
    home = app.state.carnet.settings.home
    port = _free_port()
    carnet = Path(sys.executable).with_name("carnet")
    proc = subprocess.Popen([str(carnet), "serve", "--home", str(home), "--embedder", "hashing", "--port", str(port),
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    conns = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        workers = [c for c in psutil.Process(proc.pid).children()  # not multiprocessing's resource tracker
                   if "resource_tracker" not in " ".join(c.cmdline())]
        assert len(workers) == 2
        for _ in range(6):  # six doctors keep their connection open
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/healthz")
            assert conn.getresponse().read() and conn.sock is not None
            conns.append(conn)
        established = _sockets_on(port, "01")
        assert sorted(_held_by(w.pid, established) for w in workers) == [3, 3]  # dealt in turn, not by a race
        # The port is taken: a second `carnet serve` on it fails with a message instead of a traceback.
        second = subprocess.run([str(carnet), "serve", "--home", str(home), "--embedder", "hashing", "--port",
                                 str(port), "--workers", "2"], capture_output=True, text=True, timeout=120)
        assert second.returncode == 2 and "Cannot listen on 127.0.0.1" in second.stdout + second.stderr
        assert "Traceback" not in second.stdout + second.stderr
        for conn in conns:
            conn.close()
        os.kill(proc.pid, signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    assert proc.returncode == 0
    assert not _sockets_on(port, "0A")  # nothing listens any more
    assert out.decode().count("Application shutdown complete") == 2
