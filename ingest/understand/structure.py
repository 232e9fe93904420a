"""A document's type from the shape of its sections: which headings it has, and in which order.

People who never saw our templates still write an operative note under "pre-operative diagnosis /
procedure / anaesthesia / findings / description", a history and physical under "history / examination /
assessment / plan", an imaging report under "technique / findings / impression" and a discharge summary
under "admission / discharge / hospital course". Each heading is a label at the start of a line (followed
by a colon, or alone on its line); it is mapped to a family, and each family belongs to the profile of one
or more types. A type scores the weights of the distinct families found (a family counts once, however
often it recurs), times how well the families follow the type's usual order.

The families are the standard section names of these reports (the LOINC/HL7 C-CDA section names and
their French equivalents), not any one template's wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from carnet import codes
from .context import Context

OPERATIVE, CONSULT, IMAGING, DIAG, DISCHARGE = (codes.OPERATIVE_REPORT, codes.CONSULTATION, codes.IMAGING,
                                               codes.DIAGNOSTIC_ACT_REPORT, codes.DISCHARGE_LETTER)

# family -> folded pattern matched at the start of a heading label
_FAMILIES: dict[str, str] = {
    # operative
    "preop_dx": r"pre-?\s?op(erative|eratoire)? (diagnos[ie]s|diagnostic)|diagnostic pre-?operatoire",
    "postop_dx": r"post-?\s?op(erative|eratoire)? (diagnos[ie]s|diagnostic)|diagnostic post-?operatoire",
    "procedure": r"(name of )?(procedures?|operations?)( performed| done)?|intervention( realisee| pratiquee)?|gestes?( realises?)?|"
                 r"acte( realise| chirurgical)?",
    "surgeon": r"surgeons?|operateurs?|chirurgiens?|assistants?|aides? operatoires?|co-?surgeon",
    "anaesthesia": r"an(a)?esthesia( type)?|type (of|d') ?an(a)?esthe\w*|an(a)?esthesie|anesthetic|an(a)?esthesiologists?|"
                   r"an(a)?esthetists?|anesthesistes?",
    "blood_loss": r"(estimated )?blood loss|\bebl\b|pertes sanguines|saignement",
    "specimens": r"specimens?( removed| sent)?|pieces? (operatoires?|envoyees?)|prelevements? (envoyes|adresses)",
    "drains": r"drains?|drainage",
    "complications": r"complications?",
    "op_description": r"description (of|de) (the )?(procedure|operation|l'intervention|l'operation)|operative (technique|procedure|"
                      r"description|findings)|procedure in detail|details of (the )?(procedure|operation)|"
                      r"deroulement(?! du sejour| de l'hospitalisation| de l'examen| de la consultation)|compte rendu operatoire|installation|voie d'abord",
    "op_indication": r"indications? (for|of) (the )?(procedure|surgery|operation)|indication operatoire",
    # history and physical / consultation
    "chief_complaint": r"chief complaints?|presenting complaints?|reason for (visit|referral|consultation|consult)|"
                       r"motif (de (la )?)?(consultation|venue|recours)|motif$|\bcc\b",
    "hpi": r"history of (the )?present(ing)? (illness|complaint)|\bhpi\b|history|histoire (de la maladie|recente)|anamnese",
    "pmh": r"past (medical|surgical) history|\bpmh\b|\bpsh\b|medical history|antecedents|\batcd\b",
    "family_social": r"family history|social history|habitus|mode de vie|antecedents familiaux",
    "ros": r"review of systems|\bros\b|systems review",
    "exam": r"physical exam(ination)?|examination|exam$|on examination|\bo/e\b|vital signs|examen (clinique|physique)|a l'examen",
    "assessment": r"assessment( and plan)?|impression and plan|a/p|diagnos(is|tic)|conclusion|synthese",
    "plan": r"plan|recommendations?|conduite a tenir|\bcat\b|propositions?|suivi|disposition",
    "medications": r"(current |home )?medications?|traitements?( (actuels?|habituels?|en cours))?|allergies?",
    # imaging / diagnostic study
    "technique": r"techniques?|protocole?|methods?|acquisition|sequences?|contrast|produit de contraste|"
                 r"injection|incidences?|parameters|recording",
    "comparison": r"comparisons?|comparaisons?|prior (studies|exams?)|examens? anterieurs?",
    "findings": r"findings|resultats?|results?|description|observations?|interpretation|measurements?|mesures",
    "impression": r"impressions?|conclusions?|en conclusion|opinion|summary|au total",
    "exam_indication": r"(clinical )?(indications?|history|information)|renseignements cliniques|reason for (exam|study)|"
                       r"clinical (details|question)|motif de l'examen|but de l'examen",
    # discharge summary / hospital stay
    "admission": r"(date of )?admission( date)?|admitted|date d'entree|entree le|admitting diagnos[ie]s|mode d'entree|"
                 r"motif d'(hospitalisation|admission)|reason for admission",
    "discharge": r"(date of )?discharge( date)?|date de sortie|sortie le|discharged|mode de sortie|discharge (diagnos[ie]s|"
                 r"medications?|instructions|condition|disposition|plan)|traitement de sortie|traitement a la sortie|"
                 r"ordonnance de sortie|diagnostic(s)? de sortie|condition (at|on) discharge",
    "course": r"hospital course|course in hospital|clinical course|(brief )?hospital stay|evolution|deroulement du sejour|sejour",
}
_FAMILY_RX = [(name, re.compile(rf"^(?:{pattern})\b")) for name, pattern in _FAMILIES.items()]


@dataclass(frozen=True)
class Profile:
    type_code: str
    weights: dict[str, float]  # family -> points
    order: tuple[str, ...]  # the families' usual order (those absent are skipped)
    needs: frozenset[str]  # at least one of these families must be present for the profile to count


PROFILES: tuple[Profile, ...] = (
    Profile(OPERATIVE,
            {"preop_dx": 2.5, "postop_dx": 2.5, "procedure": 1.0, "surgeon": 1.5, "anaesthesia": 1.0, "blood_loss": 2.0,
             "specimens": 1.0, "drains": 0.5, "complications": 0.5, "op_description": 2.0, "op_indication": 1.5,
             "findings": 0.3},
            ("preop_dx", "postop_dx", "procedure", "surgeon", "anaesthesia", "op_indication", "findings",
             "op_description", "blood_loss", "specimens"),
            frozenset({"preop_dx", "postop_dx", "surgeon", "blood_loss", "op_description"})),
    Profile(CONSULT,
            {"chief_complaint": 1.5, "hpi": 1.5, "pmh": 1.0, "family_social": 1.0, "ros": 1.5, "exam": 1.5,
             "assessment": 1.0, "plan": 1.0, "medications": 0.5},
            ("chief_complaint", "hpi", "pmh", "medications", "family_social", "ros", "exam", "assessment", "plan"),
            frozenset({"chief_complaint", "hpi", "exam", "ros"})),
    Profile(IMAGING,
            {"exam_indication": 1.0, "technique": 1.5, "comparison": 1.5, "findings": 1.0, "impression": 1.0},
            ("exam_indication", "technique", "comparison", "findings", "impression"),
            frozenset({"technique", "comparison", "findings"})),
    # a stay's report holds a history and physical, then the course: it has the consultation's sections and more
    Profile(DISCHARGE,
            {"admission": 2.0, "discharge": 2.0, "course": 2.5, "chief_complaint": 1.5, "hpi": 1.5, "pmh": 1.0,
             "family_social": 1.0, "ros": 1.5, "exam": 1.5, "assessment": 1.0, "plan": 1.0, "medications": 0.5},
            ("admission", "chief_complaint", "hpi", "pmh", "medications", "family_social", "ros", "exam", "course",
             "discharge", "assessment", "plan"),
            frozenset({"admission", "discharge", "course"})),
)
# a diagnostic study (echo, EEG, catheterisation) is written like an imaging report: the exam named in the
# title tells which of the two, so the imaging profile also supports a diagnostic study
SHARED = {DIAG: IMAGING}

_LABEL = re.compile(r"^\s*(?:(?:\d{1,2}|[ivx]{1,4}|[a-h])\s*[.)\-]\s*)?([a-z][a-z0-9 /&'().,\-]{1,60}?)\s*:")


def headings(ctx: Context) -> list[tuple[int, str]]:
    """(line index, family) of every line that opens with a known section label, in reading order."""
    out: list[tuple[int, str]] = []
    for ln in ctx.nonempty:
        f = ln.folded
        m = _LABEL.match(f)
        if m:
            label = m.group(1).strip()
        elif len(f) <= 50 and len(f.split()) <= 6 and (ln.is_upper_heading or f.endswith(":")):
            label = f.rstrip(": ")
        else:
            continue
        for name, rx in _FAMILY_RX:
            if rx.match(label):
                out.append((ln.index, name))
                break
    return out


def _in_order(found: list[str], order: tuple[str, ...]) -> float:
    """Share of pairs of the profile's families that appear in the profile's order (1.0 with < 2 families)."""
    rank = {name: i for i, name in enumerate(order)}
    seq = [rank[f] for f in found if f in rank]
    pairs = [(a, b) for i, a in enumerate(seq) for b in seq[i + 1:] if a != b]
    if not pairs:
        return 1.0
    return sum(a < b for a, b in pairs) / len(pairs)


def structure_scores(ctx: Context) -> dict[str, float]:
    """Points per type from the document's section headings and their order."""
    found = headings(ctx)
    first: list[str] = []
    for _, name in found:
        if name not in first:
            first.append(name)
    present = set(first)
    scores: dict[str, float] = {}
    for profile in PROFILES:
        if not present & profile.needs:
            continue
        hits = [f for f in first if f in profile.weights]
        if len(hits) < 2:
            continue
        pts = sum(profile.weights[f] for f in hits)
        scores[profile.type_code] = round(pts * (0.5 + 0.5 * _in_order(hits, profile.order)), 3)
    return scores
