"""Wiring: the store, vector index, embedder, ingestor and searcher built from one Settings object.

The CLI and the API are thin layers over this. Nothing heavy happens here: models load on first use
(or in `warm_up`, which the API calls in its lifespan).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from carnet.config import Settings
from index.embedders import Embedder, make_embedder
from index.factory import make_store
from index.pending import BackgroundEmbedder
from index.protocol import Store
from index.vectors import VectorIndex
from ingest.limits import DocumentLimits
from ingest.pipeline import Ingestor
from query.retrieve import Searcher
from query.summarize import generated_summarizer, make_summarizer
from service.access import AccessControl
from service.auth import TokenVerifier


@dataclass
class Carnet:
    settings: Settings
    embedder_threads: int | None = None  # None: the engine's default (all cores, for ingest)
    defer_embedding: bool = False  # the ingestor stores text only; index/pending.py embeds it afterwards

    @cached_property
    def store(self) -> Store:
        return make_store(self.settings)

    @cached_property
    def access(self):
        """Care-team grants, masking, break-glass and the audit log (service/access.py)."""
        return AccessControl(self.store, self.settings)

    @cached_property
    def tokens(self):
        """Bearer-token checks against the configured issuer and/or the store's own key (service/auth.py)."""
        return TokenVerifier(self.settings)

    @cached_property
    def embedder(self) -> Embedder:
        return make_embedder(self.settings.embedder, threads=self.embedder_threads)

    @cached_property
    def vectors(self) -> VectorIndex:
        embedder = self.embedder
        if embedder.dim == 0:  # a sentence-transformers folder: its dimension is known once loaded
            embedder.load()
        index = self.store.vector_index(embedder.name, embedder.dim, self.settings.vector_cache_bytes)
        index.check_manifest(create=False)
        return index

    @cached_property
    def ingestor(self):
        s = self.settings
        return Ingestor(self.store, self.vectors, self.embedder, chunk_size=s.chunk_size, chunk_overlap=s.chunk_overlap,
                        max_bytes=s.max_upload_bytes, ocr=s.ocr, ocr_languages=s.ocr_languages,
                        limits=DocumentLimits.of(s), isolate=s.isolate_documents,
                        defer_embedding=self.defer_embedding)

    @cached_property
    def searcher(self):
        summarizer = self._summarizer()
        return Searcher(self.store, self.vectors, self.embedder, summarizer=summarizer,
                        fallback_interpreter=self._fallback_interpreter(summarizer))

    def background_embedder(self) -> BackgroundEmbedder:
        """A thread that embeds the chunks an ingest stored without vectors (`carnet ingest --defer-embedding`,
        an ingest still running or one that crashed), in small batches; the API starts it in its lifespan."""
        return BackgroundEmbedder(self.store, self.vectors, self.embedder)

    def _fallback_interpreter(self, summarizer):
        """The generative model's `interpret` when CARNET_INTERPRETER=llm (the summariser's model when it
        has one, so one model is loaded, not two); None when the rules work alone or no model is installed."""
        if self.settings.interpreter != "llm":
            return None
        if hasattr(summarizer, "interpret"):
            return summarizer.interpret
        generated = generated_summarizer(self.settings)
        return generated.interpret if generated is not None else None

    def _summarizer(self):
        if self.settings.summary_mode == "none":
            return None
        return make_summarizer(self.settings)
