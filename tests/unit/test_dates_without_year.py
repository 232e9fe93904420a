"""A date written without its year takes the year of the document's other dates (its letter date first):
never the current year, never dropped when the document dates itself. Letters written here in other
people's styles (a French CHU consultation letter, a US clinic note, a UK letter)."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.understand import understand_text
from ingest.understand.context import Context
from ingest.understand.dates import find_dates

pytestmark = pytest.mark.unit

FR = """CHU DE LORMONT - Service de Rhumatologie
Consultations externes

Lormont, le 8 janvier 2025

Cher confrère,

J'ai revu le 30 décembre votre patiente Madame Odile MARTIN (DDN 04/05/1950).
Infiltration réalisée le 02/10/2024, efficace.
Conclusion : gonarthrose stable.

Dr P. ROUX, rhumatologue
"""

US = """Cedar Valley Family Practice - 100 Elm St, Springfield, IL 62701 - (217) 555-0100

Letter date: 04/02/2023
Ms. Rivera was seen on March 14th for her annual exam. Labs drawn 01/10/2023 were unremarkable.
Assessment: well adult.

J. Park, MD
"""


def test_a_french_day_and_month_take_the_year_nearest_the_letter_date():
    dates = {d.value for d in find_dates(Context(FR))}
    assert date(2024, 12, 30) in dates
    assert understand_text(FR).service_date == date(2024, 12, 30)


def test_an_english_month_and_day_without_a_year():
    assert understand_text(US).service_date == date(2023, 3, 14)


def test_without_any_full_date_a_yearless_date_is_not_put_in_the_current_year():
    text = "Cabinet du Dr Lenoir\n\nJ'ai revu le 16 avril Madame X.\nConclusion : stable.\n"
    assert find_dates(Context(text)) == []


def test_blood_pressure_and_visual_acuity_are_not_dates():
    text = "Lormont, le 8 janvier 2025\nPA 128/74 mmHg. Acuité OD 8/10.\n"
    assert {d.value for d in find_dates(Context(text))} == {date(2025, 1, 8)}
