"""Hostile PDFs written on the spot, for the limit tests and `make bench`: each is small on disk and
expensive to read, the way a crafted or broken file is. Nothing here is a real document.

- `content_bomb`: one page whose content stream inflates to ~200 MB of text-drawing instructions
  (a ~600 KB file: zlib compresses repetition ~1000:1);
- `many_pages`: 2,000 pages of one line each;
- `huge_image`: a page holding a 20000 x 20000-pixel grey image (400 M pixels, a few hundred KB compressed);
- `encrypted`: a password-protected report;
- `truncated`: a report cut in the middle of its content stream, its cross-reference table gone.
The streams are compressed as they are generated, so writing a bomb never holds it in memory.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Callable, Iterable

import pymupdf

MB = 1 << 20


def _deflate(chunks: Iterable[bytes]) -> bytes:
    z = zlib.compressobj(9)
    out = [z.compress(c) for c in chunks]
    out.append(z.flush())
    return b"".join(out)


def _deflate_repeated(block: bytes, times: int) -> bytes:
    """zlib data of `block` repeated `times` times, compressed once: after a full flush the compressor's
    state is reset, so each further copy compresses to the same bytes (then an empty final block and the
    checksum of the whole)."""
    z = zlib.compressobj(9)
    first = z.compress(block) + z.flush(zlib.Z_FULL_FLUSH)  # the 2-byte zlib header, then the block
    checksum = 1
    for _ in range(times):
        checksum = zlib.adler32(block, checksum)
    return first + first[2:] * (times - 1) + b"\x03\x00" + checksum.to_bytes(4, "big")


def _write_raw_pdf(path: Path, objects: list[bytes]) -> Path:
    """A PDF from numbered object bodies (object 1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(out))
    return path


def _stream(dictionary: str, data: bytes) -> bytes:
    return f"<< {dictionary} /Length {len(data)} /Filter /FlateDecode >>\nstream\n".encode() + data + b"\nendstream"


def content_bomb(path: Path, inflated_mb: int = 200) -> Path:
    line = b"BT /F1 9 Tf 40 800 Td (Compte rendu de consultation, examen clinique sans particularite.) Tj ET\n"
    content = _deflate_repeated(line * (MB // len(line)), inflated_mb)
    return _write_raw_pdf(path, [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream("", content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


def huge_image(path: Path, side: int = 20000) -> Path:
    rows = 50  # rows per compressed block
    pixels = _deflate_repeated(b"\xff" * side * rows, side // rows)
    draw = _deflate([b"q 595 0 0 842 0 0 cm /Im1 Do Q\n"])
    return _write_raw_pdf(path, [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
        _stream("", draw),
        _stream(f"/Type /XObject /Subtype /Image /Width {side} /Height {side} /ColorSpace /DeviceGray "
                "/BitsPerComponent 8", pixels),
    ])


def _report(doc: pymupdf.Document, text: str) -> None:
    page = doc.new_page(width=595, height=842)
    page.insert_textbox(pymupdf.Rect(50, 50, 545, 800), text, fontsize=10, fontname="helv")


def many_pages(path: Path, pages: int = 2000) -> Path:
    doc = pymupdf.open()
    for i in range(pages):
        _report(doc, f"Feuille de surveillance, page {i + 1}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path, garbage=0, deflate=True)
    doc.close()
    return path


def encrypted(path: Path) -> Path:
    doc = pymupdf.open()
    _report(doc, "COMPTE RENDU DE CONSULTATION\nLe 02/03/2024.\nConclusion : examen normal.")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="secret2")
    doc.close()
    return path


def truncated(path: Path) -> Path:
    """A report whose file stops inside its first page's content stream: no text survives repair."""
    doc = pymupdf.open()
    _report(doc, "COMPTE RENDU DE CONSULTATION\nLe 02/03/2024.\n" + "Examen clinique sans particularité. " * 40)
    data = doc.tobytes(deflate=True, garbage=0)
    doc.close()
    start = data.index(b"stream", data.index(b"/Filter")) + 7
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data[:start + 40])
    return path


# name -> (writer, words the refusal's reason must contain)
BAD_PDFS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "content-bomb.pdf": (content_bomb, "content expands past"),
    "2000-pages.pdf": (many_pages, "2,000 pages, over the limit"),
    "huge-image.pdf": (huge_image, "20,000 x 20,000-pixel image"),
    "encrypted.pdf": (encrypted, "encrypted PDF"),
    "truncated.pdf": (truncated, ""),  # MuPDF's repair decides between "corrupt" and "no text": both refuse
}


def write_bad_pdfs(folder: Path) -> dict[str, Path]:
    return {name: writer(Path(folder) / name) for name, (writer, _) in BAD_PDFS.items()}
