"""Three stock LangChain baselines, built per patient on Carnet's corpus with Carnet's embedder.

- dense: PyMuPDFLoader per PDF, RecursiveCharacterTextSplitter(900, 120), a FAISS vector store per
  patient, documents ranked by their best chunk;
- bm25: langchain_community's BM25Retriever per patient over the same chunks;
- ensemble: langchain_classic's EnsembleRetriever fusing the two with equal weights (weighted RRF).

They read the PDFs Carnet stored (one per stored document, so the corpus is exactly Carnet's) and see
the patient as a hard boundary too (one index per patient), so the comparison is about understanding
and ranking, not about leaking other patients' documents. What they do not have: OCR (PyMuPDFLoader
reads the text layer only), document types, dates, specialties, the question parser, and any notion of
"the record holds no answer" (they always return their top results).

The embedding model is shared through `CarnetEmbeddings`, a `langchain_core.embeddings.Embeddings`
adapter over Carnet's `Embedder`; each chunk text is embedded once per run (the dense and ensemble
baselines share one FAISS store per patient, and the adapter caches passage vectors by text).
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from carnet.errors import InvalidInput
from index.embedders import Embedder

log = logging.getLogger("carnet.eval.baselines")

BASELINE_NAMES = ("dense", "bm25", "ensemble")
_WORD = re.compile(r"\w+", re.UNICODE)


class CarnetEmbeddings(Embeddings):
    """LangChain's Embeddings interface over Carnet's Embedder: the same model, prefixes and
    normalisation. Passage vectors are cached by text, so a chunk is embedded once per run."""

    def __init__(self, embedder: Embedder, batch_size: int = 64):
        if batch_size < 1:
            raise InvalidInput(f"batch_size must be greater than 0. Currently, batch_size is {batch_size}")
        self.embedder = embedder
        self.batch_size = batch_size
        self._passages: dict[str, np.ndarray] = {}
        self.passages_embedded = 0
        self.seconds = 0.0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._passages]
        t0 = time.perf_counter()
        for i in range(0, len(missing), self.batch_size):
            batch = missing[i:i + self.batch_size]
            for text, vector in zip(batch, self.embedder.embed_passages(batch)):
                self._passages[text] = np.asarray(vector, dtype=np.float32)
        self.seconds += time.perf_counter() - t0
        self.passages_embedded += len(missing)
        return [self._passages[t].tolist() for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return np.asarray(self.embedder.embed_query(text), dtype=np.float32).tolist()


def bm25_words(text: str) -> list[str]:
    """BM25's tokenizer: lower-cased words (LangChain's default splits on spaces only, which glues
    punctuation to words; this is the usual fix, with no accent folding or stemming)."""
    return _WORD.findall(text.lower())


def corpus_from_store(store) -> dict[str, list[tuple[str, Path]]]:
    """patient id -> [(source, stored PDF path)], one entry per stored document, in source order."""
    corpus: dict[str, list[tuple[str, Path]]] = {}
    for patient in sorted(store.iter_patients(), key=lambda p: p.id):
        for d in sorted(store.documents(patient.id), key=lambda d: d.source):
            corpus.setdefault(patient.id, []).append((d.source, store.pdf_path(d.id)))
    return corpus


def load_chunks(files: Sequence[tuple[str, Path]], chunk_size: int = 900, chunk_overlap: int = 120) -> list[Document]:
    """PyMuPDFLoader per PDF (a Document per page), split with RecursiveCharacterTextSplitter.
    Each chunk carries `source` (Carnet's source, for scoring) and a unique `chunk_id`."""
    from langchain_community.document_loaders import PyMuPDFLoader
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap)
    chunks: list[Document] = []
    for source, path in files:
        try:
            pages = PyMuPDFLoader(str(path)).load()
        except Exception as e:  # one unreadable file must not stop the baseline
            log.warning("baseline skipped %s: %s", source, e)
            continue
        for page in pages:
            page.metadata = {"source": source, "page": page.metadata.get("page", 0)}
        for piece in splitter.split_documents([p for p in pages if p.page_content.strip()]):
            piece.metadata = {**piece.metadata, "chunk_id": f"{source}#{len(chunks)}"}
            chunks.append(piece)
    return chunks


