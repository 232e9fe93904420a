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

How a result is printed (numbers, units, ranges, markers) is ingest.lab_notation's; which analyte a label
names is ingest.lab_analytes'; this module assembles rows and reads each one.

Numbers that follow the range or the unit without being part of it (previous results, dates) are ignored.
Nothing here logs text.
"""


from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from carnet.models import ExtractedDocument
from carnet.text import fold
from ingest.lab_analytes import analyte_key, known_analyte
from ingest.lab_flags import Range, decide
from ingest.lab_notation import (
    ARROWS, BOUND_BARE, BOUND_ENCLOSED, DASH_BETWEEN_NUMBERS, DATE, FLAG_TOKENS, FOOTNOTE, FREE_NUM, LABELLED_RANGE,
    NUM, RANGE_BARE, RANGE_ENCLOSED, RANGE_PREFIXED, UNIT_TOKEN, is_unit, to_float,
)

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


# --- rows ------------------------------------------------------------------------------------------

_CONT_START = re.compile(rf"^\s*(?:[<>≤≥]?\s*{NUM}|[(\[]|(?:N|VN|VR)\s*[:=]|[↑↓*+\-]\s*(?:$|{NUM}))", re.IGNORECASE)


def _is_continuation(line: str) -> bool:
    s = line.strip()
    if not s:
        return False
    if _CONT_START.match(s) and not DATE.match(s):
        return True
    return is_unit(s) or s.upper() in FLAG_TOKENS


def _has_value(line: str) -> bool:
    return _first_value(DATE.sub(lambda m: " " * len(m.group()), line)) is not None


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
    for m in FREE_NUM.finditer(line):
        return m
    return None


_LABEL_GOES_ON = re.compile(r"^\s*(?:[a-zA-Zµμ%]\S*\s*)?[—–\-]\s*[^\W\d_]")


def _value_match(masked: str) -> re.Match | None:
    """The row's value: the first free number, unless the label goes on after it ("HGPO 75 g — T0  0,83 g/L":
    the dose and the time point are part of the label) or it is a footnote number ("Glucose 01  105")."""
    matches = list(FREE_NUM.finditer(masked))
    for i, m in enumerate(matches):
        if i + 1 < len(matches) and _LABEL_GOES_ON.match(masked[m.end():]):
            continue
        if i + 1 < len(matches) and not m.group("cmp") and FOOTNOTE.fullmatch(m.group("num")):
            continue
        return m
    return None


def _parse_row(line: str, page: int, ocr: bool = False) -> LabValue | None:
    if not re.search(r"\d", line):
        return None
    masked = DATE.sub(lambda m: " " * len(m.group()), line)  # dates keep their place, lose their digits
    m = _value_match(masked)
    if m is None:
        return None
    # thousands groups ("250 000") only count when a unit follows; else "250 180" is a value and a previous one
    num = m.group("num")
    end = m.end()
    if re.search(r"\s", num):
        after = masked[m.end():].strip().split(" ", 1)[0] if masked[m.end():].strip() else ""
        if not is_unit(after):
            num = re.split(r"\s", num)[0]
            end = m.start("num") + len(num)
    raw_label = line[: m.start()]
    arrows = [v for k, v in ARROWS.items() if k in raw_label]
    for k in ARROWS:
        raw_label = raw_label.replace(k, " ")
    label = _LEADERS.sub(" ", raw_label)
    label = _LABEL_STRIP.sub("", label).strip(" :\t")
    label = re.sub(r"\s{2,}", " ", label)
    unit_in_label = None
    paren = re.search(r"\(([^()]{1,16})\)\s*$", label)
    if paren and is_unit(paren.group(1)):
        unit_in_label = paren.group(1).strip()
    if len(re.findall(r"[^\W\d_]", label)) < 2 or len(label) > 80:
        return None
    if len(label.split()) > _MAX_LABEL_WORDS or _PROSE_END.search(fold(label)):
        return None  # a sentence ("... montrait une HbA1c à 7,4 %"), not a table row
    flabel = fold(label)
    if _NOT_A_LABEL.search(flabel) and not known_analyte(label):
        return None
    if _HEADER_WORDS.search(flabel) and not known_analyte(label):
        return None
    value = to_float(num)
    cmp_raw = (m.group("cmp") or "").strip().lower()
    comparator = None
    if cmp_raw:
        comparator = "<" if cmp_raw[0] in "<≤i" else ">"

    rest = masked[end:]
    for k, v in ARROWS.items():  # "0,32 ↓g/L": an arrow glued to the unit
        if k in rest:
            arrows.append(v)
            rest = rest.replace(k, " ")
    unit = None
    early_flag = None  # "5,8 H mmol/L": the flag printed between the value and its unit
    fm = re.match(r"\s*(\S+)(?=\s)", rest)
    if fm and fm.group(1).upper() in FLAG_TOKENS:
        nxt = rest[fm.end():].strip().split(" ", 1)[0] if rest[fm.end():].strip() else ""
        if is_unit(nxt):
            early_flag = FLAG_TOKENS[fm.group(1).upper()]
            rest = " " * fm.end() + rest[fm.end():]
    um = re.match(r"\s*(" + UNIT_TOKEN.pattern + ")", rest, re.IGNORECASE)
    if um and is_unit(um.group(1)):
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
    for pattern in (RANGE_ENCLOSED, BOUND_ENCLOSED, RANGE_PREFIXED, RANGE_BARE, BOUND_BARE):
        rm = pattern.search(rest)
        if not rm:
            continue
        gd = rm.groupdict()
        if gd.get("lo") is not None and gd.get("hi") is not None:
            lo_v, hi_v = to_float(gd["lo"]), to_float(gd["hi"])
            if lo_v > hi_v:
                continue
            low, high = lo_v, hi_v
        elif gd.get("b") is not None:
            op = gd["op"].strip().lower()
            if op[0] in "<≤i":
                high = to_float(gd["b"])
            else:
                low = to_float(gd["b"])
        else:
            continue
        range_span = rm.span()
        if gd.get("runit") and is_unit(gd["runit"]):
            range_unit = gd["runit"].strip().rstrip(".,;:")
        else:  # "70-99 mg/dL": the unit printed right after the range is the range's
            after = re.match(r"\s*(" + UNIT_TOKEN.pattern + ")", rest[rm.end():], re.IGNORECASE)
            if after and is_unit(after.group(1)) and after.group(1).strip().upper() not in FLAG_TOKENS:
                range_unit = after.group(1).strip().rstrip(".,;:")
        break
    if unit is None:
        # US panels print the unit in a column after the flag or the range ("105 High  98  mg/dL  65-99",
        # "105 H  65-99 mg/dL"): the first unit on the row is the value's
        before = rest[: range_span[0]] if range_span else rest
        for tok in before.split():
            if is_unit(tok) and tok.upper() not in FLAG_TOKENS:
                unit = tok.strip().rstrip(".,;:")
                break
        else:
            unit = range_unit
    labelled = {_who(m.group("who")) for m in LABELLED_RANGE.finditer(rest)}

    # the flag written by the lab: a token between the value (or its unit) and the range, or right after it
    flag_text = rest
    if range_span:
        flag_text = rest[: range_span[0]] + " " + rest[range_span[1]:]
    flag_text = LABELLED_RANGE.sub(" ", flag_text)
    flag_text = DASH_BETWEEN_NUMBERS.sub(r"\1 \2", flag_text)
    written = None
    for tok in flag_text.split():
        t = tok.strip().upper()
        if t in FLAG_TOKENS:
            written = FLAG_TOKENS[t]
            break
        if re.match(rf"^{NUM}$", t) or re.match(r"^[<>]", t):
            break  # a previous result or a bound: no flag after it belongs to this value
    if written is None and early_flag:
        written = early_flag
    if written is None and arrows:
        written = arrows[0]
    printed = Range(low, high, range_unit) if (low is not None or high is not None) else None
    flag, used = decide(to_float(num), unit, printed, marker=written, analyte=analyte_key(label),
                        comparator=comparator, ambiguous_range=len(labelled) > 1, ocr=ocr)
    low, high = (used.low, used.high) if used else (None, None)

    plausible = known_analyte(label) or unit is not None or range_span is not None
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
