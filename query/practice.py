"""How doctors actually type: the abbreviations of practice, English names of French concepts, short markers.

Two concerns, both data with a small lookup, read by `query.parse`:

1. PRACTICE: abbreviations and English terms, each tied to a code Carnet filters on (a LOINC document
   type, an exam key of carnet.lexicon, an analyte key, a specialty group of carnet.codes) and to the
   public reference it comes from (the `source` column). The expansion is what the interpretation's chip
   shows ("BH → bilan hépatique"). AMBIGUOUS lists the short forms with several common readings ("MG":
   médecine générale, magnésium or myasthénie): the first is taken unless the patient's record decides
   (query.ambiguity), the others are offered on the page.
2. Order, count and date markers ("dernier", "latest", "depuis", "before"...) under the shapes a hurried
   doctor types: truncation ("der", "dern."), dropped vowels ("dnr", "lst", "avt"), one-edit typos and
   transpositions ("dernir", "drenier", "lastest"), missing accents. `read_marker` is a mechanism, not a
   list of misspellings: prefix of a known stem, consonant skeleton, then an edit distance (rapidfuzz OSA:
   insertions, deletions, substitutions, swaps of neighbours) whose allowance grows with the word's length
   and which keeps the first letter (typos rarely hit it).

Sources named in the table (all public): LOINC display names and their French linguistic variant (fr-FR);
the DMP's type list (ANS, TRE_A04-TypeDocComplementaire, see shared/reference/dmp-metadata.md) and its
specialty list (TRE_R38-SpecialiteOrdinale, G15_10/SMxx); the bio-top.net French medical terminology
("abréviations"); the HAS reports on the hemogram and on lipid tests (EAL); common UK/US clinical
abbreviations (NHS / NICE wording: "U&E", "FBC", "LFTs"; US: "CBC", "BMP", "CMP", "CXR", "TTE", "TEE").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from carnet.codes import CERTIFICATE, CONSULTATIONS, DISCHARGE, EMERGENCY, IMAGING, LAB, OPERATIVE, PATHOLOGY

LOINC_FR = "LOINC display name, French linguistic variant (fr-FR)"
DMP_TYPES = "DMP type list (ANS TRE_A04, dmp-metadata.md section 2)"
DMP_SPECIALTIES = "DMP author specialties (TRE_R38, G15_10/SMxx)"
BIOTOP = "bio-top.net, terminologie médicale, abréviations"
HAS = "HAS, Lecture critique de l'hémogramme; HAS, EAL (exploration d'une anomalie lipidique)"
EN_CLINICAL = "common English clinical abbreviations (NHS/NICE, US usage)"


@dataclass(frozen=True)
class Practice:
    """One way of typing a concept. `phrase` is folded (lower case, no accents), `kind` says which
    field `codes` fill ("type", "specialty", "exam", "analyte")."""

    phrase: str
    language: str  # "fr" | "en"
    kind: str
    codes: tuple[str, ...]
    expansion: str  # the reading shown on the chip, in the phrase's language
    source: str


def _p(phrase: str, language: str, kind: str, codes: str | tuple[str, ...], expansion: str, source: str) -> Practice:
    return Practice(phrase, language, kind, (codes,) if isinstance(codes, str) else codes, expansion, source)


NFS_ANALYTES = ("nfs", "plaquettes", "leucocytes")  # the blood count by the rows only it has ("hémoglobine" is also in "hémoglobine glyquée")
LIVER = ("transaminases", "ggt", "phosphatases-alcalines", "bilirubine")
LIPIDS = ("cholesterol-ldl", "cholesterol-hdl", "cholesterol-total", "triglycerides")
ELECTROLYTES = ("potassium", "sodium", "chlore", "bicarbonates")
RENAL = ("creatinine", "dfg", "uree")

PRACTICE: tuple[Practice, ...] = (
    # --- document types, French (compte rendu = CR) ---
    _p("cr", "fr", "generic", (), "compte rendu", BIOTOP),
    _p("crh", "fr", "type", DISCHARGE, "compte rendu d'hospitalisation", DMP_TYPES),
    _p("cro", "fr", "type", OPERATIVE, "compte rendu opératoire", DMP_TYPES),
    _p("cr op", "fr", "type", OPERATIVE, "compte rendu opératoire", DMP_TYPES),
    _p("cru", "fr", "type", EMERGENCY, "compte rendu des urgences", DMP_TYPES),
    _p("cr urg", "fr", "type", EMERGENCY, "compte rendu des urgences", DMP_TYPES),
    _p("urg", "fr", "type", EMERGENCY, "urgences", DMP_TYPES),
    _p("passage urg", "fr", "type", EMERGENCY, "passage aux urgences", DMP_TYPES),
    _p("cs", "fr", "type", CONSULTATIONS, "consultation", BIOTOP),
    _p("consult", "fr", "type", CONSULTATIONS, "consultation", LOINC_FR),
    _p("cr cs", "fr", "type", CONSULTATIONS, "compte rendu de consultation", DMP_TYPES),
    _p("certif", "fr", "type", CERTIFICATE, "certificat médical", DMP_TYPES),
    _p("anapath", "fr", "type", PATHOLOGY, "anatomopathologie", DMP_TYPES),
    _p("bio", "fr", "type", (LAB,), "biologie", DMP_TYPES),
    # --- document types, English names of the DMP's types ---
    _p("hospital stay report", "en", "type", DISCHARGE, "hospital stay report (CRH)", LOINC_FR),
    _p("discharge summ", "en", "type", DISCHARGE, "discharge summary", LOINC_FR),
    _p("ed visit", "en", "type", EMERGENCY, "emergency department visit", LOINC_FR),
    _p("ed note", "en", "type", EMERGENCY, "emergency department note", LOINC_FR),
    _p("er", "en", "type", EMERGENCY, "emergency room", EN_CLINICAL),
    _p("consult", "en", "type", CONSULTATIONS, "consultation", LOINC_FR),
    # --- exams (carnet.lexicon EXAMS keys) ---
    _p("ett", "fr", "exam", "echocardiographie", "échocardiographie transthoracique", BIOTOP),
    _p("eto", "fr", "exam", "echocardiographie", "échocardiographie transœsophagienne", BIOTOP),
    _p("echo", "fr", "exam", "echographie", "échographie", BIOTOP),
    _p("efr", "fr", "exam", "efr", "explorations fonctionnelles respiratoires", BIOTOP),
    _p("tdm", "fr", "exam", "scanner", "tomodensitométrie (scanner)", BIOTOP),
    _p("irm", "fr", "exam", "irm", "imagerie par résonance magnétique", LOINC_FR),
    _p("rp", "fr", "exam", "radiographie", "radiographie pulmonaire", BIOTOP),
    _p("asp", "fr", "exam", "radiographie", "abdomen sans préparation", BIOTOP),
    _p("ecg", "fr", "exam", "ecg", "électrocardiogramme", BIOTOP),
    _p("eeg", "fr", "exam", "eeg", "électroencéphalogramme", BIOTOP),
    _p("emg", "fr", "exam", "emg", "électromyogramme", BIOTOP),
    _p("mammo", "fr", "exam", "mammographie", "mammographie", BIOTOP),
    _p("coro", "fr", "exam", "coronarographie", "coronarographie", BIOTOP),
    _p("fogd", "fr", "exam", "endoscopie", "fibroscopie œso-gastro-duodénale", BIOTOP),
    _p("colo", "fr", "exam", "coloscopie", "coloscopie", BIOTOP),
    _p("fo", "fr", "exam", "fond-oeil", "fond d'œil", BIOTOP),
    _p("tte", "en", "exam", "echocardiographie", "transthoracic echocardiogram", EN_CLINICAL),
    _p("tee", "en", "exam", "echocardiographie", "transesophageal echocardiogram", EN_CLINICAL),
    _p("toe", "en", "exam", "echocardiographie", "transoesophageal echocardiogram", EN_CLINICAL),
    _p("cxr", "en", "exam", "radiographie", "chest X-ray", EN_CLINICAL),
    _p("ct", "en", "exam", "scanner", "CT scan", EN_CLINICAL),
    _p("mri", "en", "exam", "irm", "MRI", EN_CLINICAL),
    _p("ekg", "en", "exam", "ecg", "electrocardiogram", EN_CLINICAL),
    _p("pft", "en", "exam", "efr", "pulmonary function tests", EN_CLINICAL),
    _p("ogd", "en", "exam", "endoscopie", "oesophago-gastro-duodenoscopy", EN_CLINICAL),
    _p("egd", "en", "exam", "endoscopie", "esophagogastroduodenoscopy", EN_CLINICAL),
    # --- analytes and panels (carnet.lexicon ANALYTES keys) ---
    _p("nfs", "fr", "analyte", NFS_ANALYTES, "numération formule sanguine", HAS),
    _p("hemogramme", "fr", "analyte", NFS_ANALYTES, "hémogramme (NFS)", HAS),
    _p("numeration formule sanguine", "fr", "analyte", NFS_ANALYTES, "numération formule sanguine", HAS),
    _p("bh", "fr", "analyte", LIVER, "bilan hépatique", BIOTOP),
    _p("bilan hep", "fr", "analyte", LIVER, "bilan hépatique", BIOTOP),
    _p("bilan hepatique", "fr", "analyte", LIVER, "bilan hépatique", LOINC_FR),
    _p("eal", "fr", "analyte", LIPIDS, "exploration d'une anomalie lipidique", HAS),
    _p("iono", "fr", "analyte", ELECTROLYTES, "ionogramme", BIOTOP),
    _p("ionogramme", "fr", "analyte", ELECTROLYTES, "ionogramme", LOINC_FR),
    _p("tsh", "fr", "analyte", "tsh", "thyréostimuline (TSH)", LOINC_FR),
    _p("hba1c", "fr", "analyte", "hba1c", "hémoglobine glyquée", LOINC_FR),
    _p("creat", "fr", "analyte", "creatinine", "créatinine", BIOTOP),
    _p("k+", "fr", "analyte", "potassium", "potassium (kaliémie)", BIOTOP),
    _p("microalb", "fr", "analyte", "albuminurie", "microalbuminurie", BIOTOP),
    _p("vit d", "fr", "analyte", "vitamine-d", "vitamine D", BIOTOP),
    _p("bu", "fr", "analyte", "albuminurie", "bandelette urinaire", BIOTOP),
    _p("ecbu", "fr", "type", (LAB,), "examen cytobactériologique des urines", BIOTOP),
    _p("cbc", "en", "analyte", NFS_ANALYTES, "complete blood count (NFS)", "LOINC 58410-2 CBC panel"),
    _p("complete blood count", "en", "analyte", NFS_ANALYTES, "complete blood count (NFS)",
       "LOINC 58410-2 CBC panel"),
    _p("fbc", "en", "analyte", NFS_ANALYTES, "full blood count (NFS)", EN_CLINICAL),
    _p("full blood count", "en", "analyte", NFS_ANALYTES, "full blood count (NFS)", EN_CLINICAL),
    _p("blood count", "en", "analyte", NFS_ANALYTES, "blood count (NFS)", EN_CLINICAL),
    _p("lft", "en", "analyte", LIVER, "liver function tests (bilan hépatique)", "LOINC 24325-3 Hepatic function panel"),
    _p("liver function test", "en", "analyte", LIVER, "liver function tests (bilan hépatique)",
       "LOINC 24325-3 Hepatic function panel"),
    _p("liver panel", "en", "analyte", LIVER, "hepatic function panel (bilan hépatique)",
       "LOINC 24325-3 Hepatic function panel"),
    _p("lipid panel", "en", "analyte", LIPIDS, "lipid panel (EAL)", "LOINC 24331-1 Lipid panel"),
    _p("lipid profile", "en", "analyte", LIPIDS, "lipid profile (EAL)", "LOINC 24331-1 Lipid panel"),
    _p("u&e", "en", "analyte", ELECTROLYTES + RENAL, "urea and electrolytes (ionogramme)", EN_CLINICAL),
    _p("ue", "en", "analyte", ELECTROLYTES + RENAL, "urea and electrolytes (ionogramme)", EN_CLINICAL),
    _p("urea and electrolyte", "en", "analyte", ELECTROLYTES + RENAL, "urea and electrolytes (ionogramme)",
       EN_CLINICAL),
    _p("bmp", "en", "analyte", ELECTROLYTES + RENAL + ("glycemie",), "basic metabolic panel (ionogramme)",
       "LOINC 51990-0 Basic metabolic panel"),
    _p("basic metabolic panel", "en", "analyte", ELECTROLYTES + RENAL + ("glycemie",),
       "basic metabolic panel (ionogramme)", "LOINC 51990-0 Basic metabolic panel"),
    _p("cmp", "en", "analyte", ELECTROLYTES + RENAL + LIVER, "comprehensive metabolic panel",
       "LOINC 24323-8 Comprehensive metabolic panel"),
    _p("electrolytes", "en", "analyte", ELECTROLYTES, "electrolytes (ionogramme)", EN_CLINICAL),
    _p("a1c", "en", "analyte", "hba1c", "HbA1c", EN_CLINICAL),
    _p("egfr", "en", "analyte", "dfg", "estimated GFR (DFG)", LOINC_FR),
    _p("vit d", "en", "analyte", "vitamine-d", "vitamin D", EN_CLINICAL),
    _p("creat", "en", "analyte", "creatinine", "creatinine", EN_CLINICAL),
    # --- specialties (carnet.codes SPECIALTY_GROUPS keys): the stubs of the DMP's specialty names ---
    _p("mt", "fr", "specialty", "medecine-generale", "médecin traitant", BIOTOP),
    _p("med ge", "fr", "specialty", "medecine-generale", "médecine générale", DMP_SPECIALTIES),
    _p("med gen", "fr", "specialty", "medecine-generale", "médecine générale", DMP_SPECIALTIES),
    _p("medecin traitant", "fr", "specialty", "medecine-generale", "médecin traitant", DMP_SPECIALTIES),
    _p("med interne", "fr", "specialty", "medecine-interne", "médecine interne", DMP_SPECIALTIES),
    _p("cardio", "fr", "specialty", "cardiologie", "cardiologie", DMP_SPECIALTIES),
    _p("pneumo", "fr", "specialty", "pneumologie", "pneumologie", DMP_SPECIALTIES),
    _p("endoc", "fr", "specialty", "endocrinologie", "endocrinologie", DMP_SPECIALTIES),
    _p("endocrino", "fr", "specialty", "endocrinologie", "endocrinologie", DMP_SPECIALTIES),
    _p("diabeto", "fr", "specialty", "endocrinologie", "diabétologie", DMP_SPECIALTIES),
    _p("rhumato", "fr", "specialty", "rhumatologie", "rhumatologie", DMP_SPECIALTIES),
    _p("neuro", "fr", "specialty", "neurologie", "neurologie", DMP_SPECIALTIES),
    _p("gastro", "fr", "specialty", "gastro-enterologie", "gastro-entérologie", DMP_SPECIALTIES),
    _p("hge", "fr", "specialty", "gastro-enterologie", "hépato-gastro-entérologie", BIOTOP),
    _p("uro", "fr", "specialty", "urologie", "urologie", DMP_SPECIALTIES),
    _p("gyneco", "fr", "specialty", "gynecologie", "gynécologie", DMP_SPECIALTIES),
    _p("gyn", "fr", "specialty", "gynecologie", "gynécologie", DMP_SPECIALTIES),
    _p("derm", "fr", "specialty", "dermatologie", "dermatologie", DMP_SPECIALTIES),
    _p("dermato", "fr", "specialty", "dermatologie", "dermatologie", DMP_SPECIALTIES),
    _p("ophtalmo", "fr", "specialty", "ophtalmologie", "ophtalmologie", DMP_SPECIALTIES),
    _p("oph", "fr", "specialty", "ophtalmologie", "ophtalmologie", BIOTOP),
    _p("orl", "fr", "specialty", "orl", "oto-rhino-laryngologie", DMP_SPECIALTIES),
    _p("psy", "fr", "specialty", "psychiatrie", "psychiatrie", DMP_SPECIALTIES),
    _p("onco", "fr", "specialty", "oncologie", "oncologie", DMP_SPECIALTIES),
    _p("nephro", "fr", "specialty", "nephrologie", "néphrologie", DMP_SPECIALTIES),
    _p("hemato", "fr", "specialty", "hematologie", "hématologie", DMP_SPECIALTIES),
    _p("geria", "fr", "specialty", "geriatrie", "gériatrie", DMP_SPECIALTIES),
    _p("ortho", "fr", "specialty", "chirurgie-orthopedique", "chirurgie orthopédique", DMP_SPECIALTIES),
    _p("angio", "fr", "specialty", "medecine-vasculaire", "angiologie (médecine vasculaire)", DMP_SPECIALTIES),
    _p("primary care", "en", "specialty", "medecine-generale", "primary care (médecine générale)", DMP_SPECIALTIES),
    _p("general practice", "en", "specialty", "medecine-generale", "general practice (médecine générale)",
       DMP_SPECIALTIES),
    _p("family medicine", "en", "specialty", "medecine-generale", "family medicine (médecine générale)",
       DMP_SPECIALTIES),
    _p("gp", "en", "specialty", "medecine-generale", "general practitioner", EN_CLINICAL),
    _p("internal med", "en", "specialty", "medecine-interne", "internal medicine", EN_CLINICAL),
    _p("pulm", "en", "specialty", "pneumologie", "pulmonology", EN_CLINICAL),
    _p("pulmo", "en", "specialty", "pneumologie", "pulmonology", EN_CLINICAL),
    _p("cardio", "en", "specialty", "cardiologie", "cardiology", EN_CLINICAL),
    _p("endo", "en", "specialty", "endocrinologie", "endocrinology", EN_CLINICAL),
    _p("rheum", "en", "specialty", "rhumatologie", "rheumatology", EN_CLINICAL),
    _p("neuro", "en", "specialty", "neurologie", "neurology", EN_CLINICAL),
    _p("nephro", "en", "specialty", "nephrologie", "nephrology", EN_CLINICAL),
    _p("ent", "en", "specialty", "orl", "ear, nose and throat", EN_CLINICAL),
    _p("ophtho", "en", "specialty", "ophtalmologie", "ophthalmology", EN_CLINICAL),
    _p("ortho", "en", "specialty", "chirurgie-orthopedique", "orthopaedics", EN_CLINICAL),
    _p("derm", "en", "specialty", "dermatologie", "dermatology", EN_CLINICAL),
    _p("gyn", "en", "specialty", "gynecologie", "gynaecology", EN_CLINICAL),
    _p("onc", "en", "specialty", "oncologie", "oncology", EN_CLINICAL),
    _p("heme", "en", "specialty", "hematologie", "hematology", EN_CLINICAL),
    _p("psych", "en", "specialty", "psychiatrie", "psychiatry", EN_CLINICAL),
)


@dataclass(frozen=True)
class Reading:
    """One meaning of an ambiguous short form: `phrase` (folded) is read instead of the typed word."""

    id: str  # "<kind>:<code>", what the page sends back to choose it
    phrase: str
    label_fr: str
    label_en: str
    source: str


# Short forms with two or more common readings in French practice (bio-top.net; "Quand les lettres masquent
# les maux", acronymes à manier avec précaution; LOINC display names for the exams), in order of how commonly
# they are meant. The parser takes the first and offers the others; query.ambiguity then lets the patient's
# record decide when only one reading finds anything in it, and says the question is ambiguous otherwise.
AMBIGUOUS: dict[str, tuple[Reading, ...]] = {
    "mg": (Reading("specialty:medecine-generale", "medecine generale", "médecine générale", "general practice",
                   DMP_SPECIALTIES),
           Reading("analyte:magnesium", "magnesium", "magnésium", "magnesium", BIOTOP),
           Reading("topic:myasthenie", "myasthenie", "myasthénie", "myasthenia gravis", BIOTOP)),
    "ic": (Reading("topic:insuffisance-cardiaque", "insuffisance cardiaque", "insuffisance cardiaque",
                   "heart failure", BIOTOP),
           Reading("topic:insuffisance-coronaire", "insuffisance coronaire", "insuffisance coronaire",
                   "coronary insufficiency", BIOTOP)),
    "ir": (Reading("topic:insuffisance-renale", "insuffisance renale", "insuffisance rénale", "renal failure",
                   BIOTOP),
           Reading("topic:insuffisance-respiratoire", "insuffisance respiratoire", "insuffisance respiratoire",
                   "respiratory failure", BIOTOP)),
    "ep": (Reading("topic:embolie-pulmonaire", "embolie pulmonaire", "embolie pulmonaire", "pulmonary embolism",
                   BIOTOP),
           Reading("topic:epanchement-pleural", "epanchement pleural", "épanchement pleural", "pleural effusion",
                   BIOTOP)),
    "pa": (Reading("topic:pression-arterielle", "pression arterielle", "pression artérielle", "blood pressure",
                   BIOTOP),
           Reading("analyte:phosphatases-alcalines", "phosphatases alcalines", "phosphatases alcalines",
                   "alkaline phosphatase", BIOTOP)),
    "rp": (Reading("exam:radiographie", "radiographie", "radiographie pulmonaire", "chest X-ray", BIOTOP),
           Reading("topic:retrecissement-pulmonaire", "retrecissement pulmonaire", "rétrécissement pulmonaire",
                   "pulmonary stenosis", BIOTOP)),
    # "écho" alone: in French any ultrasound, in English usage the echocardiogram ("an echo")
    "echo": (Reading("exam:echographie", "echographie", "échographie", "ultrasound", LOINC_FR),
             Reading("exam:echocardiographie", "echocardiographie", "échocardiographie", "echocardiogram",
                     LOINC_FR)),
    "endo": (Reading("specialty:endocrinologie", "endocrinologie", "endocrinologie", "endocrinology",
                     DMP_SPECIALTIES),
             Reading("exam:endoscopie", "endoscopie", "endoscopie digestive", "endoscopy", BIOTOP)),
}


# --- order, count and date markers -----------------------------------------------------------------------

# Families: (stem, forms). A truncation at least as long as the stem reads as the first form it begins
# ("der", "dern" -> "dernier"); the date and count rules read every form.
MARKER_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("der", ("dernier", "derniere", "derniers", "dernieres")),
    ("rece", ("recent", "recente", "recents", "recentes")),
    ("depu", ("depuis",)),
    ("avan", ("avant",)),
    ("apre", ("apres",)),
    ("entr", ("entre",)),
    ("pend", ("pendant",)),
    ("jusq", ("jusqu",)),
    ("lates", ("latest",)),
    ("last", ("last",)),
    ("most", ("most",)),
    ("prev", ("previous",)),
    ("sinc", ("since",)),
    ("befo", ("before",)),
    ("afte", ("after",)),
    ("betw", ("between",)),
    ("unti", ("until",)),
)

# Conventional written short forms (French note-taking abbreviations; English texting forms), not typos.
SHORT_FORMS: dict[str, str] = {"ds": "dans", "pdt": "pendant", "avt": "avant", "b4": "before", "bw": "between"}

_VOWELS = set("aeiouy")


def max_edits(word: str) -> int:
    """How many edits a typed word of this length may carry: none under 4 letters, 1 up to 7, 2 beyond."""
    n = len(word)
    return 0 if n < 4 else 1 if n <= 7 else 2


@lru_cache(maxsize=1)
def _markers() -> tuple[dict[str, int], tuple[str, ...]]:
    family_of = {w: i for i, (_, forms) in enumerate(MARKER_FAMILIES) for w in forms}
    return family_of, tuple(family_of)


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def _drops_or_swaps(typed: str, word: str) -> bool:
    """A short word's typo is a dropped letter or two letters swapped, never a changed letter ("lost" is
    not "last", "mast" not "most"): too many short words are a letter apart."""
    return len(word) > len(typed) or sorted(word) == sorted(typed)


@lru_cache(maxsize=8192)
def read_marker(word: str) -> str | None:
    """The canonical marker a typed (folded) word stands for, or None. Callers pass only words that are
    not already known to the vocabulary, so "dernier" itself, "rectal" or "derme" never reach here."""
    if not word.isalpha() and word not in SHORT_FORMS:
        return None
    family_of, words = _markers()
    if word in family_of:
        return word
    if word in SHORT_FORMS:
        return SHORT_FORMS[word]
    # 1. truncation: a prefix of a family's forms at least as long as its stem ("der", "dern", "betw")
    families = {family_of[w] for w in words if w.startswith(word)}
    if len(families) == 1:
        stem, forms = MARKER_FAMILIES[families.pop()]
        if len(word) >= len(stem):
            return next(w for w in forms if w.startswith(word))
    # 2. dropped vowels: the consonants typed in order, first letter kept ("dnr", "lst", "btwn")
    if len(word) >= 3 and not set(word) & _VOWELS:
        hits = sorted((len(w) - len(word), w) for w in words if w[0] == word[0] and _is_subsequence(word, w))
        if hits and (len(hits) == 1 or hits[0][0] < hits[1][0]
                     or family_of[hits[0][1]] == family_of[hits[1][1]]):
            return hits[0][1]  # the form that needs the fewest letters put back
    # 3. one or two typos, the allowance growing with the length; the first letter stays
    limit = max_edits(word)
    if limit:
        scored = [(OSA.distance(word, w, score_cutoff=limit), w) for w in words
                  if w[0] == word[0] or (len(w) > 1 and w[:2] == word[1::-1])]
        scored = [(d, w) for d, w in scored if d <= limit and (len(word) > 4 or _drops_or_swaps(word, w))]
        if scored:
            best = min(d for d, _ in scored)
            hits = [w for d, w in scored if d == best]
            if len({family_of[w] for w in hits}) > 1:  # a dropped letter is likelier than an added one
                hits = [w for w in hits if len(w) >= len(word)]
            if hits and len({family_of[w] for w in hits}) == 1:
                return min(hits, key=lambda w: (abs(len(w) - len(word)), w))
    return None
