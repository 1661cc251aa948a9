"""Options shared by the commands, defined once (in the manner of spaCy's ``cli/_util.py``).

Only click is imported here, so ``callreview --help`` stays instant.
"""

from __future__ import annotations

import click

#: what ``--format`` accepts for the files a command reads (``auto``: found from the content)
FORMAT_CHOICES = ("auto", "vtt", "srt", "plain", "otter", "notes", "docx", "jsonl", "csv")


def input_format_option(f=None, *, flag: str = "--format"):
    """``--format F`` for the files a command reads (``flag`` renames it where ``--format``
    names the output, as in ``export``)."""
    def deco(fn):
        return click.option(flag, "input_format", type=click.Choice(FORMAT_CHOICES), default="auto",
                            show_default=True,
                            help="Format of the files read (default: found from the content); "
                                 "e.g. notes for call notes whose lines start with 'Name:'.")(fn)
    return deco(f) if f is not None else deco


def store_option(f):
    return click.option(
        "--store", "store_path", default=None, metavar="PATH",
        help="Review store file (default: $CALLREVIEW_STORE, else reviews.sqlite3 in the user data folder).",
    )(f)


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(f)


# --------------------------------------------------------------------------- batches


def inputs_argument(name: str = "files", *, required: bool = True, metavar: str = "FILE|DIR|GLOB..."):
    """The files, folders and glob patterns a batch command reads (:mod:`callreview.batch`)."""
    return click.argument(name, nargs=-1, required=required, metavar=metavar)


def recursive_option(f):
    return click.option("-r", "--recursive", is_flag=True,
                        help="Read the files of subfolders too (and let ** in a pattern reach them).")(f)


def jobs_option(f=None, *, default: int = 1, what: str = "label calls with"):
    """``--jobs N``: processes to run in (-1: one per core)."""
    def deco(fn):
        return click.option("-j", "--jobs", type=int, default=default, show_default=True, metavar="N",
                            help=f"Processes to {what} (-1: one per core); the output is the same "
                                 "and in the same order.")(fn)
    return deco(f) if f is not None else deco


def scheduler_option(f):
    return click.option("--scheduler", default=None, metavar="ADDRESS",
                        help="Label on a Dask distributed cluster, e.g. tcp://10.0.0.5:8786 "
                             "(needs: pip install \"callreview[cluster]\").")(f)


def quiet_option(f):
    return click.option("-q", "--quiet", is_flag=True, help="No progress bar on stderr.")(f)


def batch_options(f):
    """``--recursive``, ``--jobs``, ``--scheduler`` and ``--quiet``, for commands that read many files."""
    for deco in (quiet_option, scheduler_option, jobs_option, recursive_option):
        f = deco(f)
    return f


def stderr_is_terminal() -> bool:
    import sys

    return sys.stderr.isatty()


class BatchProgress:
    """A progress bar on stderr for a batch: calls done, calls a second, time left.

    Shown only when stderr is a terminal and not ``quiet``; otherwise every method does
    nothing. ``total`` is the number of calls expected (None when unknown: a corpus file
    holds many). Use as a context manager; :meth:`advance` after each call."""

    def __init__(self, total: int | None, *, quiet: bool = False, what: str = "calls"):
        self._progress = None
        self._task = None
        if quiet or not stderr_is_terminal():
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task):
                speed = task.finished_speed or task.speed
                return Text(f"{speed:,.0f} {what}/s" if speed else f"- {what}/s")

        self._progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  Rate(), TimeElapsedColumn(), TimeRemainingColumn(),
                                  console=Console(stderr=True), transient=False)
        self._task = self._progress.add_task(what, total=total)

    def __enter__(self) -> "BatchProgress":
        if self._progress is not None:
            self._progress.start()
        return self

    def advance(self, n: int = 1, *, total: int | None = None) -> None:
        """One more call done; ``total``: the calls now expected (a skipped file gives none)."""
        if self._progress is not None:
            if total is not None:
                self._progress.update(self._task, total=total)  # type: ignore[arg-type]
            self._progress.advance(self._task, n)  # type: ignore[arg-type]

    def __exit__(self, *exc) -> None:
        if self._progress is not None:
            self._progress.stop()


def expected_calls(files) -> int | None:
    """Calls a batch expects: one a file, unless a file may hold many (corpus .jsonl, CSV)."""
    if any(i.path.suffix.lower() in (".jsonl", ".csv", ".tsv", ".json") for i in files):
        return None
    return len(files)


def batch_calls(inputs, *, recursive: bool = False, input_format: str = "auto", sellers=(), model=None,
                jobs: int = 1, scheduler: str | None = None, quiet: bool = False, keep_labels: bool = True,
                only_missing: bool = False, label: bool = True, stats=None):
    """The calls of files, folders and patterns, labeled by ``model`` (a loaded Model, or a
    function that loads one, called only when a call needs it), as a stream with a
    progress bar; skipped files are warned about as they come and counted at the end."""
    from ..batch import BatchStats, annotate_stream, expand_inputs, read_calls
    from ..team import needs_model
    from . import warn
    from .inspect import warn_safely

    if scheduler is not None and jobs != 1:
        from ..errors import UsageError

        raise UsageError("give --jobs or --scheduler, not both", hint="on a cluster the workers set how many run")
    stats = stats if stats is not None else BatchStats()
    files = expand_inputs(inputs, recursive=recursive)
    calls = read_calls(files, input_format=input_format, sellers=sellers, warn=warn_safely, stats=stats)
    if label:
        if only_missing and callable(model):
            import itertools

            # peek for the first call that needs the model, so it is loaded only then
            ahead: list = []
            for call in calls:
                ahead.append(call)
                if needs_model(call):
                    break
            calls = itertools.chain(ahead, calls)
            if not any(needs_model(c) for c in ahead):
                label = False
        if label:
            loaded = model() if callable(model) else model
            calls = annotate_stream(calls, loaded, jobs=jobs, scheduler=scheduler, keep_labels=keep_labels,
                                    only_missing=only_missing, stats=stats)
    expected = expected_calls(files)
    with BatchProgress(expected, quiet=quiet) as bar:
        for call in calls:
            yield call
            bar.advance(total=None if expected is None else expected - len(stats.skipped))
    if stats.skipped:
        from ..text_safety import for_terminal

        warn(for_terminal(stats.summary()))


def readable_files(inputs, *, recursive: bool = False, input_format: str = "auto", sellers=()) -> tuple[str, ...]:
    """The files of files, folders and patterns that read as transcripts, for a command that
    reads them itself (the review app); the others are skipped with a warning and counted."""
    from ..batch import BatchStats, expand_inputs, read_calls
    from ..errors import UsageError
    from ..text_safety import for_terminal
    from . import warn

    stats = BatchStats()
    kept: list[str] = []
    for item in expand_inputs(inputs, recursive=recursive):
        if item.named:
            kept.append(str(item.path))  # the app reads it and reports its errors
            continue
        before = len(stats.skipped)
        for _ in read_calls([item], input_format=input_format, sellers=sellers, stats=stats):
            pass
        if len(stats.skipped) == before:
            kept.append(str(item.path))
        else:
            warn(for_terminal(f"skipped {item.path}: not a transcript callreview can read"))
    if stats.skipped:
        warn(for_terminal(stats.summary()))
    if inputs and not kept:
        raise UsageError("no transcript found in the folders given", hint="check the files with: callreview inspect FILE")
    return tuple(kept)
