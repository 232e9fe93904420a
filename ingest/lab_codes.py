"""LOINC codes and UCUM units of the lab analytes, and the unit conversions a trend may make.

One analyte is one key (carnet.lexicon.ANALYTES or ingest.lab_analytes' own keys) and one LOINC code: ASAT and ALAT
are two keys ("asat", "alat", both under the "transaminases" family that questions ask for). A code is given
only where the analyte has one usual serum/blood LOINC code; where the code depends on the unit (mass or
substance concentration) the unit picks it. Units as printed are mapped to UCUM ("µmol/L" -> "umol/L",
"UI/L" -> "U/L", "G/L" -> "10*9/L"); values are converted between units only with the analyte's molar mass
(glucose, cholesterol, triglycerides, creatinine, urea, uric acid, calcium, magnesium, phosphorus), the
valence of an ion (mEq/L <-> mmol/L) or a fixed factor (haemoglobin g/dL <-> g/L, HbA1c % <-> mmol/mol);
a trend never mixes units it cannot convert, and a reference range printed in another unit is converted the
same way before it judges a value (ingest.lab_flags).
"""

from __future__ import annotations

import re

from carnet.text import fold

# An analyte key's family: the key questions and document tags use ("dernières transaminases").
PARENT = {"asat": "transaminases", "alat": "transaminases"}

# key -> LOINC by UCUM unit ("*" when one code whatever the unit)
_LOINC: dict[str, dict[str, str]] = {
    "hba1c": {"%": "4548-4", "mmol/mol": "59261-8"},
    "glycemie": {"g/L": "2345-7", "mg/dL": "2345-7", "mmol/L": "15074-8"},
    "creatinine": {"mg/L": "2160-0", "mg/dL": "2160-0", "umol/L": "14682-9"},
    "dfg": {"*": "62238-1"},
    "cholesterol-total": {"g/L": "2093-3", "mg/dL": "2093-3", "mmol/L": "14647-2"},
    "cholesterol-hdl": {"g/L": "2085-9", "mg/dL": "2085-9", "mmol/L": "14646-4"},
    "cholesterol-ldl": {"g/L": "13457-7", "mg/dL": "13457-7", "mmol/L": "22748-8"},
    "triglycerides": {"g/L": "2571-8", "mg/dL": "2571-8", "mmol/L": "14927-8"},
    "hemoglobine": {"*": "718-7"},
    "plaquettes": {"*": "777-3"},
    "leucocytes": {"*": "6690-2"},
    "hematies": {"*": "789-8"},
    "hematocrite": {"*": "4544-3"},
    "vgm": {"*": "787-2"},
    "tcmh": {"*": "785-6"},
    "ccmh": {"*": "786-4"},
    "neutrophiles": {"*": "751-8"},
    "lymphocytes": {"*": "731-0"},
    "eosinophiles": {"*": "711-2"},
    "monocytes": {"*": "742-7"},
    "tsh": {"*": "3016-3"},
    "t4-libre": {"*": "3024-7"},
    "crp": {"*": "1988-5"},
    "ferritine": {"*": "2276-4"},
    "potassium": {"*": "2823-3"},
    "sodium": {"*": "2951-2"},
    "chlore": {"*": "2075-0"},
    "bicarbonates": {"*": "1963-8"},
    "calcium": {"*": "17861-6"},
    "phosphore": {"*": "2777-1"},
    "magnesium": {"*": "19123-9"},
    "uree": {"*": "3091-6"},
    "acide-urique": {"*": "3084-1"},
    "inr": {"*": "6301-6"},
    "asat": {"*": "1920-8"},
    "alat": {"*": "1742-6"},
    "ggt": {"*": "2324-2"},
    "phosphatases-alcalines": {"*": "6768-6"},
    "bilirubine": {"*": "1975-2"},
    "albumine": {"*": "1751-7"},
    "lipase": {"*": "3040-3"},
    "ck": {"*": "2157-6"},
    "fer": {"*": "2498-4"},
    "vitamine-b12": {"*": "2132-9"},
    "folates": {"*": "2284-8"},
    "vitamine-d": {"*": "62292-8"},
    "psa": {"*": "2857-1"},
    "fibrinogene": {"*": "3255-7"},
    "d-dimeres": {"*": "48065-7"},
    "vitesse-sedimentation": {"*": "4537-7"},
    "albuminurie": {"*": "9318-7"},
}

