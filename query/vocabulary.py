"""The words a doctor types in a question, mapped to Carnet's filters (query side only).

Everything here is written folded (lower-case, no accents, see `carnet.text.fold`) and is matched on
whole words by `query.parse`. Exams and analytes come from `carnet.lexicon` (shared with ingestion);
this module adds what only questions need: document-type words, specialty words, order words, date
words, stop words and the generic words ("compte rendu", "report") that name no type at all.

Each phrase is listed in French or in English so the parser can also guess the question's language.
Plural forms need not be listed: the parser drops a final "s" on both sides before comparing.
"""

from __future__ import annotations

from dataclasses import dataclass

from carnet.codes import (  # the LOINC codes the words below name
    LAB, IMAGING, CONSULTATIONS, DISCHARGE, OPERATIVE, PRESCRIPTION,
    MEDICATION, EMERGENCY, PATHOLOGY, MDT, ANAESTHESIA, VACCINATION, CERTIFICATE, TRANSFER, TELEMEDICINE,
    PATIENT_SUMMARY, GENETICS, DELIVERY, DISPENSATION, IMAGING_REQUEST, THERAPEUTIC_ACT, DIAGNOSTIC_ACT,
    ADMIN,
)

# --- document types -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeGroup:
    """Several LOINC codes a doctor means by one word: shown as one removable chip."""

    codes: tuple[str, ...]
    label: str
    label_en: str


TYPE_GROUPS: tuple[TypeGroup, ...] = (
    TypeGroup(MEDICATION, "Traitement (ordonnances, dispensations)", "Medications (prescriptions, dispensing)"),
    TypeGroup(DISCHARGE, "Lettre de sortie / CR d'hospitalisation", "Discharge letter / hospital report"),
    TypeGroup(PRESCRIPTION, "Ordonnances", "Prescriptions"),
    TypeGroup(ANAESTHESIA, "Anesthésie", "Anaesthesia"),
    TypeGroup(VACCINATION, "Vaccinations", "Immunizations"),
)

