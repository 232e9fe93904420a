"""Author specialty (G15_10/SMxx) from who signed and which department wrote the document.

Specialty words weigh by where they stand: a signature ("Dr X, cardiologue", a role line under a
doctor's name) or a department line ("Service de Cardiologie", "Department of Respiratory Medicine")
count most, a title less, the body little. Addressee and copy lines ("Cher confrère", "Copie :",
"Médecin traitant :", "Prescripteur :") never count: they name someone else. Some document types fix
the specialty (lab -> biology, pathology -> SM01) or give a default (imaging -> radiology unless signed
otherwise, ECG -> cardiology, EEG -> neurology...).
"""

from __future__ import annotations

import re

from carnet import codes
from .context import Context, Line

# code -> folded patterns (nouns, agent nouns and adjectives, French and English)
_VOCAB: dict[str, str] = {
    "SM04": r"cardiolog\w*|cardio-?vasculaire|maladies (cardio-?)?vasculaires|\busic\b|soins intensifs cardio\w*|rythmolog\w*|"
            r"cardiac (unit|department)|heart (centre|center|failure clinic)",
    "SM01": r"anatomie (et cytologie )?pathologiques?|anatomo-?pathologi\w*|anapath\w*|\bpathologiste|histopatholog\w*|"
            r"cytopatholog\w*|cellular pathology",
    "SM02": r"anesthesi\w*|anesthesie-?reanimation|anaesthe\w*|anesthesiolog\w*",
    "SM03": r"biologie medicale|biologiste|laboratoire de biologie|laboratoire d'analyses|clinical (bio)?chemistry|"
            r"laboratory medicine|medical laboratory|chemical pathology",
    "SM05": r"chirurgie generale|general surgery|general surgeon",
    "SM06": r"chirurgie maxillo-?faciale|maxillo-?facial",
    "SM08": r"chirurgie orthopedique|orthopedi\w*|orthopaedi\w*|traumatologi\w*|chirurgien orthopediste",
    "SM09": r"chirurgie (infantile|pediatrique)|paediatric surgery|pediatric surgery",
    "SM10": r"chirurgie plastique|plastic surgery",
    "SM11": r"chirurgie (thoracique|cardiaque|cardio-?thoracique)|cardio-?thoracic|cardiac surgery",
    "SM12": r"urolog\w*",
    "SM13": r"chirurgie vasculaire|vascular surgery|vascular surgeon",
    "SM14": r"chirurgie (viscerale|digestive)|colorectal surgery|chirurgien digestif",
    "SM15": r"dermatolog\w*|dermato-?venereolog\w*",
    "SM16": r"endocrinolog\w*|diabetolog\w*|endocrino\b|diabetes (centre|center|clinic)|metabolic medicine",
    "SM17": r"genetique medicale|geneticien|clinical genetics",
    "SM18": r"geriatri\w*|geriatre|gerontolog\w*|care of the elderly|elderly care",
    "SM20": r"gynecologie-?obstetrique|obstetri\w*|gyneco-?obstetri\w*|maternite|obstetrics|gynaecolog\w*|gynecolog\w*|gynecologue",
    "SM21": r"hematolog\w*|haematolog\w*",
    "SM24": r"gastro-?enterolog\w*|hepato-?gastro\w*|hepatolog\w*|gastroenterolog\w*|\bhge\b|endoscopie digestive",
    "SM25": r"medecine du travail|medecin du travail|occupational health",
    "SM27": r"medecine interne|interniste|internal medicine|internist|general medicine|acute medicine|hospital medicine|"
            r"hospitalists?",
    "SM28": r"medecine nucleaire|nuclear medicine",
    "SM29": r"medecine physique|readaptation|reeducation fonctionnelle|\bmpr\b|rehabilitation medicine",
    "SM30": r"nephrolog\w*|dialyse|renal (medicine|unit)",
    "SM31": r"neuro-?chirurg\w*|neurosurg\w*",
    "SM32": r"(?<!chirurgie )neurolog\w*|neurologue|neurology",
    "SM34": r"\borl\b|oto-?rhino-?laryngolog\w*|\bent\b department|otolaryngolog\w*|ear,? nose and throat",
    "SM36": r"oncolog\w*|cancerolog\w*|oncologue",
    "SM37": r"radiotherapie|radiotherapeute|radiation oncology|clinical oncology",
    "SM38": r"ophtalmolog\w*|ophthalmolog\w*|ophtalmo\b|eye (clinic|department)",
    "SM40": r"pediatri\w*|paediatri\w*|pediatre",
    "SM41": r"pneumolog\w*|pneumo-?phtisiolog\w*|respiratory (medicine|physician|department|clinic)|pulmonolog\w*|"
            r"chest (physician|clinic)|pulmonary medicine",
    "SM42": r"psychiatri\w*|psychiatre",
    # the nouns only: "résultat clinique et radiologique" describes a finding, not its author
    "SM44": r"(neuro-?)?radiolog(?:ie|ue|ues|ist|ists|y)\b|imagerie medicale|centre d'imagerie|cabinet d'imagerie|service d'imagerie|radio-?diagnostic|"
            r"diagnostic imaging",
    "SM46": r"reanimation medicale|medecine intensive|intensive care|\bicu\b",
    "SM48": r"rhumatolog\w*|rheumatolog\w*",
    "SM54": r"medecin(e)? generaliste|medecine generale|general practi(ce|tioner)|family (medicine|physician|doctor)|"
            r"primary care physician|medecin de famille",
    "SM57": r"allergolog\w*",
    "SM58": r"maladies infectieuses|infectiolog\w*|infectious diseases",
    "SM59": r"urgentiste|medecine d'urgence|service d'accueil des urgences|service des urgences|\bsau\b|"
            r"emergency (medicine|department|physician)|\bsamu\b|\bsmur\b|\ba&e\b",
    "SM61": r"medecine vasculaire|angiolog\w*|medecin vasculaire",
}
_ANY_SPECIALTY = re.compile(r"(?<![a-z])(?:" + "|".join(f"(?:{p})" for p in _VOCAB.values()) + ")")
_SPECIALTY = [(code, re.compile(rf"(?<![a-z])(?:{pattern})")) for code, pattern in _VOCAB.items()]

