"""The shared record's code lists: document types (LOINC), author specialties (G15_10/SMxx), exams.

These are facts from the DMP's value sets (see ../shared/reference/dmp-metadata.md). Ingestion uses
them to label documents, the query parser to turn words into filters, the API to display labels.
Keys stay the official codes; the user-facing grouping ("cardiologie" = SM04/SM73/SM79-81) lives in
SPECIALTY_GROUPS so a query filters on the group while the exact code is kept for display.
"""

from __future__ import annotations

from dataclasses import dataclass

SPECIALTY_SYSTEM = "G15_10"


@dataclass(frozen=True)
class DocumentType:
    code: str  # LOINC
    label: str  # French label (TRE_A04)
    label_en: str
    class_code: str  # XDS classCode, derived from the type


DOCUMENT_TYPES: dict[str, DocumentType] = {
    t.code: t
    for t in [
        DocumentType("11488-4", "CR ou fiche de consultation ou de visite", "Consultation note", "10"),
        DocumentType("11502-2", "CR d'examens biologiques", "Laboratory report", "10"),
        DocumentType("18748-4", "CR d'imagerie médicale", "Diagnostic imaging report", "10"),
        DocumentType("11490-0", "Lettre de liaison à la sortie d'un établissement de soins", "Discharge letter", "10"),
        DocumentType("34874-8", "CR opératoire", "Operative report", "10"),
        DocumentType("34112-3", "CR hospitalier (séjour)", "Hospital stay report", "10"),
        DocumentType("34133-9", "Synthèse d'épisode de soins", "Summary of episode note", "10"),
        DocumentType("57833-6", "Prescription de produits de santé", "Prescription for medications", "20"),
        DocumentType("57828-6", "Prescription (autre)", "Prescription (other)", "20"),
        DocumentType("57832-8", "Prescription de soins", "Prescription for care", "20"),
        DocumentType("15507-7", "CR de passage aux urgences", "Emergency department visit note", "10"),
        DocumentType("11526-1", "CR d'anatomie et de cytologie pathologiques", "Pathology report", "10"),
        DocumentType("34794-8", "CR de RCP", "Multidisciplinary meeting report", "10"),
        DocumentType("34749-2", "Consultation pré-anesthésique", "Pre-anaesthesia consultation", "10"),
        DocumentType("77436-4", "CR d'anesthésie", "Anaesthesia report", "10"),
        DocumentType("70004-7", "CR d'acte diagnostique (autre)", "Diagnostic procedure report", "10"),
        DocumentType("11505-5", "CR d'acte thérapeutique (autre)", "Therapeutic procedure report", "10"),
        DocumentType("18761-7", "Note de transfert (dont lettre de liaison à l'entrée)", "Transfer note", "10"),
        DocumentType("85208-7", "CR de télémédecine", "Telemedicine report", "10"),
        DocumentType("78513-9", "CR de consultation en ophtalmologie", "Ophthalmology consultation", "10"),
        DocumentType("60591-5", "Synthèse du dossier médical", "Patient summary", "10"),
        DocumentType("51969-4", "CR de génétique moléculaire", "Genetic analysis report", "10"),
        DocumentType("89601-9", "Certificat médical", "Medical certificate", "10"),
        DocumentType("87273-9", "Note de vaccination", "Immunization note", "10"),
        DocumentType("11369-6", "Historique des vaccinations", "Immunization history", "10"),
        DocumentType("60593-1", "Dispensation médicamenteuse", "Medication dispensed", "20"),
        DocumentType("55115-0", "Demande d'examen d'imagerie", "Imaging request", "20"),
        DocumentType("15508-5", "CR d'accouchement", "Labor and delivery report", "10"),
        # Not a DMP clinical type: administrative papers (appointments, invoices, forms). The DMP
        # files them as "Document de gestion" (classCode 95); Carnet keeps them, labelled as noise.
        DocumentType("ADMIN", "Document administratif", "Administrative document", "95"),
    ]
}

# Ended codes still carried by old documents: map them to the current ones, never drop them.
ENDED_TYPE_CODES: dict[str, str] = {
    "11528-7": "18748-4",  # imaging, ended 2017-10-13
    "11493-4": "34112-3",  # hospital stay
    "29551-9": "57833-6",  # prescription
    "10213-7": "34749-2",  # anaesthesia
    "27899-4": "70004-7",  # other diagnostic act
}


def current_type_code(code: str | None) -> str | None:
    """The current LOINC code for a possibly ended one (None stays None)."""
    if code is None:
        return None
    return ENDED_TYPE_CODES.get(code, code)


