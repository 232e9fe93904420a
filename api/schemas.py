"""Pydantic models of the HTTP API: the requests and the error body. The answers' models are the wire
models of service/wire.py (the same ones `carnet ... --json` prints), re-exported here for the routes."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from service.wire import (  # noqa: F401 - the routes' response models
    Coded,
    Chip,
    DocumentOut,
    HitOut,
    SummarySentenceOut,
    CitationOut,
    SummaryOut,
    DateRangeOut,
    ReadingOut,
    AmbiguityOut,
    InterpretationOut,
    AnswerOut,
    PatientOut,
    OcrOut,
    DocumentDetailOut,
    IngestOut,
    Health,
    GrantOut,
)


class ErrorBody(BaseModel):
    code: str = Field(examples=["unknown_patient"])
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=500, examples=["dernier compte rendu de cardiologie"])
    top_k: int = Field(5, ge=1, le=100, description="Documents to return.")
    summary: bool = Field(True, description="Add a short summary citing its sources.")
    today: date | None = Field(None, description="Reference date for relative phrases ('l'an dernier'); default today.")
    remove: list[Chip] = Field(default_factory=list, description="Parts of the interpretation to drop, to widen the "
                               "search. A correction/expansion/reading chip keeps its word as typed; an "
                               "alternative chip (kind reading, value 'mg=analyte:magnesium') takes that reading.")
    language: Literal["fr", "en"] | None = Field(None, description="Language of the chips' labels; default: the question's.")
