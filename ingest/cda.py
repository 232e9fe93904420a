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

The parts: ingest.cda_xml (safe parsing, small readers), ingest.cda_header, ingest.cda_narrative (sections),
ingest.cda_coded (coded lab results and entries).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from carnet.errors import UnreadableDocument
from ingest.cda_coded import CodedEntry, CodedLabResult, coded_entries, lab_results
from ingest.cda_header import CdaIdentity, header_overrides, read_identity
from ingest.cda_narrative import CdaSection, iter_sections, read_section
from ingest.cda_xml import HL7, NS, local_name, parse_xml


@dataclass(frozen=True)
class CdaDocument:
    overrides: dict[str, Any]
    identity: CdaIdentity
    level: int  # 1: embedded PDF (nonXMLBody), 3: structured body
    pdf: bytes = field(default=b"", repr=False)
    sections: tuple[CdaSection, ...] = ()
    lab_results: tuple[CodedLabResult, ...] = ()
    entries: tuple[CodedEntry, ...] = ()


def read_cda_document(data: bytes, name: str) -> CdaDocument:
    """Parse a CDA R2 document (level 1 or 3). Raises UnreadableDocument with the reason."""
    root = parse_xml(data, name)
    if root.tag != f"{{{HL7}}}ClinicalDocument":
        raise UnreadableDocument(f"{name}: not a CDA document (root element is {local_name(root.tag)!r}, "
                                 "expected ClinicalDocument in urn:hl7-org:v3).")
    overrides = header_overrides(root)
    identity = read_identity(root)
    body = root.find("h:component/h:nonXMLBody", NS)
    if body is not None:
        return CdaDocument(overrides, identity, 1, pdf=_embedded_pdf(body, name))
    structured = root.find("h:component/h:structuredBody", NS)
    if structured is None:
        raise UnreadableDocument(f"{name}: CDA document without a body (neither nonXMLBody nor structuredBody).")
    sections: list[CdaSection] = []
    labs: list[CodedLabResult] = []
    entries: list[CodedEntry] = []
    for el in iter_sections(structured):
        index = len(sections)
        section = read_section(el)
        if not section.text.strip():
            continue
        sections.append(section)
        labs += lab_results(el, index, overrides.get("type_code"))
        entries += coded_entries(el, section, index)
    if not sections:
        raise UnreadableDocument(f"{name}: structured CDA body without any narrative text.")
    return CdaDocument(overrides, identity, 3, sections=tuple(sections), lab_results=tuple(labs),
                       entries=tuple(entries))


def _embedded_pdf(body: Element, name: str) -> bytes:
    text_el = body.find("h:text", NS)
    if text_el is None or not (text_el.text or "").strip():
        raise UnreadableDocument(f"{name}: CDA level-1 body without an embedded document (nonXMLBody/text).")
    media = (text_el.get("mediaType") or "application/pdf").lower()
    if media != "application/pdf":
        raise UnreadableDocument(f"{name}: embedded document is {media}, not a PDF.")
    try:
        return base64.b64decode("".join(text_el.text.split()), validate=True)
    except (binascii.Error, ValueError) as e:
        raise UnreadableDocument(f"{name}: embedded PDF is not valid base64.") from e
