"""How long a prescription runs and the dates a treatment sentence gives, read on folded text.

- a line's duration: "pendant 10 jours", "durant 3 semaines", "x 5 j", "for 7 days", "x7d", "for 2 weeks";
- a prescription's span: "QSP 3 mois", "Q.S.P. 28 jours", "traitement pour 1 mois", "supply: 30 days", with
  its renewals ("à renouveler 2 fois", "renouvelable 3 fois", "AR 5 fois", "refills: 2", "repeat x2"): the
  span of the whole prescription is the span times (renewals + 1);
- the dates of a sentence ("arrêt du ramipril le 12/03/2025", "introduced on 3 March 2025", "depuis 2019",
  "since 03/2024"), with ingest.understand.dates for full dates.
"""

from __future__ import annotations

import re
from datetime import date

from ingest.understand.context import Context
from ingest.understand.dates import find_dates

_WORD_NUMBERS = {"un": 1, "une": 1, "one": 1, "a": 1, "deux": 2, "two": 2, "trois": 3, "three": 3, "quatre": 4,
                 "four": 4, "cinq": 5, "five": 5, "six": 6, "sept": 7, "seven": 7, "huit": 8, "eight": 8,
                 "dix": 10, "ten": 10, "douze": 12, "twelve": 12, "quinze": 15, "fifteen": 15}
_N = r"(?P<n>\d{1,3}|" + "|".join(_WORD_NUMBERS) + r")"
_UNIT = (r"(?P<u>jours?|j|days?|d|semaines?|sem|weeks?|wks?|w|mois|months?|mo|ans?|annees?|years?|yrs?)"
         r"(?![a-z])")
_DAYS_PER = {"j": 1, "d": 1, "s": 7, "w": 7, "m": 30, "a": 365, "y": 365}

_LINE_DURATION = re.compile(rf"(?:\b(?:pendant|durant|during|for|sur)\s+|(?<![a-z])[x×]\s*){_N}\s*{_UNIT}")
_SPAN = re.compile(
    rf"\b(?:q\.?\s?s\.?\s?p\.?|quantite suffisante pour|traitement pour|ordonnance pour|duree(?: du traitement)?\s*:?"
    rf"|supply\s*:?|dispense\s*:?|for a supply of|days? supply\s*:?)\s*:?\s*{_N}\s*{_UNIT}")
_RENEWALS = re.compile(
    r"\b(?:a renouveler|renouvel(?:er|able|lement)|ar)\s*:?\s*(?:x\s*)?(?P<k>\d{1,2}|une|deux|trois|quatre|cinq|six)\s*"
    r"(?:fois|x)\b|\brefills?\s*:?\s*(?P<k2>\d{1,2})\b|\brepeats?\s*:?\s*x?\s*(?P<k3>\d{1,2})\b")
_SINCE_YEAR = re.compile(r"\b(?:depuis|since|introduit en|started in|debute en)\s+(?:(?P<m>\d{1,2})/)?(?P<y>(?:19|20)\d{2})\b")


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _WORD_NUMBERS[word]


def _days(m: re.Match) -> int:
    unit = m.group("u")
    key = "m" if unit.startswith("mo") else unit[0]
    return _number(m.group("n")) * _DAYS_PER[key]


def line_duration(folded: str) -> int | None:
    """Days a drug line is taken for ("pendant 10 jours" -> 10), or None when it says no duration."""
    m = _LINE_DURATION.search(folded)
    return _days(m) if m else None


def renewals(folded: str) -> int:
    m = _RENEWALS.search(folded)
    if not m:
        return 0
    k = m.group("k") or m.group("k2") or m.group("k3")
    return _number(k)


def prescription_span(folded_lines: list[str]) -> int | None:
    """Days the whole prescription covers, renewals included ("QSP 1 mois, à renouveler 2 fois" -> 90)."""
    for ln in folded_lines:
        m = _SPAN.search(ln)
        if m:
            k = renewals(ln) or max((renewals(x) for x in folded_lines), default=0)
            return _days(m) * (k + 1)
    return None


def dates_in(text: str) -> list[tuple[int, int, date]]:
    """(start, end, date) of each date a sentence writes, in the folded sentence; a bare year or month/year
    after "depuis" / "since" is its first day."""
    ctx = Context(text.replace("\n", " "))
    out = [(d.start, d.end, d.value) for d in find_dates(ctx)]
    folded = ctx.lines[0].folded if ctx.lines else ""
    for m in _SINCE_YEAR.finditer(folded):
        if any(a <= m.start("y") < b for a, b, _ in out):
            continue
        month = int(m.group("m")) if m.group("m") else 1
        if 1 <= month <= 12:
            out.append((m.start("y") - (len(m.group("m")) + 1 if m.group("m") else 0), m.end(), date(int(m.group("y")), month, 1)))
    return sorted(out)
