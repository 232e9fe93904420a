"""Labelled questions computed from a patient's truth records.

Every question carries `expect`, the structured filter its answer was computed with (types, specialty
group, exam, analyte, topic, date range, count). Relevance rules:
- latest-*: the latest non-noise matching document (by service date) plus its exact duplicates; a
  superseded version (near duplicate, is_noise) is never relevant. Questions whose latest date holds
  two different matching documents are not asked (ambiguous).
- counted: the N latest (only asked when the N-th and N+1-th dates differ).
- date-scoped, topical: every non-noise matching document (plus exact duplicates) in the range.
- no-answer: nothing in the record matches (relevant is []).
"""

from __future__ import annotations

import calendar
import random
from datetime import date

from carnet.codes import SPECIALTY_GROUP_OF

from .vocab import MOIS, MONTHS_EN, QUERY_DATE

NOT_A_REPORT = {"57833-6", "ADMIN", "87273-9", "89601-9"}  # never answers "compte rendu de <spécialité>"

TYPE_Q = {
    ("11502-2",): (["dernier bilan biologique", "dernière prise de sang", "derniers résultats de laboratoire", "le dernier bilan sanguin",
                    "résultats de la dernière prise de sang"], ["latest blood test results", "most recent lab report"],
                   ["les {n} derniers bilans biologiques", "les {n} dernières prises de sang"], ["last {n} lab reports"],
                   "bilans biologiques", "prises de sang", "lab results"),
    ("11490-0",): (["dernière lettre de liaison", "dernier compte rendu d'hospitalisation", "dernière lettre de sortie d'hôpital"],
                   ["latest discharge letter", "most recent hospital discharge summary"],
                   ["les {n} dernières hospitalisations"], ["last {n} discharge letters"], "comptes rendus d'hospitalisation", "hospitalisations", "discharge letters"),
    ("57833-6",): (["dernière ordonnance", "la dernière prescription de médicaments", "dernière ordonnance de traitement"], ["latest prescription"],
                   ["les {n} dernières ordonnances"], ["last {n} prescriptions"], "ordonnances", "ordonnances", "prescriptions"),
    ("18748-4",): (["dernier compte rendu d'imagerie", "dernière imagerie", "dernier examen radiologique"], ["latest imaging report", "most recent radiology report"],
                   ["les {n} derniers examens d'imagerie"], ["last {n} imaging reports"], "examens d'imagerie", "imagerie", "imaging"),
    ("34874-8",): (["dernier compte rendu opératoire", "compte rendu opératoire le plus récent"], ["latest operative report"], [], [],
                   "comptes rendus opératoires", "interventions", "operative reports"),
    ("11526-1",): (["dernier compte rendu d'anatomopathologie", "dernier résultat d'anapath", "dernière histologie"], ["latest pathology report"], [], [],
                   "comptes rendus d'anatomopathologie", "anapaths", "pathology reports"),
    ("15507-7",): (["dernier passage aux urgences", "compte rendu des urgences le plus récent"], ["latest emergency department visit", "last A&E attendance"], [], [],
                   "passages aux urgences", "urgences", "emergency visits"),
    ("89601-9",): (["dernier certificat médical"], ["latest medical certificate"], [], [], "certificats", "certificats", "certificates"),
    ("87273-9",): (["dernière vaccination", "dernière attestation de vaccination"], ["latest vaccination record"], [], [], "vaccinations", "vaccins", "vaccinations"),
    ("11488-4", "78513-9"): (["dernière consultation", "dernier compte rendu de consultation"], ["latest consultation note", "most recent clinic letter"],
                             ["les {n} dernières consultations"], ["last {n} consultation notes"], "consultations", "consultations", "consultations"),
}

