"""Document understanding on plain text: type, specialty, date of the act, sections, language, noise,
plus the source-metadata readers (sidecar JSON, CDA) and near-duplicate fingerprints."""

from __future__ import annotations

import base64
import json
from datetime import date

import pytest

from carnet.errors import UnreadableDocument
from carnet.models import ExtractedDocument, Page
from eval.metadata import evaluate_metadata, format_metadata_report
from ingest.dedupe import NEAR_DUPLICATE_THRESHOLD, fingerprint, is_near_duplicate, similarity
from ingest.sources import hl7_date, read_cda, read_cda_bytes, read_sidecar
from ingest.understand import understand, understand_text
from ingest.understand.dates import find_dates
from ingest.understand.context import Context

pytestmark = pytest.mark.unit


def _doc(text: str) -> ExtractedDocument:
    return ExtractedDocument(path="t.pdf", sha256="0" * 64, pages=(Page(1, text),))


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize("phrase, expected", [
    ("le 3 janvier 2025", date(2025, 1, 3)),
    ("le 1er mars 2024", date(2024, 3, 1)),
    ("03/01/2025", date(2025, 1, 3)),
    ("3/1/25", date(2025, 1, 3)),
    ("03.01.2025", date(2025, 1, 3)),
    ("2025-01-03", date(2025, 1, 3)),
    ("3 Jan 2025", date(2025, 1, 3)),
    ("January 3rd, 2025", date(2025, 1, 3)),
    ("3 janv. 2025", date(2025, 1, 3)),
])
def test_date_formats(phrase, expected):
    found = find_dates(Context(f"Examen du {phrase}."))
    assert [d.value for d in found] == [expected]


def test_phone_numbers_are_not_dates():
    assert find_dates(Context("Tél : 02.99.00.00.00 - fax 04 00 00 00 00")) == []


def test_birth_date_before_act_date():
    meta = understand_text("COMPTE RENDU D'ÉCHOGRAPHIE\nMme X, née le 03/05/1961, a bénéficié le 21/11/2023 d'une échographie.")
    assert meta.service_date == date(2023, 11, 21)


def test_birth_date_repeated_without_label_is_never_chosen():
    text = "Patient : DUPONT Marie 12/04/1956\nDate de naissance : 12/04/1956\nCONSULTATION\nCher confrère, vue le 02/02/2024."
    assert understand_text(text).service_date == date(2024, 2, 2)


def test_age_matching_date_is_a_birth_date():
    text = "CONSULTATION DE CARDIOLOGIE\nM. Y, 70 ans, 14/02/1954\nLyon, le 3 mars 2024\nCher ami, je vois M. Y."
    assert understand_text(text).service_date == date(2024, 3, 3)


def test_a_line_ending_with_a_value_labels_nothing_below_it():
    # "DDN : ..." ends the patient line; the letter date below is not a birth date
    text = ("Dr M. Garnier, gastro-entérologue\nMme X   DDN : 10/12/1953   N° dossier : 60949240\nLe 2020-11-13\n"
            "Résultats\nColoscopie complète.\nÉdité le 13/11/2020 à 08:44")
    assert understand_text(text).service_date == date(2020, 11, 13)


def test_lab_sample_date_beats_reception_and_print_dates():
    text = ("LABORATOIRE DE BIOLOGIE MEDICALE\nEdité le 14/09/2024\nReçu le 13/09/2024\nPrélevé le 12/09/2024 à 8h\n"
            "Glucose 1,02 g/L (0,70-1,05)\nValidé le 13/09/2024")
    assert understand_text(text).service_date == date(2024, 9, 12)


def test_discharge_letter_uses_discharge_date_not_admission():
    text = ("LETTRE DE LIAISON\nHospitalisation du 03/01/2025 au 09/01/2025\nEntrée le 03/01/2025\n"
            "Prochain rendez-vous le 20/02/2025\nDr A, pneumologue")
    assert understand_text(text).service_date == date(2025, 1, 9)


