"""No rule or lexicon string of the product quotes the project's own generator (eval/synthetic).

A rule that matches a 4-word phrase the generator writes learns the generator, not medicine: Carnet is judged
on documents written by other people. `eval.overlap` explains the normalisation and holds the allow-list of
standard medical terms (each with its public source). To see the shared sequences: `python -m eval.overlap`.
"""

from __future__ import annotations

import pytest

from eval import overlap

pytestmark = pytest.mark.unit


def test_no_product_rule_shares_a_4_word_sequence_with_the_generator():
    found = overlap.violations()
    listing = "\n".join(f"{' '.join(gram)}: {', '.join(f'{rel}:{line}' for rel, line, _ in places)}"
                        for gram, places in sorted(found.items()))
    assert not found, ("product strings quote the generator (generalise the rule, or allow-list a standard term "
                       "with its public source in eval/overlap.py):\n" + listing)


def test_a_regex_is_read_as_the_phrases_it_matches():
    grams = overlap.grams_of(r"\bcompte[- ]?rendu (?:de |d')?hospitalisation\b|crh")
    assert ("compte", "rendu", "d", "hospitalisation") in grams
    assert ("compte", "rendu", "de", "hospitalisation") in grams
    assert ("compte", "rendu", "hospitalisation") not in grams  # 3 words: not a sequence
    assert overlap.grams_of(r"evolution( (dans|durant) [a-z' ]{1,30})?") == set()  # a class breaks the phrase


def test_the_check_would_catch_a_generator_phrase_written_as_a_rule():
    generated = overlap.generator_grams() - overlap.allowed_grams()
    gram = sorted(generated)[len(generated) // 2]
    rule = r"\b" + " ".join(gram[:2]) + f" (?:{gram[2]}|xyz) " + gram[3] + r"\b"
    assert gram in overlap.grams_of(rule) & generated


def test_every_allowed_term_names_its_source():
    for term, source in overlap.ALLOWED.items():
        assert len(term.split()) >= overlap.N and source.strip(), term
    for (rel, value), why in overlap.NOT_RULES.items():
        assert (overlap.ROOT / rel).is_file() and why, rel
