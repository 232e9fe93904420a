"""Typed settings, read from CARNET_* environment variables (and overridable by CLI options)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_HOME = Path(".carnet")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CARNET_", extra="ignore")

    home: Path = Field(DEFAULT_HOME, description="Store directory: SQLite database, vector files, manifest.")
    embedder: Literal["e5", "minilm", "hashing"] | str = Field(
        "e5", description="e5 (multilingual-e5-small, default), minilm, hashing (tests), or a sentence-transformers folder."
    )
    max_upload_bytes: int = Field(50_000_000, description="Largest PDF accepted, by ingest and by the upload API.")
    ocr: bool = Field(True, description="OCR pages without a text layer with Tesseract.")
    ocr_languages: str = "fra+eng"
    chunk_size: int = Field(900, description="Characters per chunk.")
    chunk_overlap: int = 120
    vector_cache_bytes: int = Field(
        256_000_000, description="Bytes of per-patient vector indexes the server keeps in memory (LRU)."
    )
    summary_mode: Literal["extractive", "generated", "none"] = "extractive"
    interpreter: Literal["rules", "llm"] = Field(
        "rules", description="rules (default, deterministic); llm: when the rules find no filter in a question, ask "
        "the generative model for one, validated against the code lists (seconds per such question)."
    )
    threads: int = Field(1, description="Threads for the embedding engine in the server (queries), per worker.")
    workers: int = Field(2, description="Server processes of `carnet serve` (each with `threads` embedding threads).")
    # What one document may cost (ingest/limits.py); a file over a limit is refused with the limit named.
    isolate_documents: bool = Field(
        True, description="Read each document in a worker process killed past the time or memory limit.")
    max_pages: int = Field(1000, description="Pages per document.")
    max_text_chars: int = Field(5_000_000, description="Characters of text extracted from one document.")
    max_page_content_bytes: int = Field(20_000_000, description="One page's drawing instructions, decompressed.")
    max_image_pixels: int = Field(100_000_000, description="Pixels of one embedded image (width x height).")
    document_seconds: float = Field(120.0, description="Wall time to read one document (parsing, OCR, understanding).")
    document_memory_bytes: int = Field(
        1_500_000_000, description="Resident memory of the process that reads documents (its libraries included).")

    def document_limits(self):
        from ingest.limits import DocumentLimits

        return DocumentLimits(max_pages=self.max_pages, max_text_chars=self.max_text_chars,
                              max_page_content_bytes=self.max_page_content_bytes,
                              max_image_pixels=self.max_image_pixels, seconds=self.document_seconds,
                              memory_bytes=self.document_memory_bytes)


@lru_cache
def get_settings() -> Settings:
    return Settings()
