"""index/postgres/fts.py matches and scores FTS5 expressions as SQLite's FTS5 does (the PostgreSQL store
decides its matches and BM25 with it).

The reference is FTS5 itself: the same rows in an in-memory FTS5 table with two columns, the same MATCH
strings (the shapes index/terms.py writes: quoted stems and phrases, NEAR, a `key :` filter, OR), the
matched rows and bm25() compared.
"""

from __future__ import annotations

import random
import sqlite3

import pytest

from index.postgres import fts

pytestmark = pytest.mark.unit

WORDS = "thorac pulmon nodul scann control mois lobe droit gauch cardi echograph normal".split()


def _fts5(rows):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(body, key, content='', tokenize='unicode61 remove_diacritics 2')")
    conn.executemany("INSERT INTO t(rowid, body, key) VALUES (?, ?, ?)", [(i, b, k) for i, (b, k) in enumerate(rows)])
    return conn


def _ours(rows, match: str, weight: float) -> dict[int, float]:
    table = {i: {"body": fts.tokens(b), "key": fts.tokens(k)} for i, (b, k) in enumerate(rows)}
    tokens = sum(len(c["body"]) + len(c["key"]) for c in table.values())
    return dict(fts.rank(table, fts.parse(match), {"body": 1.0, "key": weight}, len(rows), tokens, limit=10**6))


def _corpus(seed: int, n: int = 40):
    rnd = random.Random(seed)
    return [(" ".join(rnd.choices(WORDS, k=rnd.randint(3, 30))), " ".join(rnd.choices(WORDS, k=rnd.randint(0, 6))))
            for _ in range(n)]


def _quoted(*stems: str) -> str:
    return '"' + " ".join(stems) + '"'


@pytest.mark.parametrize("seed", range(6))
def test_stems_and_phrases_score_as_fts5(seed):
    rows = _corpus(seed)
    conn = _fts5(rows)
    rnd = random.Random(seed)
    for _ in range(12):
        terms = [_quoted(w) for w in rnd.sample(WORDS, rnd.randint(1, 4))]
        if rnd.random() < 0.5:
            terms.append(_quoted(*rnd.sample(WORDS, 2)))
        if rnd.random() < 0.3:
            terms[0] = f"key : {terms[0]}"
        match = " OR ".join(terms)
        weight = rnd.choice([1.0, 2.0, 3.5])
        theirs = dict(conn.execute("SELECT rowid, -bm25(t, 1.0, ?) FROM t WHERE t MATCH ?", [weight, match]).fetchall())
        ours = _ours(rows, match, weight)
        assert set(ours) == set(theirs), match
        for rowid, value in theirs.items():
            assert ours[rowid] == pytest.approx(value, rel=1e-9, abs=1e-12), match


@pytest.mark.parametrize("seed", range(6))
def test_near_and_column_filters_match_the_same_rows_as_fts5(seed):
    rows = _corpus(seed + 100)
    conn = _fts5(rows)
    rnd = random.Random(seed)
    for _ in range(20):
        terms = []
        if rnd.random() < 0.6:
            terms.append(_quoted(*rnd.sample(WORDS, 2)))
        near = "NEAR(" + " ".join(_quoted(w) for w in rnd.sample(WORDS, rnd.randint(2, 3))) + f", {rnd.randint(0, 6)})"
        terms.append(f"key : {near}" if rnd.random() < 0.3 else near)
        match = " OR ".join(terms)
        theirs = {r[0] for r in conn.execute("SELECT rowid FROM t WHERE t MATCH ?", [match]).fetchall()}
        assert set(_ours(rows, match, 1.0)) == theirs, match


def test_the_sql_prefilter_keeps_every_token_of_each_term():
    terms = fts.parse('"embol pulmonair" OR key : "thorac" OR NEAR("a" "b", 3)')
    assert fts.tsquery(terms) == "('embol' & 'pulmonair') | ('thorac') | ('a' & 'b')"
    assert [t.column for t in terms] == [None, "key", None] and terms[2].near == 3
    assert fts.parse('"__"') == [] and fts.tsquery([]) is None  # nothing left to search: no term


@pytest.mark.parametrize("bad", ['"a" AND "b"', '("a" OR "b")', '"a" "b"', 'NEAR("a" "b", 2', "a*"])
def test_an_expression_outside_the_subset_is_refused_by_name(bad):
    with pytest.raises(fts.UnsupportedMatch):
        fts.parse(bad)
