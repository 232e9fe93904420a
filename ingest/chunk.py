"""Split a document into chunks that keep their page, character offsets and section.

Chunks never span pages, so a citation's page is exact. Offsets are into the page's text; the section
of a chunk is the last section heading found at or before its start (sections may run across pages).
"""

from __future__ import annotations

import bisect
from functools import lru_cache

from langchain_text_splitters import RecursiveCharacterTextSplitter

from carnet.models import Chunk, DocMeta, ExtractedDocument

# Paragraphs first, then lines, then sentences: medical reports are line-oriented (lab tables,
# "Conclusion :" blocks), so a line break is a better cut than a space.
SEPARATORS = ["\n\n", "\n", ". ", "; ", ", ", " ", ""]


@lru_cache(maxsize=8)
def _splitter(chunk_size: int, chunk_overlap: int) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=chunk_size, chunk_overlap=chunk_overlap, separators=SEPARATORS, add_start_index=True,
        strip_whitespace=True,
    )


def chunk_document(doc: ExtractedDocument, meta: DocMeta, document_id: str, chunk_size: int = 900,
                   chunk_overlap: int = 120) -> list[Chunk]:
    if chunk_overlap >= chunk_size:
        raise ValueError(f"chunk_overlap must be smaller than chunk_size. Currently, {chunk_overlap} >= {chunk_size}")
    splitter = _splitter(chunk_size, chunk_overlap)
    marks = sorted(meta.sections, key=lambda s: s.offset)
    mark_offsets = [m.offset for m in marks]
    chunks: list[Chunk] = []
    for page, page_start in zip(doc.pages, doc.page_starts):
        if not page.text.strip():
            continue
        for piece in splitter.create_documents([page.text]):
            start = piece.metadata["start_index"]
            if start < 0:  # the splitter could not locate the piece (should not happen): search it
                start = max(page.text.find(piece.page_content), 0)
            end = start + len(piece.page_content)
            i = bisect.bisect_right(mark_offsets, page_start + start) - 1
            section = marks[i].name if i >= 0 else None
            chunks.append(Chunk(document_id, page.number, start, end, section, piece.page_content))
    return chunks


def passage_text(chunk: Chunk, meta: DocMeta) -> str:
    """What is embedded for a chunk: its title and section give the model the context a reader has."""
    head = " · ".join(x for x in (meta.title, chunk.section) if x)
    return f"{head}\n{chunk.text}" if head else chunk.text


def chunk_by_sections(doc: ExtractedDocument, meta: DocMeta, document_id: str, chunk_size: int = 900,
                      chunk_overlap: int = 120) -> list[Chunk]:
    """Chunks that never run across a section (nor a page): for a structured document whose sections are
    known (a level-3 CDA), so that a citation names the section its sentence comes from. The text before
    the first section (the header block) is a chunk of its own, without a section."""
    if chunk_overlap >= chunk_size:
        raise ValueError(f"chunk_overlap must be smaller than chunk_size. Currently, {chunk_overlap} >= {chunk_size}")
    splitter = _splitter(chunk_size, chunk_overlap)
    marks = sorted(meta.sections, key=lambda s: s.offset)
    chunks: list[Chunk] = []
    for page, page_start in zip(doc.pages, doc.page_starts):
        end_of_page = page_start + len(page.text)
        cuts = [0] + [m.offset - page_start for m in marks if page_start < m.offset < end_of_page] + [len(page.text)]
        for a, b in zip(cuts, cuts[1:]):
            segment = page.text[a:b]
            if not segment.strip():
                continue
            before = [m for m in marks if m.offset <= page_start + a]
            section = before[-1].name if before else None
            for piece in splitter.create_documents([segment]):
                start = piece.metadata["start_index"]
                if start < 0:
                    start = max(segment.find(piece.page_content), 0)
                chunks.append(Chunk(document_id, page.number, a + start, a + start + len(piece.page_content), section,
                                    piece.page_content))
    return chunks
