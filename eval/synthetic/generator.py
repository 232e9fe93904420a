"""generate_corpus: stream patients one by one into OUT/<patient>/<hex>.pdf plus jsonl truth files."""

from __future__ import annotations

import copy
import json
import random
import unicodedata
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Callable

from . import render, stories, vocab
from .model import Doc, Patient
from .queries import make_queries

P_DUPLICATE = 0.035  # exact copy, second file
P_CORRECTED = 0.025  # near duplicate: a corrected version replaces the first one
P_SCANNED = 0.03  # image-only PDF
CORRECTABLE = {"consult", "imaging", "diag", "discharge", "pathology", "lab"}

ADDENDA = [
    "Addendum : correction d'une erreur de latéralité dans la description ; la conclusion est inchangée.",
    "Rectificatif : le traitement de sortie comporte bien la posologie indiquée ci-dessus (erreur de saisie dans la version précédente).",
    "Correction : erreur de frappe sur une valeur numérique dans la version initiale.",
    "Complément : avis du second lecteur intégré au compte rendu.",
]
LAB_ADDENDA = [
    "Compte rendu complété : résultat validé après contrôle sur le même prélèvement.",
    "Correction de l'unité d'un résultat, erreur de transcription dans la version précédente.",
    "Ajout du commentaire biologique ; les résultats sont inchangés.",
]


def _corrected(doc: Doc, original_creation, rng: random.Random) -> Doc:
    new = copy.copy(doc)
    new.body = list(doc.body)
    hdr = ("<p style='color:#b00000'><b>COMPTE RENDU MODIFIÉ — annule et remplace la version éditée le "
           f"{vocab.fr_date(original_creation, 'slash')}</b></p>")
    new.body.insert(0, (None, hdr))
    addenda = LAB_ADDENDA if doc.kind == "lab" else ADDENDA
    new.body.append((None, f"<p><i>{rng.choice(addenda)}</i></p>"))
    new.creation = original_creation + timedelta(days=rng.randint(1, 8))
    return new


def _record(doc: Doc, p: Patient, source: str, pages: int, **extra) -> dict:
    rec = {"source": source, "patient": p.pid, "type_code": doc.type_code, "specialty_code": doc.specialty_code,
           "service_date": doc.service_date.isoformat(), "author": doc.author.name, "organisation": doc.author.organisation,
           "language": doc.language, "is_noise": doc.is_noise, "duplicate_of": None, "near_duplicate_of": None,
           "title": doc.title, "scanned": doc.scanned, "pages": pages, "exam_keys": list(doc.exam_keys),
           "lab_values": doc.lab_values, "topics": list(doc.topics)}
    rec.update(extra)
    return rec


def _pages(pdf: bytes) -> int:
    import pymupdf
    with pymupdf.open("pdf", pdf) as d:
        return len(d)


def _keep_shown_values(doc: Doc, pdf: bytes) -> None:
    """Truth describes the PDF: a lab row the layout engine failed to place (PyMuPDF's Story has been seen
    to drop a table that starts at the foot of a page) is not a value of this document."""
    if not doc.lab_values:
        return
    import pymupdf
    def letters(text: str) -> str:  # wrapped, hyphenated and ligatured ("ﬁ") cells compare equal
        return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())

    with pymupdf.open("pdf", pdf) as d:
        text = letters("".join(page.get_text() for page in d))
    doc.lab_values = [lv for lv in doc.lab_values if letters(lv["label"]) in text]


