"""What the stored facts say, put together for a doctor: allergies, the current treatment, problems, and
what changed since a date. Pure functions over carnet.facts.Fact lists (read once from the store).

- Allergies: every allergy stated anywhere, each with all the documents that state it; "aucune allergie
  connue" only when a document says so, with that document and its date; when documents disagree (an
  allergy here, "no known allergy" there, or the same substance denied elsewhere) the disagreement is shown
  as a contradiction, never resolved.
- Current treatment: the most recent statement of the whole treatment (a letter's current or usual
  treatment, a discharge treatment, a prescription that renews it), its date, its age, and what changed
  since the statement before it (added, stopped, dose changed); changes stated after it ("arrêt du X",
  "introduction de Y") apply to it, and a prescription that ran out long ago is "last prescribed on", not
  current.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta
from typing import Iterable, Sequence

from carnet.facts import MAX_PRESCRIPTION_DAYS, Fact
from carnet.text import fold

# A prescription renews the treatment when it repeats at least this share of the letter's drug lines.
RENEWAL_SHARE = 0.5
# A line whose prescription ran out this long ago is "last prescribed on", not current: a chronic treatment
# renewed a few weeks late is still taken.
RUN_OUT_GRACE_DAYS = 30

# Statements of the same document, the one that holds on leaving: discharge before admission.
_STATEMENT_RANK = (("sortie", 0), ("discharge", 0), ("actuel", 1), ("en cours", 1), ("current", 1), ("habituel", 2),
                   ("de fond", 2), ("long cours", 2), ("ordonnance", 3), ("entree", 5), ("admission", 5))


def source(f: Fact) -> dict:
    return {"document_id": f.document_id, "page": f.page, "date": f.service_date.isoformat() if f.service_date else None,
            "author": f.author, "source": f.source}


def _key(name: str) -> str:
    """Substance / molecule key: folded, articles and trailing forms dropped ("la Pénicilline G" -> "penicilline g")."""
    k = fold(name)
    k = re.sub(r"^(?:la|le|les|l'|aux?|the)\s+", "", k)
    return re.sub(r"[^a-z0-9 ]+", " ", k).strip()


def _molecule(f: Fact) -> str:
    """A drug's identity across statements: its ATC code when known, else its first word folded."""
    if f.code:
        return f.code
    words = _key(f.name).split()
    return words[0] if words else _key(f.name)


# --- allergies -------------------------------------------------------------------------------------------


def allergies(facts: Iterable[Fact]) -> dict:
    """{"status", "items", "none_statements", "contradictions"}; status is "listed" (allergies stated),
    "none" (the record says there is none), "not-stated" (no document says anything), or "contradiction"."""
    stated: dict[str, list[Fact]] = defaultdict(list)
    denied: dict[str, list[Fact]] = defaultdict(list)
    none: list[Fact] = []
    for f in facts:
        if f.kind != "allergy":
            continue
        if f.status == "none":
            none.append(f)
        elif f.status in ("active", "hypothetical", "history"):
            stated[_key(f.name)].append(f)
        elif f.status == "negated":
            denied[_key(f.name)].append(f)
    items = []
    for key, group in stated.items():
        group = sorted(group, key=lambda f: f.service_date or date.min, reverse=True)
        reaction = next((f.reaction for f in group if f.reaction), None)
        first = group[0]
        suspected = all(f.status == "hypothetical" for f in group)
        text = first.name + (f" ({reaction})" if reaction else "") + (" — suspectée" if suspected else "")
        items.append({"text": text, "substance": first.name, "reaction": reaction,
                      "status": "hypothetical" if suspected else "active", "none": False,
                      **source(first), "sources": _unique_sources(group)})
    items.sort(key=lambda i: i["date"] or "", reverse=True)
    contradictions = []
    for item in items:
        key = _key(item["substance"])
        if key in denied:
            contradictions.append({"text": f"{item['substance']} : allergie notée dans un document, niée dans un autre",
                                   "stated": item["sources"], "denied": _unique_sources(denied[key])})
    none_items = [{"text": "aucune allergie connue", "none": True, **source(f), "sentence": f.sentence}
                  for f in sorted(none, key=lambda f: f.service_date or date.min, reverse=True)]
    if items and none:
        contradictions.append({"text": "allergie notée dans un document, « aucune allergie connue » dans un autre",
                               "stated": [s for i in items for s in i["sources"]],
                               "denied": _unique_sources(none)})
    status = "contradiction" if contradictions else "listed" if items else "none" if none else "not-stated"
    return {"status": status, "items": items, "none_statements": none_items, "contradictions": contradictions}


def _unique_sources(facts: Sequence[Fact]) -> list[dict]:
    seen, out = set(), []
    # newest first; on one page, a coded entry (CDA level 3) before the same statement read from its text
    for f in sorted(facts, key=lambda f: (f.service_date or date.min, f.source == "cda"), reverse=True):
        if (f.document_id, f.page) in seen:
            continue
        seen.add((f.document_id, f.page))
        out.append(source(f))
    return out


