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

Everything is deterministic: the same question and `today` give the same Interpretation.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Callable, Iterable

from dateutil.relativedelta import relativedelta

from carnet import doctypes
from carnet.codes import DOCUMENT_TYPES, SPECIALTY_GROUP_LABELS, same_type_codes, type_label
from carnet.errors import InvalidInput
from carnet.lexicon import ANALYTES, EXAMS
from rapidfuzz import process as fuzzy_process
from rapidfuzz.distance import OSA

from carnet.models import Alternative, Correction, DateRange, Interpretation
from carnet.text import fold
from query import practice as P
from query import vocabulary as V

MAX_QUESTION_CHARS = 500
MAX_COUNT = 50
FUZZY_MIN_LENGTH = 5
_MAX_PHRASE_TOKENS = 7

__all__ = ["parse_question", "describe", "describe_alternatives", "without", "warm_up", "MAX_QUESTION_CHARS",
           "READING_KINDS"]

# --- words --------------------------------------------------------------------------------------------

# A numeric date ("12/03/2024", "03/2024", "2022-2024") stays one word; "k+" and "a&e" too.
_TOKEN = re.compile(r"\d{1,4}(?:[/.\-]\d{1,4}){1,2}|[^\W_]+(?:&[^\W_]+|\+)?")
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


@dataclass
class _Word:
    text: str  # as typed, lower-cased (accents kept): the topic is made of these
    norm: str  # folded, typo-corrected: what the rules read
    start: int = 0  # character span in the question
    end: int = 0
    used: bool = False


def _stem(token: str) -> str:
    """Drop a plural "s" ("bilans" -> "bilan", "CTs" -> "ct", "biopsies" -> "biopsy"); applied to both
    sides of every comparison, so an odd stem ("series" -> "sery") still matches itself."""
    if len(token) >= 6 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) >= 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


# --- the vocabulary, compiled once --------------------------------------------------------------------


@dataclass
class _Effect:
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
class _Vocabulary:
    phrases: dict[tuple[str, ...], _Effect]
    fuzzy_words: dict[str, tuple[str, ...]]  # first letter -> vocabulary words a typo may be corrected to
    known: frozenset[str]  # words never corrected
    markers: dict[str, frozenset[str]]  # language -> words that point to it
    longest: int


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(_stem(t) for t in _tokens(fold(phrase)))


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    phrases: dict[tuple[str, ...], _Effect] = {}
    surface: dict[str, set[str]] = {"fr": set(), "en": set(), "": set()}

    def add(phrase: str, language: str = "", unless_typed: bool = False, **effect) -> None:
        key = _key(phrase)
        if not key or (unless_typed and key in phrases and phrases[key].types):
            return
        phrases.setdefault(key, _Effect()).add(language=language, **effect)
        surface[language].update(_tokens(fold(phrase)))

    for language, table in (("fr", V.TYPE_PHRASES_FR), ("en", V.TYPE_PHRASES_EN),
                            ("fr", doctypes.TYPE_PHRASES_FR), ("en", doctypes.TYPE_PHRASES_EN)):
        for phrase, codes in table.items():  # with the codes listed as the same type (11526-1 / 60568-3)
            add(phrase, language, types=tuple(dict.fromkeys(c for code in codes for c in sorted(same_type_codes(code)))))
    for code, t in DOCUMENT_TYPES.items():  # a doctor may type the official label
        if code != "ADMIN":
            add(t.label, "fr", types=(code,))
            add(t.label_en, "en", types=(code,))
    for language, words in (("fr", V.WEAK_LAB_WORDS_FR), ("en", V.WEAK_LAB_WORDS_EN)):
        for w in words:
            add(w, language, weak_lab=True)
    for language, words in (("fr", V.GENERIC_FR), ("en", V.GENERIC_EN)):
        for w in words:
            add(w, language, generic=True)
    for language, table in (("fr", V.SPECIALTY_PHRASES_FR), ("en", V.SPECIALTY_PHRASES_EN)):
        for phrase, group in table.items():
            add(phrase, language, specialties=(group,))
    for group, (label_fr, label_en) in SPECIALTY_GROUP_LABELS.items():
        # "biologie", "urgences", "radiologie" name a document type first: the type phrase wins.
        add(group.replace("-", " "), "fr", unless_typed=True, specialties=(group,))
        add(label_fr, "fr", unless_typed=True, specialties=(group,))
        add(label_en, "en", unless_typed=True, specialties=(group,))
    for exam in EXAMS.values():
        for s in (exam.key, exam.label, *exam.synonyms, *V.EXAM_SYNONYMS.get(exam.key, ())):
            add(s, exams=(exam.key,))
        add(exam.label_en, exams=(exam.key,))
    for analyte in ANALYTES.values():
        for s in (analyte.key, analyte.label, *analyte.synonyms, *V.ANALYTE_SYNONYMS.get(analyte.key, ())):
            add(s, analytes=(analyte.key,))
    for phrase, keys in V.ANALYTE_PANELS.items():
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
    known = frozenset(vocabulary_words | stop | V.PROTECTED_WORDS | {_stem(w) for w in vocabulary_words}
                      | set(P.AMBIGUOUS))

    fr = (surface["fr"] - surface["en"]) | (V.STOP_WORDS_FR - V.STOP_WORDS_EN) | V.LANGUAGE_MARKERS_FR
    en = (surface["en"] - surface["fr"]) | (V.STOP_WORDS_EN - V.STOP_WORDS_FR) | V.LANGUAGE_MARKERS_EN
    markers = {"fr": frozenset(fr - en), "en": frozenset(en - fr)}
    longest = min(_MAX_PHRASE_TOKENS, max(len(k) for k in phrases))
    return _Vocabulary(phrases, fuzzy_words, known, markers, longest)


