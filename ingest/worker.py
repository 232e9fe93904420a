"""Reading one document (PDF parsing, OCR, understanding, chunking, lab values, facts) in a worker process
that can be killed, so that no file can take the service or the batch down.

`understand_document(job, limits, scratch)` is the work itself, a pure function from bytes to an
`UnderstoodDocument`. `DocumentWorker` runs it in one child process (started once, with `spawn`, and
reused for the documents of a batch or the server's uploads) and enforces the backstops the structural
limits of ingest/limits.py cannot: wall time (the child is killed after `limits.seconds`) and memory
(the resident memory of the child and its OCR subprocesses, read every 50 ms, must stay under
`limits.memory_bytes`). A fixed RLIMIT_AS or RLIMIT_DATA bounds nothing useful here: once the facts'
clinical NLP library is loaded the child maps 2.5 GB of address space, 1.46 GB of it private writable
(VmData), for 0.5 GB resident. So the kernel's cap is relative and covers the hostile part: while the
PDF library parses a file and renders pages for OCR, the child's RLIMIT_DATA is its data size at that
moment plus `limits.memory_bytes`, so an allocation burst between two samples fails there (a
MemoryError, refused like the sampled limit) instead of taking the machine's memory; the soft limit is
lifted again for the understanding of the text it extracted (bounded by max_text_chars), and the
50 ms sampling of resident memory stays the guard for the whole document. A killed or crashed child is replaced for the next document;
the scratch folder of the document (OCR page images) is removed at once. The refusal names the limit.
One reader serves a whole process (`shared_worker`), so it starts once per batch or server.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing as mp
import os
import resource
import signal
import threading
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from carnet import codes
from carnet.errors import CarnetError, InvalidInput, UnreadableDocument
from carnet.lexicon import ANALYTES
from carnet.models import Chunk, DocMeta, ExtractedDocument
from ingest.chunk import chunk_by_sections, chunk_document, passage_text
from ingest.dedupe import fingerprint
from ingest.extract import extract_pdf_bytes
from ingest.facts import extract_facts
from ingest.lab_codes import PARENT, code_rows
from ingest.lab_analytes import KNOWN_ANALYTES
from ingest.labs import extract_lab_values
from ingest.limits import DocumentLimits
from ingest.scratch import scratch_dir
from ingest.understand import understand

log = logging.getLogger("carnet.ingest")

START_SECONDS = 120  # the child's imports
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class DocumentJob:
    source: str  # for messages: the file's path under the ingest root
    pdf_bytes: bytes = field(repr=False)
    overrides: dict | None
    document_id: str
    chunk_size: int = 900
    chunk_overlap: int = 120
    ocr: bool = True
    ocr_languages: str = "fra+eng"
    max_bytes: int = 50_000_000
    by_sections: bool = False  # a structured CDA: chunks never run across two sections (overrides carry them)
    coded_lab_values: tuple | None = None  # a structured CDA's coded lab rows: used instead of reading the text


@dataclass(frozen=True)
class UnderstoodDocument:
    meta: DocMeta
    chunks: tuple[Chunk, ...]
    passages: tuple[str, ...]  # the text each chunk is embedded from
    page_count: int
    ocr_pages: tuple[int, ...]
    ocr_confidence: float | None
    fingerprint: str
    lab_values: tuple[dict, ...]
    facts: tuple
    seconds: dict


def _data_bytes() -> int:
    """This process's private writable memory mapped (VmData), in bytes; 0 where /proc does not say."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@contextmanager
