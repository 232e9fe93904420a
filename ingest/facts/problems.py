"""Problems: the items of a past-history list and of a letter's conclusion, with their status.

"Antécédents : HTA ; diabète de type 2 ; appendicectomie", a bulleted list under "Antécédents", the
first sentence under "Conclusion" / "Diagnostic de sortie". An item that is an allergy is left to
ingest.facts.allergies; a family-history list gives status "family"; negation, hypothesis and history
come from ingest.facts.assertion.
"""

from __future__ import annotations

import re

from carnet.facts import Fact

from .assertion import status as mention_status
from .blocks import Block

_ITEM_SPLIT = re.compile(r"\s*(?:;|•|▪|(?<=[a-zà-ÿ)])\.\s+(?=[A-ZÀ-Ý]))\s*")
_ALLERGY = re.compile(r"\ballerg|\bintoleran")
# A leading negation or hypothesis cue stays out of the mention so that edsnlp's qualifiers see it as a cue.
_LEADING_CUE = re.compile(r"^(?:pas d[e']|absence d[e']|aucun(?:e)?|sans|non|no|not|suspicion d[e']|possible)\s*",
                          re.IGNORECASE)
_NOTHING = re.compile(r"^(?:aucun|neant|ras|none|nil|sans particularite|pas d'antecedent|no (?:significant|past))")
MAX_ITEM = 120


def _items(text: str) -> list[str]:
    return [i.strip(" .,;:-–•*") for i in _ITEM_SPLIT.split(text) if len(i.strip(" .,;:-–•*")) >= 3]


def extract_problems(blocks: list[Block], language: str) -> list[Fact]:
    facts: list[Fact] = []
    for block in blocks:
        if block.section not in ("antecedents", "conclusion"):
            continue
        family = "famil" in block.heading or "family" in block.heading
        lines = block.lines if block.section == "antecedents" else block.lines[:2]
        for ln in lines:
            for item in _items(ln.text):
                if len(item) > MAX_ITEM:
                    continue
                folded = item.lower()
                if _ALLERGY.search(folded) or _NOTHING.match(folded):
                    continue
                start = ln.text.find(item)
                if family:
                    st = "family"
                else:
                    cue = _LEADING_CUE.match(item)
                    s = start + (cue.end() if cue and cue.end() < len(item) else 0)
                    st = mention_status(ln.text, s, start + len(item), language) if start >= 0 else "active"
                facts.append(Fact("problem", item, status=st, page=ln.page, sentence=ln.text[:400],
                                  section=block.section))
            if block.section == "conclusion" and facts and facts[-1].section == "conclusion":
                break  # the conclusion's first sentence names the problem; the rest is the plan
    return facts
