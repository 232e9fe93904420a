"""Layouts and PDF rendering (PyMuPDF Story: HTML + CSS -> PDF), plus "scanned" image-only PDFs.

Several letterheads per document family (banner, two-column boxed header, classic letter, centred
letterhead, lab headers), several fonts, section styles and footers. Output bytes are deterministic:
fixed metadata, no new /ID, fonts subset.
"""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

import pymupdf

from . import vocab
from .model import Doc, Patient

FONT_DIR = Path("/usr/share/fonts/truetype")
FONTS = {  # css family -> (regular, bold, italic) relative to FONT_DIR
    "dvsans": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf", "dejavu/DejaVuSans-Oblique.ttf"),
    "dvserif": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf", "dejavu/DejaVuSerif-Italic.ttf"),
    "dvcond": ("dejavu/DejaVuSansCondensed.ttf", "dejavu/DejaVuSansCondensed-Bold.ttf", "dejavu/DejaVuSansCondensed-Oblique.ttf"),
}
AVAILABLE = [f for f, files in FONTS.items() if all((FONT_DIR / x).exists() for x in files)]
_ARCHIVE = pymupdf.Archive(str(FONT_DIR)) if AVAILABLE else None


def _font_css() -> str:
    css = []
    for fam in AVAILABLE:
        r, b, i = FONTS[fam]
        css.append(f"@font-face {{font-family: {fam}; src: url({r});}}")
        css.append(f"@font-face {{font-family: {fam}; src: url({b}); font-weight: bold;}}")
        css.append(f"@font-face {{font-family: {fam}; src: url({i}); font-style: italic;}}")
    return "\n".join(css)


FONT_CSS = _font_css()
COLORS = ["#1d4f91", "#006d77", "#7a1f3d", "#2f5d2f", "#444444", "#0b6e99", "#8a4b08"]
A4 = pymupdf.paper_rect("a4")


# MuPDF's built-in fonts (Nimbus Sans, Charis SIL) are always there; Liberation fonts are avoided on
# purpose: their cmaps map "-" to U+00AD and " " to U+00A0 in extracted text.
BUILTIN = ["sans-serif", "serif"]


def _fam(rng: random.Random, fallback: str) -> str:
    return rng.choice(AVAILABLE + BUILTIN)


def _kv_widths(html: str) -> str:
    """MuPDF lays out tables well only with explicit widths on every cell."""
    def fix(m: re.Match) -> str:
        return m.group(0).replace("<tr><td>", "<tr><td style='width:35%'>").replace("</td><td>", "</td><td style='width:65%'>")
    return re.sub(r"<table class='kv'>.*?</table>", fix, html, flags=re.S)


def _sections(body: list, style: str, color: str) -> str:
    out = []
    for heading, html in body:
        if heading is None:
            out.append(html)
            continue
        block = html if html.lstrip().startswith("<") else f"<p>{html}</p>"
        inline_ok = not html.lstrip().startswith(("<ul", "<table", "<p"))
        if style == "inline" and inline_ok:
            out.append(f"<p><b>{heading} :</b> {html}</p>")
        elif style == "caps":
            out.append(f"<p class='h'><b><u>{heading.upper()}</u></b></p>{block}")
        elif style == "bar":
            out.append(f"<p class='h' style='background-color:#e6e6e6;padding:2px'><b>{heading}</b></p>{block}")
        elif style == "color":
            out.append(f"<p class='h' style='color:{color};font-size:11pt'><b>{heading}</b></p>{block}")
        else:
            out.append(f"<p class='h'><b>{heading}</b></p>{block}")
    return _kv_widths("\n".join(out))


def _patient_line(p: Patient, d: Doc, rng: random.Random) -> str:
    born = vocab.fr_date(p.birth, rng.choice(["slash", "slash", "long", "dot"]))
    if d.language == "en":
        return ""
    v = rng.randrange(4)
    if v == 0:
        return f"<p><b>Patient :</b> {p.display} — Né{p.e('', 'e')} le {born} — IPP {p.ipp}</p>"
    if v == 1:
        return (f"<table class='kv' style='width:60%'><tr><td style='width:40%'>Nom de naissance</td><td style='width:60%'><b>{p.last.upper()}</b></td></tr>"
                f"<tr><td>Prénom</td><td>{p.first}</td></tr><tr><td>Date de naissance</td><td>{born}</td></tr>"
                f"<tr><td>Sexe</td><td>{p.sex}</td></tr></table>")
    if v == 2:
        return f"<p>{p.display}, né(e) le {born} ({p.age(d.service_date)} ans)<br/>{p.address}, {p.postcode} {p.city}</p>"
    return f"<p><b>{p.civ} {p.first} {p.last.upper()}</b> &nbsp; DDN : {born} &nbsp; N° dossier : {p.ipp}</p>"


