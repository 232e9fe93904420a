"""Allergy headings written as pairs ("Allergies / intolérances", "Allergies/adverse reactions", "ADRs") and a
negation that stays in its own sentence."""

from __future__ import annotations

from datetime import date

import pytest

from carnet.models import DocMeta, ExtractedDocument, Page
from ingest.facts import extract_facts

pytestmark = pytest.mark.unit


def allergies(text: str, language: str = "fr") -> set[tuple[str, str]]:
    doc = ExtractedDocument("a.pdf", "a", (Page(1, text),))
    found = extract_facts(doc, DocMeta(type_code="11488-4", service_date=date(2025, 5, 5), language=language))
    return {(f.name.lower(), f.status) for f in found if f.kind == "allergy"}


@pytest.mark.parametrize("text, language", [
    ("Allergies / intolérances : Tramadol (vomissements)\nExamen : abdomen souple.", "fr"),
    ("Allergies et intolérances : tramadol\nConclusion : colique néphrétique.", "fr"),
    ("ADRs: tramadol - vomiting\nPlan: review in clinic.", "en"),
    ("Adverse drug reactions: Tramadol (vomiting)\nPlan: review in clinic.", "en"),
])
def test_paired_allergy_headings(text, language):
    assert ("tramadol", "active") in allergies(text, language)


def test_a_negation_does_not_carry_into_the_next_sentence():
    found = allergies("Antécédents : HTA.\nAucune allergie médicamenteuse. Allergie suspectée au nickel. Pas d'allergie "
                      "à l'iode.")
    assert ("aucune allergie connue", "none") in found
    assert ("nickel", "hypothetical") in found and ("nickel", "negated") not in found
    assert ("iode", "negated") in found
