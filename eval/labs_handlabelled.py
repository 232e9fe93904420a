"""Hand-written, hand-labelled lab reports for measuring lab values and their flags (eval/facts.py labs).

Written for this measure after the flag rules, in layouts the generator does not print: a French hospital lab
with two unit columns, a French private lab with sex-specific ranges and a range in another unit, a US
hospital chemistry panel (flag column, "Ref Range" after the unit), a UK renal profile, a report read by
OCR with its misreadings. All fictional. Labels: (analyte key, value, flag) with flag "H" / "L" / "A" / None
as the report's own range (in the value's unit) or, without one, its marker says.
"""

REPORTS = [
    {"ocr": False, "text": """CHU DE SAINT-VALLIER - Laboratoire de biochimie
Patient : M. D.        Prélèvement du 03/02/2025 07:10
Analyse                  Résultat             Résultat SI          Valeurs de référence
Glucose                  1,32 g/L             7,33 mmol/L          0,74 - 1,06 g/L
Urée                     0,45 g/L             7,5 mmol/L           0,15 - 0,45 g/L
Créatinine               14,2 mg/L            126 µmol/L           7,0 - 12,0 mg/L
Sodium                   137 mmol/L                                 136 - 146
Chlore                   99 mmol/L                                  98 - 107
Calcium                  92 mg/L              2,30 mmol/L          86 - 102 mg/L""",
     "labels": [("glycemie", 1.32, "H"), ("uree", 0.45, None), ("creatinine", 14.2, "H"), ("sodium", 137.0, None),
                ("chlore", 99.0, None), ("calcium", 92.0, None)]},

    {"ocr": False, "text": """LABORATOIRE CERBALLIANCE DES DOMBES
Hématologie
Hémoglobine ............ 12,4 g/dL      Hommes : 13,4-16,7   Femmes : 11,5-14,9
Hématocrite ............ 37 %           Hommes : 39-49   Femmes : 34-44
Ferritine .............. 18 µg/L        (F : 15-150)
Biochimie
Glycémie à jeun ........ 6,4 mmol/L     (0,70 à 1,10 g/L)
Potassium .............. 3,3 mEq/L      [3,5 - 5,0 mmol/L]
Magnésium .............. 0,62 mmol/L    (18 - 24 mg/L)""",
     "labels": [("hemoglobine", 12.4, None), ("hematocrite", 37.0, None), ("ferritine", 18.0, None),
                ("glycemie", 6.4, "H"), ("potassium", 3.3, "L"), ("magnesium", 0.62, "L")]},

    {"ocr": False, "text": """MERCY GENERAL HOSPITAL - CLINICAL LABORATORY
Collected: 06/14/2025 05:42   Received: 06/14/2025 06:01
BASIC METABOLIC PANEL
Component            Value      Flag    Units      Ref Range
Sodium               133        L       mmol/L     135 - 145
Potassium            4.4                mmol/L     3.5 - 5.1
Chloride             104                mmol/L     98 - 107
CO2                  19         L       mmol/L     22 - 29
BUN                  31         H       mg/dL      7 - 20
Creatinine           1.9        H       mg/dL      0.6 - 1.2
Glucose              212        H       mg/dL      70 - 99
Calcium              8.9                mg/dL      8.5 - 10.2""",
     "labels": [("sodium", 133.0, "L"), ("potassium", 4.4, None), ("chlore", 104.0, None),
                ("bicarbonates", 19.0, "L"), ("uree", 31.0, "H"), ("creatinine", 1.9, "H"),
                ("glycemie", 212.0, "H"), ("calcium", 8.9, None)]},

    {"ocr": False, "text": """Pathology Department - Royal Infirmary
U&E / Renal profile
Sodium         139 mmol/L    (133-146)
Potassium      5.9 mmol/L    (3.5-5.3)   H
Urea           12.1 mmol/L   (2.5-7.8)   H
Creatinine     212 umol/L    (59-104)    H
eGFR           26 mL/min/1.73m2   (>90)
Chloride       101 mmol/L    (95-108)""",
     "labels": [("sodium", 139.0, None), ("potassium", 5.9, "H"), ("uree", 12.1, "H"), ("creatinine", 212.0, "H"),
                ("dfg", 26.0, "L"), ("chlore", 101.0, None)]},

    {"ocr": True, "text": """LABO DES TERREAUX   compte rendu
Natremie    141    mmol/L     135-145     -      139 (02/25)
Chloremie   102    mmol/L     98-107      -      100 (02/25)
Kaliemie    4,6    mmol/L     35-51              4,2 (02/25)
Calcemie    2,36   mmol/L     2;20 - 2,60
Glycemie    5,1    mmol/L     [3,9 ; 5,8]
TSH         5,9  * mUI/L      0,27 - 4,20""",
     "labels": [("sodium", 141.0, None), ("chlore", 102.0, None), ("potassium", 4.6, None),
                ("calcium", 2.36, None), ("glycemie", 5.1, None), ("tsh", 5.9, "H")]},
]
