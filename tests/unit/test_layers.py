"""No project import inside a function, in the product packages and in eval/ (outside the product, but held
to the same rule): a hidden import is how a cycle between layers stays unseen (import-linter reads every
import, this test keeps them at the top where a reader sees them). Heavy third-party libraries may still
load lazily."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("carnet", "index", "ingest", "query", "service", "api", "cli")
PROJECT = set(PRODUCT) | {"eval"}
CHECKED = (*PRODUCT, "eval")


def _in_function_project_imports(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.ImportFrom):
                targets = ["." if node.level else (node.module or "")]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            if any(t == "." or t.split(".")[0] in PROJECT for t in targets):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_no_project_import_sits_inside_a_function():
    files = [p for package in CHECKED for p in (ROOT / package).rglob("*.py")]
    assert len(files) > 50  # the walk found the packages
    assert ROOT / "eval" / "bench.py" in files
    hidden = [hit for p in files for hit in _in_function_project_imports(p)]
    assert hidden == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from carnet.text import fold\n    import json\n    return fold, json\n")
    assert _in_function_project_imports(sample, tmp_path) == ["sample.py:2"]
