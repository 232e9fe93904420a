"""Boilerplate learnt from repetition: the lines a sender prints on every document it sends.

Shape rules (furniture.py) catch a telephone number, a postcode or a signature stamp; they cannot tell
that "Pôle Médecine - Service de Pneumologie et Allergologie" or "Unité de rythmologie non invasive" is
letterhead. Repetition can: a line that recurs, near-verbatim, in two documents of the same patient from
the same sender (the stored organisation or author), or in three of the patient's documents whoever sent
them, is the sender's paper, not what one document says. Such lines never become a summary sentence or
a card snippet.

Near-verbatim: compared folded (case, accents), without punctuation and with white space squeezed. A line
with a digit is never learnt: a lab's rows, a dose or a stamp's date are content however often they recur
(and a letterhead's telephone, postcode or identifier is furniture by its shape already). Section headings
alone on their line ("Conclusion :", "Findings:") recur in every report and are not learnt.

`RecurringLines` holds what one patient's documents teach; it grows one document at a time (`add`), so a
new document from a known sender is read against what the earlier ones taught, and its own lines teach
the next question. Nothing is learnt across patients.
"""

from __future__ import annotations

import re

from carnet.text import fold

from .sections import heading

SAME_SENDER = 2  # documents from one sender a line must appear in
ANY_SENDER = 3  # ... or documents of the patient, whoever sent them
_PUNCT = re.compile(r"[^\w]+")
_MIN_CHARS = 8


def line_key(line: str) -> str | None:
    """The line compared near-verbatim, or None when it is too short to tell anything by recurring, or a
    section heading alone."""
    folded = fold(line).strip()
    key = _PUNCT.sub(" ", folded).strip()
    if len(key) < _MIN_CHARS or len(key.split()) < 2 or any(ch.isdigit() for ch in key):
        return None
    found = heading(folded)
    if found is not None and len(folded[found[1].end():].split()) <= 1:
        return None
    return key


def sender_key(organisation: str | None, author: str | None) -> str:
    """Who sent a document, as stored: its organisation, else its author, else unknown ("")."""
    return " ".join(fold(organisation or author or "").split())


class RecurringLines:
    """The recurring lines of one patient's documents."""

    def __init__(self) -> None:
        self._senders: dict[str, str] = {}  # document id -> sender
        self._seen: dict[str, dict[str, set[str]]] = {}  # line key -> sender -> document ids

    @property
    def document_ids(self) -> frozenset[str]:
        return frozenset(self._senders)

    def add(self, document_id: str, sender: str, text: str) -> None:
        """Learn the lines of one document (its chunks' text, overlaps included: a line counts once)."""
        if document_id in self._senders:
            return
        self._senders[document_id] = sender
        for key in {k for ln in text.split("\n") if (k := line_key(ln))}:
            self._seen.setdefault(key, {}).setdefault(sender, set()).add(document_id)

    def is_boilerplate(self, line: str, sender: str) -> bool:
        key = line_key(line)
        if key is None or key not in self._seen:
            return False
        by_sender = self._seen[key]
        if sender and len(by_sender.get(sender, ())) >= SAME_SENDER:
            return True
        return sum(len(ids) for ids in by_sender.values()) >= ANY_SENDER
