"""The boilerplate each patient's documents teach (ingest.understand.boilerplate), kept per store.

Summaries and result cards leave out the lines a sender prints on every paper. What a patient's
documents teach is read from the store the first time that patient's documents are summarised or shown,
then kept: a document ingested later is read alone and added (a new letter from a known sender is judged
at once, and teaches the next question); a document removed makes the patient's lines be read again.
The cost is bounded by one patient's documents (their chunks' text), never the corpus; the cache holds at
most `MAX_PATIENTS` patients, least recently asked first out.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import Callable, Sequence

from carnet.text import fold
from ingest.understand.boilerplate import RecurringLines, sender_key
from ingest.understand.sections import heading

MAX_PATIENTS = 512
_CONCLUSION_REACH = 2  # lines after a conclusion heading that are its text, however often they recur


class LearntFurniture:
    def __init__(self, store, max_patients: int = MAX_PATIENTS):
        self.store = store
        self.max_patients = max_patients
        self._patients: OrderedDict[str, RecurringLines] = OrderedDict()
        self._lock = threading.Lock()

    def for_patient(self, patient_id: str, rows: Sequence[dict] | None = None) -> RecurringLines:
        """What `patient_id`'s documents teach, brought up to date with the store (`rows`: the patient's
        document rows when the caller already has them)."""
        rows = list(rows) if rows is not None else self.store.documents(patient_id)
        ids = {r.id for r in rows}
        with self._lock:
            learnt = self._patients.get(patient_id)
            if learnt is None or not learnt.document_ids <= ids:
                learnt = RecurringLines()
            self._patients[patient_id] = learnt
            self._patients.move_to_end(patient_id)
            while len(self._patients) > self.max_patients:
                self._patients.popitem(last=False)
        for row in rows:
            if row.id not in learnt.document_ids:
                text = "\n".join(c.text for c in self.store.document_chunks(row.id))
                learnt.add(row.id, sender_key(row.organisation, row.author), text)
        return learnt

    def skip_for(self, document: dict, learnt: RecurringLines | None = None) -> Callable[[str], bool]:
        """A predicate telling the lines of `document` (a store row) that are its sender's boilerplate
        (`learnt`: its patient's, when the caller already brought it up to date)."""
        patient_id = document.patient_id
        if learnt is None:
            if not patient_id:
                return no_boilerplate
            learnt = self.for_patient(patient_id)
        sender = sender_key(document.organisation, document.author)
        return lambda line: learnt.is_boilerplate(line, sender)

    def skips(self, documents: Sequence[dict]) -> dict[str, Callable[[str], bool]]:
        """`skip_for` of each document (store rows, usually one patient's), each patient read once."""
        learnt = {p: self.for_patient(p) for p in dict.fromkeys(d.patient_id for d in documents) if p}
        return {d.id: self.skip_for(d, learnt.get(d.patient_id)) if d.patient_id else no_boilerplate
                for d in documents}


def no_boilerplate(line: str) -> bool:
    return False


def drop_boilerplate(text: str, skip: Callable[[str], bool]) -> str:
    """`text` without its boilerplate lines; a conclusion heading's line and the lines just after it stay
    (a report's conclusion may recur word for word, "Examen normal.", and is still its answer)."""
    out: list[str] = []
    since_conclusion = _CONCLUSION_REACH + 1
    for line in text.split("\n"):
        found = heading(fold(line).strip()) if line.strip() else None
        if found is not None and found[0] == "conclusion":
            since_conclusion = 0
        elif line.strip():
            since_conclusion += 1
        if line.strip() and since_conclusion > _CONCLUSION_REACH and skip(line):
            out.append("")  # a blank, not nothing: the lines around it must not read as one sentence
            continue
        out.append(line)
    return "\n".join(out)


_BY_STORE: "weakref.WeakKeyDictionary[object, LearntFurniture]" = weakref.WeakKeyDictionary()
_BY_STORE_LOCK = threading.Lock()


def learnt_furniture(store) -> LearntFurniture:
    """The store's cache (one per store object, gone with it)."""
    with _BY_STORE_LOCK:
        try:
            found = _BY_STORE.get(store)
            if found is None:
                found = _BY_STORE[store] = LearntFurniture(store)
        except TypeError:  # a store object that cannot be weakly referenced: learnt afresh each time
            found = LearntFurniture(store)
        return found


def boilerplate_runs(text: str, skip: Callable[[str], bool]) -> tuple[str, ...]:
    """Each run of consecutive boilerplate lines of `text`, white space squeezed and joined: a sentence
    cut from the text is boilerplate when it lies inside one."""
    runs: list[str] = []
    current: list[str] = []
    for line, kept in zip(text.split("\n"), drop_boilerplate(text, skip).split("\n")):
        if line.strip() and not kept.strip():
            current.append(" ".join(line.split()))
        elif line.strip() and current:
            runs.append(" ".join(current))
            current = []
    if current:
        runs.append(" ".join(current))
    return tuple(runs)


def boilerplate_lines(text: str, skip: Callable[[str], bool]) -> tuple[str, ...]:
    """The lines of `text` that `skip` calls boilerplate, conclusions kept (see `drop_boilerplate`)."""
    kept = drop_boilerplate(text, skip).split("\n")
    return tuple(dict.fromkeys(ln for ln, k in zip(text.split("\n"), kept) if ln.strip() and not k.strip()))
