"""The DMP's document types as data: every typeCode of the CI-SIS list, its French label, class and group.

Facts from the ANS value sets (JDV_J07-XdsTypeCode-CISIS, of which the DMP's JDV_J66-TypeCode-DMP is a
subset): LOINC codes (system 2.16.840.1.113883.6.1) and the French complementary codes of
TRE_A05-TypeDocComplementaire (system 1.2.250.1.213.1.1.4.12: SYNTH, CERT_DECL, PRESC-KINE...). Each
type carries the XDS classCode the DMP pairs with it (JDV_J57-ClassCode-DMP) and a *group*: the
intent a doctor names in a question ("vaccinations" = vaccination note, immunisation history and
COVID-19 certificate). The phrases a doctor types for a type live here too, next to the table, so
that a new type and the words for it are added in one place; `query.parse` reads them.

Nothing here is logic: `carnet.codes` builds its lookups from these tables.
"""

from __future__ import annotations

from dataclasses import dataclass

LOINC_OID = "2.16.840.1.113883.6.1"
TRE_A05_OID = "1.2.250.1.213.1.1.4.12"
TRE_A05_URL = "https://mos.esante.gouv.fr/NOS/TRE_A05-TypeDocComplementaire/FHIR/TRE-A05-TypeDocComplementaire"

# XDS classCode (TRE_A03-ClasseDocument, the DMP's JDV_J57 subset).
CLASS_LABELS: dict[str, str] = {
    "10": "Compte rendu", "11": "Synthèse", "31": "Imagerie médicale", "42": "Prescription", "43": "Dispensation",
    "44": "Plan de soins, protocole de soins", "45": "Traitement administré", "52": "Certificat, déclaration",
    "60": "Données de remboursement", "90": "Autres documents déposés par le patient", "95": "Document de gestion",
}

# Groups of types a question names with one word: key -> (French label, English label).
TYPE_GROUP_LABELS: dict[str, tuple[str, str]] = {
    "consultation": ("Consultations", "Consultation notes"),
    "biologie": ("Biologie", "Laboratory reports"),
    "imagerie": ("Imagerie", "Imaging"),
    "hospitalisation": ("Hospitalisation", "Hospital stays"),
    "operatoire": ("Chirurgie (opératoire)", "Surgery"),
    "prescription": ("Prescriptions", "Prescriptions"),
    "dispensation": ("Dispensations", "Dispensing"),
    "urgences": ("Urgences", "Emergency"),
    "dlu": ("Document de liaison d'urgence", "Emergency liaison file"),
    "anatomopathologie": ("Anatomopathologie", "Pathology"),
    "rcp": ("RCP", "Multidisciplinary meetings"),
    "anesthesie": ("Anesthésie", "Anaesthesia"),
    "vaccination": ("Vaccinations", "Immunizations"),
    "certificat": ("Certificats, déclarations", "Certificates"),
    "transfert": ("Transferts, adressages", "Transfers and referrals"),
    "telemedecine": ("Télémédecine", "Telemedicine"),
    "synthese": ("Synthèses", "Summaries"),
    "genetique": ("Génétique", "Genetics"),
    "perinatalite": ("Grossesse et naissance", "Pregnancy and birth"),
    "enfant": ("Santé de l'enfant", "Child health"),
    "demande": ("Demandes d'actes", "Requests"),
    "acte-therapeutique": ("Actes thérapeutiques", "Therapeutic procedures"),
    "acte-diagnostique": ("Actes diagnostiques", "Diagnostic procedures"),
    "pharmacie": ("Pharmacie", "Pharmacy"),
    "soins-paramedicaux": ("Soins paramédicaux", "Nursing and allied health"),
    "dentaire": ("Dentaire", "Dental"),
    "plan-de-soins": ("Plans et protocoles de soins", "Care plans"),
    "medico-social": ("Médico-social", "Social care"),
    "psychologie": ("Psychologie", "Psychology"),
    "volontes": ("Volontés du patient, directives anticipées", "Advance directives"),
    "patient": ("Documents du patient", "Patient's own documents"),
    "administratif": ("Documents administratifs", "Administrative documents"),
    "autre": ("Autres documents", "Other documents"),
}