# phrase -> type codes. "bilan" alone is handled apart (WEAK_LAB_WORDS): it means labs unless the
# question names an exam or a clinical specialty ("bilan cardio" is not a lab report).
TYPE_PHRASES_FR: dict[str, tuple[str, ...]] = {
    # consultation
    "compte rendu de consultation": CONSULTATIONS, "cr de consultation": CONSULTATIONS,
    "cr consultation": CONSULTATIONS, "cr consult": CONSULTATIONS, "cr de consult": CONSULTATIONS,
    "consultation": CONSULTATIONS, "consult": CONSULTATIONS, "cs": CONSULTATIONS,
    "fiche de consultation": CONSULTATIONS, "visite": CONSULTATIONS, "cr de visite": CONSULTATIONS,
    "courrier de consultation": CONSULTATIONS, "lettre de consultation": CONSULTATIONS,
    # lab
    "bilan bio": (LAB,), "bilan biologique": (LAB,), "bilan sanguin": (LAB,), "bilan de sang": (LAB,),
    "prise de sang": (LAB,), "analyse": (LAB,), "analyse de sang": (LAB,), "analyse sanguine": (LAB,),
    "analyse biologique": (LAB,), "resultat de labo": (LAB,), "resultat labo": (LAB,),
    "resultat d'analyse": (LAB,), "resultat de laboratoire": (LAB,), "resultat biologique": (LAB,),
    "resultat de prise de sang": (LAB,), "resultat de bilan": (LAB,), "labo": (LAB,), "laboratoire": (LAB,),
    "biologie": (LAB,), "bio": (LAB,), "cr de biologie": (LAB,), "cr biologie": (LAB,), "cr bio": (LAB,),
    "examen biologique": (LAB,), "examen de sang": (LAB,), "biologie medicale": (LAB,), "biologiste": (LAB,),
    "bilan de controle": (LAB,), "bilan lipidique": (LAB,), "bilan hepatique": (LAB,), "bilan renal": (LAB,),
    "bilan thyroidien": (LAB,), "bilan martial": (LAB,), "bilan inflammatoire": (LAB,),
    "bilan de coagulation": (LAB,), "bilan d'hemostase": (LAB,), "bilan glycemique": (LAB,),
    "bilan phosphocalcique": (LAB,), "ionogramme": (LAB,), "iono": (LAB,), "ecbu": (LAB,),
    "serologie": (LAB,), "bilan standard": (LAB,), "bilan de routine": (LAB,), "bilan annuel": (LAB,),
    "exploration d'une anomalie lipidique": (LAB,), "eal": (LAB,), "bilan urinaire": (LAB,),
    # imaging
    "imagerie": (IMAGING,), "imagerie medicale": (IMAGING,), "cr d'imagerie": (IMAGING,),
    "compte rendu d'imagerie": (IMAGING,), "cr imagerie": (IMAGING,), "radiologie": (IMAGING,),
    "cr de radiologie": (IMAGING,), "cr radio": (IMAGING,),
    "examen d'imagerie": (IMAGING,), "cabinet de radiologie": (IMAGING,), "examen radiologique": (IMAGING,),
    "bilan radiologique": (IMAGING,), "compte rendu radiologique": (IMAGING,), "cr radiologique": (IMAGING,),
    # discharge / hospital stay
    "lettre de sortie": DISCHARGE, "lettre de liaison": DISCHARGE, "lettre de liaison a la sortie": DISCHARGE,
    "courrier de sortie": DISCHARGE, "compte rendu de sortie": DISCHARGE, "cr de sortie": DISCHARGE,
    "crh": DISCHARGE, "compte rendu d'hospitalisation": DISCHARGE, "cr d'hospitalisation": DISCHARGE,
    "cr d'hospit": DISCHARGE, "cr hospit": DISCHARGE, "cr hospitalisation": DISCHARGE,
    "compte rendu hospitalier": DISCHARGE, "cr hospitalier": DISCHARGE, "hospitalisation": DISCHARGE,
    "hospit": DISCHARGE, "hospi": DISCHARGE, "sejour": DISCHARGE, "sejour hospitalier": DISCHARGE,
    "synthese d'episode": DISCHARGE, "synthese d'hospitalisation": DISCHARGE, "sortie d'hospitalisation": DISCHARGE,
    "sortie d'hopital": DISCHARGE, "compte rendu de sejour": DISCHARGE, "cr de sejour": DISCHARGE,
    # operative
    "cr op": OPERATIVE, "cr operatoire": OPERATIVE, "compte rendu operatoire": OPERATIVE,
    "compte rendu d'operation": OPERATIVE, "cr d'operation": OPERATIVE, "protocole operatoire": OPERATIVE,
    "operation": OPERATIVE, "intervention chirurgicale": OPERATIVE, "cro": OPERATIVE,
    "compte rendu chirurgical": OPERATIVE, "cr chirurgical": OPERATIVE, "cr de bloc": OPERATIVE,
    # prescriptions
    "ordonnance": PRESCRIPTION, "ordonnance de traitement": PRESCRIPTION, "ordo": PRESCRIPTION, "prescription": PRESCRIPTION,
    "prescription medicale": PRESCRIPTION, "prescription medicamenteuse": PRESCRIPTION,
    "traitement en cours": MEDICATION, "traitement actuel": MEDICATION, "traitement habituel": MEDICATION,
    "traitement de fond": MEDICATION, "medicament": MEDICATION, "medicaments en cours": MEDICATION,
    "liste des medicaments": MEDICATION, "dispensation": DISPENSATION, "delivrance": DISPENSATION,
    # emergency
    "passage aux urgences": EMERGENCY, "passage au urgence": EMERGENCY, "passage urgence": EMERGENCY,
    "urgence": EMERGENCY, "cr des urgences": EMERGENCY, "cr d'urgence": EMERGENCY, "cr urgence": EMERGENCY,
    "sau": EMERGENCY, "service des urgences": EMERGENCY, "passage au sau": EMERGENCY,
    # pathology
    "anapath": PATHOLOGY, "anatomopathologie": PATHOLOGY, "anatomo pathologie": PATHOLOGY,
    "anatomie pathologique": PATHOLOGY, "anatomopath": PATHOLOGY, "anatomo-pathologique": PATHOLOGY,
    "anatomopathologique": PATHOLOGY, "cr anapath": PATHOLOGY, "cr d'anapath": PATHOLOGY, "ana path": PATHOLOGY,
    "biopsie": PATHOLOGY, "histologie": PATHOLOGY, "examen histologique": PATHOLOGY, "cytologie": PATHOLOGY,
    "frottis": PATHOLOGY, "frottis cervico-uterin": PATHOLOGY, "fcu": PATHOLOGY, "pathologiste": PATHOLOGY,
    "piece operatoire": PATHOLOGY, "exerese": PATHOLOGY,
    # multidisciplinary meeting
    "rcp": MDT, "reunion de concertation pluridisciplinaire": MDT, "concertation pluridisciplinaire": MDT,
    "cr de rcp": MDT, "cr rcp": MDT, "fiche rcp": MDT, "reunion de concertation": MDT,
    # anaesthesia
    "consultation d'anesthesie": ANAESTHESIA, "consultation anesthesie": ANAESTHESIA, "consult anesth": ANAESTHESIA,
    "consultation anesth": ANAESTHESIA, "cs anesth": ANAESTHESIA, "consultation pre-anesthesique": ANAESTHESIA,
    "consultation preanesthesique": ANAESTHESIA, "pre-anesthesique": ANAESTHESIA, "preanesthesique": ANAESTHESIA,
    "anesthesie": ANAESTHESIA, "anesth": ANAESTHESIA, "cpa": ANAESTHESIA, "consultation pre anesthesique": ANAESTHESIA,
    "cr d'anesthesie": ANAESTHESIA, "visite pre-anesthesique": ANAESTHESIA,
    # vaccination
    "vaccin": VACCINATION, "vaccination": VACCINATION, "carnet de vaccination": VACCINATION,
    "historique des vaccinations": VACCINATION, "note de vaccination": VACCINATION, "rappel de vaccin": VACCINATION,
    "statut vaccinal": VACCINATION,
    # others
    "certificat": CERTIFICATE, "certificat medical": CERTIFICATE,
    "note de transfert": TRANSFER, "lettre de liaison a l'entree": TRANSFER, "lettre d'entree": TRANSFER,
    "lettre d'adressage": TRANSFER, "courrier d'adressage": TRANSFER, "transfert": TRANSFER,
    "teleconsultation": TELEMEDICINE, "telemedecine": TELEMEDICINE, "teleexpertise": TELEMEDICINE,
    "tele-expertise": TELEMEDICINE, "tele-consultation": TELEMEDICINE,
    "synthese medicale": PATIENT_SUMMARY, "volet de synthese medicale": PATIENT_SUMMARY, "vsm": PATIENT_SUMMARY,
    "synthese du dossier": PATIENT_SUMMARY,
    "analyse genetique": GENETICS, "test genetique": GENETICS, "genetique moleculaire": GENETICS,
    "accouchement": DELIVERY, "cr d'accouchement": DELIVERY,
    "demande d'imagerie": IMAGING_REQUEST, "demande d'examen d'imagerie": IMAGING_REQUEST, "bon de radio": IMAGING_REQUEST,
    "acte therapeutique": THERAPEUTIC_ACT, "acte diagnostique": DIAGNOSTIC_ACT,
    "document administratif": ADMIN, "facture": ADMIN, "papier administratif": ADMIN,
}

