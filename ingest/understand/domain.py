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
            r"\becg\b|electrocardiogram\w*|"
            r"cardiomyopath\w*|coronarograph\w*|angioplast\w*|\bnyha\b|bloc de branche|bundle branch block|"
            r"bloc auriculo-?ventriculaire|hypertrophie ventriculaire|\bhvg\b|\blvh\b|pericardit\w*|myocardit\w*|"
            r"syndrome coronarien|acute coronary|\btavi\b|fuite mitrale|mitral regurgitation|insuffisance aortique|"
            r"aortic regurgitation|ischemie myocardique|myocardial ischaemia|readaptation cardiaque|"
            r"cardiac rehabilitation|extrasystol\w*|ectopic beats",
    "SM20": r"gynecolog\w*|gynaecolog\w*|frottis|cervical smear|contracepti\w*|post-?natal\w*|post-?partum|grossesse|"
            r"pregnan\w*|speculum|toucher vaginal|vaginal examination|colposcop\w*|menopaus\w*|dysmenorrh\w*|"
            r"endometri\w*|sterilet|\bdiu\b|\biud\b|\bcol (uterin|de l'uterus)|cervix|\bhpv\b|ovair\w*|ovarian|"
            r"uterus|uterin\w*|fibrome|cycles? (menstruels?|reguliers?)|amenorrh\w*|\bgestit\w*|\bparit\w*|\bg\dp\d\b|"
            r"pre-?natal\w*|ante-?natal\w*|obstetric\w*|obstetri\w*|semaines d'amenorrhee|\d+ ?sa\b|weeks' gestation|"
            r"fausse couche|miscarriage|\bivg\b|menorragi\w*|metrorragi\w*|menorrhagia|\bsopk\b|\bpcos\b|vulv\w*|"
            r"pap smear|pelvic examination",
    "SM24": r"colorecta\w*|coloscop\w*|colonoscop\w*|rectorragi\w*|rectal bleeding|crohn|rectocolite|colitis|\bmici\b|\bibd\b|"
            r"cirrho\w*|hepatite|hepatitis|steatos\w*|reflux gastro|\brgo\b|\bgord\b|\bgerd\b|gastroscop\w*|\bfogd\b|"
            r"endoscopie digestive|polype\w*|polyp\w*|pancreatit\w*|dysphagi\w*|helicobacter|ulcere gastrique|"
            r"peptic ulcer|sigmoidoscop\w*|"
            r"epigastralgi\w*|pyrosis|dyspepsi\w*|oesophagit\w*|esophagitis|gastrit\w*|diverticul\w*|hemorroid\w*|"
            r"haemorrhoid\w*|fissure anale|anal fissure|proctolog\w*|ictere|jaundice|ascite|ascites|"
            r"varices (oesophagiennes|esophagiennes)|(o)?esophageal varices|fibroscan|elastometri\w*|calprotectin\w*|"
            r"maladie coeliaque|coeliac|celiac|intestin irritable|colopathie fonctionnelle|irritable bowel",
    "SM30": r"dialys\w*|insuffisance renale|kidney (disease|failure)|renal failure|\bdfg\b|\bdfge\b|\begfr\b|"
            r"fistule arterio-?veineuse|arteriovenous fistula|nephropathi\w*|nephropathy|proteinuri\w*|albuminuri\w*|"
            r"glomerul\w*|greffe renale|kidney transplant|polykystose|"
            r"maladie renale chronique|chronic kidney|\bckd\b|hemodialys\w*|haemodialys\w*|syndrome nephrotique|"
            r"nephrotic|biopsie renale|kidney biopsy|anemie renale|renal anaemia",
    "SM34": r"rhinit\w*|rhinoscop\w*|otoscop\w*|nasofibroscop\w*|laryngoscop\w*|otite|otitis|surdite|hearing loss|"
            r"acouphen\w*|tinnitus|audiogram\w*|audiometr\w*|tympan\w*|sinusit\w*|sinusitis|amygdal\w*|tonsil\w*|"
            r"cornets?\b|turbinate\w*|dysphoni\w*|hoarseness|polypose naso\w*|nasal polyp\w*|obstruction nasale|"
            r"nasal obstruction|epistaxis|vertige positionnel|"
            r"cholesteatom\w*|presbyacousi\w*|presbycusis|vestibul\w*|nystagmus|vegetations adenoides|adenoid\w*|"
            r"septoplast\w*|deviation septale|septal deviation|impedancemetri\w*|tympanometr\w*|cordes vocales|"
            r"vocal (cords|folds)",
    "SM41": r"nodule pulmonaire|pulmonary nodule|lung nodule|\bbpco\b|\bcopd\b|asthm\w*|\befr\b|spirometr\w*|\bvems\b|"
            r"\bfev1\b|emphysem\w*|apnee du sommeil|sleep apnoea|sleep apnea|\bsaos\b|oxygenotherap\w*|"
            r"pneumopathie interstitielle|interstitial lung|fibrose pulmonaire|pulmonary fibrosis|bronchectasi\w*|"
            r"bronchiectasis|polysomnograph\w*|fibroscopie bronchique|bronchoscop\w*|"
            r"pneumothorax|pleuresie|pleural effusion|epanchement pleural|sarcoidos\w*|\bdlco\b|gazometri\w*|blood gases|"
            r"ventilation non invasive|\bvni\b|\bppc\b|\bcpap\b|embolie pulmonaire|pulmonary embol\w*|mucoviscidose|"
            r"cystic fibrosis|bronchite chronique|chronic bronchitis|test de marche de 6|six-minute walk|\btm6\b",
    "SM48": r"polyarthrit\w*|rheumatoid|spondylarthrit\w*|spondyloarthrit\w*|ankylosing|goutte|\bgout\b|das28|"
            r"synovit\w*|methotrexat\w*|uricemi\w*|uric acid|colchicin\w*|pseudo-?polyarthrite|polymyalgi\w*|"
            r"lupus|sclerodermi\w*|connectivit\w*|chondrocalcinose|rhizarthrose|osteoporos\w*|densitometr\w*|"
            r"spondylarthropath\w*|rhumatisme inflammatoire|inflammatory arthritis|sacro-?iliit\w*|sacroiliitis|"
            r"enthesit\w*|biotherap\w*|anti-?tnf|tophus|tophi|hyperuricemi\w*|arthrocentes\w*|ponction articulaire|"
            r"joint aspiration|liquide articulaire|synovial fluid|fibromyalgi\w*|\bbasdai\b|\bcdai\b|\bsdai\b|anti-?ccp|"
            r"facteur rhumatoide|rheumatoid factor|maladie de horton|arterite temporale|giant cell arteritis|sjogren|"
            r"vascularit\w*|vasculitis|polymyosit\w*",
    "SM16": r"diabet\w*|hba1c|hemoglobine glyquee|insulin\w*|hypoglycemi\w*|hypoglycaemi\w*|autosurveillance glycemique|"
            r"glucose monitoring|thyroid\w*|hypothyroid\w*|hyperthyroid\w*|basedow|graves|hashimoto|"
            r"goitre|goiter|\btsh\b|surrenal\w*|adrenal|cushing|addison|hypophys\w*|pituitar\w*|monofilament|"
            r"pied diabetique|diabetic foot|obesit\w*|"
            r"pompe a insuline|insulin pump|capteur de glucose|glucose sensor|freestyle|dexcom|parathyroid\w*|"
            r"hyperaldosteron\w*|pheochromocytom\w*|acromegal\w*|prolactin\w*|hypogonad\w*|nodule thyroidien|"
            r"thyroid nodule",
    "SM15": r"dermatoscop\w*|dermoscop\w*|eczema|psoriasis|naevus|nevus|nevi\b|melanom\w*|carcinome basocellulaire|"
            r"basal cell carcinoma|acne\b|urticaire chronique|dermatite|dermatitis|keratose|keratosis|"
            r"lesions? cutanees?|skin lesions?|prurit\w*|vitiligo|pelade|alopeci\w*|"
            r"dermatos\w*|lesion pigmentee|pigmented lesion|carcinome epidermoide cutane|cutaneous squamous cell|"
            r"kerato-?acanthom\w*|pemphig\w*|rosacee|rosacea|hidradenit\w*|exerese cutanee|biopsie cutanee|skin biopsy|"
            r"phototherap\w*",
    "SM38": r"acuite visuelle|visual acuity|lampe a fente|slit lamp|glaucom\w*|cataract\w*|\bdmla\b|macular degeneration|"
            r"retinopathi\w*|retinopathy|tonus oculaire|pression intra-?oculaire|intraocular pressure|refraction|"
            r"strabism\w*|keratocone|uveit\w*|"
            r"fond d'oeil|segment anterieur|anterior segment|microanevrism\w*|maculopathi\w*|oedeme maculaire|"
            r"macular (o)?edema|angiographie (a la )?fluoresceine|fluorescein|\bpio\b|\biop\b|champ visuel|"
            r"visual field|blepharit\w*|chalazion|decollement de (la )?retine|retinal detachment|intra-?vitreen\w*|"
            r"intravitreal|\b\d{1,2}/10e? p ?\d\b",
    "SM32": r"epilep\w*|parkinson\w*|sclerose en plaques|multiple sclerosis|\bsep\b|accident vasculaire cerebral|\bavc\b|"
            r"stroke|migraine\w*|neuropathi\w*|neuropathy|\beeg\b|\bemg\b|electromyogra\w*|ponction lombaire|"
            r"lumbar puncture|myasthen\w*|sclerose laterale|demence|dementia|alzheimer|tremblement|tremor|"
            r"deficit moteur|motor deficit|paresthesi\w*|"
            r"polyneuropath\w*|hemipares\w*|hemipleg\w*|aphasi\w*|dysarthri\w*|ataxi\w*|trigeminal|trijumea\w*|"
            r"electroneuromyogra\w*|\benmg\b|levodopa|antiepilept\w*|anticonvuls\w*|crises? convulsives?|seizures?|"
            r"accident ischemique transitoire|transient isch(a)?emic",
    "SM08": r"prothese (totale )?(de (la |du )?)?(hanche|genou|epaule)|\bptg\b|\bpth\b|arthroplast\w*|joint replacement|"
            r"hip replacement|knee replacement|osteosynthes\w*|ligamentoplast\w*|menisc\w*|ligament croise|"
            r"cruciate ligament|canal carpien|carpal tunnel|coiffe des rotateurs|rotator cuff|hallux valgus|"
            r"pseudarthros\w*|enclouage|fixateur externe|"
            r"luxation\w*|\blca\b|\bacl\b|scoliose|scoliosis|reprise chirurgicale|ablation du materiel|hardware removal|"
            r"canal lombaire etroit|lumbar (spinal )?stenosis",
    "SM12": r"prostat\w*|\bpsa\b|cystoscop\w*|lithiase (urinaire|renale)|kidney stones?|calcul (urinaire|renal)|"
            r"incontinence urinaire|urinary incontinence|hematurie|haematuria|debitmetr\w*|vessie|bladder|"
            r"sonde urinaire|dysfonction erectile|erectile dysfunction|\bhbp\b|\bbph\b|"
            r"ureteroscop\w*|lithotrit\w*|nephrolithotom\w*|resection transurethrale|\brtup\b|\bturp\b|varicocele|"
            r"hydrocele|vasectomi\w*|vasectomy|residu post-?mictionnel|post-?void residual|toucher rectal|"
            r"digital rectal examination",
    "SM36": r"chimiotherap\w*|chemotherap\w*|immunotherapie|metasta\w*|\brcp\b|tumor board|carcinome|carcinoma|"
            r"adenocarcinom\w*|oncolog\w*|cancer (du sein|bronchique|du poumon|de la prostate|colique)|breast cancer|"
            r"lung cancer|"
            r"radiotherap\w*|hormonotherap\w*|\brecist\b|\becog\b|chambre implantable|port-?a-?cath|therapie ciblee|"
            r"targeted therapy",
    "SM21": r"lymphom\w*|myelom\w*|leucemi\w*|leukaemi\w*|leukemi\w*|myelogramme|bone marrow|thrombopeni\w*|"
            r"thrombocytopeni\w*|drepanocytose|sickle cell|hemophil\w*|haemophil\w*|syndrome myelo\w*|myeloprolif\w*|"
            r"anemie hemolytique|ha?emolytic ana?emia|polyglobul\w*|polycyth\w*|thrombocytem\w*|gammapathi\w*|gammopathy|"
            r"\bmgus\b|biopsie osteo-?medullaire|bone marrow biopsy|neutropeni\w*|pancytopeni\w*|purpura thrombopenique|"
            r"\bllc\b|\bcll\b",
    "SM42": r"schizophren\w*|trouble bipolaire|bipolar disorder|psychose|psychosis|episode depressif|depressive episode|"
            r"idees suicidaires|suicidal|antipsychotique|antipsychotic|thymique|trouble anxieux|anxiety disorder|"
            r"anorexie mentale|anorexia nervosa|boulimi\w*|bulimi\w*|\btoc\b|obsessive-compulsive|"
            r"stress post-?traumatique|\bptsd\b|\btspt\b|neuroleptique\w*|thymoregulat\w*|mood stabili[sz]er|lithium|"
            r"hospitalisation sous contrainte",
    "SM18": r"\bmmse\b|\bmms\b|troubles cognitifs|cognitive impairment|chutes a repetition|recurrent falls|\bgir\b|"
            r"evaluation geriatrique|geriatric assessment|perte d'autonomie|syndrome de fragilite|frailty|"
            r"denutrition|\bmna\b|timed up and go|\btug\b|appui unipodal|\badl\b|\biadl\b|syndrome de glissement|"
            r"polymedication|polypharmacy|evaluation gerontologique",
    "SM58": r"\bvih\b|\bhiv\b|tuberculos\w*|antibiotherapie prolongee|endocardite|endocarditis|paludisme|malaria|"
            r"hepatite c|infection osteo-?articulaire|"
            r"\bvhb\b|\bvhc\b|hepatite b|bilharz\w*|prophylaxie pre-?exposition|pre-?exposure prophylaxis|syphilis|lyme|"
            r"borrelios\w*|spondylodiscit\w*|osteite|osteomyelit\w*|bacteriemi\w*|bacteraemia",
    "SM61": r"arteriopathi\w*|peripheral arterial disease|claudication|thrombose veineuse|deep vein thrombosis|"
            r"\btvp\b|\bdvt\b|varice\w*|varicose|insuffisance veineuse|venous insufficiency|index de pression systolique|"
            r"\bips\b|ankle-brachial|"
            r"anevrism\w* de l'aorte|aortic aneurysm|\baaa\b|stenose carotid\w*|carotid stenosis|atherome carotidien|"
            r"carotid plaque|lymphoedem\w*|lymphedema|ulcere veineux|venous ulcer|post-?thrombotique|post-?thrombotic|"
            r"sclerotherap\w*|phlebit\w*",
    "SM57": r"allergolog\w*|tests? cutanes?|skin prick|prick-?tests?|desensibilisation|immunotherapie allergenique|"
            r"\bige specifiques\b|anaphyla\w*|"
            r"pollinose|acariens|dust mites?|allergie alimentaire|food allergy|oedeme de quincke|angio-?oedem\w*|"
            r"angioedem\w*|test de provocation|provocation test|stylo d'adrenaline|adrenaline auto-?injector|anapen|"
            r"epipen",
}


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern: the lexicon's entries."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(pattern):
        if ch == "(" and pattern[i - 1:i] != "\\":
            depth += 1
        elif ch == ")" and pattern[i - 1:i] != "\\":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    out.append(pattern[start:])
    return out


