"""Batches: many files in, a stream of labeled calls out, on one core, every core or a cluster.

    >>> files = expand_inputs(["exports/", "old/*.vtt"], recursive=True)
    >>> calls = read_calls(files, warn=print)
    >>> for call in annotate_stream(calls, model, jobs=2):
    ...     print(dumps_call(call))

Three steps, each a generator so no list of every call is held in memory:

1. :func:`expand_inputs`: files, folders (their files; subfolders too with ``recursive``)
   and glob patterns become an ordered list of :class:`Input` (a folder's files sorted by
   name, hidden files left out).
2. :func:`read_calls`: each file through :func:`callreview.formats.load_calls`. A file the
   user named is read or its error stops the batch, as before; a file found in a folder or
   by a glob that is not a transcript is skipped with a warning naming it, and counted
   (:attr:`BatchStats.skipped`).
3. :func:`annotate_stream`: calls labeled in chunks, serially, across processes with
   joblib (``jobs``; the model is loaded once per worker process, from its folder), or on a
   Dask distributed cluster (``scheduler``; the loaded model is sent to every worker once
   with ``Client.scatter(broadcast=True)``). Chunks come back in the order they went in,
   and a call's labels depend on that call only, so the output is the same whichever way
   it ran.

joblib and Dask are imported only when a batch uses them.
"""

from __future__ import annotations

import glob
import os
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from .errors import InputError, UsageError
from .records import Call

if TYPE_CHECKING:  # pragma: no cover
    from .artifacts import Model

Warn = Callable[[str], None]

#: a chunk sent to a worker holds at most this many calls or passages (whichever comes first)
CHUNK_CALLS = 64
CHUNK_PASSAGES = 4000
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class Input:
    """A file to read, and whether the user named it (its errors stop the batch) or it was
    found in a folder or by a pattern (its errors skip it with a warning)."""

    path: Path
    named: bool


@dataclass
class BatchStats:
    """What a batch did, for the summary line at the end."""

    files: int = 0
    calls: int = 0
    passages: int = 0
    annotated: int = 0
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """'skipped 2 files that are not transcripts' (empty when nothing was skipped)."""
        n = len(self.skipped)
        return f"skipped {n} file{'s' if n != 1 else ''} that could not be read as a transcript" if n else ""


def _is_hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _folder_files(folder: Path, recursive: bool) -> list[Path]:
    try:
        found = [f for f in folder.rglob("*")
                 if (recursive or f.parent == folder or f.suffix == ".jsonl") and f.is_file()
                 and not _is_hidden(f, folder)]
        return sorted(found, key=lambda f: f.relative_to(folder).parts)
    except OSError as exc:
        raise InputError(f"cannot read the folder: {exc.strerror or exc}", path=str(folder),
                         hint="check that you may read this folder and its subfolders") from None


def expand_inputs(inputs: Iterable[str | Path], *, recursive: bool = False) -> list[Input]:
    """Files, folders and glob patterns, in the order given, as the files to read.

    A folder gives its files sorted by name (with ``recursive`` those of its subfolders
    too, by path; corpus ``.jsonl`` files in subfolders always, as a corpus folder is read
    by ``train --corpus``); a pattern (``*.vtt``, ``exports/**/*.srt`` with ``recursive``) its
    matches sorted. A file listed twice is read once. A path that does not exist and
    matches nothing is an :class:`InputError`."""
    out: list[Input] = []
    seen: set[Path] = set()

    def add(p: Path, named: bool) -> None:
        key = p.resolve() if p.exists() else p
        if key not in seen:
            seen.add(key)
            out.append(Input(p, named))

    for raw in inputs:
        text = str(raw)
        p = Path(text)
        if p.is_dir():
            for f in _folder_files(p, recursive):
                add(f, False)
        elif p.exists():
            add(p, True)
        elif _GLOB_CHARS & set(text):
            matches = sorted(glob.glob(text, recursive=recursive))
            if not matches:
                raise InputError("no file matches this pattern", path=text,
                                 hint="check the pattern; quote it so the shell passes it on, "
                                      "and add --recursive for ** to reach subfolders")
            for m in matches:
                mp = Path(m)
                if mp.is_dir():
                    for f in _folder_files(mp, recursive):
                        add(f, False)
                elif mp.is_file() and not mp.name.startswith("."):
                    add(mp, False)
        else:
            add(p, True)  # the reader says "no such file" with the path
    return out


def read_calls(inputs: Iterable[Input], *, input_format: str = "auto", sellers: Sequence[str] = (),
               warn: Warn | None = None, stats: BatchStats | None = None) -> Iterator[Call]:
    """The calls of the files, one file at a time. A named file that cannot be read raises
    its :class:`InputError`; a file found in a folder is skipped with a warning instead."""
    from .formats import load_calls

    say = warn or (lambda _m: None)
    stats = stats if stats is not None else BatchStats()
    for item in inputs:
        try:
            calls = load_calls(item.path, format=input_format, sellers=tuple(sellers), warn=warn)
        except InputError as exc:
            if item.named:
                raise
            stats.skipped.append(str(item.path))
            say(f"skipped {item.path}: {exc.message}")
            continue
        stats.files += 1
        for call in calls:
            stats.calls += 1
            stats.passages += len(call.passages)
            yield call


# --------------------------------------------------------------------------- labeling


def chunks(calls: Iterable[Call], max_calls: int = CHUNK_CALLS, max_passages: int = CHUNK_PASSAGES
           ) -> Iterator[list[Call]]:
    """Consecutive calls in lists of at most ``max_calls`` calls or ``max_passages`` passages
    (a longer call is a chunk of its own)."""
    chunk: list[Call] = []
    n = 0
    for call in calls:
        if chunk and (len(chunk) >= max_calls or n + len(call.passages) > max_passages):
            yield chunk
            chunk, n = [], 0
        chunk.append(call)
        n += len(call.passages)
    if chunk:
        yield chunk


