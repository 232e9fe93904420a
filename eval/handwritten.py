"""The hand-written development set as a Carnet corpus, and its figures.

The documents live in `tests/fixtures/handwritten/` (written by hand in the styles of US, UK and French
clinicians, labelled by hand); the questions in `eval/queries/handwritten.jsonl` (gold answers set by hand
from those labels). This module writes `<root>/<patient>/<name>.pdf` plus `truth.jsonl` (the format
`carnet eval --truth` and `python -m eval.metadata` read) and scores understanding on it the way the issue
reports it: type, date of the act, specialty right-when-given and given-rate, noise, identity leaks.

    python -m eval.handwritten write ROOT          # render the corpus (run from the repository root)
    python -m eval.handwritten measure ROOT        # extract + understand + score (no embedding)
    python -m eval.handwritten answers HOME        # "latest" answers' summaries and cards quoting furniture
                                                   # (HOME: carnet ingest ROOT --home HOME --embedder hashing)

It is measured separately from the generated corpora, which stay a regression check only.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from carnet.codes import specialty_group
from carnet.config import Settings
from carnet.text import fold
from eval.metadata import understand_folder
from service.facade import Carnet
from service.serialize import hit_out
from tests.fixtures.handwritten import documents as handwritten
from tests.fixtures.handwritten.documents import render_pdf

QUESTIONS = Path(__file__).parent / "queries" / "handwritten.jsonl"
ORIGINAL_PATIENT = "H00"  # the first 20 documents, written before the development set, one folder


def documents() -> list[dict]:
    """Every hand-written document with its patient folder (the first 20 go to H00)."""

    return [{"patient": ORIGINAL_PATIENT, **d} if "patient" not in d else d for d in handwritten.ALL_DOCUMENTS]


def truth_row(d: dict) -> dict:
    return {
        "source": f"{d['patient']}/{d['name']}.pdf", "patient": d["patient"], "type_code": d["type_code"],
        "specialty_code": d["specialty_code"], "service_date": d["service_date"], "is_noise": d["is_noise"],
        "duplicate_of": None, "near_duplicate_of": None, "exam_keys": d.get("exam_keys", []),
        "scanned": d.get("scanned", False), "patient_name": d.get("patient_name"),
        "patient_birth_date": d.get("patient_birth_date"), "conclusion": d.get("conclusion"),
    }


def write_corpus(root: Path | str) -> list[dict]:
    """Render every document to `<root>/<patient>/<name>.pdf` and write `<root>/truth.jsonl`."""

    root = Path(root)
    rows = []
    for d in documents():
        folder = root / d["patient"]
        folder.mkdir(parents=True, exist_ok=True)
        render_pdf(d["text"], folder / f"{d['name']}.pdf", scanned=d.get("scanned", False))
        rows.append(truth_row(d))
    (root / "truth.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                      encoding="utf-8")
    return rows


def identity_leaks(meta_fields: dict, patient_name: str | None, birth_date: str | None) -> list[str]:
    """Fields among author / organisation / title that carry the patient's surname or birth date."""

    if not patient_name:
        return []
    surname = fold(patient_name.split()[-1])
    day_first = ""
    if birth_date:
        y, m, d = birth_date.split("-")
        day_first, month_first = f"{d}/{m}/{y}", f"{m}/{d}/{y}"
    leaks = []
    for field in ("author", "organisation", "title"):
        value = meta_fields.get(field) or ""
        folded = fold(value)
        if (len(surname) > 2 and surname in folded.split()) or (
                day_first and (day_first in value or month_first in value or birth_date in value)):
            leaks.append(field)
    return leaks


def score(predicted: list[dict], truth: list[dict]) -> dict:
    """The issue's figures: type, date, specialty right-when-given / given, noise, identity leaks."""

    by_source = {p["source"]: p for p in predicted}
    n = len(truth)
    counts = {"type": 0, "date": 0, "dated": 0, "spec_given": 0, "spec_right": 0, "spec_exact": 0, "noise": 0,
              "leaks": 0, "expected_unknown": 0, "abstained_right": 0}
    leaks = []
    for t in truth:
        p = by_source.get(t["source"], {})
        counts["type"] += p.get("type_code") == t["type_code"]
        counts["noise"] += bool(p.get("is_noise")) == bool(t["is_noise"])
        if t["service_date"]:
            counts["dated"] += 1
            counts["date"] += p.get("service_date") == t["service_date"]
        if p.get("specialty_code"):
            counts["spec_given"] += 1
            counts["spec_right"] += specialty_group(p["specialty_code"]) == specialty_group(t["specialty_code"])
            counts["spec_exact"] += p["specialty_code"] == t["specialty_code"]
        if t["specialty_code"] is None:
            counts["expected_unknown"] += 1
            counts["abstained_right"] += not p.get("specialty_code")
        found = identity_leaks(p, t.get("patient_name"), t.get("patient_birth_date"))
        if found:
            counts["leaks"] += 1
            leaks.append((t["source"], found))
    given = counts["spec_given"]
    return {
        "n": n,
        "type": counts["type"] / n,
        "date": counts["date"] / counts["dated"] if counts["dated"] else 0.0,
        "dated": counts["dated"],
        "specialty_right_when_given": counts["spec_right"] / given if given else 0.0,
        "specialty_exact_when_given": counts["spec_exact"] / given if given else 0.0,
        "specialty_given": given / n,
        "noise": counts["noise"] / n,
        "identity_leaks": counts["leaks"],
        "leaks": leaks,
    }


