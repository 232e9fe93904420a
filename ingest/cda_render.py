"""A level-3 CDA document made readable: one PDF (PyMuPDF Story) from the header and the sections' narrative.

The doctor reads the PDF like any other document (`/v1/documents/{id}/pdf`), and Carnet indexes the
text of that same PDF, so a citation's page is the page the doctor sees. Each section starts with its
heading; the heading's page (reported by the layout engine) and its offset in the page's text give the
section marks, named from the section's LOINC code (a citation points to a section, not only a page).
"""

from __future__ import annotations

import html
import io

import pymupdf

from carnet import codes
from carnet.models import ExtractedDocument, SectionMark
from ingest.cda import CdaDocument
from ingest.extract import extract_pdf_bytes

_CSS = """
body { font-family: sans-serif; font-size: 10pt; }
h1 { font-size: 14pt; margin-bottom: 4pt; }
h2 { font-size: 11.5pt; margin-top: 10pt; margin-bottom: 3pt; }
p { margin-top: 1pt; margin-bottom: 2pt; }
p.meta { font-size: 9pt; color: #444444; }
table { border-collapse: collapse; margin-top: 2pt; }
th, td { border: 0.5pt solid #999999; padding: 1.5pt 4pt; font-size: 9pt; }
"""
_PAGE = pymupdf.paper_rect("a4")
_WHERE = _PAGE + (42, 42, -42, -42)


def render_cda(cda: CdaDocument, name: str) -> tuple[ExtractedDocument, tuple[SectionMark, ...], dict[int, int]]:
    """The rendered PDF as an ExtractedDocument (pdf_bytes set), the section marks into its text and the
    page each section starts on (section index -> page number)."""
    o = cda.overrides
    title = o.get("title") or codes.type_label(o.get("type_code")) or "Document CDA"
    meta = []
    if o.get("type_code"):
        meta.append(codes.type_label(o["type_code"]) or o["type_code"])
    if o.get("service_date"):
        end = o.get("service_end_date")
        when = o["service_date"].strftime("%d/%m/%Y")
        meta.append(f"Date de l'acte : {when}" + (f" au {end.strftime('%d/%m/%Y')}" if end and end != o["service_date"] else ""))
    who = " · ".join(x for x in (o.get("author"), codes.specialty_label(o.get("specialty_code")), o.get("organisation")) if x)
    if who:
        meta.append(who)
    parts = [f"<h1>{html.escape(title)}</h1>"] + [f'<p class="meta">{html.escape(m)}</p>' for m in meta]
    for i, s in enumerate(cda.sections):
        parts.append(f'<h2 id="s{i}">{html.escape(s.title or "Section")}</h2>{s.html}')
    positions: dict[int, int] = {}

    def where(_n, _filled):
        return _PAGE, _WHERE, None

    def position(p):
        if p.id and p.id.startswith("s") and p.open_close & 1 and p.id[1:].isdigit():
            positions.setdefault(int(p.id[1:]), p.page_num)

    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    pymupdf.Story(html="".join(parts), user_css=_CSS).write(writer, where, positionfn=position)
    writer.close()
    pdf = buffer.getvalue()
    doc = extract_pdf_bytes(pdf, name, ocr=False)
    marks = []
    starts = dict(zip((p.number for p in doc.pages), doc.page_starts))
    texts = {p.number: p.text for p in doc.pages}
    cursor: dict[int, int] = {}
    for i, s in enumerate(cda.sections):
        page = positions.get(i)
        if page is None or page not in texts:
            continue
        heading = " ".join((s.title or "Section").split())
        at = _find(texts[page], heading, cursor.get(page, 0))
        if at < 0:
            at = cursor.get(page, 0)
        cursor[page] = at + 1
        marks.append(SectionMark(starts[page] + at, s.name or "autre", s.title or ""))
    return doc, tuple(marks), {i: p for i, p in positions.items() if p in texts}


def _find(text: str, heading: str, start: int) -> int:
    """Where a heading starts in a page's text (the layout may wrap it: whitespace is compared loosely)."""
    at = text.find(heading, start)
    if at >= 0:
        return at
    first = heading.split(" ")[0]
    return text.find(first, start) if first else -1


def cda_to_document(cda: CdaDocument, name: str, *, max_bytes: int, ocr: bool = True,
                    ocr_languages: str = "fra+eng") -> tuple[ExtractedDocument, dict, dict[int, int]]:
    """The document Carnet indexes for a CDA (its embedded PDF, or its rendered body), its overrides
    (the header's, with the section marks of a level-3 body) and each section's page."""
    if cda.level == 1:
        doc = extract_pdf_bytes(cda.pdf, name, max_bytes=max_bytes, ocr=ocr, ocr_languages=ocr_languages)
        return doc, dict(cda.overrides), {}
    doc, marks, pages = render_cda(cda, name)
    return doc, {**cda.overrides, "sections": marks}, pages