SPECIALTIES: dict[str, str] = {
    "SM01": "Anatomie et cytologie pathologiques",
    "SM02": "Anesthésie-réanimation",
    "SM03": "Biologie médicale",
    "SM04": "Cardiologie et maladies vasculaires",
    "SM05": "Chirurgie générale",
    "SM06": "Chirurgie maxillo-faciale",
    "SM07": "Chirurgie maxillo-faciale et stomatologie",
    "SM08": "Chirurgie orthopédique et traumatologie",
    "SM09": "Chirurgie infantile",
    "SM10": "Chirurgie plastique reconstructrice et esthétique",
    "SM11": "Chirurgie thoracique et cardio-vasculaire",
    "SM12": "Chirurgie urologique",
    "SM13": "Chirurgie vasculaire",
    "SM14": "Chirurgie viscérale et digestive",
    "SM15": "Dermatologie et vénéréologie",
    "SM16": "Endocrinologie et métabolisme",
    "SM17": "Génétique médicale",
    "SM18": "Gériatrie",
    "SM19": "Gynécologie médicale",
    "SM20": "Gynécologie-obstétrique",
    "SM21": "Hématologie",
    "SM22": "Hématologie, option maladie du sang",
    "SM23": "Hématologie, option onco-hématologie",
    "SM24": "Gastro-entérologie et hépatologie",
    "SM25": "Médecine du travail",
    "SM26": "Qualifié en médecine générale",
    "SM27": "Médecine interne",
    "SM28": "Médecine nucléaire",
    "SM29": "Médecine physique et réadaptation",
    "SM30": "Néphrologie",
    "SM31": "Neuro-chirurgie",
    "SM32": "Neurologie",
    "SM33": "Neuro-psychiatrie",
    "SM34": "ORL et chirurgie cervico-faciale",
    "SM35": "Oncologie, option onco-hématologie",
    "SM36": "Oncologie, option médicale",
    "SM37": "Oncologie, option radiothérapie",
    "SM38": "Ophtalmologie",
    "SM39": "Oto-rhino-laryngologie",
    "SM40": "Pédiatrie",
    "SM41": "Pneumologie",
    "SM42": "Psychiatrie",
    "SM43": "Psychiatrie, option enfant et adolescent",
    "SM44": "Radio-diagnostic",
    "SM45": "Radiothérapie",
    "SM46": "Médecine intensive-réanimation",
    "SM48": "Rhumatologie",
    "SM49": "Santé publique et médecine sociale",
    "SM50": "Stomatologie",
    "SM53": "Spécialiste en médecine générale",
    "SM54": "Médecine générale",
    "SM55": "Radio-diagnostic et radiothérapie",
    "SM57": "Allergologie",
    "SM58": "Maladies infectieuses et tropicales",
    "SM59": "Médecine d'urgence",
    "SM60": "Médecine légale",
    "SM61": "Médecine vasculaire",
    "SM62": "Endocrinologie, diabétologie, nutrition",
    "SM63": "Biologie médicale option biologie générale",
    "SM72": "Médecine interne et immunologie clinique",
    "SM73": "Médecine cardiovasculaire",
    "SM74": "Radiologie et imagerie médicale",
    "SM79": "Médecine cardiovasculaire, option cardiologie interventionnelle",
    "SM80": "Médecine cardiovasculaire, option imagerie cardiovasculaire",
    "SM81": "Médecine cardiovasculaire, option rythmologie",
}

# What a user means by a specialty word: one group, several official codes.
# The group key is what queries filter on; the first code is the one inference emits by default.
SPECIALTY_GROUPS: dict[str, tuple[str, ...]] = {
    "anatomopathologie": ("SM01",),
    "anesthesie": ("SM02",),
    "biologie": ("SM03", "SM63"),
    "cardiologie": ("SM04", "SM73", "SM79", "SM80", "SM81"),
    "chirurgie-generale": ("SM05",),
    "chirurgie-maxillo-faciale": ("SM06", "SM07", "SM50"),
    "chirurgie-orthopedique": ("SM08",),
    "chirurgie-pediatrique": ("SM09",),
    "chirurgie-plastique": ("SM10",),
    "chirurgie-cardiaque": ("SM11",),
    "urologie": ("SM12",),
    "chirurgie-vasculaire": ("SM13",),
    "chirurgie-digestive": ("SM14",),
    "dermatologie": ("SM15",),
    "endocrinologie": ("SM16", "SM62"),
    "genetique": ("SM17",),
    "geriatrie": ("SM18",),
    "gynecologie": ("SM19", "SM20"),
    "hematologie": ("SM21", "SM22", "SM23"),
    "gastro-enterologie": ("SM24",),
    "medecine-du-travail": ("SM25",),
    "medecine-generale": ("SM26", "SM53", "SM54"),
    "medecine-interne": ("SM27", "SM72"),
    "medecine-nucleaire": ("SM28",),
    "reeducation": ("SM29",),
    "nephrologie": ("SM30",),
    "neurochirurgie": ("SM31",),
    "neurologie": ("SM32", "SM33"),
    "orl": ("SM34", "SM39"),
    "oncologie": ("SM35", "SM36", "SM37"),
    "ophtalmologie": ("SM38",),
    "pediatrie": ("SM40",),
    "pneumologie": ("SM41",),
    "psychiatrie": ("SM42", "SM43"),
    "radiologie": ("SM44", "SM55", "SM74"),
    "radiotherapie": ("SM45",),
    "reanimation": ("SM46",),
    "rhumatologie": ("SM48",),
    "sante-publique": ("SM49",),
    "allergologie": ("SM57",),
    "infectiologie": ("SM58",),
    "urgences": ("SM59",),
    "medecine-legale": ("SM60",),
    "medecine-vasculaire": ("SM61",),
}

