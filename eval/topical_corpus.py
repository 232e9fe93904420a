"""The hand-written topical test corpus: write it as `<root>/<patient>/<name>.pdf`.

Patients: H00 holds the first 20 hand-written documents (tests/fixtures/handwritten/documents.py, one
document per fictional person, filed here as one record), T01 and T02 the multi-document records of
tests/fixtures/handwritten/topical_records.py. The questions with their hand-set gold answers are in
eval/queries/topical_handwritten.jsonl.

    python -m eval.topical_corpus ROOT
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "handwritten"
QUESTIONS = Path(__file__).resolve().parent / "queries" / "topical_handwritten.jsonl"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"handwritten_{name}", FIXTURES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def documents() -> list[dict]:
    """Every document of the topical corpus with its patient folder."""
    original = _module("documents")
    records = _module("topical_records")
    return [{**d, "patient": "H00"} for d in original.DOCUMENTS] + list(records.DOCUMENTS)


def write_corpus(root: Path | str) -> int:
    """Render every document to `<root>/<patient>/<name>.pdf`; returns how many were written."""
    render_pdf = _module("documents").render_pdf
    root = Path(root)
    docs = documents()
    for d in docs:
        folder = root / d["patient"]
        folder.mkdir(parents=True, exist_ok=True)
        render_pdf(d["text"], folder / f"{d['name']}.pdf")
    return len(docs)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m eval.topical_corpus ROOT")
    print(f"{write_corpus(sys.argv[1])} documents written to {sys.argv[1]}")
