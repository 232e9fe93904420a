"""Shared fixtures. Unit tests get a tmp store, the hashing embedder and no network."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests import pg_server

TESTS = Path(__file__).parent
# Markers by folder: a test gets its folder's markers (a file may add more, e.g. `slow`, `llm`). The
# contract suites (tests/contract/) run fast and real implementations side by side: each parameter carries
# its own markers there (tests/contract/conftest.py).
FOLDER_MARKERS = {"unit": ("unit",), "integration": ("integration",), "browser": ("browser",),
                  "postgres": ("postgres", "integration")}


def pytest_sessionfinish(session, exitstatus):
    pg_server.stop()  # the embedded PostgreSQL, if a test started it


def pytest_collection_modifyitems(config, items):
    for item in items:
        try:
            folder = Path(str(item.path)).relative_to(TESTS).parts[0]
        except ValueError:
            continue
        for name in FOLDER_MARKERS.get(folder, ()):
            if item.get_closest_marker(name) is None:
                item.add_marker(name)


@pytest.fixture(autouse=True)
def _no_network(request, monkeypatch):
    """Fail any outbound connection from unit tests (loopback stays allowed for test servers)."""
    if request.node.get_closest_marker("unit") is None:
        return
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")):
            raise RuntimeError(f"unit tests must not reach the network (tried {address!r})")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def settings(tmp_path):
    from carnet.config import Settings
    from tests.auth import TEST_SERVER_NAMES

    # Documents are read in-process in unit tests (no worker process to start per test); tests/*/test_limits*
    # check the worker itself.
    return Settings(home=tmp_path / "home", embedder="hashing", ocr=False, isolate_documents=False,
                    server_names=TEST_SERVER_NAMES)


@pytest.fixture
def carnet(settings):
    from service.facade import Carnet

    return Carnet(settings)


@pytest.fixture
def auth_headers(settings):
    """`auth_headers("dr-a", ["P0001"])`: the headers of practitioner dr-a, granted P0001 in the `settings`
    store (`role="administrator"`, `break_glass="reason"` as needed). Every data route needs them."""
    from tests.auth import headers_for

    def make(practitioner: str = "dr-test", patients=(), **kw) -> dict[str, str]:
        return headers_for(settings, practitioner, patients, **kw)

    return make


@pytest.fixture
def granted_client(settings, auth_headers):
    """`granted_client(["P0001"])`: a TestClient of `create_app(settings)` that signs every request as a
    practitioner granted those patients (`practitioner=`, `role=` as in auth_headers)."""
    from contextlib import ExitStack

    from fastapi.testclient import TestClient

    from api.app import create_app

    with ExitStack() as stack:
        def make(patients=(), practitioner: str = "dr-test", **kw) -> TestClient:
            headers = auth_headers(practitioner, patients, **kw)
            return stack.enter_context(TestClient(create_app(settings), headers=headers))

        yield make
