"""How ambiguous short forms were read, against the hurried labels (eval/queries/label_hurried.py `either`).

For each labelled question with an "ambiguity" field, the question is read in the patient's record
(`Searcher.interpret(..., patient_id=...)`, query/ambiguity.py) and compared with the label: the reading
taken (its position, 0 = the commonest) and whether the answer says the question is ambiguous (label
"usage": several or none of the readings have documents in that record) or that the record decided
("record"). The label reads the truth file; Carnet reads its own understanding of the documents, so a
disagreement is either the mechanism or the document understanding (an exam tag, a specialty) under it.

    python -m eval.ambiguity eval/queries/hurried.jsonl --home H [--embedder hashing] [--today 2026-11-27]
"""

from __future__ import annotations

import argparse
from collections import Counter
from datetime import date
from pathlib import Path

from eval.runner import read_queries
from carnet.config import Settings
from service.facade import Carnet


def measure(queries_path: Path, home: Path, embedder: str, today: date) -> dict:

    carnet = Carnet(Settings(home=home, embedder=embedder, summary_mode="none"))
    rows = [q for q in read_queries(queries_path) if "ambiguity" in q]
    outcome: Counter[str] = Counter()
    misses = []
    for q in rows:
        interp = carnet.searcher.interpret(q["query"], today, patient_id=q["patient"])
        (a,) = interp.ambiguities[:1] or (None,)
        taken = None if a is None else [r.choice for r in a.readings].index(a.chosen)
        said = None if a is None else ("usage" if a.unresolved else "record")
        outcome["reading right"] += taken == q["reading"]
        outcome["ambiguity right"] += said == q["ambiguity"]
        outcome[f"label {q['ambiguity']}"] += 1
        outcome[f"label {q['ambiguity']}, said so"] += said == q["ambiguity"]
        if taken != q["reading"] or said != q["ambiguity"]:
            misses.append((q["id"], q["query"], q["ambiguity"], q["reading"], said, taken,
                           None if a is None else a.documents))
    return {"questions": len(rows), **outcome, "misses": misses}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queries", type=Path)
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--embedder", default="e5")
    parser.add_argument("--today", default="2026-11-27")
    args = parser.parse_args(argv)
    result = measure(args.queries, args.home, args.embedder, date.fromisoformat(args.today))
    n = result["questions"]
    print(f"{n} labelled questions with an ambiguous short form")
    for key in ("reading right", "ambiguity right", "label record", "label record, said so", "label usage",
                "label usage, said so"):
        print(f"  {key}: {result.get(key, 0)}")
    for miss in result["misses"]:
        print("  miss: id {} {!r}: label {} reading {}; Carnet {} reading {} documents {}".format(*miss))


if __name__ == "__main__":
    main()
