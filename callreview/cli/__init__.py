"""The command line: one small command per core function.

Each command lives in a submodule of this package and only parses options, calls the
core library and prints. Heavy libraries are imported inside the command bodies, so
``callreview --help`` stays instant. Every :class:`CallreviewError` becomes one
``error: FILE:LINE: message`` line and a ``hint:`` line on stderr, with exit status 2.
"""

from __future__ import annotations

import enum
import gc
import sys

import click

from ..errors import CallreviewError


class Exit(enum.IntEnum):
    OK = 0
    FAILURE = 1  # a check that ran and found a problem (e.g. a failed gate)
    USAGE = 2  # the user's input or environment is wrong; the message says how to fix it


class CallreviewGroup(click.Group):
    """A click group that turns the project's errors into one-line messages."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except CallreviewError as exc:
            click.echo(exc.render(), err=True)
            ctx.exit(Exit.USAGE)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # `callreview inspect big.vtt | head`
            sys.stderr.close()
            ctx.exit(Exit.OK)


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=CallreviewGroup, context_settings=CONTEXT)
@click.version_option(package_name="callreview")
def cli() -> None:
    """callreview: review and coach sales calls, offline.

    Load a transcript (Teams/Zoom VTT, SRT, Otter, plain 'Name: text', Teams DOCX)
    or written call notes; label every passage with a behavior and a call stage;
    see the call against its outcome and the team's successful calls; correct
    labels, retrain, export feedback.
    """


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def _register() -> None:
    # Each module adds its commands to `cli`; they import only click and light modules.
    from . import classifier as _classifier  # noqa: F401
    from . import export as _export  # noqa: F401
    from . import insights as _insights  # noqa: F401
    from . import inspect as _inspect  # noqa: F401
    from . import models as _models  # noqa: F401
    from . import review as _review  # noqa: F401
    from . import reviews as _reviews  # noqa: F401


_register()


def main(argv: list[str] | None = None) -> int:
    """The console entry point: click's own usage errors get the same one-line shape.

    A command is a short batch run, so the cyclic garbage collector is paused for it:
    once spaCy and numpy are loaded every full collection walks ~100,000 objects, which
    added up to ~0.15 s of a cold ``annotate`` and reclaimed nothing (what callreview
    builds is freed by reference counting). The review app is long-lived and turns it
    back on (``cli/review.py``)."""
    was = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if was:
            gc.enable()


def _main(argv: list[str] | None) -> int:
    try:
        rv = cli.main(args=argv, prog_name="callreview", standalone_mode=False)
    except click.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError" and exc.ctx is not None:  # bare `callreview`
            click.echo(exc.ctx.get_help())
            return Exit.OK
        where = exc.ctx.command_path if exc.ctx else "callreview"
        click.echo(f"error: {exc.format_message()}", err=True)
        click.echo(f"hint: see `{where} --help`", err=True)
        return Exit.USAGE
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)
        return exc.exit_code
    return rv if isinstance(rv, int) else 0
