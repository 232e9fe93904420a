"""Words for topical search: stems shared by French and English, key lines, and medical terms across languages.

- `stem`: one Snowball stem per folded word, the shorter of the French and English stems, so that the two
  languages of a record meet ("thoraciques" and "thoracic" -> "thorac", "hépatique" and "hepatic" -> "hepat")
  and plurals and inflections fall together ("douleurs thoraciques" finds "douleur thoracique"). The same
  function runs at ingest (the stores' stemmed FTS: `chunks_stem` in index/sqlite/schema.py, the stem columns
  of index/postgres/) and on the question.
- `key_text`: the lines of a chunk that say what the document is about (its title, and lines labelled
  conclusion, impression, assessment, diagnosis, procedure, indication, reason...): a topic named there
  weighs more than one named in a letterhead, a footer or a past-history list.
- `MEDICAL_TERMS`: names of the same condition or procedure in French, English and common abbreviations
  (BPCO / COPD / chronic obstructive pulmonary disease), from standard clinical vocabulary: a term of the
  question brings its synonyms as exact phrases.
"""

from __future__ import annotations

import re

from carnet.text import fold
from carnet.words import stem, stemmed_text, stems

_WORD = re.compile(r"\w+", re.UNICODE)


# stem / stems / stemmed_text live in carnet.words (one stemmer for ingest, search and questions)


# A line that states what the document is about starts with one of these labels.
_KEY_LABEL = re.compile(
    r"^\s*(conclusions?|en conclusion|au total|impressions?|assessment|assessment and plan|diagnos\w*|"
    r"principal diagnosis|discharge diagnos\w*|final diagnos\w*|pre-?operative diagnosis|post-?operative diagnosis|"
    r"procedures?|operation|intervention|acte|indications?|reason for (visit|consultation|admission|referral)|"
    r"chief complaint|motif( de (consultation|recours|l'hospitalisation|d'hospitalisation|l'examen))?|"
    r"interpretation|interprétation|synthese|synthèse|summary)\b\s*[:.-]?", re.IGNORECASE)
_KEY_FOLLOW_LINES = 3  # "IMPRESSION:" then its numbered lines


def key_text(text: str, title: str | None = None) -> str:
    """The title and the labelled key lines of a chunk (with the lines a bare label introduces)."""
    out = [title] if title else []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _KEY_LABEL.match(fold(line))
        if m:
            out.append(line)
            rest = line[m.end():].strip()
            if len(rest) < 3:  # a bare label: its content is on the next lines
                for follow in lines[i + 1:i + 1 + _KEY_FOLLOW_LINES]:
                    if not follow.strip() or _KEY_LABEL.match(fold(follow)):
                        break
                    out.append(follow)
        i += 1
    return "\n".join(out)


