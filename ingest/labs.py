"""Structured values from lab reports: analyte, value, unit, reference range, flag, page.

Lab reports come in many layouts: one row per line with columns separated by spaces or tabs, dot leaders
("Créatinine ........ 78 µmol/L (45-104)"), a previous-result column ("Antériorité"), the reference range
in brackets, in parentheses, after "N :" or as a one-sided bound ("< 5,7"), and, once a PDF is turned into
text, rows whose cells come out on separate lines. The parser works on lines:

1. lines are assembled into rows (a label-only line followed by value / unit / range / flag lines is one row);
2. a row is cut at its first free-standing number: what comes before is the label, the number the value
   ("1,25", "12.4", "< 0,5", "250 000");
3. the rest gives the unit (the token after the value, when it looks like a unit), the reference range
   (bracketed first, then "N :" / "VR :", then a bare "a - b", then "< b" / "> a") with the unit it prints,
   the marker written by the lab (H, L, *, ↑, ↓, +, -) and the flag (ingest.lab_flags): from the row's own
   range in the value's unit when it has one it can use, else from the lab's marker, else none;
4. a row is kept when it is plausibly a measurement: a known analyte (carnet.lexicon.ANALYTES) or a unit
   or a reference range, and a label that is not an address, a date, a phone or a page number.

Numbers that follow the range or the unit without being part of it (previous results, dates) are ignored.
Nothing here logs text.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from carnet.lexicon import ANALYTES
from carnet.models import ExtractedDocument
from carnet.text import fold
from ingest.lab_flags import Range, decide

# --- numbers ---------------------------------------------------------------------------------------

_NUM = r"(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])|\d+(?:[.,]\d+)?)"  # "1,25", "12.4", "250 000"
# A number standing on its own: not glued to a word ("HbA1c", "T4", "B12") nor part of "19-9", "25-OH".
_FREE_NUM = re.compile(
    r"(?<![\w.,/\-(])(?P<cmp>[<>≤≥]\s*|(?:inf|sup)[ée]?rieur\s+[àa]\s+)?"
    r"(?P<num>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])|\d+(?:[.,]\d+)?)"
    r"(?![\w\-/]|[.,]\d)",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{4}\b|\b\d{1,2}/\d{1,2}\b"
    r"|\b\d{1,2}\s*[h:]\s*\d{2}\b"
)


def _to_float(s: str) -> float:
    return float(re.sub(r"[ \u00a0\u202f]", "", s).replace(",", "."))


# --- units -----------------------------------------------------------------------------------------

_SIMPLE_UNITS = {
    "%", "‰", "fl", "pg", "g", "mg", "µg", "ug", "ng", "ui", "u", "mui", "mmhg", "sec", "s", "mm", "cm", "ratio",
    "µm3", "µ3", "um3", "meq", "giga", "tera", "mosm", "kpa", "secondes", "min",
}
_UNIT_TOKEN = re.compile(
    r"(?:x\s*)?10\s*[\^*]?\s*\d+\s*/\s*[a-zA-Zµμ]+\d?"  # 10^9/L, x10*9/L, 10^3/mm3
    r"|/\s*(?:mm3|mm³|µl|μl|ul|ml|l)\b"  # "/mm3", "/µL"
    r"|[a-zA-Zµμ%‰°][^\s()\[\]]*",
    re.IGNORECASE,
)


def _is_unit(token: str) -> bool:
    t = token.strip().rstrip(".,;:")
    if not t:
        return False
    low = t.lower().replace("μ", "µ")
    if low in _SIMPLE_UNITS:
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

_DASH = r"(?:-|–|—|à|a|to)"
# the unit a range may print inside its brackets ("(0,70-1,10 g/L)"): checked with _is_unit before it is used
_UNIT_OPT = r"(?:\s*(?P<runit>[a-zA-Zµμ%][a-zA-Zµμ%/²,.0-9]{0,15}))?"
_RANGE_ENCLOSED = re.compile(
    rf"[(\[]\s*(?:(?:N|VN|VR|R[ée]f\.?|Normes?)\s*[:=]?\s*)?(?P<lo>{_NUM})\s*(?:{_DASH}|;)\s*(?P<hi>{_NUM}){_UNIT_OPT}\s*[)\]]",
    re.IGNORECASE,
)
_BOUND_ENCLOSED = re.compile(
    rf"[(\[]\s*(?:(?:N|VN|VR|R[ée]f\.?|Normes?)\s*[:=]?\s*)?(?P<op>[<>≤≥]|inf\.?\s*[àa]|sup\.?\s*[àa])\s*(?P<b>{_NUM}){_UNIT_OPT}\s*[)\]]",
    re.IGNORECASE,
)
_RANGE_PREFIXED = re.compile(
    rf"(?:\bN|\bVN|\bVR|\bR[ée]f(?:[ée]rences?)?\.?|\bNormes?|\bValeurs?\s+(?:de\s+)?r[ée]f[ée]rences?|\bValeurs?\s+normales?)"
    rf"\s*[:=]?\s*(?:(?P<lo>{_NUM})\s*{_DASH}\s*(?P<hi>{_NUM})|(?P<op>[<>≤≥])\s*(?P<b>{_NUM}))",
    re.IGNORECASE,
)
_RANGE_BARE = re.compile(rf"(?<![\d.,/])(?P<lo>{_NUM})\s*(?:-|–|—|\bà\b|\ba\b)\s*(?P<hi>{_NUM})(?![\d.,/])")
# One range per sex or age on the same row ("H : 13-17  F : 12-16", "Homme 0,7-1,2 / Femme 0,5-1,0",
# "Adult: 4-10 Child: 5-15"): the row has no single range for this patient.
_LABELLED_RANGE = re.compile(
    rf"(?<![\w])(?P<who>hommes?|femmes?|males?|females?|men|women|adultes?|adults?|enfants?|child(?:ren)?"
    rf"|[HFM](?=\s*[:=]))\s*[:=]?\s*(?:{_NUM}\s*{_DASH}\s*{_NUM}|[<>≤≥]\s*{_NUM})",
    re.IGNORECASE,
)
# "0,27 - 4,20" with its first bound misread by OCR ("0;27 - 4,20"): the dash between two numbers is a
# range's dash, never the lab's "-" marker.
_DASH_BETWEEN_NUMBERS = re.compile(r"(?<=\d)(\s+)[-–—](\s+)(?=[<>]?\s*\d)")
# LabCorp prints a two-digit footnote after the test's name ("Glucose 01   105 High"): not the value.
_FOOTNOTE = re.compile(r"0\d")
_BOUND_BARE = re.compile(rf"(?P<op>[<>≤≥])\s*(?P<b>{_NUM})(?![\d])")

_FLAG_TOKENS = {"H": "H", "L": "L", "B": "L", "+": "H", "++": "H", "-": "L", "--": "L", "↑": "H", "↓": "L",
                "*": "*", "**": "*", "(H)": "H", "(L)": "L", "(B)": "L", "(+)": "H", "(-)": "L", "(*)": "*",
                "HAUT": "H", "BAS": "L", "HIGH": "H", "LOW": "L"}
_ARROWS = {"↑": "H", "↓": "L", "⬆": "H", "⬇": "L"}

# --- what a label may not be -------------------------------------------------------------------------

_NOT_A_LABEL = re.compile(
    r"\b(?:page|tel|tél|telephone|fax|rue|avenue|bd|boulevard|chemin|place|cedex|n°|no|dossier|ipp|nda|ne|nee|né|née"
    r"|age|âge|ans|date|prelev|prélev|edit|édit|imprim|recu|reçu|valide|validé|prescripteur|rpps|finess|adeli"
    r"|siret|code|cp|patient|patiente|sexe|poids|taille|heure|le|du|au|mois|feuillet|total\s+pages?)\b",
    re.IGNORECASE,
)
_HEADER_WORDS = re.compile(r"\b(?:resultats?|unites?|valeurs?|reference|anteriorites?|normes?)\b")
_LABEL_STRIP = re.compile(r"[\s.:=…_\-–|*]+$")
_LEADERS = re.compile(r"(?:\s*\.{2,}\s*|\s*…+\s*|\s*_{2,}\s*)")

_MAX_LABEL_WORDS = 7
_PROSE_END = re.compile(r"\b(?:a|de|du|des|dans|est|etait|was|is|of|at|to|en|par|sous|une?|la|le|les)$")

# A panel name is a header, not a measurement; it must not take the place of the row's own analyte.
_PANELS = {"nfs"}


@dataclass(frozen=True)
class LabValue:
    analyte: str  # carnet.lexicon.ANALYTES key, or the folded label ("polynucleaires-neutrophiles")
    label: str  # as printed
    value: float
    unit: str | None
    low: float | None
    high: float | None
    flag: str | None  # "H" | "L" | None
    page: int
    comparator: str | None = None  # "<" / ">" when the lab printed "< 0,5"

    def as_row(self) -> dict:
        """The lab_values table's columns (the store writes exactly these keys)."""
        row = asdict(self)
        row.pop("comparator")
        return row


