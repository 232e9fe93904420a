"""Medication lines: molecule or brand, dose, posology, start / stop, and the statement they belong to.

A *statement* is one place where the whole treatment is written down: a prescription, a letter's
"Traitement actuel / habituel", a discharge treatment ("Traitement de sortie", "Medications on discharge").
Its lines are read as drug lines: a name, a dose ("75 mg", "49 mg/51 mg", "1 g"), a form and a posology
on the same line or the next ("1 comprimé le matin", "twice daily"). A line without a dose is still a drug
when edsnlp's drug matcher (French drug names with their ATC codes) knows the name. A statement that says
there is no treatment ("Aucun traitement au long cours", "no regular medication") is kept as a stated-none
fact, so the current treatment can be "none" only when the record says so.

Outside statements, a sentence that starts or stops a drug ("arrêt du ramipril", "introduction de
dapagliflozine", "started on bisoprolol") is a change, kept with status "stopped" or "active".
"""

from __future__ import annotations

import re

from carnet.facts import Fact

from . import drugs
from .blocks import Block, Line

PRESCRIPTION = "57833-6"

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
_START = re.compile(r"\b(?:introduction\s+(?:du|de\s+la|de\s+l'|des|de|d')|instauration\s+(?:du|de|d')|"
                    r"mise\s+sous|started\s+on|commenced|initiated)\b")
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


def _statement_facts(block: Block, lines: tuple[Line, ...], statement: str, language: str) -> list[Fact]:
    out: list[Fact] = []
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
            i += 1
            continue
        if not drug["posology"] and i + 1 < len(items):
            nxt_ln, nxt = items[i + 1]
            if _POSOLOGY.search(nxt) and _TIMING.search(nxt) and parse_drug_line(nxt) is None and not drugs.starts_with_drug(nxt):
                drug["posology"] = _squeeze(nxt)
                i += 1
        status = "stopped" if _STOP.search(fast(text)) else "active"
        out.append(Fact("medication", drug["name"], status=status, dose=drug["dose"], posology=drug["posology"],
                        code=code, code_system="ATC" if code else None, page=ln.page, sentence=text[:400],
                        section=block.section, statement=statement))
        i += 1
    return out


def fast(text: str) -> str:
    from ingest.understand.context import fast_fold

    return fast_fold(text)


def extract_medications(blocks: list[Block], language: str, type_code: str | None) -> list[Fact]:
    """Medication facts. A prescription's body is one statement; so is each treatment section of a letter."""
    facts: list[Fact] = []
    if type_code == PRESCRIPTION:
        lines = tuple(ln for b in blocks for ln in b.lines)
        pseudo = Block("traitement", "ordonnance", lines)
        return _statement_facts(pseudo, lines, "ordonnance", language)
    for block in blocks:
        if block.section == "traitement":
            facts += _statement_facts(block, block.lines, _statement_name(block), language)
            continue
        # changes stated in prose: "arrêt du ramipril", "introduction de la dapagliflozine"
        for ln in block.lines:
            for rx, status in ((_STOP, "stopped"), (_START, "active")):
                for m in rx.finditer(ln.folded):
                    found = drugs.find(ln.text[m.end():m.end() + 60] if len(ln.text) == len(ln.folded) else
                                       ln.folded[m.end():m.end() + 60])
                    if found and found[0][0] <= 2:
                        s, e, code = found[0]
                        base = m.end()
                        src = ln.text if len(ln.text) == len(ln.folded) else ln.folded
                        facts.append(Fact("medication", src[base + s:base + e], status=status, code=code,
                                          code_system="ATC" if code else None, page=ln.page,
                                          sentence=ln.text[:400], section=block.section, statement=None))
    return facts
