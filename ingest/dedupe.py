"""Near-duplicate detection: MinHash signatures of word shingles.

`fingerprint(text)` -> "mh1:<flag>:<64 x 8 hex digits>": 64 MinHash values of the document's word
3-shingles (words folded: lower case, no accents; numbers kept, since two lab reports of the same
template differ mostly by their values). `flag` is "c" when the text declares itself a corrected or
replacing version ("annule et remplace", "version corrigée", "addendum", "erratum", "corrected report"),
else "-". `similarity(a, b)` estimates the Jaccard similarity of the two shingle sets.

Two documents are near duplicates when they have the same type (when both are known), the same date of
the act (when both are known) and a similarity of at least NEAR_DUPLICATE_THRESHOLD — or at least
CORRECTED_VERSION_THRESHOLD when one of them says it corrects/replaces a report. The caller (the store)
links them; the most recent version is canonical.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import numpy as np

from carnet.text import fold

NUM_PERM = 64
SHINGLE = 3
# Estimated Jaccard similarity of word 3-shingles. Re-sending the same report (other PDF producer,
# other header/footer) scores ~0.85-1.0; a corrected version with a few changed words ~0.7-0.9; two
# reports of one template for different acts score lower and are also separated by their act dates.
NEAR_DUPLICATE_THRESHOLD = 0.8
CORRECTED_VERSION_THRESHOLD = 0.5
_PREFIX = "mh1"
_WORD = re.compile(r"\w+")
_CORRECTION = re.compile(
    r"annule et remplace|annule(\s+et)?\s+remplace|version corrigee|compte[- ]rendu corrige|rectificati\w*|addendum|erratum|"
    r"corrected (report|version)|amended report|supersedes|compte[- ]rendu modifie|modifie le compte[- ]rendu"
)
_MASK64 = (1 << 64) - 1
_rng = np.random.default_rng(20240601)  # fixed: signatures must stay comparable across runs
_A = (_rng.integers(1, 2**63 - 1, size=NUM_PERM, dtype=np.uint64) | np.uint64(1)).reshape(-1, 1)  # odd multipliers
_B = _rng.integers(0, 2**63 - 1, size=NUM_PERM, dtype=np.uint64).reshape(-1, 1)
_EMPTY = "ffffffff" * NUM_PERM


def _shingles(text: str) -> set[str]:
    words = _WORD.findall(fold(text))
    if len(words) < SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def fingerprint(text: str) -> str:
    """MinHash signature of the text's word shingles, with its correction flag, as a string."""
    flag = "c" if _CORRECTION.search(fold(text)) else "-"
    shingles = _shingles(text)
    if not shingles:
        return f"{_PREFIX}:{flag}:{_EMPTY}"
    h = np.fromiter(
        (int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little") for s in shingles),
        dtype=np.uint64, count=len(shingles),
    )
    with np.errstate(over="ignore"):
        mixed = (_A * h.reshape(1, -1) + _B) >> np.uint64(32)  # multiply-shift hashing, one row per permutation
    sig = mixed.min(axis=1).astype(np.uint32)
    return f"{_PREFIX}:{flag}:" + "".join(f"{int(v):08x}" for v in sig)


def _parse(fp: str) -> tuple[bool, str]:
    parts = fp.split(":")
    if len(parts) != 3 or parts[0] != _PREFIX or len(parts[2]) != 8 * NUM_PERM:
        raise ValueError(f"not a Carnet fingerprint: {fp[:20]!r}")
    return parts[1] == "c", parts[2]


def similarity(fp_a: str, fp_b: str) -> float:
    """Estimated Jaccard similarity (0..1) of the two documents' shingle sets."""
    _, a = _parse(fp_a)
    _, b = _parse(fp_b)
    if a == _EMPTY or b == _EMPTY:
        return 1.0 if a == b else 0.0
    same = sum(a[i:i + 8] == b[i:i + 8] for i in range(0, len(a), 8))
    return same / NUM_PERM


def is_correction(fp: str) -> bool:
    """Whether the fingerprinted text says it corrects or replaces an earlier report."""
    return _parse(fp)[0]


def _get(meta: Any, name: str) -> Any:
    if meta is None:
        return None
    if isinstance(meta, dict):
        return meta.get(name)
    return getattr(meta, name, None)


def is_near_duplicate(fp_a: str, meta_a: Any, fp_b: str, meta_b: Any) -> bool:
    """Same document in another version? `meta_*` are DocMeta objects or store rows (dicts)."""
    type_a, type_b = _get(meta_a, "type_code"), _get(meta_b, "type_code")
    if type_a and type_b and type_a != type_b:
        return False
    date_a, date_b = _get(meta_a, "service_date"), _get(meta_b, "service_date")
    if date_a and date_b and str(date_a)[:10] != str(date_b)[:10]:
        return False
    threshold = CORRECTED_VERSION_THRESHOLD if (is_correction(fp_a) or is_correction(fp_b)) else NEAR_DUPLICATE_THRESHOLD
    return similarity(fp_a, fp_b) >= threshold
