"""Text normalisation shared by ingestion and query parsing."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
# Answering a question folds the same stored lines and sentences again and again (snippets, summaries,
# page furniture): the server keeps the folded form of recent short strings. Long texts (a whole document
# at ingest) are folded each time and never kept.
_CACHED_CHARS = 1200


def fold(text: str) -> str:
    """Lower-case, strip accents, turn typographic apostrophes into ', squeeze white space.

    "Échographie  CARDIAQUE d’effort" -> "echographie cardiaque d'effort". Offsets are not kept:
    use it to match words, never to cut the original text.
    """
    return _fold_cached(text) if len(text) <= _CACHED_CHARS else _fold(text)


def _fold(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u02bc", "'").replace("œ", "oe").replace("Œ", "OE")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.lower()).strip()


_fold_cached = lru_cache(maxsize=8192)(_fold)


def contains_term(folded_text: str, folded_term: str) -> bool:
    """Whether a folded term occurs in folded text on word boundaries."""
    return re.search(rf"(?<![\w]){re.escape(folded_term)}(?![\w])", folded_text) is not None
