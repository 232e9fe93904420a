"""A document never takes the service down: crafted bad PDFs are refused with their reason, through the
worker process that reads documents under limits; its time and memory backstops kill it and it comes back;
scratch files (OCR page images) stay inside the store and do not outlive a crash.

The time and memory each bad file costs are measured by `make bench`, not here."""

from __future__ import annotations

import os

import pytest

from carnet.config import Settings
from carnet.errors import UnreadableDocument
from service.facade import Carnet
from eval.bad_pdfs import BAD_PDFS, content_bomb, write_bad_pdfs
from ingest.limits import DocumentLimits
from ingest.pipeline import discover
from ingest.scratch import clean_stale, scratch_root
from ingest.worker import DocumentJob, DocumentWorker
from tests.pdfs import write_pdf, write_scanned_pdf

pytestmark = [pytest.mark.integration, pytest.mark.slow]

# A lab report: no clinical facts to read, so no test here waits for the facts' NLP library to load.
GOOD = "COMPTE RENDU D'EXAMENS BIOLOGIQUES\nLaboratoire, le 12/03/2024.\nHémoglobine 13,5 g/dL (13,0-17,0)"


def test_crafted_bad_files_are_refused_with_their_reason_and_the_batch_goes_on(tmp_path):
    root = tmp_path / "in"
    write_bad_pdfs(root / "PAT-X")
    write_pdf(root / "PAT-X" / "good.pdf", [GOOD])
    os.symlink("/dev/zero", root / "PAT-X" / "zero.pdf")
    (root / "PAT-X" / "folder.pdf").mkdir()
    settings = Settings(home=tmp_path / "home", embedder="hashing", ocr=True, isolate_documents=True)
    c = Carnet(settings)
    try:
        report = c.ingestor.ingest(discover(root))
    finally:
        c.ingestor.close()
    reasons = dict(report.failed)
    assert report.added == ["PAT-X/good.pdf"]
    for name, (_, words) in BAD_PDFS.items():
        reason = reasons[f"PAT-X/{name}"]
        assert words in reason and "unexpected error" not in reason and "Traceback" not in reason, reason
    assert "truncated.pdf" in reasons["PAT-X/truncated.pdf"]  # the reason names the file
    assert "not a regular file" in reasons["PAT-X/zero.pdf"] and "not a regular file" in reasons["PAT-X/folder.pdf"]
    assert not list((settings.home / "tmp").glob("*"))  # the reader's scratch folder went with it


def _job(path, source):
    return DocumentJob(source, path.read_bytes(), None, "f" * 32, ocr=False)


def test_the_memory_backstop_kills_the_reader_and_a_new_one_reads_the_next_file(tmp_path):
    bomb = content_bomb(tmp_path / "bomb.pdf")
    good = write_pdf(tmp_path / "good.pdf", [GOOD])  # the facts' NLP library (0.4 GB) is not loaded for it
    worker = DocumentWorker(DocumentLimits(max_page_content_bytes=10**10, max_text_chars=10**10,
                                           memory_bytes=350_000_000))
    try:
        with pytest.raises(UnreadableDocument, match="350 MB of memory, over the limit"):
            worker.understand(_job(bomb, "bomb.pdf"), tmp_path / "home")
        assert worker.understand(_job(good, "good.pdf"), tmp_path / "home").chunks
    finally:
        worker.close()


def test_the_kernel_data_limit_stops_an_allocation_burst_the_sampling_would_miss(tmp_path, monkeypatch):
    """With the 50 ms sampling blinded, the reader's RLIMIT_DATA alone refuses the bomb, and the next reader works."""
    monkeypatch.setattr(DocumentWorker, "_rss", staticmethod(lambda pid: 0))
    bomb = content_bomb(tmp_path / "bomb.pdf", inflated_mb=600)
    good = write_pdf(tmp_path / "good.pdf", [GOOD])
    worker = DocumentWorker(DocumentLimits(max_page_content_bytes=10**10, max_text_chars=10**10,
                                           memory_bytes=300_000_000))
    try:
        with pytest.raises(UnreadableDocument, match="300 MB of memory, over the limit"):
            worker.understand(_job(bomb, "bomb.pdf"), tmp_path / "home")
        assert worker.understand(_job(good, "good.pdf"), tmp_path / "home").chunks
    finally:
        worker.close()


def test_the_time_backstop_kills_the_reader(tmp_path):
    bomb = content_bomb(tmp_path / "bomb.pdf")
    worker = DocumentWorker(DocumentLimits(max_page_content_bytes=10**10, max_text_chars=10**10, seconds=1,
                                           memory_bytes=8_000_000_000))
    try:
        with pytest.raises(UnreadableDocument, match="not read within 1 s"):
            worker.understand(_job(bomb, "bomb.pdf"), tmp_path / "home")
    finally:
        worker.close()
    assert not list((tmp_path / "home" / "tmp").glob("*"))


def test_stale_scratch_folders_of_dead_processes_are_removed(tmp_path):
    root = scratch_root(tmp_path)
    dead = root / "ocr-999999999-abc"  # no such pid
    alive = root / f"ocr-{os.getpid()}-abc"
    for d in (dead, alive):
        d.mkdir()
        (d / "page.png").write_bytes(b"patient page")
    assert clean_stale(tmp_path) == 1
    assert not dead.exists() and alive.exists()


def test_ocr_page_images_are_written_inside_the_store(tmp_path, monkeypatch):
    import tempfile

    import ingest.extract

    used = []
    real = tempfile.TemporaryDirectory

    def spy(*args, **kwargs):
        used.append(kwargs.get("dir"))
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest.extract.tempfile, "TemporaryDirectory", spy)
    write_scanned_pdf(tmp_path / "in" / "PAT-S" / "scan.pdf", GOOD)
    settings = Settings(home=tmp_path / "home", embedder="hashing", ocr=True, isolate_documents=False)
    report = Carnet(settings).ingestor.ingest(discover(tmp_path / "in"))
    assert report.ocr_pages == 1
    assert used and all(str(d).startswith(str(settings.home / "tmp")) for d in used)
    assert not list((settings.home / "tmp").glob("*"))