def _contains(key: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return any(key[i:i + n] == part for i in range(len(key) - n + 1))


def _correct(word: str, vocabulary: _Vocabulary) -> str:
    """The vocabulary word a typo away from `word`, or `word` itself. The allowance grows with the length
    (query.practice.max_edits: none under 4 letters, 1 up to 7, 2 beyond) and the first letter is kept;
    short, known and protected words are never touched."""
    if len(word) < FUZZY_MIN_LENGTH - 1 or not word.isalpha() or word in vocabulary.known:
        return word
    if _stem(word) in vocabulary.known:
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


_DOTTED = re.compile(r"\.")


_TITLES = frozenset({"dr", "docteur", "pr", "professeur", "mme", "mr", "m", "madame", "monsieur", "mlle", "mrs", "ms"})


def _looks_like_a_name(token: str, n: int, tokens: list[tuple[str, int, int]]) -> bool:
    """A capitalised word inside the question (not its first word, not an acronym) or a word after a title."""
    if n and fold(tokens[n - 1][0]) in _TITLES:
        return True
    return n > 0 and token[:1].isupper() and not token.isupper()


def _read_words(text: str, vocabulary: _Vocabulary, literal: frozenset[str]
                ) -> tuple[list[_Word], list[Correction], list[Alternative]]:
    """The question's words, each read: markers completed, typos corrected, ambiguous abbreviations given
    their first reading (the others become alternatives). `literal` holds folded words to keep as typed
    and "word=reading-id" choices."""
    raw = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    merged: list[tuple[str, int, int]] = []
    for token, start, end in raw:  # "c.r.h." -> "crh", "C.R." -> "cr": initials typed with dots
        prev = merged[-1] if merged else None
        if (prev and len(token) == 1 and token.isalpha() and text[prev[2]:start] == "." and prev[0].isalpha()
                and all(len(t) == 1 for t in _DOTTED.split(text[prev[1]:prev[2]]) if t)):
            merged[-1] = (prev[0] + token, prev[1], end)
        else:
            merged.append((token, start, end))
    choices = dict(c.split("=", 1) for c in literal if "=" in c)
    words: list[_Word] = []
    corrections: list[Correction] = []
    alternatives: list[Alternative] = []
    for n, (token, start, end) in enumerate(merged):
        typed = token.lower()
        folded = fold(token)
        if folded in literal:
            words.append(_Word(text=typed, norm=folded, start=start, end=end))
            continue
        readings = P.AMBIGUOUS.get(folded)
        if readings and not (n and merged[n - 1][0].isdigit()):  # "75 mg" is a dose, not a specialty
            chosen = next((r for r in readings if r.id == choices.get(folded)), readings[0])
            for part in chosen.phrase.split():
                words.append(_Word(text=part, norm=part, start=start, end=end))
            corrections.append(Correction(folded, token, chosen.label_fr, "reading"))
            alternatives.extend(Alternative(f"{folded}={r.id}", token, r.label_fr, r.label_en)
                                for r in readings if r is not chosen)
            continue
        norm = folded
        if _looks_like_a_name(token, n, merged):
            pass  # "Dr Dupuis", "courrier de Durand": a name is never a typo of "depuis" or "durant"
        elif folded not in vocabulary.known and _stem(folded) not in vocabulary.known:
            norm = P.read_marker(folded) or _correct(folded, vocabulary)
        if norm != folded and _stem(norm) != _stem(folded) and norm.rstrip("s") != folded.rstrip("s"):
            corrections.append(Correction(folded, token, norm))
        words.append(_Word(text=typed, norm=norm, start=start, end=end))
    return words, corrections, alternatives


# --- validation -----------------------------------------------------------------------------------------


def _validate(question: object) -> str:
    if not isinstance(question, str):
        raise InvalidInput(f"The question must be text, got {type(question).__name__}.")
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidInput(
            f"The question is {len(question)} characters long; the limit is {MAX_QUESTION_CHARS}. Shorten it.")
    for c in question:
        if c not in _ALLOWED_CONTROLS and unicodedata.category(c) == "Cc":
            raise InvalidInput(f"The question contains a control character ({ord(c):#06x}); remove it.")
    if not question.strip():
        raise InvalidInput("The question is empty: type a few words, e.g. « dernière écho cardiaque ».")
    return question


# --- dates ---------------------------------------------------------------------------------------------

_FULL_MONTHS = sorted((m for m in V.MONTHS if m != "may"), key=len, reverse=True)
_ANY_MONTHS = sorted(set(V.MONTHS) | set(V.MONTH_ABBREVIATIONS), key=len, reverse=True)
_MONTH_NUMBER = {**V.MONTH_ABBREVIATIONS, **V.MONTHS}
_FULL = "(?:" + "|".join(_FULL_MONTHS) + ")"
_MON = "(?:" + "|".join(_ANY_MONTHS) + ")"
_DAY = r"(?:1er|premier|[12]?\d(?:st|nd|rd|th)?|3[01](?:st|th)?)"
_YEAR = r"(?:19|20)\d\d"
_NUMDATE = r"(?:\d{1,2}[/.\-](?:19|20)\d\d|\d{1,2}[/.\-]\d{1,2}(?:[/.\-](?:\d{4}|\d{2}))?)"
# One date phrase (no named groups: it is used twice in "entre P et P").
_POINT = (rf"(?:{_DAY} (?:de )?{_MON}(?: {_YEAR})?|{_MON} {_DAY} {_YEAR}|{_MON} (?:de |of )?{_YEAR}"
          rf"|{_NUMDATE}|{_YEAR}|{_FULL})")
_POINT_PARTS = re.compile(
    rf"^(?:(?P<day>{_DAY}) (?:de )?(?P<month>{_MON})(?: (?P<year>{_YEAR}))?"
    rf"|(?P<month2>{_MON}) (?P<day2>{_DAY}) (?P<year2>{_YEAR})"
    rf"|(?P<month3>{_MON}) (?:de |of )?(?P<year3>{_YEAR})"
    rf"|(?P<nd>\d{{1,2}})[/.\-](?P<nm>\d{{1,2}})(?:[/.\-](?P<ny>\d{{4}}|\d{{2}}))?"
    rf"|(?P<year4>{_YEAR})|(?P<month4>{_MON}))$"
)
_N = "(?:\\d{1,3}|" + "|".join(sorted(V.NUMBER_WORDS, key=len, reverse=True)) + "|un|une|one|a)"
_UNIT = "(?:" + "|".join(sorted(V.UNITS, key=len, reverse=True)) + ")"
_ART = r"(?:(?:le|la|les|l|the) )?"


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    if word in ("un", "une", "one", "a"):
        return 1
    return V.NUMBER_WORDS.get(word)


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


@lru_cache(maxsize=4)
def _date_parser(today: date):
    from dateparser.date import DateDataParser  # imported late: 0.1 s, not needed to import this module

    return DateDataParser(languages=["fr", "en"], settings={
        "DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": datetime(today.year, today.month, today.day)})


@lru_cache(maxsize=4096)
def _dateparser_point(phrase: str, today: date) -> tuple[date, str] | None:
    data = _date_parser(today).get_date_data(phrase)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


def _point(phrase: str, today: date) -> tuple[date, date] | None:
    """The first and last day a date phrase covers ("mars 2024" -> March 2024); a phrase without a year
    is the latest such period that has begun by `today` ("depuis janvier" in November = this January)."""
    m = _POINT_PARTS.match(phrase)
    if m is None:
        return None
    g = m.groupdict()
    if g["year4"]:
        year = int(g["year4"])
        return date(year, 1, 1), date(year, 12, 31)
    month_word = g["month"] or g["month2"] or g["month3"] or g["month4"]
    day_word = g["day"] or g["day2"]
    year_word = g["year"] or g["year2"] or g["year3"]
    if g["nm"]:  # numeric dd/mm[/yy[yy]] (mm/yyyy is _month_year_numeric's)
        if not (1 <= int(g["nm"]) <= 12 and 1 <= int(g["nd"]) <= 31):
            return None
        has_day = True
        year_word = g["ny"]
    else:
        has_day = day_word is not None
    text = phrase.replace("premier", "1er")
    parsed = _dateparser_point(text, today)
    if parsed is None:
        if g["nm"] is None and month_word:
            parsed = (date(today.year, _MONTH_NUMBER[month_word], 1), "month")
        else:
            return None
    d, period = parsed
    if year_word is None:
        # Without a year: this year's if it has begun, else last year's.
        try:
            d = d.replace(year=today.year)
        except ValueError:  # 29 February
            d = d.replace(year=today.year - 1, day=28)
        begin = d if has_day else d.replace(day=1)
        if begin > today:
            try:
                d = d.replace(year=today.year - 1)
            except ValueError:
                d = d.replace(year=today.year - 1, day=28)
    if has_day and period == "day":
        return d, d
    if period == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31)
    return _month_span(d.year, d.month)