TYPE_PHRASES_EN: dict[str, tuple[str, ...]] = {
    "consultation note": CONSULTATIONS, "consultation report": CONSULTATIONS, "clinic letter": CONSULTATIONS,
    "clinic note": CONSULTATIONS, "office visit": CONSULTATIONS, "visit note": CONSULTATIONS,
    "consult note": CONSULTATIONS, "outpatient letter": CONSULTATIONS,
    "lab": (LAB,), "lab result": (LAB,), "lab report": (LAB,), "lab test": (LAB,), "lab work": (LAB,),
    "laboratory": (LAB,), "laboratory result": (LAB,), "laboratory report": (LAB,), "blood test": (LAB,),
    "blood work": (LAB,), "bloodwork": (LAB,), "bloods": (LAB,), "blood result": (LAB,), "blood panel": (LAB,),
    "test result": (LAB,), "biology": (LAB,), "urine test": (LAB,), "lipid panel": (LAB,), "liver panel": (LAB,),
    "liver function test": (LAB,), "lft": (LAB,), "metabolic panel": (LAB,), "renal panel": (LAB,),
    "kidney function": (LAB,), "thyroid panel": (LAB,), "electrolyte": (LAB,),
    "imaging": (IMAGING,), "imaging report": (IMAGING,), "radiology": (IMAGING,), "radiology report": (IMAGING,),
    "scan": (IMAGING,), "scan report": (IMAGING,),
    "discharge summary": DISCHARGE, "discharge letter": DISCHARGE, "discharge report": DISCHARGE,
    "discharge note": DISCHARGE, "discharge": DISCHARGE, "hospital discharge": DISCHARGE,
    "hospital discharge summary": DISCHARGE, "hospital discharge letter": DISCHARGE, "hospital report": DISCHARGE,
    "hospital stay": DISCHARGE, "hospitalization": DISCHARGE, "hospitalisation": DISCHARGE, "admission": DISCHARGE,
    "inpatient stay": DISCHARGE, "hospital letter": DISCHARGE,
    "operative note": OPERATIVE, "operative report": OPERATIVE, "op note": OPERATIVE, "op report": OPERATIVE,
    "operation note": OPERATIVE, "surgical report": OPERATIVE, "surgery report": OPERATIVE, "surgery": OPERATIVE,
    "surgical note": OPERATIVE,
    "prescription": PRESCRIPTION, "script": PRESCRIPTION,
    "medication": MEDICATION, "current medication": MEDICATION, "med": MEDICATION, "medication list": MEDICATION,
    "current treatment": MEDICATION, "drug": MEDICATION,
    "er": EMERGENCY, "er visit": EMERGENCY, "er report": EMERGENCY, "emergency": EMERGENCY,
    "emergency visit": EMERGENCY, "emergency department": EMERGENCY, "emergency room": EMERGENCY,
    "ed visit": EMERGENCY, "a&e": EMERGENCY, "casualty": EMERGENCY, "emergency report": EMERGENCY,
    "pathology": PATHOLOGY, "pathology report": PATHOLOGY, "biopsy": PATHOLOGY, "histology": PATHOLOGY,
    "cytology": PATHOLOGY, "pap smear": PATHOLOGY, "histopathology": PATHOLOGY,
    "mdt": MDT, "tumor board": MDT, "tumour board": MDT, "multidisciplinary meeting": MDT, "mdt meeting": MDT,
    "anaesthesia": ANAESTHESIA, "anesthesia": ANAESTHESIA, "pre-anaesthesia": ANAESTHESIA,
    "pre-anesthesia": ANAESTHESIA, "anaesthetic assessment": ANAESTHESIA, "preop assessment": ANAESTHESIA,
    "pre-op assessment": ANAESTHESIA, "anesthesia consultation": ANAESTHESIA, "anaesthesia consultation": ANAESTHESIA,
    "vaccine": VACCINATION, "vaccination": VACCINATION, "immunization": VACCINATION, "immunisation": VACCINATION,
    "shot": VACCINATION, "vaccination record": VACCINATION,
    "certificate": CERTIFICATE, "medical certificate": CERTIFICATE, "sick note": CERTIFICATE,
    "transfer note": TRANSFER, "referral letter": TRANSFER, "referral": TRANSFER,
    "telemedicine": TELEMEDICINE, "teleconsultation": TELEMEDICINE, "video consultation": TELEMEDICINE,
    "patient summary": PATIENT_SUMMARY, "medical summary": PATIENT_SUMMARY,
    "genetic test": GENETICS, "genetic testing": GENETICS, "genetic report": GENETICS,
    "delivery report": DELIVERY, "birth report": DELIVERY, "imaging request": IMAGING_REQUEST,
    "invoice": ADMIN, "bill": ADMIN, "administrative document": ADMIN,
}

# "bilan" alone: labs, unless an exam or a clinical specialty says otherwise ("bilan cardio").
WEAK_LAB_WORDS_FR: tuple[str, ...] = ("bilan", "check-up", "checkup", "resultat d'examen")
WEAK_LAB_WORDS_EN: tuple[str, ...] = ("test", "work-up", "workup", "check-up", "checkup")

# Words that say "a document" without saying which: consumed, never a filter nor a topic.
GENERIC_FR: tuple[str, ...] = (
    "compte rendu", "compte-rendu", "cr", "c r", "courrier", "lettre", "document", "doc", "pdf", "fichier",
    "resultat", "rapport", "examen", "exam", "dossier", "piece", "note", "compte", "rendu", "avis", "attestation",
    "hopital", "clinique",
)
GENERIC_EN: tuple[str, ...] = ("report", "letter", "document", "doc", "result", "record", "file", "note", "paper",
                               "findings", "opinion", "hospital")

# --- specialties (keys of carnet.codes.SPECIALTY_GROUPS) -----------------------------------------

