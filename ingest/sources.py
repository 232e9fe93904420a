"""Metadata supplied by the source: a JSON sidecar next to a PDF, or the header of a CDA R2 document.

What the source says wins over inference: `understand(doc, overrides)` takes these dicts of DocMeta
field overrides as they are. Both readers accept the shapes real feeds use (XDS names, FHIR
DocumentReference names, plain names); codes are normalised (ended LOINC codes mapped to current ones,
"G15_10/SM04" -> "SM04").
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from carnet.codes import current_type_code, specialty_label
from carnet.errors import UnreadableDocument
from ingest.cda import read_cda_document

_SPECIALTY = re.compile(r"(?:^|/)(SM\d{2})$", re.I)
_ISO_DATE = re.compile(r"^\s*(\d{4})-?(\d{2})-?(\d{2})")


# --- sidecar JSON ------------------------------------------------------------------------------


def sidecar_path(pdf_path: Path | str) -> Path | None:
    """`report.json` or `report.pdf.json` next to `report.pdf`, if one exists."""
    pdf_path = Path(pdf_path)
    for candidate in (pdf_path.with_suffix(".json"), pdf_path.with_name(pdf_path.name + ".json")):
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(pdf_path: Path | str) -> dict[str, Any]:
    """DocMeta field overrides from the sidecar JSON of a PDF, or {} when there is none.

    A sidecar that exists but is not valid JSON raises UnreadableDocument: silently ignoring the
    source's own metadata would mislabel the document.
    """
    path = sidecar_path(pdf_path)
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise UnreadableDocument(f"{path.name}: metadata sidecar is not valid JSON ({type(e).__name__}).") from e
    if not isinstance(data, dict):
        raise UnreadableDocument(f"{path.name}: metadata sidecar must be a JSON object.")
    return overrides_from_mapping(data, source="sidecar")


def overrides_from_mapping(data: dict[str, Any], source: str = "sidecar") -> dict[str, Any]:
    """Normalise an XDS/FHIR-like dict of document metadata into DocMeta field overrides."""
    out: dict[str, Any] = {}
    context = data.get("context") if isinstance(data.get("context"), dict) else {}
    period = data.get("period") or context.get("period") or {}
    period = period if isinstance(period, dict) else {}

    type_code = _code(_first(data, "typeCode", "type", "type_code"))
    if type_code:
        out["type_code"] = current_type_code(type_code)
        out["type_confidence"] = 1.0
    specialty = _specialty(_first(data, "authorSpecialty", "specialty", "specialty_code", "practiceSpecialty"))
    if specialty is None and isinstance(data.get("author"), dict):
        specialty = _specialty(_first(data["author"], "specialty", "authorSpecialty", "code"))
    if specialty:
        out["specialty_code"] = specialty
        out["specialty_confidence"] = 1.0
    start = _date(_first(data, "serviceStartTime", "service_date", "serviceDate", "service_start") or period.get("start"))
    if start:
        out["service_date"] = start
        out["date_confidence"] = 1.0
    end = _date(_first(data, "serviceStopTime", "service_end_date", "serviceEndDate", "service_end") or period.get("end"))
    if end:
        out["service_end_date"] = end
    author = _person(data.get("author") if "author" in data else data.get("authorPerson"))
    if author:
        out["author"] = author
    org = _organisation(_first(data, "organisation", "organization", "custodian", "authorInstitution"))
    if org:
        out["organisation"] = org
    title = _first(data, "title")
    if title is None:
        content = data.get("content")
        if isinstance(content, list) and content and isinstance(content[0], dict):
            title = (content[0].get("attachment") or {}).get("title")
    if isinstance(title, str) and title.strip():
        out["title"] = title.strip()
    language = _language(_first(data, "languageCode", "language"))
    if language:
        out["language"] = language
    labels = _codes(_first(data, "securityLabel", "confidentialityCode", "confidentiality"))
    if labels:
        out["confidentiality"] = labels
    author_id = _person_id(data.get("author") if "author" in data else data.get("authorPerson"))
    if author_id:
        out["author_id"] = author_id
    if out:
        out["metadata_source"] = source
    return out


def _first(data: dict, *keys: str) -> Any:
    for key in keys:
        if key in data and data[key] not in (None, "", [], {}):
            return data[key]
    return None


def _code(value: Any) -> str | None:
    """A code from "11488-4", {"code": ..}, {"coding": [{"code": ..}]} or a list of those."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        return _code(value[0]) if value else None
    if isinstance(value, dict):
        if "code" in value:
            return _code(value["code"])
        if "coding" in value:
            return _code(value["coding"])
    return None


