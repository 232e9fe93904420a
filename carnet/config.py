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
    threads: int = Field(1, description="Threads for the embedding engine in the server (queries).")


@lru_cache
def get_settings() -> Settings:
    return Settings()
