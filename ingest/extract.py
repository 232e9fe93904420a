"""PDF -> ExtractedDocument: per-page text in reading order, OCR for scanned pages.

Pages with a text layer are read with PyMuPDF (`get_text("text", sort=True)`); pages without text but
with images are rendered by PyMuPDF and read by the `tesseract` command (one pass, `tsv` output: each
word's box and confidence, laid out in rows like a digital page), marked `ocr=True` with their mean word confidence. Every
failure raises `UnreadableDocument` naming the file and the reason. Document text is never logged.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

import pymupdf

from carnet.errors import UnreadableDocument
from carnet.models import ExtractedDocument, Page
from ingest.limits import (
    DocumentLimits,
    check_page_content,
    check_page_count,
    check_page_images,
    check_text,
    render_dpi,
)

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 50_000_000
# A scan is OCRed at its own resolution, kept within these bounds; other pages at OCR_DPI. On the sample
# scans (150 dpi images) rendering at 300 dpi halved Tesseract's speed and lowered its word confidence
# (0.64-0.90 against 0.80-0.95) and the lab values read (72 against 87 of 117); a scan below 150 dpi
# reads better upsampled to 150.
OCR_DPI = 300
OCR_MIN_DPI = 150
OCR_TIMEOUT_SECONDS = 120  # per page; a page that takes longer is left without text
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
    limits: DocumentLimits | None = None,
    scratch: Path | None = None,
) -> ExtractedDocument:
    """Read PDF bytes (e.g. the PDF embedded in a CDA document). `name` is used in error messages.

    A file over one of `limits` (pages, a page's content, an image's pixels, text) is refused with the
    limit named; OCR page images are written under `scratch` (the store's scratch folder when ingesting)."""
    limits = limits or DocumentLimits()
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
        check_page_count(doc, name, limits)
        pages: list[Page] = []
        scanned_without_text = 0
        chars = 0
        for index in range(doc.page_count):
            try:
                page = doc.load_page(index)
                check_page_content(doc, page, name, limits)
                check_page_images(page, name, limits)
                text = _clean(page.get_text("text", sort=True))
            except UnreadableDocument:
                raise
            except MemoryError:
                raise
            except Exception as e:
                raise UnreadableDocument(f"{name}: corrupt PDF (page {index + 1} unreadable: {type(e).__name__}).") from e
            chars += len(text)
            check_text(chars, name, limits)
            if _needs_ocr(page, text):
                if ocr:
                    ocr_text, confidence, words = _ocr_page(page, ocr_languages, name, limits, scratch)
                    chars += len(ocr_text)
                    check_text(chars, name, limits)
                    if ocr_text.strip():
                        pages.append(Page(number=index + 1, text=ocr_text, ocr=True, ocr_confidence=confidence,
                                          ocr_words=words))
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


def _ocr_dpi(page: pymupdf.Page) -> int:
    """The resolution to render a page at for OCR: that of its largest image when the image covers at least
    half the page (a scan), within OCR_MIN_DPI..OCR_DPI; OCR_DPI otherwise. Resampling a scan only blurs it."""
    page_area = abs(page.rect)
    best_area, resolution = 0.0, None
    for info in page.get_image_info():
        box = pymupdf.Rect(info["bbox"])
        shown = abs(box & page.rect)
        if shown > best_area and abs(box) > 0 and info.get("width") and info.get("height"):
            # pixels per inch from areas, so that a rotated image gives the same figure
            best_area, resolution = shown, 72 * (info["width"] * info["height"] / abs(box)) ** 0.5
    if resolution is None or page_area <= 0 or best_area < 0.5 * page_area:
        return OCR_DPI
    return max(OCR_MIN_DPI, min(OCR_DPI, round(resolution)))


def _tsv_words(tsv: str) -> list[tuple[int, int, int, int, float, str]]:
    """(left, top, width, height, confidence, text) of each recognised word in Tesseract's `tsv` output.
    Rows of level 5 are words; other levels (page, block, paragraph, line) are left out, and so is a
    word without text."""
    out = []
    for line in tsv.splitlines()[1:]:
        cells = line.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        try:
            left, top, width, height = (int(x) for x in cells[6:10])
            conf = float(cells[10])
        except ValueError:
            continue
        out.append((left, top, width, height, conf, cells[11].strip()))
    return out


def word_confidences(tsv: str) -> list[float]:
    """Tesseract's confidence (0-100) of each recognised word; a word it gives none (-1) is left out."""
    return [w[4] for w in _tsv_words(tsv) if w[4] >= 0]


def layout_text(tsv: str) -> str:
    """The page's words laid out as PyMuPDF lays out a digital page: one line per row of the page, words
    of one phrase one space apart, cells of other columns at their place after a gap of three spaces or
    more. Tesseract's own text follows its blocks, and reads a lab table's label column apart from its
    value column ("Ferritine" / ... / "83 µg/L"), which no longer says which value is which analyte."""
    words = [w for w in _tsv_words(tsv) if w[4] >= 0]  # as Tesseract's own text: no unscored "words"
    if not words:
        return ""
    height = statistics.median(w[3] for w in words)
    char = statistics.median(w[2] / len(w[5]) for w in words)  # pixels per character
    rows: list[tuple[float, list]] = []
    for w in sorted(words, key=lambda w: (w[1] + w[3] / 2, w[0])):
        middle = w[1] + w[3] / 2
        if rows and abs(middle - rows[-1][0]) <= 0.6 * height:
            y, row = rows[-1]
            row.append(w)
            rows[-1] = ((y * (len(row) - 1) + middle) / len(row), row)
        else:
            rows.append((middle, [w]))
    lines, previous = [], None
    for y, row in rows:
        if previous is not None and y - previous > 1.8 * height:
            lines.append("")  # a paragraph's gap
        line, end = "", None
        for left, _, width, _, _, text in sorted(row):
            column = round(left / char)
            if end is not None and left - end < 2.5 * char:
                line += " "  # the next word of the same phrase
            else:
                line += " " * (max(3, column - len(line)) if line else column)
            line += text
            end = left + width
        lines.append(line)
        previous = y
    margin = min(len(ln) - len(ln.lstrip()) for ln in lines if ln)
    return "\n".join(ln[margin:] for ln in lines)


def _ocr_page(page: pymupdf.Page, languages: str, name: str, limits: DocumentLimits | None = None,
              scratch: Path | None = None) -> tuple[str, float | None, int]:
    """OCR one page: PyMuPDF renders it (grey, at `_ocr_dpi`), one `tesseract` run writes the text and
    the words' confidences. Returns (text, mean word confidence 0..1 or None, number of words). Any
    failure leaves the page without text and logs a warning that names the page, never its text."""
    where = f"{name}: page {page.number + 1}"  # file and page only: never the text
    tessdata = tessdata_dir()
    if tessdata is None:
        log.warning("%s needs OCR but no Tesseract language data was found", where)
        return "", None, 0
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        log.warning("%s needs OCR but the tesseract command was not found", where)
        return "", None, 0
    dpi = render_dpi(page, _ocr_dpi(page), limits or DocumentLimits())
    # One OpenMP thread: on this 2-core machine Tesseract's default threading took 2.6 s of CPU (and as
    # much wall time) a page against 1.2 s with one thread, for the same text.
    env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
    try:
        pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
        # The page image shows patient data: it lives in the store's scratch folder when there is one.
        with tempfile.TemporaryDirectory(prefix=f"ocr-{os.getpid()}-", dir=scratch) as tmp:
            image, base = Path(tmp) / "page.png", Path(tmp) / "page"
            pix.save(image)
            subprocess.run(
                [tesseract, str(image), str(base), "-l", languages, "--tessdata-dir", tessdata, "--dpi", str(dpi),
                 "tsv"],
                check=True, capture_output=True, timeout=OCR_TIMEOUT_SECONDS, env=env,
            )
            tsv = base.with_suffix(".tsv").read_text(encoding="utf-8", errors="replace")
    except subprocess.CalledProcessError as e:
        # Tesseract writes the text to files, never to stderr: its last stderr line is a diagnostic
        # ("Failed loading language 'xyz'"), kept short.
        reason = (e.stderr or b"").decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        log.warning("%s: OCR failed on page %d (tesseract exit code %s%s)", name, page.number + 1, e.returncode,
                    f": {reason[0][:160]}" if reason[0] else "")
        return "", None, 0
    except subprocess.TimeoutExpired:
        log.warning("%s: OCR failed on page %d (no result after %d s)", name, page.number + 1, OCR_TIMEOUT_SECONDS)
        return "", None, 0
    except Exception as e:  # rendering, temporary files, starting the command
        log.warning("%s: OCR failed on page %d (%s)", name, page.number + 1, type(e).__name__)
        return "", None, 0
    confidences = word_confidences(tsv)
    confidence = sum(confidences) / len(confidences) / 100 if confidences else None
    return _clean(layout_text(tsv)), confidence, len(confidences)