# Each entry names one condition or procedure; every name is a folded phrase. Standard clinical names and
# abbreviations in French and English, not any one corpus's wording.
MEDICAL_TERMS: tuple[tuple[str, ...], ...] = (
    ("bpco", "copd", "chronic obstructive pulmonary disease", "bronchopneumopathie chronique obstructive",
     "chronic obstructive lung disease"),
    ("emphyseme", "emphysema"),
    ("asthme", "asthma"),
    ("pneumonie", "pneumopathie", "pneumonia", "pneumopathie infectieuse"),
    ("embolie pulmonaire", "pulmonary embolism"),
    ("nodule pulmonaire", "pulmonary nodule", "lung nodule", "micronodule pulmonaire", "nodule du lobe"),
    ("cancer du poumon", "cancer bronchique", "lung cancer", "carcinome bronchique"),
    ("efr", "explorations fonctionnelles respiratoires", "spirometrie", "spirometry", "pulmonary function tests",
     "pft"),
    ("apnee du sommeil", "sleep apnea", "sleep apnoea", "saos"),
    ("hypertension pulmonaire", "pulmonary hypertension"),
    ("steatose hepatique", "hepatic steatosis", "fatty liver", "steatosis", "steatose", "nafld", "nash", "masld",
     "mash", "steatopathie", "fatty infiltration", "non-alcoholic fatty liver disease"),
    ("cirrhose", "cirrhosis"),
    ("hepatite", "hepatitis"),
    ("cytolyse", "elevated liver enzymes", "transaminases", "alt", "ast", "alat", "asat", "liver enzymes"),
    ("lithiase vesiculaire", "calculs vesiculaires", "calculs biliaires", "cholelithiase", "gallstones",
     "cholelithiasis", "gallbladder stones", "vesicule lithiasique", "lithiasique"),
    ("cholecystite", "cholecystitis"),
    ("polype", "polypes", "polyp", "polyps", "adenome", "adenoma", "polypectomie", "polypectomy"),
    ("reflux gastro-oesophagien", "rgo", "gerd", "gastroesophageal reflux", "acid reflux"),
    ("calculs renaux", "lithiase renale", "lithiase urinaire", "colique nephretique", "kidney stones",
     "renal calculi", "nephrolithiasis", "urolithiasis", "renal colic"),
    ("insuffisance renale", "renal failure", "kidney disease", "chronic kidney disease", "ckd", 
     "fonction renale", "renal function", "kidney function", "egfr", "dfg"),
    ("arthroscopie du genou", "knee arthroscopy", "arthroscopie", "arthroscopy", "arthroscopic"),
    ("menisque", "meniscale", "meniscal", "meniscus", "menisci", "meniscectomie", "meniscectomy"),
    ("prothese de genou", "prothese totale de genou", "arthroplastie du genou", "arthroplastie totale du genou",
     "knee replacement", "knee arthroplasty", "total knee arthroplasty"),
    ("prothese de hanche", "prothese totale de hanche", "arthroplastie de hanche", "arthroplastie totale de hanche",
     "hip replacement", "hip arthroplasty", "total hip arthroplasty"),
    ("arthrose", "osteoarthritis", "gonarthrose", "coxarthrose", "osteoarthrosis"),
    ("canal carpien", "carpal tunnel"),
    ("fracture", "fractures"),
    ("osteoporose", "osteoporosis", "osteopenie", "osteopenia"),
    ("infarctus", "infarctus du myocarde", "myocardial infarction", "heart attack", "stemi", "nstemi", "idm"),
    ("cardiopathie ischemique", "coronaropathie", "ischemic heart disease", "coronary artery disease", 
     "maladie coronarienne"),
    ("insuffisance cardiaque", "heart failure", "cardiac failure", "chf", "hfref", "hfpef"),
    ("fibrillation atriale", "fibrillation auriculaire", "atrial fibrillation", "afib", "acfa"),
    ("retrecissement aortique", "stenose aortique", "aortic stenosis", "aortic valve stenosis"),
    ("douleur thoracique", "douleurs thoraciques", "chest pain", "angor", "angina"),
    ("hypertension arterielle", "hta", "hypertension", "high blood pressure"),
    ("avc", "accident vasculaire cerebral", "stroke", "cerebrovascular accident", "infarctus cerebral"),
    ("epilepsie", "epilepsy", "seizure", "seizures", "crise convulsive", "crises d'epilepsie"),
    ("migraine", "migraines", "cephalee", "cephalees", "headache", "headaches"),
    ("sclerose en plaques", "multiple sclerosis"),
    ("maladie de parkinson", "parkinson", "parkinson's disease", "parkinsonism", "syndrome parkinsonien"),
    ("demence", "dementia", "alzheimer", "troubles cognitifs", "cognitive impairment"),
    ("cataracte", "cataract"),
    ("glaucome", "glaucoma"),
    ("retinopathie diabetique", "diabetic retinopathy"),
    ("diabete", "diabetes", "diabete de type 2", "type 2 diabetes", "dt2", "t2dm", "diabetic", "diabetique"),
    ("hypothyroidie", "hypothyroidism"),
    ("nodule thyroidien", "thyroid nodule"),
    ("cancer du sein", "breast cancer", "carcinome mammaire", "breast carcinoma", "tumeur du sein"),
    ("mammographie", "mammography", "mammogram", "depistage du cancer du sein", "breast cancer screening"),
    ("cancer de la prostate", "prostate cancer", "adenocarcinome prostatique"),
    ("hypertrophie benigne de la prostate", "bph", "benign prostatic hyperplasia"),
    ("anemie", "anaemia", "anemia"),
    ("plaie", "wound", "laceration"),
    ("depression", "syndrome depressif", "episode depressif", "major depressive disorder"),
)


# Linking words a name may have or drop ("prothèse de hanche", "prothèse hanche").
_LINKS = frozenset("de du des d la le les l of the a an".split())


