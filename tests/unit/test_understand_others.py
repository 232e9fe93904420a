"""Understanding documents laid out by other people (tests/unit/others_documents.py): type by section
structure, the date of the act by its role, the author's specialty, identity kept out of the letterhead
fields."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from ingest.understand import understand_text
from ingest.understand.context import Context
from ingest.understand.structure import structure_scores

pytestmark = pytest.mark.unit

_spec = importlib.util.spec_from_file_location("others_documents", Path(__file__).parent / "others_documents.py")
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
OTHERS = {d["name"]: d for d in _mod.OTHERS}


def _expected(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


@pytest.mark.parametrize("name", sorted(OTHERS))
def test_type_of_documents_by_other_people(name):
    d = OTHERS[name]
    assert understand_text(d["text"]).type_code in _expected(d["type"])


@pytest.mark.parametrize("name", sorted(OTHERS))
def test_date_of_the_act_of_documents_by_other_people(name):
    d = OTHERS[name]
    assert str(understand_text(d["text"]).service_date) == d["date"]


@pytest.mark.parametrize("name", [n for n, d in sorted(OTHERS.items()) if d["specialty"]])
def test_specialty_of_the_department_that_performed_the_act(name):
    d = OTHERS[name]
    assert understand_text(d["text"]).specialty_code == d["specialty"]


def test_section_structure_recognises_an_operative_note_and_a_history_and_physical():
    op = structure_scores(Context(OTHERS["us_operative_note_anesthesia"]["text"]))
    hp = structure_scores(Context(OTHERS["us_hp_mentions_ct"]["text"]))
    assert max(op, key=op.get) == "34874-8"
    assert max(hp, key=hp.get) == "11488-4"


def test_headings_out_of_order_weigh_less():
    ordered = "Technique: CT.\nComparison: none.\nFindings: clear.\nImpression: normal.\n"
    shuffled = "Impression: normal.\nFindings: clear.\nComparison: none.\nTechnique: CT.\n"
    assert structure_scores(Context(ordered))["18748-4"] > structure_scores(Context(shuffled))["18748-4"]


def test_a_consultation_that_mentions_imaging_stays_a_consultation():
    text = ("Motif de consultation : toux.\nAntécédents : asthme.\nExamen clinique : sibilants.\n"
            "Radiographie thoracique du 02/03/2024 : pas de foyer. Scanner thoracique : normal. IRM : non faite.\n"
            "Conclusion : exacerbation d'asthme.\nConduite à tenir : corticoïdes inhalés.\n")
    assert understand_text(text).type_code == "11488-4"


def test_the_anaesthesia_of_an_operation_is_not_its_author():
    meta = understand_text(OTHERS["us_operative_note_anesthesia"]["text"])
    assert meta.type_code == "34874-8"
    assert meta.specialty_code != "SM02"