def test_history_and_next_appointment_are_distractors():
    text = ("COMPTE RENDU DE CONSULTATION\nAntécédents :\n- infarctus le 12/03/2019\nHistoire :\n"
            "Consultation du 9 janvier 2025. Dernière HbA1c du 20/12/2024.\nJe la reverrai le 10/04/2025.\n"
            "Dicté le 11/01/2025")
    assert understand_text(text).service_date == date(2025, 1, 9)


@pytest.mark.parametrize("admitted, discharged, printed, expected", [
    ("01/01/2024", "01/04/2024", "05/01/2024", date(2024, 1, 4)),  # printed 1 May: month first
    ("03/02/2024", "06/02/2024", "08/02/2024", date(2024, 2, 6)),  # printed 8 Feb: day first
])
def test_ambiguous_english_dates_follow_the_order_that_puts_printing_after_the_stay(admitted, discharged, printed,
                                                                                    expected):
    text = (f"GENERAL HOSPITAL\nDISCHARGE SUMMARY\nAdmission date: {admitted}    Discharge date: {discharged}\n"
            f"Patient: John DOE, DOB 16 May 1962\nDischarge diagnosis: pneumonia. The patient was treated with "
            f"antibiotics and discharged home.\nPrinted {printed} - Page 1 of 1")
    assert understand_text(text).service_date == expected


def test_us_dates_month_first_in_english_document():
    text = "DISCHARGE SUMMARY\nAdmission Date: 02/10/2025\nDischarge Date: 02/14/2025\nThe patient was admitted."
    assert understand_text(text).service_date == date(2025, 2, 14)


# --- type, specialty, noise, language ----------------------------------------------------------


@pytest.mark.parametrize("text, type_code, specialty", [
    ("Service de Cardiologie\nCOMPTE RENDU DE CONSULTATION\nCher confrère, j'ai vu votre patient.\nDr X, cardiologue",
     "11488-4", "SM04"),
    ("LABORATOIRE D'ANALYSES\nHémoglobine 13,2 g/dL (12-16)\nCréatinine 80 µmol/L (45-90)\nPotassium 4,1 mmol/L (3,5-5)",
     "11502-2", "SM03"),
    ("SCANNER THORACIQUE\nTechnique : acquisition sans injection.\nConclusion : pas de nodule.", "18748-4", "SM44"),
    ("ÉLECTROCARDIOGRAMME\nRythme sinusal, QRS fins.", "70004-7", "SM04"),
    ("ÉCHOCARDIOGRAPHIE TRANSTHORACIQUE\nFEVG 60 %.", "70004-7", "SM04"),
    ("COMPTE RENDU OPÉRATOIRE\nOpérateur : Dr Z, chirurgie orthopédique\nIncision médiane.", "34874-8", "SM08"),
    ("ANATOMIE PATHOLOGIQUE\nMacroscopie : fragment. Microscopie : adénome.", "11526-1", "SM01"),
    ("Dr Q, médecin généraliste\nORDONNANCE\nAMOXICILLINE 1 g : 1 comprimé matin et soir pendant 6 jours",
     "57833-6", "SM54"),
    ("Department of Neurology\nCLINIC LETTER\nDear Dr Smith, I reviewed Mr Jones in clinic today.", "11488-4", "SM32"),
])
def test_type_and_specialty(text, type_code, specialty):
    meta = understand_text(text)
    assert (meta.type_code, meta.specialty_code) == (type_code, specialty)
    assert meta.type_confidence > 0 and meta.specialty_confidence > 0


def test_copy_line_does_not_set_specialty():
    text = ("Service d'Endocrinologie\nCOMPTE RENDU DE CONSULTATION\nDr V, endocrinologue\n"
            "Copie : Dr L, cardiologue\nMédecin traitant : Dr M, cardiologue")
    assert understand_text(text).specialty_code == "SM16"