_PERSON = re.compile(r"(^|\W)(dr|docteur|drs|pr|professeur|prof|mr|mrs|ms|consultant|praticien|chef de clinique|"
                     r"assistant|interne|md|m\.d|frcp|mbbs|signe|signed|valide|interprete|redige|dicte)(\W|$)")
_ADDRESSEE = re.compile(
    r"cher|chere|dear|copie|\bcc\b|\bc\.c\.|adresse(e)? (a|au|par)|destinataires?|a l'attention|\ba l'att|medecin traitant|"
    r"prescripteur|demandeur|requesting|requested by|demande par|referred by|referring|referral from|re:|pour avis|envoye a|medecin preleveur|"
    r"\bgp\b: |your patient|votre patient|a transmettre|\bto:|^\s*consultants\s*:|^\s*consulting (physicians?|services?)\s*:|"
    r"^\s*(anesthesiste|anesthesie|type d'anesthesie|aides?( operatoires?)?|ibode|iade|infirmi\w*|"
    r"instrumentiste|anaesthetists?|an(a)?esthesiologists?|anaesthesia|anesthesia|assistant)\b"
)
_DEPARTMENT = re.compile(
    r"service|departement|department|unite|unit\b|pole|cabinet|centre|center|clinique|clinic|institut|laboratoire|"
    r"division|federation|hopital|hospital|polyclinique|groupe|consultations? de"
)

# Types whose specialty is fixed by what they are.
_FIXED = {codes.LAB: "SM03", codes.PATHOLOGY_REPORT: "SM01", codes.PREANAESTHETIC_CONSULTATION: "SM02",
          codes.ANAESTHESIA_REPORT: "SM02", codes.OPHTHALMOLOGY_CONSULTATION: "SM38"}
# Types with a default when nothing in the text says otherwise.
_DEFAULT = {codes.IMAGING: "SM44", codes.EMERGENCY_VISIT: "SM59", codes.IMAGING_ORDER: "SM44"}
# Diagnostic acts: the exam decides the default specialty.
_EXAM_DEFAULT = {
    "ecg": "SM04", "holter": "SM04", "epreuve-effort": "SM04", "echocardiographie": "SM04", "coronarographie": "SM04",
    "efr": "SM41", "polysomnographie": "SM41", "eeg": "SM32", "emg": "SM32", "coloscopie": "SM24",
    "endoscopie": "SM24", "audiometrie": "SM34", "fond-oeil": "SM38", "scintigraphie": "SM28",
}
# Imaging done, in French practice, mostly outside radiology: obstetric ultrasound (gynaecologist-
# obstetricians, midwives) and vascular Doppler (vascular medicine).
_OBSTETRIC = re.compile(r"grossesse|obstetric\w*|foetal\w*|foetus|\b\d{1,2} ?sa\b|amniotique|placenta|biometries")
_VASCULAR = re.compile(r"doppler.{0,40}(troncs supra-aortiques|tsa\b|arteri\w*|veineu\w*|membres inferieurs|carotid\w*)|"
                       r"(troncs supra-aortiques|carotid\w*|arteriopathie|thrombose veineuse).{0,40}doppler")
