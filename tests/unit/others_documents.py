"""Small hand-written documents in other people's layouts (fictional people and places), one or two per
error pattern that documents written outside the project showed: stays filed as consultations, operative
notes filed under anaesthesia, consultations that mention an X-ray filed as imaging, acts read by a
cardiologist or neurologist filed under radiology, US dates and dictation lines, letterheads quoted in
summaries, the patient's identity in the organisation field.
Each entry: name, text, and the expected type, specialty (None = not asserted), date of the act."""

from __future__ import annotations

OTHERS: list[dict] = [
    {
        "name": "us_hp_mentions_ct",
        "type": "11488-4", "specialty": None, "date": "2019-03-14",
        "text": """Riverbend Medical Group
1200 W. Lake Street, Suite 300, Springfield, IL 62704    Phone (217) 555-0142

HISTORY AND PHYSICAL

Patient: Harold K. Whitmore        DOB: 07/22/1948        MRN: 00482913
Date of Service: 03/14/2019

CHIEF COMPLAINT: Right lower quadrant pain for two days.

HISTORY OF PRESENT ILLNESS: This is a 70-year-old gentleman who noted dull pain on 03/12/2019 that
became sharp overnight. He went to an urgent care where a CT scan of the abdomen and pelvis was
obtained and read as possible early appendicitis. A chest X-ray was unremarkable.

PAST MEDICAL HISTORY: Hypertension, hyperlipidemia. Cholecystectomy in 2004.

MEDICATIONS: Lisinopril 10 mg daily, atorvastatin 20 mg daily.

ALLERGIES: No known drug allergies.

PHYSICAL EXAMINATION: Temperature 38.1, pulse 96, BP 142/84. Abdomen tender in the right lower
quadrant with guarding. No rebound.

IMAGING: CT abdomen as above. X-ray chest clear.

ASSESSMENT AND PLAN: Probable acute appendicitis. Surgical consultation requested, NPO, IV fluids.

Electronically signed by Maria L. Ortega, MD on 03/15/2019 08:12 AM
D: 03/14/2019  T: 03/15/2019
""",
    },
    {
        "name": "us_operative_note_anesthesia",
        "type": "34874-8", "specialty": None, "date": "2019-04-02",
        "text": """OPERATIVE REPORT

PATIENT NAME: Donna Falkner
DATE OF BIRTH: 11/03/1966
DATE OF PROCEDURE: 04/02/2019

PREOPERATIVE DIAGNOSIS: Symptomatic cholelithiasis.
POSTOPERATIVE DIAGNOSIS: Symptomatic cholelithiasis.
PROCEDURE: Laparoscopic cholecystectomy with intraoperative cholangiogram.
SURGEON: Peter J. Amundsen, MD
ASSISTANT: None.
ANESTHESIA: General endotracheal anesthesia.
ANESTHESIOLOGIST: Rachel Min, MD
ESTIMATED BLOOD LOSS: Minimal.
SPECIMENS: Gallbladder to pathology.
FINDINGS: Distended gallbladder with multiple stones, normal cholangiogram.

DESCRIPTION OF PROCEDURE: The patient was brought to the operating room and placed supine. After
induction of general anesthesia the abdomen was prepped and draped. A 12 mm port was placed at the
umbilicus. Fluoroscopy confirmed free flow of contrast into the duodenum. The cystic duct and artery
were clipped and divided and the gallbladder removed from the liver bed. The ports were removed
under direct vision and the skin closed with absorbable suture.

The patient tolerated the procedure well and was taken to recovery in stable condition.

Dictated by: Peter J. Amundsen, MD  04/02/2019
Transcribed: 04/04/2019
""",
    },
    {
        "name": "fr_cro_sans_titre_anesthesie",
        "type": "34874-8", "specialty": None, "date": "2024-05-21",
        "text": """Clinique des Tilleuls - Chirurgie orthopédique
18 avenue Foch 69006 Lyon  -  Tél 04 78 00 00 00

Intervention du 21/05/2024
Patient : M. Bernard GIMENEZ, né le 04/09/1955

Opérateur : Dr Sandrine Valette
Anesthésiste : Dr Paul Chen
Type d'anesthésie : rachianesthésie

Indication : coxarthrose droite évoluée.
Installation : décubitus latéral gauche.
Voie d'abord postéro-latérale. Arthrotomie, luxation, ostéotomie du col.
Mise en place d'une prothèse totale de hanche non cimentée. Contrôle radioscopique satisfaisant.
Fermeture plan par plan, pansement sec.

Suites : lever J1, anticoagulation 35 jours. Radiographie de contrôle à J1.

Dr S. Valette
""",
    },
    {
        "name": "fr_crh_lettre_narrative",
        "type": ("34112-3", "11490-0"), "specialty": None, "date": "2024-02-12",
        "text": """CENTRE HOSPITALIER DE VALMONT
Service de Pneumologie
Dr Nadia Ferreira - Dr Luc Perrot

Valmont, le 26 février 2024

Cher Confrère,

Votre patiente Mme Josiane LECLERC, née le 30/06/1941, a été hospitalisée dans le service du
03/02/2024 au 12/02/2024 pour une exacerbation de BPCO.

Histoire de la maladie : Mme Leclerc, suivie depuis 2015 pour une BPCO stade III, avait présenté
une première exacerbation en novembre 2022. Depuis le 28/01/2024, elle décrit une majoration de
la dyspnée, des expectorations purulentes et une fébricule. Vue par vous le 01/02/2024, une
antibiothérapie par amoxicilline avait été débutée sans amélioration. Elle consulte aux urgences
le 03/02/2024 où une radiographie thoracique ne montre pas de foyer.

Évolution dans le service : amélioration progressive sous aérosols et corticothérapie courte.
Sevrage de l'oxygène le 10/02/2024. Retour à domicile le 12/02/2024.

Traitement de sortie : Spiriva, Symbicort, kinésithérapie respiratoire.

Conclusion : exacerbation de BPCO sans foyer, d'évolution favorable.

Je vous prie de croire, cher Confrère, à mes sentiments les meilleurs.
Dr Nadia Ferreira
Signé électroniquement le 27/02/2024
""",
    },
    {
        "name": "us_discharge_summary_dictated",
        "type": "11490-0", "specialty": None, "date": "2019-06-09",
        "text": """ST. BRENDAN COMMUNITY HOSPITAL
Department of Internal Medicine

DISCHARGE SUMMARY

ADMISSION DATE: 06/03/2019
DISCHARGE DATE: 06/09/2019

ADMITTING DIAGNOSIS: Community-acquired pneumonia.
DISCHARGE DIAGNOSES: Community-acquired pneumonia, resolved. Type 2 diabetes.

HISTORY OF PRESENT ILLNESS: The patient is a 66-year-old woman seen in clinic on 05/28/2019 for a
cough, treated with azithromycin, who presented to the emergency department on 06/03/2019 with
fever and hypoxia.

HOSPITAL COURSE: She was started on ceftriaxone and doxycycline. Chest x-ray on 06/05/2019 showed
improvement. Oxygen was weaned by 06/07/2019.

DISCHARGE MEDICATIONS: Metformin 500 mg twice daily, amoxicillin-clavulanate for three days.

FOLLOW-UP: With her primary care physician on 06/17/2019.

Dictated by: Samuel Greer, MD
DD: 06/10/2019   DT: 06/11/2019
""",
    },
    {
        "name": "us_echo_cardiology",
        "type": "70004-7", "specialty": "SM04", "date": "2019-08-06",
        "text": """Lakeside Heart Institute - Noninvasive Cardiology Laboratory

TRANSTHORACIC ECHOCARDIOGRAM

Name: Walter Briggs      DOB: 02/17/1950      Study date: 08/06/2019
Referring physician: Anne Tully, MD
Indication: dyspnea on exertion.

Findings:
Left ventricle: normal size, mild concentric hypertrophy. LVEF estimated 55-60%.
Right ventricle: normal size and function, TAPSE 21 mm.
Valves: mild mitral regurgitation, no aortic stenosis.
Doppler: grade I diastolic dysfunction.

Impression:
1. Normal left ventricular systolic function.
2. Mild mitral regurgitation.

Interpreted by: Kevin D. Marsh, MD, FACC
""",
    },
    {
        "name": "us_eeg_neurology",
        "type": "70004-7", "specialty": "SM32", "date": "2020-01-21",
        "text": """NORTHFIELD UNIVERSITY HOSPITAL
Department of Neurology - Clinical Neurophysiology

ELECTROENCEPHALOGRAM REPORT

Date of recording: January 21st, 2020
Clinical history: 34-year-old woman with two episodes of loss of consciousness. MRI brain
last month was normal.

Technique: 21-channel digital EEG, international 10-20 system, with photic stimulation and
hyperventilation.

Description: The background shows a well-organized 10 Hz posterior dominant rhythm. No focal
slowing. No epileptiform discharges.

Impression: Normal awake and drowsy EEG.

Reading physician: Laura Benoit, MD, Neurology
""",
    },
    {
        "name": "us_cath_cardiology",
        "type": "70004-7", "specialty": "SM04", "date": "2018-10-30",
        "text": """CARDIAC CATHETERIZATION REPORT

Procedure date: 10/30/2018
Procedures performed: Left heart catheterization, selective coronary angiography, left
ventriculography.
Operator: Ibrahim Haddad, MD, Interventional Cardiology

Findings: Left main normal. LAD with 40% mid stenosis. Circumflex normal. RCA dominant with
30% proximal plaque. LVEDP 14 mmHg. Ejection fraction 60% by ventriculography.

Conclusion: Non-obstructive coronary artery disease. Medical therapy.
""",
    },
    {
        "name": "uk_clinic_letter_dmy",
        "type": "11488-4", "specialty": "SM41", "date": "2021-04-03",
        "text": """Department of Respiratory Medicine
Harbourside NHS Foundation Trust, Quay Road, Portwell PW3 8QT

Clinic date: 03/04/2021
Typed: 09/04/2021

Dear Dr Ashworth,

Re: Mr Colin Pryce, DOB 12/11/1959, NHS No 943 476 5919

I reviewed Mr Pryce in the chest clinic today. His spirometry shows FEV1 1.9 L (62% predicted).
A chest X-ray from last month was clear.

Impression: moderate COPD, stable.
Plan: continue inhalers, pulmonary rehabilitation referral, review in six months.

Yours sincerely,

Dr Fiona Baird
Consultant Respiratory Physician
""",
    },
    {
        "name": "fr_identite_en_tete",
        "type": "11488-4", "specialty": None, "date": "2023-09-19",
        "text": """M. DUPRAT Gérard   Né(e) le 01/05/1958   IPP 400123987        Clinique du Parc
Consultation du 19/09/2023

Motif : douleurs lombaires.
Examen : Lasègue négatif, pas de déficit.
Conclusion : lombalgie commune, kinésithérapie.

Dr Hugo Lemaire
""",
    },
]