# Consultations whose author never names a specialty: what the visit was about decides. Written for this
# test in layouts the generator does not use; the GP letters check that a GP's everyday topics, a past
# history and a plan do not turn a GP into a specialist.
@pytest.mark.parametrize("text, specialty", [
    ("Cabinet du Dr Morel\nCONSULTATION\nMotif : baisse d'audition gauche.\nOtoscopie : tympans normaux.\n"
     "Audiogramme : surdité de perception gauche de 40 dB. Acouphènes associés.\nDr Morel", "SM34"),
    ("Riverside Practice\nClinic letter\nDear Dr Hall,\nI saw Mrs Page for review of her rheumatoid arthritis.\n"
     "Examination: synovitis of both wrists, DAS28 4.1.\nPlan: increase methotrexate to 20 mg weekly.\nDr Quinn", "SM48"),
    ("Maison médicale des Tilleuls\nConsultation du 3 mars 2025\nMotif : suivi de cardiopathie ischémique.\n"
     "Auscultation : souffle systolique 2/6. ECG : rythme sinusal, FEVG 50 % à la dernière échographie.\nDr Roy",
     "SM04"),
    ("Cabinet médical\nConsultation du 4 mars 2025\nMotif : syndrome grippal.\nT 38,6 °C, auscultation pulmonaire "
     "normale.\nConclusion : grippe probable. Paracétamol, arrêt de travail 3 jours.\nDr Blanc", "SM54"),
    ("Cabinet médical\nCONSULTATION\nAntécédents :\n• Diabète de type 2\n• Insuffisance cardiaque\n"
     "Motif : renouvellement de traitement, tension artérielle.\nPA 132/80. Examen sans particularité.\n"
     "Conduite à tenir : ECG et HbA1c à prévoir avant la prochaine consultation.\nDr Blanc", "SM54"),
])
def test_unsigned_consultation_takes_the_specialty_of_its_content(text, specialty):
    assert understand_text(text).specialty_code == specialty


def test_an_ophthalmologists_unsigned_consultation_gets_the_ophthalmology_type():
    text = ("Centre médical des Lilas\nLe 4 juin 2025\nCher confrère,\nJe revois Mme R. pour baisse de vision.\n"
            "Examen : acuité visuelle 6/10 OD. Pression intra-oculaire 16 mmHg. Cataracte nucléaire bilatérale.\n"
            "Conclusion : cataracte débutante, diabétique équilibrée.\nDr Paul Simon")
    meta = understand_text(text)
    assert (meta.type_code, meta.specialty_code) == ("78513-9", "SM38")


@pytest.mark.parametrize("sentence, specialty", [
    ("J'ai vu ce jour M. B. pour : lombalgies — avis rhumatologique.", "SM48"),
    ("I saw Mr B. in clinic today for a cardiology opinion about his palpitations.", "SM04"),
    # asking for an opinion is not giving it
    ("Je vous adresse M. B. pour avis rhumatologique au sujet de ses lombalgies.", "SM54"),
])
def test_the_author_of_a_specialist_opinion(sentence, specialty):
    text = f"Cabinet médical\nLe 3 mars 2025\nCher confrère,\n{sentence}\nExamen sans particularité.\nDr A. Noël"
    assert understand_text(text).specialty_code == specialty


def test_each_lexicon_entry_counts_once_at_its_best_place():
    # "diabète" and "diabétique" are one entry; "rétinopathie" in the conclusion weighs double
    from ingest.understand.domain import domain_scores
    from ingest.understand.context import Context
    from ingest.understand.sections import find_sections
    text = ("CONSULTATION\nMotif : fond d'oeil, diabète.\nFond d'oeil : rétinopathie diabétique minime.\n"
            "Conclusion : rétinopathie diabétique non proliférante.")
    ctx = Context(text)
    scores = domain_scores(ctx, find_sections(ctx))
    assert scores["SM16"] == 2.0  # diabet- in the reason line, once
    assert scores["SM38"] == 4.0  # fond d'oeil (reason) + rétinopathie (conclusion)


def test_proposals_after_a_conclusion_do_not_weigh_as_the_conclusion():
    text = ("Compte rendu de consultation\nCher confrère, je revois M. L. pour : rhinite chronique.\n"
            "Obstruction nasale. Rhinoscopie : cornets hypertrophiques.\nAu total : rhinite allergique probable.\n"
            "Antihistaminique, tests cutanés allergologiques.\nDr L. Marchand")
    assert understand_text(text).specialty_code == "SM34"


