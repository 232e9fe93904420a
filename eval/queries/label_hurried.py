"""Label the hurried questions (abbreviations, no accents, typos, dropped words, English) against a truth file.

The questions below were typed by hand the way a GP types between two patients — "der cs", "dern. bio",
"derniere consulation", "last hospital stay report", "latest CBC" — together with, for most of them, the
clean wording of the same question ("dernière consultation"), so the two can be scored on the same record.
Each question's meaning is written here BY HAND as filters on the ground truth (what the doctor wants),
independently of Carnet's parser; the gold documents of every patient follow from truth.jsonl, as in
label_gp_questions.py. None of this is used by the unit tests.

    python eval/queries/label_hurried.py data/samples/truth.jsonl > eval/queries/hurried.jsonl
    python eval/queries/label_hurried.py data/samples/truth.jsonl --clean > eval/queries/hurried_clean.jsonl
    python -m eval.handwritten write H && python eval/queries/label_hurried.py H/truth.jsonl --ambiguous \
        > eval/queries/hurried_ambiguous_handwritten.jsonl

Kinds are "h-<latest|counted|date-scoped|no-answer>-<fr|en>", so `carnet eval` reports the English
questions on the French record apart; the clean file keeps the same ids and kinds. A question with an
ambiguous short form (`either`: "der MG", "der echo", "derniere endo", "der rp") is "h-ambiguous-<kind>-fr"
and carries "ambiguity": "record" when only one of its readings has documents in that patient's record (the
gold is that reading's answer), "usage" when several or none do (the gold is the commonest reading's, the
first listed); its clean wording, when it has one, means the commonest reading and keeps the plain kind. A
reading that is a subject ("rétrécissement pulmonaire") is looked for in the text layer of the PDFs next
to the truth file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from carnet.codes import specialty_group
from carnet.text import fold

sys.path.insert(0, str(Path(__file__).resolve().parent))
from label_gp_questions import gold_answer  # noqa: E402  (a sibling script, not a package)

LAB, IMG, OP, ER, PATH, CERT = ["11502-2"], ["18748-4"], ["34874-8"], ["15507-7"], ["11526-1"], ["89601-9"]
CONS = ["11488-4", "78513-9"]
DIS = ["11490-0", "34112-3", "34133-9"]
RX = ["57833-6", "57828-6", "57832-8"]
VACC = ["87273-9", "11369-6"]
NFS = ["hemoglobine", "plaquettes", "leucocytes", "nfs"]  # a blood count is any of its rows
NOT_REPORTS = {"57833-6", "57828-6", "57832-8", "60593-1", "55115-0", "89601-9", "87273-9", "11369-6", "ADMIN"}


def t(*codes):
    return {"types": [c for group in codes for c in group]}


def s(group, **more):
    return {"specialty": group, **more}


def e(key, **more):
    return {"exam": key, **more}


def a(key, **more):
    return {"analyte": key if isinstance(key, list) else [key], **more}


def topic(phrase):
    """A reading that is a subject, not a filter: the documents whose text names it (read from the PDFs)."""
    return {"mentions": phrase}


def either(*readings):
    """An ambiguous short form ("MG", "écho", "endo", "RP"): its readings, commonest first. For each patient
    the record decides when only one reading has documents (that reading's gold answer); when several do, the
    question is ambiguous and the gold is the commonest reading's; the clean wording means the commonest."""
    return {"either": list(readings)}


def since(day, spec):
    return {**spec, "start": day, "all": True}


def until(day, spec):
    return {**spec, "end": day, "all": True}


def between(first, last, spec):
    return {**spec, "start": first, "end": last, "all": True}


# (hurried, clean wording or None, language, meaning). Dates are relative to 2026-11-27 (carnet eval's today).
QUESTIONS: list[tuple[str, str | None, str, dict]] = [
    # --- latest document of a type, French ---
    ("der cs", "dernière consultation", "fr", t(CONS)),
    ("dern. consult", "dernière consultation", "fr", t(CONS)),
    ("derniere consulation", "dernière consultation", "fr", t(CONS)),
    ("derniere cs", "dernière consultation", "fr", t(CONS)),
    ("cs la plus recente", "la consultation la plus récente", "fr", t(CONS)),
    ("dernier cr de cs", "dernier compte rendu de consultation", "fr", t(CONS)),
    ("c.r. consult le + recent", "compte rendu de consultation le plus récent", "fr", t(CONS)),
    ("dernier bilna sanguin", "dernier bilan sanguin", "fr", t(LAB)),
    ("der bio", "dernière biologie", "fr", t(LAB)),
    ("derneir prise de sang", "dernière prise de sang", "fr", t(LAB)),
    ("dern labo", "dernier résultat de laboratoire", "fr", t(LAB)),
    ("drenier bilan", "dernier bilan", "fr", t(LAB)),
    ("der imagerie", "dernière imagerie", "fr", t(IMG)),
    ("dernier cr radio", "dernier compte rendu de radiologie", "fr", t(IMG)),
    ("derniere imagrie", "dernière imagerie", "fr", t(IMG)),
    ("der crh", "dernier compte rendu d'hospitalisation", "fr", t(DIS)),
    ("dernier c.r.h.", "dernier compte rendu d'hospitalisation", "fr", t(DIS)),
    ("dern lettre de sortie", "dernière lettre de sortie", "fr", t(DIS)),
    ("der hospit", "dernière hospitalisation", "fr", t(DIS)),
    ("dernier cro", "dernier compte rendu opératoire", "fr", t(OP)),
    ("der ordo", "dernière ordonnance", "fr", t(RX)),
    ("derniere ordonance", "dernière ordonnance", "fr", t(RX)),
    ("dernier passage urg", "dernier passage aux urgences", "fr", t(ER)),
    ("der urgences", "dernier passage aux urgences", "fr", t(ER)),
    ("dern anapath", "dernier compte rendu d'anatomopathologie", "fr", t(PATH)),
    ("dernier certif", "dernier certificat médical", "fr", t(CERT)),
    ("der vaccin", "dernière vaccination", "fr", t(VACC)),
    # --- latest of a specialty, French ---
    ("der cr cardio", "dernier compte rendu de cardiologie", "fr", s("cardiologie")),
    ("dernier courier cardiologue", "dernier courrier du cardiologue", "fr", s("cardiologie")),
    ("dern. cardio", "dernier compte rendu de cardiologie", "fr", s("cardiologie")),
    ("dernier cr endoc", "dernier compte rendu d'endocrinologie", "fr", s("endocrinologie")),
    ("derniere cs endocrino", "dernière consultation d'endocrinologie", "fr", s("endocrinologie", **t(CONS))),
    ("der lettre diabeto", "dernière lettre du diabétologue", "fr", s("endocrinologie")),
    ("dernier cr pneumo", "dernier compte rendu de pneumologie", "fr", s("pneumologie")),
    ("dernier cr pneumologe", "dernier compte rendu du pneumologue", "fr", s("pneumologie")),
    ("der cr neuro", "dernier compte rendu de neurologie", "fr", s("neurologie")),
    ("dernier cr rhumato", "dernier compte rendu de rhumatologie", "fr", s("rhumatologie")),
    ("derniere cs rhumatho", "dernière consultation de rhumatologie", "fr", s("rhumatologie", **t(CONS))),
    ("der cr gyneco", "dernier compte rendu de gynécologie", "fr", s("gynecologie")),
    ("dernier cr gyn", "dernier compte rendu de gynécologie", "fr", s("gynecologie")),
    ("derniere cs gyneco", "dernière consultation de gynécologie", "fr", s("gynecologie", **t(CONS))),
    ("der cr ophtalmo", "dernier compte rendu d'ophtalmologie", "fr", s("ophtalmologie")),
    ("dernier cr oph", "dernier compte rendu d'ophtalmologie", "fr", s("ophtalmologie")),
    ("derneir cr ORL", "dernier compte rendu d'ORL", "fr", s("orl")),
    ("der cr nephro", "dernier compte rendu de néphrologie", "fr", s("nephrologie")),
    ("dern cr ortho", "dernier compte rendu d'orthopédie", "fr", s("chirurgie-orthopedique")),
    ("dernier cr du mt", "dernier compte rendu du médecin traitant", "fr", s("medecine-generale")),
    ("derniere cs mt", "dernière consultation du médecin traitant", "fr", s("medecine-generale", **t(CONS))),
    ("der cs med ge", "dernière consultation de médecine générale", "fr", s("medecine-generale", **t(CONS))),
    ("dernier courrier medecin generaliste", "dernier courrier du médecin généraliste", "fr",
     s("medecine-generale")),
    ("der cr med interne", "dernier compte rendu de médecine interne", "fr", s("medecine-interne")),
    ("dernier cr angio", "dernier compte rendu d'angiologie", "fr", s("medecine-vasculaire")),
    ("dernier cr de l'interniste", "dernier compte rendu de l'interniste", "fr", s("medecine-interne")),
    ("dernier cr gastro", "dernier compte rendu de gastro-entérologie", "fr", s("gastro-enterologie")),
    # --- latest exam, French ---
    ("der ett", "dernière échocardiographie", "fr", e("echocardiographie")),
    ("derniere eto", "dernière échocardiographie transœsophagienne", "fr", e("echocardiographie")),
    ("dern ecg", "dernier électrocardiogramme", "fr", e("ecg")),
    ("dernier electro", "dernier électrocardiogramme", "fr", e("ecg")),
    ("der holter", "dernier Holter", "fr", e("holter")),
    ("derniere efr", "dernières explorations fonctionnelles respiratoires", "fr", e("efr")),
    ("der rp", "dernière radiographie pulmonaire", "fr", either(e("radiographie"), topic("retrecissement pulmonaire"))),
    ("der echo", "dernière échographie", "fr", either(e("echographie"), e("echocardiographie"))),
    ("derniere echographie", "dernière échographie", "fr", e("echographie")),
    ("dernier tdm", "dernier scanner", "fr", e("scanner")),
    ("derniere irm", "dernière IRM", "fr", e("irm")),
    ("der mammo", "dernière mammographie", "fr", e("mammographie")),
    ("derniere mamo", "dernière mammographie", "fr", e("mammographie")),
    ("dernier fo", "dernier fond d'œil", "fr", e("fond-oeil")),
    ("der fond d oeil", "dernier fond d'œil", "fr", e("fond-oeil")),
    ("der test d'effort", "dernière épreuve d'effort", "fr", e("epreuve-effort")),
    ("der echo coeur", "dernière échographie cardiaque", "fr", e("echocardiographie")),
    ("derniere echocardio", "dernière échocardiographie", "fr", e("echocardiographie")),
    ("der radio", "dernière radiographie", "fr", e("radiographie")),
    ("dernier holter ecg", "dernier Holter ECG", "fr", e("holter")),
    ("dernier scaner", "dernier scanner", "fr", e("scanner")),
    # --- latest analyte, French ---
    ("der hba1c", "dernière HbA1c", "fr", a("hba1c")),
    ("derniere hb1ac", "dernière HbA1c", "fr", a("hba1c")),
    ("der creat", "dernière créatinine", "fr", a("creatinine")),
    ("dern. creatinine", "dernière créatinine", "fr", a("creatinine")),
    ("derniere kaliemie", "dernière kaliémie", "fr", a("potassium")),
    ("der k+", "dernier potassium", "fr", a("potassium")),
    ("dernier iono", "dernier ionogramme", "fr", a("potassium")),
    ("der nfs", "dernière numération formule sanguine", "fr", a(NFS)),
    ("dernier hemogramme", "dernier hémogramme", "fr", a(NFS)),
    ("der tsh", "dernière TSH", "fr", a("tsh")),
    ("derniere crp", "dernière CRP", "fr", a("crp")),
    ("der ferritine", "dernière ferritine", "fr", a("ferritine")),
    ("dernier BH", "dernier bilan hépatique", "fr", a("transaminases")),
    ("dernier bilan hep", "dernier bilan hépatique", "fr", a("transaminases")),
    ("derniere EAL", "dernière exploration d'une anomalie lipidique", "fr", a("cholesterol-ldl")),
    ("der bilan lipidique", "dernier bilan lipidique", "fr", a("cholesterol-ldl")),
    ("dernier ldl", "dernier LDL-cholestérol", "fr", a("cholesterol-ldl")),
    ("der bnp", "dernier BNP", "fr", a("bnp")),
    ("dernier ntprobnp", "dernier NT-proBNP", "fr", a("bnp")),
    ("derniere vit d", "dernière vitamine D", "fr", a("vitamine-d")),
    ("der psa", "dernier PSA", "fr", a("psa")),
    ("dernier dfg", "dernier débit de filtration glomérulaire", "fr", a("dfg")),
    ("derniere glycemie", "dernière glycémie", "fr", a("glycemie")),
    ("der gamma gt", "dernières gamma-GT", "fr", a("ggt")),
    ("derniere uricemie", "dernière uricémie", "fr", a("acide-urique")),
    ("dern microalb", "dernière microalbuminurie", "fr", a("albuminurie")),
    ("derniere creatinnine", "dernière créatinine", "fr", a("creatinine")),
    # --- counted, French ---
    ("3 der bio", "les 3 dernières biologies", "fr", {**t(LAB), "count": 3}),
    ("les 3 dern bilans", "les 3 derniers bilans", "fr", {**t(LAB), "count": 3}),
    ("2 derniere cs", "les 2 dernières consultations", "fr", {**t(CONS), "count": 2}),
    ("les 2 der ecg", "les 2 derniers ECG", "fr", e("ecg", count=2)),
    ("3 dernieres hba1c", "les 3 dernières HbA1c", "fr", a("hba1c", count=3)),
    ("les 2 dernier cr cardio", "les 2 derniers comptes rendus de cardiologie", "fr", s("cardiologie", count=2)),
    ("5 der creat", "les 5 dernières créatinines", "fr", a("creatinine", count=5)),
    ("les 2 derneirs bilans", "les 2 derniers bilans", "fr", {**t(LAB), "count": 2}),
    # --- date-scoped, French ---
    ("bio dpuis janvier", "biologie depuis janvier", "fr", since("2026-01-01", t(LAB))),
    ("bilans depuis 2025", "bilans depuis 2025", "fr", since("2025-01-01", t(LAB))),
    ("imagerie avnt 2020", "imagerie avant 2020", "fr", until("2019-12-31", t(IMG))),
    ("cr cardio depuis 2024", "comptes rendus de cardiologie depuis 2024", "fr", since("2024-01-01", s("cardiologie"))),
    ("hba1c entre 2022 et 2024", "HbA1c entre 2022 et 2024", "fr", between("2022-01-01", "2024-12-31", a("hba1c"))),
    ("cs depuis un an", "consultations depuis un an", "fr", since("2025-11-27", t(CONS))),
    ("ecg depui 2023", "ECG depuis 2023", "fr", since("2023-01-01", e("ecg"))),
    ("radio avt 2022", "radiographies avant 2022", "fr", until("2021-12-31", e("radiographie"))),
    ("creat ds les 6 derniers mois", "créatinine dans les 6 derniers mois", "fr",
     since("2026-05-27", a("creatinine"))),
    ("bio l'an dernier", "biologie de l'an dernier", "fr", between("2025-01-01", "2025-12-31", t(LAB))),
    ("cr endoc entre 2020 et 2023", "comptes rendus d'endocrinologie entre 2020 et 2023", "fr",
     between("2020-01-01", "2023-12-31", s("endocrinologie"))),
    ("imagrie depuis 2023", "imagerie depuis 2023", "fr", since("2023-01-01", t(IMG))),
    ("ordo depuis janv", "ordonnances depuis janvier", "fr", since("2026-01-01", t(RX))),
    ("tsh dpuis 2 ans", "TSH depuis 2 ans", "fr", since("2024-11-27", a("tsh"))),
    ("bilans entre 2019 et 2021", "bilans entre 2019 et 2021", "fr", between("2019-01-01", "2021-12-31", t(LAB))),
    ("echo depuis 2022", "échographies depuis 2022", "fr",
     either(since("2022-01-01", e("echographie")), since("2022-01-01", e("echocardiographie")))),
    ("cs avant 2019", "consultations avant 2019", "fr", until("2018-12-31", t(CONS))),
    # --- latest of a type, English on the French record ---
    ("last consult", "latest consultation", "en", t(CONS)),
    ("latest consultation note", "latest consultation note", "en", t(CONS)),
    ("most recent bloods", "most recent blood test", "en", t(LAB)),
    ("last lab", "latest lab report", "en", t(LAB)),
    ("lastest blood work", "latest blood work", "en", t(LAB)),
    ("latest imaging", "latest imaging report", "en", t(IMG)),
    ("last radiology report", "latest radiology report", "en", t(IMG)),
    ("latest discharge summ", "latest discharge summary", "en", t(DIS)),
    ("last hospital stay report", "latest hospital discharge summary", "en", t(DIS)),
    ("latest ED visit", "latest emergency department visit", "en", t(ER)),
    ("last ER report", "latest emergency department report", "en", t(ER)),
    ("latest A&E", "latest emergency department visit", "en", t(ER)),
    ("latest op note", "latest operative report", "en", t(OP)),
    ("last prescription", "latest prescription", "en", t(RX)),
    ("latest pathology", "latest pathology report", "en", t(PATH)),
    ("last vaccine", "latest vaccination", "en", t(VACC)),
    ("latest certificate", "latest medical certificate", "en", t(CERT)),
    ("last primary care visit", "latest general practice consultation", "en", s("medecine-generale", **t(CONS))),
    ("latest GP letter", "latest general practitioner letter", "en", s("medecine-generale")),
    ("latest primary care note", "latest general practice report", "en", s("medecine-generale")),
    ("latets consult", "latest consultation", "en", t(CONS)),
    # --- latest of a specialty, English ---
    ("last cardio letter", "latest cardiology letter", "en", s("cardiologie")),
    ("latest cardiology", "latest cardiology report", "en", s("cardiologie")),
    ("most recent endo letter", "latest endocrinology letter", "en", s("endocrinologie")),
    ("latest pulm note", "latest pulmonology report", "en", s("pneumologie")),
    ("last rheum letter", "latest rheumatology letter", "en", s("rhumatologie")),
    ("latest ophtho", "latest ophthalmology report", "en", s("ophtalmologie")),
    ("latest ENT letter", "latest ENT report", "en", s("orl")),
    ("last gyn note", "latest gynaecology report", "en", s("gynecologie")),
    ("latest nephro", "latest nephrology report", "en", s("nephrologie")),
    ("latest ortho letter", "latest orthopaedics letter", "en", s("chirurgie-orthopedique")),
    ("latest internal med", "latest internal medicine report", "en", s("medecine-interne")),
    ("lst cardiology letter", "latest cardiology letter", "en", s("cardiologie")),
    # --- latest exam, English ---
    ("last TTE", "latest transthoracic echocardiogram", "en", e("echocardiographie")),
    ("last EKG", "latest electrocardiogram", "en", e("ecg")),
    ("latest holter", "latest Holter monitoring", "en", e("holter")),
    ("last PFTs", "latest pulmonary function tests", "en", e("efr")),
    ("latest CXR", "latest chest X-ray", "en", e("radiographie")),
    ("last xray", "latest X-ray", "en", e("radiographie")),
    ("latest ultrasound", "latest ultrasound", "en", e("echographie")),
    ("last CT", "latest CT scan", "en", e("scanner")),
    ("latest MRI", "latest MRI", "en", e("irm")),
    ("last mammogram", "latest mammogram", "en", e("mammographie")),
    ("latest stress test", "latest exercise stress test", "en", e("epreuve-effort")),
    ("latest fundoscopy", "latest fundoscopy", "en", e("fond-oeil")),
    ("most recnt echocardiogram", "most recent echocardiogram", "en", e("echocardiographie")),
    # --- latest analyte, English ---
    ("last a1c", "latest HbA1c", "en", a("hba1c")),
    ("lates hba1c", "latest HbA1c", "en", a("hba1c")),
    ("last creat", "latest creatinine", "en", a("creatinine")),
    ("latest CBC", "latest complete blood count", "en", a(NFS)),
    ("last complete blood count", "latest complete blood count", "en", a(NFS)),
    ("latest LFTs", "latest liver function tests", "en", a("transaminases")),
    ("latest lipid panel", "latest lipid panel", "en", a("cholesterol-ldl")),
    ("last U&E", "latest urea and electrolytes", "en", a("potassium")),
    ("latest BMP", "latest basic metabolic panel", "en", a("potassium")),
    ("latest TSH", "latest TSH", "en", a("tsh")),
    ("last CRP", "latest C-reactive protein", "en", a("crp")),
    ("most recent potassium", "most recent potassium", "en", a("potassium")),
    ("latest ferritin", "latest ferritin", "en", a("ferritine")),
    ("latest vit D", "latest vitamin D", "en", a("vitamine-d")),
    ("last BNP", "latest BNP", "en", a("bnp")),
    ("latest PSA", "latest PSA", "en", a("psa")),
    ("last eGFR", "latest eGFR", "en", a("dfg")),
    ("last full blood count", "latest full blood count", "en", a(NFS)),
    # --- counted, English ---
    ("last 3 labs", "the last 3 lab reports", "en", {**t(LAB), "count": 3}),
    ("last 2 consults", "the last 2 consultations", "en", {**t(CONS), "count": 2}),
    ("last three ECGs", "the last three ECGs", "en", e("ecg", count=3)),
    ("3 most recent a1c", "the 3 most recent HbA1c", "en", a("hba1c", count=3)),
    ("lst 2 bloods", "the last 2 blood tests", "en", {**t(LAB), "count": 2}),
    # --- date-scoped, English ---
    ("labs since jan", "labs since January", "en", since("2026-01-01", t(LAB))),
    ("bloods since 2025", "blood tests since 2025", "en", since("2025-01-01", t(LAB))),
    ("imaging before 2020", "imaging before 2020", "en", until("2019-12-31", t(IMG))),
    ("cardiology letters since 2024", "cardiology letters since 2024", "en", since("2024-01-01", s("cardiologie"))),
    ("a1c between 2022 and 2024", "HbA1c between 2022 and 2024", "en",
     between("2022-01-01", "2024-12-31", a("hba1c"))),
    ("ecg snce 2023", "ECG since 2023", "en", since("2023-01-01", e("ecg"))),
    ("creatinine past 6 months", "creatinine over the past 6 months", "en", since("2026-05-27", a("creatinine"))),
    ("labs last year", "lab reports from last year", "en", between("2025-01-01", "2025-12-31", t(LAB))),
    ("xrays bfore 2022", "X-rays before 2022", "en", until("2021-12-31", e("radiographie"))),
    ("consults betwen 2020 and 2022", "consultations between 2020 and 2022", "en",
     between("2020-01-01", "2022-12-31", t(CONS))),
    # --- ambiguous short forms, French: the record decides, or the question is ambiguous ---
    ("der MG", None, "fr", either(s("medecine-generale"), a("magnesium"), topic("myasthenie"))),
    ("dernier cr du MG", None, "fr", either(s("medecine-generale"), a("magnesium"), topic("myasthenie"))),
    ("dern. MG", None, "fr", either(s("medecine-generale"), a("magnesium"), topic("myasthenie"))),
    ("derniere endo", None, "fr", either(s("endocrinologie"), e("endoscopie"))),
    ("der endo", None, "fr", either(s("endocrinologie"), e("endoscopie"))),
    ("endo depuis 2020", None, "fr",
     either(since("2020-01-01", s("endocrinologie")), since("2020-01-01", e("endoscopie")))),
    ("derniere echo", None, "fr", either(e("echographie"), e("echocardiographie"))),
    ("dern echo", None, "fr", either(e("echographie"), e("echocardiographie"))),
    ("rp depuis 2021", None, "fr",
     either(since("2021-01-01", e("radiographie")), since("2021-01-01", topic("retrecissement pulmonaire")))),
    ("derniere RP", None, "fr", either(e("radiographie"), topic("retrecissement pulmonaire"))),
]


def matches(row: dict, spec: dict) -> bool:
    if row["is_noise"]:
        return False
    if "types" in spec and row["type_code"] not in spec["types"]:
        return False
    if "specialty" in spec and (specialty_group(row["specialty_code"]) != spec["specialty"]
                                or ("types" not in spec and row["type_code"] in NOT_REPORTS)):
        return False
    if "exam" in spec and spec["exam"] not in row["exam_keys"]:
        return False
    if "analyte" in spec and (row["type_code"] != LAB[0]
                              or not set(spec["analyte"]) & {v["analyte"] for v in row["lab_values"]}):
        return False
    d = row["service_date"]
    return not (("start" in spec and d < spec["start"]) or ("end" in spec and d > spec["end"]))


class _Texts:
    """The folded text layer of each truth row's PDF (next to truth.jsonl), for readings that are a subject."""

    def __init__(self, root: Path):
        self.root, self.cache = root, {}

    def names(self, row: dict, phrase: str) -> bool:
        if row["source"] not in self.cache:
            import pymupdf

            with pymupdf.open(self.root / row["source"]) as pdf:
                self.cache[row["source"]] = " ".join(" ".join(fold(page.get_text()).split()) for page in pdf)
        return fold(phrase) in self.cache[row["source"]]


def _matches(row: dict, spec: dict, texts: _Texts) -> bool:
    if "analyte" in spec and "lab_values" not in row:  # a truth without lab values: the lab report's text
        rest = {k: v for k, v in spec.items() if k != "analyte"}
        return (row["type_code"] == LAB[0] and any(texts.names(row, a.replace("-", " ")) for a in spec["analyte"])
                and matches(row, rest))
    if "mentions" in spec:
        rest = {k: v for k, v in spec.items() if k != "mentions"}
        return not row["is_noise"] and texts.names(row, spec["mentions"]) and matches(row, rest)
    return matches(row, spec)


def label(truth: list[dict], *, clean: bool = False, root: Path | None = None, ambiguous: bool = False) -> list[dict]:
    """`root`: the folder of the PDFs the truth rows name (a reading that is a subject is read from them);
    `ambiguous`: only the questions with an ambiguous short form."""
    texts = _Texts(root or Path("."))
    patients = sorted({r["patient"] for r in truth})
    out = []
    for n, (hurried, clean_wording, language, meaning) in enumerate(QUESTIONS, start=1):
        query = clean_wording if clean else hurried
        if query is None or (ambiguous and "either" not in meaning):
            continue
        for p in patients:
            rows = [r for r in truth if r["patient"] == p]
            spec, decided = meaning, None
            if "either" in meaning:
                readings = meaning["either"]
                finding = [] if clean else [x for x in readings if any(_matches(r, x, texts) for r in rows)]
                spec = finding[0] if len(finding) == 1 else readings[0]
                decided = None if clean else "record" if len(finding) == 1 else "usage"
                reading = readings.index(spec)
            answer = gold_answer([r for r in rows if _matches(r, spec, texts)], spec)
            if answer is None:
                continue  # a tie on the date of the act: no single right answer
            gold, kind = answer
            row = {"id": f"h{n:03d}-{p}", "patient": p, "query": query, "relevant": gold,
                   "kind": f"h-{'ambiguous-' if decided else ''}{kind}-{language}", "lang": language}
            if decided:
                row["ambiguity"] = decided  # "record": only one reading has documents here; "usage": several or none
                row["reading"] = reading  # which reading, 0 = the commonest (query.practice.AMBIGUOUS's order)
            out.append(row)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("truth", type=Path)
    parser.add_argument("--clean", action="store_true", help="the clean wording of the same questions")
    parser.add_argument("--ambiguous", action="store_true", help="only the questions with an ambiguous short form "
                        "(e.g. on the hand-written set, eval.handwritten write H: its truth lists no lab values, "
                        "so an analyte reading is looked for in the text of its lab reports)")
    args = parser.parse_args(argv)
    truth = [json.loads(line) for line in args.truth.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in label(truth, clean=args.clean, root=args.truth.parent, ambiguous=args.ambiguous):
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
