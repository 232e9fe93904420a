"""`carnet serve --workers N`: N uvicorn worker processes, each listening on its own socket.

uvicorn's own `workers=N` shares one listening socket between the processes: whichever worker wakes
first accepts a whole burst of connections, and since a client keeps its keep-alive connection, one
worker ended up with most of the doctors (py-spy under 50 clients: one worker at 71 % of a core, the
other at 30 %). Here each worker binds its own socket to the same address with SO_REUSEPORT, and the
kernel hashes each new connection to one of them, evenly.

SO_REUSEPORT would also let a second `carnet serve` join the port silently (and answer some of the
first one's doctors from its own store): the supervisor first binds the address without it, so a port
that is already in use fails as it always did. The supervisor restarts a worker that dies after it
started serving, stops everything on SIGINT / SIGTERM (each worker finishes its requests: uvicorn's
graceful shutdown) and stops if a worker could not start at all (the same error would repeat).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import threading
from typing import Any

log = logging.getLogger("uvicorn.error")

APP = "api.app:create_app_from_environment"
STOP_SECONDS = 30  # how long a stopping worker may take to finish its requests before it is killed
STARTUP_FAILURE = 3  # uvicorn's exit code for a worker whose startup failed (config.STARTUP_FAILURE)


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def check_address(host: str, port: int) -> int:
    """Bind (host, port) once without SO_REUSEPORT: OSError if something already listens there (another
    `carnet serve` included); returns the port (the one the system chose when `port` is 0)."""
    with socket.socket(_family(host)) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host.strip("[]"), port))
        return probe.getsockname()[1]


def reuseport_socket(host: str, port: int) -> socket.socket:
    """A socket bound to (host, port) with SO_REUSEPORT, not yet listening (uvicorn calls listen)."""
    sock = socket.socket(_family(host))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host.strip("[]"), port))
    sock.set_inheritable(True)
    return sock


def _worker(host: str, port: int, options: dict[str, Any]) -> None:  # runs in the worker process
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(APP, factory=True, host=host, port=port, **options))
    try:
        server.run(sockets=[reuseport_socket(host, port)])
    except Exception:
        if server.started:
            raise
        log.exception("Worker process [%s] could not start", os.getpid())
        raise SystemExit(STARTUP_FAILURE)
    if not server.started:  # the app's lifespan failed (uvicorn logged why)
        raise SystemExit(STARTUP_FAILURE)


class Supervisor:
    """N worker processes on one address; `run` returns when they are all stopped."""

    def __init__(self, workers: int, host: str, port: int, **options: Any):
        import uvicorn

        uvicorn.Config(APP, log_level=options.get("log_level"))  # configures the parent's logging as uvicorn.run does
        self.workers, self.host, self.port, self.options = workers, host, port, options
        self.context = multiprocessing.get_context("spawn")  # a fresh interpreter: no state of the CLI's
        self.processes: list[multiprocessing.process.BaseProcess] = []
        self.stopping = threading.Event()
        self.failed = False

    def _start(self) -> multiprocessing.process.BaseProcess:
        p = self.context.Process(target=_worker, args=(self.host, self.port, self.options), daemon=False)
        p.start()
        log.info("Started worker process [%s] on port %s (SO_REUSEPORT)", p.pid, self.port)
        return p

    def stop(self, *_: Any) -> None:
        self.stopping.set()

    def run(self) -> int:
        """Serve until SIGINT/SIGTERM; 0, or 1 if a worker failed to start."""
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            log.info("Started parent process [%s]", os.getpid())
            self.processes = [self._start() for _ in range(self.workers)]
            while not self.stopping.wait(0.5):
                self._keep_alive()
        finally:
            for p in self.processes:
                if p.is_alive():
                    os.kill(p.pid, signal.SIGTERM)
            for p in self.processes:
                p.join(STOP_SECONDS)
                if p.is_alive():
                    log.warning("Worker process [%s] did not stop within %s s: killed", p.pid, STOP_SECONDS)
                    p.kill()
                    p.join()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            log.info("Stopping parent process [%s]", os.getpid())
        return 1 if self.failed else 0

    def _keep_alive(self) -> None:
        for i, p in enumerate(self.processes):
            if p.is_alive() or self.stopping.is_set():
                continue
            p.join()
            if p.exitcode == STARTUP_FAILURE:  # the app, the store or the socket is broken: it would repeat
                log.error("Worker process [%s] failed to start; stopping.", p.pid)
                self.failed = True
                self.stopping.set()
                return
            if p.exitcode == 0:  # stopped by a signal of its own (Ctrl-C reaches the whole process group)
                log.info("Worker process [%s] stopped; stopping.", p.pid)
                self.stopping.set()
                return
            log.warning("Worker process [%s] died (exit code %s); starting another.", p.pid, p.exitcode)
            self.processes[i] = self._start()
