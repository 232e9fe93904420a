"""A lab value's flag comes from its own report: the row's range in the value's unit, else the lab's marker,
else none. Hand-written reports in several layouts (a French lab, US panels, a UK renal profile)."""

from __future__ import annotations

import pytest

from ingest.lab_flags import Range, decide, range_in_unit
from ingest.labs import parse_lab_text

pytestmark = pytest.mark.unit


def rows(text: str, ocr: bool = False) -> dict[str, tuple]:
    return {v.analyte: (v.value, v.unit, v.low, v.high, v.flag) for v in parse_lab_text(text, ocr=ocr)}


# A French private lab: "Antériorités" column, a "-" / "+" marker column that is empty or a lone dash
FRENCH_LAB = """BIOLAB DU VAL - Site de Mâcon
Dossier 25-0412-117      Prélevé le 04/04/2025 à 07h45
                         Résultat    Unité       Normes            Antériorités
IONOGRAMME SANGUIN
Sodium                   138         mmol/L      136 - 145         -          140 (11/2024)
Potassium                5,6         mmol/L      3,5 - 5,1         +          4,8 (11/2024)
Chlorures                101         mmol/L      98 - 107          -          103 (11/2024)
Bicarbonates             24          mmol/L      22 - 29
Calcémie                 2,41        mmol/L      (88 - 104 mg/L)
Glycémie à jeun          5,9         mmol/L      (0,70 - 1,10 g/L)
Créatinine               88          µmol/L      (6,0 à 12,0 mg/L)
"""


def test_french_lab_flags_come_from_each_row_range():
    got = rows(FRENCH_LAB)
    assert got["chlore"][4] is None  # 101 in 98-107: the "-" column is not "low"
    assert got["sodium"][4] is None
    assert got["potassium"][4] == "H"
    assert got["bicarbonates"][4] is None


def test_a_range_printed_in_another_unit_is_converted_before_it_judges():
    got = rows(FRENCH_LAB)
    value, unit, low, high, flag = got["glycemie"]
    assert (value, unit, flag) == (5.9, "mmol/L", None)  # 0,70-1,10 g/L is 3.89-6.11 mmol/L
    assert low == pytest.approx(3.886, abs=0.01) and high == pytest.approx(6.106, abs=0.01)
    assert got["creatinine"][4] is None  # 6-12 mg/L is 53-106 µmol/L
    assert got["calcium"][4] is None  # 88-104 mg/L is 2.20-2.59 mmol/L


def test_a_range_in_a_unit_the_analyte_cannot_convert_judges_nothing():
    # CRP in mg/L against a range in mg/dL would need no molar mass, but Carnet has no rule for it: no flag
    got = rows("CRP   12   mg/L   (0 - 0,5 mg/dL)")
    assert got["crp"][2:] == (None, None, None)
    got = rows("CRP   12   mg/L   (0 - 0,5 mg/dL)   H")
    assert got["crp"][4] == "H"  # the lab's own marker when its range cannot be used


# Quest-like US panel: the flag sits beside the value, the unit after the reference range
US_PANEL_QUEST = """COMPREHENSIVE METABOLIC PANEL
Test Name              In Range    Out of Range   Reference Range   Lab
GLUCOSE                            105 H          65-99 mg/dL       EN
SODIUM                 140                        135-146 mmol/L    EN
CHLORIDE               101                        98-110 mmol/L     EN
CALCIUM                            10.8 H         8.6-10.3 mg/dL    EN
"""


def test_us_panel_with_the_unit_after_the_range():
    got = rows(US_PANEL_QUEST)
    assert got["glycemie"] == (105.0, "mg/dL", 65.0, 99.0, "H")
    assert got["chlore"] == (101.0, "mmol/L", 98.0, 110.0, None)
    assert got["sodium"][4] is None
    assert got["calcium"][4] == "H"


# LabCorp-like: a footnote number after the name, "High" spelled out, a previous result and its date, units
US_PANEL_LABCORP = """Test                     Current Result and Flag   Previous Result and Date   Units    Reference Interval
Glucose 01               105  High                 98   01/02/2024            mg/dL    65-99
Chloride 01              101                       100  01/02/2024            mmol/L   96-106
Potassium 01             3.2  Low                  4.1  01/02/2024            mmol/L   3.5-5.2
"""


def test_us_panel_with_a_footnote_number_and_a_previous_result():
    got = rows(US_PANEL_LABCORP)
    assert got["glycemie"] == (105.0, "mg/dL", 65.0, 99.0, "H")
    assert got["chlore"] == (101.0, "mmol/L", 96.0, 106.0, None)
    assert got["potassium"] == (3.2, "mmol/L", 3.5, 5.2, "L")


