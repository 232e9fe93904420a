"""Which specialty's field a consultation is about, from its clinical content.

Many consultation letters never say who wrote them ("Cabinet médical", "Dr X, Médecin"). A cardiologist's
follow-up still reads like cardiology (FEVG, ECG, stent), an ENT's like ENT (rhinoscopie, otoscopie), a
rheumatologist's like rheumatology (synovite, DAS28). This module scores a document against a lexicon of
conditions, specialist examinations and procedures per specialty. It is medical vocabulary, written from
the specialties' scope, not from any one corpus; terms a general practitioner uses every day
(hypertension, flu, check-up, the knee that hurts) are deliberately absent, so a GP's letter stays a GP's.

Only what the consultation is about counts: the reason for the visit, the examination, the conclusion.
Past history, the treatment list, allergies and plans ("ECG à prévoir", "fond d'œil annuel") name other
people's acts, so they do not.
"""

from __future__ import annotations

import re

from carnet.models import SectionMark

from .context import Context
from .keys import PLANNED
from .sections import section_lines

# SM code -> folded patterns (French and English). Word starts are anchored, endings left open.
_DOMAINS: dict[str, str] = {
    "SM04": r"cardiopathi\w*|insuffisance cardiaque|heart failure|infarctus|myocardial infarction|coronar\w*|angor\b|angina|"
            r"fibrillation (atriale|auriculaire)|atrial fibrillation|flutter|\bfevg\b|\blvef\b|ejection fraction|"
            r"echocardiograph\w*|\bett\b|holter|epreuve d'effort|stress test|souffle (systolique|diastolique)|"
            r"(systolic|diastolic) murmur|valvulopathi\w*|retrecissement aortique|aortic stenosis|insuffisance mitrale|"
            r"stent|pontage coronaire|pacemaker|stimulateur cardiaque|defibrillateur|tachycardie|bradycardie|"
            r"\becg\b|electrocardiogram\w*",
    "SM20": r"gynecolog\w*|gynaecolog\w*|frottis|cervical smear|contracepti\w*|post-?natal\w*|post-?partum|grossesse|"
            r"pregnan\w*|speculum|toucher vaginal|vaginal examination|colposcop\w*|menopaus\w*|dysmenorrh\w*|"
            r"endometri\w*|sterilet|\bdiu\b|\biud\b|\bcol (uterin|de l'uterus)|cervix|\bhpv\b|ovair\w*|ovarian|"
            r"uterus|uterin\w*|fibrome|cycles? (menstruels?|reguliers?)|amenorrh\w*|\bgestit\w*|\bparit\w*|\bg\dp\d\b",
    "SM24": r"colorecta\w*|coloscop\w*|colonoscop\w*|rectorragi\w*|rectal bleeding|crohn|rectocolite|colitis|\bmici\b|\bibd\b|"
            r"cirrho\w*|hepatite|hepatitis|steatos\w*|reflux gastro|\brgo\b|\bgord\b|\bgerd\b|gastroscop\w*|\bfogd\b|"
            r"endoscopie digestive|polype\w*|polyp\w*|pancreatit\w*|dysphagi\w*|helicobacter|ulcere gastrique|"
            r"peptic ulcer|sigmoidoscop\w*",
    "SM30": r"dialys\w*|insuffisance renale|kidney (disease|failure)|renal failure|\bdfg\b|\bdfge\b|\begfr\b|"
            r"fistule arterio-?veineuse|arteriovenous fistula|nephropathi\w*|nephropathy|proteinuri\w*|albuminuri\w*|"
            r"glomerul\w*|greffe renale|kidney transplant|polykystose",
    "SM34": r"rhinit\w*|rhinoscop\w*|otoscop\w*|nasofibroscop\w*|laryngoscop\w*|otite|otitis|surdite|hearing loss|"
            r"acouphen\w*|tinnitus|audiogram\w*|audiometr\w*|tympan\w*|sinusit\w*|sinusitis|amygdal\w*|tonsil\w*|"
            r"cornets?\b|turbinate\w*|dysphoni\w*|hoarseness|polypose naso\w*|nasal polyp\w*|obstruction nasale|"
            r"nasal obstruction|epistaxis|vertige positionnel",
    "SM41": r"nodule pulmonaire|pulmonary nodule|lung nodule|\bbpco\b|\bcopd\b|asthm\w*|\befr\b|spirometr\w*|\bvems\b|"
            r"\bfev1\b|emphysem\w*|apnee du sommeil|sleep apnoea|sleep apnea|\bsaos\b|oxygenotherap\w*|"
            r"pneumopathie interstitielle|interstitial lung|fibrose pulmonaire|pulmonary fibrosis|bronchectasi\w*|"
            r"bronchiectasis|polysomnograph\w*|fibroscopie bronchique|bronchoscop\w*",
    "SM48": r"polyarthrit\w*|rheumatoid|spondylarthrit\w*|spondyloarthrit\w*|ankylosing|goutte|\bgout\b|das28|"
            r"synovit\w*|methotrexat\w*|uricemi\w*|uric acid|colchicin\w*|pseudo-?polyarthrite|polymyalgi\w*|"
            r"lupus|sclerodermi\w*|connectivit\w*|chondrocalcinose|rhizarthrose|osteoporos\w*|densitometr\w*",
    "SM16": r"diabet\w*|hba1c|hemoglobine glyquee|insulin\w*|hypoglycemi\w*|hypoglycaemi\w*|autosurveillance glycemique|"
            r"glucose monitoring|thyroid\w*|hypothyroid\w*|hyperthyroid\w*|basedow|graves|hashimoto|"
            r"goitre|goiter|\btsh\b|surrenal\w*|adrenal|cushing|addison|hypophys\w*|pituitar\w*|monofilament|"
            r"pied diabetique|diabetic foot|obesit\w*",
    "SM15": r"dermatoscop\w*|dermoscop\w*|eczema|psoriasis|naevus|nevus|nevi\b|melanom\w*|carcinome basocellulaire|"
            r"basal cell carcinoma|acne\b|urticaire chronique|dermatite|dermatitis|keratose|keratosis|"
            r"lesions? cutanees?|skin lesions?|prurit\w*|vitiligo|pelade|alopeci\w*",
    "SM38": r"acuite visuelle|visual acuity|lampe a fente|slit lamp|glaucom\w*|cataract\w*|\bdmla\b|macular degeneration|"
            r"retinopathi\w*|retinopathy|tonus oculaire|pression intra-?oculaire|intraocular pressure|refraction|"
            r"strabism\w*|keratocone|uveit\w*",
    "SM32": r"epilep\w*|parkinson\w*|sclerose en plaques|multiple sclerosis|\bsep\b|accident vasculaire cerebral|\bavc\b|"
            r"stroke|migraine\w*|neuropathi\w*|neuropathy|\beeg\b|\bemg\b|electromyogra\w*|ponction lombaire|"
            r"lumbar puncture|myasthen\w*|sclerose laterale|demence|dementia|alzheimer|tremblement|tremor|"
            r"deficit moteur|motor deficit|paresthesi\w*",
    "SM08": r"prothese (totale )?(de (la |du )?)?(hanche|genou|epaule)|\bptg\b|\bpth\b|arthroplast\w*|joint replacement|"
            r"hip replacement|knee replacement|osteosynthes\w*|ligamentoplast\w*|menisc\w*|ligament croise|"
            r"cruciate ligament|canal carpien|carpal tunnel|coiffe des rotateurs|rotator cuff|hallux valgus|"
            r"pseudarthros\w*|enclouage|fixateur externe",
    "SM12": r"prostat\w*|\bpsa\b|cystoscop\w*|lithiase (urinaire|renale)|kidney stones?|calcul (urinaire|renal)|"
            r"incontinence urinaire|urinary incontinence|hematurie|haematuria|debitmetr\w*|vessie|bladder|"
            r"sonde urinaire|dysfonction erectile|erectile dysfunction|\bhbp\b|\bbph\b",
    "SM36": r"chimiotherap\w*|chemotherap\w*|immunotherapie|metasta\w*|\brcp\b|tumor board|carcinome|carcinoma|"
            r"adenocarcinom\w*|oncolog\w*|cancer (du sein|bronchique|du poumon|de la prostate|colique)|breast cancer|"
            r"lung cancer",
    "SM21": r"lymphom\w*|myelom\w*|leucemi\w*|leukaemi\w*|leukemi\w*|myelogramme|bone marrow|thrombopeni\w*|"
            r"thrombocytopeni\w*|drepanocytose|sickle cell|hemophil\w*|haemophil\w*|syndrome myelo\w*|myeloprolif\w*",
    "SM42": r"schizophren\w*|trouble bipolaire|bipolar disorder|psychose|psychosis|episode depressif|depressive episode|"
            r"idees suicidaires|suicidal|antipsychotique|antipsychotic|thymique|trouble anxieux|anxiety disorder",
    "SM18": r"\bmmse\b|\bmms\b|troubles cognitifs|cognitive impairment|chutes a repetition|recurrent falls|\bgir\b|"
            r"evaluation geriatrique|geriatric assessment|perte d'autonomie|syndrome de fragilite|frailty",
    "SM58": r"\bvih\b|\bhiv\b|tuberculos\w*|antibiotherapie prolongee|endocardite|endocarditis|paludisme|malaria|"
            r"hepatite c|infection osteo-?articulaire",
    "SM61": r"arteriopathi\w*|peripheral arterial disease|claudication|thrombose veineuse|deep vein thrombosis|"
            r"\btvp\b|\bdvt\b|varice\w*|varicose|insuffisance veineuse|venous insufficiency|index de pression systolique|"
            r"\bips\b|ankle-brachial",
    "SM57": r"allergolog\w*|tests? cutanes?|skin prick|prick-?tests?|desensibilisation|immunotherapie allergenique|"
            r"\bige specifiques\b|anaphyla\w*",
}
_DOMAIN_RX = [(code, re.compile(rf"(?<![a-z])(?:{pattern})")) for code, pattern in _DOMAINS.items()]
# Where a consultation says what it is about ("pour : rhinite chronique", "Reason for referral: ...").
_REASON = re.compile(r"(?:\bpour\b|\bfor\b|motif|reason|re)\s*:|consultation (du|de suivi|for)|suivi d")
# Sections that describe other acts or other times: the patient's history, the drugs, the plan.
_LIST_INTRO = re.compile(r"(antecedents?|\batcd\b|traitements?|medications?|past (medical )?history|background)\b[^:]{0,40}:")
_BULLET = re.compile(r"^\s*[•\-*–·]")
_ELSEWHERE = ("antecedents", "traitement", "allergies", "facteurs_risque", "mode_de_vie", "vaccinations", "plan")

