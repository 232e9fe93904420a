"""Which analyte a lab row's label names: the keys of carnet.lexicon.ANALYTES, the words lab tables print
that the lexicon does not list, keys of their own for common analytes the lexicon has none for, ASAT and
ALAT apart from the "transaminases" family, a generic analyte giving way to a specific one in the same label
("Hémoglobine A1c" is HbA1c). A label outside them keeps its folded text as key.
"""

from __future__ import annotations

import re

from carnet.lexicon import ANALYTES
from carnet.text import fold

# A panel name is a header, not a measurement; it must not take the place of the row's own analyte.
_PANELS = {"nfs"}

# Words lab tables print that the shared lexicon does not list (folded); keys stay ANALYTES keys.
_EXTRA_SYNONYMS = {
    "plaquettes": ("numeration plaquettaire", "plaquettaire"),
    "glycemie": ("glucose a jeun", "hgpo", "hyperglycemie provoquee"),
    "ferritine": ("ferritinemie",),
    "dfg": ("filtration glomerulaire", "debit de filtration", "mdrd"),
    "crp": ("c reactive proteine", "proteine c-reactive", "c-reactive proteine"),
    "transaminases": ("aspartate aminotransferase", "alanine aminotransferase", "tgo", "tgp"),
    "hba1c": ("hemoglobine a1c", "hb glyquee"),
    "leucocytes": ("globules blancs", "white cells", "white cell count"),
    "bicarbonates": ("co2", "total co2"),  # US chemistry panels: "CO2" is the total CO2 (pCO2 is one word)
}
# Common analytes the shared lexicon has no key for: a key of their own (folded French name), so the same
# analyte gets the same key whatever the lab calls it ("Chlorémie", "Chlore", "Cl-").
_MORE_ANALYTES = {
    "uree": ("uree", "azotemie", "uree sanguine", "urea"),
    "chlore": ("chlore", "chloremie", "chlorure", "chlorures", "cl-", "chloride"),
    "bicarbonates": ("bicarbonates", "bicarbonate", "co2 total", "reserve alcaline", "hco3-", "hco3"),
    "calcium": ("calcium", "calcemie"),
    "phosphore": ("phosphore", "phosphoremie", "phosphate"),
    "magnesium": ("magnesium", "magnesemie"),
    "proteines": ("proteines totales", "protidemie", "proteines"),
    "albumine": ("albumine", "albuminemie"),
    "hematies": ("hematies", "globules rouges", "erythrocytes", "red blood cells", "rbc"),
    "hematocrite": ("hematocrite", "hte", "hct", "haematocrit", "hematocrit"),
    "vgm": ("vgm", "volume globulaire moyen", "mcv"),
    "tcmh": ("tcmh", "teneur corpusculaire moyenne en hemoglobine", "mch"),
    "ccmh": ("ccmh", "concentration corpusculaire moyenne en hemoglobine", "mchc"),
    "neutrophiles": ("neutrophiles", "polynucleaires neutrophiles", "pnn", "neutrophils"),
    "lymphocytes": ("lymphocytes", "lymphocytes totaux"),
    "monocytes": ("monocytes",),
    "eosinophiles": ("eosinophiles", "polynucleaires eosinophiles", "pne"),
    "basophiles": ("basophiles", "polynucleaires basophiles", "pnb"),
    "bilirubine": ("bilirubine", "bilirubine totale", "bilirubinemie"),
    "phosphatases-alcalines": ("phosphatases alcalines", "pal", "alkaline phosphatase"),
    "ldh": ("ldh", "lactate deshydrogenase", "lactico-deshydrogenase"),
    "cpk": ("cpk", "creatine kinase", "creatine phosphokinase", "ck"),
    "lipase": ("lipase", "lipasemie"),
    "fer": ("fer serique", "sideremie", "fer"),
    "folates": ("folates", "acide folique", "vitamine b9"),
    "vitamine-b12": ("vitamine b12", "cobalamine"),
    "t4-libre": ("t4 libre", "t4l", "ft4", "thyroxine libre"),
    "fibrinogene": ("fibrinogene",),
    "tca": ("tca", "temps de cephaline activee"),
    "beta-hcg": ("beta-hcg", "beta hcg", "hcg", "bhcg"),
}
# A generic analyte gives way to a more specific one named in the same label: "Hémoglobine A1c" is HbA1c,
# "Clairance de la créatinine" is a DFG, "Rapport albumine/créatinine" an albuminuria.
_GENERIC = {"hemoglobine", "creatinine", "cholesterol-total", "albumine", "glycemie"}


