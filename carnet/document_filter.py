"""Which of a patient's documents a request asks for: one filter engine for questions, FHIR searches and lists.

    DocumentFilter.from_interpretation(interp).matches(doc)     # a doctor's question (query.retrieve)
    DocumentFilter(clauses=..., dates=..., noise="exclude")      # FHIR DocumentReference search (the FHIR adapter)
    clause, params = f.where_sql(SQLITE)                         # the same filter as SQL, for a store

A filter is an AND of clauses; a clause is an OR of tests (FHIR: repeated parameters are ANDed, the
comma-separated values of one parameter ORed). A test names one field of the stored document:

- `AnyOf(field, values)`: the document's value is one of `values`. Scalar fields: id, type_code,
  class_code, specialty_code, specialty_group, language (compared in lower case). List fields:
  exam_keys, analyte_keys (at least one of the document's keys). `author`: a word of the author's
  name, folded (no accents, lower case, "-" and "." as spaces), starts with one of `values`.
- `DateTest(field, prefix, lo, hi)`: FHIR date comparison of the date of the act against [lo, hi):
  field "date" / "period-start" (the act's first day), "period" (first to last day), "period-end".
  A document without a date of the act passes no date test, whatever the prefix.

Two policies apply to every request and are fields of their own: `statuses` ("current": canonical
documents, "superseded": near duplicates replaced by their canonical version) and `noise` (include,
exclude, only: administrative papers).

The patient is not part of the filter: it is the store's hard pre-filter, applied before any filter
sees a row. `matches` reads the store's records (mappings or records with the same attribute names).

`where_sql(dialect)` returns a clause over the `documents` table and its parameters, with the same
answers as `matches` on the same rows (tests/unit/test_document_filter.py checks both on generated
rows). A dialect says how its database writes the few things that differ (placeholders, booleans, a
JSON list's elements, folded author words); `SQLITE` is here, a PostgreSQL dialect is a subclass that
overrides those methods.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable, Union

from carnet.codes import NOT_REPORTS
from carnet.models import Interpretation
from carnet.text import fold

SCALAR_FIELDS = ("id", "type_code", "class_code", "specialty_code", "specialty_group", "language")
LIST_FIELDS = ("exam_keys", "analyte_keys")
DATE_FIELDS = ("date", "period", "period-start", "period-end")
DATE_PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le")
STATUSES = ("current", "superseded")
NOISE = ("include", "exclude", "only")


def _get(doc: Any, name: str) -> Any:
    """A field of a store record: a row mapping today, a typed record with the same attribute names later."""
    if isinstance(doc, Mapping):
        return doc.get(name)
    return getattr(doc, name, None)


def author_words(author: str | None) -> str:
    """The author's name as folded words joined by single spaces ("Dr J.-P. Lévêque" -> "dr j p leveque")."""
    return " ".join(fold(author or "").replace("-", " ").replace(".", " ").split())


def status_of(doc: Any) -> str:
    """`superseded` for a near duplicate replaced by its canonical version, else `current`."""
    return "superseded" if _get(doc, "canonical_id") else "current"


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