SPEC_Q = {
    "cardiologie": (["dernier compte rendu de cardiologie", "dernier document du cardiologue", "que dit le dernier compte rendu du cardiologue ?"], ["latest cardiology report"], "comptes rendus de cardiologie"),
    "endocrinologie": (["dernier compte rendu d'endocrinologie", "dernier compte rendu du diabétologue"], ["latest endocrinology report"], "comptes rendus d'endocrinologie"),
    "pneumologie": (["dernier compte rendu de pneumologie", "dernier avis du pneumologue"], ["latest pulmonology report"], "comptes rendus de pneumologie"),
    "neurologie": (["dernier compte rendu de neurologie", "dernier avis neurologique"], ["latest neurology report"], "comptes rendus de neurologie"),
    "gastro-enterologie": (["dernier compte rendu de gastro-entérologie", "dernier avis du gastro"], ["latest gastroenterology report"], "comptes rendus de gastro-entérologie"),
    "rhumatologie": (["dernier compte rendu de rhumatologie", "dernier avis du rhumatologue"], ["latest rheumatology report"], "comptes rendus de rhumatologie"),
    "dermatologie": (["dernier compte rendu de dermatologie", "dernier avis dermato"], ["latest dermatology report"], "comptes rendus de dermatologie"),
    "ophtalmologie": (["dernier compte rendu d'ophtalmologie", "dernière consultation chez l'ophtalmo"], ["latest ophthalmology report", "last eye clinic report"], "comptes rendus d'ophtalmologie"),
    "nephrologie": (["dernier compte rendu de néphrologie", "dernier avis du néphrologue"], ["latest nephrology report"], "comptes rendus de néphrologie"),
    "gynecologie": (["dernier compte rendu de gynécologie", "dernier compte rendu du gynécologue"], ["latest gynaecology report"], "comptes rendus de gynécologie"),
    "chirurgie-orthopedique": (["dernier compte rendu d'orthopédie", "dernier avis du chirurgien orthopédiste"], ["latest orthopaedic report"], "comptes rendus d'orthopédie"),
    "radiologie": (["dernier compte rendu du radiologue", "dernier compte rendu de radiologie"], ["latest radiology report"], "comptes rendus de radiologie"),
    "medecine-generale": (["dernier compte rendu du médecin généraliste", "dernière note du médecin traitant"], ["latest GP note"], "notes du médecin traitant"),
    "orl": (["dernier compte rendu ORL"], ["latest ENT report"], "comptes rendus ORL"),
    "urgences": (["dernier compte rendu d'urgentiste"], ["latest emergency medicine report"], "comptes rendus d'urgence"),
    "anatomopathologie": (["dernier compte rendu du pathologiste"], ["latest pathologist report"], "comptes rendus d'anatomopathologie"),
    "urologie": (["dernier compte rendu d'urologie"], ["latest urology report"], ""),
    "psychiatrie": (["dernier compte rendu de psychiatrie"], ["latest psychiatry report"], ""),
    "oncologie": (["dernier compte rendu d'oncologie"], ["latest oncology report"], ""),
    "hematologie": (["dernier avis d'hématologie"], ["latest haematology report"], ""),
    "medecine-vasculaire": (["dernier compte rendu de médecine vasculaire", "dernier doppler du médecin vasculaire"], ["latest vascular medicine report"], ""),
}

EXAM_Q = {
    "echocardiographie": (["dernière échographie cardiaque", "dernière ETT", "dernière échocardiographie"], ["latest echocardiogram"], "échographies cardiaques", "echocardiograms"),
    "ecg": (["dernier ECG", "dernier électrocardiogramme"], ["latest ECG", "most recent EKG"], "ECG", "ECGs"),
    "holter": (["dernier Holter", "dernier Holter ECG"], ["latest Holter monitoring"], "Holter", "Holter recordings"),
    "epreuve-effort": (["dernière épreuve d'effort", "dernier test d'effort"], ["latest exercise stress test"], "épreuves d'effort", "stress tests"),
    "efr": (["dernières EFR", "dernière spirométrie"], ["latest pulmonary function tests"], "EFR", "pulmonary function tests"),
    "scanner": (["dernier scanner", "dernière TDM", "dernier scanner thoracique" ], ["latest CT scan"], "scanners", "CT scans"),
    "irm": (["dernière IRM"], ["latest MRI"], "IRM", "MRI scans"),
    "radiographie": (["dernière radio", "dernière radiographie"], ["latest X-ray"], "radiographies", "X-rays"),
    "echographie": (["dernière échographie", "dernière écho"], ["latest ultrasound"], "échographies", "ultrasound scans"),
    "mammographie": (["dernière mammographie", "dernière mammo"], ["latest mammogram"], "mammographies", "mammograms"),
    "fond-oeil": (["dernier fond d'œil", "dernier fond d'oeil"], ["latest fundoscopy"], "fonds d'œil", "fundoscopies"),
    "coloscopie": (["dernière coloscopie"], ["latest colonoscopy"], "coloscopies", "colonoscopies"),
    "densitometrie": (["dernière ostéodensitométrie"], ["latest bone density scan"], "ostéodensitométries", "DEXA scans"),
    "audiometrie": (["dernier audiogramme"], ["latest audiogram"], "audiogrammes", "audiograms"),
    "eeg": (["dernier EEG"], ["latest EEG"], "EEG", "EEGs"),
    "emg": (["dernier EMG", "dernier électromyogramme"], ["latest EMG"], "EMG", "EMGs"),
    "polysomnographie": (["dernière polysomnographie"], ["latest sleep study"], "polysomnographies", "sleep studies"),
    "coronarographie": (["dernière coronarographie"], ["latest coronary angiography"], "coronarographies", "coronary angiograms"),
    "scintigraphie": (["dernière scintigraphie", "dernier PET-scan"], ["latest PET scan"], "scintigraphies", "PET scans"),
}

