"""The numpy predictor reproduces the fitted scikit-learn parts it replaces."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from callreview.predict import Linear, _pack, _Tfidf, _unpack

WORDS = st.sampled_from(["a", "b", "c", "s_a", "<q>", "<num>", "don't", "ça", "x-y", "z"])
DOCS = st.lists(st.lists(WORDS, max_size=12).map(" ".join), min_size=1, max_size=15)


def _split(text: str) -> list[str]:
    return text.split()


@settings(max_examples=60, deadline=None)
@given(train=DOCS, test=DOCS, ngrams=st.integers(1, 3), min_df=st.integers(1, 2), max_features=st.sampled_from([None, 5]))
def test_tfidf_rows_equal_scikit_learns(train, test, ngrams, min_df, max_features):
    vec = TfidfVectorizer(tokenizer=_split, token_pattern=None, lowercase=False, ngram_range=(1, ngrams),
                          min_df=min_df, max_features=max_features, sublinear_tf=True, dtype=np.float32)
    try:
        vec.fit(train)
    except ValueError:  # nothing left after min_df: scikit-learn refuses to fit
        return
    ours = _Tfidf("words", _unpack(_pack(list(vec.get_feature_names_out()))), vec.idf_, ngrams, True, True)
    expected = vec.transform(test).toarray()
    assert np.allclose(ours.transform(test).toarray(), expected, atol=1e-6)


@pytest.mark.parametrize("n_classes", [2, 4])
def test_linear_probabilities_equal_logistic_regressions(n_classes):
    rng = np.random.RandomState(0)
    X = rng.randn(80, 6)
    y = np.array([f"l{i % n_classes}" for i in range(80)])
    lr = LogisticRegression(max_iter=500).fit(X, y)
    ours = Linear(list(lr.classes_), lr.coef_, lr.intercept_)
    assert np.allclose(ours.predict_proba(X), lr.predict_proba(X), atol=1e-9)
