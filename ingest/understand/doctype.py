"""Document type (LOINC) from the words of the title, the letterhead and the body.

Each rule gives points to one type when its pattern occurs in a title line (strong), elsewhere in the
header (medium) or in the body (weak, counted a few times at most). The type with the most points wins;
the confidence is its share of the points. Prescriptions are then split into medicines / care / other
by what they prescribe, and consultations by an ophthalmologist become ophthalmology consultations.
Administrative papers compete as type "ADMIN" (see noise.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from carnet import codes
from .context import Context
from .noise import noise_scores
from .structure import SHARED, structure_scores
from ingest.understand.structure import headings

LAB, IMAGING, DIAG, CONSULT = codes.LAB, codes.IMAGING, codes.DIAGNOSTIC_ACT_REPORT, codes.CONSULTATION
DISCHARGE, STAY, OPERATIVE = codes.DISCHARGE_LETTER, codes.HOSPITAL_STAY, codes.OPERATIVE_REPORT
PRESCRIPTION, EMERGENCY, PATHOLOGY = codes.MEDICINES_PRESCRIPTION, codes.EMERGENCY_VISIT, codes.PATHOLOGY_REPORT
PRESCRIPTION_OTHER, PRESCRIPTION_CARE = codes.OTHER_PRESCRIPTION, codes.CARE_PRESCRIPTION
OPHTHALMO_CONSULT = codes.OPHTHALMOLOGY_CONSULTATION
ADMIN = "ADMIN"
DISCHARGE_TYPES = frozenset(codes.DISCHARGE)
# Section structure (structure.py): points per profile point, and the profile score from which a document
# is taken to be a narrative of its own (history and physical, operative note, stay) rather than an exam report.
_STRUCTURE_WEIGHT, _STRUCTURE_DECIDES = 0.5, 3.0
_NARRATIVE_TYPES = (CONSULT, OPERATIVE, DISCHARGE)
_EXAM_TYPES = frozenset({IMAGING, DIAG, OPERATIVE})


@dataclass(frozen=True)
class Rule:
    type_code: str
    pattern: re.Pattern
    title: float  # points when found in a title line
    body: float = 0.0  # points per body occurrence (max 3 counted)
    header: float | None = None  # default: half of `title`


def _r(type_code: str, pattern: str, title: float, body: float = 0.0, header: float | None = None) -> Rule:
    return Rule(type_code, re.compile(pattern), title, body, header)


_EXAM_IMAGING = (
    r"radiographies?|radiologi\w*|imagerie|scanner|tomodensitometri\w*|\btdm\b|\birm\b|(?<!cardio)(?<!cardiaque )echographi\w*|"
    r"echo-?doppler|doppler|mammographi\w*|scintigraphi\w*|\btep\b|petscan|pet-ct|angioscanner|uroscanner|arthroscanner|"
    r"osteodensitometri\w*|cone beam|\bx-?rays?\b|radiograph\w*|\bct\b|\bmri\b|ultrasound|sonograph\w*|mammogra\w*|"
    r"imaging|radiology|cliches?|teleradiographi\w*|angio-?irm|arteriographi\w*|\bdexa\b"
)
_EXAM_DIAGNOSTIC = (
    r"\becg\b|electrocardiogra\w*|\bekg\b|holter|epreuve d'effort|test d'effort|ecg d'effort|\befr\b|spirometri\w*|"
    r"exploration fonctionnelle respiratoire|explorations fonctionnelles respiratoires|pulmonary function|"
    r"echocardiograph\w*|echographie cardiaque|echo cardiaque|\bett\b|\beto\b|echocardiogram|coloscopi\w*|colonoscopy|"
    r"fibroscopi\w*|gastroscopi\w*|\bfogd\b|endoscopi\w*|\beeg\b|electroencephalogra\w*|\bemg\b|electromyogra\w*|"
    r"electroneuromyogra\w*|\benmg\b|nerve conduction stud\w*|"
    r"audiometri\w*|audiogramme|polysomnographi\w*|polygraphie ventilatoire|sleep study|coronarographi\w*|"
    r"coronary angiogra\w*|\bmapa\b|stress test|exercise test|fibroscopie bronchique|bronchoscopi\w*|"
    r"explorations? fonctionnelles?|compte[- ]rendu d'acte diagnostique|enregistrement ecg"
)

RULES: tuple[Rule, ...] = (
    # lab
    _r(LAB, r"\bd'analyses\b|examens? biologiques?|analyses? (de )?biologi\w*|"
            r"analyses medicales|biologie medicale|laboratoire(?! d'anatomie)(?! d'anapath)|bilan biologique|"
            r"laboratory (report|results)|lab(oratory)? results|clinical (bio)?chemistry|\blbm\b|biochimie|hematologie biologique|"
            r"blood (test|results)|pathology services|haematology|hematologie( sanguine)?\b", 4.0, 0.5),
    _r(LAB, r"preleve(e|ment)?s? (le|du)|date de prelevement|specimen collected|collected:|collection (date|time)|"
            r"valeurs? de reference|valeurs usuelles|normes|reference (range|interval)|anteriorites?|biologiste", 0.0, 1.2),
    # imaging
    _r(IMAGING, _EXAM_IMAGING, 4.0, 0.25),
    _r(IMAGING, r"radiologue|radiologist|produit de contraste|sans injection|apres injection|\bacr ?[0-6]\b|bi-?rads|"
                r"incidences?|coupes (axiales|coronales|sagittales)|sequences? (t1|t2|flair|diffusion)|contrast", 0.0, 0.8),
    # diagnostic acts (ECG, Holter, EFR, echocardiography, endoscopy...)
    _r(DIAG, _EXAM_DIAGNOSTIC, 4.5, 0.2),
    _r(DIAG, r"rythme sinusal|\bqrs\b|\bqtc?\b|\bfevg\b|\bvems\b|\bcvf\b|\bfev1\b|tiffeneau|\bpr \d|cinetique segmentaire|"
             r"muqueuse|caecum|ileon|biopsies? (etagees|systematiques)|paliers? de \d+|\bfmt\b|segment st|"
             r"frequence maximale theorique|sous-decalage|caec\w*|bas-fond|\bboston \d|anse (froide|diathermique)|"
             r"extrasystol\w*|\besv\b|\bessv\b|duree (d'enregistrement|analysable)|fc moyenne", 0.0, 0.6),
    # consultation
    # ("Consultations sur rendez-vous" / "du lundi au vendredi" is a letterhead's opening hours, not a title)
    _r(CONSULT, r"consultation(?!s? (sur|uniquement sur)|s (avec|du lundi|le (lundi|mardi|mercredi|jeudi|vendredi|samedi)))|lettre de consultation|fiche de visite|visite a domicile|clinic letter|clinic note|outpatient|"
                r"office visit|follow-?up (visit|letter)|consult note|avis specialise|compte[- ]rendu de visite|"
                r"history and physical|\bh ?& ?p\b|consultation note|progress note|new patient (visit|evaluation)|\bvisit\b", 3.5, 0.3),
    _r(CONSULT, r"j'ai (vu|revu|examine)|vue? (ce jour|en consultation|a ma consultation)|revue? (ce jour|en consultation)|"
                r"cher(e)? (confrere|consoeur|collegue|ami|amie)|chers confreres|bien confraternellement|dear (dr|doctor|colleague)|"
                r"i (saw|reviewed|reviewed mr|reviewed mrs)|seen in (the )?clinic|clinic date|reviewed in (the )?clinic|"
                r"yours sincerely|examine(e)? ce jour|je vous adresse|m'avoir adresse|"
                r"motif de (la )?consultation|date de (la )?consultation|il consulte|elle consulte", 0.0, 0.9),
    # discharge letter / hospital stay
    _r(DISCHARGE, r"lettre de liaison|lettre de sortie|courrier de sortie|compte[- ]rendu de sortie|discharge (summary|letter|note)|"
                  r"fiche de liaison", 5.0, 0.0),
    _r(DISCHARGE, r"date de sortie|sortie le|sorti(e)? le|traitement de sortie|traitement a la sortie|ordonnance de sortie|"
                  r"mode de sortie|discharge (date|medications?|diagnos\w*|plan|instructions)|admission date|date of admission|"
                  r"hospital course|date d'entree|hospitalise(e)? du|hospitalisation du|evolution (dans|durant|pendant) |"
                  r"au cours de (son|l') hospitalisation|durant (son|l') hospitalisation|during (his|her|the) (stay|admission)|"
                  r"length of stay|duree de sejour|diagnostic de sortie|mode d'entree|hospitalise(e)? dans|a ete hospitalise", 0.0, 1.1),
    _r(STAY, r"compte[- ]rendu d'hospitalisation|compte rendu de sejour|\bcrh\b|hospital stay report|rapport d'hospitalisation",
       5.5, 0.0),
    # operative report
    _r(OPERATIVE, r"compte[- ]?rendu operatoire|\bcro\b|operative (report|note)|operation note|protocole operatoire|"
                  r"op(erative|eration) record|surgical report", 5.5, 0.0),
    _r(OPERATIVE, r"operateur|aide operatoire|incision|fermeture (plans?|cutanee|sous-cutanee|aponevrotique|parietale)|surgeon|procedure performed|"
                  r"estimated blood loss|installation en decubitus|voie d'abord|exsufflation|trocart|arthrotomy|"
                  r"arthroplast\w*|anesthesie generale|cholecystectomie|suture", 0.0, 0.7),
    # emergency
    _r(EMERGENCY, r"urgences|passage aux urgences|emergency (department|room|visit)|accident (and|&) emergency|\ba&e\b|\bsau\b|"
                  r"\bsmur\b", 4.5, 0.3),
    _r(EMERGENCY, r"(emergency|urgences).{0,30}(discharge|sortie)", 6.0, 0.0),
    _r(EMERGENCY, r"urgentiste|motif de recours|arrivee (aux urgences )?le|\bccmu\b|triage|box \d|heure d'arrivee|"
                  r"mode d'arrivee|\btri (ioa|[1-5])\b|\bioa\b|medecine d'urgence|emergency medicine", 0.0, 1.0),
    # pathology
    _r(PATHOLOGY, r"anatomie (et cytologie )?pathologiques?|anatomo-?pathologi\w*|anapath\w*|histolog\w*|cytolog\w*|"
                  r"histopatholog\w*|pathology report|examen extemporane|cytopatholog\w*", 5.0, 0.5),
    _r(PATHOLOGY, r"macroscopi\w*|microscopi\w*|inclus en totalite|immunohistochimi\w*|coloration|fixe(s)? (au|dans le) formol|"
                  r"pathologiste|pathologist|dysplasie|carcinome|adenome|marges? (de resection|saines)|limites de resection", 0.0, 0.8),
    # others
    _r(codes.MDT_REPORT, r"concertation pluridisciplinaire|\brcp\b|multidisciplinary (team )?meeting|\bmdt\b|tumor board", 5.5, 0.4),
    _r(codes.PREANAESTHETIC_CONSULTATION, r"consultation (pre-?anesthesique|d'anesthesie)|pre-?anesthe\w+|pre-?operative assessment", 6.0, 0.0),
    _r(codes.PREANAESTHETIC_CONSULTATION, r"score asa|\basa [1-5]\b|mallampati|intubation difficile|jeune pre-?operatoire", 0.0, 1.2),
    _r(codes.ANAESTHESIA_REPORT, r"compte[- ]rendu d'anesthesie|feuille d'anesthesie|anaesthe\w+ (record|report|chart)|anesthesia (record|report)",
       6.5, 0.0),
    _r(PRESCRIPTION, r"^(ordonnance|prescription|\brx\b|medication (order|list))", 4.0, 0.0),
    _r(PRESCRIPTION, r"\bqsp\b|a renouveler|renouvelable|non substituable|ne pas substituer|ordonnance bizone|"
                     r"affection de longue duree|pendant \d+ (jours|semaines|mois)|\bboite\b", 0.0, 1.0),
    _r(codes.IMAGING_ORDER, r"demande d'(examen d')?imagerie|bon de radiologie|imaging request|demande d'examen radiologique", 6.5, 0.0),
    _r(codes.TRANSFER_NOTE, r"lettre de transfert|note de transfert|fiche de transfert|lettre de liaison a l'entree|transfer (note|letter)",
       6.5, 0.0),
    _r(codes.TELEMEDICINE_REPORT, r"teleconsultation|tele-?expertise|telemedecine|telemedicine|video consultation", 6.0, 0.6),
    _r(codes.MEDICAL_SUMMARY, r"synthese medicale|volet de synthese medicale|\bvsm\b|patient summary|synthese du dossier", 5.5, 0.0),
    _r(codes.EPISODE_SUMMARY, r"synthese d'episode|synthese de sejour|episode summary", 6.0, 0.0),
    _r(codes.MEDICAL_CERTIFICATE, r"certificat medical|certificat de (non contre-indication|deces|coups|aptitude|constatation)|medical certificate|"
                  r"fitness to", 5.5, 0.0),
    _r(codes.MEDICAL_CERTIFICATE, r"certifie (avoir examine|que)|je soussigne(e)?,? (docteur|dr)", 0.0, 2.0),
    _r(codes.VACCINATION_NOTE, r"note de vaccination|certificat de vaccination|attestation de vaccination|vaccination record|"
                  r"carnet de vaccination|immuni[sz]ation (note|record)", 6.0, 0.0),
    _r(codes.VACCINATION_NOTE, r"\bn(°|o|umero)? de lot\b|date d'injection|vaccinateur|\bvaccin\b|batch (no|number)", 0.0, 1.5),
    _r(codes.VACCINATION_HISTORY, r"historique des vaccinations|immuni[sz]ation history", 6.5, 0.0),
    # "accouchement" in a title names the delivery report; in the first lines of a letter ("hospitalisée ...
    # pour accouchement") it is the reason for a stay, whose discharge letter is another type
    _r(codes.DELIVERY_REPORT, r"compte[- ]?rendu d'accouchement|accouchement|delivery (note|report)|labou?r and delivery", 5.0, 0.3,
       header=0.0),
    _r(codes.MOLECULAR_GENETICS, r"genetique moleculaire|analyse genetique|etude genetique|sequencage|molecular genetic\w*|genetic (test|analysis)",
       5.5, 0.3),
    _r(codes.THERAPEUTIC_ACT_REPORT, r"acte therapeutique|seance de (chimiotherapie|radiotherapie|dialyse|hemodialyse)|infiltration|"
                  r"ponction (evacuatrice|pleurale|d'ascite)|angioplastie|pose de (pacemaker|stimulateur|chambre implantable)|"
                  r"ablation par radiofrequence|cardioversion|therapeutic procedure", 4.5, 0.2),
    _r(codes.MEDICATION_DISPENSATION, r"dispensation|delivrance (de|des) medicaments|medication dispensed", 5.5, 0.0),
)

_DRUG_LINE = re.compile(
    r"\d+([.,]\d+)?\s?(mg|µg|ug|mcg|g|ml|ui|u)\b.*\b(comprimes?|cp|gelules?|sachets?|injections?|inhalations?|bouffees?|gouttes?|"
    r"fois par jour|par jour|/j|matin|soir|midi|au coucher|daily|twice|once|bd|tds|od|nocte|tablets?|capsules?|puffs?)\b"
    r"|\b(comprimes?|gelules?|sachets?|ampoules?)\b.*\b(matin|soir|midi|par jour)\b"
)
_CARE = re.compile(
    r"soins infirmiers|\bide\b|infirmier(e)? a domicile|kinesitherapi\w*|seances? de|pansements?|reeducation|orthophonie|"
    r"prise de sang a domicile|nursing|physiotherapy"
)
_REQUESTS = re.compile(r"faire pratiquer|bilan sanguin|\ba jeun\b|dosages?|analyses? suivantes|examens? suivants|"
                       r"\bnfs\b|\bhba1c\b|\bcrp\b|ionogramme|radiographie|echographie|scanner|\birm\b")


_DISCHARGE_TITLE = next(r.pattern for r in RULES if r.type_code == DISCHARGE and r.title)
_STAY_DATES = re.compile(r"\b(hospitalise\w*|sejourne|sejour|admise?)\b[^.]{0,60}\bdu \d{1,2}\b[^.]{0,40}\bau \d{1,2}\b|"
                         r"\bentree? le\b[^.]{0,60}\bsortie le\b|\bsortie le \d")


def _names_discharge_letter(ctx: Context) -> bool:
    return any(_DISCHARGE_TITLE.search(ln.folded) for ln in ctx.letterhead) or bool(
        _DISCHARGE_TITLE.search(ctx.letterhead_text))


def _tells_a_stay(ctx: Context) -> bool:
    """Stay dates ("du 14 au 21 février", "sortie le 21"), a narrative history and how the stay went."""
    families = {name for _, name in headings(ctx)}
    return bool(_STAY_DATES.search(ctx.folded)) and "hpi" in families and "course" in families


def classify_type(ctx: Context, specialty_hint: str | None = None, language: str | None = None
                  ) -> tuple[str, float, str | None]:
    """(LOINC type code, confidence, noise reason or None). `language` ("fr", "en"): the genre of a stay's
    report depends on it (see the end)."""
    scores: dict[str, float] = {}
    title = ctx.title_lines
    title_ids = {ln.index for ln in title}
    other_header = [ln for ln in ctx.letterhead if ln.index not in title_ids]
    body = ctx.folded
    structure = structure_scores(ctx)
    # A history and physical, an operative note or a stay's report that mentions an X-ray or an echo reports
    # that exam inside its own sections: the exam's words in its body tag the exam, not the document's type.
    best_structure = max(structure, key=structure.get) if structure else None
    narrative = best_structure in _NARRATIVE_TYPES and structure[best_structure] >= _STRUCTURE_DECIDES
    for type_code, pts in structure.items():
        for target in (type_code, *(t for t, shared in SHARED.items() if shared == type_code)):
            scores[target] = scores.get(target, 0.0) + _STRUCTURE_WEIGHT * pts
    for rule in RULES:
        pts = 0.0
        if rule.title:
            if any(rule.pattern.search(ln.folded) for ln in title):
                pts += rule.title
            elif (any(rule.pattern.search(ln.folded) for ln in other_header)
                  or rule.pattern.search(ctx.letterhead_text)):
                pts += rule.header if rule.header is not None else rule.title / 2
        if rule.body and not (narrative and rule.type_code in _EXAM_TYPES and rule.type_code != best_structure):
            n = 0
            for _ in rule.pattern.finditer(body):
                n += 1
                if n == 3:
                    break
            pts += rule.body * n
        if pts:
            scores[rule.type_code] = scores.get(rule.type_code, 0.0) + pts

    # lab tables: many lines with a value, a unit and usually a reference range
    value_lines = sum(1 for ln in ctx.nonempty if _LAB_VALUE.search(ln.folded))
    if value_lines >= 3:
        scores[LAB] = scores.get(LAB, 0.0) + min(value_lines, 8) * 0.6
    drug_lines = sum(1 for ln in ctx.nonempty if _DRUG_LINE.search(ln.folded))
    # a treatment list inside a report or a letter to a colleague is no prescription
    if drug_lines >= 2 and len(_NARRATIVE.findall(body)) < 2 and not _LETTER.search(body):
        scores[PRESCRIPTION] = scores.get(PRESCRIPTION, 0.0) + min(drug_lines, 5) * 0.5

    noise, reason = noise_scores(ctx)
    if noise:
        scores[ADMIN] = noise

    if not scores:
        return CONSULT, 0.2, None
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    confidence = round(min(0.99, top / (top + second + 1.0)), 3)

    # A report of a stay titled as one stays one, even when written as a letter to the GP; an untitled French
    # letter that tells a stay (its history, then how it went, then the discharge) is the stay's report, not
    # the lettre de liaison, which names itself.
    if best == DISCHARGE and language == "fr" and not _names_discharge_letter(ctx) and _tells_a_stay(ctx):
        best = STAY
    if best == PRESCRIPTION:
        best = _prescription_kind(ctx, drug_lines)
    if best == CONSULT and specialty_hint == "SM38":
        best = OPHTHALMO_CONSULT
    return best, confidence, (reason if best == ADMIN else None)


_LAB_VALUE = re.compile(
    r"\d+([.,]\d+)?\s*(g/l|mg/l|mg/dl|g/dl|mmol/l|mmol/mol|µmol/l|umol/l|micromol/l|ui/l|u/l|mui/l|µui/ml|pg/ml|ng/ml|"
    r"giga/l|g/mm3|/mm3|t/l|tera/l|10\^?9/l|10\^?12/l|x ?10\^?\d+/l|meq/l|ml/min\S*|fl|pg|%|sec|s)(?!\w).*"
    r"(\d+([.,]\d+)?\s*(-|a|–)\s*\d|[<>]\s*\d)"
)


_NARRATIVE = re.compile(
    r"^\s*(motif|histoire|antecedents|examen clinique|conclusion|evolution|diagnostic|indication|resultats|"
    r"history|examination|assessment|impression)\b", re.M)
_LETTER = re.compile(r"cher(e)? (confrere|consoeur|collegue|ami)|madame, monsieur|votre patient|dear (dr|doctor|colleague)")


def _prescription_kind(ctx: Context, drug_lines: int) -> str:
    if drug_lines >= 1:
        return PRESCRIPTION
    text = ctx.folded
    if _CARE.search(text):
        return PRESCRIPTION_CARE
    if _REQUESTS.search(text):
        return PRESCRIPTION_OTHER
    return PRESCRIPTION
