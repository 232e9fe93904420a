"""FHIR R4 DocumentReference search: the parameters Carnet supports and the query they build.

Carnet answers hospital software as a read-only FHIR server for one resource, DocumentReference, with
the DMP's vocabulary (../shared/reference/dmp-metadata.md): the type is the LOINC typeCode, the
category the XDS classCode, the author's specialty a `G15_10/SMxx` code on the author's
PractitionerRole (never `context.practiceSetting`, which in France is the *cadre d'exercice*), and
`context.period` the date of the act.

`parse_search(items)` turns query parameters (repeats kept) into a `DocumentQuery` and `parse_read(items)`
checks a read's; api/fhir/bundle.py applies the query to one patient's documents (a `searchset` Bundle),
api/fhir/resource.py writes each DocumentReference. Errors are `FhirError` (a CarnetError carrying the HTTP
status and the OperationOutcome issue code) or the store's UnknownPatient / UnknownDocument.

Decisions (also in README, "FHIR DocumentReference search"):
- `date` searches the date of the act (`context.period.start`), like `period-start`. In the DMP,
  DocumentReference.date is the submission time, which automatic feeds set late; Carnet holds no
  submission time and never filters on its own ingest time, so the element is left out and Carnet's
  ingest time is `meta.lastUpdated`.
- Near duplicates: the canonical version is `current` and `replaces` the others, which are
  `superseded`. `status` defaults to `current`, so duplicates are left out unless asked for.
- Noise (administrative papers): left out unless `noise=include|only`, or unless the search asks for
  administrative documents (`type=ADMIN` or `category=95`). Returned noise carries a `meta.tag`.
- Any parameter, modifier, prefix or value Carnet does not support is a 400, never silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from api.fhir.systems import (
    ANALYTE_SYSTEM,
    CARNET_TYPE_SYSTEM,
    CLASS_SYSTEM,
    EXAM_SYSTEM,
    FHIR_JSON,
    GROUP_SYSTEM,
    INS_SYSTEM,
    LOINC,
    LOINC_OID,
    PATIENT_SYSTEM,
    SPECIALTY_SYSTEM,
    TRE_A05_OID,
    TRE_A05_SYSTEM,
)
from carnet import codes
# the one filter engine, shared with questions' filters (query.retrieve) and document lists
from carnet.document_filter import DATE_PREFIXES, STATUSES, AnyOf, DateTest, DocumentFilter, author_words
from carnet.errors import CarnetError
from carnet.lexicon import ANALYTES, EXAMS
from carnet.records import StoredDocument
from carnet.text import fold

DEFAULT_COUNT = 20
MAX_COUNT = 100

_LOINC_CODE = re.compile(r"^\d{1,7}-\d$")
_SPECIALTY_CODE = re.compile(r"^(?:G15_10/)?(SM\d{2})$", re.IGNORECASE)
_DATE_VALUE = re.compile(
    r"^(?P<prefix>[a-z]{2})?(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?)?)?$"
)
_SORT_KEYS = {"date", "period-start"}  # both: the date of the act
_STATUSES = ("current", "superseded", "entered-in-error")


class FhirError(CarnetError):
    """A search or read Carnet refuses: `status` is the HTTP status, `issue` the OperationOutcome code."""

    def __init__(self, message: str, status: int = 400, issue: str = "invalid"):
        super().__init__(message)
        self.status = status
        self.issue = issue


# --- the parameters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchParameter:
    name: str
    type: str  # FHIR search parameter type: token, date, reference, string, number, special
    description: str
    example: str | None = None
    expression: str = ""  # the element searched, as FHIRPath-like text (for /metadata and the docs)


SEARCH_PARAMETERS: tuple[SearchParameter, ...] = (
    SearchParameter("patient", "reference", "Required (or `subject` / `patient.identifier`): the patient, `P0001` or "
                    "`Patient/P0001`. A hard pre-filter: no other patient's document is ever read. Unknown: 404.",
                    "P0002", "DocumentReference.subject"),
    SearchParameter("subject", "reference", "Same as `patient`.", None, "DocumentReference.subject"),
    SearchParameter("patient.identifier", "token", "Same as `patient`, as `[urn:carnet:patient|]P0001` (Carnet keeps "
                    "its own patient identifiers; an INS is refused with 400).", None, "DocumentReference.subject"),
    SearchParameter("_id", "token", "Document ids, comma = OR.", None, "DocumentReference.id"),
    SearchParameter("type", "token", "LOINC document type (DMP typeCode), `http://loinc.org|11488-4` or `11488-4`; "
                    "comma = OR; ended codes match their current code (11528-7 = 18748-4). `ADMIN`: administrative "
                    "papers.", "11488-4,18748-4", "DocumentReference.type"),
    SearchParameter("category", "token", "XDS classCode (`10` Compte rendu, `95` Document de gestion), "
                    f"`{CLASS_SYSTEM}|10` or `10`.", "10", "DocumentReference.category"),
    SearchParameter("specialty", "token", "Author specialty: a `G15_10/SMxx` code (exact: `G15_10/SM04`, `SM04`, "
                    f"`{SPECIALTY_SYSTEM}|G15_10/SM04`) or a Carnet group covering every code of one field "
                    f"(`cardiologie` = SM04, SM73, SM79-81; `{GROUP_SYSTEM}|cardiologie`). Comma = OR. Prefer the "
                    "group: inferred specialties know the field, not always the exact code.", "cardiologie",
                    "DocumentReference.author.resolve().specialty"),
    SearchParameter("author.specialty", "token", "Same as `specialty`.", None,
                    "DocumentReference.author.resolve().specialty"),
    SearchParameter("author.family", "string", "Author name: a word of the author's name starts with it (case and "
                    "accents ignored; Carnet keeps the name as written, not split into given and family).",
                    "Marchetti", "DocumentReference.author.resolve().practitioner.display"),
    SearchParameter("author.given", "string", "Same matching as `author.family`.", None,
                    "DocumentReference.author.resolve().practitioner.display"),
    SearchParameter("date", "date", "Date of the act (`context.period.start`), with a prefix `eq` (default), `ne`, "
                    "`gt`, `lt`, `ge`, `le`; `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a time is ignored: acts are dated to "
                    "the day). Repeat to AND (`date=ge2024-01-01&date=le2024-12-31`), comma = OR. Undated documents "
                    "never match.", "ge2024-01-01", "DocumentReference.context.period.start"),
    SearchParameter("period", "date", "The act's period (`context.period`, start to end, or the start day when "
                    "there is no end) compared with the value: `period=2025-03` finds acts within March 2025, "
                    "`period=ge2025-03-01` acts that end on or after it.", "2025", "DocumentReference.context.period"),
    SearchParameter("period-start", "date", "Date the act started (French profile); same syntax as `date`.", None,
                    "DocumentReference.context.period.start"),
    SearchParameter("period-end", "date", "Date the act ended (its start when it has no end); same syntax.", None,
                    "DocumentReference.context.period.end"),
    SearchParameter("event", "token", "What the document reports on (the role of the DMP's eventCodeList): a Carnet "
                    f"exam key (`echocardiographie`, `ecg`, `{EXAM_SYSTEM}|holter`) or analyte key (`hba1c`, "
                    f"`{ANALYTE_SYSTEM}|creatinine`). Comma = OR.", "echocardiographie",
                    "DocumentReference.context.event"),
    SearchParameter("language", "token", "Language of the document, `fr` or `en`.", "fr",
                    "DocumentReference.content.attachment.language"),
    SearchParameter("status", "token", "`current` (default: canonical documents), `superseded` (near duplicates "
                    "replaced by their canonical version), `entered-in-error` (never stored). Comma = OR.",
                    "current", "DocumentReference.status"),
    SearchParameter("noise", "token", "Carnet: administrative papers (appointment letters, invoices, forms): "
                    "`exclude` (default, unless `type=ADMIN` or `category=95` asks for them), `include`, `only`.",
                    None, ""),
    SearchParameter("_sort", "special", "`-date` (default: most recent act first), `date`; `period-start` and "
                    "`-period-start` mean the same. Undated documents come last; ties: latest arrival first.",
                    "-date", ""),
    SearchParameter("_count", "number", f"Page size, 0 to {MAX_COUNT} (default {DEFAULT_COUNT}; 0: the total only).",
                    "20", ""),
    SearchParameter("_offset", "number", "Carnet paging: entries to skip (the Bundle's `next` / `previous` links "
                    "carry it).", None, ""),
    SearchParameter("_format", "special", "Accepted when it asks for JSON (`json`, `application/fhir+json`).", None,
                    ""),
)
_PARAMETERS = {p.name: p for p in SEARCH_PARAMETERS}
_PATIENT_PARAMETERS = ("patient", "subject", "patient.identifier")
# Listed by the IHE MHD / ANS profiles, but Carnet stores nothing they could match: refused with the reason.
_NOT_STORED = {
    "setting": "the practice setting (cadre d'exercice) is not stored; filter the author's specialty with `specialty`",
    "facility": "the healthcare facility type (secteur d'activité) is not stored",
    "security-label": "confidentiality codes are kept for masking, not searched",
    "format": "documents are served as plain PDF; the DMP's formatCode is not stored",
    "creation": "the document's creation time is not stored; `date` and `period` search the date of the act",
    "identifier": "the DMP's uniqueId is not stored; use `_id` with Carnet's document ids",
    "related": "related references are not stored",
    "relatesto": "use `status=superseded` for near duplicates",
    "relation": "use `status=superseded` for near duplicates",
    "author": "authors are not FHIR resources in Carnet; use `author.family` or `specialty`",
    "author.name": "use `author.family`",
    "contenttype": "every document is application/pdf",
    "description": "not stored",
    "custodian": "not stored",
    "encounter": "not stored",
    "location": "not stored",
}


# --- the query ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentQuery:
    """A parsed DocumentReference search. Each tuple of groups is ANDed; the values of one group are ORed."""

    patient: str
    ids: tuple[frozenset[str], ...] = ()
    types: tuple[frozenset[str], ...] = ()  # current LOINC codes, or ADMIN
    categories: tuple[frozenset[str], ...] = ()
    specialties: tuple[frozenset[str], ...] = ()  # exact SMxx codes and Carnet's groups ("cardiologie")
    events: tuple[frozenset[str], ...] = ()  # exam and analyte keys
    languages: tuple[frozenset[str], ...] = ()
    authors: tuple[frozenset[str], ...] = ()  # folded word prefixes
    dates: tuple[tuple[DateTest, ...], ...] = ()
    statuses: frozenset[str] = frozenset({"current"})
    noise: str = "exclude"  # exclude | include | only
    descending: bool = True
    count: int = DEFAULT_COUNT
    offset: int = 0
    # What was asked, normalised, to write the Bundle's self / next / previous links.
    echo: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @cached_property
    def filter(self) -> DocumentFilter | None:
        """The search as the one filter engine's DocumentFilter (None: a status no stored document has, such
        as entered-in-error, so nothing matches). A specialty group matches the stored `specialty_group`, as
        a question's specialty does; an exact SMxx code matches `specialty_code`."""
        statuses = frozenset(self.statuses) & frozenset(STATUSES)
        if not statuses:
            return None
        clauses: list[tuple] = []
        for name, groups in (("id", self.ids), ("type_code", self.types), ("class_code", self.categories),
                             ("language", self.languages), ("author", self.authors)):
            clauses += [(AnyOf(name, group),) for group in groups]
        for group in self.events:  # an exam or an analyte key
            clauses.append((AnyOf("exam_keys", group), AnyOf("analyte_keys", group)))
        for group in self.specialties:
            exact = frozenset(v for v in group if v not in codes.SPECIALTY_GROUPS)
            named = frozenset(v for v in group if v in codes.SPECIALTY_GROUPS)
            clauses.append(tuple(AnyOf(f, vs) for f, vs in (("specialty_code", exact), ("specialty_group", named)) if vs))
        clauses += [tuple(tests) for tests in self.dates]
        return DocumentFilter(clauses=tuple(clauses), statuses=statuses, noise=self.noise)

    def matches(self, doc: StoredDocument) -> bool:
        """Whether one of the patient's documents passes every filter (status and noise included)."""
        return self.filter is not None and self.filter.matches(doc)


