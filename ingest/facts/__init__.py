"""Clinical facts read from a document at ingestion: allergies, medication lines, problems.

`extract_facts(doc, meta)` cuts the document's pages into blocks under their section headings
(ingest/facts/blocks), reads each kind of fact from the blocks that state it and stamps every fact with its
provenance (the date of the act, the author, the page, whether the page was read by OCR and how well).
Pages read by OCR below MIN_OCR_CONFIDENCE give no fact: a misread drug name or dose is worse than none.
Nothing here logs text.
"""

from __future__ import annotations

from dataclasses import replace

from carnet import codes
from carnet.facts import Fact
from carnet.models import DocMeta, ExtractedDocument
from carnet.text import fold

from ingest.facts import assertion, drugs
from .allergies import extract_allergies
from .blocks import blocks
from .medications import extract_medications
from .problems import extract_problems

MIN_OCR_CONFIDENCE = 0.80
# Documents that state no clinical fact of their own (a lab report's rows are lab values, not problems).
_NO_FACTS = {codes.LAB}


def extract_facts(doc: ExtractedDocument, meta: DocMeta) -> list[Fact]:
    if meta.is_noise or meta.type_code in _NO_FACTS:
        return []
    pages = {p.number: p for p in doc.pages}
    readable = [(p.number, p.text) for p in doc.pages
                if not p.ocr or (p.ocr_confidence or 0.0) >= MIN_OCR_CONFIDENCE]
    if not readable:
        return []
    bs = blocks(readable)
    language = meta.language or "fr"
    found = (extract_allergies(bs, language) + extract_medications(bs, language, meta.type_code, meta.service_date)
             + extract_problems(bs, language))
    out: list[Fact] = []
    seen: set[tuple] = set()
    for f in found:
        key = (f.kind, fold(f.name), f.status, f.dose and fold(f.dose), f.statement)
        if key in seen:  # a list repeated on the page (a wrapped letter, a copy for the patient)
            continue
        seen.add(key)
        page = pages.get(f.page)
        ocr = bool(page and page.ocr)
        out.append(replace(f, service_date=meta.service_date, author=meta.author,
                           source="ocr" if ocr else "text", confidence=page.ocr_confidence if ocr else None))
    return out


def warm_up() -> None:
    """Build edsnlp's pipelines now rather than on the first document."""
    assertion.warm_up()
    drugs.warm_up()