_RADIOLOGIST = re.compile(r"radiolog\w*|imagerie medicale|centre d'imagerie|cabinet d'imagerie")
# Diagnostic acts without an exam name: the measurements say which exam it was.
_ACT_MEASURES = (
    ("SM04", re.compile(r"\bfevg\b|\bdtdvg\b|\btapse\b|\bsiv\b|\bqtc\b|\bqrs\b|rythme sinusal")),
    ("SM41", re.compile(r"\bvems\b|\bcvf\b|tiffeneau|\bdlco\b|\bfev1\b|\bfvc\b")),
    ("SM32", re.compile(r"trace de fond|grapho-elements|vitesses de conduction|potentiels evoques")),
    ("SM24", re.compile(r"caecum|\bileon\b|muqueuse (gastrique|colique|duodenale)|sigmoide")),
)
# Consultation notes: the one type whose unsigned author is told by what the visit was about.
CONTENT_TYPES = frozenset({codes.CONSULTATION})
_GP_TYPES = frozenset({codes.CONSULTATION, *codes.PRESCRIPTION, codes.MEDICAL_CERTIFICATE, codes.VACCINATION_NOTE,
                       codes.MEDICAL_SUMMARY})


# A line that says who is responsible for the document: the attending of a stay, the author, the signer.
_AUTHOR_LABEL = re.compile(r"^\W*(attending( physician)?|responsible (consultant|physician)|author|auteur|"
                           r"medecin responsable|praticien responsable|redige par|written by|dictated by)\b")
# A doctor named inside a sentence of the body, in brackets after an act ("hemiarthroplasty (Dr. Novak,
# Orthopedics)"), is someone the author writes about: the surgeon of a stay, a colleague consulted.
_NAMED_IN_PASSING = re.compile(r"\((dr|docteur|pr)\b\.?[^)]{0,60}\)|\b(by|par|with|avec) (dr|docteur|pr)\b")


def _line_weight(ln: Line, prev: Line | None, in_header: bool, in_title: bool, in_body: bool = False) -> float:
    if _ADDRESSEE.search(ln.folded):
        return 0.0
    if _AUTHOR_LABEL.match(ln.folded):
        return 5.0
    if in_body and _NAMED_IN_PASSING.search(ln.folded):
        return 0.4
    if _PERSON.search(ln.folded) or (prev is not None and _PERSON.search(prev.folded) and not _ADDRESSEE.search(prev.folded)
                                     and len(ln.folded) < 60):
        return 4.0
    if in_header and _ANY_SPECIALTY.match(ln.folded):
        return 3.5  # a letterhead line that starts with a specialty names the department ("Chirurgie orthopédique")
    if _DEPARTMENT.search(ln.folded) and (in_header or len(ln.folded) < 80):
        return 3.5 if in_header else 1.0
    if in_title:
        return 3.0
    if in_header:
        return 1.5
    return 0.4


# "J'ai vu en consultation ... pour : gonarthrose — avis rhumatologique": whoever saw the patient for a
# specialist's opinion gave it. ("Je vous adresse ... pour avis" asks for it, and is an addressee line.)
_SEEN_FOR = re.compile(r"\b(j'ai (vu|revu|examine)|je (revois|vois)|i (saw|reviewed))\b.{0,200}?\b(pour|for)\b([^.]{0,120})")
_OPINION = re.compile(r"\b(avis|consultation|bilan|evaluation) (de |d')?\w+( \w+)?|\b\w+ (opinion|assessment|review)\b")


def opinion_given(ctx: Context) -> str | None:
    """The specialty whose opinion the author says they gave, if any."""
    m = _SEEN_FOR.search(" ".join(ln.folded for ln in ctx.nonempty[:40]))
    if m is None or "adresse" in m.group(0):
        return None
    for op in _OPINION.finditer(m.group(6)):
        code = next((code for code, rx in _SPECIALTY if rx.search(op.group(0))), None)
        if code:
            return code
    return None


