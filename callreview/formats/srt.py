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
        if "-->" in block[0]:
            t = 0
        elif len(block) > 1 and "-->" in block[1]:
            t = 1  # the cue number
        else:
            for k, line in enumerate(block[:2]):
                if _cues.looks_like_timing(line) and not line.strip().isdigit():
                    raise src.error(f"broken cue timing line: {line.strip()[:60]!r}", line=lineno + k,
                                    hint=f"a timing line looks like '{EXAMPLE}'; fix or delete this cue")
            if turns:
                src.warn_at(lineno, "text outside a cue (no timing line); kept with the previous cue")
                turns[-1].text += " " + " ".join(_cues.strip_markup(x) for x in block)
                continue
            raise src.error("a cue without a timing line", line=lineno,
                            hint=f"each cue is a number, a timing line like '{EXAMPLE}', then text")
        start, end = _cues.parse_timing(src, block[t], lineno + t, EXAMPLE)
        payload = block[t + 1:]
        if not payload:
            src.warn_at(lineno + t, "cue has no text; skipped")
            continue
        turns.extend(_cues.cue_turns(payload, lineno + t, start, end, vote))
    return turns


def read(src: Source, *, known: Iterable[str] = ()) -> Call:
    return build_call(src, parse(src, known), fmt="srt", merge=True)
