"""Typed records that cross the store's boundary: what a store returns and the one argument it writes.

Every Store implementation (index/sqlite, index/postgres) returns these frozen dataclasses and nothing
else, so that retrieval, summaries, the wire mapping (api/wire.py), FHIR and the LangChain adapter read
attributes with types instead of dict keys that each layer spells again. Dates are `date` objects (the
act's date is a calendar day); timestamps set by the store (`ingested_at`, `granted_at`, `recorded_at`)
are ISO 8601 strings in UTC, as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Sequence

import numpy as np

from carnet.facts import Fact
from carnet.models import Chunk, DocMeta, SectionMark


@dataclass(frozen=True)
class Patient:
    """A patient as the store knows them. `num` is the store's own number (chunk ids of the patient lie
    in one range derived from it); `vectors_version` grows with every write that changes the patient's
    chunks or vectors (caches of the patient's documents and vector files are keyed by it)."""

    num: int
    id: str
    name: str | None = None
    vectors_version: int = 0
    next_chunk_seq: int = 0
    created_at: str | None = None


@dataclass(frozen=True)
class PatientSummary:
    """A line of a patient list: who, how many documents, the date of the latest act."""

    id: str
    name: str | None
    document_count: int
    latest_date: date | None


@dataclass(frozen=True)
class StoredDocument:
    """One stored document with everything understanding found, as every store returns it."""

    id: str
    patient_id: str
    content_sha256: str
    source: str  # the file name it was ingested from (relative to the ingested folder)
    ingested_at: str
    title: str | None = None
    type_code: str | None = None  # LOINC (current code)
    type_confidence: float | None = None
    class_code: str | None = None
    specialty_code: str | None = None  # G15_10 code, "SM04"
    specialty_group: str | None = None  # carnet.codes.SPECIALTY_GROUPS key
    specialty_confidence: float | None = None
    specialty_candidates: tuple[str, ...] = ()
    service_date: date | None = None  # date of the act
    service_end_date: date | None = None
    date_confidence: float | None = None
    author: str | None = None
    author_id: str | None = None
    organisation: str | None = None
    language: str | None = None
    page_count: int | None = None
    ocr_pages: tuple[int, ...] = ()
    ocr_confidence: float | None = None
    is_noise: bool = False
    noise_reason: str | None = None
    canonical_id: str | None = None  # set when a newer version or a near duplicate replaces this one
    duplicate_kind: str | None = None
    metadata_source: str | None = None  # "inferred" | "sidecar" | "cda"
    exam_keys: tuple[str, ...] = ()
    analyte_keys: tuple[str, ...] = ()
    sections: tuple[SectionMark, ...] = ()
    fingerprint: str | None = None
    file_size: int | None = None
    pdf_sha1: str | None = None
    pdf_size: int | None = None
    confidentiality: tuple[str, ...] = ()
    facts_version: int | None = None
    cda_id: str | None = None
    set_id: str | None = None
    version_number: int | None = None
    coded_entries: tuple[dict, ...] = field(default=(), compare=False)
    duplicate_sources: tuple[str, ...] = ()  # other files with the same bytes


@dataclass(frozen=True)
class StoredChunk:
    """A passage of a stored document: where it lies (page, offsets into the page's text) and its text."""

    id: int
    document_id: str
    page: int
    char_start: int
    char_end: int
    section: str | None
    text: str


@dataclass(frozen=True)
class LabRow:
    """One stored lab value with the date and file of the report it was read in."""

    document_id: str
    analyte: str
    label: str | None
    value: float | None
    unit: str | None
    low: float | None
    high: float | None
    flag: str | None
    page: int | None
    loinc: str | None = None
    ucum: str | None = None
    origin: str | None = None  # "text" | "ocr" | "cda"
    confidence: float | None = None
    service_date: date | None = None
    source: str | None = None


@dataclass(frozen=True)
class Grant:
    """A practitioner in a patient's care team."""

    practitioner: str
    patient_id: str
    granted_by: str
    granted_at: str


@dataclass(frozen=True)
class BreakGlassWindow:
    """An emergency access opened with a reason, until `expires_at` (ISO 8601, UTC)."""

    reason: str
    opened_at: str
    expires_at: str


@dataclass(frozen=True)
class AuditRecord:
    """One access, allowed or refused, as the audit log keeps it (never document text)."""

    actor: str | None
    actor_role: str | None
    action: str  # ask, documents, document, pdf, summary, lab-plot, upload, fhir-search, fhir-read, grant...
    outcome: str  # "allowed" | "refused"
    patient_id: str | None = None
    actor_name: str | None = None
    question: str | None = None
    document_ids: tuple[str, ...] = ()
    break_glass: bool = False
    reason: str | None = None  # the break-glass justification
    detail: str | None = None  # why it was refused, what was changed
    recorded_at: str | None = None  # set when written
    id: int | None = None


@dataclass(frozen=True)
class Versioning:
    """A CDA's identity: its id, the set of versions it belongs to and its number in that set."""

    cda_id: str | None = None
    set_id: str | None = None
    version_number: int | None = None


@dataclass(frozen=True)
class NewDocument:
    """Everything a store writes for one document, in one transaction: the document's row, its chunks
    (with their vectors, or without: then listed as pending with the passage each vector is computed
    from), its lab values and facts, and the stored PDF."""

    patient_id: str
    content_sha256: str
    source: str
    meta: DocMeta
    chunks: Sequence[Chunk]
    pdf_bytes: bytes = field(default=b"", repr=False)
    vectors: np.ndarray | None = field(default=None, repr=False, compare=False)
    passages: Sequence[str] | None = field(default=None, repr=False)
    page_count: int = 0
    ocr_pages: Sequence[int] = ()
    ocr_confidence: float | None = None
    fingerprint: str | None = None
    file_size: int = 0
    lab_values: Sequence[dict[str, Any]] = ()
    facts: Sequence[Fact] = ()
    versioning: Versioning = Versioning()
    coded_entries: Sequence[dict] = ()

    def __post_init__(self) -> None:
        if self.vectors is not None and len(self.chunks) != len(self.vectors):
            raise ValueError(f"{len(self.chunks)} chunks but {len(self.vectors)} vectors")
        if self.passages is not None and len(self.chunks) != len(self.passages):
            raise ValueError(f"{len(self.chunks)} chunks but {len(self.passages)} passages")


def iso(day: date | None) -> str | None:
    """A record's date as the wire and the JSON outputs write it (ISO 8601), None for none."""
    return day.isoformat() if day else None
