"""A question cut into words: the word record the parser marks as it reads, validation of the typed text,
and a view of the words not yet read for the regular-expression rules (dates, counts).

Words are compared by their folded form (`carnet.text.fold`) with a final plural "s" dropped on both
sides (`singular`): "bilans" meets "bilan", "CTs" meets "ct".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from carnet.errors import InvalidInput

MAX_QUESTION_CHARS = 500

# A numeric date ("12/03/2024", "03/2024", "2022-2024") stays one word; "k+" and "a&e" too.
WORD_PATTERN = re.compile(r"\d{1,4}(?:[/.\-]\d{1,4}){1,2}|[^\W_]+(?:&[^\W_]+|\+)?")
ALLOWED_CONTROLS = {"\t", "\n", "\r"}


@dataclass
class Word:
    text: str  # as typed, lower-cased (accents kept): the topic is made of these
    norm: str  # folded, typo-corrected: what the rules read
    start: int = 0  # character span in the question
    end: int = 0
    used: bool = False


def singular(token: str) -> str:
    """Drop a plural "s" ("bilans" -> "bilan", "CTs" -> "ct", "biopsies" -> "biopsy"); applied to both
    sides of every comparison, so an odd stem ("series" -> "sery") still matches itself."""
    if len(token) >= 6 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) >= 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def split_words(text: str) -> list[str]:
    return WORD_PATTERN.findall(text)


# --- validation ---------------------------------------------------------------------------------------


def validate_question(question: object) -> str:
    if not isinstance(question, str):
        raise InvalidInput(f"The question must be text, got {type(question).__name__}.")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidInput(
            f"The question is {len(question)} characters long; the limit is {MAX_QUESTION_CHARS}. Shorten it.")
    for c in question:
        if c not in ALLOWED_CONTROLS and unicodedata.category(c) == "Cc":
            raise InvalidInput(f"The question contains a control character ({ord(c):#06x}); remove it.")
    if not question.strip():
        raise InvalidInput("The question is empty: type a few words, e.g. « dernière écho cardiaque ».")
    return question


class WordView:
    """The unused words joined by single spaces, with a way back from a character to its word."""

    def __init__(self, words: list[Word]):
        parts, self.owner = [], []
        offset = 0
        for i, w in enumerate(words):
            text = "#" if w.used else w.norm
            parts.append(text)
            self.owner.extend([i] * (len(text) + 1))
            offset += len(text) + 1
        self.text = " ".join(parts)

    def words(self, start: int, end: int) -> range:
        return range(self.owner[start], self.owner[end - 1] + 1)


def original_text(question: str, words: list[Word], span: range) -> str:
    return question[words[span[0]].start:words[span[-1]].end]
