"""A real uvicorn server on 127.0.0.1: one request's failure never breaks another request's connection."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time

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


def _listening_sockets(port: int) -> int:
    """How many sockets listen on 127.0.0.1:`port` (/proc/net/tcp: local address, state 0A = LISTEN)."""
    want = f"0100007F:{port:04X}"
    with open("/proc/net/tcp") as f:
        return sum(1 for line in f.readlines()[1:] if line.split()[1] == want and line.split()[3] == "0A")


def test_carnet_serve_workers_each_listen_on_their_own_socket_and_stop_on_sigterm(server):
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    import httpx

    app, _ = server
    home = app.state.carnet.settings.home
    port = _free_port()
    carnet = Path(sys.executable).with_name("carnet")
    proc = subprocess.Popen([str(carnet), "serve", "--home", str(home), "--embedder", "hashing", "--port", str(port),
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while _listening_sockets(port) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
        assert _listening_sockets(port) == 2  # one socket per worker: the kernel spreads connections (SO_REUSEPORT)
        for _ in range(6):  # new connections, each answered by whichever worker the kernel picked
            assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=30).status_code == 200
        # The port is taken: a second `carnet serve` on it fails with a message instead of sharing it.
        second = subprocess.run([str(carnet), "serve", "--home", str(home), "--embedder", "hashing", "--port",
                                 str(port), "--workers", "2"], capture_output=True, text=True, timeout=120)
        assert second.returncode == 2 and "Cannot listen on 127.0.0.1" in second.stdout + second.stderr
        assert "Traceback" not in second.stdout + second.stderr
        os.kill(proc.pid, signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    assert proc.returncode == 0
    assert _listening_sockets(port) == 0
    assert out.decode().count("Application startup complete") == 2
