"""Carnet as a LangChain retriever, so LangChain users can put it in their chains.

    retriever = CarnetRetriever(searcher=Carnet(Settings()).searcher, patient_id="P0001")
    docs = retriever.invoke("dernier compte rendu de cardiologie")

Each LangChain Document is one answering document: its best passage as `page_content`, and in
`metadata` the document id, source, type and specialty codes, date of the act, page and rank. The
patient is fixed on the retriever: a chain cannot ask about another patient through it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field


class CarnetRetriever(BaseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Any = Field(description="A query.retrieve.Searcher")
    patient_id: str
    top_k: int = Field(5, ge=1, le=100)
    today: date | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        answer = self.searcher.ask(self.patient_id, query, top_k=self.top_k, today=self.today, summarize=False)
        out = []
        for hit in answer.documents:
            doc, chunk = hit.document, hit.best_chunk
            out.append(Document(
                page_content=chunk.text if chunk else (doc.title or ""),
                metadata={
                    "document_id": doc.id, "source": doc.source, "patient": self.patient_id,
                    "type_code": doc.type_code, "specialty_code": doc.specialty_code,
                    "date": doc.service_date.isoformat() if doc.service_date else None, "page": chunk.page if chunk else None, "rank": hit.rank,
                    "score": hit.score,
                },
            ))
        return out