def _month_year_numeric(phrase: str) -> tuple[date, date] | None:
    m = re.fullmatch(r"(\d{1,2})[/.\-]((?:19|20)\d\d)", phrase)
    if m is None or not 1 <= int(m.group(1)) <= 12:
        return None
    return _month_span(int(m.group(2)), int(m.group(1)))


def _any_point(phrase: str, today: date) -> tuple[date, date] | None:
    return _month_year_numeric(phrase) or _point(phrase, today)


def _named_period(words: str, today: date) -> tuple[date, date | None] | None:
    """Calendar periods named by words: "l'an dernier", "ce mois-ci", "last week"..."""
    if re.fullmatch(r"(?:l )?an(?:nee)? (?:dernier|derniere|passe|passee|precedente)|(?:last|previous) year"
                    r"|l annee d avant", words):
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if re.fullmatch(r"(?:cette annee|this year|(?:le )?debut (?:de l|d) ?annee|year to date|ytd|l annee en cours)",
                    words):
        return date(today.year, 1, 1), None
    if re.fullmatch(r"(?:le )?mois (?:dernier|passe|precedent)|(?:last|previous) month", words):
        first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        return _month_span(first.year, first.month)
    if re.fullmatch(r"ce mois(?: ci)?|this month|le mois en cours", words):
        return today.replace(day=1), None
    if re.fullmatch(r"(?:la )?semaine (?:derniere|passee|precedente)|(?:last|previous) week", words):
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)
    if re.fullmatch(r"cette semaine|this week", words):
        return today - timedelta(days=today.weekday()), None
    if re.fullmatch(r"aujourd hui|today", words):
        return today, today
    if re.fullmatch(r"hier|yesterday", words):
        return today - timedelta(days=1), today - timedelta(days=1)
    return None


