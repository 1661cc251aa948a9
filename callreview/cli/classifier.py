"""``train``, ``evaluate`` and ``annotate``: thin wrappers over train, evaluate and classify."""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
import time
from pathlib import Path

import click

from . import cli
from ._util import batch_calls, batch_options, input_format_option, inputs_argument, jobs_option
from .inspect import call_header, clock

TASK_ORDER = ("behavior", "stage")


def _progress(quiet: bool):
    start = time.perf_counter()

    def say(message: str) -> None:
        if not quiet:
            click.echo(f"[{time.perf_counter() - start:5.1f}s] {message}", err=True)

    return say


def _jobs(jobs: int) -> int:
    from ..batch import resolve_jobs

    return resolve_jobs(jobs)


def load_corpus_paths(paths) -> list:
    from ..corpora import read_corpus

    return read_corpus(*paths)


@cli.command("train")
@click.option("--corpus", "corpora", multiple=True, required=True, type=click.Path(),
              help="A corpus v1 .jsonl file or a folder of them (repeatable).")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Model folder to write (default: a new versioned folder in the user data directory).")
@click.option("--folds", type=click.IntRange(min=0), default=5, show_default=True,
              help="Grouped cross-validation folds measured before the final fit (0 skips it).")
@click.option("--with-reviews", is_flag=True, help="Add the labels managers set in the review store.")
@click.option("--store", "store_path", type=click.Path(dir_okay=False), default=None,
              help="Review store for --with-reviews (default: $CALLREVIEW_STORE or the user data directory).")
@click.option("--use", "make_current", is_flag=True, help="Make the new model the default one.")
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
@jobs_option(default=-1, what="run the cross-validation folds in")
def train_cmd(corpora, out, folds, with_reviews, store_path, make_current, quiet, jobs):
    """Train a model on labeled calls and print its cross-validated macro-F1."""
    from ..artifacts import save_model, set_current_model, user_models_dir
    from ..train import merge_reviews, train

    say = _progress(quiet)
    calls = load_corpus_paths(corpora)
    sources = list(corpora)
    if with_reviews:
        calls, n_reviewed = merge_reviews(calls, store_path)
        sources.append(f"reviews ({n_reviewed} calls)")
        say(f"merged {n_reviewed} reviewed calls")
    say(f"{len(calls)} calls, {sum(len(c.passages) for c in calls)} passages")
    model = train(calls, cv_folds=folds, progress=say, sources=sources, n_jobs=_jobs(jobs))
    target = Path(out) if out else user_models_dir() / model.id
    save_model(model, target)
    if make_current:
        set_current_model(target)
    for task in TASK_ORDER:
        m = model.meta["metrics"].get(task)
        if m:
            extra = ""
            if "independent" in m:
                extra = f"  (without sequence decoding {m['independent']['macro_f1']:.3f})"
            click.echo(f"{task:<9} cross-validated macro-F1 {m['macro_f1']:.3f}  accuracy {m['accuracy']:.3f}{extra}")
    click.echo(f"model {model.id} written to {target}")


def _fmt_report(task: str, rep: dict) -> str:
    lines = [f"== {task}: macro-F1 {rep['macro_f1']:.3f}  accuracy {rep['accuracy']:.3f}  "
             f"({rep['n']} passages)"]
    b = rep["baseline"]
    lines.append(f"   majority baseline ({b['majority_label']}): macro-F1 {b['macro_f1']:.3f}  accuracy {b['accuracy']:.3f}")
    if "independent" in rep:
        lines.append(f"   without sequence decoding: macro-F1 {rep['independent']['macro_f1']:.3f}  "
                     f"accuracy {rep['independent']['accuracy']:.3f}")
    if "ece" in rep:
        lines.append(f"   calibration error (ECE): {rep['ece']:.3f}")
    w = max(len(k) for k in rep["per_label"])
    lines.append(f"   {'label':<{w}}  precision  recall     f1  support")
    for lab, v in rep["per_label"].items():
        lines.append(f"   {lab:<{w}}  {v['precision']:9.3f}  {v['recall']:6.3f}  {v['f1']:5.3f}  {v['support']:7d}")
    labels = rep["confusion"]["labels"]
    abbrev = [lab[:5] for lab in labels]
    lines.append("   confusion (rows = true, columns = predicted):")
    lines.append("   " + " " * w + " " + " ".join(f"{a:>5}" for a in abbrev))
    for lab, row in zip(labels, rep["confusion"]["matrix"]):
        lines.append(f"   {lab:<{w}} " + " ".join(f"{v:5d}" for v in row))
    return "\n".join(lines)


