"""Invented people, places, organisations, drugs and French date formats for the synthetic corpus.

Every name, address and identifier here is made up. Nothing comes from real patients.
"""

from __future__ import annotations

import random
from datetime import date

QUERY_DATE = date(2026, 11, 27)  # "today" for relative phrases in labelled questions

MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
JOURS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]

FIRST_F = ["Hélène", "Françoise", "Nathalie", "Isabelle", "Sophie", "Camille", "Léa", "Manon", "Chloé", "Élodie",
           "Aurélie", "Sandrine", "Valérie", "Monique", "Josiane", "Brigitte", "Agnès", "Maëlle", "Inès", "Noémie",
           "Clémence", "Odile", "Ghislaine", "Bérénice", "Solène", "Margaux", "Anaïs", "Yasmina", "Fatou", "Lucie"]
FIRST_M = ["Jean", "Pierre", "Michel", "Philippe", "Alain", "Bernard", "Thierry", "Laurent", "Olivier", "Nicolas",
           "Sébastien", "Julien", "Mathieu", "Hugo", "Lucas", "Théo", "Raphaël", "Gérard", "Régis", "Hervé",
           "Karim", "Mamadou", "Yannick", "Loïc", "Benoît", "Étienne", "Jérôme", "Gaëtan", "Rémi", "Armand"]
LAST = ["Marchand", "Lefèvre", "Garnier", "Rousseau", "Faure", "Morel", "Girard", "Chevalier", "Lambert", "Bonnet",
        "Fontaine", "Mercier", "Dupuis", "Brunet", "Blanchard", "Guérin", "Perrin", "Roussel", "Lemaire", "Caron",
        "Masson", "Baron", "Renaud", "Hamon", "Le Goff", "Kerbrat", "Tessier", "Vasseur", "Delattre", "Ollivier",
        "Poulain", "Charpentier", "Besnard", "Jacquet", "Maréchal", "Aubert", "Lemoine", "Collet", "Prévost",
        "Benali", "Haddad", "Nguyen", "Diallo", "Ferreira", "Da Silva", "Leclercq", "Delaunay", "Hébert", "Carpentier",
        "Valette", "Béranger", "Quéméner", "Tardieu", "Villeneuve", "Boissière", "Ménard", "Lacombe", "Pasquier"]
LAST_EN = ["Whitfield", "Hargreaves", "Pemberton", "Ashdown", "Calloway", "Thornbury", "Kingsley", "Redfern"]
FIRST_EN = ["Oliver", "Emily", "James", "Charlotte", "Thomas", "Harriet", "Daniel", "Rebecca"]

# Invented towns with plausible French postcodes (a few real town names, invented addresses).
CITIES = [("Lille", "59000"), ("Roubaix", "59100"), ("Valenciennes", "59300"), ("Arras", "62000"),
          ("Amiens", "80000"), ("Rouen", "76000"), ("Caen", "14000"), ("Rennes", "35000"), ("Nantes", "44000"),
          ("Angers", "49000"), ("Tours", "37000"), ("Orléans", "45000"), ("Dijon", "21000"), ("Besançon", "25000"),
          ("Nancy", "54000"), ("Metz", "57000"), ("Reims", "51100"), ("Limoges", "87000"), ("Poitiers", "86000"),
          ("Clermont-Ferrand", "63000"), ("Grenoble", "38000"), ("Annecy", "74000"), ("Valence", "26000"),
          ("Nîmes", "30000"), ("Montpellier", "34000"), ("Perpignan", "66000"), ("Pau", "64000"),
          ("Bayonne", "64100"), ("Brest", "29200"), ("Quimper", "29000"), ("Vannes", "56000"), ("Chartres", "28000")]
STREETS = ["rue Victor Hugo", "avenue de la République", "boulevard Pasteur", "rue des Tilleuls", "place du Marché",
           "rue Jean Jaurès", "allée des Acacias", "rue du Général Leclerc", "chemin des Vignes", "rue de la Gare",
           "avenue des Lilas", "rue Sainte-Catherine", "quai des Tanneurs", "rue du Docteur Calmette",
           "impasse des Peupliers", "boulevard de Strasbourg", "rue Nationale", "rue des Écoles"]

HOSPITAL_PATTERNS = ["Centre Hospitalier de {city}", "Centre Hospitalier Universitaire de {city}",
                     "Hôpital privé {saint}", "Clinique {saint}", "Polyclinique du {place}", "Hôpital {saint}",
                     "Groupe Hospitalier {city}-{place}"]
