"""The sections of a level-3 CDA body: named from their LOINC code (carnet.cda_sections) or their heading,
with their narrative `<text>` as plain text (one line per paragraph, list item or table row) and as
simple escaped HTML for the rendered page.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from carnet.cda_sections import SECTIONS
from carnet.text import fold
from ingest.cda_xml import HL7, NS, element_text, local_name, squash
from ingest.understand.sections import heading


@dataclass(frozen=True)
class CdaSection:
    code: str | None  # LOINC section code
    name: str | None  # Carnet section name (carnet.cda_sections), None for an unknown code
    title: str  # the heading shown: the section's own title, else the code's label
    text: str  # the narrative as plain text
    html: str  # the narrative as simple HTML (escaped), for the rendered page


def iter_sections(structured: Element):
    """Top-level sections, then their subsections, in document order."""
    def walk(section: Element):
        yield section
        for sub in section.findall("h:component/h:section", NS):
            yield from walk(sub)
    for el in structured.findall("h:component/h:section", NS):
        yield from walk(el)


def read_section(el: Element) -> CdaSection:
    code_el = el.find("h:code", NS)
    code = (code_el.get("code") or "").strip() if code_el is not None else ""
    name, label = SECTIONS.get(code, (None, None))
    title = element_text(el.find("h:title", NS)) or label or (code_el.get("displayName") if code_el is not None else "") or ""
    if name is None:
        found = heading(fold(title)) if title else None
        name = found[0] if found else None
    text_el = el.find("h:text", NS)
    plain, markup = _narrative(text_el) if text_el is not None else ("", "")
    return CdaSection(code or None, name, title.strip(), plain, markup)


_BLOCK = {"paragraph", "list", "table", "br", "caption"}


def _narrative(text_el: Element) -> tuple[str, str]:
    """A narrative block as plain text (one line per paragraph, list item or table row; cells apart)
    and as simple escaped HTML (paragraphs, lists, tables)."""
    lines: list[str] = []
    parts: list[str] = []

    def inline(el: Element) -> str:
        out = [el.text or ""]
        for child in el:
            tag = local_name(child.tag)
            if tag == "br":
                out.append("\n")
            elif tag not in ("table", "list", "renderMultiMedia"):
                out.append(inline(child))
            out.append(child.tail or "")
        return "".join(out)

    def block(el: Element) -> None:
        if (el.text or "").strip():
            add_line(el.text)
        for child in el:
            tag = local_name(child.tag)
            if tag == "paragraph" or tag == "caption":
                add_line(inline(child), "p")
                for sub in child:
                    if local_name(sub.tag) in ("list", "table"):
                        block_child(sub)
            elif tag in ("list", "table"):
                block_child(child)
            elif tag == "br":
                pass
            elif tag == "renderMultiMedia":
                pass
            else:  # content, linkHtml, sub, sup, footnote directly in <text>
                add_line(inline(child))
            if (child.tail or "").strip():
                add_line(child.tail)

    def block_child(el: Element) -> None:
        tag = local_name(el.tag)
        if tag == "list":
            ordered = (el.get("listType") or "").lower() == "ordered"
            items = []
            for item in el.findall("h:item", NS):
                line = squash(inline(item))
                if line:
                    lines.append(f"- {line}")
                    items.append(f"<li>{html.escape(line)}</li>")
                for sub in item:
                    if local_name(sub.tag) in ("list", "table"):
                        block_child(sub)
            if items:
                kind = "ol" if ordered else "ul"
                parts.append(f"<{kind}>{''.join(items)}</{kind}>")
        elif tag == "table":
            rows_html = []
            caption = el.find("h:caption", NS)
            if caption is not None and squash(inline(caption)):
                add_line(inline(caption), "p")
            for row in el.iter(f"{{{HL7}}}tr"):
                cells = [squash(inline(c)) for c in row if local_name(c.tag) in ("th", "td")]
                if not any(cells):
                    continue
                lines.append("   ".join(cells))
                cell_tag = "th" if all(local_name(c.tag) == "th" for c in row if local_name(c.tag) in ("th", "td")) else "td"
                rows_html.append("<tr>" + "".join(f"<{cell_tag}>{html.escape(c)}</{cell_tag}>" for c in cells) + "</tr>")
            if rows_html:
                parts.append(f"<table>{''.join(rows_html)}</table>")

    def add_line(text: str, kind: str = "p") -> None:
        for piece in text.split("\n"):
            line = squash(piece)
            if line:
                lines.append(line)
                parts.append(f"<{kind}>{html.escape(line)}</{kind}>")

    block(text_el)
    return "\n".join(lines), "".join(parts)
