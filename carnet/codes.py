"""The shared record's code lists: document types (LOINC), author specialties (G15_10/SMxx), exams.

These are facts from the DMP's value sets (see ../shared/reference/dmp-metadata.md). Ingestion uses
them to label documents, the query parser to turn words into filters, the API to display labels.
Keys stay the official codes; the user-facing grouping ("cardiologie" = SM04/SM73/SM79-81) lives in
SPECIALTY_GROUPS so a query filters on the group while the exact code is kept for display.
"""

from __future__ import annotations

from carnet import doctypes, professions
from carnet.doctypes import TYPES, DocumentType

SPECIALTY_SYSTEM = "G15_10"


# --- LOINC document types named in Carnet's logic (one place; the full table is carnet/doctypes.py) ------
# One constant per DMP document type (names say the type, ../shared/reference/dmp-metadata.md §2); the tuples
# after them are the codes a doctor means by one word.

LAB = "11502-2"  # CR d'examens biologiques
IMAGING = "18748-4"  # CR d'imagerie médicale
CONSULTATION = "11488-4"  # CR ou fiche de consultation ou de visite
OPHTHALMOLOGY_CONSULTATION = "78513-9"  # CR de consultation en ophtalmologie
DISCHARGE_LETTER = "11490-0"  # lettre de liaison à la sortie d'un établissement de soins
HOSPITAL_STAY = "34112-3"  # CR hospitalier (séjour)
EPISODE_SUMMARY = "34133-9"  # synthèse d'épisode de soins
OPERATIVE_REPORT = "34874-8"  # CR opératoire
MEDICINES_PRESCRIPTION = "57833-6"  # prescription de produits de santé
OTHER_PRESCRIPTION = "57828-6"  # prescription (autre)
CARE_PRESCRIPTION = "57832-8"  # prescription de soins
MEDICATION_DISPENSATION = "60593-1"  # dispensation médicamenteuse
EMERGENCY_VISIT = "15507-7"  # CR de passage aux urgences
PATHOLOGY_REPORT = "11526-1"  # CR d'anatomie et de cytologie pathologiques
MDT_REPORT = "34794-8"  # CR de réunion de concertation pluridisciplinaire (RCP)
PREANAESTHETIC_CONSULTATION = "34749-2"  # consultation pré-anesthésique
ANAESTHESIA_REPORT = "77436-4"  # CR d'anesthésie
VACCINATION_NOTE = "87273-9"  # note de vaccination
VACCINATION_HISTORY = "11369-6"  # historique des vaccinations
MEDICAL_CERTIFICATE = "89601-9"  # certificat médical
TRANSFER_NOTE = "18761-7"  # note de transfert (dont lettre de liaison à l'entrée)
TELEMEDICINE_REPORT = "85208-7"  # CR de télémédecine
MEDICAL_SUMMARY = "60591-5"  # synthèse du dossier médical
MOLECULAR_GENETICS = "51969-4"  # CR de génétique moléculaire
DELIVERY_REPORT = "15508-5"  # CR d'accouchement
IMAGING_ORDER = "55115-0"  # demande d'acte d'imagerie
THERAPEUTIC_ACT_REPORT = "11505-5"  # CR d'acte thérapeutique (autre)
DIAGNOSTIC_ACT_REPORT = "70004-7"  # CR d'acte diagnostique (autre): ECG, Holter, EFR...
# Generic LOINC notes outside the DMP's list, which feeds other than the DMP send for a visit
OUTPATIENT_NOTE = "34108-1"  # outpatient note
NOTE = "34109-9"  # note
ALLIED_HEALTH_NOTE = "11506-3"  # CR ou fiche de suivi de soins par auxiliaire médical