SAINTS = ["Saint-Vincent", "Sainte-Anne", "Saint-Luc", "Saint-Joseph", "Sainte-Marthe", "Saint-Roch",
          "Saint-Christophe", "Notre-Dame-de-Bon-Secours", "Sainte-Odile", "Saint-Gatien"]
PLACES = ["Parc", "Val de Loire", "Littoral", "Bois Fleuri", "Mont-Joli", "Confluent", "Pays d'Auge", "Hainaut"]
LAB_PATTERNS = ["Laboratoire {brand} — site {city}", "Laboratoire de Biologie Médicale {brand}",
                "LBM {brand} {city}", "Biolab {brand}", "Laboratoire d'analyses médicales {brand}"]
LAB_BRANDS = ["Bioaxe", "Cerballiance Nord-Est", "Biopôle", "Synlab Ouest", "Labosud", "Bio Val", "Eurobiolab",
              "Biomédia", "Analys'", "BioAtlantique"]
IMAGING_PATTERNS = ["Centre d'Imagerie Médicale {place}", "Cabinet de Radiologie du {place}",
                    "Imagerie {saint}", "Scanner IRM {city} {place}", "Centre de radiologie {brand}"]

UK_HOSPITALS = ["St Aldhelm's Hospital NHS Foundation Trust, Bristol", "Northbridge General Hospital, Leeds",
                "Royal Wessex Infirmary, Southampton"]
US_HOSPITALS = ["Harborview Lakes Medical Center, Boston MA", "St. Brendan Regional Hospital, Portland OR"]

DRUGS = {
    "metformine": ("METFORMINE 1000 mg, comprimé pelliculé", "1 comprimé matin et soir au milieu des repas"),
    "gliclazide": ("GLICLAZIDE 60 mg LM, comprimé à libération modifiée", "1 comprimé le matin"),
    "dapagliflozine": ("FORXIGA 10 mg (dapagliflozine), comprimé", "1 comprimé le matin"),
    "sitagliptine": ("JANUVIA 100 mg (sitagliptine), comprimé", "1 comprimé par jour"),
    "semaglutide": ("OZEMPIC 1 mg (sémaglutide), solution injectable en stylo", "1 injection sous-cutanée par semaine, le lundi"),
    "insuline": ("TOUJEO 300 U/mL (insuline glargine), stylo", "24 unités le soir, adaptation selon protocole"),
    "atorvastatine": ("ATORVASTATINE 40 mg, comprimé", "1 comprimé le soir"),
    "rosuvastatine": ("ROSUVASTATINE 10 mg, comprimé", "1 comprimé le soir"),
    "ramipril": ("RAMIPRIL 5 mg, gélule", "1 gélule le matin"),
    "perindopril": ("PERINDOPRIL 4 mg, comprimé", "1 comprimé le matin"),
    "amlodipine": ("AMLODIPINE 5 mg, gélule", "1 gélule le matin"),
    "bisoprolol": ("BISOPROLOL 2,5 mg, comprimé", "1 comprimé le matin"),
    "kardegic": ("KARDEGIC 75 mg, poudre pour solution buvable en sachet-dose", "1 sachet par jour au cours du repas"),
    "ticagrelor": ("BRILIQUE 90 mg (ticagrélor), comprimé", "1 comprimé matin et soir"),
    "apixaban": ("ELIQUIS 5 mg (apixaban), comprimé", "1 comprimé matin et soir"),
    "furosemide": ("FUROSÉMIDE 40 mg, comprimé", "1 comprimé le matin"),
    "entresto": ("ENTRESTO 49 mg/51 mg (sacubitril/valsartan), comprimé", "1 comprimé matin et soir"),
    "spironolactone": ("SPIRONOLACTONE 25 mg, comprimé", "1 comprimé le matin"),
    "levothyrox": ("LÉVOTHYROXINE 75 µg, comprimé", "1 comprimé le matin à jeun"),
    "paracetamol": ("PARACÉTAMOL 1 g, comprimé", "1 comprimé jusqu'à 3 fois par jour si douleur, espacer de 6 heures"),
    "ibuprofene": ("IBUPROFÈNE 400 mg, comprimé", "1 comprimé 3 fois par jour pendant 5 jours au cours des repas"),
    "tramadol": ("TRAMADOL 50 mg, gélule", "1 gélule toutes les 6 heures si douleur intense, maximum 4 par jour"),
    "enoxaparine": ("LOVENOX 4000 UI anti-Xa/0,4 mL, solution injectable", "1 injection sous-cutanée par jour pendant 35 jours"),
    "omeprazole": ("OMÉPRAZOLE 20 mg, gélule gastro-résistante", "1 gélule le matin à jeun"),
    "amoxicilline": ("AMOXICILLINE 1 g, comprimé dispersible", "1 comprimé matin, midi et soir pendant 7 jours"),
    "seretide": ("SÉRÉTIDE DISKUS 500/50 µg, poudre pour inhalation", "1 inhalation matin et soir, se rincer la bouche"),
    "ventoline": ("VENTOLINE 100 µg/dose, suspension pour inhalation", "2 bouffées si gêne respiratoire"),
    "spiriva": ("SPIRIVA RESPIMAT 2,5 µg, solution pour inhalation", "2 bouffées une fois par jour"),
    "nicotine": ("NICOPATCHLIB 21 mg/24 h, dispositif transdermique", "1 patch par jour, à changer chaque matin"),
    "fer": ("TARDYFERON 80 mg, comprimé pelliculé", "1 comprimé par jour pendant 3 mois"),
    "acfol": ("ACIDE FOLIQUE 0,4 mg, comprimé", "1 comprimé par jour jusqu'à 12 SA"),
    "spasfon": ("SPASFON LYOC 80 mg, lyophilisat oral", "2 lyocs si douleurs, jusqu'à 3 fois par jour"),
    "vitd": ("ZYMAD 50 000 UI, solution buvable en ampoule", "1 ampoule par mois pendant 3 mois"),
    "allopurinol": ("ALLOPURINOL 100 mg, comprimé", "1 comprimé par jour"),
    "methotrexate": ("MÉTHOTREXATE 15 mg, stylo prérempli", "1 injection sous-cutanée par semaine, le samedi"),
    "speciafoldine": ("SPECIAFOLDINE 5 mg, comprimé", "1 comprimé le lendemain du méthotrexate"),
    "lisinopril_en": ("Lisinopril 10 mg tablets", "one tablet once daily"),
    "cetirizine": ("CÉTIRIZINE 10 mg, comprimé", "1 comprimé le soir pendant la saison pollinique"),
    "diprosone": ("DIPROSONE 0,05 % crème", "1 application le soir sur les lésions pendant 10 jours puis arrêt"),
    "latanoprost": ("LATANOPROST 50 µg/mL, collyre", "1 goutte le soir dans chaque œil"),
}


