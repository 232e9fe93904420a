"""Text normalisation shared by ingestion and query parsing."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip accents, turn typographic apostrophes into ', squeeze white space.

    "Échographie  CARDIAQUE d’effort" -> "echographie cardiaque d'effort". Offsets are not kept:
    use it to match words, never to cut the original text.
    """
    text = text.replace("\u2019", "'").replace("\u02bc", "'").replace("œ", "oe").replace("Œ", "OE")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.lower()).strip()


def contains_term(folded_text: str, folded_term: str) -> bool:
    """Whether a folded term occurs in folded text on word boundaries."""
    return re.search(rf"(?<![\w]){re.escape(folded_term)}(?![\w])", folded_text) is not None