def test_a_letter_body_is_not_its_title():
    # a plan line near the top of a short letter ("Bilan biologique ...") does not make it a lab report
    text = ("Cabinet médical\nLe 3 mars 2025\nCher confrère,\nJ'ai vu M. K. pour : bilan de santé.\n"
            "Au total : examen normal.\nBilan biologique standard, vaccins à jour.\nDr A. Roux")
    meta = understand_text(text)
    assert meta.type_code == "11488-4" and meta.title is None


@pytest.mark.parametrize("text, type_code", [
    # a title wrapped by a narrow box
    ("Hôpital Nord     Nom : X\n       Confirmation de rendez-\n       vous\nVotre rendez-vous est fixé au 3 mai 2025.",
     "ADMIN"),
    # ... in the right-hand column, a left-hand column filling the lines between
    ("Clinique du Lac        M. X, né le 01/02/1960\n\nDr A. Roy              ÉCHOGRAPHIE\nDr B. Lenoir\n"
     "Dr C. Petit              CARDIAQUE\nExamen du 3 mai 2025\nFEVG 60 %, TAPSE 22 mm.", "70004-7"),
    # ... in a letterhead's right-hand column, under a department that would otherwise name the type
    ("CHU de Nancy\nService d'Anatomie et Cytologie Pathologiques\n02 00 00 00 00      Confirmation de rendez-\n"
     "                    vous\nVotre rendez-vous avec le Dr M. est confirmé le 3 mai 2025 à 9h20.", "ADMIN"),
    ("Clinique du Parc\n      COMPTE RENDU\n      OPÉRATOIRE\nIntervention le 2 mai 2025. Incision, fermeture plan par plan.",
     "34874-8"),
    # a department name wrapped in the letterhead; "(fibroscopie)" ends a table cell
    ("CHU de Caen\nService d'Anatomie et Cytologie\nPathologiques\nNature du prélèvement   Biopsies gastriques\n"
     "                 (fibroscopie)\nExamen microscopique : muqueuse fundique sans atypie.", "11526-1"),
])
def test_wrapped_titles_and_letterheads_read_whole(text, type_code):
    assert understand_text(text).type_code == type_code


def test_the_title_zone_ends_where_the_narrative_starts():
    # a short consultation: the plan line "Mammographie non indiquée..." sits in the first lines, after "ATCD :"
    text = ("Cabinet du Dr Bruni\nCONSULTATION\nLe 3 mars 2025 — frottis de dépistage\nATCD : G2P2.\n"
            "Examen au spéculum : col normal.\nAu total : examen gynécologique normal.\n"
            "Mammographie non indiquée avant 50 ans.\nDr Bruni")
    meta = understand_text(text)
    assert (meta.type_code, meta.specialty_code, meta.exam_keys) == ("11488-4", "SM20", ())


def test_an_untitled_emergency_record_is_an_emergency_report():
    text = ("Dr L. Caron\nMédecine d'urgence\nCH de Vire\nAdmission le 3/4/25 à 02h10\nMode d'arrivée : SAMU\n"
            "Tri IOA : 2\nAnamnèse : chute de sa hauteur.\nDiagnostic : entorse de cheville.\n"
            "Traitement de sortie : paracétamol.\nSortie le 03/04/2025.\nDr L. Caron")
    assert understand_text(text).type_code == "15507-7"


@pytest.mark.parametrize("text, reason", [
    ("CONVOCATION\nVous êtes attendu le 12/05/2025 à 9h00. Merci de vous présenter muni de votre carte Vitale.",
     "appointment"),
    ("FACTURE N° 12\nMontant total TTC : 55,00 €\nReste à payer : 10,00 €", "invoice"),
    ("FORMULAIRE DE CONSENTEMENT ÉCLAIRÉ\nJe soussigné reconnais avoir été informé et j'accepte que l'examen soit réalisé.",
     "consent form"),
])
def test_noise(text, reason):
    meta = understand_text(text)
    assert meta.type_code == "ADMIN" and meta.is_noise and meta.noise_reason == reason


