"""Precision and recall of the clinical facts (allergies, current treatment) against two kinds of truth.

1. A generated corpus (eval/synthetic): the generator's own patient state is the truth. Replaying a
   patient's story with the corpus seed (stories.make_patient + stories.plan, no rendering) gives the
   allergies its past history states and the treatment the patient is on at the end of the record. The
   store must hold that corpus, ingested: the synthesis is compared with it, per patient.
2. Hand-labelled documents in other people's styles (eval/facts_handlabelled.py, written for this
   measure, English and French): extraction is compared with the labels, document by document; the same for
   medication changes and their dates (eval/facts_handlabelled_dates.py) and for lab values and their flags
   (eval/labs_handlabelled.py).

Allergies are matched by substance (first word, folded), medications by molecule or brand (first word,
folded). Statuses are part of the truth for hand-labelled allergies (a denied or a relative's allergy
listed as the patient's is a false positive).

    python -m eval.facts generated --home STORE --samples data/samples --seed 7
    python -m eval.facts handlabelled [--set held-out|fresh]
    python -m eval.facts changes      # medication changes, their dates, prescription run-outs
    python -m eval.facts labs         # lab values and flags on hand-labelled reports
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from datetime import date
from pathlib import Path

from carnet.text import fold
from carnet.models import DocMeta, ExtractedDocument, Page
from eval import facts_handlabelled
from eval.facts_handlabelled_dates import DOCUMENTS
from eval.labs_handlabelled import REPORTS
from eval.synthetic import stories, vocab
from index.sqlite import SQLiteStore as Store
from ingest.facts import extract_facts
from ingest.labs import parse_lab_text
from query.synthesis import patient_synthesis


def _word(name: str) -> str:
    words = re.findall(r"[a-z0-9]+", fold(name))
    words = [w for w in words if w not in ("la", "le", "les", "l", "a", "au", "aux", "the")]
    return words[0] if words else ""


def prf(predicted: set, truth: set) -> dict:
    tp = len(predicted & truth)
    return {"precision": round(tp / len(predicted), 3) if predicted else None,
            "recall": round(tp / len(truth), 3) if truth else None,
            "true": len(truth), "predicted": len(predicted), "right": tp,
            "missed": sorted(map(str, truth - predicted)), "extra": sorted(map(str, predicted - truth))}


def generated_truth(samples: Path, seed: int) -> dict[str, dict]:
    """patient -> {"allergies": {substance}, "treatment": {molecule}} from the generator's story state."""

    patients = [json.loads(line)["patient"] for line in (samples / "patients.jsonl").read_text().splitlines() if line]
    out = {}
    for index, pid in enumerate(patients):
        rng = random.Random(f"carnet-synthetic:{seed}:{index}")
        p = stories.make_patient(index, rng)
        stories.plan(p, rng)
        if p.pid != pid:
            raise SystemExit(f"patient {index} replays as {p.pid}, not {pid}: wrong seed?")
        allergies = set()
        for item in p.facts.get("atcd", []):
            m = re.search(r"allergi\w*\s+(?:a|au|aux)\s+(?:la\s+|l')?(\w+)", fold(item))
            if m:
                allergies.add(m.group(1))
        treatment = {_word(vocab.DRUGS[k][0]) for k in p.facts.get("ttt", []) if k in vocab.DRUGS}
        out[pid] = {"allergies": allergies, "treatment": treatment}
    return out


def measure_generated(home: Path, samples: Path, seed: int) -> dict:

    store = Store(home)
    truth = generated_truth(samples, seed)
    pa, ta, pm, tm, pn = set(), set(), set(), set(), set()
    for pid, t in truth.items():
        # the treatment at the end of the record: judged on the day of its latest document
        end = max((d.service_date for d in store.documents(pid) if d.service_date), default=None)
        syn = patient_synthesis(store, pid, today=end)
        pa |= {(pid, _word(a["substance"])) for a in syn["allergies"] if not a.get("none")}
        ta |= {(pid, a) for a in t["allergies"]}
        current = syn["current_treatment"]
        pm |= {(pid, _word(line["name"])) for line in (current or {}).get("lines", [])}
        pn |= {(pid, _word(line["name"])) for line in (current or {}).get("not_restated", [])}
        tm |= {(pid, m) for m in t["treatment"]}
    return {"allergies": prf(pa, ta), "current_treatment": prf(pm, tm),
            "current_treatment_with_not_restated": prf(pm | pn, tm)}


