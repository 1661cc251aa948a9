"""Model folders: save and load a trained classifier with its metadata, safely.

A model is a folder::

    models/default/
        model.joblib   the fitted CallClassifier (a pickle)
        model.npz      the same classifier as plain arrays (``callreview.predict``)
        meta.json      id, labels per task, library versions, corpus fingerprint,
                       train settings, cross-validated metrics, SHA-256 of every file

A model folder may come from anyone, and ``meta.json`` sits beside the files it describes,
unsigned: its checksums catch accidents, not an attacker. So :func:`load_model` checks
``meta.json``'s fields and types, refuses any file that is not a regular file in the
folder (a FIFO, a device, a symbolic link out of the folder), verifies every file against
the SHA-256 manifest *before* reading any, and refuses a model made with another
scikit-learn (minor) version, saying which command fixes it. Prediction then reads
``model.npz`` (numpy arrays, ``allow_pickle=False``: no code runs, and scikit-learn is
not even imported), each array's shape checked against the labels and features it must
have.

A joblib file is a pickle, and unpickling runs whatever code the file names. It is only
needed for a model whose feature parts the numpy predictor does not implement (no
``model.npz``), and it is unpickled only when this machine trusts that exact content: the
trust record (``trusted-models.json`` in the user data folder) lists the content hash of
every model folder :func:`save_model` wrote here (``callreview train``, a retrain in the
review app) and of every folder trusted with ``callreview models use DIR --trust``.
Anything else is refused with the fix.

Which model is used when none is named: ``$CALLREVIEW_MODEL``, else the one chosen with
``callreview models use``, else the shipped ``models/default``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import re
import stat
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, locations
from .errors import ModelError

if TYPE_CHECKING:  # pragma: no cover
    from .predict import Predictor

FORMAT_VERSION = 1
MODEL_FILE = "model.joblib"
ARRAYS_FILE = "model.npz"
META_FILE = "meta.json"
#: in the user data folder: the content hashes of the model folders this machine trusts
TRUST_FILE = "trusted-models.json"
RETRAIN = "callreview train --corpus corpora/default --out models/default"
#: far more than any real meta.json (a few kB); a bigger one is not read
MAX_META_BYTES = 4 << 20
_SHA256 = re.compile(r"[0-9a-f]{64}")


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


def shipped_model_dir() -> Path | None:
    """The model that ships with callreview (inside the installed package, or the checkout's
    ``models/default``; see :mod:`callreview.locations`)."""
    cand = locations.shipped_model_dir()
    return cand if cand is not None and (cand / META_FILE).exists() else None


def user_models_dir() -> Path:
    return locations.models_dir()


def _current_file() -> Path:
    return user_models_dir().parent / "current-model"


def _trust_file() -> Path:
    return user_models_dir().parent / TRUST_FILE


def current_model_dir() -> Path | None:
    """The model used when none is named (see the module docstring)."""
    env = locations.model_env()
    if env is not None:
        return env
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
    try:  # this machine wrote these bytes: its pickle may be loaded here
        record_trust(meta, out, how="trained here")
    except ModelError:
        pass  # an unwritable data folder: the arrays still load; a pickle-only model says how to trust it
    return out


def read_meta(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    meta_path = p / META_FILE
    if not p.exists():
        raise ModelError("no such model folder", path=str(p),
                         hint="list models with `callreview models list`, or train one with `callreview train`")
    if not meta_path.exists() and not meta_path.is_symlink():
        raise ModelError("not a model folder (meta.json is missing)", path=str(p),
                         hint="a model folder holds meta.json and model.joblib, written by `callreview train`")
    size = _regular_file(p, META_FILE).st_size
    if size > MAX_META_BYTES:
        raise ModelError(f"meta.json is {size:,} bytes, far more than a model's metadata", path=str(meta_path),
                         hint=f"retrain: {RETRAIN}")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ModelError(f"meta.json cannot be read ({type(exc).__name__}: {str(exc)[:200]})", path=str(meta_path),
                         hint=f"retrain: {RETRAIN}") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("files"), dict):
        raise ModelError("meta.json has no checksum manifest", path=str(meta_path), hint=f"retrain: {RETRAIN}")
    problem = _meta_problem(meta)
    if problem:
        raise ModelError(f"meta.json: {problem}", path=str(meta_path),
                         hint=f"meta.json is written by `callreview train`, not by hand; retrain: {RETRAIN}")
    return meta


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _meta_problem(meta: dict[str, Any]) -> str | None:
    """What is wrong with the types of the fields callreview reads from meta.json, if anything."""
    fv = meta.get("format_version", 0)
    if not _is_int(fv):
        return f"format_version is {fv!r}, not a whole number"
    for name, digest in meta["files"].items():
        if name not in (MODEL_FILE, ARRAYS_FILE):
            return f"the manifest lists {name!r}; a model folder holds only {MODEL_FILE} and {ARRAYS_FILE}"
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            return f"the SHA-256 of {name} is {str(digest)[:80]!r}, not 64 hex digits"
    versions = meta.get("versions", {})
    if not isinstance(versions, dict) or not all(isinstance(v, str) for v in versions.values()):
        return f"versions is {type(versions).__name__ if not isinstance(versions, dict) else 'an object'} " \
               "that is not library names with version strings"
    tasks = meta.get("tasks", {})
    if not isinstance(tasks, dict) or not all(
            isinstance(labels, list) and labels and all(isinstance(x, str) for x in labels)
            and len(set(labels)) == len(labels) for labels in tasks.values()):
        return "tasks is not each task's list of distinct label names"
    for key in ("id", "created"):
        if key in meta and not isinstance(meta[key], str):
            return f"{key} is {meta[key]!r}, not a string"
    corpus = meta.get("corpus", {})
    if not isinstance(corpus, dict):
        return "corpus is not an object"
    if corpus.get("calls") is not None and not _is_int(corpus["calls"]):
        return f"corpus.calls is {corpus['calls']!r}, not a whole number"
    if not isinstance(corpus.get("sources", []), list):
        return "corpus.sources is not a list"
    metrics = meta.get("metrics", {})
    if not isinstance(metrics, dict) or not all(isinstance(m, dict) for m in metrics.values()):
        return "metrics is not an object of per-task objects"
    for task, m in metrics.items():
        if "macro_f1" in m and not _is_number(m["macro_f1"]):
            return f"metrics.{task}.macro_f1 is {m['macro_f1']!r}, not a number"
        if not isinstance(m.get("per_label_f1", {}), dict):
            return f"metrics.{task}.per_label_f1 is not an object"
    return None


def _regular_file(folder: Path, name: str) -> os.stat_result:
    """Stat ``folder/name`` without opening it: a regular file, or a symbolic link to one
    inside the folder. A FIFO would block the read, /dev/zero would never end, and a link
    out of the folder reads what the folder's author chose on this machine."""
    f = folder / name
    try:
        if f.is_symlink():
            target = Path(os.path.realpath(f))
            if not target.is_relative_to(Path(os.path.realpath(folder))):
                raise ModelError(f"{name} is a symbolic link to {target}, outside the model folder, so it is not read",
                                 path=str(f), hint=f"copy the real file into the folder, or retrain: {RETRAIN}")
        st = f.stat()
    except FileNotFoundError:
        raise ModelError(f"{name} is missing from the model folder", path=str(folder),
                         hint=f"retrain: {RETRAIN}") from None
    except OSError as exc:
        raise ModelError(f"{name} cannot be read ({exc.strerror or exc})", path=str(f),
                         hint=f"retrain: {RETRAIN}") from None
    if not stat.S_ISREG(st.st_mode):
        raise ModelError(f"{name} is not a regular file (a device, FIFO or folder), so it is not read", path=str(f),
                         hint=f"a model folder holds the files `callreview train` writes; retrain: {RETRAIN}")
    return st


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
        _regular_file(p, name)  # before reading: a FIFO or /dev/zero would never end
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
    if ARRAYS_FILE in meta["files"]:  # the arrays: reading them runs no code
        from .predict import ArraysMismatch, check_compiled, load_compiled

        try:
            clf = load_compiled(p / ARRAYS_FILE)
            check_compiled(clf)
        except ArraysMismatch as exc:
            raise ModelError(f"{ARRAYS_FILE} does not hold the model its description says: {exc}",
                             path=str(p / ARRAYS_FILE), hint="the file was cut short or changed (and its checksum "
                             f"with it); restore the folder, or retrain: {RETRAIN}") from None
        except Exception as exc:  # a verified file that still fails: library mismatch underneath
            raise ModelError(f"the model cannot be loaded ({type(exc).__name__}: {str(exc)[:200]})", path=str(p),
                             hint=f"retrain: {RETRAIN}") from None
    else:  # only the pickle: a model the numpy predictor cannot hold, loaded only if trusted here
        clf = load_estimator(p, meta)
    _check_tasks(meta, clf, p)
    model = Model(id=str(meta.get("id", p.name)), classifier=clf, meta=meta, path=p)
    _CACHE[key] = model
    return model


