"""Lab value extraction on hand-written layouts (not the synthetic generator's)."""

from __future__ import annotations

import pytest

from carnet.models import ExtractedDocument, Page
from ingest.lab_analytes import analyte_key
from ingest.labs import extract_lab_values, parse_lab_text

pytestmark = pytest.mark.unit


def one(text: str, label: str):
    found = [v for v in parse_lab_text(text) if v.label == label]
    assert len(found) == 1, [v.label for v in parse_lab_text(text)]
    return found[0]


SPACED_COLUMNS = """LABORATOIRE DES TROIS RIVIERES
12 rue des Lilas 71000 Saint-Aubin   Tél 03 85 00 00 00
Prélevé le 12/03/2025 à 08h30      Page 1/2
                      Résultat   Unité     Valeurs de référence   Antériorité
Hémoglobine           13,2       g/dL      (13,0-17,0)            14,1 (02/2024)
Leucocytes            11,8       G/L       (4,0-10,0)     H       9,2
Plaquettes            250 000    /mm3      [150 000 - 400 000]
Sodium\t139\tmmol/L\t135-145
"""


def test_spaced_columns_with_previous_results():
    values = parse_lab_text(SPACED_COLUMNS)
    assert [v.label for v in values] == ["Hémoglobine", "Leucocytes", "Plaquettes", "Sodium"]  # no address, no date
    hb = one(SPACED_COLUMNS, "Hémoglobine")
    assert (hb.analyte, hb.value, hb.unit, hb.low, hb.high, hb.flag) == ("hemoglobine", 13.2, "g/dL", 13.0, 17.0, None)
    leuco = one(SPACED_COLUMNS, "Leucocytes")
    assert (leuco.value, leuco.flag) == (11.8, "H")
    plq = one(SPACED_COLUMNS, "Plaquettes")
    assert (plq.value, plq.unit, plq.low, plq.high) == (250000.0, "/mm3", 150000.0, 400000.0)
    na = one(SPACED_COLUMNS, "Sodium")
    assert (na.value, na.unit, na.low, na.high) == (139.0, "mmol/L", 135.0, 145.0)


def test_dot_leaders_and_star_flag_computed_from_range():
    v = one("Créatinine ........... 112 µmol/L   (45-104) *", "Créatinine")
    assert (v.analyte, v.value, v.unit, v.low, v.high, v.flag) == ("creatinine", 112.0, "µmol/L", 45.0, 104.0, "H")


@pytest.mark.parametrize("line,label,low,high,flag", [
    ("DFG (CKD-EPI)          58  mL/min/1,73m²   > 60", "DFG (CKD-EPI)", 60.0, None, "L"),
    ("HbA1c                  7,4 %   N: 4-6", "HbA1c", 4.0, 6.0, "H"),
    ("TSH : 2.1 mUI/L (0.4 - 4.0)", "TSH", 0.4, 4.0, None),
    ("Glycémie à jeun : 1,05 g/L (5,8 mmol/L)  [0,70-1,10]", "Glycémie à jeun", 0.70, 1.10, None),
    ("Ferritine 12 ng/mL 30 à 400 L", "Ferritine", 30.0, 400.0, "L"),
    ("Cholestérol LDL   1,62 g/L   [< 1,60]", "Cholestérol LDL", None, 1.60, "H"),
    ("Potassium ↑ 5,8 mmol/L [3.5 - 5.0]", "Potassium", 3.5, 5.0, "H"),
    ("Potassium    5,8 H    mmol/L    3,5 - 5,0", "Potassium", 3.5, 5.0, "H"),
    ("Sodium 131 mmol/L - (135-145)", "Sodium", 135.0, 145.0, "L"),
])
def test_ranges_and_flags(line, label, low, high, flag):
    v = one(line, label)
    assert (v.low, v.high, v.flag) == (low, high, flag)


def test_less_than_value_keeps_its_comparator_and_is_not_flagged():
    v = one("CRP                    < 0,5   mg/L    < 5", "CRP")
    assert (v.value, v.comparator, v.unit, v.high, v.flag) == (0.5, "<", "mg/L", 5.0, None)