SPECIALTY_PHRASES_FR: dict[str, str] = {
    # a person who writes reports: the specialty, not a document type ("CR du radiologue" = signed by one)
    "radiologue": "radiologie",
    # the department's name: an imaging report signed in radiology (not a midwife's or an obstetrician's echo)
    "radiologie": "radiologie",
    "cardio": "cardiologie", "cardiologie": "cardiologie", "cardiologue": "cardiologie",
    "cardiologique": "cardiologie", "rythmologue": "cardiologie", "rythmologie": "cardiologie",
    "consultation cardiologique": "cardiologie",
    "endocrino": "endocrinologie", "endocrinologie": "endocrinologie", "endocrinologue": "endocrinologie",
    "endoc": "endocrinologie", "diabeto": "endocrinologie", "diabetologie": "endocrinologie",
    "diabetologue": "endocrinologie", "nutritionniste": "endocrinologie", "endocrino-diabetologie": "endocrinologie",
    "pneumo": "pneumologie", "pneumologie": "pneumologie", "pneumologue": "pneumologie", "pneumologique": "pneumologie",
    "neuro": "neurologie", "neurologie": "neurologie", "neurologue": "neurologie", "neurologique": "neurologie",
    "neurochir": "neurochirurgie", "neurochirurgie": "neurochirurgie", "neurochirurgien": "neurochirurgie",
    "neuro-chirurgie": "neurochirurgie",
    "gastro": "gastro-enterologie", "gastro-enterologie": "gastro-enterologie", "gastroenterologie": "gastro-enterologie",
    "gastro-enterologue": "gastro-enterologie", "gastroenterologue": "gastro-enterologie", "gastro enterologue": "gastro-enterologie",
    "gastro enterologie": "gastro-enterologie", "hepato": "gastro-enterologie", "hepatologie": "gastro-enterologie",
    "hepatologue": "gastro-enterologie", "hepato-gastro": "gastro-enterologie", "hge": "gastro-enterologie",
    "rhumato": "rhumatologie", "rhumatologie": "rhumatologie", "rhumatologue": "rhumatologie",
    "dermato": "dermatologie", "dermatologie": "dermatologie", "dermatologue": "dermatologie", "dermatho": "dermatologie",
    "ophtalmo": "ophtalmologie", "ophtalmologie": "ophtalmologie", "ophtalmologue": "ophtalmologie",
    "ophtalmologiste": "ophtalmologie", "ophta": "ophtalmologie", "opht": "ophtalmologie", "ophtalmique": "ophtalmologie",
    "nephro": "nephrologie", "nephrologie": "nephrologie", "nephrologue": "nephrologie",
    "orl": "orl", "oto-rhino": "orl", "oto-rhino-laryngologie": "orl", "oto-rhino-laryngologiste": "orl",
    "otorhinolaryngologie": "orl", "otorhino": "orl",
    "gyneco": "gynecologie", "gynecologie": "gynecologie", "gynecologue": "gynecologie", "gyn": "gynecologie",
    "gyneco-obstetrique": "gynecologie", "obstetrique": "gynecologie", "obstetricien": "gynecologie",
    "gynecologique": "gynecologie",
    "psy": "psychiatrie", "psychiatrie": "psychiatrie", "psychiatre": "psychiatrie", "pedopsy": "psychiatrie",
    "pedopsychiatre": "psychiatrie", "psychiatrique": "psychiatrie",
    "onco": "oncologie", "oncologie": "oncologie", "oncologue": "oncologie", "cancerologie": "oncologie",
    "cancerologue": "oncologie", "oncologique": "oncologie",
    "uro": "urologie", "urologie": "urologie", "urologue": "urologie", "chirurgie urologique": "urologie",
    "ortho": "chirurgie-orthopedique", "orthopedie": "chirurgie-orthopedique", "orthopediste": "chirurgie-orthopedique",
    "chirurgien orthopediste": "chirurgie-orthopedique", "chir ortho": "chirurgie-orthopedique",
    "chirurgie orthopedique": "chirurgie-orthopedique", "traumato": "chirurgie-orthopedique",
    "orthopedique": "chirurgie-orthopedique",
    "chir": "chirurgie-generale", "chirurgie": "chirurgie-generale", "chirurgien": "chirurgie-generale",
    "chirurgie generale": "chirurgie-generale", "chir dig": "chirurgie-digestive", "chir digestive": "chirurgie-digestive",
    "chirurgie digestive": "chirurgie-digestive", "chirurgie viscerale": "chirurgie-digestive",
    "chir viscerale": "chirurgie-digestive", "chir vasc": "chirurgie-vasculaire", "chirurgie vasculaire": "chirurgie-vasculaire",
    "chirurgien vasculaire": "chirurgie-vasculaire", "chir cardiaque": "chirurgie-cardiaque",
    "chirurgie cardiaque": "chirurgie-cardiaque", "chirurgie thoracique": "chirurgie-cardiaque",
    "chirurgien cardiaque": "chirurgie-cardiaque", "chir thoracique": "chirurgie-cardiaque",
    "chirurgie plastique": "chirurgie-plastique", "chir plastique": "chirurgie-plastique",
    "chirurgie esthetique": "chirurgie-plastique", "maxillo": "chirurgie-maxillo-faciale",
    "maxillo-facial": "chirurgie-maxillo-faciale", "chirurgie maxillo-faciale": "chirurgie-maxillo-faciale",
    "stomato": "chirurgie-maxillo-faciale", "stomatologie": "chirurgie-maxillo-faciale",
    "stomatologue": "chirurgie-maxillo-faciale", "chirurgie pediatrique": "chirurgie-pediatrique",
    "chir pediatrique": "chirurgie-pediatrique", "chirurgie infantile": "chirurgie-pediatrique",
    "hemato": "hematologie", "hematologie": "hematologie", "hematologue": "hematologie",
    "geriatrie": "geriatrie", "geriatre": "geriatrie", "geria": "geriatrie", "evaluation geriatrique": "geriatrie",
    "medecine interne": "medecine-interne", "interniste": "medecine-interne",
    "pediatrie": "pediatrie", "pediatre": "pediatrie", "pedia": "pediatrie",
    "mpr": "reeducation", "medecine physique": "reeducation", "reeducation": "reeducation",
    "medecin reeducateur": "reeducation", "readaptation": "reeducation",
    "medecine nucleaire": "medecine-nucleaire", "isotopes": "medecine-nucleaire",
    "radiotherapie": "radiotherapie", "radiotherapeute": "radiotherapie", "radiotherapeutique": "radiotherapie",
    "rea": "reanimation", "reanimation": "reanimation", "reanimateur": "reanimation", "soins intensifs": "reanimation",
    "usi": "reanimation",
    "allergo": "allergologie", "allergologie": "allergologie", "allergologue": "allergologie",
    "infectio": "infectiologie", "infectiologie": "infectiologie", "infectiologue": "infectiologie",
    "maladies infectieuses": "infectiologie",
    "urgentiste": "urgences", "medecine d'urgence": "urgences",
    "medecin traitant": "medecine-generale", "generaliste": "medecine-generale", "medecine generale": "medecine-generale",
    "medecin generaliste": "medecine-generale",
    "medecine du travail": "medecine-du-travail", "medecin du travail": "medecine-du-travail",
    "medecine vasculaire": "medecine-vasculaire", "angiologue": "medecine-vasculaire", "angiologie": "medecine-vasculaire",
    "angio": "medecine-vasculaire", "phlebologue": "medecine-vasculaire", "phlebologie": "medecine-vasculaire",
    "medecin vasculaire": "medecine-vasculaire",
    "genetique": "genetique", "geneticien": "genetique", "consultation de genetique": "genetique",
    "anesthesiste": "anesthesie", "medecin anesthesiste": "anesthesie",
    "medecine legale": "medecine-legale", "medecin legiste": "medecine-legale",
    "sante publique": "sante-publique",
    "anatomopathologiste": "anatomopathologie",
}

