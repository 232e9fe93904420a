"""Section headings ("Conclusion :", "CONCLUSION", "Impression", "Assessment and plan") normalised to names.

A line is a heading when it starts with a known heading phrase followed by a colon (text may follow),
or when it is only the heading phrase (any case), optionally numbered ("1.", "II -").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from carnet.models import SectionMark

if TYPE_CHECKING:  # context.py finds a letter's body by its first narrative heading, read here
    from ingest.understand.context import Context

_HEADINGS: tuple[tuple[str, str], ...] = (
    ("motif", r"motifs? (de (la |l')?)?(consultation|hospitalisation|admission|l'examen|examen|recours|venue|l'intervention|"
              r"hospitalisation|entree|transfert)|motif|reason for (referral|visit|admission|consultation|attendance)|"
              r"presenting complaints?|chief complaint|reason for consultation"),
    ("histoire", r"histoire (de la maladie|recente|clinique|de la maladie actuelle)|anamnese|\bhdm\b|"
                 r"history of (the )?present(ing)? (illness|complaint)|\bhpi\b|history|histoire"),
    ("antecedents", r"antecedents( (medicaux|chirurgicaux|personnels|familiaux|medico-chirurgicaux))?( et [a-z ]+)?|\batcd\b|"
                    r"past (medical|surgical) history|\bpmh\b|medical history|past history|background"),
    ("facteurs_risque", r"facteurs de risques?( cardio-?vasculaires?)?|\bfdr(cv)?\b|risk factors"),
    ("mode_de_vie", r"mode de vie|habitus|social history|contexte social"),
    # "Allergies", "Allergies / intolérances", "Allergies/adverse reactions", "Adverse drug reactions", "ADRs"
    ("allergies", r"allergies?( connues?| medicamenteuses?)?( ?(/|et|and|&|ou|or) ?(intolerances?|adverse (drug )?"
                  r"reactions?|effets indesirables|adrs?|sensitivities))?|drug allergies|intolerances?( medicamenteuses?)?|"
                  r"adverse (drug )?reactions?|adrs?"),
    ("traitement", r"traitements?( (actuels?|habituels?|en cours|de sortie|a la sortie|d'entree|a l'entree|habituel))?|"
                   r"ordonnance de sortie|medicaments?|current medications?|medications?( (on|at) (discharge|admission))?|"
                   r"discharge medications?|drug history|prescriptions?"),
    ("examen", r"examen (clinique|physique|a l'entree|general)|a l'examen|examen|physical exam(ination)?|on examination|"
               r"examination|\bo/e\b|clinical examination"),
    ("indication", r"indications?|renseignements cliniques|clinical (information|indication|details|history)|"
                   r"contexte clinique|demande|but de l'examen|reason for (exam|study)"),
    ("technique", r"techniques?|protocole|procedure|methodes?|materiel et methodes?|description de l'intervention|"
                  r"description of procedure|deroulement"),
    ("resultats", r"resultats?|results?|findings|description|examens? complementaires|paraclinique|"
                  r"biologie|imagerie|investigations|macroscopie|microscopie|analyse|observations"),
    ("evolution", r"evolution( (dans|durant|pendant) [a-z' ]{1,30}| clinique)?|hospital course|clinical course|course in hospital|deroulement du sejour"),
    ("comparaison", r"comparaison|comparison"),
    ("conclusion", r"conclusions?|en conclusion|impressions?|synthese|summary|diagnostics?( (de sortie|retenus?|principal|final))?|"
                   r"diagnos[ie]s|discharge diagnos[ie]s|assessment( and plan)?|interpretation|avis|commentaires?|comments?|"
                   r"opinion|au total"),
    ("plan", r"conduite a tenir|\bcat\b|plan|propositions?|recommandations?|suivi|suites|follow-?up|consignes|"
             r"mode de sortie|devenir|projet therapeutique|a prevoir|prise en charge"),
    ("vaccinations", r"vaccinations?|immuni[sz]ations?"),
)
_ENUM = r"(?:(?:\d{1,2}|[ivx]{1,4}|[a-h])\s*[.)\-/]\s*)?"
_HEADING_RX = [
    (name, re.compile(rf"^\s*{_ENUM}(?P<h>{pattern})\s*(?:(?P<colon>[:\-–])|$)"))
    for name, pattern in _HEADINGS
]


# Sections of a letter's narrative or a report's body: once one starts, the letterhead and title zone is
# over (a report's title comes before its indication and technique).
NARRATIVE = frozenset({"motif", "histoire", "antecedents", "facteurs_risque", "mode_de_vie", "allergies", "traitement",
                       "examen", "evolution", "conclusion", "plan", "indication", "technique"})


def heading(folded: str) -> tuple[str, re.Match] | None:
    """(section name, match) when the folded line opens a section."""
    if len(folded) > 200:
        return None
    for name, rx in _HEADING_RX:
        m = rx.match(folded)
        if m is None:
            continue
        if not m.group("colon") and len(folded) > 45:
            continue
        if m.group("colon") == "-" and not folded[m.end():].strip():
            continue
        return name, m
    return None


def find_sections(ctx: Context) -> tuple[SectionMark, ...]:
    marks: list[SectionMark] = []
    for ln in ctx.nonempty:
        found = heading(ln.folded)
        if found is None:
            continue
        name, m = found
        raw = ln.raw
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip().split(":", 1)[0].strip() if m.group("colon") == ":" else raw.strip()
        marks.append(SectionMark(offset=ln.offset + lead, name=name, heading=text[:80]))
    return tuple(marks)


def section_lines(ctx: Context, marks: tuple[SectionMark, ...], name: str) -> set[int]:
    """Line indexes covered by the sections called `name` (up to the next heading)."""
    out: set[int] = set()
    offsets = [m.offset for m in marks]
    for i, mark in enumerate(marks):
        if mark.name != name:
            continue
        end = offsets[i + 1] if i + 1 < len(offsets) else len(ctx.text) + 1
        for ln in ctx.lines:
            if mark.offset <= ln.offset + len(ln.raw) and ln.offset < end:
                out.add(ln.index)
    return out
