"""The support check of generated sentences: every sentence the model writes must cite an existing source,
every number in it must occur in that source, at least 60 % of its content words (folded, lightly stemmed)
must occur there, and a negation needs a negation in the source. Whatever the model does, a kept sentence
restates words the cited page contains.

`split_claims` reads the model's output into sentences with the tags they cite, `verify_claims` keeps
those one cited source supports alone and gives the reason for the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Sequence

from carnet.text import fold
from carnet.words import MONTH_NAMES_EN, MONTH_NAMES_FR, NEGATIONS, SUPPORT_STOP_WORDS, prefix_stem
from query.llm_prompt import Source

MIN_WORD_SUPPORT = 0.6  # share of a sentence's content words that must occur in the cited source

_STOPWORDS = SUPPORT_STOP_WORDS
_NEGATIONS = NEGATIONS
_MONTHS = (MONTH_NAMES_FR, MONTH_NAMES_EN)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_WORD = re.compile(r"[a-z]+")
_TAG_GROUP = re.compile(r"\[([^\[\]]{1,40})\]")
_TAG = re.compile(r"\bS(\d{1,2})\b", re.IGNORECASE)
_PAGE_REF = re.compile(r"\(?\b(?:p|page)\.?\s?\d+\)?", re.IGNORECASE)
_DATE_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")


def _stem(word: str) -> str:
    return prefix_stem(word, drop_plural=True)


def content_words(text: str) -> set[str]:
    words = _WORD.findall(fold(text))
    return {_stem(w) for w in words if len(w) >= 3 and w not in _STOPWORDS and w not in _NEGATIONS}


def numbers(text: str) -> set[str]:
    found = set()
    for raw in _NUMBER.findall(text):
        try:
            value = Decimal(raw.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the regex only matches numbers
            continue
        found.add(format(value.normalize(), "f"))
    return found


def _has_negation(text: str) -> bool:
    return any(w in _NEGATIONS for w in _WORD.findall(fold(text)))


@dataclass(frozen=True)
class SupportIndex:
    """What a source offers as support: its content words, its numbers, whether it negates anything."""

    words: frozenset[str]
    numbers: frozenset[str]
    negation: bool

    @classmethod
    def of(cls, text: str) -> "SupportIndex":
        words = set(content_words(text))
        folded = fold(text)
        nums = numbers(text)
        for month_index, names in enumerate(zip(*_MONTHS), start=1):  # "12 mars" supports "12/03"
            if any(re.search(rf"\b{n}\b", folded) for n in names):
                nums.add(str(month_index))
        for _, month, _ in _DATE_NUMERIC.findall(text):  # "12/03/2024" supports "mars"
            if 1 <= int(month) <= 12:
                words.update(_stem(names[int(month) - 1]) for names in _MONTHS)
        return cls(frozenset(words), frozenset(nums), _has_negation(text))


@dataclass(frozen=True)
class SupportResult:
    supported: bool
    reason: str  # "ok", "no-content", "number:<n>", "words:<ratio>", "negation"
    word_ratio: float = 0.0


def check_support(sentence: str, source_text: str | SupportIndex, *, min_ratio: float = MIN_WORD_SUPPORT) -> SupportResult:
    """Whether a sentence (citation tags removed) only says what the source says, by words and numbers."""
    index = source_text if isinstance(source_text, SupportIndex) else SupportIndex.of(source_text)
    words = content_words(sentence)
    if not words:
        return SupportResult(False, "no-content")
    for n in sorted(numbers(sentence)):
        if n not in index.numbers:
            return SupportResult(False, f"number:{n}")
    ratio = len(words & index.words) / len(words)
    if ratio < min_ratio:
        return SupportResult(False, f"words:{ratio:.2f}", ratio)
    if _has_negation(sentence) and not index.negation:
        return SupportResult(False, "negation", ratio)
    return SupportResult(True, "ok", ratio)


@dataclass(frozen=True)
class Claim:
    text: str  # the sentence as shown, citation tags and page references removed
    tags: tuple[str, ...]  # "S1", ... in the order written


_ABBREVIATIONS = re.compile(r"(?:\b(?:dr|pr|m|mme|mr|mrs|cf|env|vs|p|n°|no)\.)$", re.IGNORECASE)
_TAG_AFTER_STOP = re.compile(r"([.!?])\s*((?:\[[^\[\]]*\bS\d{1,2}\b[^\[\]]*\][ \t]*)+)", re.IGNORECASE)
_LIST_MARK = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")


_TAG_SPAN = re.compile(r"\[[^\[\]]*\bS\d{1,2}\b[^\[\]]*\]", re.IGNORECASE)
_LEADING_TAG = re.compile(r"^\s*(?:(?:[-*•]|\d{1,2}[.)])\s*)?\[[^\[\]]*\bS\d{1,2}\b[^\[\]]*\]", re.IGNORECASE)


def _sentences(line: str) -> list[str]:
    pieces: list[str] = []
    for piece in re.split(r"(?<=[.!?])\s+", _LIST_MARK.sub("", line).strip()):
        if pieces and _ABBREVIATIONS.search(pieces[-1]):  # "Dr. Martin" is one sentence
            pieces[-1] = pieces[-1] + " " + piece
        elif piece.strip():
            pieces.append(piece.strip())
    return pieces


def _tags_in(text: str) -> list[str]:
    return [f"S{int(n)}" for group in _TAG_GROUP.findall(text) for n in _TAG.findall(group)]


def _claim(piece: str, tags: Sequence[str]) -> Claim | None:
    plain = _TAG_GROUP.sub(lambda m: "" if _TAG.search(m.group(1)) else m.group(0), piece)
    plain = _PAGE_REF.sub("", plain)
    plain = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(plain.split())).strip(" ,;:-")
    return Claim(plain, tuple(dict.fromkeys(tags))) if plain else None


def split_claims(output: str) -> list[Claim]:
    """Sentences of the model's output, each with the source tags it cites.

    Two styles are read. Leading tags ("[S1] Phrase. [S2] Phrase.", what the local model is constrained
    to write): a tag covers the sentences up to the next tag or the end of the line. Trailing tags
    ("Phrase [S1]. Phrase. [S2]"): a sentence cites the tags inside it or right after its full stop.
    """
    claims: list[Claim | None] = []
    if _LEADING_TAG.match(output):
        for line in output.splitlines():
            spans = list(_TAG_SPAN.finditer(line))
            head = line[: spans[0].start()] if spans else line
            claims.extend(_claim(p, ()) for p in _sentences(head))
            pending: list[str] = []
            for i, m in enumerate(spans):
                pending.extend(_tags_in(m.group(0)))
                body = line[m.end():spans[i + 1].start() if i + 1 < len(spans) else len(line)]
                if body.strip(" .,;:"):  # else consecutive tags: "[S1] [S2] Phrase"
                    claims.extend(_claim(p, pending) for p in _sentences(body))
                    pending = []
        return [c for c in claims if c is not None]
    text = _TAG_AFTER_STOP.sub(lambda m: " " + m.group(2).strip() + m.group(1) + " ", output)  # "X. [S1]" -> "X [S1]."
    for line in text.splitlines():
        claims.extend(_claim(p, _tags_in(p)) for p in _sentences(line))
    return [c for c in claims if c is not None]


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    source: Source | None  # the source that supports it, when kept
    reason: str


def verify_claims(claims: Sequence[Claim], sources: Sequence[Source]) -> list[Verdict]:
    """Keep a claim when one of the sources it cites supports it alone; give the reason otherwise."""
    by_tag = {s.tag: s for s in sources}
    indexes = {s.tag: SupportIndex.of(s.text + " " + s.header) for s in sources}
    verdicts = []
    for claim in claims:
        if not claim.tags:
            verdicts.append(Verdict(claim, None, "no-citation"))
            continue
        known = [t for t in claim.tags if t in by_tag]
        if not known:
            verdicts.append(Verdict(claim, None, "unknown-source"))
            continue
        reason = "unsupported"
        for tag in known:
            result = check_support(claim.text, indexes[tag])
            if result.supported:
                verdicts.append(Verdict(claim, by_tag[tag], "ok"))
                break
            reason = result.reason
        else:
            verdicts.append(Verdict(claim, None, reason))
    return verdicts


def counts_as_sentence(claim: Claim) -> bool:
    """Fragments such as 'Réponse :' are ignored; anything with two content words counts when dropped."""
    return bool(claim.tags) or len(content_words(claim.text)) >= 2