def test_clinical_letter_mentioning_an_appointment_is_not_noise():
    text = "COMPTE RENDU DE CONSULTATION\nCher confrère, j'ai revu M. X.\nProchain rendez-vous dans 6 mois."
    assert not understand_text(text).is_noise
    # a practice's opening hours on its letterhead
    prescription = ("Dr Anne Vidal\nPneumologie\nConsultations sur rendez-vous\nLe 3 mars 2025\n"
                    "VENTOLINE 100 µg/dose, suspension pour inhalation\n2 bouffées si gêne respiratoire — QSP 3 mois\n"
                    "SPIRIVA 2,5 µg, solution pour inhalation\n2 bouffées une fois par jour — pendant 3 mois\nDr Anne Vidal")
    meta = understand_text(prescription)
    assert not meta.is_noise and meta.type_code == "57833-6"


def test_language():
    assert understand_text("The patient was seen in clinic and is doing well with the new treatment.").language == "en"
    assert understand_text("Le patient a été vu en consultation et va bien avec le traitement.").language == "fr"


# --- sections, keys, people --------------------------------------------------------------------


def test_sections_offsets_and_names():
    text = "COMPTE RENDU\nIndication : douleur\nTECHNIQUE\nIRM du genou\nConclusion : normal\nAssessment and plan: rest"
    meta = understand(_doc(text))
    names = [s.name for s in meta.sections]
    assert names == ["indication", "technique", "conclusion", "conclusion"]
    for mark in meta.sections:
        assert text[mark.offset:].startswith(mark.heading)


def test_exam_and_analyte_keys():
    meta = understand_text("IRM DU GENOU DROIT\nIndication : entorse.\nConclusion : lésion méniscale.")
    assert meta.exam_keys == ("irm",)
    # a letterhead names the place and what it offers, the title the exam done
    centre = understand_text("Scanner IRM Val d'Orge\n12 rue des Lilas\nÉCHOGRAPHIE ABDOMINALE\n"
                             "Indication : douleurs.\nConclusion : lithiase vésiculaire.")
    assert centre.exam_keys == ("echographie",)
    # a long letterhead pushes the title down; a wrapped result line and a combined exam still count
    letterhead = "".join(f"Dr Médecin {i}\n" for i in range(12))
    echo = understand_text(letterhead + "Échocardiographie transthoracique\nExamen du 3 mars 2025\nFEVG 60 %.")
    assert echo.exam_keys == ("echocardiographie",)
    stay = understand_text("COMPTE RENDU D'HOSPITALISATION\nExamens complémentaires : troponine négative. Radiographie\n"
                           "thoracique : opacité basale droite.\nScanner à prévoir dans 3 mois.")
    assert stay.exam_keys == ("radiographie",)
    mammo = understand_text("MAMMOGRAPHIE BILATÉRALE\nTechnique : deux incidences par sein, complétées par une "
                            "échographie.\nConclusion : ACR 1.")
    assert mammo.exam_keys == ("mammographie", "echographie")
    # an act that never names its exam is told by what it measures; a consultation quoting a FEVG is not an echo
    efr = understand_text("Service de Pneumologie\nExplorations fonctionnelles\nrespiratoires\nRésultats\n"
                          "CVF 2,72 L 76 %\nVEMS 1,96 L 64 %\nDLCO 55 %\nConclusion : trouble ventilatoire obstructif.")
    assert efr.exam_keys == ("efr",)
    consultation = understand_text("COMPTE RENDU DE CONSULTATION\nCher confrère, j'ai revu votre patient.\n"
                                   "Cardiopathie ischémique, FEVG 45 %, TAPSE 18 mm.\nDr X, cardiologue")
    assert consultation.exam_keys == ()

    # imaging reports titled "Compte rendu d'imagerie": the technique tells the modality
    for technique, exam in (("Sonde linéaire haute fréquence. Nodule hypoéchogène de 8 mm.", "echographie"),
                            ("Acquisition hélicoïdale, coupes de 1 mm, sans injection.", "scanner"),
                            ("Séquences T1, T2 FLAIR et diffusion. Pas d'hypersignal.", "irm"),
                            ("DXA rachis lombaire. T-score -2,1.", "densitometrie")):
        report = understand_text(f"Cabinet de radiologie\nCOMPTE RENDU D'IMAGERIE\nTechnique : {technique}\n"
                                 "Conclusion : examen sans particularité.\nDr R, radiologue")
        assert report.exam_keys == (exam,), technique
    lab = understand_text("LABORATOIRE\nHbA1c 7,1 % (4-6)\nCréatinine 98 µmol/L (45-90)\nDFG 51 mL/min (>60)")
    assert set(lab.analyte_keys) == {"hba1c", "creatinine", "dfg"}


