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
        if "-->" in block[0]:
            t = 0
        elif len(block) > 1 and "-->" in block[1]:
            t = 1  # a cue id line ("1", "3f2a-.../17-0")
        else:
            for k, line in enumerate(block[:2]):
                if _cues.looks_like_timing(line):
                    raise src.error(f"broken cue timing line: {line.strip()[:60]!r}", line=lineno + k,
                                    hint=f"a timing line looks like '{EXAMPLE}'; fix or delete this cue")
            if turns:
                src.warn_at(lineno, "text outside a cue (no timing line); kept with the previous cue")
                turns[-1].text += " " + " ".join(_cues.strip_markup(x) for x in block)
                continue
            raise src.error("a cue without a timing line", line=lineno,
                            hint=f"each cue starts with a timing line like '{EXAMPLE}'")
        start, end = _cues.parse_timing(src, block[t], lineno + t, EXAMPLE)
        payload = block[t + 1:]
        if not payload:
            src.warn_at(lineno + t, "cue has no text; skipped")
            continue
        turns.extend(_cues.cue_turns(payload, lineno + t, start, end, vote))
    return turns


def read(src: Source, *, known: Iterable[str] = ()) -> Call:
    return build_call(src, parse(src, known), fmt="vtt", merge=True)
