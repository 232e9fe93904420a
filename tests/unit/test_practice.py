"""Questions as doctors type them: abbreviations of practice, English names, shortened and mistyped markers.

One test per entry of query.practice.PRACTICE (alone and inside a question), the marker mechanism on forms
it was not given (truncations, dropped vowels, typos, transpositions), the guards against false
corrections, and the chips that show a reading and take it back. The hurried question set
(eval/queries/hurried.jsonl) is not used here.
"""

from __future__ import annotations

from datetime import date

import pytest

from carnet.codes import DOCUMENT_TYPES, SPECIALTY_GROUPS
from carnet.lexicon import ANALYTES, EXAMS
from query.chips import describe, describe_alternatives, without
from query.parse import parse_question
from query.practice import AMBIGUOUS, PRACTICE, max_edits, read_marker

pytestmark = pytest.mark.unit

TODAY = date(2026, 11, 27)
_FIELD = {"type": "type_codes", "specialty": "specialty_groups", "exam": "exam_keys", "analyte": "analyte_keys"}
_QUESTION = {"fr": "dernier {} du patient stp", "en": "latest {} please"}


def _entries():
    return [pytest.param(e, id=f"{e.language}:{e.phrase}") for e in PRACTICE if e.kind in _FIELD]


@pytest.mark.parametrize("entry", _entries())
def test_every_entry_names_known_codes(entry):
    known = {"type": DOCUMENT_TYPES, "specialty": SPECIALTY_GROUPS, "exam": EXAMS, "analyte": ANALYTES}[entry.kind]
    assert entry.codes and all(c in known for c in entry.codes)
    assert entry.source and entry.expansion


@pytest.mark.parametrize("entry", _entries())
def test_every_entry_resolves_alone_and_inside_a_question(entry):
    field = _FIELD[entry.kind]
    alone = parse_question(entry.phrase, TODAY)
    asked = parse_question(_QUESTION[entry.language].format(entry.phrase.upper()), TODAY)
    for interp in (alone, asked):
        assert set(entry.codes) <= set(getattr(interp, field)), (entry.phrase, interp)
        assert interp.order == "latest"
    assert asked.topic in ("", "patient")


@pytest.mark.parametrize("typed, marker", [
    # truncations of a known stem, with or without the dot
    ("der", "dernier"), ("dern", "dernier"), ("dernie", "dernier"), ("betw", "between"), ("prev", "previous"),
    ("depu", "depuis"), ("lates", "latest"),
    # dropped vowels
    ("dnr", "dernier"), ("drnr", "dernier"), ("lst", "last"), ("ltst", "latest"), ("btwn", "between"),
    ("snc", "since"), ("bfr", "before"), ("dps", "depuis"), ("rcnt", "recent"),
    # one typo (substitution, insertion, deletion, swap of neighbours), two on long words
    ("dernir", "dernier"), ("derneir", "dernier"), ("drenier", "dernier"), ("derrnier", "dernier"),
    ("latset", "latest"), ("lastest", "latest"), ("snice", "since"), ("bfore", "before"), ("avnt", "avant"),
    ("dpuis", "depuis"), ("betwen", "between"), ("entr", "entre"), ("previus", "previous"), ("untill", "until"),
    ("dernieeres", "dernieres"),
    # written short forms of note-taking
    ("avt", "avant"), ("pdt", "pendant"),
])
def test_markers_are_read_under_the_shapes_doctors_type(typed, marker):
    assert read_marker(typed) == marker


@pytest.mark.parametrize("word", [
    "de", "des", "dec", "rec", "dep", "lat", "la", "le", "rectal", "derme", "dent", "lost", "mast", "ldl", "crp", "tdm",
    "dfg", "bnp", "psa", "hdl", "rcp", "dernierement",
])
def test_short_or_other_words_are_no_markers(word):
    assert read_marker(word) in (None, word)


def test_edit_allowance_grows_with_length():
    assert [max_edits("x" * n) for n in (2, 3, 4, 7, 8, 12)] == [0, 0, 1, 1, 2, 2]


@pytest.mark.parametrize("question, field, value", [
    ("der cs cardio", "order", "latest"),
    ("dern. ecg", "exam_keys", ("ecg",)),
    ("drenier bilan", "type_codes", ("11502-2",)),
    ("les 3 dern bilans", "count", 3),
    ("3 der bio", "count", 3),
    ("lst 2 bloods", "count", 2),
    ("latst consult", "order", "latest"),
    ("derniere consulation", "type_codes", ("11488-4", "78513-9")),
])
def test_hurried_markers_inside_questions(question, field, value):
    interp = parse_question(question, TODAY)
    assert getattr(interp, field) == value
    assert interp.topic == ""


@pytest.mark.parametrize("question, start, end", [
    ("imagerie avnt 2020", None, date(2019, 12, 31)),
    ("radio avt 2022", None, date(2021, 12, 31)),
    ("bio dpuis janvier", date(2026, 1, 1), None),
    ("ecg snce 2023", date(2023, 1, 1), None),
    ("xrays bfore 2022", None, date(2021, 12, 31)),
    ("consults betwen 2020 and 2022", date(2020, 1, 1), date(2022, 12, 31)),
    ("hba1c entr 2022 et 2024", date(2022, 1, 1), date(2024, 12, 31)),
    ("ordo depuis janv", date(2026, 1, 1), None),
    ("labs since jan", date(2026, 1, 1), None),
])
def test_hurried_date_words(question, start, end):
    r = parse_question(question, TODAY).date_range
    assert r is not None and (r.start, r.end) == (start, end)


