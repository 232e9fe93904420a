"""Understanding accuracy on hand-written documents in styles the synthetic generator does not use
(other letterheads, English letters, unusual tables...), rendered to real PDFs and extracted.

Thresholds are what was measured, not wishes: see the report printed with `-s`.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from carnet.codes import specialty_group
from ingest.extract import extract_pdf
from ingest.understand import understand

pytestmark = pytest.mark.integration

_spec = importlib.util.spec_from_file_location(
    "handwritten_documents", Path(__file__).parent.parent / "fixtures" / "handwritten" / "documents.py"
)
handwritten = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(handwritten)

# Measured on the 20 documents (written before the rules were tuned on any corpus): first run type 20/20,
# specialty 18/20 (department names on two administrative papers, whose expected specialty is None),
# date 17/17 scored; after the rules were improved on the dev corpus: 20/20, 20/20, 17/17. The floor
# leaves room for one miss per field.
MIN_TYPE, MIN_SPECIALTY, MIN_SPECIALTY_GROUP, MIN_DATE, MIN_NOISE = 0.95, 0.95, 0.95, 0.94, 0.95


def test_handwritten_accuracy(tmp_path):
    docs = handwritten.DOCUMENTS
    assert len(docs) >= 12
    rows = []
    for d in docs:
        path = handwritten.render_pdf(d["text"], tmp_path / f"{d['name']}.pdf")
        meta = understand(extract_pdf(path))
        rows.append((d, meta))
    n = len(rows)
    dated = [(d, m) for d, m in rows if d["service_date"] is not None]
    type_ok = sum(m.type_code == d["type_code"] for d, m in rows) / n
    spec_ok = sum(m.specialty_code == d["specialty_code"] for d, m in rows) / n
    group_ok = sum(specialty_group(m.specialty_code) == specialty_group(d["specialty_code"]) for d, m in rows) / n
    date_ok = sum(str(m.service_date) == d["service_date"] for d, m in dated) / len(dated)
    noise_ok = sum(m.is_noise == d["is_noise"] for d, m in rows) / n
    print(f"\nhand-written ({n} documents): type {type_ok:.0%}, specialty {spec_ok:.0%} (group {group_ok:.0%}), "
          f"date {date_ok:.0%} of {len(dated)}, noise {noise_ok:.0%}")
    for d, m in rows:
        if (m.type_code, m.specialty_code) != (d["type_code"], d["specialty_code"]) or (
                d["service_date"] and str(m.service_date) != d["service_date"]):
            print(f"  {d['name']}: got {m.type_code} {m.specialty_code} {m.service_date}, "
                  f"expected {d['type_code']} {d['specialty_code']} {d['service_date']}")
    assert type_ok >= MIN_TYPE
    assert spec_ok >= MIN_SPECIALTY
    assert group_ok >= MIN_SPECIALTY_GROUP
    assert date_ok >= MIN_DATE
    assert noise_ok >= MIN_NOISE