# Words lab tables print that the shared lexicon does not list (folded); keys stay ANALYTES keys.
_EXTRA_SYNONYMS = {
    "plaquettes": ("numeration plaquettaire", "plaquettaire"),
    "glycemie": ("glucose a jeun", "hgpo", "hyperglycemie provoquee"),
    "ferritine": ("ferritinemie",),
    "dfg": ("filtration glomerulaire", "debit de filtration", "mdrd"),
    "crp": ("c reactive proteine", "proteine c-reactive", "c-reactive proteine"),
    "transaminases": ("aspartate aminotransferase", "alanine aminotransferase", "tgo", "tgp"),
    "hba1c": ("hemoglobine a1c", "hb glyquee"),
    "leucocytes": ("globules blancs", "white cells", "white cell count"),
    "bicarbonates": ("co2", "total co2"),  # US chemistry panels: "CO2" is the total CO2 (pCO2 is one word)
}
# Common analytes the shared lexicon has no key for: a key of their own (folded French name), so the same
# analyte gets the same key whatever the lab calls it ("Chlorémie", "Chlore", "Cl-").
_MORE_ANALYTES = {
    "uree": ("uree", "azotemie", "uree sanguine", "urea"),
    "chlore": ("chlore", "chloremie", "chlorure", "chlorures", "cl-", "chloride"),
    "bicarbonates": ("bicarbonates", "bicarbonate", "co2 total", "reserve alcaline", "hco3-", "hco3"),
    "calcium": ("calcium", "calcemie"),
    "phosphore": ("phosphore", "phosphoremie", "phosphate"),
    "magnesium": ("magnesium", "magnesemie"),
    "proteines": ("proteines totales", "protidemie", "proteines"),
    "albumine": ("albumine", "albuminemie"),
    "hematies": ("hematies", "globules rouges", "erythrocytes", "red blood cells", "rbc"),
    "hematocrite": ("hematocrite", "hte", "hct", "haematocrit", "hematocrit"),
    "vgm": ("vgm", "volume globulaire moyen", "mcv"),
    "tcmh": ("tcmh", "teneur corpusculaire moyenne en hemoglobine", "mch"),
    "ccmh": ("ccmh", "concentration corpusculaire moyenne en hemoglobine", "mchc"),
    "neutrophiles": ("neutrophiles", "polynucleaires neutrophiles", "pnn", "neutrophils"),
    "lymphocytes": ("lymphocytes", "lymphocytes totaux"),
    "monocytes": ("monocytes",),
    "eosinophiles": ("eosinophiles", "polynucleaires eosinophiles", "pne"),
    "basophiles": ("basophiles", "polynucleaires basophiles", "pnb"),
    "bilirubine": ("bilirubine", "bilirubine totale", "bilirubinemie"),
    "phosphatases-alcalines": ("phosphatases alcalines", "pal", "alkaline phosphatase"),
    "ldh": ("ldh", "lactate deshydrogenase", "lactico-deshydrogenase"),
    "cpk": ("cpk", "creatine kinase", "creatine phosphokinase", "ck"),
    "lipase": ("lipase", "lipasemie"),
    "fer": ("fer serique", "sideremie", "fer"),
    "folates": ("folates", "acide folique", "vitamine b9"),
    "vitamine-b12": ("vitamine b12", "cobalamine"),
    "t4-libre": ("t4 libre", "t4l", "ft4", "thyroxine libre"),
    "fibrinogene": ("fibrinogene",),
    "tca": ("tca", "temps de cephaline activee"),
    "beta-hcg": ("beta-hcg", "beta hcg", "hcg", "bhcg"),
}
# A generic analyte gives way to a more specific one named in the same label: "Hémoglobine A1c" is HbA1c,
# "Clairance de la créatinine" is a DFG, "Rapport albumine/créatinine" an albuminuria.
_GENERIC = {"hemoglobine", "creatinine", "cholesterol-total", "albumine", "glycemie"}


