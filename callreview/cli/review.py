"""``callreview review``: open the review app on some calls, or on the library of stored calls.

A thin wrapper over :func:`callreview.tui.make_app`; Textual is imported only when the
command runs, so ``callreview --help`` stays instant.
"""

from __future__ import annotations

import gc

import click

from . import cli
from ._util import input_format_option, readable_files, recursive_option


@cli.command("review")
@click.argument("files", nargs=-1, metavar="[FILE|DIR|GLOB...]")
@click.option("--seller", default=None, metavar="NAME", help="The seller being coached on these calls.")
@click.option("--model", "model_dir", default=None, metavar="DIR", type=click.Path(file_okay=False),
              help="Model folder (default: the current model; it loads in the background).")
@click.option("--store", "store_path", default=None, metavar="PATH", type=click.Path(dir_okay=False),
              help="Review store file (default: $CALLREVIEW_STORE, else reviews.sqlite3 in the user data folder).")
@click.option("--against", "team", multiple=True, metavar="PATH", type=click.Path(),
              help="The team's labeled calls to coach against (corpus file or folder; repeatable). "
                   "Default: the shipped corpus.")
@click.option("--corpus", multiple=True, metavar="PATH", type=click.Path(),
              help="Corpus a retrain starts from (repeatable). Default: the model's own training corpus.")
@input_format_option
@recursive_option
def review_cmd(files: tuple[str, ...], seller: str | None, model_dir: str | None, store_path: str | None,
               team: tuple[str, ...], corpus: tuple[str, ...], input_format: str, recursive: bool) -> None:
    """Review calls in the terminal: relabel passages, see the call against its outcome,
    write feedback, retrain.

    With FILEs the calls are imported into the review store (labeled by the model) and
    the first one opens; without, the library of stored calls opens. A folder gives its
    files (subfolders with -r); one that is not a transcript is skipped with a warning. Every edit is saved
    at once; press ? in the app for the keys.
    """
    from ..tui import make_app

    if files:
        files = readable_files(files, recursive=recursive, input_format=input_format,
                               sellers=(seller,) if seller else ())

    app = make_app(files, seller=seller, model_dir=model_dir, store_path=store_path,
                   team=team or None, corpus=corpus or None, input_format=input_format)
    # the app runs for hours: collect cycles again (paused for batch commands, cli.main),
    # and move what is loaded by now out of the collector's way so its pauses stay short
    gc.freeze()
    gc.enable()
    app.run()
