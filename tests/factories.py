"""Shared builders for tests: one `new_document(...)` instead of a copy of the store's write in every file."""

from __future__ import annotations

from datetime import date
from typing import Any, Sequence

import numpy as np

from carnet.models import Chunk, DocMeta
from carnet.records import NewDocument, StoredChunk, StoredDocument, Versioning


def new_document(patient_id: str = "P1", content_sha256: str = "a" * 64, source: str | None = None, *,
                 meta: DocMeta | None = None, chunks: Sequence[Chunk] | None = None, texts: Sequence[str] = (),
                 vectors: np.ndarray | None = None, versioning: Versioning | dict | None = None,
                 pdf_bytes: bytes = b"", **fields: Any) -> NewDocument:
    """A NewDocument with test defaults: `texts` are one chunk a page when `chunks` is not given; a
    `versioning` dict ({"cda_id", "set_id", "version_number"}) is turned into a Versioning."""
    if chunks is None:
        chunks = [Chunk("", i + 1, 0, len(t), None, t) for i, t in enumerate(texts)]
    if isinstance(versioning, dict):
        versioning = Versioning(versioning.get("cda_id"), versioning.get("set_id"), versioning.get("version_number"))
    fields.setdefault("page_count", max((c.page for c in chunks), default=0))
    return NewDocument(patient_id=patient_id, content_sha256=content_sha256,
                       source=source or f"{patient_id}/{content_sha256[:8]}.pdf", meta=meta or DocMeta(),
                       chunks=list(chunks), vectors=vectors, versioning=versioning or Versioning(),
                       pdf_bytes=pdf_bytes, **fields)


def stored_document(id: str = "d1", patient_id: str = "P", **fields: Any) -> StoredDocument:
    """A StoredDocument for tests that read documents without a store (a fake store, a hit): dates may be
    given as ISO strings."""
    for key in ("service_date", "service_end_date"):
        if isinstance(fields.get(key), str):
            fields[key] = date.fromisoformat(fields[key])
    for key in ("exam_keys", "analyte_keys", "confidentiality", "ocr_pages"):
        if key in fields and fields[key] is not None:
            fields[key] = tuple(fields[key])
    fields.setdefault("content_sha256", id)
    fields.setdefault("source", f"{patient_id}/{id}.pdf")
    fields.setdefault("ingested_at", "2026-01-01T00:00:00+00:00")
    return StoredDocument(id=id, patient_id=patient_id, **fields)


def stored_chunk(id: int, document_id: str, text: str, page: int = 1, section: str | None = None) -> StoredChunk:
    return StoredChunk(id=id, document_id=document_id, page=page, char_start=0, char_end=len(text), section=section,
                       text=text)
