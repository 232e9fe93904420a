"""CDA R2 documents of the CI-SIS content models: the header, a level-1 embedded PDF or a level-3 body.

`read_cda_document(data, name)` parses untrusted XML safely (defusedxml: no DTD, no entity, no
external reference, nothing fetched) and returns a `CdaDocument`:

- the header as DocMeta overrides: type (ClinicalDocument/code, ended codes mapped), class, title,
  language, date of the act (documentationOf/serviceEvent/effectiveTime low/high), author and
  specialty or profession (author/assignedAuthor/code: `G15_10/SMxx` kept as `SMxx`, other
  professions and devices kept whole), organisation, confidentialityCode;
- the version identity: id, setId, versionNumber and the documents it replaces (relatedDocument
  typeCode="RPLC");
- level 1 (IHE XDS-SD): the embedded PDF; level 3: the sections (named from their LOINC code, with
  their narrative `<text>` as plain text and as simple HTML), the coded lab results (LOINC code,
  value, UCUM unit, reference range, interpretation) and the coded allergies, medications, problems
  and vaccinations.

Every refusal is an UnreadableDocument naming the file and the reason. Nothing here logs text.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from carnet import codes
from carnet.cda_sections import ANALYTE_LOINC, LAB_SECTIONS, SECTIONS
from carnet.errors import UnreadableDocument

HL7 = "urn:hl7-org:v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_NS = {"h": HL7}
LOINC_OID = "2.16.840.1.113883.6.1"
SPECIALTY_OIDS = ("1.2.250.1.213.1.1.4.5", "1.2.250.1.71.1.2.7")  # TRE_G15 / R85 professions and specialties
_SM = re.compile(r"^(?:G15_10/)?(SM\d{2})$", re.I)
_FLAGS = {"H": "H", "HH": "H", "HU": "H", ">": "H", "L": "L", "LL": "L", "LU": "L", "<": "L", "A": "A", "AA": "A"}


@dataclass(frozen=True)
class CdaSection:
    code: str | None  # LOINC section code
    name: str | None  # Carnet section name (carnet.cda_sections), None for an unknown code
    title: str  # the heading shown: the section's own title, else the code's label
    text: str  # the narrative as plain text
    html: str  # the narrative as simple HTML (escaped), for the rendered page


@dataclass(frozen=True)
class CodedLabResult:
    loinc: str | None
    label: str
    value: float | None
    unit: str | None
    low: float | None
    high: float | None
    flag: str | None  # "H" | "L" | "A" | None
    section: int  # index into CdaDocument.sections
    text_value: str | None = None  # a result that is not a quantity ("Négatif")
    range_unit: str | None = None  # the unit referenceRange prints its bounds in, when it prints one

    @property
    def analyte(self) -> str:
        from ingest.lab_codes import analyte_of_loinc
        from ingest.labs import analyte_key

        return ANALYTE_LOINC.get(self.loinc or "") or analyte_of_loinc(self.loinc) or analyte_key(self.label)


@dataclass(frozen=True)
class CodedEntry:
    """An allergy, medication, problem or vaccination coded in an entry (not read from text)."""

    kind: str  # "allergy" | "medication" | "problem" | "vaccination"
    label: str  # the substance, product or condition as named
    code: str | None = None
    code_system: str | None = None
    detail: str | None = None  # reaction, dose and posology, as coded or as the narrative line says
    negated: bool = False  # "no known allergy", a problem ruled out
    start: str | None = None  # ISO date
    end: str | None = None
    section: int = 0

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, False)}


@dataclass(frozen=True)
class CdaIdentity:
    """What versions a document: its id, its set and version number, the documents it replaces."""

    document_id: str | None = None  # root^extension of ClinicalDocument/id
    set_id: str | None = None
    version_number: int | None = None
    replaces: tuple[str, ...] = ()  # ids of relatedDocument[@typeCode=RPLC]/parentDocument


@dataclass(frozen=True)
class CdaDocument:
    overrides: dict[str, Any]
    identity: CdaIdentity
    level: int  # 1: embedded PDF (nonXMLBody), 3: structured body
    pdf: bytes = field(default=b"", repr=False)
    sections: tuple[CdaSection, ...] = ()
    lab_results: tuple[CodedLabResult, ...] = ()
    entries: tuple[CodedEntry, ...] = ()


# --- parsing --------------------------------------------------------------------------------------


def parse_xml(data: bytes, name: str) -> Element:
    """The root element of untrusted XML: DTDs, entities and external references are refused."""
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as e:
        raise UnreadableDocument(f"{name}: XML with a DTD, entities or external references is refused "
                                 f"({type(e).__name__}).") from e
    except ParseError as e:
        raise UnreadableDocument(f"{name}: malformed XML ({e}).") from e
    except (ValueError, RecursionError) as e:
        raise UnreadableDocument(f"{name}: unreadable XML ({type(e).__name__}).") from e


def read_cda_document(data: bytes, name: str) -> CdaDocument:
    """Parse a CDA R2 document (level 1 or 3). Raises UnreadableDocument with the reason."""
    root = parse_xml(data, name)
    if root.tag != f"{{{HL7}}}ClinicalDocument":
        raise UnreadableDocument(f"{name}: not a CDA document (root element is {_local(root.tag)!r}, "
                                 "expected ClinicalDocument in urn:hl7-org:v3).")
    overrides = header_overrides(root)
    identity = _identity(root)
    body = root.find("h:component/h:nonXMLBody", _NS)
    if body is not None:
        return CdaDocument(overrides, identity, 1, pdf=_embedded_pdf(body, name))
    structured = root.find("h:component/h:structuredBody", _NS)
    if structured is None:
        raise UnreadableDocument(f"{name}: CDA document without a body (neither nonXMLBody nor structuredBody).")
    sections: list[CdaSection] = []
    labs: list[CodedLabResult] = []
    entries: list[CodedEntry] = []
    for el in _sections(structured):
        index = len(sections)
        section = _section(el)
        if not section.text.strip():
            continue
        sections.append(section)
        labs += _lab_results(el, index, overrides.get("type_code"))
        entries += _entries(el, section, index)
    if not sections:
        raise UnreadableDocument(f"{name}: structured CDA body without any narrative text.")
    return CdaDocument(overrides, identity, 3, sections=tuple(sections), lab_results=tuple(labs),
                       entries=tuple(entries))


def _embedded_pdf(body: Element, name: str) -> bytes:
    text_el = body.find("h:text", _NS)
    if text_el is None or not (text_el.text or "").strip():
        raise UnreadableDocument(f"{name}: CDA level-1 body without an embedded document (nonXMLBody/text).")
    media = (text_el.get("mediaType") or "application/pdf").lower()
    if media != "application/pdf":
        raise UnreadableDocument(f"{name}: embedded document is {media}, not a PDF.")
    try:
        return base64.b64decode("".join(text_el.text.split()), validate=True)
    except (binascii.Error, ValueError) as e:
        raise UnreadableDocument(f"{name}: embedded PDF is not valid base64.") from e


# --- header -----------------------------------------------------------------------------------------


def header_overrides(root: Element) -> dict[str, Any]:
    """DocMeta field overrides from a CDA header (what the source says wins over inference)."""
    out: dict[str, Any] = {}
    code = root.find("h:code", _NS)
    if code is not None and code.get("code"):
        type_code = codes.current_type_code(code.get("code").strip())
        if type_code in codes.DOCUMENT_TYPES:
            out["type_code"] = type_code
            out["type_confidence"] = 1.0
    title = _text(root.find("h:title", _NS))
    if title:
        out["title"] = title
    lang = root.find("h:languageCode", _NS)
    if lang is not None and (lang.get("code") or "")[:2].lower() in ("fr", "en"):
        out["language"] = lang.get("code")[:2].lower()
    start, end = _service_period(root)
    if start:
        out["service_date"] = start
        out["date_confidence"] = 1.0
    if end and (start is None or end >= start):
        out["service_end_date"] = end
    assigned = root.find("h:author/h:assignedAuthor", _NS)
    if assigned is not None:
        specialty = author_specialty(assigned.find("h:code", _NS))
        if specialty:
            out["specialty_code"] = specialty
            out["specialty_confidence"] = 1.0
        author = _person_name(assigned.find("h:assignedPerson/h:name", _NS))
        if not author:
            author = _text(assigned.find("h:assignedAuthoringDevice/h:softwareName", _NS))
        if author:
            out["author"] = author
        author_id = assigned.find("h:id", _NS)
        if author_id is not None and (author_id.get("extension") or "").strip():
            out["author_id"] = author_id.get("extension").strip()  # RPPS...: masking's exception for the author
        org = _text(assigned.find("h:representedOrganization/h:name", _NS))
        if org:
            out["organisation"] = org
    if "organisation" not in out:
        custodian = _text(root.find(
            "h:custodian/h:assignedCustodian/h:representedCustodianOrganization/h:name", _NS))
        if custodian:
            out["organisation"] = custodian
    conf = root.find("h:confidentialityCode", _NS)
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


def _service_period(root: Element) -> tuple[date | None, date | None]:
    times = root.find("h:documentationOf/h:serviceEvent/h:effectiveTime", _NS)
    if times is None:
        return None, None
    low, high = times.find("h:low", _NS), times.find("h:high", _NS)
    start = hl7_date(low.get("value") if low is not None else times.get("value"))
    end = hl7_date(high.get("value") if high is not None else None)
    return start or end, end  # an act known only by its end (a stay's discharge) is dated by it


def _identity(root: Element) -> CdaIdentity:
    version = root.find("h:versionNumber", _NS)
    number = None
    if version is not None and (version.get("value") or "").strip().isdigit():
        number = int(version.get("value").strip())
    replaces = tuple(
        i for rel in root.findall("h:relatedDocument", _NS) if (rel.get("typeCode") or "").upper() == "RPLC"
        for i in (_ii(rel.find("h:parentDocument/h:id", _NS)),) if i
    )
    return CdaIdentity(_ii(root.find("h:id", _NS)), _ii(root.find("h:setId", _NS)), number, replaces)


def _ii(el: Element | None) -> str | None:
    """An HL7 instance identifier as "root^extension" (or root alone)."""
    if el is None or not el.get("root"):
        return None
    return f"{el.get('root')}^{el.get('extension')}" if el.get("extension") else el.get("root")


def hl7_date(value: str | None) -> date | None:
    """Date part of an HL7 TS value (YYYYMMDD[HHMM[SS]][+ZZZZ]); None when shorter than a day."""
    m = re.match(r"^\s*(\d{4})(\d{2})(\d{2})", value or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _iso(value: str | None) -> str | None:
    d = hl7_date(value)
    return d.isoformat() if d else None


# --- level 3 body ----------------------------------------------------------------------------------


def _sections(structured: Element):
    """Top-level sections, then their subsections, in document order."""
    def walk(section: Element):
        yield section
        for sub in section.findall("h:component/h:section", _NS):
            yield from walk(sub)
    for el in structured.findall("h:component/h:section", _NS):
        yield from walk(el)


def _section(el: Element) -> CdaSection:
    code_el = el.find("h:code", _NS)
    code = (code_el.get("code") or "").strip() if code_el is not None else ""
    name, label = SECTIONS.get(code, (None, None))
    title = _text(el.find("h:title", _NS)) or label or (code_el.get("displayName") if code_el is not None else "") or ""
    if name is None:
        from carnet.text import fold
        from ingest.understand.sections import heading

        found = heading(fold(title)) if title else None
        name = found[0] if found else None
    text_el = el.find("h:text", _NS)
    plain, markup = _narrative(text_el) if text_el is not None else ("", "")
    return CdaSection(code or None, name, title.strip(), plain, markup)


_BLOCK = {"paragraph", "list", "table", "br", "caption"}


def _narrative(text_el: Element) -> tuple[str, str]:
    """A narrative block as plain text (one line per paragraph, list item or table row; cells apart)
    and as simple escaped HTML (paragraphs, lists, tables)."""
    lines: list[str] = []
    parts: list[str] = []

    def inline(el: Element) -> str:
        out = [el.text or ""]
        for child in el:
            tag = _local(child.tag)
            if tag == "br":
                out.append("\n")
            elif tag not in ("table", "list", "renderMultiMedia"):
                out.append(inline(child))
            out.append(child.tail or "")
        return "".join(out)

    def block(el: Element) -> None:
        if (el.text or "").strip():
            add_line(el.text)
        for child in el:
            tag = _local(child.tag)
            if tag == "paragraph" or tag == "caption":
                add_line(inline(child), "p")
                for sub in child:
                    if _local(sub.tag) in ("list", "table"):
                        block_child(sub)
            elif tag in ("list", "table"):
                block_child(child)
            elif tag == "br":
                pass
            elif tag == "renderMultiMedia":
                pass
            else:  # content, linkHtml, sub, sup, footnote directly in <text>
                add_line(inline(child))
            if (child.tail or "").strip():
                add_line(child.tail)

    def block_child(el: Element) -> None:
        tag = _local(el.tag)
        if tag == "list":
            ordered = (el.get("listType") or "").lower() == "ordered"
            items = []
            for item in el.findall("h:item", _NS):
                line = _squash(inline(item))
                if line:
                    lines.append(f"- {line}")
                    items.append(f"<li>{html.escape(line)}</li>")
                for sub in item:
                    if _local(sub.tag) in ("list", "table"):
                        block_child(sub)
            if items:
                kind = "ol" if ordered else "ul"
                parts.append(f"<{kind}>{''.join(items)}</{kind}>")
        elif tag == "table":
            rows_html = []
            caption = el.find("h:caption", _NS)
            if caption is not None and _squash(inline(caption)):
                add_line(inline(caption), "p")
            for row in el.iter(f"{{{HL7}}}tr"):
                cells = [_squash(inline(c)) for c in row if _local(c.tag) in ("th", "td")]
                if not any(cells):
                    continue
                lines.append("   ".join(cells))
                cell_tag = "th" if all(_local(c.tag) == "th" for c in row if _local(c.tag) in ("th", "td")) else "td"
                rows_html.append("<tr>" + "".join(f"<{cell_tag}>{html.escape(c)}</{cell_tag}>" for c in cells) + "</tr>")
            if rows_html:
                parts.append(f"<table>{''.join(rows_html)}</table>")

    def add_line(text: str, kind: str = "p") -> None:
        for piece in text.split("\n"):
            line = _squash(piece)
            if line:
                lines.append(line)
                parts.append(f"<{kind}>{html.escape(line)}</{kind}>")

    block(text_el)
    return "\n".join(lines), "".join(parts)


def _lab_results(section: Element, index: int, type_code: str | None) -> list[CodedLabResult]:
    code_el = section.find("h:code", _NS)
    code = code_el.get("code") if code_el is not None else None
    if code not in LAB_SECTIONS and type_code != "11502-2":
        return []
    out = []
    for obs in section.iter(f"{{{HL7}}}observation"):
        if obs.get("negationInd") == "true" or (obs.get("moodCode") or "EVN") != "EVN":
            continue
        obs_code = obs.find("h:code", _NS)
        value = obs.find("h:value", _NS)
        if obs_code is None or value is None:
            continue
        loinc = obs_code.get("code") if obs_code.get("codeSystem") == LOINC_OID else None
        label = (obs_code.get("displayName") or _text(obs_code.find("h:originalText", _NS))
                 or _translation_label(obs_code) or loinc)
        if not label:
            continue
        kind = (value.get(f"{{{XSI}}}type") or "").upper()
        number, unit, text_value = None, None, None
        if kind == "PQ":
            number, unit = _float(value.get("value")), (value.get("unit") or None)
        elif kind in ("ST", "ED"):
            text_value = _text(value)
        elif kind in ("CD", "CE", "CV", "CO"):
            text_value = value.get("displayName") or _text(value.find("h:originalText", _NS)) or value.get("code")
        elif kind == "INT":
            number = _float(value.get("value"))
        if number is None and not text_value:
            continue
        unit = _display_unit(unit)
        low, high, range_unit = _range(obs)
        flag = None
        interp = obs.find("h:interpretationCode", _NS)
        if interp is not None and interp.get("code"):
            flag = _FLAGS.get(interp.get("code").upper())
        out.append(CodedLabResult(loinc, label.strip(), number, unit, low, high, flag, index, text_value,
                                  _display_unit(range_unit) if range_unit else None))
    return out


def _translation_label(code_el: Element) -> str | None:
    for t in code_el.findall("h:translation", _NS):
        if t.get("displayName"):
            return t.get("displayName")
    return None


def _range(obs: Element) -> tuple[float | None, float | None, str | None]:
    """The normal range of an observation: (low, high, the unit its bounds are printed in)."""
    for rng in obs.findall("h:referenceRange/h:observationRange", _NS):
        interp = rng.find("h:interpretationCode", _NS)
        if interp is not None and interp.get("code") not in (None, "N"):
            continue  # a range for another interpretation (a toxic level), not the normal one
        value = rng.find("h:value", _NS)
        if value is not None:
            low, high = value.find("h:low", _NS), value.find("h:high", _NS)
            lo = _float(low.get("value")) if low is not None and low.get("nullFlavor") is None else None
            hi = _float(high.get("value")) if high is not None and high.get("nullFlavor") is None else None
            unit = next((b.get("unit") for b in (low, high) if b is not None and b.get("unit")), None)
            if lo is not None or hi is not None:
                return lo, hi, unit
        text = _text(rng.find("h:text", _NS))
        if text:
            m = re.match(r"^\s*(\d+(?:[.,]\d+)?)\s*[-–à]\s*(\d+(?:[.,]\d+)?)\s*([^\s\d][^\s]*)?", text)
            if m:
                return _float(m.group(1)), _float(m.group(2)), m.group(3)
    return None, None, None


def _entries(section_el: Element, section: CdaSection, index: int) -> list[CodedEntry]:
    """Allergies, medications, problems and vaccinations coded in a section's entries."""
    ids = _narrative_ids(section_el)
    out: list[CodedEntry] = []
    kind_of_section = {"allergies": "allergy", "traitement": "medication", "vaccinations": "vaccination",
                       "antecedents": "problem", "conclusion": "problem"}.get(section.name or "")
    if kind_of_section is None:
        return out
    for entry in section_el.findall("h:entry", _NS):
        if kind_of_section in ("medication", "vaccination"):
            for sa in entry.iter(f"{{{HL7}}}substanceAdministration"):
                e = _substance(sa, kind_of_section, ids, index)
                if e:
                    out.append(e)
                break  # one administration per entry: nested ones are its components
        elif kind_of_section == "allergy":
            for obs in entry.iter(f"{{{HL7}}}observation"):
                e = _allergy(obs, ids, index)
                if e:
                    out.append(e)
                    break
        else:
            for obs in entry.iter(f"{{{HL7}}}observation"):
                e = _problem(obs, ids, index)
                if e:
                    out.append(e)
                    break
    return out


