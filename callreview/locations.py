"""Every folder callreview reads or writes, and the environment variables that move them.

One home for paths (as posting keeps its ``locations.py``): nothing else calls
``platformdirs`` or reads ``os.environ`` for a path.

| what | where | moved by |
|---|---|---|
| user data folder | ``platformdirs.user_data_dir("callreview")`` (Linux: ``~/.local/share/callreview``) | ``CALLREVIEW_DATA`` |
| models trained here | ``<data>/models/`` | ``CALLREVIEW_DATA`` |
| the current model's pointer, the trust record | ``<data>/`` | ``CALLREVIEW_DATA`` |
| the review store | ``<data>/reviews.sqlite3`` | ``CALLREVIEW_STORE`` (a file), ``--store`` |
| the model used when none is named | see :func:`callreview.artifacts.current_model_dir` | ``CALLREVIEW_MODEL`` (a folder) |
| the shipped model and corpus | inside the installed package (``callreview/_shipped/``), else the source checkout's ``models/default`` and ``corpora/default`` | ``CALLREVIEW_HOME`` (a checkout-like folder) |

The shipped model and corpus travel inside the wheel (``setup.py`` copies them into
``callreview/_shipped/`` at build time), so ``pip install .`` or ``pipx install .`` works from
any folder; an editable install reads them from the checkout. The current folder is never
searched.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_ENV = "CALLREVIEW_DATA"
STORE_ENV = "CALLREVIEW_STORE"
MODEL_ENV = "CALLREVIEW_MODEL"
HOME_ENV = "CALLREVIEW_HOME"
STORE_FILE = "reviews.sqlite3"
#: where the wheel keeps the shipped model and corpus, inside the package
SHIPPED = "_shipped"


def data_dir() -> Path:
    """The user data folder (``$CALLREVIEW_DATA``, else the platform's)."""
    env = os.environ.get(DATA_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("callreview", appauthor=False))


def models_dir() -> Path:
    """Where models trained on this machine go."""
    return data_dir() / "models"


def default_store_path() -> Path:
    """The review store when no ``--store`` is given: ``$CALLREVIEW_STORE``, else
    ``<data>/reviews.sqlite3``."""
    env = os.environ.get(STORE_ENV, "").strip()
    return Path(env).expanduser() if env else data_dir() / STORE_FILE


def model_env() -> Path | None:
    """The model folder named by ``$CALLREVIEW_MODEL``, if any."""
    env = os.environ.get(MODEL_ENV, "").strip()
    return Path(env).expanduser() if env else None


def repo_root() -> Path | None:
    """The source checkout this package runs from (an editable install), if any."""
    here = Path(__file__).resolve().parent.parent
    return here if (here / "pyproject.toml").is_file() and (here / "models").is_dir() else None


def _shipped(*parts: str) -> Path | None:
    """A shipped resource: under ``$CALLREVIEW_HOME``, inside the installed package, or in the
    source checkout, in that order; None when none has it."""
    from importlib.resources import files

    cands: list[Path] = []
    home = os.environ.get(HOME_ENV, "").strip()
    if home:
        cands.append(Path(home).expanduser().joinpath(*parts))
    cands.append(Path(str(files("callreview"))).joinpath(SHIPPED, *parts))
    root = repo_root()
    if root is not None:
        cands.append(root.joinpath(*parts))
    return next((c for c in cands if c.is_dir()), None)


def shipped_model_dir() -> Path | None:
    return _shipped("models", "default")


def shipped_corpus_dir() -> Path | None:
    return _shipped("corpora", "default")


__all__ = ["DATA_ENV", "HOME_ENV", "MODEL_ENV", "STORE_ENV", "data_dir", "default_store_path", "model_env",
           "models_dir", "repo_root", "shipped_corpus_dir", "shipped_model_dir"]