def _synonyms() -> list[tuple[str, str]]:
    pairs = [(k, s) for k, a in ANALYTES.items() if k not in _PANELS for s in a.synonyms]
    pairs += [(k, s) for k, extra in _EXTRA_SYNONYMS.items() if k in ANALYTES for s in extra]
    pairs += [(k, s) for k, syns in _MORE_ANALYTES.items() if k not in ANALYTES for s in syns]
    return pairs


_SYNONYMS = _synonyms()
# Every key a lab row can name from the lexicons (a label outside them keeps its folded text as key)
KNOWN_ANALYTES = frozenset(k for k, _ in _SYNONYMS)
_SYNONYM_PATTERNS = [(k, s, re.compile(rf"(?<![\w]){re.escape(s)}(?![\w])")) for k, s in _SYNONYMS]
# "gamma-glutamyl-transferase" and "gamma glutamyl transferase" are the same words
_SYNONYM_PATTERNS += [(k, s, re.compile(rf"(?<![\w]){re.escape(s.replace('-', ' '))}(?![\w])"))
                      for k, s in _SYNONYMS if "-" in s and not s.endswith("-")]


# ASAT and ALAT are two analytes (two LOINC codes) in the "transaminases" family the lexicon names.
_TRANSAMINASE = (("asat", re.compile(r"\b(?:asat|ast|sgot|tgo|aspartate)\b")),
                 ("alat", re.compile(r"\b(?:alat|alt|sgpt|tgp|alanine)\b")))


def analyte_key(label: str) -> str:
    """The analyte key a label names: ANALYTES' key (earliest synonym in the label, longest on a tie), ASAT and
    ALAT apart, else the folded label."""
    key = _lexicon_key(label)
    if key == "transaminases":
        folded = fold_label(label)
        for specific, rx in _TRANSAMINASE:
            if rx.search(folded):
                return specific
    return key


def _lexicon_key(label: str) -> str:
    folded = fold_label(label)
    best: tuple[bool, int, int, str] | None = None
    for key, syn, pattern in _SYNONYM_PATTERNS:
        m = pattern.search(folded)
        if m:
            cand = (key in _GENERIC, m.start(), -len(syn), key)
            if best is None or cand < best:
                best = cand
    if best is not None:
        return best[3]
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "inconnu"


def fold_label(label: str) -> str:
    """Folded label with dotted abbreviations closed up ("V.G.M." -> "vgm") and soft hyphens as hyphens."""
    folded = fold(label.replace("\u00ad", "-"))
    folded = re.sub(r"\b([a-z])\.(?=[a-z]\b|[a-z]\.)", r"\1", folded).rstrip(".")
    # OCR reads the "1" of A1c as l, i or | ("Hémoglobine Alc", "HbAlc"): HbA1c, never haemoglobin
    folded = re.sub(r"\b(hb|hemoglobine|haemoglobin|hemoglobin)\s*a[l1i|!]c\b", r"\1 a1c", folded)
    folded = re.sub(r"\bhba[l1i|!]c\b", "hba1c", folded)
    return re.sub(r"(?<=[a-z])-(?=[a-z])", " ", folded)


def known_analyte(label: str) -> bool:
    folded = fold_label(label)
    return any(pattern.search(folded) for _, _, pattern in _SYNONYM_PATTERNS)
