"""Allergies: the substance, the reaction, and "no known allergy" as a stated fact.

Read in two places: the items of an allergies section ("Allergies : pénicilline (urticaire), iode"), and an
allergy named in any sentence ("allergique à l'aspirine", "allergy to latex", "penicillin allergy"), which is
how past-history lists and letters usually state it. "Aucune allergie connue", "pas d'allergie", "NKDA",
"allergies : néant" are kept as a fact of their own (status "none"): the record *says* there is none. Whether
a sentence denies the allergy, prêtes it to a relative or only suspects it is left to ingest.facts.assertion.
"""

from __future__ import annotations

import re

from carnet.facts import Fact

from .assertion import status as mention_status
from .blocks import Block, Line

# "aucune allergie connue", "pas d'allergie", "allergies : néant / 0 / non", "NKDA", "no known drug allergies"
_NONE = re.compile(
    r"\b(?:aucune?\s+allergies?(?:\s+(?:connue|medicamenteuse)s?)?(?!\s+(?:a|au|aux)\s)"
    r"|pas\s+d'allergies?(?:\s+(?:connue|medicamenteuse)s?)?(?!\s+(?:a|au|aux)\s)"
    r"|allergies?\s*(?:connues?|medicamenteuses?)?\s*:\s*(?:aucune?|neant|non|0|ras|none|nil|nkda)\b"
    r"|sans\s+allergies?\s+connues?|nkda|nka|no\s+known\s+(?:drug\s+|medication\s+)?allerg(?:y|ies)"
    r"|no\s+(?:drug\s+)?allerg(?:y|ies)(?!\s+to\s)|denies\s+(?:any\s+)?(?:drug\s+|medication\s+)?allerg(?:y|ies)"
    r"|allerg(?:y|ies)\s*:\s*none)"
)
# A section item that says "none"
_NONE_ITEM = re.compile(r"^(?:aucune?|neant|non|0|ras|none|nil|nkda|nka|non connues?|pas d'allergies?|"
                        r"aucune connue|no known(?: drug)? allerg\w*)\b")
# An allergy named in a sentence: "allergie à la pénicilline", "allergique aux sulfamides", "allergy to latex",
# "allergic to nuts", "intolérance à ..." (the substance follows)
_TO_SUBSTANCE = re.compile(
    r"\b(?:allergies?|allergiques?|intolerances?|hypersensibilite|allerg(?:y|ies|ic)|hypersensitivity|intolerance)"
    r"(?:\s+(?:connue|medicamenteuse|severe|grave|vraie|documentee|alimentaire|croisee|known|severe|documented|"
    r"(?P<doubt>suspectee|probable|possible|suspected|presumed|presumee|supposee)))*"
    r"\s+(?:a\s+la\s+|a\s+l'|aux\s+|au\s+|a\s+|to\s+(?:the\s+)?)(?P<what>[^.;:()\n]+)"
)
# "penicillin allergy", "latex allergy" (English puts the substance first)
_SUBSTANCE_FIRST = re.compile(r"\b(?P<what>[a-z][a-z\-]{2,}(?:\s+[a-z][a-z\-]{2,})?)\s+allerg(?:y|ies)\b(?!\s+to\b)")
_NOT_SUBSTANCE_FIRST = re.compile(r"^(?:no|known|drug|any|food|the|of|and|or|severe|seasonal|new|with|without|"
                                  r"allergies|allergy|suspected|possible|probable|history|with|an?|has|had|have|"
                                  r"reports?|reported|denies|confirmed|documented|her|his|their)$")
# The reaction: in brackets after the substance, or after "avec", "à type de", "with", "causing", "-"
_REACTION_AFTER = re.compile(
    r"^\s*(?:\((?P<paren>[^()]{2,60})\)|(?:->|→|[-–:]|avec|a type d[e']|ayant (?:donne|entraine)|manifestee? par|"
    r"with|causing|resulting in|->)\s*(?P<word>[^.;,()\n]{2,60}))"
)
_MORE_AFTER_REACTION = re.compile(r"\s*(?:,|et|and)\s+(?:a\s+la\s+|a\s+l'|aux\s+|au\s+|a\s+|to\s+)(?P<what>[^.;:()\n]+)")
# Words that end a substance list item ("pénicilline depuis l'enfance", "aspirine et AINS")
_ITEM_END = re.compile(r"\s+(?:depuis|since|en\s+\d{4}|in\s+\d{4}|ayant|avec|with|type|lors|during|chez|"
                       r"suspecte\w*|probable|possible|douteuse?|suspected|confirme\w*|documente\w*)\b.*$")
_SPLIT = re.compile(r"\s*(?:,|\bet\b(?:\s+(?:a|aux?|à)\s+(?:la\s+|l')?)?|\band\b(?:\s+to\s+)?|/|\+)\s*")
_GENERIC = re.compile(r"^(?:connue?s?|medicamenteuses?|alimentaires?|la|le|les|un|une|des|l|d|the|a)$")


def _clean(name: str) -> str:
    name = _ITEM_END.sub("", name).strip(" -–,.'\"")
    return re.sub(r"^(?:la|le|les|l'|aux?|a|the)\s+", "", name).strip()


_SENTENCE_END = re.compile(r"[.;!?]\s+(?=\S)")


def _original(line: Line, start: int, end: int) -> str:
    return line.original(start, end)


def _reaction(line: Line, end: int) -> str | None:
    m = _REACTION_AFTER.match(line.folded[end:])
    if not m:
        return None
    group = "paren" if m.group("paren") else "word"
    s, e = m.span(group)
    return _original(line, end + s, end + e).strip() or None