def _quoted(stems_: tuple[str, ...]) -> str:
    return '"' + " ".join(s.replace('"', "") for s in stems_) + '"'


def synonym_phrases(words: list[str]) -> list[tuple[str, ...]]:
    """The MEDICAL_TERMS names of what the topic's words name, as stemmed phrases (the words' own phrase
    included). Longest names first; a word belongs to one entry ("pulmonary hypertension" is not HTA)."""
    topic = [stem(w) for w in words if w not in _LINKS]
    found: list[tuple[int, int, int]] = []  # (length, start, entry)
    for e, entry in enumerate(MEDICAL_TERMS):
        for name in entry:
            phrase = tuple(stem(w) for w in _WORD.findall(name) if w not in _LINKS)
            n = len(phrase)
            for i in range(len(topic) - n + 1):
                if tuple(topic[i:i + n]) == phrase:
                    found.append((n, i, e))
    used: set[int] = set()
    entries: list[int] = []
    for n, i, e in sorted(found, key=lambda f: (-f[0], f[1])):
        span = set(range(i, i + n))
        if span & used:
            continue
        used |= span
        if e not in entries:
            entries.append(e)
    phrases: list[tuple[str, ...]] = []
    for e in entries:
        for name in MEDICAL_TERMS[e]:
            phrase = tuple(stem(w) for w in _WORD.findall(name))
            if phrase and phrase not in phrases:
                phrases.append(phrase)
    return phrases


def rank_terms(words: list[str], expansions: list[str], phrases: list[tuple[str, ...]]) -> list[str]:
    """The quoted FTS5 terms that rank a chunk: each word, expansion and synonym phrase, once."""
    terms = [_quoted((stem(w),)) for w in words + expansions if len(w) >= 2]
    terms += [_quoted(p) for p in phrases]
    return list(dict.fromkeys(terms))


def rank_match(words: list[str], expansions: list[str], phrases: list[tuple[str, ...]]) -> str | None:
    """FTS5 expression over chunks_stem that ranks: any word, expansion or synonym phrase."""
    terms = rank_terms(words, expansions, phrases)
    return " OR ".join(terms) if terms else None


def shows_topic(tokens: list[str], words: list[str], phrases: list[tuple[str, ...]], expansions: list[str] = (),
                window: int = 4) -> bool:
    """`evidence_match`'s rule on a short stemmed text held in memory (a chunk's title and key lines): the
    question's own words within NEAR's span, the one word or a word of its body system, or a medical name as
    a phrase. Used instead of an FTS5 column filter ("key : ..."), whose cost grows with the whole index: it
    walks the doclist of a common stem across every patient (14 ms for one stem at 100,000 patients)."""
    own = list(dict.fromkeys(stem(w) for w in words if len(w) >= 2))
    have = set(tokens)
    if len(own) == 1 and (own[0] in have or any(stem(w) in have for w in expansions if len(w) >= 2)):
        return True
    if len(own) > 1:
        span = window + 2 * len(own)  # NEAR(a b, n) with n = window + words: n other tokens at most in between
        for i, token in enumerate(tokens):
            if token in own and set(own) <= set(tokens[i:i + span]):
                return True
    return any(tuple(tokens[i:i + len(p)]) == p for p in phrases for i in range(len(tokens) - len(p) + 1))


def evidence_match(words: list[str], phrases: list[tuple[str, ...]], expansions: list[str] = (),
                   window: int = 4) -> str | None:
    """FTS5 expression of what shows a chunk is about the topic: all the question's own words close
    together (stems, NEAR), or one of the topic's medical names. A one-word topic that names a body
    system is shown by any word of it ("cœur": "cardiology"); the concept words of a longer topic do not
    count ("breast cancer" is not shown by a footer's "oncology and breast imaging")."""
    own = list(dict.fromkeys(stem(w) for w in words if len(w) >= 2))
    terms = []
    if len(own) == 1:
        terms.append(_quoted((own[0],)))
        terms += [_quoted((stem(w),)) for w in expansions if len(w) >= 2]
    elif own:
        terms.append("NEAR(" + " ".join(_quoted((s,)) for s in own) + f", {window + len(own)})")
    terms += [_quoted(p) for p in phrases]
    terms = list(dict.fromkeys(terms))
    return " OR ".join(terms) if terms else None