def _author_block(d: Doc) -> str:
    a = d.author
    spec = a.specialty_label or ("Médecin" if d.language == "fr" else "Consultant")
    return (f"<b>{a.name}</b><br/>{spec}<br/><span class='small'>RPPS {a.rpps}</span>"
            if d.language == "fr" else f"<b>{a.name}</b><br/>{spec}")


def build_html(d: Doc, p: Patient, rng: random.Random) -> tuple[str, str, str]:
    """Returns (html, css, footer_style)."""
    a = d.author
    fam = _fam(rng, "sans-serif")
    size = rng.choice([9, 9.5, 10, 10, 10.5, 11])
    color = rng.choice(COLORS)
    sec_style = rng.choice(["inline", "caps", "bar", "color", "plain"])
    layout = rng.randrange(5) if d.layout_hint not in ("lab", "rx_pad") else {"lab": 10, "rx_pad": 20}[d.layout_hint] + rng.randrange(3)
    ld = d.letter_date
    ld_txt = ""
    if ld is not None:
        if d.language == "en":
            ld_txt = vocab.fr_date(ld, d.letter_style if d.letter_style.startswith("en") else "en_long")
        else:
            ld_txt = rng.choice([f"{a.city}, le {vocab.fr_date(ld, d.letter_style)}", f"Le {vocab.fr_date(ld, d.letter_style)}",
                                 f"{a.city}, {vocab.fr_date(ld, d.letter_style)}"])
    title = f"<p class='title'>{d.title}</p>" if d.title else ""
    org_lines = (f"<b>{a.organisation}</b><br/>{a.service + '<br/>' if a.service else ''}{a.address}<br/>"
                 f"Tél. {a.phone}{' — FINESS ' + a.finess if rng.random() < 0.5 and d.language == 'fr' else ''}")
    pat = _patient_line(p, d, rng)
    sig_where = "bottom"
    if layout == 0:  # coloured banner + author / date row
        head = (f"<div class='banner' style='background-color:{color}'>{a.organisation.upper()}"
                f"{'<br/><span class=small>' + a.service + '</span>' if a.service else ''}</div>"
                f"<table class='nob'><tr><td style='width:55%'>{_author_block(d)}</td><td style='width:45%;text-align:right'>{ld_txt}</td></tr></table>{pat}{title}")
    elif layout == 1:  # two-column boxed header
        right = pat or f"{p.first} {p.last.upper()}"
        head = (f"<table class='box'><tr><td style='width:50%'>{org_lines}</td><td style='width:50%'>{right}</td></tr></table>"
                f"{'<p style=text-align:right>' + ld_txt + '</p>' if ld_txt else ''}{title}")
    elif layout == 2:  # classic letter: author top-left, recipient right
        rec = p.facts.get("gp_name", "")
        head = (f"<table class='nob'><tr><td style='width:55%'>{_author_block(d)}<br/><span class='small'>{a.organisation}<br/>{a.address}<br/>Tél. {a.phone}</span></td>"
                f"<td style='width:45%'><br/><br/>{'À l’attention du ' + rec if rec and d.language == 'fr' else ''}<br/><br/>{ld_txt}</td></tr></table>"
                f"{pat}{title}")
    elif layout == 3:  # centred letterhead, date at the end ("Fait à ...")
        head = (f"<p style='text-align:center;font-size:14pt;color:{color}'><b>{a.organisation}</b></p>"
                f"<p style='text-align:center' class='small'>{a.service + ' — ' if a.service else ''}{a.address} — Tél. {a.phone}</p><hr/>{pat}{title}")
        sig_where = "fait"
    elif layout == 4:  # left column header with the team list
        team = "<br/>".join(f"Dr {rng.choice(vocab.FIRST_F + vocab.FIRST_M)[0]}. {rng.choice(vocab.LAST)}" for _ in range(rng.randint(2, 4)))
        head = (f"<table class='nob'><tr><td style='width:32%;border-right:1px solid {color}' class='small'><b style='color:{color}'>{a.organisation}</b><br/>"
                f"{a.service}<br/><br/>{team}<br/>{a.name}<br/><br/>Secrétariat<br/>{a.phone}</td>"
                f"<td style='width:68%;padding-left:10px'>{pat}<p style='text-align:right'>{ld_txt}</p>{title}</td></tr></table>")
    elif layout in (10, 11, 12):  # lab headers
        biol = "<br/>".join(f"{rng.choice(['Dr', 'Dr', 'Pr'])} {rng.choice(vocab.FIRST_F + vocab.FIRST_M)} {rng.choice(vocab.LAST)}" for _ in range(3))
        ptab = (f"<b>{p.civ} {p.last.upper()} {p.first}</b><br/>Né{p.e('', 'e')} le {vocab.fr_date(p.birth, 'slash')}<br/>{p.address}<br/>{p.postcode} {p.city}"
                if d.language == "fr" else f"<b>{p.last.upper()}, {p.first}</b><br/>DOB {vocab.fr_date(p.birth, 'en_long')}")
        if layout == 10:
            head = (f"<table class='nob'><tr><td style='width:50%'><b style='font-size:13pt;color:{color}'>{a.organisation}</b><br/>"
                    f"<span class='small'>{a.address}<br/>Tél. {a.phone}<br/>{'Biologistes' if d.language == 'fr' else 'Laboratory directors'} :<br/>{biol}</span></td>"
                    f"<td style='width:50%'><div style='border:1px solid #444;padding:4px'>{ptab}</div></td></tr></table>{title}")
        elif layout == 11:
            head = (f"<div class='banner' style='background-color:{color}'>{a.organisation}</div><p class='small'>{a.address} · {a.phone}</p>"
                    f"<table class='box'><tr><td style='width:60%'>{ptab}</td><td style='width:40%' class='small'>Prescripteur :<br/>{p.facts.get('gp_name', '')}<br/>Copie : patient</td></tr></table>{title}")
        else:
            head = (f"<p style='text-align:center'><b>{a.organisation.upper()}</b><br/><span class='small'>Laboratoire de biologie médicale multisite — "
                    f"{a.address}</span></p><hr/>{ptab}{title}")
    else:  # prescription pads (20-22)
        head = (f"<table class='nob'><tr><td style='width:60%'><b style='font-size:12pt'>{a.name}</b><br/>{a.specialty_label}<br/>"
                f"<span class='small'>{a.organisation}<br/>{a.address}<br/>Tél. {a.phone}<br/>N° RPPS {a.rpps} — AM {rng.randint(10, 95)}1{rng.randint(10000, 99999)}</span></td>"
                f"<td class='small' style='width:40%;text-align:right'>{'Conventionné secteur 1' if rng.random() < 0.6 else 'Secteur 2 — honoraires libres'}<br/>"
                f"Consultations sur rendez-vous</td></tr></table><hr/>{title}")
    body = _sections(d.body, sec_style, color)
    if d.language == "en":
        sig = f"<p><br/>{a.name}<br/>{a.specialty_label or 'Consultant'}</p>"
    else:
        sig = f"<p style='text-align:right'><br/>{a.name}<br/><span class='small'>{rng.choice(['Signé électroniquement', a.specialty_label or '', 'Médecin'])}</span></p>"
    if sig_where == "fait" and ld is not None and d.language == "fr":
        sig = f"<p>Fait à {a.city}, le {vocab.fr_date(ld, d.letter_style)}</p>" + sig
    if d.kind in ("lab", "prescription", "admin"):
        sig = "" if d.kind != "prescription" else sig
    filler = ""
    if d.min_pages > 1:
        filler = ("<p style='page-break-before: always'></p>" if rng.random() < 0.5 else "")
    html = f"<body>{head}{body}{filler}{sig}</body>"
    css = (FONT_CSS + f"""
body {{font-family: {fam}; font-size: {size}pt; line-height: 1.25;}}
p {{margin-top: 3px; margin-bottom: 3px;}}
.h {{margin-top: 8px; margin-bottom: 1px;}}
.title {{text-align: center; font-size: {size + 4}pt; font-weight: bold; margin-top: 10px; margin-bottom: 8px;}}
.small {{font-size: {size - 1.5}pt;}}
.banner {{color: white; font-weight: bold; padding: 6px; font-size: {size + 2}pt;}}
table {{border-collapse: collapse; width: 100%;}}
table.lab td, table.lab th {{border-bottom: 0.5px solid #999; padding: 1px 3px; font-size: {size - 0.5}pt;}}
table.lab th {{text-align: left; background-color: #eeeeee;}}
table.box td {{border: 1px solid #555; padding: 4px; vertical-align: top;}}
table.kv td {{padding: 1px 4px; vertical-align: top;}}
table.nob td {{vertical-align: top;}}
.mono {{font-family: monospace; font-size: {size - 1.5}pt;}}
""")
    footer = rng.choice(["edited", "printed", "page", "address", "none"])
    return html, css, footer


