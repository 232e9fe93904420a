"""Understanding documents laid out by other people (tests/unit/others_documents.py): type by section
structure, the date of the act by its role, the author's specialty, identity kept out of the letterhead
fields."""

from __future__ import annotations

from dataclasses import replace

import importlib.util
from pathlib import Path

import pytest

from ingest.understand import understand_text
from ingest.understand.context import Context
from ingest.understand.structure import structure_scores
from tests.factories import new_document
from tests.factories import stored_chunk, stored_document

pytestmark = pytest.mark.unit

_spec = importlib.util.spec_from_file_location("others_documents", Path(__file__).parent / "others_documents.py")
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
OTHERS = {d["name"]: d for d in _mod.OTHERS}


def _expected(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


@pytest.mark.parametrize("name", sorted(OTHERS))
def test_type_of_documents_by_other_people(name):
    d = OTHERS[name]
    assert understand_text(d["text"]).type_code in _expected(d["type"])


@pytest.mark.parametrize("name", sorted(OTHERS))
def test_date_of_the_act_of_documents_by_other_people(name):
    d = OTHERS[name]
    assert str(understand_text(d["text"]).service_date) == d["date"]


@pytest.mark.parametrize("name", [n for n, d in sorted(OTHERS.items()) if d["specialty"]])
def test_specialty_of_the_department_that_performed_the_act(name):
    d = OTHERS[name]
    assert understand_text(d["text"]).specialty_code == d["specialty"]


def test_section_structure_recognises_an_operative_note_and_a_history_and_physical():
    op = structure_scores(Context(OTHERS["us_operative_note_anesthesia"]["text"]))
    hp = structure_scores(Context(OTHERS["us_hp_mentions_ct"]["text"]))
    assert max(op, key=op.get) == "34874-8"
    assert max(hp, key=hp.get) == "11488-4"


def test_headings_out_of_order_weigh_less():
    ordered = "Technique: CT.\nComparison: none.\nFindings: clear.\nImpression: normal.\n"
    shuffled = "Impression: normal.\nFindings: clear.\nComparison: none.\nTechnique: CT.\n"
    assert structure_scores(Context(ordered))["18748-4"] > structure_scores(Context(shuffled))["18748-4"]


def test_a_consultation_that_mentions_imaging_stays_a_consultation():
    text = ("Motif de consultation : toux.\nAntécédents : asthme.\nExamen clinique : sibilants.\n"
            "Radiographie thoracique du 02/03/2024 : pas de foyer. Scanner thoracique : normal. IRM : non faite.\n"
            "Conclusion : exacerbation d'asthme.\nConduite à tenir : corticoïdes inhalés.\n")
    assert understand_text(text).type_code == "11488-4"


def test_the_anaesthesia_of_an_operation_is_not_its_author():
    meta = understand_text(OTHERS["us_operative_note_anesthesia"]["text"])
    assert meta.type_code == "34874-8"
    assert meta.specialty_code != "SM02"


# --- dates of the act ----------------------------------------------------------------------------


def test_day_month_year_with_hyphens_and_month_words():
    text = "Patient: DOE, JANE   DOB: 23-Jul-1958\nCollected: 10-May-2024 09:05   Received: 10-May-2024 13:40\n"
    assert understand_text(text).service_date.isoformat() == "2024-05-10"


def test_a_british_letter_signed_md_frcp_is_day_first():
    text = ("Department of Cardiology\nMill Lane, Eastbury EB4 7QT   Tel: 01632 960 412\n"
            "Consultant Cardiologist: Dr Ann Moss MD FRCP\n\nDate of clinic: 08/11/2023\nTyped: 10/11/2023\n\n"
            "Dear Dr Shaw,\nI saw this gentleman in clinic today with palpitations.\nYours sincerely,\n")
    assert understand_text(text).service_date.isoformat() == "2023-11-08"


def test_an_american_letterhead_is_month_first():
    text = ("Lakeview Family Practice\n410 Pine Street, Dayton, OH 45402   (937) 555-0100\n\nOFFICE VISIT\n"
            "Date of service: 03/04/2021\n\nChief complaint: cough.\nExam: clear lungs.\nAssessment: viral URI.\n")
    assert understand_text(text).service_date.isoformat() == "2021-03-04"


def test_each_numeric_date_with_a_day_over_12_keeps_its_own_order():
    text = "Clinic date: 05/21/2020\nDear Doctor,\nI saw this patient today.\nPrinted 26/05/2020 - Page 1 of 1\n"
    assert understand_text(text).service_date.isoformat() == "2020-05-21"


def test_transcription_footer_and_signature_lines_are_not_the_act():
    text = ("CHIEF COMPLAINT: chest pain.\nHISTORY OF PRESENT ILLNESS: seen today, 02/11/2019, for pain.\n"
            "PHYSICAL EXAMINATION: normal.\nASSESSMENT AND PLAN: reassurance.\n"
            "Electronically signed by Jo Park, MD 02/14/2019 10:02\nD: 02/12/2019  T: 02/13/2019\n")
    assert understand_text(text).service_date.isoformat() == "2019-02-11"


# --- identity stays in its place ----------------------------------------------------------------


def test_the_patient_identity_block_never_becomes_the_organisation():
    meta = understand_text(OTHERS["fr_identite_en_tete"]["text"])
    assert meta.organisation == "Clinique du Parc"
    text = ("ABBEY GREEN MEDICAL PRACTICE\n2 Abbey Green, Fenwick FN1 4AA   Tel 01632 960 600\n\nREPEAT PRESCRIPTION\n\n"
            "Patient: Mrs Ann Brook   DOB 09/12/1940   NHS No 999 000 5678\nAmlodipine 5 mg tablets  ONE each morning\n")
    meta = understand_text(text)
    assert meta.organisation == "ABBEY GREEN MEDICAL PRACTICE"
    assert "Brook" not in (meta.title or "") and "Brook" not in (meta.author or "")


def test_the_organisation_leaves_out_the_postal_address():
    meta = understand_text(OTHERS["uk_clinic_letter_dmy"]["text"])
    assert meta.organisation == "Harbourside NHS Foundation Trust"
    assert meta.title is None or "03/04" not in meta.title


@pytest.mark.parametrize("line, identity", [
    ("Patient : Mme Odile Perrin", True), ("Né(e) le 01/05/1958", True), ("DOB: 07/22/1948", True),
    ("IPP 400123987", True), ("NIR 1 58 05 75 123 456 78", True), ("Re: Mr Colin Pryce", True),
    ("Clinique du Parc", False), ("Service de Cardiologie", False), ("Tél 04 91 00 00 00", False),
])
def test_identity_lines_by_shape(line, identity):
    from carnet.text import fold
    from ingest.understand.identity import is_identity

    assert is_identity(fold(line)) is identity


# --- letterhead and page furniture ----------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "Signé électroniquement le 27/02/2024", "Date de naissance 1er mai 1958", "12 rue des Lilas", "35000 Pontvert",
    "Tél : 02 99 00 00 00", "Page 1 sur 2", "Document imprimé le 23/04/2024 à 14:51 - CHU de Valmont",
    "RPPS 10000000000", "Electronically signed by Maria L. Ortega, MD on 03/15/2019 08:12 AM",
    "Mill Lane, Ashcombe AS4 7QT   Tel: 01632 960 412", "Dr Erwan CADIOU", "Marcus Whitley, MD", "Cher Confrère,",
    "Yours sincerely,", "Valmont, le 12 mai 2023", "jane.doe@clinic.example",
])
def test_furniture_by_shape(line):
    from ingest.understand.furniture import is_furniture

    assert is_furniture(line)


