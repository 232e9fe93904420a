"""Typo correction of a question's words against the phrase index, with rapidfuzz (OSA distance: insertions,
deletions, substitutions, swaps of neighbours). The allowance grows with the word's length
(query.practice.max_edits) and the first letter is kept: typos rarely hit it, and keeping it keeps the
candidate list short ("scaner" -> "scanner"; "diabete" is protected and stays as typed).
"""

from __future__ import annotations

from rapidfuzz import process as fuzzy_process
from rapidfuzz.distance import OSA

from query import practice as P
from query.phrase_index import FUZZY_MIN_LENGTH, PhraseIndex
from query.question_words import singular


def correct_typo(word: str, vocabulary: PhraseIndex) -> str:
    """The vocabulary word a typo away from `word`, or `word` itself. The allowance grows with the length
    (query.practice.max_edits: none under 4 letters, 1 up to 7, 2 beyond) and the first letter is kept;
    short, known and protected words are never touched."""
    if len(word) < FUZZY_MIN_LENGTH - 1 or not word.isalpha() or word in vocabulary.known:
        return word
    if singular(word) in vocabulary.known:
        return word
    limit = P.max_edits(word)
    candidates = vocabulary.fuzzy_words.get(word[0], ())
    matches = fuzzy_process.extract(word, candidates, scorer=OSA.distance, score_cutoff=limit, limit=None)
    if len(word) < FUZZY_MIN_LENGTH:  # a 4-letter word only lost a letter ("mamo"), never changed one ("joly")
        matches = [m for m in matches if len(m[0]) > len(word)]
    if not matches:
        return word
    if limit > 1:  # a second edit only inside the word: "pulmonaire" is no typo of "pulmonary"
        matches = [m for m in matches if m[1] <= 1 or (m[0][:2] == word[:2] and m[0][-1] == word[-1])]
        if not matches:
            return word
    best = min(m[1] for m in matches)
    # Deterministic choice: fewest edits, then same length, then alphabetical.
    return min((c for c, d, _ in matches if d == best), key=lambda c: (abs(len(c) - len(word)), c))
