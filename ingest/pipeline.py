"""The ingestion pipeline: files -> extract -> understand -> chunk -> store, one document at a time, then embed.

A batch skips a bad file, says why and carries on. Each document is committed in one transaction, so a
crash loses at most the document in flight, and re-running the same command picks up where it stopped
(documents already stored are recognised by their content hash and reported as unchanged).
Lexical first: documents are stored without their vectors, so that they answer questions by type, date
and words while the batch goes on; their chunks are embedded once every file is stored (index/pending.py),
or later by the server when embedding is deferred. Chunks a crashed run left without vectors are embedded
by the next run.
Logs carry ids, sources and reasons, never document text.
"""

from __future__ import annotations

import hashlib
import json
import logging
import stat
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from carnet.errors import CarnetError, InvalidInput, UnreadableDocument
from carnet.facts import Fact
from carnet.models import DocMeta, ExtractedDocument
from carnet.records import NewDocument, StoredDocument, Versioning, iso
from carnet.text import fold
from index.embedders import Embedder
from index.pending import embed_pending
from index.protocol import Store, document_id_for

from index.vectors import VectorIndex
from ingest.cda import CdaDocument, read_cda_document
from ingest.cda_render import render_cda
from ingest.dedupe import is_correction, is_near_duplicate
from ingest.facts import extract_facts
from ingest.lab_codes import PARENT, code_rows, ucum
from ingest.lab_flags import Range, decide
from ingest.lab_analytes import KNOWN_ANALYTES
from ingest.labs import extract_lab_values
from ingest.limits import DocumentLimits
from ingest.scratch import clean_stale, scratch_dir
from ingest.sources import read_sidecar
from ingest.worker import DocumentJob, UnderstoodDocument, shared_worker, understand_document
from ingest.xdm import merge, read_member, read_xdm

log = logging.getLogger("carnet.ingest")

SUPPORTED_SUFFIXES = (".pdf", ".xml", ".zip")
INGEST_EMBED_BATCH = 64  # chunks embedded at once after the files are stored (the engine batches them)


@dataclass(frozen=True)
class SourceFile:
    path: Path
    patient_id: str
    source: str  # path relative to the ingest root, e.g. "P0001/3fa2c1.pdf"
    member: str | None = None  # a document inside an XDM ZIP (`path`)
    xds: dict | None = field(default=None, compare=False, hash=False)  # its METADATA.XML overrides
    error: str | None = None  # why the archive holding it could not be listed


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, source of the stored copy)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    pages: int = 0
    chunks: int = 0
    ocr_pages: int = 0
    embedded: int = 0  # chunks that got their vectors in this run (a crashed run's leftovers included)
    pending: int = 0  # chunks still without vectors at the end (embedding deferred)
    seconds: dict[str, float] = field(default_factory=lambda: {"extract": 0.0, "understand": 0.0, "embed": 0.0,
                                                                 "write": 0.0, "index": 0.0})

    def as_dict(self) -> dict:
        return {
            "added": len(self.added), "unchanged": len(self.unchanged), "duplicates": len(self.duplicates),
            "failed": [{"source": s, "reason": r} for s, r in self.failed],
            "pages": self.pages, "chunks": self.chunks, "ocr_pages": self.ocr_pages,
            "embedded": self.embedded, "pending": self.pending,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def valid_patient_id(patient_id: str) -> str:
    """Patient identifiers become SQL values and folder names: keep them plain."""
    pid = patient_id.strip()
    if not pid or len(pid) > 64 or not all(c.isalnum() or c in "-_." for c in pid) or pid.startswith("."):
        raise InvalidInput(
            f"Invalid patient identifier {patient_id!r}: use 1-64 letters, digits, '-', '_' or '.'."
        )
    return pid


MAX_FILE_NAME_BYTES = 255  # a file name's limit on Linux file systems, in UTF-8 bytes
MAX_SOURCE_BYTES = 1024  # a source: the file's path under the ingest root


def valid_source_name(name: str, limit: int = MAX_FILE_NAME_BYTES) -> str:
    """A file name that can be stored and shown: UTF-8, no control characters, at most `limit` bytes.
    Raises InvalidInput naming what is wrong (the name itself is shown escaped)."""
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:  # bytes that are not UTF-8 arrive as lone surrogates (surrogateescape)
        raise InvalidInput(f"The file name {name!r} is not valid UTF-8: rename the file.") from None
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise InvalidInput(f"The file name {name!r} contains a control character: rename the file.")
    if size > limit:
        raise InvalidInput(f"The file name is {size} bytes long, over the {limit}-byte limit: rename the file.")
    return name


def _is_regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)  # follows symlinks: a link to /dev/zero is no file
    except OSError:
        return False