SPECIALTY_PHRASES_EN: dict[str, str] = {
    "radiologist": "radiologie", "radiology": "radiologie", "radiology report": "radiologie",
    "cardiology": "cardiologie", "cardiologist": "cardiologie", "cardiac clinic": "cardiologie",
    "heart doctor": "cardiologie", "electrophysiology": "cardiologie",
    "endocrinology": "endocrinologie", "endocrinologist": "endocrinologie", "endo": "endocrinologie",
    "diabetology": "endocrinologie", "diabetologist": "endocrinologie", "diabetes clinic": "endocrinologie",
    "pulmonology": "pneumologie", "pulmonologist": "pneumologie", "respiratory": "pneumologie",
    "chest physician": "pneumologie", "pulmonary clinic": "pneumologie", "respirology": "pneumologie",
    "neurology": "neurologie", "neurologist": "neurologie", "neurosurgery": "neurochirurgie",
    "neurosurgeon": "neurochirurgie",
    "gastroenterology": "gastro-enterologie", "gastroenterologist": "gastro-enterologie", "gi": "gastro-enterologie",
    "hepatology": "gastro-enterologie", "hepatologist": "gastro-enterologie",
    "rheumatology": "rhumatologie", "rheumatologist": "rhumatologie", "rheum": "rhumatologie", "rheumato": "rhumatologie",
    "dermatology": "dermatologie", "dermatologist": "dermatologie", "derm": "dermatologie", "derma": "dermatologie",
    "ophthalmology": "ophtalmologie", "ophthalmologist": "ophtalmologie", "eye doctor": "ophtalmologie",
    "eye clinic": "ophtalmologie", "ophthalmo": "ophtalmologie", "ophtho": "ophtalmologie",
    "nephrology": "nephrologie", "nephrologist": "nephrologie", "kidney doctor": "nephrologie",
    "ent": "orl", "otolaryngology": "orl", "otolaryngologist": "orl", "ear nose and throat": "orl",
    "gynecology": "gynecologie", "gynaecology": "gynecologie", "gynecologist": "gynecologie",
    "gynaecologist": "gynecologie", "obgyn": "gynecologie", "ob-gyn": "gynecologie", "ob gyn": "gynecologie",
    "obstetrics": "gynecologie", "gyno": "gynecologie", "gynae": "gynecologie",
    "psychiatry": "psychiatrie", "psychiatrist": "psychiatrie", "psych": "psychiatrie",
    "oncology": "oncologie", "oncologist": "oncologie", "cancer clinic": "oncologie",
    "urology": "urologie", "urologist": "urologie",
    "orthopaedics": "chirurgie-orthopedique", "orthopedics": "chirurgie-orthopedique",
    "orthopaedic": "chirurgie-orthopedique", "orthopedic": "chirurgie-orthopedique",
    "orthopedist": "chirurgie-orthopedique", "orthopaedic surgeon": "chirurgie-orthopedique",
    "orthopedic surgeon": "chirurgie-orthopedique", "orthopod": "chirurgie-orthopedique",
    "surgeon": "chirurgie-generale", "general surgery": "chirurgie-generale", "vascular surgery": "chirurgie-vasculaire",
    "vascular surgeon": "chirurgie-vasculaire", "cardiac surgery": "chirurgie-cardiaque",
    "cardiothoracic surgery": "chirurgie-cardiaque", "cardiac surgeon": "chirurgie-cardiaque",
    "plastic surgery": "chirurgie-plastique", "digestive surgery": "chirurgie-digestive",
    "hematology": "hematologie", "haematology": "hematologie", "hematologist": "hematologie",
    "haematologist": "hematologie",
    "geriatrics": "geriatrie", "geriatrician": "geriatrie", "internal medicine": "medecine-interne",
    "internist": "medecine-interne", "pediatrics": "pediatrie", "paediatrics": "pediatrie",
    "pediatrician": "pediatrie", "paediatrician": "pediatrie", "peds": "pediatrie",
    "rehabilitation": "reeducation", "rehab": "reeducation", "physiatrist": "reeducation",
    "nuclear medicine": "medecine-nucleaire", "radiotherapy": "radiotherapie", "radiation oncology": "radiotherapie",
    "icu": "reanimation", "intensive care": "reanimation", "critical care": "reanimation",
    "allergy": "allergologie", "allergist": "allergologie", "allergology": "allergologie",
    "infectious disease": "infectiologie", "id clinic": "infectiologie",
    "general practitioner": "medecine-generale", "gp": "medecine-generale", "family doctor": "medecine-generale",
    "occupational health": "medecine-du-travail", "vascular medicine": "medecine-vasculaire",
    "genetics": "genetique", "geneticist": "genetique", "anaesthetist": "anesthesie", "anesthesiologist": "anesthesie",
}

