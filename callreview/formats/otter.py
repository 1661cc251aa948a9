"""Otter.ai TXT exports::

    Dana Ortiz  0:03
    Thanks for making time today.

    Sam Lee  0:09
    Sure.

    Transcribed by https://otter.ai

A header line is a speaker name (``label_shape_ok``; "Speaker 1" and "Unknown Speaker"
included) followed by spaces and a time (``m:ss`` or ``h:mm:ss``). Every line up to the
next header belongs to that turn (blank lines inside a turn are kept as spaces). The
"Transcribed by https://otter.ai" footer is dropped. Otter gives no end times.
Text before the first header (a title line) becomes the call's title when it is one
line, else a passage without speaker.
"""

from __future__ import annotations

import re

from ..records import Call
from ._base import Source, Turn, build_call, header_fields, label_shape_ok, parse_clock, read_header

HEAD = re.compile(r"^(?P<name>\S.{0,60}?)\s+(?P<ts>(?:\d{1,2}:)?\d{1,2}:\d{2})\s*$")
FOOTER = re.compile(r"^\s*transcribed by\s+(?:https?://)?(?:www\.)?otter\.ai/?\s*$", re.IGNORECASE)


def head(line: str) -> tuple[str, float] | None:
    end = line.rstrip()[-1:]
    if not end.isdigit() or ":" not in line:  # not "... m:ss": skip the (backtracking) pattern
        return None
    m = HEAD.match(line)
    if not m:
        return None
    name = " ".join(m.group("name").split())
    ts = parse_clock(m.group("ts"))
    if ts is None or not label_shape_ok(name):
        return None
    return name, ts


def parse(src: Source) -> tuple[list[Turn], list[str]]:
    """The turns and the lines before the first header."""
    lines = src.lines()
    turns: list[Turn] = []
    parts: list[list[str]] = []  # each turn's lines, joined once at the end (not += per line)
    before: list[str] = []
    for n, line in enumerate(lines, 1):
        if FOOTER.match(line):
            continue
        got = head(line)
        if got:
            turns.append(Turn("", got[0], got[1], None, n))
            parts.append([""])
        elif turns:
            if line.strip():
                parts[-1].append(line)
        else:
            before.append(line)
    for turn, texts in zip(turns, parts):
        turn.text = "\n".join(texts)
    return turns, before


def read(src: Source) -> Call:
    turns, before = parse(src)
    if not turns:
        raise src.error("no Otter speaker lines ('Name  0:03') found",
                        hint="an Otter.ai TXT export has a 'Name  m:ss' line before each turn; "
                             "for 'Name: text' lines use --format plain")
    header, skip = read_header(before)
    fields = header_fields(header)
    rest = [line for line in before[skip:] if line.strip()]
    if len(rest) == 1 and not fields["title"]:
        fields["title"] = rest[0].strip()
    elif rest:
        turns.insert(0, Turn("\n".join(rest), None, None, None, 1 + skip))
    return build_call(src, turns, fmt="otter", **fields)