def discover(path: Path, patient_id: str | None = None, max_bytes: int = 50_000_000) -> list[SourceFile]:
    """Files to ingest. A folder is laid out <root>/<patient_id>/**/*.pdf (or .xml CDA, .zip IHE XDM); a single
    file needs --patient. An XDM ZIP is listed as the documents it holds.

    Entries named like a PDF that are no regular file (a folder named x.pdf, a link to /dev/zero, a broken
    link, a pipe) are listed too: ingest reports each as failed with the reason instead of passing over it."""
    path = Path(path)
    if not path.exists():
        raise InvalidInput(f"No such file or folder: {path}")
    if not path.is_dir():
        if patient_id is None:
            raise InvalidInput(f"{path} is a single file: say whose it is with --patient ID.")
        return _expand(SourceFile(path, valid_patient_id(patient_id), path.name), max_bytes)
    files = []
    for f in sorted(path.rglob("*")):
        if f.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        if f.is_dir() and any(x.suffix.lower() in SUPPORTED_SUFFIXES for x in f.iterdir()):
            continue  # a folder named "scans.pdf" that holds PDFs is a folder: its files are listed
        rel = f.relative_to(path)
        if patient_id is not None:
            files += _expand(SourceFile(f, valid_patient_id(patient_id), rel.as_posix()), max_bytes)
        elif len(rel.parts) >= 2:
            files += _expand(SourceFile(f, rel.parts[0], rel.as_posix()), max_bytes)
    return files


def _expand(f: SourceFile, max_bytes: int) -> list[SourceFile]:
    """An XDM ZIP stands for the documents it holds (each with its METADATA.XML entry); other files for themselves.
    An archive that cannot be listed is one failing entry, so the rest of the batch goes on."""
    if f.path.suffix.lower() != ".zip":
        return [f]
    try:
        documents = read_xdm(f.path, max_bytes)
    except UnreadableDocument as e:
        return [replace(f, error=str(e))]
    return [replace(f, source=f"{f.source}/{d.member}", member=d.member, xds=d.overrides) for d in documents]


def read_patient_names(root: Path) -> dict[str, str]:
    """Names from an optional `<root>/patients.jsonl` ({"patient", "name", ...} per line), so the web page
    can find a patient by name. Lines without both fields are ignored."""
    path = Path(root) / "patients.jsonl"
    if not path.is_file():
        return {}
    names = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(row, dict) and row.get("patient") and row.get("name"):
            names[str(row["patient"])] = str(row["name"])
    return names