def load_estimator(path: str | Path, meta: dict[str, Any] | None = None) -> Any:
    """The fitted scikit-learn estimator (``model.joblib``, a pickle) of a model folder this
    machine trusts (see :func:`is_trusted`): every path that needs more than the arrays goes
    through here. The bytes unpickled are the bytes whose SHA-256 was checked."""
    p = Path(path).resolve()
    meta = meta or verify(p)
    if MODEL_FILE not in meta["files"]:
        raise ModelError(f"the manifest does not list {MODEL_FILE}", path=str(p), hint=f"retrain: {RETRAIN}")
    if not is_trusted(meta):
        why = f" (and it has no {ARRAYS_FILE}, the form read without running code)" \
            if ARRAYS_FILE not in meta["files"] else ""
        raise ModelError(f"{MODEL_FILE} is a pickle, which can run code when loaded, and this model was neither "
                         f"trained on this machine nor trusted here{why}", path=str(p),
                         hint="retrain it here (callreview train --corpus CORPUS), or, if you trust who sent it: "
                              f"callreview models use {p} --trust")
    f = p / MODEL_FILE
    _regular_file(p, MODEL_FILE)
    data = f.read_bytes()
    if hashlib.sha256(data).hexdigest() != meta["files"][MODEL_FILE]:  # changed since it was checked
        raise ModelError(f"{MODEL_FILE} does not match its SHA-256 in meta.json: the file was changed or is corrupt,"
                         " so it is not loaded", path=str(f), hint=f"retrain: {RETRAIN}")
    import joblib

    try:
        return joblib.load(io.BytesIO(data))
    except Exception as exc:  # a verified file that still fails: library mismatch underneath
        raise ModelError(f"the model cannot be loaded ({type(exc).__name__}: {str(exc)[:200]})", path=str(p),
                         hint=f"retrain: {RETRAIN}") from None


