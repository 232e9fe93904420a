"""The flag of a lab value: from the report's own reference range when it gives one, else from the lab's
marker, else none.

Carnet holds no default range. A range that ignores the lab's units, the patient's sex or age flags normal
values (a chloride at 101 mmol/L "low") and hides abnormal ones, so a value is judged only against what its
own report prints:

1. the reference range of the row, in the value's unit: a range printed in another unit ("5,9 mmol/L
   (0,70-1,10 g/L)") is converted with ingest.lab_codes when the analyte allows it, and is not used when it
   does not; a row that prints one range per sex or age ("H : 13-17  F : 12-16") has no single range for this
   patient and is not judged by it; a range read by OCR that the value misses by a factor of 5 (under) or 8
   (over) is a misreading of one of them (a dropped decimal comma: "Kaliémie 4,1 mmol/L 35-51"), not a result;
2. the lab's own marker when no range can be used: H / L as printed, "*" (abnormal, no direction) as "A";
3. otherwise no flag: the value is shown without judgement.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.lab_codes import convert, ucum

# A value read by OCR this many times under its range's low bound, or over its high bound, means the value
# or the range was misread: a dropped decimal comma makes a bound (3,5 -> 35) or the value (7,6 -> 76) ten
# times larger. Under: 5 (no plausible result is a fifth of its low bound); over: 8 (a glucose can be 5 times
# its high bound).
OCR_IMPLAUSIBLE_UNDER = 5.0
OCR_IMPLAUSIBLE_OVER = 8.0
FLAGS = ("H", "L", "A")  # high, low, abnormal (the lab's "*" or a CDA "A" without a direction)


@dataclass(frozen=True)
class Range:
    low: float | None
    high: float | None
    unit: str | None = None  # as printed with the range, when it prints one


def range_in_unit(rng: Range, analyte: str | None, unit: str | None) -> Range | None:
    """The range expressed in the value's unit, or None when it cannot be (units the analyte cannot convert)."""
    if rng.low is None and rng.high is None:
        return None
    if not rng.unit or not unit:
        return Range(rng.low, rng.high, unit or rng.unit)
    a, b = ucum(rng.unit, analyte), ucum(unit, analyte)
    if a is None or b is None:
        # a unit Carnet does not know: the same printed unit is the same unit, anything else is unknown
        same = rng.unit.replace(" ", "").lower() == unit.replace(" ", "").lower()
        return Range(rng.low, rng.high, unit) if same else None
    if a == b:
        return Range(rng.low, rng.high, unit)
    lo = convert(analyte or "", rng.low, a, b) if rng.low is not None else None
    hi = convert(analyte or "", rng.high, a, b) if rng.high is not None else None
    if (rng.low is not None and lo is None) or (rng.high is not None and hi is None):
        return None
    return Range(round(lo, 4) if lo is not None else None, round(hi, 4) if hi is not None else None, unit)


def _from_range(value: float, rng: Range, comparator: str | None) -> str | None:
    # "< 0,5" under a low bound of 1 is low; "< 0,5" under a high bound is simply normal
    if comparator in (None, ">") and rng.high is not None and value > rng.high:
        return "H"
    if comparator in (None, "<") and rng.low is not None and value < rng.low:
        return "L"
    return None


def _plausible(value: float, rng: Range) -> bool:
    if rng.low is not None and rng.low > 0 and value < rng.low / OCR_IMPLAUSIBLE_UNDER:
        return False
    if rng.high is not None and rng.high > 0 and value > rng.high * OCR_IMPLAUSIBLE_OVER and rng.low is not None:
        return False  # a one-sided "< 5" may be exceeded by far (a CRP at 150): only a two-sided range says
    return True


def marker_flag(marker: str | None) -> str | None:
    """The lab's own marker as a flag: "H" / "L" as printed, "*" or "A" as "A"."""
    if marker in ("H", "L"):
        return marker
    if marker in ("*", "A"):
        return "A"
    return None


def decide(value: float | None, unit: str | None, rng: Range | None, *, marker: str | None = None,
           analyte: str | None = None, comparator: str | None = None, ambiguous_range: bool = False,
           ocr: bool = False) -> tuple[str | None, Range | None]:
    """(flag, the range used in the value's unit or None). `marker`: the lab's printed marker ("H", "L", "*"),
    `ambiguous_range`: the row prints several ranges (one per sex or age), `ocr`: the row was read by OCR."""
    usable = None
    if rng is not None and not ambiguous_range:
        usable = range_in_unit(rng, analyte, unit)
        if usable is not None and ocr and value is not None and not _plausible(value, usable):
            usable = None
    if value is not None and usable is not None:
        return _from_range(value, usable, comparator), usable
    return marker_flag(marker), usable