def render(d: Doc, p: Patient, rng: random.Random) -> bytes:
    html, css, footer = build_html(d, p, rng)
    story = pymupdf.Story(html=html, user_css=css, archive=_ARCHIVE)
    margin = rng.choice([40, 48, 56, 64])
    where = A4 + (margin, margin, -margin, -margin - 10)
    buf = io.BytesIO()
    w = pymupdf.DocumentWriter(buf)
    more = 1
    while more:
        dev = w.begin_page(A4)
        more, _ = story.place(where)
        story.draw(dev)
        w.end_page()
    w.close()
    doc = pymupdf.open("pdf", buf.getvalue())
    n = len(doc)
    created = d.creation or d.service_date
    hhmm = f"{rng.randint(8, 19):02d}:{rng.randint(0, 59):02d}"
    for i, page in enumerate(doc):
        txt = {"edited": f"Édité le {vocab.fr_date(created, 'slash')} à {hhmm} - Page {i + 1}/{n}",
               "printed": f"Imprimé le {vocab.fr_date(created, 'slash')} - {d.author.organisation}",
               "page": f"Page {i + 1} sur {n}",
               "address": f"{d.author.organisation} - {d.author.address}",
               "none": ""}[footer]
        if d.language == "en" and footer != "none":
            txt = f"Printed {vocab.fr_date(created, 'en_slash')} - Page {i + 1} of {n}"
        if txt:
            page.insert_text((margin, A4.height - 22), txt.replace("’", "'").replace("—", "-"), fontsize=7, fontname="helv")
        if i > 0 and d.language == "fr":
            page.insert_text((margin, 24), f"{p.last.upper()} {p.first} - suite", fontsize=7, fontname="helv")
    _meta(doc, d)
    doc.subset_fonts()
    return doc.tobytes(garbage=4, deflate=True, deflate_fonts=True, use_objstms=1, no_new_id=True)


