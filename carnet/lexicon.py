"""Words doctors use for exams and lab analytes, shared by document understanding and query parsing.

A document that *is* an echocardiography report and a question asking for "la dernière ETT" must land
on the same key ("echocardiographie"): ingestion tags documents with exam keys (the DMP's
eventCodeList plays this role), the query parser turns words into the same keys.

Synonyms are written lower-case and without accents; match them on text normalised with
`carnet.text.fold` and on word boundaries. Both sides may add synonyms: keep keys stable.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Exam:
    key: str
    label: str  # French
    label_en: str
    synonyms: tuple[str, ...]  # folded (lower-case, no accents)
    type_code: str  # the LOINC type its report usually carries


EXAMS: dict[str, Exam] = {
    e.key: e
    for e in [
        Exam("echocardiographie", "Échocardiographie", "Echocardiography",
             ("echocardiographie", "echocardiogramme", "echographie cardiaque", "ett", "eto", "echo coeur",
              "echo cardiaque", "echocardiography", "echocardiogram", "cardiac echo", "cardiac ultrasound",
              "transthoracic echo", "tte"), "70004-7"),
        Exam("ecg", "Électrocardiogramme", "Electrocardiogram",
             ("ecg", "electrocardiogramme", "electrocardiographie", "ekg", "electrocardiogram"), "70004-7"),
        Exam("holter", "Holter", "Holter monitoring",
             ("holter", "holter ecg", "holter tensionnel", "mapa", "enregistrement holter"), "70004-7"),
        Exam("epreuve-effort", "Épreuve d'effort", "Exercise stress test",
             ("epreuve d'effort", "test d'effort", "ecg d'effort", "stress test", "exercise test"), "70004-7"),
        Exam("efr", "Explorations fonctionnelles respiratoires", "Pulmonary function tests",
             ("efr", "exploration fonctionnelle respiratoire", "explorations fonctionnelles respiratoires",
              "spirometrie", "spirometry", "pulmonary function", "pft"), "70004-7"),
        Exam("radiographie", "Radiographie", "X-ray",
             ("radiographie", "radio", "rx", "cliche", "x-ray", "xray", "radiograph"), "18748-4"),
        Exam("echographie", "Échographie", "Ultrasound",
             ("echographie", "echo", "ultrasound", "sonography", "doppler", "echo-doppler"), "18748-4"),
        Exam("scanner", "Scanner (TDM)", "CT scan",
             ("scanner", "tdm", "tomodensitometrie", "uroscanner", "angioscanner", "ct", "ct scan",
              "computed tomography", "cat scan"), "18748-4"),
        Exam("irm", "IRM", "MRI",
             ("irm", "imagerie par resonance magnetique", "mri", "magnetic resonance", "angio-irm"), "18748-4"),
        Exam("mammographie", "Mammographie", "Mammography",
             ("mammographie", "mammo", "mammography", "mammogram", "tomosynthese"), "18748-4"),
        Exam("scintigraphie", "Scintigraphie", "Scintigraphy",
             ("scintigraphie", "tep", "pet scan", "pet-ct", "tep-tdm", "scintigraphy"), "18748-4"),
        Exam("densitometrie", "Ostéodensitométrie", "Bone densitometry",
             ("osteodensitometrie", "densitometrie", "dexa", "dxa", "bone density"), "18748-4"),
        Exam("coloscopie", "Coloscopie", "Colonoscopy", ("coloscopie", "colonoscopy"), "70004-7"),
        Exam("endoscopie", "Endoscopie digestive haute", "Upper GI endoscopy",
             ("fibroscopie", "gastroscopie", "fogd", "endoscopie", "gastroscopy", "endoscopy"), "70004-7"),
        Exam("eeg", "Électroencéphalogramme", "EEG", ("eeg", "electroencephalogramme", "electroencephalogram"),
             "70004-7"),
        Exam("emg", "Électromyogramme", "EMG", ("emg", "electromyogramme", "electromyography"), "70004-7"),
        Exam("fond-oeil", "Fond d'œil", "Fundoscopy", ("fond d'oeil", "fond d oeil", "fundoscopy", "oct"), "78513-9"),
        Exam("audiometrie", "Audiométrie", "Audiometry", ("audiometrie", "audiogramme", "audiometry"), "70004-7"),
        Exam("polysomnographie", "Polysomnographie", "Sleep study",
             ("polysomnographie", "polygraphie ventilatoire", "sleep study", "polysomnography"), "70004-7"),
        Exam("coronarographie", "Coronarographie", "Coronary angiography",
             ("coronarographie", "coronary angiography", "cardiac catheterization"), "70004-7"),
    ]
}


@dataclass(frozen=True)
class Analyte:
    key: str
    label: str
    synonyms: tuple[str, ...]  # folded


ANALYTES: dict[str, Analyte] = {
    a.key: a
    for a in [
        Analyte("hba1c", "HbA1c", ("hba1c", "hb a1c", "hemoglobine glyquee", "hemoglobine glycosylee", "glycated haemoglobin",
                                   "glycated hemoglobin", "a1c")),
        Analyte("glycemie", "Glycémie", ("glycemie", "glucose", "glycemie a jeun", "fasting glucose", "blood sugar")),
        Analyte("creatinine", "Créatinine", ("creatinine", "creatininemie", "creat")),
        Analyte("dfg", "DFG", ("dfg", "debit de filtration glomerulaire", "egfr", "gfr", "ckd-epi", "clairance")),
        Analyte("cholesterol-ldl", "LDL-cholestérol", ("ldl", "ldl-c", "ldl cholesterol", "cholesterol ldl")),
        Analyte("cholesterol-hdl", "HDL-cholestérol", ("hdl", "hdl-c", "hdl cholesterol", "cholesterol hdl")),
        Analyte("cholesterol-total", "Cholestérol total", ("cholesterol total", "total cholesterol", "cholesterol")),
        Analyte("triglycerides", "Triglycérides", ("triglycerides", "tg")),
        Analyte("hemoglobine", "Hémoglobine", ("hemoglobine", "haemoglobin", "hemoglobin", "hb")),
        Analyte("nfs", "NFS", ("nfs", "numeration formule sanguine", "hemogramme", "cbc", "full blood count",
                               "complete blood count", "numeration")),
        Analyte("plaquettes", "Plaquettes", ("plaquettes", "platelets", "thrombocytes")),
        Analyte("leucocytes", "Leucocytes", ("leucocytes", "globules blancs", "white blood cells", "wbc")),
        Analyte("tsh", "TSH", ("tsh", "thyreostimuline", "thyroid stimulating hormone")),
        Analyte("crp", "CRP", ("crp", "proteine c reactive", "c-reactive protein")),
        Analyte("ferritine", "Ferritine", ("ferritine", "ferritin")),
        Analyte("potassium", "Potassium", ("potassium", "kaliemie", "k+")),
        Analyte("sodium", "Sodium", ("sodium", "natremie", "na+")),
        Analyte("inr", "INR", ("inr", "tp", "taux de prothrombine", "prothrombin")),
        Analyte("bnp", "BNP / NT-proBNP", ("bnp", "nt-probnp", "nt probnp", "peptide natriuretique")),
        Analyte("troponine", "Troponine", ("troponine", "troponin", "tnt", "tni", "troponine us")),
        Analyte("transaminases", "Transaminases", ("transaminases", "asat", "alat", "alt", "ast", "sgot", "sgpt")),
        Analyte("ggt", "Gamma-GT", ("ggt", "gamma gt", "gamma-gt", "gamma glutamyl transferase")),
        Analyte("psa", "PSA", ("psa", "antigene prostatique specifique", "prostate specific antigen")),
        Analyte("vitamine-d", "Vitamine D", ("vitamine d", "25-oh vitamine d", "vitamin d", "25(oh)d")),
        Analyte("albuminurie", "Microalbuminurie", ("microalbuminurie", "albuminurie", "rac", "rapport albumine/creatinine",
                                                   "albumin creatinine ratio", "uacr")),
        Analyte("acide-urique", "Acide urique", ("acide urique", "uricemie", "uric acid")),
        # the rest of the routine panels: blood count, electrolytes, kidney, liver, iron, coagulation, vitamins
        Analyte("hematies", "Hématies", ("hematies", "globules rouges", "erythrocytes", "red blood cells", "rbc")),
        Analyte("hematocrite", "Hématocrite", ("hematocrite", "haematocrit", "hematocrit", "hte")),
        Analyte("vgm", "VGM", ("vgm", "volume globulaire moyen", "mean corpuscular volume", "mcv")),
        Analyte("tcmh", "TCMH", ("tcmh", "t.c.m.h.", "teneur corpusculaire moyenne en hemoglobine", "mch")),
        Analyte("ccmh", "CCMH", ("ccmh", "concentration corpusculaire moyenne en hemoglobine", "mchc")),
        Analyte("neutrophiles", "Neutrophiles", ("neutrophiles", "polynucleaires neutrophiles", "pnn", "neutrophils")),
        Analyte("lymphocytes", "Lymphocytes", ("lymphocytes", "lymphocytes totaux")),
        Analyte("eosinophiles", "Éosinophiles", ("eosinophiles", "polynucleaires eosinophiles", "eosinophils")),
        Analyte("monocytes", "Monocytes", ("monocytes",)),
        Analyte("uree", "Urée", ("uree", "uremie", "urea", "blood urea nitrogen", "bun")),
        Analyte("chlore", "Chlore", ("chlore", "chlorure", "chlorures", "chloremie", "chloride")),
        Analyte("bicarbonates", "Bicarbonates", ("bicarbonates", "bicarbonate", "co2 total", "reserve alcaline",
                                                 "hco3")),
        Analyte("calcium", "Calcium", ("calcium", "calcemie", "calcium corrige")),
        Analyte("phosphore", "Phosphore", ("phosphore", "phosphoremie", "phosphate", "phosphates")),
        Analyte("magnesium", "Magnésium", ("magnesium", "magnesemie")),
        Analyte("phosphatases-alcalines", "Phosphatases alcalines", ("phosphatases alcalines", "pal", "alkaline phosphatase",
                                                                     "alp")),
        Analyte("bilirubine", "Bilirubine", ("bilirubine", "bilirubine totale", "bilirubin")),
        Analyte("albumine", "Albumine", ("albumine", "albuminemie", "albumin")),
        Analyte("lipase", "Lipase", ("lipase", "lipasemie")),
        Analyte("ck", "CPK", ("cpk", "creatine kinase", "creatine phosphokinase")),
        Analyte("fer", "Fer sérique", ("fer serique", "sideremie", "serum iron")),
        Analyte("transferrine", "Transferrine", ("transferrine", "coefficient de saturation de la transferrine", "cst",
                                                 "transferrin", "transferrin saturation")),
        Analyte("vitamine-b12", "Vitamine B12", ("vitamine b12", "cobalamine", "vitamin b12")),
        Analyte("folates", "Folates", ("folates", "acide folique", "folate", "folic acid")),
        Analyte("t4-libre", "T4 libre", ("t4 libre", "t4l", "free t4", "ft4", "thyroxine libre")),
        Analyte("fibrinogene", "Fibrinogène", ("fibrinogene", "fibrinogen")),
        Analyte("d-dimeres", "D-dimères", ("d-dimeres", "d dimeres", "d-dimer", "d-dimers")),
        Analyte("tca", "TCA", ("tca", "temps de cephaline activee", "aptt")),
        Analyte("vitesse-sedimentation", "Vitesse de sédimentation", ("vitesse de sedimentation", "esr")),
        Analyte("beta-hcg", "β-hCG", ("beta-hcg", "beta hcg", "hcg", "bhcg")),
        Analyte("toxoplasmose-igg", "Toxoplasmose IgG", ("toxoplasmose", "toxoplasmosis")),
        Analyte("rubeole-igg", "Rubéole IgG", ("rubeole", "rubella")),
    ]
}
