"""An ambiguous short form read against the patient's record ("MG": médecine générale, magnésium, myasthénie).

The parser (query.word_reading) takes the commonest reading and lists the others; it knows nothing of the
patient. Here each reading is tried on the record: how many of the patient's documents it finds (those
passing the reading's filters; for a reading that is a topic, those whose text names it, index.terms). When
exactly one reading finds something, the record decides and that reading is taken ("MG" in a record with
magnesium results and no general-practice letter is magnésium); otherwise the question stays ambiguous: the
commonest reading is answered and the answer says so, with the others one click away (`describe`).

Cost: one re-parse per other reading (well under a millisecond) and, for a topic reading, one FTS5 search
within the patient's rowid range; filter readings are counted on the document rows the question loads anyway.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from carnet.models import Ambiguity, Interpretation
from query import practice as P

# reread(choices) -> the question parsed again with these "word=reading-id" choices (and the doctor's literal words)
Reread = Callable[[tuple[str, ...]], Interpretation]
# support(interpretation under one reading, that reading) -> documents of the record it finds
Support = Callable[[Interpretation, P.Reading], int]


def reading_of(ambiguity: Ambiguity, choice: str) -> P.Reading:
    reading_id = choice.split("=", 1)[1]
    return next(r for r in P.AMBIGUOUS[ambiguity.word] if r.id == reading_id)


def resolve(interp: Interpretation, reread: Reread, support: Support) -> Interpretation:
    """The interpretation with each ambiguity the doctor did not settle decided by the record when only one
    reading finds documents in it, and every ambiguity carrying its readings' document counts."""
    if not interp.ambiguities:
        return interp
    fixed = [a.chosen for a in interp.ambiguities if a.decided_by == "doctor"]
    current = interp
    decided: list[Ambiguity] = []
    for a in interp.ambiguities:
        if a.decided_by == "doctor":
            decided.append(a)
            continue
        others = [c for c in fixed if not c.startswith(f"{a.word}=")]
        under = {r.choice: current if r.choice == a.chosen else reread(tuple(others + [r.choice])) for r in a.readings}
        counts = tuple(support(under[r.choice], reading_of(a, r.choice)) for r in a.readings)
        finding = [r.choice for r, n in zip(a.readings, counts) if n]
        pick, by = (finding[0], "record") if len(finding) == 1 else (a.chosen, "usage")
        if pick != a.chosen:
            current = under[pick]
        fixed.append(pick)
        decided.append(replace(a, chosen=pick, decided_by=by, documents=counts))
    return replace(current, ambiguities=tuple(decided))


_TEXT = {
    "fr": {
        "record": "« {shown} » lu comme {chosen} : dans ce dossier, seule cette lecture trouve des documents ({found}).",
        "usage": "« {shown} » est ambigu : lu comme {chosen}, la lecture la plus courante ({found}). Autres lectures : "
                 "{others}.",
        "none": "« {shown} » est ambigu, et aucune de ses lectures ne trouve de document dans ce dossier : lu comme "
                "{chosen}. Autres lectures : {others}.",
        "doctor": "« {shown} » lu comme {chosen}, comme demandé. Autres lectures : {others}.",
        "count": "{n} document", "counts": "{n} documents",
    },
    "en": {
        "record": "“{shown}” read as {chosen}: in this record only that reading finds documents ({found}).",
        "usage": "“{shown}” is ambiguous: read as {chosen}, the commonest reading ({found}). Other readings: {others}.",
        "none": "“{shown}” is ambiguous and none of its readings finds a document in this record: read as "
                "{chosen}. Other readings: {others}.",
        "doctor": "“{shown}” read as {chosen}, as asked. Other readings: {others}.",
        "count": "{n} document", "counts": "{n} documents",
    },
}


def describe(interp: Interpretation, language: str) -> list[dict]:
    """Each ambiguity for the API and the page: the word, the reading taken, who decided, a sentence saying
    it, and every reading with its documents in this record and the chip that takes it (kind "reading",
    sent in the ask request's `remove`)."""
    text = _TEXT["en" if language == "en" else "fr"]
    label = (lambda r: r.label_en) if language == "en" else (lambda r: r.label_fr)
    out = []
    for a in interp.ambiguities:
        counts = a.documents or (None,) * len(a.readings)
        readings = [{"value": r.choice, "label": label(r), "documents": n, "chosen": r.choice == a.chosen,
                     "chip": {"kind": "reading", "value": r.choice, "label": f"{a.shown} → {label(r)} ?"}}
                    for r, n in zip(a.readings, counts)]
        chosen = next(r for r in readings if r["chosen"])

        def found(n):
            return "" if n is None else (text["count"] if n == 1 else text["counts"]).format(n=n)

        others = ", ".join(r["label"] + (f" ({found(r['documents'])})" if r["documents"] is not None else "")
                           for r in readings if not r["chosen"])
        case = a.decided_by
        if case == "usage" and a.documents and not any(a.documents):
            case = "none"
        message = text[case].format(shown=a.shown, chosen=chosen["label"], found=found(chosen["documents"]),
                                    others=others).replace(" ()", "")
        out.append({"word": a.shown, "reading": chosen["value"], "label": chosen["label"],
                    "decided_by": a.decided_by, "ambiguous": a.unresolved, "message": message,
                    "readings": readings})
    return out
