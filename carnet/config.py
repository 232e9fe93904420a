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
    database_url: str | None = Field(
        None, description="postgresql://... keeps the records in PostgreSQL + pgvector (index/postgres) instead of "
                          "SQLite in `home` (which still holds the stored PDFs and the signing key).")
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
    request_threads: int = Field(
        40, ge=1, le=256, description="Requests one server process works on at once (its thread pool); the others "
                                      "wait their turn in arrival order.")
    # What one document may cost (ingest/limits.py: DocumentLimits.of(settings)); a file over a limit is
    # refused with the limit named.
    isolate_documents: bool = Field(
        True, description="Read each document in a worker process killed past the time or memory limit.")
    max_pages: int = Field(1000, description="Pages per document.")
    max_text_chars: int = Field(5_000_000, description="Characters of text extracted from one document.")
    max_page_content_bytes: int = Field(20_000_000, description="One page's drawing instructions, decompressed.")
    max_image_pixels: int = Field(100_000_000, description="Pixels of one embedded image (width x height).")
    document_seconds: float = Field(120.0, description="Wall time to read one document (parsing, OCR, understanding).")
    document_memory_bytes: int = Field(
        1_500_000_000, description="Resident memory of the process that reads documents (its libraries included).")

    # Access control (service/auth.py, service/access.py; README "Access control").
    auth_issuer: str | None = Field(None, description="OIDC issuer (`iss`) of the identity provider whose tokens "
                                    "are accepted; unset: only tokens signed by the store's own key.")
    auth_jwks: str | None = Field(None, description="The issuer's keys: a JWKS file, or an https URL fetched on "
                                  "first use and cached.")
    auth_audience: str = Field("carnet", description="The `aud` every token must carry.")
    auth_leeway_seconds: int = Field(60, description="Clock skew allowed on exp / nbf / iat.")
    auth_algorithms: list[str] = Field(["RS256", "PS256", "ES256", "EdDSA"],
                                       description="Signature algorithms accepted (asymmetric only).")
    auth_subject_claim: str = Field("sub", description="Claim naming the practitioner (dotted path allowed).")
    auth_role_claim: str = Field("roles", description="Claim holding the role: administrator, patient, else "
                                 "practitioner (dotted path allowed, e.g. realm_access.roles).")
    auth_local: bool | None = Field(None, description="Trust tokens signed by the store's own key (default: only "
                                    "when no issuer is configured).")
    token_hours: float = Field(12, description="Lifetime of the tokens `carnet access token` signs.")
    break_glass_hours: float = Field(4, description="How long a break-glass opens a patient outside the care team.")
    cors_origins: str = Field("", description="Origins allowed to call the API from a browser, comma-separated "
                              "(none by default: the page is served by Carnet itself).")
    server_names: str = Field("localhost,127.0.0.1,::1", description="Host names this server answers to, "
                              "comma-separated; other Host headers are refused (they would go into FHIR links).")

    @property
    def trusts_local_tokens(self) -> bool:
        return self.auth_local if self.auth_local is not None else not self.auth_issuer

    @property
    def allowed_hosts(self) -> frozenset[str]:
        return frozenset(h.strip().lower().strip("[]") for h in self.server_names.split(",") if h.strip())

    @property
    def allowed_origins(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


@lru_cache
def get_settings() -> Settings:
    return Settings()