def _fact(line: Line, block: Block, name: str, status: str, reaction: str | None) -> Fact:
    return Fact("allergy", name, status=status, reaction=reaction, page=line.page, sentence=line.text[:400],
                section=block.section)


def _substances(line: Line, block: Block, start: int, end: int, language: str, forced: str | None = None,
                listing: bool = False) -> list[Fact]:
    """One fact per substance of the list line.folded[start:end] ("pénicilline et sulfamides"). In a sentence
    the list ends at its first comma ("allergie au latex, à explorer"); in an allergies section commas
    separate items."""
    out = []
    pos = start
    if not listing:
        comma = line.folded.find(",", start, end)
        end = comma if comma >= 0 else end
    for part in _SPLIT.split(line.folded[start:end]):
        if not part:
            continue
        s = line.folded.find(part, pos)
        if s < 0:
            continue
        pos = s + len(part)
        e = s + len(_ITEM_END.sub("", part))  # the mention ends before "depuis ...", "suspectée"
        name = _clean(_original(line, s, e))
        if len(name) < 3 or _GENERIC.match(name.lower()) or _NONE_ITEM.match(name.lower()):
            continue
        st = forced or mention_status(line.text if len(line.text) == len(line.folded) else line.folded, s, e, language)
        out.append(_fact(line, block, name, st, _reaction(line, e)))
    return out


def _items(folded: str) -> list[tuple[int, int]]:
    """Spans of a section line's items: split at commas and semicolons outside brackets, each item cut
    before its bracket (the reaction)."""
    spans, depth, start = [], 0, 0
    for i, c in enumerate(folded + ";"):
        depth += c == "("
        depth -= c == ")" and depth > 0
        if depth == 0 and c in ",;.":
            spans.append((start, i))
            start = i + 1
    out = []
    for s, e in spans:
        cuts = [c for c in (folded.find("(", s, e), folded.find(" -", s, e), folded.find(" :", s, e),
                            folded.find("→", s, e)) if c >= 0]
        e = min(cuts) if cuts else e  # the reaction follows: "(urticaire)", "- vomiting", "-> bronchospasme"
        while s < e and folded[s] == " ":
            s += 1
        if e - s >= 3:
            out.append((s, e))
    return out


def extract_allergies(blocks: list[Block], language: str, family_section: bool = False) -> list[Fact]:
    facts: list[Fact] = []
    for block in blocks:
        family = "famil" in block.heading
        for line in block.lines:
            f = line.folded
            if _NONE.search(f):
                # the record says there is none; a substance named after the negation, in the same sentence, is
                # a negated allergy ("pas d'allergie à l'iode"); the other sentences are read on their own ("Pas
                # d'allergie médicamenteuse connue. Probable allergie aux acariens.")
                cuts = [0] + [m.end() for m in _SENTENCE_END.finditer(f)] + [len(f)]
                if len(cuts) > 2:
                    for a, b in zip(cuts, cuts[1:]):
                        part = Line(line.page, line.original(a, b), f[a:b])
                        facts += extract_allergies([Block(block.section, block.heading, (part,))], language)
                    continue
                facts.append(_fact(line, block, "aucune allergie connue", "family" if family else "none", None))
                for m in _TO_SUBSTANCE.finditer(f):
                    if not _NONE_ITEM.match(m.group("what").strip()):
                        facts += _substances(line, block, m.start("what"), m.end("what"), language, forced="negated")
                continue
            if block.section == "allergies":
                if _NONE_ITEM.match(f):
                    facts.append(_fact(line, block, "aucune allergie connue", "none", None))
                    continue
                if _TO_SUBSTANCE.search(f):  # a sentence, not a list: "patient reports an allergy to X (rash)"
                    facts += extract_allergies([Block(None, "", (line,))], language)
                    continue
                # every item of the section is a substance (with its reaction in brackets)
                for s, e in _items(f):
                    item = f[s:e]
                    if _NONE.search(item) or _SUBSTANCE_FIRST.search(item) or re.search(r"\ballerg", item):
                        # a sentence among the items ("No latex allergy", "pas d'allergie à l'iode")
                        sentence = Line(line.page, line.original(s, e), item)
                        facts += extract_allergies([Block(None, "", (sentence,))], language)
                        continue
                    m = _TO_SUBSTANCE.match(f, s)
                    s = m.start("what") if m else s
                    facts += _substances(line, block, s, e, language, forced="family" if family else None,
                                         listing=True)
                continue
            for m in _TO_SUBSTANCE.finditer(f):
                # "allergie suspectée au nickel": the doubt sits between the word and the substance
                facts += _substances(line, block, m.start("what"), m.end("what"), language,
                                     forced="family" if family else "hypothetical" if m.group("doubt") else None)
                after = _REACTION_AFTER.match(f[m.end("what"):])
                if after and after.group("paren"):  # "... (œdème de Quincke) et aux sulfamides"
                    more = _MORE_AFTER_REACTION.match(f, m.end("what") + after.end())
                    if more:
                        facts += _substances(line, block, more.start("what"), more.end("what"), language,
                                             forced="family" if family else None)
            if language == "en":
                for m in _SUBSTANCE_FIRST.finditer(f):
                    words = m.group("what").split()
                    while words and _NOT_SUBSTANCE_FIRST.match(words[0]):
                        words.pop(0)
                    if not words:
                        continue
                    s = m.end("what") - len(" ".join(words))
                    facts += _substances(line, block, s, m.end("what"), language, forced="family" if family else None)
    return facts
