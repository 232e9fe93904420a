"""Retrieval metrics as pure functions over per-query gold and ranked lists.

Each returns the aggregate and the per-query scores. A query whose gold is empty ("the record holds
no answer") is scored by `no_answer_accuracy` only: it is right when nothing is returned.
"""

from __future__ import annotations

from statistics import mean
from typing import Sequence


def reciprocal_rank(relevant: set[str], ranked: Sequence[str], k: int = 10) -> float:
    for i, r in enumerate(ranked[:k], start=1):
        if r in relevant:
            return 1.0 / i
    return 0.0


def recall_at(relevant: set[str], ranked: Sequence[str], k: int) -> float:
    """Share of the relevant documents found in the first k. Duplicates of one document count once:
    the caller passes gold groups already collapsed (see `collapse_gold`)."""
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


def capped_recall_at(relevant: set[str], ranked: Sequence[str], k: int) -> float:
    """Recall@k out of what k results can hold: |relevant in top k| / min(k, |relevant|). Plain recall@5
    can never reach 1 for "everything about diabetes" (37 relevant documents); this one can."""
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / min(k, len(relevant))


def top1(relevant: set[str], ranked: Sequence[str]) -> float:
    return 1.0 if ranked and ranked[0] in relevant else 0.0


def score_query(relevant: Sequence[str], ranked: Sequence[str], equivalents: dict[str, str] | None = None) -> dict:
    """Scores of one query. `equivalents` maps a source to its canonical source (exact duplicates),
    so that returning either copy of a report sent twice counts as the same answer."""
    canon = (lambda s: (equivalents or {}).get(s, s))
    gold = {canon(s) for s in relevant}
    seen, ranked_canon = set(), []
    for s in ranked:
        c = canon(s)
        if c not in seen:
            seen.add(c)
            ranked_canon.append(c)
    if not gold:
        return {"answerable": False, "no_answer_correct": 1.0 if not ranked_canon else 0.0}
    return {
        "answerable": True,
        "top1": top1(gold, ranked_canon),
        "mrr@10": reciprocal_rank(gold, ranked_canon, 10),
        "recall@5": recall_at(gold, ranked_canon, 5),
        "recall@10": recall_at(gold, ranked_canon, 10),
        "capped_recall@5": capped_recall_at(gold, ranked_canon, 5),
    }


def aggregate(scores: Sequence[dict]) -> dict:
    answerable = [s for s in scores if s["answerable"]]
    empty = [s for s in scores if not s["answerable"]]
    out: dict = {"queries": len(scores)}
    for key in ("top1", "mrr@10", "recall@5", "recall@10", "capped_recall@5"):
        out[key] = round(mean(s[key] for s in answerable), 4) if answerable else None
    out["no_answer_accuracy"] = round(mean(s["no_answer_correct"] for s in empty), 4) if empty else None
    return out
