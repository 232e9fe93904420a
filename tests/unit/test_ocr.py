"""OCR without the real Tesseract: confidences read from its tsv output, the document's confidence, the
resolution a scan is rendered at, and what happens when the tesseract command is missing or fails (a
stand-in `tesseract` script on PATH). The real Tesseract is exercised in tests/integration/test_extract_pdf.py."""

from __future__ import annotations

import logging
import os
import stat
import tempfile

import pymupdf
import pytest

from carnet.errors import UnreadableDocument
from carnet.models import ExtractedDocument, Page
from ingest.extract import OCR_DPI, OCR_MIN_DPI, _ocr_dpi, extract_pdf, layout_text, word_confidences
from tests.pdfs import scan_pixmap, write_scanned_pdf

pytestmark = pytest.mark.unit

SECRET = "Gonarthrose confidentielle"

TSV_ROWS = [
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
    "1\t1\t0\t0\t0\t0\t0\t0\t1654\t2339\t-1\t",
    "2\t1\t1\t0\t0\t0\t138\t138\t900\t40\t-1\t",
    "4\t1\t1\t1\t1\t0\t138\t138\t900\t40\t-1\t",
    "5\t1\t1\t1\t1\t1\t138\t138\t200\t40\t96.5\tCOMPTE",
    "5\t1\t1\t1\t1\t2\t350\t138\t200\t40\t80\tRENDU",
    "5\t1\t1\t1\t1\t3\t560\t138\t10\t40\t-1\tx",  # a word without confidence
    "5\t1\t1\t1\t1\t4\t580\t138\t10\t40\t95\t ",  # a blank word
    "5\t1\t1\t1\t1\t5\t600\t138\t200\t40\t33.5\tR4DI0",
    "",
]
TSV = "\n".join(TSV_ROWS)


def test_word_confidences_keep_scored_words_only():
    assert word_confidences(TSV) == [96.5, 80.0, 33.5]
    assert word_confidences(TSV.splitlines()[0]) == []
    assert word_confidences("") == []


def _word(left, top, text, width=None, height=40, conf=90):
    return f"5\t1\t1\t1\t1\t1\t{left}\t{top}\t{width or 36 * len(text)}\t{height}\t{conf}\t{text}"


def test_layout_text_puts_a_table_row_on_one_line():
    # Tesseract's blocks read the label column, then the value column; the layout keeps each row whole
    rows = [TSV_ROWS[0],
            _word(100, 100, "Ferritine"), _word(100, 150, "Sodium"),  # label column (one block)
            _word(900, 104, "83"), _word(1000, 104, "µg/L"), _word(900, 148, "140"), _word(1030, 148, "mmol/L"),
            _word(100, 400, "Conclusion"), _word(470, 400, ":"), _word(530, 400, "normal")]
    text = layout_text("\n".join(rows))
    lines = text.splitlines()
    assert lines[0].split() == ["Ferritine", "83", "µg/L"] and "   " in lines[0]  # a column gap
    assert lines[1].split() == ["Sodium", "140", "mmol/L"]
    assert lines[2] == "" and lines[3] == "Conclusion : normal"  # a paragraph's gap; one phrase, single spaces
    assert layout_text(TSV) == "COMPTE RENDU R4DI0" and layout_text("") == ""


def test_document_ocr_confidence_is_weighted_by_words():
    pages = (Page(1, "text layer"), Page(2, "long page", ocr=True, ocr_confidence=0.9, ocr_words=300),
             Page(3, "page 2/2", ocr=True, ocr_confidence=0.3, ocr_words=3), Page(4, "", ocr=True))
    doc = ExtractedDocument(path="d.pdf", sha256="0" * 64, pages=pages)
    assert doc.ocr_confidence == pytest.approx((0.9 * 300 + 0.3 * 3) / 303)
    assert ExtractedDocument(path="t.pdf", sha256="0" * 64, pages=(Page(1, "text"),)).ocr_confidence is None


@pytest.mark.parametrize("scan_dpi, expected", [(150, 150), (200, 200), (75, OCR_MIN_DPI), (600, OCR_DPI)])
def test_a_scan_is_rendered_at_its_own_resolution(scan_dpi, expected):
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_image(page.rect, pixmap=scan_pixmap("Compte rendu", dpi=scan_dpi))
    assert abs(_ocr_dpi(page) - expected) <= 1


