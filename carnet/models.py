"""Frozen dataclasses that flow between Carnet's stages.

Path -> extract -> ExtractedDocument -> understand -> DocMeta -> chunk -> Chunk -> embed -> store.
Question -> parse -> Interpretation -> retrieve -> DocumentHit -> summarise -> Answer.
Change them with dataclasses.replace, never in place. Pydantic lives only at the API edge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

# --- ingestion ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, as a reader counts pages
    text: str
    ocr: bool = False  # text came from Tesseract, not from the PDF's text layer
    ocr_confidence: float | None = None  # mean of Tesseract's word confidences, 0..1, when ocr
    ocr_words: int = 0  # words that confidence is the mean of


@dataclass(frozen=True)
class ExtractedDocument:
    path: str  # where it was read from (never stored as is: the store keeps `source`)
    sha256: str  # of the file's bytes
    pages: tuple[Page, ...]
    pdf_bytes: bytes = field(repr=False, default=b"")  # the PDF itself (for CDA, the embedded PDF)

    @property
    def text(self) -> str:
        """All pages joined by PAGE_SEPARATOR; page i starts at page_starts[i]."""
        return PAGE_SEPARATOR.join(p.text for p in self.pages)

    @property
    def ocr_confidence(self) -> float | None:
        """Mean confidence of the document's OCRed words (None when no page has one): the pages' means
        weighted by their word counts. Neither the lowest page nor a plain mean of pages: a nearly empty
        page (a signature, "page 2/2") of a few uncertain words would then weigh as much as a full page
        read well, and the figure would no longer say how reliable the document's text is."""
        pages = [p for p in self.pages if p.ocr and p.ocr_confidence is not None and p.ocr_words > 0]
        words = sum(p.ocr_words for p in pages)
        return sum(p.ocr_confidence * p.ocr_words for p in pages) / words if words else None

    @property
    def page_starts(self) -> tuple[int, ...]:
        starts, offset = [], 0
        for p in self.pages:
            starts.append(offset)
            offset += len(p.text) + len(PAGE_SEPARATOR)
        return tuple(starts)


PAGE_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class SectionMark:
    """A section heading found in a document's text (offset into ExtractedDocument.text)."""

    offset: int
    name: str  # normalised: motif, histoire, antecedents, traitement, examen, resultats, conclusion, ...
    heading: str  # the heading as written


@dataclass(frozen=True)
class DocMeta:
    """What a document is, who wrote it and when the act took place (the DMP's metadata)."""

    type_code: str | None = None  # LOINC, current code (ended codes already mapped)
    type_confidence: float = 0.0
    specialty_code: str | None = None  # "SM04" (the G15_10 system is implied)
    specialty_confidence: float = 0.0
    specialty_candidates: tuple[str, ...] = ()  # when the specialty is unknown: the codes the evidence split between
    service_date: date | None = None  # date of the act (exam, sample, consultation, discharge)
    service_end_date: date | None = None
    date_confidence: float = 0.0
    author: str | None = None
    organisation: str | None = None
    title: str | None = None
    language: str = "fr"  # "fr" | "en"
    sections: tuple[SectionMark, ...] = ()
    exam_keys: tuple[str, ...] = ()  # carnet.lexicon.EXAMS keys the document reports on
    analyte_keys: tuple[str, ...] = ()  # carnet.lexicon.ANALYTES keys measured in the document
    is_noise: bool = False  # administrative / no clinical interest: ranked down, never deleted
    noise_reason: str | None = None
    metadata_source: Literal["inferred", "sidecar", "cda"] = "inferred"
    confidentiality: tuple[str, ...] = ()  # the source's codes (CDA confidentialityCode, sidecar securityLabel)
    author_id: str | None = None  # the author's identifier (RPPS...) when the source gives one: masking's exception


@dataclass(frozen=True)
class Chunk:
    document_id: str
    page: int
    char_start: int  # offsets into the page's text
    char_end: int
    section: str | None
    text: str


# --- questions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateRange:
    start: date | None = None  # inclusive
    end: date | None = None  # inclusive
    phrase: str = ""  # the words it came from


@dataclass(frozen=True)
class Correction:
    """A word read otherwise than typed: a typo corrected or a marker completed ("der" -> "dernier"), an
    abbreviation expanded ("BH" -> "bilan hépatique"), one reading of an ambiguous one taken ("MG"). The
    doctor can take it back: `typed` (folded) in the parser's `literal` keeps the word as typed."""

    typed: str  # folded, as the parser's `literal` takes it
    shown: str  # as typed in the question
    reading: str  # what was understood instead
    kind: str = "correction"  # "correction" | "expansion" | "reading"


