"""How much one document may cost before it is refused: pages, text, image pixels, time, memory.

A PDF is a program: a 600 KB file can expand into 200 MB of page content, hold a 20000 x 20000 image,
or have thousands of pages. Each limit is checked before the expensive step it protects (the page
count on opening, a page's content stream before its text is extracted, an image's size before it is
decoded), so a file over a limit is refused in seconds with the limit named; time and memory are the
backstops, enforced by the worker process (ingest/worker.py) that can be killed.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from carnet.config import Settings
from carnet.errors import UnreadableDocument

if TYPE_CHECKING:
    import pymupdf


@dataclass(frozen=True)
class DocumentLimits:
    max_pages: int = 1000
    max_text_chars: int = 5_000_000  # extracted characters, all pages together (~1,500 dense pages)
    max_page_content_bytes: int = 20_000_000  # one page's drawing instructions, decompressed
    # Pixels of one embedded image (a 600 dpi A4 scan is 35 M); Pillow's "decompression bomb" limit is 89 M.
    max_image_pixels: int = 100_000_000
    max_render_pixels: int = 40_000_000  # one page rendered for OCR (A4 at 300 dpi is 8.7 M)
    seconds: float = 120.0  # wall time of one document in the worker process
    memory_bytes: int = 1_500_000_000  # resident memory of the worker process (with its OCR subprocesses)

    def __post_init__(self):
        for name in ("max_pages", "max_text_chars", "max_page_content_bytes", "max_image_pixels",
                     "max_render_pixels", "seconds", "memory_bytes"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be greater than 0. Currently, {name} is {getattr(self, name)}")

    @classmethod
    def of(cls, settings: Settings) -> DocumentLimits:
        """The limits CARNET_MAX_PAGES, CARNET_MAX_TEXT_CHARS, ... set (carnet/config.py)."""
        return cls(max_pages=settings.max_pages, max_text_chars=settings.max_text_chars,
                   max_page_content_bytes=settings.max_page_content_bytes,
                   max_image_pixels=settings.max_image_pixels, seconds=settings.document_seconds,
                   memory_bytes=settings.document_memory_bytes)


def check_page_count(doc: pymupdf.Document, name: str, limits: DocumentLimits) -> None:
    if doc.page_count > limits.max_pages:
        raise UnreadableDocument(f"{name}: {doc.page_count:,} pages, over the limit of {limits.max_pages:,} pages "
                                 "per document (CARNET_MAX_PAGES).")


def _inflated_size(doc: pymupdf.Document, xref: int, cap: int) -> int | None:
    """Decompressed size of a Flate stream, decompressing at most `cap + 1` bytes; None for other filters."""
    try:
        kind, value = doc.xref_get_key(xref, "Filter")
        if kind != "name" or value != "/FlateDecode":
            return None
        raw = doc.xref_stream_raw(xref)
    except Exception:
        return None
    if raw is None:
        return 0
    inflater = zlib.decompressobj()
    try:
        return len(inflater.decompress(raw, cap + 1))
    except zlib.error:
        return None  # let MuPDF judge a damaged stream


def check_page_content(doc: pymupdf.Document, page: pymupdf.Page, name: str, limits: DocumentLimits) -> None:
    """Refuse a page whose content streams expand past the limit, before MuPDF interprets them."""
    cap = limits.max_page_content_bytes
    total = 0
    for xref in page.get_contents():
        size = _inflated_size(doc, xref, cap)
        if size is None:
            try:
                size = doc.xref_get_key(xref, "Length")[1]
                size = int(size) if str(size).isdigit() else 0
            except Exception:
                size = 0
        total += size
        if total > cap:
            raise UnreadableDocument(f"{name}: page {page.number + 1}'s content expands past {cap:,} bytes "
                                     "(a compression bomb?), over the limit (CARNET_MAX_PAGE_CONTENT_BYTES).")


def check_page_images(page: pymupdf.Page, name: str, limits: DocumentLimits) -> None:
    """Refuse an embedded image too large to decode, from its declared width and height (nothing decoded)."""
    for info in page.get_images(full=True):
        width, height = int(info[2] or 0), int(info[3] or 0)
        if width * height > limits.max_image_pixels:
            raise UnreadableDocument(f"{name}: page {page.number + 1} holds a {width:,} x {height:,}-pixel image, "
                                     f"over the limit of {limits.max_image_pixels:,} pixels (CARNET_MAX_IMAGE_PIXELS).")


def check_text(total_chars: int, name: str, limits: DocumentLimits) -> None:
    if total_chars > limits.max_text_chars:
        raise UnreadableDocument(f"{name}: over {limits.max_text_chars:,} characters of text, over the limit "
                                 "(CARNET_MAX_TEXT_CHARS).")


def render_dpi(page: pymupdf.Page, dpi: int, limits: DocumentLimits) -> int:
    """`dpi`, lowered so that the rendered page stays within max_render_pixels (a poster-sized page)."""
    inches = abs(page.rect) / (72 * 72)
    if inches <= 0:
        return dpi
    fit = int((limits.max_render_pixels / inches) ** 0.5)
    return max(1, min(dpi, fit))
