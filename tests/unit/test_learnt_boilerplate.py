"""Boilerplate learnt from repetition: the lines a sender prints on every paper (a department's name, a
list of its doctors, a footer motto) leave summaries and card snippets once two of the patient's
documents from that sender carry them, however they are shaped. Letters written here in the style of a
French CH and a UK trust, not the project's generator."""

from __future__ import annotations

import pytest

from carnet.models import ChunkHit, DocumentHit, Interpretation
from ingest.understand.boilerplate import RecurringLines, line_key
from query.learnt_furniture import LearntFurniture, boilerplate_lines, drop_boilerplate, learnt_furniture
from query.passages import snippet
from query.summarize import ExtractiveSummarizer
from tests.factories import stored_chunk, stored_document

pytestmark = pytest.mark.unit

HEAD = """Pôle Médecine et Spécialités
Unité de Réhabilitation Respiratoire
Dr Maëlle GUILLOU, Dr Yann CARADEC, Dr Soizic LE GALL"""
FOOT = "Établissement sans tabac - merci de respecter le repos des patients"

LETTER_1 = f"""{HEAD}

Madame, Monsieur,
Bilan initial de réhabilitation : test de marche de six minutes à 310 mètres, désaturation à 87 %.
Conclusion : programme de réentraînement à l'effort sur huit semaines.
{FOOT}"""
LETTER_2 = f"""{HEAD}

Madame, Monsieur,
Bilan de fin de programme : test de marche de six minutes à 392 mètres, sans désaturation.
Conclusion : bénéfice net du réentraînement, poursuite de l'activité physique à domicile.
{FOOT}"""
NO_CONCLUSION = f"""{HEAD}
Séance d'éducation thérapeutique sur les techniques d'inhalation, bien assimilées par la patiente.
{FOOT}"""


class _Store:
    """The two reads the learning needs (documents of a patient, chunks of a document)."""

    def __init__(self, docs: dict[str, str], sender: str = "CH de Kermaria"):
        self.docs = docs
        self.sender = sender
        self.chunk_reads = 0

    def documents(self, patient_id):
        return [stored_document(d, patient_id, organisation=self.sender, author=None) for d in self.docs]

    def document_chunks(self, document_id):
        self.chunk_reads += 1
        return [stored_chunk(1, document_id, self.docs[document_id])]


def test_a_line_in_two_documents_of_one_sender_is_boilerplate():
    learnt = RecurringLines()
    learnt.add("a", "ch kermaria", LETTER_1)
    assert not learnt.is_boilerplate("Unité de Réhabilitation Respiratoire", "ch kermaria")
    learnt.add("b", "ch kermaria", LETTER_2)
    assert learnt.is_boilerplate("UNITÉ DE RÉHABILITATION  RESPIRATOIRE.", "ch kermaria")  # near-verbatim
    assert not learnt.is_boilerplate("Unité de Réhabilitation Respiratoire", "another sender")  # two, not three


def test_section_headings_and_values_are_not_learnt():
    assert line_key("Conclusion :") is None
    learnt = RecurringLines()
    learnt.add("a", "lab", "Hémoglobine 13,5 g/dL\nConclusion :\n")
    learnt.add("b", "lab", "Hémoglobine 12,1 g/dL\nConclusion :\n")
    assert not learnt.is_boilerplate("Hémoglobine 12,1 g/dL", "lab")


def test_the_summary_and_the_card_leave_out_the_learnt_letterhead():
    store = _Store({"d1": LETTER_1, "d2": LETTER_2, "d3": NO_CONCLUSION})
    furniture = LearntFurniture(store)
    skip = furniture.skip_for(store.documents("P")[2])
    card = snippet(NO_CONCLUSION, [], boilerplate=boilerplate_lines(NO_CONCLUSION, skip))
    assert card.startswith("Séance d'éducation") and "Pôle" not in card and "tabac" not in card
    # without what the other letters teach, the same card quotes the footer
    assert "tabac" in snippet(NO_CONCLUSION, [])

    hit = DocumentHit(document=store.documents("P")[2], score=1.0, rank=1,
                      best_chunk=ChunkHit(1, "d3", 1, None, NO_CONCLUSION, 0.0))
    summary = ExtractiveSummarizer().summarize("éducation", Interpretation(question="éducation", topic="éducation"),
                                               [hit], store)
    quoted = " ".join(s.text for s in summary.sentences)
    assert "Séance d'éducation" in quoted and "Dr Maëlle" not in quoted and "tabac" not in quoted


def test_a_conclusion_that_recurs_word_for_word_is_still_quoted():
    same = "Conclusion : examen normal."
    text = f"{HEAD}\n{same}"
    skip = RecurringLines()
    for d in ("a", "b", "c"):
        skip.add(d, "s", text)
    assert drop_boilerplate(text, lambda ln: skip.is_boilerplate(ln, "s")).strip().endswith(same)


def test_a_new_document_from_a_known_sender_is_read_alone():
    store = _Store({"d1": LETTER_1, "d2": LETTER_2})
    furniture = learnt_furniture(store)
    furniture.for_patient("P")
    assert store.chunk_reads == 2
    store.docs["d3"] = NO_CONCLUSION
    learnt = furniture.for_patient("P")
    assert store.chunk_reads == 3  # only the new document was read
    assert learnt.is_boilerplate(FOOT, "ch kermaria")


def test_a_recurring_line_that_says_what_was_asked_stays_in_the_summary():
    allergy = "Allergie connue à la pénicilline"
    docs = {d: f"{HEAD}\n{allergy}\nConsultation de suivi, patiente stable sous traitement inhalé." for d in ("d1", "d2")}
    store = _Store(docs)
    hit = DocumentHit(document=store.documents("P")[1], score=1.0, rank=1, best_chunk=None)
    interp = Interpretation(question="allergie pénicilline", topic="allergie pénicilline")
    summary = ExtractiveSummarizer().summarize("allergie pénicilline", interp, [hit], store)
    assert allergy in " ".join(s.text for s in summary.sentences)
    assert "Dr Maëlle" not in " ".join(s.text for s in summary.sentences)


@pytest.mark.parametrize("line", ["Department of Medicine for Older People - Memory Assessment Service",
                                  "BROOKFIELD SURGERY CENTER - Department of Anesthesiology",
                                  "Pôle Femme-Enfant - Service de Pédiatrie"])
def test_a_line_that_only_names_an_institution_is_furniture_by_shape(line):
    from ingest.understand.furniture import is_furniture

    assert is_furniture(line)


@pytest.mark.parametrize("line", ["Adressée au service de cardiologie pour avis.",
                                  "Follow-up: cardiology clinic in 6-8 weeks with repeat echo.",
                                  "Seen in the respiratory clinic with her daughter, who helps with the inhalers."])
def test_a_sentence_naming_a_department_is_not(line):
    from ingest.understand.furniture import is_furniture

    assert not is_furniture(line)
