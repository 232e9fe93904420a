"""The text of one document prepared once for every rule: lines with offsets, folded lines, zones."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from carnet.text import fold

HEADER_LINES = 15  # non-empty lines at the top that form the letterhead / title zone
_UPPER_RATIO = 0.7
_TITLE_START = re.compile(
    r"^(compte[- ]?rendu|cr |lettre|ordonnance|prescription|certificat|report|summary|synthese|fiche|note |convocation|"
    r"facture|formulaire|consultation|demande|confirmation|avis|attestation|questionnaire|bilan|rapport|resultats|feuille|"
    r"bon |dossier|protocole|courrier|carnet|releve|declaration|notification|echographie|radiographie|examen|"
    r"electrocardiogramme|holter|scanner|irm |mammographie|discharge|operative|clinic|emergency|laboratory)"
)


@dataclass(frozen=True)
class Line:
    index: int  # among all lines
    offset: int  # into the document text
    raw: str
    folded: str

    @property
    def is_upper_heading(self) -> bool:
        letters = [c for c in self.raw if c.isalpha()]
        return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) >= _UPPER_RATIO


# fold() character by character is slow on long documents: translate the usual Latin letters with one
# table and fall back to fold() only for lines with other non-ASCII characters.
_TABLE = {cp: fold(chr(cp)) or " " for cp in range(0xC0, 0x250) if fold(chr(cp)).isascii()}
_TABLE.update({0x2019: "'", 0x02BC: "'", 0xA0: " ", 0x202F: " ", 0x09: " "})
_SQUEEZE = re.compile(r" {2,}")


def fast_fold(line: str) -> str:
    """Same result as carnet.text.fold for one line of text."""
    out = line.translate(_TABLE)
    if not out.isascii():
        return fold(line)
    return _SQUEEZE.sub(" ", out.lower()).strip()


def _centred_title(ln: Line) -> bool:
    """A short line set well to the right of the margin, without digits or a label: a centred title."""
    indent = len(ln.raw) - len(ln.raw.lstrip(" "))
    f = ln.folded
    return indent >= 10 and len(f.split()) <= 8 and ":" not in f and not any(ch.isdigit() for ch in f) and not f.startswith(("dr ", "docteur"))


class Context:
    """A document's text split into lines (offsets into `text`), folded once."""

    def __init__(self, text: str):
        self.text = text
        lines, offset = [], 0
        for i, raw in enumerate(text.split("\n")):
            lines.append(Line(i, offset, raw, fast_fold(raw)))
            offset += len(raw) + 1
        self.lines: list[Line] = lines
        self.nonempty: list[Line] = [ln for ln in lines if ln.folded]

    @cached_property
    def folded(self) -> str:
        return "\n".join(ln.folded for ln in self.lines)

    @cached_property
    def header(self) -> list[Line]:
        return self.nonempty[:HEADER_LINES]

    @cached_property
    def footer(self) -> list[Line]:
        return self.nonempty[-10:]

    @cached_property
    def title_lines(self) -> list[Line]:
        """Header lines that look like a title: upper-case lines or lines starting with a document word."""
        out = []
        for ln in self.header:
            if len(ln.folded) > 90:
                continue
            if ln.is_upper_heading or _TITLE_START.match(ln.folded) or _centred_title(ln):
                out.append(ln)
        return out

    @cached_property
    def header_text(self) -> str:
        return "\n".join(ln.folded for ln in self.header)

    @cached_property
    def title_text(self) -> str:
        return "\n".join(ln.folded for ln in self.title_lines)

    def line_at(self, offset: int) -> Line:
        lo, hi = 0, len(self.lines) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.lines[mid].offset <= offset:
                lo = mid
            else:
                hi = mid - 1
        return self.lines[lo]
