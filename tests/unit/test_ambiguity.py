"""An ambiguous abbreviation read against the patient's record (query/ambiguity.py, Searcher.ask/interpret): the
record decides when only one reading finds documents in it; otherwise the commonest reading is answered and
the answer says the question is ambiguous, with the other readings as one-click choices."""

from __future__ import annotations

from datetime import date

import pytest

from carnet.models import DocMeta
from index.embedders import HashingEmbedder
from index.sqlite import SQLiteStore as Store
from index.vectors import VectorIndex
from query import ambiguity
from query.retrieve import Searcher
from tests.unit.test_store_and_vectors import add

pytestmark = pytest.mark.unit

TODAY = date(2026, 11, 27)
GP = DocMeta(type_code="11488-4", specialty_code="SM54",
             service_date=date(2025, 3, 2), language="fr")
MAGNESIUM = DocMeta(type_code="11502-2", specialty_code="SM63",
                    service_date=date(2025, 6, 1), analyte_keys=("magnesium",), language="fr")


def _searcher(tmp_path, documents) -> Searcher:
    store = Store(tmp_path)
    for patient, name, text, meta in documents:
        add(store, patient, name, [text], meta=meta)
    embedder = HashingEmbedder()
    vectors = VectorIndex(store, embedder.name, embedder.dim, 10_000_000)
    vectors.check_manifest(create=True)
    return Searcher(store, vectors, embedder)


@pytest.fixture
def searcher(tmp_path):
    return _searcher(tmp_path, [
        # P1: a GP letter only; P2: a magnesium result only; P3: both; P4: heart-failure letters
        ("P1", "gp", "Consultation de médecine générale. Renouvellement du traitement.", GP),
        ("P2", "mg", "Biologie. Magnésium sérique 0,62 mmol/L (bas).", MAGNESIUM),
        ("P3", "gp", "Consultation de médecine générale. Fatigue.", GP),
        ("P3", "mg", "Biologie. Magnésium sérique 0,80 mmol/L.", MAGNESIUM),
        ("P4", "card", "Consultation de cardiologie. Conclusion : insuffisance cardiaque à FEVG altérée.",
         DocMeta(type_code="11488-4", specialty_code="SM04", service_date=date(2025, 1, 5))),
        ("P4", "ett", "Échocardiographie transthoracique. FEVG 35 %.",
         DocMeta(type_code="18748-4", exam_keys=("echocardiographie",), service_date=date(2025, 2, 5))),
    ])


def _ambiguity(answer):
    (a,) = answer.interpretation.ambiguities
    return a


def test_the_record_decides_when_only_one_reading_finds_documents(searcher):
    gp = searcher.ask("P1", "dernier MG", today=TODAY, summarize=False)
    assert _ambiguity(gp).decided_by == "record" and gp.interpretation.specialty_groups == ("medecine-generale",)
    assert [h.document.source for h in gp.documents] == ["P1/gp.pdf"]
    mg = searcher.ask("P2", "dernier MG", today=TODAY, summarize=False)
    a = _ambiguity(mg)
    assert a.decided_by == "record" and a.chosen == "mg=analyte:magnesium" and a.documents == (0, 1, 0)
    assert mg.interpretation.analyte_keys == ("magnesium",) and not mg.interpretation.specialty_groups
    assert [h.document.source for h in mg.documents] == ["P2/mg.pdf"]
    # the other readings stay one click away
    assert {x.choice for x in mg.interpretation.alternatives} == {"mg=specialty:medecine-generale",
                                                                  "mg=topic:myasthenie"}


def test_both_readings_in_the_record_is_ambiguous_and_says_so(searcher):
    answer = searcher.ask("P3", "dernier MG", today=TODAY, summarize=False)
    a = _ambiguity(answer)
    assert a.unresolved and a.chosen == "mg=specialty:medecine-generale" and a.documents == (1, 1, 0)
    assert [h.document.source for h in answer.documents] == ["P3/gp.pdf"]
    (shown,) = ambiguity.describe(answer.interpretation, "fr")
    assert shown["ambiguous"] and "ambigu" in shown["message"] and "magnésium (1 document)" in shown["message"]
    chips = [r["chip"]["value"] for r in shown["readings"] if not r["chosen"]]
    assert chips == ["mg=analyte:magnesium", "mg=topic:myasthenie"]
    # the doctor's choice is taken as is, and said to be theirs
    chosen = searcher.interpret("dernier MG", TODAY, literal=[chips[0]], patient_id="P3")
    assert chosen.ambiguities[0].decided_by == "doctor" and chosen.analyte_keys == ("magnesium",)
    assert [h.document.source for h in searcher.ask("P3", "dernier MG", today=TODAY, summarize=False,
                                                       interpretation=chosen).documents] == ["P3/mg.pdf"]


def test_a_topic_reading_is_found_in_the_text(searcher):
    answer = searcher.ask("P4", "IC", today=TODAY, summarize=False)
    a = _ambiguity(answer)
    assert a.decided_by == "record" and a.chosen == "ic=topic:insuffisance-cardiaque" and a.documents[1] == 0
    assert answer.documents[0].document.source == "P4/card.pdf"
    # "écho": only the echocardiogram is in this record
    echo = searcher.ask("P4", "derniere echo", today=TODAY, summarize=False)
    assert _ambiguity(echo).chosen == "echo=exam:echocardiographie" and _ambiguity(echo).decided_by == "record"
    assert [h.document.source for h in echo.documents][:1] == ["P4/ett.pdf"]


def test_no_reading_in_the_record_keeps_the_commonest_and_says_none_finds_anything(searcher):
    answer = searcher.ask("P4", "dernier MG", today=TODAY, summarize=False)
    a = _ambiguity(answer)
    assert a.unresolved and a.documents == (0, 0, 0)
    assert "aucune de ses lectures" in ambiguity.describe(answer.interpretation, "fr")[0]["message"]


def test_documents_the_caller_may_not_see_do_not_decide(searcher):
    hidden = searcher.ask("P2", "dernier MG", today=TODAY, summarize=False,
                          visible=lambda row: row.source != "P2/mg.pdf")
    assert _ambiguity(hidden).unresolved and _ambiguity(hidden).documents == (0, 0, 0)
    assert searcher.interpret("dernier MG", TODAY, patient_id="P2",
                              visible=lambda row: row.source != "P2/mg.pdf").ambiguities[0].unresolved


def test_without_a_patient_the_reading_is_the_parsers(searcher):
    interp = searcher.interpret("dernier MG", TODAY)
    assert interp.ambiguities[0].unresolved and interp.ambiguities[0].documents == ()
    assert ambiguity.describe(interp, "en")[0]["readings"][0]["documents"] is None