def test_dotted_initials_are_one_word():
    assert parse_question("dernier c.r.h.", TODAY).type_codes == ("11490-0", "34112-3", "34133-9")
    assert parse_question("C.R. de consultation", TODAY).type_codes == ("11488-4", "78513-9")


# --- no false corrections ---------------------------------------------------------------------------------


@pytest.mark.parametrize("question", [
    "dernier courrier du Dr Dupuis", "courrier de Durand", "lettre du docteur Avanti", "cr de Mme Joly",
])
def test_names_are_not_corrected(question):
    interp = parse_question(question, TODAY)
    assert interp.date_range is None and not interp.analyte_keys
    assert all(c.kind == "expansion" or c.typed in ("dernier",) for c in interp.corrections)


@pytest.mark.parametrize("question, topic", [
    ("nodule pulmonaire", "nodule pulmonaire"),  # not "pulmonary"
    ("diabete", "diabete"),
    ("kardegic 75 mg", "kardegic 75 mg"),  # a dose, not "médecine générale"
    ("douleur dentaire", "douleur dentaire"),
])
def test_clinical_words_stay_as_typed(question, topic):
    interp = parse_question(question, TODAY)
    assert interp.topic == topic and not interp.corrections


# --- chips: what was understood, and taking it back ----------------------------------------------------------


def test_corrections_and_expansions_are_chips():
    chips = describe(parse_question("der BH", TODAY), "fr")
    assert {"kind": "correction", "value": "der", "label": "der → dernier"} in chips
    assert {"kind": "expansion", "value": "bh", "label": "BH → bilan hépatique"} in chips


def test_literal_keeps_a_word_as_typed():
    interp = parse_question("der BH", TODAY, literal=["der"])
    assert interp.order == "relevance" and interp.topic == "der" and interp.analyte_keys
    bare = parse_question("der BH", TODAY, literal=["der", "bh"])
    assert not bare.analyte_keys and bare.topic == "der bh"


def test_reading_chips_are_a_no_op_for_without():
    interp = parse_question("der BH", TODAY)
    assert without(interp, "correction", "der") == interp


def test_ambiguous_abbreviation_offers_the_other_reading():
    interp = parse_question("dernier cr du MG", TODAY)
    assert interp.specialty_groups == ("medecine-generale",)
    alternatives = describe_alternatives(interp, "fr")
    assert alternatives == [{"kind": "reading", "value": "mg=analyte:magnesium", "label": "MG → magnésium ?"},
                            {"kind": "reading", "value": "mg=topic:myasthenie", "label": "MG → myasthénie ?"}]
    (ambiguity,) = interp.ambiguities
    assert ambiguity.unresolved and ambiguity.chosen == "mg=specialty:medecine-generale"
    assert [r.choice for r in ambiguity.readings] == ["mg=specialty:medecine-generale", "mg=analyte:magnesium",
                                                      "mg=topic:myasthenie"]
    chosen = parse_question("dernier cr du MG", TODAY, literal=[alternatives[0]["value"]])
    assert chosen.analyte_keys == ("magnesium",) and not chosen.specialty_groups
    assert chosen.ambiguities[0].decided_by == "doctor"
    assert describe_alternatives(chosen, "en")[0]["value"] == "mg=specialty:medecine-generale"


def test_a_phrase_that_says_which_reading_is_meant_is_not_ambiguous():
    assert parse_question("derniere echo coeur", TODAY).exam_keys == ("echocardiographie",)
    assert not parse_question("derniere echo coeur", TODAY).ambiguities
    assert not parse_question("metformine 500 mg", TODAY).ambiguities  # a dose
    echo = parse_question("derniere echo", TODAY)
    assert echo.exam_keys == ("echographie",) and echo.ambiguities[0].unresolved
    assert parse_question("der endo", TODAY, literal=["endo=exam:endoscopie"]).exam_keys == ("endoscopie",)


def test_every_ambiguous_abbreviation_has_two_readings_of_known_codes():
    known = {"specialty": SPECIALTY_GROUPS, "analyte": ANALYTES, "exam": EXAMS, "type": DOCUMENT_TYPES}
    for word, readings in AMBIGUOUS.items():
        assert len(readings) >= 2, word
        for r in readings:
            kind, code = r.id.split(":", 1)
            assert kind == "topic" or code in known[kind], r.id
            interp = parse_question(word, TODAY, literal=[f"{word}={r.id}"])
            if kind == "topic":
                assert interp.topic == r.phrase
            else:
                assert code in getattr(interp, _FIELD[kind]), r.id


def test_english_names_for_french_records():
    assert parse_question("last primary care visit", TODAY).specialty_groups == ("medecine-generale",)
    assert set(parse_question("latest complete blood count", TODAY).analyte_keys) >= {"nfs", "plaquettes"}
    assert parse_question("last hospital stay report", TODAY).type_codes == ("34112-3", "11490-0", "34133-9")
    assert parse_question("latest ED visit", TODAY).type_codes == ("15507-7",)


def test_a_four_letter_word_may_only_have_lost_a_letter():
    assert parse_question("derniere mamo", TODAY).exam_keys == ("mammographie",)  # mammo
    assert parse_question("cr de joly", TODAY).date_range is None  # not "july"
    assert not parse_question("bilan jean", TODAY).corrections  # not "jeun"