def test_a_page_with_a_small_image_is_rendered_at_the_default_resolution():
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_image(pymupdf.Rect(50, 50, 150, 100), pixmap=scan_pixmap("Logo", dpi=72))
    assert _ocr_dpi(page) == OCR_DPI


@pytest.fixture
def fake_tesseract(tmp_path, monkeypatch):
    """A `tesseract` on PATH that records its arguments and answers with `behaviour` (set by the test)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (tmp_path / "tessdata").mkdir()
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path / "tessdata"))
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    temp_root = tmp_path / "temp"
    temp_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp_root))
    script = bin_dir / "tesseract"

    def install(body: str):
        script.write_text(f"#!/bin/sh\necho \"$@\" > {tmp_path}/args\n{body}\n")
        script.chmod(script.stat().st_mode | stat.S_IEXEC)

    install.args = lambda: (tmp_path / "args").read_text().split()
    install.temp_root = temp_root
    return install


def test_ocr_reads_text_and_confidence_from_one_tesseract_run(tmp_path, fake_tesseract):
    tsv = tmp_path / "answer.tsv"
    tsv.write_text(TSV)
    fake_tesseract(f'cp {tsv} "$2.tsv"')
    path = write_scanned_pdf(tmp_path / "scan.pdf", "COMPTE RENDU", dpi=150, text_pages=("Page une",))
    doc = extract_pdf(path, ocr_languages="fra+eng")
    text_page, scanned = doc.pages
    assert (text_page.ocr, text_page.ocr_confidence, text_page.ocr_words) == (False, None, 0)
    assert scanned.ocr and scanned.text == "COMPTE RENDU R4DI0"
    assert scanned.ocr_confidence == pytest.approx((96.5 + 80 + 33.5) / 300) and scanned.ocr_words == 3
    assert doc.ocr_confidence == pytest.approx(scanned.ocr_confidence)
    args = fake_tesseract.args()
    assert args[-1] == "tsv" and "txt" not in args and args[args.index("-l") + 1] == "fra+eng"
    assert args[args.index("--dpi") + 1] == "150"
    assert list(fake_tesseract.temp_root.iterdir()) == []  # the rendered page and outputs are gone


@pytest.mark.parametrize("body, reason", [
    ("echo \"Failed loading language 'xyz'\" >&2\nexit 1", "tesseract exit code 1: Failed loading language 'xyz'"),
    ("exit 0", "FileNotFoundError"),  # no output files
])
def test_failing_tesseract_leaves_the_page_without_text(tmp_path, fake_tesseract, caplog, body, reason):
    fake_tesseract(body)
    path = write_scanned_pdf(tmp_path / "scan.pdf", SECRET, text_pages=("Compte rendu page une",))
    with caplog.at_level(logging.WARNING, logger="ingest.extract"):
        doc = extract_pdf(path)
    assert (doc.pages[1].text, doc.pages[1].ocr_confidence, doc.ocr_confidence) == ("", None, None)
    assert f"scan.pdf: OCR failed on page 2 ({reason})" in caplog.text
    assert "Compte rendu" not in caplog.text and "Gonarthrose" not in caplog.text
    assert list(fake_tesseract.temp_root.iterdir()) == []

    path = write_scanned_pdf(tmp_path / "only-scan.pdf", SECRET)
    with pytest.raises(UnreadableDocument, match="only-scan.pdf: scanned PDF with no recognisable text"):
        extract_pdf(path)


def test_missing_tesseract_leaves_the_page_without_text(tmp_path, monkeypatch, caplog):
    (tmp_path / "tessdata").mkdir()
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path / "tessdata"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    path = write_scanned_pdf(tmp_path / "scan.pdf", SECRET)
    with caplog.at_level(logging.WARNING, logger="ingest.extract"), \
            pytest.raises(UnreadableDocument, match="scan.pdf: scanned PDF with no recognisable text"):
        extract_pdf(path)
    assert "scan.pdf: page 1 needs OCR but the tesseract command was not found" in caplog.text
    assert "Gonarthrose" not in caplog.text