def test_cells_on_separate_lines_are_joined():
    text = "Hématies\n4,52\nT/L\n4,50 - 5,90\nVGM\n88\nfL\n80 - 100\nCholestérol LDL\n1,62\ng/L\n< 1,60\nH\n"
    got = [(v.analyte, v.value, v.unit, v.low, v.high, v.flag) for v in parse_lab_text(text)]
    assert got == [("hematies", 4.52, "T/L", 4.5, 5.9, None), ("vgm", 88.0, "fL", 80.0, 100.0, None),
                   ("cholesterol-ldl", 1.62, "g/L", None, 1.6, "H")]


def test_digits_inside_labels_are_not_values():
    text = "Vitamine B12  350 pg/mL  187-883\nT4 libre 14.2 pmol/L 12 - 22\n25-OH vitamine D   32 ng/mL  30-100\nCA 19-9   12 U/mL  < 37"
    got = {v.label: v.value for v in parse_lab_text(text)}
    assert got == {"Vitamine B12": 350.0, "T4 libre": 14.2, "25-OH vitamine D": 32.0, "CA 19-9": 12.0}
    assert analyte_key("25-OH vitamine D") == "vitamine-d"


def test_english_report():
    text = "Test   Result   Units   Reference range\nHbA1c (IFCC)   58   mmol/mol   20 - 41\neGFR   61   mL/min/1.73m2   > 90"
    got = [(v.analyte, v.value, v.unit, v.flag) for v in parse_lab_text(text)]
    assert got == [("hba1c", 58.0, "mmol/mol", "H"), ("dfg", 61.0, "mL/min/1.73m2", "L")]


@pytest.mark.parametrize("label,key", [
    ("Hémoglobine glyquée (HbA1c)", "hba1c"), ("HDL-cholestérol", "cholesterol-hdl"),
    ("Cholestérol total", "cholesterol-total"), ("Clairance de la créatinine", "dfg"),
    ("Rapport albumine/créatinine", "albuminurie"), ("Numération plaquettaire", "plaquettes"),
    ("Polynucléaires neutrophiles", "neutrophiles"), ("Réticulocytes", "reticulocytes"), ("V.G.M.", "vgm"),
    ("Hémoglobine A1c (HPLC)", "hba1c"), ("Gamma\u00adGT", "ggt"),
])
def test_analyte_keys(label, key):
    assert analyte_key(label) == key


def test_prose_and_admin_lines_are_not_values():
    text = ("Dossier n° 240912-0087    Prescripteur : Dr Marchal\nNé(e) le : 01.01.1948   Age : 76 ans\n"
            "Commentaire : votre dernier bilan montrait une HbA1c à 7,4 %\nPage 1 / 2\n")
    assert parse_lab_text(text) == []


def test_extract_lab_values_gives_store_rows_with_pages():
    doc = ExtractedDocument(path="x.pdf", sha256="0", pages=(
        Page(1, "Créatinine   78 µmol/L   (45-104)"), Page(2, "TSH   6,2 mUI/L   (0,4-4,0)\nCréatinine   78 µmol/L   (45-104)")))
    rows = extract_lab_values(doc)
    assert [(r["analyte"], r["page"]) for r in rows] == [("creatinine", 1), ("tsh", 2)]
    assert set(rows[0]) == {"analyte", "label", "value", "unit", "low", "high", "flag", "page"}
    assert rows[1]["flag"] == "H"


def test_pdf_lookalike_characters():
    # soft hyphen as a range dash, Greek question mark as a semicolon, arrow glued to the unit
    text = "Hématocrite   37,7   %   35,0 \u00ad 46,0\nChlore   102   mmol/L   [98 \u037e 107]\nCholestérol HDL   0,32   ↓g/L   > 0,40"
    got = [(v.analyte, v.value, v.unit, v.low, v.high, v.flag) for v in parse_lab_text(text)]
    assert got == [("hematocrite", 37.7, "%", 35.0, 46.0, None), ("chlore", 102.0, "mmol/L", 98.0, 107.0, None),
                   ("cholesterol-hdl", 0.32, "g/L", 0.40, None, "L")]


def test_numbers_inside_the_label_and_spaced_units():
    text = ("HYPERGLYCÉMIE PROVOQUÉE PAR VOIE ORALE (75 G)\nHGPO 75 g — T60 min     1,31   g/L   < 1,80\n"
            "DFG selon CKD-EPI   75   mL/min/1,73 m²   > 60")
    got = [(v.analyte, v.value, v.unit) for v in parse_lab_text(text)]
    assert got == [("glycemie", 1.31, "g/L"), ("dfg", 75.0, "mL/min/1,73 m²")]