class Ingestor:
    """Ingests files into a store. Cheap to construct; the embedder loads on first use."""

    def __init__(self, store: Store, vectors: VectorIndex, embedder: Embedder, *, chunk_size: int = 900,
                 chunk_overlap: int = 120, max_bytes: int = 50_000_000, ocr: bool = True,
                 ocr_languages: str = "fra+eng", limits: DocumentLimits | None = None, isolate: bool = False,
                 defer_embedding: bool = False):
        self.store = store
        self.vectors = vectors
        self.embedder = embedder
        self.chunk_size = chunk_size
        self.chunk_overlap = chunk_overlap
        self.max_bytes = max_bytes
        self.ocr = ocr
        self.ocr_languages = ocr_languages
        self.limits = limits or DocumentLimits()
        # isolate: read each document in a worker process that is killed past the time or memory limit
        # (ingest/worker.py); in-process, only the structural limits apply (tests, trusted batches).
        self.worker = shared_worker(self.limits) if isolate else None
        # defer_embedding: `ingest` stores documents for lexical search only and leaves their embedding to
        # whoever runs index.pending next (the server's background thread, or the next ingest)
        self.defer_embedding = defer_embedding

    def close(self) -> None:
        """Stop the document reader process (it would end with this process anyway)."""
        if self.worker is not None:
            self.worker.close()

    def _understand(self, job: DocumentJob) -> UnderstoodDocument:
        if self.worker is not None:
            return self.worker.understand(job, self.store.home)
        with scratch_dir(self.store.home, "ocr") as scratch:
            return understand_document(job, self.limits, scratch)

    def ingest(self, files: Iterable[SourceFile], progress: Callable[[SourceFile], None] | None = None,
               patient_names: dict[str, str] | None = None, embed: bool | None = None,
               embed_progress: Callable[[int], None] | None = None) -> IngestReport:
        """Store the files (lexical first), then embed the pending chunks of the patients they belong to unless
        `embed` is False (default: unless the ingestor defers embedding). `embed_progress(n)`: n more chunks
        embedded. The store's other pending chunks are `embed_pending`'s (the CLI's ingest runs it after)."""
        report = IngestReport()
        self.vectors.check_manifest(create=True)
        clean_stale(self.store.home)  # scratch files of a process that died (OCR page images, uploads)
        for patient_id, name in (patient_names or {}).items():
            self.store.ensure_patient(valid_patient_id(patient_id), name)
        touched: set[str] = set()
        seen: set[str] = set()
        for f in files:
            try:
                seen.add(f.patient_id)
                outcome = self._ingest_one(f, report)
                if outcome == "added":
                    touched.add(f.patient_id)
            except CarnetError as e:
                report.failed.append((printable_source(f.source), str(e)))
                log.warning("skipped %s: %s", printable_source(f.source), e)
            except Exception as e:  # a bug or a library failure on one file must not stop the batch
                report.failed.append((printable_source(f.source), f"unexpected error: {type(e).__name__}: {e}"))
                log.exception("skipped %s after an unexpected error", printable_source(f.source))
            finally:
                if progress:
                    progress(f)
        # a crashed run's leftovers: the batch's patients whose documents were stored but not all embedded
        touched |= {p for p in seen - touched if self._has_pending(p)}
        if embed if embed is not None else not self.defer_embedding:
            for patient_id in sorted(touched):
                self.embed_pending(report, embed_progress, self.store.patient(patient_id).num)
        t0 = time.perf_counter()
        for patient_id in sorted(touched):  # vector files at the version just written (pending chunks left out)
            patient = self.store.patient(patient_id)
            self.vectors.rebuild(patient.num, patient.vectors_version)
        report.seconds["index"] += time.perf_counter() - t0
        report.pending = self.store.pending_count()
        return report

    def _has_pending(self, patient_id: str) -> bool:
        try:
            patient = self.store.patient(patient_id)
        except CarnetError:  # a patient none of whose files was stored
            return False
        return bool(self.store.pending_documents(patient.num))

    def embed_pending(self, report: IngestReport | None = None, progress: Callable[[int], None] | None = None,
                      patient_num: int | None = None) -> int:
        """Embed the pending chunks of one patient, or of the whole store (this batch's and any a crashed or
        deferred run left). Returns how many."""
        t0 = time.perf_counter()
        done = embed_pending(self.store, self.vectors, self.embedder, batch=INGEST_EMBED_BATCH, progress=progress,
                             patient_num=patient_num)
        if report is not None:
            report.embedded += done
            report.seconds["embed"] += time.perf_counter() - t0
        return done

    def _read(self, f: SourceFile) -> tuple[bytes, CdaDocument | None, dict]:
        """(stored bytes, the CDA document if it is one, the sidecar's or XDS metadata's overrides)."""
        valid_source_name(f.source, MAX_SOURCE_BYTES)
        if f.error:
            raise UnreadableDocument(f.error)
        if f.member is not None:
            data = read_member(f.path, f.member, self.max_bytes)
            suffix = Path(f.member).suffix.lower()
            overrides = dict(f.xds or {})
        else:
            if not _is_regular_file(f.path):
                what = "a folder" if f.path.is_dir() else "a link to nothing" if not f.path.exists() else (
                    "a device, pipe or socket")
                raise UnreadableDocument(f"{f.source} is not a regular file ({what}): skipped.")
            size = f.path.stat().st_size
            if size > self.max_bytes:
                raise UnreadableDocument(f"{f.source} is {size:,} bytes, over the {self.max_bytes:,}-byte limit.")
            data = f.path.read_bytes()
            suffix = f.path.suffix.lower()
            overrides = {} if suffix == ".xml" else read_sidecar(f.path)
        if suffix == ".xml":
            return data, read_cda_document(data, f.source), overrides
        return data, None, overrides

    def _ingest_one(self, f: SourceFile, report: IngestReport) -> str:
        t0 = time.perf_counter()
        data, cda, overrides = self._read(f)
        sha = hashlib.sha256(data).hexdigest()
        existing = self.store.find_by_content(f.patient_id, sha)
        if existing is not None:
            if existing.source == f.source:
                if self.store.facts_outdated(existing.id) and (cda is None or cda.level == 1):
                    # stored before facts existed: read them now
                    job = DocumentJob(f.source, data if cda is None else cda.pdf, overrides or None, existing.id,
                                      self.chunk_size,
                                      self.chunk_overlap, self.ocr, self.ocr_languages, self.max_bytes)
                    self.store.replace_facts(existing.id, list(self._understand(job).facts))
                    log.info("read the facts of %s", f.source)
                report.unchanged.append(f.source)
                return "unchanged"
            if self.store.add_duplicate_file(existing.id, f.source):
                report.duplicates.append((f.source, existing.source))
                log.info("duplicate %s of %s", f.source, existing.source)
                return "duplicate"
            report.unchanged.append(f.source)
            return "unchanged"
        pdf_bytes, section_pages, coded_labs = data, {}, None
        if cda is not None:
            from dataclasses import replace as _replace

            overrides = merge(cda.overrides, overrides)
            if cda.level == 1:
                pdf_bytes = cda.pdf
            else:  # a structured body: rendered here (Carnet's own HTML of escaped text), read by the worker
                rendered, marks, section_pages = render_cda(_replace(cda, overrides=overrides), f.source)
                pdf_bytes = rendered.pdf_bytes
                overrides = {**overrides, "sections": marks}
                coded_labs = tuple(_coded_lab_values(cda, section_pages)) if cda.lab_results else None
        document_id = document_id_for(f.patient_id, sha)
        job = DocumentJob(f.source, pdf_bytes, overrides or None, document_id, self.chunk_size, self.chunk_overlap,
                          self.ocr, self.ocr_languages, self.max_bytes,
                          by_sections=cda is not None and cda.level == 3, coded_lab_values=coded_labs)
        done = self._understand(job)
        meta, chunks = done.meta, list(done.chunks)
        t2 = time.perf_counter()
        fp = done.fingerprint
        versioning = _versioning(cda, f)
        canonical_id, group = (None, []) if versioning else self._near_duplicate(f.patient_id, meta, fp, document_id)
        self.store.add_document(NewDocument(
            patient_id=f.patient_id, content_sha256=sha, source=f.source, meta=meta, chunks=chunks, vectors=None,
            passages=list(done.passages), page_count=done.page_count, ocr_pages=list(done.ocr_pages),
            ocr_confidence=done.ocr_confidence, fingerprint=fp, file_size=len(data), pdf_bytes=pdf_bytes,
            lab_values=list(done.lab_values), facts=list(done.facts) + _coded_facts(cda, meta, section_pages),
            versioning=Versioning(versioning["cda_id"], versioning["set_id"], versioning["version_number"])
            if versioning else Versioning(),
            coded_entries=[{**e.as_dict(), "page": section_pages.get(e.section, 1)} for e in cda.entries] if cda else (),
        ))
        if cda is not None and cda.level == 3:
            self.store.write_original(document_id, data, ".xml")  # the PDF is a rendering: keep the source
        if canonical_id is not None:
            self.store.set_canonical(group, canonical_id, "near")
        if versioning:
            self._link_versions(f.patient_id, versioning)
        t4 = time.perf_counter()
        report.added.append(f.source)
        report.pages += done.page_count
        report.ocr_pages += len(done.ocr_pages)
        report.chunks += len(chunks)
        # extract and understand are the worker's own timings; "extract" also holds the hand-over to it
        overhead = (t2 - t0) - done.seconds["extract"] - done.seconds["understand"]
        for key, dt in (("extract", done.seconds["extract"] + overhead), ("understand", done.seconds["understand"]),
                        ("write", t4 - t2)):
            report.seconds[key] += dt
        log.info("added %s as %s (%d pages, %d chunks)", f.source, document_id, done.page_count, len(chunks))
        return "added"

    def _near_duplicate(self, patient_id: str, meta: DocMeta, fp: str, document_id: str) -> tuple[str | None, list[str]]:
        """If the new document is a near duplicate (e.g. a corrected version) of stored ones, the canonical
        document of the group and the group's ids. The canonical one is the version that says it corrects
        another ("annule et remplace"), then the most recent act, then the newest arrival."""
        group = []
        for other in self.store.near_duplicate_candidates(patient_id, meta.type_code):
            if is_near_duplicate(fp, meta, other.fingerprint, _meta_of(other)):
                group.append(other)
        if not group:
            return None, []
        members = [(is_correction(o.fingerprint), iso(o.service_date) or "", 0, o.id) for o in group]
        members.append((is_correction(fp), meta.service_date.isoformat() if meta.service_date else "", 1, document_id))
        canonical = max(members)[-1]
        return canonical, [m[-1] for m in members]

    def _link_versions(self, patient_id: str, versioning: dict) -> None:
        """Versions of one document (same CDA setId, or a relatedDocument RPLC / XDS RPLC link): the highest
        versionNumber is current and replaces the others, which stay, marked superseded."""
        group = self.store.version_candidates(patient_id, versioning.get("set_id"),
                                              [versioning.get("cda_id"), *versioning.get("replaces", ())])
        if len(group) < 2:
            return
        replaced = set(versioning.get("replaces", ()))
        canonical = max(group, key=lambda r: (r.version_number or 0, r.cda_id not in replaced, r.ingested_at or "", r.id))
        self.store.set_canonical([r.id for r in group], canonical.id, "version")


