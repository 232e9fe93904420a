"""The wire format of answers and documents, shared by `carnet ask --json` and the API."""

from __future__ import annotations

from dataclasses import asdict

from carnet import codes
from carnet.models import Answer, DocumentHit, Interpretation
from carnet.records import Grant, PatientSummary, StoredDocument, iso
from carnet.review import needs_review
from query import ambiguity
from query.chips import describe, describe_alternatives
from query.passages import snippet
from query.question_terms import asked_terms, topic_words


def coded(code: str | None, label: str | None) -> dict | None:
    return {"code": code, "label": label} if code else None


def grant_dict(g: Grant) -> dict:
    """A care-team grant as the API and `carnet access list --json` write it."""
    return {"practitioner": g.practitioner, "patient": g.patient_id, "granted_by": g.granted_by,
            "granted_at": g.granted_at}


def patient_summary(p: PatientSummary) -> dict:
    """A line of a patient list."""
    return {"id": p.id, "name": p.name, "document_count": p.document_count, "latest_date": iso(p.latest_date)}


def document_summary(doc: StoredDocument) -> dict:
    """A document as listed: ids, what it is, who wrote it, when the act took place."""
    return {
        "id": doc.id,
        "source": doc.source,
        "title": doc.title,
        "type": coded(doc.type_code, codes.type_label(doc.type_code)),
        "specialty": coded(doc.specialty_code, codes.specialty_label(doc.specialty_code)),
        "date": iso(doc.service_date),
        "author": doc.author,
        "organisation": doc.organisation,
        "language": doc.language,
        "is_noise": bool(doc.is_noise),
        "canonical_id": doc.canonical_id,
        "needs_review": needs_review(doc),
    }


def document_detail(doc: StoredDocument) -> dict:
    """Everything Carnet knows about a document (metadata, confidences, OCR, duplicates, sections)."""
    out = document_summary(doc)
    out.update({
        "patient": doc.patient_id,
        "class_code": doc.class_code,
        "specialty_group": doc.specialty_group,
        "service_end_date": iso(doc.service_end_date),
        "confidence": {"type": doc.type_confidence, "specialty": doc.specialty_confidence,
                       "date": doc.date_confidence},
        "specialty_candidates": list(doc.specialty_candidates),
        "page_count": doc.page_count,
        "ocr": {"pages": list(doc.ocr_pages), "confidence": doc.ocr_confidence},
        "noise_reason": doc.noise_reason,
        "duplicate_kind": doc.duplicate_kind,
        "duplicate_sources": list(doc.duplicate_sources),
        "metadata_source": doc.metadata_source,
        "exam_keys": list(doc.exam_keys),
        "analyte_keys": list(doc.analyte_keys),
        "sections": [s.name for s in doc.sections],
        "ingested_at": doc.ingested_at,
        "confidentiality": ",".join(doc.confidentiality) or None,  # as the source wrote them, comma-separated
        "set_id": doc.set_id,
        "version_number": doc.version_number,
        "coded_entries": list(doc.coded_entries),
    })
    return out


def interpretation_dict(interp: Interpretation, language: str | None = None) -> dict:
    out = asdict(interp)
    if interp.date_range is not None:
        out["date_range"] = {
            "start": interp.date_range.start.isoformat() if interp.date_range.start else None,
            "end": interp.date_range.end.isoformat() if interp.date_range.end else None,
            "phrase": interp.date_range.phrase,
        }
    language = language or interp.language
    out.pop("ambiguities", None)  # described below, with the sentence that says how each was read
    out["chips"] = describe(interp, language)
    out["alternatives"] = describe_alternatives(interp, language)
    out["ambiguity"] = ambiguity.describe(interp, language)
    return out


def hit_dict(hit: DocumentHit, words: list[str] | None = None) -> dict:
    doc = hit.document
    out = document_summary(doc)
    chunk = hit.best_chunk
    out.update({
        "score": hit.score,
        "rank": hit.rank,
        "page": chunk.page if chunk else None,
        "section": chunk.section if chunk else None,
        "snippet": snippet(chunk.text, words or ([chunk.section] if chunk.section else []),
                           boilerplate=chunk.boilerplate) if chunk else None,
        "matched_by": list(hit.matched_by),
    })
    return out


def answer_dict(answer: Answer, language: str | None = None) -> dict:
    """`language` sets the language of the chips' labels (default: the question's)."""
    summary = None
    if answer.summary is not None:
        summary = {
            "text": answer.summary.text,
            "mode": answer.summary.mode,
            "sentences": [{"text": s.text, "document_id": s.citation.document_id, "page": s.citation.page}
                          for s in answer.summary.sentences],
            "citations": [{"document_id": c.document_id, "page": c.page} for c in answer.summary.citations],
            "dropped_sentences": answer.summary.dropped_sentences,
        }
    words = topic_words(answer.interpretation) + asked_terms(answer.interpretation)
    return {
        "question": answer.question,
        "patient": answer.patient,
        "interpretation": interpretation_dict(answer.interpretation, language),
        "documents": [hit_dict(h, words) for h in answer.documents],
        "alternatives": [hit_dict(h, words) for h in answer.alternatives],
        "summary": summary,
        "message": answer.message,
        "timings_ms": answer.timings_ms,
        "facts": answer.facts,
        "semantic_search": answer.semantic_search,
    }