# --- exams and analytes: additions for questions (the shared lexicon stays the main source) ----------

# Panels a doctor asks for by name: several analyte keys at once (the type is always the lab report).
ANALYTE_PANELS: dict[str, tuple[str, ...]] = {
    "bilan lipidique": ("cholesterol-ldl", "cholesterol-hdl", "cholesterol-total", "triglycerides"),
    "eal": ("cholesterol-ldl", "cholesterol-hdl", "cholesterol-total", "triglycerides"),
    "exploration d'une anomalie lipidique": ("cholesterol-ldl", "cholesterol-hdl", "cholesterol-total", "triglycerides"),
    "lipid panel": ("cholesterol-ldl", "cholesterol-hdl", "cholesterol-total", "triglycerides"),
    "bilan hepatique": ("transaminases", "ggt"),
    "liver panel": ("transaminases", "ggt"), "liver function test": ("transaminases", "ggt"), "lft": ("transaminases", "ggt"),
    "bilan renal": ("creatinine", "dfg"), "kidney function": ("creatinine", "dfg"), "renal panel": ("creatinine", "dfg"),
    "fonction renale": ("creatinine", "dfg"),
    "bilan thyroidien": ("tsh",), "thyroid panel": ("tsh",),
    "bilan martial": ("ferritine",),
    "ionogramme": ("potassium", "sodium"), "iono": ("potassium", "sodium"), "electrolyte": ("potassium", "sodium"),
    "bilan glycemique": ("glycemie", "hba1c"),
}

# --- order and count ------------------------------------------------------------------------------

LATEST_WORDS_FR: tuple[str, ...] = (
    "dernier", "derniere", "le plus recent", "la plus recente", "les plus recents", "les plus recentes",
    "plus recent", "plus recente", "recent", "recente", "actuel", "actuelle", "en cours", "a jour",
    "dernierement", "nouveau", "nouvelle",
)
LATEST_WORDS_EN: tuple[str, ...] = (
    "latest", "last", "most recent", "recent", "newest", "current", "up to date", "up-to-date", "lastest", "new",
)

NUMBER_WORDS: dict[str, int] = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30,
    "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}

# --- dates ------------------------------------------------------------------------------------------