@pytest.mark.parametrize("line", [
    "Conclusion : exacerbation de BPCO sans foyer.", "Impression: Normal awake and drowsy EEG.",
    "FEVG 55 %, pas de valvulopathie.", "PA 132/78 mmHg, FC 62/min", "Pas de récidive depuis le 12/03/2024.",
    "Dr X recommande une IRM de contrôle dans six mois.",
])
def test_clinical_lines_are_not_furniture(line):
    from ingest.understand.furniture import is_furniture

    assert not is_furniture(line)


def test_a_card_snippet_skips_the_letterhead_and_starts_at_the_conclusion():
    from query.passages import snippet

    text = ("CENTRE HOSPITALIER DE VALMONT\nService de Pneumologie\n12 rue des Lilas, 35000 Valmont\n"
            "Tél : 02 99 00 00 00\nMme Josiane LECLERC, née le 30/06/1941\n"
            "Histoire : dyspnée depuis quinze jours, toux grasse, fébricule, sans douleur thoracique ni hémoptysie.\n"
            "Conclusion : exacerbation de BPCO sans foyer, d'évolution favorable.\nDr Nadia Ferreira\n"
            "Signé électroniquement le 27/02/2024\n")
    out = snippet(text, [])
    assert out.startswith("Conclusion : exacerbation")
    assert "Signé" not in out and "Ferreira" not in out and "1941" not in out
    text_without_conclusion = "\n".join(text.splitlines()[:6])
    assert snippet(text_without_conclusion, []).startswith("Histoire")


def test_a_summary_never_quotes_the_letterhead_or_a_birth_date():
    from carnet.models import DocumentHit, Interpretation
    from query.summarize import ExtractiveSummarizer

    chunks = [stored_chunk(1, "d1", "Date de naissance 1er mai 1958\nSigné électroniquement le 02/03/2024\n"
                                    "12 rue des Lilas, 35000 Valmont"),
              stored_chunk(2, "d1", "Cholécystectomie par cœlioscopie, quatre trocarts.", section="technique")]

    class _Store:
        def document_chunks(self, document_id):
            return chunks

    hit = DocumentHit(document=stored_document("d1", "", type_code="34874-8"), score=1.0, rank=1, best_chunk=None)
    summary = ExtractiveSummarizer().summarize("compte rendu opératoire", Interpretation(question="cro"), [hit], _Store())
    quoted = " ".join(s.text for s in summary.sentences) if summary else ""
    assert "1958" not in quoted and "Signé" not in quoted and "Lilas" not in quoted


