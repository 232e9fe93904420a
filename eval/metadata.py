"""Metadata evaluation: how often document understanding gets type, specialty, date and noise right.

`evaluate_metadata(predicted, truth)` is a pure function over rows keyed by `source`;
`format_metadata_report(result)` renders it as Markdown; `understand_folder(root)` extracts and
understands every `<root>/<patient>/**/*.pdf` (and CDA .xml) so the rules can be measured without the
rest of the pipeline. Run: `python -m eval.metadata ROOT [--truth ROOT/truth.jsonl]`.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from carnet.codes import specialty_group
from carnet.errors import UnreadableDocument
from ingest.cda import read_cda_document
from ingest.cda_render import cda_to_document
from ingest.dedupe import fingerprint
from ingest.dedupe import is_correction, is_near_duplicate
from ingest.extract import extract_pdf
from ingest.sources import read_sidecar
from ingest.understand import understand

FIELDS = ("type_code", "specialty_code", "service_date", "is_noise")


def _norm(field: str, value: Any) -> Any:
    if value in ("", None):
        return None
    if field == "service_date":
        return value.isoformat() if isinstance(value, date) else str(value)[:10]
    if field == "specialty_code":
        return str(value).rsplit("/", 1)[-1]
    if field == "is_noise":
        return bool(value)
    return value


def evaluate_metadata(predicted: list[dict], truth: list[dict]) -> dict:
    """Accuracy of type, specialty (exact code and group), service date and noise over the truth rows.

    A truth row without a prediction counts as wrong on every field. Noise is scored on the rows that
    are not byte-identical copies (truth `duplicate_of`): exact copies are recognised by content hash
    in the store, not by reading them; near duplicates (an older version of a corrected report) are
    noise to be found. Returns counts, accuracies, the per-row errors and a confusion table of type
    errors (truth -> predicted, most frequent first).
    """
    by_source = {row["source"]: row for row in predicted}
    exact = {t["source"] for t in truth if t.get("duplicate_of")} | {t["duplicate_of"] for t in truth if t.get("duplicate_of")}
    correct: Counter = Counter()
    errors: list[dict] = []
    confusion: Counter = Counter()
    missing = 0
    for t in truth:
        p = by_source.get(t["source"])
        if p is None:
            missing += 1
            errors.append({"source": t["source"], "field": "*", "truth": None, "predicted": None,
                           "note": "no prediction"})
            continue
        for field in FIELDS:
            if field == "is_noise" and t["source"] in exact:
                continue
            tv, pv = _norm(field, t.get(field)), _norm(field, p.get(field))
            if tv == pv:
                correct[field] += 1
            else:
                errors.append({"source": t["source"], "field": field, "truth": tv, "predicted": pv})
                if field == "type_code":
                    confusion[(tv, pv)] += 1
        tg = specialty_group(_norm("specialty_code", t.get("specialty_code")))
        pg = specialty_group(_norm("specialty_code", p.get("specialty_code")))
        if tg == pg:
            correct["specialty_group"] += 1
    n = len(truth)
    n_noise = sum(1 for t in truth if t["source"] not in exact)

    def acc(field: str) -> float:
        total = n_noise if field == "is_noise" else n
        return round(correct[field] / total, 4) if total else 0.0

    return {
        "n": n,
        "missing": missing,
        "type_accuracy": acc("type_code"),
        "specialty_accuracy": acc("specialty_code"),
        "specialty_group_accuracy": acc("specialty_group"),
        "service_date_accuracy": acc("service_date"),
        "noise_accuracy": acc("is_noise"),
        "errors": errors,
        "type_confusion": [{"truth": tv, "predicted": pv, "count": c} for (tv, pv), c in confusion.most_common()],
    }


def format_metadata_report(result: dict, max_errors: int = 40) -> str:
    lines = [
        f"Metadata accuracy on {result['n']} documents" + (f" ({result['missing']} without prediction)" if result["missing"] else ""),
        "",
        "| field | accuracy |",
        "|---|---|",
        f"| type | {result['type_accuracy']:.1%} |",
        f"| specialty (exact code) | {result['specialty_accuracy']:.1%} |",
        f"| specialty (group) | {result['specialty_group_accuracy']:.1%} |",
        f"| service date | {result['service_date_accuracy']:.1%} |",
        f"| noise | {result['noise_accuracy']:.1%} |",
    ]
    if result["type_confusion"]:
        lines += ["", "Type errors (truth -> predicted):", "", "| truth | predicted | count |", "|---|---|---|"]
        lines += [f"| {c['truth']} | {c['predicted']} | {c['count']} |" for c in result["type_confusion"]]
    if result["errors"]:
        lines += ["", f"Errors ({len(result['errors'])}, first {min(max_errors, len(result['errors']))}):", "",
                  "| source | field | truth | predicted |", "|---|---|---|---|"]
        lines += [f"| {e['source']} | {e['field']} | {e['truth']} | {e['predicted']} |" for e in result["errors"][:max_errors]]
    return "\n".join(lines)


def meta_row(source: str, meta: Any) -> dict:
    """A prediction row from a DocMeta."""
    return {
        "source": source,
        "type_code": meta.type_code,
        "type_confidence": meta.type_confidence,
        "specialty_code": meta.specialty_code,
        "specialty_confidence": meta.specialty_confidence,
        "service_date": meta.service_date.isoformat() if meta.service_date else None,
        "date_confidence": meta.date_confidence,
        "is_noise": meta.is_noise,
        "noise_reason": meta.noise_reason,
        "title": meta.title,
        "author": meta.author,
        "organisation": meta.organisation,
        "language": meta.language,
        "exam_keys": list(meta.exam_keys),
        "analyte_keys": list(meta.analyte_keys),
        "sections": [s.name for s in meta.sections],
        "metadata_source": meta.metadata_source,
    }


def understand_folder(root: Path | str, *, ocr: bool = True, timings: dict | None = None) -> list[dict]:
    """Extract + understand every `<root>/<patient>/**/*.pdf` (and CDA `.xml`); `source` is the path
    relative to root. Unreadable files give a row with `error` set and no metadata."""

    root = Path(root)
    rows: list[dict] = []
    spent = {"extract": 0.0, "understand": 0.0, "documents": 0}
    files = sorted(p for p in root.glob("*/**/*") if p.suffix.lower() in (".pdf", ".xml") and p.is_file())
    for path in files:
        source = path.relative_to(root).as_posix()
        try:
            t0 = time.perf_counter()
            if path.suffix.lower() == ".xml":  # CDA level 1 (embedded PDF) or 3 (rendered body)

                doc, overrides, _ = cda_to_document(read_cda_document(path.read_bytes(), path.name), path.name,
                                                    max_bytes=50_000_000, ocr=ocr)
            else:
                overrides = read_sidecar(path)
                doc = extract_pdf(path, ocr=ocr)
            t1 = time.perf_counter()
            meta = understand(doc, overrides or None)
            t2 = time.perf_counter()
        except UnreadableDocument as e:
            rows.append({"source": source, "error": str(e)})
            continue
        spent["extract"] += t1 - t0
        spent["understand"] += t2 - t1
        spent["documents"] += 1
        row = meta_row(source, meta)
        row["_sha256"], row["_fingerprint"], row["_patient"] = doc.sha256, fingerprint(doc.text), source.split("/", 1)[0]
        rows.append(row)
    mark_duplicates(rows)
    for row in rows:
        for key in ("_sha256", "_fingerprint", "_patient"):
            row.pop(key, None)
    if timings is not None:
        timings.update(spent)
    return rows


def mark_duplicates(rows: list[dict]) -> None:
    """What the store does at ingest, for measuring without it: per patient, a byte-identical copy is a
    duplicate of the first file; near duplicates (ingest.dedupe) form a group whose canonical member is
    the one that says it corrects/replaces a report, else the latest act, else the last file; the others
    become noise ("older version")."""

    seen: dict[tuple[str, str], str] = {}
    live = []
    for row in rows:
        if "_sha256" not in row:
            continue
        key = (row["_patient"], row["_sha256"])
        if key in seen:
            row.update(duplicate_of=seen[key], is_noise=True, noise_reason="exact duplicate")
            continue
        seen[key] = row["source"]
        live.append(row)
    for i, a in enumerate(live):
        for b in live[i + 1:]:
            if a["_patient"] != b["_patient"] or not is_near_duplicate(a["_fingerprint"], a, b["_fingerprint"], b):
                continue
            rank = lambda r: (is_correction(r["_fingerprint"]), r["service_date"] or "", r["source"])  # noqa: E731
            older, newer = sorted((a, b), key=rank)
            older.update(near_duplicate_of=newer["source"], is_noise=True, noise_reason="older version")
            newer.setdefault("near_duplicate_of", older["source"])


def read_jsonl(path: Path | str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Measure document understanding against a truth file.",
                                     epilog="Example: python -m eval.metadata data/samples --truth data/samples/truth.jsonl")
    parser.add_argument("root", type=Path, help="folder of <patient>/**/*.pdf")
    parser.add_argument("--truth", type=Path, help="truth.jsonl (default: ROOT/truth.jsonl)")
    parser.add_argument("--no-ocr", action="store_true")
    parser.add_argument("--errors", type=int, default=40, help="how many errors to list")
    args = parser.parse_args(argv)
    truth_path = args.truth or args.root / "truth.jsonl"
    timings: dict = {}
    predicted = understand_folder(args.root, ocr=not args.no_ocr, timings=timings)
    result = evaluate_metadata(predicted, read_jsonl(truth_path))
    print(format_metadata_report(result, args.errors))
    n = max(1, timings.get("documents", 0))
    print(f"\n{timings.get('documents', 0)} documents: extract {1000 * timings['extract'] / n:.1f} ms/doc, "
          f"understand {1000 * timings['understand'] / n:.1f} ms/doc")
    return 0


if __name__ == "__main__":
    sys.exit(main())
