"""Small PDFs written by the tests themselves (hand-written text, not the sample generator's)."""

from __future__ import annotations

import random
from pathlib import Path

import pymupdf


def write_pdf(path: Path, pages: list[str], *, password: str | None = None) -> Path:
    """A text PDF, one string per page (lines kept)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = pymupdf.open()
    for text in pages:
        page = doc.new_page(width=595, height=842)
        page.insert_textbox(pymupdf.Rect(50, 50, 545, 800), text, fontsize=10, fontname="helv")
    kwargs = {}
    if password:
        kwargs = {"encryption": pymupdf.PDF_ENCRYPT_AES_256, "user_pw": password, "owner_pw": password + "x"}
    doc.save(path, **kwargs)
    doc.close()
    return path


def scan_pixmap(text: str, *, dpi: int = 200, speckle: float = 0.0, seed: int = 0) -> pymupdf.Pixmap:
    """An A4 page of text as a grey image, like a scan: `dpi` sets its resolution (a low one blurs the
    letters once the page is enlarged back), `speckle` the share of pixels turned black or white at random
    (seeded: the same image every run)."""
    src = pymupdf.open()
    page = src.new_page(width=595, height=842)
    page.insert_textbox(pymupdf.Rect(50, 50, 545, 800), text, fontsize=13, fontname="helv")
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    if speckle:
        rnd = random.Random(seed)
        samples = bytearray(pix.samples)
        for i in rnd.sample(range(len(samples)), int(len(samples) * speckle)):
            samples[i] = rnd.choice((0, 255))
        pix = pymupdf.Pixmap(pymupdf.csGRAY, pix.width, pix.height, bytes(samples), False)
    return pix


def write_scanned_pdf(path: Path, text: str, *, dpi: int = 200, speckle: float = 0.0,
                      text_pages: tuple[str, ...] = ()) -> Path:
    """A page with no text layer: the text is rendered to an image and only the image is kept (see
    `scan_pixmap` for `dpi` and `speckle`). `text_pages` come first, with a text layer."""
    out = pymupdf.open()
    for page_text in text_pages:
        p = out.new_page(width=595, height=842)
        p.insert_textbox(pymupdf.Rect(50, 50, 545, 800), page_text, fontsize=10, fontname="helv")
    p = out.new_page(width=595, height=842)
    p.insert_image(p.rect, pixmap=scan_pixmap(text, dpi=dpi, speckle=speckle))
    path.parent.mkdir(parents=True, exist_ok=True)
    out.save(path)
    return path


# Hand-written reports for end-to-end tests: three patients, French and English.
REPORTS = {
    "PAT-A/echo-2024.pdf": ["""CENTRE HOSPITALIER DE VALMONT - Service de Cardiologie
Dr Hélène Marchetti, cardiologue

ÉCHOCARDIOGRAPHIE TRANSTHORACIQUE
Examen réalisé le 14 mai 2024
Patient né le 02/09/1951

Indication : dyspnée d'effort, souffle systolique.
Ventricule gauche non dilaté, fraction d'éjection estimée à 58 %.
Rétrécissement aortique modéré, surface 1,2 cm2.

Conclusion : rétrécissement aortique modéré, fonction systolique conservée. Contrôle dans un an."""],
    "PAT-A/bio-2025.pdf": ["""LABORATOIRE BIOPOLE - Biologie médicale
Prélèvement du 03/02/2025 à 08h10

Hémoglobine glyquée (HbA1c)      7,4 %      (4,0 - 6,0)   H
Glycémie à jeun                  1,32 g/L   (0,70 - 1,10) H
Créatinine                       88 µmol/L  (59 - 104)

Validé par Dr Paul Ortiz, biologiste""", """Page 2
Commentaire : équilibre glycémique insuffisant, à confronter à la clinique."""],
    "PAT-A/cardio-consult-2025.pdf": ["""Dr Hélène Marchetti - Cardiologie
Valmont, le 20 mars 2025

Cher confrère,
J'ai revu en consultation votre patient pour le suivi de son rétrécissement aortique.
Il décrit une dyspnée stade II. Auscultation : souffle systolique 3/6.

Conclusion : rétrécissement aortique devenu serré, bilan pré-opératoire programmé.
Traitement : bisoprolol 2,5 mg le matin."""],
    "PAT-B/ct-chest.pdf": ["""IMAGERIE DU PARC - Radiologie
Scanner thoracique sans injection du 11/09/2025

Indication : toux chronique chez un ancien fumeur.
Résultats : nodule pulmonaire de 8 mm du lobe supérieur droit, sans adénopathie.
Conclusion : nodule pulmonaire à contrôler par scanner dans 3 mois.
Dr Jean Sauvage, radiologue"""],
    "PAT-B/discharge-en.pdf": ["""ST MARY'S HOSPITAL - Department of Respiratory Medicine
DISCHARGE SUMMARY
Admitted: 02/03/2025   Discharged: 06/03/2025
Diagnosis: community-acquired pneumonia, right lower lobe.
Treatment: amoxicillin 1 g three times daily for 7 days.
Follow-up chest X-ray in six weeks."""],
    "PAT-C/ordonnance.pdf": ["""Dr Claire Fontaine - Médecine générale
Le 05/10/2025

ORDONNANCE
Metformine 1000 mg : 1 comprimé matin et soir
Atorvastatine 20 mg : 1 comprimé le soir
Pendant 3 mois."""],
}


def write_reports(root: Path) -> Path:
    for rel, pages in REPORTS.items():
        write_pdf(root / rel, pages)
    return root