def _synonyms() -> list[tuple[str, str]]:
    pairs = [(k, s) for k, a in ANALYTES.items() if k not in _PANELS for s in a.synonyms]
    pairs += [(k, s) for k, extra in _EXTRA_SYNONYMS.items() if k in ANALYTES for s in extra]
    pairs += [(k, s) for k, syns in _MORE_ANALYTES.items() if k not in ANALYTES for s in syns]
    return pairs


_SYNONYMS = _synonyms()
# Every key a lab row can name from the lexicons (a label outside them keeps its folded text as key)
KNOWN_ANALYTES = frozenset(k for k, _ in _SYNONYMS)
_SYNONYM_PATTERNS = [(k, s, re.compile(rf"(?<![\w]){re.escape(s)}(?![\w])")) for k, s in _SYNONYMS]
# "gamma-glutamyl-transferase" and "gamma glutamyl transferase" are the same words
_SYNONYM_PATTERNS += [(k, s, re.compile(rf"(?<![\w]){re.escape(s.replace('-', ' '))}(?![\w])"))
                      for k, s in _SYNONYMS if "-" in s and not s.endswith("-")]


# ASAT and ALAT are two analytes (two LOINC codes) in the "transaminases" family the lexicon names.
_TRANSAMINASE = (("asat", re.compile(r"\b(?:asat|ast|sgot|tgo|aspartate)\b")),
                 ("alat", re.compile(r"\b(?:alat|alt|sgpt|tgp|alanine)\b")))


