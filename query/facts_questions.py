"""Questions answered from the stored facts rather than by finding one document: "allergies ?",
"allergie à quoi", "any allergies", "ordonnance en cours", "traitement en cours", "current medication",
"qu'est-ce qui a changé depuis la dernière consultation", "what's new since my last visit" (the asking
practitioner's last consultation: see reference_visit).

`facts_intent(question)` says whether a question is one of these (a few phrase rules on the folded
question; "consultation d'allergologie" or "allergologue" stay the specialty). `answer_from_facts` builds the
answer: a `facts` section (what the record states, each item with its documents) and the documents that
state it as the answer's documents, so every statement is one click from its page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from carnet import codes
from carnet.facts import Fact
from carnet.records import StoredDocument, iso
from carnet.text import fold

from query import clinical
from query.synthesis import lab_summary

_ALLERGY = re.compile(r"\ballerg(?:ie|ies|ique|iques|y|ies|ic)\b|\bintolerances?\b")
# the specialty, not the patient's allergies
_ALLERGY_SPECIALTY = re.compile(r"\ballergolog\w*|\ballergist\w*|\btests? (?:cutanes|allergologiques)|\bskin prick")
_TREATMENT = re.compile(
    r"\b(?:ordonnances?|traitements?|medicaments?|medications?|medicines?|treatments?|prescriptions?)\s+"
    r"(?:en cours|actuels?|actuelles?|courants?|habituels?|de fond)\b"
    r"|\b(?:current|active|regular)\s+(?:medications?|medicines?|treatments?|prescriptions?|drugs?)\b"
    r"|\bque prend(?:-| )(?:il|elle)\b|\bwhat (?:is|does) (?:he|she|the patient) tak"
)
_CHANGES = re.compile(
    r"\b(?:qu'?est-ce qui a change|quoi de neuf|qu'y a-t-il de nouveau|du nouveau|nouveautes?|what'?s new|what is new|"
    r"what (?:has )?changed|anything new|changes?)\b.*\b(?:depuis|since)\b"
)
_LAST_VISIT = re.compile(r"\b(?:derniere (?:consultation|visite)|last (?:visit|consultation|appointment))\b")
CONSULTATION_TYPES = (codes.CONSULTATION, codes.OUTPATIENT_NOTE, codes.NOTE, codes.ALLIED_HEALTH_NOTE)


def facts_intent(question: str) -> str | None:
    """"allergies" | "treatment" | "changes" | None."""
    q = fold(question)
    if _CHANGES.search(q):
        return "changes"
    if _ALLERGY.search(q) and not _ALLERGY_SPECIALTY.search(q):
        return "allergies"
    if _TREATMENT.search(q):
        return "treatment"
    return None


def _cite(items: list[dict]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for item in items:
        for s in item.get("sources") or [item]:
            key = (s["document_id"], s["page"])
            if key not in out:
                out.append(key)
    return out


def allergies_answer(facts: list[Fact]) -> dict:
    view = clinical.allergies(facts)
    if view["status"] == "not-stated":
        text = "Aucun document ne mentionne d'allergie ni l'absence d'allergie."
    elif view["status"] == "none":
        first = view["none_statements"][0]
        text = f"Aucune allergie connue ({first['date'] or 'date inconnue'})."
    else:
        listed = "; ".join(i["text"] for i in view["items"])
        text = f"Allergies notées : {listed}."
        if view["status"] == "contradiction":
            text += " Attention, des documents se contredisent : " + "; ".join(c["text"] for c in view["contradictions"]) + "."
    items = view["items"] + view["none_statements"]
    return {"intent": "allergies", "text": text, "status": view["status"], "items": items,
            "contradictions": view["contradictions"], "cited": _cite(items)}


def treatment_answer(facts: list[Fact], today: date, language: str = "fr") -> dict:
    current = clinical.current_treatment(facts, today)
    if current is None:
        return {"intent": "treatment", "text": "Aucun document n'énonce le traitement du patient.", "items": [],
                "current_treatment": None, "cited": []}
    age = clinical.age_phrase(current["age_days"], language)
    if current["none"]:
        text = f"Aucun traitement selon le document du {current['date']} ({age})."
    elif current["lines"]:
        names = ", ".join(line["text"] for line in current["lines"])
        text = f"Traitement énoncé le {current['date']} ({current['statement']}, {age}) : {names}."
    else:
        text = f"Aucune ligne du traitement énoncé le {current['date']} ({current['statement']}, {age}) n'est en cours."
    prev = current["previous"]
    if prev:
        parts = []
        if prev["added"]:
            parts.append("ajouté : " + ", ".join(x["text"] for x in prev["added"]))
        if prev["stopped"]:
            parts.append("non repris : " + ", ".join(x["text"] for x in prev["stopped"]))
        if prev["dose_changed"]:
            parts.append("dose modifiée : " + ", ".join(f"{x['name']} {x['previous_dose']} → {x['dose']}"
                                                        for x in prev["dose_changed"]))
        text += f" Depuis le {prev['date']} : " + ("; ".join(parts) if parts else "inchangé") + "."
    if current["prescribed_since"]:
        text += " Prescrit depuis : " + ", ".join(f"{x['text']} ({x['date']})" for x in current["prescribed_since"]) + "."
    if current["started_since"]:
        text += " Introduit depuis : " + ", ".join(f"{x['text']} ({x['start'] or x['date']})"
                                                  for x in current["started_since"]) + "."
    if current["stopped_since"]:
        text += " Arrêté : " + ", ".join(f"{x['text']} ({x.get('stopped_on') or x['date']})"
                                          for x in current["stopped_since"]) + "."
    changed = [x for x in current["lines"] if x.get("dose_changed_on")]
    if changed:
        text += " Dose modifiée depuis : " + ", ".join(
            f"{x['name']} {x['previous_dose']} → {x['dose']} ({x['dose_changed_on']})" for x in changed) + "."
    if current["last_prescribed"]:
        text += " Plus en cours (ordonnance terminée) : " + ", ".join(
            f"{x['text']}, dernière prescription le {x['start'] or x['date']}" for x in current["last_prescribed"]) + "."
    if current["not_restated"]:
        text += (" Non repris dans ce dernier énoncé, sans arrêt noté : "
                 + ", ".join(x["text"] for x in current["not_restated"]) + " (à vérifier).")
    items = (current["lines"] + current["prescribed_since"] + current["not_restated"] + current["stopped_since"]
             + current["last_prescribed"])
    changes = [x["change_source"] for x in changed] + [x["stop_source"] for x in current["stopped_since"]
                                                       if x.get("stop_source")]
    cited = ([(current["document_id"], current["page"])] + _cite(current["prescribed_since"])
             + _cite(current["started_since"]) + _cite(changes))
    if prev:
        cited.append((prev["document_id"], 1))
    return {"intent": "treatment", "text": text, "items": items, "current_treatment": current,
            "cited": list(dict.fromkeys(cited))}


@dataclass(frozen=True)
class Asker:
    """The practitioner asking (the authenticated principal): whose "last visit" a question means."""

    id: str
    name: str | None = None
    last_opened: date | None = None  # the day they last opened this record before today (the audit), if ever


_TITLES = {"dr", "docteur", "doctor", "pr", "professeur", "prof", "mme", "m", "mr", "mrs", "ms", "de", "du", "le"}


def _name_words(name: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]+", fold(name)) if w not in _TITLES]


def same_person(name: str | None, author: str | None) -> bool:
    """Whether a document's author names the practitioner: the surname, and the first name or its initial when
    the author gives one ("Dr Claire Fontaine" is "Dr C. Fontaine", not "Dr Paul Fontaine")."""
    n, a = _name_words(name or ""), _name_words(author or "")
    if not n or not a or n[-1] not in a or len(n[-1]) < 2:
        return False
    others = [w for w in a if w != n[-1]]
    return len(n) == 1 or not others or any(w[0] == n[0][0] and (len(w) == 1 or w == n[0]) for w in others)


def _consultations(docs: list[StoredDocument], today: date) -> list[StoredDocument]:
    return [d for d in docs if d.type_code in CONSULTATION_TYPES and d.service_date and d.service_date < today]


def last_consultation(docs: list[StoredDocument], today: date) -> StoredDocument | None:
    """The most recent consultation before today (docs come most recent first)."""
    found = _consultations(docs, today)
    return found[0] if found else None


def reference_visit(docs: list[StoredDocument], today: date, asker: Asker | None) -> dict | None:
    """What "la dernière consultation" / "my last visit" is: the asking practitioner's latest consultation of
    the patient (a consultation they wrote: their identifier or their name as its author), else the day
    they last opened the record (the audit), else the patient's latest consultation, said so in `note`.
    {"since", "kind": "practitioner" | "record-opened" | "patient", "document_id", "note"}, or None."""
    consultations = _consultations(docs, today)
    if asker is not None:
        mine = [d for d in consultations if (d.author_id and d.author_id == asker.id)
                or same_person(asker.name, d.author)]
        if mine:
            return {"since": iso(mine[0].service_date), "kind": "practitioner", "document_id": mine[0].id,
                    "note": None}
        if asker.last_opened and asker.last_opened < today:
            return {"since": asker.last_opened.isoformat(), "kind": "record-opened", "document_id": None,
                    "note": "Aucune consultation de vous dans le dossier : depuis votre dernière ouverture du "
                            f"dossier, le {asker.last_opened.isoformat()} (journal d'accès)."}
    if not consultations:
        return None
    ref = consultations[0]
    who = f" ({ref.author})" if ref.author else ""
    note = ("Aucune consultation de vous dans le dossier : depuis la dernière consultation du patient"
            f"{who}, le {iso(ref.service_date)}." if asker is not None else
            f"Depuis la dernière consultation du patient{who}, le {iso(ref.service_date)}.")
    return {"since": iso(ref.service_date), "kind": "patient", "document_id": ref.id, "note": note}


def _medication_changes(facts: list[Fact], since: str) -> list[Fact]:
    """Drugs started, stopped or whose dose changed after `since`, as the documents state them."""
    out = []
    for f in facts:
        if f.kind != "medication" or f.status not in ("started", "stopped", "changed"):
            continue
        day = (f.end if f.status == "stopped" else f.start) or f.service_date
        if day and day.isoformat() > since:
            out.append(f)
    return sorted(out, key=lambda f: ((f.end if f.status == "stopped" else f.start) or f.service_date or date.min))


_CHANGE_LABEL = {"started": "introduit", "stopped": "arrêté", "changed": "dose modifiée"}


def changes_answer(facts: list[Fact], docs: list[dict], labs: list[dict], today: date, question: str,
                   asker: Asker | None = None) -> dict:
    """Documents, new problems, treatment changes and out-of-range results dated after the asking
    practitioner's last consultation (reference_visit)."""
    docs = [d for d in docs if not d.canonical_id and not d.is_noise]
    ref = reference_visit(docs, today, asker)
    if ref is None:
        return {"intent": "changes", "text": "Aucune consultation antérieure dans le dossier.", "items": [], "cited": []}
    since = ref["since"]
    newer_docs = [d for d in docs if (iso(d.service_date) or "") > since]
    new_ids = {d.id for d in newer_docs}
    older_problems = {clinical._key(f.name) for f in facts if f.kind == "problem" and f.document_id not in new_ids}
    new_problems = [p for p in clinical.problems([f for f in facts if f.document_id in new_ids])
                    if clinical._key(p["text"]) not in older_problems]
    treatment = clinical.current_treatment(facts, today)
    changes = None
    if treatment and treatment["date"] and treatment["date"] > since and treatment["previous"]:
        changes = treatment["previous"]
    stated = _medication_changes(facts, since)
    out_of_range = [lab for lab in labs if lab.get("flag") in ("H", "L", "A") and (lab.get("date") or "") > since]
    items = ([{"kind": "document", "text": d.title or d.type_code or "document",
               "document_id": d.id, "page": 1, "date": iso(d.service_date)} for d in newer_docs]
             + [{"kind": "problem", **p} for p in new_problems]
             + [{"kind": "medication", "text": f"{f.name} {_CHANGE_LABEL[f.status]}"
                 + (f" ({f.dose})" if f.dose else ""), "name": f.name, "status": f.status, **clinical.source(f)}
                for f in stated]
             + [{"kind": "lab", "text": f"{lab['name']} {lab['value']} {lab['unit'] or ''} ({lab['flag']})".strip(),
                 "document_id": lab["document_id"], "page": lab["page"], "date": lab["date"]} for lab in out_of_range])
    label = {"practitioner": "votre consultation", "record-opened": "votre dernière ouverture du dossier",
             "patient": "la consultation"}[ref["kind"]]
    parts = [f"{len(newer_docs)} document(s) depuis {label} du {since}"]
    if new_problems:
        parts.append("nouveaux problèmes : " + ", ".join(p["text"] for p in new_problems))
    if stated:
        parts.append("traitement : " + ", ".join(f"{f.name} {_CHANGE_LABEL[f.status]}" for f in stated))
    if changes:
        for what, key in (("ajouté", "added"), ("non repris", "stopped")):
            if changes[key]:
                parts.append(f"traitement {what} : " + ", ".join(x["text"] for x in changes[key]))
        if changes["dose_changed"]:
            parts.append("dose modifiée : " + ", ".join(x["name"] for x in changes["dose_changed"]))
    if out_of_range:
        parts.append("hors normes : " + ", ".join(f"{lab['name']} ({lab['date']})" for lab in out_of_range))
    text = "; ".join(parts) + "."
    if ref["note"]:
        text = f"{ref['note']} {text}"
    return {"intent": "changes", "text": text, "since": since, "reference": ref,
            "reference_document_id": ref["document_id"], "items": items, "treatment_changes": changes,
            "cited": _cite(items)}


def answer_from_facts(intent: str, store, patient_id: str, question: str, today: date, language: str = "fr",
                      asker: Asker | None = None) -> dict:
    facts = store.facts(patient_id)
    if intent == "allergies":
        return allergies_answer(facts)
    if intent == "treatment":
        return treatment_answer(facts, today, language)
    return changes_answer(facts, store.documents(patient_id), lab_summary(store, patient_id), today, question, asker)
