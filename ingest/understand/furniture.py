"""Page furniture and letterhead lines recognised by their shape: they are no part of what a document says.

A telephone or fax number, an e-mail or web address, a postal address (a street number and a street word,
a postcode and a town), a professional identifier (RPPS, FINESS, ADELI, SIRET, NPI: a long run of digits),
the patient's identity block (identity.py), a line that only names an institution or its department, a page number ("Page 2 sur 3", "2/3"), an electronic signature,
dictation or print stamp (a line that opens with signed / dictated / printed..., or holds one of these and
a time of day), a line of mostly digits and punctuation. Such lines never become a summary sentence or a
card snippet, however near the conclusion they stand.
"""

from __future__ import annotations

import re
from functools import lru_cache

from carnet.text import fold

from .identity import is_identity

_PHONE = re.compile(r"(?<!\d)(?:\+\d{2}\s?(?:\(0\)\s?)?\d|0\d)(?:[\s.\-]?\d{2}){4}(?!\d)|\(\d{3}\)\s?\d{3}-\d{4}|"
                    r"(?<!\d)\d{3}-\d{3}-\d{4}(?!\d)|(?<!\d)0\d{3,4}\s\d{3}\s\d{3,4}(?!\d)")
_CONTACT = re.compile(r"@|\bwww\.|https?://|\b(tel|tél|telephone|téléphone|fax|phone|mobile|portable|courriel|e-?mail)\b\s*[.:]?\s*\+?\d",
                      re.I)
_POSTCODE_TOWN = re.compile(r"(?<!\d)\d{5}\s+[A-ZÀ-Ý][\w'\-]+|\b[A-Z]{2}\s\d{5}(?:-\d{4})?\b|"
                            r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b|\bcedex\b", re.I)
_STREET = re.compile(r"^\W*\d{1,4}\s?(bis|ter)?,?\s+(rue|avenue|av\.|boulevard|bd|chemin|place|allée|allee|impasse|route|quai|"
                     r"cours|square|road|street|st\.|lane|drive|avenue|way|court|crescent|close)\b", re.I)
_IDENTIFIER = re.compile(r"\b(rpps|finess|adeli|siret|siren|npi|gmc)\b|(?<!\d)\d{9,}(?!\d)", re.I)
_PAGE = re.compile(r"^\W*(page|p\.)\s*\d+\s*((sur|of|/)\s*\d+)?\W*$|\bpage\s*\d+\s*(sur|of|/)\s*\d+",
                   re.I)
_STAMP = re.compile(r"^\W*(electronically |digitally )?(signed|signe|valide|validated|dictated|dicte|transcribed|transcrit|"
                    r"typed|tape|frappe|imprime|printed|edite|reported|verified|authori[sz]ed|document imprime|(d|t|dd|dt)\s*:|"
                    r"completed by|compiled by|redige par)|"
                    # a stamp verb and its date anywhere on the line ("Courrier validé le 29/09/2025 - imprimé le ...")
                    r"\b(signe|signed|valide|validated|imprime|printed|edite|dicte|dictated|frappe|typed|transcrit|transcribed)e?s?"
                    r"\s+(le|on)\s+\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|"
                    r"\b(signe|signed|imprime|printed|edite|dicte|dictated|frappe|typed|transcribed|valide)\b.{0,60}\d{1,2}[:h]\d{2}|"
                    r"\b(electroniquement|electronically)\b|toute reproduction|confidential")
_MOSTLY_DIGITS = re.compile(r"^[\W\d_]*$")
# A signature: a short line that names a doctor (title first, or credentials after the name).
_SIGNATURE = re.compile(r"^\W*(dr|docteur|pr|professeur|prof)\b\.?\s+\w|,?\s(md|m\.d\.|do|phd|frcp|frcs|facc|facs|facp|"
                        r"mbbs|mrcp|mbchb)\b")
# The letter's place and date ("Valmont, le 12 mai 2023", "Le 18/03/2024") alone on a short line.
_PLACE_DATE = re.compile(r"^\W*([a-z][a-z' \-]{1,30},\s*)?le\s+(1er|\d{1,2})[\s/.\-]\S+([\s/.\-]\d{2,4})?\W*$")
# The letter's salutation, closing and copy lines (the conventions of a letter, in both languages).
_LETTER_FORM = re.compile(r"^\W*(cher|chere|chers|dear|yours (sincerely|faithfully|truly)|kind regards|best regards|"
                          r"sincerely|bien (confraternellement|cordialement|a vous)|cordialement|confraternellement|"
                          r"je vous prie|veuillez agreer|avec mes (sentiments|remerciements)|cc\b|copie\b)")


# A line that only names an institution or one of its departments ("Department of Medicine for Older People -
# Memory Assessment Service", "BROOKFIELD SURGERY CENTER - Department of Anesthesiology"): short, no sentence
# (no final stop, no label), and an institution word.
_INSTITUTION = re.compile(r"\b(department|departement|service|pole|unite|unit|clinique|clinic|centre|center|hopital|hospital|"
                          r"chu|nhs|trust|infirmary|institut|institute|laboratoire|laboratories|laboratory|cabinet|"
                          r"polyclinique|maison medicale|medical (group|center|centre)|practice)\b")


def names_an_institution(folded: str) -> bool:
    words = folded.split()
    return (2 <= len(words) <= 12 and not folded.rstrip().endswith((".", ":", ";")) and ":" not in folded
            and _INSTITUTION.search(folded) is not None and not any(ch.isdigit() for ch in folded))


@lru_cache(maxsize=8192)  # pure; a question's snippets and summary test the same stored lines again
def is_furniture(text: str) -> bool:
    """The line (or sentence) is letterhead or page furniture by its shape, not content."""
    stripped = text.strip()
    if not stripped or _MOSTLY_DIGITS.match(stripped):
        return bool(stripped)
    folded = fold(stripped)
    if _LETTER_FORM.match(folded) or _PLACE_DATE.match(folded) or (_SIGNATURE.search(folded) and len(stripped.split()) <= 10
                                      and not stripped.endswith(".")) or names_an_institution(folded):
        return True
    return bool(_PHONE.search(stripped) or _CONTACT.search(stripped) or _IDENTIFIER.search(stripped)
                or _STREET.search(stripped) or _PAGE.search(stripped) or _STAMP.search(folded)
                or is_identity(folded) or (_POSTCODE_TOWN.search(stripped) and len(stripped.split()) <= 10))