def parse_search(items: Iterable[tuple[str, str]]) -> DocumentQuery:
    """Parse DocumentReference search parameters (name, value) in the order given, repeats kept.

    Raises FhirError (400) for a missing patient or any parameter, modifier or value Carnet does not
    support; the message names it."""
    items = list(items)
    patients: list[str] = []
    kw: dict[str, list] = {k: [] for k in ("ids", "types", "categories", "specialties", "events", "languages",
                                           "authors", "dates")}
    statuses: set[str] | None = None
    noise: str | None = None
    descending, count, offset = True, DEFAULT_COUNT, 0
    echo: list[tuple[str, str]] = []
    for raw_name, raw_value in items:
        name, value = raw_name.strip(), raw_value.strip()
        base, _, modifier = name.partition(":")
        if base not in _PARAMETERS:
            if base in _NOT_STORED:
                raise FhirError(f"Search parameter {base!r} is not supported: {_NOT_STORED[base]}.", issue="not-supported")
            raise FhirError(f"Unknown search parameter {name!r}. Supported: {', '.join(_PARAMETERS)}.",
                            issue="not-supported")
        if modifier:
            raise FhirError(f"Modifier ':{modifier}' is not supported (on {base!r}).", issue="not-supported")
        if value == "":
            continue  # FHIR: a parameter without a value is ignored
        if base not in ("_count", "_offset", "_format"):
            echo.append((base, value))
        if base in _PATIENT_PARAMETERS:
            patients.append(_patient_value(base, value))
        elif base == "_id":
            kw["ids"].append(frozenset(v for v in _split(value)))
        elif base == "type":
            kw["types"].append(frozenset(c for v in _split(value) for c in codes.same_type_codes(_type_code(v))))
        elif base == "category":
            kw["categories"].append(frozenset(_class_code(v) for v in _split(value)))
        elif base in ("specialty", "author.specialty"):
            kw["specialties"].append(frozenset(_specialty(v) for v in _split(value)))
        elif base == "event":
            kw["events"].append(frozenset(_event_key(v) for v in _split(value)))
        elif base == "language":
            kw["languages"].append(frozenset(_language(v) for v in _split(value)))
        elif base in ("author.family", "author.given"):
            kw["authors"].append(frozenset(_author_prefix(v) for v in _split(value)))
        elif base in ("date", "period", "period-start", "period-end"):
            kw["dates"].append(tuple(_date_test(base, v) for v in _split(value)))
        elif base == "status":
            if statuses is not None:
                raise FhirError("Give `status` once (comma-separate its values).")
            statuses = {_status(v) for v in _split(value)}
        elif base == "noise":
            if noise is not None or value not in ("exclude", "include", "only"):
                raise FhirError(f"`noise` is one of exclude, include, only (once); got {value!r}.")
            noise = value
        elif base == "_sort":
            descending = _sort(value)
        elif base == "_count":
            count = _integer("_count", value, 0, MAX_COUNT)
        elif base == "_offset":
            offset = _integer("_offset", value, 0, None)
        elif base == "_format":
            _check_format(value)
    if not patients:
        raise FhirError("The `patient` parameter is required (e.g. patient=P0001): Carnet searches one patient's "
                        "record at a time.", issue="required")
    if len(set(patients)) > 1 or any("," in p for p in patients):
        raise FhirError("Search one patient at a time (a single `patient` value).")
    asks_admin = any(any(codes.is_administrative(c) for c in g) for g in kw["types"]) or any("95" in g for g in kw["categories"])
    return DocumentQuery(
        patient=patients[0], statuses=frozenset(statuses or {"current"}),
        noise=noise or ("include" if asks_admin else "exclude"), descending=descending, count=count, offset=offset,
        echo=tuple(echo), **{k: tuple(v) for k, v in kw.items()},
    )