_NAMED = (r"(?:(?:l )?an(?:nee)? (?:dernier|derniere|passe|passee|precedente)|(?:last|previous) year"
          r"|l annee d avant|cette annee|this year|(?:le )?debut (?:de l|d) ?annee|year to date|ytd|l annee en cours"
          r"|(?:le )?mois (?:dernier|passe|precedent)|(?:last|previous) month|ce mois(?: ci)?|this month"
          r"|le mois en cours|(?:la )?semaine (?:derniere|passee|precedente)|(?:last|previous) week"
          r"|cette semaine|this week|aujourd hui|today|hier|yesterday)")


def _ago(n: int, unit: str, today: date) -> date:
    return today - relativedelta(**{V.UNITS[unit]: n})


_SINCE = r"(?:depuis|since|a partir (?:du|de|d)|from|a compter (?:du|de|d)|starting|des)"
_AFTER = r"(?:apres|after|post|posterieur(?:e)? a|later than)"
_BEFORE = r"(?:avant|before|anterieur(?:e)? a|prior to|earlier than)"
_UNTIL = r"(?:jusqu (?:a|au|en)|until|till|up to|through)"
_BETWEEN_OPEN = r"(?:entre|between|du|de|d|from)"
_BETWEEN_JOIN = r"(?:et|and|au|a|to|until|jusqu au|jusqu a)"
_IN = r"(?:en|in|de|du|pendant|durant|during|courant|of|dated|on|au cours de|datant de|date du)"

DateHandler = Callable[[re.Match, date], "tuple[date | None, date | None] | None"]


def _h_between(m: re.Match, today: date):
    second = _any_point(m.group("p2"), today)
    if second is None:
        return None
    first = _any_point(m.group("p1"), today)
    if first is None:
        return None
    if not re.search(_YEAR, m.group("p1")) and re.search(_YEAR, m.group("p2")):
        # "entre mars et juin 2024": the first date takes the second one's year
        year = second[1].year
        first = tuple(_shift_year(d, year) for d in first)
        if first[0] > second[1]:
            first = tuple(_shift_year(d, year - 1) for d in first)
    elif first[0] > second[1]:
        first = tuple(_shift_year(d, d.year - 1) for d in first)
    return first[0], second[1]


