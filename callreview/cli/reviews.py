"""``callreview reviews add|list|export``, ``callreview queue``, ``callreview agreement``.

Thin wrappers over :class:`callreview.store.Store` and :mod:`callreview.agreement`.
Every command takes ``--store PATH`` (else ``$CALLREVIEW_STORE``, else the user data
folder; see :func:`callreview.store.default_store_path`). Readers and the model are
imported only inside ``reviews add``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Any

import click

from ..errors import UsageError
from . import cli, warn
from ._util import batch_calls, batch_options, input_format_option, inputs_argument, json_option, store_option

EXPORT_FORMATS = ("jsonl",)


def _open(store_path: str | None, *, read_only: bool = False):
    from ..store import Store

    return Store.open(store_path, read_only=read_only)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(rows: list[list[str]], header: list[str]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    return ["  ".join(str(v).ljust(w) for v, w in zip(r, widths)).rstrip() for r in [header, *rows]]


@cli.group("reviews")
def reviews() -> None:
    """Keep review work: add calls to the review store, list them, export the reviewed ones."""


@reviews.command("add")
@inputs_argument()
@click.option("--seller", default=None, metavar="NAME", help="The seller being coached on these calls.")
@click.option("--model", "model_dir", default=None, metavar="DIR",
              help="Model folder to annotate with (default: the current model).")
@store_option
@input_format_option
@batch_options
def add_cmd(files: tuple[str, ...], seller: str | None, model_dir: str | None, store_path: str | None,
            input_format: str, recursive: bool, jobs: int, scheduler: str | None, quiet: bool) -> None:
    """Read calls, label them with the model, and keep them for review.

    FILEs may be folders (every file in them; subfolders with -r) and glob patterns; a
    file found there that is not a transcript is skipped with a warning naming it.
    Adding a call that is already in the store finds its review (nothing is duplicated);
    with another model its new predictions become the current ones.
    """
    from ..artifacts import load_model

    model = load_model(model_dir)
    n = 0
    with _open(store_path) as store:
        for call in batch_calls(files, recursive=recursive, input_format=input_format,
                                sellers=(seller,) if seller else (), model=model, jobs=jobs, scheduler=scheduler,
                                quiet=quiet):
            n += 1
            added = store.add_call(call, seller=seller, model_id=model.id)
            if added.created:
                click.echo(f"added {added.call_id} ({len(call.passages)} passages)")
            elif added.prediction_set is not None:
                click.echo(f"already in the store: {added.call_id} (review kept; predictions of {model.id} added)")
            else:
                click.echo(f"already in the store: {added.call_id} (review kept)")
    if not n:
        raise UsageError("no calls found in the files given", hint="check the files with: callreview inspect FILE")


@reviews.command("list")
@json_option
@store_option
def list_cmd(as_json: bool, store_path: str | None) -> None:
    """List the calls in the review store with their review progress."""
    with _open(store_path, read_only=True) as store:
        calls = store.list_calls()
    if as_json:
        _echo_json([asdict(c) for c in calls])
        return
    if not calls:
        click.echo("no calls in the review store yet; add some with: callreview reviews add FILE...", err=True)
        return
    rows = [[c.call_id, c.status, f"{c.n_decided}/{c.n_passages}", str(c.n_unsure), c.outcome or "-",
             c.seller or "-", _clip(c.title or "", 40), c.added_at[:10]] for c in calls]
    for line in _table(rows, ["CALL", "STATUS", "DECIDED", "UNSURE", "OUTCOME", "SELLER", "TITLE", "ADDED"]):
        click.echo(line)


@reviews.command("export")
@click.option("--format", "fmt", default="jsonl", metavar="FORMAT", help="Output format: jsonl (corpus v1).")
@click.option("-o", "--output", default=None, metavar="PATH", help="File to write (default: standard output).")
@store_option
def export_cmd(fmt: str, output: str | None, store_path: str | None) -> None:
    """Export the reviewed calls as training data (corpus v1).

    Only labels a manager decided are kept (accepted or relabeled); skipped and
    undecided passages have no label, and calls without decisions are left out.
    """
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r}", hint="use --format " + " or ".join(EXPORT_FORMATS))
    from ..corpora import write_corpus

    with _open(store_path, read_only=True) as store:
        calls = store.reviewed_calls()
    if not calls:
        warn("no reviewed calls yet: nothing to export (decide some passages first)")
    if output is None or output == "-":
        write_corpus(calls, sys.stdout, predictions=False)
        return
    from ..files import open_atomic

    with open_atomic(output) as out:
        write_corpus(calls, out, predictions=False)
    click.echo(f"wrote {len(calls)} reviewed calls to {output}", err=True)


@cli.command("queue")
@click.option("--limit", default="20", metavar="N", show_default=True, help="How many passages to show.")
@json_option
@store_option
def queue_cmd(limit: str, as_json: bool, store_path: str | None) -> None:
    """The undecided passages the model is least sure about, across calls, first."""
    try:
        n = int(limit)
    except ValueError:
        n = -1
    if n < 1:
        raise UsageError(f"--limit must be a whole number of at least 1, not {limit!r}", hint="e.g. --limit 20")
    with _open(store_path, read_only=True) as store:
        items = store.queue(n)
    if as_json:
        _echo_json([{
            "call_id": q.call_id, "index": q.index, "task": q.task, "margin": round(q.margin, 4),
            "speaker": q.speaker, "role": q.role, "text": q.text,
            "predictions": {t: p.to_json() for t, p in q.predictions.items()},
        } for q in items])
        return
    if not items:
        click.echo("nothing to review: every passage the model scored has a decision", err=True)
        return
    for q in items:
        pred = q.predictions[q.task]
        alt = f" vs {pred.alternatives[0][0]} {pred.alternatives[0][1]:.0%}" if pred.alternatives else ""
        who = f"{q.speaker or q.role or '?'}: "
        click.echo(f"{q.margin:.2f}  {q.call_id} #{q.index}  {q.task}: {pred.label} {pred.probability:.0%}{alt}")
        click.echo(f"      {_clip(who + q.text, 90)}")


@cli.command("agreement")
@json_option
@store_option
def agreement_cmd(as_json: bool, store_path: str | None) -> None:
    """How much reviewers agree on the passages they both labeled, per task."""
    from ..agreement import agreement_by_task

    with _open(store_path, read_only=True) as store:
        result = agreement_by_task(store.decisions_by_reviewer())
    if as_json:
        _echo_json({task: a.to_json() for task, a in result.items()})
        return
    if not result:
        click.echo("no decisions in the review store yet", err=True)
        return

    def fig(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.2f}"

    for task, a in result.items():
        who = ", ".join(f"{r} {a.n_labels[r]}" for r in a.reviewers)
        click.echo(f"{task}: {len(a.reviewers)} reviewer(s) ({who}); {a.n_items} passages labeled, "
                   f"{a.n_compared} labeled by two or more")
        if a.n_compared == 0:
            click.echo("  no passage was labeled by two reviewers yet")
            continue
        kappa = f"   Cohen's kappa {fig(a.kappa)}" if len(a.reviewers) == 2 else ""
        click.echo(f"  raw agreement {fig(a.raw)}{kappa}   Krippendorff's alpha {fig(a.alpha)}")
