"""Embedding after the text: the vectors of chunks stored without them (lexical first; the store lists them:
`Store.pending_chunks`, `Store.set_vectors` in index/protocol.py).

A document is answerable by its type, date and words as soon as it is stored; its chunks are embedded
here afterwards, in small batches, by `carnet ingest` once its files are committed or by a thread of
`carnet serve`. Each batch is read, embedded and written under an exclusive lock on `<home>/embedding.lock`
(flock: released by the kernel when a process dies), so that two processes (the server's workers, an
ingest next to a server) never embed the same chunks twice; a batch is written in one transaction, so a
crash loses at most the batch in flight, whose chunks stay pending for the next run.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from index.embedders import Embedder
from index.protocol import Store
from index.vectors import VectorIndex

log = logging.getLogger("carnet.embedding")

# Chunks per batch. Small: a question asked while the server embeds waits for the batch in flight (the
# engine is not re-entrant); 16 e5 passages take about a second on one core.
BATCH = 16
POLL_SECONDS = 5.0  # how often a server process looks for chunks another process stored


@contextmanager
def embedding_lock(home: Path, wait: bool = True) -> Iterator[bool]:
    """The store's embedding lock; yields False at once when `wait` is False and another process holds it."""
    Path(home).mkdir(parents=True, exist_ok=True)
    with open(Path(home) / "embedding.lock", "a+b") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def embed_batch(store: Store, vectors: VectorIndex, embedder: Embedder, batch: int = BATCH,
                wait: bool = True, patient_num: int | None = None) -> int:
    """Embed and write one batch of pending chunks (of one patient, or any), then rebuild the vector files of
    their patients. Returns how many got vectors (0: nothing pending, or the lock was busy and `wait` is False)."""
    with embedding_lock(store.home, wait) as held:
        if not held:
            return 0
        pending = store.pending_chunks(batch, patient_num)
        if not pending:
            return 0
        passages = embedder.embed_passages([text for _, text in pending])
        versions = store.set_vectors({chunk_id: v for (chunk_id, _), v in zip(pending, passages)})
    # Outside the lock: a file rebuilt from SQLite at its version, published by rename (index/vectors.py).
    for num, version in versions.items():
        vectors.rebuild(num, version)
    return len(pending)


def embed_pending(store: Store, vectors: VectorIndex, embedder: Embedder, batch: int = BATCH,
                  progress: Callable[[int], None] | None = None, patient_num: int | None = None) -> int:
    """Embed every pending chunk (of one patient, or of the store: also those a crashed run left), batch by
    batch. Returns how many."""
    done = 0
    while n := embed_batch(store, vectors, embedder, batch, patient_num=patient_num):
        done += n
        if progress:
            progress(n)
    return done


class BackgroundEmbedder:
    """A daemon thread of the server that embeds pending chunks: woken by an upload (`wake`), and every
    POLL_SECONDS for chunks another process stored. A failing batch is logged and retried at the next poll."""

    def __init__(self, store: Store, vectors: VectorIndex, embedder: Embedder, batch: int = BATCH,
                 poll_seconds: float = POLL_SECONDS):
        self.store, self.vectors, self.embedder = store, vectors, embedder
        self.batch, self.poll_seconds = batch, poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="carnet-embedding", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                # another process holding the lock embeds them: look again at the next poll
                while not self._stop.is_set() and embed_batch(self.store, self.vectors, self.embedder,
                                                              self.batch, wait=False):
                    pass
            except Exception:  # a model or disk failure must not end the thread: the chunks stay pending
                log.exception("background embedding failed; the chunks stay pending and are retried")
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
