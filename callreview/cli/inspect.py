"""``callreview inspect FILE...``: show how callreview reads a transcript or notes file.

A thin wrapper over :func:`callreview.formats.load_calls`: a header per call and its
passages as a table (wrapped to the terminal), or corpus v1 JSON lines with ``--json``.
It imports only the readers: no scikit-learn, no Textual (spaCy only for call notes).
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import click

from ..records import Call
from ..text_safety import for_terminal
from . import cli, warn
from ._util import input_format_option

COLUMN_FIELDS = ("text", "speaker", "call", "role", "start", "end", "behavior", "stage", "outcome")


def clock(seconds: float | None) -> str:
    """``83.4`` -> ``"1:23"``, ``3723`` -> ``"1:02:03"``; empty when unknown."""
    if seconds is None:
        return ""
    s = int(seconds)
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def warn_safely(message: str) -> None:
    """``warn`` with control characters removed: a warning quotes file names and speakers."""
    warn(for_terminal(message))


def role_text(role: str | None, inferred: bool) -> str:
    if role is None:
        return ""
    return f"{role}?" if inferred else role


def call_header(call: Call, width: int = 100) -> list[str]:
    """The lines shown above a call's passages, wrapped to ``width``. What came from the
    file (title, names, the file name) is shown without control characters."""
    safe = for_terminal
    title = call.title or call.call_id
    lines = [f"== {safe(title)}  [{safe(call.call_id)}]"]
    if call.source:
        fmt = f" ({safe(call.extra.get('source_format', '?'))})"
        path = safe(call.source)
        room = max(width, 40) - len("   source: ") - len(fmt)
        if len(path) > room:  # a long folder path: keep its end, where the file name is
            path = "\u2026" + path[-max(room - 1, len(Path(path).name)):]
        lines.append(f"   source: {path}{fmt}")
    facts = [f"kind: {safe(call.kind)}", f"passages: {len(call.passages)}",
             f"outcome: {safe(call.outcome or 'unknown')}"]
    if call.seller:
        facts.append(f"seller: {safe(call.seller)}")
    lines.append("   " + "   ".join(facts))
    roles = call.roles
    if roles:
        items = [f"{safe(name)} ({safe(role_text(role, call.roles_inferred) or 'no role')})"
                 for name, role in roles.items()]
        line = "   speakers:"
        for k, item in enumerate(items):
            piece = f" {item}" + ("," if k < len(items) - 1 else "")
            if len(line) + len(piece) > width and not line.endswith(":"):
                lines.append(line)
                line = "    "
            line += piece
        lines.append(line)
    elif call.kind == "notes":
        counts: dict[str, int] = {}
        for p in call.passages:
            counts[safe(p.role or "none")] = counts.get(safe(p.role or "none"), 0) + 1
        lines.append("   note lines by role: " + ", ".join(f"{k}{'?' if call.roles_inferred else ''} {v}"
                                                          for k, v in counts.items()))
    else:
        lines.append("   speakers: none named")
    if call.roles_inferred:
        lines.append("   (? = role guessed; name the seller with --seller NAME)")
    return [w for line in lines
            for w in (textwrap.wrap(line, max(40, width), subsequent_indent="     ", break_on_hyphens=False,
                                    break_long_words=False) if len(line) > width else [line])]


def passage_table(call: Call, width: int) -> list[str]:
    """index, time, speaker, role and text per passage; text wrapped to ``width``;
    speakers and text shown without control characters."""
    ps = call.passages
    iw = len(str(len(ps) - 1)) if ps else 1
    times = [clock(p.start) for p in ps]
    tw = max((len(t) for t in times), default=0)
    speakers = [for_terminal(p.speaker or "") for p in ps]
    sw = min(22, max((len(s) for s in speakers), default=0))
    roles = [for_terminal(role_text(p.role, call.roles_inferred)) for p in ps]
    rw = max((len(r) for r in roles), default=0)
    used = sum(c + 2 for c in (iw, tw, sw, rw) if c)
    if width - used < 24 and sw > 10:  # a narrow terminal: shorten long speaker names first
        shrink = min(sw - 10, 24 - (width - used))
        sw, used = sw - shrink, used - shrink
    cols = [iw, tw, sw, rw]
    text_width = max(20, width - used)
    out = []
    for p, t, r, speaker in zip(ps, times, roles, speakers):
        if len(speaker) > sw:
            speaker = speaker[: sw - 1] + "…"
        cells = [str(p.index).rjust(iw), t.rjust(tw), speaker.ljust(sw), r.ljust(rw)]
        prefix = "".join(c + "  " for c, w in zip(cells, cols) if w)
        wrapped = textwrap.wrap(for_terminal(p.text), text_width) or [""]
        out.append(prefix + wrapped[0])
        out.extend(" " * len(prefix) + rest for rest in wrapped[1:])
    return out


def _column_options(f):
    for name in reversed(COLUMN_FIELDS):
        f = click.option(f"--{name}-column", f"{name}_column", metavar="NAME",
                         help=f"CSV: the column holding the {name} (default: found by header name).")(f)
    return f


@cli.command("inspect")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@input_format_option
@click.option("--seller", "sellers", multiple=True, metavar="NAME",
              help="The seller's name as it appears in the transcript (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print corpus v1 JSON lines instead of a table.")
@_column_options
def inspect_cmd(files: tuple[str, ...], input_format: str, sellers: tuple[str, ...], as_json: bool, **columns: str | None) -> None:
    """Show the passages callreview reads from transcript or notes FILEs.

    Reads WebVTT (Teams, Zoom), SRT, plain 'Name: text', Otter.ai TXT, written call
    notes, Teams .docx, corpus v1 .jsonl and CSV. Roles marked '?' were guessed; name
    the seller with --seller. Warnings go to stderr.
    """
    from ..formats import load_calls
    from ..formats.passages_csv import given_columns

    csv_columns = given_columns(**{k.removesuffix("_column"): v for k, v in columns.items()})
    width = shutil.get_terminal_size((100, 24)).columns
    first = True
    for path in files:
        calls = load_calls(path, format=input_format, sellers=sellers, columns=csv_columns, warn=warn_safely)
        for call in calls:
            if as_json:
                from ..corpora import dumps_call

                click.echo(dumps_call(call))
                continue
            if not first:
                click.echo("")
            first = False
            click.echo("\n".join(call_header(call, width)))
            click.echo("\n".join(passage_table(call, width)))
