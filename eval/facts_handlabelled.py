"""Hand-written, hand-labelled documents for measuring fact extraction (eval/facts.py handlabelled).

Written for this measure in styles the generator does not use: a French GP's terse note with abbreviations,
a hospital stay report, US history-and-physical and discharge notes, a UK clinic letter, an allergist-free
letter that denies an allergy, a family history. All fictional. Labels: the allergies as (substance, status)
with status "active" / "hypothetical" / "negated" / "family" (and ("none", "none") for a stated absence), the
medications of the document's treatment statement(s) as (name, dose).
"""

DOCUMENTS = [
    {"language": "fr", "text": """Dr Paul Girard - Médecine générale
Le 12/02/2025
Mme L., 67 ans, vue pour renouvellement.
ATCD : HTA, DT2 sous ADO, cholécystectomie 2010.
Allergies : pas d'allergie connue.
TTT :
- Amlodipine 5 mg 1/j
- Metformine 850 mg matin et soir
Examen : PA 134/82.
Conclusion : HTA équilibrée, renouvellement.""",
     "allergies": [("none", "none")], "medications": [("Amlodipine", "5 mg"), ("Metformine", "850 mg")]},

    {"language": "fr", "type_code": "11490-0", "text": """CENTRE HOSPITALIER DE VALMONT - Service de pneumologie
COMPTE RENDU D'HOSPITALISATION
Séjour du 03/03/2025 au 09/03/2025
Allergies : IODE (choc anaphylactique en 2015)
Antécédents : BPCO stade 3, tabagisme sevré, ostéoporose.
Histoire : dyspnée croissante depuis 5 jours.
Évolution : favorable sous antibiothérapie et corticoïdes.
Traitement de sortie :
- Eliquis 5 mg 1-0-1
- Spiriva 2,5 µg 2 bouffées le matin
- Prednisolone 20 mg le matin pendant 5 jours
Conclusion : exacerbation de BPCO.""",
     "allergies": [("IODE", "active")],
     "medications": [("Eliquis", "5 mg"), ("Spiriva", "2,5 µg"), ("Prednisolone", "20 mg")]},

    {"language": "en", "text": """HISTORY AND PHYSICAL
Chief complaint: chest tightness.
Past medical history: type 2 diabetes, hypertension.
Allergies: Sulfa (hives), PCN (anaphylaxis)
Medications:
Lisinopril 10 mg daily
Metformin 500 mg BID
Assessment and plan: atypical chest pain, troponin negative.""",
     "allergies": [("Sulfa", "active"), ("PCN", "active")],
     "medications": [("Lisinopril", "10 mg"), ("Metformin", "500 mg")]},

    {"language": "en", "text": """Cardiology Outpatients, St Anne's Hospital
Dear Dr Hughes,
Diagnosis: paroxysmal atrial fibrillation.
Drug allergies: NKDA
Current medications:
Ramipril 2.5mg od
Atorvastatin 20mg on
Bisoprolol 2.5mg od
Plan: Holter in three months.""",
     "allergies": [("none", "none")],
     "medications": [("Ramipril", "2.5mg"), ("Atorvastatin", "20mg"), ("Bisoprolol", "2.5mg")]},

    {"language": "fr", "text": """Consultation de rhumatologie
Antécédents familiaux : mère allergique à l'aspirine, père diabétique.
Antécédents personnels : lombalgies chroniques.
Pas d'allergie à l'iode.
Conclusion : lombalgie commune.""",
     "allergies": [("aspirine", "family"), ("iode", "negated")], "medications": []},

    {"language": "fr", "text": """Compte rendu de consultation
Motif : urticaire récidivante.
Allergie au latex suspectée, à explorer par un bilan.
Intolérance aux statines (myalgies).
Conclusion : urticaire chronique.""",
     "allergies": [("latex", "hypothetical"), ("statines", "active")], "medications": []},

    {"language": "en", "text": """Emergency Department note
History: 34-year-old woman with ankle sprain. Her mother is allergic to penicillin.
She denies any drug allergies.
Plan: ice, elevation, ibuprofen.""",
     "allergies": [("penicillin", "family"), ("none", "none")], "medications": []},

    {"language": "fr", "type_code": "57833-6", "text": """Dr Anne Roux
Ordonnance du 4 avril 2025
Doliprane 1000mg : 1 cp x3/j si douleurs
Amoxicilline 1 g : 1 comprimé matin et soir pendant 7 jours
Signature""",
     "allergies": [], "medications": [("Doliprane", "1000mg"), ("Amoxicilline", "1 g")]},

    {"language": "en", "type_code": "11490-0", "text": """DISCHARGE SUMMARY
Admission diagnosis: NSTEMI.
Allergies: none known.
DISCHARGE MEDICATIONS:
1. Apixaban 5 mg PO BID
2. Metoprolol succinate 25 mg PO daily
3. Aspirin 81 mg PO daily
Follow-up: cardiology clinic in 2 weeks.""",
     "allergies": [("none", "none")],
     "medications": [("Apixaban", "5 mg"), ("Metoprolol", "25 mg"), ("Aspirin", "81 mg")]},

    {"language": "fr", "text": """Lettre au médecin traitant
Cher confrère,
J'ai vu ce jour M. B., 58 ans, pour suivi de sa cardiopathie.
Il est allergique à la pénicilline (œdème de Quincke) et aux sulfamides.
Son traitement habituel comporte :
- Bisoprolol 5 mg le matin
- Ramipril 5 mg le soir
- Kardégic 75 mg au déjeuner
Bien confraternellement.""",
     "allergies": [("pénicilline", "active"), ("sulfamides", "active")],
     "medications": [("Bisoprolol", "5 mg"), ("Ramipril", "5 mg"), ("Kardégic", "75 mg")]},
]