def test_one_range_per_sex_is_not_a_range_for_this_patient():
    got = rows("Hémoglobine   12,8 g/dL   (H : 13,0-17,0 ; F : 12,0-16,0)")
    assert got["hemoglobine"][2:] == (None, None, None)  # neither "low" (man) nor normal: not judged
    got = rows("Creatinine   95 umol/L   Male: 62-106  Female: 44-80   H")
    assert got["creatinine"][4] == "H"  # the lab, which knows the patient's sex, marked it
    got = rows("Ferritine   25 ng/mL   Femme : 15-150")
    assert got["ferritine"][4] is None and got["ferritine"][2:4] == (15.0, 150.0)  # one range: used


def test_range_first_then_marker_then_nothing():
    assert rows("Sodium   131 mmol/L   *   (135-145)")["sodium"][4] == "L"  # "*" takes its direction from the range
    assert rows("TSH   6,20 mUI/L   *")["tsh"][4] == "A"  # "*" with no range: abnormal, no direction
    assert rows("Ferritine   12 ng/mL   B")["ferritine"][4] == "L"
    assert rows("Ferritine   120 ng/mL")["ferritine"][4] is None


def test_ocr_misreadings_do_not_make_flags():
    # OCR dropped the decimal commas of the range (3,5-5,1 read "35-51"): a factor 8 off, not a result
    assert rows("Kaliémie:    4,1.      mmol/L   35-51", ocr=True)["potassium"][4] is None
    # OCR read "0,27" as "0;27": the dash between the bounds is not the lab's "-" marker
    assert rows("TSH      2,47     mUIL 0;27 - 4,20", ocr=True)["tsh"][4] is None
    # a lone "-" column after a normal chloride's range
    assert rows("‘Chlorémie    ‘101   mmol/L       98-107     -         103 (19/05/25)", ocr=True)["chlore"][4] is None


def test_range_in_unit():
    assert range_in_unit(Range(136, 145, "mEq/L"), "sodium", "mmol/L") == Range(136, 145, "mmol/L")
    r = range_in_unit(Range(0.7, 1.1, "g/L"), "glycemie", "mmol/L")
    assert r.low == pytest.approx(3.886, abs=1e-3) and r.unit == "mmol/L"
    assert range_in_unit(Range(0.7, 1.1, "g/L"), "ferritine", "mmol/L") is None
    assert range_in_unit(Range(None, None, "g/L"), "glycemie", "g/L") is None


def test_decide_a_coded_result():
    # a CDA observation: range first, then interpretationCode
    assert decide(101.0, "mmol/L", Range(98, 107), marker="L", analyte="chlore")[0] is None
    assert decide(6.9, "mmol/L", None, marker="H", analyte="glycemie")[0] == "H"
    assert decide(6.9, "mmol/L", None, marker="A")[0] == "A"
    assert decide(6.9, "mmol/L", None)[0] is None


def test_level_three_cda_observations_are_judged_by_their_reference_range_first():
    from pathlib import Path

    from ingest.cda import read_cda_document
    from ingest.pipeline import _coded_lab_values

    xml = (Path(__file__).parent.parent / "fixtures" / "cda" / "PCDA1" / "crbio-2025-03-12.xml").read_text()
    # a sender that codes the creatinine "L" although its own range says normal, prints the potassium range in
    # mEq/L, and codes a result abnormal ("A") without any range
    xml = xml.replace('value="82" unit="umol/L"/>\n            <interpretationCode code="N"',
                      'value="82" unit="umol/L"/>\n            <interpretationCode code="L"')
    xml = xml.replace('<low value="3.5" unit="mmol/L"/><high value="5.0" unit="mmol/L"/>',
                      '<low value="3.5" unit="meq/L"/><high value="3.9" unit="meq/L"/>')
    xml = xml.replace('<value xsi:type="PQ" value="7.2" unit="%"/>\n            <interpretationCode code="H" '
                      'codeSystem="2.16.840.1.113883.5.83"/>\n            <referenceRange><observationRange><value '
                      'xsi:type="IVL_PQ"><low value="4.0" unit="%"/><high value="6.0" unit="%"/></value>'
                      '</observationRange></referenceRange>',
                      '<value xsi:type="PQ" value="7.2" unit="%"/>\n            <interpretationCode code="A" '
                      'codeSystem="2.16.840.1.113883.5.83"/>')
    assert 'code="A"' in xml and "meq/L" in xml
    rows = {r["analyte"]: r for r in _coded_lab_values(read_cda_document(xml.encode(), "x.xml"), {})}
    assert rows["creatinine"]["flag"] is None  # 82 in 45-90: the range wins over the code
    assert (rows["potassium"]["flag"], rows["potassium"]["high"]) == ("H", 3.9)  # 4.1 mmol/L above 3.9 mEq/L
    assert (rows["hba1c"]["flag"], rows["hba1c"]["low"]) == ("A", None)  # no range: the sender's "A"
    assert rows["dfg"]["flag"] == "L"
