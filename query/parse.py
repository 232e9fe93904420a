"""Turn what a hurried GP types into filters: document types, specialties, exams, analytes, dates, order.

    parse_question("dernière écho coeur depuis janvier", date(2026, 11, 27))
    -> Interpretation(exam_keys=("echocardiographie",), order="latest",
                      date_range=DateRange(date(2026, 1, 1), None, "depuis janvier"), ...)

How it works, in order (each step marks the words it used; what is left is the topic):
1. validate (empty, > 500 characters, control characters -> InvalidInput);
2. cut into words ("c.r.h." is one word), fold them (no accents, lower case), read the order and date
   markers a hurried doctor shortens or mistypes ("der", "dern.", "dnr", "drenier", "lst", "avt" ->
   query.practice.read_marker), take the first reading of an ambiguous abbreviation ("MG", offering the
   others), and correct typos against the vocabulary (rapidfuzz OSA distance: 1 edit for 4-7 letters,
   2 beyond, same first letter: "scaner" -> "scanner"), never on PROTECTED_WORDS ("diabete" stays
   "diabete") nor on the words the doctor asked to keep as typed (`literal`);
3. dates: range words are ours ("depuis", "entre ... et", "avant", "les 6 derniers mois", "l'an dernier"),
   the date phrase itself goes to dateparser ("12 mars 2024", "12/03/2024", "janvier 2024");
4. count and order ("les 3 derniers", "last two");
5. vocabulary, longest phrase first: types, specialties, exams, analytes, order words, generic words;
6. rules: an analyte implies the lab type; an imaging exam the imaging type; "bilan" means labs unless
   an exam or a clinical specialty is named; ophthalmology consultations also have their own type;
7. order: "latest" when asked ("dernier", "récent", "last", a count) or when nothing but filters is left
   (a GP typing "écho cardiaque" wants the latest one); "relevance" when a real topic remains.

Steps 1-2 live in query.question_words, query.word_reading and query.typos, step 3 in query.question_dates,
the compiled vocabulary in query.phrase_index; steps 4-7 are here. The chips are query.chips'.
Everything is deterministic: the same question and `today` give the same Interpretation.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Iterable

from carnet.codes import CONSULTATION, IMAGING, LAB, OPHTHALMOLOGY_CONSULTATION
from carnet.errors import InvalidInput
from carnet.lexicon import EXAMS
from carnet.models import Correction, Interpretation
from carnet.text import fold
from query import question_dates
from query import vocabulary as V
from query import type_words
from query.phrase_index import PhraseIndex, phrase_index
from query.question_dates import NUMBER, phrase_pattern, read_number
from query.question_words import MAX_QUESTION_CHARS, Word, WordView, original_text, singular, validate_question
from query.word_reading import read_words

MAX_COUNT = 50

__all__ = ["parse_question", "warm_up", "MAX_QUESTION_CHARS"]


# --- count and order ------------------------------------------------------------------------------------

_COUNT_RULES = (
    phrase_pattern(rf"(?:(?:les|mes|ses|ces) )?(?P<n>{NUMBER}) (?:derniers|dernieres|dernier|derniere|plus recents"
             rf"|plus recentes|plus recent|plus recente)"),
    phrase_pattern(rf"(?:(?:les|ces) )?(?:derniers|dernieres) (?P<n>{NUMBER})"),
    phrase_pattern(rf"(?:the )?(?:last|latest|past|most recent|previous|recent) (?P<n>{NUMBER})"),
    phrase_pattern(rf"(?P<n>{NUMBER}) (?:latest|most recent|last|newest|recent)"),
)


def _extract_count(words: list[Word]) -> int | None:
    view = WordView(words)
    for pattern in _COUNT_RULES:
        for m in pattern.finditer(view.text):
            n = read_number(m.group("n"))
            if n is None or not 1 <= n <= MAX_COUNT or m.group("n") in ("a", "un", "une", "one"):
                continue
            for i in view.words(m.start(), m.end()):
                words[i].used = True
            return n
    return None


# --- vocabulary matching ------------------------------------------------------------------------------------


@dataclass
class _Found:
    types: list[str] = field(default_factory=list)
    specialties: list[str] = field(default_factory=list)
    exams: list[str] = field(default_factory=list)
    analytes: list[str] = field(default_factory=list)
    weak_lab_at: list[int] = field(default_factory=list)
    latest: bool = False
    expansions: list[tuple[range, str]] = field(default_factory=list)  # abbreviation span -> its reading
    panel_analytes: list[str] = field(default_factory=list)  # "NFS", "bilan lipidique": several at once


def _extend(target: list[str], values: Iterable[str]) -> None:
    for v in values:
        if v not in target:
            target.append(v)


def _match_vocabulary(words: list[Word], vocabulary: PhraseIndex, literal: frozenset[str] = frozenset()) -> _Found:
    found = _Found()
    keys = [singular(w.norm) for w in words]
    i = 0
    while i < len(words):
        if words[i].used:
            i += 1
            continue
        for length in range(min(vocabulary.longest, len(words) - i), 0, -1):
            span = range(i, i + length)
            if any(words[j].used for j in span):
                continue
            effect = vocabulary.phrases.get(tuple(keys[j] for j in span))
            if effect is None or (effect.expansion and " ".join(words[j].norm for j in span) in literal):
                continue
            for j in span:
                words[j].used = True
            _extend(found.types, effect.types)
            _extend(found.specialties, effect.specialties)
            _extend(found.exams, effect.exams)
            _extend(found.analytes if len(effect.analytes) == 1 else found.panel_analytes, effect.analytes)
            found.latest |= effect.latest
            if effect.expansion:
                found.expansions.append((span, effect.expansion))
            if effect.weak_lab:
                found.weak_lab_at.append(i)
            i += length
            break
        else:
            i += 1
    # "NFS plaquettes", "bilan lipidique LDL": the analyte named wins over its panel; "CRP et BH": both
    if not set(found.analytes) <= set(found.panel_analytes):
        _extend(found.analytes, found.panel_analytes)
    elif not found.analytes:
        found.analytes = found.panel_analytes
    return found


def _next_word(words: list[Word], i: int) -> str | None:
    for w in words[i + 1:]:
        if w.norm in ("d", "de", "du", "des", "l", "la", "le"):
            continue
        return w.norm
    return None


# --- language ---------------------------------------------------------------------------------------------


def _language(question: str, words: list[Word], vocabulary: PhraseIndex) -> str:
    fr = sum(1 for w in words if w.norm in vocabulary.markers["fr"])
    en = sum(1 for w in words if w.norm in vocabulary.markers["en"])
    if any(c in question for c in "éèêàùçôîâœÉÈÀ"):
        fr += 1
    return "en" if en > fr else "fr"


# --- the parser -------------------------------------------------------------------------------------------


def parse_question(question: str, today: date, literal: Iterable[str] = ()) -> Interpretation:
    """What the doctor asked, as filters. Raises InvalidInput for an empty, too long or control-character question.

    literal: what the doctor took back from the chips: folded words to read as typed (no correction, no
    expansion: "der", "bh") and "word=reading-id" choices for an ambiguous abbreviation ("mg=analyte:magnesium")."""
    validate_question(question)
    if not isinstance(today, date):
        raise InvalidInput(f"today must be a date, got {today!r}.")
    if isinstance(today, datetime):
        today = today.date()
    vocabulary = phrase_index()
    text = unicodedata.normalize("NFC", question)
    literal = frozenset(fold(str(w)).strip() if "=" not in str(w) else str(w).strip().lower() for w in literal)
    words, corrections, alternatives, ambiguities = read_words(text, vocabulary, literal)

    date_range = question_dates.extract_dates(text, words, today)
    count = _extract_count(words)
    found = _match_vocabulary(words, vocabulary, literal)
    for span, expansion in found.expansions:
        typed = " ".join(fold(text[words[i].start:words[i].end]) for i in span)
        if not any(c.typed == typed for c in corrections):
            corrections.append(Correction(typed, original_text(text, words, span), expansion, "expansion"))

    types = list(found.types)
    clinical_specialties = [s for s in found.specialties if s not in ("biologie",)]
    for i in found.weak_lab_at:
        if found.exams and any(EXAMS[e].type_code != LAB for e in found.exams):
            continue
        if clinical_specialties or _next_word(words, i) in type_words.BILAN_NOT_LAB_NEXT:
            continue
        _extend(types, [LAB])
    if found.analytes:
        _extend(types, [LAB])
    for exam in found.exams:
        if EXAMS[exam].type_code == IMAGING:
            _extend(types, [IMAGING])
    if CONSULTATION in types and "ophtalmologie" in found.specialties:
        _extend(types, [OPHTHALMOLOGY_CONSULTATION])

    stop = V.STOP_WORDS_FR | V.STOP_WORDS_EN
    topic_words = [w.text for w in words if not w.used and w.norm not in stop and singular(w.norm) not in stop]
    topic = " ".join(topic_words)

    if found.latest or count is not None:
        order = "latest"
    elif not topic:
        order = "latest"  # only filters: the GP wants the most recent such document
    else:
        order = "relevance"

    return Interpretation(
        question=question,
        type_codes=tuple(types),
        specialty_groups=tuple(found.specialties),
        exam_keys=tuple(found.exams),
        analyte_keys=tuple(found.analytes),
        date_range=date_range,
        order=order,
        count=count,
        topic=topic,
        language=_language(question, words, vocabulary),
        interpreter="rules",
        corrections=tuple(corrections),
        alternatives=tuple(alternatives),
        ambiguities=tuple(ambiguities),
    )


def warm_up(today: date | None = None) -> None:
    """Build the vocabulary and load dateparser's languages (the first call costs ~0.2 s); call it at startup."""
    today = today or date.today()
    phrase_index()
    question_dates.warm_up(today)
