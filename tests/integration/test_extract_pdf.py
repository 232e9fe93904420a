"""PDF extraction on real PDFs written in a tmp dir: text layer, pages, OCR of a scanned page, and every
way a file can be unreadable."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from carnet.errors import UnreadableDocument
from ingest.extract import extract_pdf, extract_pdf_bytes
from tests.pdfs import write_scanned_pdf

pytestmark = pytest.mark.integration


def _text_pdf(path: Path, pages: list[str]) -> Path:
    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page(width=595, height=842)
        y = 60
        for line in text.splitlines():
            page.insert_text((50, y), line, fontname="helv", fontsize=12)
            y += 16
    doc.save(path)
    doc.close()
    return path


def test_text_pdf(tmp_path):
    path = _text_pdf(tmp_path / "cr.pdf", ["COMPTE RENDU DE CONSULTATION\nCher confrère, j'ai vu Mme Dupont."])
    doc = extract_pdf(path)
    assert len(doc.pages) == 1 and doc.pages[0].number == 1 and not doc.pages[0].ocr
    assert "COMPTE RENDU DE CONSULTATION" in doc.text and "confrère" in doc.text
    assert len(doc.sha256) == 64 and doc.pdf_bytes == path.read_bytes()


def test_multi_page_pdf_keeps_page_order(tmp_path):
    path = _text_pdf(tmp_path / "multi.pdf", ["Page un", "Page deux", "Page trois"])
    doc = extract_pdf(path)
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert [p.text.strip() for p in doc.pages] == ["Page un", "Page deux", "Page trois"]
    assert doc.text[doc.page_starts[1]:].startswith("Page deux")


def test_encrypted_pdf(tmp_path):
    src = pymupdf.open(_text_pdf(tmp_path / "plain.pdf", ["secret"]))
    path = tmp_path / "locked.pdf"
    src.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="pw", owner_pw="owner")
    with pytest.raises(UnreadableDocument, match=r"locked\.pdf: encrypted"):
        extract_pdf(path)


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.7\n" + b"\x00garbage" * 50, "corrupt PDF|zero pages|empty PDF"),
    (b"hello, not a pdf", "not a PDF"),
    (b"", "empty file"),
])
def test_broken_files(data, message):
    with pytest.raises(UnreadableDocument, match=f"broken.pdf: ({message})"):
        extract_pdf_bytes(data, "broken.pdf")


def test_zero_page_pdf():
    data = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF")
    with pytest.raises(UnreadableDocument, match="zero.pdf: (PDF has zero pages|corrupt PDF)"):
        extract_pdf_bytes(data, "zero.pdf")


def test_pdf_without_text(tmp_path):
    doc = pymupdf.open()
    doc.new_page()
    path = tmp_path / "blank.pdf"
    doc.save(path)
    with pytest.raises(UnreadableDocument, match="blank.pdf: empty PDF"):
        extract_pdf(path)


def test_too_large(tmp_path):
    path = _text_pdf(tmp_path / "big.pdf", ["x"])
    with pytest.raises(UnreadableDocument, match="big.pdf: file too large"):
        extract_pdf(path, max_bytes=100)


def _scanned_pdf(tmp_path: Path, lines: list[str]) -> Path:
    """A text page rendered to an image and put alone on a page: no text layer, like a scan."""
    source = pymupdf.open(_text_pdf(tmp_path / "source.pdf", ["\n".join(lines)]))
    pix = source[0].get_pixmap(dpi=200)
    scan = pymupdf.open()
    page = scan.new_page(width=595, height=842)
    page.insert_image(page.rect, pixmap=pix)
    path = tmp_path / "scan.pdf"
    scan.save(path)
    return path


def test_scanned_page_is_ocred(tmp_path):
    path = _scanned_pdf(tmp_path, ["COMPTE RENDU DE RADIOLOGIE", "Examen realise le 12/03/2024", "Conclusion : normal"])
    doc = extract_pdf(path)
    page = doc.pages[0]
    assert page.ocr is True
    folded = page.text.upper()
    assert "RADIOLOGIE" in folded and "CONCLUSION" in folded and "12/03/2024" in page.text


def test_scanned_page_without_ocr(tmp_path):
    path = _scanned_pdf(tmp_path, ["COMPTE RENDU"])
    with pytest.raises(UnreadableDocument, match="scan.pdf: scanned PDF"):
        extract_pdf(path, ocr=False)


def test_scanned_blank_page(tmp_path):
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 400, 400), False)
    pix.set_rect(pix.irect, (255, 255, 255))
    scan = pymupdf.open()
    page = scan.new_page()
    page.insert_image(page.rect, pixmap=pix)
    path = tmp_path / "white.pdf"
    scan.save(path)
    with pytest.raises(UnreadableDocument, match="white.pdf: scanned PDF with no recognisable text"):
        extract_pdf(path)


KNEE_XRAY = """COMPTE RENDU DE RADIOLOGIE
Radiographie du genou droit du 04/06/2025
Indication : douleur mécanique du genou droit.
Pincement de l'interligne fémoro-tibial interne, ostéophytes marginaux.
Pas de lésion osseuse traumatique.
Conclusion : gonarthrose fémoro-tibiale interne."""


def test_scanned_page_has_tesseract_word_confidence(tmp_path):
    doc = extract_pdf(write_scanned_pdf(tmp_path / "scan.pdf", KNEE_XRAY))
    page = doc.pages[0]
    assert page.ocr and "gonarthrose" in page.text.lower()
    assert 0.5 <= page.ocr_confidence <= 1 and page.ocr_words >= 25
    assert doc.ocr_confidence == pytest.approx(page.ocr_confidence)


@pytest.mark.parametrize("degradation", [{"dpi": 45}, {"speckle": 0.05}], ids=["low-resolution", "speckled"])
def test_degraded_scan_has_a_lower_confidence(tmp_path, degradation):
    clean = extract_pdf(write_scanned_pdf(tmp_path / "clean.pdf", KNEE_XRAY)).pages[0]
    degraded = extract_pdf(write_scanned_pdf(tmp_path / "degraded.pdf", KNEE_XRAY, **degradation)).pages[0]
    assert degraded.ocr and degraded.ocr_words > 0  # still read, less surely
    assert degraded.ocr_confidence < clean.ocr_confidence - 0.1


def test_text_layer_pages_keep_no_confidence(tmp_path):
    path = write_scanned_pdf(tmp_path / "mixed.pdf", KNEE_XRAY, text_pages=("COMPTE RENDU DE CONSULTATION",))
    doc = extract_pdf(path)
    typed, scanned = doc.pages
    assert (typed.ocr, typed.ocr_confidence, typed.ocr_words) == (False, None, 0)
    assert scanned.ocr and 0.5 <= scanned.ocr_confidence <= 1
    assert doc.ocr_confidence == pytest.approx(scanned.ocr_confidence)