@dataclass(frozen=True)
class Alternative:
    """Another reading of an ambiguous short form ("MG": magnésium rather than médecine générale);
    `choice` ("mg=analyte:magnesium") in the parser's `literal` takes it instead."""

    choice: str
    shown: str
    label_fr: str
    label_en: str


@dataclass(frozen=True)
class Ambiguity:
    """A short form with several readings ("MG": médecine générale, magnésium, myasthénie) and how it was read.

    `readings` holds every reading, the one taken included, in order of common usage; `chosen` is the taken
    one's choice. `decided_by`: "usage" (nothing decided: the commonest reading is taken and the answer says
    the question is ambiguous), "record" (only that reading finds documents in this patient's record),
    "doctor" (chosen on the page or sent in the API's `remove`). `documents`: how many of the record's
    documents each reading finds, in the order of `readings`, once the record was read (empty before)."""

    word: str  # folded
    shown: str  # as typed
    readings: tuple[Alternative, ...]
    chosen: str
    decided_by: Literal["usage", "record", "doctor"] = "usage"
    documents: tuple[int, ...] = ()

    @property
    def unresolved(self) -> bool:
        """Neither the doctor nor the record said which reading is meant."""
        return self.decided_by == "usage"


@dataclass(frozen=True)
class Interpretation:
    """What the doctor asked, as filters Carnet can apply. Returned with every answer."""

    question: str
    type_codes: tuple[str, ...] = ()  # LOINC
    specialty_groups: tuple[str, ...] = ()  # carnet.codes.SPECIALTY_GROUPS keys
    exam_keys: tuple[str, ...] = ()  # carnet.lexicon.EXAMS keys
    analyte_keys: tuple[str, ...] = ()  # carnet.lexicon.ANALYTES keys
    date_range: DateRange | None = None
    order: Literal["latest", "relevance"] = "relevance"
    count: int | None = None  # "les 3 derniers bilans" -> 3
    topic: str = ""  # what remains once filters are taken out
    language: str = "fr"
    interpreter: str = "rules"  # "rules" | "llm"
    corrections: tuple[Correction, ...] = ()  # words read otherwise than typed (shown as chips, undoable)
    alternatives: tuple[Alternative, ...] = ()  # other readings of an ambiguous abbreviation, to choose from
    ambiguities: tuple[Ambiguity, ...] = ()  # each ambiguous short form, its readings and who decided

    @property
    def has_filters(self) -> bool:
        return bool(self.type_codes or self.specialty_groups or self.exam_keys or self.analyte_keys or self.date_range)


# --- answers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChunkHit:
    chunk_id: int
    document_id: str
    page: int
    section: str | None
    text: str
    score: float
    # lines of `text` its sender prints on every paper (learnt from the patient's documents): a card's
    # snippet leaves them out
    boilerplate: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentHit:
    document: Any  # the store's document (carnet.records.StoredDocument)
    score: float
    rank: int
    best_chunk: ChunkHit | None
    matched_by: tuple[str, ...] = ()  # "filter", "dense", "bm25", "recency"


@dataclass(frozen=True)
class Citation:
    document_id: str
    page: int


@dataclass(frozen=True)
class SummarySentence:
    text: str
    citation: Citation


@dataclass(frozen=True)
class Summary:
    text: str
    sentences: tuple[SummarySentence, ...] = ()
    mode: str = "extractive"  # "extractive" | "generated"
    dropped_sentences: int = 0  # generated sentences removed because no cited page supports them

    @property
    def citations(self) -> tuple[Citation, ...]:
        seen: dict[tuple[str, int], Citation] = {}
        for s in self.sentences:
            seen.setdefault((s.citation.document_id, s.citation.page), s.citation)
        return tuple(seen.values())


@dataclass(frozen=True)
class Answer:
    question: str
    patient: str
    interpretation: Interpretation
    documents: tuple[DocumentHit, ...]
    alternatives: tuple[DocumentHit, ...] = ()
    summary: Summary | None = None
    message: str | None = None  # e.g. "Aucun document ne correspond" when documents is empty
    timings_ms: dict[str, float] = field(default_factory=dict)
    facts: dict | None = None  # an answer read from the stored facts (query.facts_questions): allergies, treatment
    # "pending": some of the patient's documents are not embedded yet (index/pending.py), so the answer was
    # ranked by words, type and date only; "ready": every document could be searched by meaning too.
    semantic_search: str = "ready"