ANALYTE_Q = {
    "hba1c": (["dernière HbA1c", "dernière hémoglobine glyquée", "quelle était la dernière HbA1c ?"], ["latest HbA1c"], "résultats d'HbA1c", "HbA1c results"),
    "creatinine": (["dernière créatinine", "dernière créatininémie"], ["latest creatinine"], "dosages de créatinine", "creatinine results"),
    "cholesterol-ldl": (["dernier LDL-cholestérol", "dernier LDL"], ["latest LDL cholesterol"], "dosages du LDL-cholestérol", "LDL results"),
    "tsh": (["dernière TSH"], ["latest TSH"], "dosages de TSH", "TSH results"),
    "bnp": (["dernier NT-proBNP", "dernier BNP"], ["latest NT-proBNP"], "dosages de NT-proBNP", "BNP results"),
    "ferritine": (["dernière ferritine"], ["latest ferritin"], "dosages de ferritine", "ferritin results"),
    "psa": (["dernier PSA"], ["latest PSA"], "dosages de PSA", "PSA results"),
    "inr": (["dernier INR"], ["latest INR"], "INR", "INR results"),
    "troponine": (["dernière troponine"], ["latest troponin"], "dosages de troponine", "troponin results"),
    "albuminurie": (["dernière microalbuminurie"], ["latest urine albumin/creatinine ratio"], "microalbuminuries", "ACR results"),
    "crp": (["dernière CRP"], ["latest CRP"], "dosages de CRP", "CRP results"),
    "vitamine-d": (["dernière vitamine D"], ["latest vitamin D"], "dosages de vitamine D", "vitamin D results"),
}

TOPIC_Q = {
    "nodule-pulmonaire": (["suivi du nodule pulmonaire", "tout ce qui concerne le nodule pulmonaire", "documents sur le nodule du poumon"], ["lung nodule follow-up documents"]),
    "genou": (["documents concernant le genou", "tout le dossier de la prothèse de genou", "tout sur le genou"], ["all documents about the knee"]),
    "grossesse": (["suivi de la grossesse", "documents de la grossesse"], ["pregnancy follow-up documents"]),
    "diabete": (["suivi du diabète", "tout ce qui concerne le diabète"], ["diabetes follow-up documents"]),
    "insuffisance-cardiaque": (["documents sur l'insuffisance cardiaque", "l'hospitalisation pour insuffisance cardiaque"], ["heart failure documents"]),
    "coeur": (["tout le suivi cardiologique", "documents concernant le cœur"], ["all cardiac documents"]),
    "cheville": (["documents sur la cheville", "l'entorse de cheville"], ["ankle injury documents"]),
    "peau": (["documents sur la lésion de la peau", "suivi du grain de beauté"], ["skin lesion documents"]),
    "digestif": (["documents digestifs", "tout ce qui concerne le tube digestif"], ["digestive tract documents"]),
    "gynecologie": (["suivi gynécologique", "frottis et consultations gynécologiques"], ["gynaecology follow-up"]),
    "rein": (["documents sur les reins", "tout sur la fonction rénale"], ["kidney documents"]),
}


def _d(s: str) -> date:
    return date.fromisoformat(s)


