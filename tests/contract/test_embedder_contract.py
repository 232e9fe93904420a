"""What every embedder Carnet offers must do (index/embedders.py), whatever model is behind it: the store
keeps its vectors next to each other and compares a question's vector with them by inner product, so a
vector must have the announced size and unit length, the same text must always give the same vector, a batch
must give what one-by-one calls give, and no text (empty, huge, NUL, emoji) may break ingestion or a question.
"""

from __future__ import annotations

import numpy as np
import pytest

import index.embedders as embedders_module
from carnet.errors import MissingExtra
from tests.contract.conftest import REAL_MODEL, loaded_embedder, make_embedder_for_contract

TEXTS = [
    "Échocardiographie transthoracique : FEVG conservée à 60 %, pas de valvulopathie.",
    "HbA1c 7,4 % (N < 6,0) ; créatinine 88 µmol/L.",
    "Discharge summary: admitted for community-acquired pneumonia, treated with amoxicillin.",
    "Compte rendu opératoire : cholécystectomie par cœlioscopie sans incident.",
]
ODD_TEXTS = {
    "empty": "",
    "blank": " \n\t ",
    "very long": "Bilan sanguin : hémoglobine 13,2 g/dL, plaquettes 250 G/L. " * 700,  # ~42,000 characters, 50 chunks long
    "NUL": "Créatinine\x0078 µmol/L\x00",
    "emoji": "🩺❤️ douleur thoracique 😷 depuis hier 🚑",
    "control and symbols": "\u202e\u200b\ufeff%%%§§§ ¤¤ \x07\x1b[31m",
    "one letter": "a",
    "lone surrogate-free astral": "𝕳𝖇𝕬1𝖈 𝟕,𝟒 %",
}
# A sentence, a paraphrase of it, and a sentence on something else: a real model puts the paraphrase nearer.
PARAPHRASES = {
    "en": ("The patient has high blood pressure.", "The patient suffers from hypertension.",
           "The invoice for the garage repair arrived by mail."),
    "fr": ("Le patient a une tension artérielle élevée.", "Le patient souffre d'hypertension artérielle.",
           "La facture de la réparation du garage est arrivée par courrier."),
}
# The real models and the languages each is made for (all-MiniLM-L6-v2 is English only; multilingual-e5
# both). A bag of hashed words knows no paraphrase: the hashing embedder is not asked.
REAL_LANGUAGES = [pytest.param("e5", "en", marks=REAL_MODEL, id="e5-en"),
                  pytest.param("e5", "fr", marks=REAL_MODEL, id="e5-fr"),
                  pytest.param("minilm", "en", marks=REAL_MODEL, id="minilm-en")]


def _check_vectors(vectors: np.ndarray, n: int, dim: int, *, allow_zero: bool = False) -> None:
    assert isinstance(vectors, np.ndarray)
    assert vectors.dtype == np.float32
    assert vectors.shape == (n, dim)
    assert np.isfinite(vectors).all()
    norms = np.linalg.norm(vectors, axis=1)
    for norm in norms:
        if allow_zero and norm == 0:
            continue  # a text without a single word: no direction at all (the hashing embedder)
        assert norm == pytest.approx(1.0, abs=1e-4)


def test_dimension_is_the_announced_one(embedder):
    assert isinstance(embedder.dim, int) and embedder.dim > 0
    assert embedder.embed_query(TEXTS[0]).shape == (embedder.dim,)
    assert embedder.embed_passages(TEXTS).shape == (len(TEXTS), embedder.dim)


def test_vectors_are_float32_and_unit_length(embedder):
    _check_vectors(embedder.embed_passages(TEXTS), len(TEXTS), embedder.dim)
    _check_vectors(np.stack([embedder.embed_query(t) for t in TEXTS]), len(TEXTS), embedder.dim)


def test_no_texts_give_an_empty_matrix(embedder):
    vectors = embedder.embed_passages([])
    assert vectors.shape == (0, embedder.dim) and vectors.dtype == np.float32


def test_the_same_text_gives_the_same_vector(embedder, embedder_kind):
    first = embedder.embed_passages(TEXTS)
    assert np.array_equal(first, embedder.embed_passages(TEXTS))
    assert np.array_equal(embedder.embed_query(TEXTS[1]), embedder.embed_query(TEXTS[1]))
    # another instance of the same embedder (a restarted server reading the store's vectors) agrees
    other = make_embedder_for_contract(embedder_kind)
    assert other.name == embedder.name and other.dim == embedder.dim
    np.testing.assert_allclose(other.embed_passages(TEXTS), first, atol=1e-5)


def test_different_texts_give_different_vectors(embedder):
    vectors = embedder.embed_passages(TEXTS)
    similarities = vectors @ vectors.T
    off_diagonal = similarities[~np.eye(len(TEXTS), dtype=bool)]
    assert (off_diagonal < 0.999).all()


def test_a_batch_gives_what_one_by_one_gives(embedder):
    batch = embedder.embed_passages(TEXTS)
    one_by_one = np.stack([embedder.embed_passages([t])[0] for t in TEXTS])
    np.testing.assert_allclose(batch, one_by_one, atol=1e-4)


def test_query_and_passage_sides_as_the_embedder_says(embedder):
    """An asymmetric embedder (E5: "query: " / "passage: " prefixes) gives a question another vector than the
    same words stored as a passage, yet a near one; a symmetric one gives the very same vector."""
    text = TEXTS[0]
    query, passage = embedder.embed_query(text), embedder.embed_passages([text])[0]
    if embedder.asymmetric:
        assert not np.allclose(query, passage, atol=1e-4)
        assert float(query @ passage) > 0.8
    else:
        np.testing.assert_allclose(query, passage, atol=1e-5)


@pytest.mark.parametrize("name", list(ODD_TEXTS))
def test_odd_text_does_not_break_it(embedder, name):
    text = ODD_TEXTS[name]
    _check_vectors(embedder.embed_passages([text, TEXTS[0]]), 2, embedder.dim, allow_zero=True)
    _check_vectors(embedder.embed_query(text)[None, :], 1, embedder.dim, allow_zero=True)


@pytest.mark.parametrize(("kind", "language"), REAL_LANGUAGES)
def test_a_paraphrase_is_nearer_than_an_unrelated_sentence(kind, language):
    embedder = loaded_embedder(kind)
    sentence, paraphrase, unrelated = PARAPHRASES[language]
    q = embedder.embed_query(sentence)
    near, far = embedder.embed_passages([paraphrase, unrelated])
    assert float(q @ near) > float(q @ far) + 0.05


@pytest.mark.unit
def test_the_minilm_embedder_names_its_extra_when_it_is_missing(monkeypatch):
    """torch and sentence-transformers are the `minilm` extra's: without them, a clear Carnet error at once."""
    real = embedders_module.importlib.util.find_spec
    monkeypatch.setattr(embedders_module.importlib.util, "find_spec",
                        lambda name, *a: None if name == "sentence_transformers" else real(name, *a))
    with pytest.raises(MissingExtra, match=r"minilm"):
        embedders_module.make_embedder("minilm")