def _narrative_ids(section_el: Element) -> dict[str, str]:
    """ID attribute -> its text, for entries that point to their narrative line (<reference value="#id"/>)."""
    out = {}
    text_el = section_el.find("h:text", _NS)
    if text_el is None:
        return out
    for el in text_el.iter():
        if el.get("ID"):
            out[el.get("ID")] = _squash("".join(el.itertext()))
    return out


def _referenced(el: Element | None, ids: dict[str, str]) -> str | None:
    if el is None:
        return None
    ref = el.find("h:reference", _NS)
    if ref is not None and (ref.get("value") or "").startswith("#"):
        return ids.get(ref.get("value")[1:])
    return _text(el) or None


def _substance(sa: Element, kind: str, ids: dict[str, str], index: int) -> CodedEntry | None:
    material = sa.find("h:consumable/h:manufacturedProduct/h:manufacturedMaterial", _NS)
    if material is None:
        return None
    code_el = material.find("h:code", _NS)
    label = _text(material.find("h:name", _NS))
    if not label and code_el is not None:
        label = code_el.get("displayName") or _text(code_el.find("h:originalText", _NS))
    line = _referenced(sa.find("h:text", _NS), ids)
    if not label and not line:
        return None
    start = end = None
    for t in sa.findall("h:effectiveTime", _NS):
        low, high = t.find("h:low", _NS), t.find("h:high", _NS)
        if low is not None or high is not None:
            start = _iso(low.get("value")) if low is not None else None
            end = _iso(high.get("value")) if high is not None else None
        elif t.get("value"):
            start = _iso(t.get("value"))
    dose = sa.find("h:doseQuantity", _NS)
    detail = line
    if detail is None and dose is not None and dose.get("value"):
        detail = f"{dose.get('value')} {dose.get('unit') or ''}".strip()
    return CodedEntry(kind, (label or line or "").strip(), code_el.get("code") if code_el is not None else None,
                      code_el.get("codeSystem") if code_el is not None else None, detail,
                      sa.get("negationInd") == "true", start, end, index)