# Printed unit (folded, spaces removed) -> UCUM
_KEY_OF_LOINC: dict[str, str] = {code: key for key, by_unit in _LOINC.items() for code in by_unit.values()}

_UCUM = {
    "g/l": "g/L", "mg/l": "mg/L", "mg/dl": "mg/dL", "g/dl": "g/dL", "mmol/l": "mmol/L", "umol/l": "umol/L",
    "µmol/l": "umol/L", "nmol/l": "nmol/L", "pmol/l": "pmol/L", "mmol/mol": "mmol/mol", "%": "%",
    "ui/l": "U/L", "u/l": "U/L", "iu/l": "U/L", "mui/l": "m[IU]/L", "miu/l": "m[IU]/L", "ui/ml": "[IU]/mL",
    "g/l.": "g/L", "ng/ml": "ng/mL", "µg/l": "ug/L", "ug/l": "ug/L", "pg/ml": "pg/mL", "ng/l": "ng/L",
    "fl": "fL", "µm3": "fL", "um3": "fL", "pg": "pg", "meq/l": "meq/L", "mg/mmol": "mg/mmol",
    "g/24h": "g/(24.h)", "mm/h": "mm/h", "s": "s", "sec": "s", "secondes": "s",
    "g/l(10^9/l)": "10*9/L", "giga/l": "10*9/L", "g/l*": "10*9/L", "10^9/l": "10*9/L", "10*9/l": "10*9/L",
    "x10^9/l": "10*9/L", "x10*9/l": "10*9/L", "t/l": "10*12/L", "tera/l": "10*12/L", "10^12/l": "10*12/L",
    "x10^12/l": "10*12/L", "/mm3": "/mm3", "/µl": "/uL", "/ul": "/uL", "10^3/mm3": "10*3/mm3",
    "ml/min/1,73m²": "mL/min/{1.73_m2}", "ml/min/1,73m2": "mL/min/{1.73_m2}", "ml/min/1.73m²": "mL/min/{1.73_m2}",
    "ml/min/1.73m2": "mL/min/{1.73_m2}", "ml/min": "mL/min",
}
# Blood counts print "G/L" for 10^9/L: the capital G is a prefix, not grams (only for cell counts).
_CELL_COUNTS = {"leucocytes", "plaquettes", "neutrophiles", "lymphocytes", "eosinophiles", "monocytes",
                "basophiles", "hematies"}

# (key, from UCUM, to UCUM) -> function
_MOLAR = {"glycemie": 5.551, "cholesterol-total": 2.586, "cholesterol-hdl": 2.586, "cholesterol-ldl": 2.586,
          "triglycerides": 1.143, "uree": 16.65}  # mmol/L per g/L
_MICROMOLAR_PER_MG_L = {"creatinine": 8.84, "acide-urique": 5.95}  # µmol/L per mg/L
# Ions printed in mEq/L or mmol/L: mmol/L = mEq/L / valence; calcium and magnesium also in mg/L (molar mass).
_VALENCE = {"sodium": 1, "potassium": 1, "chlore": 1, "bicarbonates": 1, "calcium": 2, "magnesium": 2}
_MG_L_PER_MMOL = {"calcium": 40.08, "magnesium": 24.305, "phosphore": 30.97}


