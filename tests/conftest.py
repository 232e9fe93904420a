"""Shared fixtures. Unit tests get a tmp store, the hashing embedder and no network."""

from __future__ import annotations

import socket

import pytest


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

    # Documents are read in-process in unit tests (no worker process to start per test); tests/*/test_limits*
    # check the worker itself.
    return Settings(home=tmp_path / "home", embedder="hashing", ocr=False, isolate_documents=False)


@pytest.fixture
def carnet(settings):
    from carnet.service import Carnet

    return Carnet(settings)
