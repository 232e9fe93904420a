"""Treatment changes stated in prose: a drug started, stopped, switched or its dose changed, with the date.

"Arrêt du ramipril le 12/03/2025", "introduction de la dapagliflozine", "relais de l'amlodipine par le
lercanidipine", "Kardégic arrêté", "majoration du bisoprolol à 5 mg", "switched from atorvastatin to
rosuvastatin", "amlodipine was discontinued", "started on apixaban 5 mg bd", "metformin increased to 1 g bd".

Each change is a medication fact outside any whole-treatment statement: status "started", "stopped" or
"changed" (a new dose), its start or end date the one the sentence writes next to it, else the date of the
act. A change the sentence denies or only considers ("pas d'arrêt du Kardégic", "on pourrait arrêter",
"do not stop") is not one: French sentences are qualified by edsnlp's negation and hypothesis pipes (through
ingest.facts.assertion), English ones by the usual cues. Drug names come from edsnlp's drug matcher; and, for a
name it does not know, a word followed by a dose or ending with a WHO INN stem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from . import assertion, drugs
from .durations import dates_in

_ART = r"(?:(?:du|de la|de l'|des|de|d'|le|la|les|l'|au|aux|the|his|her|their)\s*)?"
# "mise en route d'une supplémentation par", "started a course of": the drug comes after the therapy's name
_THERAPY = (r"(?:(?:d'une?\s+|une?\s+|a\s+)?(?:supplementation|traitement|therapie|therapy|treatment|course|cure)\s+"
            r"(?:par|en|de|by|with|of)\s+" + _ART + r")?")
# cue before the drug -> status
_BEFORE = (
    ("stopped", re.compile(r"\b(?:arrets?|interruption|suspension|retrait|stop)\s+" + _ART
                           + r"|\b(?:a|ai|avons|ont|avoir)\s+(?:(?:lui|elle|eux)-memes?\s+)?(?:arrete|stoppe|suspendu|"
                           r"interrompu|supprime)\s+" + _ART
                           + r"|\b(?:on arrete|nous arretons|j'arrete|on suspend|stopped|discontinued|ceased|"
                           r"withdrew|withdrawn|held|stop|discontinue|cease)\s+" + _ART)),
    ("started", re.compile(r"\b(?:introduction|instauration|initiation|debut|ajout|mise en route)\s+" + _ART
                           + _THERAPY
                           + r"|\b(?:mise sous|mis sous|mise en place)\s+" + _ART
                           + r"|\b(?:relaye?e?s?|remplacee?s?|replaced|substituted)\s+(?:par|by|with)\s+" + _ART
                           + r"|\b(?:on introduit|nous introduisons|j'introduis|on ajoute|started|commenced|initiated|"
                           r"began|added|start|commence)\s+(?:on\s+|him on\s+|her on\s+)?" + _ART)),
    ("changed", re.compile(r"\b(?:augmentation|majoration|diminution|reduction|baisse|adaptation|titration)\s+"
                           r"(?:(?:de la )?(?:posologie|dose)\s+)?" + _ART
                           + r"|\b(?:increased|reduced|decreased|uptitrated|titrated|increase|reduce|decrease)\s+"
                           + _ART + r"(?:dose of\s+(?:the\s+)?)?")),
)
# cue after the drug ("Kardégic arrêté", "amlodipine was discontinued", "bisoprolol majoré à 5 mg")
_AFTER = (
    ("stopped", re.compile(r"^\W{0,3}(?:\d+[.,]?\d*\s*(?:mg|g|µg|ug|mcg)\s*)?(?:est |a ete |sont |ont ete |was |were |has been |have been |is )?"
                           r"(?:arretee?s?|suspendue?s?|interrompue?s?|stoppee?s?|stopped|discontinued|ceased|withdrawn|held)\b")),
    ("started", re.compile(r"^\W{0,3}(?:\d+[.,]?\d*\s*(?:mg|g|µg|ug|mcg)\s*)?(?:est |a ete |sont |ont ete |was |were |has been |have been |is )?"
                           r"(?:introduite?s?|instauree?s?|debutee?s?|ajoutee?s?|started|commenced|initiated|added)\b")),
    ("changed", re.compile(r"^\W{0,3}(?:est |a ete |was |has been |is )?(?:majoree?|augmentee?|diminuee?|reduite?|"
                           r"increased|reduced|decreased|uptitrated)\b")),
)
# "relais de A par B", "A remplacé par B", "remplacement de A par B", "switched from A to B", "A switched to B",
# "A changed to B", "A replaced by B"
_SWITCH = re.compile(
    r"\b(?:relais|remplacement|substitution|remplace|relaye|substitue)\s+" + _ART + r"(?P<a>.{3,60}?)\s+par\s+" + _ART + r"(?P<b>.{3,60})"
    r"|(?P<a2>\b[\w'-]{4,40}(?:\s+\d+[.,]?\d*\s*mg)?)\s+(?:remplacee?s?|relayee?s?)\s+par\s+" + _ART + r"(?P<b2>.{3,60})"
    r"|\b(?:switched|changed|converted|swapped)\s+(?:him |her |the patient )?from\s+" + _ART + r"(?P<a3>.{3,60}?)\s+to\s+"
    + _ART + r"(?P<b3>.{3,60})"
    r"|(?P<a4>\b[\w'-]{4,40})\s+(?:was |has been )?(?:switched|changed|replaced)\s+(?:to|by|with)\s+" + _ART + r"(?P<b4>.{3,60})")
# a change the sentence refuses: "ne pas arrêter", "pas d'arrêt", "sans arrêt", "do not stop", "not started"
_REFUSED_BEFORE = re.compile(r"(?<![\w])(?:ne pas|pas d'|pas de|pas|sans|do not|don't|not|never|no)(?:\s+\w{1,12})?\s*$")
# A drug edsnlp's (French) list does not know is still one when a dose follows it ("dapagliflozine 10 mg") or
# its name ends with a WHO INN stem (the INN programme's stem book: -pril, -sartan, -olol, -statin, ...).
_WORD = re.compile(r"^[a-z][a-z-]{3,30}")
_UNITS = r"(?:mg|g|µg|ug|mcg|ui|iu|units?|micrograms?|microgrammes?|milligrams?|milligrammes?)"
_DOSE_NEXT = re.compile(r"^\s+\d+(?:[.,]\d+)?\s*" + _UNITS + r"\b")
_INN_STEM = re.compile(
    r"(?:formin|pril|sartan|olol|alol|statin|dipine|gliflozin|gliptin|glutide|parin|xaban|gatran|azole|cillin|"
    r"mycin|floxacin|prazole|tidine|semide|thiazide|mab|tinib|lukast|terol|sonide|olone|asone|tropium|afil|"
    r"oxetine|aline|azepam|azolam|vir|profen|coxib|triptan|dronate|caine|cycline|parin)e?$")
_POSSESSIVE = re.compile(r"\b(?:his|her|their|son|sa|ses|home)\s+$")
_NOT_DRUGS = {"treatment", "therapy", "medication", "medications", "drug", "drugs", "dose", "tablets", "all",
            "traitement", "medicament", "medicaments", "this", "that", "them", "it", "which", "because"}
_DOSE = re.compile(r"\b(?:a|to|at|de|from)?\s*(?P<d>\d+(?:[.,]\d+)?\s*(?:mg|g|µg|ug|mcg|ui|iu|units?))\b")


@dataclass(frozen=True)
class Change:
    name: str  # the drug as printed
    status: str  # "started" | "stopped" | "changed"
    when: date | None  # the date the sentence gives, None when it gives none
    dose: str | None  # the new dose of a change ("5 mg"), when the sentence gives it
    code: str | None  # ATC code when edsnlp knows the drug


def _drug_at(sentence: str, folded: str, pos: int) -> tuple[int, int, str | None] | None:
    """The drug named at folded position `pos` (within a few characters): (start, end, ATC) in `sentence`."""
    window = sentence[pos:pos + 60] if len(sentence) == len(folded) else folded[pos:pos + 60]
    found = drugs.find(window)
    if found and found[0][0] <= 3:
        s, e, code = found[0]
        return pos + s, pos + e, code
    m = _WORD.match(folded[pos:])
    owned = _POSSESSIVE.search(folded[max(0, pos - 8):pos])  # "stopped his naproxen": what he takes
    if m and m.group(0) not in _NOT_DRUGS and (owned or _INN_STEM.search(m.group(0))
                                               or _DOSE_NEXT.match(folded[pos + m.end():])):
        return pos, pos + m.end(), None
    return None


def _drug_before(sentence: str, folded: str, end: int) -> tuple[int, int, str | None] | None:
    """The drug named just before folded position `end` ("Kardégic arrêté")."""
    start = max(0, end - 50)
    window = sentence[start:end] if len(sentence) == len(folded) else folded[start:end]
    found = [f for f in drugs.find(window) if f[1] >= len(window.rstrip()) - 25]  # "X 0.25 micrograms was"
    if found:
        s, e, code = found[-1]
        return start + s, start + e, code
    m = re.search(r"([a-z][a-z-]{3,30})(?P<dose>\s+\d+(?:[.,]\d+)?\s*" + _UNITS + r")?\s*$", folded[start:end])
    if m and m.group(1) not in _NOT_DRUGS and (_INN_STEM.search(m.group(1)) or m.group("dose")):
        return start + m.start(1), start + m.end(1), None
    return None


def _stated(sentence: str, folded: str, cue_start: int, start: int, end: int, language: str) -> bool:
    """Whether the change is asserted: not refused right before its cue, not denied or only considered."""
    if _REFUSED_BEFORE.search(folded[max(0, cue_start - 20):cue_start]):
        return False
    return assertion.status(sentence, start, end, language) not in ("negated", "hypothetical")


def _when(dates: list[tuple[int, int, date]], pos: int) -> date | None:
    """The date written nearest after the drug (or before it in the same clause)."""
    after = [d for a, _, d in dates if a >= pos]
    if after:
        return after[0]
    before = [d for _, b, d in dates if b <= pos]
    return before[-1] if before else None


def changes_in(sentence: str, folded: str, language: str) -> list[Change]:
    """The treatment changes one sentence states. `folded` is the sentence folded (same length when it can be)."""
    out: list[Change] = []
    dates = dates_in(sentence)
    taken: list[tuple[int, int]] = []

    def add(span, status, cue_start, dose=None):
        if span is None or any(a < span[1] and span[0] < b for a, b in taken):
            return
        s, e, code = span
        if not _stated(sentence, folded, cue_start, s, e, language):
            return
        taken.append((s, e))
        name = sentence[s:e] if len(sentence) == len(folded) else folded[s:e]
        out.append(Change(name.strip(" ,;:."), status, _when(dates, e), dose, code))

    for m in _SWITCH.finditer(folded):
        a = next(k for k in ("a", "a2", "a3", "a4") if m.group(k))
        b = {"a": "b", "a2": "b2", "a3": "b3", "a4": "b4"}[a]
        add(_drug_at(sentence, folded, m.start(a)), "stopped", m.start())
        add(_drug_at(sentence, folded, m.start(b)), "started", m.start())
    for status, rx in _BEFORE:
        for m in rx.finditer(folded):
            span = _drug_at(sentence, folded, m.end())
            dose = None
            if status == "changed" and span:
                d = _DOSE.search(folded[span[1]:span[1] + 30])
                dose = " ".join(d.group("d").split()) if d else None
            add(span, status, m.start(), dose)
    for status, rx in _AFTER:
        for m in re.finditer(r"(?<=[\w)])\s", folded):
            if not rx.match(folded[m.end():]):
                continue
            span = _drug_before(sentence, folded, m.start())
            dose = None
            if status == "changed":
                d = _DOSE.search(folded[m.end():m.end() + 40])
                dose = " ".join(d.group("d").split()) if d else None
            add(span, status, m.end(), dose)
    return out