def printable_source(source: str) -> str:
    """A source name that can be printed and written as JSON (non-UTF-8 bytes shown as escapes)."""
    return source.encode("utf-8", "backslashreplace").decode("utf-8")


def _versioning(cda: CdaDocument | None, f: SourceFile) -> dict | None:
    """The CDA id, setId, versionNumber and replaced ids of a document that has them (None otherwise)."""
    if cda is None:
        return None
    ident = cda.identity
    replaces = tuple(ident.replaces)
    if not (ident.set_id or replaces or ident.version_number):
        return None
    return {"cda_id": ident.document_id, "set_id": ident.set_id, "version_number": ident.version_number,
            "replaces": replaces}


def _coded_lab_values(cda: CdaDocument, section_pages: dict[int, int]) -> list[dict]:
    """Lab values coded in a level-3 CDA's entries (no text parsing): one row per (analyte, label), the first.
    The flag is judged like a report's (ingest.lab_flags): the referenceRange in the value's unit first, then
    the interpretationCode."""
    rows, seen = [], set()
    for r in cda.lab_results:
        if r.value is None or (r.analyte, r.label) in seen:
            continue
        seen.add((r.analyte, r.label))
        printed = Range(r.low, r.high, r.range_unit) if (r.low is not None or r.high is not None) else None
        flag, used = decide(r.value, r.unit, printed, marker=r.flag, analyte=r.analyte)
        rows.append({"analyte": r.analyte, "label": r.label, "value": r.value, "unit": r.unit,
                     "low": used.low if used else None, "high": used.high if used else None, "flag": flag,
                     "page": section_pages.get(r.section, 1), "loinc": r.loinc,
                     "ucum": ucum(r.unit, r.analyte), "origin": "cda", "confidence": None})
    return rows


