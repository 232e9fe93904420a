"""Data model of the synthetic corpus: patients, practitioners, documents before rendering."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from carnet.codes import SPECIALTIES

from . import vocab


@dataclass
class Practitioner:
    name: str  # "Dr Hélène Marchand"
    specialty_code: str | None
    specialty_label: str
    organisation: str
    address: str
    city: str
    rpps: str
    phone: str
    finess: str
    service: str = ""  # hospital department, if any
    language: str = "fr"


@dataclass
class Patient:
    pid: str
    sex: str  # "F" | "M"
    first: str
    last: str
    birth: date
    city: str
    postcode: str
    address: str
    stories: list[str]
    rng: random.Random
    ipp: str = ""
    practitioners: dict[str, Practitioner] = field(default_factory=dict)
    facts: dict = field(default_factory=dict)  # story state shared by builders (history, drugs...)

    @property
    def civ(self) -> str:
        return "Mme" if self.sex == "F" else "M."

    @property
    def display(self) -> str:
        return f"{self.civ} {self.last.upper()} {self.first}"

    def age(self, d: date) -> int:
        return d.year - self.birth.year - ((d.month, d.day) < (self.birth.month, self.birth.day))

    def e(self, masc: str, fem: str) -> str:
        return fem if self.sex == "F" else masc

    def doctor(self, key: str, spec: str | None, kind: str = "cabinet") -> Practitioner:
        """A stable practitioner per role (the same cardiologist over the years)."""
        if key not in self.practitioners:
            self.practitioners[key] = make_practitioner(self.rng, spec, kind, self.city)
        return self.practitioners[key]


SERVICE_NAMES = {
    "SM04": "Service de Cardiologie", "SM62": "Service d'Endocrinologie-Diabétologie-Nutrition",
    "SM41": "Service de Pneumologie", "SM32": "Service de Neurologie", "SM24": "Service d'Hépato-Gastro-Entérologie",
    "SM48": "Service de Rhumatologie", "SM15": "Service de Dermatologie", "SM38": "Service d'Ophtalmologie",
    "SM30": "Service de Néphrologie", "SM20": "Maternité — Gynécologie-Obstétrique",
    "SM08": "Chirurgie Orthopédique et Traumatologique", "SM59": "Service d'Accueil des Urgences",
    "SM44": "Service d'Imagerie Médicale", "SM74": "Service de Radiologie", "SM01": "Service d'Anatomie et Cytologie Pathologiques",
    "SM27": "Service de Médecine Interne", "SM02": "Département d'Anesthésie-Réanimation", "SM03": "Laboratoire",
    "SM63": "Laboratoire", "SM41b": "Explorations fonctionnelles respiratoires", "SM34": "Service d'ORL",
    "SM14": "Chirurgie Viscérale et Digestive", "SM12": "Service d'Urologie",
}


def make_practitioner(rng: random.Random, spec: str | None, kind: str, city: str) -> Practitioner:
    female = rng.random() < 0.5
    first = rng.choice(vocab.FIRST_F if female else vocab.FIRST_M)
    last = rng.choice(vocab.LAST)
    if rng.random() < 0.3:  # practitioners work in nearby towns too
        city = rng.choice(vocab.CITIES)[0]
    postcode = next((p for c, p in vocab.CITIES if c == city), "59000")
    saint, place = rng.choice(vocab.SAINTS), rng.choice(vocab.PLACES)
    if kind == "hopital":
        org = rng.choice(vocab.HOSPITAL_PATTERNS).format(city=city, saint=saint, place=place)
    elif kind == "labo":
        org = rng.choice(vocab.LAB_PATTERNS).format(city=city, brand=rng.choice(vocab.LAB_BRANDS))
    elif kind == "imagerie":
        org = rng.choice(vocab.IMAGING_PATTERNS).format(city=city, saint=saint, place=place,
                                                        brand=rng.choice(vocab.LAB_BRANDS))
    else:
        org = rng.choice(["Cabinet médical", "Cabinet de {s}", "Centre médical {place}", "Maison de santé pluriprofessionnelle {place}",
                          "Cabinet du Dr {last}"]).format(s=(SPECIALTIES.get(spec or "", "médecine") or "").split(",")[0].lower(),
                                                          place=place, last=last)
    address = f"{rng.randint(1, 180)} {rng.choice(vocab.STREETS)}, {postcode} {city}"
    label = SPECIALTIES.get(spec or "", "") if spec else ""
    return Practitioner(name=f"Dr {first} {last}", specialty_code=spec, specialty_label=label, organisation=org,
                        address=address, city=city, rpps=vocab.rpps(rng), phone=vocab.phone(rng),
                        finess=vocab.finess(rng), service=SERVICE_NAMES.get(spec or "", "") if kind == "hopital" else "")


@dataclass
class Doc:
    """A document before rendering: truth metadata plus the HTML body its layout will wrap."""

    kind: str  # builder kind ("lab", "consult", "imaging"...), internal
    type_code: str
    specialty_code: str | None
    service_date: date
    author: Practitioner
    title: str | None  # printed title, None when the document has none
    body: list[str]  # HTML blocks
    language: str = "fr"
    letter_date: date | None = None  # date printed in the letterhead ("Lille, le ...")
    letter_style: str = "long"
    creation: date | None = None  # print / edition date (footer "Édité le")
    exam_keys: list[str] = field(default_factory=list)
    lab_values: list[dict] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    is_noise: bool = False
    scanned: bool = False
    recipient: Practitioner | None = None
    signature: str | None = None  # e.g. "Dr X, biologiste"
    min_pages: int = 1
    layout_hint: str | None = None  # builders may force a family of layout ("lab", "rx", "letter")
    correction_of: str | None = None  # set on a corrected version (near duplicate) by the generator
