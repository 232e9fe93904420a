"""Assembling the model from its parts: order, hash check, marker, deletion on mismatch."""

from __future__ import annotations

import hashlib
import os

import pytest

import query.llm_model as lm

pytestmark = pytest.mark.unit


@pytest.fixture
def parts(tmp_path, monkeypatch):
    data = [os.urandom(1000 + i) for i in range(3)]
    files = []
    for i, blob in enumerate(data, start=1):
        f = tmp_path / "parts" / f"part{i:02d}.bin"
        f.parent.mkdir(exist_ok=True)
        f.write_bytes(blob)
        files.append(f)
    monkeypatch.setenv("CARNET_MODELS", str(tmp_path / "models"))
    monkeypatch.setattr(lm, "part_files", lambda: files)
    monkeypatch.setattr(lm, "MODEL_SHA256", hashlib.sha256(b"".join(data)).hexdigest())
    return data


def test_model_dir_follows_env(tmp_path, monkeypatch):
    monkeypatch.setenv("CARNET_MODELS", str(tmp_path))
    assert lm.model_path() == tmp_path / lm.MODEL_FILENAME


def test_assemble_joins_in_order_and_marks(parts):
    path = lm.ensure_model()
    assert path.read_bytes() == b"".join(parts)
    assert lm.has_valid_marker(path)


def test_verified_file_is_not_rehashed(parts, monkeypatch):
    path = lm.ensure_model()
    monkeypatch.setattr(lm, "sha256_of", lambda p: pytest.fail("re-hashed a verified file"))
    assert lm.ensure_model() == path


def test_changed_file_is_rehashed_and_deleted_on_mismatch(parts):
    path = lm.ensure_model()
    path.write_bytes(b"tampered")
    assert not lm.has_valid_marker(path)
    with pytest.raises(lm.ModelUnavailable, match="deleted"):
        lm.ensure_model()
    assert not path.exists()


def test_bad_parts_leave_no_file(parts, monkeypatch):
    monkeypatch.setattr(lm, "MODEL_SHA256", "0" * 64)
    with pytest.raises(lm.ModelUnavailable, match="expected 0000"):
        lm.ensure_model()
    assert not any(lm.models_dir().iterdir())


def test_missing_package_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("CARNET_MODELS", str(tmp_path))
    monkeypatch.setattr(lm, "part_distribution", lambda i: f"carnet-no-such-package-{i}")
    with pytest.raises(lm.ModelUnavailable, match="carnet-no-such-package-1==0.2.0 is not installed"):
        lm.ensure_model()


def test_cli_has_help(capsys):
    with pytest.raises(SystemExit):
        lm.main(["--help"])
    assert "Example: python -m query.llm_model install" in capsys.readouterr().out
