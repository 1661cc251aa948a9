"""Model folders: save and load a trained classifier with its metadata, safely.

A model is a folder::

    models/default/
        model.joblib   the fitted CallClassifier (a pickle)
        model.npz      the same classifier as plain arrays (``callreview.predict``)
        meta.json      id, labels per task, library versions, corpus fingerprint,
                       train settings, cross-validated metrics, SHA-256 of every file

A joblib file is a pickle and unpickling runs code, so :func:`load_model` verifies every
file against the SHA-256 manifest in ``meta.json`` *before* reading any, and refuses a
model made with another scikit-learn (minor) version, saying which command fixes it.
It then reads ``model.npz`` (numpy arrays, ``allow_pickle=False``: no code runs, and
scikit-learn is not even imported); ``model.joblib`` is unpickled only for a model folder
without the arrays (one whose feature parts the numpy predictor does not implement).

Which model is used when none is named: ``$CALLREVIEW_MODEL``, else the one chosen with
``callreview models use``, else the shipped ``models/default``.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import ModelError

if TYPE_CHECKING:  # pragma: no cover
    from .predict import Predictor

FORMAT_VERSION = 1
MODEL_FILE = "model.joblib"
ARRAYS_FILE = "model.npz"
META_FILE = "meta.json"
RETRAIN = "callreview train --corpus corpora/default --out models/default"


@dataclass
class Model:
    """A loaded (or freshly trained) model: the classifier plus its metadata."""

    id: str
    classifier: "Predictor"  # a CallClassifier when trained, a CompiledClassifier when loaded
    meta: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    @property
    def tasks(self) -> tuple[str, ...]:
        return tuple(self.classifier.tasks_)

    def labels(self, task: str) -> tuple[str, ...]:
        return tuple(self.classifier.models_[task].labels)


def repo_root() -> Path | None:
    """The source checkout this package runs from (editable install), if any."""
    here = Path(__file__).resolve().parent.parent
    return here if (here / "pyproject.toml").exists() and (here / "models").is_dir() else None


def shipped_model_dir() -> Path | None:
    for base in filter(None, [os.environ.get("CALLREVIEW_HOME"), repo_root(), Path.cwd()]):
        cand = Path(base) / "models" / "default"
        if (cand / META_FILE).exists():
            return cand
    return None


def user_models_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(os.environ.get("CALLREVIEW_DATA") or user_data_dir("callreview")) / "models"


def _current_file() -> Path:
    return user_models_dir().parent / "current-model"


def current_model_dir() -> Path | None:
    """The model used when none is named (see the module docstring)."""
    env = os.environ.get("CALLREVIEW_MODEL")
    if env:
        return Path(env)
    cur = _current_file()
    if cur.exists():
        target = Path(cur.read_text(encoding="utf-8").strip())
        if (target / META_FILE).exists():
            return target
    return shipped_model_dir()


def set_current_model(path: Path) -> None:
    cur = _current_file()
    cur.parent.mkdir(parents=True, exist_ok=True)
    cur.write_text(str(Path(path).resolve()), encoding="utf-8")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def library_versions() -> dict[str, str]:
    import joblib
    import numpy
    import scipy
    import sklearn
    import spacy

    return {"callreview": __version__, "python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "spacy": spacy.__version__, "numpy": numpy.__version__, "scipy": scipy.__version__,
            "joblib": joblib.__version__}


def save_model(model: Model, out_dir: str | Path) -> Path:
    """Write the model folder (atomically per file) and return its path."""
    import joblib

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        tmp = out / (MODEL_FILE + ".tmp")
        joblib.dump(model.classifier, tmp, compress=3)
        os.replace(tmp, out / MODEL_FILE)
        from .predict import save_compiled

        tmp = out / (ARRAYS_FILE + ".tmp")
        if save_compiled(model.classifier, tmp):
            os.replace(tmp, out / ARRAYS_FILE)
        elif (out / ARRAYS_FILE).exists():
            (out / ARRAYS_FILE).unlink()  # never leave arrays of an older model beside this one
    except OSError as exc:
        raise ModelError(f"cannot write the model folder: {exc.strerror or exc}", path=str(out),
                         hint="choose a writable folder with --out") from None
    meta = dict(model.meta)
    meta.setdefault("created", now_iso())
    meta.update({
        "format_version": FORMAT_VERSION,
        "id": model.id,
        "tasks": {t: list(model.labels(t)) for t in model.tasks},
        "versions": meta.get("versions") or library_versions(),
        "files": {name: sha256_file(out / name) for name in (MODEL_FILE, ARRAYS_FILE) if (out / name).exists()},
    })
    (out / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    model.meta = meta
    model.path = out
    return out


def read_meta(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    meta_path = p / META_FILE
    if not p.exists():
        raise ModelError("no such model folder", path=str(p),
                         hint="list models with `callreview models list`, or train one with `callreview train`")
    if not meta_path.exists():
        raise ModelError("not a model folder (meta.json is missing)", path=str(p),
                         hint="a model folder holds meta.json and model.joblib, written by `callreview train`")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"meta.json cannot be read ({exc})", path=str(meta_path), hint=f"retrain: {RETRAIN}") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("files"), dict):
        raise ModelError("meta.json has no checksum manifest", path=str(meta_path), hint=f"retrain: {RETRAIN}")
    return meta


def verify(path: str | Path, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """Check the manifest and the library versions; return the metadata."""
    p = Path(path)
    meta = meta or read_meta(p)
    if meta.get("format_version", 0) > FORMAT_VERSION:
        raise ModelError("the model was written by a newer callreview", path=str(p),
                         hint="upgrade callreview, or retrain with this version: " + RETRAIN)
    files = meta["files"]
    if MODEL_FILE not in files:
        raise ModelError(f"the manifest does not list {MODEL_FILE}", path=str(p), hint=f"retrain: {RETRAIN}")
    for name, digest in files.items():
        f = p / name
        if Path(name).name != name or not f.exists():
            raise ModelError(f"{name} is missing from the model folder", path=str(p), hint=f"retrain: {RETRAIN}")
        if sha256_file(f) != digest:
            raise ModelError(f"{name} does not match its SHA-256 in meta.json: the file was changed or is corrupt,"
                             " so it is not loaded", path=str(f),
                             hint=f"restore the folder from version control, or retrain: {RETRAIN}")
    from importlib.metadata import version  # not `import sklearn`: annotating never needs it

    installed = version("scikit-learn")
    saved = str(meta.get("versions", {}).get("scikit-learn", "?"))
    if saved.split(".")[:2] != installed.split(".")[:2]:
        raise ModelError(f"the model was trained with scikit-learn {saved}, but {installed} is installed",
                         path=str(p), hint=f"install scikit-learn {'.'.join(saved.split('.')[:2])}.*, or retrain "
                         f"the model with this version: {RETRAIN}")
    return meta


_CACHE: dict[tuple[str, float], Model] = {}


def load_model(path: str | Path | None = None) -> Model:
    """Load a model folder after checking it (cached per process: load once)."""
    p = Path(path) if path is not None else current_model_dir()
    if p is None:
        raise ModelError("no model found", hint="train one with `callreview train --corpus corpora/default`, or pass --model DIR")
    p = p.resolve()
    key = (str(p), (p / MODEL_FILE).stat().st_mtime if (p / MODEL_FILE).exists() else 0.0)
    if key in _CACHE:
        return _CACHE[key]
    meta = verify(p)
    try:
        if ARRAYS_FILE in meta["files"]:
            from .predict import load_compiled

            clf = load_compiled(p / ARRAYS_FILE)
        else:
            import joblib

            clf = joblib.load(p / MODEL_FILE)
    except Exception as exc:  # a verified file that still fails: library mismatch underneath
        raise ModelError(f"the model cannot be loaded ({type(exc).__name__}: {exc})", path=str(p),
                         hint=f"retrain: {RETRAIN}") from None
    model = Model(id=str(meta.get("id", p.name)), classifier=clf, meta=meta, path=p)
    _CACHE[key] = model
    return model


def new_model_id(fingerprint: str, settings: dict[str, Any] | None = None) -> str:
    """A model's id follows from what it was trained on, so the same corpus and settings
    give the same id (training is deterministic) and new data gives a new one."""
    h = hashlib.sha256((fingerprint + json.dumps(settings or {}, sort_keys=True, default=str)).encode())
    return "m-" + h.hexdigest()[:12]


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class ModelInfo:
    """A model folder found on this machine, described from its meta.json alone."""

    id: str
    path: Path
    created: str | None
    calls: int | None
    macro_f1: dict[str, float]
    current: bool
    shipped: bool


def list_models() -> list[ModelInfo]:
    """The shipped default model and every model trained into the user data folder."""
    cur = current_model_dir()
    cur_resolved = cur.resolve() if cur else None
    shipped = shipped_model_dir()
    folders: list[tuple[Path, bool]] = []
    if shipped:
        folders.append((shipped, True))
    base = user_models_dir()
    if base.is_dir():
        folders += [(p, False) for p in sorted(base.iterdir()) if (p / META_FILE).exists()]
    out = []
    for folder, is_shipped in folders:
        try:
            meta = read_meta(folder)
        except ModelError:
            continue
        metrics = meta.get("metrics", {})
        out.append(ModelInfo(
            id=str(meta.get("id", folder.name)), path=folder, created=meta.get("created"),
            calls=meta.get("corpus", {}).get("calls"),
            macro_f1={t: float(m["macro_f1"]) for t, m in metrics.items() if isinstance(m, dict) and "macro_f1" in m},
            current=cur_resolved is not None and folder.resolve() == cur_resolved, shipped=is_shipped))
    return out


def resolve_model(ref: str) -> Path:
    """A model id (as `models list` shows it), 'default', or a folder path."""
    p = Path(ref)
    if (p / META_FILE).exists():
        return p
    for info in list_models():
        if info.id == ref or info.path.name == ref or (ref == "default" and info.shipped):
            return info.path
    raise ModelError(f"no model with id {ref!r}", hint="see `callreview models list`, or pass a model folder path")

