"""Language of a document (fr / en): carnet.words.detect_language, kept under its old name for ingest."""

from __future__ import annotations

from carnet.words import detect_language

__all__ = ["detect_language"]