def specialty_scores(ctx: Context) -> dict[str, float]:
    """Points per SM code from the words of the document."""
    # the letter starts at its salutation: what follows is body, however near the top it stands
    header_ids = {ln.index for ln in ctx.letterhead}
    title_ids = {ln.index for ln in ctx.title_lines}
    # the body: not a title, and before the signature block (the last lines)
    tail = min(_SIGNATURE_LINES, max(1, len(ctx.nonempty) // 4))
    body_ids = {ln.index for ln in ctx.nonempty[:-tail]} - title_ids
    scores: dict[str, float] = {}
    prev: Line | None = None
    for ln in ctx.nonempty:
        if not _ANY_SPECIALTY.search(ln.folded):
            prev = ln
            continue
        found = sorted((m.start(), code) for code, pattern in _SPECIALTY if (m := pattern.search(ln.folded)))
        if found:
            w = _line_weight(ln, prev, ln.index in header_ids, ln.index in title_ids, ln.index in body_ids)
            if w:
                # "Service de Pneumologie et Allergologie": the first-named is the department's own field
                for i, (_, code) in enumerate(found):
                    scores[code] = scores.get(code, 0.0) + (w if i == 0 else w / 2)
        prev = ln
    opinion = opinion_given(ctx)
    if opinion:
        scores[opinion] = scores.get(opinion, 0.0) + 2.0
    return scores


def infer_specialty(ctx: Context, type_code: str | None, exam_keys: tuple[str, ...] = (),
                    scores: dict[str, float] | None = None,
                    domain: str | None = None) -> tuple[str | None, float, tuple[str, ...]]:
    """(SMxx code or None, confidence, candidates). `domain` is the field a consultation's content is about
    (ingest.understand.domain): it decides when no signature, department or title names a specialty.
    When the evidence is only a few words of the body, or split between two specialties that no signature
    or department settles, the answer is None (unknown) and the candidates say which were in the running:
    a wrong specialty hides a document from "dernier CR de cardiologie", an unknown one is still found by type."""
    code, confidence, ranked = _infer(ctx, type_code, exam_keys, scores, domain)
    candidates = tuple(c for c, pts in ranked[:3] if ranked and pts >= 0.5 * ranked[0][1])
    if ranked and code == ranked[0][0]:
        top = ranked[0][1]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        weak = top < 1.0 and type_code not in _GP_TYPES
        split = second >= _SPLIT * top and top < _SIGNED_POINTS
        if weak or split:
            return None, 0.0, candidates
    return code, confidence, candidates


_SIGNATURE_LINES = 6
_SPLIT = 0.85  # a runner-up with this share of the winner's points splits the evidence
_SIGNED_POINTS = 4.0  # what one signature or role line gives (see _line_weight)


def _infer(ctx: Context, type_code: str | None, exam_keys: tuple[str, ...], scores: dict[str, float] | None,
           domain: str | None) -> tuple[str | None, float, list[tuple[str, float]]]:
    if type_code in _FIXED:
        return _FIXED[type_code], 0.9, []
    scores = dict(scores if scores is not None else specialty_scores(ctx))
    default = _DEFAULT.get(type_code or "")
    if type_code == codes.DIAGNOSTIC_ACT_REPORT:
        for key in exam_keys:
            if key in _EXAM_DEFAULT:
                default = _EXAM_DEFAULT[key]
                break
    if type_code == codes.DIAGNOSTIC_ACT_REPORT and default is None:
        default = next((code for code, rx in _ACT_MEASURES if rx.search(ctx.folded)), None)
    if type_code == codes.IMAGING:
        if "SM28" in scores:  # scintigraphy / PET by nuclear medicine
            default = "SM28"
        elif not _RADIOLOGIST.search(ctx.folded):
            if _OBSTETRIC.search(ctx.folded):
                default = "SM20"
            elif _VASCULAR.search(ctx.folded):
                default = "SM61"
    if default:
        # a default holds unless a signature or department clearly says otherwise
        scores[default] = scores.get(default, 0.0) + 3.0
    if type_code == codes.IMAGING:
        scores.pop("SM03", None)
    if type_code == codes.OPERATIVE_REPORT:
        scores.pop("SM02", None)  # an operation's anaesthesia is given by someone else than its author
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    if type_code in CONTENT_TYPES and domain and (not scores or max(scores.values()) < 1.0):
        return domain, 0.4, ranked
    if not scores:
        if type_code in _GP_TYPES or type_code is None:
            return "SM54", 0.2, ranked
        return None, 0.0, ranked
    code, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if top < 1.0 and (type_code in _GP_TYPES):
        return "SM54", 0.25, ranked
    return code, round(min(0.95, top / (top + second + 1.0)), 3), ranked