MIN_POINTS = 3.0  # at least a reason plus one finding, or three findings
DOMINANCE = 2.0  # the field must clearly lead: a diabetic's cardiology letter also mentions HbA1c


def domain_scores(ctx: Context, sections: tuple[SectionMark, ...]) -> dict[str, float]:
    """Points per SM code: distinct lexicon terms of each field, a reason-for-visit or title line counting
    double. Each term counts once per document, so a repeated word cannot outvote varied evidence."""
    skip: set[int] = set()
    for name in _ELSEWHERE:
        skip |= section_lines(ctx, sections, name)
    titles = {ln.index for ln in ctx.title_lines}
    in_list = False
    seen: dict[str, set[str]] = {}
    scores: dict[str, float] = {}
    for ln in ctx.nonempty:
        # "Dans ses antécédents, on retient :" / "Son traitement actuel comporte :" and the bullets after it
        if _LIST_INTRO.search(ln.folded):
            in_list = True
            continue
        if in_list and _BULLET.match(ln.raw):
            continue
        in_list = False
        if ln.index in skip or PLANNED.search(ln.folded):
            continue
        weight = 2.0 if ln.index in titles or _REASON.search(ln.folded) else 1.0
        for code, rx in _DOMAIN_RX:
            for m in rx.finditer(ln.folded):
                term = m.group(0)
                if term in seen.setdefault(code, set()):
                    continue
                seen[code].add(term)
                scores[code] = scores.get(code, 0.0) + weight
    return scores


def dominant_domain(scores: dict[str, float]) -> str | None:
    """The field a consultation is about, when its content clearly points to one."""
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    code, top = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if top >= MIN_POINTS and top >= DOMINANCE * second:
        return code
    return None