def _meta(doc: pymupdf.Document, d: Doc) -> None:
    c = (d.creation or d.service_date).strftime("D:%Y%m%d120000")
    doc.set_metadata({"producer": "carnet-synthetic", "creator": "", "title": "", "author": "", "subject": "",
                      "keywords": "", "creationDate": c, "modDate": c})


def scan(pdf: bytes, d: Doc, rng: random.Random, dpi: int = 150) -> bytes:
    """Rasterise every page (grey, speckle noise, JPEG) into an image-only PDF: no text layer."""
    src = pymupdf.open("pdf", pdf)
    out = pymupdf.open()
    for page in src:
        pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
        buf = bytearray(pix.samples)
        n = len(buf)
        for _ in range(n // 600):  # scanner dust
            buf[rng.randrange(n)] = rng.randint(0, 120)
        shade = rng.randint(0, 18)  # greyish paper
        if shade:
            buf = bytearray(bytes(buf).translate(bytes(max(0, i - shade) for i in range(256))))
        pix2 = pymupdf.Pixmap(pymupdf.csGRAY, pix.width, pix.height, bytes(buf), False)
        jpg = pix2.tobytes("jpeg", jpg_quality=rng.randint(55, 75))
        np = out.new_page(width=page.rect.width, height=page.rect.height)
        np.insert_image(np.rect, stream=jpg)
    _meta(out, d)
    return out.tobytes(garbage=4, deflate=True, use_objstms=1, no_new_id=True)
