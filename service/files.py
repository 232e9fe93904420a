"""The files an adapter hands to an ingest: finding PDFs in a folder, the names a patient id and an
uploaded file may have, a folder's patient names, and the scratch space uploads and OCR write to.

The CLI and the HTTP API import these from here, not from ingest/ (the import-linter contract
"Adapters reach ingest, query and index through service only")."""

from __future__ import annotations

from ingest.pipeline import discover, printable_source, read_patient_names, valid_patient_id, valid_source_name
from ingest.scratch import clean_stale, scratch_dir

__all__ = ["clean_stale", "discover", "printable_source", "read_patient_names", "scratch_dir", "valid_patient_id",
           "valid_source_name"]