@dataclass(frozen=True)
class DocumentType:
    code: str  # LOINC, or a TRE_A05 code ("SYNTH")
    label: str  # French label (TRE_A04 / TRE_A05)
    label_en: str
    class_code: str  # XDS classCode the DMP pairs with the type
    group: str = "autre"  # TYPE_GROUP_LABELS key

    @property
    def system_oid(self) -> str:
        return LOINC_OID if self.code[:1].isdigit() else TRE_A05_OID


_T = DocumentType
TYPES: tuple[DocumentType, ...] = (
    # consultations
    _T("11488-4", "CR ou fiche de consultation ou de visite", "Consultation note", "10", "consultation"),
    _T("78513-9", "CR de consultation en ophtalmologie", "Ophthalmology consultation", "10", "consultation"),
    # laboratory
    _T("11502-2", "CR d'examens biologiques", "Laboratory report", "10", "biologie"),
    # imaging
    _T("18748-4", "CR d'imagerie médicale", "Diagnostic imaging report", "10", "imagerie"),
    _T("IMG-KOS", "Référence d'objets d'un examen d'imagerie", "Imaging objects reference", "31", "imagerie"),
    _T("52040-3", "Document encapsulant une image d'illustration non DICOM", "Non-DICOM illustration image", "31",
       "imagerie"),
    _T("55115-0", "Demande d'examen d'imagerie", "Imaging request", "42", "demande"),
    # hospital stays
    _T("11490-0", "Lettre de liaison à la sortie d'un établissement de soins", "Discharge letter", "10",
       "hospitalisation"),
    _T("34112-3", "CR hospitalier (séjour)", "Hospital stay report", "10", "hospitalisation"),
    _T("34133-9", "Synthèse d'épisode de soins", "Summary of episode note", "11", "hospitalisation"),
    _T("67851-6", "CR d'admission", "Admission report", "10", "hospitalisation"),
    _T("86531-1", "Attestation de sortie", "Discharge certificate", "52", "hospitalisation"),
    _T("18761-7", "Note de transfert (dont lettre de liaison à l'entrée)", "Transfer note", "10", "transfert"),
    _T("96349-6", "Lettre d'adressage", "Referral letter", "10", "transfert"),
    # surgery, anaesthesia
    _T("34874-8", "CR opératoire", "Operative report", "10", "operatoire"),
    _T("34875-5", "Évaluation postopératoire et note de suivi", "Postoperative evaluation note", "10", "operatoire"),
    _T("34876-3", "Évaluation préopératoire et note de suivi", "Preoperative evaluation note", "10", "operatoire"),
    _T("34749-2", "Consultation pré-anesthésique", "Pre-anaesthesia consultation", "10", "anesthesie"),
    _T("77436-4", "CR d'anesthésie", "Anaesthesia report", "10", "anesthesie"),
    # emergency
    _T("15507-7", "CR de passage aux urgences", "Emergency department visit note", "10", "urgences"),
    _T("60280-5", "Fiche de retour du service des urgences", "Emergency department return form", "10", "urgences"),
    _T("78341-5", "Fiche de transfert vers le service des urgences", "Transfer form to the emergency department",
       "10", "urgences"),
    _T("74207-2", "Document de liaison d'urgence", "Emergency liaison file (DLU)", "11", "dlu"),
    # pathology, genetics, meetings
    _T("11526-1", "CR d'anatomie et de cytologie pathologiques", "Pathology report", "10", "anatomopathologie"),
    _T("60568-3", "CR d'anatomie et de cytologie pathologiques (structuré)", "Pathology synoptic report", "10",
       "anatomopathologie"),
    _T("51969-4", "CR de génétique moléculaire", "Genetic analysis report", "10", "genetique"),
    _T("34794-8", "CR de RCP", "Multidisciplinary meeting report", "10", "rcp"),
    # other acts
    _T("70004-7", "CR d'acte diagnostique (autre)", "Diagnostic procedure report", "10", "acte-diagnostique"),
    _T("75492-9", "CR d'acte diagnostique à visée préventive ou de dépistage", "Screening procedure report", "10",
       "acte-diagnostique"),
    _T("96173-0", "Test rapide d'orientation diagnostique", "Rapid diagnostic test", "10", "acte-diagnostique"),
    _T("47420-5", "CR de bilan fonctionnel", "Functional status assessment", "10", "acte-diagnostique"),
    _T("11505-5", "CR d'acte thérapeutique (autre)", "Therapeutic procedure report", "10", "acte-therapeutique"),
    _T("75482-0", "CR d'acte thérapeutique à visée préventive", "Preventive therapeutic procedure report", "10",
       "acte-therapeutique"),
    _T("85208-7", "CR de télémédecine", "Telemedicine report", "10", "telemedecine"),
    _T("75496-0", "Demande d'acte de télémédecine", "Telemedicine request", "42", "telemedecine"),
    # prescriptions, dispensing, pharmacy
    _T("57833-6", "Prescription de produits de santé", "Prescription for medications", "42", "prescription"),
    _T("57828-6", "Prescription (autre)", "Prescription (other)", "42", "prescription"),
    _T("57832-8", "Prescription de soins", "Prescription for care", "42", "prescription"),
    _T("PRESC-BIO", "Prescription d'actes de biologie médicale", "Laboratory test prescription", "42", "prescription"),
    _T("PRESC-KINE", "Prescription d'actes de kinésithérapie", "Physiotherapy prescription", "42", "prescription"),
    _T("PRESC-INF", "Prescription d'actes infirmiers", "Nursing care prescription", "42", "prescription"),
    _T("PRESC-PEDI", "Prescription d'actes de pédicurie", "Podiatry prescription", "42", "prescription"),
    _T("PRESC-ORTHOPHO", "Prescription d'actes d'orthophonie", "Speech therapy prescription", "42", "prescription"),
    _T("PRESC-ORTHOPTIE", "Prescription d'actes d'orthoptie", "Orthoptics prescription", "42", "prescription"),
    _T("PRESC-AAT", "Prescription d'arrêt de travail", "Sick leave prescription", "42", "prescription"),
    _T("75468-9", "Renouvellement d'ordonnance par pharmacien correspondant", "Prescription renewal by a pharmacist",
       "42", "prescription"),
    _T("60593-1", "Dispensation médicamenteuse", "Medication dispensed", "43", "dispensation"),
    _T("DISP_AUT", "Dispensation (autre)", "Dispensing (other)", "43", "dispensation"),
    _T("80565-5", "CR d'administration de médicaments", "Medication administration record", "45", "pharmacie"),
    _T("56445-0", "Bilan médicamenteux", "Medication review", "10", "pharmacie"),
    _T("61357-0", "Intervention pharmaceutique", "Pharmaceutical intervention", "10", "pharmacie"),
    _T("78601-2", "CR d'entretien pharmaceutique", "Pharmaceutical interview report", "10", "pharmacie"),
    _T("93024-8", "CR de consultation pharmaceutique", "Pharmacist consultation note", "10", "pharmacie"),
    _T("80820-4", "Formulaire de conciliation médicamenteuse", "Medication reconciliation form", "10", "pharmacie"),
    # vaccination
    _T("87273-9", "Note de vaccination", "Immunization note", "10", "vaccination"),
    _T("11369-6", "Historique des vaccinations", "Immunization history", "11", "vaccination"),
    _T("96874-3", "Attestation de vaccination COVID-19", "COVID-19 vaccination certificate", "52", "vaccination"),
    # summaries
    _T("60591-5", "Synthèse médicale", "Patient summary", "11", "synthese"),
    _T("SYNTH", "Synthèse", "Summary document", "11", "synthese"),
    _T("68599-0", "Synthèse psychiatrique", "Psychiatric summary", "11", "synthese"),
    _T("84067-8", "Synthèse transfusionnelle", "Transfusion summary", "11", "synthese"),
    _T("83963-9", "Synthèse environnementale", "Environmental summary", "11", "synthese"),
    # pregnancy and birth
    _T("15508-5", "CR d'accouchement", "Labor and delivery report", "10", "perinatalite"),
    _T("89233-1", "CR de grossesse", "Pregnancy report", "10", "perinatalite"),
    _T("57055-6", "Synthèse antepartum", "Antepartum summary", "11", "perinatalite"),
    _T("57057-2", "Synthèse salle de naissance mère", "Labor and delivery summary (mother)", "11", "perinatalite"),
    _T("57075-4", "Synthèse salle de naissance enfant", "Newborn delivery summary", "11", "perinatalite"),
    _T("78489-2", "Synthèse enfant en maternité", "Newborn nursery summary", "11", "perinatalite"),
    _T("89235-6", "Synthèse suites de couches mère", "Postpartum summary (mother)", "11", "perinatalite"),
    _T("97694-4", "Note d'évaluation en médecine maternelle et fœtale", "Maternal-fetal medicine note", "10",
       "perinatalite"),
    _T("100967-9", "Rythme cardiaque fœtal", "Fetal heart rate tracing", "10", "perinatalite"),
    # child health
    _T("59283-2", "CR d'examen de l'enfant", "Child examination report", "10", "enfant"),
    _T("68814-3", "Note d'évaluation pédiatrique", "Paediatric evaluation note", "10", "enfant"),
    _T("68817-6", "Bilan de santé et de prévention de l'enfant", "Child health and prevention check", "10", "enfant"),
    _T("80771-9", "Projet d'accueil individualisé", "Individual school care plan (PAI)", "44", "enfant"),
    # nursing and allied health, dental, psychology
    _T("11506-3", "CR ou fiche de suivi de soins par auxiliaire médical", "Allied health follow-up note", "10",
       "soins-paramedicaux"),
    _T("96163-1", "Bilan de soins infirmiers", "Nursing assessment", "10", "soins-paramedicaux"),
    _T("34120-6", "Bilan par professionnel de santé", "Health professional assessment", "10", "soins-paramedicaux"),
    _T("29274-8", "Mesures de signes vitaux", "Vital signs measurements", "10", "soins-paramedicaux"),
    _T("28617-9", "Bilan bucco-dentaire", "Dental examination", "10", "dentaire"),
    _T("83836-7", "Schéma dentaire", "Dental chart", "10", "dentaire"),
    _T("83901-9", "Bilan psychologique", "Psychological assessment", "10", "psychologie"),
    # care plans
    _T("18776-5", "Plan personnalisé de soins", "Plan of care", "44", "plan-de-soins"),
    _T("77604-7", "Planification thérapeutique", "Treatment plan", "44", "plan-de-soins"),
    _T("83869-8", "Plan personnalisé de prévention", "Personal prevention plan", "44", "plan-de-soins"),
    _T("80788-3", "Projet personnalisé d'accompagnement", "Personal support plan", "44", "plan-de-soins"),
    _T("PROT_ALD", "Protocole de soins ALD", "Long-term condition care protocol (ALD)", "44", "plan-de-soins"),
    # social care
    _T("28653-4", "Document du secteur social / médico-social", "Social care document", "10", "medico-social"),
    _T("34842-5", "Grille d'évaluation médico-sociale", "Social care assessment", "10", "medico-social"),
    _T("83981-1", "Lettre de liaison à la sortie d'une structure sociale ou médico-sociale",
       "Discharge letter from a social care facility", "10", "medico-social"),
    _T("88348-8", "Lettre de liaison d'entrée en structure sociale ou médico-sociale",
       "Admission letter to a social care facility", "10", "medico-social"),
    _T("BIL_AUTO", "CR de bilan d'évaluation de la perte d'autonomie", "Loss of autonomy assessment", "10",
       "medico-social"),
    # certificates
    _T("89601-9", "Certificat médical", "Medical certificate", "52", "certificat"),
    _T("CERT_DECL", "Certificat, déclaration", "Certificate, declaration", "52", "certificat"),
    _T("55751-2", "Déclaration de problème de santé publique", "Public health case report", "52", "certificat"),
    _T("59284-0", "Attestation de consentement", "Consent", "52", "certificat"),
    _T("AUTORIS-SOINS", "Autorisation de soins et actes non usuels sanitaires", "Authorisation of care", "52",
       "certificat"),
    # the patient's own
    _T("EXPPAT_1", "Volontés et droits du patient", "Patient's wishes and rights", "90", "volontes"),
    _T("EXPPAT_3", "Directives anticipées", "Advance directives", "90", "volontes"),
    _T("EXPPAT_2", "Autre document du patient", "Other patient document", "90", "patient"),
    _T("74465-6", "Questionnaire patient", "Patient questionnaire", "90", "patient"),
    _T("DOCPAT01", "Synthèse déposée par le patient", "Summary filed by the patient", "90", "patient"),
    _T("DOCPAT02", "Traitement ou document de soins déposé par le patient", "Treatment filed by the patient", "90",
       "patient"),
    _T("DOCPAT03", "CR déposé par le patient", "Report filed by the patient", "90", "patient"),
    _T("DOCPAT04", "Imagerie déposée par le patient", "Imaging filed by the patient", "90", "patient"),
    _T("DOCPAT05", "CR de biologie déposé par le patient", "Lab report filed by the patient", "90", "patient"),
    _T("DOCPAT06", "CR de prévention déposé par le patient", "Prevention report filed by the patient", "90", "patient"),
    _T("DOCPAT07", "Certificat déposé par le patient", "Certificate filed by the patient", "90", "patient"),
    _T("DOCPAT08", "Profil médical Mon espace santé", "Mon espace santé medical profile", "90", "patient"),
    _T("34895-3", "Fiche d'information au patient", "Patient information sheet", "10", "patient"),
    _T("101881-1", "Carte d'implant", "Implant card", "10", "autre"),
    # administrative papers (flagged as noise: kept, never ranked with clinical documents)
    _T("51851-4", "Document administratif", "Administrative document", "95", "administratif"),
    _T("56446-8", "Notification de rendez-vous", "Appointment notification", "95", "administratif"),
    _T("DOCPAT09", "Document administratif déposé par le patient", "Administrative document filed by the patient",
       "90", "administratif"),
    _T("ATTEST-ASS-COMPL", "Attestation d'assurance complémentaire", "Complementary insurance certificate", "95",
       "administratif"),
    _T("ATTEST-RESID", "Attestation de résidence", "Proof of residence", "95", "administratif"),
    _T("ATTEST-HEBGT", "Attestation d'hébergement", "Proof of accommodation", "95", "administratif"),
    _T("ATTEST-DROITS-AM", "Attestation de droits à l'assurance maladie", "Health insurance rights certificate", "95",
       "administratif"),
    _T("PIECE-IDENTITE", "Copie de pièce d'identité", "Identity document copy", "95", "administratif"),
    _T("REMB", "Données de remboursement", "Reimbursement data", "60", "administratif"),
    _T("FICHE-CONTACTS", "Fiche contacts", "Contacts sheet", "95", "administratif"),
    _T("FEUILLE-DE-STYLE", "Feuille de style", "Style sheet", "95", "administratif"),
    _T("EXPORT_DUI", "Export du dossier usager informatisé", "Care record export", "95", "administratif"),
    # Not a DMP type: Carnet's own label for administrative papers it recognises in a PDF (appointments,
    # invoices, forms). The DMP files them as "Document de gestion" (classCode 95).
    _T("ADMIN", "Document administratif", "Administrative document", "95", "administratif"),
)

