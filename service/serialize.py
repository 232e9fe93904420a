"""The one mapping from the library's records and answers to the wire models (service/wire.py), shared by
`carnet ... --json` (which prints `model_dump(mode="json")`) and the API (which returns the models)."""

from __future__ import annotations

from carnet import codes
from carnet.models import Answer, DocumentHit, Interpretation
from carnet.records import Grant, PatientSummary, StoredDocument, iso
from carnet.review import needs_review
from query import ambiguity
from query.chips import describe, describe_alternatives
from query.passages import snippet
from query.question_terms import asked_terms, topic_words
from service.wire import (AnswerOut, CitationOut, Coded, DateRangeOut, DocumentDetailOut, DocumentOut, GrantOut,
                          HitOut, InterpretationOut, OcrOut, PatientOut, SummaryOut, SummarySentenceOut)


def coded(code: str | None, label: str | None) -> Coded | None:
    return Coded(code=code, label=label) if code else None


def grant_out(g: Grant) -> GrantOut:
    """A care-team grant as the API and `carnet access list --json` write it."""
    return GrantOut(practitioner=g.practitioner, patient=g.patient_id, granted_by=g.granted_by,
                    granted_at=g.granted_at)


def patient_out(p: PatientSummary) -> PatientOut:
    """A line of a patient list."""
    return PatientOut(id=p.id, name=p.name, document_count=p.document_count, latest_date=iso(p.latest_date))


def _listed(doc: StoredDocument) -> dict:
    """The fields of DocumentOut, which HitOut and DocumentDetailOut extend."""
    return dict(
        id=doc.id,
        source=doc.source,
        title=doc.title,
        type=coded(doc.type_code, codes.type_label(doc.type_code)),
        specialty=coded(doc.specialty_code, codes.specialty_label(doc.specialty_code)),
        date=iso(doc.service_date),
        author=doc.author,
        organisation=doc.organisation,
        language=doc.language,
        is_noise=bool(doc.is_noise),
        canonical_id=doc.canonical_id,
        needs_review=needs_review(doc),
    )


def document_out(doc: StoredDocument) -> DocumentOut:
    """A document as listed: ids, what it is, who wrote it, when the act took place."""
    return DocumentOut(**_listed(doc))


def document_detail_out(doc: StoredDocument) -> DocumentDetailOut:
    """Everything Carnet knows about a document (metadata, confidences, OCR, duplicates, sections)."""
    return DocumentDetailOut(
        **_listed(doc),
        patient=doc.patient_id,
        class_code=doc.class_code,
        specialty_group=doc.specialty_group,
        service_end_date=iso(doc.service_end_date),
        confidence={"type": doc.type_confidence, "specialty": doc.specialty_confidence, "date": doc.date_confidence},
        specialty_candidates=list(doc.specialty_candidates),
        page_count=doc.page_count,
        ocr=OcrOut(pages=list(doc.ocr_pages), confidence=doc.ocr_confidence),
        noise_reason=doc.noise_reason,
        duplicate_kind=doc.duplicate_kind,
        duplicate_sources=list(doc.duplicate_sources),
        metadata_source=doc.metadata_source,
        exam_keys=list(doc.exam_keys),
        analyte_keys=list(doc.analyte_keys),
        sections=[s.name for s in doc.sections],
        ingested_at=doc.ingested_at,
        confidentiality=",".join(doc.confidentiality) or None,  # as the source wrote them, comma-separated
        set_id=doc.set_id,
        version_number=doc.version_number,
        coded_entries=list(doc.coded_entries),
    )


def interpretation_out(interp: Interpretation, language: str | None = None) -> InterpretationOut:
    """How the question was read; the chips' labels in `language` (default: the question's)."""
    dates = interp.date_range
    language = language or interp.language
    return InterpretationOut(
        question=interp.question,
        type_codes=list(interp.type_codes),
        specialty_groups=list(interp.specialty_groups),
        exam_keys=list(interp.exam_keys),
        analyte_keys=list(interp.analyte_keys),
        date_range=DateRangeOut(start=iso(dates.start), end=iso(dates.end), phrase=dates.phrase) if dates else None,
        order=interp.order,
        count=interp.count,
        topic=interp.topic,
        language=interp.language,
        interpreter=interp.interpreter,
        chips=describe(interp, language),
        alternatives=describe_alternatives(interp, language),
        ambiguity=ambiguity.describe(interp, language),  # each ambiguous word with the sentence that says how it was read
    )


def hit_out(hit: DocumentHit, words: list[str] | None = None) -> HitOut:
    chunk = hit.best_chunk
    return HitOut(
        **_listed(hit.document),
        score=hit.score,
        rank=hit.rank,
        page=chunk.page if chunk else None,
        section=chunk.section if chunk else None,
        snippet=snippet(chunk.text, words or ([chunk.section] if chunk.section else []),
                        boilerplate=chunk.boilerplate) if chunk else None,
        matched_by=list(hit.matched_by),
    )


def answer_out(answer: Answer, language: str | None = None) -> AnswerOut:
    """`language` sets the language of the chips' labels (default: the question's)."""
    summary = None
    if answer.summary is not None:
        summary = SummaryOut(
            text=answer.summary.text,
            mode=answer.summary.mode,
            sentences=[SummarySentenceOut(text=s.text, document_id=s.citation.document_id, page=s.citation.page)
                       for s in answer.summary.sentences],
            citations=[CitationOut(document_id=c.document_id, page=c.page) for c in answer.summary.citations],
            dropped_sentences=answer.summary.dropped_sentences,
        )
    words = topic_words(answer.interpretation) + asked_terms(answer.interpretation)
    return AnswerOut(
        question=answer.question,
        patient=answer.patient,
        interpretation=interpretation_out(answer.interpretation, language),
        documents=[hit_out(h, words) for h in answer.documents],
        alternatives=[hit_out(h, words) for h in answer.alternatives],
        summary=summary,
        message=answer.message,
        timings_ms=answer.timings_ms,
        facts=answer.facts,
        semantic_search=answer.semantic_search,
    )
