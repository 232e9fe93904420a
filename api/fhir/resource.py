"""A store row as an R4 DocumentReference: the DMP's metadata (LOINC type, XDS class, the author's G15_10/SMxx
specialty on a contained PractitionerRole, the date of the act as `context.period`), never the document text.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from api.fhir.systems import (
    ANALYTE_SYSTEM,
    CARNET_TYPE_SYSTEM,
    CLASS_LABELS,
    CLASS_SYSTEM,
    EXAM_SYSTEM,
    GROUP_SYSTEM,
    LOINC,
    SPECIALTY_SYSTEM,
    TAG_SYSTEM,
    TRE_A05_SYSTEM,
    resource_status,
)
from api.fhir.systems import base as _base
from carnet import codes
from carnet.lexicon import ANALYTES, EXAMS

def document_reference(doc: dict, base_url: str, store=None, replaces: Iterable[str] = ()) -> dict:
    """A store row as an R4 DocumentReference (the DMP's metadata; no document text)."""
    base = _base(base_url)
    type_code = doc.type_code
    label = codes.type_label(type_code)
    out: dict = {"resourceType": "DocumentReference", "id": doc.id}
    meta: dict = {}
    if doc.ingested_at:
        meta["lastUpdated"] = doc.ingested_at
    if doc.is_noise:
        tag = {"system": TAG_SYSTEM, "code": "noise", "display": "Document administratif (bruit)"}
        meta["tag"] = [tag]
    if meta:
        out["meta"] = meta
    role = _author_role(doc)
    if role is not None:
        out["contained"] = [role]
    out["status"] = resource_status(doc)
    out["docStatus"] = "final"  # what reaches a shared record is published
    if type_code:
        system = CARNET_TYPE_SYSTEM if type_code == "ADMIN" else LOINC if type_code[:1].isdigit() else TRE_A05_SYSTEM
        coding = {"system": system, "code": type_code}
        if label:
            coding["display"] = label
        out["type"] = {"coding": [coding], **({"text": label} if label else {})}
    if doc.class_code:
        coding = {"system": CLASS_SYSTEM, "code": doc.class_code}
        if doc.class_code in CLASS_LABELS:
            coding["display"] = CLASS_LABELS[doc.class_code]
        out["category"] = [{"coding": [coding]}]
    out["subject"] = {"reference": f"Patient/{doc.patient_id}"}
    if role is not None:
        author = {"reference": "#author"}
        if doc.author:
            author["display"] = doc.author
        out["author"] = [author]
    replaces = list(replaces)
    if replaces:
        out["relatesTo"] = [{"code": "replaces", "target": {"reference": f"DocumentReference/{d}"}} for d in replaces]
    attachment: dict = {"contentType": "application/pdf"}
    if doc.language:
        attachment["language"] = doc.language
    attachment["url"] = f"{base}v1/documents/{doc.id}/pdf"
    if doc.pdf_sha1 and doc.pdf_size:  # recorded at ingest
        attachment["size"] = doc.pdf_size
        attachment["hash"] = base64.b64encode(bytes.fromhex(doc.pdf_sha1)).decode()
    elif store is not None:  # a row written before Carnet recorded them
        size_hash = _pdf_size_and_sha1(str(store.pdf_path(doc.id)))
        if size_hash is not None:
            attachment["size"], attachment["hash"] = size_hash
    title = doc.title or label
    if title:
        attachment["title"] = title
    out["content"] = [{"attachment": attachment}]
    context: dict = {}
    events = [{"coding": [{"system": EXAM_SYSTEM, "code": k, "display": EXAMS[k].label}]}
              for k in doc.exam_keys or () if k in EXAMS]
    events += [{"coding": [{"system": ANALYTE_SYSTEM, "code": k, "display": ANALYTES[k].label}]}
               for k in doc.analyte_keys or () if k in ANALYTES]
    if events:
        context["event"] = events
    if doc.service_date:
        period = {"start": doc.service_date.isoformat()}
        if doc.service_end_date:
            period["end"] = doc.service_end_date.isoformat()
        context["period"] = period
    if context:
        out["context"] = context
    return out


def _author_role(doc: dict) -> dict | None:
    """The author as a contained PractitionerRole: name, organisation and `G15_10/SMxx` specialty."""
    sm = doc.specialty_code
    if not (doc.author or doc.organisation or sm):
        return None
    role: dict = {"resourceType": "PractitionerRole", "id": "author"}
    if doc.author:
        role["practitioner"] = {"display": doc.author}
    if doc.organisation:
        role["organization"] = {"display": doc.organisation}
    if sm:
        label = codes.specialty_label(sm)
        full = f"{codes.SPECIALTY_SYSTEM}/{sm}" if sm.startswith("SM") else sm  # G15_21 pharmacist, G15_60 nurse...
        coding = [{"system": SPECIALTY_SYSTEM, "code": full,
                   **({"display": label} if label else {})}]
        group = codes.specialty_group(sm)
        if group:
            coding.append({"system": GROUP_SYSTEM, "code": group, "display": codes.SPECIALTY_GROUP_LABELS[group][0]})
        role["specialty"] = [{"coding": coding, **({"text": label} if label else {})}]
    return role


@lru_cache(maxsize=8192)
def _pdf_size_and_sha1(path: str) -> tuple[int, str] | None:
    """(bytes, base64 SHA-1) of a stored PDF, as R4's Attachment.size and .hash. Stored PDFs never change
    (their file name derives from their content), so the answer is cached; a missing file is not."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError:
        return None
    return len(data), base64.b64encode(hashlib.sha1(data).digest()).decode()