# Ended codes still carried by old documents, mapped to the code that replaced them (never dropped).
ENDED_TYPE_CODES: dict[str, str] = {
    "11528-7": "18748-4",  # imaging report, ended 2017-10-13
    "11493-4": "34112-3",  # hospital stay report
    "29551-9": "57833-6",  # prescription
    "10213-7": "34749-2",  # anaesthesia
    "27899-4": "70004-7",  # other diagnostic act
}

# Types a question for one of them also means: the CI-SIS list codes a pathology report 60568-3 where
# Carnet's inference (and older feeds) say 11526-1; both are kept as given and found together.
SAME_TYPE: tuple[frozenset[str], ...] = (frozenset({"11526-1", "60568-3"}),)

# Words for types the question vocabulary (query/type_words.py) does not already list, folded (lower
# case, no accents). Each DocumentType's own label is a phrase too (query.parse adds them).
TYPE_PHRASES_FR: dict[str, tuple[str, ...]] = {
    "dlu": ("74207-2",), "document de liaison d'urgence": ("74207-2",), "dossier de liaison d'urgence": ("74207-2",),
    "fiche de liaison d'urgence": ("74207-2",),
    "fiche de retour des urgences": ("60280-5",), "fiche de transfert aux urgences": ("78341-5",),
    "urgence": ("60280-5", "78341-5"), "urgences": ("60280-5", "78341-5"),
    "synthese": ("60591-5", "SYNTH"), "synthese medicale": ("60591-5", "SYNTH"), "vsm": ("60591-5", "SYNTH"),
    "volet de synthese medicale": ("60591-5", "SYNTH"),
    "cr d'admission": ("67851-6",), "admission": ("67851-6",), "lettre d'adressage": ("96349-6",),
    # a vaccination note, the history of vaccinations and the COVID-19 certificate are all "the vaccination"
    # a doctor asks for; only "pass vaccinal" names the certificate alone
    "vaccination": ("87273-9", "11369-6", "96874-3"), "vaccin": ("87273-9", "11369-6", "96874-3"), "certificat de vaccination": ("87273-9", "11369-6", "96874-3"),
    "attestation de vaccination": ("87273-9", "11369-6", "96874-3"), "pass vaccinal": ("96874-3",),
    "plan de soins": ("18776-5", "77604-7"), "pps": ("18776-5",), "plan personnalise de soins": ("18776-5",),
    "protocole ald": ("PROT_ALD",), "protocole de soins": ("PROT_ALD",), "ald": ("PROT_ALD",),
    "directives anticipees": ("EXPPAT_3",), "volontes du patient": ("EXPPAT_1", "EXPPAT_3"),
    "personne de confiance": ("EXPPAT_1",),
    "cr de grossesse": ("89233-1",), "suivi de grossesse": ("89233-1", "57055-6"),
    "synthese de naissance": ("57057-2", "57075-4"),
    "certificat de sante": ("68817-6", "59283-2"), "examen de l'enfant": ("59283-2", "68817-6"),
    "bilan de l'enfant": ("68817-6",), "pai": ("80771-9",),
    "bilan infirmier": ("96163-1",), "soins infirmiers": ("96163-1", "PRESC-INF"), "fiche de soins": ("11506-3",),
    "kine": ("PRESC-KINE", "11506-3"), "kinesitherapie": ("PRESC-KINE", "11506-3"), "ordonnance de kine": ("PRESC-KINE",),
    "ordonnance de biologie": ("PRESC-BIO",), "ordonnance de bilan": ("PRESC-BIO",), "arret de travail": ("PRESC-AAT",),
    "bilan medicamenteux": ("56445-0",), "conciliation medicamenteuse": ("80820-4",),
    "entretien pharmaceutique": ("78601-2",), "consultation pharmaceutique": ("93024-8",),
    "dispensation": ("DISP_AUT",), "delivrance": ("DISP_AUT",),
    "bilan dentaire": ("28617-9",), "bilan bucco-dentaire": ("28617-9",), "schema dentaire": ("83836-7",),
    "bilan psychologique": ("83901-9",), "bilan d'autonomie": ("BIL_AUTO",), "perte d'autonomie": ("BIL_AUTO",),
    "certificat": ("CERT_DECL",), "declaration": ("CERT_DECL", "55751-2"), "consentement": ("59284-0",),
    "signes vitaux": ("29274-8",), "constantes": ("29274-8",), "trod": ("96173-0",), "test rapide": ("96173-0",),
"bilan fonctionnel": ("47420-5",), "carte d'implant": ("101881-1",),
    "document du patient": ("EXPPAT_2", "DOCPAT01", "DOCPAT02", "DOCPAT03", "DOCPAT04", "DOCPAT05", "DOCPAT06",
                            "DOCPAT07", "DOCPAT08"),
    "demande de telemedecine": ("75496-0",), "evaluation preoperatoire": ("34876-3",),
    "suivi postoperatoire": ("34875-5",),
}
TYPE_PHRASES_EN: dict[str, tuple[str, ...]] = {
    "emergency liaison file": ("74207-2",), "dlu": ("74207-2",), "emergency liaison": ("74207-2",),
    "patient summary": ("SYNTH",), "medical summary": ("SYNTH",),
    "vaccination certificate": ("87273-9", "11369-6", "96874-3"), "covid vaccination": ("96874-3",), "vaccination": ("87273-9", "11369-6", "96874-3"),
    "immunization": ("87273-9", "11369-6", "96874-3"),
    "admission note": ("67851-6",),
    "referral letter": ("96349-6",), "care plan": ("18776-5", "77604-7"), "treatment plan": ("77604-7",),
    "advance directive": ("EXPPAT_3",), "living will": ("EXPPAT_3",),
    "pregnancy report": ("89233-1",), "antenatal": ("57055-6",), "birth summary": ("57057-2", "57075-4"),
    "nursing assessment": ("96163-1",), "nursing note": ("11506-3", "96163-1"), "physiotherapy": ("PRESC-KINE",),
    "sick note": ("PRESC-AAT",), "medication review": ("56445-0",), "medication reconciliation": ("80820-4",),
    "dental": ("28617-9", "83836-7"), "psychological assessment": ("83901-9",), "vital signs": ("29274-8",),
    "rapid test": ("96173-0",), "implant card": ("101881-1",),
"consent form": ("59284-0",), "certificate": ("CERT_DECL",),
}
