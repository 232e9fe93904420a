"""Builders of synthetic medical documents (content only; layouts live in render.py).

Each builder returns a `Doc` whose body is a list of (heading or None, HTML) blocks written like real
French medical documents: motif, antécédents with their own dates, histoire de la maladie, examen,
conclusion, conduite à tenir with a next appointment, prescriptions with posology. The service date is
always printed at least once (in one of the formats of `vocab.fr_date`), next to distractor dates.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from . import labs, vocab
from .model import Doc, Patient, Practitioner

D = vocab.fr_date


def _later(d: date, days_lo: int, days_hi: int, rng: random.Random) -> date:
    return d + timedelta(days=rng.randint(days_lo, days_hi))


def _revoir(d: date, months: int) -> date:
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, 1)


def _ds(rng: random.Random, lang: str = "fr") -> str:
    return vocab.pick_style(rng, lang)


def _atcd_html(p: Patient, rng: random.Random, extra: list[str] | None = None) -> str:
    items = list(p.facts.get("atcd", [])) + (extra or [])
    if not items:
        items = ["Pas d'antécédent médico-chirurgical notable."]
    if rng.random() < 0.5:
        return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    return " ; ".join(items) + "."


def _ttt_html(p: Patient, rng: random.Random, keys: list[str] | None = None) -> str:
    keys = keys if keys is not None else p.facts.get("ttt", [])
    if not keys:
        return "Aucun traitement au long cours."
    def nm(k: str) -> str:
        n = vocab.DRUGS[k][0].split(",")[0]
        return n if rng.random() < 0.5 else n[0] + n[1:].lower().replace(" lm", " LM").replace("(", "(")
    lines = [f"{nm(k)} : {vocab.DRUGS[k][1]}" for k in keys]
    if rng.random() < 0.5:
        return "<ul>" + "".join(f"<li>{x}</li>" for x in lines) + "</ul>"
    return "<br/>".join(lines)


def _constantes(p: Patient, rng: random.Random, sys_hi: int = 0) -> str:
    pas = rng.randint(118, 142) + sys_hi
    pad = rng.randint(68, 88)
    fc = rng.randint(58, 86)
    poids = p.facts.get("poids", 72) + rng.randint(-3, 3)
    taille = p.facts.get("taille", 170)
    imc = poids / (taille / 100) ** 2
    return (f"PA {pas}/{pad} mmHg{' au bras droit' if rng.random() < 0.3 else ''}, FC {fc}/min, "
            f"poids {poids} kg pour {taille} cm (IMC {vocab.num_fr(imc, 1)} kg/m²)"
            f"{', SpO2 ' + str(rng.randint(95, 99)) + ' % en air ambiant' if rng.random() < 0.5 else ''}.")


# ---------------------------------------------------------------------------------------------
# Consultations (11488-4, ophthalmology 78513-9)

def _consult_text(p: Patient, d: date, spec: str, rng: random.Random, ctx: dict) -> dict:
    """Specialty-specific paragraphs: motif, hdm, examen, conclusion, cat, ttt, extra atcd."""
    il, elle = p.e("il", "elle"), p.e("Il", "Elle")
    sc = ctx.get("scenario", "")
    nxt = _revoir(d, ctx.get("revoir", rng.choice([3, 6, 6, 12])))
    r = {"motif": "", "hdm": "", "examen": _constantes(p, rng), "conclusion": "", "cat": "",
         "ttt": p.facts.get("ttt", []), "exam_keys": [], "topics": list(ctx.get("topics", []))}
    if spec in ("SM04", "SM73"):
        fevg = ctx.get("fevg", 55)
        r["motif"] = rng.choice(["Suivi cardiologique annuel", "Consultation de suivi d'une cardiopathie ischémique",
                                 "Contrôle après adaptation thérapeutique", "Dyspnée d'effort"]) if not sc else sc
        r["hdm"] = (f"{elle} signale {rng.choice(['une dyspnée stade II de la NYHA', 'une asthénie modérée', 'quelques palpitations brèves, sans malaise', 'l’absence de douleur thoracique'])}"
                    f" depuis {rng.choice(['quelques semaines', 'le dernier contrôle', 'l’été'])}. "
                    f"Pas d'angor, pas de syncope. Observance thérapeutique déclarée bonne. "
                    f"{'Reprise d’une activité physique régulière (marche 30 minutes par jour).' if rng.random() < 0.5 else 'Activité physique limitée par des gonalgies.'}")
        r["examen"] += (f" Bruits du cœur réguliers, {rng.choice(['pas de souffle', 'souffle systolique 2/6 au foyer mitral'])}. "
                        f"{rng.choice(['Pas d’œdème des membres inférieurs.', 'Discrets œdèmes malléolaires bilatéraux.'])} "
                        f"Pouls périphériques perçus. ECG de repos : rythme sinusal, {rng.randint(58, 78)}/min, "
                        f"{'séquelle de nécrose en inférieur' if 'idm' in p.facts else 'pas de trouble de la repolarisation'}.")
        r["exam_keys"] = ["ecg"]
        r["conclusion"] = (f"Cardiopathie {'ischémique' if 'idm' in p.facts else 'hypertensive'} "
                           f"{'stable' if fevg >= 50 else 'avec altération de la FEVG à ' + str(fevg) + ' %'}. "
                           f"LDL-cholestérol à {vocab.num_fr(ctx.get('ldl', 0.62), 2)} g/L, objectif < 0,55 g/L "
                           f"{'atteint' if ctx.get('ldl', 0.62) < 0.55 else 'non atteint'}.")
        r["cat"] = (f"Poursuite du traitement. {rng.choice(['Échocardiographie de contrôle dans un an.', 'Holter ECG de 24 h à programmer.', 'Bilan lipidique dans 3 mois.'])} "
                    f"À revoir en consultation en {vocab.month_year(nxt)}.")
        r["topics"] += ["coeur"]
    elif spec in ("SM62", "SM16"):
        a1c = ctx.get("hba1c", 7.2)
        r["motif"] = sc or rng.choice(["Suivi d'un diabète de type 2", "Déséquilibre glycémique", "Bilan annuel du diabète"])
        r["hdm"] = (f"Diabète de type 2 connu depuis {p.facts.get('diab_year', 2012)}, "
                    f"{rng.choice(['sans complication macro-angiopathique connue', 'compliqué d’une rétinopathie minime', 'avec microalbuminurie'])}. "
                    f"Dernière HbA1c à {vocab.num_fr(a1c, 1)} %. {elle} rapporte "
                    f"{rng.choice(['des écarts alimentaires pendant les fêtes', 'une bonne adhésion aux règles hygiéno-diététiques', 'des hypoglycémies rares en fin de matinée', 'une prise de poids de 3 kg'])}. "
                    f"Autosurveillance glycémique : glycémies à jeun entre {vocab.num_fr(rng.uniform(1.1, 1.3), 2)} et {vocab.num_fr(rng.uniform(1.4, 1.9), 2)} g/L.")
        r["examen"] += (f" Examen des pieds : monofilament {rng.choice(['perçu aux deux pieds', 'non perçu en regard de M1 gauche'])}, pouls pédieux perçus, "
                        f"pas de plaie. Pas de lipodystrophie aux sites d'injection.")
        r["conclusion"] = (f"Diabète de type 2 {'équilibré' if a1c < 7 else 'insuffisamment équilibré'} (HbA1c {vocab.num_fr(a1c, 1)} %, "
                           f"objectif individualisé < 7 %).")
        r["cat"] = (f"{ctx.get('change', 'Pas de modification thérapeutique.')} HbA1c de contrôle dans 3 mois. "
                    f"Fond d'œil annuel. Prochaine consultation en {vocab.month_year(nxt)}.")
        r["topics"] += ["diabete"]
    elif spec == "SM41":
        r["motif"] = sc or "Nodule pulmonaire de découverte fortuite"
        r["hdm"] = (f"Tabagisme {p.facts.get('pa', 30)} paquets-années, {rng.choice(['sevré depuis 2019', 'actif, 10 cigarettes/jour'])}. "
                    f"Découverte fortuite en {p.facts.get('nodule_year', 2022)} d'un nodule {p.facts.get('nodule_side', 'lobaire supérieur droit')} "
                    f"de {ctx.get('nodule_mm', 7)} mm sur un scanner réalisé pour douleurs thoraciques. "
                    f"Toux chronique matinale, pas d'hémoptysie, pas d'altération de l'état général.")
        r["examen"] += " Murmure vésiculaire symétrique, quelques ronchi bilatéraux. Pas d'hippocratisme digital. Pas d'adénopathie sus-claviculaire."
        r["conclusion"] = f"Nodule pulmonaire {ctx.get('evol', 'stable')} ({ctx.get('nodule_mm', 7)} mm). BPCO probable post-tabagique."
        r["cat"] = (f"{ctx.get('cat', 'Scanner thoracique de contrôle à 12 mois selon les recommandations de la Fleischner Society.')} "
                    f"EFR. Aide au sevrage tabagique proposée. Revoir en {vocab.month_year(nxt)}.")
        r["topics"] += ["nodule-pulmonaire"]
    elif spec == "SM20" or spec == "SM19":
        if ctx.get("sa"):
            sa = ctx["sa"]
            r["motif"] = f"Consultation prénatale — {sa} SA"
            r["hdm"] = (f"G{p.facts.get('gestite', 2)}P{p.facts.get('parite', 1)}. Grossesse de déroulement normal, "
                        f"DDR le {D(p.facts['ddr'], 'slash')}, terme prévu le {D(p.facts['terme'], 'long')}. "
                        f"{rng.choice(['Mouvements actifs fœtaux bien perçus.', 'Nausées du premier trimestre résolues.', 'Quelques contractions le soir, non douloureuses.'])}")
            r["examen"] = (f"PA {rng.randint(105, 125)}/{rng.randint(60, 78)} mmHg, poids {p.facts.get('poids', 62) + sa // 4} kg. "
                           f"Hauteur utérine {max(sa - 4, 10)} cm. BdC fœtaux perçus. Bandelette urinaire : pas de protéinurie.")
            r["conclusion"] = "Grossesse évolutive de déroulement normal."
            r["cat"] = (f"{rng.choice(['Échographie du 2e trimestre à programmer.', 'HGPO entre 24 et 28 SA.', 'Sérologie toxoplasmose mensuelle.'])} "
                        f"Prochaine consultation en {vocab.month_year(_revoir(d, 1))}.")
            r["topics"] += ["grossesse"]
            r["ttt"] = ["acfol"] if sa < 12 else []
        else:
            r["motif"] = sc or rng.choice(["Suivi gynécologique annuel", "Renouvellement de contraception", "Frottis de dépistage"])
            r["hdm"] = f"Cycles réguliers de 28 jours. {rng.choice(['Contraception par DIU au cuivre posé en 2019.', 'Pas de contraception.', 'Contraception œstroprogestative bien tolérée.'])}"
            r["examen"] = "Seins souples, sans masse palpable. Examen au spéculum : col d'aspect normal. Toucher vaginal indolore."
            r["conclusion"] = "Examen gynécologique normal."
            r["cat"] = f"Frottis cervico-utérin réalisé. Mammographie {rng.choice(['non indiquée avant 50 ans', 'de dépistage à 50 ans'])}. Revoir dans un an, en {vocab.month_year(_revoir(d, 12))}."
            r["topics"] += ["gynecologie"]
    elif spec == "SM08":
        side = p.facts.get("knee_side", "droit")
        r["motif"] = sc or f"Gonalgie {side.replace('droit', 'droite').replace('gauche', 'gauche')}"
        r["hdm"] = (f"Douleurs mécaniques du genou {side} évoluant depuis {p.facts.get('knee_since', 2019)}, "
                    f"périmètre de marche limité à {rng.choice(['500 m', '1 km', '20 minutes'])}, "
                    f"échec du traitement médical bien conduit (antalgiques, AINS, infiltrations, kinésithérapie).")
        r["examen"] = (f"Genou {side} : flessum de {rng.choice([0, 5, 10])}°, flexion à {rng.choice([100, 110, 120])}°, "
                       f"épanchement {rng.choice(['minime', 'absent'])}, laxité frontale réductible. Marche avec boiterie d'esquive.")
        r["conclusion"] = ctx.get("conclusion", f"Gonarthrose fémoro-tibiale interne évoluée du genou {side}, stade IV d'Ahlbäck.")
        r["cat"] = ctx.get("cat", f"Indication d'arthroplastie totale du genou {side} posée. Consultation d'anesthésie à programmer.")
        r["topics"] += ["genou"]
    elif spec == "SM30":
        r["motif"] = sc or "Avis néphrologique — insuffisance rénale chronique"
        r["hdm"] = f"Adressé{p.e('', 'e')} pour DFG à {ctx.get('dfg', 52)} mL/min/1,73 m² et microalbuminurie. Diabète de type 2 et HTA."
        r["examen"] += " Pas d'œdème. Pas de souffle abdominal."
        r["conclusion"] = "Maladie rénale chronique stade 3a d'origine diabétique et vasculaire probable."
        r["cat"] = f"Bloqueur du SRAA à dose maximale tolérée, ajout d'un iSGLT2. Contrôle créatinine et kaliémie à 15 jours. Revoir en {vocab.month_year(nxt)}."
        r["topics"] += ["diabete", "rein"]
    elif spec == "SM38":
        r["motif"] = sc or rng.choice(["Fond d'œil annuel — diabète", "Baisse d'acuité visuelle", "Contrôle de la pression intraoculaire"])
        r["hdm"] = f"{elle} consulte pour {r['motif'].lower()}."
        r["examen"] = (f"AV corrigée OD {rng.choice(['10/10', '9/10', '8/10'])} P2, OG {rng.choice(['10/10', '8/10', '7/10'])} P2. "
                       f"Tonus oculaire {rng.randint(13, 19)}/{rng.randint(13, 19)} mmHg. Segment antérieur : "
                       f"{rng.choice(['cristallin clair', 'cataracte corticonucléaire débutante'])}. "
                       f"Fond d'œil dilaté : {ctx.get('fo', rng.choice(['pas de rétinopathie diabétique', 'quelques microanévrismes, rétinopathie diabétique non proliférante minime']))}.")
        r["conclusion"] = ctx.get("conclusion", "Examen ophtalmologique sans particularité en dehors de la presbytie.")
        r["cat"] = f"Contrôle annuel, en {vocab.month_year(_revoir(d, 12))}."
        r["exam_keys"] = ["fond-oeil"]
        r["topics"] += ["oeil"] + (["diabete"] if "diabete" in p.stories else [])
    else:
        pool = GENERIC_CONSULTS[spec]
        c = rng.choice(pool)
        r.update({k: v for k, v in c.items() if k in ("motif", "hdm", "conclusion", "cat")})
        r["examen"] = c.get("examen", r["examen"])
        r["cat"] = r["cat"] + f" Revoir en {vocab.month_year(nxt)}." if "Revoir" not in r["cat"] else r["cat"]
        r["ttt"] = c.get("ttt", r["ttt"])
        r["exam_keys"] = c.get("exam_keys", [])
        r["topics"] += c.get("topics", [])
        if sc:
            r["motif"] = sc
    return r


GENERIC_CONSULTS: dict[str, list[dict]] = {
    "SM15": [
        {"motif": "Lésion pigmentée du dos", "hdm": "Lésion pigmentée dorsale ayant changé d'aspect depuis 6 mois selon le conjoint. Phototype II, nombreux coups de soleil dans l'enfance.",
         "examen": "Examen cutané complet : une quarantaine de nævus. Lésion scapulaire gauche de 8 mm, asymétrique, polychrome à la dermoscopie (réseau atypique).",
         "conclusion": "Lésion mélanocytaire atypique.", "cat": "Exérèse complète avec marges de 2 mm et examen anatomopathologique.", "topics": ["peau"]},
        {"motif": "Eczéma des mains", "hdm": "Eczéma chronique des mains évoluant par poussées, aggravé par le travail (aide-soignante).",
         "examen": "Lésions érythémato-squameuses fissuraires de la face palmaire des deux mains, sans atteinte unguéale.",
         "conclusion": "Dermatite de contact d'irritation probable.", "cat": "Dermocorticoïde, émollients, tests épicutanés.", "ttt": ["diprosone"], "topics": ["peau"]},
        {"motif": "Psoriasis", "hdm": "Psoriasis en plaques connu depuis l'adolescence, poussée depuis l'automne.",
         "examen": "Plaques érythémato-squameuses des coudes, genoux et cuir chevelu, surface corporelle atteinte estimée à 6 %.",
         "conclusion": "Psoriasis en plaques modéré.", "cat": "Traitement local renforcé ; discuter photothérapie si échec.", "ttt": ["diprosone"], "topics": ["peau"]},
    ],
    "SM32": [
        {"motif": "Céphalées", "hdm": "Céphalées pulsatiles hémicrâniennes avec photophobie, 4 crises par mois, depuis l'âge de 20 ans, récemment plus fréquentes.",
         "examen": "Examen neurologique normal. Pas de raideur méningée. Fond d'œil non réalisé.",
         "conclusion": "Migraine sans aura, épisodique.", "cat": "Traitement de crise par triptan ; agenda des crises ; IRM cérébrale non indiquée.", "topics": ["neurologie"]},
        {"motif": "Paresthésies des membres inférieurs", "hdm": "Paresthésies distales des deux pieds, en chaussettes, d'aggravation lente sur deux ans.",
         "examen": "Aréflexie achilléenne bilatérale, hypoesthésie en chaussettes, pallesthésie diminuée aux malléoles.",
         "conclusion": "Polyneuropathie sensitive longueur-dépendante.", "cat": "EMG des membres inférieurs demandé, bilan biologique (B12, TSH, électrophorèse des protéines).", "exam_keys": [], "topics": ["neurologie"]},
        {"motif": "Tremblement", "hdm": "Tremblement des mains gênant l'écriture, aggravé par le café et le stress. Antécédent familial (père).",
         "examen": "Tremblement postural et d'action bilatéral, symétrique, pas de rigidité, pas d'akinésie.",
         "conclusion": "Tremblement essentiel.", "cat": "Propranolol à discuter si gêne fonctionnelle.", "topics": ["neurologie"]},
    ],
    "SM24": [
        {"motif": "Épigastralgies", "hdm": "Brûlures épigastriques post-prandiales depuis 3 mois, pyrosis, pas d'amaigrissement ni de dysphagie.",
         "examen": "Abdomen souple, dépressible, sensibilité épigastrique sans défense.",
         "conclusion": "Reflux gastro-œsophagien typique.", "cat": "IPP 8 semaines ; fibroscopie si persistance.", "ttt": ["omeprazole"], "topics": ["digestif"]},
        {"motif": "Dépistage — antécédent familial de cancer colorectal", "hdm": "Père opéré d'un cancer du côlon à 62 ans. Transit normal, pas de rectorragie.",
         "examen": "Abdomen souple, pas de masse. Toucher rectal normal.",
         "conclusion": "Indication d'une coloscopie de dépistage (risque élevé).", "cat": "Coloscopie sous anesthésie générale ; consultation d'anesthésie.", "topics": ["digestif"]},
        {"motif": "Perturbation du bilan hépatique", "hdm": "Élévation modérée des transaminases et des gamma-GT découverte sur un bilan systématique. Consommation d'alcool estimée à 2 verres par jour.",
         "examen": "Hépatomégalie à un travers de doigt, pas d'ictère, pas d'angiome stellaire.",
         "conclusion": "Stéatose hépatique probable, d'origine métabolique et alcoolique.", "cat": "Échographie abdominale, FibroScan, réduction de la consommation d'alcool.", "topics": ["digestif"]},
    ],
    "SM48": [
        {"motif": "Lombalgies chroniques", "hdm": "Lombalgies mécaniques depuis plus de 6 mois, sans radiculalgie, sans signe de gravité.",
         "examen": "Distance doigts-sol 20 cm, Lasègue négatif, pas de déficit neurologique.",
         "conclusion": "Lombalgie chronique commune.", "cat": "Kinésithérapie active, activité physique adaptée.", "ttt": ["paracetamol"], "topics": ["dos"]},
        {"motif": "Polyarthrite rhumatoïde — suivi", "hdm": "Polyarthrite rhumatoïde séropositive diagnostiquée en 2017, sous méthotrexate. Dérouillage matinal de 15 minutes.",
         "examen": "Pas de synovite active ce jour. DAS28-CRP à 2,4.",
         "conclusion": "Polyarthrite rhumatoïde en faible activité.", "cat": "Poursuite du méthotrexate, NFS et transaminases tous les 3 mois.", "ttt": ["methotrexate", "speciafoldine"], "topics": ["rhumatisme"]},
        {"motif": "Crise de goutte", "hdm": "Troisième accès de goutte de la première métatarso-phalangienne droite en un an.",
         "examen": "MTP1 droite rouge, chaude, tuméfiée. Pas de tophus.",
         "conclusion": "Goutte récidivante.", "cat": "Traitement hypo-uricémiant par allopurinol après la crise, objectif uricémie < 360 µmol/L.", "ttt": ["allopurinol"], "topics": ["rhumatisme"]},
    ],
    "SM34": [
        {"motif": "Hypoacousie bilatérale", "hdm": "Baisse progressive de l'audition, gêne dans le bruit, acouphènes bilatéraux.",
         "examen": "Otoscopie normale. Audiométrie tonale : surdité de perception bilatérale symétrique prédominant sur les aigus (perte moyenne 38 dB).",
         "conclusion": "Presbyacousie.", "cat": "Appareillage auditif bilatéral prescrit.", "exam_keys": ["audiometrie"], "topics": ["orl"]},
        {"motif": "Rhinite chronique", "hdm": "Obstruction nasale et rhinorrhée claire printanière depuis plusieurs années.",
         "examen": "Rhinoscopie : muqueuse pâle et œdématiée, cornets inférieurs hypertrophiques.",
         "conclusion": "Rhinite allergique saisonnière probable.", "cat": "Antihistaminique, tests cutanés allergologiques.", "ttt": ["cetirizine"], "topics": ["orl"]},
    ],
    "SM54": [
        {"motif": "Renouvellement de traitement", "hdm": "Patient{e} vu{e} pour renouvellement. Pas de plainte particulière. Bonne tolérance des traitements.",
         "conclusion": "État stable.", "cat": "Renouvellement pour 3 mois, bilan biologique de contrôle.", "topics": []},
        {"motif": "Syndrome grippal", "hdm": "Fièvre à 39 °C depuis 48 heures, courbatures, céphalées, toux sèche. Contage familial.",
         "examen": "T 38,6 °C. Auscultation pulmonaire normale. Pharynx érythémateux.",
         "conclusion": "Syndrome grippal.", "cat": "Traitement symptomatique, arrêt de travail de 3 jours, reconsulter si dyspnée.", "ttt": ["paracetamol"], "topics": ["infection"]},
        {"motif": "Bilan de santé", "hdm": "Consultation de prévention. Alimentation équilibrée, activité physique modérée, pas de tabac.",
         "conclusion": "Pas d'anomalie clinique.", "cat": "Bilan biologique standard, mise à jour des vaccinations.", "topics": []},
        {"motif": "Douleur de cheville après entorse", "hdm": "Persistance de douleurs de la cheville gauche trois semaines après une entorse en inversion.",
         "examen": "Douleur à la palpation du ligament latéral externe, pas de douleur osseuse (critères d'Ottawa négatifs).",
         "conclusion": "Entorse bénigne de la cheville en voie de guérison.", "cat": "Rééducation proprioceptive, 10 séances de kinésithérapie.", "topics": ["cheville"]},
        {"motif": "Hypertension artérielle — suivi", "hdm": "HTA essentielle connue, automesure tensionnelle à domicile : moyenne 138/84 mmHg.",
         "conclusion": "HTA équilibrée.", "cat": "Poursuite du traitement, ionogramme et créatinine annuels.", "topics": ["hta"]},
    ],
}


def consultation(p: Patient, d: date, spec: str, rng: random.Random, doctor: Practitioner, **ctx) -> Doc:
    c = _consult_text(p, d, spec, rng, ctx)
    c["hdm"] = c["hdm"].replace("{e}", p.e("", "e"))
    ophta = spec == "SM38"
    type_code = "78513-9" if ophta else "11488-4"
    shape = rng.choice(["structured", "letter", "compact"])
    style = _ds(rng)
    dictated = rng.random() < 0.3
    letter_date = _later(d, 1, 9, rng) if dictated else d
    body: list = []
    if shape == "letter":
        gp = p.facts.get("gp_name", "Docteur")
        body.append((None, f"<p>{rng.choice(['Cher confrère,', 'Chère consœur, cher confrère,', f'Cher {gp},'])}</p>"))
        body.append((None, f"<p>J'ai {'revu' if rng.random() < 0.6 else 'vu'} en consultation le {D(d, style)} votre patient{p.e('', 'e')} "
                           f"{p.display}, âgé{p.e('', 'e')} de {p.age(d)} ans, pour : {c['motif'].lower()}.</p>"))
        body.append((None, f"<p>Dans ses antécédents, on retient : {_atcd_html(p, rng)}</p>"))
        body.append((None, f"<p>{c['hdm']}</p><p>À l'examen : {c['examen']}</p>"))
        body.append((None, f"<p>Au total : <b>{c['conclusion']}</b></p><p>{c['cat']}</p>"))
        if c["ttt"]:
            body.append((None, f"<p>Son traitement actuel comporte :</p>{_ttt_html(p, rng, c['ttt'])}"))
        body.append((None, "<p>Je vous remercie de votre confiance et vous prie de croire, cher confrère, à mes sentiments les meilleurs.</p>"))
    elif shape == "structured":
        if rng.random() < 0.6 or dictated:
            body.append((None, f"<p><b>Date de consultation :</b> {D(d, style)}</p>"))
        body += [("Motif de consultation", c["motif"] + "."), ("Antécédents", _atcd_html(p, rng)),
                 ("Traitement habituel", _ttt_html(p, rng, c["ttt"])), ("Histoire de la maladie", c["hdm"]),
                 ("Examen clinique", c["examen"]), ("Conclusion", f"<b>{c['conclusion']}</b>"), ("Conduite à tenir", c["cat"])]
    else:
        body.append((None, f"<p>Consultation du {D(d, style)} — {c['motif']}</p>"))
        body.append((None, f"<p><b>ATCD :</b> {_atcd_html(p, rng)}</p><p><b>TTT :</b> {_ttt_html(p, rng, c['ttt'])}</p>"
                           f"<p><b>HDM :</b> {c['hdm']}</p><p><b>Clinique :</b> {c['examen']}</p>"
                           f"<p><b>Au total :</b> {c['conclusion']} {c['cat']}</p>"))
    if dictated:
        body.append((None, f"<p style='font-size:8pt'>Dicté le {D(letter_date, 'slash')}, frappé le {D(_later(letter_date, 0, 3, rng), 'slash')}</p>"))
    title = rng.choice(["Compte rendu de consultation", "Consultation", f"Consultation de {doctor.specialty_label.split(',')[0].lower()}",
                        "CONSULTATION EXTERNE", None, None])
    if ophta and title:
        title = rng.choice(["Compte rendu de consultation d'ophtalmologie", "Bilan ophtalmologique"])
    return Doc(kind="consult", type_code=type_code, specialty_code=spec, service_date=d, author=doctor, title=title,
               body=body, letter_date=letter_date, letter_style=_ds(rng), exam_keys=c["exam_keys"],
               topics=sorted(set(c["topics"])), recipient=None)


# ---------------------------------------------------------------------------------------------
# Lab reports (11502-2)

def lab_report(p: Patient, d: date, panels: list[str], rng: random.Random, lab: Practitioner, lang: str = "fr",
               topics: list[str] | None = None) -> Doc:
    results = labs.simulate(p, d, panels, rng)
    hour = f"{rng.randint(7, 11):02d}h{rng.choice(['00', '05', '15', '20', '30', '42', '50'])}"
    received = d if rng.random() < 0.8 else d + timedelta(days=1)
    validated = d + timedelta(days=rng.choice([0, 1, 1, 2, 3]))
    use_alt = rng.random() < 0.35
    flag_style = rng.choice(["HL", "star", "arrow", "bold"])
    table = rng.random() < 0.7
    with_prev = rng.random() < 0.5 and p.facts.get("last_lab") is not None
    prev = p.facts.get("prev_values", {})
    style = _ds(rng, lang)
    lab_values = []
    body: list = []
    en = lang == "en"
    if en:
        body.append((None, f"<p><b>Specimen collected:</b> {D(d, style)} {hour.replace('h', ':')} &nbsp; "
                           f"<b>Received:</b> {D(received, style)} &nbsp; <b>Reported:</b> {D(validated, style)}</p>"))
    else:
        head = rng.choice([f"Prélèvement du {D(d, style)} à {hour}", f"Prélevé le {D(d, style)} à {hour}",
                           f"Date de prélèvement : {D(d, style)} — {hour}", f"Dossier n° {rng.randint(100000, 999999)} du {D(d, style)}"])
        body.append((None, f"<p><b>{head}</b><br/>Reçu au laboratoire le {D(received, 'slash')} · "
                           f"Prescripteur : {p.facts.get('gp_name', 'Dr')} · Préleveur : IDE à domicile" if rng.random() < 0.3 else
                           f"<p><b>{head}</b><br/>Reçu le {D(received, 'slash')} — Prescripteur : {p.facts.get('gp_name', 'Dr')}</p>"))
    for key, rows in results:
        title = labs.PANEL_EN[key] if en else labs.PANELS[key][0]
        lines = []
        for r in rows:
            t: labs.Test = r["test"]
            v, low, high, unit, dec = r["value"], r["low"], r["high"], t.unit, t.dec
            if use_alt and t.alt_unit and not en:
                unit, fac, dec = t.alt_unit
                v = round(v * fac, dec)
                low = round(low * fac, dec) if low is not None else None
                high = round(high * fac, dec) if high is not None else None
            label = t.label_en if en else rng.choice(t.labels)
            fmt = (lambda x: f"{x:.{dec}f}") if en else (lambda x: vocab.num_fr(x, dec))
            if low is not None and high is not None:
                ref = f"{fmt(low)} - {fmt(high)}" if rng.random() < 0.7 else f"[{fmt(low)} ; {fmt(high)}]"
            elif low is not None:
                ref = f"&gt; {fmt(low)}"
            elif high is not None:
                ref = f"&lt; {fmt(high)}"
            else:
                ref = ""
            flag = r["flag"]
            vs = fmt(v)
            mark = ""
            if flag:
                if flag_style == "HL":
                    mark = flag if en or rng.random() < 0.5 else {"H": "H", "L": "B"}[flag]
                elif flag_style == "star":
                    mark = "*"
                elif flag_style == "arrow":
                    mark = "↑" if flag == "H" else "↓"
                vs = f"<b>{vs}</b>"
            hist = [h for h in prev.get(t.name, []) if h[0] < d]
            pv = max(hist) if hist else None
            ant = f"{fmt(pv[1] if not (use_alt and t.alt_unit) else round(pv[1] * t.alt_unit[1], dec))} ({D(pv[0], 'slash_yy')})" if (with_prev and pv) else ""
            lines.append((label, vs, mark, unit, ref, ant))
            lab_values.append({"analyte": t.analyte, "label": label, "value": float(v), "unit": unit,
                               "low": low, "high": high, "flag": flag})
            prev.setdefault(t.name, []).append((d, r["value"]))
        if table:
            hdr = (["Test", "Result", "", "Units", "Reference range"] if en else
                   ["Analyse", "Résultat", "", "Unité", "Valeurs de référence"]) + ([("Previous" if en else "Antériorité")] if with_prev else [])
            trs = "".join("<tr>" + "".join(f"<td>{x}</td>" for x in (ln if with_prev else ln[:5])) + "</tr>" for ln in lines)
            body.append((title, "<table class='lab'><tr>" + "".join(f"<th>{h}</th>" for h in hdr) + "</tr>" + trs + "</table>"))
        else:
            txt = "<br/>".join(f"{ln[0]} {'.' * max(3, 40 - len(ln[0]))} {ln[1]} {ln[2]} {ln[3]} &nbsp; ({ln[4]})"
                               + (f" &nbsp; antér. {ln[5]}" if ln[5] else "") for ln in lines)
            body.append((title, f"<p class='mono'>{txt}</p>"))
    p.facts["prev_values"] = prev
    p.facts["last_lab"] = d
    if any(lv["flag"] for lv in lab_values) and rng.random() < 0.5 and not en:
        body.append(("Commentaire du biologiste", rng.choice([
            "Résultats anormaux transmis au prescripteur.", "Contrôle conseillé.",
            "Interprétation à confronter au contexte clinique.", "Valeurs hors normes signalées par un astérisque ou une flèche."])))
    sig = ("Validated by" if en else rng.choice(["Validé le", "Compte rendu validé le", "Validation biologique le"])) + \
        f" {D(validated, 'slash' if not en else style)} {'by' if en else 'par'} {lab.name}, {'consultant biochemist' if en else 'biologiste'}"
    body.append((None, f"<p style='font-size:8pt'>{sig}</p>"))
    if rng.random() < 0.5 and not en:
        body.append((None, "<p style='font-size:7pt'>Accréditation Cofrac Examens médicaux n° 8-" + str(rng.randint(1000, 4999))
                           + " — portée disponible sur www.cofrac.fr. Les analyses non couvertes par l'accréditation sont signalées.</p>"))
    all_keys = {lv["analyte"] for lv in lab_values}
    tp = list(topics or [])
    if "hba1c" in all_keys:
        tp.append("diabete")
    title = None if rng.random() < 0.25 else ("LABORATORY REPORT" if en else rng.choice(
        ["COMPTE RENDU D'ANALYSES DE BIOLOGIE MÉDICALE", "Résultats d'analyses", "Compte rendu de biologie", "BIOLOGIE MÉDICALE"]))
    return Doc(kind="lab", type_code="11502-2", specialty_code=lab.specialty_code, service_date=d, author=lab, title=title,
               body=body, language=lang, letter_date=None, exam_keys=[], lab_values=lab_values, topics=sorted(set(tp)),
               layout_hint="lab")


# ---------------------------------------------------------------------------------------------
# Imaging (18748-4)

IMAGING = {
    "rx-thorax": ("radiographie", "Radiographie thoracique de face", "Bilan d'une toux persistante.", "Cliché de face en inspiration, debout.",
                  "Pas de foyer parenchymateux systématisé. Pas d'épanchement pleural. Silhouette cardio-médiastinale de taille normale. Coupoles diaphragmatiques régulières.",
                  "Radiographie thoracique sans anomalie.", []),
    "rx-genou": ("radiographie", "Radiographie des genoux en charge", "Gonalgies mécaniques.", "Incidences de face en charge, profil et défilé fémoro-patellaire à 30°.",
                 "Pincement fémoro-tibial interne {side} subtotal avec ostéophytose marginale et condensation sous-chondrale. Compartiment externe préservé. Pas de lésion osseuse traumatique.",
                 "Gonarthrose fémoro-tibiale interne évoluée du genou {side}.", ["genou"]),
    "rx-genou-postop": ("radiographie", "Radiographie du genou — contrôle post-opératoire", "Contrôle à 6 semaines d'une prothèse totale de genou.", "Face et profil.",
                        "Prothèse totale du genou {side} en place, implants bien positionnés, pas de liseré péri-prothétique, pas de descellement.",
                        "Bon positionnement de la PTG {side}.", ["genou"]),
    "rx-cheville": ("radiographie", "Radiographie de la cheville gauche", "Traumatisme en inversion.", "Face, profil et incidence de Mortise.",
                    "Pas de fracture visible. Tuméfaction des parties molles en regard de la malléole latérale.", "Absence de lésion osseuse traumatique.", ["cheville"]),
    "irm-genou": ("irm", "IRM du genou", "Gonalgies persistantes, recherche de lésion méniscale.", "Séquences T1, DP FS dans les trois plans.",
                  "Lésion dégénérative horizontale de la corne postérieure du ménisque interne. Chondropathie fémoro-tibiale interne grade 3 à 4. Épanchement intra-articulaire modéré. LCA et LCP continus.",
                  "Gonarthrose interne avec méniscopathie dégénérative.", ["genou"]),
    "irm-cerebrale": ("irm", "IRM cérébrale", "Céphalées inhabituelles.", "Séquences T1, FLAIR, diffusion, T2*, T1 gadolinium.",
                      "Quelques hypersignaux FLAIR punctiformes de la substance blanche sous-corticale, non spécifiques. Pas de prise de contraste. Pas d'effet de masse.",
                      "Pas d'anomalie significative. Leucopathie vasculaire minime.", ["neurologie"]),
    "irm-lombaire": ("irm", "IRM du rachis lombaire", "Lombalgies chroniques.", "Sagittal T1, T2, STIR, axial T2.",
                     "Discopathie dégénérative L4-L5 et L5-S1 (Modic 1 en L5-S1). Protrusion discale médiane L4-L5 sans conflit radiculaire.",
                     "Discopathies lombaires basses, Modic 1 L5-S1.", ["dos"]),
    "echo-abdo": ("echographie", "Échographie abdominale", "Perturbation du bilan hépatique.", "Examen réalisé à jeun, sonde convexe.",
                  "Foie de taille normale, hyperéchogène de façon homogène. Vésicule alithiasique. Voies biliaires non dilatées. Reins de taille normale sans dilatation.",
                  "Stéatose hépatique homogène.", ["digestif"]),
    "echo-thyroide": ("echographie", "Échographie thyroïdienne", "Nodule palpé.", "Sonde linéaire haute fréquence.",
                      "Lobe droit : nodule isoéchogène ovalaire de 11 mm, EU-TIRADS 3. Lobe gauche sans anomalie. Pas d'adénopathie cervicale.",
                      "Nodule thyroïdien droit EU-TIRADS 3, contrôle à un an.", ["thyroide"]),
    "doppler-tsa": ("echographie", "Écho-Doppler des troncs supra-aortiques", "Bilan d'athérome chez un patient coronarien.", "Doppler couleur et pulsé.",
                    "Plaques calcifiées des bulbes carotidiens, sténose carotidienne interne droite estimée à 30 % (NASCET). Flux vertébraux antérogrades.",
                    "Athérome carotidien non sténosant.", ["coeur"]),
    "scanner-thorax": ("scanner", "Scanner thoracique sans injection", "Suivi d'un nodule pulmonaire.", "Acquisition hélicoïdale basse dose, coupes de 1 mm.",
                       "Nodule solide {side} mesurant {mm} mm (contre {prev} mm au précédent examen). Emphysème centrolobulaire des apex. Pas d'adénomégalie médiastinale. Pas d'épanchement.",
                       "{conclusion}", ["nodule-pulmonaire"]),
    "scanner-abdo": ("scanner", "Scanner abdomino-pelvien injecté", "Douleurs abdominales fébriles.", "Acquisition au temps portal après injection de produit de contraste iodé.",
                     "Infiltration de la graisse péri-sigmoïdienne avec épaississement pariétal, sans abcès ni pneumopéritoine.",
                     "Sigmoïdite diverticulaire non compliquée.", ["digestif"]),
    "scanner-cerebral": ("scanner", "Scanner cérébral sans injection", "Traumatisme crânien avec perte de connaissance.", "Acquisition sans injection.",
                         "Pas d'hémorragie intra- ni extra-axiale. Pas de fracture de la voûte. Structures médianes en place.",
                         "Pas de lésion traumatique intracrânienne.", []),
    "mammo": ("mammographie", "Mammographie bilatérale de dépistage", "Dépistage organisé.", "Incidences face et oblique externe bilatérales, complétées par une échographie.",
              "Seins de densité type B. Pas de masse, pas de foyer de microcalcifications suspectes, pas de distorsion architecturale.",
              "ACR 1 bilatéral. Seconde lecture dans le cadre du dépistage organisé.", ["sein"]),
    "echo-obst-t1": ("echographie", "Échographie obstétricale du 1er trimestre", "Datation et dépistage.", "Voie abdominale.",
                     "Grossesse intra-utérine monofœtale évolutive. LCC {lcc} mm, clarté nucale 1,4 mm. Activité cardiaque présente.",
                     "Grossesse de {sa} SA + {j} j, terme échographique conforme.", ["grossesse"]),
    "echo-obst-t2": ("echographie", "Échographie obstétricale du 2e trimestre (morphologique)", "Surveillance de grossesse.", "Voie abdominale.",
                     "Biométries au 50e percentile. Morphologie fœtale sans anomalie décelable. Placenta fundique antérieur. Liquide amniotique en quantité normale.",
                     "Échographie morphologique normale à {sa} SA.", ["grossesse"]),
    "echo-obst-t3": ("echographie", "Échographie obstétricale du 3e trimestre", "Surveillance de croissance.", "Voie abdominale.",
                     "Présentation céphalique. Estimation de poids fœtal 2150 g (45e percentile). Dopplers ombilical et cérébral normaux.",
                     "Croissance fœtale harmonieuse à {sa} SA.", ["grossesse"]),
    "densito": ("densitometrie", "Ostéodensitométrie (DXA)", "Ménopause, antécédent de fracture du poignet.", "DXA rachis lombaire et hanche.",
                "Rachis L1-L4 : T-score -2,1. Col fémoral : T-score -1,8.", "Ostéopénie.", ["os"]),
}


def imaging(p: Patient, d: date, exam: str, rng: random.Random, doctor: Practitioner, lang: str = "fr", **fmt) -> Doc:
    key, title, indication, technique, results, conclusion, topics = IMAGING[exam]
    # every exam the report says was done ("complétées par une échographie"), not only the main one
    performed = [key] + (["echographie"] if "échographie" in technique and key != "echographie" else [])
    fmt.setdefault("side", p.facts.get("knee_side", "droit"))
    results, conclusion = results.format(**fmt), conclusion.format(**fmt)
    style = _ds(rng)
    lead = rng.choice([f"Date de l'examen : {D(d, style)}", f"Examen réalisé le {D(d, style)}", f"Examen du {D(d, style)}",
                       f"{D(d, style)} — N° d'examen {rng.randint(10**6, 10**7 - 1)}"])
    shape = rng.choice(["structured", "structured", "prose"])
    body: list = [(None, f"<p><b>{lead}</b><br/>Médecin demandeur : {p.facts.get('gp_name', 'Dr')}</p>")]
    if shape == "structured":
        if rng.random() < 0.7:
            body.append((None, f"<p><b><u>{title.upper()}</u></b></p>"))
        body += [("Indication", indication), ("Technique", technique), ("Résultats", results), ("Conclusion", f"<b>{conclusion}</b>")]
        if exam.startswith("scanner") and rng.random() < 0.6:
            body.append((None, f"<p style='font-size:8pt'>PDL : {rng.randint(90, 420)} mGy.cm. Produit de contraste : "
                               f"{'Omnipaque 350, 80 mL' if 'inject' in title else 'aucun'}.</p>"))
    else:
        body.append((None, f"<p>{title}. {indication}</p><p>{technique} {results}</p><p><b>CONCLUSION : {conclusion}</b></p>"))
    body.append((None, f"<p>{rng.choice(['Confraternellement,', 'Bien confraternellement.', 'Compte rendu validé électroniquement.'])}</p>"))
    return Doc(kind="imaging", type_code="18748-4", specialty_code=doctor.specialty_code, service_date=d, author=doctor,
               title=title if rng.random() < 0.5 else rng.choice(["Compte rendu d'imagerie", "COMPTE RENDU RADIOLOGIQUE", None]),
               body=body, letter_date=d if rng.random() < 0.5 else None, letter_style=_ds(rng), exam_keys=performed,
               topics=list(topics), layout_hint="rx")


# ---------------------------------------------------------------------------------------------
# Diagnostic acts (70004-7): echocardiography, ECG, Holter, exercise test, EFR, endoscopy

def diag_act(p: Patient, d: date, act: str, rng: random.Random, doctor: Practitioner, **ctx) -> Doc:
    style = _ds(rng)
    fevg = ctx.get("fevg", 58)
    topics = ["coeur"]
    if act == "echocardiographie":
        title = rng.choice(["Échocardiographie transthoracique", "Compte rendu d'échocardiographie", "ETT", "ÉCHOGRAPHIE CARDIAQUE"])
        vg = rng.randint(48, 60)
        body = [("Indication", ctx.get("indication", "Suivi de cardiopathie ischémique.")),
                ("Mesures", f"<table class='lab'><tr><th>Paramètre</th><th>Valeur</th><th>Normale</th></tr>"
                            f"<tr><td>DTDVG</td><td>{vg} mm</td><td>&lt; 56 mm</td></tr>"
                            f"<tr><td>SIV / PP</td><td>{rng.randint(9, 13)} / {rng.randint(9, 12)} mm</td><td>&lt; 11 mm</td></tr>"
                            f"<tr><td>FEVG (Simpson biplan)</td><td>{fevg} %</td><td>&gt; 52 %</td></tr>"
                            f"<tr><td>OG (volume indexé)</td><td>{rng.randint(25, 44)} mL/m²</td><td>&lt; 34 mL/m²</td></tr>"
                            f"<tr><td>TAPSE</td><td>{rng.randint(16, 24)} mm</td><td>&gt; 17 mm</td></tr>"
                            f"<tr><td>PAPs</td><td>{rng.randint(25, 45)} mmHg</td><td>&lt; 35 mmHg</td></tr></table>"),
                ("Description", f"Ventricule gauche {'non dilaté' if vg < 56 else 'dilaté'}, "
                                f"{'hypokinésie inférieure et inféro-latérale' if 'idm' in p.facts else 'sans trouble de la cinétique segmentaire'}. "
                                f"Fonction systolique {'conservée' if fevg >= 50 else 'altérée'}. Valves fines, {rng.choice(['fuite mitrale minime', 'insuffisance aortique grade I', 'pas de valvulopathie significative'])}. "
                                f"Péricarde sec. VCI non dilatée, compliante."),
                ("Conclusion", f"<b>FEVG à {fevg} %{ctx.get('concl_extra', '')}.</b>")]
    elif act == "ecg":
        title = rng.choice(["Électrocardiogramme", "ECG de repos 12 dérivations", "Compte rendu d'ECG"])
        fc = rng.randint(56, 84)
        body = [(None, f"<p>Rythme {ctx.get('rythme', 'sinusal')} régulier à {fc}/min. PR {rng.randint(150, 200)} ms, QRS {rng.randint(80, 110)} ms, "
                       f"QTc {rng.randint(400, 445)} ms. Axe {rng.choice(['normal', 'gauche à -30°'])}. "
                       f"{'Ondes Q séquellaires en DII, DIII, aVF.' if 'idm' in p.facts else 'Pas de trouble de la repolarisation.'}</p>"),
                ("Interprétation", f"<b>{ctx.get('concl', 'ECG sans modification par rapport au tracé antérieur.')}</b>")]
    elif act == "holter":
        title = rng.choice(["Holter ECG des 24 heures", "Enregistrement Holter", "Holter rythmique"])
        end = d + timedelta(days=1)
        body = [("Indication", "Palpitations."), ("Enregistrement", f"Pose le {D(d, style)} à 10h00, dépose le {D(end, 'slash')} à 10h05. Durée analysable 23 h 48."),
                ("Résultats", f"Rythme sinusal permanent, FC moyenne {rng.randint(65, 78)}/min (min {rng.randint(42, 52)} la nuit, max {rng.randint(110, 135)}). "
                              f"{rng.randint(200, 2400)} ESV monomorphes isolées, {rng.randint(10, 400)} ESSV, pas de passage en fibrillation atriale, pas de pause &gt; 2 s."),
                ("Conclusion", f"<b>{ctx.get('concl', 'Extrasystolie ventriculaire bénigne, pas de trouble conductif.')}</b> Symptômes notés au carnet non corrélés à un trouble du rythme.")]
    elif act == "epreuve-effort":
        title = "Épreuve d'effort sur bicyclette ergométrique"
        body = [("Protocole", "Paliers de 30 W toutes les 2 minutes sous traitement bêtabloquant."),
                ("Résultats", f"Arrêt à {rng.choice([120, 150, 180])} W pour épuisement musculaire, FC max {rng.randint(118, 145)}/min ({rng.randint(70, 88)} % FMT). Pas de douleur thoracique, pas de sous-décalage significatif du segment ST, pas d'arythmie."),
                ("Conclusion", "<b>Épreuve d'effort cliniquement et électriquement négative à une fréquence sous-maximale.</b>")]
    elif act == "efr":
        title = rng.choice(["Explorations fonctionnelles respiratoires", "EFR — spirométrie et pléthysmographie", "Compte rendu d'EFR"])
        vems = ctx.get("vems", 72)
        body = [("Indication", "Tabagisme, dyspnée d'effort, suivi de nodule pulmonaire."),
                ("Résultats", f"<table class='lab'><tr><th></th><th>Mesuré</th><th>% théorique</th></tr>"
                              f"<tr><td>CVF</td><td>{vocab.num_fr(3.4 * vems / 80, 2)} L</td><td>{vems + 12} %</td></tr>"
                              f"<tr><td>VEMS</td><td>{vocab.num_fr(2.2 * vems / 72, 2)} L</td><td>{vems} %</td></tr>"
                              f"<tr><td>VEMS/CVF</td><td>{ctx.get('tiff', 62)} %</td><td></td></tr>"
                              f"<tr><td>CPT</td><td>{vocab.num_fr(6.1, 2)} L</td><td>{rng.randint(95, 112)} %</td></tr>"
                              f"<tr><td>DLCO</td><td></td><td>{rng.randint(58, 80)} %</td></tr></table>"
                              "Réversibilité après 400 µg de salbutamol : non significative."),
                ("Conclusion", f"<b>Trouble ventilatoire obstructif {'modéré' if vems < 80 else 'léger'} non réversible (GOLD {2 if vems < 80 else 1}), DLCO abaissée.</b>")]
        topics = ["poumon"]
    elif act == "coloscopie":
        title = "Compte rendu de coloscopie"
        body = [("Indication", "Dépistage, antécédent familial au premier degré."), ("Préparation", "Bonne (Boston 8/9)."),
                ("Résultats", "Coloscopie complète jusqu'au bas-fond caecal. Polype sessile de 6 mm du côlon sigmoïde, réséqué à l'anse froide. Diverticulose sigmoïdienne."),
                ("Conclusion", "<b>Polype sigmoïdien réséqué, analyse histologique en cours.</b> Prochaine coloscopie selon histologie.")]
        topics = ["digestif"]
    else:
        raise ValueError(act)
    lead = rng.choice([f"Examen réalisé le {D(d, style)}", f"Date : {D(d, style)}", f"Le {D(d, style)}"])
    body = [(None, f"<p>{lead}{' — Opérateur : ' + doctor.name if rng.random() < 0.5 else ''}</p>")] + body
    return Doc(kind="diag", type_code="70004-7", specialty_code=doctor.specialty_code, service_date=d, author=doctor,
               title=title if rng.random() < 0.85 else None, body=body, letter_date=d if rng.random() < 0.4 else None,
               letter_style=_ds(rng), exam_keys=[act], topics=topics)


# ---------------------------------------------------------------------------------------------
# Discharge letters (11490-0): service date = discharge date; admission date is a distractor

def discharge(p: Patient, d: date, scenario: str, rng: random.Random, doctor: Practitioner, admit_days: int = 5, **ctx) -> Doc:
    admit = d - timedelta(days=admit_days)
    style = _ds(rng)
    S = DISCHARGE[scenario]
    ttt = ctx.get("ttt_sortie", p.facts.get("ttt", []))
    evol = " ".join(S["evolution"])
    body = [(None, f"<p>{rng.choice(['Cher confrère,', 'Madame, Monsieur, chère consœur, cher confrère,'])}</p>"
                   f"<p>Votre patient{p.e('', 'e')} {p.display}, né{p.e('', 'e')} le {D(p.birth, 'slash')}, a été hospitalisé{p.e('', 'e')} "
                   f"dans notre service {rng.choice(['du', 'à partir du'])} {D(admit, style)} au {D(d, style)} pour {S['motif']}.</p>"),
            ("Mode d'entrée", rng.choice(["Via le service d'accueil des urgences.", "Entrée programmée.", "Transfert depuis l'USIC."])),
            ("Antécédents", _atcd_html(p, rng)),
            ("Traitement à l'entrée", _ttt_html(p, rng, p.facts.get("ttt_before", p.facts.get("ttt", [])))),
            ("Histoire de la maladie", S["hdm"]),
            ("Examen clinique à l'entrée", _constantes(p, rng, 10) + " " + S["examen"]),
            ("Examens complémentaires", S["examens"]),
            ("Évolution dans le service", evol + " " + " ".join(rng.sample(FILLER, 3))),
            ("Diagnostic de sortie", f"<b>{S['diag']}</b>"),
            ("Traitement de sortie", _ttt_html(p, rng, ttt)),
            ("Suites et rendez-vous", f"{S['suite']} Consultation de suivi le {D(ctx.get('rdv', _later(d, 30, 60, rng)), 'long')} "
                                      f"avec le {doctor.name}. Bilan biologique à J8."),
            (None, "<p>Informations transmises au patient : signes d'alerte, éducation thérapeutique. Lettre remise en main propre au patient.</p>")]
    return Doc(kind="discharge", type_code="11490-0", specialty_code=doctor.specialty_code, service_date=d, author=doctor,
               title=rng.choice(["LETTRE DE LIAISON", "Lettre de liaison à la sortie", "Compte rendu d'hospitalisation", None]),
               body=body, letter_date=d, letter_style=_ds(rng), exam_keys=S.get("exam_keys", []), topics=S["topics"],
               min_pages=2)


FILLER = ["Kinésithérapie respiratoire quotidienne.", "Pas d'événement infectieux intercurrent.", "Diurèse conservée.",
          "Bilan entrées-sorties équilibré.", "Mobilisation progressive au fauteuil puis à la marche.",
          "Éducation thérapeutique réalisée par l'infirmière référente.", "Avis diététique : régime pauvre en sel à 6 g/j.",
          "Prévention thromboembolique par HBPM pendant l'hospitalisation.", "Constantes stables pendant tout le séjour.",
          "Douleur contrôlée par paracétamol, EVA inférieure à 3.", "Rencontre avec l'assistante sociale pour organiser le retour à domicile."]

DISCHARGE = {
    "ic": {"motif": "décompensation cardiaque globale",
           "hdm": "Dyspnée d'aggravation progressive sur 10 jours jusqu'au stade IV de la NYHA, orthopnée, prise de poids de 5 kg et œdèmes des membres inférieurs. Facteur déclenchant probable : écart de régime sodé et arrêt du diurétique.",
           "examen": "Crépitants bilatéraux aux bases, turgescence jugulaire, reflux hépato-jugulaire, œdèmes prenant le godet jusqu'aux genoux.",
           "examens": "NT-proBNP 4820 ng/L. Troponine non ascensionnelle. Créatinine 118 µmol/L. Radiographie thoracique : surcharge alvéolo-interstitielle bilatérale, épanchements pleuraux de faible abondance. ETT : FEVG 35 %, PAPs 52 mmHg.",
           "evolution": ["Évolution favorable sous furosémide intraveineux avec perte de 6 kg.", "Relais per os à J4.", "Introduction du sacubitril/valsartan et de la spironolactone, bien tolérée (kaliémie 4,6 mmol/L, créatinine 109 µmol/L à la sortie)."],
           "diag": "Insuffisance cardiaque à FEVG altérée (35 %) d'origine ischémique, décompensée sur écart de régime.",
           "suite": "Réadaptation cardiaque à programmer. Pesée quotidienne, consulter si prise de 2 kg en 3 jours.",
           "exam_keys": ["echocardiographie", "radiographie"], "topics": ["coeur", "insuffisance-cardiaque"]},
    "ptg": {"motif": "arthroplastie totale du genou programmée",
            "hdm": "Gonarthrose évoluée résistante au traitement médical, retentissement fonctionnel majeur.",
            "examen": "Genou sec, flessum de 5°, flexion 100°.",
            "examens": "Radiographie post-opératoire : implants en place.",
            "evolution": ["Intervention le lendemain de l'entrée sans incident (voir compte rendu opératoire).", "Lever à J1, rééducation quotidienne, flexion à 90° à la sortie.", "Cicatrice propre, pas d'écoulement."],
            "diag": "Prothèse totale de genou pour gonarthrose.",
            "suite": "Transfert en SMR pour rééducation. Ablation des agrafes à J15. Anticoagulation préventive 35 jours.",
            "exam_keys": ["radiographie"], "topics": ["genou"]},
    "pneumopathie": {"motif": "pneumopathie aiguë communautaire",
                     "hdm": "Fièvre à 39,5 °C, toux productive et douleur basithoracique droite depuis 3 jours.",
                     "examen": "Crépitants de la base droite, SpO2 92 % en air ambiant.",
                     "examens": "CRP 186 mg/L, leucocytes 15,2 G/L. Radiographie thoracique : foyer alvéolaire lobaire inférieur droit. Antigénuries légionelle et pneumocoque négatives.",
                     "evolution": ["Apyrexie à 48 heures sous amoxicilline-acide clavulanique.", "Sevrage de l'oxygène à J3."],
                     "diag": "Pneumopathie franche lobaire aiguë inférieure droite.",
                     "suite": "Radiographie thoracique de contrôle à 6 semaines.", "exam_keys": ["radiographie"], "topics": ["poumon", "infection"]},
    "accouchement": {"motif": "accouchement",
                     "hdm": "Entrée en travail spontané à 39 SA + 4 j.",
                     "examen": "Col à 4 cm, poche des eaux intacte, présentation céphalique.",
                     "examens": "Groupe A Rh positif, RAI négative, prélèvement vaginal à streptocoque B négatif.",
                     "evolution": ["Accouchement par voie basse sous analgésie péridurale d'un garçon de 3420 g, Apgar 10/10.", "Suites de couches simples, allaitement maternel bien installé.", "Périnée intact."],
                     "diag": "Accouchement eutocique à terme.",
                     "suite": "Visite post-natale à 6 semaines. Rééducation périnéale.", "exam_keys": [], "topics": ["grossesse"]},
    "hypoglycemie": {"motif": "hypoglycémie sévère sous sulfamide",
                     "hdm": "Malaise avec sueurs et confusion au réveil, glycémie capillaire à 0,38 g/L par les pompiers, resucrage intraveineux.",
                     "examen": "Patient conscient, orienté, pas de déficit neurologique.",
                     "examens": "HbA1c 6,4 %. Créatinine 132 µmol/L, DFG 46 mL/min/1,73 m².",
                     "evolution": ["Surveillance glycémique rapprochée sans nouvel épisode après arrêt du gliclazide.", "Introduction de la sitagliptine à dose adaptée à la fonction rénale."],
                     "diag": "Hypoglycémie sévère sous sulfamide hypoglycémiant favorisée par une insuffisance rénale.",
                     "suite": "Consultation d'endocrinologie dans 3 mois.", "exam_keys": [], "topics": ["diabete"]},
}


# ---------------------------------------------------------------------------------------------
# Operative report (34874-8), pathology (11526-1), emergency (15507-7)

def operative(p: Patient, d: date, rng: random.Random, doctor: Practitioner, anesth: str, op: str = "ptg") -> Doc:
    side = p.facts.get("knee_side", "droit")
    style = _ds(rng)
    if op == "ptg":
        title = f"Compte rendu opératoire — PTG {side}"
        steps = [f"Patient{p.e('', 'e')} en décubitus dorsal, garrot pneumatique à la racine de la cuisse {side.replace('droit', 'droite').replace('gauche', 'gauche')}, gonflé à 300 mmHg.",
                 "Badigeonnage et champage stérile. Antibioprophylaxie par céfazoline 2 g à l'induction.",
                 "Voie d'abord para-patellaire interne. Arthrotomie. Ablation des ostéophytes et du ménisque interne résiduel.",
                 "Coupe tibiale à l'aide du guide extra-médullaire, pente 3°. Coupe fémorale distale à 6° de valgus, guide intra-médullaire.",
                 "Essais satisfaisants : bon équilibrage ligamentaire en flexion et en extension, course rotulienne harmonieuse.",
                 f"Mise en place des implants définitifs cimentés (fémur taille {rng.randint(3, 6)}, plateau tibial taille {rng.randint(3, 6)}, insert polyéthylène {rng.choice([10, 11, 12])} mm).",
                 "Lavage abondant. Lâchage du garrot, hémostase soigneuse. Fermeture plan par plan sur un drain de Redon. Agrafes cutanées. Pansement compressif."]
        code = "NFKA007"
    else:
        title = "Compte rendu opératoire — exérèse cutanée"
        steps = ["Anesthésie locale à la lidocaïne adrénalinée.", "Exérèse fusiforme de la lésion scapulaire avec marges de 2 mm.",
                 "Surjet intradermique au monofilament 4/0.", "Pièce orientée adressée en anatomopathologie."]
        code = "QZFA036"
    body = [(None, f"<table class='kv'><tr><td><b>Date de l'intervention</b></td><td>{D(d, style)}</td></tr>"
                   f"<tr><td><b>Opérateur</b></td><td>{doctor.name}</td></tr><tr><td><b>Aide</b></td><td>Interne de chirurgie</td></tr>"
                   f"<tr><td><b>Anesthésiste</b></td><td>{anesth}</td></tr>"
                   f"<tr><td><b>Type d'anesthésie</b></td><td>{'Rachianesthésie + bloc du canal des adducteurs' if op == 'ptg' else 'Locale'}</td></tr>"
                   f"<tr><td><b>Acte CCAM</b></td><td>{code}</td></tr></table>"),
            ("Indication", f"Gonarthrose {side.replace('droit', 'droite')} évoluée, invalidante, après échec du traitement médical." if op == "ptg" else "Lésion mélanocytaire atypique."),
            ("Déroulement de l'intervention", "<br/>".join(steps)),
            ("Incidents", "Aucun."),
            ("Consignes post-opératoires", "Appui complet autorisé d'emblée avec deux cannes. Glaçage. Anticoagulation préventive par enoxaparine 4000 UI/j pendant 35 jours. Ablation des agrafes à J15. Radiographie de contrôle et consultation à 6 semaines." if op == "ptg" else "Soins locaux, ablation des fils à J12.")]
    return Doc(kind="operative", type_code="34874-8", specialty_code=doctor.specialty_code, service_date=d, author=doctor,
               title=title if rng.random() < 0.8 else "COMPTE RENDU OPÉRATOIRE", body=body, letter_date=d if rng.random() < 0.5 else None,
               letter_style=_ds(rng), exam_keys=[], topics=["genou"] if op == "ptg" else ["peau"])


PATHO = {
    "biopsie-bronchique": ("Biopsies bronchiques étagées (fibroscopie)", "Fragments de muqueuse bronchique mesurant de 1 à 3 mm.",
                           "Muqueuse bronchique de type respiratoire avec métaplasie malpighienne sans atypie. Pas de prolifération tumorale.",
                           "Absence de lésion tumorale sur les prélèvements adressés.", ["nodule-pulmonaire"]),
    "naevus": ("Exérèse cutanée scapulaire gauche", "Fuseau cutané de 18 x 8 mm portant une lésion pigmentée de 7 mm.",
               "Prolifération mélanocytaire jonctionnelle et dermique, architecture asymétrique, atypies cytonucléaires légères à modérées.",
               "Nævus dysplasique (atypique) de bas grade, exérèse complète (marge minimale 1,8 mm).", ["peau"]),
    "frottis": ("Frottis cervico-utérin en milieu liquide", "Prélèvement cervico-vaginal en phase liquide.",
                "Frottis de bonne qualité, zone de jonction représentée. Pas d'anomalie des cellules malpighiennes ni glandulaires.",
                "Frottis négatif pour une lésion intra-épithéliale ou une malignité (Bethesda 2014).", ["gynecologie"]),
    "polype": ("Polype du côlon sigmoïde", "Polype de 6 mm reçu fixé.", "Adénome tubuleux en dysplasie de bas grade, exérèse complète.",
               "Adénome tubuleux en dysplasie de bas grade.", ["digestif"]),
}


def pathology(p: Patient, d: date, specimen: str, rng: random.Random, doctor: Practitioner) -> Doc:
    nature, macro, micro, concl, topics = PATHO[specimen]
    recv = d + timedelta(days=rng.randint(1, 2))
    signed = recv + timedelta(days=rng.randint(3, 9))
    style = _ds(rng)
    body = [(None, f"<table class='kv'><tr><td>N° d'examen</td><td>{rng.choice(['B', 'H', 'C'])}{d.year % 100}-{rng.randint(1000, 99999)}</td></tr>"
                   f"<tr><td>Date de prélèvement</td><td>{D(d, style)}</td></tr><tr><td>Date de réception</td><td>{D(recv, 'slash')}</td></tr>"
                   f"<tr><td>Nature du prélèvement</td><td>{nature}</td></tr></table>"),
            ("Renseignements cliniques", rng.choice(["Cf. bon de demande.", "Lésion suspecte.", "Suivi."])),
            ("Examen macroscopique", macro), ("Examen microscopique", micro), ("Conclusion", f"<b>{concl}</b>"),
            (None, f"<p style='font-size:8pt'>Compte rendu signé le {D(signed, 'slash')} par {doctor.name}, pathologiste.</p>")]
    return Doc(kind="pathology", type_code="11526-1", specialty_code="SM01", service_date=d, author=doctor,
               title=rng.choice(["Compte rendu d'anatomie et de cytologie pathologiques", "ANATOMIE PATHOLOGIQUE", "Cytologie" if specimen == "frottis" else "Histologie", None]),
               body=body, letter_date=None, exam_keys=[], topics=topics)


EMERG = {
    "entorse": ("Traumatisme de la cheville gauche", "Chute dans les escaliers avec torsion de la cheville gauche en inversion, appui impossible.",
                "Œdème et ecchymose pré-malléolaire externe, douleur à la palpation du ligament talo-fibulaire antérieur, pas de douleur osseuse à la palpation des malléoles.",
                "Radiographie de la cheville : pas de fracture.", "Entorse de gravité moyenne du ligament latéral externe de la cheville gauche.",
                "Attelle de cheville 3 semaines, glaçage, antalgiques, béquilles. Anticoagulation préventive non indiquée.", ["radiographie"], ["cheville"], ["paracetamol"]),
    "douleur-thoracique": ("Douleur thoracique", "Douleur thoracique rétrosternale constrictive au repos, durée 20 minutes, régressive spontanément.",
                           "Auscultation cardio-pulmonaire normale, pas de signe d'insuffisance cardiaque.",
                           "ECG : rythme sinusal, pas de sus-décalage du ST. Troponine T hs H0 12 ng/L, H1 13 ng/L.",
                           "Douleur thoracique atypique, syndrome coronarien aigu éliminé par la cinétique de troponine.",
                           "Retour à domicile, consultation cardiologique rapide, épreuve d'effort à programmer.", ["ecg"], ["coeur"], []),
    "colique": ("Douleur lombaire droite", "Douleur lombaire droite brutale irradiant vers les organes génitaux externes, agitation.",
                "Fosse lombaire droite sensible, abdomen souple, apyrexie.", "Bandelette urinaire : hématurie. Créatinine normale. Échographie : dilatation pyélocalicielle droite modérée.",
                "Colique néphrétique droite simple.", "AINS, antalgiques, filtrer les urines, scanner non injecté si récidive.", ["echographie"], ["rein"], ["ibuprofene"]),
    "plaie": ("Plaie de la main", "Plaie de la paume gauche par couteau de cuisine.", "Plaie linéaire de 3 cm, pas de déficit sensitif ni moteur, tendons fléchisseurs intacts.",
              "", "Plaie simple de la main gauche.", "Suture par 4 points séparés, ablation à J10, vérification de la vaccination antitétanique.", [], ["main"], ["paracetamol"]),
}


def emergency(p: Patient, d: date, scenario: str, rng: random.Random, doctor: Practitioner) -> Doc:
    motif, hdm, examen, exams, diag, sortie, keys, topics, ttt = EMERG[scenario]
    arr = f"{rng.randint(0, 23):02d}h{rng.randint(0, 59):02d}"
    style = _ds(rng)
    body = [(None, f"<table class='kv'><tr><td><b>Admission</b></td><td>le {D(d, style)} à {arr}</td></tr>"
                   f"<tr><td><b>Mode d'arrivée</b></td><td>{rng.choice(['Moyens personnels', 'Pompiers', 'SAMU'])}</td></tr>"
                   f"<tr><td><b>Tri IOA</b></td><td>{rng.choice(['Tri 3', 'Tri 4', 'Tri 2'])}</td></tr>"
                   f"<tr><td><b>Motif de recours</b></td><td>{motif}</td></tr></table>"),
            ("Antécédents", _atcd_html(p, rng)), ("Anamnèse", hdm), ("Examen clinique", _constantes(p, rng) + " " + examen)]
    if exams:
        body.append(("Examens complémentaires", exams))
    body += [("Diagnostic", f"<b>{diag}</b>"), ("Orientation", "Retour à domicile."),
             ("Traitement de sortie", _ttt_html(p, rng, ttt) if ttt else "Aucun."), ("Consignes", sortie),
             (None, f"<p style='font-size:8pt'>Sortie le {D(d + timedelta(days=1 if arr < '04' else 0), 'slash')} — Médecin urgentiste : {doctor.name}</p>")]
    return Doc(kind="emergency", type_code="15507-7", specialty_code="SM59", service_date=d, author=doctor,
               title=rng.choice(["Compte rendu de passage aux urgences", "URGENCES — Dossier de sortie", "Résumé de passage aux urgences", None]),
               body=body, letter_date=None, exam_keys=keys, topics=topics)


# ---------------------------------------------------------------------------------------------
# Prescriptions (57833-6), certificates (89601-9), vaccinations (87273-9), administrative noise

def prescription(p: Patient, d: date, drugs: list[str], rng: random.Random, doctor: Practitioner, ald: bool = False) -> Doc:
    style = _ds(rng)
    lines = []
    for k in drugs:
        name, poso = vocab.DRUGS[k]
        dur = rng.choice(["pendant 3 mois", "QSP 3 mois", "pendant 1 mois, à renouveler 2 fois", "QSP 28 jours", ""])
        lines.append(f"<p><b>{name}</b><br/>{poso}{' — ' + dur if dur and 'pendant' not in poso else ''}</p>")
    hdr = f"<p style='text-align:right'>{rng.choice([doctor.city + ', le ', 'Le ', 'Date : '])}{D(d, style)}</p>" \
          f"<p>{p.display}<br/>{p.age(d)} ans{' — ' + str(p.facts.get('poids', 70)) + ' kg' if rng.random() < 0.4 else ''}</p>"
    if ald:
        body = [(None, hdr), (None, "<p style='font-size:8pt;border-bottom:1px solid black'>Prescriptions relatives au traitement de l'affection de longue durée reconnue (liste ou hors liste) (AFFECTION EXONÉRANTE)</p>"),
                (None, "".join(lines[: max(1, len(lines) - 1)])),
                (None, "<p style='font-size:8pt;border-bottom:1px solid black'>Prescriptions SANS RAPPORT avec l'affection de longue durée (MALADIES INTERCURRENTES)</p>"),
                (None, "".join(lines[max(1, len(lines) - 1):]) or "<p>—</p>")]
    else:
        body = [(None, hdr)] + [(None, "".join(lines))]
    if rng.random() < 0.4:
        body.append((None, "<p style='font-size:8pt'>Ne pas substituer : non. Renouvelable : " + rng.choice(["2 fois", "non"]) + ".</p>"))
    return Doc(kind="prescription", type_code="57833-6", specialty_code=doctor.specialty_code, service_date=d, author=doctor,
               title=rng.choice(["ORDONNANCE", "Ordonnance", None, "Ordonnance bizone" if ald else "Prescription"]),
               body=body, letter_date=None, exam_keys=[], topics=[], layout_hint="rx_pad")


def certificate(p: Patient, d: date, rng: random.Random, doctor: Practitioner) -> Doc:
    style = _ds(rng)
    kind = rng.choice(["sport", "sport", "creche", "aptitude"])
    txt = {"sport": f"certifie avoir examiné ce jour {p.display}, né{p.e('', 'e')} le {D(p.birth, 'slash')}, et n'avoir constaté à l'examen "
                    f"aucun signe clinique apparent contre-indiquant la pratique {rng.choice(['de la course à pied', 'du football', 'de la natation', 'du tennis'])}, y compris en compétition.",
           "creche": f"certifie que l'état de santé de {p.display} ne présente pas de contre-indication à la vie en collectivité.",
           "aptitude": f"certifie que {p.display} ne présente pas de contre-indication médicale à la conduite d'un véhicule léger."}[kind]
    body = [(None, f"<p>Je soussigné{'e' if 'ne ' in doctor.name else ''}, {doctor.name}, docteur en médecine, {txt}</p>"),
            (None, "<p>Certificat établi à la demande de l'intéressé(e) et remis en main propre pour faire valoir ce que de droit.</p>"),
            (None, f"<p>Fait à {doctor.city}, le {D(d, style)}</p>")]
    return Doc(kind="certificate", type_code="89601-9", specialty_code=doctor.specialty_code, service_date=d, author=doctor,
               title=rng.choice(["CERTIFICAT MÉDICAL", "Certificat médical de non contre-indication", "Certificat"]), body=body,
               letter_date=None, exam_keys=[], topics=[], layout_hint="letter")


VACCINES = [("Grippe saisonnière", "VAXIGRIP TETRA", "intramusculaire, deltoïde gauche"),
            ("COVID-19", "COMIRNATY JN.1 (Pfizer-BioNTech)", "intramusculaire, deltoïde droit"),
            ("Diphtérie, tétanos, poliomyélite, coqueluche (rappel)", "REPEVAX", "intramusculaire, deltoïde gauche"),
            ("Pneumocoque", "PREVENAR 20", "intramusculaire, deltoïde droit"),
            ("Zona", "SHINGRIX (1re dose)", "intramusculaire, deltoïde gauche")]


def vaccination(p: Patient, d: date, rng: random.Random, doctor: Practitioner) -> Doc:
    name, product, route = rng.choice(VACCINES)
    style = _ds(rng)
    lot = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(7))
    body = [(None, f"<table class='kv'><tr><td>Vaccin</td><td><b>{name}</b></td></tr><tr><td>Spécialité</td><td>{product}</td></tr>"
                   f"<tr><td>N° de lot</td><td>{lot}</td></tr><tr><td>Date d'injection</td><td>{D(d, style)}</td></tr>"
                   f"<tr><td>Voie et site</td><td>{route}</td></tr><tr><td>Vaccinateur</td><td>{doctor.name}</td></tr></table>"),
            (None, f"<p>Prochain rappel : {rng.choice(['dans un an, à l’automne', 'selon le calendrier vaccinal', 'à 65 ans'])}. Pas de réaction immédiate après 15 minutes de surveillance.</p>")]
    return Doc(kind="vaccination", type_code="87273-9", specialty_code=doctor.specialty_code, service_date=d, author=doctor,
               title=rng.choice(["Attestation de vaccination", "Note de vaccination", "Certificat de vaccination"]), body=body,
               letter_date=None, exam_keys=[], topics=["vaccination"])


def admin(p: Patient, d: date, rng: random.Random, org: Practitioner, kind: str | None = None) -> Doc:
    kind = kind or rng.choice(["convocation", "facture", "consentement", "questionnaire", "rdv"])
    style = _ds(rng)
    rdv = d + timedelta(days=rng.randint(10, 60))
    if kind == "convocation":
        title = "CONVOCATION"
        body = [(None, f"<p>{p.display}<br/>{p.address}<br/>{p.postcode} {p.city}</p><p>{org.city}, le {D(d, style)}</p>"),
                (None, f"<p>{p.e('Monsieur', 'Madame')},</p><p>Vous êtes attendu{p.e('', 'e')} le <b>{D(rdv, 'weekday')} à {rng.randint(8, 16)}h{rng.choice(['00', '15', '30', '45'])}</b> "
                       f"{org.service and 'au ' + org.service or 'au secrétariat'} pour {rng.choice(['une consultation', 'votre hospitalisation', 'votre examen'])}.</p>"
                       "<p>Merci de vous présenter muni(e) de votre carte Vitale, de votre carte de mutuelle, de vos derniers examens et de la liste de vos traitements. "
                       "En cas d'empêchement, merci de prévenir le secrétariat au moins 48 heures à l'avance.</p><p>Le secrétariat</p>")]
    elif kind == "facture":
        title = rng.choice(["FACTURE", "Note d'honoraires", "Avis des sommes à payer"])
        amt = rng.choice([30, 50, 56.5, 80, 120, 25])
        body = [(None, f"<p>Facture n° {rng.randint(2018, 2026)}-{rng.randint(10000, 99999)} du {D(d, style)}</p>"),
                (None, f"<table class='lab'><tr><th>Désignation</th><th>Code</th><th>Montant</th></tr><tr><td>Consultation</td><td>{rng.choice(['G', 'APC', 'CS', 'TCG'])}</td>"
                       f"<td>{vocab.num_fr(amt, 2)} €</td></tr><tr><td>Dépassement d'honoraires</td><td>DE</td><td>{vocab.num_fr(rng.choice([0, 10, 20]), 2)} €</td></tr></table>"
                       f"<p>Part AMO : {vocab.num_fr(amt * 0.7, 2)} € — Reste à charge : {vocab.num_fr(amt * 0.3, 2)} €. Acquittée le {D(d, 'slash')}.</p>")]
    elif kind == "consentement":
        title = "Formulaire de consentement éclairé"
        body = [(None, f"<p>Je soussigné(e) {p.display}, né(e) le {D(p.birth, 'slash')}, reconnais avoir reçu une information claire et loyale "
                       "sur l'acte qui m'est proposé, ses bénéfices, ses risques fréquents et graves, et les alternatives possibles. "
                       "J'ai pu poser toutes les questions que je souhaitais. J'accepte que l'acte soit réalisé.</p>"
                       f"<p>Fait le {D(d, style)}, en deux exemplaires.</p><p>Signature du patient : ______________</p>")]
    elif kind == "questionnaire":
        title = "Questionnaire pré-anesthésique"
        body = [(None, f"<p>Date : {D(d, style)}</p><p>Avez-vous déjà été opéré(e) ? ☐ oui ☐ non<br/>Allergies connues : ☐ oui ☐ non<br/>"
                       "Prenez-vous des anticoagulants ? ☐ oui ☐ non<br/>Avez-vous des prothèses dentaires ? ☐ oui ☐ non<br/>"
                       "Fumez-vous ? ☐ oui ☐ non — nombre de cigarettes : ____</p><p>Document à rapporter lors de la consultation d'anesthésie.</p>")]
    else:
        title = "Confirmation de rendez-vous"
        body = [(None, f"<p>Édité le {D(d, style)}</p><p>Votre rendez-vous avec {org.name} est confirmé le <b>{D(rdv, 'long')}</b> à "
                       f"{rng.randint(8, 18)}h{rng.choice(['00', '20', '40'])}.</p><p>Adresse : {org.address}. Pensez à annuler en ligne si vous ne pouvez pas venir.</p>")]
    return Doc(kind="admin", type_code="ADMIN", specialty_code=None, service_date=d, author=org, title=title, body=body,
               letter_date=None, exam_keys=[], topics=[], is_noise=True, layout_hint="letter")


# ---------------------------------------------------------------------------------------------
# English documents (UK / US hospital)

def english_doc(p: Patient, d: date, kind: str, rng: random.Random, doctor: Practitioner) -> Doc:
    style = _ds(rng, "en")
    dob = vocab.fr_date(p.birth, "en_long")
    if kind == "ed":
        body = [(None, f"<p><b>Attendance date:</b> {D(d, style)} &nbsp; <b>Time of arrival:</b> {rng.randint(10, 22)}:{rng.randint(10, 59)}<br/>"
                       f"<b>Patient:</b> {p.first} {p.last.upper()} &nbsp; <b>DOB:</b> {dob} &nbsp; <b>Hospital no.:</b> RX{rng.randint(100000, 999999)}</p>"),
                ("Presenting complaint", "Fall while hiking, twisted right ankle, unable to weight-bear."),
                ("History", "French tourist. Past medical history as per patient's own list. No known drug allergies."),
                ("Examination", "Swelling and tenderness over the lateral malleolus. Ottawa ankle rules positive. Neurovascularly intact."),
                ("Investigations", "X-ray right ankle: undisplaced Weber A fracture of the distal fibula."),
                ("Diagnosis", "<b>Undisplaced Weber A fracture, right ankle.</b>"),
                ("Plan", "Walking boot for 6 weeks, weight-bearing as tolerated, analgesia. Follow-up with GP on return to France. Fracture clinic letter given.")]
        return Doc(kind="emergency", type_code="15507-7", specialty_code="SM59", service_date=d, author=doctor,
                   title="Emergency Department Discharge Summary", body=body, language="en", exam_keys=["radiographie"],
                   topics=["cheville"], letter_date=None)
    if kind == "clinic":
        body = [(None, f"<p>Clinic date: {D(d, style)}<br/>Re: {p.first} {p.last.upper()}, DOB {dob}</p><p>Dear Doctor,</p>"),
                (None, "<p>I saw this patient in the cardiology clinic today while visiting relatives in the UK, following an episode of palpitations.</p>"
                       "<p><b>Diagnosis:</b> paroxysmal palpitations, likely ectopic beats.<br/><b>Medication:</b> as per French prescription.</p>"
                       "<p>Examination was unremarkable, BP 132/78 mmHg, pulse 72 regular. The 12-lead ECG showed sinus rhythm with occasional ventricular ectopics. "
                       "An echocardiogram performed in 2019 was reported as normal.</p>"
                       "<p><b>Plan:</b> I have reassured the patient and advised reducing caffeine intake. I would be grateful if you could arrange a 24-hour Holter on return to France.</p>"
                       "<p>Yours sincerely,</p>")]
        return Doc(kind="consult", type_code="11488-4", specialty_code="SM04", service_date=d, author=doctor,
                   title="Cardiology Clinic Letter", body=body, language="en", exam_keys=["ecg"], topics=["coeur"], letter_date=d,
                   letter_style=style)
    # discharge summary, multi-page
    adm = d - timedelta(days=3)
    body = [(None, f"<p><b>Admission date:</b> {D(adm, style)} &nbsp;&nbsp; <b>Discharge date:</b> {D(d, style)}<br/><b>Patient:</b> {p.first} {p.last.upper()}, DOB {dob}</p>"),
            ("Reason for admission", "Community-acquired pneumonia while travelling."),
            ("History of presenting complaint", "Three days of fever, productive cough and right-sided pleuritic chest pain. CURB-65 score 1."),
            ("Investigations", "CRP 164 mg/L, WCC 14.8 x10^9/L. Chest X-ray: right lower lobe consolidation. Blood cultures: no growth at 48 hours."),
            ("Clinical course", "Treated with intravenous co-amoxiclav then oral amoxicillin. Oxygen weaned on day 2. Mobilising independently. " * 3),
            ("Discharge diagnosis", "<b>Right lower lobe community-acquired pneumonia.</b>"),
            ("Medications on discharge", "Amoxicillin 1 g three times daily for 2 more days. Paracetamol 1 g four times daily as required."),
            ("Follow-up", "Repeat chest X-ray in 6 weeks with the GP in France. Patient given a copy of this letter.")]
    return Doc(kind="discharge", type_code="11490-0", specialty_code="SM27", service_date=d, author=doctor,
               title="DISCHARGE SUMMARY", body=body, language="en", exam_keys=["radiographie"], topics=["poumon", "infection"],
               letter_date=None, min_pages=2)
