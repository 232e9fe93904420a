"""The interpretation of a question as chips the doctor can read and remove: `describe` (labels in the
question's language), `describe_alternatives` (the other readings of an ambiguous abbreviation), and
`without` (the interpretation without one chip, to widen the search).
"""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date

from carnet.codes import SPECIALTY_GROUP_LABELS, type_label
from carnet.errors import InvalidInput
from carnet.lexicon import ANALYTES, EXAMS
from carnet.models import DateRange, Interpretation
from carnet.words import MONTH_LABELS_EN, MONTH_LABELS_EN_SHORT, MONTH_LABELS_FR, MONTH_LABELS_FR_SHORT
from query import type_words

__all__ = ["describe", "describe_alternatives", "without", "READING_KINDS"]

_MONTHS_FR, _MONTHS_FR_LONG = MONTH_LABELS_FR_SHORT, MONTH_LABELS_FR
_MONTHS_EN, _MONTHS_EN_LONG = MONTH_LABELS_EN_SHORT, MONTH_LABELS_EN


def _day_label(d: date, language: str) -> str:
    if language == "en":
        return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"
    return f"{d.day} {_MONTHS_FR[d.month - 1]} {d.year}"


def _date_label(r: DateRange, language: str) -> str:
    en = language == "en"
    s, e = r.start, r.end
    if s and e:
        if s == e:
            return f"on {_day_label(s, language)}" if en else f"le {_day_label(s, language)}"
        if (s.month, s.day) == (1, 1) and (e.month, e.day) == (12, 31):
            years = str(s.year) if s.year == e.year else f"{s.year}–{e.year}"
            return f"in {years}" if en else f"en {years}"
        if s.day == 1 and (s.year, s.month) == (e.year, e.month) and e.day == calendar.monthrange(e.year, e.month)[1]:
            return (f"in {_MONTHS_EN_LONG[s.month - 1]} {s.year}" if en
                    else f"en {_MONTHS_FR_LONG[s.month - 1]} {s.year}")
        if en:
            return f"from {_day_label(s, language)} to {_day_label(e, language)}"
        return f"du {_day_label(s, language)} au {_day_label(e, language)}"
    if s:
        return f"since {_day_label(s, language)}" if en else f"depuis le {_day_label(s, language)}"
    if e:
        return f"until {_day_label(e, language)}" if en else f"jusqu'au {_day_label(e, language)}"
    return "any date" if en else "toutes dates"


def _type_chips(codes: tuple[str, ...], language: str) -> list[dict]:
    chips, left = [], list(codes)
    for group in type_words.TYPE_GROUPS:
        if all(c in left for c in group.codes):
            chips.append({"kind": "type", "value": ",".join(group.codes),
                          "label": group.label_en if language == "en" else group.label})
            left = [c for c in left if c not in group.codes]
    for code in left:
        chips.append({"kind": "type", "value": code, "label": type_label(code, language) or code})
    return chips


def describe(interp: Interpretation, language: str) -> list[dict]:
    """The interpretation as removable chips: [{"kind", "value", "label"}, ...] in a stable order
    (type, specialty, exam, analyte, date, order, count, topic). Pass a chip's kind and value to
    `without` to remove it. A type chip may stand for several codes ("11490-0,34112-3,34133-9").
    Labels are English for language "en", French for anything else (serialisation must never fail)."""
    language = "en" if language == "en" else "fr"
    en = language == "en"
    chips = _type_chips(interp.type_codes, language)
    for g in interp.specialty_groups:
        labels = SPECIALTY_GROUP_LABELS.get(g, (g, g))
        chips.append({"kind": "specialty", "value": g, "label": labels[1] if en else labels[0]})
    for k in interp.exam_keys:
        exam = EXAMS.get(k)
        chips.append({"kind": "exam", "value": k, "label": (exam.label_en if en else exam.label) if exam else k})
    for k in interp.analyte_keys:
        analyte = ANALYTES.get(k)
        chips.append({"kind": "analyte", "value": k, "label": analyte.label if analyte else k})
    r = interp.date_range
    if r is not None:
        value = f"{r.start.isoformat() if r.start else ''}..{r.end.isoformat() if r.end else ''}"
        chips.append({"kind": "date", "value": value, "label": _date_label(r, language)})
    if interp.order == "latest":
        chips.append({"kind": "order", "value": "latest", "label": "most recent" if en else "le plus récent"})
    if interp.count is not None:
        n = interp.count
        chips.append({"kind": "count", "value": str(n),
                      "label": (f"last {n}" if en else f"les {n} derniers")})
    if interp.topic:
        chips.append({"kind": "topic", "value": interp.topic, "label": interp.topic})
    for c in interp.corrections:  # "der → dernier", "BH → bilan hépatique": × keeps the word as typed
        chips.append({"kind": c.kind, "value": c.typed, "label": f"{c.shown} → {c.reading}"})
    return chips


def describe_alternatives(interp: Interpretation, language: str) -> list[dict]:
    """The other readings of an ambiguous abbreviation, as chips to choose from: passing one to the
    parser's `literal` (or in the API's `remove`) takes that reading instead of the first."""
    en = language == "en"
    return [{"kind": "reading", "value": a.choice, "label": f"{a.shown} → {a.label_en if en else a.label_fr} ?"}
            for a in interp.alternatives]


# Chips that change how a word is read rather than drop a filter: the caller re-parses with their values
# as `literal` (api.app does); `without` leaves the interpretation as it is for them.
READING_KINDS = ("correction", "expansion", "reading")
CHIP_KINDS = ("type", "specialty", "exam", "analyte", "date", "order", "count", "topic") + READING_KINDS


def without(interp: Interpretation, kind: str, value: str) -> Interpretation:
    """A new Interpretation without one chip (to widen the search). Removing a value that is not there
    returns the interpretation unchanged; an unknown kind raises InvalidInput."""
    if kind not in CHIP_KINDS:
        raise InvalidInput(f"Unknown chip kind {kind!r}; expected one of {', '.join(CHIP_KINDS)}.")
    value = str(value)
    if kind in READING_KINDS:
        return interp
    if kind == "type":
        codes = set(value.split(","))
        return replace(interp, type_codes=tuple(c for c in interp.type_codes if c not in codes))
    if kind == "specialty":
        return replace(interp, specialty_groups=tuple(g for g in interp.specialty_groups if g != value))
    if kind == "exam":
        return replace(interp, exam_keys=tuple(k for k in interp.exam_keys if k != value))
    if kind == "analyte":
        return replace(interp, analyte_keys=tuple(k for k in interp.analyte_keys if k != value))
    if kind == "date":
        return replace(interp, date_range=None)
    if kind == "order":
        return replace(interp, order="relevance", count=None)
    if kind == "count":
        return replace(interp, count=None)
    return replace(interp, topic="")
