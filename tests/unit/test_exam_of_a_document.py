"""The exam a document IS comes from its title, header or labelled exam field, in the abbreviations people
title acts with; the exams it mentions in its indication or as earlier results are not its exam. The
documents are written here in other people's styles (US radiology, NHS cardiac physiology, a French
CHU), not the project's generator's."""

from __future__ import annotations

import pytest

from ingest.understand import understand_text

pytestmark = pytest.mark.unit

US_XR = """Riverbend Outpatient Imaging
Phone: (555) 201-3300

XR CHEST 2 VIEWS

NAME: DOE, JANE     DOB: 02/11/1950
DATE OF EXAM: 05/04/2023

HISTORY: Cough.
FINDINGS: No focal consolidation. Heart size normal.
IMPRESSION: No acute cardiopulmonary process.

Electronically signed by: T. Ng, MD (Radiology) 05/04/2023 10:02
"""

UK_LABELLED = """Westfold General Hospital - Department of Radiology

Patient: SMITH Alan    DOB 01/01/1950    Hosp No W1234
Examination: XR Chest PA        Date of examination: 12/03/2024 09:10
Clinical details: breathless

Report:
Clear lungs. No effusion.

Reported by Dr P Shah, Consultant Radiologist, 12/03/2024
"""

HOLTER_UK = """Westfold General Hospital
Department of Cardiology
Cardiac Physiology Service

24 HOUR AMBULATORY ECG (HOLTER) REPORT

Name: Alan Smith    DOB: 01/01/1950
Recording started: 02/02/2024 09:00    Duration: 24 h

Basic rhythm: sinus rhythm, mean 70 bpm. No pauses.
Summary: no significant arrhythmia.
"""

HOLTER_FR = """CHU DE MONTFORT
Service de Cardiologie
Unité de rythmologie

ENREGISTREMENT HOLTER ECG DES 24 HEURES

Patient : DURAND Paul   Né le : 01/02/1950
Pose le : 07/02/2024 à 09h40
Indication : malaises, bradycardie à l'ECG.

Rythme sinusal, fréquence moyenne 60/min.
Conclusion : pas de pause significative.
"""

CATH_US = """Lakeview Heart Institute - Catheterization Laboratory

CARDIAC CATHETERIZATION REPORT

Date of procedure: 03/02/2024
INDICATION: New cardiomyopathy, EF 35% on echocardiogram.
FINDINGS: Chronic total occlusion of the RCA.
IMPRESSION: Single-vessel coronary disease.
"""

CLINIC_EARLIER = """Lakeview Heart Institute

Patient: John Roe   DOB: 03/03/1951

Interval history: seen for follow-up. Cardiac MRI in April showed viable myocardium. Her EEG showed
nothing of note. La coronarographie avait aussi montré une sténose de la coronaire droite.
Vitals: BP 120/70.
Impression: stable.
"""

ENMG_FR = """Hôpital des Tilleuls
Service de Neurologie - Explorations neurophysiologiques

ÉLECTRONEUROMYOGRAMME DES MEMBRES INFÉRIEURS

Date de l'examen : 11/03/2025
Conductions nerveuses : sural droit normal.
Conclusion : pas de neuropathie.
"""


@pytest.mark.parametrize("text, exam", [(US_XR, "radiographie"), (UK_LABELLED, "radiographie"),
                                        (HOLTER_UK, "holter"), (HOLTER_FR, "holter"),
                                        (CATH_US, "coronarographie"), (ENMG_FR, "emg")])
def test_the_exam_a_report_is_comes_first_and_alone(text, exam):
    assert understand_text(text).exam_keys == (exam,)


def test_an_electroneuromyogram_is_a_diagnostic_act():
    assert understand_text(ENMG_FR).type_code == "70004-7"


def test_earlier_results_mentioned_in_a_letter_are_not_its_exams():
    assert understand_text(CLINIC_EARLIER).exam_keys == ()


def test_a_result_reported_today_still_tags_the_exam():
    text = CLINIC_EARLIER.replace("Vitals:", "Repeat echocardiogram today shows LVEF 50%.\nVitals:")
    assert "echocardiographie" in understand_text(text).exam_keys
