"""How lab reports print a result, as regular expressions and small readers: numbers ("1,25", "250 000",
"< 0,5"), dates and times to mask, units (g/L, µmol/L, 10^9/L, mL/min/1,73 m²), reference ranges (bracketed,
after "N :", bare "a - b", one-sided "< b", one range per sex or age) and the markers a lab writes (H, L, *, ↑).
ingest.labs puts them together into rows. Nothing here logs text.
"""

from __future__ import annotations

import re

# --- numbers ---------------------------------------------------------------------------------------

NUM = r"(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])|\d+(?:[.,]\d+)?)"  # "1,25", "12.4", "250 000"
# A number standing on its own: not glued to a word ("HbA1c", "T4", "B12") nor part of "19-9", "25-OH".
FREE_NUM = re.compile(
    r"(?<![\w.,/\-(])(?P<cmp>[<>≤≥]\s*|(?:inf|sup)[ée]?rieur\s+[àa]\s+)?"
    r"(?P<num>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])|\d+(?:[.,]\d+)?)"
    r"(?![\w\-/]|[.,]\d)",
    re.IGNORECASE,
)
DATE = re.compile(
    r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{4}\b|\b\d{1,2}/\d{1,2}\b"
    r"|\b\d{1,2}\s*[h:]\s*\d{2}\b"
)


def to_float(s: str) -> float:
    return float(re.sub(r"[ \u00a0\u202f]", "", s).replace(",", "."))


# --- units -----------------------------------------------------------------------------------------

SIMPLE_UNITS = {
    "%", "‰", "fl", "pg", "g", "mg", "µg", "ug", "ng", "ui", "u", "mui", "mmhg", "sec", "s", "mm", "cm", "ratio",
    "µm3", "µ3", "um3", "meq", "giga", "tera", "mosm", "kpa", "secondes", "min",
}
UNIT_TOKEN = re.compile(
    r"(?:x\s*)?10\s*[\^*]?\s*\d+\s*/\s*[a-zA-Zµμ]+\d?"  # 10^9/L, x10*9/L, 10^3/mm3
    r"|/\s*(?:mm3|mm³|µl|μl|ul|ml|l)\b"  # "/mm3", "/µL"
    r"|[a-zA-Zµμ%‰°][^\s()\[\]]*",
    re.IGNORECASE,
)


def is_unit(token: str) -> bool:
    t = token.strip().rstrip(".,;:")
    if not t:
        return False
    low = t.lower().replace("μ", "µ")
    if low in SIMPLE_UNITS:
        return True
    if re.match(r"^(?:x\s*)?10\s*[\^*]?\s*\d+\s*/", low) or re.match(r"^/\s*(?:mm3|mm³|µl|ul|ml|l)$", low):
        return True
    # a ratio of unit-like parts: g/L, mmol/L, µmol/L, mL/min/1,73m², UI/mL, mmol/mol, G/L, T/L
    if "/" in low and len(low) <= 20:
        parts = [p for p in low.split("/") if p]
        return bool(parts) and all(re.fullmatch(r"[a-zµ°%²³0-9,.*^ ]{1,8}", p) for p in parts) and bool(
            re.search(r"[a-zµ%]", parts[0]))
    return False


# --- ranges and flags ------------------------------------------------------------------------------

DASH = r"(?:-|–|—|à|a|to)"
# the unit a range may print inside its brackets ("(0,70-1,10 g/L)"): checked with is_unit before it is used
UNIT_OPT = r"(?:\s*(?P<runit>[a-zA-Zµμ%][a-zA-Zµμ%/²,.0-9]{0,15}))?"
RANGE_ENCLOSED = re.compile(
    rf"[(\[]\s*(?:(?:N|VN|VR|R[ée]f\.?|Normes?)\s*[:=]?\s*)?(?P<lo>{NUM})\s*(?:{DASH}|;)\s*(?P<hi>{NUM}){UNIT_OPT}\s*[)\]]",
    re.IGNORECASE,
)
BOUND_ENCLOSED = re.compile(
    rf"[(\[]\s*(?:(?:N|VN|VR|R[ée]f\.?|Normes?)\s*[:=]?\s*)?(?P<op>[<>≤≥]|inf\.?\s*[àa]|sup\.?\s*[àa])\s*(?P<b>{NUM}){UNIT_OPT}\s*[)\]]",
    re.IGNORECASE,
)
RANGE_PREFIXED = re.compile(
    rf"(?:\bN|\bVN|\bVR|\bR[ée]f(?:[ée]rences?)?\.?|\bNormes?|\bValeurs?\s+(?:de\s+)?r[ée]f[ée]rences?|\bValeurs?\s+normales?)"
    rf"\s*[:=]?\s*(?:(?P<lo>{NUM})\s*{DASH}\s*(?P<hi>{NUM})|(?P<op>[<>≤≥])\s*(?P<b>{NUM}))",
    re.IGNORECASE,
)
RANGE_BARE = re.compile(rf"(?<![\d.,/])(?P<lo>{NUM})\s*(?:-|–|—|\bà\b|\ba\b)\s*(?P<hi>{NUM})(?![\d.,/])")
# One range per sex or age on the same row ("H : 13-17  F : 12-16", "Homme 0,7-1,2 / Femme 0,5-1,0",
# "Adult: 4-10 Child: 5-15"): the row has no single range for this patient.
LABELLED_RANGE = re.compile(
    rf"(?<![\w])(?P<who>hommes?|femmes?|males?|females?|men|women|adultes?|adults?|enfants?|child(?:ren)?"
    rf"|[HFM](?=\s*[:=]))\s*[:=]?\s*(?:{NUM}\s*{DASH}\s*{NUM}|[<>≤≥]\s*{NUM})",
    re.IGNORECASE,
)
# "0,27 - 4,20" with its first bound misread by OCR ("0;27 - 4,20"): the dash between two numbers is a
# range's dash, never the lab's "-" marker.
DASH_BETWEEN_NUMBERS = re.compile(r"(?<=\d)(\s+)[-–—](\s+)(?=[<>]?\s*\d)")
# LabCorp prints a two-digit footnote after the test's name ("Glucose 01   105 High"): not the value.
FOOTNOTE = re.compile(r"0\d")
BOUND_BARE = re.compile(rf"(?P<op>[<>≤≥])\s*(?P<b>{NUM})(?![\d])")

FLAG_TOKENS = {"H": "H", "L": "L", "B": "L", "+": "H", "++": "H", "-": "L", "--": "L", "↑": "H", "↓": "L",
                "*": "*", "**": "*", "(H)": "H", "(L)": "L", "(B)": "L", "(+)": "H", "(-)": "L", "(*)": "*",
                "HAUT": "H", "BAS": "L", "HIGH": "H", "LOW": "L"}
ARROWS = {"↑": "H", "↓": "L", "⬆": "H", "⬇": "L"}
