"""Plain text transcripts: ``Name: text``, one turn per line.

- An optional timestamp before the name: ``[00:01:23]``, ``[01:23]``, ``(01:23)`` or a
  bare ``00:01:23``; or after it: ``Dana Ortiz [01:23]: text``.
- A line that does not start with a speaker label continues the previous speaker's turn.
- A speaker label is decided by ``_base.LabelVote``: short, 1-4 name-like tokens, not a
  heading or common sentence word, and recurring in the file, naming a known speaker, or
  a full name in a file made of labelled lines (a late joiner who speaks once).
  So ``10:30 we start`` or ``Note: ...`` or ``Action items: ...`` stay text.
- An optional header block (``Title:``, ``Seller:``, ``Outcome:``, ``Date:``, ``Customer:``)
  at the top is read into the call's metadata.
- A bracketed timestamp with no speaker after it starts a passage without a speaker.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..records import Call
from ._base import LabelVote, Source, Turn, build_call, header_fields, parse_clock, read_header, split_label

_TS = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d+)?"
_STAMP = re.compile(rf"^\s*(?:\[(?P<b>{_TS})\]|\((?P<p>{_TS})\)|(?P<bare>{_TS}))\s*(?:[-–—|]\s*)?")


def _stamp(line: str) -> tuple[float | None, bool, str]:
    """(seconds, bracketed?, rest of the line) for a line that starts with a timestamp."""
    m = _STAMP.match(line)
    if not m:
        return None, False, line
    ts = m.group("b") or m.group("p") or m.group("bare")
    return parse_clock(ts), m.group("bare") is None, line[m.end():]


def speaker_vote(lines: Iterable[str], known: Iterable[str] = ()) -> LabelVote:
    return LabelVote((_stamp(line)[2] for line in lines), known)


def parse(src: Source, known: Iterable[str] = (), lines: list[str] | None = None,
          first_line: int = 1) -> list[Turn]:
    lines = src.lines() if lines is None else lines
    vote = speaker_vote(lines, known)
    turns: list[Turn] = []
    parts: list[list[str]] = []  # each turn's lines, joined once at the end (not += per line)
    for n, line in enumerate(lines, first_line):
        if not line.strip():
            continue
        ts, bracketed, rest = _stamp(line)
        got = split_label(rest) if ts is not None else split_label(line)
        if got and vote.accepts(got[0]):
            turns.append(Turn(got[2], got[0], ts if ts is not None else got[1], None, n))
        elif ts is not None and bracketed:
            turns.append(Turn(rest, None, ts, None, n))
        elif turns:
            parts[-1].append(line)
            continue
        else:
            turns.append(Turn(line, None, None, None, n))
        parts.append([turns[-1].text])
    for turn, texts in zip(turns, parts):
        if len(texts) > 1:
            turn.text = "\n".join(texts)
    return turns


def read(src: Source, *, known: Iterable[str] = ()) -> Call:
    lines = src.lines()
    header, skip = read_header(lines, speaker_vote(lines, known))
    fields = header_fields(header)
    known = [*known, *([fields["seller"]] if fields["seller"] else [])]
    turns = parse(src, known, lines[skip:], skip + 1)
    return build_call(src, turns, fmt="plain", **fields)
