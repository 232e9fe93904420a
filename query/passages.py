"""The passage a document is shown by: the snippet of a chunk (a window around the asked words, without the
letterhead and the page furniture) and the chunk a document found by filters alone is shown by."""

from __future__ import annotations

from typing import Sequence

from carnet.records import StoredChunk
from carnet.text import fold
from ingest.understand.context import Context
from ingest.understand.furniture import is_furniture
from ingest.understand.sections import heading


def snippet(text: str, words: Sequence[str], width: int = 260, boilerplate: Sequence[str] = ()) -> str:
    """A window of the chunk around the first matching word (the whole chunk if short), without the
    letterhead and page furniture (addresses, telephone numbers, stamps, the patient's identity, and the
    `boilerplate` lines learnt from the patient's documents: ChunkHit.boilerplate); with no matching word,
    from the conclusion or impression when the chunk has one."""
    learnt = set(boilerplate)  # left out unless it names what was asked
    lines = [ln for ln in text.split("\n") if ln.strip() and not is_furniture(ln)
             and not (ln in learnt and not any(w and w in fold(ln) for w in words))]
    if not any(w and w in fold(ln) for ln in lines for w in words):
        start = next((i for i, ln in enumerate(lines) if (h := heading(fold(ln))) and h[0] == "conclusion"), None)
        if start is None:  # no conclusion here: from where the letter's body starts, past the letterhead
            body = Context("\n".join(lines)).body_start
            start = body if body < len(lines) else next((i for i, ln in enumerate(lines) if _prose(ln)), 0)
        lines = lines[start:]
    text = " ".join(" ".join(lines).split())
    if len(text) <= width:
        return text
    folded = fold(text)  # same length as text for Latin scripts once spaces are squeezed
    positions = [folded.find(w) for w in words if w and folded.find(w) >= 0]
    start = max(0, min(positions) - width // 4) if positions and len(folded) == len(text) else 0
    end = min(len(text), start + width)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def _prose(line: str) -> bool:
    """Six words or more, mostly in lower case: a sentence, not a letterhead line or a title."""
    letters = [c for c in line if c.isalpha()]
    return len(line.split()) >= 6 and bool(letters) and sum(c.islower() for c in letters) >= 0.6 * len(letters)


def filter_passage(chunks: Sequence[StoredChunk]) -> StoredChunk:
    """The chunk a document found by filters alone is shown by: the one that starts in its conclusion, else
    the one holding a conclusion or impression heading, else its results, examination or reason, else the
    first one (`snippet` then skips the letterhead and starts at the conclusion)."""
    def concludes(c: StoredChunk) -> bool:
        return any((h := heading(fold(ln))) and h[0] == "conclusion" for ln in c.text.split("\n"))

    return next((c for c in chunks if c.section == "conclusion"), None) or next(
        (c for c in chunks if concludes(c)), None) or next(
        (c for name in ("resultats", "examen", "motif") for c in chunks if c.section == name), chunks[0])
