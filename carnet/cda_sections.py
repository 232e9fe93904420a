"""Section codes of the CI-SIS structured (level 3) content models, as data.

A CDA R2 level-3 body is a list of sections, each coded with LOINC (CI-SIS "volet structuration
minimale" and the models built on it: CR-BIO, LDL-SES, CR-IMG, DLU, VAC-NOTE...). Carnet names a
section from its code, never from its title (a title is free text: "Bilan", "Synthèse du séjour"):
the name is one of the section names Carnet's text reader uses (ingest/understand/sections.py), so
that summaries ("conclusions first") and citations treat a structured section as they treat a
heading found in a PDF. The label is what the rendered page shows when the section has no title.
"""

from __future__ import annotations

# LOINC section code -> (Carnet section name, French label)
SECTIONS: dict[str, tuple[str, str]] = {
    # reason, history
    "29299-5": ("motif", "Motif de la consultation"), "46239-0": ("motif", "Motif de recours"),
    "10154-3": ("motif", "Plainte principale"), "42349-1": ("motif", "Motif d'adressage"),
    "10164-2": ("histoire", "Histoire de la maladie"), "11329-0": ("histoire", "Anamnèse"),
    "11348-0": ("antecedents", "Antécédents médicaux"), "10153-2": ("antecedents", "Antécédents médicaux"),
    "47519-4": ("antecedents", "Antécédents chirurgicaux"), "10157-6": ("antecedents", "Antécédents familiaux"),
    "46240-8": ("antecedents", "Antécédents d'hospitalisation"), "11450-4": ("antecedents", "Problèmes actifs"),
    "29762-2": ("mode_de_vie", "Habitus, mode de vie"), "61144-2": ("facteurs_risque", "Facteurs de risque"),
    "48765-2": ("allergies", "Allergies et intolérances"),
    # treatment
    "10160-0": ("traitement", "Traitements"), "10183-2": ("traitement", "Traitement de sortie"),
    "42346-7": ("traitement", "Traitement à l'admission"), "18610-6": ("traitement", "Traitements administrés"),
    "29549-3": ("traitement", "Médicaments administrés"), "57828-6": ("traitement", "Prescription"),
    "57833-6": ("traitement", "Prescription de produits de santé"), "46264-8": ("traitement", "Dispositifs médicaux"),
    "11369-6": ("vaccinations", "Vaccinations"), "87273-9": ("vaccinations", "Vaccinations"),
    # examination and results
    "29545-1": ("examen", "Examen physique"), "8716-3": ("examen", "Signes vitaux"),
    "10187-3": ("examen", "Revue des systèmes"), "47420-5": ("examen", "Statut fonctionnel"),
    "30954-2": ("resultats", "Résultats d'examens"), "11493-4": ("resultats", "Examens complémentaires"),
    "18782-3": ("resultats", "Résultats"), "59776-5": ("resultats", "Constatations"),
    "55113-5": ("resultats", "Images clés"),
    # laboratory specialty sections (IHE XD-LAB, CR-BIO)
    "18719-5": ("resultats", "Biochimie"), "18723-7": ("resultats", "Hématologie"),
    "18720-3": ("resultats", "Hémostase"), "18768-2": ("resultats", "Hémogramme"),
    "18725-2": ("resultats", "Microbiologie"), "18727-8": ("resultats", "Sérologie"),
    "18728-6": ("resultats", "Toxicologie"), "18729-4": ("resultats", "Examens urinaires"),
    "18767-4": ("resultats", "Gaz du sang"), "18716-1": ("resultats", "Allergologie"),
    "18717-9": ("resultats", "Immuno-hématologie"), "18718-7": ("resultats", "Marqueurs cellulaires"),
    "18721-1": ("resultats", "Suivi thérapeutique"), "18722-9": ("resultats", "Fertilité"),
    "18724-5": ("resultats", "HLA"), "18769-0": ("resultats", "Antibiogramme"),
    "26435-8": ("resultats", "Pathologie moléculaire"), "26436-6": ("resultats", "Examens de biologie"),
    "26437-4": ("resultats", "Tests dynamiques"), "26438-2": ("resultats", "Cytologie"),
    # acts
    "55111-9": ("technique", "Technique"), "29554-3": ("technique", "Procédure"),
    "10223-6": ("technique", "Description de l'intervention"), "18785-6": ("indication", "Indication"),
    "55115-0": ("indication", "Demande d'examen"), "55112-7": ("technique", "Résumé de l'acte"),
    # course, conclusion, plan
    "8648-8": ("evolution", "Évolution pendant le séjour"), "46241-6": ("motif", "Motif d'hospitalisation"),
    "11535-2": ("conclusion", "Diagnostic de sortie"), "51848-0": ("conclusion", "Évaluation"),
    "19005-8": ("conclusion", "Conclusion"), "55110-1": ("conclusion", "Conclusion"),
    "29548-5": ("conclusion", "Diagnostic"), "48767-8": ("conclusion", "Commentaire"),
    "18776-5": ("plan", "Plan de soins"), "8653-8": ("plan", "Consignes de sortie"),
    "42348-3": ("plan", "Directives anticipées"), "61146-7": ("plan", "Objectifs"),
    "18841-7": ("plan", "Avis demandés"),
}