def _coded_facts(cda: CdaDocument | None, meta: DocMeta, section_pages: dict[int, int]) -> list:
    """The allergies, medications and problems a level-3 CDA codes in its entries, as facts (source "cda"):
    read from the entries, not from the text. A negated allergy is a stated "no known allergy" when it names
    no substance, else that allergy ruled out; a problem with an end date is history; a medication whose
    stop date is before the act is stopped."""
    from datetime import date

    if cda is None:
        return []

    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    out = []
    for e in cda.entries:
        if e.kind not in ("allergy", "medication", "problem"):
            continue  # vaccinations stay on the document's coded entries
        section = cda.sections[e.section] if e.section < len(cda.sections) else None
        start, end = day(e.start), day(e.end)
        if e.kind == "allergy":
            generic = any(w in fold(e.label) for w in ("aucun", "allerg", "no known", "none"))
            status = ("none" if generic else "negated") if e.negated else "active"
        elif e.kind == "problem":
            status = "negated" if e.negated else "history" if end else "active"
        else:
            status = "stopped" if end and meta.service_date and end < meta.service_date else "active"
        out.append(Fact(
            kind=e.kind, name=e.label, status=status,
            reaction=e.detail if e.kind == "allergy" and e.detail != e.label else None,
            posology=e.detail if e.kind == "medication" else None, start=start, end=end, code=e.code,
            code_system=e.code_system, page=section_pages.get(e.section, 1), sentence=e.detail or e.label,
            section=section.name if section else None, service_date=meta.service_date, author=meta.author,
            source="cda"))
    return out


def _meta_of(row: StoredDocument) -> DocMeta:
    return DocMeta(type_code=row.type_code, title=row.title, service_date=row.service_date)
