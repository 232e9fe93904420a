"""The scaled store of `make bench`: N synthetic patients around the real ones, written through the Store
protocol.

`build_scaled_store` fills a fresh SQLite store with synthetic patients (documents of the usual types and
specialties, chunks of French words drawn with the real corpus's word frequencies, random unit vectors),
written with `Store.add_documents` in transactions of ~50k chunks, and writes the seed store's real
patients again (as NewDocuments read back from the seed) in the middle of the patient numbers, so that
their chunk ids lie among the synthetic ones. eval/bench.py and eval/bench_postgres.py time questions on it.
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from dataclasses import asdict
from datetime import date
from pathlib import Path

import numpy as np

from carnet.models import Chunk, DocMeta
from carnet.records import NewDocument, Patient, StoredChunk, StoredDocument, Versioning
from carnet.text import fold
from index.protocol import Store
from index.sqlite import SQLiteStore

_FIRST_DAY = date(2015, 1, 1).toordinal()  # synthetic service dates: 2015 .. 2025
# Document types and specialties the synthetic patients' documents carry (so filters have work to do).
_BULK_TYPES = ("11488-4", "11502-2", "18748-4", "11490-0", "57833-6", "34112-3", "15507-7", "34874-8")
_BULK_SPECIALTIES = ("SM04", "SM26", "SM54", "SM44", "SM32", "SM40", "SM38", None)
# Used with the real corpus's words, or alone when the corpus is tiny.
_FALLBACK_WORDS = """patient patiente examen conclusion compte rendu consultation traitement antecedents
cardiologie cardiaque echographie scanner thoracique abdominal biologie bilan sanguin hemoglobine creatinine
cholesterol glycemie tension arterielle fibrillation atriale insuffisance renale chronique diabete type
hypertension dyspnee douleur thoracique effort ecg rythme sinusal anticoagulant apixaban metformine
radiographie pulmonaire nodule lobe inferieur droit gauche contrôle mois semaines hospitalisation sortie
service urgence chirurgie operatoire anesthesie ordonnance posologie comprime matin soir biopsie resultat
normal anormal stable evolution favorable suivi rendez vous docteur centre hospitalier laboratoire""".split()

def _patient_chunks(store: Store, patient: Patient) -> list[StoredChunk]:
    """A patient's chunks in chunk-id order (the order they were written in)."""
    chunks = [c for d in store.documents(patient.id) for c in store.document_chunks(d.id)]
    return sorted(chunks, key=lambda c: c.id)


def corpus_vocabulary(seed: Store, limit: int = 4000) -> tuple[list[str], np.ndarray]:
    """Folded words of the real chunks with their frequencies (plus a fallback list), as sampling weights."""
    counts: Counter[str] = Counter()
    for patient in seed.iter_patients():
        for chunk in _patient_chunks(seed, patient):
            counts.update(w for w in fold(chunk.text).split() if len(w) >= 3 and w.isalpha())
    for w in _FALLBACK_WORDS:
        counts[w] += 1
    words, freq = zip(*counts.most_common(limit))
    weights = np.asarray(freq, dtype=np.float64)
    return list(words), weights / weights.sum()