def _check_tasks(meta: dict[str, Any], clf: Any, p: Path) -> None:
    """The tasks and labels the loaded classifier predicts are the ones meta.json lists."""
    try:
        got = {str(t): list(clf.models_[t].labels) for t in clf.tasks_}
    except (AttributeError, KeyError, TypeError):
        raise ModelError("the model file does not hold a callreview classifier", path=str(p),
                         hint=f"retrain: {RETRAIN}") from None
    want = meta.get("tasks")
    if want != got:
        if not isinstance(want, dict) or set(want) != set(got):
            what = f"the tasks {sorted(got)}, meta.json {sorted(want or {})}"
        else:
            t = next(t for t in got if got[t] != want[t])
            what = f"{len(got[t])} {t} labels, meta.json {len(want[t])}"
        raise ModelError(f"the model file does not fit meta.json: it holds {what}", path=str(p),
                         hint=f"restore the folder, or retrain: {RETRAIN}")


# ------------------------------------------------------------------------- trust


def content_hash(meta: dict[str, Any]) -> str:
    """The hash a model folder is trusted by: SHA-256 of its manifest (each file's name and
    SHA-256), so it names every byte of the model files. Use it only after :func:`verify`
    has checked each file against the manifest."""
    lines = "".join(f"{name}\0{digest}\n" for name, digest in sorted(meta["files"].items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def _read_trust() -> dict[str, Any]:
    """The trust record's entries (none when it is missing or unreadable: trust nothing)."""
    f = _trust_file()
    try:
        if not f.is_file() or f.stat().st_size > MAX_META_BYTES:
            return {}
        data = json.loads(f.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return {}
    models = data.get("models") if isinstance(data, dict) else None
    return models if isinstance(models, dict) else {}


def is_trusted(meta: dict[str, Any]) -> bool:
    """This machine trained the model folder, or its user trusted it (by content)."""
    return content_hash(meta) in _read_trust()


def record_trust(meta: dict[str, Any], folder: str | Path, *, how: str) -> None:
    """Add a verified model folder's content hash to the trust record (atomically).
    Entries whose folder is gone are dropped, so the record stays small."""
    f = _trust_file()
    entries = {h: e for h, e in _read_trust().items()
               if isinstance(e, dict) and isinstance(e.get("path"), str) and Path(e["path"]).is_dir()}
    entries[content_hash(meta)] = {"id": str(meta.get("id", "")), "path": str(Path(folder).resolve()),
                                   "how": how, "at": now_iso()}
    tmp = f.with_name(f".{f.name}.{os.getpid()}.tmp")
    try:
        f.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({"format_version": 1, "models": entries}, indent=2, sort_keys=True) + "\n",
                       encoding="utf-8")
        os.replace(tmp, f)
    except OSError as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise ModelError(f"cannot write the trust record ({exc.strerror or exc})", path=str(f),
                         hint="make the user data folder writable, or set CALLREVIEW_DATA to one that is") from None


def trust_model(path: str | Path) -> dict[str, Any]:
    """``models use DIR --trust``: check the folder as loading does, then trust its content."""
    p = Path(path).resolve()
    meta = verify(p)
    record_trust(meta, p, how="models use --trust")
    return meta


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