def _h_day_between(m: re.Match, today: date):
    """"du 1er au 15 mars 2024": the first day takes the month and year of the second date."""
    second = _any_point(m.group("p2"), today)
    if second is None or second[0] != second[1]:
        return None
    day = 1 if m.group("d1") in ("1er", "premier") else int(re.match(r"\d+", m.group("d1")).group())
    try:
        first = second[1].replace(day=day)
    except ValueError:
        return None
    return (first, second[1]) if first <= second[1] else None


def _shift_year(d: date, year: int) -> date:
    try:
        return d.replace(year=year)
    except ValueError:
        return d.replace(year=year, day=28)


def _h_year_range(m: re.Match, today: date):
    a, b = int(m.group("y1")), int(m.group("y2"))
    if a > b:
        return None
    return date(a, 1, 1), date(b, 12, 31)


def _h_last_n(m: re.Match, today: date):
    n = _number(m.groupdict().get("n") or "1")
    if not n:
        return None
    return _ago(n, m.group("unit"), today), None


def _h_more_than_ago(m: re.Match, today: date):
    n = _number(m.group("n"))
    if not n:
        return None
    return None, _ago(n, m.group("unit"), today)


def _h_named(op: str):
    def handler(m: re.Match, today: date):
        period = _named_period(m.group("named"), today)
        if period is None:
            return None
        start, end = period
        if op == "in":
            return start, end
        if op == "since":
            return start, None
        if op == "after":
            return (end + timedelta(days=1) if end else None), None
        if op == "before":
            return None, start - timedelta(days=1)
        if op == "until":
            return None, end or today
        return None
    return handler


def _h_point(op: str):
    def handler(m: re.Match, today: date):
        span = _any_point(m.group("p1"), today)
        if span is None:
            return None
        start, end = span
        if op == "in":
            return start, end
        if op == "since":
            return start, None
        if op == "after":
            return end + timedelta(days=1), None
        if op == "before":
            return None, start - timedelta(days=1)
        if op == "until":
            return None, end
        return None
    return handler


def _pattern(body: str) -> re.Pattern:
    return re.compile(rf"(?<!\S){body}(?!\S)")


