"""The general words of a question (query side only; folded, see `carnet.text.fold`; matched on whole words
by query.parse and query.phrase_index): order and count words, date words (months, units), stop words, the
real words typo correction must leave alone, the markers of the question's language, and the topic concepts
that widen a lexical search across French and English.

The words that name something have their own modules: document types (query.type_words), specialties
(query.specialty_words), exams and analytes (query.exam_words, on top of carnet.lexicon).
"""

from __future__ import annotations

from carnet import words

# --- order and count ------------------------------------------------------------------------------

LATEST_WORDS_FR: tuple[str, ...] = (
    "dernier", "derniere", "le plus recent", "la plus recente", "les plus recents", "les plus recentes",
    "plus recent", "plus recente", "recent", "recente", "actuel", "actuelle", "en cours", "a jour",
    "dernierement", "nouveau", "nouvelle",
)
LATEST_WORDS_EN: tuple[str, ...] = (
    "latest", "last", "most recent", "recent", "newest", "current", "up to date", "up-to-date", "lastest", "new",
)

NUMBER_WORDS: dict[str, int] = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30,
    "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}

# --- dates ------------------------------------------------------------------------------------------

# Month names and abbreviations: carnet.words (MONTHS, MONTH_ABBREVIATIONS), shared with ingestion.
MONTHS = words.MONTHS
MONTH_ABBREVIATIONS = words.MONTH_ABBREVIATIONS
UNITS: dict[str, str] = {
    "jour": "days", "jours": "days", "j": "days", "day": "days", "days": "days",
    "semaine": "weeks", "semaines": "weeks", "sem": "weeks", "week": "weeks", "weeks": "weeks", "wk": "weeks",
    "mois": "months", "month": "months", "months": "months", "mo": "months",
    "an": "years", "ans": "years", "annee": "years", "annees": "years", "year": "years", "years": "years",
    "yr": "years", "yrs": "years",
}

# --- stop words -------------------------------------------------------------------------------------

# carnet.words holds them (one list of stop words for the whole code base).
STOP_WORDS_FR = words.STOP_WORDS_FR
STOP_WORDS_EN = words.STOP_WORDS_EN

# Real words one letter away from a vocabulary word: never "corrected" ("diabete" is not "diabeto",
# "fracture" not "facture", "infection" not "infectio", "cardia" not "cardio").
PROTECTED_WORDS: frozenset[str] = frozenset(
    """diabete diabetes diabetique cardia infection infections fracture fractures great nephron cardiaques
    lettres sortir sorties urine urines reins dernie lipide lipides thyroide medical medicale medicales
    analyser operer opere operee bilans doppler vaccine vaccins sejours imageries scanners radios echos
    genetic genetique allergie allergies allergique psychose psychique neural neurone neurones urgent
    urgente surgery surgeon cancer cancers tumeur tumeurs biopsies lesion lesions colique coliques rectal
    renal renale hepatite hepatique cirrhose anemie asthme angine angor arthrose goutte fievre toux
    dyspnee douleur douleurs malaise syncope chute chutes entorse plaie brulure cicatrice nodule nodules
    polype polypes kyste kystes masse hernie prothese ulcere reflux epilepsie migraine vertige vertiges
    apnee grossesse bebe enfant adulte homme femme gauche droit droite bilateral thorax abdomen pelvis
    bassin genou genoux hanche epaule cheville poignet coude rachis lombaire cervical cervicale dorsal
    cerveau cerebral cerebrale crane sinus oreille gorge larynx poumon poumons coeur aorte carotide
    carotides veine veines artere arteres foie pancreas estomac colon rectum prostate vessie utero
    uterus ovaire ovaires sein seins thyroid peau ongle ongles""".split()
)

# Words that tell the question's language besides the vocabulary's own French/English split.
LANGUAGE_MARKERS_FR: frozenset[str] = frozenset(
    """irm tdm echo genou coeur cerveau poumon poumons rein reins foie sang hanche epaule droit droite gauche
    douleur thoracique abdominale cardiaque pulmonaire depuis dernier derniere derniers dernieres il y
    annee mois semaine entre avant apres jusqu hier aujourd""".split()
)
LANGUAGE_MARKERS_EN: frozenset[str] = frozenset(
    """mri ct tte ekg xray ray ultrasound echocardiogram chest heart knee brain abdominal kidney liver lung
    lungs blood sugar pain left right since last latest past ago before after between until year years month
    months week weeks today yesterday show find""".split()
)