# --- author specialty, confidence and "à vérifier" ---------------------------------------------------


def test_split_evidence_gives_an_unknown_specialty_with_its_candidates():
    text = ("COMPTE RENDU OPÉRATOIRE\nIntervention du 02/05/2024\nOpérateur : Dr Jean Morel\n"
            "Indication : lithiase vésiculaire chez une patiente suivie en cardiologie et en néphrologie.\n"
            "Cholécystectomie par cœlioscopie. Fermeture plan par plan.\n")
    meta = understand_text(text)
    assert meta.type_code == "34874-8"
    assert meta.specialty_code is None
    assert set(meta.specialty_candidates) == {"SM04", "SM30"}


def test_the_first_named_field_of_a_department_wins():
    text = ("CENTRE HOSPITALIER DE PORS-MEUR\nService de Pneumologie et Allergologie\n\nCher ami,\n"
            "J'ai revu ce jour, 18/03/2024, votre patiente pour sa BPCO.\nConclusion : BPCO stable.\n")
    assert understand_text(text).specialty_code == "SM41"


def test_needs_review_under_the_confidence_floors():
    from carnet.review import needs_review

    sure = stored_document(type_confidence=0.8, date_confidence=0.9, service_date="2024-01-02", is_noise=False)
    assert not needs_review(sure)
    assert needs_review(replace(sure, type_confidence=0.2))
    assert needs_review(replace(sure, service_date=None))
    assert needs_review(replace(sure, date_confidence=0.15))
    assert not needs_review(replace(sure, service_date=None, is_noise=True))
    assert not needs_review(replace(sure, type_confidence=0.2, metadata_source="sidecar"))


def test_candidates_and_needs_review_reach_the_document_listing(tmp_path):
    from datetime import date

    import numpy as np

    from carnet.models import Chunk, DocMeta
    from service.serialize import document_detail_out, document_out
    from index.sqlite import SQLiteStore as Store

    store = Store(tmp_path)
    meta = DocMeta(type_code="34874-8", type_confidence=0.9, specialty_candidates=("SM04", "SM30"),
                   service_date=date(2024, 5, 2), date_confidence=0.2)
    store.add_document(new_document(patient_id="A", content_sha256="x", source="A/x.pdf", meta=meta,
                       chunks=[Chunk("d", 1, 0, 4, None, "text")], vectors=np.zeros((1, 8), dtype=np.float32),
                       page_count=1, ocr_pages=[], ocr_confidence=None, fingerprint=None, file_size=1, pdf_bytes=b"%PDF"))
    row = store.documents("A")[0]
    assert document_out(row).needs_review is True
    assert document_detail_out(row).specialty_candidates == ["SM04", "SM30"]


@pytest.mark.parametrize("opening, title", [
    ("Consultation de suivi. Madame Roux va bien depuis la dernière fois, l'échographie de mars ne montrait rien",
     "Consultation de suivi"),
    ("Compte rendu de coloscopie. Progression jusqu'au caecum sans difficulté, préparation correcte, pas de polype",
     "Compte rendu de coloscopie"),
])
def test_a_paragraph_opening_with_a_short_sentence_naming_the_document_has_a_run_in_title(opening, title):
    text = f"Dr Anne MOREAU\nMédecine générale\n\nLe 3 mars 2026\n\n{opening}\nsuite du texte.\n"
    assert title.lower() in [ln.raw.lower() for ln in Context(text).title_lines]


def test_a_long_first_sentence_or_one_not_naming_a_document_is_no_title():
    long = ("Consultation ce jour pour une douleur thoracique atypique apparue la semaine dernière. Examen normal, "
            "pas d'anomalie.")
    plain = "Madame Roux va bien. Échographie de mars normale, la tension est bien contrôlée sous traitement actuel."
    for opening in (long, plain):
        text = f"Dr Anne MOREAU\nMédecine générale\n\n{opening}\n"
        assert [ln.raw for ln in Context(text).title_lines if len(ln.raw) > 20] == []


def test_a_follow_up_note_that_recalls_earlier_exams_stays_a_consultation():
    text = ("Dr Paul RIOU\nMédecine générale\n\nLe 20 janvier 2026\n\nConsultation de suivi. Monsieur Ferrand va bien. "
            "L'échographie cardiaque de novembre avait montré une\nfonction normale, et le scanner thoracique de 2024 "
            "retrouvait des bronchectasies stables.\nAuscultation normale. Renouvellement du traitement.\n")
    assert understand_text(text).type_code == "11488-4"
