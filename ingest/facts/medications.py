"""Medication lines: molecule or brand, dose, posology, start / stop, and the statement they belong to.

A *statement* is one place where the whole treatment is written down: a prescription, a letter's
"Traitement actuel / habituel", a discharge treatment ("Traitement de sortie", "Medications on discharge").
Its lines are read as drug lines: a name, a dose ("75 mg", "49 mg/51 mg", "1 g"), a form and a posology
on the same line or the next ("1 comprimé le matin", "twice daily"). A line without a dose is still a drug
when edsnlp's drug matcher (French drug names with their ATC codes) knows the name. A statement that says
there is no treatment ("Aucun traitement au long cours", "no regular medication") is kept as a stated-none
fact, so the current treatment can be "none" only when the record says so.

Dates: a prescription's line starts on the prescription's date and, when the line ("pendant 10 jours") or
the prescription ("QSP 3 mois, à renouveler 2 fois") says how long, ends that many days later
(ingest.facts.durations); a date written on the line ("depuis 2019", "introduit le 12/01/2024") is its start.
A statement's line that says it is stopped, started or changed has that status ("Kardégic : arrêté").

Outside statements, and in a statement's sentences that are not drug lines, a sentence that starts, stops,
switches or changes a drug ("arrêt du ramipril le 12/03", "introduction de la dapagliflozine", "switched
from atorvastatin to rosuvastatin") is a change (ingest.facts.med_changes): status "started", "stopped" or
"changed", dated by the sentence or by the act.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from carnet import codes
from carnet.facts import Fact
from carnet.text import fold

from . import drugs, med_changes
from .blocks import Block, Line
from .durations import dates_in, line_duration, prescription_span
from ingest.understand.context import fast_fold

PRESCRIPTION = codes.MEDICINES_PRESCRIPTION

_DOSE = (r"(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+(?:[.,]\d+)?)\s*"
         r"(?:mg|g|µg|μg|mcg|ug|ui|u\.?i\.?|iu|units?|ml|%|microgrammes?|micrograms?|milligrammes?|milligrams?|"
         r"grammes?|grams?|mmol|meq)"
         r"(?:\s*/\s*\d*(?:[.,]\d+)?\s*(?:ml|dose|h|24\s*h|j|mg|g|µg|μg|mcg|ui))?")
_DRUG_LINE = re.compile(
    r"^\s*(?:[-•*▪·]|\d+[.)])?\s*(?P<name>[^\W\d_][\w'’\-]+(?:\s+[^\W\d_][\w'’\-]+){0,3}?)\s+"
    rf"(?P<dose>{_DOSE}|\d+(?:[.,]\d+)?(?=\s*[:,]))(?![\w])(?P<rest>.*)$",
    re.IGNORECASE,
)
_POSOLOGY = re.compile(
    r"\b(?:comprim[ée]s?|cp|cpr|g[ée]lules?|sachets?|bouff[ée]es?|inhalations?|injections?|gouttes?|ampoules?|"
    r"patch|matin|midi|soir|coucher|par jour|fois|pendant|tous les|toutes les|daily|twice|once|at night|nocte|"
    r"tablets?|capsules?|puffs?|mane|bd|tds|qds|od|prn|as required|weekly|par semaine)\b|/\s*j(?:our)?\b",
    re.IGNORECASE,
)
# A posology says when or how often ("le matin", "3 fois par jour", "twice daily"); a form alone
# ("comprimé", "gélule gastro-résistante") is not one.
_TIMING = re.compile(
    r"\b(?:matin|midi|soir|coucher|par jour|fois|pendant|tous les|toutes les|daily|twice|once|at night|nocte|"
    r"mane|bd|tds|qds|od|prn|as required|weekly|par semaine|si douleur|au besoin)\b|/\s*j(?:our)?\b|\d",
    re.IGNORECASE,
)
_NOT_A_DRUG = re.compile(
    r"^(?:qsp|ordonnance|dr|docteur|le|la|les|date|poids|taille|age|patient|renouveler|a renouveler|total|"
    r"fevg|pa|fc|hba1c|creatinine|glycemie|dose|imc|spo2|ldl|hdl|crp|tsh|ferritine|bmi|weight|height|"
    r"pendant|depuis|soit|avec|sans|par|pour|dont|entre|objectif|target|qrs|pr|qt|score|apgar|g\d)\b",
    re.IGNORECASE,
)
_NO_TREATMENT = re.compile(
    r"^(?:aucun(?:e)?\s+(?:traitement|medicament)|pas\s+de\s+traitement|sans\s+traitement|neant|aucun\b|none\b|nil\b|"
    r"no\s+(?:regular\s+|current\s+)?(?:medications?|treatment|drugs?))"
)
_STOP = re.compile(r"\b(?:arret(?:e|ee)?\s+(?:du|de\s+la|de\s+l'|des|de)|stopped|discontinued|arrete|suspendu)\b")
_TREATMENT_OPENER = re.compile(
    r"\b(?:traitements?|ordonnance|medicaments?|medications?|prescriptions?|drug history)\b[^:]{0,40}:\s*$")


def _statement_name(block: Block) -> str:
    return block.heading or "traitement"


def _squeeze(s: str) -> str:
    return " ".join(s.split())


def parse_drug_line(line: str) -> dict | None:
    """name, dose, form, posology of a line that reads as a drug line ("KARDEGIC 75 mg : 1 sachet par jour")."""
    m = _DRUG_LINE.match(line)
    if not m:
        return None
    name = m.group("name").strip(" -:,")
    if len(name) < 3 or _NOT_A_DRUG.match(name):
        return None
    rest = m.group("rest").strip(" ,;:-–—")
    form = posology = None
    if rest:
        parts = re.split(r"\s*:\s*", rest, maxsplit=1)
        if len(parts) == 2:
            form, posology = parts[0].strip(" ,") or None, parts[1]
        elif _POSOLOGY.search(rest) and _TIMING.search(rest):
            posology = rest
        else:
            form = rest
    return {"name": name, "dose": _squeeze(m.group("dose")), "form": _squeeze(form) if form else None,
            "posology": _squeeze(posology) if posology else None}


def _prose_sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;])\s+(?=[A-ZÀ-Ý])", text) if s.strip()]


def _dated(status: str, when: date | None, written: date | None, days: int | None) -> tuple[date | None, date | None]:
    """(start, end) of a line: a prescription's or a started line's start is its date (the one written next to
    it, else the act's); a stopped line ends then; a line with a duration ends that many days after it starts."""
    if status == "stopped":
        return None, written or when
    # a course stated with its duration ("pendant 10 jours") runs from the act's date when no other is written
    start = written or (when if status in ("started", "prescribed") or days else None)
    end = start + timedelta(days=days) if start and days else None
    return start, end


def _statement_facts(block: Block, lines: tuple[Line, ...], statement: str, language: str,
                     when: date | None = None, prescription: bool = False) -> list[Fact]:
    out: list[Fact] = []
    span = prescription_span([ln.folded for ln in lines]) if prescription else None
    items: list[tuple[Line, str]] = []
    for ln in lines:
        for s in _prose_sentences(ln.text):
            items.append((ln, s))
    i = 0
    while i < len(items):
        ln, text = items[i]
        folded = ln.folded
        if _NO_TREATMENT.match(folded.lstrip("-•* ")):
            out.append(Fact("medication", "aucun traitement", status="none", page=ln.page, sentence=ln.text[:400],
                            section=block.section, statement=statement))
            i += 1
            continue
        drug = parse_drug_line(text)
        code = None
        if drug is None:
            known = drugs.find(text)
            if known and known[0][0] <= 3:  # a known drug name at the start of the line
                start, end, code = known[0]
                drug = {"name": text[start:end], "dose": None, "form": None, "posology": None}
                rest = text[end:].strip(" ,;:-–—")
                if _POSOLOGY.search(rest) and _TIMING.search(rest):
                    drug["posology"] = _squeeze(rest)
        else:
            known = drugs.find(drug["name"])
            code = known[0][2] if known else None
        if drug is None:
            # a sentence of the statement that changes a drug ("Arrêt du Kardégic.", "Amlodipine stopped.")
            for c in med_changes.changes_in(text, fast(text), language):
                out.append(_change_fact(c, ln, block.section, statement, when))
            i += 1
            continue
        if not drug["posology"] and i + 1 < len(items):
            nxt_ln, nxt = items[i + 1]
            if _POSOLOGY.search(nxt) and _TIMING.search(nxt) and parse_drug_line(nxt) is None and not drugs.starts_with_drug(nxt):
                drug["posology"] = _squeeze(nxt)
                i += 1
        folded = fast(text + " " + (drug["posology"] or ""))
        change = next((c for c in med_changes.changes_in(text, fast(text), language)
                       if fold(c.name).split()[:1] == fold(drug["name"]).split()[:1]), None)
        status = change.status if change else "stopped" if _STOP.search(folded) else "active"
        dates = [d for _, _, d in dates_in(text)]
        days = line_duration(folded) or span
        start, end = _dated("prescribed" if prescription and status == "active" else status, when,
                            (change.when if change else None) or (dates[0] if dates else None), days)
        out.append(Fact("medication", drug["name"], status=status, dose=drug["dose"], posology=drug["posology"],
                        start=start, end=end, code=code, code_system="ATC" if code else None, page=ln.page,
                        sentence=text[:400], section=block.section, statement=statement))
        i += 1
    return out


def fast(text: str) -> str:
    return fast_fold(text)


def _change_fact(c: med_changes.Change, ln: Line, section: str | None, statement: str | None,
                 when: date | None) -> Fact:
    day = c.when or when
    start, end = (None, day) if c.status == "stopped" else (day, None)
    return Fact("medication", c.name, status=c.status, dose=c.dose, start=start, end=end, code=c.code,
                code_system="ATC" if c.code else None, page=ln.page, sentence=ln.text[:400], section=section,
                statement=None)


def extract_medications(blocks: list[Block], language: str, type_code: str | None,
                        when: date | None = None) -> list[Fact]:
    """Medication facts. A prescription's body is one statement; so is each treatment section of a letter.
    `when`: the date of the act (a prescription's date starts its lines; a change without a date of its own
    dates from it)."""
    facts: list[Fact] = []
    if type_code == PRESCRIPTION:
        lines = tuple(ln for b in blocks for ln in b.lines)
        pseudo = Block("traitement", "ordonnance", lines)
        return _statement_facts(pseudo, lines, "ordonnance", language, when, prescription=True)
    for block in blocks:
        if block.section == "traitement":
            facts += _statement_facts(block, block.lines, _statement_name(block), language, when)
            continue
        # changes stated in prose: "arrêt du ramipril", "introduction de la dapagliflozine", "switched from A to B"
        for ln in block.lines:
            for sentence in _prose_sentences(ln.text):
                for c in med_changes.changes_in(sentence, fast(sentence), language):
                    facts.append(_change_fact(c, ln, block.section, None, when))
    return facts