# Tried in this order; the first that matches (anywhere) wins, then the search repeats on what is left.
_DATE_RULES: tuple[tuple[re.Pattern, DateHandler], ...] = (
    (_pattern(rf"(?:{_BETWEEN_OPEN} )?(?P<y1>{_YEAR})[\-/](?P<y2>{_YEAR})"), _h_year_range),
    (_pattern(rf"{_BETWEEN_OPEN} {_ART}(?P<d1>{_DAY}) {_BETWEEN_JOIN} {_ART}(?P<p2>{_POINT})"), _h_day_between),
    (_pattern(rf"{_BETWEEN_OPEN} {_ART}(?P<p1>{_POINT}) {_BETWEEN_JOIN} {_ART}(?P<p2>{_POINT})"), _h_between),
    # "il y a plus de 5 ans", "more than 2 years ago": before
    (_pattern(rf"(?:il y a|y a) plus d(?:e)? (?P<n>{_N}) (?P<unit>{_UNIT})"), _h_more_than_ago),
    (_pattern(rf"(?:more|over) than (?P<n>{_N}) (?P<unit>{_UNIT}) ago"), _h_more_than_ago),
    # "les 6 derniers mois", "depuis 6 mois", "il y a 3 mois", "past 6 months", "3 months ago": since
    (_pattern(rf"(?:(?:depuis|sur|dans|pendant|durant|au cours de|des) )?(?:(?:les|ces) )?(?P<n>{_N}) "
              rf"(?:derniers|dernieres|dernier|derniere) (?P<unit>{_UNIT})"), _h_last_n),
    (_pattern(rf"(?:(?:depuis|sur|dans|pendant|durant|au cours de|des) )?(?:(?:les|ces) )?"
              rf"(?:derniers|dernieres) (?P<n>{_N}) (?P<unit>{_UNIT})"), _h_last_n),
    (_pattern(rf"(?:(?:in|over|during|within|for|from) )?(?:the )?(?:last|past|previous|recent) (?P<n>{_N}) "
              rf"(?P<unit>{_UNIT})"), _h_last_n),
    (_pattern(rf"(?:depuis|since|sur|dans) (?:moins d(?:e)? )?(?P<n>{_N}) (?P<unit>{_UNIT})"), _h_last_n),
    # "past year", "over the past month", "l'année écoulée": a rolling period, not the calendar one
    (_pattern(r"(?:(?:in|over|during|within|for) )?(?:the )?past (?P<unit>year|month|week)"), _h_last_n),
    (_pattern(r"(?:(?:sur|dans|pendant|durant|au cours de) )?(?:l |la )?(?P<unit>annee|an|semaine) ecoulee?"),
     _h_last_n),
    (_pattern(r"(?:(?:sur|dans|pendant|durant|au cours de) )?le (?P<unit>mois) ecoule"), _h_last_n),
    (_pattern(rf"(?:depuis )?(?:il y a|y a) (?:moins d(?:e)? )?(?P<n>{_N}) (?P<unit>{_UNIT})"), _h_last_n),
    (_pattern(rf"(?:(?:within|in) )?(?:less than )?(?P<n>{_N}) (?P<unit>{_UNIT}) ago"), _h_last_n),
    # operator + named period: "depuis l'an dernier", "since last month", "avant cette année"
    (_pattern(rf"{_SINCE} {_ART}(?P<named>{_NAMED})"), _h_named("since")),
    (_pattern(rf"{_AFTER} {_ART}(?P<named>{_NAMED})"), _h_named("after")),
    (_pattern(rf"{_BEFORE} {_ART}(?P<named>{_NAMED})"), _h_named("before")),
    (_pattern(rf"{_UNTIL} {_ART}(?P<named>{_NAMED})"), _h_named("until")),
    # operator + date phrase: "depuis janvier 2024", "avant 2020", "après le 12/03/2024"
    (_pattern(rf"{_SINCE} {_ART}(?P<p1>{_POINT})"), _h_point("since")),
    (_pattern(rf"{_AFTER} {_ART}(?P<p1>{_POINT})"), _h_point("after")),
    (_pattern(rf"{_BEFORE} {_ART}(?P<p1>{_POINT})"), _h_point("before")),
    (_pattern(rf"{_UNTIL} {_ART}(?P<p1>{_POINT})"), _h_point("until")),
    # an abbreviated month after an operator is a month ("depuis janv", "since jan"), never alone ("sept")
    (_pattern(rf"{_SINCE} (?P<p1>{_MON})"), _h_point("since")),
    (_pattern(rf"{_BEFORE} (?P<p1>{_MON})"), _h_point("before")),
    (_pattern(rf"(?:{_IN} )?{_ART}(?P<named>{_NAMED})"), _h_named("in")),
    (_pattern(rf"(?:{_IN} )?{_ART}(?P<p1>{_POINT})"), _h_point("in")),
)


def _combine(a: DateRange, b: DateRange) -> DateRange:
    """Two date expressions in one question: two closed periods give their hull ("2023 et 2024"),
    otherwise the tighter bounds ("depuis 2020 avant 2023")."""
    phrase = f"{a.phrase} ; {b.phrase}"
    if a.start and a.end and b.start and b.end:
        return DateRange(min(a.start, b.start), max(a.end, b.end), phrase)
    starts = [d for d in (a.start, b.start) if d]
    ends = [d for d in (a.end, b.end) if d]
    start, end = (max(starts) if starts else None), (min(ends) if ends else None)
    if start and end and start > end:
        return a
    return DateRange(start, end, phrase)


class _View:
    """The unused words joined by single spaces, with a way back from a character to its word."""

    def __init__(self, words: list[_Word]):
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


def _original(question: str, words: list[_Word], span: range) -> str:
    return question[words[span[0]].start:words[span[-1]].end]


def _extract_dates(question: str, words: list[_Word], today: date) -> DateRange | None:
    found: DateRange | None = None
    for _ in range(3):
        view = _View(words)
        hit = None
        for pattern, handler in _DATE_RULES:
            for m in pattern.finditer(view.text):
                try:
                    result = handler(m, today)
                except (OverflowError, ValueError) as e:  # "hier" from 0001-01-01, "il y a 999 ans" from 0500
                    raise InvalidInput(
                        f"The date « {m.group(0)} » counted from {today.isoformat()} falls outside the calendar "
                        "(years 1 to 9999): give a reference date (today) closer to now.") from e
                if result is not None and (result[0] or result[1]):
                    hit = (m, result)
                    break
            if hit:
                break
        if hit is None:
            break
        m, (start, end) = hit
        span = view.words(m.start(), m.end())
        for i in span:
            words[i].used = True
        current = DateRange(start, end, _original(question, words, span))
        found = current if found is None else _combine(found, current)
    return found


# --- count and order ------------------------------------------------------------------------------------

