"""`make test` runs the coverage-guided fuzzer (tests/fuzz/fuzz_inputs.py) for a fixed number of inputs with a
fixed seed: it fails with the input that raised anything but a CarnetError."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNS = 100_000


def test_question_and_fhir_parameters_survive_coverage_guided_fuzzing(tmp_path):
    # -rss_limit_mb=0: libFuzzer reads the peak RSS from getrusage, which a process started from pytest
    # inherits across exec (3 GB once the models are loaded); its own check would then stop at the first input.
    proc = subprocess.run([sys.executable, "-m", "tests.fuzz.fuzz_inputs", f"-runs={RUNS}", "-seed=1",
                           "-max_len=512", "-len_control=10", f"-artifact_prefix={tmp_path}/", "-rss_limit_mb=0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-4000:]
    assert f"Done {RUNS} runs" in log, log[-2000:]  # libFuzzer's own count: the inputs were really run
    assert not list(tmp_path.iterdir()), "a crashing input was written"
