"""WebVTT captions: Microsoft Teams, Zoom, and plain captions without speakers.

- Teams: ``<v Name>text</v>`` voice spans (the closing tag is often missing), cue ids
  like ``3f2a.../17-0``, entities (``&amp;``, ``&nbsp;``), display names with commas and
  parentheses (``<v Ortiz, Dana (Contoso)>``).
- Zoom: numbered cues whose text starts with ``Name: ``.
- Captions without speakers: each cue is one passage.

``NOTE``, ``STYLE`` and ``REGION`` blocks are skipped; timings may omit the hours
(``01:02.500``) and carry cue settings (``align:start position:10%``). Consecutive cues of
the same speaker are merged into one passage (see ``_base.merge_cues``).
"""

from __future__ import annotations

from typing import Iterable

from ..records import Call
from . import _cues
from ._base import LabelVote, Source, Turn, build_call

EXAMPLE = "00:01:02.500 --> 00:01:05.000"
_SKIP = ("NOTE", "STYLE", "REGION")


def parse(src: Source, known: Iterable[str] = ()) -> list[Turn]:
    lines = src.lines()
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    body = first
    if lines[first].lstrip("\ufeff").startswith("WEBVTT"):
        # the header block runs to the first blank line
        body = first
        while body < len(lines) and lines[body].strip():
            body += 1
    else:
        src.warn_at(first + 1, "no 'WEBVTT' header; reading the cues anyway")
    cue_lines = [
        _cues.strip_markup(line) for line in lines[body:] if "-->" not in line
    ]
    vote = LabelVote(cue_lines, known)
    turns: list[Turn] = []
    for lineno, block in _cues.blocks(lines, body):
        head = block[0].strip()
        if head.split(" ", 1)[0].split("\t", 1)[0] in _SKIP:
            continue
        _cues.read_cue(src, block, lineno, turns, vote, example=EXAMPLE, digits_are_ids=False,
                       numbered_hint=f"each cue starts with a timing line like '{EXAMPLE}'")
    return turns


def read(src: Source, *, known: Iterable[str] = ()) -> Call:
    return build_call(src, parse(src, known), fmt="vtt", merge=True)