def _check_format(value: str) -> None:
    if value not in ("json", "application/json", FHIR_JSON, "application/fhir json"):  # '+' decodes to ' '
        raise FhirError(f"Only JSON is served (`_format={value}` asked).", issue="not-supported")


def _split(value: str) -> list[str]:
    """Comma-separated values (FHIR: comma = OR; `\\,` is a literal comma)."""
    parts = [p.replace("\x00", ",").strip() for p in value.replace("\\,", "\x00").split(",")]
    if any(p == "" for p in parts):
        raise FhirError(f"Empty value in {value!r}.")
    return parts


def _token(value: str) -> tuple[str | None, str]:
    """(system, code) of a token: `system|code`, `|code` (system: empty string) or `code` (system: None)."""
    if "|" in value:
        system, code = value.split("|", 1)
        return system, code
    return None, value


def _patient_value(name: str, value: str) -> str:
    if name == "patient.identifier":
        system, code = _token(value)
        if system == INS_SYSTEM:
            raise FhirError("Carnet does not hold INS numbers; give Carnet's patient identifier "
                            f"(patient.identifier={PATIENT_SYSTEM}|P0001 or patient=P0001).", issue="not-supported")
        if system not in (None, "", PATIENT_SYSTEM):
            raise FhirError(f"Unknown patient identifier system {system!r}; Carnet's is {PATIENT_SYSTEM}.")
        return code
    if "/" in value:
        kind, _, pid = value.rstrip("/").rpartition("/")
        if not kind.endswith("Patient") or not pid:
            raise FhirError(f"`{name}` must reference a Patient (P0001 or Patient/P0001), not {value!r}.")
        return pid
    return value