# "consultation" names any consultation note, the ophthalmologist's (its own LOINC code) included
CONSULTATIONS = (CONSULTATION, OPHTHALMOLOGY_CONSULTATION)
DISCHARGE = (DISCHARGE_LETTER, HOSPITAL_STAY, EPISODE_SUMMARY)
OPERATIVE = (OPERATIVE_REPORT,)
PRESCRIPTION = (MEDICINES_PRESCRIPTION, OTHER_PRESCRIPTION, CARE_PRESCRIPTION)
MEDICATION = PRESCRIPTION + (MEDICATION_DISPENSATION,)  # "traitement en cours": prescriptions and dispensations
EMERGENCY = (EMERGENCY_VISIT,)
PATHOLOGY = (PATHOLOGY_REPORT,)
MDT = (MDT_REPORT,)
ANAESTHESIA = (PREANAESTHETIC_CONSULTATION, ANAESTHESIA_REPORT)
VACCINATION = (VACCINATION_NOTE, VACCINATION_HISTORY)
CERTIFICATE = (MEDICAL_CERTIFICATE,)
TRANSFER = (TRANSFER_NOTE,)
TELEMEDICINE = (TELEMEDICINE_REPORT,)
PATIENT_SUMMARY = (MEDICAL_SUMMARY,)
GENETICS = (MOLECULAR_GENETICS,)
DELIVERY = (DELIVERY_REPORT,)
DISPENSATION = (MEDICATION_DISPENSATION,)
IMAGING_REQUEST = (IMAGING_ORDER,)
THERAPEUTIC_ACT = (THERAPEUTIC_ACT_REPORT,)
DIAGNOSTIC_ACT = (DIAGNOSTIC_ACT_REPORT,)
ADMIN = ("ADMIN",)


# Documents a specialist signs that are not reports of an act: asked for by type, never by specialty alone.
NOT_REPORTS = frozenset(PRESCRIPTION + DISPENSATION + IMAGING_REQUEST + CERTIFICATE + VACCINATION + ADMIN)


# The type table is data of its own (carnet/doctypes.py): every CI-SIS typeCode with its label, class and group.
DOCUMENT_TYPES: dict[str, DocumentType] = {t.code: t for t in TYPES}
CLASS_LABELS = doctypes.CLASS_LABELS
TYPE_GROUP_LABELS = doctypes.TYPE_GROUP_LABELS
ENDED_TYPE_CODES = doctypes.ENDED_TYPE_CODES
_SAME_TYPE: dict[str, frozenset[str]] = {c: group for group in doctypes.SAME_TYPE for c in group}


def current_type_code(code: str | None) -> str | None:
    """The current LOINC code for a possibly ended one (None stays None)."""
    if code is None:
        return None
    return ENDED_TYPE_CODES.get(code, code)


def same_type_codes(code: str) -> frozenset[str]:
    """The codes a search for `code` matches: itself (its current code) and the codes listed as the same type."""
    current = current_type_code(code) or code
    return _SAME_TYPE.get(current, frozenset({current}))


def type_group(code: str | None) -> str | None:
    """The question group ("vaccination") of a type code."""
    t = DOCUMENT_TYPES.get(current_type_code(code) or "")
    return t.group if t else None


def is_administrative(code: str | None) -> bool:
    """Administrative papers (appointments, insurance certificates...): kept, flagged as noise."""
    return type_group(code) == "administratif"


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

# Authors who are not physicians (pharmacists, midwives, nurses, devices): their codes kept whole.
SPECIALTIES.update(professions.PROFESSIONS)
for _group, _label in professions.PROFESSION_GROUP_LABELS.items():
    SPECIALTY_GROUPS[_group] = tuple(c for c in professions.PROFESSIONS
                                     if professions.PROFESSION_GROUP_OF.get(c.split("/")[0]) == _group)
    SPECIALTY_GROUP_LABELS[_group] = _label
    SPECIALTY_GROUP_OF.update({c: _group for c in SPECIALTY_GROUPS[_group]})

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
    return SPECIALTIES.get(code) or SPECIALTIES.get(code.rsplit("/", 1)[-1])


def specialty_group(code: str | None) -> str | None:
    """The user-facing group ("cardiologie") of an exact specialty code."""
    if not code:
        return None
    return (SPECIALTY_GROUP_OF.get(code) or SPECIALTY_GROUP_OF.get(code.rsplit("/", 1)[-1])
            or professions.PROFESSION_GROUP_OF.get(code.split("/")[0]))
