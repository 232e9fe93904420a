"""Author, organisation and title as written in the document (None when absent)."""

from __future__ import annotations

import re

from .context import Context, Line, fast_fold
from .identity import cells, is_identity
from .specialty import _ADDRESSEE

_NAME = r"[A-ZÉÈÀÂÎÔÛÇ][\w'’\-]*\.?"
_DOCTOR = re.compile(rf"\b(?:Dr\.?|Docteur|DR\.?|Pr\.?|Professeur|Prof\.?|PR\.?)\s+((?:{_NAME}\s?){{1,4}})")
_MD = re.compile(rf"\b((?:{_NAME}\s){{1,3}}{_NAME}),?\s+(?:MD|M\.D\.|MBBS|FRCP|FRCS|DO|PhD|MRCP)\b")
_SIGNED = re.compile(r"sign|valid|redig|interpret|dict|operat|surgeon|attending|consultant|radiolog|biolog|cardiolog|"
                     r"praticien|chef de|par dr|by dr|compte rendu|medecin|physician")
_STOP = {"Service", "Cabinet", "Centre", "Clinique", "Hôpital", "Hopital", "Unité", "Pôle", "Tél", "Tel", "Patient",
         "Madame", "Monsieur", "Mme", "M", "Date"}

_ORG = re.compile(
    r"\b(centre hospitalier|\bchu\b|\bchr\b|\bch\b de|hopital|hospital|clinique|polyclinique|laboratoire|cabinet|"
    r"centre (de|d'|medical|d'imagerie)|institut|groupe hospitalier|\bghu?\b|ap-hp|hospices|medical cent(er|re)|\bnhs\b|"
    r"\btrust\b|infirmary|imagerie|maison de sante|pathology services|health (centre|center|system)|biolab|\blbm\b|"
    r"\bselas?\b|\bsas\b|pole sante|medical practice|group practice|medical group|\bassociates\b|university|"
    r"foundation trust|surgery$)"
)
_TITLE_WORDS = re.compile(
    r"compte[- ]?rendu|\bcr\b|lettre|ordonnance|prescription|certificat|report|summary|synthese|consultation|"
    r"convocation|facture|invoice|formulaire|note|examen|bilan|echographie|echocardiographie|radiographie|scanner|irm|"
    r"mammographie|electrocardiogramme|ecg|holter|scintigraphie|coloscopie|fibroscopie|endoscopie|epreuve|spirometrie|"
    r"analyses|biologie|resultats|anatomie|histolog|letter|discharge|operative|clinic|mri|ct |x-ray|ultrasound"
)


def find_author(ctx: Context) -> str | None:
    best: tuple[float, int, str] | None = None
    n = len(ctx.nonempty)
    for pos, ln in enumerate(ctx.nonempty):
        if _ADDRESSEE.search(ln.folded) or is_identity(ln.folded):
            continue
        for name in _names(ln):
            score = 0.0
            if pos >= n - 10:
                score += 2.0
            if pos < 6:
                score += 1.0
            if _SIGNED.search(ln.folded):
                score += 1.0
            candidate = (score, len(name), name)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    return best[2] if best else None


def _names(ln: Line) -> list[str]:
    out = []
    for m in _DOCTOR.finditer(ln.raw):
        words = [w for w in m.group(1).split() if w.strip(".") not in _STOP]
        # stop at the first word that is not a name (e.g. "Dr Yann Le Goff, cardiologue")
        if words:
            prefix = m.group(0).split()[0]
            out.append(f"{prefix} {' '.join(words)}".strip(" ,.-"))
    for m in _MD.finditer(ln.raw):
        out.append(m.group(0).strip(" ,"))
    return out


def find_organisation(ctx: Context) -> str | None:
    """The letterhead's first cell that names an organisation; never a cell of the patient's identity block,
    and without the postal address that follows the name on the same line."""
    for ln in ctx.letterhead[:10]:
        if _ADDRESSEE.search(ln.folded) or len(ln.raw.strip()) < 4:
            continue
        for cell in cells(ln.raw):
            folded = fast_fold(cell)
            if _ORG.search(folded) and not is_identity(folded):
                return _without_address(cell)[:120]
    return None


_ADDRESS_PART = re.compile(r"\d|\b(rue|avenue|boulevard|bd|chemin|place|allee|impasse|route|quai|road|street|lane|"
                           r"drive|avenue|way|suite|floor|bp|cs|cedex)\b")


def _without_address(cell: str) -> str:
    """"Harbourside NHS Trust, Quay Road, Portwell PW3 8QT" -> "Harbourside NHS Trust"."""
    parts = re.split(r",\s+|\s+[-–]\s+(?=.*\d)", cell)
    kept = []
    for part in parts:
        if kept and _ADDRESS_PART.search(fast_fold(part)):
            break
        kept.append(part)
    return ", ".join(kept).strip(" ,-–")


_NOT_TITLE = re.compile(r"valide|signe|dicte|edite|imprime|\ble \d|\bdu \d|:\s*\d")  # a label and its value


def find_title(ctx: Context) -> str | None:
    """The line that names the document: a title-like header line with a document word, else None."""
    for ln in ctx.title_lines:
        if (_TITLE_WORDS.search(ln.folded) and not _ORG.search(ln.folded) and not _NOT_TITLE.search(ln.folded)
                and not is_identity(ln.folded)):
            return ln.raw.strip()[:150]
    for ln in ctx.letterhead[:12]:
        f = ln.folded
        if (len(f) <= 60 and len(f.split()) <= 8 and not any(ch.isdigit() for ch in f) and _TITLE_WORDS.search(f)
                and not _ORG.search(f) and not _ADDRESSEE.search(f) and ":" not in f and not is_identity(f)):
            return ln.raw.strip()[:150]
    return None
