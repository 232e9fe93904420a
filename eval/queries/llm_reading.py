"""The rules' and the local model's reading of the hurried questions, against the meaning written by hand.

    python eval/queries/llm_reading.py --every 4        # every 4th question of label_hurried.QUESTIONS

For each question: does the rules' Interpretation carry the gold meaning's filter (type codes, specialty
group, exam, analyte: the field the meaning names), its order ("latest" unless the meaning asks for all
documents of a period) and its count? The same for the model's reading (query.llm_interpret, validated
against the code lists, as CARNET_INTERPRETER=llm uses it when the rules find no filter), and for the
rules with the model as fallback. Needs the local model (make install-llm); seconds per question on a CPU.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from label_hurried import QUESTIONS  # noqa: E402

TODAY = date(2026, 11, 27)


def reads_right(interp, spec: dict) -> bool:
    if interp is None:
        return False
    if "types" in spec and not set(interp.type_codes) & set(spec["types"]):
        return False
    if "specialty" in spec and spec["specialty"] not in interp.specialty_groups:
        return False
    if "exam" in spec and spec["exam"] not in interp.exam_keys:
        return False
    if "analyte" in spec and not set(interp.analyte_keys) & set(spec["analyte"]):
        return False
    if not spec.get("all") and interp.order != "latest":
        return False
    if spec.get("all") and interp.date_range is None:
        return False
    return spec.get("count") in (None, interp.count) or spec.get("count") == 1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=1, help="take every Nth question")
    parser.add_argument("--questions", type=Path, help="only these hurried questions (one a line)")
    args = parser.parse_args(argv)
    from carnet.config import Settings
    from query.parse import parse_question
    from query.summarize import generated_summarizer

    model = generated_summarizer(Settings())
    if model is None:
        raise SystemExit("the local model is not installed: make install-llm")
    rows = QUESTIONS[::args.every]
    if args.questions:
        wanted = {q.strip() for q in args.questions.read_text(encoding="utf-8").splitlines() if q.strip()}
        rows = [row for row in QUESTIONS if row[0] in wanted]
    rules_right = llm_right = fallback_right = 0
    seconds = []
    for hurried, _, language, spec in rows:
        rules = parse_question(hurried, TODAY)
        t0 = time.perf_counter()
        llm = model.interpret(hurried, TODAY, rules.language)
        seconds.append(time.perf_counter() - t0)
        fallback = rules if rules.has_filters or llm is None else llm
        r, m, f = reads_right(rules, spec), reads_right(llm, spec), reads_right(fallback, spec)
        rules_right += r
        llm_right += m
        fallback_right += f
        print(f"{'R' if r else '-'}{'M' if m else '-'}{'F' if f else '-'}  {hurried}", flush=True)
    n = len(rows)
    seconds.sort()
    print(f"{n} questions: rules {rules_right / n:.3f}, model alone {llm_right / n:.3f}, "
          f"rules with the model as fallback {fallback_right / n:.3f}; model {seconds[n // 2]:.1f} s median, "
          f"{seconds[-1]:.1f} s max a question")


if __name__ == "__main__":
    main()