# --- topic concepts: a body system or condition named in French or English, in its noun and adjective forms
# A topic word of the question brings in the other words of its concept for the lexical (BM25) search, so
# "documents sur les reins" reaches "insuffisance rénale" and "kidney", "cœur" reaches "cardiology clinic".
# General medical vocabulary (folded: no accents), not the wording of any one corpus.
TOPIC_CONCEPTS: tuple[tuple[str, ...], ...] = (
    ("coeur", "cardiaque", "cardiaques", "cardiologie", "cardiologique", "cardiologue", "heart", "cardiac", "cardiology",
     "cardiologist", "coronaire", "coronary"),
    ("rein", "reins", "renal", "renale", "renales", "renaux", "nephrologie", "nephrologique", "nephrologue", "kidney",
     "kidneys", "nephrology", "nephrologist"),
    ("digestif", "digestive", "digestion", "intestin", "intestinal", "intestins", "colon", "colique", "colorectal",
     "coloscopie", "colonoscopy", "estomac", "gastrique", "stomach", "bowel", "gut", "gastro", "gastroenterologie",
     "gastroenterology", "rectum", "oesophage", "oesophagus"),
    ("foie", "hepatique", "hepatiques", "hepatologie", "liver", "hepatic"),
    ("poumon", "poumons", "pulmonaire", "pulmonaires", "pneumologie", "pneumologue", "respiratoire", "lung", "lungs",
     "pulmonary", "respiratory", "chest", "thorax", "thoracique"),
    ("cerveau", "cerebral", "cerebrale", "neurologie", "neurologique", "neurologue", "brain", "neurology", "neurological"),
    ("oeil", "yeux", "oculaire", "ophtalmologie", "ophtalmologique", "retine", "eye", "eyes", "ocular", "ophthalmology",
     "retina", "retinal", "vision", "visuelle"),
    ("oreille", "oreilles", "orl", "audition", "auditif", "ear", "ears", "hearing", "otolaryngology"),
    ("peau", "cutane", "cutanee", "cutanees", "dermatologie", "dermatologique", "dermatologue", "skin", "dermatology",
     "dermatological", "lesion"),
    ("os", "osseux", "osseuse", "bone", "bones", "osteoporose", "osteoporosis", "fracture", "fractures"),
    ("genou", "genoux", "knee", "knees", "gonarthrose", "rotule", "patella"),
    ("hanche", "hanches", "hip", "hips", "coxarthrose"),
    ("epaule", "epaules", "shoulder", "shoulders"),
    ("cheville", "chevilles", "ankle", "ankles"),
    ("poignet", "poignets", "wrist", "wrists"),
    ("dos", "rachis", "lombaire", "lombaires", "vertebral", "vertebrale", "spine", "spinal", "back", "lumbar"),
    ("sein", "seins", "mammaire", "mammaires", "breast", "breasts", "mammographie", "mammography"),
    ("grossesse", "enceinte", "obstetrique", "obstetrical", "obstetricale", "prenatal", "prenatale", "pregnancy",
     "pregnant", "obstetric", "antenatal"),
    ("thyroide", "thyroidien", "thyroidienne", "thyroid"),
    ("prostate", "prostatique", "prostatic"),
    ("vessie", "urinaire", "urinaires", "bladder", "urinary"),
    ("diabete", "diabetique", "diabetes", "diabetic", "glycemie", "glycaemia"),
    ("tension", "hypertension", "hta", "hypertensive", "hypertendu"),
    ("cancer", "cancers", "tumeur", "tumeurs", "tumour", "tumor", "oncologie", "oncologique", "oncology", "malin",
     "maligne", "malignant", "carcinome", "carcinoma"),
    ("infection", "infections", "infectieux", "infectieuse", "infectious", "sepsis"),
    ("allergie", "allergies", "allergique", "allergy", "allergic"),
    ("vaccin", "vaccins", "vaccination", "vaccinations", "vaccine", "vaccines", "immunisation", "immunization"),
    ("sang", "sanguin", "sanguine", "blood"),
)
