"""Service date: the date of the act, chosen among every date written in the document.

Dates are found by regular expressions (numeric D/M/Y with / . -, ISO, French and English month names;
other "<day> <word> <year>" phrases go to dateparser). Each date is scored by the words just before it:
"prélevé le", "examen du", "consultation du", "date de sortie" raise it; a birth date ("né(e) le", DDN,
DOB, a year matching the stated age), a dictation / typing / print / signature / validation date, a
next appointment, an admission date (for a discharge letter) and dates in the history section lower it.
The weights depend on the document type (a discharge letter's act is its discharge date, an emergency
visit's is the arrival). Position counts only as a small tie-breaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from carnet import codes
from carnet.words import DOCUMENT_MONTHS, detect_language
from .context import Context
from .country import english_country

_MONTHS = DOCUMENT_MONTHS
_MONTH_PREFIXES = frozenset(k[:3] for k in _MONTHS) | {"fév", "aou", "déc"}
_MONTH_WORD = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMERIC = re.compile(r"(?<![\d/.\-])(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?![\d]|[/.\-]\d)")
_ISO = re.compile(r"(?<![\d/.\-])(\d{4})([\-/.])(\d{1,2})\2(\d{1,2})(?![\d]|[/.\-]\d)")
_DAY_MONTH = re.compile(rf"(?<![\w/])(1er|\d{{1,2}})(?:st|nd|rd|th|er)?\s+(?:of\s+)?({_MONTH_WORD})\.?,?\s+(\d{{4}})(?!\d)"
                        rf"|(?<![\w/])(\d{{1,2}})[-/.]({_MONTH_WORD})[-/.](\d{{4}})(?!\d)")  # 10-May-2024
_MONTH_DAY = re.compile(rf"(?<![\w/])({_MONTH_WORD})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)")
_OTHER_WORD = re.compile(r"(?<![\w/])(1er|\d{1,2})\s+([a-z]{3,10})\.?\s+(\d{4})(?!\d)")


@dataclass(frozen=True)
class DateMention:
    value: date
    line: int  # line index
    start: int  # position in the folded line
    end: int
    ambiguous: bool = False  # numeric day/month both <= 12


def _year(y: str) -> int:
    n = int(y)
    if len(y) == 2:
        n += 2000 if n <= (date.today().year % 100) + 1 else 1900
    return n


def _make(y: int, m: int, d: int) -> date | None:
    if not (1900 <= y <= date.today().year + 5):
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_dates(ctx: Context, month_first: bool | None = None) -> list[DateMention]:
    """Every date written in the document, in reading order. `month_first` forces M/D/Y for ambiguous
    numeric dates; None decides from the document (English text with an unambiguous M/D/Y date)."""
    raw: list[tuple[int, int, int, tuple[int, int, int], bool]] = []  # line, start, end, (y, a, b) numeric
    found: list[DateMention] = []
    for ln in ctx.lines:
        s = ln.folded
        if not s or not any(ch.isdigit() for ch in s):
            continue
        taken: list[tuple[int, int]] = []
        for m in _ISO.finditer(s):
            v = _make(int(m.group(1)), int(m.group(3)), int(m.group(4)))
            if v:
                found.append(DateMention(v, ln.index, m.start(), m.end()))
                taken.append(m.span())
        for m in _NUMERIC.finditer(s):
            if any(a <= m.start() < b for a, b in taken):
                continue
            raw.append((ln.index, m.start(), m.end(), (_year(m.group(4)), int(m.group(1)), int(m.group(3))), True))
            taken.append(m.span())
        for rx, order in ((_DAY_MONTH, "dmy"), (_MONTH_DAY, "mdy")):
            for m in rx.finditer(s):
                if any(a <= m.start() < b for a, b in taken):
                    continue
                if order == "dmy":
                    day, month, year = m.group(1, 2, 3) if m.group(1) else m.group(4, 5, 6)
                else:
                    month, day, year = m.group(1), m.group(2), m.group(3)
                v = _make(int(year), _MONTHS[month], 1 if day == "1er" else int(day))
                if v:
                    found.append(DateMention(v, ln.index, m.start(), m.end()))
                    taken.append(m.span())
        for m in _OTHER_WORD.finditer(s):
            word = m.group(2)
            if any(a <= m.start() < b for a, b in taken) or word in _MONTHS or word[:3] not in _MONTH_PREFIXES:
                continue
            v = _dateparser(m.group(0))
            if v:
                found.append(DateMention(v, ln.index, m.start(), m.end()))
                taken.append(m.span())
    if raw:
        if month_first is None:
            month_first = _looks_month_first(ctx, raw)
        for line, start, end, (y, a, b), _ in raw:
            if (month_first and a <= 12) or b > 12:  # a day over 12 says the order of its own date
                v = _make(y, a, b)
            else:
                v = _make(y, b, a)
            if v:
                found.append(DateMention(v, line, start, end, ambiguous=a <= 12 and b <= 12 and a != b))
    found.sort(key=lambda d: (d.line, d.start))
    return _with_yearless(ctx, found)


# Dates written without their year ("revu le 16 avril", "seen on March 14th", "le 14/03"): full month names
# only (an abbreviation or a bare "d/m" is too often something else: "PA 128/74", "8/10 P2"), a numeric one
# only after "le / du / au / on".
_FULL_MONTHS = "|".join(sorted((k for k in _MONTHS if len(k) >= 4 or k == "mai"), key=len, reverse=True))
_NO_YEAR_AFTER = r"(?!\.?,?\s*(?:\d{4}|\d{1,2}[/.\-]))"
_YEARLESS = (
    ("dm", re.compile(rf"(?<![\w/])(1er|\d{{1,2}})(?:st|nd|rd|th|er)?\s+(?:of\s+)?({_FULL_MONTHS}){_NO_YEAR_AFTER}(?![\w])")),
    ("md", re.compile(rf"(?<![\w/])({_FULL_MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?![\d\w]){_NO_YEAR_AFTER}")),
    ("num", re.compile(r"\b(?:le|du|au|on)\s+(\d{1,2})/(\d{1,2})(?![/\d.\-])")),
)


def _with_yearless(ctx: Context, found: list[DateMention]) -> list[DateMention]:
    """`found` plus the dates written without a year, each given the year that puts it nearest the letter's
    own date (or, without one, the latest full date): "revu le 16 avril" in a letter of 23 April 2024 is
    16 April 2024, "le 28 décembre" in a letter of 22 January 2024 is 28 December 2023. Without any full
    date to lean on, such a date is left out rather than put in the current year."""
    if not found:
        return found
    letter = [d for d in found if _LETTER_DATE.match(ctx.lines[d.line].folded[:d.start])]
    anchor = letter[0].value if letter else max(d.value for d in found)
    taken = {(d.line, d.start) for d in found}
    spans: dict[int, list[tuple[int, int]]] = {}
    for d in found:
        spans.setdefault(d.line, []).append((d.start, d.end))
    extra: list[DateMention] = []
    for ln in ctx.lines:
        s = ln.folded
        if not s or not any(ch.isdigit() for ch in s):
            continue
        for kind, rx in _YEARLESS:
            for m in rx.finditer(s):
                if any(a <= m.start() < b or a < m.end() <= b for a, b in spans.get(ln.index, ())):
                    continue
                if kind == "dm":
                    day, month = (1 if m.group(1) == "1er" else int(m.group(1))), _MONTHS[m.group(2)]
                elif kind == "md":
                    day, month = int(m.group(2)), _MONTHS[m.group(1)]
                else:
                    day, month = int(m.group(1)), int(m.group(2))
                    if english_country(ctx) == "us":
                        day, month = month, day
                options = [v for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (v := _make(y, month, day))]
                if not options or (ln.index, m.start()) in taken:
                    continue
                value = min(options, key=lambda v: abs((v - anchor).days))
                start = m.start(1) if kind == "num" else m.start()
                extra.append(DateMention(value, ln.index, start, m.end(), ambiguous=True))
                spans.setdefault(ln.index, []).append((m.start(), m.end()))
    if not extra:
        return found
    return sorted(found + extra, key=lambda d: (d.line, d.start))


def _looks_month_first(ctx: Context, raw: list) -> bool:
    """M/D/Y only for English documents with at least one date that cannot be D/M/Y and none that must be."""
    if detect_language(ctx.folded)[0] != "en":
        return False
    must_mdy = any(b > 12 and a <= 12 for *_, (y, a, b), _ in raw)
    must_dmy = any(a > 12 and b <= 12 for *_, (y, a, b), _ in raw)
    if must_mdy != must_dmy:
        return must_mdy  # a day over 12 tells the order of every date of the document
    country = english_country(ctx)
    if country:
        return country == "us"  # an American letterhead writes month first, a British one day first
    # Every numeric date reads both ways: keep the order under which the document is printed or signed
    # after the acts it reports ("Discharge 01/04/2024 ... Printed 05/01/2024" is month first).
    return _issue_violations(ctx, raw, month_first=True) < _issue_violations(ctx, raw, month_first=False)


def _issue_violations(ctx: Context, raw: list, month_first: bool) -> int:
    """How many act dates would fall after the date the document was printed or signed (each numeric date
    classified by the cue before it, as `score_dates` does)."""
    issued: list[date] = []
    acts: list[date] = []
    for line, start, _, (y, a, b), _ in raw:
        v = _make(y, a, b) if month_first else _make(y, b, a)
        if v is None:
            continue
        cue = _nearest_cue(ctx.lines[line].folded[max(0, start - _CUE_REACH):start])
        if cue == "dictation":
            issued.append(v)
        elif cue not in ("birth", "future"):
            acts.append(v)
    if not issued:
        return 0
    last_issue = max(issued)
    return sum(1 for v in acts if v > last_issue)


_DATEPARSER_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"]}


def _dateparser(phrase: str) -> date | None:
    """Parse a date phrase our patterns did not recognise (imported lazily: dateparser is slow to load)."""
    try:
        import dateparser
    except ImportError:  # pragma: no cover - dateparser is a declared dependency
        return None
    parsed = dateparser.parse(phrase, languages=["fr", "en"], settings=_DATEPARSER_SETTINGS)
    return _make(parsed.year, parsed.month, parsed.day) if parsed else None


# --- scoring -----------------------------------------------------------------------------------

# Cue categories, matched on the words just before a date (nearest cue wins).
_CUES: tuple[tuple[str, re.Pattern], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("birth", r"\bnee?s?\b\s*(le)?\s*:?\s*$|\bne\(e\)|\bnee?\(e\)|naissance|\bddn\b|\bd\.?d\.?n\b|\bdob\b|\bd\.o\.b|"
                  r"date of birth|\bborn\b|birth ?date|\bnaiss\b"),
        ("dictation", r"dicte|tape(e)? le|\btyped\b|frappe|dactylograph|transcri|imprime|edite|edition|impression|printed|"
                      r"dictated|signe|signed|valide|validated|verified|verifie|reported|report date|interprete|"
                      r"\bre[cç]u(e)?\b|receptionne|received|arrivee au laboratoire|date de (creation|redaction|saisie|"
                      r"validation|signature|frappe|reception|compte rendu)|redige|authorised|authorized|transmis|"
                      r"envoye|date d'envoi|mise a jour|updated|cree le|created"),
        ("future", r"prochain|prochaine|rendez-vous|\brdv\b|revoir|reverrai|reverra|reverrons|"
                   r"convocation|convoque|prevue?s?|programmee?s?|planifiee?|a partir du|jusqu'au|jusqu'a|\bnext\b|"
                   r"follow-?up|appointment|review(ed)? on|\bdue\b|valable|expir|\buntil\b|avant le|au plus tard|"
                   r"controle (le|prevu)|a refaire|suivi|sera (revu|vu|realise)e?|scheduled|planned|attendu(e)? le"),
        ("history", r"\ben\s*$|depuis|anterieur\w*|precedent\w*|ancien\w*|dernier|derniere|compar\w*|\bprior\b|previous|"
                    r"\blast\b|antecedent|diagnostique|anteriorite|\bsince\b|\bvs\.?\b|par rapport (a|au)|"
                    r"deja|historique|rappel"),
        ("discharge", r"sortie|sorti(e)? le|discharge|\bexeat\b|retour a domicile le|transfere(e)? le"),
        ("admission", r"entree|entre(e)? le|admis(e)?|admission|admitted|hospitalise(e)? le|arrivee dans le service"),
        ("arrival", r"arrivee|arrived|\bpassage\b|date du passage|seen in (a&e|ed|emergency)"),
        ("act", r"preleve|prelevement|collected|collection|specimen|\bsample|examen (realise |pratique |effectue )?(du|le)|"
                r"realise(e)?s? le|effectue(e)?s? le|pratique(e)?s? le|date (de l'|d'|du |de )?(examen|acte|intervention|"
                r"consultation|prelevement|visite|operation|procedure|rdv de consultation|enregistrement|exploration)|"
                r"date of (exam\w*|surgery|procedure|operation|service|visit|consultation|study|collection|test|clinic)|"
                r"(exam|study|procedure|visit|clinic|test|surgery|scan|service) date|seen on|vue? (en consultation )?le|"
                r"revue? (en consultation )?le|consultation (du|le)|enregistre(e)? le|enregistrement (du|le)|opere(e)? le|"
                r"intervention (du|le)|a beneficie (le|ce jour)|beneficie le|acte (du|le)|examine(e)? le|performed on|"
                r"\bdate de l'acte|pose(e)? le|realisation|performed|consulted on|reviewed on ?$|\bclinic\b.{0,5}$|"
                r"\bteleconsultation (du|le)|seance (du|le)|\bvisite (du|le)|attendance|date of attendance|time of arrival"),
        ("range_end", r"(^|\W)(au|to|-)\s*$"),
        ("range_start", r"(^|\W)(du|from)\s*$"),
        ("date_label", r"\bdate\b\s*:?\s*$|\bdate\s*:|\ble\s*$|\bdu\s*$|\bdated\b|\bon\s*$"),
    )
)
_CUE_REACH = 40  # characters before a date in which a cue counts
_LETTER_DATE = re.compile(r"^\s*(fait )?(a )?([a-z][a-z'\- ]{1,40})?,?\s*le\s*:?\s*$")
_AGE = re.compile(r"(?<!\d)(\d{1,3})\s*(ans|an\b|years?[- ]old|yo\b|y/o)|\bage\s*:?\s*(\d{1,3})\b|\baged\s+(\d{1,3})")

# Points of each cue by type family.
_WEIGHTS = {
    "default": {"birth": -100, "dictation": -6, "future": -8, "history": -5, "discharge": 1.0, "admission": 0.5,
                "arrival": 2.0, "act": 6.0, "range_end": 0.0, "range_start": 1.0, "date_label": 2.0, None: 0.0},
    "discharge": {"birth": -100, "dictation": -6, "future": -8, "history": -5, "discharge": 8.0, "admission": -8.0,
                  "arrival": -4.0, "act": 1.0, "range_end": 6.0, "range_start": -4.0, "date_label": 1.0, None: 0.0},
    "emergency": {"birth": -100, "dictation": -6, "future": -8, "history": -5, "discharge": 1.0, "admission": 5.0,
                  "arrival": 6.0, "act": 6.0, "range_end": 0.0, "range_start": 2.0, "date_label": 2.0, None: 0.0},
}
_WEIGHTS["admin"] = dict(_WEIGHTS["default"], dictation=3.0, future=-2.0, act=2.0)
_DISCHARGE_TYPES = frozenset({*codes.DISCHARGE, codes.TRANSFER_NOTE})
_LETTER_TYPES = frozenset({codes.CONSULTATION, *codes.PRESCRIPTION, codes.MEDICAL_CERTIFICATE,
                           codes.OPHTHALMOLOGY_CONSULTATION, codes.TELEMEDICINE_REPORT, "ADMIN"})


@dataclass(frozen=True)
class ScoredDate:
    mention: DateMention
    cue: str | None
    score: float


def score_dates(ctx: Context, mentions: list[DateMention], type_code: str | None,
                history_lines: set[int] = frozenset()) -> list[ScoredDate]:
    family = ("discharge" if type_code in _DISCHARGE_TYPES else "emergency" if type_code == codes.EMERGENCY_VISIT
              else "admin" if type_code == "ADMIN" else "default")
    weights = _WEIGHTS[family]
    ages = {int(g) for m in _AGE.finditer(ctx.folded) for g in m.groups() if g and g.isdigit() and 0 < int(g) < 120}
    latest = max((d.value for d in mentions), default=None)
    header_limit = ctx.header[-1].index if ctx.header else 0
    births = set()
    out: list[ScoredDate] = []
    prev_end: dict[int, int] = {}
    for d in mentions:
        line = ctx.lines[d.line].folded
        window_start = prev_end.get(d.line, 0)
        window = line[max(window_start, d.start - _CUE_REACH):d.start]
        above = ctx.lines[d.line - 1].folded.rstrip(" .") if d.line > 0 else ""
        if window_start == 0 and len(window.strip(" :-\t")) < 3 and above and not above[-1].isdigit():
            # label on the line above ("Date de sortie :\n09/01/2025"); a line that ends with a value
            # ("DDN : 10/12/1953 N° dossier : 60949240") labels nothing below it
            window = above[-_CUE_REACH:] + " " + window
        prev_end[d.line] = d.end
        cue = _nearest_cue(window)
        if cue in _GENERIC_OR_NONE and _STAMP_LINE.match(line):
            cue = "dictation"  # a signature, dictation or print line: every date on it is the paper's, not the act's
        score = weights[cue]
        if cue in (None, "date_label") and _LETTER_DATE.match(line[:d.start]) and window_start == 0:
            cue = "letter"
            score = 3.0 if type_code in _LETTER_TYPES else 1.5
        if cue == "birth":
            births.add(d.value)
        if d.line in history_lines and cue not in ("birth",):
            score -= 5
        if latest and ages and cue != "birth":
            years = (latest - d.value).days / 365.25
            if any(abs(years - a) <= 1.0 for a in ages) and years > 15:
                score -= 50  # a date as old as the patient: the birth date
        if latest and (latest - d.value).days > 365 * 12:
            score -= 3
        if d.line <= header_limit:
            score += 0.5
        out.append(ScoredDate(d, cue, score))
    if births:
        out = [s if s.mention.value not in births or s.cue == "birth" else ScoredDate(s.mention, "birth", -100) for s in out]
    return out


_GENERIC = frozenset({"range_end", "range_start", "date_label"})
_GENERIC_OR_NONE = _GENERIC | {None}
# A line that opens as a stamp: signed / dictated / transcribed / printed (also the "D:" and "T:" of a
# transcription footer).
_STAMP_LINE = re.compile(r"^\W*(electronically |digitally )?(signed|signe|valide|validated|dictated|dicte|transcribed|"
                         r"transcrit|typed|tape|frappe|imprime|printed|edite|reported|verified|authori[sz]ed|"
                         r"(d|t|dd|dt)\s*:)")


def _nearest_cue(window: str) -> str | None:
    """The cue category nearest the date; a specific cue anywhere in reach beats a generic one."""
    best: dict[bool, tuple[int, str]] = {}
    for name, pattern in _CUES:
        end = -1
        for m in pattern.finditer(window):
            end = m.end()
        if end < 0 or len(window) - end > _CUE_REACH:
            continue
        generic = name in _GENERIC
        if generic not in best or end > best[generic][0]:
            best[generic] = (end, name)
    if False in best:
        return best[False][1]
    if True in best:
        return best[True][1]
    return None


def choose_service_date(scored: list[ScoredDate], type_code: str | None) -> tuple[date | None, float]:
    """(date of the act, confidence). Birth dates are never chosen."""
    candidates = [s for s in scored if s.cue != "birth" and s.score > -40]
    if not candidates:
        return None, 0.0
    discharge = type_code in _DISCHARGE_TYPES
    # best score; ties -> latest date for a discharge letter, else the first written
    best = max(candidates, key=lambda s: (s.score, s.mention.value if discharge else -(s.mention.line * 1000 + s.mention.start)))
    others = [s.score for s in candidates if s.mention.value != best.mention.value]
    margin = best.score - max(others) if others else 4.0
    confidence = 0.3 + 0.6 * min(1.0, max(0.0, margin) / 6.0) + (0.1 if best.score >= 5 else 0.0)
    if best.score < 0:
        confidence = 0.15
    return best.mention.value, round(min(confidence, 0.99), 3)
