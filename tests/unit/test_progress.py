"""Progress for a log file: one line per tenth, each with the time left."""

from __future__ import annotations

import pytest

from cli.progress import TenthsReporter

pytestmark = pytest.mark.unit


def test_one_line_per_tenth_with_an_eta():
    lines = []
    r = TenthsReporter(228, lines.append)
    for _ in range(228):
        r.advance()
    assert len(lines) == 10
    assert lines[0].startswith(" 10 % (23/228 files)") and "left" in lines[0]
    assert lines[-1].startswith("100 % (228/228 files)") and "left" not in lines[-1]


def test_fewer_items_than_tenths_still_report_each_step_once():
    lines = []
    r = TenthsReporter(3, lines.append)
    for _ in range(3):
        r.advance()
    assert [ln.split(" %")[0].strip() for ln in lines] == ["33", "66", "100"]
