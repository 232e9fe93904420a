"""What every summariser Carnet offers must do (query/summarize.py extractive, query/generate.py generated with
a chat model, the real local LLM): a summary is read by a doctor as what the patient's record says, so each of
its sentences must cite a page of a document it was given, none may come from another patient's record, it
must say nothing rather than invent when it is given nothing, and it stays short.

The record is built through the product's own ingest (small hand-written PDFs, hashing embedder) and the hits
come from the product's own search; the chat model of the generated summariser is a fake that copies real
sentences of the record, sentences of another patient's record and invented ones, each citing some source:
whatever it writes, only what the cited page supports may come out.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from carnet.config import Settings
from ingest.pipeline import discover
from query.generate import GeneratedSummarizer
from query.llm_chat import LLMConfig
from query.summarize import MAX_SENTENCE_CHARS, MAX_SENTENCES, ExtractiveSummarizer, generated_summarizer
from service.facade import Carnet
from tests.pdfs import write_pdf

TODAY = date(2025, 6, 1)

# The asking patient's record: three documents, two pages for the echo. Every sentence is a real sentence.
P1_DOCUMENTS = {
    "echo.pdf": [
        "Service de Cardiologie\nÉchocardiographie transthoracique du 10/03/2025\n"
        "Indication : dyspnée d'effort chez un patient hypertendu.\n"
        "Ventricule gauche non dilaté, FEVG estimée à 58 %.\n"
        "Valve aortique calcifiée avec un gradient moyen de 18 mmHg.",
        "Conclusion :\nFonction systolique du ventricule gauche conservée.\n"
        "Rétrécissement aortique modéré. Contrôle échographique dans un an.",
    ],
    "bilan.pdf": [
        "Laboratoire de biologie médicale\nBilan sanguin du 12/09/2024\n"
        "Hémoglobine glyquée (HbA1c)     7,1    %       4,0 - 6,0\n"
        "Créatinine                      98     µmol/L  45 - 90\n"
        "Commentaire du biologiste : discrète dégradation de la fonction rénale.",
    ],
    "consultation.pdf": [
        "Consultation de cardiologie du 02/04/2025\n"
        "Le patient signale une dyspnée au deuxième étage.\n"
        "Le rétrécissement aortique est suivi sans indication opératoire pour le moment.\n"
        "Poursuite du traitement par ramipril 5 mg par jour.",
    ],
}
# Another patient's record, with words and numbers nobody else's has: none may reach P1's summaries.
P2_MARKERS = ("zyrtanol", "pontcarreau", "4321")
P2_DOCUMENTS = {
    "echo.pdf": [
        "Service de Cardiologie\nÉchocardiographie transthoracique du 11/03/2025\n"
        "Rétrécissement aortique serré, gradient moyen 4321 mmHg selon le Dr Pontcarreau.\n"
        "Conclusion : traitement par Zyrtanol 40 mg et avis chirurgical.",
    ],
}
QUESTIONS = ["dernière échographie cardiaque", "rétrécissement aortique", "dernier bilan sanguin"]


def _get(row, key):
    return row[key] if isinstance(row, dict) else getattr(row, key)


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def record(tmp_path_factory):
    """A store with P1's and P2's documents, ingested by the product, and P1's pages by document id."""
    root = tmp_path_factory.mktemp("record")
    for patient, documents in (("P1", P1_DOCUMENTS), ("P2", P2_DOCUMENTS)):
        for name, pages in documents.items():
            write_pdf(root / "docs" / patient / name, pages)
    settings = Settings(home=root / "home", embedder="hashing", ocr=False, isolate_documents=False)
    carnet = Carnet(settings)
    carnet.ingestor.ingest(discover(root / "docs"))
    pages: dict[str, dict[int, str]] = {}
    for row in carnet.store.documents("P1"):
        source = _get(row, "source").rsplit("/", 1)[-1]
        pages[_get(row, "id")] = {i + 1: _squash(t) for i, t in enumerate(P1_DOCUMENTS[source])}
    foreign = {_get(row, "id") for row in carnet.store.documents("P2")}
    assert len(pages) == len(P1_DOCUMENTS) and len(foreign) == len(P2_DOCUMENTS)
    return carnet, pages, foreign