# --- tests ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnyOf:
    """The document's `field` is one of `values` (see the module's docstring for each field's rule)."""

    field: str
    values: frozenset[str]

    def __post_init__(self) -> None:
        if self.field not in SCALAR_FIELDS + LIST_FIELDS + ("author",):
            raise ValueError(f"Unknown document field {self.field!r}.")
        if not self.values:
            raise ValueError(f"An empty set of values for {self.field!r} matches nothing: leave the test out.")

    def matches(self, doc: Any) -> bool:
        value = _get(doc, self.field)
        if self.field in LIST_FIELDS:
            return bool(set(value or ()) & self.values)
        if self.field == "author":
            words = author_words(value).split()
            return any(w.startswith(p) for p in self.values for w in words)
        if self.field == "language":
            return (value or "").lower() in self.values
        return value in self.values

    def sql(self, dialect: "SqlDialect", params: list) -> str:
        values = sorted(self.values)
        column = dialect.column(self.field)
        if self.field in LIST_FIELDS:
            params.extend(values)
            return dialect.list_has_any(column, len(values))
        if self.field == "author":
            words = f"(' ' || {dialect.author_words(column)} || ' ')"
            params.extend(f"% {_like_escape(p)}%" for p in values)
            return "(" + " OR ".join(f"{words} LIKE {dialect.placeholder} ESCAPE '\\'" for _ in values) + ")"
        if self.field == "language":
            column = f"lower(coalesce({column}, ''))"
        params.extend(values)
        return f"{column} IN ({', '.join([dialect.placeholder] * len(values))})"


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class DateTest:
    """One FHIR date comparison: `field` of the document against the search range [lo, hi)."""

    field: str  # "date", "period", "period-start", "period-end"
    prefix: str  # eq, ne, gt, lt, ge, le
    lo: date
    hi: date  # exclusive: the day after the value's last day

    def __post_init__(self) -> None:
        if self.field not in DATE_FIELDS or self.prefix not in DATE_PREFIXES or not self.lo < self.hi:
            raise ValueError(f"Invalid date test {self!r}.")

    def _target(self, doc: Any) -> tuple[date, date] | None:
        """The document's dates as its first and last day for this field."""
        start = _day(_get(doc, "service_date"))
        if start is None:
            return None
        end = _day(_get(doc, "service_end_date"))
        end = end if end is not None and end >= start else start
        if self.field == "period":
            return start, end
        if self.field == "period-end":
            return end, end
        return start, start  # date, period-start

    def matches(self, doc: Any) -> bool:
        target = self._target(doc)
        if target is None:
            return False  # a document with no date of the act matches no date criterion
        first, last = target
        return _compare(self.prefix, self.lo <= first and last < self.hi,
                        after=last >= self.hi, before=first < self.lo)

    def sql(self, dialect: "SqlDialect", params: list) -> str:
        start = dialect.day(dialect.column("service_date"))
        end_raw = dialect.day(dialect.column("service_end_date"))
        end = f"(CASE WHEN {end_raw} >= {start} THEN {end_raw} ELSE {start} END)"
        first, last = {"period": (start, end), "period-end": (end, end)}.get(self.field, (start, start))
        p = dialect.placeholder
        lo, last_day = self.lo.isoformat(), (self.hi - timedelta(days=1)).isoformat()
        within, within_params = f"({first} >= {p} AND {last} <= {p})", [lo, last_day]
        after, after_params = f"{last} > {p}", [last_day]
        before, before_params = f"{first} < {p}", [lo]
        sql, extra = {
            "eq": (within, within_params),
            "ne": (f"NOT {within}", within_params),
            "gt": (after, after_params),
            "lt": (before, before_params),
            "ge": (f"({after} OR {within})", after_params + within_params),
            "le": (f"({before} OR {within})", before_params + within_params),
        }[self.prefix]
        params.extend(extra)
        return f"({start} IS NOT NULL AND {sql})"


def _compare(prefix: str, within: bool, *, after: bool, before: bool) -> bool:
    """FHIR's prefixes on ranges: the document's days within the search range, past it, or before it."""
    return {"eq": within, "ne": not within, "gt": after, "lt": before,
            "ge": after or within, "le": before or within}[prefix]


Test = Union[AnyOf, DateTest]