# Per field: the whole lexicon as one pattern (to find), and each entry on its own (to say which one matched,
# so "diabète" and "diabétique" are one piece of evidence, not two).
_DOMAIN_RX = [(code, re.compile(rf"(?<![a-z])(?:{pattern})"), [re.compile(alt) for alt in _alternatives(pattern)])
              for code, pattern in _DOMAINS.items()]
# Where a consultation says what it is about ("pour : rhinite chronique", "Reason for referral: ...").
_REASON = re.compile(r"(?:\bpour\b|\bfor\b|motif|reason|re)\s*:|consultation (du|de suivi|for)|suivi d")
# Sections that say what the visit was about and what it concluded weigh as much as the reason line.
_KEY_SECTIONS = ("motif", "conclusion")
# Sections that describe other acts or other times: the patient's history, the drugs, the plan.
_LIST_INTRO = re.compile(r"(antecedents?|\batcd\b|traitements?|medications?|past (medical )?history|background)\b[^:]{0,40}:")
_BULLET = re.compile(r"^\s*[•\-*–·]")
_ELSEWHERE = ("antecedents", "traitement", "allergies", "facteurs_risque", "mode_de_vie", "vaccinations", "plan")

MIN_POINTS = 3.0  # at least a reason plus one finding, or three findings
DOMINANCE = 2.0  # the field must clearly lead: a diabetic's cardiology letter also mentions HbA1c


