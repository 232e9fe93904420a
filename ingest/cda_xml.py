"""Safe parsing of CDA R2 XML (defusedxml: no DTD, no entity, no external reference, nothing fetched) and
the small readers every part of a CDA document uses: namespaced names, text of an element, HL7 instance
identifiers, HL7 timestamps, numbers.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from carnet.errors import UnreadableDocument

HL7 = "urn:hl7-org:v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS = {"h": HL7}


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


def instance_id(el: Element | None) -> str | None:
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


def iso_date(value: str | None) -> str | None:
    d = hl7_date(value)
    return d.isoformat() if d else None


def local_name(tag: Any) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def element_text(el: Element | None) -> str:
    return squash("".join(el.itertext())) if el is not None else ""


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def person_name(name_el: Element | None) -> str | None:
    if name_el is None:
        return None
    parts = [element_text(el) for el in name_el if local_name(el.tag) in ("prefix", "given", "family")]
    return " ".join(p for p in parts if p) or element_text(name_el) or None


def to_float(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value.strip().replace(",", "."))
    except ValueError:
        return None
