"""The header of a CDA document: what the source states wins over inference (type, title, language, date of
the act, author and specialty or profession, organisation, confidentiality), and the version identity
(id, setId, versionNumber, the documents it replaces).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.etree.ElementTree import Element

from carnet import codes
from ingest.cda_xml import NS, element_text, hl7_date, instance_id, person_name

_SM = re.compile(r"^(?:G15_10/)?(SM\d{2})$", re.I)


@dataclass(frozen=True)
class CdaIdentity:
    """What versions a document: its id, its set and version number, the documents it replaces."""

    document_id: str | None = None  # root^extension of ClinicalDocument/id
    set_id: str | None = None
    version_number: int | None = None
    replaces: tuple[str, ...] = ()  # ids of relatedDocument[@typeCode=RPLC]/parentDocument


def header_overrides(root: Element) -> dict[str, Any]:
    """DocMeta field overrides from a CDA header (what the source says wins over inference)."""
    out: dict[str, Any] = {}
    code = root.find("h:code", NS)
    if code is not None and code.get("code"):
        type_code = codes.current_type_code(code.get("code").strip())
        if type_code in codes.DOCUMENT_TYPES:
            out["type_code"] = type_code
            out["type_confidence"] = 1.0
    title = element_text(root.find("h:title", NS))
    if title:
        out["title"] = title
    lang = root.find("h:languageCode", NS)
    if lang is not None and (lang.get("code") or "")[:2].lower() in ("fr", "en"):
        out["language"] = lang.get("code")[:2].lower()
    start, end = service_period(root)
    if start:
        out["service_date"] = start
        out["date_confidence"] = 1.0
    if end and (start is None or end >= start):
        out["service_end_date"] = end
    assigned = root.find("h:author/h:assignedAuthor", NS)
    if assigned is not None:
        specialty = author_specialty(assigned.find("h:code", NS))
        if specialty:
            out["specialty_code"] = specialty
            out["specialty_confidence"] = 1.0
        author = person_name(assigned.find("h:assignedPerson/h:name", NS))
        if not author:
            author = element_text(assigned.find("h:assignedAuthoringDevice/h:softwareName", NS))
        if author:
            out["author"] = author
        author_id = assigned.find("h:id", NS)
        if author_id is not None and (author_id.get("extension") or "").strip():
            out["author_id"] = author_id.get("extension").strip()  # RPPS...: masking's exception for the author
        org = element_text(assigned.find("h:representedOrganization/h:name", NS))
        if org:
            out["organisation"] = org
    if "organisation" not in out:
        custodian = element_text(root.find(
            "h:custodian/h:assignedCustodian/h:representedCustodianOrganization/h:name", NS))
        if custodian:
            out["organisation"] = custodian
    conf = root.find("h:confidentialityCode", NS)
    if conf is not None and conf.get("code"):
        out["confidentiality"] = (conf.get("code").strip(),)
    if out:
        out["metadata_source"] = "cda"
    return out


def author_specialty(code_el: Element | None) -> str | None:
    """`SM04` for a physician's `G15_10/SM04`; other professions and producers whole (`G15_21`, `DISPOSITIF`)."""
    if code_el is None or not (code_el.get("code") or "").strip():
        return None
    value = code_el.get("code").strip()
    m = _SM.match(value)
    if m:
        return m.group(1).upper()
    return value if codes.specialty_label(value) or re.match(r"^G1[56]_\d{2}(/\w+)?$", value) else None


def service_period(root: Element) -> tuple[date | None, date | None]:
    times = root.find("h:documentationOf/h:serviceEvent/h:effectiveTime", NS)
    if times is None:
        return None, None
    low, high = times.find("h:low", NS), times.find("h:high", NS)
    start = hl7_date(low.get("value") if low is not None else times.get("value"))
    end = hl7_date(high.get("value") if high is not None else None)
    return start or end, end  # an act known only by its end (a stay's discharge) is dated by it


def read_identity(root: Element) -> CdaIdentity:
    version = root.find("h:versionNumber", NS)
    number = None
    if version is not None and (version.get("value") or "").strip().isdigit():
        number = int(version.get("value").strip())
    replaces = tuple(
        i for rel in root.findall("h:relatedDocument", NS) if (rel.get("typeCode") or "").upper() == "RPLC"
        for i in (instance_id(rel.find("h:parentDocument/h:id", NS)),) if i
    )
    return CdaIdentity(instance_id(root.find("h:id", NS)), instance_id(root.find("h:setId", NS)), number, replaces)