MONTHS: dict[str, int] = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
}
# Abbreviations: a month only next to a day or a year ("sept" is also seven, "may" a verb).
MONTH_ABBREVIATIONS: dict[str, int] = {
    "janv": 1, "jan": 1, "fev": 2, "fevr": 2, "feb": 2, "mar": 3, "avr": 4, "apr": 4, "juil": 7, "jul": 7,
    "jun": 6, "aou": 8, "aug": 8, "sept": 9, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
UNITS: dict[str, str] = {
    "jour": "days", "jours": "days", "j": "days", "day": "days", "days": "days",
    "semaine": "weeks", "semaines": "weeks", "sem": "weeks", "week": "weeks", "weeks": "weeks", "wk": "weeks",
    "mois": "months", "month": "months", "months": "months", "mo": "months",
    "an": "years", "ans": "years", "annee": "years", "annees": "years", "year": "years", "years": "years",
    "yr": "years", "yrs": "years",
}

# --- stop words -------------------------------------------------------------------------------------

STOP_WORDS_FR: frozenset[str] = frozenset(
    """le la les l un une des du de d au aux a et ou en dans pour par sur avec chez mon ma mes son sa ses ce cet
    cette ces ci qui que qu quel quelle quels quelles est sont etait ete je j me m moi il elle y t ai as avez avoir
    veux voudrais voir montre montrer montre-moi affiche afficher trouve trouver cherche chercher donne donner
    retrouve retrouver ouvre ouvrir svp stp merci patient patiente monsieur madame mr mme mlle tout tous toute toutes
    ne pas n se s fait faite faits faites quoi ou quand comment combien dont son leur leurs notre nos votre vos
    lui eu eue sous evolution courbe concerne concernent concernant relatif relatifs relative relatives propos
    parle parlent""".split()
)
STOP_WORDS_EN: frozenset[str] = frozenset(
    """the a an of for from in on at to with by my his her their our your this that these those is are was were
    be been show me find get give open see please pls any all what which when where how who whose did do does i we
    you he she it its patient patients pt mr mrs ms about trend trends regarding concerning related mention
    mentions mentioning everything anything""".split()
)

# --- query-side synonyms of carnet.lexicon keys (how doctors type them, not how reports spell them) ---

EXAM_SYNONYMS: dict[str, tuple[str, ...]] = {
    "echocardiographie": ("echo du coeur", "echographie du coeur", "echo cardio", "echocardio", "echo-coeur",
                          "echocoeur", "echo trans thoracique", "echo transthoracique", "echographie transthoracique",
                          "echocardiographie transthoracique", "echo trans-thoracique", "etto", "echo card",
                          "heart echo", "heart ultrasound", "echo heart", "echocardiograph"),
    "ecg": ("electro", "ecg de repos", "trace ecg", "electrocardio", "ecg 12 derivations"),
    "holter": ("holter ecg 24h", "holter rythmique", "holter de 24h", "holter 24h", "holter ecg", "holter ta",
               "holter monitor", "mesure ambulatoire de la pression arterielle", "ambulatory blood pressure"),
    "epreuve-effort": ("effort test", "treadmill test", "exercise ecg", "epreuve d effort", "test d effort",
                       "exercise stress test"),
    "efr": ("spiro", "lung function", "lung function test", "explorations respiratoires", "pfr",
            "exploration respiratoire", "pulmonary function test"),
    "radiographie": ("radios", "x ray", "rp", "cxr", "plain film", "cliches"),
    "echographie": ("echodoppler", "echo doppler", "sonographie", "ultrasound scan", "us scan", "echographique",
                    "eco doppler", "ultrasonography"),
    "scanner": ("scanographie", "scano", "ct-scan", "coroscanner", "coro-scanner", "body scan",
                "tomodensitometrique", "ct scanner", "cat-scan", "ctscan"),
    "irm": ("mri scan", "resonance magnetique", "imagerie par resonance", "mri-scan"),
    "mammographie": ("mammographie de depistage", "breast imaging", "mammographies"),
    "scintigraphie": ("scinti", "tep scan", "tep-scan", "petscan", "pet", "tepscan", "bone scan"),
    "densitometrie": ("densito", "dmo", "dxa", "bone density scan", "bone densitometry", "osteodensito"),
    "coloscopie": ("colo", "colonoscopie", "coloscopy", "ileocoloscopie", "rectosigmoidoscopie"),
    "endoscopie": ("ogd", "egd", "fibro", "fibroscopie gastrique", "fibroscopie oeso-gastro-duodenale",
                   "upper endoscopy", "gastro-duodenal endoscopy", "endoscopie digestive", "oesophagoscopie"),
    "emg": ("enmg", "electroneuromyogramme", "electromyographie", "electroneuromyographie", "nerve conduction"),
    "eeg": ("electroencephalographie", "electro-encephalogramme"),
    "fond-oeil": ("fo", "retinographie", "retinography", "eye exam", "examen ophtalmologique", "fond d'yeux"),
    "audiometrie": ("audio", "hearing test", "audiogram", "test auditif"),
    "polysomnographie": ("psg", "polygraphie", "enregistrement du sommeil", "etude du sommeil", "polygraphie nocturne"),
    "coronarographie": ("coro", "coronaro", "angiographie coronaire", "cardiac cath", "coronary angiogram",
                        "cath lab"),
}

ANALYTE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "hba1c": ("hb1ac", "hgba1c", "hemoglobine a1c", "hb glyquee", "hba1c glyquee", "glycated hb", "glyquee",
              "hemoglobine glyquee"),
    "glycemie": ("gaj", "glycemie a jeun", "sucre", "blood glucose", "glycaemia", "glycemia", "dextro"),
    "creatinine": ("creatininemie", "creatinemie", "creatinin", "creatinine serique", "serum creatinine"),
    "dfg": ("clearance de la creatinine", "cockcroft", "mdrd", "debit de filtration", "debit de filtration glomerulaire",
            "clairance de la creatinine"),
    "cholesterol-ldl": ("ldlc", "ldl-cholesterol", "mauvais cholesterol", "bad cholesterol", "ldl c"),
    "cholesterol-hdl": ("hdlc", "hdl-cholesterol", "bon cholesterol", "good cholesterol", "hdl c"),
    "cholesterol-total": ("cholesterolemie", "cholesterol total"),
    "triglycerides": ("trigly", "triglyceridemie", "triglyceride"),
    "hemoglobine": ("hgb", "taux d'hemoglobine", "anemie biologique"),
    "nfs": ("nfp", "fbc", "hemogramme", "numeration sanguine", "formule sanguine", "nf", "blood count", "nfs plq"),
    "plaquettes": ("plq", "plt", "numeration plaquettaire", "thrombocytes", "platelet count"),
    "leucocytes": ("gb", "pnn", "neutrophiles", "polynucleaires", "lymphocytes", "white count", "white cell count"),
    "tsh": ("tshus", "tsh us", "t4", "t4l", "ft4", "t3", "t3l", "thyroid function", "fonction thyroidienne"),
    "crp": ("crpus", "crp us", "proteine c", "c reactive protein", "hs-crp"),
    "ferritine": ("ferritinemie", "fer serique", "serum ferritin"),
    "potassium": ("kaliemie", "potassemie", "hypokaliemie", "hyperkaliemie", "serum potassium"),
    "sodium": ("natremie", "hyponatremie", "hypernatremie", "serum sodium"),
    "inr": ("inr", "taux de prothrombine", "prothrombin time", "pt/inr"),
    "bnp": ("ntprobnp", "nt pro bnp", "probnp", "pro-bnp", "nt-pro-bnp", "pro bnp"),
    "troponine": ("tropo", "hs-tnt", "troponine hs", "troponine ultrasensible", "troponines", "hstnt"),
    "transaminases": ("transa", "asat alat", "sgot sgpt", "enzymes hepatiques", "liver enzymes"),
    "ggt": ("gamma", "ygt", "gamma glutamyl transpeptidase", "gamma-glutamyl"),
    "psa": ("psa total", "psa libre", "antigene prostatique"),
    "vitamine-d": ("vit d", "vitd", "25 oh d", "25oh vitamine d", "vitamine d3", "25-oh-d", "25 oh vitamine d",
                   "vitamin d3", "25oh d"),
    "albuminurie": ("microalb", "micro-albuminurie", "micro albuminurie", "acr", "albumin creatinine ratio",
                    "rapport albuminurie creatininurie", "microalbumin"),
    "acide-urique": ("uricemie", "urate", "serum urate"),
}

# "bilan" followed by one of these is not a lab report ("bilan d'extension" is imaging, "bilan
# orthophonique" a therapist's assessment): the type is left to the other words.
BILAN_NOT_LAB_NEXT: frozenset[str] = frozenset(
    """extension neuropsy neuropsychologique neuropsychologiques orthophonique kine kinesitherapie ergotherapie
    ergo podologique urodynamique allergologique cardiologique pneumologique ophtalmologique orthoptique
    psychomoteur psychomotricite memoire cognitif vasculaire""".split()
)

