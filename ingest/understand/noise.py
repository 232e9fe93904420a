"""Administrative papers (appointments, invoices, forms, consents, administrative letters): type ADMIN.

They are kept and searchable but ranked down. Each kind scores on its title words (strong) and on
phrases typical of its body; the best kind gives the noise reason.
"""

from __future__ import annotations

import re

from .context import Context

# (reason, title pattern, title points, body pattern, points per body hit, max hits)
_KINDS: tuple[tuple[str, re.Pattern, float, re.Pattern, float, int], ...] = tuple(
    (reason, re.compile(title), tp, re.compile(body), bp, cap)
    for reason, title, tp, body, bp, cap in (
        # a bare "rendez-vous" names an appointment, but "Consultations sur rendez-vous" is a letterhead's
        # opening hours
        ("appointment",
         r"convocation|appointment (letter|confirmation|reminder)|your appointment|(?<!sur )rendez-vous",
         6.0,
         r"vous etes (attendu|convoque)|votre rendez-vous|vous presenter|\bmunie?s?\b(\(e\))?|empechement|"
         r"please (arrive|attend|bring)|if you (are unable|cannot) attend|heure du rendez-vous|presentez-vous|"
         r"nous vous prions de|(\d{1,2}h\d{0,2}|\d{1,2}:\d{2}) (au|a l'accueil|au secretariat)",
         2.0, 3),
        ("invoice",
         r"facture|note d'honoraires|avis des sommes a payer|\binvoice\b|releve de frais|\bdevis\b|quittance|"
         r"statement of account|\breceipt\b",
         6.0,
         r"montant|total (ttc|ht|a payer|du)|reste a (payer|charge)|reglement|€|\beur(os)?\b|\btva\b|\bsiret\b|amount due|"
         r"balance due|\biban\b|tiers payant|prix unitaire|part (mutuelle|secu|amo|amc)|depassement d'honoraires",
         1.5, 4),
        ("consent form",
         r"consentement|consent form|informed consent|autorisation d'operer",
         6.0,
         r"je soussigne(\(e\)|e)?.{0,80}(reconnais|accepte|autorise|consens)|j'accepte que|signature du patient|"
         r"i (consent|agree|understand) that|lu et approuve",
         2.0, 2),
        ("form",
         r"formulaire|questionnaire|fiche de renseignements|demande de prise en charge|bon de transport|"
         r"prescription medicale de transport|cerfa|attestation de (presence|sejour|hospitalisation|prise en charge)|"
         r"registration form|declaration de medecin traitant|avis d'arret de travail",
         5.0,
         r"a remplir|cochez|cocher la case|\[ \]|☐|numero de securite sociale|n° de securite sociale|"
         r"signature de l'assure|please tick|\.{10,}",
         1.0, 3),
        ("administrative letter",
         r"service des admissions|bureau des entrees|service des archives|direction des (affaires|usagers|relations)|"
         r"relations avec les usagers|courrier administratif|communication du dossier|demande de dossier medical|"
         r"accuse de reception",
         5.0,
         r"dossier administratif|pieces justificatives|carte vitale|attestation de droits|mutuelle|votre demande|"
         r"nous accusons reception|delai de (communication|traitement)",
         1.0, 3),
    )
)


def noise_scores(ctx: Context) -> tuple[float, str | None]:
    """(points for the ADMIN type, reason) — 0.0 and None when nothing administrative is found."""
    title_lines = ctx.title_lines
    header = ctx.letterhead
    body = ctx.folded
    best, best_reason = 0.0, None
    for reason, title, tp, pattern, bp, cap in _KINDS:
        pts = 0.0
        if any(title.search(ln.folded) for ln in title_lines):
            pts += tp
        elif any(title.search(ln.folded) for ln in header[:6]):
            pts += tp / 2
        n = 0
        for _ in pattern.finditer(body):
            n += 1
            if n == cap:
                break
        pts += bp * n
        if pts > best:
            best, best_reason = pts, reason
    return best, best_reason
