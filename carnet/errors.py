"""Carnet's exceptions. Domain code raises these; only the API maps them to HTTP and the CLI to exit codes."""

from __future__ import annotations


class CarnetError(Exception):
    """Base of every error Carnet raises on purpose."""


class NotFound(CarnetError):
    """A patient or document that the store does not hold."""


class UnknownPatient(NotFound):
    def __init__(self, patient_id: str):
        super().__init__(f"Unknown patient {patient_id!r}: no document has been ingested for this patient.")
        self.patient_id = patient_id


class UnknownDocument(NotFound):
    def __init__(self, document_id: str):
        super().__init__(f"Unknown document {document_id!r}.")
        self.document_id = document_id


class InvalidInput(CarnetError):
    """A request or argument that cannot be used as given (the message names the bad value)."""


class UnreadableDocument(CarnetError):
    """A file that cannot be turned into text: corrupt, encrypted, empty, not a PDF, too large."""


class MissingExtra(CarnetError):
    """An optional part of Carnet asked for without the extra that installs it (the message names the extra)."""


class IndexMismatch(CarnetError):
    """A store built with another embedding model than the one asked for."""


class Unauthenticated(CarnetError):
    """A request without a valid bearer token (missing, malformed, expired, wrong issuer or audience)."""


class Forbidden(CarnetError):
    """An authenticated caller asking for what their role or care-team grants do not open."""


class StoreUnavailable(CarnetError):
    """The configured store cannot be opened: an unknown database URL, or a backend that is not installed."""
