"""The text of one document prepared once for every rule: lines with offsets, folded lines, zones."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from carnet.text import fold
from ingest.understand.identity import is_identity
from ingest.understand.sections import NARRATIVE, heading

HEADER_LINES = 15  # non-empty lines at the top that form the letterhead / title zone
_UPPER_RATIO = 0.7
# A letter's body starts at its salutation: what follows is not letterhead or title, however near the top.
# ("Madame DUPONT Claire" is the patient's identity; "Madame," or "Madame, Monsieur," greets.)
_SALUTATION = re.compile(r"\s*(?:(?:cher|chere|chers|mon cher|ma chere|dear|to whom)\b|(?:madame|monsieur)\s*,)")
_COLUMN_GAP = re.compile(r" {3,}")
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
        return _is_upper(self.raw)


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
    """A short line set well to the right of the margin, without digits or a label: a centred title.
    A bracketed line ("(fibroscopie)") is the end of a wrapped table cell, not a title."""
    indent = len(ln.raw) - len(ln.raw.lstrip(" "))
    f = ln.folded
    return (indent >= 10 and len(f.split()) <= 8 and ":" not in f and not any(ch.isdigit() for ch in f)
            and not f.startswith(("dr ", "docteur", "(")))


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) >= _UPPER_RATIO


def _title_cells(ln: Line) -> list[Line]:
    """In a letterhead laid out in columns, a cell after the first that starts with a document word
    ("Secrétariat  04 24 68 49 41      Compte rendu de coloscopie") is a title."""
    out = []
    raw = ln.raw
    for cell in _COLUMN_GAP.split(raw.strip())[1:]:
        folded = fast_fold(cell)
        if _TITLE_START.match(folded) and len(folded.split()) <= 8 and not any(c.isdigit() or c == ":" for c in folded):
            out.append(Line(ln.index, ln.offset + raw.find(cell), cell, folded))
    return out


_RUN_IN_END = re.compile(r"\.\s")  # a sentence's end: "Compte rendu : écho ..." is a label and its value


def _run_in_title(ln: Line) -> list[Line]:
    """A paragraph that opens with a short sentence naming the document ("Consultation de suivi. Madame X va
    bien..."): that sentence is a run-in title, as a heading set
    on its own line would be."""
    end = _RUN_IN_END.search(ln.raw.lstrip())
    if end is None:
        return []
    indent = len(ln.raw) - len(ln.raw.lstrip())
    sentence = ln.raw[indent:indent + end.start()]
    folded = fast_fold(sentence)
    if not _TITLE_START.match(folded) or len(folded.split()) > 6 or any(c.isdigit() for c in folded):
        return []
    return [Line(ln.index, ln.offset + indent, sentence, folded)]


def ends_mid_sentence(prev: Line, ln: Line) -> bool:
    """`ln` carries on the sentence of the line above ("..., complétées par une" / "échographie.")."""
    tail, head = prev.raw.rstrip(), ln.raw.lstrip()
    return (prev.index == ln.index - 1 and bool(tail) and (tail[-1].isalpha() or tail[-1] == ",")
            and head[:1].islower())


def _last_cell(ln: Line) -> tuple[int, str]:
    """(column, text) of a line's right-most cell."""
    stripped = ln.raw.rstrip()
    cell = _COLUMN_GAP.split(stripped.strip())[-1]
    return stripped.rfind(cell), cell


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
    def letterhead(self) -> list[Line]:
        """Header lines above the letter's body: the body starts at a salutation ("Cher confrère", "Dear Dr")
        or at the first narrative section ("ATCD :", "Motif", "Examen clinique")."""
        return [ln for ln in self.header if ln.index < self.body_start]

    @cached_property
    def body_start(self) -> int:
        """Index of the line where the letter's body starts (see `letterhead`); past the end if never."""
        for ln in self.nonempty:
            found = heading(ln.folded)
            if _SALUTATION.match(ln.folded) or (found and found[0] in NARRATIVE):
                return ln.index
        return len(self.lines)

    @cached_property
    def title_lines(self) -> list[Line]:
        """Letterhead lines that look like a title: upper-case lines or lines starting with a document word.
        A title wrapped onto a second line comes back joined (same index as its first line)."""
        out = []
        head = self.letterhead
        for i, ln in enumerate(head):
            if (i and ends_mid_sentence(head[i - 1], ln)) or is_identity(ln.folded):
                continue
            if len(ln.folded) > 90:
                out.extend(_run_in_title(ln))
                continue
            if ln.is_upper_heading or _TITLE_START.match(ln.folded) or _centred_title(ln):
                out.append(self._wrapped(ln, head[i + 1:i + 3]))
            else:
                out.extend(self._wrapped(cell, head[i + 1:i + 3]) for cell in _title_cells(ln))
        return out

    def _wrapped(self, title: Line, below: list[Line]) -> Line:
        """The title joined with its end when a narrow box wrapped it: "Confirmation de rendez-" / "vous",
        "COMPTE RENDU" / "RADIOLOGIQUE". The end is a short, label-free cell in the same column on one of
        the next two lines (a left-hand column may fill the line between), after a hyphen or in the same
        capitals. Only the title's own cell is kept."""
        col, cell = _last_cell(title)
        col += title.offset - self.lines[title.index].offset  # a cell Line starts inside its line
        for nxt in below:
            if nxt.index > title.index + 3:
                break
            ncol, ncell = _last_cell(nxt)
            if abs(ncol - col) > 12:
                continue  # another column
            words = fast_fold(ncell).split()
            if (1 <= len(words) <= 3 and ":" not in ncell and not any(c.isdigit() for c in ncell)
                    and (cell.endswith("-") or (_is_upper(cell) and _is_upper(ncell)))):
                raw = cell + ("" if cell.endswith("-") else " ") + ncell
                return Line(title.index, title.offset, raw, fast_fold(raw))
            break
        return title

    @cached_property
    def letterhead_text(self) -> str:
        """The letterhead on one line, so that a name the layout wrapped ("Service d'Anatomie et Cytologie" /
        "Pathologiques") still reads whole."""
        return " ".join(ln.folded for ln in self.letterhead)

    def line_at(self, offset: int) -> Line:
        lo, hi = 0, len(self.lines) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.lines[mid].offset <= offset:
                lo = mid
            else:
                hi = mid - 1
        return self.lines[lo]
