"""The wire models: the one definition of what `carnet ... --json` prints and the HTTP API answers.

service/serialize.py maps the library's records and answers onto these models; the CLI prints their
`model_dump(mode="json")` and the API declares them as response models (api/schemas.py re-exports them
beside its request models), so the two outputs cannot drift apart (tests/integration/test_wire.py).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from query.chips import CHIP_KINDS


class Coded(BaseModel):
    code: str = Field(examples=["11502-2"])
    label: str | None = Field(None, examples=["CR d'examens biologiques"])


class Chip(BaseModel):
    kind: Literal[CHIP_KINDS] = Field(examples=["specialty"])  # the kinds `remove` understands, in the schema
    value: str = Field(examples=["cardiologie"])
    label: str = Field(examples=["Cardiologie"])


class DocumentOut(BaseModel):
    id: str
    source: str = Field(description="Path relative to the ingest root, e.g. P0001/3fa2c1.pdf")
    title: str | None
    type: Coded | None = Field(description="LOINC document type (DMP typeCode)")
    specialty: Coded | None = Field(description="Author specialty, G15_10/SMxx code")
    date: str | None = Field(description="Date of the act (serviceStartTime), YYYY-MM-DD")
    author: str | None
    organisation: str | None
    language: str | None
    is_noise: bool
    canonical_id: str | None = Field(description="Set when this document is a duplicate of another")
    needs_review: bool = Field(False, description="Understanding was unsure of the type or the date of the act: "
                                                  "shown 'à vérifier'")


class HitOut(DocumentOut):
    score: float
    rank: int
    page: int | None = Field(description="Page of the best matching passage (1-based)")
    section: str | None
    snippet: str | None
    matched_by: list[str]


class SummarySentenceOut(BaseModel):
    text: str
    document_id: str
    page: int


class CitationOut(BaseModel):
    document_id: str
    page: int


class SummaryOut(BaseModel):
    text: str
    mode: Literal["extractive", "generated"]
    sentences: list[SummarySentenceOut]
    citations: list[CitationOut]
    dropped_sentences: int


class DateRangeOut(BaseModel):
    start: str | None
    end: str | None
    phrase: str


class ReadingOut(BaseModel):
    value: str = Field(description="The reading's choice, 'word=kind:code' ('mg=analyte:magnesium'): what the "
                       "chip below sends", examples=["mg=analyte:magnesium"])
    label: str = Field(examples=["magnésium"])
    documents: int | None = Field(description="Documents of this patient's record this reading finds (filters, "
                                  "or the text naming it for a topic); null when the record was not read")
    chosen: bool = Field(description="The reading the answer was given for")
    chip: Chip = Field(description="Send it in the ask request's `remove` to be answered with this reading "
                       "(kind 'reading')")


class AmbiguityOut(BaseModel):
    word: str = Field(description="The short form as typed", examples=["MG"])
    reading: str = Field(description="The reading taken (a `readings[].value`)", examples=["mg=specialty:medecine-generale"])
    label: str = Field(description="The reading taken, in words", examples=["médecine générale"])
    decided_by: Literal["usage", "record", "doctor"] = Field(
        description="record: only that reading finds documents in this patient's record, so it was taken; "
                    "usage: several readings (or none) find documents, the commonest is taken and the question "
                    "is ambiguous; doctor: chosen with a reading chip")
    ambiguous: bool = Field(description="True when neither the record nor the doctor decided: show `message` "
                            "and the other readings")
    message: str = Field(description="One sentence saying how the word was read and why, in the chips' language",
                         examples=["« MG » est ambigu : lu comme médecine générale, la lecture la plus courante "
                                   "(12 documents). Autres lectures : magnésium (3 documents), myasthénie (0 document)."])
    readings: list[ReadingOut] = Field(description="Every reading, the one taken included, commonest first")


class InterpretationOut(BaseModel):
    """How the question was read. `chips` is the reading to show; each chip can be sent back in `remove`."""

    question: str
    type_codes: list[str] = Field(description="LOINC document types the answer is filtered on")
    specialty_groups: list[str] = Field(description="Author specialty groups (carnet.codes.SPECIALTY_GROUPS keys)")
    exam_keys: list[str]
    analyte_keys: list[str]
    date_range: DateRangeOut | None
    order: Literal["latest", "relevance"]
    count: int | None
    topic: str = Field(description="What is left once the filters are read; ranked by text and meaning")
    language: str
    interpreter: str = Field(description="rules, or llm when the optional model read a question the rules could not")
    chips: list[Chip] = Field(description="The reading as removable chips. Kinds type, specialty, exam, analyte, "
                                          "date, order, count, topic: sending the chip in `remove` drops that "
                                          "filter. Kinds correction ('der → dernier'), expansion ('BH → bilan "
                                          "hépatique') and reading ('MG → médecine générale'): a word read "
                                          "otherwise than typed; sending it keeps the word as typed")
    alternatives: list[Chip] = Field(default_factory=list, description="The other readings of each ambiguous "
                                     "abbreviation as chips ('MG → magnésium ?', kind reading, value "
                                     "'mg=analyte:magnesium'): send one in `remove` to be answered with it")
    ambiguity: list[AmbiguityOut] = Field(default_factory=list, description="Each ambiguous abbreviation of the "
                                          "question ('MG', 'IC', 'écho'...), how it was read against this "
                                          "patient's record, and all its readings with their documents")


class AnswerOut(BaseModel):
    question: str
    patient: str
    interpretation: InterpretationOut
    documents: list[HitOut] = Field(description="Only documents that answer the question, best first")
    alternatives: list[HitOut] = Field(description="Closest documents offered when nothing matches every filter")
    summary: SummaryOut | None
    message: str | None = Field(description="'no-match' when the record holds no answer")
    timings_ms: dict[str, float]
    facts: dict | None = Field(None, description="For allergies, current treatment and what changed since the last "
                                                 "consultation: what the record states, each item with its documents")
    semantic_search: Literal["ready", "pending"] = Field(
        "ready", description="'pending' while some of the patient's documents are not embedded yet (a large ingest "
                             "stores text first and embeds in the background): the answer is ranked by words, type "
                             "and date only and may change once embedding is done; 'ready' otherwise")


class PatientOut(BaseModel):
    id: str
    name: str | None
    document_count: int
    latest_date: str | None


class OcrOut(BaseModel):
    pages: list[int]
    confidence: float | None


class DocumentDetailOut(DocumentOut):
    patient: str
    class_code: str | None
    specialty_group: str | None
    service_end_date: str | None
    confidence: dict[str, float | None]
    specialty_candidates: list[str] = Field([], description="When the specialty is unknown: the codes the evidence "
                                                           "was split between")
    page_count: int | None
    ocr: OcrOut
    noise_reason: str | None
    duplicate_kind: str | None
    duplicate_sources: list[str]
    metadata_source: str | None
    exam_keys: list[str]
    analyte_keys: list[str]
    sections: list[str]
    ingested_at: str | None
    confidentiality: str | None = None  # the source's confidentiality code(s), comma-separated
    set_id: str | None = None  # CDA setId: the versions of one document share it
    version_number: int | None = None
    coded_entries: list[dict] = []  # allergies, medications, problems, vaccinations coded in a level-3 CDA


class IngestOut(BaseModel):
    added: int
    unchanged: int
    duplicates: int
    failed: list[dict]
    pages: int
    chunks: int
    ocr_pages: int
    seconds: dict[str, float]
    documents: list[DocumentOut] = Field(default_factory=list)


class Health(BaseModel):
    status: Literal["ok"]
    patients: int
    documents: int
    chunks: int
    embedder: str


class GrantOut(BaseModel):
    practitioner: str = Field(examples=["10003456789"])
    patient: str = Field(examples=["P0001"])
    granted_by: str
    granted_at: str
