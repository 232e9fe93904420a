"""A page's lines grouped under the section heading they sit in (the headings of ingest/understand/sections).

Facts are read by section: the items under "Allergies :" are allergies, the lines under "Traitement actuel"
a treatment statement, the items under "Antécédents" problems. A heading's text after its colon is the
section's first line ("Allergies : pénicilline").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from carnet.text import fold
from ingest.understand.context import fast_fold
from ingest.understand.sections import heading


@dataclass(frozen=True)
class Line:
    page: int
    text: str  # as printed, white space squeezed
    folded: str

    def original(self, start: int, end: int) -> str:
        """The printed words at folded offsets [start, end) ("œdème" folds to two letters "oe")."""
        if len(self.text) == len(self.folded):
            return self.text[start:end]
        starts, pos = [], 0
        for c in self.text:
            starts.append(pos)
            pos += len(c.lower() if c.isascii() else (fold(c) or c))
        if pos != len(self.folded):
            return self.folded[start:end]
        i = next((k for k, p in enumerate(starts) if p >= start), len(self.text))
        j = next((k for k, p in enumerate(starts) if p >= end), len(self.text))
        return self.text[i:j]


@dataclass(frozen=True)
class Block:
    section: str | None  # sections.py name ("allergies", "traitement", "antecedents", ...) or None before any
    heading: str  # the heading as written, folded ("traitement de sortie"), "" before any
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)


_SPACES = re.compile(r"[ \t\u00a0\u202f]+")
# A short line ending with a colon that no section rule knows still ends the section above it
# ("Examens demandés :"); it opens an unnamed block.
_OTHER_HEADING = re.compile(r"^[^\W\d_][^:]{2,40}:\s*$")
# A sentence that announces a list opens the section it names: "Son traitement actuel comporte :",
# "Dans ses antécédents, on retient :", "Her current medications are:" (folded).
_OPENERS = (
    ("traitement", re.compile(r"\b(?P<h>traitements?(?: (?:actuels?|habituels?|en cours|de sortie|a la sortie|"
                              r"d'entree|de fond|au long cours))?|current medications?|medications?|ordonnance)\b")),
    ("antecedents", re.compile(r"\b(?P<h>antecedents(?: (?:medicaux|chirurgicaux|personnels|familiaux))?|"
                               r"past (?:medical )?history|medical history)\b")),
    ("allergies", re.compile(r"\b(?P<h>allergies(?: connues)?|intolerances)\b")),
)


# Abbreviations French notes use for their treatment list ("TTT :", "Trt habituel :"), read by facts only.
_TREATMENT_ABBREVIATION = re.compile(r"^(?P<h>(?:ttt|trt|tt)(?: (?:habituel|actuel|en cours|de sortie))?)\s*:")
# Allergy headings sections.py does not know: "Allergie(s) :", "Allergy status:", "Allergies et intolérances :"
_ALLERGY_HEADING = re.compile(r"^(?P<h>allergies?\s*\(s\)|allergy status|allergies? et intolerances?|"
                              r"allergies? medicamenteuses?|drug allergies)\s*:")


def _opener(folded: str) -> tuple[str, str] | None:
    if not folded.endswith(":") or len(folded) > 90:
        return None
    for name, rx in _OPENERS:
        m = rx.search(folded)
        if m:
            return name, m.group("h")
    return None


_BULLET = re.compile(r"^[-•*▪·–]\s")


def blocks(pages: list[tuple[int, str]]) -> list[Block]:
    """The document's blocks in reading order; a section continues across a page break. A line that starts
    in lower case carries on the line above (a wrapped sentence or list item); a bulleted list ends at the
    first line that is neither a bullet nor a wrapped one (the letter's prose resumes)."""
    out: list[Block] = []
    section, head, current = None, "", []

    def close():
        if current:
            out.append(Block(section, head, tuple(current)))

    for number, text in pages:
        for raw in text.split("\n"):
            squeezed = _SPACES.sub(" ", raw).strip()
            if not squeezed:
                continue
            folded = fast_fold(squeezed)
            found = heading(folded)
            if found is not None:
                close()
                name, m = found
                section, head, current = name, m.group("h"), []
                rest = squeezed.split(":", 1)[1].strip() if m.group("colon") == ":" and ":" in squeezed else ""
                if rest:
                    current.append(Line(number, rest, fast_fold(rest)))
                continue
            abbreviation = _TREATMENT_ABBREVIATION.match(folded) or _ALLERGY_HEADING.match(folded)
            if abbreviation is not None:
                close()
                name = "allergies" if "allerg" in abbreviation.group("h") else "traitement"
                section, head, current = name, abbreviation.group("h"), []
                rest = squeezed.split(":", 1)[1].strip()
                if rest:
                    current.append(Line(number, rest, fast_fold(rest)))
                continue
            opened = _opener(folded)
            if opened is not None:
                close()
                section, head, current = opened[0], opened[1], []
                continue
            if _OTHER_HEADING.match(squeezed):
                close()
                section, head, current = None, folded.rstrip(" :"), []
                continue
            if current and (squeezed[0].islower() or current[-1].text.endswith("-")) and current[-1].page == number:
                prev = current[-1]
                glue = "" if prev.text.endswith("-") else " "
                joined = f"{prev.text}{glue}{squeezed}"
                current[-1] = Line(number, joined, fast_fold(joined))
                continue
            if current and _BULLET.match(current[0].text) and not _BULLET.match(squeezed) and section is not None:
                close()
                section, head, current = None, "", []
            current.append(Line(number, squeezed, folded))
    close()
    return out
