"""What a level-3 CDA body codes in its entries rather than writes in text: lab results (LOINC code, value,
UCUM unit, reference range, interpretation) and allergies, medications, problems and vaccinations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from carnet import codes
from carnet.cda_sections import ANALYTE_LOINC, LAB_SECTIONS
from ingest.cda_narrative import CdaSection
from ingest.cda_xml import HL7, NS, XSI, element_text, iso_date, squash, to_float
from ingest.lab_codes import analyte_of_loinc
from ingest.lab_analytes import analyte_key

LOINC_OID = "2.16.840.1.113883.6.1"
_FLAGS = {"H": "H", "HH": "H", "HU": "H", ">": "H", "L": "L", "LL": "L", "LU": "L", "<": "L", "A": "A", "AA": "A"}


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


def lab_results(section: Element, index: int, type_code: str | None) -> list[CodedLabResult]:
    code_el = section.find("h:code", NS)
    code = code_el.get("code") if code_el is not None else None
    if code not in LAB_SECTIONS and type_code != codes.LAB:
        return []
    out = []
    for obs in section.iter(f"{{{HL7}}}observation"):
        if obs.get("negationInd") == "true" or (obs.get("moodCode") or "EVN") != "EVN":
            continue
        obs_code = obs.find("h:code", NS)
        value = obs.find("h:value", NS)
        if obs_code is None or value is None:
            continue
        loinc = obs_code.get("code") if obs_code.get("codeSystem") == LOINC_OID else None
        label = (obs_code.get("displayName") or element_text(obs_code.find("h:originalText", NS))
                 or _translation_label(obs_code) or loinc)
        if not label:
            continue
        kind = (value.get(f"{{{XSI}}}type") or "").upper()
        number, unit, text_value = None, None, None
        if kind == "PQ":
            number, unit = to_float(value.get("value")), (value.get("unit") or None)
        elif kind in ("ST", "ED"):
            text_value = element_text(value)
        elif kind in ("CD", "CE", "CV", "CO"):
            text_value = value.get("displayName") or element_text(value.find("h:originalText", NS)) or value.get("code")
        elif kind == "INT":
            number = to_float(value.get("value"))
        if number is None and not text_value:
            continue
        unit = _display_unit(unit)
        low, high, range_unit = _range(obs)
        flag = None
        interp = obs.find("h:interpretationCode", NS)
        if interp is not None and interp.get("code"):
            flag = _FLAGS.get(interp.get("code").upper())
        out.append(CodedLabResult(loinc, label.strip(), number, unit, low, high, flag, index, text_value,
                                  _display_unit(range_unit) if range_unit else None))
    return out


def _translation_label(code_el: Element) -> str | None:
    for t in code_el.findall("h:translation", NS):
        if t.get("displayName"):
            return t.get("displayName")
    return None


def _range(obs: Element) -> tuple[float | None, float | None, str | None]:
    """The normal range of an observation: (low, high, the unit its bounds are printed in)."""
    for rng in obs.findall("h:referenceRange/h:observationRange", NS):
        interp = rng.find("h:interpretationCode", NS)
        if interp is not None and interp.get("code") not in (None, "N"):
            continue  # a range for another interpretation (a toxic level), not the normal one
        value = rng.find("h:value", NS)
        if value is not None:
            low, high = value.find("h:low", NS), value.find("h:high", NS)
            lo = to_float(low.get("value")) if low is not None and low.get("nullFlavor") is None else None
            hi = to_float(high.get("value")) if high is not None and high.get("nullFlavor") is None else None
            unit = next((b.get("unit") for b in (low, high) if b is not None and b.get("unit")), None)
            if lo is not None or hi is not None:
                return lo, hi, unit
        text = element_text(rng.find("h:text", NS))
        if text:
            m = re.match(r"^\s*(\d+(?:[.,]\d+)?)\s*[-–à]\s*(\d+(?:[.,]\d+)?)\s*([^\s\d][^\s]*)?", text)
            if m:
                return to_float(m.group(1)), to_float(m.group(2)), m.group(3)
    return None, None, None


def coded_entries(section_el: Element, section: CdaSection, index: int) -> list[CodedEntry]:
    """Allergies, medications, problems and vaccinations coded in a section's entries."""
    ids = _narrative_ids(section_el)
    out: list[CodedEntry] = []
    kind_of_section = {"allergies": "allergy", "traitement": "medication", "vaccinations": "vaccination",
                       "antecedents": "problem", "conclusion": "problem"}.get(section.name or "")
    if kind_of_section is None:
        return out
    for entry in section_el.findall("h:entry", NS):
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
    text_el = section_el.find("h:text", NS)
    if text_el is None:
        return out
    for el in text_el.iter():
        if el.get("ID"):
            out[el.get("ID")] = squash("".join(el.itertext()))
    return out