def _allergy(obs: Element, ids: dict[str, str], index: int) -> CodedEntry | None:
    entity = obs.find("h:participant/h:participantRole/h:playingEntity", _NS)
    label, code, system = None, None, None
    if entity is not None:
        code_el = entity.find("h:code", _NS)
        if code_el is not None:
            label = code_el.get("displayName") or _text(code_el.find("h:originalText", _NS))
            code, system = code_el.get("code"), code_el.get("codeSystem")
        label = label or _text(entity.find("h:name", _NS))
    value = obs.find("h:value", _NS)
    if not label and value is not None:
        label = value.get("displayName") or _text(value.find("h:originalText", _NS))
        code, system = value.get("code"), value.get("codeSystem")
    line = _referenced(obs.find("h:text", _NS), ids)
    if not label and not line:
        return None
    reaction = None
    for rel in obs.findall("h:entryRelationship", _NS):
        if rel.get("typeCode") == "MFST":
            r = rel.find("h:observation/h:value", _NS)
            if r is not None:
                reaction = r.get("displayName") or _text(r.find("h:originalText", _NS))
    return CodedEntry("allergy", (label or line).strip(), code, system, reaction or line,
                      obs.get("negationInd") == "true", _low(obs), None, index)


def _problem(obs: Element, ids: dict[str, str], index: int) -> CodedEntry | None:
    value = obs.find("h:value", _NS)
    if value is None:
        return None
    label = value.get("displayName") or _text(value.find("h:originalText", _NS))
    line = _referenced(obs.find("h:text", _NS), ids)
    if not label and not line:
        return None
    high = obs.find("h:effectiveTime/h:high", _NS)
    return CodedEntry("problem", (label or line).strip(), value.get("code"), value.get("codeSystem"), line,
                      obs.get("negationInd") == "true", _low(obs), _iso(high.get("value")) if high is not None else None,
                      index)


