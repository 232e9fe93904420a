"""The question parser: words a GP types -> filters, dates relative to a fixed today, chips, bad input.

The questions here are written for the tests; eval/queries/gp_style_questions.txt is a held-out set
and is deliberately not used.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from carnet.codes import SPECIALTY_GROUPS
from carnet.errors import InvalidInput
from carnet.lexicon import ANALYTES, EXAMS
from carnet.models import DateRange, Interpretation
from query.chips import describe, without
from query.parse import parse_question

pytestmark = pytest.mark.unit

TODAY = date(2026, 11, 27)
D = date

LAB = ("11502-2",)
IMG = ("18748-4",)
CONSULT = ("11488-4", "78513-9")  # the ophthalmologist's consultation note is a consultation too
DISCHARGE = ("11490-0", "34112-3", "34133-9")
OP = ("34874-8",)
RX = ("57833-6", "57828-6", "57832-8")
MEDS = RX + ("60593-1",)
ER = ("15507-7", "60280-5", "78341-5")  # the visit report and the emergency forms (CI-SIS types)
ER_VISIT = ("15507-7",)
PATH = ("11526-1", "60568-3")  # Carnet's pathology code and the CI-SIS list's
RCP = ("34794-8",)
ANESTH = ("34749-2", "77436-4")
VACC = ("87273-9", "11369-6", "96874-3")  # with the COVID-19 vaccination certificate
CERT = ("89601-9", "CERT_DECL")

# (question, expected fields). Fields left out take these defaults: no filter, no date,
# order "latest" when the topic is empty else "relevance", no count, language "fr".
CASES: list[tuple[str, dict]] = [
    # --- document types, French ---
    ("compte rendu de consultation", dict(types=CONSULT)),
    ("CR de consultation endocrino", dict(types=CONSULT, spec=("endocrinologie",))),
    ("lettre de sortie", dict(types=DISCHARGE)),
    ("lettre de liaison", dict(types=DISCHARGE)),
    ("CRH", dict(types=DISCHARGE)),
    ("bilan", dict(types=LAB)),
    ("bilan bio", dict(types=LAB)),
    ("bilan sanguin", dict(types=LAB)),
    ("prise de sang", dict(types=LAB)),
    ("analyses", dict(types=LAB)),
    ("résultats de labo", dict(types=LAB)),
    ("biologie", dict(types=LAB)),
    ("imagerie", dict(types=IMG)),
    ("radio", dict(types=IMG, exams=("radiographie",))),
    ("ordonnance", dict(types=RX)),
    ("ordo", dict(types=RX)),
    ("prescription", dict(types=RX)),
    ("traitement en cours", dict(types=MEDS, order="latest")),
    ("CR op", dict(types=OP)),
    ("compte rendu opératoire", dict(types=OP)),
    ("anapath", dict(types=PATH)),
    ("biopsie", dict(types=PATH)),
    ("passage aux urgences", dict(types=ER_VISIT)),
    ("urgences", dict(types=ER)),
    ("certificat", dict(types=CERT)),
    ("vaccins", dict(types=VACC)),
    ("vaccination", dict(types=VACC)),
    ("RCP", dict(types=RCP)),
    ("consultation d'anesthésie", dict(types=ANESTH)),
    ("compte rendu", dict()),
    ("CR", dict()),
    ("courrier", dict()),
    # --- document types, English ---
    ("discharge summary", dict(types=DISCHARGE, lang="en")),
    ("most recent hospital discharge summary", dict(types=DISCHARGE, topic="", lang="en")),
    ("lab results", dict(types=LAB, lang="en")),
    ("blood test", dict(types=LAB, lang="en")),
    ("imaging", dict(types=IMG, lang="en")),
    ("operative note", dict(types=OP, lang="en")),
    ("ER visit", dict(types=ER_VISIT, lang="en")),
    ("report", dict(lang="en")),
    ("pathology report", dict(types=PATH, lang="en")),
    # --- specialties: an author's specialty, never a type ---
    ("cardio", dict(spec=("cardiologie",))),
    ("cardiologie", dict(spec=("cardiologie",))),
    ("cardiologue", dict(spec=("cardiologie",))),
    ("latest cardiology report", dict(spec=("cardiologie",), order="latest", lang="en")),
    ("dernier cr cardio", dict(spec=("cardiologie",), order="latest")),
    ("courrier du pneumologue", dict(spec=("pneumologie",))),
    ("lettre neuro", dict(spec=("neurologie",))),
    ("diabéto", dict(spec=("endocrinologie",))),
    ("CR gastro", dict(spec=("gastro-enterologie",))),
    ("rhumato", dict(spec=("rhumatologie",))),
    ("dermatologist letter", dict(spec=("dermatologie",), lang="en")),
    ("consultation ophtalmo", dict(types=CONSULT + ("78513-9",), spec=("ophtalmologie",))),
    ("néphro", dict(spec=("nephrologie",))),
    ("ORL", dict(spec=("orl",))),
    ("ENT clinic letter", dict(types=CONSULT, spec=("orl",), lang="en")),
    ("gynéco", dict(spec=("gynecologie",))),
    ("psy", dict(spec=("psychiatrie",))),
    ("onco", dict(spec=("oncologie",))),
    ("uro", dict(spec=("urologie",))),
    ("ortho", dict(spec=("chirurgie-orthopedique",))),
    ("bilan cardio", dict(spec=("cardiologie",))),  # not a lab report
    # --- exams and analytes ---
    ("ETT", dict(exams=("echocardiographie",))),
    ("derniere echo coeur", dict(exams=("echocardiographie",), order="latest")),
    ("écho cardiaque", dict(exams=("echocardiographie",))),
    ("ECG", dict(exams=("ecg",))),
    ("Holter", dict(exams=("holter",))),
    ("EFR", dict(exams=("efr",))),
    ("TDM thoracique", dict(types=IMG, exams=("scanner",), topic="thoracique")),
    ("scanner thoracique nodule", dict(types=IMG, exams=("scanner",), topic="thoracique nodule")),
    ("IRM du genou", dict(types=IMG, exams=("irm",), topic="genou")),
    ("mammo", dict(types=IMG, exams=("mammographie",))),
    ("echo abdominale", dict(types=IMG, exams=("echographie",), topic="abdominale")),
    ("hba1c?", dict(types=LAB, analytes=("hba1c",))),
    ("créatinine", dict(types=LAB, analytes=("creatinine",))),
    ("créat", dict(types=LAB, analytes=("creatinine",))),
    ("NFS", dict(types=LAB, analytes=("nfs", "plaquettes", "leucocytes"))),  # the panel and the rows only it has
    ("TSH", dict(types=LAB, analytes=("tsh",))),
    ("LDL", dict(types=LAB, analytes=("cholesterol-ldl",))),
    ("bilan lipidique", dict(types=LAB, analytes=("cholesterol-ldl", "cholesterol-hdl", "cholesterol-total",
                                                  "triglycerides"))),
    ("kaliémie", dict(types=LAB, analytes=("potassium",))),
    ("most recent echocardiogram", dict(exams=("echocardiographie",), order="latest", lang="en")),
    ("chest CT", dict(types=IMG, exams=("scanner",), topic="chest", lang="en")),
    # --- typos, no accents, abbreviations, mixed case ---
    ("lettre de sorti", dict(types=DISCHARGE)),
    ("scaner thorax", dict(types=IMG, exams=("scanner",), topic="thorax")),
    ("DERNIERE ECHO COEUR", dict(exams=("echocardiographie",), order="latest")),
    ("echocardiograhpie", dict(exams=("echocardiographie",))),
    ("ophtalmologe", dict(spec=("ophtalmologie",))),
    ("compte rendu operatoir", dict(types=OP)),
    ("cr hospitalisaton", dict(types=DISCHARGE)),
    ("bilan diabete", dict(types=LAB, topic="diabete")),  # "diabete" is not corrected to "diabeto"
    ("tout ce qui concerne le diabète", dict(topic="diabète")),  # "concerne" says nothing
    ("everything regarding his diabetes", dict(topic="diabetes", lang="en")),
    ("radio fracture poignet", dict(types=IMG, exams=("radiographie",), topic="fracture poignet")),
    ("infection urinaire", dict(topic="infection urinaire")),  # not "infectio"
    # --- topics ---
    ("nodule pulmonaire", dict(topic="nodule pulmonaire")),
    ("CR op genou", dict(types=OP, topic="genou")),
    ("douleur thoracique", dict(topic="douleur thoracique")),
    ("douleur thoracique aux urgences", dict(types=ER, topic="douleur thoracique")),
    ("suivi de la fibrillation atriale", dict(topic="suivi fibrillation atriale")),
    # --- order and count ---
    ("les 3 derniers bilans", dict(types=LAB, order="latest", count=3)),
    ("last two CTs", dict(types=IMG, exams=("scanner",), order="latest", count=2, lang="en")),
    ("les deux dernières prises de sang", dict(types=LAB, order="latest", count=2)),
    ("3 derniers ECG", dict(exams=("ecg",), order="latest", count=3)),
    ("the 5 most recent blood tests", dict(types=LAB, order="latest", count=5, lang="en")),
    ("scanner le plus récent", dict(types=IMG, exams=("scanner",), order="latest")),
    ("dernière IRM lombaire", dict(types=IMG, exams=("irm",), topic="lombaire", order="latest")),
    # --- dates (today = 2026-11-27) ---
    ("depuis janvier 2024", dict(start=D(2024, 1, 1), end=None, phrase="depuis janvier 2024")),
    ("bilans depuis janvier", dict(types=LAB, start=D(2026, 1, 1), end=None)),
    ("ECG depuis décembre", dict(exams=("ecg",), start=D(2025, 12, 1), end=None)),  # December not yet here
    ("bilan en 2023", dict(types=LAB, start=D(2023, 1, 1), end=D(2023, 12, 31))),
    ("bilans de 2023", dict(types=LAB, start=D(2023, 1, 1), end=D(2023, 12, 31))),
    ("bilan sanguin 2023", dict(types=LAB, start=D(2023, 1, 1), end=D(2023, 12, 31))),
    ("mammo de l'an dernier", dict(types=IMG, exams=("mammographie",), start=D(2025, 1, 1), end=D(2025, 12, 31))),
    ("analyses l'année dernière", dict(types=LAB, start=D(2025, 1, 1), end=D(2025, 12, 31))),
    ("lab results last year", dict(types=LAB, start=D(2025, 1, 1), end=D(2025, 12, 31), lang="en")),
    ("ordonnances cette année", dict(types=RX, start=D(2026, 1, 1), end=None)),
    ("prises de sang ce mois-ci", dict(types=LAB, start=D(2026, 11, 1), end=None)),
    ("urgences le mois dernier", dict(types=ER, start=D(2026, 10, 1), end=D(2026, 10, 31))),
    ("ER visit last month", dict(types=ER_VISIT, start=D(2026, 10, 1), end=D(2026, 10, 31), lang="en")),
    ("cardio il y a 3 mois", dict(spec=("cardiologie",), start=D(2026, 8, 27), end=None)),
    ("bilans des 6 derniers mois", dict(types=LAB, start=D(2026, 5, 27), end=None)),
    ("les 6 derniers mois", dict(start=D(2026, 5, 27), end=None)),
    ("blood tests past 6 months", dict(types=LAB, start=D(2026, 5, 27), end=None, lang="en")),
    ("imaging since June 2024", dict(types=IMG, start=D(2024, 6, 1), end=None, lang="en")),
    ("echo entre mars et juin 2024", dict(types=IMG, exams=("echographie",), start=D(2024, 3, 1),
                                         end=D(2024, 6, 30))),
    ("radios avant 2020", dict(types=IMG, exams=("radiographie",), start=None, end=D(2019, 12, 31))),
    ("bilans après le 12/03/2024", dict(types=LAB, start=D(2024, 3, 13), end=None)),
    ("bilans du 01/01/2024 au 30/06/2024", dict(types=LAB, start=D(2024, 1, 1), end=D(2024, 6, 30))),
    ("discharge letters in 2022", dict(types=DISCHARGE, start=D(2022, 1, 1), end=D(2022, 12, 31), lang="en")),
    ("ECG du 12 mars 2024", dict(exams=("ecg",), start=D(2024, 3, 12), end=D(2024, 3, 12))),
    ("depuis 1 an", dict(start=D(2025, 11, 27), end=None)),
    ("IRM 2022-2024", dict(types=IMG, exams=("irm",), start=D(2022, 1, 1), end=D(2024, 12, 31))),
    ("Holter since 03/2025", dict(exams=("holter",), start=D(2025, 3, 1), end=None, lang="en")),
    ("la dernière hba1c depuis le 15 mars", dict(types=LAB, analytes=("hba1c",), order="latest",
                                                 start=D(2026, 3, 15), end=None)),
    ("3 derniers bilans depuis 2 ans", dict(types=LAB, order="latest", count=3, start=D(2024, 11, 27), end=None)),
]


def _check(question: str, expected: dict) -> Interpretation:
    interp = parse_question(question, TODAY)
    topic = expected.get("topic", "")
    got = {
        "types": set(interp.type_codes), "spec": interp.specialty_groups, "exams": interp.exam_keys,
        "analytes": interp.analyte_keys, "order": interp.order, "count": interp.count, "topic": interp.topic,
        "lang": interp.language,
    }
    want = {
        "types": set(expected.get("types", ())), "spec": expected.get("spec", ()), "exams": expected.get("exams", ()),
        "analytes": expected.get("analytes", ()), "order": expected.get("order", "relevance" if topic else "latest"),
        "count": expected.get("count"), "topic": topic, "lang": expected.get("lang", "fr"),
    }
    assert got == want, question
    if "start" in expected or "end" in expected:
        assert interp.date_range is not None, question
        assert (interp.date_range.start, interp.date_range.end) == (expected.get("start"), expected.get("end")), question
        if "phrase" in expected:
            assert interp.date_range.phrase == expected["phrase"]
    else:
        assert interp.date_range is None, question
    return interp


@pytest.mark.parametrize("question,expected", CASES, ids=[q for q, _ in CASES])
def test_parse(question, expected):
    _check(question, expected)


def test_keys_are_the_shared_ones():
    for question, _ in CASES:
        interp = parse_question(question, TODAY)
        assert set(interp.specialty_groups) <= set(SPECIALTY_GROUPS)
        assert set(interp.exam_keys) <= set(EXAMS)
        assert set(interp.analyte_keys) <= set(ANALYTES)


def test_keeps_the_question_and_says_rules():
    interp = parse_question("  Dernière ETT ?  ", TODAY)
    assert interp.question == "  Dernière ETT ?  "
    assert interp.interpreter == "rules"


def test_a_reading_does_not_depend_on_the_questions_read_before():
    """The parser keeps caches (folded words, the compiled vocabulary, typo candidates): reading the cases in
    the opposite order, after a question full of typos and abbreviations, must give the same readings."""
    forward = [parse_question(q, TODAY) for q, _ in CASES]
    parse_question("der cr cardoi + bilan hepatiqe, echo abdo ?? MG", TODAY)
    backward = [parse_question(q, TODAY) for q, _ in reversed(CASES)][::-1]
    assert forward == backward


def test_relative_dates_follow_today():
    assert parse_question("l'an dernier", date(2024, 3, 1)).date_range == DateRange(
        date(2023, 1, 1), date(2023, 12, 31), "l'an dernier")
    # "depuis janvier" in January is this January
    assert parse_question("depuis janvier", date(2025, 1, 10)).date_range.start == date(2025, 1, 1)
    assert parse_question("le mois dernier", date(2025, 1, 10)).date_range == DateRange(
        date(2024, 12, 1), date(2024, 12, 31), "le mois dernier")


def test_typographic_apostrophe_and_phrase_as_typed():
    interp = parse_question("Bilans de l’année dernière", TODAY)
    assert interp.type_codes == LAB
    assert interp.date_range.phrase == "de l’année dernière"


def test_punctuation_and_emoji_never_crash():
    for q in ("???", "👍", "écho ❤️ ?!", "(ETT) -- [2024]", "« ordonnance »", "a/b/c", "1/2/3/4", "99/99/9999",
              "31/02/2024", "k+ na+", "x" * 500, "é" * 10, "dernier dernier dernier", "2019-2017"):
        parse_question(q, TODAY)
    assert parse_question("(ETT) -- [2024]", TODAY).exam_keys == ("echocardiographie",)


@pytest.mark.parametrize("bad", ["", "   ", "\n\t", "a" * 501, "ETT\x00", "bilan\x1b[0m", "écho\x7f"])
def test_invalid_input(bad):
    with pytest.raises(InvalidInput):
        parse_question(bad, TODAY)


def test_invalid_input_message_names_the_problem():
    with pytest.raises(InvalidInput, match="500"):
        parse_question("a" * 501, TODAY)
    with pytest.raises(InvalidInput, match="control"):
        parse_question("ETT\x07", TODAY)
    with pytest.raises(InvalidInput, match="empty"):
        parse_question("  ", TODAY)


def test_newline_inside_a_question_is_fine():
    assert parse_question("dernière\nETT", TODAY).exam_keys == ("echocardiographie",)


# --- chips ---------------------------------------------------------------------------------------------


def test_describe_french():
    interp = parse_question("les 3 dernières HbA1c depuis janvier 2024 chez le cardiologue", TODAY)
    chips = describe(interp, "fr")
    assert chips == [
        {"kind": "type", "value": "11502-2", "label": "CR d'examens biologiques"},
        {"kind": "specialty", "value": "cardiologie", "label": "Cardiologie"},
        {"kind": "analyte", "value": "hba1c", "label": "HbA1c"},
        {"kind": "date", "value": "2024-01-01..", "label": "depuis le 1 janv. 2024"},
        {"kind": "order", "value": "latest", "label": "le plus récent"},
        {"kind": "count", "value": "3", "label": "les 3 derniers"},
    ]


def test_describe_english_and_groups():
    interp = parse_question("discharge summary knee surgery 2023", TODAY)
    chips = describe(interp, "en")
    kinds = [c["kind"] for c in chips]
    assert kinds[0] == "type" and chips[0]["value"] == "11490-0,34112-3,34133-9"
    assert chips[0]["label"].startswith("Discharge")
    assert {"kind": "date", "value": "2023-01-01..2023-12-31", "label": "in 2023"} in chips
    assert chips[-1]["kind"] == "topic"


def test_describe_date_labels():
    def label(q, lang="fr"):
        return next(c["label"] for c in describe(parse_question(q, TODAY), lang) if c["kind"] == "date")

    assert label("avant 2020") == "jusqu'au 31 déc. 2019"
    assert label("entre mars et juin 2024") == "du 1 mars 2024 au 30 juin 2024"
    assert label("le mois dernier") == "en octobre 2026"
    assert label("ECG du 12 mars 2024", "en") == "on 12 Mar 2024"
    assert label("since June 2024", "en") == "since 1 Jun 2024"


def test_describe_exam_and_topic_labels():
    chips = describe(parse_question("ETT valve aortique", TODAY), "fr")
    assert {"kind": "exam", "value": "echocardiographie", "label": "Échocardiographie"} in chips
    assert {"kind": "topic", "value": "valve aortique", "label": "valve aortique"} in chips
    assert all(c["kind"] != "order" for c in chips)  # a topic: relevance, no order chip


def test_describe_falls_back_to_french():
    interp = parse_question("ETT", TODAY)
    assert describe(interp, "de") == describe(interp, "fr")


def test_without_removes_each_chip():
    interp = parse_question("les 3 dernières HbA1c depuis janvier 2024 chez le cardiologue pour diabète", TODAY)
    for chip in describe(interp, "fr"):
        smaller = without(interp, chip["kind"], chip["value"])
        assert chip not in describe(smaller, "fr")
        assert smaller.question == interp.question
    assert without(interp, "date", "2024-01-01..").date_range is None
    assert without(interp, "order", "latest").order == "relevance"
    assert without(interp, "order", "latest").count is None
    assert without(interp, "topic", interp.topic).topic == ""
    assert without(interp, "specialty", "cardiologie").specialty_groups == ()
    assert interp.specialty_groups == ("cardiologie",)  # the original is untouched


def test_without_a_grouped_type_chip_removes_all_its_codes():
    interp = parse_question("lettre de sortie cardio", TODAY)
    chip = next(c for c in describe(interp, "fr") if c["kind"] == "type")
    assert without(interp, "type", chip["value"]).type_codes == ()
    assert without(interp, "type", "34112-3").type_codes == ("11490-0", "34133-9")


def test_without_missing_value_is_a_no_op_and_bad_kind_raises():
    interp = parse_question("ETT", TODAY)
    assert without(interp, "exam", "irm") == interp
    with pytest.raises(InvalidInput, match="colour"):
        without(interp, "colour", "red")


def test_interpretation_stays_frozen():
    interp = parse_question("ETT", TODAY)
    with pytest.raises(FrozenInstanceError):
        interp.order = "relevance"  # type: ignore[misc]




@pytest.mark.parametrize("question, types, groups", [
    ("dernier compte rendu de radiologie", ("18748-4",), ("radiologie",)),  # the department: signed in radiology
    ("dernier compte rendu du radiologue", (), ("radiologie",)),
    ("dernier examen radiologique", ("18748-4",), ()),  # any imaging, whoever did it
    ("dernier avis du chirurgien orthopédiste", (), ("chirurgie-orthopedique",)),  # "avis" is no topic
])
def test_radiology_and_opinion_words(question, types, groups):
    from datetime import date as _date

    from query.parse import parse_question

    interp = parse_question(question, _date(2026, 11, 27))
    assert (interp.type_codes, interp.specialty_groups, interp.topic) == (types, groups, "")
