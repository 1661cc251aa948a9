"""Fixtures shared across test modules: a small labeled corpus and a model trained on it
once per test session (tests never depend on the shipped model's exact labels)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _own_data_folder(tmp_path_factory):
    """Every test runs with a data folder of its session's own: models trained by tests, the
    trust record and the current-model pointer never touch the user's real data folder."""
    import os

    saved = {k: os.environ.get(k) for k in ("CALLREVIEW_DATA", "CALLREVIEW_MODEL", "CALLREVIEW_STORE")}
    os.environ["CALLREVIEW_DATA"] = str(tmp_path_factory.mktemp("callreview-data"))
    os.environ.pop("CALLREVIEW_MODEL", None)
    os.environ.pop("CALLREVIEW_STORE", None)
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def small_corpus():
    """Twelve calls of the default corpus, of every style and outcome."""
    from callreview.corpora import read_corpus

    calls = read_corpus(ROOT / "corpora" / "default")
    picked, seen = [], set()
    for c in calls:
        key = (c.extra.get("style"), c.outcome)
        if key not in seen:
            seen.add(key)
            picked.append(c)
    return picked[:12]


@pytest.fixture(scope="session")
def small_model(tmp_path_factory, small_corpus):
    from callreview.artifacts import load_model, save_model
    from callreview.train import train

    folder = save_model(train(small_corpus, cv_folds=0), tmp_path_factory.mktemp("model") / "small")
    return load_model(folder)