def analyte_key(label: str) -> str:
    """The analyte key a label names: ANALYTES' key (earliest synonym in the label, longest on a tie), ASAT and
    ALAT apart, else the folded label."""
    key = _lexicon_key(label)
    if key == "transaminases":
        folded = _fold_label(label)
        for specific, rx in _TRANSAMINASE:
            if rx.search(folded):
                return specific
    return key


def _lexicon_key(label: str) -> str:
    folded = _fold_label(label)
    best: tuple[bool, int, int, str] | None = None
    for key, syn, pattern in _SYNONYM_PATTERNS:
        m = pattern.search(folded)
        if m:
            cand = (key in _GENERIC, m.start(), -len(syn), key)
            if best is None or cand < best:
                best = cand
    if best is not None:
        return best[3]
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "inconnu"


def _fold_label(label: str) -> str:
    """Folded label with dotted abbreviations closed up ("V.G.M." -> "vgm") and soft hyphens as hyphens."""
    folded = fold(label.replace("\u00ad", "-"))
    folded = re.sub(r"\b([a-z])\.(?=[a-z]\b|[a-z]\.)", r"\1", folded).rstrip(".")
    # OCR reads the "1" of A1c as l, i or | ("Hémoglobine Alc", "HbAlc"): HbA1c, never haemoglobin
    folded = re.sub(r"\b(hb|hemoglobine|haemoglobin|hemoglobin)\s*a[l1i|!]c\b", r"\1 a1c", folded)
    folded = re.sub(r"\bhba[l1i|!]c\b", "hba1c", folded)
    return re.sub(r"(?<=[a-z])-(?=[a-z])", " ", folded)