# Real words one letter away from a vocabulary word: never "corrected" ("diabete" is not "diabeto",
# "fracture" not "facture", "infection" not "infectio", "cardia" not "cardio").
PROTECTED_WORDS: frozenset[str] = frozenset(
    """diabete diabetes diabetique cardia infection infections fracture fractures great nephron cardiaques
    lettres sortir sorties urine urines reins dernie lipide lipides thyroide medical medicale medicales
    analyser operer opere operee bilans doppler vaccine vaccins sejours imageries scanners radios echos
    genetic genetique allergie allergies allergique psychose psychique neural neurone neurones urgent
    urgente surgery surgeon cancer cancers tumeur tumeurs biopsies lesion lesions colique coliques rectal
    renal renale hepatite hepatique cirrhose anemie asthme angine angor arthrose goutte fievre toux
    dyspnee douleur douleurs malaise syncope chute chutes entorse plaie brulure cicatrice nodule nodules
    polype polypes kyste kystes masse hernie prothese ulcere reflux epilepsie migraine vertige vertiges
    apnee grossesse bebe enfant adulte homme femme gauche droit droite bilateral thorax abdomen pelvis
    bassin genou genoux hanche epaule cheville poignet coude rachis lombaire cervical cervicale dorsal
    cerveau cerebral cerebrale crane sinus oreille gorge larynx poumon poumons coeur aorte carotide
    carotides veine veines artere arteres foie pancreas estomac colon rectum prostate vessie utero
    uterus ovaire ovaires sein seins thyroid peau ongle ongles""".split()
)

# Words that tell the question's language besides the vocabulary's own French/English split.
LANGUAGE_MARKERS_FR: frozenset[str] = frozenset(
    """irm tdm echo genou coeur cerveau poumon poumons rein reins foie sang hanche epaule droit droite gauche
    douleur thoracique abdominale cardiaque pulmonaire depuis dernier derniere derniers dernieres il y
    annee mois semaine entre avant apres jusqu hier aujourd""".split()
)
LANGUAGE_MARKERS_EN: frozenset[str] = frozenset(
    """mri ct tte ekg xray ray ultrasound echocardiogram chest heart knee brain abdominal kidney liver lung
    lungs blood sugar pain left right since last latest past ago before after between until year years month
    months week weeks today yesterday show find""".split()
)

# --- topic concepts: a body system or condition named in French or English, in its noun and adjective forms
# A topic word of the question brings in the other words of its concept for the lexical (BM25) search, so
# "documents sur les reins" reaches "insuffisance rénale" and "kidney", "cœur" reaches "cardiology clinic".
# General medical vocabulary (folded: no accents), not the wording of any one corpus.
TOPIC_CONCEPTS: tuple[tuple[str, ...], ...] = (
    ("coeur", "cardiaque", "cardiaques", "cardiologie", "cardiologique", "cardiologue", "heart", "cardiac", "cardiology",
     "cardiologist", "coronaire", "coronary"),
    ("rein", "reins", "renal", "renale", "renales", "renaux", "nephrologie", "nephrologique", "nephrologue", "kidney",
     "kidneys", "nephrology", "nephrologist"),
    ("digestif", "digestive", "digestion", "intestin", "intestinal", "intestins", "colon", "colique", "colorectal",
     "coloscopie", "colonoscopy", "estomac", "gastrique", "stomach", "bowel", "gut", "gastro", "gastroenterologie",
     "gastroenterology", "rectum", "oesophage", "oesophagus"),
    ("foie", "hepatique", "hepatiques", "hepatologie", "liver", "hepatic"),
    ("poumon", "poumons", "pulmonaire", "pulmonaires", "pneumologie", "pneumologue", "respiratoire", "lung", "lungs",
     "pulmonary", "respiratory", "chest", "thorax", "thoracique"),
    ("cerveau", "cerebral", "cerebrale", "neurologie", "neurologique", "neurologue", "brain", "neurology", "neurological"),
    ("oeil", "yeux", "oculaire", "ophtalmologie", "ophtalmologique", "retine", "eye", "eyes", "ocular", "ophthalmology",
     "retina", "retinal", "vision", "visuelle"),
    ("oreille", "oreilles", "orl", "audition", "auditif", "ear", "ears", "hearing", "otolaryngology"),
    ("peau", "cutane", "cutanee", "cutanees", "dermatologie", "dermatologique", "dermatologue", "skin", "dermatology",
     "dermatological", "lesion"),
    ("os", "osseux", "osseuse", "bone", "bones", "osteoporose", "osteoporosis", "fracture", "fractures"),
    ("genou", "genoux", "knee", "knees", "gonarthrose", "rotule", "patella"),
    ("hanche", "hanches", "hip", "hips", "coxarthrose"),
    ("epaule", "epaules", "shoulder", "shoulders"),
    ("cheville", "chevilles", "ankle", "ankles"),
    ("poignet", "poignets", "wrist", "wrists"),
    ("dos", "rachis", "lombaire", "lombaires", "vertebral", "vertebrale", "spine", "spinal", "back", "lumbar"),
    ("sein", "seins", "mammaire", "mammaires", "breast", "breasts", "mammographie", "mammography"),
    ("grossesse", "enceinte", "obstetrique", "obstetrical", "obstetricale", "prenatal", "prenatale", "pregnancy",
     "pregnant", "obstetric", "antenatal"),
    ("thyroide", "thyroidien", "thyroidienne", "thyroid"),
    ("prostate", "prostatique", "prostatic"),
    ("vessie", "urinaire", "urinaires", "bladder", "urinary"),
    ("diabete", "diabetique", "diabetes", "diabetic", "glycemie", "glycaemia"),
    ("tension", "hypertension", "hta", "hypertensive", "hypertendu"),
    ("cancer", "cancers", "tumeur", "tumeurs", "tumour", "tumor", "oncologie", "oncologique", "oncology", "malin",
     "maligne", "malignant", "carcinome", "carcinoma"),
    ("infection", "infections", "infectieux", "infectieuse", "infectious", "sepsis"),
    ("allergie", "allergies", "allergique", "allergy", "allergic"),
    ("vaccin", "vaccins", "vaccination", "vaccinations", "vaccine", "vaccines", "immunisation", "immunization"),
    ("sang", "sanguin", "sanguine", "blood"),
)
