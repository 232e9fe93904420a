"""The words a doctor types for a document type, mapped to LOINC codes (query side; folded, see
`carnet.text.fold`; matched on whole words by query.phrase_index, plural "s" dropped on both sides): type
phrases in French and in English (the parser also guesses the question's language from them), the groups of
codes one word means (one removable chip), the weak words ("bilan") that mean labs unless an exam or a
specialty says otherwise, and the generic words ("compte rendu", "report") that name no type at all.
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

# "bilan" followed by one of these is not a lab report ("bilan d'extension" is imaging, "bilan
# orthophonique" a therapist's assessment): the type is left to the other words.
BILAN_NOT_LAB_NEXT: frozenset[str] = frozenset(
    """extension neuropsy neuropsychologique neuropsychologiques orthophonique kine kinesitherapie ergotherapie
    ergo podologique urodynamique allergologique cardiologique pneumologique ophtalmologique orthoptique
    psychomoteur psychomotricite memoire cognitif vasculaire""".split()
)

