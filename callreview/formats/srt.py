"""SubRip (SRT) captions: numbered cues, ``00:00:01,000 --> 00:00:04,000`` timings (comma
milliseconds; a dot and odd spacing around ``-->`` are accepted too), text lines that may
start with ``Name: ``. Formatting tags (``<i>``, ``<font>``, ``{\\an8}``) are removed.
Consecutive cues of the same speaker are merged into one passage.
"""

from __future__ import annotations

from typing import Iterable

from ..records import Call
from . import _cues
from ._base import LabelVote, Source, Turn, build_call

EXAMPLE = "00:01:02,500 --> 00:01:05,000"


def parse(src: Source, known: Iterable[str] = ()) -> list[Turn]:
    lines = src.lines()
    vote = LabelVote((_cues.strip_markup(x) for x in lines if "-->" not in x), known)
    turns: list[Turn] = []
    for lineno, block in _cues.blocks(lines):
        _cues.read_cue(src, block, lineno, turns, vote, example=EXAMPLE, digits_are_ids=True,
                       numbered_hint=f"each cue is a number, a timing line like '{EXAMPLE}', then text")
    return turns


def read(src: Source, *, known: Iterable[str] = ()) -> Call:
    return build_call(src, parse(src, known), fmt="srt", merge=True)
