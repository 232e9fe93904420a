"""Reading a question's words as typed: initials with dots joined ("c.r.h." -> "crh"), words the doctor
kept as typed left alone, ambiguous abbreviations given their first reading ("MG", the others offered as
alternatives), names guarded ("Dr Dupuis" is no typo of "depuis"), shortened markers completed
("der" -> "dernier", query.practice.read_marker) and typos corrected (query.typos).
"""

from __future__ import annotations

import re

from carnet.models import Alternative, Ambiguity, Correction
from carnet.text import fold
from query import practice as P
from query.phrase_index import PhraseIndex
from query.question_words import WORD_PATTERN, Word, singular
from query.typos import correct_typo

_DOTTED = re.compile(r"\.")


_TITLES = frozenset({"dr", "docteur", "pr", "professeur", "mme", "mr", "m", "madame", "monsieur", "mlle", "mrs", "ms"})


def _looks_like_a_name(token: str, n: int, tokens: list[tuple[str, int, int]]) -> bool:
    """A capitalised word inside the question (not its first word, not an acronym) or a word after a title."""
    if n and fold(tokens[n - 1][0]) in _TITLES:
        return True
    return n > 0 and token[:1].isupper() and not token.isupper()


def _in_longer_phrase(n: int, merged: list[tuple[str, int, int]], vocabulary: PhraseIndex) -> bool:
    """Whether the word and the next ones are a phrase of the vocabulary ("echo coeur", "echo cardiaque"):
    the phrase says which reading is meant."""
    after = [singular(fold(t)) for t, _, _ in merged[n:n + 3]]
    return any(tuple(after[:k]) in vocabulary.phrases for k in range(2, len(after) + 1))


def read_words(text: str, vocabulary: PhraseIndex, literal: frozenset[str]
                ) -> tuple[list[Word], list[Correction], list[Alternative], list[Ambiguity]]:
    """The question's words, each read: markers completed, typos corrected, ambiguous abbreviations given
    their first reading or the one chosen (the others become alternatives). `literal` holds folded words to
    keep as typed and "word=reading-id" choices."""
    raw = [(m.group(), m.start(), m.end()) for m in WORD_PATTERN.finditer(text)]
    merged: list[tuple[str, int, int]] = []
    for token, start, end in raw:  # "c.r.h." -> "crh", "C.R." -> "cr": initials typed with dots
        prev = merged[-1] if merged else None
        if (prev and len(token) == 1 and token.isalpha() and text[prev[2]:start] == "." and prev[0].isalpha()
                and all(len(t) == 1 for t in _DOTTED.split(text[prev[1]:prev[2]]) if t)):
            merged[-1] = (prev[0] + token, prev[1], end)
        else:
            merged.append((token, start, end))
    choices = dict(c.split("=", 1) for c in literal if "=" in c)
    words: list[Word] = []
    corrections: list[Correction] = []
    alternatives: list[Alternative] = []
    ambiguities: list[Ambiguity] = []
    for n, (token, start, end) in enumerate(merged):
        typed = token.lower()
        folded = fold(token)
        if folded in literal:
            words.append(Word(text=typed, norm=folded, start=start, end=end))
            continue
        readings = P.AMBIGUOUS.get(folded)
        # "75 mg" is a dose, not a specialty; "echo coeur" a phrase of its own
        if readings and not (n and merged[n - 1][0].isdigit()) and not _in_longer_phrase(n, merged, vocabulary):
            picked = next((r for r in readings if r.id == choices.get(folded)), None)
            chosen = picked or readings[0]
            for part in chosen.phrase.split():
                words.append(Word(text=part, norm=part, start=start, end=end))
            corrections.append(Correction(folded, token, chosen.label_fr, "reading"))
            options = tuple(Alternative(f"{folded}={r.id}", token, r.label_fr, r.label_en) for r in readings)
            alternatives.extend(a for a, r in zip(options, readings) if r is not chosen)
            ambiguities.append(Ambiguity(folded, token, options, f"{folded}={chosen.id}",
                                         "doctor" if picked else "usage"))
            continue
        norm = folded
        if _looks_like_a_name(token, n, merged):
            pass  # "Dr Dupuis", "courrier de Durand": a name is never a typo of "depuis" or "durant"
        elif folded not in vocabulary.known and singular(folded) not in vocabulary.known:
            norm = P.read_marker(folded) or correct_typo(folded, vocabulary)
        if norm != folded and singular(norm) != singular(folded) and norm.rstrip("s") != folded.rstrip("s"):
            corrections.append(Correction(folded, token, norm))
        words.append(Word(text=typed, norm=norm, start=start, end=end))
    return words, corrections, alternatives, ambiguities