def fr_date(d: date, style: str) -> str:
    """One French (or English) rendering of a date."""
    day1 = "1er" if d.day == 1 else str(d.day)
    return {
        "long": f"{day1} {MOIS[d.month - 1]} {d.year}",
        "long0": f"{d.day:02d} {MOIS[d.month - 1]} {d.year}",
        "weekday": f"{JOURS[d.weekday()]} {day1} {MOIS[d.month - 1]} {d.year}",
        "slash": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "slash_short": f"{d.day}/{d.month}/{d.year % 100:02d}",
        "slash_yy": f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}",
        "dot": f"{d.day:02d}.{d.month:02d}.{d.year}",
        "dash": f"{d.day:02d}-{d.month:02d}-{d.year}",
        "iso": d.isoformat(),
        "en_long": f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}",
        "en_us": f"{MONTHS_EN[d.month - 1]} {d.day}, {d.year}",
        "en_slash": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "en_us_slash": f"{d.month:02d}/{d.day:02d}/{d.year}",
    }[style]


FR_STYLES = ["long", "long0", "weekday", "slash", "slash_short", "slash_yy", "dot", "dash", "iso"]
EN_STYLES = ["en_long", "en_us", "en_slash", "en_us_slash"]
ALL_STYLES = FR_STYLES + EN_STYLES


def date_variants(d: date) -> set[str]:
    """Every rendering the generator may print for a date (tests look for one of them in the text)."""
    return {fr_date(d, s) for s in ALL_STYLES}


def pick_style(rng: random.Random, lang: str = "fr", weights: bool = True) -> str:
    if lang == "en":
        return rng.choice(EN_STYLES)
    return rng.choices(FR_STYLES, weights=[5, 2, 1, 6, 2, 2, 2, 1, 1])[0]


def month_year(d: date) -> str:
    return f"{MOIS[d.month - 1]} {d.year}"


def rpps(rng: random.Random) -> str:
    return "10" + "".join(rng.choice("0123456789") for _ in range(9))


def finess(rng: random.Random) -> str:
    return rng.choice(["59", "62", "80", "76", "35", "44", "69", "13", "33", "67"]) + "".join(
        rng.choice("0123456789") for _ in range(7))


def phone(rng: random.Random) -> str:
    return "0" + str(rng.randint(1, 5)) + " " + " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))


def num_fr(x: float, decimals: int) -> str:
    s = f"{x:.{decimals}f}"
    return s.replace(".", ",")
