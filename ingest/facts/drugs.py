"""Drug names with their ATC codes, from edsnlp's drug matcher (eds.drugs: French molecules and brands,
bundled with the library, nothing downloaded). Built once per process, on first use."""

from __future__ import annotations

import contextlib
import io
import threading
from functools import lru_cache

_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _pipeline():
    import edsnlp
    import edsnlp.pipes as eds
    from loguru import logger

    logger.disable("edsnlp")  # its warnings name pipes, never text, but they are noise in Carnet's logs
    nlp = edsnlp.blank("eds")
    nlp.add_pipe(eds.normalizer())
    with contextlib.redirect_stderr(io.StringIO()):  # a progress bar while it loads its term list
        nlp.add_pipe(eds.drugs())
    return nlp


def find(text: str) -> list[tuple[int, int, str | None]]:
    """(start, end, ATC code) of each drug named in the text, in order."""
    if not text.strip():
        return []
    nlp = _pipeline()
    with _LOCK:
        doc = nlp(text[:2000])
    return [(e.start_char, e.end_char, e.kb_id_ or None) for e in doc.ents if e.label_ == "drug"]


def starts_with_drug(text: str) -> bool:
    found = find(text[:80])
    return bool(found) and found[0][0] <= 3


def warm_up() -> None:
    _pipeline()
