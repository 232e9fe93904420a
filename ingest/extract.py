"""PDF -> ExtractedDocument: per-page text in reading order, OCR for scanned pages.

Pages with a text layer are read with PyMuPDF (`get_text("text", sort=True)`); pages without text but
with images are OCRed through PyMuPDF's Tesseract integration and marked `ocr=True`. Every failure
raises `UnreadableDocument` naming the file and the reason. Document text is never logged.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path

import pymupdf

from carnet.errors import UnreadableDocument
from carnet.models import ExtractedDocument, Page

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 50_000_000
OCR_DPI = 300
_DEBIAN_TESSDATA = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata")
# A page whose text layer is mostly U+FFFD (fonts without a ToUnicode map) is treated as scanned.
_GARBLED_RATIO = 0.3


def extract_pdf(
    path: Path | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    ocr: bool = True,
    ocr_languages: str = "fra+eng",
) -> ExtractedDocument:
    """Read a PDF file into pages of text. Raises UnreadableDocument (message names the file)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as e:
        raise UnreadableDocument(f"{path.name}: cannot read the file ({e.strerror or e}).") from e
    if size > max_bytes:
        raise UnreadableDocument(f"{path.name}: file too large ({size:,} bytes > limit {max_bytes:,}).")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise UnreadableDocument(f"{path.name}: cannot read the file ({e.strerror or e}).") from e
    return extract_pdf_bytes(data, path.name, path=str(path), max_bytes=max_bytes, ocr=ocr, ocr_languages=ocr_languages)


def extract_pdf_bytes(
    data: bytes,
    name: str,
    *,
    path: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    ocr: bool = True,
    ocr_languages: str = "fra+eng",
) -> ExtractedDocument:
    """Read PDF bytes (e.g. the PDF embedded in a CDA document). `name` is used in error messages."""
    if len(data) > max_bytes:
        raise UnreadableDocument(f"{name}: file too large ({len(data):,} bytes > limit {max_bytes:,}).")
    if not data.strip():
        raise UnreadableDocument(f"{name}: empty file.")
    if b"%PDF-" not in data[:1024]:
        raise UnreadableDocument(f"{name}: not a PDF (no %PDF header).")
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as e:  # PyMuPDF raises several types for broken files
        raise UnreadableDocument(f"{name}: corrupt PDF ({type(e).__name__}).") from e
    with doc:
        if doc.needs_pass:
            raise UnreadableDocument(f"{name}: encrypted PDF (password required).")
        if doc.page_count == 0:
            raise UnreadableDocument(f"{name}: PDF has zero pages.")
        pages: list[Page] = []
        scanned_without_text = 0
        for index in range(doc.page_count):
            try:
                page = doc.load_page(index)
                text = _clean(page.get_text("text", sort=True))
            except Exception as e:
                raise UnreadableDocument(f"{name}: corrupt PDF (page {index + 1} unreadable: {type(e).__name__}).") from e
            if _needs_ocr(page, text):
                if ocr:
                    ocr_text, confidence = _ocr_page(page, ocr_languages, name)
                    if ocr_text.strip():
                        pages.append(Page(number=index + 1, text=ocr_text, ocr=True, ocr_confidence=confidence))
                        continue
                scanned_without_text += 1
                pages.append(Page(number=index + 1, text="", ocr=ocr))
                continue
            pages.append(Page(number=index + 1, text=text))
    if not any(p.text.strip() for p in pages):
        if scanned_without_text:
            why = "scanned PDF with no recognisable text" if ocr else "scanned PDF and OCR is disabled"
        else:
            why = "empty PDF (no text on any page)"
        raise UnreadableDocument(f"{name}: {why}.")
    return ExtractedDocument(
        path=path or name,
        sha256=hashlib.sha256(data).hexdigest(),
        pages=tuple(pages),
        pdf_bytes=data,
    )


# Typographic ligatures some fonts emit ("Certiﬁcat"): spelt out so words match. Not a full NFKC, which
# would also turn "µ" (micro) into "μ" (mu) and "²" into "2" in units.
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st"})
# U+00AD is a soft hyphen at a line end (a word cut in two: joined back), but many PDF fonts also print
# the hyphen of a range ("35,0 - 46,0") or a name ("Gamma-GT") with it: read it as "-" elsewhere.
_SOFT_HYPHEN_AT_EOL = re.compile("\u00ad[ \t]*\n")


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = _SOFT_HYPHEN_AT_EOL.sub("", text).replace("\u00ad", "-")
    return text.translate(_LIGATURES)


def _needs_ocr(page: pymupdf.Page, text: str) -> bool:
    stripped = text.strip()
    if stripped and stripped.count("\ufffd") / len(stripped) < _GARBLED_RATIO:
        return False
    return bool(page.get_images(full=False))


def tessdata_dir() -> str | None:
    """Where Tesseract's language files live (TESSDATA_PREFIX, PyMuPDF's lookup, then Debian's paths)."""
    env = os.environ.get("TESSDATA_PREFIX")
    if env and Path(env).is_dir():
        return env
    try:
        found = pymupdf.get_tessdata()
        if found and Path(found).is_dir():
            return str(found)
    except Exception:
        pass
    for candidate in _DEBIAN_TESSDATA:
        if Path(candidate).is_dir():
            return candidate
    return None


def _ocr_page(page: pymupdf.Page, languages: str, name: str) -> tuple[str, float | None]:
    """OCR one page with Tesseract through PyMuPDF. Returns (text, None): PyMuPDF does not expose
    Tesseract's word confidences, so no confidence is reported rather than an invented one."""
    tessdata = tessdata_dir()
    if tessdata is None:
        log.warning("%s: page %d needs OCR but no Tesseract language data was found", name, page.number + 1)
        return "", None
    try:
        textpage = page.get_textpage_ocr(language=languages, dpi=OCR_DPI, full=True, tessdata=tessdata)
        text = page.get_text("text", textpage=textpage, sort=True)
    except Exception as e:  # Tesseract missing or failing: the page stays without text
        log.warning("%s: OCR failed on page %d (%s)", name, page.number + 1, type(e).__name__)
        return "", None
    return _clean(text), None