def generate_patient(index: int, seed: int, out_dir: Path) -> tuple[dict, list[dict], list[dict]]:
    rng = random.Random(f"carnet-synthetic:{seed}:{index}")
    p = stories.make_patient(index, rng)
    docs = stories.plan(p, rng)
    pdir = out_dir / p.pid
    pdir.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()

    def name() -> str:
        while True:
            n = f"{rng.getrandbits(32):08x}"
            if n not in used:
                used.add(n)
                return f"{p.pid}/{n}.pdf"

    records: list[dict] = []
    for doc in docs:
        doc.creation = doc.creation or (doc.letter_date or doc.service_date) + timedelta(days=rng.choice([0, 0, 1, 2, 5, 14]))
        doc.scanned = rng.random() < P_SCANNED
        doc_seed = rng.getrandbits(64)
        pdf = render.render(doc, p, random.Random(doc_seed))
        _keep_shown_values(doc, pdf)
        if doc.scanned:
            pdf = render.scan(pdf, doc, random.Random(doc_seed ^ 1))
        src = name()
        correct = doc.kind in CORRECTABLE and not doc.scanned and rng.random() < P_CORRECTED
        dup = rng.random() < P_DUPLICATE
        if correct:
            newdoc = _corrected(doc, doc.creation, rng)
            pdf2 = render.render(newdoc, p, random.Random(doc_seed))
            _keep_shown_values(newdoc, pdf2)
            src2 = name()
            doc.is_noise = True  # superseded version
            (pdir / Path(src).name).write_bytes(pdf)
            (pdir / Path(src2).name).write_bytes(pdf2)
            records.append(_record(doc, p, src, _pages(pdf), near_duplicate_of=src2))
            records.append(_record(newdoc, p, src2, _pages(pdf2), near_duplicate_of=src, is_noise=False))
            src, pdf = src2, pdf2
            doc = newdoc
        else:
            (pdir / Path(src).name).write_bytes(pdf)
            records.append(_record(doc, p, src, _pages(pdf)))
        if dup:
            src3 = name()
            (pdir / Path(src3).name).write_bytes(pdf)
            records.append(_record(doc, p, src3, records[-1]["pages"], is_noise=True, duplicate_of=src))
    patient = {"patient": p.pid, "name": f"{p.first} {p.last}", "birth_date": p.birth.isoformat(), "sex": p.sex}
    queries = make_queries(p.pid, records, random.Random(f"carnet-queries:{seed}:{index}"))
    return patient, records, queries


def generate_corpus(out_dir: Path, patients: int, seed: int,
                    progress: Callable[[int, int], None] | None = None) -> dict:
    """Write `patients` synthetic patients under out_dir; return summary counts.

    Streams patient by patient (bounded memory): PDFs, then one line per document in truth.jsonl,
    one line per patient in patients.jsonl, labelled questions in queries.jsonl.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: Counter = Counter()
    kinds: Counter = Counter()
    types: Counter = Counter()
    with (out_dir / "truth.jsonl").open("w", encoding="utf-8") as ft, \
            (out_dir / "patients.jsonl").open("w", encoding="utf-8") as fp, \
            (out_dir / "queries.jsonl").open("w", encoding="utf-8") as fq:
        for i in range(patients):
            patient, records, queries = generate_patient(i, seed, out_dir)
            fp.write(json.dumps(patient, ensure_ascii=False) + "\n")
            for r in records:
                ft.write(json.dumps(r, ensure_ascii=False) + "\n")
                types[r["type_code"]] += 1
                counts["documents"] += 1
                counts["noise"] += r["is_noise"]
                counts["exact_duplicates"] += bool(r["duplicate_of"])
                counts["superseded"] += bool(r["near_duplicate_of"]) and r["is_noise"]
                counts["scanned"] += r["scanned"]
                counts["english"] += r["language"] == "en"
                counts["pages"] += r["pages"]
            for q in queries:
                fq.write(json.dumps(q, ensure_ascii=False) + "\n")
                kinds[q["kind"]] += 1
                counts["queries"] += 1
                counts[f"queries_{q['lang']}"] += 1
            counts["patients"] += 1
            if progress:
                progress(i + 1, patients)
    return {**dict(counts), "types": dict(sorted(types.items())), "query_kinds": dict(sorted(kinds.items())), "seed": seed}
