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
from carnet.config import Settings
from query.llm_interpret import rejected
from query.parse import parse_question
from query.summarize import generated_summarizer

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

    model = generated_summarizer(Settings())
    if model is None:
        raise SystemExit("the local model is not installed: make install-llm")
    t0 = time.perf_counter()
    model.load()
    print(f"model loaded in {time.perf_counter() - t0:.1f} s", flush=True)
    rows = QUESTIONS[::args.every]
    if args.questions:
        wanted = {q.strip() for q in args.questions.read_text(encoding="utf-8").splitlines() if q.strip()}
        rows = [row for row in QUESTIONS if row[0] in wanted]
    rules_right = llm_right = fallback_right = asked = 0
    model_worse = fallback_worse = model_better = unparsed = with_rejects = emptied = 0
    calls = []
    for hurried, _, language, spec in rows:
        rules = parse_question(hurried, TODAY)
        stats: dict = {}
        llm = model.interpret(hurried, TODAY, rules.language, stats=stats)
        calls.append(stats)
        fallback = rules if rules.has_filters or llm is None else llm
        asked += not rules.has_filters
        r, m, f = reads_right(rules, spec), reads_right(llm, spec), reads_right(fallback, spec)
        rules_right += r
        llm_right += m
        fallback_right += f
        model_worse += r and not m
        model_better += m and not r
        fallback_worse += r and not f
        drops = rejected(stats.get("raw")) if stats else ["no answer"]
        unparsed += not stats.get("parsed")
        with_rejects += bool(drops) and bool(stats.get("parsed"))
        emptied += bool(stats.get("parsed")) and llm is None and bool(drops)
        print(f"{'R' if r else '-'}{'M' if m else '-'}{'F' if f else '-'}  {hurried}  "
              f"[{stats.get('evaluated_tokens', '?')}/{stats.get('prompt_tokens', '?')} tokens read, "
              f"{stats.get('completion_tokens', '?')} written, {stats.get('seconds', 0):.1f} s]"
              + (f"  dropped: {'; '.join(drops)}" if drops else ""), flush=True)
    n = len(rows)
    later = sorted(c.get("seconds", 0.0) for c in calls[1:]) or [0.0]
    read = sorted(c.get("evaluated_tokens", 0) for c in calls[1:]) or [0]
    first = calls[0] if calls else {}
    print(f"{n} questions: right: rules {rules_right} ({rules_right / n:.3f}), model alone {llm_right} "
          f"({llm_right / n:.3f}), rules with the model as fallback {fallback_right} ({fallback_right / n:.3f}); "
          f"the fallback would ask the model on {asked}.")
    print(f"model alone: worse than the rules on {model_worse}, better on {model_better}; the fallback made "
          f"{fallback_worse} worse. Validation: {unparsed} answers not a JSON object, {with_rejects} with codes, "
          f"dates or counts dropped, {emptied} whose reading was discarded as no valid filter was left.")
    print(f"cost: first question {first.get('evaluated_tokens', 0)} prompt tokens read, {first.get('seconds', 0):.1f} s; "
          f"then median {read[len(read) // 2]} tokens read (of {first.get('prompt_tokens', 0)}), "
          f"{later[len(later) // 2]:.1f} s median, {later[-1]:.1f} s max a question")


if __name__ == "__main__":
    main()
