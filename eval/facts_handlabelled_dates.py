"""Hand-written, hand-labelled documents for measuring medication changes and dates (eval/facts.py changes).

Written for this measure after the rules, in styles neither the generator nor the unit tests use: a French
geriatric stay report, a pharmacist's medication review, a GP's note in telegraphic French, a UK renal clinic
letter, a US progress note, a French renewal prescription. All fictional. Labels: the changes the document
states as (drug, status, date of the change or None when it writes none: the act's date then applies) with
status "started" / "stopped" / "changed"; and for prescriptions the (drug, end) of each line.
"""

DOCUMENTS = [
    {"language": "fr", "type_code": "11490-0", "date": "2025-05-23", "text": """CH de Bourg - Court séjour gériatrique
Compte rendu d'hospitalisation du 12/05/2025 au 23/05/2025
Mme R., 88 ans, admise pour chutes répétées.
Au cours du séjour, l'oxazépam a été arrêté progressivement (dernière prise le 18/05/2025).
Le furosémide a été diminué à 20 mg devant une déshydratation.
Mise en route d'une supplémentation par cholécalciférol 100 000 UI.
Traitement de sortie :
Furosémide 20 mg 1 cp le matin
Cholécalciférol 100 000 UI 1 ampoule tous les 3 mois
Paracétamol 1 g si douleur""",
     "changes": [("oxazepam", "stopped", "2025-05-18"), ("furosemide", "changed", None),
                 ("cholecalciferol", "started", None)]},

    {"language": "fr", "type_code": "11488-4", "date": "2025-09-02", "text": """Bilan partagé de médication
Pharmacie des Arcades - entretien du 02/09/2025
Le patient déclare avoir lui-même stoppé la simvastatine en juillet (crampes).
Le médecin traitant a remplacé l'oméprazole par l'ésoméprazole 20 mg.
Ne pas interrompre l'apixaban sans avis médical.
Proposition : envisager l'arrêt du zolpidem.""",
     "changes": [("simvastatine", "stopped", None), ("omeprazole", "stopped", None),
                 ("esomeprazole", "started", None)]},

    {"language": "fr", "type_code": "11488-4", "date": "2025-02-11", "text": """Cs du 11/02/25
TA 152/94 malgré amlodipine 5.
-> ajout indapamide 1,5 mg LP le matin
-> stop AINS (ibuprofène en automédication)
Revoir dans 1 mois avec iono.""",
     "changes": [("indapamide", "started", None), ("ibuprofene", "stopped", None)]},

    {"language": "en", "type_code": "11488-4", "date": "2025-04-07", "text": """Renal Outpatient Clinic
Dear Dr Okafor,
Diagnosis: CKD stage 4, secondary hyperparathyroidism.
I have stopped his naproxen and advised paracetamol instead. Alfacalcidol 0.25 micrograms was
started on 1 April 2025. We have reduced sodium bicarbonate to 500 mg twice daily.
Current medication:
Alfacalcidol 0.25 micrograms once daily
Sodium bicarbonate 500 mg twice daily
Amlodipine 10 mg once daily""",
     "changes": [("naproxen", "stopped", None), ("alfacalcidol", "started", "2025-04-01"),
                 ("sodium", "changed", None)]},

    {"language": "en", "type_code": "11488-4", "date": "2025-10-20", "text": """PROGRESS NOTE - Internal Medicine
S: Feels better. Cough resolved.
A/P: 1. COPD - completed azithromycin. Continue tiotropium.
2. Depression - sertraline increased to 100 mg daily.
3. GERD - pantoprazole discontinued on 10/15/2025, symptoms controlled.""",
     "changes": [("sertraline", "changed", None), ("pantoprazole", "stopped", "2025-10-15")]},

    {"language": "fr", "type_code": "57833-6", "date": "2025-11-03", "text": """Dr Loïc Berthier - Médecine générale
Ordonnance bizone                                          Le 3 novembre 2025
Bisoprolol 2,5 mg : 1 cp le matin
Rosuvastatine 10 mg : 1 cp le soir
Prednisolone 20 mg : 2 cp le matin pendant 5 jours
Ordonnance pour 3 mois, renouvelable 1 fois""",
     "changes": [], "ends": [("bisoprolol", "2026-05-02"), ("rosuvastatine", "2026-05-02"),
                             ("prednisolone", "2025-11-08")]},
]
