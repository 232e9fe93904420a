"""Synthetic corpus generator: determinism, truth/PDF consistency, labelled questions."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import date
from pathlib import Path

import pymupdf
import pytest

from carnet.codes import specialty_group
from eval.synthetic.generator import generate_corpus
from eval.synthetic.vocab import date_variants

KINDS = {"latest-type", "latest-specialty", "latest-exam", "date-scoped", "topical", "counted", "no-answer"}
NOT_A_REPORT = {"57833-6", "ADMIN", "87273-9", "89601-9"}
ROOT = Path(__file__).resolve().parents[2]


def _digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synthetic") / "a"
    summary = generate_corpus(out, patients=2, seed=11)
    assert summary["patients"] == 2 and summary["documents"] > 20
    return out


def _match(r: dict, e: dict) -> bool:  # independent re-implementation of the question filters
    if e.get("type_codes") and r["type_code"] not in e["type_codes"]:
        return False
    if e.get("specialty_group") and (r["type_code"] in NOT_A_REPORT or specialty_group(r["specialty_code"]) != e["specialty_group"]):
        return False
    if e.get("exam") and e["exam"] not in r["exam_keys"]:
        return False
    if e.get("analyte") and e["analyte"] not in [v["analyte"] for v in r["lab_values"]]:
        return False
    if e.get("topic") and e["topic"] not in r["topics"]:
        return False
    return e.get("date_from", "0000") <= r["service_date"] <= e.get("date_to", "9999")


@pytest.mark.unit
def test_same_seed_same_bytes(corpus: Path, tmp_path: Path) -> None:
    generate_corpus(tmp_path / "b", patients=2, seed=11)
    assert _digest(corpus) == _digest(tmp_path / "b")


@pytest.mark.unit
def test_truth_matches_pdfs(corpus: Path) -> None:
    truth = _jsonl(corpus / "truth.jsonl")
    patients = {p["patient"] for p in _jsonl(corpus / "patients.jsonl")}
    sources = {r["source"] for r in truth}
    assert len(sources) == len(truth)
    pdfs = {str(p.relative_to(corpus)) for p in corpus.rglob("*.pdf")}
    assert pdfs == sources
    for r in truth:
        assert r["patient"] in patients and r["source"].startswith(r["patient"] + "/")
        assert re.fullmatch(r"P\d{4}/[0-9a-f]{8}\.pdf", r["source"])
        date.fromisoformat(r["service_date"])
        with pymupdf.open(corpus / r["source"]) as doc:
            assert len(doc) == r["pages"]
            text = " ".join(" ".join(page.get_text().split()) for page in doc)
        if r["scanned"]:
            assert text.strip() == "", r["source"]
            continue
        d = date.fromisoformat(r["service_date"])
        assert any(v in text for v in date_variants(d)), (r["source"], r["service_date"])
        letters = "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())
        for lv in r["lab_values"]:
            assert lv["flag"] in ("H", "L", None)
            # the truth lists only values the document shows (a table the layout dropped is not one of them)
            assert "".join(ch for ch in lv["label"] if ch.isalnum()) in letters, (r["source"], lv["label"])
        if r["duplicate_of"]:
            assert r["is_noise"]
            assert (corpus / r["source"]).read_bytes() == (corpus / r["duplicate_of"]).read_bytes()
        if r["near_duplicate_of"]:
            other = next(o for o in truth if o["source"] == r["near_duplicate_of"])
            assert other["service_date"] == r["service_date"] and other["is_noise"] != r["is_noise"]
    assert any(r["type_code"] == "11502-2" and r["lab_values"] for r in truth)


@pytest.mark.unit
def test_queries_are_consistent(corpus: Path) -> None:
    truth = _jsonl(corpus / "truth.jsonl")
    queries = _jsonl(corpus / "queries.jsonl")
    by_src = {r["source"]: r for r in truth}
    assert queries and {q["kind"] for q in queries} <= KINDS
    for q in queries:
        assert q["lang"] in ("fr", "en") and q["query"]
        recs = [r for r in truth if r["patient"] == q["patient"]]
        for s in q["relevant"]:
            assert s in by_src and by_src[s]["patient"] == q["patient"]
        e = q["expect"]
        canon = sorted((r for r in recs if not r["is_noise"] and _match(r, e)), key=lambda r: r["service_date"], reverse=True)
        if q["kind"] == "no-answer":
            assert q["relevant"] == [] and not any(_match(r, e) for r in recs), q
            continue
        assert q["relevant"], q
        first = by_src[q["relevant"][0]]
        if q["kind"].startswith("latest"):
            assert first["source"] == canon[0]["source"], q
            assert all(by_src[s]["duplicate_of"] == first["source"] for s in q["relevant"][1:]), q
            assert len(canon) == 1 or canon[1]["service_date"] < canon[0]["service_date"]
        if q["kind"] == "counted":
            assert [s for s in q["relevant"] if not by_src[s]["is_noise"]] == [r["source"] for r in canon[: e["count"]]]
        if q["kind"] in ("date-scoped", "topical"):
            assert {s for s in q["relevant"] if not by_src[s]["is_noise"]} == {r["source"] for r in canon}
        for s in q["relevant"]:  # superseded versions are never an answer
            assert not (by_src[s]["near_duplicate_of"] and by_src[s]["is_noise"])


@pytest.mark.unit
def test_committed_samples_cover_every_kind() -> None:
    path = ROOT / "eval" / "queries" / "samples.jsonl"
    if not path.exists():
        pytest.skip("samples not generated yet")
    queries = _jsonl(path)
    assert len(queries) >= 150
    assert {q["kind"] for q in queries} == KINDS
    assert {q["lang"] for q in queries} == {"fr", "en"}
    truth = {r["source"]: r for r in _jsonl(ROOT / "data" / "samples" / "truth.jsonl")}
    for q in queries:
        assert all(truth[s]["patient"] == q["patient"] for s in q["relevant"])