# Sections whose coded entries are the document's lab results (IHE XD-LAB specialty sections).
LAB_SECTIONS = frozenset({
    "18719-5", "18723-7", "18720-3", "18768-2", "18725-2", "18727-8", "18728-6", "18729-4", "18767-4", "18716-1",
    "18717-9", "18718-7", "18721-1", "18722-9", "18724-5", "18769-0", "26435-8", "26436-6", "26437-4", "26438-2",
    "30954-2",
})

# LOINC codes of common analytes -> Carnet's analyte keys (carnet.lexicon.ANALYTES), so that a coded
# result joins the same trend as the value read from a PDF. Other codes keep a key from their label.
ANALYTE_LOINC: dict[str, str] = {
    "4548-4": "hba1c", "17856-6": "hba1c", "59261-8": "hba1c",
    "2345-7": "glycemie", "14749-6": "glycemie", "1558-6": "glycemie", "14771-0": "glycemie",
    "2160-0": "creatinine", "14682-9": "creatinine",
    "62238-1": "dfg", "33914-3": "dfg", "98979-8": "dfg", "48642-3": "dfg", "77147-7": "dfg",
    "13457-7": "cholesterol-ldl", "2089-1": "cholesterol-ldl", "18262-6": "cholesterol-ldl",
    "2085-9": "cholesterol-hdl", "2093-3": "cholesterol-total", "14647-2": "cholesterol-total",
    "2571-8": "triglycerides", "14927-8": "triglycerides",
    "718-7": "hemoglobine", "777-3": "plaquettes", "26515-7": "plaquettes", "6690-2": "leucocytes", "26464-8": "leucocytes",
    "789-8": "hematies", "4544-3": "hematocrite", "787-2": "vgm", "785-6": "tcmh", "786-4": "ccmh",
    "751-8": "neutrophiles", "26499-4": "neutrophiles", "731-0": "lymphocytes", "26474-7": "lymphocytes",
    "711-2": "eosinophiles", "742-7": "monocytes",
    "3016-3": "tsh", "11579-0": "tsh", "3024-7": "t4-libre", "14920-3": "t4-libre",
    "1988-5": "crp", "30522-7": "crp", "2276-4": "ferritine", "14723-1": "ferritine",
    "2823-3": "potassium", "6298-4": "potassium", "2951-2": "sodium", "2947-0": "sodium",
    "2075-0": "chlore", "1963-8": "bicarbonates", "17861-6": "calcium", "2000-8": "calcium",
    "2777-1": "phosphore", "19123-9": "magnesium",
    "6301-6": "inr", "34714-6": "inr", "30934-4": "bnp", "33762-6": "bnp", "42637-9": "bnp",
    "6598-7": "troponine", "10839-9": "troponine", "89579-7": "troponine", "67151-1": "troponine",
    "2324-2": "ggt", "2857-1": "psa", "1989-3": "vitamine-d", "62292-8": "vitamine-d",
    "14959-1": "albuminurie", "9318-7": "albuminurie", "3084-1": "acide-urique", "14933-6": "acide-urique",
    "3091-6": "uree", "22664-7": "uree", "6768-6": "phosphatases-alcalines", "1975-2": "bilirubine",
    "14631-6": "bilirubine", "1751-7": "albumine", "3040-3": "lipase", "2157-6": "ck", "2498-4": "fer",
    "14798-3": "fer", "3034-6": "transferrine", "2132-9": "vitamine-b12", "2284-8": "folates",
    "3255-7": "fibrinogene", "48065-7": "d-dimeres", "48066-5": "d-dimeres", "3173-2": "tca", "14979-9": "tca",
    "4537-7": "vitesse-sedimentation", "30341-2": "vitesse-sedimentation", "21198-7": "beta-hcg", "19080-1": "beta-hcg",
}