def _referenced(el: Element | None, ids: dict[str, str]) -> str | None:
    if el is None:
        return None
    ref = el.find("h:reference", NS)
    if ref is not None and (ref.get("value") or "").startswith("#"):
        return ids.get(ref.get("value")[1:])
    return element_text(el) or None


def _substance(sa: Element, kind: str, ids: dict[str, str], index: int) -> CodedEntry | None:
    material = sa.find("h:consumable/h:manufacturedProduct/h:manufacturedMaterial", NS)
    if material is None:
        return None
    code_el = material.find("h:code", NS)
    label = element_text(material.find("h:name", NS))
    if not label and code_el is not None:
        label = code_el.get("displayName") or element_text(code_el.find("h:originalText", NS))
    line = _referenced(sa.find("h:text", NS), ids)
    if not label and not line:
        return None
    start = end = None
    for t in sa.findall("h:effectiveTime", NS):
        low, high = t.find("h:low", NS), t.find("h:high", NS)
        if low is not None or high is not None:
            start = iso_date(low.get("value")) if low is not None else None
            end = iso_date(high.get("value")) if high is not None else None
        elif t.get("value"):
            start = iso_date(t.get("value"))
    dose = sa.find("h:doseQuantity", NS)
    detail = line
    if detail is None and dose is not None and dose.get("value"):
        detail = f"{dose.get('value')} {dose.get('unit') or ''}".strip()
    return CodedEntry(kind, (label or line or "").strip(), code_el.get("code") if code_el is not None else None,
                      code_el.get("codeSystem") if code_el is not None else None, detail,
                      sa.get("negationInd") == "true", start, end, index)


def _allergy(obs: Element, ids: dict[str, str], index: int) -> CodedEntry | None:
    entity = obs.find("h:participant/h:participantRole/h:playingEntity", NS)
    label, code, system = None, None, None
    if entity is not None:
        code_el = entity.find("h:code", NS)
        if code_el is not None:
            label = code_el.get("displayName") or element_text(code_el.find("h:originalText", NS))
            code, system = code_el.get("code"), code_el.get("codeSystem")
        label = label or element_text(entity.find("h:name", NS))
    value = obs.find("h:value", NS)
    if not label and value is not None:
        label = value.get("displayName") or element_text(value.find("h:originalText", NS))
        code, system = value.get("code"), value.get("codeSystem")
    line = _referenced(obs.find("h:text", NS), ids)
    if not label and not line:
        return None
    reaction = None
    for rel in obs.findall("h:entryRelationship", NS):
        if rel.get("typeCode") == "MFST":
            r = rel.find("h:observation/h:value", NS)
            if r is not None:
                reaction = r.get("displayName") or element_text(r.find("h:originalText", NS))
    return CodedEntry("allergy", (label or line).strip(), code, system, reaction or line,
                      obs.get("negationInd") == "true", _low(obs), None, index)


def _problem(obs: Element, ids: dict[str, str], index: int) -> CodedEntry | None:
    value = obs.find("h:value", NS)
    if value is None:
        return None
    label = value.get("displayName") or element_text(value.find("h:originalText", NS))
    line = _referenced(obs.find("h:text", NS), ids)
    if not label and not line:
        return None
    high = obs.find("h:effectiveTime/h:high", NS)
    return CodedEntry("problem", (label or line).strip(), value.get("code"), value.get("codeSystem"), line,
                      obs.get("negationInd") == "true", _low(obs), iso_date(high.get("value")) if high is not None else None,
                      index)


def _low(el: Element) -> str | None:
    low = el.find("h:effectiveTime/h:low", NS)
    if low is not None:
        return iso_date(low.get("value"))
    t = el.find("h:effectiveTime", NS)
    return iso_date(t.get("value")) if t is not None else None


def _display_unit(unit: str | None) -> str | None:
    """A UCUM unit as a report prints it ("umol/L" -> "µmol/L"), so a coded value joins the same trend as
    one read from a PDF; UCUM's dimensionless "1" is no unit."""
    if not unit or unit == "1":
        return None
    unit = re.sub(r"(?<![A-Za-z])u(?=(mol|g|L|l|U)\b|(mol|g)/)", "µ", unit)
    return unit.replace("{1.73_m2}", "1,73m²").replace("10*9", "10^9").replace("10*12", "10^12")
