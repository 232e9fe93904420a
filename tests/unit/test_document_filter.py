"""The one filter engine: the rules a question's interpretation builds, and the same answers in Python and SQL."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carnet.codes import NOT_REPORTS
from carnet.document_filter import SQLITE, AnyOf, DateTest, DocumentFilter
from carnet.models import DateRange, Interpretation

pytestmark = pytest.mark.unit


def doc(**fields) -> dict:
    row = {"id": "d1", "type_code": "11488-4", "class_code": "11", "specialty_code": "SM04",
           "specialty_group": "cardiologie", "language": "fr", "author": "Dr Jean-Pierre Lévêque",
           "exam_keys": [], "analyte_keys": [], "service_date": "2024-03-12", "service_end_date": None,
           "is_noise": False, "canonical_id": None}
    row.update(fields)
    return row


def ask(**fields) -> DocumentFilter:
    return DocumentFilter.from_interpretation(Interpretation(question="q", **fields))


# --- what a question asks for ------------------------------------------------------------------------------


def test_a_type_keeps_that_type_only():
    f = ask(type_codes=("11502-2",))
    assert f.matches(doc(type_code="11502-2")) and not f.matches(doc(type_code="11488-4"))


def test_an_exam_finds_it_in_any_type_of_document():
    # "IRM" implies the imaging type, but the MRI described in a consultation letter is found too
    f = ask(type_codes=("18748-4",), exam_keys=("irm",))
    assert f.matches(doc(type_code="11488-4", exam_keys=["irm"]))
    assert not f.matches(doc(type_code="18748-4", exam_keys=["scanner"]))


def test_a_specialty_alone_asks_for_a_report_not_a_prescription():
    f = ask(specialty_groups=("cardiologie",))
    assert f.matches(doc(type_code="11488-4"))
    for code in NOT_REPORTS:
        assert not f.matches(doc(type_code=code))
    assert ask(specialty_groups=("cardiologie",), type_codes=("57833-6",)).matches(doc(type_code="57833-6"))
    assert not f.matches(doc(specialty_group="pneumologie"))


def test_analytes_need_one_of_them():
    f = ask(analyte_keys=("hba1c", "glycemie"))
    assert f.matches(doc(analyte_keys=["creatinine", "glycemie"])) and not f.matches(doc(analyte_keys=["crp"]))


def test_a_date_range_includes_both_bounds_and_never_an_undated_document():
    f = ask(date_range=DateRange(date(2024, 3, 1), date(2024, 3, 31), "en mars 2024"))
    assert f.matches(doc(service_date="2024-03-01")) and f.matches(doc(service_date="2024-03-31"))
    assert not f.matches(doc(service_date="2024-02-29")) and not f.matches(doc(service_date="2024-04-01"))
    assert not f.matches(doc(service_date=None))
    since = ask(date_range=DateRange(date(2024, 3, 1), None, "depuis mars"))
    assert since.matches(doc(service_date="2030-01-01")) and not since.matches(doc(service_date="2024-02-28"))


def test_administrative_papers_only_when_asked_or_when_nothing_is_filtered():
    paper = doc(type_code="ADMIN", is_noise=True)
    assert not ask(specialty_groups=("cardiologie",), type_codes=("11488-4",)).matches(doc(is_noise=True))
    assert ask(type_codes=("ADMIN",)).matches(paper)
    assert ask(topic="facture").matches(paper)  # a topical question: ranking puts noise below, not out


def test_near_duplicates_are_never_candidates():
    assert not ask(topic="echo").matches(doc(canonical_id="d0"))
    assert ask(topic="echo").matches(doc(canonical_id=""))


def test_typed_records_are_read_like_rows():
    @dataclass(frozen=True)
    class Record:
        id: str = "d1"
        type_code: str = "11502-2"
        specialty_group: str | None = None
        analyte_keys: tuple[str, ...] = ("hba1c",)
        exam_keys: tuple[str, ...] = ()
        service_date: str | None = "2024-03-12"
        service_end_date: str | None = None
        is_noise: bool = False
        canonical_id: str | None = None

    assert ask(analyte_keys=("hba1c",), date_range=DateRange(date(2024, 1, 1), None, "")).matches(Record())
    assert not ask(analyte_keys=("crp",)).matches(Record())


def test_fhir_prefixes_on_a_stay():
    stay = doc(service_date="2024-03-10", service_end_date="2024-03-14")
    march = (date(2024, 3, 1), date(2024, 4, 1))
    assert DateTest("period", "eq", *march).matches(stay)
    assert not DateTest("period", "eq", date(2024, 3, 12), date(2024, 3, 13)).matches(stay)
    assert DateTest("period-end", "ge", date(2024, 3, 14), date(2024, 3, 15)).matches(stay)
    assert not DateTest("date", "gt", date(2024, 3, 10), date(2024, 3, 11)).matches(stay)
    assert DateTest("date", "ne", date(2024, 3, 11), date(2024, 3, 12)).matches(stay)
    assert not DateTest("date", "ne", date(2024, 3, 11), date(2024, 3, 12)).matches(doc(service_date=None))


def test_author_words_are_folded_prefixes():
    f = DocumentFilter(clauses=((AnyOf("author", frozenset({"leveq"})),),))
    assert f.matches(doc()) and not f.matches(doc(author="Dr Martin"))
    assert DocumentFilter(clauses=((AnyOf("author", frozenset({"pier"})),),)).matches(doc())  # "Jean-Pierre"


def test_nonsense_is_refused():
    with pytest.raises(ValueError):
        AnyOf("patient_id", frozenset({"P1"}))  # the patient is the store's pre-filter, not a filter field
    with pytest.raises(ValueError):
        DocumentFilter(noise="sometimes")
    with pytest.raises(ValueError):
        DateTest("date", "eq", date(2024, 1, 2), date(2024, 1, 1))


# --- the SQL form gives the same answers -------------------------------------------------------------------

COLUMNS = ("id", "type_code", "class_code", "specialty_code", "specialty_group", "language", "author",
           "exam_keys", "analyte_keys", "service_date", "service_end_date", "is_noise", "canonical_id")
TYPES = ("11488-4", "11502-2", "57833-6", "ADMIN", None)
GROUPS = ("cardiologie", "pneumologie", None)
KEYS = ("irm", "ecg", "hba1c", "crp")
DAYS = [date(2024, 2, 27) + timedelta(days=n) for n in range(6)]


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


rows = st.lists(st.fixed_dictionaries({
    "type_code": st.sampled_from(TYPES), "class_code": st.sampled_from(("11", "10", None)),
    "specialty_code": st.sampled_from(("SM04", "SM41", "G15_21/X", None)), "specialty_group": st.sampled_from(GROUPS),
    "language": st.sampled_from(("fr", "EN", "en", None)),
    "author": st.sampled_from(("Dr Jean-Pierre Lévêque", "M. Martin", "A_B%C", None)),
    "exam_keys": st.lists(st.sampled_from(KEYS), max_size=2), "analyte_keys": st.lists(st.sampled_from(KEYS), max_size=2),
    "service_date": st.sampled_from(DAYS + [None]).map(_iso), "service_end_date": st.sampled_from(DAYS + [None]).map(_iso),
    "is_noise": st.booleans(), "canonical_id": st.sampled_from((None, "", "d0")),
}), min_size=1, max_size=12)

any_of = st.one_of(
    st.builds(AnyOf, st.sampled_from(("type_code",)), st.frozensets(st.sampled_from(TYPES[:-1]), min_size=1)),
    st.builds(AnyOf, st.sampled_from(("specialty_group",)), st.frozensets(st.sampled_from(GROUPS[:-1]), min_size=1)),
    st.builds(AnyOf, st.sampled_from(("specialty_code",)), st.frozensets(st.sampled_from(("SM04", "G15_21/X")), min_size=1)),
    st.builds(AnyOf, st.sampled_from(("class_code",)), st.frozensets(st.sampled_from(("11", "10")), min_size=1)),
    st.builds(AnyOf, st.sampled_from(("language",)), st.frozensets(st.sampled_from(("fr", "en")), min_size=1)),
    st.builds(AnyOf, st.sampled_from(("exam_keys", "analyte_keys")), st.frozensets(st.sampled_from(KEYS), min_size=1)),
    st.builds(AnyOf, st.just("author"), st.frozensets(st.sampled_from(("lev", "pierre", "martin", "a_b", "b%")), min_size=1)),
)
date_test = st.builds(lambda field, prefix, lo, n: DateTest(field, prefix, lo, lo + timedelta(days=n)),
                      st.sampled_from(("date", "period", "period-start", "period-end")),
                      st.sampled_from(("eq", "ne", "gt", "lt", "ge", "le")), st.sampled_from(DAYS), st.integers(1, 3))
filters = st.builds(
    DocumentFilter,
    clauses=st.lists(st.lists(st.one_of(any_of, date_test), min_size=1, max_size=3).map(tuple), max_size=3).map(tuple),
    excluded_types=st.frozensets(st.sampled_from(TYPES[:-1]), max_size=2),
    statuses=st.sampled_from((frozenset({"current"}), frozenset({"superseded"}), frozenset({"current", "superseded"}))),
    noise=st.sampled_from(("include", "exclude", "only")),
)


def _table(docs: list[dict]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    for name, fn in SQLITE.functions.items():
        conn.create_function(name, 1, fn, deterministic=True)
    conn.execute(f"CREATE TABLE documents ({', '.join(COLUMNS)})")
    for d in docs:
        values = [json.dumps(d[c]) if c in ("exam_keys", "analyte_keys") else int(d[c]) if c == "is_noise" else d[c]
                  for c in COLUMNS]
        conn.execute(f"INSERT INTO documents VALUES ({', '.join('?' * len(COLUMNS))})", values)
    return conn


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows, filters)
def test_where_sql_selects_what_matches_selects(docs, f):
    docs = [{**d, "id": f"d{i}"} for i, d in enumerate(docs)]
    clause, params = f.where_sql(SQLITE)
    with _table(docs) as conn:
        in_sql = {r[0] for r in conn.execute(f"SELECT id FROM documents WHERE {clause}", params)}
    assert in_sql == {d["id"] for d in f.select(docs)}


def test_where_sql_of_a_question():
    clause, params = ask(specialty_groups=("cardiologie",),
                         date_range=DateRange(date(2024, 3, 1), None, "depuis mars")).where_sql(SQLITE)
    docs = [doc(id="a"), doc(id="b", service_date="2024-02-01"), doc(id="c", type_code="57833-6"),
            doc(id="d", canonical_id="a"), doc(id="e", is_noise=True)]
    with _table(docs) as conn:
        assert [r[0] for r in conn.execute(f"SELECT id FROM documents WHERE {clause}", params)] == ["a"]
