"""How a sentence states a mention: asserted, negated, hypothetical, about a relative, or past history.

French sentences go through edsnlp's rule-based qualifiers (eds.negation, eds.hypothesis, eds.family,
eds.history): the mention found by Carnet's extractors is set as the document's entity and the qualifiers
say how the sentence states it. The pipeline is built once per process (it is a few spaCy components,
no model weights, nothing downloaded). English sentences use a short list of the usual clinical cues
("no known", "denies", "NKDA", "family history", "possible", "history of"), looked for before the mention
in the same sentence.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from carnet.text import fold

_LOCK = threading.Lock()  # a spaCy pipeline is not meant to be run from several threads at once

_EN_NEGATION = re.compile(
    r"\b(?:no|not|denies|denied|deny|without|negative for|free of|nkda|nka|never|none|ruled out)\b", re.IGNORECASE)
_EN_HYPOTHESIS = re.compile(
    r"(?:\b(?:possible|possibly|probable|probably|suspected|suspicion of|query|rule out|r/o|likely|may have|"
    r"might|to be confirmed|cannot exclude)\b|\?)", re.IGNORECASE)
_EN_FAMILY = re.compile(
    r"\b(?:mother|father|brother|sister|sibling|parents?|family history|fh|grandmother|grandfather|aunt|uncle|"
    r"maternal|paternal|cousin)\b", re.IGNORECASE)
_EN_HISTORY = re.compile(r"\b(?:history of|h/o|previous|past|prior|resolved|childhood)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _french_pipeline():
    """edsnlp's qualifiers, built once. Imported here: spaCy costs a second to import."""
    import edsnlp
    import edsnlp.pipes as eds
    from loguru import logger

    logger.disable("edsnlp")  # "the section pipe was not set": Carnet gives the section itself
    nlp = edsnlp.blank("eds")  # (eds.drugs' progress bar is silenced in ingest.facts.drugs)
    nlp.add_pipe(eds.sentences())
    nlp.add_pipe(eds.negation())
    nlp.add_pipe(eds.hypothesis())
    nlp.add_pipe(eds.family())
    nlp.add_pipe(eds.history())
    return nlp


def _french_status(sentence: str, start: int, end: int) -> str:
    nlp = _french_pipeline()
    with _LOCK:
        doc = nlp.make_doc(sentence)
        span = doc.char_span(start, end, label="mention", alignment_mode="expand")
        if span is None:
            return "active"
        doc.ents = [span]
        for _, pipe in nlp.pipeline:
            doc = pipe(doc)
        ent = doc.ents[0] if doc.ents else span
        if ent._.negation:
            return "negated"
        if ent._.family:
            return "family"
        if ent._.hypothesis:
            return "hypothetical"
        if ent._.history:
            return "history"
    return "active"


def _english_status(sentence: str, start: int, end: int) -> str:
    # The cue must come before the mention in its clause ("no known allergy to X"; "X, no reaction since" is not).
    before = re.split(r"[.;]\s", sentence[:start])[-1]
    if _EN_FAMILY.search(before):
        return "family"
    if _EN_NEGATION.search(before):
        return "negated"
    if _EN_HYPOTHESIS.search(before) or _EN_HYPOTHESIS.search(sentence[end:end + 3]):
        return "hypothetical"
    if _EN_HISTORY.search(before):
        return "history"
    return "active"


# A doubt written right after the mention ("allergie au latex suspectée", "penicillin allergy, possible"):
# edsnlp's hypothesis cues mostly precede the mention.
_DOUBT_AFTER = re.compile(r"^\W{0,3}(?:suspecte\w*|probable|possible|douteuse?|a confirmer|a explorer|non confirmee?|"
                          r"suspected|possible|probable|unconfirmed|to be confirmed|\?)", re.IGNORECASE)


def status(sentence: str, start: int, end: int, language: str) -> str:
    """The status of the mention sentence[start:end]: active, negated, family, hypothetical or history."""
    if not sentence.strip() or start >= end:
        return "active"
    found = _english_status(sentence, start, end) if language == "en" else _french_status(sentence, start, end)
    if found == "active" and _DOUBT_AFTER.match(fold(sentence[end:end + 40])):
        return "hypothetical"
    return found


def warm_up() -> None:
    """Build the French pipeline now (the ingestor calls it once before a batch)."""
    _french_pipeline()