def unique_sources(documents: Sequence[Document], k: int) -> list[str]:
    """Sources in rank order, each once (a document is ranked by its best chunk), at most k."""
    seen: dict[str, None] = {}
    for d in documents:
        seen.setdefault(d.metadata["source"], None)
        if len(seen) >= k:
            break
    return list(seen)


@dataclass
class PatientBaselines:
    """One patient's three baseline retrievers (the dense and ensemble ones share the FAISS store)."""

    chunks: int
    retrievers: dict = field(default_factory=dict)

    def rank(self, method: str, question: str, k: int = 10) -> list[str]:
        retriever = self.retrievers.get(method)
        if retriever is None:
            return []
        return unique_sources(retriever.invoke(question), k)


def build_patient(chunks: list[Document], embeddings: CarnetEmbeddings) -> PatientBaselines:
    if not chunks:
        return PatientBaselines(chunks=0)
    from langchain_classic.retrievers import EnsembleRetriever
    from langchain_community.retrievers import BM25Retriever
    from langchain_community.vectorstores import FAISS

    n = len(chunks)  # rank every chunk of the patient: documents are then ranked by their best chunk
    store = FAISS.from_documents(chunks, embeddings)
    dense = store.as_retriever(search_kwargs={"k": n})
    bm25 = BM25Retriever.from_documents(chunks, preprocess_func=bm25_words, k=n)
    ensemble = EnsembleRetriever(retrievers=[dense, bm25], weights=[0.5, 0.5], id_key="chunk_id")
    return PatientBaselines(chunks=n, retrievers={"dense": dense, "bm25": bm25, "ensemble": ensemble})


class Baselines:
    """The three baselines over a Carnet store, built lazily per patient, once per run."""

    def __init__(self, store, embedder: Embedder, *, chunk_size: int = 900, chunk_overlap: int = 120):
        if chunk_overlap >= chunk_size:
            raise InvalidInput(f"chunk_overlap must be smaller than chunk_size. Currently, {chunk_overlap} >= {chunk_size}")
        self.embeddings = CarnetEmbeddings(embedder)
        self.chunk_size = chunk_size
        self.chunk_overlap = chunk_overlap
        self._corpus = corpus_from_store(store)
        self._patients: dict[str, PatientBaselines] = {}
        self.build_seconds = 0.0

    def for_patient(self, patient_id: str) -> PatientBaselines:
        built = self._patients.get(patient_id)
        if built is None:
            t0 = time.perf_counter()
            chunks = load_chunks(self._corpus.get(patient_id, []), self.chunk_size, self.chunk_overlap)
            built = build_patient(chunks, self.embeddings)
            self._patients[patient_id] = built
            self.build_seconds += time.perf_counter() - t0
        return built

    def build(self, patient_ids: Sequence[str]) -> None:
        """Build the indexes of these patients now (so query latencies exclude building)."""
        for patient_id in dict.fromkeys(patient_ids):
            self.for_patient(patient_id)

    def rank(self, method: str, patient_id: str, question: str, k: int = 10) -> list[str]:
        if method not in BASELINE_NAMES:
            raise InvalidInput(f"Unknown baseline {method!r}: use one of {', '.join(BASELINE_NAMES)}.")
        return self.for_patient(patient_id).rank(method, question, k)

    def stats(self) -> dict:
        return {
            "patients": len(self._patients),
            "chunks": sum(p.chunks for p in self._patients.values()),
            "passages_embedded": self.embeddings.passages_embedded,
            "build_seconds": round(self.build_seconds, 2),
            "embed_seconds": round(self.embeddings.seconds, 2),
        }