def _codes(value: Any) -> tuple[str, ...]:
    """Every code of a list of codes or CodeableConcepts (FHIR securityLabel, XDS confidentialityCode)."""
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.extend(c.strip() for c in item.split(","))
        elif isinstance(item, dict) and isinstance(item.get("coding"), list):
            out.extend(_codes(item["coding"]))
        else:
            out.append(_code(item) or "")
    return tuple(dict.fromkeys(c for c in out if c))


def _person_id(value: Any) -> str | None:
    """The author's identifier: FHIR `identifier` (value) or `reference`, XDS authorPerson's first XCN field."""
    if isinstance(value, list):
        return _person_id(value[0]) if value else None
    if isinstance(value, str):
        return value.split("^", 1)[0].strip() or None if "^" in value else None
    if isinstance(value, dict):
        ident = value.get("identifier")
        if isinstance(ident, list):
            ident = ident[0] if ident else None
        if isinstance(ident, dict) and isinstance(ident.get("value"), str):
            return ident["value"].strip() or None
        if isinstance(ident, str):
            return ident.strip() or None
        if isinstance(value.get("id"), str):
            return value["id"].strip() or None
    return None


def _specialty(value: Any) -> str | None:
    code = _code(value)
    if not code:
        return None
    m = _SPECIALTY.search(code.strip())
    if m:
        return m.group(1).upper()
    # other professions are kept whole: G15_21 pharmacist, G15_50 midwife, AUTOMATE...
    return code.strip() if specialty_label(code.strip()) else None


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    m = _ISO_DATE.match(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _person(value: Any) -> str | None:
    if isinstance(value, list):
        return _person(value[0]) if value else None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        if isinstance(value.get("display"), str):
            return value["display"].strip() or None
        name = value.get("name")
        if isinstance(name, list):
            name = name[0] if name else None
        if isinstance(name, str):
            return name.strip() or None
        if isinstance(name, dict):
            value = name
        if isinstance(value.get("text"), str):
            return value["text"].strip() or None
        parts = []
        for key in ("prefix", "given", "family"):
            part = value.get(key)
            if isinstance(part, list):
                parts.extend(str(p) for p in part)
            elif part:
                parts.append(str(part))
        return " ".join(parts).strip() or None
    return None


def _organisation(value: Any) -> str | None:
    if isinstance(value, list):
        return _organisation(value[0]) if value else None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        for key in ("display", "name", "text"):
            if isinstance(value.get(key), str) and value[key].strip():
                return value[key].strip()
    return None


def _language(value: Any) -> str | None:
    code = _code(value)
    if not code:
        return None
    primary = code.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in ("fr", "en") else None


# --- CDA R2 level 1 (IHE XDS-SD) ---------------------------------------------------------------


def read_cda(path: Path | str) -> tuple[bytes, dict[str, Any]]:
    """(embedded PDF bytes, DocMeta overrides) of a CDA R2 level-1 document. Raises UnreadableDocument."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise UnreadableDocument(f"{path.name}: cannot read the file ({e.strerror or e}).") from e
    return read_cda_bytes(data, path.name)


def read_cda_bytes(data: bytes, name: str) -> tuple[bytes, dict[str, Any]]:
    """(embedded PDF, overrides) of a level-1 CDA; a level-3 document is refused here (ingest.cda reads it)."""
    cda = read_cda_document(data, name)
    if cda.level != 1:
        raise UnreadableDocument(f"{name}: structured (level 3) CDA document without an embedded PDF.")
    return cda.pdf, cda.overrides


def hl7_date(value: str | None) -> date | None:
    """Date part of an HL7 TS value (YYYYMMDD[HHMM[SS]][+ZZZZ]); None when shorter than a day."""
    if not value:
        return None
    m = re.match(r"^(\d{4})(\d{2})(\d{2})", value.strip())
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
