"""carnet/words.py: the one module of month names, stop words, stems and language detection."""

from __future__ import annotations

from datetime import date

from carnet import words
from carnet.models import DateRange
from ingest.understand import dates, language
from query import chips, phrase_index, vocabulary


def test_months_fr_and_en_with_abbreviations():
    assert words.MONTHS["janvier"] == words.MONTHS["january"] == 1 and words.MONTHS["decembre"] == 12
    assert len(words.MONTHS) == 24
    assert all(words.MONTHS[fr] == words.MONTHS[en] for fr, en in zip(words.MONTH_NAMES_FR, words.MONTH_NAMES_EN))
    assert words.MONTH_ABBREVIATIONS["sept"] == 9 and "may" not in words.MONTH_ABBREVIATIONS
    assert "may" not in words.UNAMBIGUOUS_MONTH_NAMES and "mai" in words.UNAMBIGUOUS_MONTH_NAMES
    # the documents' date reader knows every name and abbreviation but a question's hurried "aou"
    assert set(words.DOCUMENT_MONTHS) == set(words.MONTHS) | set(words.MONTH_ABBREVIATIONS) - {"aou"}


def test_every_reader_uses_the_one_table():
    assert vocabulary.MONTHS is words.MONTHS and vocabulary.STOP_WORDS_FR is words.STOP_WORDS_FR
    assert dates._MONTHS is words.DOCUMENT_MONTHS
    assert language.detect_language is words.detect_language
    march = DateRange(date(2024, 3, 1), date(2024, 3, 31), "mars 2024")
    assert (chips._date_label(march, "fr"), chips._date_label(march, "en")) == ("en mars 2024", "in March 2024")


def test_stop_word_subsets_are_explicit():
    assert words.TOPIC_STOP_WORDS < words.SUMMARY_STOP_WORDS  # the summary's adds what is asked for
    assert {"dernier", "resultats"} <= words.SUMMARY_STOP_WORDS - words.TOPIC_STOP_WORDS
    assert "evolution" in words.STOP_WORDS_FR and "evolution" not in words.TOPIC_STOP_WORDS
    assert {"no", "pas", "sans"} <= words.NEGATIONS and not words.NEGATIONS & {"montre", "the"}
    assert {"le", "the"} <= phrase_index.phrase_index().known


def test_stems_meet_across_languages_and_inflections():
    assert words.stem("thoraciques") == words.stem("thoracic") == "thorac"
    assert words.stems("Douleurs thoraciques") == words.stems("douleur thoracique")
    assert words.stem("ecg") == "ecg" and words.stem("2024") == "2024"
    assert words.stemmed_text("Hépatique") == words.stem("hepatique")
    assert words.prefix_stem("cardiologie") == "cardio"
    assert words.prefix_stem("analyses", drop_plural=True) == "analys" and words.prefix_stem("prix") == "prix"


def test_detect_language():
    assert words.detect_language("le patient est venu pour une douleur de la jambe et il dit que") [0] == "fr"
    assert words.detect_language("the patient was seen for a pain in the leg and he has been well")[0] == "en"
    assert words.detect_language("") == ("fr", 0.0)  # no function word: the DMP's language