def _fake_chat_model(*_record) -> FakeListChatModel:
    """A model that writes, for each of the sources S1-S3, a true sentence of every one of P1's documents, a
    sentence of P2's record and an invented one: the summariser must keep only what the cited page says."""
    true = [re.split(r"(?<=\.)\s", _squash(p))[-1] for doc in P1_DOCUMENTS.values() for p in doc]
    foreign = ["Traitement par Zyrtanol 40 mg et avis chirurgical.",
               "Rétrécissement aortique serré, gradient moyen 4321 mmHg selon le Dr Pontcarreau."]
    invented = ["Une IRM cérébrale a montré une tumeur de 3 cm.", "Le patient est guéri et n'a plus besoin de suivi."]
    lines = [f"[S{k}] {sentence}" for k in (1, 2, 3) for sentence in true + foreign + invented]
    return FakeListChatModel(responses=["\n".join(lines)])


def _extractive(_record):
    return ExtractiveSummarizer()


def _generated_with_a_fake_model(record):
    return GeneratedSummarizer(llm=_fake_chat_model(record), config=LLMConfig(), fallback=None)


def _generated_with_the_local_model(record):
    carnet, _, _ = record
    settings = carnet.settings.model_copy(update={"summary_mode": "generated"})
    summarizer = generated_summarizer(settings)
    if summarizer is None:
        pytest.skip("the local generative model is not installed (make install-llm)")
    summarizer.fallback = None  # the model's own sentences, not the extractive fallback's
    return summarizer


SUMMARIZERS = [
    pytest.param(_extractive, marks=pytest.mark.unit, id="extractive"),
    pytest.param(_generated_with_a_fake_model, marks=pytest.mark.unit, id="generated-fake-model"),
    pytest.param(_generated_with_the_local_model, marks=[pytest.mark.llm, pytest.mark.integration, pytest.mark.slow],
                 id="generated-local-llm"),
]


@pytest.fixture(scope="module", params=SUMMARIZERS)
def summarizer(request, record):
    return request.param(record)


@pytest.fixture(scope="module")
def summarize(record):
    """Summarise a question's hits once per summariser and question (the local model takes seconds a call):
    the tests below each check one property of the same summary."""
    carnet, _, _ = record
    made: dict = {}

    def run(summarizer, question):
        key = (id(summarizer), question)
        if key not in made:
            answer = _answer(record, question)
            made[key] = answer, summarizer.summarize(question, answer.interpretation, list(answer.documents),
                                                     carnet.store)
        return made[key]
    return run


def _answer(record, question):
    carnet, _, _ = record
    answer = carnet.searcher.ask("P1", question, today=TODAY, summarize=False)
    assert answer.documents, question  # the contract is about what is done with hits: there must be some
    return answer


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_sentence_cites_a_page_of_a_document_it_was_given(record, summarizer, summarize, question):
    _, pages, _ = record
    answer, summary = summarize(summarizer, question)
    given = {_get(h.document, "id") for h in answer.documents}
    assert summary is not None, question
    if not summary.sentences:
        # Only a generated summary without its extractive fallback may keep nothing, and then it says that
        # what the model wrote could not be verified (the shipped set-up falls back to extractive sentences).
        # The fake model copies true sentences of the record: it must keep some.
        real_model = not isinstance(getattr(summarizer, "llm", None), FakeListChatModel)
        assert real_model and summary.mode == "generated" and summarizer.fallback is None, question
        assert summary.dropped_sentences > 0 and "vérifiée" in summary.text, summary.text
    for sentence in summary.sentences:
        document_id, page = sentence.citation.document_id, sentence.citation.page
        assert document_id in given, sentence.text
        assert page in pages[document_id], sentence.text
        if summary.mode == "extractive":  # verbatim: the sentence is on the page it cites
            assert _squash(sentence.text) in pages[document_id][page], sentence.text


@pytest.mark.parametrize("question", QUESTIONS)
def test_no_sentence_comes_from_another_patients_record(record, summarizer, summarize, question):
    _, _, foreign = record
    _, summary = summarize(summarizer, question)
    assert summary is not None
    assert not any(s.citation.document_id in foreign for s in summary.sentences)
    text = (summary.text + " ".join(s.text for s in summary.sentences)).lower()
    for marker in P2_MARKERS:
        assert marker not in text


def test_nothing_given_gives_nothing(record, summarizer):
    carnet, _, _ = record
    answer = _answer(record, QUESTIONS[0])
    summary = summarizer.summarize(QUESTIONS[0], answer.interpretation, [], carnet.store)
    assert summary is None or not summary.sentences


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_summary_stays_short(record, summarizer, summarize, question):
    _, summary = summarize(summarizer, question)
    assert summary is not None
    assert len(summary.sentences) <= MAX_SENTENCES
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in summary.sentences)
    # each document's lead ("Échocardiographie du 10/03/2025 (cardiologie) :") and a dropped-sentence note
    assert len(summary.text) <= MAX_SENTENCES * MAX_SENTENCE_CHARS + 3 * 120 + 80
