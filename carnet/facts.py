"""Clinical facts a doctor can trust: an allergy, a medication line, a problem, each with where it was read.

Facts are extracted once, at ingestion (ingest/facts/ for text, ingest/sources for level-3 CDA entries), and
stored in the store's `facts` table in the same transaction as their document. The synthesis and the
questions about allergies or the current treatment read them back; nothing is recomputed at query time.

A fact always carries its provenance (document, page, the sentence it was read in, the date of the act, the
author) and a status that says how the record states it: "active" (the patient has it / takes it),
"negated" ("pas d'allergie à l'iode"), "family" (a relative has it), "hypothetical" ("suspicion de"),
"history" (past, resolved), "stopped" / "started" / "changed" (a medication stopped, started, its dose
changed, with the date in `end` / `start`), "none" (the record states there is none: "aucune allergie
connue", "NKDA"). The sentence is stored, never logged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Literal

FactKind = Literal["allergy", "medication", "problem"]
FactStatus = Literal["active", "negated", "family", "hypothetical", "history", "stopped", "started", "changed", "none"]

KINDS: tuple[str, ...] = ("allergy", "medication", "problem")
STATUSES: tuple[str, ...] = ("active", "negated", "family", "hypothetical", "history", "stopped", "started", "changed",
                             "none")
# What a medication fact says happened to the drug: taken (a statement's line, continued), started, stopped, or
# its dose changed.
MEDICATION_STATUSES: tuple[str, ...] = ("active", "started", "stopped", "changed")
# French prescriptions of a treatment are valid for at most twelve months (Code de la santé publique, art.
# R5132-3): a prescription that states no duration has run out after that.
MAX_PRESCRIPTION_DAYS = 365
# Where a fact was read: the PDF's text layer, Tesseract's OCR (with its confidence), a level-3 CDA entry.
SOURCES: tuple[str, ...] = ("text", "ocr", "cda")


@dataclass(frozen=True)
class Fact:
    kind: str  # one of KINDS
    name: str  # the substance (allergy), the molecule or brand (medication), the problem, as written
    status: str = "active"  # one of STATUSES
    # what the fact says beyond its name
    reaction: str | None = None  # allergy: "urticaire", "anaphylaxie"
    dose: str | None = None  # medication: "1000 mg"
    posology: str | None = None  # medication: "1 cp matin et soir"
    start: date | None = None  # medication: started / prescribed on / problem: since
    end: date | None = None  # medication: stopped on, or the end of the prescribed duration
    # codes when known (CDA entries, edsnlp's drug matcher)
    code: str | None = None
    code_system: str | None = None  # "ATC" | "CIM-10" | "LOINC" | "SNOMED-CT" | ...
    # provenance
    document_id: str = ""  # filled by the store when the fact is written with its document
    page: int = 1
    sentence: str = ""  # the sentence or line it was read in (stored, never logged)
    section: str | None = None  # the section it was read in: "allergies", "traitement", "antecedents", ...
    statement: str | None = None  # medication: which whole-treatment statement the line belongs to
    service_date: date | None = None  # the date of the act the document reports
    author: str | None = None
    source: str = "text"  # one of SOURCES
    confidence: float | None = None  # OCR confidence of the page, 0..1, when source == "ocr"

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Fact kind must be one of {KINDS}, not {self.kind!r}")
        if self.status not in STATUSES:
            raise ValueError(f"Fact status must be one of {STATUSES}, not {self.status!r}")
        if self.source not in SOURCES:
            raise ValueError(f"Fact source must be one of {SOURCES}, not {self.source!r}")

    def as_row(self) -> dict:
        """The facts table's columns, dates as ISO strings."""
        row = asdict(self)
        for key in ("start", "end", "service_date"):
            row[key] = row[key].isoformat() if row[key] else None
        return row

    @classmethod
    def from_row(cls, row: dict) -> "Fact":
        values = {k: row.get(k) for k in _FIELDS}
        for key in ("start", "end", "service_date"):
            values[key] = date.fromisoformat(values[key]) if values[key] else None
        values["page"] = int(values["page"] or 1)
        return cls(**values)


_FIELDS = tuple(Fact.__dataclass_fields__)
