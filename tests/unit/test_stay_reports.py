"""Reports of a hospital stay and discharge summaries written in other people's styles (a French clinic,
a US community hospital): a stay's report is 34112-3 whether titled or told as a letter, dated by the
discharge; the author's specialty comes from the attending or the department, never from a surgeon the
summary names in passing."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.understand import understand_text

pytestmark = pytest.mark.unit

UNTITLED_STAY = """CLINIQUE DES QUATRE VENTS
Médecine polyvalente - Dr Hélène GARNIER, Dr Samir BOUZID
8 allée des Cèdres - 33600 Pessac-le-Haut - Tél 05 56 00 11 22

Pessac-le-Haut, le 27 février 2025

Chère consœur,

Votre patiente Madame Jeanne ROLLAND, 84 ans, a séjourné dans notre service du 14 au 21 février 2025.

Histoire de la maladie : Madame Rolland vit seule à domicile avec un passage infirmier quotidien. Depuis une
dizaine de jours, sa fille note une confusion fluctuante, une baisse des apports et deux chutes sans
traumatisme. Elle est adressée par son médecin traitant le 14 février après un bilan montrant une natrémie
à 121 mmol/L.

À l'entrée : patiente désorientée, sans signe de localisation, déshydratation extracellulaire modérée.

Évolution : correction progressive de l'hyponatrémie par restriction hydrique puis sérum salé, natrémie à
133 mmol/L le 19 février. Arrêt de l'indapamide, probablement en cause. Récupération d'une vigilance normale.
Sortie le 21 février vers son domicile avec renforcement des aides.

Conclusion : hyponatrémie sévère iatrogène (indapamide) avec confusion, résolutive.

Traitement de sortie : arrêt de l'indapamide ; amlodipine 5 mg poursuivie.

Dr Hélène GARNIER
"""

US_DISCHARGE = """RIVERSIDE COMMUNITY HOSPITAL
12 River Road, Marlow, OH 44000

DISCHARGE SUMMARY

PATIENT: Walter Greene     DOB: 06/02/1941     MR#: 0099812
ADMITTED: 02/03/2023           DISCHARGED: 02/08/2023
ATTENDING: Susan Ortiz, MD - Hospital Medicine

DIAGNOSES: Right intertrochanteric fracture, status post intramedullary nailing 02/04/2023
(Dr. Brandt, Orthopedics). Delirium, resolved.

HOSPITAL COURSE: Admitted after a fall. Orthopedics performed nailing the next day under spinal
anesthesia. Delirium managed without restraints. Worked with PT.

DISPOSITION: home with home health.

Susan Ortiz, MD         dictated 02/09/2023
"""


def test_an_untitled_french_stay_report_is_a_stay_report_dated_by_its_discharge():
    meta = understand_text(UNTITLED_STAY)
    assert (meta.type_code, meta.service_date) == ("34112-3", date(2025, 2, 21))


def test_a_titled_stay_report_written_as_a_letter_stays_a_stay_report():
    text = UNTITLED_STAY.replace("Chère consœur,", "COMPTE RENDU D'HOSPITALISATION\n\nChère consœur,")
    assert understand_text(text).type_code == "34112-3"


def test_a_lettre_de_liaison_names_itself():
    text = UNTITLED_STAY.replace("Chère consœur,", "LETTRE DE LIAISON À LA SORTIE\n\nChère consœur,")
    assert understand_text(text).type_code == "11490-0"


def test_a_discharge_summary_takes_the_attendings_specialty_not_the_surgeons():
    meta = understand_text(US_DISCHARGE)
    assert (meta.type_code, meta.specialty_code) == ("11490-0", "SM27")


def test_a_discharge_summary_naming_only_its_surgeon_abstains():
    text = US_DISCHARGE.replace("ATTENDING: Susan Ortiz, MD - Hospital Medicine\n", "").replace("Susan Ortiz, MD ", "")
    assert understand_text(text).specialty_code is None
