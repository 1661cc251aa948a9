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


def test_context_blocks_follow_the_speaker_not_just_the_neighbour():
    """prev_same / next_same look past the other speaker; run averages the speaker's other
    passages in a row; earlier is the most each label was seen before; calls never mix."""
    from callreview.features import FeatureBatch
    from callreview.predict import Predictor, TaskModel

    class Stub(Predictor):
        tasks_ = ("behavior",)
        models_ = {"behavior": TaskModel(labels=("x", "y"), first=None, second=None, sequence=False)}
        context = ("prev_same", "next_same", "run", "earlier")

    speakers = ["A", "B", "A", "A", "B", "A"]
    P = np.array([[1, 0], [0, 1], [0.5, 0.5], [0.25, 0.75], [0.9, 0.1], [0.3, 0.7]], dtype=np.float32)
    batch = FeatureBatch(words=[""] * 6, role_words=[""] * 6, chars=[""] * 6, numeric=np.zeros((6, 1)),
                         bounds=[(0, 4), (4, 6)], speakers=speakers)
    C, names = Stub()._context(batch, {"behavior": P})
    col = {n: i for i, n in enumerate(names)}
    prev_same = C[:, [col["c:behavior:prev_same=x"], col["c:behavior:prev_same=y"]]]
    assert prev_same.tolist() == [[0, 0], [0, 0], [1, 0], [0.5, 0.5], [0, 0], [0, 0]]  # row 5: A's first in call 2
    next_same = C[:, col["c:behavior:next_same=x"]]
    assert next_same.tolist() == [0.5, 0, 0.25, 0, 0, 0]
    run = C[:, [col["c:behavior:run=x"], col["c:behavior:run=y"]]]
    assert run[2].tolist() == [0.25, 0.75] and run[3].tolist() == [0.5, 0.5] and run[0].tolist() == [0, 0]
    earlier = C[:, col["c:behavior:earlier=y"]]
    assert np.allclose(earlier, [0, 0, 1, 1, 0, 0.1])