_COUNT_RULES = (
    _pattern(rf"(?:(?:les|mes|ses|ces) )?(?P<n>{_N}) (?:derniers|dernieres|dernier|derniere|plus recents"
             rf"|plus recentes|plus recent|plus recente)"),
    _pattern(rf"(?:(?:les|ces) )?(?:derniers|dernieres) (?P<n>{_N})"),
    _pattern(rf"(?:the )?(?:last|latest|past|most recent|previous|recent) (?P<n>{_N})"),
    _pattern(rf"(?P<n>{_N}) (?:latest|most recent|last|newest|recent)"),
)


def _extract_count(words: list[_Word]) -> int | None:
    view = _View(words)
    for pattern in _COUNT_RULES:
        for m in pattern.finditer(view.text):
            n = _number(m.group("n"))
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


def _match_vocabulary(words: list[_Word], vocabulary: _Vocabulary, literal: frozenset[str] = frozenset()) -> _Found:
    found = _Found()
    keys = [_stem(w.norm) for w in words]
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


def _next_word(words: list[_Word], i: int) -> str | None:
    for w in words[i + 1:]:
        if w.norm in ("d", "de", "du", "des", "l", "la", "le"):
            continue
        return w.norm
    return None


# --- language ---------------------------------------------------------------------------------------------


def _language(question: str, words: list[_Word], vocabulary: _Vocabulary) -> str:
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
    _validate(question)
    if not isinstance(today, date):
        raise InvalidInput(f"today must be a date, got {today!r}.")
    if isinstance(today, datetime):
        today = today.date()
    vocabulary = _vocabulary()
    text = unicodedata.normalize("NFC", question)
    literal = frozenset(fold(str(w)).strip() if "=" not in str(w) else str(w).strip().lower() for w in literal)
    words, corrections, alternatives = _read_words(text, vocabulary, literal)

    date_range = _extract_dates(text, words, today)
    count = _extract_count(words)
    found = _match_vocabulary(words, vocabulary, literal)
    for span, expansion in found.expansions:
        typed = " ".join(fold(text[words[i].start:words[i].end]) for i in span)
        if not any(c.typed == typed for c in corrections):
            corrections.append(Correction(typed, _original(text, words, span), expansion, "expansion"))

    types = list(found.types)
    clinical_specialties = [s for s in found.specialties if s not in ("biologie",)]
    for i in found.weak_lab_at:
        if found.exams and any(EXAMS[e].type_code != V.LAB for e in found.exams):
            continue
        if clinical_specialties or _next_word(words, i) in V.BILAN_NOT_LAB_NEXT:
            continue
        _extend(types, [V.LAB])
    if found.analytes:
        _extend(types, [V.LAB])
    for exam in found.exams:
        if EXAMS[exam].type_code == V.IMAGING:
            _extend(types, [V.IMAGING])
    if V.CONSULTATION in types and "ophtalmologie" in found.specialties:
        _extend(types, [V.OPHTHALMOLOGY_CONSULTATION])

    stop = V.STOP_WORDS_FR | V.STOP_WORDS_EN
    topic_words = [w.text for w in words if not w.used and w.norm not in stop and _stem(w.norm) not in stop]
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
    )


def warm_up(today: date | None = None) -> None:
    """Build the vocabulary and load dateparser's languages (the first call costs ~0.2 s); call it at startup."""
    today = today or date.today()
    _vocabulary()
    _dateparser_point("12 mars 2024", today)
    _dateparser_point("march 12 2024", today)


# --- chips for the UI ---------------------------------------------------------------------------------------

_MONTHS_FR = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
_MONTHS_FR_LONG = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                   "octobre", "novembre", "décembre")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS_EN_LONG = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December")


def _day_label(d: date, language: str) -> str:
    if language == "en":
        return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"
    return f"{d.day} {_MONTHS_FR[d.month - 1]} {d.year}"


def _date_label(r: DateRange, language: str) -> str:
    en = language == "en"
    s, e = r.start, r.end
    if s and e:
        if s == e:
            return f"on {_day_label(s, language)}" if en else f"le {_day_label(s, language)}"
        if (s.month, s.day) == (1, 1) and (e.month, e.day) == (12, 31):
            years = str(s.year) if s.year == e.year else f"{s.year}–{e.year}"
            return f"in {years}" if en else f"en {years}"
        if s.day == 1 and (s.year, s.month) == (e.year, e.month) and e.day == calendar.monthrange(e.year, e.month)[1]:
            return (f"in {_MONTHS_EN_LONG[s.month - 1]} {s.year}" if en
                    else f"en {_MONTHS_FR_LONG[s.month - 1]} {s.year}")
        if en:
            return f"from {_day_label(s, language)} to {_day_label(e, language)}"
        return f"du {_day_label(s, language)} au {_day_label(e, language)}"
    if s:
        return f"since {_day_label(s, language)}" if en else f"depuis le {_day_label(s, language)}"
    if e:
        return f"until {_day_label(e, language)}" if en else f"jusqu'au {_day_label(e, language)}"
    return "any date" if en else "toutes dates"