def _type_code(value: str) -> str:
    system, code = _token(value)
    if code.upper() == "ADMIN" and system in (None, "", CARNET_TYPE_SYSTEM):
        return "ADMIN"
    if system in (TRE_A05_SYSTEM, TRE_A05_OID):  # the French complementary types (SYNTH, CERT_DECL...)
        if code in codes.DOCUMENT_TYPES and not code[:1].isdigit():
            return code
        raise FhirError(f"{code!r} is not a TRE_A05 document type code (e.g. SYNTH, CERT_DECL).")
    if system in (None, "") and code in codes.DOCUMENT_TYPES:
        return code
    if system not in (None, "", LOINC, LOINC_OID):
        raise FhirError(f"Document types are LOINC codes ({LOINC}|11488-4 or 11488-4) or TRE_A05 codes "
                        f"({TRE_A05_SYSTEM}|SYNTH); got system {system!r}.")
    if not _LOINC_CODE.match(code):
        raise FhirError(f"{code!r} is not a LOINC or TRE_A05 document type code (e.g. 11488-4, SYNTH).")
    return codes.current_type_code(code) or code


def _class_code(value: str) -> str:
    system, code = _token(value)
    if system not in (None, "", CLASS_SYSTEM):
        raise FhirError(f"Categories are XDS classCodes ({CLASS_SYSTEM}|10 or 10); got system {system!r}.")
    return code