def matches(rec: dict, e: dict) -> bool:
    if e.get("type_codes") and rec["type_code"] not in e["type_codes"]:
        return False
    if e.get("specialty_group"):
        if rec["type_code"] in NOT_A_REPORT or SPECIALTY_GROUP_OF.get(rec["specialty_code"] or "") != e["specialty_group"]:
            return False
    if e.get("exam") and e["exam"] not in rec["exam_keys"]:
        return False
    if e.get("analyte") and e["analyte"] not in {lv["analyte"] for lv in rec["lab_values"]}:
        return False
    if e.get("topic") and e["topic"] not in rec.get("topics", []):
        return False
    if e.get("date_from") and rec["service_date"] < e["date_from"]:
        return False
    if e.get("date_to") and rec["service_date"] > e["date_to"]:
        return False
    return True


def relevant_for(recs: list[dict], kind: str, e: dict) -> list[str] | None:
    """Relevant sources, or None when the question would be ambiguous and should not be asked."""
    canon = sorted((r for r in recs if not r["is_noise"] and matches(r, e)), key=lambda r: r["service_date"], reverse=True)
    dups: dict[str, list[str]] = {}
    for r in recs:
        if r["duplicate_of"]:
            dups.setdefault(r["duplicate_of"], []).append(r["source"])

    def with_dups(rs):
        return [x for r in rs for x in [r["source"]] + dups.get(r["source"], [])]

    if kind == "no-answer":
        return [] if not any(matches(r, e) for r in recs) else None
    if not canon:
        return None
    if kind.startswith("latest"):
        if len(canon) > 1 and canon[1]["service_date"] == canon[0]["service_date"]:
            return None
        return with_dups(canon[:1])
    if kind == "counted":
        n = e["count"]
        if len(canon) < n or (len(canon) > n and canon[n]["service_date"] == canon[n - 1]["service_date"]):
            return None
        return with_dups(canon[:n])
    return with_dups(canon)


def _cap(s: str, rng: random.Random) -> str:
    s = s[0].upper() + s[1:] if rng.random() < 0.5 else s
    return s


