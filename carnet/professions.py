"""Authors who are not physicians: the other professions of JDV_J01-XdsAuthorSpecialty-CISIS, as data.

A CDA author's `assignedAuthor/code` (and an XDS authorSpecialty) is `G15_10/SMxx` for a physician,
but a pharmacist signs `G15_21` (or `G15_21/G`, a pharmacist biologist), a midwife `G15_50`, a nurse
`G15_60`, and documents made by a machine or fed automatically carry TRE_A00 producer codes
(`DISPOSITIF`, `AUTOMATE`, `ALIM_AM`...). Carnet keeps these codes as given (the physician's
specialty as `SMxx`, the others whole) and groups them for questions like the medical specialties.
"""

from __future__ import annotations

PROFESSIONS: dict[str, str] = {
    "G15_10": "Médecin",
    "G15_21": "Pharmacien", "G15_21/G": "Pharmacien biologiste", "G15_21/H": "Pharmacien d'établissement de santé",
    "G15_21/A": "Pharmacien titulaire d'officine", "G15_21/DA": "Pharmacien adjoint",
    "G15_26": "Audioprothésiste", "G15_28": "Opticien-lunetier", "G15_32": "Physicien médical",
    "G15_40": "Chirurgien-dentiste", "G15_40/SCD01": "Chirurgien-dentiste, orthopédie dento-faciale",
    "G15_40/SCD02": "Chirurgien-dentiste, chirurgie orale", "G15_40/SCD03": "Chirurgien-dentiste, médecine bucco-dentaire",
    "G15_50": "Sage-femme",
    "G15_60": "Infirmier", "G15_60/SI01": "Infirmier en pratique avancée, pathologies chroniques stabilisées",
    "G15_60/SI02": "Infirmier en pratique avancée, oncologie et hémato-oncologie",
    "G15_60/SI03": "Infirmier en pratique avancée, maladie rénale chronique",
    "G15_60/SI04": "Infirmier en pratique avancée, santé mentale", "G15_60/SI05": "Infirmier en pratique avancée, urgences",
    "G15_69": "Infirmier psychiatrique", "G15_70": "Masseur-kinésithérapeute", "G15_80": "Pédicure-podologue",
    "G15_81": "Orthoprothésiste", "G15_86": "Technicien de laboratoire médical", "G15_91": "Orthophoniste",
    "G15_92": "Orthoptiste", "G15_94": "Ergothérapeute", "G15_95": "Diététicien", "G15_96": "Psychomotricien",
    "G15_98": "Manipulateur d'électroradiologie médicale", "93": "Psychologue",
    "DISPOSITIF": "Dispositif médical", "AUTOMATE": "Automate", "ALIM_AM": "Alimentation automatique (Assurance Maladie)",
    "EXP_PATIENT": "Expression personnelle du patient", "SECRETARIAT_MEDICAL": "Secrétariat médical",
}

# Profession (the code before "/") -> the question group its authors fall in.
PROFESSION_GROUP_OF: dict[str, str] = {
    "G15_21": "pharmacie", "G15_40": "chirurgie-dentaire", "G15_50": "sage-femme", "G15_60": "soins-infirmiers",
    "G15_69": "soins-infirmiers", "G15_70": "kinesitherapie", "G15_91": "orthophonie", "G15_95": "dietetique",
}

PROFESSION_GROUP_LABELS: dict[str, tuple[str, str]] = {
    "pharmacie": ("Pharmacie", "Pharmacy"),
    "chirurgie-dentaire": ("Chirurgie dentaire", "Dentistry"),
    "sage-femme": ("Sage-femme", "Midwifery"),
    "soins-infirmiers": ("Soins infirmiers", "Nursing"),
    "kinesitherapie": ("Kinésithérapie", "Physiotherapy"),
    "orthophonie": ("Orthophonie", "Speech therapy"),
    "dietetique": ("Diététique", "Dietetics"),
}