def _specialty(value: str) -> str:
    """An exact SMxx code ("SM04") or one of Carnet's specialty groups ("cardiologie")."""
    system, code = _token(value)
    if system in (None, "", SPECIALTY_SYSTEM):
        m = _SPECIALTY_CODE.match(code)
        if m:
            sm = m.group(1).upper()
            if sm not in codes.SPECIALTIES:
                raise FhirError(f"Unknown specialty code {code!r} (G15_10/SM01 to SM81, as listed in JDV_J01).")
            return sm
        if system == SPECIALTY_SYSTEM:
            raise FhirError(f"{code!r} is not a G15_10/SMxx code.")
    if system in (None, "", GROUP_SYSTEM):
        group = fold(code).replace(" ", "-")
        if group in codes.SPECIALTY_GROUPS:
            return group
        raise FhirError(f"Unknown specialty {code!r}: give a G15_10/SMxx code or one of Carnet's groups "
                        f"({', '.join(sorted(codes.SPECIALTY_GROUPS))}).")
    raise FhirError(f"Specialties are {SPECIALTY_SYSTEM} codes or {GROUP_SYSTEM} groups; got system {system!r}.")


def _event_key(value: str) -> str:
    system, code = _token(value)
    key = code.lower()
    if system in (None, "", EXAM_SYSTEM) and key in EXAMS:
        return key
    if system in (None, "", ANALYTE_SYSTEM) and key in ANALYTES:
        return key
    raise FhirError(f"Unknown event {value!r}: Carnet's events are its exam keys ({', '.join(EXAMS)}) and analyte "
                    f"keys ({', '.join(ANALYTES)}).")