def domain_scores(ctx: Context, sections: tuple[SectionMark, ...]) -> dict[str, float]:
    """Points per SM code: distinct lexicon entries of each field, each worth 2 when it appears in the
    reason for the visit, a title or the conclusion and 1 elsewhere. An entry counts once per document
    (at its best place), so a repeated word cannot outvote varied evidence."""
    skip: set[int] = set()
    for name in _ELSEWHERE:
        skip |= section_lines(ctx, sections, name)
    key_lines = {ln.index for ln in ctx.title_lines} | _first_sentences(ctx, sections, _KEY_SECTIONS)
    in_list = False
    best: dict[tuple[str, int], float] = {}
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
        weight = 2.0 if ln.index in key_lines or _REASON.search(ln.folded) else 1.0
        for code, rx, entries in _DOMAIN_RX:
            for m in rx.finditer(ln.folded):
                entry = next((i for i, alt in enumerate(entries) if alt.fullmatch(m.group(0))), -1)
                best[code, entry] = max(best.get((code, entry), 0.0), weight)
    scores: dict[str, float] = {}
    for (code, _), points in best.items():
        scores[code] = scores.get(code, 0.0) + points
    return scores


def _first_sentences(ctx: Context, sections: tuple[SectionMark, ...], names: tuple[str, ...]) -> set[int]:
    """The lines of the first sentence of each named section ("Au total : rhinite allergique." but not the
    proposals that follow it)."""
    out: set[int] = set()
    for name in names:
        lines = sorted(section_lines(ctx, sections, name))
        runs: list[list[int]] = []
        for i in lines:  # one run of consecutive lines per section
            if runs and i == runs[-1][-1] + 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        for run in runs:
            texts = [(i, ctx.lines[i].folded) for i in run if ctx.lines[i].folded]
            if not texts:
                continue
            first, rest = texts[0], texts[1:]
            # a bare heading ("Conclusion", "Motif de consultation :") gives its sentence to the next line
            head, colon, tail = first[1].partition(":")
            if (len(tail.strip()) < 3 if colon else len(head.split()) <= 5) and rest:
                out.add(first[0])
                first, rest = rest[0], rest[1:]
            out.add(first[0])
            if not first[1].rstrip().endswith(".") and rest:
                out.add(rest[0][0])
    return out


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
