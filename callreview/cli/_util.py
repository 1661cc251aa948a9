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