def ucum(unit: str | None, key: str | None = None) -> str | None:
    """The UCUM form of a printed unit, or None when it is not one Carnet knows."""
    if not unit:
        return None
    raw = unit.strip()
    if key in _CELL_COUNTS and re.fullmatch(r"G\s*/\s*[lL]", raw):
        return "10*9/L"
    if key in _CELL_COUNTS and re.fullmatch(r"T\s*/\s*[lL]", raw):
        return "10*12/L"
    folded = fold(raw).replace(" ", "").replace("μ", "µ")
    return _UCUM.get(folded) or _UCUM.get(folded.replace("µ", "u"))


def analyte_of_loinc(code: str | None) -> str | None:
    """The analyte key a LOINC code stands for (a coded CDA result), or None."""
    return _KEY_OF_LOINC.get(code or "")


def loinc(key: str, unit_ucum: str | None) -> str | None:
    codes = _LOINC.get(key)
    if not codes:
        return None
    if "*" in codes:
        return codes["*"]
    return codes.get(unit_ucum or "")


def _to_base(key: str, value: float, unit: str) -> tuple[float, str] | None:
    """A value in the analyte's reference unit (mmol/L, umol/L, g/L, %), or None."""
    if key in _MOLAR:
        if unit == "mmol/L":
            return value, "mmol/L"
        if unit == "g/L":
            return value * _MOLAR[key], "mmol/L"
        if unit == "mg/dL":
            return value / 100 * _MOLAR[key], "mmol/L"
    if key in _MICROMOLAR_PER_MG_L:
        if unit == "umol/L":
            return value, "umol/L"
        if unit == "mg/L":
            return value * _MICROMOLAR_PER_MG_L[key], "umol/L"
        if unit == "mg/dL":
            return value * 10 * _MICROMOLAR_PER_MG_L[key], "umol/L"
    if key in _VALENCE or key in _MG_L_PER_MMOL:
        if unit == "mmol/L":
            return value, "mmol/L"
        if unit == "meq/L" and key in _VALENCE:
            return value / _VALENCE[key], "mmol/L"
        if unit in ("mg/L", "mg/dL") and key in _MG_L_PER_MMOL:
            return value * (10 if unit == "mg/dL" else 1) / _MG_L_PER_MMOL[key], "mmol/L"
    if key == "hemoglobine":
        if unit == "g/dL":
            return value * 10, "g/L"
        if unit == "g/L":
            return value, "g/L"
    if key == "hba1c":
        if unit == "%":
            return value, "%"
        if unit == "mmol/mol":
            return value / 10.929 + 2.15, "%"
    return None


def convert(key: str, value: float, from_unit: str | None, to_unit: str | None) -> float | None:
    """`value` expressed in `to_unit` (both UCUM), or None when the analyte does not allow it."""
    if from_unit == to_unit:
        return value
    if from_unit is None or to_unit is None:
        return None
    a, b = _to_base(key, value, from_unit), _to_base(key, 1.0, to_unit)
    if a is None or b is None or a[1] != b[1]:
        return None
    return a[0] / b[0] if key != "hba1c" or to_unit == "%" else (a[0] - 2.15) * 10.929


# A value read by OCR is kept only from a page Tesseract read this well, and only for an analyte Carnet knows:
# an OCR misreading makes up labels ("Biparbonates noue roc") that a text layer never has.
MIN_OCR_CONFIDENCE = 0.70


def code_rows(rows: list[dict], pages: dict[int, tuple[bool, float | None]], known: set[str]) -> list[dict]:
    """Lab rows with their LOINC code, UCUM unit and origin ("text" | "ocr", with the page's confidence);
    OCR rows from a poorly read page or naming no known analyte are dropped. `pages`: number -> (ocr, confidence)."""
    out = []
    for row in rows:
        ocr, confidence = pages.get(row.get("page") or 1, (False, None))
        if ocr and ((confidence or 0.0) < MIN_OCR_CONFIDENCE or row["analyte"] not in known):
            continue
        unit = ucum(row.get("unit"), row["analyte"])
        out.append({**row, "ucum": unit, "loinc": loinc(row["analyte"], unit), "origin": "ocr" if ocr else "text",
                    "confidence": confidence if ocr else None})
    return out
