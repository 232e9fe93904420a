"""Coherent patient stories 2018-2026: which documents a patient accumulates, when, from whom.

Archetypes: diabete (HbA1c trajectory, endocrinology, fundus, nephrology), cardiaque (echocardiograms,
ECG, Holter, consultations a few days after the echo, heart-failure stay), nodule (lung nodule
followed by CT, pneumology, EFR, bronchial biopsy), genou (knee arthroplasty: x-rays, MRI, surgery,
discharge, follow-up), grossesse (gynaecology, pregnancy follow-up, delivery). Every patient also has
a GP, routine labs, prescriptions, vaccinations, a few other specialists, an emergency visit and
administrative papers.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from . import content as C
from . import vocab
from .model import Doc, Patient

START, END = date(2018, 1, 8), date(2026, 11, 20)
ARCHETYPES = ["diabete", "cardiaque", "nodule", "genou", "grossesse"]


def wk(d: date) -> date:
    """Move a week-end date to the next Monday (clinics and labs work on weekdays)."""
    return d + timedelta(days=(7 - d.weekday()) % 7) if d.weekday() >= 5 else d


def rdate(rng: random.Random, a: date, b: date) -> date:
    return wk(a + timedelta(days=rng.randint(0, max(0, (b - a).days))))


def _interp(points: list[tuple[date, float]]):
    def f(d: date) -> float:
        if d <= points[0][0]:
            return points[0][1]
        for (d0, v0), (d1, v1) in zip(points, points[1:]):
            if d0 <= d <= d1:
                t = (d - d0).days / max(1, (d1 - d0).days)
                return v0 + t * (v1 - v0)
        return points[-1][1]
    return f


def make_patient(index: int, rng: random.Random) -> Patient:
    arch = ARCHETYPES[index % len(ARCHETYPES)]
    stories = [arch]
    if arch != "grossesse" and rng.random() < 0.2:
        stories.append(rng.choice([a for a in ARCHETYPES if a not in (arch, "grossesse")]))
    sex = "F" if arch == "grossesse" else rng.choice("FM")
    if arch == "grossesse":
        birth = date(rng.randint(1988, 1997), rng.randint(1, 12), rng.randint(1, 28))
    elif arch == "genou":
        birth = date(rng.randint(1948, 1972), rng.randint(1, 12), rng.randint(1, 28))
    else:
        birth = date(rng.randint(1942, 1968), rng.randint(1, 12), rng.randint(1, 28))
    city, postcode = rng.choice(vocab.CITIES)
    first = rng.choice(vocab.FIRST_F if sex == "F" else vocab.FIRST_M)
    p = Patient(pid=f"P{index + 1:04d}", sex=sex, first=first, last=rng.choice(vocab.LAST), birth=birth, city=city,
                postcode=postcode, address=f"{rng.randint(1, 220)} {rng.choice(vocab.STREETS)}", stories=stories, rng=rng,
                ipp=str(rng.randint(10**7, 10**8 - 1)))
    p.facts.update({"poids": rng.randint(55, 75) if sex == "F" else rng.randint(68, 95),
                    "taille": rng.randint(155, 172) if sex == "F" else rng.randint(165, 188), "atcd": [], "ttt": []})
    gp = p.doctor("gp", rng.choice(["SM54", "SM54", "SM26", "SM53"]))
    p.facts["gp_name"] = gp.name
    return p


def plan(p: Patient, rng: random.Random) -> list[Doc]:
    docs: list[Doc] = []
    for s in p.stories:
        docs += STORY_FUNCS[s](p, rng)
    docs += _common(p, rng)
    docs = [d for d in docs if START <= d.service_date <= END]
    docs.sort(key=lambda d: d.service_date)
    return docs


def _lab(p: Patient, rng: random.Random):
    return p.doctor("labo", rng.choice(["SM03", "SM63"]), "labo")


def _common(p: Patient, rng: random.Random) -> list[Doc]:
    out: list[Doc] = []
    gp = p.doctor("gp", None)
    lab = _lab(p, rng)
    # GP visits, often with a prescription the same day
    for _ in range(rng.randint(1, 2)):
        d = rdate(rng, START, END)
        out.append(C.consultation(p, d, "SM54", rng, gp))
        if rng.random() < 0.5:
            drugs = p.facts["ttt"][:4] or rng.sample(["paracetamol", "amoxicilline", "omeprazole", "vitd", "cetirizine"], 2)
            out.append(C.prescription(p, d, drugs, rng, gp, ald=bool(p.facts["ttt"]) and rng.random() < 0.5))
    # routine labs (yearly check-up)
    for y in sorted(rng.sample(range(2018, 2027), rng.randint(5, 8))):
        d = rdate(rng, date(y, 1, 10), date(y, 11, 15))
        panels = ["nfs", "iono", "rein", "lipides", "gly"] + rng.sample(["tsh", "crp", "fer", "hep", "vitd", "au"], rng.randint(1, 3))
        if p.sex == "M" and p.age(d) > 50 and rng.random() < 0.5:
            panels.append("psa")
        out.append(C.lab_report(p, d, panels, rng, lab))
    for _ in range(rng.randint(1, 2)):
        out.append(C.vaccination(p, rdate(rng, date(2018, 10, 1), END), rng, rng.choice([gp, p.doctor("pharma", None)])))
    if rng.random() < 0.6:
        out.append(C.certificate(p, rdate(rng, START, END), rng, gp))
    # other specialists (at least ten specialties across a corpus)
    pool = ["SM15", "SM32", "SM24", "SM48", "SM34", "SM38"]
    for spec in rng.sample(pool, 1 if rng.random() < 0.7 else 2):
        d = rdate(rng, START, END)
        doc = p.doctor(f"spec-{spec}", spec, rng.choice(["cabinet", "hopital"]))
        out.append(C.consultation(p, d, spec, rng, doc))
        after = wk(d + timedelta(days=rng.randint(14, 60)))
        rad = p.doctor("radio", rng.choice(["SM44", "SM74"]), "imagerie")
        if spec == "SM15" and rng.random() < 0.7:
            out.append(C.operative(p, after, rng, doc, "anesthésie locale", op="exerese"))
            out.append(C.pathology(p, after, "naevus", rng, p.doctor("patho", "SM01", "hopital")))
        elif spec == "SM24":
            if rng.random() < 0.5:
                out.append(C.diag_act(p, after, "coloscopie", rng, doc))
                out.append(C.pathology(p, after, "polype", rng, p.doctor("patho", "SM01", "hopital")))
            else:
                out.append(C.imaging(p, after, "echo-abdo", rng, rad))
        elif spec == "SM32" and rng.random() < 0.6:
            out.append(C.imaging(p, after, "irm-cerebrale", rng, rad))
        elif spec == "SM48" and rng.random() < 0.6:
            out.append(C.imaging(p, after, "irm-lombaire", rng, rad))
    if rng.random() < 0.5:
        out.append(C.imaging(p, rdate(rng, START, END), rng.choice(["rx-thorax", "echo-thyroide", "densito" if p.sex == "F" else "rx-thorax"]),
                             rng, p.doctor("radio", rng.choice(["SM44", "SM74"]), "imagerie")))
    if p.sex == "F" and p.birth.year < 1975:
        for y in rng.sample(range(2019, 2026), 2):
            out.append(C.imaging(p, rdate(rng, date(y, 1, 1), date(y, 12, 15)), "mammo", rng, p.doctor("radio", "SM44", "imagerie")))
    # emergency visit
    if rng.random() < 0.5:
        sc = rng.choice(["entorse", "colique", "plaie"])
        d = rdate(rng, START, END) - timedelta(days=rng.randint(0, 1))
        urg = p.doctor("urg", "SM59", "hopital")
        out.append(C.emergency(p, d, sc, rng, urg))
        if sc == "entorse":
            out.append(C.imaging(p, d, "rx-cheville", rng, p.doctor("radio-h", "SM74", "hopital")))
    # English documents (holidays abroad)
    for _ in range(rng.choice([1, 2, 2, 3, 3])):
        kind = rng.choice(["ed", "clinic", "discharge", "lab"])
        if kind == "lab":
            us = p.doctor("en-lab", None, "labo")
            us.organisation, us.name, us.language = rng.choice(vocab.US_HOSPITALS) + " — Clinical Laboratory", f"Dr {rng.choice(vocab.FIRST_EN)} {rng.choice(vocab.LAST_EN)}", "en"
            us.address = us.city = us.organisation.split(", ")[-1].split(" — ")[0]
            us.specialty_label, us.service = "Clinical Pathology", ""
            out.append(C.lab_report(p, rdate(rng, date(2018, 6, 1), END), ["nfs", "iono", "rein", "gly"], rng, us, lang="en"))
            continue
        en = p.doctor(f"en-{kind}", {"ed": "SM59", "clinic": "SM04", "discharge": "SM27"}[kind], "hopital")
        en.organisation = rng.choice(vocab.UK_HOSPITALS + vocab.US_HOSPITALS)
        en.name = f"Dr {rng.choice(vocab.FIRST_EN)} {rng.choice(vocab.LAST_EN)}"
        en.service, en.language = "", "en"
        en.address = en.organisation.split(", ")[-1]
        en.city = en.address
        en.specialty_label = {"ed": "Emergency Medicine", "clinic": "Consultant Cardiologist", "discharge": "Acute Medicine"}[kind]
        out.append(C.english_doc(p, rdate(rng, date(2018, 6, 1), END), kind, rng, en))
    # administrative papers (noise)
    for _ in range(rng.randint(1, 3)):
        out.append(C.admin(p, rdate(rng, START, END), rng, rng.choice(list(p.practitioners.values()))))
    return out


def _diabete(p: Patient, rng: random.Random) -> list[Doc]:
    out: list[Doc] = []
    dy = rng.randint(2008, 2016)
    p.facts.update({"diab_year": dy, "diabete": True})
    p.facts["atcd"] += [f"Diabète de type 2 diagnostiqué en {dy}", f"HTA depuis {dy - rng.randint(1, 5)}",
                        f"Cholécystectomie en {rng.randint(1995, 2010)}"]
    off = rng.uniform(-0.4, 0.4)
    a1c = _interp([(date(2018, 1, 1), 8.4 + off), (date(2019, 6, 1), 7.5 + off), (date(2020, 9, 1), 8.2 + off),
                   (date(2021, 9, 1), 7.1 + off), (date(2023, 3, 1), 6.5 + off), (date(2024, 3, 1), 7.3 + off),
                   (date(2025, 6, 1), 6.8 + off), (date(2026, 11, 1), 6.9 + off)])
    p.facts["lab_targets"] = {"hba1c": a1c, "gly": lambda d: 0.55 + a1c(d) * 0.095,
                              "creat": _interp([(date(2018, 1, 1), 82.0), (date(2023, 1, 1), 118.0), (date(2026, 11, 1), 121.0)]),
                              "rac": _interp([(date(2018, 1, 1), 2.1), (date(2022, 6, 1), 6.5), (date(2026, 11, 1), 4.2)]),
                              "tg": lambda d: 1.9}
    p.facts["ttt"] = ["metformine", "gliclazide", "ramipril", "atorvastatine"]
    lab = _lab(p, rng)
    endo = p.doctor("endo", "SM62", rng.choice(["hopital", "cabinet"]))
    d = date(2018, 2, 1)
    n = 0
    while d < END:
        full = n % 2 == 0
        panels = ["hba1c", "gly"] + (["rein", "rac", "lipides", "iono"] if full else [])
        out.append(C.lab_report(p, wk(d), panels, rng, lab))
        if n % 4 == 0:  # endocrinology visit one to three weeks after every other full lab work
            dc = wk(d + timedelta(days=rng.randint(7, 21)))
            if d.year == 2021 and "dapagliflozine" not in p.facts["ttt"]:
                p.facts["ttt"] = p.facts["ttt"] + ["dapagliflozine"]
                change = "Ajout de la dapagliflozine 10 mg/j."
            elif d.year == 2025 and "semaglutide" not in p.facts["ttt"]:
                p.facts["ttt"] = [t for t in p.facts["ttt"] if t != "sitagliptine"] + ["semaglutide"]
                change = "Relais de la sitagliptine par sémaglutide 0,25 mg/semaine puis titration à 1 mg."
            else:
                change = rng.choice(["Pas de modification thérapeutique.", "Renforcement des règles hygiéno-diététiques."])
            out.append(C.consultation(p, dc, "SM62", rng, endo, hba1c=round(a1c(d), 1), change=change))
            if d.year == 2023 and "sitagliptine" not in p.facts["ttt"] and "semaglutide" not in p.facts["ttt"]:
                p.facts["ttt"] = [t for t in p.facts["ttt"] if t != "gliclazide"] + ["sitagliptine"]
            if rng.random() < 0.3:
                out.append(C.prescription(p, dc, p.facts["ttt"], rng, endo, ald=True))
        d += timedelta(days=rng.randint(120, 200))
        n += 1
    # severe hypoglycaemia stay in 2023
    dh = rdate(rng, date(2023, 4, 1), date(2023, 6, 30))
    p.facts["ttt_before"] = ["metformine", "gliclazide", "ramipril", "atorvastatine", "dapagliflozine"]
    out.append(C.discharge(p, dh, "hypoglycemie", rng, p.doctor("endo-h", "SM62", "hopital"), admit_days=3))
    out.append(C.admin(p, dh - timedelta(days=3), rng, p.doctor("endo-h", "SM62", "hopital"), "facture"))
    ophta = p.doctor("ophta", "SM38")
    for y in (2019, 2022, 2025):
        fo = "pas de rétinopathie diabétique" if y < 2022 else "rétinopathie diabétique non proliférante minime (quelques microanévrismes au pôle postérieur)"
        out.append(C.consultation(p, rdate(rng, date(y, 1, 15), date(y, 10, 30)), "SM38", rng, ophta, fo=fo,
                                  scenario="Fond d'œil annuel — diabète", conclusion="Surveillance de la rétinopathie diabétique."))
    nephro = p.doctor("nephro", "SM30", "hopital")
    for y in (2023, 2025):
        out.append(C.consultation(p, rdate(rng, date(y, 2, 1), date(y, 11, 30)), "SM30", rng, nephro, dfg=rng.randint(48, 58)))
    return out


def _cardiaque(p: Patient, rng: random.Random) -> list[Doc]:
    out: list[Doc] = []
    p.facts["idm"] = True
    y_idm = rng.randint(2012, 2016)
    p.facts["atcd"] += [f"Infarctus du myocarde inférieur en {y_idm}, angioplastie avec stent actif sur la coronaire droite",
                        "Dyslipidémie", f"Tabagisme sevré en {y_idm}"]
    p.facts["ttt"] = ["kardegic", "bisoprolol", "atorvastatine", "ramipril"]
    ldl = _interp([(date(2018, 1, 1), 0.92), (date(2020, 1, 1), 0.71), (date(2022, 1, 1), 0.66), (date(2024, 1, 1), 0.52), (date(2026, 11, 1), 0.49)])
    fevg_f = _interp([(date(2018, 1, 1), 52), (date(2022, 9, 1), 50), (date(2022, 11, 1), 35), (date(2023, 6, 1), 42), (date(2026, 11, 1), 47)])
    hf = rdate(rng, date(2022, 9, 15), date(2022, 11, 20))
    bnp = lambda d: 3800.0 if abs((d - hf).days) < 20 else (900.0 if d > hf else 220.0)
    tg = p.facts.setdefault("lab_targets", {})
    tg.update({"ldl": ldl, "bnp": bnp})
    cardio = p.doctor("cardio", rng.choice(["SM04", "SM04", "SM73"]), rng.choice(["cabinet", "hopital"]))
    lab = _lab(p, rng)
    for y in range(2018, 2027):
        for _ in range(1 if y % 3 else 2):
            out.append(C.lab_report(p, rdate(rng, date(y, 1, 5), date(y, 12, 10)),
                                    ["lipides", "rein", "iono"] + (["bnp"] if y >= 2022 else []) + (["hep"] if rng.random() < 0.3 else []), rng, lab))
        de = rdate(rng, date(y, 2, 1), date(y, 10, 15))
        fevg = int(round(fevg_f(de)))
        if y in (2018, 2020, 2023, 2025, 2026):  # echo, then the consultation a few days later: a near tie
            out.append(C.diag_act(p, de, "echocardiographie", rng, cardio, fevg=fevg))
        dc = wk(de + timedelta(days=rng.randint(2, 6)))
        if y in (2020, 2022, 2024):
            continue
        if y > 2022:
            p.facts["ttt"] = ["kardegic", "bisoprolol", "atorvastatine", "entresto", "spironolactone", "furosemide"]
        out.append(C.consultation(p, dc, cardio.specialty_code, rng, cardio, fevg=fevg, ldl=round(ldl(dc), 2)))
        if rng.random() < 0.35:
            out.append(C.diag_act(p, dc, "ecg", rng, cardio))
        if rng.random() < 0.25:
            out.append(C.prescription(p, dc, p.facts["ttt"], rng, cardio))
    for y in (2020, 2024):
        out.append(C.diag_act(p, rdate(rng, date(y, 3, 1), date(y, 11, 30)), "holter", rng, p.doctor("cardio", None)))
    out.append(C.diag_act(p, rdate(rng, date(2019, 3, 1), date(2019, 11, 30)), "epreuve-effort", rng, cardio))
    out.append(C.imaging(p, rdate(rng, date(2021, 1, 1), date(2021, 12, 1)), "doppler-tsa", rng, p.doctor("mv", "SM61")))
    # heart-failure stay
    p.facts["ttt_before"] = ["kardegic", "bisoprolol", "atorvastatine", "ramipril"]
    hosp = p.doctor("cardio-h", "SM04", "hopital")
    out.append(C.lab_report(p, hf - timedelta(days=6), ["nfs", "iono", "rein", "bnp", "tropo", "crp"], rng, p.doctor("labo-h", "SM03", "labo")))
    out.append(C.discharge(p, hf, "ic", rng, hosp, admit_days=rng.randint(6, 9),
                           ttt_sortie=["kardegic", "bisoprolol", "atorvastatine", "entresto", "spironolactone", "furosemide"]))
    out.append(C.prescription(p, hf, ["kardegic", "bisoprolol", "atorvastatine", "entresto", "spironolactone", "furosemide"], rng, hosp))
    return out


def _nodule(p: Patient, rng: random.Random) -> list[Doc]:
    out: list[Doc] = []
    ny = rng.randint(2021, 2022)
    side = rng.choice(["lobaire supérieur droit", "lobaire inférieur gauche", "du segment apical du lobe supérieur gauche"])
    p.facts.update({"nodule_year": ny, "nodule_side": side, "pa": rng.randint(25, 45)})
    p.facts["atcd"] += [f"Tabagisme actif, {p.facts['pa']} paquets-années", "Appendicectomie dans l'enfance",
                        f"Fracture du poignet droit en {rng.randint(2005, 2015)}"]
    p.facts["ttt"] = ["spiriva"] + p.facts["ttt"]
    rad = p.doctor("radio", rng.choice(["SM44", "SM74"]), "imagerie")
    pneumo = p.doctor("pneumo", "SM41", rng.choice(["hopital", "cabinet"]))
    d0 = rdate(rng, date(ny, 1, 10), date(ny, 6, 30))
    out.append(C.imaging(p, wk(d0 - timedelta(days=30)), "rx-thorax", rng, rad))
    sizes = [(0, 6, 6, "Nodule pulmonaire solide infracentimétrique de découverte fortuite. Contrôle scanographique à 6 mois."),
             (6, 8, 6, "Discrète augmentation de taille du nodule. Avis pneumologique et discussion en RCP recommandés."),
             (12, 8, 8, "Nodule stable depuis 6 mois."),
             (24, 8, 8, "Stabilité du nodule sur 18 mois, en faveur de la bénignité.")]
    for months, mm, prev, concl in sizes:
        d = wk(d0 + timedelta(days=int(months * 30.4)))
        out.append(C.imaging(p, d, "scanner-thorax", rng, rad, mm=mm, prev=prev, conclusion=concl, side=side))
        dc = wk(d + timedelta(days=rng.randint(3, 12)))
        evol = {0: "de découverte récente", 6: "en discrète augmentation", 12: "stable", 24: "stable à 2 ans"}[months]
        cat = {6: "Fibroscopie bronchique avec biopsies. Dossier présenté en RCP d'oncologie thoracique.",
               24: "Fin de la surveillance scanographique. Dépistage à poursuivre selon les recommandations."}.get(months)
        if months == 12:
            continue
        out.append(C.consultation(p, dc, "SM41", rng, pneumo, nodule_mm=mm, evol=evol, **({"cat": cat} if cat else {}),
                                  topics=["nodule-pulmonaire"]))
        if months == 0:
            out.append(C.diag_act(p, wk(dc + timedelta(days=20)), "efr", rng, pneumo, vems=rng.randint(62, 78), tiff=rng.randint(55, 66)))
            out.append(C.prescription(p, dc, ["spiriva", "nicotine", "ventoline"], rng, pneumo))
        if months == 6:
            db = wk(dc + timedelta(days=15))
            out.append(C.pathology(p, db, "biopsie-bronchique", rng, p.doctor("patho", "SM01", "hopital")))
            out.append(C.admin(p, db - timedelta(days=8), rng, pneumo, "consentement"))
    out.append(C.diag_act(p, rdate(rng, date(2025, 1, 10), date(2025, 10, 1)), "efr", rng, pneumo, vems=rng.randint(60, 75)))
    return out


def _genou(p: Patient, rng: random.Random) -> list[Doc]:
    out: list[Doc] = []
    side = rng.choice(["droit", "gauche"])
    p.facts.update({"knee_side": side, "knee_since": rng.randint(2016, 2019)})
    p.facts["atcd"] += [f"Gonarthrose du genou {side} symptomatique depuis {p.facts['knee_since']}", "HTA", f"Hernie inguinale opérée en {rng.randint(1990, 2010)}"]
    p.facts["ttt"] = p.facts["ttt"] + ["amlodipine", "paracetamol"]
    rad = p.doctor("radio", rng.choice(["SM44", "SM74"]), "imagerie")
    ortho = p.doctor("ortho", "SM08", "hopital")
    gp = p.doctor("gp", None)
    d1 = rdate(rng, date(2019, 3, 1), date(2020, 6, 1))
    out.append(C.consultation(p, d1, "SM54", rng, gp, scenario="Gonalgie", topics=["genou"]))
    out.append(C.imaging(p, wk(d1 + timedelta(days=6)), "rx-genou", rng, rad))
    out.append(C.consultation(p, rdate(rng, date(2020, 9, 1), date(2021, 3, 1)), "SM48", rng, p.doctor("rhumato", "SM48"),
                              scenario="Gonarthrose — avis rhumatologique", topics=["genou"]))
    out.append(C.imaging(p, rdate(rng, date(2021, 4, 1), date(2021, 12, 1)), "irm-genou", rng, rad))
    dco = rdate(rng, date(2022, 6, 1), date(2022, 12, 1))
    out.append(C.consultation(p, dco, "SM08", rng, ortho))
    out.append(C.imaging(p, wk(dco - timedelta(days=rng.randint(3, 10))), "rx-genou", rng, rad))
    dop = rdate(rng, date(2023, 2, 1), date(2023, 5, 30))
    out.append(C.admin(p, dop - timedelta(days=40), rng, ortho, "questionnaire"))
    out.append(C.admin(p, dop - timedelta(days=30), rng, ortho, "consentement"))
    out.append(C.operative(p, dop, rng, ortho, f"Dr {rng.choice(vocab.FIRST_M)} {rng.choice(vocab.LAST)}"))
    dd = dop + timedelta(days=rng.randint(3, 5))
    out.append(C.discharge(p, dd, "ptg", rng, ortho, admit_days=(dd - dop).days + 1))
    out.append(C.prescription(p, dd, ["enoxaparine", "paracetamol", "tramadol"], rng, ortho))
    d6 = wk(dop + timedelta(days=42))
    out.append(C.imaging(p, d6, "rx-genou-postop", rng, p.doctor("radio-h", "SM74", "hopital")))
    out.append(C.consultation(p, wk(d6 + timedelta(days=rng.choice([0, 1, 2]))), "SM08", rng, ortho, scenario="Contrôle à 6 semaines d'une PTG",
                              conclusion="Évolution favorable à 6 semaines d'une PTG, flexion à 105°.", cat="Poursuite de la rééducation. Revoir à 1 an avec radiographies.", revoir=10))
    d1y = rdate(rng, date(2024, 3, 1), date(2024, 6, 30))
    out.append(C.imaging(p, d1y, "rx-genou-postop", rng, rad))
    out.append(C.consultation(p, wk(d1y + timedelta(days=rng.randint(2, 8))), "SM08", rng, ortho, scenario="Contrôle à 1 an d'une PTG",
                              conclusion="Excellent résultat clinique et radiologique à 1 an.", cat="Fin du suivi spécialisé. Radiographie de contrôle à 5 ans.", revoir=48))
    return out


def _grossesse(p: Patient, rng: random.Random) -> list[Doc]:
    out: list[Doc] = []
    gyn = p.doctor("gyn", "SM20", rng.choice(["cabinet", "hopital"]))
    mat = p.doctor("mat", "SM20", "hopital")
    lab = _lab(p, rng)
    p.facts["atcd"] += [f"G{1}P{1}: accouchement par voie basse en {rng.randint(2015, 2019)}", "Allergie à la pénicilline (urticaire)"]
    p.facts.update({"gestite": 2, "parite": 1})
    for y in (2018, 2021):
        d = rdate(rng, date(y, 1, 10), date(y, 11, 30))
        out.append(C.consultation(p, d, "SM20", rng, gyn))
        if y != 2020:
            out.append(C.pathology(p, d, "frottis", rng, p.doctor("patho", "SM01", "hopital")))
    ddr = rdate(rng, date(2024, 2, 1), date(2024, 9, 1))
    terme = ddr + timedelta(days=283)
    p.facts.update({"ddr": ddr, "terme": terme})
    sa = lambda d: (d - ddr).days // 7
    d_hcg = wk(ddr + timedelta(days=rng.randint(33, 40)))
    p.facts.setdefault("lab_targets", {})["hcg"] = lambda d: 18500.0
    out.append(C.lab_report(p, d_hcg, ["hcg"], rng, lab, topics=["grossesse"]))
    p.facts["lab_targets"].pop("hcg")
    for wk_ in (9, 24, 32, 36):
        d = wk(ddr + timedelta(weeks=wk_, days=rng.randint(0, 4)))
        out.append(C.consultation(p, d, "SM20", rng, mat if wk_ > 20 else gyn, sa=sa(d)))
    for wk_, ex in ((12, "echo-obst-t1"), (22, "echo-obst-t2"), (32, "echo-obst-t3")):
        d = wk(ddr + timedelta(weeks=wk_, days=rng.randint(0, 5)))
        out.append(C.imaging(p, d, ex, rng, gyn, sa=sa(d), j=(d - ddr).days % 7, lcc=rng.randint(55, 68)))
    for wk_ in (10, 20, 28):
        d = wk(ddr + timedelta(weeks=wk_, days=rng.randint(0, 3)))
        out.append(C.lab_report(p, d, ["grossesse", "nfs"] + (["hgpo"] if wk_ == 28 else []), rng, lab, topics=["grossesse"]))
    dacc = terme + timedelta(days=rng.randint(-10, 5))
    out.append(C.discharge(p, dacc + timedelta(days=3), "accouchement", rng, mat, admit_days=3, ttt_sortie=["fer", "paracetamol"]))
    out.append(C.consultation(p, wk(dacc + timedelta(days=45)), "SM20", rng, gyn, scenario="Visite post-natale", topics=["grossesse"]))
    out.append(C.admin(p, ddr + timedelta(weeks=30), rng, mat, "convocation"))
    return out


STORY_FUNCS = {"diabete": _diabete, "cardiaque": _cardiaque, "nodule": _nodule, "genou": _genou, "grossesse": _grossesse}
