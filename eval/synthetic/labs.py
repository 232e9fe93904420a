"""Lab analytes, reference ranges, panels and value simulation for synthetic lab reports."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from .model import Patient


@dataclass(frozen=True)
class Test:
    name: str  # internal id
    analyte: str  # lexicon ANALYTES key, or another name
    labels: tuple[str, ...]  # printed label variants (French)
    label_en: str
    unit: str
    low: float | None
    high: float | None
    dec: int
    mu: float
    sd: float
    alt_unit: tuple[str, float, int] | None = None  # (unit, factor, decimals)


T = {t.name: t for t in [
    Test("hematies", "hematies", ("Hématies", "Globules rouges"), "Red blood cells", "T/L", 4.28, 5.79, 2, 4.7, 0.35),
    Test("hb", "hemoglobine", ("Hémoglobine", "Hémoglobine (Hb)"), "Haemoglobin", "g/dL", 13.0, 17.0, 1, 14.2, 1.0,
         ("g/L", 10, 0)),
    Test("ht", "hematocrite", ("Hématocrite",), "Haematocrit", "%", 39.0, 50.0, 1, 43, 3),
    Test("vgm", "vgm", ("V.G.M.", "Volume globulaire moyen"), "MCV", "fL", 80, 100, 1, 89, 4),
    Test("tcmh", "tcmh", ("T.C.M.H.",), "MCH", "pg", 27, 32, 1, 29.5, 1.2),
    Test("leuco", "leucocytes", ("Leucocytes", "Globules blancs"), "White cells", "G/L", 4.0, 10.0, 2, 6.8, 1.5),
    Test("pnn", "neutrophiles", ("Polynucléaires neutrophiles", "Neutrophiles"), "Neutrophils", "G/L", 1.8, 7.5, 2, 4.0, 1.1),
    Test("lympho", "lymphocytes", ("Lymphocytes",), "Lymphocytes", "G/L", 1.0, 4.0, 2, 2.1, 0.6),
    Test("plq", "plaquettes", ("Plaquettes", "Numération plaquettaire"), "Platelets", "G/L", 150, 400, 0, 255, 55),
    Test("na", "sodium", ("Sodium", "Natrémie", "Sodium (Na+)"), "Sodium", "mmol/L", 136, 145, 0, 140, 2.2),
    Test("k", "potassium", ("Potassium", "Kaliémie", "Potassium (K+)"), "Potassium", "mmol/L", 3.5, 5.1, 1, 4.2, 0.35),
    Test("cl", "chlore", ("Chlore", "Chlorémie"), "Chloride", "mmol/L", 98, 107, 0, 102, 2),
    Test("bicar", "bicarbonates", ("Bicarbonates", "CO2 total"), "Bicarbonate", "mmol/L", 22, 29, 0, 25, 2),
    Test("uree", "uree", ("Urée",), "Urea", "mmol/L", 2.8, 7.6, 1, 5.2, 1.2),
    Test("creat", "creatinine", ("Créatinine", "Créatininémie", "Créatinine sérique"), "Creatinine", "µmol/L", 59, 104, 0,
         80, 12, ("mg/L", 0.113, 1)),
    Test("dfg", "dfg", ("DFG estimé (CKD-EPI)", "Débit de filtration glomérulaire (CKD-EPI)", "DFG selon CKD-EPI"), "eGFR",
         "mL/min/1,73 m²", 60, None, 0, 88, 12),
    Test("ct", "cholesterol-total", ("Cholestérol total",), "Total cholesterol", "g/L", 1.50, 2.00, 2, 1.95, 0.3,
         ("mmol/L", 2.586, 2)),
    Test("hdl", "cholesterol-hdl", ("HDL-cholestérol", "Cholestérol HDL"), "HDL cholesterol", "g/L", 0.40, None, 2, 0.52,
         0.1, ("mmol/L", 2.586, 2)),
    Test("ldl", "cholesterol-ldl", ("LDL-cholestérol (calculé)", "Cholestérol LDL (Friedewald)", "LDL-cholestérol"),
         "LDL cholesterol", "g/L", None, 1.60, 2, 1.25, 0.3, ("mmol/L", 2.586, 2)),
    Test("tg", "triglycerides", ("Triglycérides",), "Triglycerides", "g/L", 0.35, 1.50, 2, 1.1, 0.35,
         ("mmol/L", 1.142, 2)),
    Test("gly", "glycemie", ("Glycémie à jeun", "Glucose (à jeun)", "Glycémie"), "Fasting glucose", "g/L", 0.70, 1.10, 2,
         0.92, 0.08, ("mmol/L", 5.55, 2)),
    Test("hba1c", "hba1c", ("Hémoglobine glyquée (HbA1c)", "HbA1c", "Hémoglobine A1c (HPLC)"), "HbA1c", "%", 4.0, 6.0,
         1, 5.4, 0.3),
    Test("tsh", "tsh", ("TSH", "TSH ultrasensible", "Thyréostimuline (TSH)"), "TSH", "mUI/L", 0.27, 4.20, 2, 1.8, 0.8),
    Test("crp", "crp", ("Protéine C réactive (CRP)", "CRP", "C-réactive protéine"), "CRP", "mg/L", None, 5.0, 1, 2.0,
         1.5),
    Test("ferritine", "ferritine", ("Ferritine", "Ferritinémie"), "Ferritin", "µg/L", 30, 400, 0, 140, 60),
    Test("asat", "transaminases", ("ASAT (TGO)", "Aspartate aminotransférase"), "AST", "UI/L", None, 35, 0, 24, 6),
    Test("alat", "transaminases", ("ALAT (TGP)", "Alanine aminotransférase"), "ALT", "UI/L", None, 45, 0, 27, 9),
    Test("ggt", "ggt", ("Gamma-GT", "Gamma glutamyl-transférase"), "GGT", "UI/L", None, 55, 0, 32, 14),
    Test("pal", "phosphatases-alcalines", ("Phosphatases alcalines",), "Alkaline phosphatase", "UI/L", 40, 130, 0, 75, 18),
    Test("bili", "bilirubine", ("Bilirubine totale",), "Total bilirubin", "µmol/L", None, 21, 0, 10, 4),
    Test("bnp", "bnp", ("NT-proBNP", "NT-pro BNP"), "NT-proBNP", "ng/L", None, 450, 0, 180, 90),
    Test("tropo", "troponine", ("Troponine T hs", "Troponine I ultrasensible"), "Troponin T hs", "ng/L", None, 14, 0, 7, 3),
    Test("vitd", "vitamine-d", ("25-OH vitamine D (D2+D3)", "Vitamine D 25-OH"), "25-OH vitamin D", "ng/mL", 30, 100, 0,
         24, 8),
    Test("rac", "albuminurie", ("Rapport albumine/créatinine urinaire", "Microalbuminurie (RAC)"), "Urine ACR",
         "mg/mmol", None, 3.0, 1, 1.5, 0.8),
    Test("inr", "inr", ("INR",), "INR", "", 0.8, 1.2, 2, 1.0, 0.06),
    Test("tp", "tp", ("Taux de prothrombine",), "Prothrombin ratio", "%", 70, None, 0, 92, 6),
    Test("au", "acide-urique", ("Acide urique", "Uricémie"), "Uric acid", "µmol/L", 200, 420, 0, 330, 60),
    Test("psa", "psa", ("PSA total",), "PSA", "ng/mL", None, 4.0, 2, 1.3, 0.7),
    Test("hcg", "beta-hcg", ("β-hCG plasmatique",), "beta-hCG", "UI/L", None, 5, 0, 2, 1),
    Test("toxo", "toxoplasmose-igg", ("Toxoplasmose IgG",), "Toxoplasma IgG", "UI/mL", None, 8, 1, 2, 1),
    Test("rub", "rubeole-igg", ("Rubéole IgG",), "Rubella IgG", "UI/mL", 10, None, 0, 45, 15),
    Test("hgpo0", "glycemie", ("HGPO 75 g — T0",), "OGTT T0", "g/L", None, 0.92, 2, 0.85, 0.06),
    Test("hgpo60", "glycemie", ("HGPO 75 g — T60 min",), "OGTT T60", "g/L", None, 1.80, 2, 1.45, 0.2),
    Test("hgpo120", "glycemie", ("HGPO 75 g — T120 min",), "OGTT T120", "g/L", None, 1.53, 2, 1.2, 0.15),
]}

PANELS: dict[str, tuple[str, list[str]]] = {
    "nfs": ("HÉMATOLOGIE — Numération formule sanguine", ["hematies", "hb", "ht", "vgm", "tcmh", "leuco", "pnn", "lympho", "plq"]),
    "iono": ("BIOCHIMIE — Ionogramme sanguin", ["na", "k", "cl", "bicar"]),
    "rein": ("Fonction rénale", ["uree", "creat", "dfg"]),
    "lipides": ("Exploration d'une anomalie lipidique (EAL)", ["ct", "hdl", "ldl", "tg"]),
    "gly": ("Métabolisme glucidique", ["gly"]),
    "hba1c": ("Équilibre glycémique", ["hba1c"]),
    "tsh": ("HORMONOLOGIE — Thyroïde", ["tsh"]),
    "crp": ("Inflammation", ["crp"]),
    "fer": ("Bilan martial", ["ferritine"]),
    "hep": ("Bilan hépatique", ["asat", "alat", "ggt", "pal", "bili"]),
    "bnp": ("Marqueurs cardiaques", ["bnp"]),
    "tropo": ("Marqueurs cardiaques", ["tropo"]),
    "vitd": ("Vitamines", ["vitd"]),
    "rac": ("URINES — Biochimie urinaire", ["rac"]),
    "hemostase": ("HÉMOSTASE", ["tp", "inr"]),
    "au": ("Biochimie", ["au"]),
    "psa": ("Marqueurs", ["psa"]),
    "grossesse": ("SÉROLOGIES — Suivi de grossesse", ["toxo", "rub"]),
    "hcg": ("Hormonologie", ["hcg"]),
    "hgpo": ("Hyperglycémie provoquée par voie orale (75 g)", ["hgpo0", "hgpo60", "hgpo120"]),
}

PANEL_EN = {"nfs": "Full blood count", "iono": "Electrolytes", "rein": "Renal function", "lipides": "Lipid profile",
            "gly": "Glucose", "hba1c": "Glycaemic control", "tsh": "Thyroid", "crp": "Inflammation", "fer": "Iron studies",
            "hep": "Liver function tests", "bnp": "Cardiac markers", "tropo": "Cardiac markers", "vitd": "Vitamins",
            "rac": "Urine", "hemostase": "Coagulation", "au": "Biochemistry", "psa": "Tumour markers",
            "grossesse": "Antenatal serology", "hcg": "Hormones", "hgpo": "Oral glucose tolerance test"}


def _sex_adjust(t: Test, p: Patient) -> tuple[float | None, float | None, float]:
    low, high, mu = t.low, t.high, t.mu
    if p.sex == "F":
        if t.name == "hb":
            low, high, mu = 12.0, 16.0, 13.2
        elif t.name == "creat":
            low, high, mu = 45, 84, 66
        elif t.name == "ferritine":
            low, high, mu = 15, 150, 60
        elif t.name == "hematies":
            low, high, mu = 3.92, 5.08, 4.4
        elif t.name == "ht":
            low, high, mu = 35.0, 46.0, 40
    return low, high, mu


def simulate(p: Patient, d: date, panels: list[str], rng: random.Random) -> list[tuple[str, list[dict]]]:
    """Values for the panels at date d, following the patient's story state (p.facts['lab'])."""
    targets = p.facts.get("lab_targets", {})
    out = []
    for key in panels:
        title, names = PANELS[key]
        rows = []
        for n in names:
            t = T[n]
            low, high, mu = _sex_adjust(t, p)
            fn = targets.get(n)
            if fn is not None:
                mu = fn(d)
                v = mu + rng.gauss(0, t.sd * 0.15)
            else:
                v = rng.gauss(mu, t.sd)
            if t.name in ("dfg",) and "creat" in names:
                pass
            v = max(v, 0.01 if t.dec else 1)
            v = round(v, t.dec)
            flag = None
            if low is not None and v < low:
                flag = "L"
            elif high is not None and v > high:
                flag = "H"
            rows.append({"test": t, "value": v, "low": low, "high": high, "flag": flag})
        # derived: DFG consistent with creatinine, LDL from Friedewald
        byname = {r["test"].name: r for r in rows}
        if "creat" in byname and "dfg" in byname and "dfg" not in targets:
            cr = byname["creat"]["value"] / 88.4
            age = max(p.age(d), 18)
            k, a = (0.7, -0.241) if p.sex == "F" else (0.9, -0.302)
            egfr = 142 * min(cr / k, 1) ** a * max(cr / k, 1) ** -1.2 * 0.9938 ** age * (1.012 if p.sex == "F" else 1)
            byname["dfg"]["value"] = round(min(egfr, 120), 0)
            byname["dfg"]["flag"] = "L" if egfr < 60 else None
        if {"ct", "hdl", "tg", "ldl"} <= set(byname) and "ldl" not in targets:
            pass
        if {"ct", "hdl", "tg", "ldl"} <= set(byname):
            ldl = byname["ldl"]["value"]
            ct = round(ldl + byname["hdl"]["value"] + byname["tg"]["value"] / 5, 2)
            byname["ct"]["value"] = ct
            byname["ct"]["flag"] = "H" if ct > 2.0 else ("L" if ct < 1.5 else None)
        out.append((key, rows))
    return out