def _known_analyte(label: str) -> bool:
    folded = _fold_label(label)
    return any(pattern.search(folded) for _, _, pattern in _SYNONYM_PATTERNS)


# --- rows ------------------------------------------------------------------------------------------

_CONT_START = re.compile(rf"^\s*(?:[<>≤≥]?\s*{_NUM}|[(\[]|(?:N|VN|VR)\s*[:=]|[↑↓*+\-]\s*(?:$|{_NUM}))", re.IGNORECASE)


def _is_continuation(line: str) -> bool:
    s = line.strip()
    if not s:
        return False
    if _CONT_START.match(s) and not _DATE.match(s):
        return True
    return _is_unit(s) or s.upper() in _FLAG_TOKENS


def _has_value(line: str) -> bool:
    return _first_value(_DATE.sub(lambda m: " " * len(m.group()), line)) is not None


def _rows(text: str) -> list[str]:
    """Lines of a page, with a label-only line joined to the value / unit / range lines that follow it."""
    lines = [ln.replace("\t", "   ") for ln in text.split("\n")]
    rows: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() and re.search(r"[^\W\d_]{2}", line) and not _has_value(line) and len(line.strip()) <= 70:
            j, parts = i + 1, [line]
            while j < len(lines) and j - i <= 6 and _is_continuation(lines[j]):
                parts.append(lines[j])
                j += 1
            if j > i + 1 and any(_has_value(p) for p in parts[1:]):
                rows.append("   ".join(p.strip() for p in parts))
                i = j
                continue
        rows.append(line)
        i += 1
    return rows


_SEXES = {"h": "m", "m": "m", "homme": "m", "hommes": "m", "male": "m", "males": "m", "men": "m",
          "f": "f", "femme": "f", "femmes": "f", "female": "f", "females": "f", "women": "f",
          "adulte": "adult", "adultes": "adult", "adult": "adult", "adults": "adult",
          "enfant": "child", "enfants": "child", "child": "child", "children": "child"}


def _who(word: str) -> str:
    return _SEXES.get(word.lower(), word.lower())


def _first_value(line: str) -> re.Match | None:
    for m in _FREE_NUM.finditer(line):
        return m
    return None


_LABEL_GOES_ON = re.compile(r"^\s*(?:[a-zA-Zµμ%]\S*\s*)?[—–\-]\s*[^\W\d_]")


def _value_match(masked: str) -> re.Match | None:
    """The row's value: the first free number, unless the label goes on after it ("HGPO 75 g — T0  0,83 g/L":
    the dose and the time point are part of the label) or it is a footnote number ("Glucose 01  105")."""
    matches = list(_FREE_NUM.finditer(masked))
    for i, m in enumerate(matches):
        if i + 1 < len(matches) and _LABEL_GOES_ON.match(masked[m.end():]):
            continue
        if i + 1 < len(matches) and not m.group("cmp") and _FOOTNOTE.fullmatch(m.group("num")):
            continue
        return m
    return None