def format_score(result: dict) -> str:
    return (f"{result['n']} documents: type {result['type']:.3f}, date {result['date']:.3f} "
            f"(of {result['dated']} dated), specialty right when given {result['specialty_right_when_given']:.3f} "
            f"(exact code {result['specialty_exact_when_given']:.3f}) / given {result['specialty_given']:.3f}, "
            f"noise {result['noise']:.3f}, identity leaks {result['identity_leaks']}")


def measure(root: Path | str) -> dict:

    root = Path(root)
    truth = [json.loads(line) for line in (root / "truth.jsonl").read_text(encoding="utf-8").splitlines() if line]
    predicted = understand_folder(root)
    result = score(predicted, truth)
    by_source = {p["source"]: p for p in predicted}
    result["errors"] = []
    for t in truth:
        p = by_source.get(t["source"], {})
        wrong = [f for f, tv, pv in (("type", t["type_code"], p.get("type_code")),
                                     ("date", t["service_date"], p.get("service_date")),
                                     ("specialty", t["specialty_code"], p.get("specialty_code")))
                 if tv != pv and not (f == "date" and tv is None)]
        if wrong:
            result["errors"].append({"source": t["source"], "wrong": wrong,
                                     "truth": [t["type_code"], t["specialty_code"], t["service_date"]],
                                     "predicted": [p.get("type_code"), p.get("specialty_code"),
                                                   p.get("service_date")]})
    return result


# Page furniture a summary or a card must not quote: signature and print stamps, dictation lines, page numbers.
_FURNITURE = re.compile(r"signe electroniquement|electronically signed|imprime le|printed|dictated|transcribed|"
                        r"typed|dicte le|frappe le|page \d+ (?:of|sur|/)|page \d+/\d+|\bfax\b")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _birth_date_forms(iso: str) -> list[str]:
    y, m, d = iso.split("-")
    return [f"{d}/{m}/{y}", f"{m}/{d}/{y}", f"{d}.{m}.{y}", f"{d}-{_MONTHS[int(m) - 1]}-{y}",
            f"{int(m)}/{int(d)}/{y}", iso]


def quotes_furniture(text: str, d: dict, source_text: str) -> bool:
    """`text` (a summary or a card's snippet) quotes a letterhead line (the document's first three lines),
    the signature (its last line), the patient's birth date, or page furniture."""

    folded = fold(" ".join(text.split()))
    lines = [" ".join(ln.split()) for ln in source_text.splitlines() if ln.strip()]
    furniture_lines = [fold(ln) for ln in lines[:3] + lines[-1:] if len(ln) >= 12]
    if any(ln in folded for ln in furniture_lines):
        return True
    if d.get("patient_birth_date") and any(f in text.lower() for f in _birth_date_forms(d["patient_birth_date"])):
        return True
    return bool(_FURNITURE.search(folded))


def answers(home: Path | str, embedder: str = "hashing", today: str = "2026-11-27") -> dict:
    """Ask every "latest ..." question of the set against a store of it (`carnet ingest ROOT --home HOME`)
    with the extractive summary, and count the first answer's summary and card snippet that quote furniture
    (the issue's "no summary of a 'latest' answer quoting a letterhead line")."""
    from datetime import date


    carnet = Carnet(Settings(home=Path(home), embedder=embedder))
    searcher = carnet.searcher
    by_source = {f"{d['patient']}/{d['name']}.pdf": d for d in documents()}
    questions = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    asked, summary_bad, card_bad = 0, [], []
    for q in questions:
        if not q["kind"].startswith("latest"):
            continue
        answer = searcher.ask(q["patient"], q["query"], today=date.fromisoformat(today))
        if not answer.documents:
            continue
        asked += 1
        first = answer.documents[0]
        source = first.document.source
        d = next((v for k, v in by_source.items() if source.endswith(k)), None)
        if d is None:
            continue
        if answer.summary is not None and quotes_furniture(" ".join(x.text for x in answer.summary.sentences),
                                                           d, d["text"]):
            summary_bad.append(q["id"])
        snippet = hit_out(first).snippet or ""
        if quotes_furniture(snippet, d, d["text"]):
            card_bad.append(q["id"])
    return {"asked": asked, "summary_furniture": summary_bad, "card_furniture": card_bad}


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "answers":
        result = answers(argv[1])
        print(f"{result['asked']} 'latest' questions answered: summary quotes furniture "
              f"{len(result['summary_furniture'])}, first card's snippet {len(result['card_furniture'])}")
        for kind in ("summary_furniture", "card_furniture"):
            if result[kind]:
                print(f"  {kind}: {', '.join(result[kind])}")
        return 0
    if len(argv) != 2 or argv[0] not in ("write", "measure"):
        print("usage: python -m eval.handwritten write|measure ROOT | answers HOME", file=sys.stderr)
        return 2
    if argv[0] == "write":
        rows = write_corpus(argv[1])
        print(f"wrote {len(rows)} documents of {len({r['patient'] for r in rows})} patients to {argv[1]}")
        return 0
    result = measure(argv[1])
    print(format_score(result))
    for e in result["errors"]:
        print(f"  {e['source']}: wrong {', '.join(e['wrong'])}; truth {e['truth']} predicted {e['predicted']}")
    for source, fields in result["leaks"]:
        print(f"  identity in {', '.join(fields)}: {source}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