# --- the current treatment ---------------------------------------------------------------------------------


def statements(facts: Iterable[Fact]) -> list[dict]:
    """Whole-treatment statements, most recent first: {"document_id", "statement", "date", "lines", "none"}."""
    groups: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for f in facts:
        if f.kind == "medication" and f.statement:
            groups[(f.document_id, f.statement)].append(f)
    out = []
    for (doc, name), lines in groups.items():
        rank = next((r for word, r in _STATEMENT_RANK if word in name), 4)
        out.append({"document_id": doc, "statement": name, "date": lines[0].service_date, "rank": rank,
                    "lines": [f for f in lines if f.status != "none"], "none": all(f.status == "none" for f in lines),
                    "page": lines[0].page, "prescription": name == "ordonnance"})
    # most recent first; in one document the statement that holds on leaving first
    out.sort(key=lambda s: (-(s["date"] or date.min).toordinal(), s["rank"]))
    seen_docs: set[str] = set()
    kept = []
    for s in out:  # one statement per document: the one that holds on leaving
        if s["document_id"] in seen_docs:
            continue
        seen_docs.add(s["document_id"])
        kept.append(s)
    return kept


def _line(f: Fact) -> dict:
    return {"name": f.name, "dose": f.dose, "posology": f.posology, "code": f.code, "status": f.status,
            "start": f.start.isoformat() if f.start else None, "end": f.end.isoformat() if f.end else None,
            "text": " ".join(x for x in (f.name, f.dose) if x), **source(f)}


def _day(f: Fact) -> date:
    """When a medication fact happened: a stop's end, a start's start, else the date of the act."""
    return (f.end if f.status == "stopped" else f.start) or f.service_date or date.min


def _runs_out(f: Fact) -> date | None:
    """The day a prescription's line runs out: its stated end, else twelve months after it was prescribed
    (carnet.facts.MAX_PRESCRIPTION_DAYS)."""
    if f.end:
        return f.end
    start = f.start or f.service_date
    return start + timedelta(days=MAX_PRESCRIPTION_DAYS) if start else None


def _expired(f: Fact, prescription: bool, today: date) -> date | None:
    """The end of a line that ran out more than RUN_OUT_GRACE_DAYS ago (None while it may still be taken): a
    prescription's line, or any line with a stated course ("pendant 5 jours")."""
    end = _runs_out(f) if prescription else f.end if f.status != "stopped" else None
    return end if end and (today - end).days > RUN_OUT_GRACE_DAYS else None


def diff(current: Sequence[Fact], previous: Sequence[Fact]) -> dict:
    """added / stopped / dose changed, by molecule (ATC code when known)."""
    cur = {_molecule(f): f for f in current}
    prev = {_molecule(f): f for f in previous}
    added = [_line(cur[k]) for k in cur if k not in prev]
    stopped = [_line(prev[k]) for k in prev if k not in cur]
    changed = []
    for k in cur.keys() & prev.keys():
        a, b = fold(cur[k].dose or "").replace(" ", ""), fold(prev[k].dose or "").replace(" ", "")
        if a and b and a != b:
            changed.append({**_line(cur[k]), "previous_dose": prev[k].dose})
    return {"added": added, "stopped": stopped, "dose_changed": changed}


def _is_renewal(prescription: dict, letter: dict) -> bool:
    ours = {_molecule(f) for f in prescription["lines"]}
    theirs = {_molecule(f) for f in letter["lines"]}
    return bool(theirs) and len(ours & theirs) >= RENEWAL_SHARE * len(theirs)


def _changes_after(facts: Sequence[Fact], since: date, document_id: str) -> dict[str, list[Fact]]:
    """Started / stopped / changed facts outside statements (or stopped lines inside one) that happened on or
    after `since` (or in the statement's own document), by molecule, oldest first."""
    out: dict[str, list[Fact]] = defaultdict(list)
    for f in sorted(facts, key=_day):
        if f.kind != "medication" or f.status not in ("started", "stopped", "changed"):
            continue
        if f.statement and f.status != "stopped":
            continue  # a statement's started / changed line is one of its lines already
        if _day(f) >= since or f.document_id == document_id:
            out[_molecule(f)].append(f)
    return out


