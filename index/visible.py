"""A read-only view of the store limited to the documents of one patient a caller may see.

service/access.py decides what is visible (care-team grants, masked documents, break-glass); the patient
synthesis, the lab plots and the answers read from stored facts read through this view.
"""

from __future__ import annotations

from typing import Callable

from carnet.errors import UnknownDocument
from index.protocol import Store


class VisibleRecord:
    """A read-only view of the store holding only the documents of one patient that `visible` lets the
    caller see: the patient synthesis, the lab plots and the answers read from stored facts go through it,
    so a masked document's facts, medications or lab values never reach a professional who may not see
    the document. Other store methods pass through."""

    def __init__(self, store: Store, patient_id: str, visible: Callable[[dict], bool]):
        self._store = store
        self._hidden = frozenset(r.id for r in store.documents(patient_id) if not visible(r))

    @classmethod
    def of(cls, store: Store, access) -> VisibleRecord:
        """The view an opened patient access (service.access.PatientAccess) lets its caller see."""
        return cls(store, access.patient_id, access.visible)

    def documents(self, patient_id: str) -> list[dict]:
        return [r for r in self._store.documents(patient_id) if r.id not in self._hidden]

    def lab_values(self, patient_id: str) -> list[dict]:
        return [v for v in self._store.lab_values(patient_id) if v.document_id not in self._hidden]

    def facts(self, patient_id: str, *args, **kwargs) -> list:
        return [f for f in self._store.facts(patient_id, *args, **kwargs) if f.document_id not in self._hidden]

    def document_chunks(self, document_id: str) -> list[dict]:
        return [] if document_id in self._hidden else self._store.document_chunks(document_id)

    def document(self, document_id: str) -> dict:
        if document_id in self._hidden:
            raise UnknownDocument(document_id)
        return self._store.document(document_id)

    def __getattr__(self, name: str):
        return getattr(self._store, name)
