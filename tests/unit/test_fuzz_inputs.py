"""Property tests: whatever the question, the reference date or the FHIR parameters, the answer is a
result or a CarnetError naming the problem (a 4xx at the API, exit code 2 at the CLI), never another
exception (which would be a 500 or a traceback). Bounded example counts keep them fast."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carnet.errors import CarnetError
from api.fhir.search import SEARCH_PARAMETERS, parse_search
from query.parse import parse_question
from tests.fuzz import UNDECLARED_FHIR_NAMES

pytestmark = pytest.mark.unit

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Words and phrases the parser reacts to, in both languages, mixed with arbitrary text below.
_WORDS = ["dernier", "dernière", "derniers", "compte", "rendu", "cardiologie", "écho", "ETT", "HbA1c", "bilan",
          "depuis", "avant", "après", "entre", "et", "il", "y", "a", "ans", "mois", "semaines", "jours", "hier",
          "aujourd'hui", "l'an", "dernier", "cette", "année", "janvier", "février", "mars", "décembre", "1er",
          "31", "2024", "1999", "12/03/2024", "03/2024", "99/99/99", "trois", "deux", "last", "latest", "since",
          "before", "between", "and", "years", "months", "ago", "yesterday", "today", "this", "year", "week",
          "past", "last", "the", "of", "scanner", "thorax", "IRM", "ferritine", "ordonnance", "10000", "999"]
_TODAYS = st.one_of(st.dates(), st.sampled_from([date(1, 1, 1), date(9999, 12, 31), date(1900, 2, 28),
                                                 date(2024, 2, 29), date(2026, 11, 27)]))


def _ok_or_refused(question: str, today: date):
    try:
        interp = parse_question(question, today)
    except CarnetError:
        return None
    assert parse_question(question, today) == interp  # deterministic: the same question, the same filters
    return interp


@FAST
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12).map(" ".join), _TODAYS)
def test_questions_of_known_words_parse_or_are_refused(question, today):
    _ok_or_refused(question, today)


@FAST
@given(st.text(max_size=600), _TODAYS)
def test_any_text_parses_or_is_refused(question, today):
    _ok_or_refused(question, today)


_UNITS = ["ans", "an", "années", "mois", "semaines", "jours", "years", "months", "weeks", "days"]


@FAST
@given(st.sampled_from(["il y a {n} {u}", "depuis {n} {u}", "les {n} derniers {u}", "plus de {n} {u}",
                        "last {n} {u}", "{n} {u} ago", "more than {n} {u} ago", "entre {y} et {y2}",
                        "depuis le {d} {m} {y}", "avant {m} {y}", "{d}/{mm}/{y}", "l'an dernier", "hier",
                        "cette semaine", "la semaine dernière", "le mois dernier", "depuis janvier"]),
       st.integers(0, 100_000), st.sampled_from(_UNITS), st.integers(1000, 2999), st.integers(1000, 2999),
       st.integers(0, 40), st.sampled_from(["janvier", "février", "mars", "août", "décembre", "may", "june"]),
       st.integers(0, 13), _TODAYS)
def test_date_phrases_parse_or_are_refused(template, n, unit, y, y2, d, m, mm, today):
    phrase = template.format(n=n, u=unit, y=y, y2=y2, d=d, m=m, mm=mm)
    _ok_or_refused(f"compte rendu {phrase}", today)


def test_a_date_before_year_one_is_refused_with_its_reason():
    with pytest.raises(CarnetError, match="outside the calendar"):
        parse_question("traitement hier", date(1, 1, 1))


_NAMES = [p.name for p in SEARCH_PARAMETERS] + UNDECLARED_FHIR_NAMES
_VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["P0001", "Patient/P0001", "ge2024-01-01", "le0001-01-01", "gt9999-12-31", "eq2024-02-30",
                     "2024-13", "sa2024", "ge", "http://loinc.org|11488-4", "|", "11488-4,,", "-1", "0", "99999999999",
                     "1e9", "date", "-date", "SM04", "G15_10/SM04", "cardiologie", "fr", "current", "include"]),
)


@FAST
@given(st.lists(st.tuples(st.sampled_from(_NAMES), _VALUES), max_size=8))
def test_fhir_parameters_parse_or_are_refused(items):
    try:
        parse_search(items)
    except CarnetError:
        pass
