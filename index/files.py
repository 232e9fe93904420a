"""The files a store keeps beside its rows, whatever holds the rows: the stored PDF of each document
(`home/pdfs/<id>.pdf`) and, when that PDF is a rendering, the source it was made from
(`home/originals/<id>.<suffix>`). Both are written to a temporary name and renamed, so a crash never leaves
half a file under the final name. A mixin of the SQLite and PostgreSQL stores, which give `home` and
`pdf_path`."""

from __future__ import annotations

import os
import threading
from pathlib import Path


class StoredFiles:
    home: Path

    def pdf_path(self, document_id: str) -> Path:  # each store's own: it makes sure the folder exists
        raise NotImplementedError

    def _write_pdf(self, document_id: str, pdf_bytes: bytes) -> bool:
        """Write the stored copy of a document's PDF; False if it was there already (or there is none)."""
        target = self.pdf_path(document_id)
        if target.exists() or not pdf_bytes:
            return False
        tmp = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(pdf_bytes)
        tmp.replace(target)
        return True

    def write_original(self, document_id: str, data: bytes, suffix: str) -> None:
        """Keep the source file when the stored PDF is a rendering of it (a level-3 CDA's XML)."""
        target = self.home / "originals" / f"{document_id}{suffix}"
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)

    def original_path(self, document_id: str) -> Path | None:
        """The source file kept by `write_original`, if any."""
        found = sorted((self.home / "originals").glob(f"{document_id}.*"))
        return found[0] if found else None
