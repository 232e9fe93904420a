"""The wire format of answers and documents, shared by `carnet ask --json` and the API."""

from __future__ import annotations

from dataclasses import asdict

from carnet import codes
from carnet.models import Answer, DocumentHit, Interpretation
from carnet.review import needs_review
from query import ambiguity
from query.chips import describe, describe_alternatives
from query.retrieve import asked_terms, snippet, topic_words


def coded(code: str | None, label: str | None) -> dict | None:
    return {"code": code, "label": label} if code else None


def document_summary(doc: dict) -> dict:
    """A document as listed: ids, what it is, who wrote it, when the act took place."""
    return {
        "id": doc["id"],
        "source": doc["source"],
        "title": doc.get("title"),
        "type": coded(doc.get("type_code"), codes.type_label(doc.get("type_code"))),
        "specialty": coded(doc.get("specialty_code"), codes.specialty_label(doc.get("specialty_code"))),
        "date": doc.get("service_date"),
        "author": doc.get("author"),
        "organisation": doc.get("organisation"),
        "language": doc.get("language"),
        "is_noise": bool(doc.get("is_noise")),
        "canonical_id": doc.get("canonical_id"),
        "needs_review": needs_review(doc),
    }


def document_detail(doc: dict) -> dict:
    """Everything Carnet knows about a document (metadata, confidences, OCR, duplicates, sections)."""
    out = document_summary(doc)
    out.update({
        "patient": doc.get("patient_id"),
        "class_code": doc.get("class_code"),
        "specialty_group": doc.get("specialty_group"),
        "service_end_date": doc.get("service_end_date"),
        "confidence": {"type": doc.get("type_confidence"), "specialty": doc.get("specialty_confidence"),
                       "date": doc.get("date_confidence")},
        "specialty_candidates": list(doc.get("specialty_candidates") or []),
        "page_count": doc.get("page_count"),
        "ocr": {"pages": doc.get("ocr_pages") or [], "confidence": doc.get("ocr_confidence")},
        "noise_reason": doc.get("noise_reason"),
        "duplicate_kind": doc.get("duplicate_kind"),
        "duplicate_sources": doc.get("duplicate_sources") or [],
        "metadata_source": doc.get("metadata_source"),
        "exam_keys": doc.get("exam_keys") or [],
        "analyte_keys": doc.get("analyte_keys") or [],
        "sections": [s["name"] for s in doc.get("sections") or []],
        "ingested_at": doc.get("ingested_at"),
        "confidentiality": doc.get("confidentiality"),
        "set_id": doc.get("set_id"),
        "version_number": doc.get("version_number"),
        "coded_entries": doc.get("coded_entries") or [],
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
