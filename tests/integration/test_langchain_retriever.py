"""Carnet inside a LangChain chain: the retriever answers through the real store and query path."""

from __future__ import annotations

from datetime import date

import pytest
from langchain_core.runnables import RunnableLambda

from carnet.config import Settings
from carnet.errors import UnknownPatient
from service.facade import Carnet
from ingest.pipeline import discover
from query.langchain_retriever import CarnetRetriever
from tests.pdfs import write_reports

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lc")
    c = Carnet(Settings(home=tmp / "home", embedder="hashing", ocr=False))
    c.ingestor.ingest(discover(write_reports(tmp / "corpus")))
    return c.searcher


def test_retriever_in_a_chain(searcher):
    retriever = CarnetRetriever(searcher=searcher, patient_id="PAT-A", today=date(2026, 11, 27))
    chain = retriever | RunnableLambda(lambda docs: [(d.metadata["source"], d.metadata["page"]) for d in docs])
    result = chain.invoke("dernier compte rendu de cardiologie")
    assert result[0] == ("PAT-A/cardio-consult-2025.pdf", 1)
    assert all(source.startswith("PAT-A/") for source, _ in result)


def test_retriever_keeps_its_patient(searcher):
    docs = CarnetRetriever(searcher=searcher, patient_id="PAT-B").invoke("nodule pulmonaire")
    assert docs and {d.metadata["patient"] for d in docs} == {"PAT-B"}
    assert "nodule" in docs[0].page_content
    with pytest.raises(UnknownPatient):
        CarnetRetriever(searcher=searcher, patient_id="NOBODY").invoke("bilan")
