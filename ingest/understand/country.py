"""Which English-speaking country a document was written in, from its shape: the US writes dates month
first, the UK and most of the rest of the world day first.

Evidence is counted by kind, never by a single word: a US state followed by a ZIP code, a US telephone
number, American spellings of medical words; a UK postcode, NHS numbers and trusts, a +44 number, British
spellings. Each kind counts once. None when the evidence is absent or even.
"""

from __future__ import annotations

import re

from .context import Context

_STATES = ("AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|"
           "ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY")
# raw text (case matters for states and postcodes)
_US_RAW = (
    re.compile(rf"\b(?:{_STATES})\.?\s+\d{{5}}(?:-\d{{4}})?\b"),  # state + ZIP code
    re.compile(r"\(\d{3}\)\s?\d{3}-\d{4}|\b\d{3}-\d{3}-\d{4}\b"),  # (217) 555-0142, 503-555-0172
    re.compile(r"\bMRN\b|\bU\.S\.A?\b|\bUSA\b|\bM\.D\.|\bD\.O\.\b|\bFACS\b|\bFACC\b|\bFACP\b"),
)
_UK_RAW = (
    re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b"),  # postcode AS4 7QT
    re.compile(r"\bNHS\b|\bGMC\b|\bFRCS\b|\bMRCP\b|\bMBChB\b|\bMBBS\b"),
    re.compile(r"\+44\b|\b0\d{3,4}\s\d{3}\s\d{3,4}\b"),  # +44, 01632 960 412
)
# folded text: spellings
_US_SPELLING = re.compile(r"\banesthe\w*|\bhemo\w*|\bpediatr\w*|\borthoped\w*|\besophag\w*|\bcenter\b|\bgynecol\w*|"
                          r"\bedema\b|\bhospitalization\b|\bcolor\b|\bliters?\b|\bleukemi\w*|\banemi\w*")
_UK_SPELLING = re.compile(r"\banaesthe\w*|\bhaem\w*|\bpaediatr\w*|\borthopaed\w*|\boesophag\w*|\bcentre\b|"
                          r"\bgynaecol\w*|\boedema\b|\bcolour\b|\blitres?\b|\bleukaemi\w*|\banaemi\w*|\bprogramme\b|"
                          r"\bconsultant (physician|surgeon|cardiologist|radiologist|\w+ologist)\b|\bgp\b")


def english_country(ctx: Context) -> str | None:
    """"us", "uk" or None (no evidence, or as much for both)."""
    raw = ctx.text[:6000]
    folded = ctx.folded[:6000]
    us = sum(bool(rx.search(raw)) for rx in _US_RAW) + bool(_US_SPELLING.search(folded))
    uk = sum(bool(rx.search(raw)) for rx in _UK_RAW) + bool(_UK_SPELLING.search(folded))
    if us > uk:
        return "us"
    if uk > us:
        return "uk"
    return None