def _language(value: str) -> str:
    system, code = _token(value)
    if system not in (None, "", "urn:ietf:bcp:47"):
        raise FhirError(f"Languages are BCP-47 codes (fr, en); got system {system!r}.")
    primary = code.split("-")[0].lower()
    if not re.fullmatch(r"[a-z]{2,3}", primary):
        raise FhirError(f"{value!r} is not a language code (fr, en).")
    return primary


def _author_prefix(value: str) -> str:
    words = author_words(value).split()  # the rule the filter applies to the stored author
    if len(words) != 1:
        raise FhirError(f"Give one name per `author.family` / `author.given` value; got {value!r}.")
    return words[0]


def _status(value: str) -> str:
    if value not in _STATUSES:
        raise FhirError(f"`status` is one of {', '.join(_STATUSES)}; got {value!r}.")
    return value


def _sort(value: str) -> bool:
    """True for descending."""
    key = value.strip()
    descending = key.startswith("-")
    if key.lstrip("-") not in _SORT_KEYS:
        raise FhirError(f"`_sort` supports -date (default), date, -period-start, period-start; got {value!r}.",
                        issue="not-supported")
    return descending


def _integer(name: str, value: str, lo: int, hi: int | None) -> int:
    if not re.fullmatch(r"\d+", value) or int(value) < lo or (hi is not None and int(value) > hi):
        bound = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        raise FhirError(f"`{name}` must be a whole number {bound}; got {value!r}.")
    return int(value)


def _date_test(name: str, value: str) -> DateTest:
    value = value.replace(" ", "+")  # an unencoded '+' of a time zone arrives as a space
    m = _DATE_VALUE.match(value)
    if not m:
        raise FhirError(f"`{name}={value}`: expected [prefix]YYYY[-MM[-DD]] (e.g. ge2024-01-01).")
    prefix = m.group("prefix") or "eq"
    if prefix not in DATE_PREFIXES:
        raise FhirError(f"`{name}={value}`: prefix {prefix!r} is not supported (eq, ne, gt, lt, ge, le).",
                        issue="not-supported")
    y, mo, d = int(m.group("y")), m.group("m"), m.group("d")
    try:
        if d is not None:
            lo = date(y, int(mo), int(d))
            hi = lo + timedelta(days=1)
        elif mo is not None:
            lo = date(y, int(mo), 1)
            hi = date(y + 1, 1, 1) if lo.month == 12 else date(y, lo.month + 1, 1)
        else:
            lo, hi = date(y, 1, 1), date(y + 1, 1, 1)
    except (ValueError, OverflowError) as e:  # 9999-12-31 has no next day
        raise FhirError(f"`{name}={value}`: not a valid date ({e}).") from None
    return DateTest(name, prefix, lo, hi)


def parse_read(items: Iterable[tuple[str, str]]) -> str | None:
    """The optional `patient` (or `subject`) of a read; anything else is a 400."""
    patient = None
    for name, value in items:
        if name in ("patient", "subject"):
            if value.strip():  # an empty value names no patient: the read goes on without the check
                patient = _patient_value(name, value.strip())
        elif name == "_format":
            _check_format(value.strip())
        else:
            raise FhirError(f"Parameter {name!r} is not supported on a read (only `patient`, to check the owner).",
                            issue="not-supported")
    return patient
