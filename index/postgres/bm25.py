"""SQLite FTS5's bm25() over stemmed chunks, computed in Python for the PostgreSQL store.

PostgreSQL's ts_rank is not BM25: ranked by it, a question would get other chunks first than on SQLite,
and so other documents. The store therefore asks PostgreSQL for the patient's chunks that may match (a
tsquery over the stored tsvectors, within the patient), then matches and scores them here exactly as FTS5
does (sqlite/ext/fts5/fts5_aux.c, fts5Bm25Function):

    score = sum over the query's phrases of  idf * f * (k1 + 1) / (f + k1 * (1 - b + b * D / avgdl))

with k1 = 1.2, b = 0.75, f the phrase's hits in the chunk weighted by column (body 1, key `key_weight`),
D the chunk's tokens in both columns, avgdl the corpus's mean, and idf = log((N - n + 0.5) / (n + 0.5))
(1e-6 when not positive) over the whole corpus: N chunks, n of them holding the phrase. The corpus counts
come from the store's statistics tables (index/postgres/schema.py). One difference: for a phrase of several
stems n is the smallest count of its stems (FTS5 counts the chunks holding the whole phrase; the store keeps
counts of stems only), so a phrase's idf can be a little lower than SQLite's.
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


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


@dataclass(frozen=True)
class Phrase:
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class Term:
    """One OR-ed item of a query: a phrase, or (near set) phrases all within `near` tokens of each other."""

    phrases: tuple[Phrase, ...]
    near: int | None = None


def terms_of(query) -> list[Term]:
    """The Terms of a carnet.records.StemQuery (its stems tokenized as FTS5 tokenizes a quoted string)."""
    out = []
    for t in query.terms:
        if t.near is None:
            toks = tuple(x for s in t.stems for x in tokens(s))
            if toks:
                out.append(Term((Phrase(toks),)))
        else:
            phrases = tuple(Phrase(tuple(tokens(s))) for s in t.stems if tokens(s))
            if phrases:
                out.append(Term(phrases, t.near))
    return list(dict.fromkeys(out))


def tsquery(terms: Sequence[Term]) -> str:
    """A tsquery that every chunk the terms match satisfies (an AND of each term's tokens, OR-ed): the SQL
    pre-filter; phrases and NEAR windows are checked here, on the tokens."""
    parts = []
    for t in terms:
        toks = dict.fromkeys(x for p in t.phrases for x in p.tokens)
        parts.append("(" + " & ".join(f"'{x}'" for x in toks) + ")")
    return " | ".join(parts)


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


def matches(body: Sequence[str], key: Sequence[str], terms: Sequence[Term], key_only: bool) -> bool:
    columns = (key,) if key_only else (body, key)
    return any(_term_in(c, t) for t in terms for c in columns)


def idf(n: int, total: int) -> float:
    value = math.log((total - n + 0.5) / (n + 0.5)) if total else 0.0
    return value if value > 0 else 1e-6


def phrase_count(phrase: Phrase, counts: Mapping[str, int]) -> int:
    return min(counts.get(t, 0) for t in phrase.tokens)


def score(body: Sequence[str], key: Sequence[str], terms: Sequence[Term], key_only: bool, key_weight: float,
          counts: Mapping[str, int], total_chunks: int, total_tokens: int) -> float:
    """FTS5's bm25() of one chunk (higher is better here; FTS5 returns its negative)."""
    avgdl = total_tokens / total_chunks if total_chunks else 1.0
    length = len(body) + len(key)
    result = 0.0
    for t in terms:
        for p in t.phrases:
            f = 0.0 if key_only else float(len(_starts(body, p)))
            f += key_weight * len(_starts(key, p))
            if f:
                n = phrase_count(p, counts)
                result += idf(n, total_chunks) * f * (K1 + 1) / (f + K1 * (1 - B + B * length / avgdl))
    return result