def measure_handlabelled(which: str = "development") -> dict:

    DOCUMENTS = {"held-out": facts_handlabelled.HELD_OUT, "fresh": facts_handlabelled.FRESH}.get(
        which, facts_handlabelled.DOCUMENTS)

    pa, ta, pm, tm, pd, td = set(), set(), set(), set(), set(), set()
    for i, d in enumerate(DOCUMENTS):
        doc = ExtractedDocument(f"hand-{i}.pdf", str(i), (Page(1, d["text"]),))
        meta = DocMeta(type_code=d.get("type_code", "11488-4"), language=d["language"], service_date=date(2025, 1, 1))
        facts = extract_facts(doc, meta)
        pa |= {(i, _word(f.name), f.status) for f in facts if f.kind == "allergy" and f.status != "none"}
        pa |= {(i, "none", "none") for f in facts if f.kind == "allergy" and f.status == "none"}
        ta |= {(i, _word(name), status) for name, status in d.get("allergies", [])}
        meds = [f for f in facts if f.kind == "medication" and f.status in ("active", "started", "changed")
                and f.statement]
        pm |= {(i, _word(f.name)) for f in meds}
        tm |= {(i, _word(name)) for name, _ in d.get("medications", [])}
        pd |= {(i, _word(f.name), fold(f.dose or "").replace(" ", "")) for f in meds}
        td |= {(i, _word(name), fold(dose or "").replace(" ", "")) for name, dose in d.get("medications", [])}
    return {"documents": len(DOCUMENTS), "allergies_with_status": prf(pa, ta), "medications": prf(pm, tm),
            "medications_with_dose": prf(pd, td)}


def measure_changes() -> dict:
    """Medication changes (started / stopped / changed, with their date) and prescription run-out dates on the
    hand-labelled documents of eval/facts_handlabelled_dates.py."""

    pc, tc, pdt, tdt, pe, te = set(), set(), set(), set(), set(), set()
    for i, d in enumerate(DOCUMENTS):
        when = date.fromisoformat(d["date"])
        doc = ExtractedDocument(f"dates-{i}.pdf", str(i), (Page(1, d["text"]),))
        facts = extract_facts(doc, DocMeta(type_code=d["type_code"], language=d["language"], service_date=when))
        changes = [f for f in facts if f.kind == "medication" and f.status in ("started", "stopped", "changed")]
        pc |= {(i, _word(f.name), f.status) for f in changes}
        tc |= {(i, name, status) for name, status, _ in d["changes"]}
        pdt |= {(i, _word(f.name), f.status, ((f.end if f.status == "stopped" else f.start) or when).isoformat())
                for f in changes}
        tdt |= {(i, name, status, day or d["date"]) for name, status, day in d["changes"]}
        pe |= {(i, _word(f.name), f.end.isoformat() if f.end else None)
               for f in facts if f.kind == "medication" and f.statement and d.get("ends")}
        te |= {(i, name, end) for name, end in d.get("ends", [])}
    return {"documents": len(DOCUMENTS), "changes": prf(pc, tc), "changes_with_date": prf(pdt, tdt),
            "prescription_ends": prf(pe, te)}


def measure_labs() -> dict:
    """Lab values and their flags on the hand-labelled reports of eval/labs_handlabelled.py: values as
    (analyte, value), flags as the abnormal ones (analyte, flag), and every labelled value's flag."""

    pv, tv, pf, tf = set(), set(), set(), set()
    right = total = 0
    for i, r in enumerate(REPORTS):
        found = {(v.analyte, v.value): v.flag for v in parse_lab_text(r["text"], ocr=r["ocr"])}
        pv |= {(i, a, v) for a, v in found}
        tv |= {(i, a, v) for a, v, _ in r["labels"]}
        pf |= {(i, a, v, f) for (a, v), f in found.items() if f}
        tf |= {(i, a, v, f) for a, v, f in r["labels"] if f}
        for a, v, f in r["labels"]:
            total += 1
            right += (a, v) in found and found[(a, v)] == f
    return {"reports": len(REPORTS), "values": prf(pv, tv), "abnormal_flags": prf(pf, tf),
            "flag_accuracy": round(right / total, 3) if total else None, "labelled_values": total}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m eval.facts", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generated", help="a store holding a generated corpus against the generator's state")
    g.add_argument("--home", type=Path, required=True)
    g.add_argument("--samples", type=Path, default=Path("data/samples"))
    g.add_argument("--seed", type=int, default=7)
    h = sub.add_parser("handlabelled", help="extraction on the hand-labelled documents")
    h.add_argument("--set", dest="which", choices=("development", "held-out", "fresh"), default="development")
    sub.add_parser("changes", help="medication changes and prescription run-outs on hand-labelled documents")
    sub.add_parser("labs", help="lab values and flags on hand-labelled lab reports")
    args = ap.parse_args(argv)
    result = (measure_generated(args.home, args.samples, args.seed) if args.cmd == "generated"
              else measure_changes() if args.cmd == "changes" else measure_labs() if args.cmd == "labs"
              else measure_handlabelled(args.which))
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