def _low(el: Element) -> str | None:
    low = el.find("h:effectiveTime/h:low", _NS)
    if low is not None:
        return _iso(low.get("value"))
    t = el.find("h:effectiveTime", _NS)
    return _iso(t.get("value")) if t is not None else None


# --- small helpers ---------------------------------------------------------------------------------


def _local(tag: Any) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def _text(el: Element | None) -> str:
    return _squash("".join(el.itertext())) if el is not None else ""


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _person_name(name_el: Element | None) -> str | None:
    if name_el is None:
        return None
    parts = [_text(el) for el in name_el if _local(el.tag) in ("prefix", "given", "family")]
    return " ".join(p for p in parts if p) or _text(name_el) or None


def _display_unit(unit: str | None) -> str | None:
    """A UCUM unit as a report prints it ("umol/L" -> "µmol/L"), so a coded value joins the same trend as
    one read from a PDF; UCUM's dimensionless "1" is no unit."""
    if not unit or unit == "1":
        return None
    unit = re.sub(r"(?<![A-Za-z])u(?=(mol|g|L|l|U)\b|(mol|g)/)", "µ", unit)
    return unit.replace("{1.73_m2}", "1,73m²").replace("10*9", "10^9").replace("10*12", "10^12")


def _float(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value.strip().replace(",", "."))
    except ValueError:
        return None
