"""Document understanding: ExtractedDocument -> DocMeta (type, specialty, date of the act, sections...).

Rules and lexicons, no model: fast (a few ms per document) and explainable. One module per concern:
language, doctype (+ noise), specialty, dates, sections, people (author / organisation / title), keys.
Metadata supplied by the source (sidecar JSON, CDA header: see ingest.sources) wins over inference.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from carnet.codes import is_administrative
from carnet.models import DocMeta, ExtractedDocument

from .context import Context
from .dates import choose_service_date, find_dates, score_dates
from .doctype import ADMIN, CONSULT, DIAG, IMAGING, LAB, OPHTHALMO_CONSULT, classify_type
from .domain import domain_scores, dominant_domain
from .keys import analyte_keys, exam_keys
from .language import detect_language
from .people import find_author, find_organisation, find_title
from .sections import find_sections, section_lines
from .specialty import CONTENT_TYPES, infer_specialty, specialty_scores

__all__ = ["understand", "understand_text"]

_FIELDS = {f.name for f in dataclasses.fields(DocMeta)}


def understand(doc: ExtractedDocument, overrides: dict[str, Any] | None = None) -> DocMeta:
    """What the document is, who wrote it, when the act took place. `overrides` (from a sidecar or a
    CDA header) replace the inferred values field by field."""
    return understand_text(doc.text, overrides)


def understand_text(text: str, overrides: dict[str, Any] | None = None) -> DocMeta:
    overrides = {k: v for k, v in (overrides or {}).items() if k in _FIELDS and v is not None}
    ctx = Context(text)
    language, _ = detect_language(ctx.folded)
    sections = find_sections(ctx)
    spec_points = specialty_scores(ctx)
    hint = max(spec_points, key=spec_points.get) if spec_points else None

    noise_reason = None
    if overrides.get("type_code"):
        type_code, type_confidence = overrides["type_code"], overrides.get("type_confidence", 1.0)
    else:
        type_code, type_confidence, noise_reason = classify_type(ctx, hint, language)

    # the technique names the act done; the indication why it was done (an earlier exam, often)
    exams = exam_keys(ctx, section_lines(ctx, sections, "technique"), act=type_code in (DIAG, IMAGING),
                      indication_lines=section_lines(ctx, sections, "indication"))

    candidates: tuple[str, ...] = ()
    if type_code == ADMIN:
        specialty, specialty_confidence = None, 0.0  # who sends an invoice or a convocation is not an author
    else:
        domain = dominant_domain(domain_scores(ctx, sections)) if type_code in CONTENT_TYPES else None
        specialty, specialty_confidence, candidates = infer_specialty(ctx, type_code, exams, spec_points, domain)
        if type_code == CONSULT and specialty == "SM38":
            type_code = OPHTHALMO_CONSULT  # an ophthalmologist's consultation has its own LOINC type

    history = section_lines(ctx, sections, "antecedents")
    scored = score_dates(ctx, find_dates(ctx), type_code, history)
    service_date, date_confidence = choose_service_date(scored, type_code)

    meta = DocMeta(
        type_code=type_code,
        type_confidence=type_confidence,
        specialty_code=specialty,
        specialty_confidence=specialty_confidence,
        specialty_candidates=candidates if specialty is None else (),
        service_date=service_date,
        date_confidence=date_confidence,
        author=find_author(ctx),
        organisation=find_organisation(ctx),
        title=find_title(ctx),
        language=language,
        sections=sections,
        exam_keys=exams,
        analyte_keys=analyte_keys(ctx, type_code == LAB),
        is_noise=type_code == ADMIN,
        noise_reason=(noise_reason or "administrative document") if type_code == ADMIN else None,
    )
    if overrides:
        meta = dataclasses.replace(meta, **overrides)
        if is_administrative(overrides.get("type_code")) and not meta.is_noise:
            meta = dataclasses.replace(meta, is_noise=True, noise_reason="administrative document (source metadata)")
        elif "type_code" in overrides and not is_administrative(overrides["type_code"]) and meta.is_noise:
            meta = dataclasses.replace(meta, is_noise=False, noise_reason=None)
    return meta