# --- the filter -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentFilter:
    """An AND of clauses, each an OR of tests, with the status and noise policies (module docstring)."""

    clauses: tuple[tuple[Test, ...], ...] = ()
    excluded_types: frozenset[str] = frozenset()  # types the request never wants (not reports of an act)
    statuses: frozenset[str] = frozenset(STATUSES)
    noise: str = "include"  # include | exclude | only

    def __post_init__(self) -> None:
        if self.noise not in NOISE:
            raise ValueError(f"noise is one of {', '.join(NOISE)}; got {self.noise!r}.")
        if not self.statuses or not set(self.statuses) <= set(STATUSES):
            raise ValueError(f"statuses are among {', '.join(STATUSES)}; got {sorted(self.statuses)!r}.")
        if any(not clause for clause in self.clauses):
            raise ValueError("An empty clause matches nothing: leave it out.")

    @classmethod
    def from_interpretation(cls, interp: Interpretation) -> "DocumentFilter":
        """The documents a doctor's question asks for.

        An exam is often reported inside another document (the ECG of a cardiology consultation, the chest
        X-ray of an emergency visit), which ingestion tags with that exam: so the document type implied by
        an exam ("IRM" -> imaging report) does not exclude such documents. A specialty named without a type
        ("dernier CR de cardiologie") asks for a report, not a prescription or a certificate. Administrative
        papers are left out of filtered questions unless they are asked for; duplicates are always left out."""
        clauses: list[tuple[Test, ...]] = []
        if interp.type_codes and not interp.exam_keys:
            clauses.append((AnyOf("type_code", frozenset(interp.type_codes)),))
        for name, values in (("specialty_group", interp.specialty_groups), ("exam_keys", interp.exam_keys),
                             ("analyte_keys", interp.analyte_keys)):
            if values:
                clauses.append((AnyOf(name, frozenset(values)),))
        r = interp.date_range
        if r is not None and r.start:
            clauses.append((DateTest("date", "ge", r.start, r.start + timedelta(days=1)),))
        if r is not None and r.end:
            clauses.append((DateTest("date", "le", r.end, r.end + timedelta(days=1)),))
        if r is not None and not (r.start or r.end):
            clauses.append((DateTest("date", "ge", date.min, date.min + timedelta(days=1)),))  # dated, any day
        wants_noise = "ADMIN" in interp.type_codes or not interp.has_filters
        return cls(clauses=tuple(clauses),
                   excluded_types=NOT_REPORTS if interp.specialty_groups and not interp.type_codes else frozenset(),
                   statuses=frozenset({"current"}), noise="include" if wants_noise else "exclude")

    def matches(self, doc: Any) -> bool:
        """Whether one of the patient's documents passes every clause and both policies."""
        if status_of(doc) not in self.statuses:
            return False
        noise = bool(_get(doc, "is_noise"))
        if (self.noise == "exclude" and noise) or (self.noise == "only" and not noise):
            return False
        if self.excluded_types and _get(doc, "type_code") in self.excluded_types:
            return False
        return all(any(test.matches(doc) for test in clause) for clause in self.clauses)

    def select(self, docs: Iterable[Any]) -> list:
        return [d for d in docs if self.matches(d)]

    def where_sql(self, dialect: "SqlDialect") -> tuple[str, list]:
        """(SQL boolean expression over the documents table, its parameters in order). "1 = 1" for no filter."""
        params: list = []
        parts: list[str] = []
        if set(self.statuses) != set(STATUSES):
            canonical = f"({dialect.column('canonical_id')} IS NULL OR {dialect.column('canonical_id')} = '')"
            parts.append(canonical if "current" in self.statuses else f"NOT {canonical}")
        if self.noise != "include":
            noise = dialect.is_true(dialect.column("is_noise"))
            parts.append(f"NOT {noise}" if self.noise == "exclude" else noise)
        if self.excluded_types:
            types = sorted(self.excluded_types)
            params.extend(types)
            column = dialect.column("type_code")
            parts.append(f"({column} IS NULL OR {column} NOT IN ({', '.join([dialect.placeholder] * len(types))}))")
        for clause in self.clauses:
            parts.append("(" + " OR ".join(test.sql(dialect, params) for test in clause) + ")")
        return (" AND ".join(parts) or "1 = 1"), params


# --- SQL dialects -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SqlDialect:
    """How one database writes what differs between SQL dialects. This one is SQLite's (the store's schema:
    dates as ISO text, lists as JSON text, booleans as 0/1); `functions` are the SQL functions the store
    registers on its connection for the filter (SQLite has no accent folding of its own)."""

    name: str = "sqlite"
    placeholder: str = "?"
    table: str = ""  # qualify columns ("d" -> "d.type_code") when the query joins other tables
    functions: Mapping[str, Any] = field(default_factory=lambda: {"carnet_author_words": author_words})

    def column(self, name: str) -> str:
        return f"{self.table}.{name}" if self.table else name

    def day(self, expression: str) -> str:
        """The ISO day of a date stored as text (NULL when empty)."""
        return f"NULLIF(substr({expression}, 1, 10), '')"

    def is_true(self, expression: str) -> str:
        return f"({expression} <> 0)"

    def list_has_any(self, expression: str, n: int) -> str:
        """At least one element of a JSON list is among the next n parameters."""
        marks = ", ".join([self.placeholder] * n)
        return f"EXISTS (SELECT 1 FROM json_each(coalesce({expression}, '[]')) WHERE json_each.value IN ({marks}))"

    def author_words(self, expression: str) -> str:
        return f"carnet_author_words({expression})"


SQLITE = SqlDialect()
