"""The question vocabulary compiled once into a phrase index: every phrase a doctor may type (folded,
singular) with what it says about the question (types, specialties, exams, analytes, order, generic),
the words a typo may be corrected to, the words never corrected, and the words that point to a language.

Sources: query.type_words, query.specialty_words, query.exam_words and query.vocabulary (question words), carnet.doctypes and carnet.codes (type and specialty labels),
carnet.lexicon (exams and analytes, shared with ingestion), query.practice (abbreviations of practice).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from carnet import doctypes
from carnet.codes import DOCUMENT_TYPES, SPECIALTY_GROUP_LABELS, same_type_codes
from carnet.lexicon import ANALYTES, EXAMS
from carnet.text import fold
from query import practice as P
from query import vocabulary as V
from query import exam_words
from query import specialty_words
from query import type_words
from query.question_words import singular, split_words

FUZZY_MIN_LENGTH = 5  # shorter words are corrected only when they lost a letter (query.typos)
_MAX_PHRASE_TOKENS = 7


@dataclass
class PhraseEffect:
    """What a phrase says about the question (several sources may name the same phrase)."""

    types: list[str] = field(default_factory=list)
    specialties: list[str] = field(default_factory=list)
    exams: list[str] = field(default_factory=list)
    analytes: list[str] = field(default_factory=list)
    weak_lab: bool = False
    latest: bool = False
    generic: bool = False
    languages: set[str] = field(default_factory=set)
    expansion: str = ""  # an abbreviation of practice: what its chip says it was read as

    def add(self, *, types: Iterable[str] = (), specialties: Iterable[str] = (), exams: Iterable[str] = (),
            analytes: Iterable[str] = (), weak_lab: bool = False, latest: bool = False, generic: bool = False,
            language: str = "", expansion: str = "") -> None:
        for target, values in ((self.types, types), (self.specialties, specialties), (self.exams, exams),
                               (self.analytes, analytes)):
            for v in values:
                if v not in target:
                    target.append(v)
        self.weak_lab |= weak_lab
        self.latest |= latest
        self.generic |= generic
        self.expansion = self.expansion or expansion
        if language:
            self.languages.add(language)


@dataclass
class PhraseIndex:
    phrases: dict[tuple[str, ...], PhraseEffect]
    fuzzy_words: dict[str, tuple[str, ...]]  # first letter -> vocabulary words a typo may be corrected to
    known: frozenset[str]  # words never corrected
    markers: dict[str, frozenset[str]]  # language -> words that point to it
    longest: int


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(singular(t) for t in split_words(fold(phrase)))


@lru_cache(maxsize=1)
def phrase_index() -> PhraseIndex:
    phrases: dict[tuple[str, ...], PhraseEffect] = {}
    surface: dict[str, set[str]] = {"fr": set(), "en": set(), "": set()}

    def add(phrase: str, language: str = "", unless_typed: bool = False, **effect) -> None:
        key = _key(phrase)
        if not key or (unless_typed and key in phrases and phrases[key].types):
            return
        phrases.setdefault(key, PhraseEffect()).add(language=language, **effect)
        surface[language].update(split_words(fold(phrase)))

    for language, table in (("fr", type_words.TYPE_PHRASES_FR), ("en", type_words.TYPE_PHRASES_EN),
                            ("fr", doctypes.TYPE_PHRASES_FR), ("en", doctypes.TYPE_PHRASES_EN)):
        for phrase, codes in table.items():  # with the codes listed as the same type (11526-1 / 60568-3)
            add(phrase, language, types=tuple(dict.fromkeys(c for code in codes for c in sorted(same_type_codes(code)))))
    for code, t in DOCUMENT_TYPES.items():  # a doctor may type the official label
        if code != "ADMIN":
            add(t.label, "fr", types=(code,))
            add(t.label_en, "en", types=(code,))
    for language, words in (("fr", type_words.WEAK_LAB_WORDS_FR), ("en", type_words.WEAK_LAB_WORDS_EN)):
        for w in words:
            add(w, language, weak_lab=True)
    for language, words in (("fr", type_words.GENERIC_FR), ("en", type_words.GENERIC_EN)):
        for w in words:
            add(w, language, generic=True)
    for language, table in (("fr", specialty_words.SPECIALTY_PHRASES_FR), ("en", specialty_words.SPECIALTY_PHRASES_EN)):
        for phrase, group in table.items():
            add(phrase, language, specialties=(group,))
    for group, (label_fr, label_en) in SPECIALTY_GROUP_LABELS.items():
        # "biologie", "urgences", "radiologie" name a document type first: the type phrase wins.
        add(group.replace("-", " "), "fr", unless_typed=True, specialties=(group,))
        add(label_fr, "fr", unless_typed=True, specialties=(group,))
        add(label_en, "en", unless_typed=True, specialties=(group,))
    for exam in EXAMS.values():
        for s in (exam.key, exam.label, *exam.synonyms, *exam_words.EXAM_SYNONYMS.get(exam.key, ())):
            add(s, exams=(exam.key,))
        add(exam.label_en, exams=(exam.key,))
    for analyte in ANALYTES.values():
        for s in (analyte.key, analyte.label, *analyte.synonyms, *exam_words.ANALYTE_SYNONYMS.get(analyte.key, ())):
            add(s, analytes=(analyte.key,))
    for phrase, keys in exam_words.ANALYTE_PANELS.items():
        add(phrase, analytes=keys)
    for language, words in (("fr", V.LATEST_WORDS_FR), ("en", V.LATEST_WORDS_EN)):
        for w in words:
            add(w, language, latest=True)
    for entry in P.PRACTICE:  # abbreviations of practice and English names, each tied to its codes
        field_name = {"type": "types", "specialty": "specialties", "exam": "exams", "analyte": "analytes"}
        effect = {field_name[entry.kind]: entry.codes} if entry.kind in field_name else {"generic": True}
        short = len(entry.phrase.replace(" ", "")) <= 4 and not fold(entry.expansion).startswith(entry.phrase)
        add(entry.phrase, entry.language, expansion=entry.expansion if short and entry.kind != "generic" else "",
            **effect)
    # "traitement en cours", "current medication": the type and the order at once.
    latest_keys = [k for k, e in phrases.items() if e.latest and not (e.types or e.specialties)]
    for key, effect in phrases.items():
        if effect.types and any(_contains(key, lk) for lk in latest_keys):
            effect.latest = True

    stop = V.STOP_WORDS_FR | V.STOP_WORDS_EN
    date_words = set(V.MONTHS) | set(V.UNITS) | {
        "depuis", "dernier", "derniere", "derniers", "dernieres", "annee", "semaine", "passe", "passee",
        "aujourd", "avant", "apres", "entre", "jusqu", "since", "before", "after", "between", "until",
        "previous", "during", "pendant", "durant", "courant", "partir", "compter", "debut", "precedente",
        "yesterday", "today", "recemment", "recently"}
    vocabulary_words = {w for words in surface.values() for w in words} | date_words | set(V.NUMBER_WORDS)
    by_letter: dict[str, list[str]] = {}
    for word in sorted(vocabulary_words):
        if len(word) >= FUZZY_MIN_LENGTH and word.isalpha():
            by_letter.setdefault(word[0], []).append(word)
    fuzzy_words = {letter: tuple(words) for letter, words in by_letter.items()}
    known = frozenset(vocabulary_words | stop | V.PROTECTED_WORDS | {singular(w) for w in vocabulary_words}
                      | set(P.AMBIGUOUS))

    fr = (surface["fr"] - surface["en"]) | (V.STOP_WORDS_FR - V.STOP_WORDS_EN) | V.LANGUAGE_MARKERS_FR
    en = (surface["en"] - surface["fr"]) | (V.STOP_WORDS_EN - V.STOP_WORDS_FR) | V.LANGUAGE_MARKERS_EN
    markers = {"fr": frozenset(fr - en), "en": frozenset(en - fr)}
    longest = min(_MAX_PHRASE_TOKENS, max(len(k) for k in phrases))
    return PhraseIndex(phrases, fuzzy_words, known, markers, longest)


def _contains(key: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return any(key[i:i + n] == part for i in range(len(key) - n + 1))