@cli.command("evaluate")
@click.option("--corpus", "corpora", multiple=True, required=True, type=click.Path(),
              help="Labeled corpus v1 file or folder (repeatable).")
@click.option("--model", "model_dir", type=click.Path(file_okay=False), default=None,
              help="Evaluate this trained model; without it, run grouped cross-validation of the pipeline.")
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON on stdout.")
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
@jobs_option(default=-1, what="run the cross-validation folds in")
def evaluate_cmd(corpora, model_dir, folds, as_json, quiet, jobs):
    """Per-label precision, recall, F1, confusion matrix and baselines for each task."""
    from ..evaluate import cross_validate, evaluate_model

    calls = load_corpus_paths(corpora)
    say = _progress(quiet)
    if model_dir:
        from ..artifacts import load_model

        report = evaluate_model(load_model(model_dir), calls)
        if not report:
            from ..errors import InputError

            raise InputError("no passage in the corpus carries a label the model predicts",
                             path=corpora[0], hint="evaluate on a labeled corpus (behavior/stage fields)")
    else:
        report = cross_validate(calls, folds=folds, progress=say, n_jobs=_jobs(jobs))
    if as_json:
        click.echo(json.dumps(report, indent=2))
        return
    for task, rep in report.items():
        if not task.startswith("_"):
            click.echo(_fmt_report(task, rep))
            click.echo("")


@cli.command("annotate")
@inputs_argument()
@click.option("--model", "model_dir", type=click.Path(file_okay=False), default=None,
              help="Model folder (default: the current model, see `callreview models list`).")
@input_format_option
@click.option("--seller", "sellers", multiple=True, metavar="NAME", help="The seller's name (repeatable).")
@click.option("--json", "as_json", is_flag=True,
              help="Corpus v1 JSON lines with behavior, stage and a 'predictions' field per passage.")
@click.option("--explain", is_flag=True, help="Show the words and signals behind each label.")
@click.option("--relabel", is_flag=True, help="Replace labels already in the file with the model's.")
@batch_options
def annotate_cmd(files, model_dir, input_format, sellers, as_json, explain, relabel, recursive, jobs, scheduler,
                 quiet):
    """Label every passage of FILEs with a behavior and a call stage.

    FILEs may be folders (every file in them; subfolders with -r) and glob patterns;
    a file found there that is not a transcript is skipped with a warning. Calls are
    labeled and printed one by one (--json: one JSON line each), across processes with
    --jobs or on a Dask cluster with --scheduler, in the order they were read.
    """
    from ..artifacts import load_model
    from ..classify import is_unsure
    from ..corpora import dumps_call

    model = load_model(model_dir)
    annotated = batch_calls(files, recursive=recursive, input_format=input_format, sellers=sellers, model=model,
                            jobs=jobs, scheduler=scheduler, quiet=quiet, keep_labels=not relabel)
    if as_json:
        for c in annotated:
            click.echo(dumps_call(c))
        return
    from ..text_safety import for_terminal as safe  # what came from the file or model, for people

    width = shutil.get_terminal_size((110, 24)).columns
    for n, call in enumerate(annotated):
        if n:
            click.echo("")
        click.echo("\n".join(call_header(call)))
        click.echo(f"   model: {safe(model.id)}   (! = unsure: the top two labels are close)")
        iw = len(str(len(call.passages)))
        for p in call.passages:
            b = p.predictions.get("behavior")
            s = p.predictions.get("stage")
            mark = "!" if (is_unsure(b) or is_unsure(s)) else " "
            beh = f"{safe(p.behavior or '-')} {b.probability:.2f}" if b else safe(p.behavior or "-")
            stg = safe(p.stage or "-")
            head = f"{p.index:>{iw}} {clock(p.start):>7} {mark} {beh:<27} {stg:<18} {safe(p.speaker or p.role or '')[:14]:<14} "
            body = textwrap.wrap(safe(p.text), max(30, width - len(head))) or [""]
            click.echo(head + body[0])
            for rest in body[1:]:
                click.echo(" " * len(head) + rest)
            if explain:
                for task, pred in p.predictions.items():
                    alts = ", ".join(f"{safe(a)} {q:.2f}" for a, q in pred.alternatives)
                    click.echo(" " * len(head) + f"{safe(task)}: because {safe('; '.join(pred.explanation)) or '-'}"
                               f" | else: {alts}")
    sys.stdout.flush()