def candidates(recs: list[dict], rng: random.Random) -> list[tuple[str, str, str, dict]]:
    """(kind, lang, text, expect) candidates; relevance is computed afterwards."""
    out = []
    present_types = {r["type_code"] for r in recs if not r["is_noise"]}
    present_groups = {SPECIALTY_GROUP_OF.get(r["specialty_code"] or "") for r in recs if not r["is_noise"] and r["type_code"] not in NOT_A_REPORT}
    present_exams = {k for r in recs if not r["is_noise"] for k in r["exam_keys"]}
    present_analytes = {lv["analyte"] for r in recs if not r["is_noise"] for lv in r["lab_values"]}
    present_topics = {t for r in recs if not r["is_noise"] for t in r.get("topics", [])}

    def lang_pick(fr, en):
        if en and rng.random() < 0.2:
            return "en", rng.choice(en)
        return "fr", rng.choice(fr)

    for types, (fr, en, cfr, cen, plural, plural2, plural_en) in TYPE_Q.items():
        e = {"type_codes": list(types)}
        kind = "latest-type" if set(types) & present_types else "no-answer"
        lang, q = lang_pick(fr, en)
        out.append((kind, lang, q, e))
        if cfr and set(types) & present_types:
            n = rng.choice([2, 3, 3, 4])
            lang, q = lang_pick(cfr, cen)
            out.append(("counted", lang, q.format(n=n), dict(e, count=n)))
    for g, (fr, en, plural) in SPEC_Q.items():
        e = {"specialty_group": g}
        lang, q = lang_pick(fr, en)
        out.append(("latest-specialty" if g in present_groups else "no-answer", lang, q, e))
    for x, (fr, en, plural, plural_en) in EXAM_Q.items():
        e = {"exam": x}
        lang, q = lang_pick(fr, en)
        out.append(("latest-exam" if x in present_exams else "no-answer", lang, q, e))
        if x in present_exams:
            n = rng.choice([2, 3])
            if rng.random() < 0.5:
                out.append(("counted", "fr", f"les {n} derniers {plural}" if plural[-1] == "s" else f"les {n} derniers {plural}", dict(e, count=n)))
            else:
                out.append(("counted", "en", f"last {n} {plural_en}", dict(e, count=n)))
            out.append(("date-scoped", "fr", f"{plural} de l'an dernier", dict(e, date_from="2025-01-01", date_to="2025-12-31")))
            y = rng.randint(2019, 2024)
            out.append(("date-scoped", "en", f"{plural_en} from {y}", dict(e, date_from=f"{y}-01-01", date_to=f"{y}-12-31")))
    for a, (fr, en, plural, plural_en) in ANALYTE_Q.items():
        e = {"analyte": a}
        lang, q = lang_pick(fr, en)
        out.append(("latest-exam" if a in present_analytes else "no-answer", lang, q, e))
        if a in present_analytes:
            lang, q = ("en", plural_en) if rng.random() < 0.2 else ("fr", plural)
            out.append(("topical", lang, q if lang == "en" else rng.choice([q, f"évolution : {q}", f"tous les {q}" if q.startswith("dosages") else q]), e))
            y = rng.randint(2018, 2025)
            out.append(("date-scoped", "fr", f"{plural} depuis {y}", dict(e, date_from=f"{y}-01-01", date_to=QUERY_DATE.isoformat())))
    for t, (fr, en) in TOPIC_Q.items():
        if t in present_topics:
            lang, q = lang_pick(fr, en)
            out.append(("topical", lang, q, {"topic": t}))
    # date-scoped on types and specialties
    for types, (fr, en, cfr, cen, plural, plural2, plural_en) in TYPE_Q.items():
        if not set(types) & present_types:
            out.append(("no-answer", "fr", f"{plural} de 2017", {"type_codes": list(types), "date_from": "2017-01-01", "date_to": "2017-12-31"}))
            continue
        y = rng.randint(2018, 2026)
        out.append(("date-scoped", "fr", f"{plural} de {y}", {"type_codes": list(types), "date_from": f"{y}-01-01", "date_to": f"{y}-12-31"}))
        m, y2 = rng.randint(1, 12), rng.randint(2020, 2025)
        out.append(("date-scoped", "fr", f"{plural2} depuis {MOIS[m - 1]} {y2}", {"type_codes": list(types), "date_from": f"{y2}-{m:02d}-01", "date_to": QUERY_DATE.isoformat()}))
        out.append(("date-scoped", "en", f"{plural_en} since {MONTHS_EN[m - 1]} {y2}", {"type_codes": list(types), "date_from": f"{y2}-{m:02d}-01", "date_to": QUERY_DATE.isoformat()}))
        out.append(("date-scoped", "fr", f"{plural} de l'année dernière", {"type_codes": list(types), "date_from": "2025-01-01", "date_to": "2025-12-31"}))
        out.append(("date-scoped", "fr", f"{plural} depuis le début de l'année", {"type_codes": list(types), "date_from": "2026-01-01", "date_to": QUERY_DATE.isoformat()}))
    for g, (fr, en, plural) in SPEC_Q.items():
        if g in present_groups and plural:
            y1 = rng.randint(2018, 2023)
            m1, m2 = rng.randint(1, 12), rng.randint(1, 12)
            y2 = rng.randint(y1 + 1, 2026)
            last = calendar.monthrange(y2, m2)[1]
            out.append(("date-scoped", "fr", f"{plural} entre {MOIS[m1 - 1]} {y1} et {MOIS[m2 - 1]} {y2}",
                        {"specialty_group": g, "date_from": f"{y1}-{m1:02d}-01", "date_to": f"{y2}-{m2:02d}-{last:02d}"}))
    return out


QUOTAS = {"latest-type": 6, "latest-specialty": 6, "latest-exam": 7, "date-scoped": 6, "topical": 3, "counted": 3, "no-answer": 5}


def make_queries(pid: str, recs: list[dict], rng: random.Random, quotas: dict[str, int] | None = None) -> list[dict]:
    quotas = quotas or QUOTAS
    by_kind: dict[str, list] = {}
    for kind, lang, text, e in candidates(recs, rng):
        rel = relevant_for(recs, kind, e)
        if rel is None:
            continue
        by_kind.setdefault(kind, []).append((lang, text, e, rel))
    out = []
    for kind in QUOTAS:
        items = by_kind.get(kind, [])
        rng.shuffle(items)
        seen = set()
        for lang, text, e, rel in items:
            if len([o for o in out if o["kind"] == kind]) >= quotas[kind]:
                break
            if text in seen:
                continue
            seen.add(text)
            q = _cap(text, rng)
            if lang == "fr" and rng.random() < 0.15 and not q.endswith("?"):
                q = rng.choice(["Montre-moi : ", "Je cherche : ", "Retrouve "]) + q[0].lower() + q[1:]
            out.append({"id": f"{pid}-q{len(out) + 1:03d}", "patient": pid, "query": q, "relevant": rel, "kind": kind, "lang": lang,
                        "expect": e})
    return out