def data_limit(extra_bytes: int) -> Iterator[None]:
    """Inside the block, the kernel refuses this process (and the OCR programs it starts) more than
    `extra_bytes` of private writable memory beyond what it maps now (RLIMIT_DATA's soft limit; the hard
    limit stays, so the limit is lifted after). An allocation past it is a MemoryError; a library that
    reports it as its own error (MuPDF's "malloc failed") is turned into one."""
    now = _data_bytes()
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if not now:
        yield
        return
    cap = now + extra_bytes
    resource.setrlimit(resource.RLIMIT_DATA, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    try:
        yield
    except MemoryError:
        raise
    except Exception as e:
        if "malloc" in str(e).lower() or "out of memory" in str(e).lower():
            raise MemoryError(str(e)) from e
        raise
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


_IN_READER = False  # set in the reader child: only there does the PDF library run under data_limit


def understand_document(job: DocumentJob, limits: DocumentLimits, scratch: Path | None = None) -> UnderstoodDocument:
    """Extract, understand and chunk one PDF. Raises UnreadableDocument (limits, corrupt, empty); in the
    reader child, MemoryError when the PDF library's parsing goes past the data limit (`data_limit`)."""
    t0 = time.perf_counter()
    with data_limit(limits.memory_bytes) if _IN_READER else nullcontext():
        doc = extract_pdf_bytes(job.pdf_bytes, job.source, max_bytes=job.max_bytes, ocr=job.ocr,
                                ocr_languages=job.ocr_languages, limits=limits, scratch=scratch)
    t1 = time.perf_counter()
    meta = understand(doc, job.overrides or None)
    chunker = chunk_by_sections if job.by_sections else chunk_document
    chunks = chunker(doc, meta, job.document_id, job.chunk_size, job.chunk_overlap)
    if not chunks:
        raise UnreadableDocument(f"{job.source} has no text to index.")
    lab_values = list(job.coded_lab_values) if job.coded_lab_values is not None else _lab_values(doc, meta)
    measured = {PARENT.get(v["analyte"], v["analyte"]) for v in lab_values} & set(ANALYTES)
    if measured - set(meta.analyte_keys):
        from dataclasses import replace

        meta = replace(meta, analyte_keys=tuple(sorted(set(meta.analyte_keys) | measured)))
    facts = extract_facts(doc, meta)
    t2 = time.perf_counter()
    return UnderstoodDocument(
        meta=meta, chunks=tuple(chunks), passages=tuple(passage_text(c, meta) for c in chunks),
        page_count=len(doc.pages), ocr_pages=tuple(p.number for p in doc.pages if p.ocr),
        ocr_confidence=doc.ocr_confidence, fingerprint=fingerprint(doc.text), lab_values=tuple(lab_values),
        facts=tuple(facts), seconds={"extract": t1 - t0, "understand": t2 - t1},
    )


# --- the child process --------------------------------------------------------------------------------


def _child_main(conn, limits: DocumentLimits) -> None:
    global _IN_READER
    _IN_READER = True
    os.setpgrp()  # its OCR subprocesses share its process group: killing the group kills them too
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for var in ("OMP_NUM_THREADS", "OMP_THREAD_LIMIT", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, "1")  # one core's worth of work: the parent embeds on the other
    # The PDF library and the understanding rules were loaded with this module (a spawned child imports it
    # before it runs this function), before the first document's clock starts.
    conn.send(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if message is None:
            return
        job, scratch = message
        try:
            conn.send(("ok", understand_document(job, limits, Path(scratch))))
        except MemoryError:
            conn.send(("memory", None))
            return  # a process that ran out of memory is not trusted with the next document
        except InvalidInput as e:
            conn.send(("invalid", str(e)))
        except CarnetError as e:
            conn.send(("refused", str(e)))
        except Exception as e:  # noqa: BLE001 - a library's failure on one file
            conn.send(("error", f"{type(e).__name__}: {e}"))


# --- the parent's side --------------------------------------------------------------------------------


class DocumentWorker:
    """One child process reading documents under `limits`. Thread-safe (one document at a time);
    started on first use, replaced after a crash, a timeout or a memory refusal."""

    def __init__(self, limits: DocumentLimits):
        self.limits = limits
        self._lock = threading.Lock()
        self._proc = None
        self._conn = None
        self.last_peak_rss = 0  # bytes, the child and its subprocesses, during the last document

    def _start(self) -> None:
        ctx = mp.get_context("spawn")  # a fresh interpreter: no threads or OpenMP state copied from the parent
        parent_end, child_end = ctx.Pipe()
        proc = ctx.Process(target=_child_main, args=(child_end, self.limits), name="carnet-document-reader",
                           daemon=True)
        proc.start()
        child_end.close()
        if not parent_end.poll(START_SECONDS):
            self._kill(proc, parent_end)
            raise UnreadableDocument(f"the document reader did not start within {START_SECONDS} s.")
        try:
            kind, payload = parent_end.recv()
        except (EOFError, OSError):  # the child died while importing this module (a broken PDF library...)
            kind, payload = "broken", f"the document reader could not start (exit code {proc.exitcode})."
        if kind != "ready":
            self._kill(proc, parent_end)
            raise UnreadableDocument(payload)
        self._proc, self._conn = proc, parent_end

    @staticmethod
    def _rss(pid: int) -> int:
        import psutil

        try:
            p = psutil.Process(pid)
            total = p.memory_info().rss
            for child in p.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            return total
        except psutil.Error:
            return 0

    def _kill(self, proc=None, conn=None) -> None:
        proc = proc or self._proc
        conn = conn or self._conn
        if proc is not None and proc.pid is not None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            proc.join(5)
        if conn is not None:
            conn.close()
        self._proc = self._conn = None

    def understand(self, job: DocumentJob, home: Path) -> UnderstoodDocument:
        """Read one document in the child, its scratch files in a folder of `home`'s scratch space
        (removed afterwards, whatever happened to the child)."""
        with scratch_dir(home, "reader") as scratch:
            return self._understand(job, scratch)

    def _understand(self, job: DocumentJob, scratch: Path) -> UnderstoodDocument:
        with self._lock:
            if self._proc is None or not self._proc.is_alive():
                if self._proc is not None:
                    self._kill()
                self._start()
            pid, conn = self._proc.pid, self._conn
            conn.send((job, str(scratch)))
            deadline = time.monotonic() + self.limits.seconds
            ceiling = self.limits.memory_bytes
            peak = 0
            while not conn.poll(POLL_SECONDS):
                rss = self._rss(pid)
                peak = max(peak, rss)
                self.last_peak_rss = peak
                if rss > ceiling:
                    self._kill()
                    raise UnreadableDocument(
                        f"{job.source}: reading it took more than {self.limits.memory_bytes / 1e6:,.0f} MB of memory, "
                        "over the limit (CARNET_DOCUMENT_MEMORY_BYTES).")
                if time.monotonic() > deadline:
                    self._kill()
                    raise UnreadableDocument(f"{job.source}: not read within {self.limits.seconds:.0f} s, over the "
                                             "time limit (CARNET_DOCUMENT_SECONDS).")
                if not self._proc.is_alive():
                    break
            try:
                kind, payload = conn.recv()
            except (EOFError, OSError):
                code = self._proc.exitcode
                self._kill()
                raise UnreadableDocument(f"{job.source}: the document reader stopped while reading it (exit code "
                                         f"{code}; out of memory?).") from None
        if kind == "ok":
            return payload
        if kind == "memory":
            with self._lock:
                self._kill()
            raise UnreadableDocument(f"{job.source}: reading it took more than {self.limits.memory_bytes / 1e6:,.0f} MB "
                                     "of memory, over the limit (CARNET_DOCUMENT_MEMORY_BYTES).")
        if kind == "invalid":
            raise InvalidInput(payload)
        if kind == "refused":
            raise UnreadableDocument(payload)
        raise RuntimeError(payload)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.send(None)
                except OSError:
                    pass
                if self._proc is not None:
                    self._proc.join(2)
            self._kill()


_SHARED: dict[DocumentLimits, DocumentWorker] = {}
_SHARED_LOCK = threading.Lock()


def shared_worker(limits: DocumentLimits) -> DocumentWorker:
    """The process's document reader for these limits: every Ingestor of a process (the CLI's, the
    server's uploads, a test's) shares one child, started once; it ends with the process."""
    with _SHARED_LOCK:
        worker = _SHARED.get(limits)
        if worker is None:
            worker = _SHARED[limits] = DocumentWorker(limits)
            if len(_SHARED) == 1:
                atexit.register(_close_shared)
        return worker


def _close_shared() -> None:
    for worker in list(_SHARED.values()):
        worker.close()


def _lab_values(doc: ExtractedDocument, meta: DocMeta) -> list[dict]:
    """Structured lab values of a lab report (empty until the lab extractor exists for this type)."""
    if meta.type_code != codes.LAB:
        return []
    pages = {p.number: (p.ocr, p.ocr_confidence) for p in doc.pages}
    return code_rows([dict(v) for v in extract_lab_values(doc)], pages, KNOWN_ANALYTES | set(PARENT))