def _label_chunk(chunk: list[Call], model: "Model", keep_labels: bool, only_missing: bool,
                 explain: int) -> tuple[list[Call], int]:
    """The chunk labeled, and how many of its calls the model labeled."""
    from .classify import annotate

    more: dict[str, Any] = {"explain": explain} if explain != 5 else {}  # 5: annotate's default
    if not only_missing:
        return annotate(chunk, model, keep_labels=keep_labels, **more), len(chunk)
    from .team import needs_model  # one rule: a plan is never labeled with behaviors

    todo = [i for i, c in enumerate(chunk) if needs_model(c)]
    out = list(chunk)
    if todo:
        for i, c in zip(todo, annotate([chunk[i] for i in todo], model, keep_labels=True, **more)):
            out[i] = c
    return out, len(todo)


#: in a worker process: the models loaded there, by folder (each is loaded once)
_WORKER_MODELS: dict[str, "Model"] = {}


def _worker_model(path: str) -> "Model":
    model = _WORKER_MODELS.get(path)
    if model is None:
        from .artifacts import load_model

        model = _WORKER_MODELS[path] = load_model(path)
    return model


def _label_chunk_in_worker(chunk: list[Call], model_ref: "str | Model", keep_labels: bool, only_missing: bool,
                           explain: int) -> tuple[list[Call], int]:
    model = _worker_model(model_ref) if isinstance(model_ref, str) else model_ref
    return _label_chunk(chunk, model, keep_labels, only_missing, explain)


def resolve_jobs(jobs: int) -> int:
    """``--jobs``: a number of processes, ``-1`` for one per core."""
    if jobs == 0 or jobs < -1:
        raise UsageError(f"--jobs must be a number of processes (1 or more) or -1 for every core, not {jobs}",
                         hint="e.g. --jobs 4, or --jobs -1")
    return (os.cpu_count() or 1) if jobs == -1 else jobs


def annotate_stream(calls: Iterable[Call], model: "Model", *, jobs: int = 1, scheduler: str | None = None,
                    keep_labels: bool = True, only_missing: bool = False, explain: int = 5,
                    stats: BatchStats | None = None, max_calls: int | None = None,
                    max_passages: int | None = None) -> Iterator[Call]:
    """The calls labeled by ``model``, in the order they came, as a stream.

    ``jobs`` > 1 labels chunks in that many processes (joblib; each loads the model from
    its folder once); ``scheduler`` (a Dask scheduler address such as
    ``tcp://10.0.0.5:8786``, or a ``distributed.Client``) labels them on that cluster. With
    ``only_missing`` only calls with unlabeled passages are labeled, keeping their labels
    (what ``metrics`` and ``report`` do); ``stats.annotated`` counts them."""
    stats = stats if stats is not None else BatchStats()
    parts = chunks(calls, max_calls or CHUNK_CALLS, max_passages or CHUNK_PASSAGES)
    if scheduler is not None:
        results = _on_dask(parts, model, scheduler, keep_labels, only_missing, explain)
    elif resolve_jobs(jobs) > 1:
        results = _on_joblib(parts, model, resolve_jobs(jobs), keep_labels, only_missing, explain)
    else:
        results = (_label_chunk(c, model, keep_labels, only_missing, explain) for c in parts)
    for chunk_out, n_labeled in results:
        stats.annotated += n_labeled
        yield from chunk_out


def _model_ref(model: "Model") -> "str | Model":
    """What a worker process needs to load the model: its folder when it has one (loaded
    and checked there once), else the model itself (a model trained in this process)."""
    return str(model.path) if model.path is not None else model


def _on_joblib(parts: Iterator[list[Call]], model: "Model", n_jobs: int, keep_labels: bool,
               only_missing: bool, explain: int) -> Iterator[tuple[list[Call], int]]:
    from joblib import Parallel, delayed

    ref = _model_ref(model)
    run = Parallel(n_jobs=n_jobs, return_as="generator", pre_dispatch="2*n_jobs")
    yield from run(delayed(_label_chunk_in_worker)(c, ref, keep_labels, only_missing, explain) for c in parts)


def _client(scheduler: Any):
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--scheduler needs Dask distributed, which is not installed",
                         hint='install it with: pip install "callreview[cluster]"') from None
    if isinstance(scheduler, Client):
        return scheduler, False
    try:
        return Client(scheduler, timeout="10s"), True
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}",
                         hint="start one with `dask scheduler` and `dask worker ADDRESS`, and pass the "
                              "address it prints, e.g. --scheduler tcp://10.0.0.5:8786") from None


def _on_dask(parts: Iterator[list[Call]], model: "Model", scheduler: Any, keep_labels: bool,
             only_missing: bool, explain: int) -> Iterator[tuple[list[Call], int]]:
    client, owned = _client(scheduler)
    try:
        shipped = client.scatter(model, broadcast=True)  # once per worker, not once per chunk
        window = 2 * max(1, sum(client.nthreads().values()))
        pending: deque = deque()
        for c in parts:
            pending.append(client.submit(_label_chunk_in_worker, c, shipped, keep_labels, only_missing, explain,
                                         pure=False))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        if owned:
            client.close()


__all__ = ["Input", "BatchStats", "expand_inputs", "read_calls", "annotate_stream", "chunks",
           "resolve_jobs", "CHUNK_CALLS", "CHUNK_PASSAGES"]