# Acts that never name their exam in a title, in layouts written for this test.
@pytest.mark.parametrize("text, exams", [
    # the exam opens the report
    ("Dr P. Martin, médecine vasculaire\nLe 3 mai 2025\nÉcho-Doppler artériel des membres inférieurs. Bilan de "
     "claudication.\nPlaques fémorales sans sténose.\nConclusion : athérome non sténosant.", ("echographie",)),
    # the conclusion names it
    ("Dr A. Faure, cardiologue\nLe 3 mai 2025\nProtocole\nRampe sur tapis roulant.\nRésultats\nArrêt pour fatigue.\n"
     "Conclusion\nÉpreuve d'effort négative.", ("epreuve-effort",)),
    # what it measures tells it
    ("Dr A. Faure, cardiologue\nLe 3 mai 2025\nIndication : malaises.\nBranché le 3 mai à 9 h, débranché le 4 mai "
     "à 9 h.\nRésultats : 312 ESV isolées, pas de pause.\nConclusion : pas de trouble du rythme.", ("holter",)),
    ("Cabinet d'échographie obstétricale\nLe 3 mai 2025\nIndication : croissance.\nPrésentation céphalique, poids "
     "fœtal estimé 1900 g.\nConclusion : croissance normale.", ("echographie",)),
    ("Centre d'imagerie\nCOMPTE RENDU\nIndication : chute.\nTechnique : face et profil du poignet.\n"
     "Conclusion : pas de fracture.", ("radiographie",)),
    # a complement does not hide the main exam its measurements tell
    ("Centre d'imagerie\nCOMPTE RENDU\nTechnique : deux incidences par sein, complétées par une échographie.\n"
     "Résultats : seins de densité type B.\nConclusion : ACR 2.", ("mammographie", "echographie")),
    # ... even when the layout wrapped the sentence before the complement's name
    ("Centre d'imagerie\nCompte rendu\nTechnique\nIncidences bilatérales, complétées par une\néchographie.\n"
     "Résultats : seins de densité type C.\nConclusion : ACR 2.", ("mammographie", "echographie")),
    # a letterhead naming a place is neither the exam nor a result ("Scanner IRM du Parc    Patient : ...")
    ("Scanner IRM du Parc       Patient : M. X\nCOMPTE RENDU\nTechnique : incidences de face et de profil.\n"
     "Conclusion : arthrose.", ("radiographie",)),
    # a title in the right-hand column of a letterhead
    ("Service de gastro-entérologie\nSecrétariat  02 00 00 00 00       Compte rendu de coloscopie\nIndication : "
     "dépistage.\nRésultats : caecum atteint, préparation Boston 8.\nConclusion : normal.", ("coloscopie",)),
])
def test_an_act_that_never_names_its_exam_in_a_title(text, exams):
    meta = understand_text(text)
    assert meta.type_code in ("18748-4", "70004-7")
    assert meta.exam_keys == exams


