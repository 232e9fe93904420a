"""Which documents a person should check: understanding was unsure of what the document is or when the
act took place ("à vérifier" on the page, `needs_review` in the API and `carnet documents --json`).

The floors were set on the hand-written development set and the generated samples: a type confidence under
0.4 or, for a clinical document, no date of the act or a date confidence under 0.3 flags 4 of 104
hand-written documents (4 of its 9 with a wrong type or date) and none of the 228 samples. Metadata given by
the source (sidecar, CDA header) is never flagged.
"""

from __future__ import annotations

TYPE_CONFIDENCE_FLOOR = 0.4
DATE_CONFIDENCE_FLOOR = 0.3


def needs_review(doc) -> bool:
    """`doc` is a stored document (carnet.records.StoredDocument: type_confidence, date_confidence, service_date, is_noise, metadata_source)."""
    if doc.metadata_source in ("sidecar", "cda"):
        return False
    type_confidence = doc.type_confidence
    if type_confidence is not None and type_confidence < TYPE_CONFIDENCE_FLOOR:
        return True
    if doc.is_noise:
        return False  # an administrative paper's date matters little
    date_confidence = doc.date_confidence
    return not doc.service_date or (date_confidence is not None and date_confidence < DATE_CONFIDENCE_FLOOR)