# Written after the extractor was tuned on DOCUMENTS and measured once, untouched since: the held-out batch.
HELD_OUT = [
    {"language": "fr", "text": """CR de consultation d'endocrinologie - 14/10/2025
Allergie(s) : codéine (nausées, vomissements) ; AINS -> bronchospasme
Traitement en cours :
Levothyrox 75 µg le matin à jeun
Calcidose 50 000 UI 1 ampoule par mois
Conclusion : hypothyroïdie substituée, équilibrée.""",
     "allergies": [("codéine", "active"), ("AINS", "active")],
     "medications": [("Levothyrox", "75 µg"), ("Calcidose", "50 000 UI")]},

    {"language": "en", "text": """GP referral letter
Dear colleague, thank you for seeing Mr T, 71.
PMH: COPD, AF, CKD stage 3.
Allergies: codeine - vomiting. No latex allergy.
Regular medications:
- Apixaban 2.5 mg twice daily
- Tiotropium 18 micrograms once daily
- Furosemide 40 mg in the morning
Kind regards.""",
     "allergies": [("codeine", "active"), ("latex", "negated")],
     "medications": [("Apixaban", "2.5 mg"), ("Tiotropium", "18 micrograms"), ("Furosemide", "40 mg")]},

    {"language": "fr", "type_code": "11490-0", "text": """LETTRE DE SORTIE - Chirurgie orthopédique
Patient de 80 ans, PTH droite le 02/06/2025.
Allergies médicamenteuses : aucune.
Antécédents : HTA, cataracte bilatérale opérée.
Ordonnance de sortie :
Lovenox 4000 UI/0,4 ml : 1 injection sous-cutanée par jour pendant 35 jours
Paracétamol 1 g : 1 cp toutes les 6 heures si douleurs
Perindopril 4 mg : 1 cp le matin""",
     "allergies": [("none", "none")],
     "medications": [("Lovenox", "4000 UI/0,4 ml"), ("Paracétamol", "1 g"), ("Perindopril", "4 mg")]},

    {"language": "en", "text": """Allergy status: patient reports possible allergy to amoxicillin (rash as a child), never tested.
Family history: brother with peanut allergy.
Current medication: none.""",
     "allergies": [("amoxicillin", "hypothetical"), ("peanut", "family")], "medications": []},

    {"language": "fr", "text": """Suivi cardiologique
Sa fille rapporte une allergie aux fruits à coque chez elle-même, sans rapport.
Le patient n'a pas d'allergie connue.
Traitement actuel : Bisoprolol 1,25 mg le matin ; Atorvastatine 40 mg le soir.""",
     # label corrected after the first measure: the daughter's own allergy is a relative's ("family")
     "allergies": [("fruits", "family"), ("none", "none")],
     "medications": [("Bisoprolol", "1,25 mg"), ("Atorvastatine", "40 mg")]},
]

# A third batch, written once both batches above had been used for fixing: measured once, untouched since.
FRESH = [
    {"language": "fr", "text": """Note de l'infirmière de coordination - EHPAD Les Tilleuls
Résidente de 88 ans. Allergique aux pénicillines et à la codéine.
Traitements en cours :
- Donépézil 10 mg au coucher
- Lercanidipine 10 mg le matin
- Macrogol 4000 1 sachet le matin""",
     "allergies": [("pénicillines", "active"), ("codéine", "active")],
     "medications": [("Donépézil", "10 mg"), ("Lercanidipine", "10 mg"), ("Macrogol", "4000")]},

    {"language": "en", "type_code": "11490-0", "text": """Discharge letter - Orthopaedics
Allergies/adverse reactions: morphine (hallucinations)
Medications on discharge:
Enoxaparin 40 mg subcutaneously once daily for 28 days
Oxycodone 5 mg every 6 hours as required
Patient's mother had an anaesthetic allergy.""",
     "allergies": [("morphine", "active"), ("anaesthetic", "family")],
     "medications": [("Enoxaparin", "40 mg"), ("Oxycodone", "5 mg")]},

    {"language": "fr", "text": """Consultation ORL
Antécédents : amygdalectomie, asthme dans l'enfance.
Pas d'allergie médicamenteuse connue. Probable allergie aux acariens.
Traitement proposé : Avamys 27,5 µg 2 pulvérisations par narine le soir.""",
     "allergies": [("none", "none"), ("acariens", "hypothetical")], "medications": []},
]