SPECIALTY_GROUP_OF: dict[str, str] = {code: group for group, codes in SPECIALTY_GROUPS.items() for code in codes}

# Display names of the groups, French then English.
SPECIALTY_GROUP_LABELS: dict[str, tuple[str, str]] = {
    "anatomopathologie": ("Anatomopathologie", "Pathology"),
    "anesthesie": ("Anesthésie", "Anaesthesia"),
    "biologie": ("Biologie", "Laboratory medicine"),
    "cardiologie": ("Cardiologie", "Cardiology"),
    "chirurgie-generale": ("Chirurgie générale", "General surgery"),
    "chirurgie-maxillo-faciale": ("Chirurgie maxillo-faciale", "Maxillofacial surgery"),
    "chirurgie-orthopedique": ("Chirurgie orthopédique", "Orthopaedic surgery"),
    "chirurgie-pediatrique": ("Chirurgie infantile", "Paediatric surgery"),
    "chirurgie-plastique": ("Chirurgie plastique", "Plastic surgery"),
    "chirurgie-cardiaque": ("Chirurgie thoracique et cardio-vasculaire", "Cardiothoracic surgery"),
    "urologie": ("Urologie", "Urology"),
    "chirurgie-vasculaire": ("Chirurgie vasculaire", "Vascular surgery"),
    "chirurgie-digestive": ("Chirurgie digestive", "Digestive surgery"),
    "dermatologie": ("Dermatologie", "Dermatology"),
    "endocrinologie": ("Endocrinologie-diabétologie", "Endocrinology"),
    "genetique": ("Génétique", "Genetics"),
    "geriatrie": ("Gériatrie", "Geriatrics"),
    "gynecologie": ("Gynécologie", "Gynaecology"),
    "hematologie": ("Hématologie", "Haematology"),
    "gastro-enterologie": ("Gastro-entérologie", "Gastroenterology"),
    "medecine-du-travail": ("Médecine du travail", "Occupational medicine"),
    "medecine-generale": ("Médecine générale", "General practice"),
    "medecine-interne": ("Médecine interne", "Internal medicine"),
    "medecine-nucleaire": ("Médecine nucléaire", "Nuclear medicine"),
    "reeducation": ("Médecine physique et réadaptation", "Rehabilitation"),
    "nephrologie": ("Néphrologie", "Nephrology"),
    "neurochirurgie": ("Neurochirurgie", "Neurosurgery"),
    "neurologie": ("Neurologie", "Neurology"),
    "orl": ("ORL", "ENT"),
    "oncologie": ("Oncologie", "Oncology"),
    "ophtalmologie": ("Ophtalmologie", "Ophthalmology"),
    "pediatrie": ("Pédiatrie", "Paediatrics"),
    "pneumologie": ("Pneumologie", "Pulmonology"),
    "psychiatrie": ("Psychiatrie", "Psychiatry"),
    "radiologie": ("Radiologie", "Radiology"),
    "radiotherapie": ("Radiothérapie", "Radiotherapy"),
    "reanimation": ("Réanimation", "Intensive care"),
    "rhumatologie": ("Rhumatologie", "Rheumatology"),
    "sante-publique": ("Santé publique", "Public health"),
    "allergologie": ("Allergologie", "Allergology"),
    "infectiologie": ("Maladies infectieuses", "Infectious diseases"),
    "urgences": ("Médecine d'urgence", "Emergency medicine"),
    "medecine-legale": ("Médecine légale", "Forensic medicine"),
    "medecine-vasculaire": ("Médecine vasculaire", "Vascular medicine"),
}

assert set(SPECIALTY_GROUP_LABELS) == set(SPECIALTY_GROUPS)
assert all(code in SPECIALTIES for codes in SPECIALTY_GROUPS.values() for code in codes)


def type_label(code: str | None, language: str = "fr") -> str | None:
    """Display label of a LOINC type code, or None for an unknown code."""
    t = DOCUMENT_TYPES.get(current_type_code(code) or "")
    if t is None:
        return None
    return t.label_en if language == "en" else t.label


def specialty_label(code: str | None) -> str | None:
    """Display label of a G15_10/SMxx code (accepts "SM04" or "G15_10/SM04")."""
    if not code:
        return None
    return SPECIALTIES.get(code.rsplit("/", 1)[-1])


def specialty_group(code: str | None) -> str | None:
    """The user-facing group ("cardiologie") of an exact specialty code."""
    if not code:
        return None
    return SPECIALTY_GROUP_OF.get(code.rsplit("/", 1)[-1])