def current_treatment(facts: Iterable[Fact], today: date | None = None) -> dict | None:
    """The most recent statement of the whole treatment, its age and what changed since the one before.
    A prescription is the current statement when it is the only kind there is or when it renews the latest
    letter's treatment; a prescription that does not (an antibiotic, a painkiller) is listed as prescribed
    since. Changes stated after the statement apply to it: a drug stopped since is not current (`stopped_since`),
    a drug started since is (`started_since`), a new dose replaces the stated one. A line whose prescription
    (or stated course) ran out more than RUN_OUT_GRACE_DAYS ago is not current either: it is listed as
    `last_prescribed` with its date. None when no document states a treatment."""
    today = today or date.today()
    facts_list = list(facts)
    found = statements(facts_list)
    if not found:
        return None
    letters = [s for s in found if not s["prescription"]]
    current = letters[0] if letters else found[0]
    for s in found:
        if s is current or not s["prescription"]:
            continue
        if (s["date"] or date.min) > (current["date"] or date.min) and _is_renewal(s, current):
            current = s
            break
    older = [s for s in found if (s["date"] or date.min) < (current["date"] or date.min)
             and (s["prescription"] == current["prescription"] or not s["prescription"])]
    previous = older[0] if older else None
    since = [s for s in found if s["prescription"] and (s["date"] or date.min) > (current["date"] or date.min)]
    when = current["date"]
    changes = _changes_after(facts_list, when or date.min, current["document_id"])

    def last(molecule: str, after: date = date.min) -> Fact | None:
        """The latest change of a molecule on or after `after`."""
        later = [c for c in changes.get(molecule, []) if _day(c) >= after]
        return later[-1] if later else None

    lines, stopped_since, last_prescribed = [], [], []
    for f in current["lines"]:
        change = last(_molecule(f))
        if f.status == "stopped" or (change and change.status == "stopped"):
            stopped_since.append({**_line(f), "stopped_on": (change or f).end and (change or f).end.isoformat(),
                                  **({"stop_source": source(change)} if change else {})})
            continue
        ended = _expired(f, current["prescription"], today)
        if ended:
            last_prescribed.append({**_line(f), "ended_on": ended.isoformat()})
            continue
        line = _line(f)
        if change and change.status == "changed" and change.dose:
            line.update(dose=change.dose, previous_dose=f.dose, dose_changed_on=_day(change).isoformat(),
                        text=" ".join(x for x in (f.name, change.dose) if x), change_source=source(change))
        lines.append(line)
    kept = {_molecule(f) for f in current["lines"]}
    started_since = []
    for molecule, group in changes.items():
        start = next((c for c in reversed(group) if c.status == "started"), None)
        if start is None or molecule in kept or (last(molecule) or start).status == "stopped":
            continue
        started_since.append(_line(start))
    prescribed = []
    for s in since:
        for f in s["lines"]:
            if f.status == "stopped" or (last(_molecule(f), _day(f)) or f).status == "stopped":
                continue
            ended = _expired(f, True, today)
            (last_prescribed if ended else prescribed).append(
                {**_line(f), **({"ended_on": ended.isoformat()} if ended else {})})
    # Lines of the previous statement the latest one does not repeat and no document says were stopped: a
    # specialist's letter often lists only the drugs of its field. Shown apart ("not restated"), never dropped
    # silently and never called current.
    stopped_later = {_molecule(f) for f in facts_list if f.kind == "medication" and f.status == "stopped"
                     and (f.service_date or date.min) >= ((previous or {}).get("date") or date.min)}
    not_restated = [f for f in (previous["lines"] if previous else [])
                    if _molecule(f) not in kept and _molecule(f) not in stopped_later and f.status != "stopped"]
    current_lines = [f for f in current["lines"] if f.status != "stopped"]
    return {
        "document_id": current["document_id"], "page": current["page"], "statement": current["statement"],
        "date": when.isoformat() if when else None,
        "age_days": (today - when).days if when else None,
        "none": current["none"] and not started_since,
        "lines": lines + started_since,
        "previous": ({"document_id": previous["document_id"], "date": previous["date"].isoformat() if previous["date"] else None,
                      "statement": previous["statement"], **diff(current_lines, previous["lines"])}
                     if previous else None),
        "prescribed_since": prescribed,
        "not_restated": [_line(f) for f in not_restated],
        "started_since": started_since,
        "stopped_since": stopped_since,
        "last_prescribed": last_prescribed,
    }


def age_phrase(days: int | None, language: str = "fr") -> str:
    if days is None:
        return "date inconnue" if language == "fr" else "date unknown"
    if days < 0:
        days = 0
    if days < 45:
        n, fr, en = days, "jour", "day"
    elif days < 700:
        n, fr, en = round(days / 30.4), "mois", "month"
    else:
        n, fr, en = round(days / 365.25), "an", "year"
    if language == "fr":
        return f"il y a {n} {fr}{'s' if n > 1 and fr != 'mois' else ''}"
    return f"{n} {en}{'s' if n > 1 else ''} ago"


# --- problems ------------------------------------------------------------------------------------------------


def problems(facts: Iterable[Fact], limit: int = 30) -> list[dict]:
    """Problems stated as the patient's (not denied, not a relative's), each once, most recent statement first."""
    out: dict[str, dict] = {}
    for f in sorted((f for f in facts if f.kind == "problem"), key=lambda f: f.service_date or date.min, reverse=True):
        if f.status in ("negated", "family"):
            continue
        key = _key(f.name)
        if key in out:
            out[key]["sources"].append(source(f))
            continue
        out[key] = {"text": f.name, "status": f.status,
                    "kind": "antecedent" if f.section == "antecedents" else "conclusion", **source(f),
                    "sources": [source(f)]}
    return list(out.values())[:limit]
