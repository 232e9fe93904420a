"""SQLite FTS5's MATCH and bm25(), evaluated in Python over one patient's chunks, for the PostgreSQL store.

The query code (query/retrieve.py) speaks FTS5: it hands the store MATCH expressions built by index/terms.py
(quoted stems and phrases OR-ed, `NEAR("a" "b", n)`, a `key :` column filter). PostgreSQL's tsquery has no
NEAR and its ts_rank is not BM25, so the store asks PostgreSQL only for a superset, the patient's chunks whose
tsvector holds every token of one of the terms (`tsquery`), and this module decides the match exactly as
FTS5 does (phrases, NEAR windows, the column filter) and scores it as fts5Bm25Function does
(sqlite/ext/fts5/fts5_aux.c):

    score = sum over the query's phrases of  idf * f * (k1 + 1) / (f + k1 * (1 - b + b * D / avgdl))

with k1 = 1.2, b = 0.75, f the phrase's hits in the chunk weighted by column (body 1, key `key_weight`),
D the chunk's tokens in both columns, avgdl their mean and idf = log((N - n + 0.5) / (n + 0.5)) (1e-6 when
not positive), N chunks of which n hold the phrase. The store passes the patient's own N, n and avgdl: the
statistics of one patient stay on the patient's shard (FTS5 counts the whole table; the default ranking,
query/retrieve.py's `_patient_bm25`, uses only `match` and the patient's chunk count, so it is the same).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

K1 = 1.2
B = 0.75
# FTS5's unicode61 tokenizer: letters and digits make tokens, anything else (the underscore too) separates.
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_ITEM = re.compile(r'\s*(?:(?P<column>\w+)\s*:\s*)?(?:(?P<near>NEAR\s*\()|"(?P<phrase>(?:[^"]|"")*)")')
_NEAR_END = re.compile(r'\s*(?:,\s*(?P<n>\d+)\s*)?\)')
_PHRASE = re.compile(r'\s*"(?P<phrase>(?:[^"]|"")*)"')
_OR = re.compile(r"\s+OR\s+")
COLUMNS = ("body", "key")  # the stemmed index's columns; the folded index has one, `text`


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


@dataclass(frozen=True)
class Phrase:
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class Term:
    """One OR-ed item of a MATCH: a phrase, or (near set) phrases all within `near` tokens of each other;
    `column` restricts it to one column ("key"), None to any."""

    phrases: tuple[Phrase, ...]
    near: int | None = None
    column: str | None = None


class UnsupportedMatch(ValueError):
    """A MATCH expression outside the subset the query code builds (quoted phrases, NEAR, a column filter, OR)."""


def parse(match: str) -> list[Term]:
    """The Terms of an FTS5 expression of the subset index/terms.py writes; phrases with no token dropped."""
    terms: list[Term] = []
    pos, text = 0, match.strip()
    while pos < len(text):
        m = _ITEM.match(text, pos)
        if m is None:
            raise UnsupportedMatch(f"cannot read the MATCH expression at {text[pos:pos + 30]!r}")
        column = m.group("column")
        pos = m.end()
        if m.group("near"):
            phrases = []
            while (p := _PHRASE.match(text, pos)) is not None:
                phrases.append(Phrase(tuple(tokens(p.group("phrase")))))
                pos = p.end()
            end = _NEAR_END.match(text, pos)
            if end is None:
                raise UnsupportedMatch(f"unclosed NEAR in {text!r}")
            pos = end.end()
            kept = tuple(p for p in phrases if p.tokens)
            if kept:
                terms.append(Term(kept, int(end.group("n") or 10), column))
        else:
            phrase = Phrase(tuple(tokens(m.group("phrase"))))
            if phrase.tokens:
                terms.append(Term((phrase,), None, column))
        if pos < len(text):
            sep = _OR.match(text, pos)
            if sep is None:
                raise UnsupportedMatch(f"only OR joins terms; cannot read {text[pos:pos + 30]!r}")
            pos = sep.end()
    return list(dict.fromkeys(terms))


def tsquery(terms: Sequence[Term]) -> str | None:
    """A tsquery (`simple` configuration) that every chunk the terms match satisfies: each term's tokens
    AND-ed, the terms OR-ed (the SQL pre-filter; phrases, NEAR and columns are checked here)."""
    parts = []
    for t in terms:
        toks = dict.fromkeys(x for p in t.phrases for x in p.tokens)
        parts.append("(" + " & ".join(f"'{x}'" for x in toks) + ")")
    return " | ".join(parts) or None


def _starts(column: Sequence[str], phrase: Phrase) -> list[int]:
    n = len(phrase.tokens)
    first = phrase.tokens[0]
    return [i for i, tok in enumerate(column) if tok == first and tuple(column[i:i + n]) == phrase.tokens]


def _near(column: Sequence[str], term: Term) -> bool:
    """FTS5's NEAR: one instance of each phrase such that the tokens between the end of the first and the
    start of the last are at most `near`."""
    instances = []  # (start, end, phrase index)
    for k, p in enumerate(term.phrases):
        instances += [(s, s + len(p.tokens) - 1, k) for s in _starts(column, p)]
    instances.sort()
    latest: dict[int, tuple[int, int]] = {}
    for start, end, k in instances:
        latest[k] = (start, end)
        if len(latest) == len(term.phrases):
            first_end = min(e for _, e in latest.values())
            if start - first_end - 1 <= term.near:
                return True
    return False


def _term_in(column: Sequence[str], term: Term) -> bool:
    if term.near is None:
        return bool(_starts(column, term.phrases[0]))
    return _near(column, term)


def _columns(columns: Mapping[str, Sequence[str]], term: Term) -> list[Sequence[str]]:
    if term.column is None:
        return list(columns.values())
    if term.column not in columns:
        raise UnsupportedMatch(f"no column {term.column!r} (columns: {', '.join(columns)})")
    return [columns[term.column]]


def matches(columns: Mapping[str, Sequence[str]], terms: Sequence[Term]) -> bool:
    """Whether a row (its tokens by column) matches the OR of `terms`."""
    return any(_term_in(c, t) for t in terms for c in _columns(columns, t))


def holds(columns: Mapping[str, Sequence[str]], term: Term, phrase: Phrase) -> bool:
    """Whether a row holds `phrase` where `term` looks for it (FTS5's count of rows holding a phrase)."""
    return any(_starts(c, phrase) for c in _columns(columns, term))


def idf(n: int, total: int) -> float:
    value = math.log((total - n + 0.5) / (n + 0.5)) if total else 0.0
    return value if value > 0 else 1e-6


def score(columns: Mapping[str, Sequence[str]], terms: Sequence[Term], weights: Mapping[str, float],
          rows_holding: Mapping[Phrase, int], total_rows: int, total_tokens: int) -> float:
    """FTS5's bm25() of one row (higher is better here; FTS5 returns its negative). `weights`: by column
    (1 when not given); `rows_holding`: how many rows hold each phrase."""
    avgdl = total_tokens / total_rows if total_rows else 1.0
    length = sum(len(c) for c in columns.values())
    result = 0.0
    for t in terms:
        names = list(columns) if t.column is None else [t.column]
        for p in t.phrases:
            f = sum(weights.get(name, 1.0) * len(_starts(columns[name], p)) for name in names)
            if f:
                result += idf(rows_holding.get(p, 0), total_rows) * f * (K1 + 1) / (
                    f + K1 * (1 - B + B * length / avgdl))
    return result


def rank(rows: Mapping[int, Mapping[str, Sequence[str]]], terms: Sequence[Term], weights: Mapping[str, float],
         total_rows: int, total_tokens: int, limit: int) -> list[tuple[int, float]]:
    """BM25 of the rows (id -> tokens by column) that match, best first (ties by id), at most `limit`."""
    matched = {i: cols for i, cols in rows.items() if matches(cols, terms)}
    holding: dict[Phrase, int] = {}
    for t in terms:
        for p in t.phrases:
            holding.setdefault(p, sum(1 for cols in matched.values() if holds(cols, t, p)))
    scored = [(i, score(cols, terms, weights, holding, total_rows, total_tokens)) for i, cols in matched.items()]
    scored.sort(key=lambda x: (-x[1], x[0]))
    return scored[:limit]