def _parse_row(line: str, page: int, ocr: bool = False) -> LabValue | None:
    if not re.search(r"\d", line):
        return None
    masked = _DATE.sub(lambda m: " " * len(m.group()), line)  # dates keep their place, lose their digits
    m = _value_match(masked)
    if m is None:
        return None
    # thousands groups ("250 000") only count when a unit follows; else "250 180" is a value and a previous one
    num = m.group("num")
    end = m.end()
    if re.search(r"\s", num):
        after = masked[m.end():].strip().split(" ", 1)[0] if masked[m.end():].strip() else ""
        if not _is_unit(after):
            num = re.split(r"\s", num)[0]
            end = m.start("num") + len(num)
    raw_label = line[: m.start()]
    arrows = [v for k, v in _ARROWS.items() if k in raw_label]
    for k in _ARROWS:
        raw_label = raw_label.replace(k, " ")
    label = _LEADERS.sub(" ", raw_label)
    label = _LABEL_STRIP.sub("", label).strip(" :\t")
    label = re.sub(r"\s{2,}", " ", label)
    unit_in_label = None
    paren = re.search(r"\(([^()]{1,16})\)\s*$", label)
    if paren and _is_unit(paren.group(1)):
        unit_in_label = paren.group(1).strip()
    if len(re.findall(r"[^\W\d_]", label)) < 2 or len(label) > 80:
        return None
    if len(label.split()) > _MAX_LABEL_WORDS or _PROSE_END.search(fold(label)):
        return None  # a sentence ("... montrait une HbA1c à 7,4 %"), not a table row
    flabel = fold(label)
    if _NOT_A_LABEL.search(flabel) and not _known_analyte(label):
        return None
    if _HEADER_WORDS.search(flabel) and not _known_analyte(label):
        return None
    value = _to_float(num)
    cmp_raw = (m.group("cmp") or "").strip().lower()
    comparator = None
    if cmp_raw:
        comparator = "<" if cmp_raw[0] in "<≤i" else ">"

    rest = masked[end:]
    for k, v in _ARROWS.items():  # "0,32 ↓g/L": an arrow glued to the unit
        if k in rest:
            arrows.append(v)
            rest = rest.replace(k, " ")
    unit = None
    early_flag = None  # "5,8 H mmol/L": the flag printed between the value and its unit
    fm = re.match(r"\s*(\S+)(?=\s)", rest)
    if fm and fm.group(1).upper() in _FLAG_TOKENS:
        nxt = rest[fm.end():].strip().split(" ", 1)[0] if rest[fm.end():].strip() else ""
        if _is_unit(nxt):
            early_flag = _FLAG_TOKENS[fm.group(1).upper()]
            rest = " " * fm.end() + rest[fm.end():]
    um = re.match(r"\s*(" + _UNIT_TOKEN.pattern + ")", rest, re.IGNORECASE)
    if um and _is_unit(um.group(1)):
        unit = um.group(1).strip().rstrip(".,;:")
        rest = rest[um.end():]
        tail = re.match(r"\s?(m[²2])(?![\w])", rest)  # "mL/min/1,73 m²"
        if tail and re.search(r"\d$", unit):
            unit = f"{unit} {tail.group(1)}"
            rest = rest[tail.end():]
    elif unit_in_label:
        unit = unit_in_label

    low = high = None
    range_span = None
    range_unit = None
    for pattern in (_RANGE_ENCLOSED, _BOUND_ENCLOSED, _RANGE_PREFIXED, _RANGE_BARE, _BOUND_BARE):
        rm = pattern.search(rest)
        if not rm:
            continue
        gd = rm.groupdict()
        if gd.get("lo") is not None and gd.get("hi") is not None:
            lo_v, hi_v = _to_float(gd["lo"]), _to_float(gd["hi"])
            if lo_v > hi_v:
                continue
            low, high = lo_v, hi_v
        elif gd.get("b") is not None:
            op = gd["op"].strip().lower()
            if op[0] in "<≤i":
                high = _to_float(gd["b"])
            else:
                low = _to_float(gd["b"])
        else:
            continue
        range_span = rm.span()
        if gd.get("runit") and _is_unit(gd["runit"]):
            range_unit = gd["runit"].strip().rstrip(".,;:")
        else:  # "70-99 mg/dL": the unit printed right after the range is the range's
            after = re.match(r"\s*(" + _UNIT_TOKEN.pattern + ")", rest[rm.end():], re.IGNORECASE)
            if after and _is_unit(after.group(1)) and after.group(1).strip().upper() not in _FLAG_TOKENS:
                range_unit = after.group(1).strip().rstrip(".,;:")
        break
    if unit is None:
        # US panels print the unit in a column after the flag or the range ("105 High  98  mg/dL  65-99",
        # "105 H  65-99 mg/dL"): the first unit on the row is the value's
        before = rest[: range_span[0]] if range_span else rest
        for tok in before.split():
            if _is_unit(tok) and tok.upper() not in _FLAG_TOKENS:
                unit = tok.strip().rstrip(".,;:")
                break
        else:
            unit = range_unit
    labelled = {_who(m.group("who")) for m in _LABELLED_RANGE.finditer(rest)}

    # the flag written by the lab: a token between the value (or its unit) and the range, or right after it
    flag_text = rest
    if range_span:
        flag_text = rest[: range_span[0]] + " " + rest[range_span[1]:]
    flag_text = _LABELLED_RANGE.sub(" ", flag_text)
    flag_text = _DASH_BETWEEN_NUMBERS.sub(r"\1 \2", flag_text)
    written = None
    for tok in flag_text.split():
        t = tok.strip().upper()
        if t in _FLAG_TOKENS:
            written = _FLAG_TOKENS[t]
            break
        if re.match(rf"^{_NUM}$", t) or re.match(r"^[<>]", t):
            break  # a previous result or a bound: no flag after it belongs to this value
    if written is None and early_flag:
        written = early_flag
    if written is None and arrows:
        written = arrows[0]
    printed = Range(low, high, range_unit) if (low is not None or high is not None) else None
    flag, used = decide(_to_float(num), unit, printed, marker=written, analyte=analyte_key(label),
                        comparator=comparator, ambiguous_range=len(labelled) > 1, ocr=ocr)
    low, high = (used.low, used.high) if used else (None, None)

    plausible = _known_analyte(label) or unit is not None or range_span is not None
    if not plausible:
        return None
    if unit is None and range_span is None and not re.search(r"[^\W\d_]{2}", flabel):
        return None
    return LabValue(analyte=analyte_key(label), label=label, value=value, unit=unit, low=low, high=high,
                    flag=flag, page=page, comparator=comparator)