def _type_chips(codes: tuple[str, ...], language: str) -> list[dict]:
    chips, left = [], list(codes)
    for group in V.TYPE_GROUPS:
        if all(c in left for c in group.codes):
            chips.append({"kind": "type", "value": ",".join(group.codes),
                          "label": group.label_en if language == "en" else group.label})
            left = [c for c in left if c not in group.codes]
    for code in left:
        chips.append({"kind": "type", "value": code, "label": type_label(code, language) or code})
    return chips


def describe(interp: Interpretation, language: str) -> list[dict]:
    """The interpretation as removable chips: [{"kind", "value", "label"}, ...] in a stable order
    (type, specialty, exam, analyte, date, order, count, topic). Pass a chip's kind and value to
    `without` to remove it. A type chip may stand for several codes ("11490-0,34112-3,34133-9").
    Labels are English for language "en", French for anything else (serialisation must never fail)."""
    language = "en" if language == "en" else "fr"
    en = language == "en"
    chips = _type_chips(interp.type_codes, language)
    for g in interp.specialty_groups:
        labels = SPECIALTY_GROUP_LABELS.get(g, (g, g))
        chips.append({"kind": "specialty", "value": g, "label": labels[1] if en else labels[0]})
    for k in interp.exam_keys:
        exam = EXAMS.get(k)
        chips.append({"kind": "exam", "value": k, "label": (exam.label_en if en else exam.label) if exam else k})
    for k in interp.analyte_keys:
        analyte = ANALYTES.get(k)
        chips.append({"kind": "analyte", "value": k, "label": analyte.label if analyte else k})
    r = interp.date_range
    if r is not None:
        value = f"{r.start.isoformat() if r.start else ''}..{r.end.isoformat() if r.end else ''}"
        chips.append({"kind": "date", "value": value, "label": _date_label(r, language)})
    if interp.order == "latest":
        chips.append({"kind": "order", "value": "latest", "label": "most recent" if en else "le plus récent"})
    if interp.count is not None:
        n = interp.count
        chips.append({"kind": "count", "value": str(n),
                      "label": (f"last {n}" if en else f"les {n} derniers")})
    if interp.topic:
        chips.append({"kind": "topic", "value": interp.topic, "label": interp.topic})
    for c in interp.corrections:  # "der → dernier", "BH → bilan hépatique": × keeps the word as typed
        chips.append({"kind": c.kind, "value": c.typed, "label": f"{c.shown} → {c.reading}"})
    return chips


def describe_alternatives(interp: Interpretation, language: str) -> list[dict]:
    """The other readings of an ambiguous abbreviation, as chips to choose from: passing one to the
    parser's `literal` (or in the API's `remove`) takes that reading instead of the first."""
    en = language == "en"
    return [{"kind": "reading", "value": a.choice, "label": f"{a.shown} → {a.label_en if en else a.label_fr} ?"}
            for a in interp.alternatives]


# Chips that change how a word is read rather than drop a filter: the caller re-parses with their values
# as `literal` (api.app does); `without` leaves the interpretation as it is for them.
READING_KINDS = ("correction", "expansion", "reading")
_CHIP_KINDS = ("type", "specialty", "exam", "analyte", "date", "order", "count", "topic") + READING_KINDS


def without(interp: Interpretation, kind: str, value: str) -> Interpretation:
    """A new Interpretation without one chip (to widen the search). Removing a value that is not there
    returns the interpretation unchanged; an unknown kind raises InvalidInput."""
    if kind not in _CHIP_KINDS:
        raise InvalidInput(f"Unknown chip kind {kind!r}; expected one of {', '.join(_CHIP_KINDS)}.")
    value = str(value)
    if kind in READING_KINDS:
        return interp
    if kind == "type":
        codes = set(value.split(","))
        return replace(interp, type_codes=tuple(c for c in interp.type_codes if c not in codes))
    if kind == "specialty":
        return replace(interp, specialty_groups=tuple(g for g in interp.specialty_groups if g != value))
    if kind == "exam":
        return replace(interp, exam_keys=tuple(k for k in interp.exam_keys if k != value))
    if kind == "analyte":
        return replace(interp, analyte_keys=tuple(k for k in interp.analyte_keys if k != value))
    if kind == "date":
        return replace(interp, date_range=None)
    if kind == "order":
        return replace(interp, order="relevance", count=None)
    if kind == "count":
        return replace(interp, count=None)
    return replace(interp, topic="")
