"""The patient's identity block, recognised by its shape, so that it never lands in the author, the
organisation or the title.

A line belongs to the identity block when it carries a birth marker ("Né(e) le", "DDN", "DOB", "Date of
birth"), a patient label ("Patient :", "Nom :", "Name:", "Re:"), a labelled identifier (NIR, IPP, NHS
number, MRN, hospital or record number) or a number shaped like a French NIR. In a letterhead laid out in
columns, only the cells that carry the marker are identity: the clinic's name may share the line.
"""

from __future__ import annotations

import re

# columns (two spaces or more, a tab, a bar), or the start of a patient's name in capitals after a civility
# ("Laboratoire d'analyses Mme BLANCHARD Yasmina")
_COLUMN_GAP = re.compile(r" {2,}|\t|\s[|·•]\s|\s(?=(?:M\.|Mme|Mlle|Mr|Mrs|Ms|Miss|Madame|Monsieur)\s+[A-ZÀ-Ý]{2,})")
# folded text
_MARKERS = re.compile(
    r"\bne\(e\)|\bnee?\s*(le|en)\b|\bnee?\s*:|naissance|\bddn\b|\bd\.?o\.?b\b|date of birth|\bborn\b|birth ?date|"
    r"^\W*(patient|patiente|nom|prenom|name|surname|nom de naissance|nom d'usage|re|objet)\s*:|^\W*re\s*:|"
    r"\b(nir|ipp|iep|ins|mrn|nhs (no|number)|hosp(ital)? (no|number)|record (no|number)|n° (de )?dossier|"
    r"no (de )?dossier|numero de dossier|n° securite sociale|securite sociale|n° ss)\b\W{0,3}\w*\d|"
    r"\bsexe?\s*:\s*[mf]\b|\bage\s*:\s*\d"
)
_NIR = re.compile(r"\b[12]\s?\d{2}\s?(0[1-9]|1[0-2]|[2-9]\d)\s?(\d{2}|2[ab])\s?\d{3}\s?\d{3}(\s?\d{2})?\b")


def is_identity(folded: str) -> bool:
    """The (folded) line or cell names the patient: birth date, patient label, identifier."""
    return bool(_MARKERS.search(folded) or _NIR.search(folded))


def cells(raw: str) -> list[str]:
    """A line's cells (a letterhead in columns puts several on one line)."""
    return [c.strip() for c in _COLUMN_GAP.split(raw.strip()) if c.strip()]
