"""Label the held-out GP-style questions against data/samples' ground truth.

The questions (gp_style_questions.txt) were written before the parser was tuned and are never used by
unit tests. Each question's meaning is written here BY HAND as filters on the ground truth (what a
doctor typing it wants), independently of Carnet's parser; the gold documents of every sample patient
follow from truth.jsonl. Questions whose meaning rests on free text ("echo abdo", "irm lombaire") are
left out: their gold cannot be derived from structured truth.

    python eval/queries/label_gp_questions.py > eval/queries/gp_style.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from carnet.codes import specialty_group

ROOT = Path(__file__).resolve().parents[2]
LAB, DISCHARGE = "11502-2", ("11490-0", "34112-3", "34133-9")
NOT_REPORTS = {"57833-6", "57828-6", "57832-8", "60593-1", "55115-0", "89601-9", "87273-9", "11369-6", "ADMIN"}

# question -> filters (types, specialty, exam, analyte, start, end) and what is wanted: the latest N, or all.
SPECS: dict[str, dict] = {
    "derniere ett": {"exam": "echocardiographie"},
    "dernier bilan bio": {"types": [LAB]},
    "hba1c depuis 1 an": {"analyte": "hba1c", "start": "2025-11-27", "all": True},
    "cr cardio recent": {"specialty": "cardiologie"},
    "lettre de sortie hospit": {"types": list(DISCHARGE)},
    "ordo en cours": {"types": ["57833-6"]},
    "les 3 dernieres creat": {"analyte": "creatinine", "count": 3},
    "bilan thyroide tsh": {"analyte": "tsh"},
    "compte rendu consult endocrino": {"types": ["11488-4"], "specialty": "endocrinologie"},
    "dernier ecg": {"exam": "ecg"},
    "holter 24h": {"exam": "holter"},
    "mammo de depistage 2024": {"exam": "mammographie", "start": "2024-01-01", "end": "2024-12-31", "all": True},
    "vaccins a jour ?": {"types": ["87273-9", "11369-6"]},
    "certificat sport": {"types": ["89601-9"]},
    "nfs plaquettes depuis janvier": {"analyte": "plaquettes", "start": "2026-01-01", "all": True},
    "bilan lipidique ldl l'an dernier": {"analyte": "cholesterol-ldl", "start": "2025-01-01", "end": "2025-12-31",
                                         "all": True},
    "last discharge summary": {"types": list(DISCHARGE)},
    "latest echocardiogram": {"exam": "echocardiographie"},
    "blood tests last 6 months": {"types": [LAB], "start": "2026-05-27", "all": True},
    "cardiology letter": {"specialty": "cardiologie"},
    "ct chest 2023": {"exam": "scanner", "start": "2023-01-01", "end": "2023-12-31", "all": True},
    "dernieres analyses de sang": {"types": [LAB]},
    "lettre du neuro": {"specialty": "neurologie"},
    "ophtalmo fond d oeil diabete": {"exam": "fond-oeil"},
    "bnp insuffisance cardiaque": {"analyte": "bnp"},
    "creatinine dfg 2022": {"analyte": "creatinine", "start": "2022-01-01", "end": "2022-12-31", "all": True},
    "bilan hepatique transaminases": {"analyte": "transaminases"},
}


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
    if "analyte" in spec and (row["type_code"] != LAB or spec["analyte"] not in {v["analyte"] for v in row["lab_values"]}):
        return False
    d = row["service_date"]
    return not (("start" in spec and d < spec["start"]) or ("end" in spec and d > spec["end"]))


def gold_answer(rows: list[dict], spec: dict) -> tuple[list[str], str] | None:
    """The gold sources and the question's kind for one patient's matching truth rows; None on a tie on the
    date of the act, where no single document is the right answer. Shared with label_hurried.py."""
    rows = sorted(rows, key=lambda r: r["service_date"], reverse=True)
    count = spec.get("count", 1)
    if spec.get("all"):
        gold, kind = [r["source"] for r in rows], "date-scoped"
    else:
        if len(rows) > count and rows[count - 1]["service_date"] == rows[count]["service_date"]:
            return None
        gold, kind = [r["source"] for r in rows[:count]], "counted" if count > 1 else "latest"
    return gold, kind if gold else "no-answer"


def label(truth: list[dict], questions: list[str]) -> list[dict]:
    patients = sorted({r["patient"] for r in truth})
    out = []
    for n, q in enumerate(questions, start=1):
        spec = SPECS.get(q)
        if spec is None:
            continue
        for p in patients:
            answer = gold_answer([r for r in truth if r["patient"] == p and matches(r, spec)], spec)
            if answer is None:
                continue
            gold, kind = answer
            out.append({"id": f"gp{n:02d}-{p}", "patient": p, "query": q, "relevant": gold, "kind": f"gp-{kind}"})
    return out


def main() -> None:
    truth = [json.loads(line) for line in (ROOT / "data/samples/truth.jsonl").read_text().splitlines() if line.strip()]
    questions = [q.strip() for q in (ROOT / "eval/queries/gp_style_questions.txt").read_text().splitlines() if q.strip()]
    for row in label(truth, questions):
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
