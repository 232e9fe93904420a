"""What a patient's record gives beside an answer, for the adapters: the record as one practitioner may see
it (masking applied), the synthesis, the lab-trend plot, the chips a question's reading can drop, and who
asks (for "since my last visit").

The CLI and the HTTP API import these from here, not from query/ or index/ (the import-linter contract
"Adapters reach ingest, query and index through service only")."""

from __future__ import annotations

from index.visible import VisibleRecord
from query.chips import CHIP_KINDS, READING_KINDS, without
from query.facts_questions import Asker
from query.synthesis import lab_trend_png, patient_synthesis

__all__ = ["Asker", "CHIP_KINDS", "READING_KINDS", "VisibleRecord", "lab_trend_png", "patient_synthesis", "without"]
