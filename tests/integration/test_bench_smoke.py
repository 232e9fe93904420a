"""`python -m eval.bench --quick --embedders hashing` runs end to end and writes the expected tables."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration


def test_bench_quick_writes_markdown(tmp_path):
    output = tmp_path / "bench.md"
    proc = subprocess.run(
        [sys.executable, "-m", "eval.bench", "--quick", "--embedders", "hashing", "--no-load", "--output", str(output)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = output.read_text(encoding="utf-8")
    for heading in ("# Carnet benchmarks", "## Ingest throughput", "pages/s", "chunks/s", "Where the time goes",
                    "## Ask latency and memory as the corpus grows", "p95 ms", "p99 ms", "peak RSS MB",
                    "other core busy", "### Memory over many different patients", "Command: `python -m eval.bench"):
        assert heading in text, heading
    assert "| hashing-256 |" in text
    result = json.loads(output.with_suffix(".json").read_text())
    assert [row["store"]["patients"] - row["store"]["real_patients"] for row in result["scale"]] == [50, 300]
    for row in result["scale"]:
        assert row["cached"]["n"] == 20 and row["cached"]["p95"] is not None
        assert row["peak_rss_mb"] > 0
        assert row["many_patients"]["patients"] == 20
    assert result["ingest"][0]["added"] == 7 and result["ingest"][0]["failed"] == 0
    assert not list(tmp_path.glob("carnet-bench-*"))  # the work directory is in /tmp and removed
