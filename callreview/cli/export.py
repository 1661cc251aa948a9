"""``callreview export``: a review leaves the tool as a report a seller reads or data a team reuses.

A thin wrapper over :mod:`callreview.export`: find the calls (stored reviews or
transcript files), build their reports, redact if asked, render, write atomically.
The export package, readers and model are imported inside the command.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import InputError, UsageError
from ..text_safety import for_terminal
from . import cli, warn
from ._util import input_format_option, recursive_option, store_option

FORMATS = ("md", "html", "docx", "csv", "json", "jsonl")
_FORMAT_HINT = "use --format " + "|".join(FORMATS)


def _looks_like_path(target: str) -> bool:
    return "/" in target or "\\" in target or Path(target).suffix.lower() in (
        ".vtt", ".srt", ".txt", ".md", ".docx", ".jsonl", ".json", ".csv", ".tsv")


@cli.command("export")
@click.argument("targets", nargs=-1, metavar="TARGET...")
@click.option("--format", "fmt", default=None, metavar="FMT",
              help="md, html or docx (a coaching report); csv, json or jsonl (data). "
                   "Default: from the -o file name.")
@click.option("-o", "--output", default=None, metavar="PATH",
              help="File to write (written whole or not at all). '-' or none: standard output (not for docx).")
@click.option("--redact", is_flag=True,
              help="Replace names (speakers become Seller 1, Buyer 1...), e-mail addresses, phone, card "
                   "and account numbers in every format.")
@click.option("--redact-name", "redact_names", multiple=True, metavar="NAME",
              help="Another person's name to redact, e.g. someone mentioned who does not speak "
                   "(repeatable; implies --redact).")
@click.option("--all", "all_calls", is_flag=True,
              help="Export every call in the review store (csv, json or jsonl), for team analysis.")
@click.option("--against", multiple=True, type=click.Path(), metavar="PATH",
              help="The team's labeled calls (corpus file or folder; repeatable): adds coaching points "
                   "from the team's successful calls to the report.")
@click.option("--model", "model_dir", default=None, metavar="DIR",
              help="Model folder for transcript files (default: the current model).")
@click.option("--seller", "sellers", multiple=True, metavar="NAME",
              help="The seller's speaker name in transcript files without roles (repeatable).")
@store_option
@input_format_option(flag="--input-format")
@recursive_option
def export_cmd(targets: tuple[str, ...], fmt: str | None, output: str | None, redact: bool,
               redact_names: tuple[str, ...], all_calls: bool, against: tuple[str, ...], model_dir: str | None,
               sellers: tuple[str, ...], store_path: str | None, input_format: str, recursive: bool) -> None:
    """Export reviewed calls as a coaching report or as data.

    TARGET is a call id from the review store (see: callreview reviews list), a
    transcript file, a folder of them (subfolders with -r) or a glob pattern; a file found
    in a folder that is not a transcript is skipped with a warning. A file whose call is in the review store is exported with its
    review; other files are labeled with the model, without feedback.

    \b
    Reports for the seller:  callreview export northwind-0412 --format html -o northwind.html
    Data for the team:       callreview export --all --format csv -o reviews.csv
    Retraining data:         callreview export --all --format jsonl --redact -o reviewed.jsonl
    """
    from .. import export
    from ..store import Store
    from ..store import store_path as resolve_store

    fmt = _format(fmt, output)
    to_stdout = output is None or output == "-"
    if fmt in export.BINARY_FORMATS and to_stdout:
        raise UsageError(f"a {fmt} file cannot go to the terminal", hint=f"name the file with -o report.{fmt}")
    if all_calls and targets:
        raise UsageError("--all exports every stored call; give no TARGET with it",
                         hint="drop the call ids and files, or drop --all")
    if all_calls and fmt not in export.DATA_FORMATS:
        raise UsageError(f"--all writes team data, not {fmt} reports",
                         hint="use --format csv, json or jsonl with --all, or name the calls to report on")
    if not all_calls and not targets:
        raise UsageError("nothing to export", hint="give a stored call id or a transcript file, or --all")

    spath = resolve_store(store_path)
    store = Store.open(spath, read_only=True) if spath.exists() else None
    try:
        team = _team(against, model_dir) if against else None
        if all_calls:
            if store is None:
                raise UsageError("there is no review store yet, so nothing to export", hint=(
                    f"add calls with: callreview reviews add FILE... (store: {spath})"))
            reports = [export.from_store(store, s.call_id, team=team) for s in store.list_calls()]
            if not reports:
                warn("the review store holds no calls: the export is empty")
        else:
            reports = _reports(targets, store, spath, team, model_dir, sellers, input_format, recursive)
    finally:
        if store is not None:
            store.close()

    if redact or redact_names:
        reports = [export.redacted(r, extra_names=redact_names) for r in reports]
    data = export.render(reports, fmt)
    if to_stdout:
        assert isinstance(data, str)
        click.echo(data, nl=False)
        return
    export.write_atomic(output, data, bom=(fmt == "csv"))  # type: ignore[arg-type]
    what = f"{len(reports)} call{'s' if len(reports) != 1 else ''}"
    click.echo(f"wrote {what} as {fmt}{' (redacted)' if redact or redact_names else ''} to {output}", err=True)


def _format(fmt: str | None, output: str | None) -> str:
    from ..export import format_for_path

    if fmt is None:
        fmt = format_for_path(output)
        if fmt is None:
            raise UsageError("which format?", hint=_FORMAT_HINT + " (or name the -o file with its extension)")
        return fmt
    fmt = fmt.strip().lower().lstrip(".")
    fmt = {"markdown": "md", "htm": "html", "word": "docx"}.get(fmt, fmt)
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}", hint=_FORMAT_HINT)
    return fmt


def _team(against: tuple[str, ...], model_dir: str | None):
    from .insights import annotate_missing, load_paths

    team, _ = annotate_missing(load_paths(against), model_dir)
    if not team:
        raise UsageError("no team calls found", hint="--against takes corpus .jsonl files or folders of them")
    return team


def _reports(targets: tuple[str, ...], store, spath: Path, team, model_dir: str | None, sellers: tuple[str, ...],
             input_format: str = "auto", recursive: bool = False):
    from .. import export
    from ..artifacts import load_model
    from ..batch import BatchStats, expand_inputs

    out = []
    stored = {s.call_id for s in store.list_calls()} if store is not None else set()
    stats = BatchStats()
    for target in targets:
        p = Path(target)
        if p.is_dir() or (not p.exists() and target not in stored and set("*?[") & set(target)):
            for item in expand_inputs([target], recursive=recursive):
                try:
                    out.extend(export.from_files([item.path], model=lambda: load_model(model_dir), sellers=sellers,
                                                 store=store, team=team, warn=warn, input_format=input_format))
                except InputError as exc:
                    stats.skipped.append(str(item.path))
                    warn(for_terminal(f"skipped {item.path}: {exc.message}"))
            continue
        if p.is_file():
            out.extend(export.from_files([p], model=lambda: load_model(model_dir), sellers=sellers, store=store,
                                         team=team, warn=warn, input_format=input_format))
            continue
        if target in stored:
            out.append(export.from_store(store, target, team=team))
            continue
        if _looks_like_path(target):
            raise InputError("no such file", path=target, hint="check the path, or give a stored call id")
        where = f"in the review store {spath}" if store is not None else f"(and no review store at {spath})"
        raise UsageError(f"{target!r} is neither a file nor a call {where}",
                         hint="see the stored calls with: callreview reviews list")
    if stats.skipped:
        warn(stats.summary())
    return out


__all__ = ["export_cmd"]