def test_a_result_wrapped_after_the_first_word_of_its_exam_counts():
    text = ("Cabinet d'ophtalmologie\nCONSULTATION\nMotif : contrôle annuel.\nExamen : tonus 15 mmHg. Fond\n"
            "d'œil dilaté : pas de rétinopathie.\nConclusion : examen normal.\nDr O.")
    assert understand_text(text).exam_keys == ("fond-oeil",)


def test_a_lab_row_label_misread_by_ocr_still_names_its_analyte():
    text = ("LABORATOIRE D'ANALYSES\nPerritine =... ce 83 ug/L. ([15 ; 150])\nPotassiun 4,1 mmol/L (3,5 - 5,0)\n"
            "HOL cholestérol 0,49 g/L (> 0,40)\nSodium 140 mmol/L (135 - 145)")
    keys = understand_text(text).analyte_keys
    assert {"ferritine", "potassium", "sodium"} <= set(keys)
    assert "cholesterol-hdl" not in keys and "cholesterol-ldl" not in keys  # "hol" is too short to guess


def test_author_and_organisation():
    meta = understand_text("CENTRE HOSPITALIER DE NULLEPART\nService de Pneumologie\nLETTRE DE LIAISON\n"
                           "Cher confrère,\n...\nDr Julien Le Mercier, pneumologue")
    assert meta.author == "Dr Julien Le Mercier"
    assert meta.organisation == "CENTRE HOSPITALIER DE NULLEPART"




# --- overrides, sidecar, CDA -------------------------------------------------------------------


def test_sidecar_overrides_win(tmp_path):
    pdf = tmp_path / "cr.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    (tmp_path / "cr.json").write_text(json.dumps({
        "typeCode": {"code": "11528-7"}, "authorSpecialty": "G15_10/SM04",
        "period": {"start": "2024-05-02T10:00:00+02:00"}, "author": {"name": {"given": ["Anne"], "family": "Roux"}},
        "custodian": {"display": "CH Test"}, "title": "Echo", "languageCode": "fr-FR",
    }))
    overrides = read_sidecar(pdf)
    assert overrides["type_code"] == "18748-4"  # ended code mapped
    assert overrides["specialty_code"] == "SM04"
    assert overrides["service_date"] == date(2024, 5, 2)
    assert overrides["author"] == "Anne Roux" and overrides["organisation"] == "CH Test"
    meta = understand(_doc("CONSULTATION\nvu le 01/01/2020"), overrides)
    assert (meta.type_code, meta.specialty_code, meta.service_date) == ("18748-4", "SM04", date(2024, 5, 2))
    assert meta.metadata_source == "sidecar"


def test_no_sidecar_and_bad_sidecar(tmp_path):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert read_sidecar(pdf) == {}
    (tmp_path / "a.pdf.json").write_text("{not json")
    with pytest.raises(UnreadableDocument, match="a.pdf.json"):
        read_sidecar(pdf)


_CDA = """<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
  <code code="{code}" codeSystem="2.16.840.1.113883.6.1"/>
  <title>CR de consultation</title>
  <effectiveTime value="20240320101500+0100"/>
  <languageCode code="fr-FR"/>
  <author><assignedAuthor><code code="G15_10/SM04"/>
    <assignedPerson><name><prefix>Dr</prefix><given>Yann</given><family>Le Goff</family></name></assignedPerson>
  </assignedAuthor></author>
  <custodian><assignedCustodian><representedCustodianOrganization><name>CHU Test</name>
  </representedCustodianOrganization></assignedCustodian></custodian>
  <documentationOf><serviceEvent><effectiveTime><low value="20240314"/><high value="20240314113000"/></effectiveTime>
  </serviceEvent></documentationOf>
  <component><nonXMLBody><text mediaType="application/pdf" representation="B64">{b64}</text></nonXMLBody></component>
</ClinicalDocument>"""


