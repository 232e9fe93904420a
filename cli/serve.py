"""`carnet serve --workers N`: N uvicorn worker processes, and connections dealt to them in turn.

uvicorn's own `workers=N` shares one listening socket between the processes: whichever worker wakes
first accepts a whole burst of connections, and since a client keeps its keep-alive connection, one
worker ended up with most of the doctors (py-spy under 50 clients: one worker at 71 % of a core, the
other at 30 %; 32 and 18 of 50 connections counted in /proc). One SO_REUSEPORT socket per worker was
measured too: the kernel hashes each connection to a socket, which is random, not even (20 and 30).

Here the supervisor process listens, accepts each connection and hands it (its file descriptor, over a
Unix socket pair, SCM_RIGHTS) to the next worker in turn, as Node's cluster module does: N connections
are split N/workers each, whatever their ports. The cost is one accept and one sendmsg per connection
in the supervisor (not per request: a client keeps its connection). The supervisor restarts a worker
that dies after it started serving, stops everything on SIGINT / SIGTERM (each worker finishes its
requests: uvicorn's graceful shutdown) and stops if a worker could not start at all (it would repeat).
"""

from __future__ import annotations

import asyncio
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


def listen_socket(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """The supervisor's listening socket on (host, port); OSError if the address is in use."""
    sock = socket.socket(_family(host))
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    return sock


def _handed_server(config: Any, channel: socket.socket) -> Any:  # in the worker process
    import uvicorn

    class HandedServer(uvicorn.Server):
        """A uvicorn server without a listening socket of its own: it serves the connections whose file
        descriptors arrive on `channel` (the supervisor's hand-off)."""

        async def startup(self, sockets: list | None = None) -> None:
            await super().startup(sockets=[])  # the app's lifespan; no listener
            loop = asyncio.get_running_loop()
            channel.setblocking(False)
            loop.add_reader(channel.fileno(), self._receive, loop)

        def _protocol(self, loop: asyncio.AbstractEventLoop) -> asyncio.Protocol:
            return self.config.http_protocol_class(config=self.config, server_state=self.server_state,
                                                   app_state=self.lifespan.state, _loop=loop)

        def _receive(self, loop: asyncio.AbstractEventLoop) -> None:
            try:
                message, fds, _, _ = socket.recv_fds(channel, 64, 64)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                message, fds = b"", []
            if not message and not fds:  # the supervisor is gone: serve what is open, take nothing new
                loop.remove_reader(channel.fileno())
                self.should_exit = True
                return
            for fd in fds:
                conn = socket.socket(fileno=fd)
                if self.should_exit:
                    conn.close()
                    continue
                conn.setblocking(False)
                loop.create_task(loop.connect_accepted_socket(lambda: self._protocol(loop), conn))

        async def shutdown(self, sockets: list | None = None) -> None:
            try:
                asyncio.get_running_loop().remove_reader(channel.fileno())
            except (ValueError, OSError):
                pass
            await super().shutdown(sockets)

    return HandedServer(config)


def _worker(channel: socket.socket, options: dict[str, Any]) -> None:  # runs in the worker process
    import uvicorn

    server = _handed_server(uvicorn.Config(APP, factory=True, **options), channel)
    try:
        server.run()
    except Exception:
        if server.started:
            raise
        log.exception("Worker process [%s] could not start", os.getpid())
        raise SystemExit(STARTUP_FAILURE)
    if not server.started:  # the app's lifespan failed (uvicorn logged why)
        raise SystemExit(STARTUP_FAILURE)


class Supervisor:
    """N worker processes behind one listening socket; `run` returns when they are all stopped."""

    def __init__(self, workers: int, listener: socket.socket, **options: Any):
        import uvicorn

        uvicorn.Config(APP, log_level=options.get("log_level"))  # the parent's logging, as uvicorn.run sets it
        self.workers, self.listener, self.options = workers, listener, options
        self.context = multiprocessing.get_context("spawn")  # a fresh interpreter: no state of the CLI's
        self.slots: list[tuple[multiprocessing.process.BaseProcess, socket.socket]] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.failed = False
        self.handed = 0  # connections handed out so far (the next goes to slot handed % workers)

    def _start(self) -> tuple[multiprocessing.process.BaseProcess, socket.socket]:
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        p = self.context.Process(target=_worker, args=(theirs, self.options), daemon=False)
        p.start()
        theirs.close()  # the child has its own copy
        log.info("Started worker process [%s]", p.pid)
        return p, mine

    def stop(self, *_: Any) -> None:
        self.stopping.set()

    def _hand(self, conn: socket.socket) -> None:
        """Give the connection to the next worker in turn (the one after it if that one is gone)."""
        with self.lock:
            for _ in range(len(self.slots)):
                _, channel = self.slots[self.handed % len(self.slots)]
                self.handed += 1
                try:
                    socket.send_fds(channel, [b"c"], [conn.fileno()])
                    return
                except OSError:
                    continue
        log.warning("No worker could take a connection: closed")

    def _accept(self) -> None:
        self.listener.settimeout(0.5)
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except (TimeoutError, socket.timeout, InterruptedError):
                continue
            except OSError:
                if self.stopping.is_set():
                    return
                raise
            try:
                self._hand(conn)
            finally:
                conn.close()  # the worker holds its own descriptor of it

    def run(self) -> int:
        """Serve until SIGINT/SIGTERM; 0, or 1 if a worker failed to start."""
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        acceptor = threading.Thread(target=self._accept, name="carnet-accept", daemon=True)
        try:
            host, port = self.listener.getsockname()[:2]
            log.info("Carnet running on http://%s:%s with %s workers (Press CTRL+C to quit); parent process [%s]",
                     f"[{host}]" if ":" in host else host, port, self.workers, os.getpid())
            with self.lock:
                self.slots = [self._start() for _ in range(self.workers)]
            acceptor.start()
            while not self.stopping.wait(0.5):
                self._keep_alive()
        finally:
            self.stopping.set()
            if acceptor.is_alive():
                acceptor.join(5)
            self.listener.close()  # new connections are refused from now on
            for p, _ in self.slots:
                if p.is_alive():
                    os.kill(p.pid, signal.SIGTERM)
            for p, channel in self.slots:
                p.join(STOP_SECONDS)
                if p.is_alive():
                    log.warning("Worker process [%s] did not stop within %s s: killed", p.pid, STOP_SECONDS)
                    p.kill()
                    p.join()
                channel.close()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            log.info("Stopping parent process [%s]", os.getpid())
        return 1 if self.failed else 0

    def _keep_alive(self) -> None:
        for i, (p, channel) in enumerate(list(self.slots)):
            if p.is_alive() or self.stopping.is_set():
                continue
            p.join()
            if p.exitcode == STARTUP_FAILURE:  # the app or the store is broken: a new worker would fail alike
                log.error("Worker process [%s] failed to start; stopping.", p.pid)
                self.failed = True
                self.stopping.set()
                return
            if p.exitcode == 0:  # stopped by a signal of its own (Ctrl-C reaches the whole process group)
                log.info("Worker process [%s] stopped; stopping.", p.pid)
                self.stopping.set()
                return
            log.warning("Worker process [%s] died (exit code %s); starting another.", p.pid, p.exitcode)
            replacement = self._start()
            with self.lock:
                self.slots[i] = replacement
            channel.close()
