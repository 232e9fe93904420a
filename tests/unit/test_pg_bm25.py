"""index/postgres/bm25.py scores and matches as SQLite's FTS5 does (the PostgreSQL store ranks with it).

The reference is FTS5 itself: the same rows in an in-memory FTS5 table with two columns, the same queries,
and the scores compared (bm25() with the key column weighted, single-stem terms: the phrase-count
approximation of multi-stem phrases is the one documented difference).
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass

import pytest

from index.postgres import bm25

pytestmark = pytest.mark.unit

WORDS = "thorac pulmon nodul scann control mois lobe droit gauch cardi echograph normal".split()


@dataclass(frozen=True)
class Term:  # carnet.records.StemTerm's shape
    stems: tuple[str, ...]
    near: int | None = None


@dataclass(frozen=True)
class Query:  # carnet.records.StemQuery's shape
    terms: tuple[Term, ...]
    key_only: bool = False


def _fts5(rows):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(body, key, content='', tokenize='unicode61 remove_diacritics 2')")
    conn.executemany("INSERT INTO t(rowid, body, key) VALUES (?, ?, ?)", [(i, b, k) for i, (b, k) in enumerate(rows)])
    return conn


def _expression(q: Query) -> str:
    parts = []
    for t in q.terms:
        if t.near is None:
            parts.append('"' + " ".join(t.stems) + '"')
        else:
            parts.append("NEAR(" + " ".join(f'"{s}"' for s in t.stems) + f", {t.near})")
    e = " OR ".join(parts)
    return f"key : ({e})" if q.key_only else e


def _ours(rows, q: Query, weight: float):
    terms = bm25.terms_of(q)
    counts: dict[str, int] = {}
    tokens = 0
    for b, k in rows:
        bt, kt = bm25.tokens(b), bm25.tokens(k)
        tokens += len(bt) + len(kt)
        for s in set(bt) | set(kt):
            counts[s] = counts.get(s, 0) + 1
    out = {}
    for i, (b, k) in enumerate(rows):
        bt, kt = bm25.tokens(b), bm25.tokens(k)
        if bm25.matches(bt, kt, terms, q.key_only):
            out[i] = bm25.score(bt, kt, terms, q.key_only, weight, counts, len(rows), tokens)
    return out


def _corpus(seed: int, n: int = 40):
    rnd = random.Random(seed)
    return [(" ".join(rnd.choices(WORDS, k=rnd.randint(3, 30))), " ".join(rnd.choices(WORDS, k=rnd.randint(0, 6))))
            for _ in range(n)]


@pytest.mark.parametrize("seed", range(6))
def test_single_stem_terms_score_as_fts5(seed):
    rows = _corpus(seed)
    conn = _fts5(rows)
    rnd = random.Random(seed)
    for _ in range(10):
        q = Query(tuple(Term((w,)) for w in rnd.sample(WORDS, rnd.randint(1, 4))))
        weight = rnd.choice([1.0, 2.0, 3.5])
        theirs = dict(conn.execute("SELECT rowid, -bm25(t, 1.0, ?) FROM t WHERE t MATCH ?",
                                   [weight, _expression(q)]).fetchall())
        ours = _ours(rows, q, weight)
        assert set(ours) == set(theirs)
        for rowid, score in theirs.items():
            assert ours[rowid] == pytest.approx(score, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_phrases_near_and_key_only_match_the_same_rows_as_fts5(seed):
    rows = _corpus(seed + 100)
    conn = _fts5(rows)
    rnd = random.Random(seed)
    for _ in range(15):
        kind = rnd.choice(["phrase", "near", "mixed"])
        terms = []
        if kind in ("phrase", "mixed"):
            terms.append(Term(tuple(rnd.sample(WORDS, 2))))
        if kind in ("near", "mixed"):
            terms.append(Term(tuple(rnd.sample(WORDS, rnd.randint(2, 3))), near=rnd.randint(0, 6)))
        q = Query(tuple(terms), key_only=rnd.random() < 0.3)
        theirs = {r[0] for r in conn.execute("SELECT rowid FROM t WHERE t MATCH ?", [_expression(q)]).fetchall()}
        assert set(_ours(rows, q, 1.0)) == theirs, _expression(q)


def test_the_sql_prefilter_keeps_every_row_that_matches():
    """The tsquery the store sends holds every stem of each term (AND), the terms OR-ed."""
    terms = bm25.terms_of(Query((Term(("embol", "pulmonair")), Term(("thorac",)), Term(("a", "b"), near=3))))
    assert bm25.tsquery(terms) == "('embol' & 'pulmonair') | ('thorac') | ('a' & 'b')"
    assert bm25.terms_of(Query((Term(("__",)),))) == []  # nothing left to search: no term
