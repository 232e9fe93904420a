"""Language of a document (fr / en) by counting common function words. No model, no dependency."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z']+")
_FR = frozenset(
    "le la les des du de et est une un pour avec dans sur par pas au aux en il elle nous vous je ce cette "
    "sans sous qui que ou mais son sa ses leur l' d' j' n' qu' s'".split()
)
_EN = frozenset(
    "the and of with is was for on in to no not he she his her we you i this that without under who which "
    "or but their at by from has have been are were an as".split()
)


def detect_language(folded_text: str) -> tuple[str, float]:
    """("fr" | "en", confidence). French wins ties: it is the DMP's language."""
    fr = en = 0
    for word in _WORD.findall(folded_text[:20000]):
        if word in _FR:
            fr += 1
        elif word in _EN:
            en += 1
        if "'" in word:
            head = word.split("'", 1)[0] + "'"
            if head in _FR:
                fr += 1
    total = fr + en
    if total == 0:
        return "fr", 0.0
    if en > fr * 1.2:
        return "en", en / total
    return "fr", fr / total