def test_read_cda(tmp_path):
    path = tmp_path / "doc.xml"
    path.write_text(_CDA.format(code="27899-4", b64=base64.b64encode(b"%PDF-1.4 fake").decode()))
    pdf, overrides = read_cda(path)
    assert pdf == b"%PDF-1.4 fake"
    assert overrides["type_code"] == "70004-7"
    assert overrides["specialty_code"] == "SM04"
    assert overrides["service_date"] == date(2024, 3, 14) and overrides["service_end_date"] == date(2024, 3, 14)
    assert overrides["author"] == "Dr Yann Le Goff" and overrides["organisation"] == "CHU Test"
    assert overrides["title"] == "CR de consultation" and overrides["language"] == "fr"
    assert overrides["metadata_source"] == "cda"


@pytest.mark.parametrize("data, message", [
    (b"<ClinicalDocument xmlns='urn:hl7-org:v3'><title>x</title>", "malformed XML"),
    (b"<html/>", "not a CDA"),
    (b"<ClinicalDocument xmlns='urn:hl7-org:v3'><title>x</title></ClinicalDocument>", "without a body"),
    (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><ClinicalDocument xmlns='urn:hl7-org:v3'/>", "DTD"),
])
def test_read_cda_rejects(data, message):
    with pytest.raises(UnreadableDocument, match=message):
        read_cda_bytes(data, "bad.xml")


def test_hl7_date():
    assert hl7_date("20240314113000+0100") == date(2024, 3, 14)
    assert hl7_date("202403") is None


# --- duplicates --------------------------------------------------------------------------------

_REPORT = ("COMPTE RENDU D'ÉCHOGRAPHIE ABDOMINALE\nFoie de taille normale, hyperéchogène homogène, sans lésion focale. "
           "Voies biliaires non dilatées. Vésicule alithiasique. Pancréas vu normal. Rate de taille normale. "
           "Reins de taille normale sans dilatation des cavités. Conclusion : stéatose hépatique homogène.")


def test_fingerprint_similarity():
    fp = fingerprint(_REPORT)
    assert similarity(fp, fp) == 1.0
    assert similarity(fp, fingerprint("Ordonnance : amoxicilline 1 g matin et soir pendant six jours.")) < 0.2
    assert similarity(fp, fingerprint(_REPORT + "\nImprimé le 03/04/2024")) >= NEAR_DUPLICATE_THRESHOLD


def test_corrected_version_is_near_duplicate_but_other_act_is_not():
    a = {"type_code": "18748-4", "service_date": "2024-03-02"}
    corrected = _REPORT.replace("Rate de taille normale", "Rate de 13 cm") + "\nVersion corrigée : annule et remplace."
    assert is_near_duplicate(fingerprint(_REPORT), a, fingerprint(corrected), a)
    other_day = {"type_code": "18748-4", "service_date": "2024-09-02"}
    assert not is_near_duplicate(fingerprint(_REPORT), a, fingerprint(_REPORT), other_day)
    other_type = {"type_code": "11488-4", "service_date": "2024-03-02"}
    assert not is_near_duplicate(fingerprint(_REPORT), a, fingerprint(_REPORT), other_type)


# --- evaluation --------------------------------------------------------------------------------


def test_evaluate_metadata():
    truth = [
        {"source": "p1/a.pdf", "type_code": "11488-4", "specialty_code": "SM04", "service_date": "2024-01-02", "is_noise": False},
        {"source": "p1/b.pdf", "type_code": "11502-2", "specialty_code": "SM03", "service_date": "2024-02-02", "is_noise": False},
    ]
    predicted = [
        {"source": "p1/a.pdf", "type_code": "11488-4", "specialty_code": "SM73", "service_date": "2024-01-02", "is_noise": False},
        {"source": "p1/b.pdf", "type_code": "18748-4", "specialty_code": "SM03", "service_date": "2024-02-03", "is_noise": False},
    ]
    r = evaluate_metadata(predicted, truth)
    assert r["type_accuracy"] == 0.5 and r["specialty_accuracy"] == 0.5 and r["specialty_group_accuracy"] == 1.0
    assert r["service_date_accuracy"] == 0.5 and r["noise_accuracy"] == 1.0
    assert r["type_confusion"] == [{"truth": "11502-2", "predicted": "18748-4", "count": 1}]
    assert "| type | 50.0% |" in format_metadata_report(r)