def _bulk_patients(store: Store, nums: range, *, chunks_per_patient: int, docs_per_patient: int,
                   dim: int, texts: list[str], rng: np.random.Generator) -> None:
    """Write synthetic patients `nums` with their documents and chunks (random unit vectors) through
    `Store.add_documents`, ~50k chunks per transaction. Patient `num` is named B{num:07d}; the store
    numbers patients in the order they are first written, which `build_scaled_store` checks."""
    batch = max(1, 50_000 // chunks_per_patient)  # ~50k chunks per transaction
    for start in range(nums.start, nums.stop, batch):
        block = range(start, min(nums.stop, start + batch))
        vectors = rng.standard_normal((len(block) * chunks_per_patient, dim), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        picks = rng.integers(0, len(texts), size=len(block) * chunks_per_patient)
        days = rng.integers(0, 4000, size=len(block) * docs_per_patient)
        news = []
        for num in block:
            pid = f"B{num:07d}"
            first = (num - block.start) * chunks_per_patient
            for j in range(docs_per_patient):
                type_code = _BULK_TYPES[(num + j) % len(_BULK_TYPES)]
                specialty = _BULK_SPECIALTIES[(num * 7 + j) % len(_BULK_SPECIALTIES)]
                day = int(days[(num - block.start) * docs_per_patient + j])
                meta = DocMeta(type_code=type_code, type_confidence=0.9, specialty_code=specialty,
                               specialty_confidence=0.9, service_date=date.fromordinal(_FIRST_DAY + day),
                               date_confidence=0.9, title=f"Document {j}", language="fr")
                # chunk s of the patient belongs to document s % docs_per_patient
                seqs = range(j, chunks_per_patient, docs_per_patient)
                chunks = [Chunk("", 1, 0, len(texts[picks[first + s]]), None, texts[picks[first + s]]) for s in seqs]
                news.append(NewDocument(
                    patient_id=pid, content_sha256=f"{num:056x}{j:08x}", source=f"{pid}/doc{j}.pdf", meta=meta,
                    chunks=chunks, vectors=vectors[[first + s for s in seqs]].reshape(len(chunks), dim),
                    page_count=1, file_size=40_000))
        store.add_documents(news)


def _copy_document(seed: Store, doc: StoredDocument, vectors: dict[int, np.ndarray]) -> NewDocument:
    """A seed store's document as the NewDocument that writes it again: the same row, chunks, vectors,
    lab values (LabRow minus what the store adds), facts and stored PDF."""
    chunks = seed.document_chunks(doc.id)
    embedded = all(c.id in vectors for c in chunks)
    meta = DocMeta(
        type_code=doc.type_code, type_confidence=doc.type_confidence or 0.0, specialty_code=doc.specialty_code,
        specialty_confidence=doc.specialty_confidence or 0.0, specialty_candidates=doc.specialty_candidates,
        service_date=doc.service_date, service_end_date=doc.service_end_date,
        date_confidence=doc.date_confidence or 0.0, author=doc.author, organisation=doc.organisation,
        title=doc.title, language=doc.language or "fr", sections=doc.sections, exam_keys=doc.exam_keys,
        analyte_keys=doc.analyte_keys, is_noise=doc.is_noise, noise_reason=doc.noise_reason,
        metadata_source=doc.metadata_source or "inferred", confidentiality=doc.confidentiality,
        author_id=doc.author_id)
    pdf = seed.pdf_path(doc.id)
    return NewDocument(
        patient_id=doc.patient_id, content_sha256=doc.content_sha256, source=doc.source, meta=meta,
        chunks=[Chunk(doc.id, c.page, c.char_start, c.char_end, c.section, c.text) for c in chunks],
        pdf_bytes=pdf.read_bytes() if pdf.is_file() else b"",
        vectors=np.stack([vectors[c.id] for c in chunks]) if embedded and chunks else None,
        page_count=doc.page_count or 0, ocr_pages=doc.ocr_pages, ocr_confidence=doc.ocr_confidence,
        fingerprint=doc.fingerprint, file_size=doc.file_size or 0,
        lab_values=[{k: v for k, v in asdict(lab).items() if k not in ("document_id", "service_date", "source")}
                    for lab in seed.lab_values(doc.patient_id) if lab.document_id == doc.id],
        facts=seed.document_facts(doc.id),
        versioning=Versioning(cda_id=doc.cda_id, set_id=doc.set_id, version_number=doc.version_number),
        coded_entries=doc.coded_entries)


def _copy_real_patients(store: Store, seed: Store) -> int:
    """Write the seed store's (real) patients again through the Store protocol, each with its documents in
    the order they were written (so their chunks keep their sequence), their other files and their links
    to canonical documents; the store numbers them after the patients already in it. Lab values are read
    through `Store.lab_values`, which leaves out documents replaced by a newer version (no question reads
    theirs). Returns how many patients."""
    n = 0
    for patient in seed.iter_patients():
        n += 1
        store.ensure_patient(patient.id, patient.name)
        ids, vecs = seed.chunk_vectors(patient.num)
        vectors = {int(i): v for i, v in zip(ids, vecs)}
        docs = seed.documents(patient.id)
        first_chunk = {d.id: min((c.id for c in seed.document_chunks(d.id)), default=1 << 62) for d in docs}
        docs.sort(key=lambda d: first_chunk[d.id])
        store.add_documents([_copy_document(seed, d, vectors) for d in docs])
        for d in docs:
            for source in d.duplicate_sources:
                store.add_duplicate_file(d.id, source)
        links: dict[tuple[str, str], list[str]] = {}
        for d in docs:
            if d.canonical_id:
                links.setdefault((d.canonical_id, d.duplicate_kind or ""), []).append(d.id)
        for (canonical, kind), replaced in links.items():
            store.set_canonical(replaced, canonical, kind)
    return n


def build_scaled_store(home: Path, seed_home: Path, n_patients: int, *, chunks_per_patient: int, docs_per_patient: int,
                       words_per_chunk: int, dim: int, seed: int = 8) -> dict:
    """A store with `n_patients` synthetic patients and the seed's real patients in the middle of the id space,
    written through the Store protocol (the real schema, FTS and stem rows as ingest writes them)."""
    if home.exists():
        shutil.rmtree(home)
    t0 = time.perf_counter()
    store = SQLiteStore(home)
    seed_store = SQLiteStore(seed_home)
    try:
        home.mkdir(parents=True, exist_ok=True)
        shutil.copy(seed_home / "manifest.json", home / "manifest.json")
        rng = np.random.default_rng(seed)
        words, weights = corpus_vocabulary(seed_store)
        pool = rng.choice(len(words), size=(min(20_000, max(1000, n_patients * chunks_per_patient // 20)),
                                            words_per_chunk), p=weights)
        texts = [" ".join(words[i] for i in row) for row in pool]  # folded already, as the FTS rows are
        half = n_patients // 2
        common = dict(chunks_per_patient=chunks_per_patient, docs_per_patient=docs_per_patient, dim=dim, texts=texts,
                      rng=rng)
        _bulk_patients(store, range(1, half + 1), **common)
        real = _copy_real_patients(store, seed_store)
        _bulk_patients(store, range(half + real + 1, n_patients + real + 1), **common)
        for num in {1, half, half + real + 1, n_patients + real} & set(range(1, n_patients + real + 1)):
            if not half < num <= half + real and store.patient(f"B{num:07d}").num != num:
                raise RuntimeError(f"patient B{num:07d} was numbered {store.patient(f'B{num:07d}').num}")
        chunks = store.counts()["chunks"]
    finally:
        seed_store.close()
        store.close()
    return {
        "patients": n_patients + real,
        "real_patients": real,
        "real_first_num": half + 1,
        "chunks": chunks,
        "build_s": round(time.perf_counter() - t0, 1),
        "db_gb": round((home / "carnet.db").stat().st_size / 1e9, 3),
    }
