"""The words a question is searched by: its topic's words with the other words of each concept they name,
the names reports give the asked exams and analytes, and the question with its short forms read out."""

from __future__ import annotations

import re

from carnet.lexicon import ANALYTES, EXAMS
from carnet.models import Interpretation
from carnet.text import fold
from carnet.words import TOPIC_STOP_WORDS
from query.ambiguity import reading_of
from query.vocabulary import TOPIC_CONCEPTS

_STOP = TOPIC_STOP_WORDS


def as_read(question: str, interp: Interpretation) -> str:
    """The question followed by the words its ambiguous short forms were read as ("IC insuffisance cardiaque")."""
    if not interp.ambiguities:
        return question
    return " ".join([question, *(reading_of(a, a.chosen).phrase for a in interp.ambiguities)])


def asked_terms(interp: Interpretation) -> list[str]:
    """How reports name the exams and analytes asked for (carnet.lexicon synonyms, folded)."""
    terms = [s for k in interp.exam_keys if k in EXAMS for s in EXAMS[k].synonyms]
    terms += [s for k in interp.analyte_keys if k in ANALYTES for s in ANALYTES[k].synonyms]
    return [t for t in terms if len(t) >= 3]


def topic_words(interp: Interpretation) -> list[str]:
    """The topic's words, then the other words of each concept they name (query.vocabulary.TOPIC_CONCEPTS):
    "reins" also looks for "rénale" and "kidney", across the two languages of the record."""
    words = [w for w in re.findall(r"\w+", fold(interp.topic)) if w not in _STOP and len(w) >= 2]
    expanded = list(words)
    for w in words:
        for concept in _CONCEPTS.get(w, ()):
            expanded += [t for t in concept if t not in expanded]
    return expanded


def _concepts() -> dict[str, list[tuple[str, ...]]]:
    by_word: dict[str, list[tuple[str, ...]]] = {}
    for concept in TOPIC_CONCEPTS:
        for term in concept:
            by_word.setdefault(term, []).append(concept)
    return by_word


_CONCEPTS = _concepts()
