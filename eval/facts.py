"""Precision and recall of the clinical facts (allergies, current treatment) against two kinds of truth.

1. A generated corpus (eval/synthetic): the generator's own patient state is the truth. Replaying a
   patient's story with the corpus seed (stories.make_patient + stories.plan, no rendering) gives the
   allergies its past history states and the treatment the patient is on at the end of the record. The
   store must hold that corpus, ingested: the synthesis is compared with it, per patient.
2. Hand-labelled documents in other people's styles (eval/facts_handlabelled.py, written for this
   measure, English and French): extraction is compared with the labels, document by document.

Allergies are matched by substance (first word, folded), medications by molecule or brand (first word,
folded). Statuses are part of the truth for hand-labelled allergies (a denied or a relative's allergy
listed as the patient's is a false positive).

    python -m eval.facts generated --home STORE --samples data/samples --seed 7
    python -m eval.facts handlabelled [--set held-out|fresh]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

from carnet.text import fold


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
    from eval.synthetic import stories, vocab

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
    from index.store import Store
    from query.synthesis import patient_synthesis

    store = Store(home)
    truth = generated_truth(samples, seed)
    pa, ta, pm, tm, pn = set(), set(), set(), set(), set()
    for pid, t in truth.items():
        syn = patient_synthesis(store, pid)
        pa |= {(pid, _word(a["substance"])) for a in syn["allergies"] if not a.get("none")}
        ta |= {(pid, a) for a in t["allergies"]}
        current = syn["current_treatment"]
        pm |= {(pid, _word(line["name"])) for line in (current or {}).get("lines", [])}
        pn |= {(pid, _word(line["name"])) for line in (current or {}).get("not_restated", [])}
        tm |= {(pid, m) for m in t["treatment"]}
    return {"allergies": prf(pa, ta), "current_treatment": prf(pm, tm),
            "current_treatment_with_not_restated": prf(pm | pn, tm)}


def measure_handlabelled(which: str = "development") -> dict:
    from datetime import date

    from carnet.models import DocMeta, ExtractedDocument, Page
    from eval import facts_handlabelled

    DOCUMENTS = {"held-out": facts_handlabelled.HELD_OUT, "fresh": facts_handlabelled.FRESH}.get(
        which, facts_handlabelled.DOCUMENTS)
    from ingest.facts import extract_facts

    pa, ta, pm, tm, pd, td = set(), set(), set(), set(), set(), set()
    for i, d in enumerate(DOCUMENTS):
        doc = ExtractedDocument(f"hand-{i}.pdf", str(i), (Page(1, d["text"]),))
        meta = DocMeta(type_code=d.get("type_code", "11488-4"), language=d["language"], service_date=date(2025, 1, 1))
        facts = extract_facts(doc, meta)
        pa |= {(i, _word(f.name), f.status) for f in facts if f.kind == "allergy" and f.status != "none"}
        pa |= {(i, "none", "none") for f in facts if f.kind == "allergy" and f.status == "none"}
        ta |= {(i, _word(name), status) for name, status in d.get("allergies", [])}
        meds = [f for f in facts if f.kind == "medication" and f.status == "active" and f.statement]
        pm |= {(i, _word(f.name)) for f in meds}
        tm |= {(i, _word(name)) for name, _ in d.get("medications", [])}
        pd |= {(i, _word(f.name), fold(f.dose or "").replace(" ", "")) for f in meds}
        td |= {(i, _word(name), fold(dose or "").replace(" ", "")) for name, dose in d.get("medications", [])}
    return {"documents": len(DOCUMENTS), "allergies_with_status": prf(pa, ta), "medications": prf(pm, tm),
            "medications_with_dose": prf(pd, td)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m eval.facts", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generated", help="a store holding a generated corpus against the generator's state")
    g.add_argument("--home", type=Path, required=True)
    g.add_argument("--samples", type=Path, default=Path("data/samples"))
    g.add_argument("--seed", type=int, default=7)
    h = sub.add_parser("handlabelled", help="extraction on the hand-labelled documents")
    h.add_argument("--set", dest="which", choices=("development", "held-out", "fresh"), default="development")
    args = ap.parse_args(argv)
    result = (measure_generated(args.home, args.samples, args.seed) if args.cmd == "generated"
              else measure_handlabelled(args.which))
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