_LOOKALIKES = str.maketrans({"\u00ad": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-", "\u037e": ";",
                             "\uff1b": ";", "\u00a0": " ", "\u202f": " "})


def parse_lab_text(text: str, page: int = 1, ocr: bool = False) -> list[LabValue]:
    """Lab values found in one page of text (`ocr`: the page was read by OCR, see ingest.lab_flags)."""
    out = []
    # PDF fonts print "-" and ";" as look-alikes: soft hyphen, non-breaking hyphen, minus, Greek question mark
    text = text.translate(_LOOKALIKES)
    for row in _rows(text):
        v = _parse_row(row, page, ocr)
        if v is not None:
            out.append(v)
    return out


def extract_lab_rows(doc: ExtractedDocument) -> list[LabValue]:
    """Lab values of a document, in reading order. One value per (analyte, label): the first one printed
    (a later repetition is a previous result or a summary table)."""
    seen: set[tuple[str, str]] = set()
    out: list[LabValue] = []
    for p in doc.pages:
        for v in parse_lab_text(p.text, p.number, p.ocr):
            key = (v.analyte, v.label)
            if key in seen:
                continue
            seen.add(key)
            out.append(v)
    return out


def extract_lab_values(doc: ExtractedDocument) -> list[dict]:
    """Rows for the store's lab_values table: analyte, label, value, unit, low, high, flag, page."""
    return [v.as_row() for v in extract_lab_rows(doc)]
