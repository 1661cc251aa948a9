"""Caption files (WebVTT and SRT) share their shape: blocks separated by blank lines,
each an optional cue id, a timing line ``start --> end`` and text lines. This module
splits blocks, parses timings and turns cue text into speaker turns; ``vtt`` and
``srt`` differ only in their header, comment blocks and markup.
"""

from __future__ import annotations

import html
import re
from typing import Iterator

from ._base import LabelVote, Source, Turn, parse_clock, split_label

_TS = r"(?:\d+:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?"
TIMING = re.compile(rf"^\s*({_TS})\s*-{{1,2}}>\s*({_TS})(?:\s+.*)?\s*$")
_CLOCKISH = re.compile(r"\d:\d\d")


def blocks(lines: list[str], first: int = 0) -> Iterator[tuple[int, list[str]]]:
    """(1-based line number of the block's first line, its lines) for each block."""
    block: list[str] = []
    start = 0
    for i in range(first, len(lines)):
        line = lines[i]
        if line.strip():
            if not block:
                start = i + 1
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def parse_timing(src: Source, line: str, lineno: int, example: str) -> tuple[float, float]:
    m = TIMING.match(line)
    start = parse_clock(m.group(1)) if m else None
    end = parse_clock(m.group(2)) if m else None
    if start is None or end is None:
        raise src.error(f"broken cue timing line: {line.strip()[:60]!r}", line=lineno,
                        hint=f"a timing line looks like '{example}'; fix or delete this cue")
    if end < start:
        src.warn_at(lineno, "cue ends before it starts; kept as it is")
    return start, end


_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>", re.IGNORECASE)
_MARKUP = re.compile(
    r"</?(?:v|c|i|b|u|lang|ruby|rt|font|span)(?:[.\s][^<>]*)?>|<\d+(?::\d+)+(?:[.,]\d+)?>|\{\\[^{}]*\}",
    re.IGNORECASE,
)


def strip_markup(text: str) -> str:
    """Remove caption tags (``<c.x>``, ``<i>``, ``<font ...>``, ``<00:01.000>``, ``{\\an8}``)
    and decode entities (``&amp;``, ``&nbsp;``). Any other ``<`` or ``>`` is spoken text."""
    return html.unescape(_MARKUP.sub("", text))


def cue_turns(
    payload: list[str],
    lineno: int,
    start: float,
    end: float,
    vote: LabelVote,
) -> list[Turn]:
    """The turns in one cue's text: ``<v Name>`` voice spans (closed or not), else
    ``Name: text`` prefixes that :class:`LabelVote` accepts, else one turn without speaker."""
    text = "\n".join(payload)
    turns: list[Turn] = []
    if _VOICE.search(text):
        pieces = _VOICE.split(text)  # [before, name1, text1, name2, text2, ...]
        if pieces[0].strip():
            turns.append(Turn(strip_markup(pieces[0]), None, start, end, lineno))
        for k in range(1, len(pieces), 2):
            name = strip_markup(pieces[k] or "").strip() or None
            turns.append(Turn(strip_markup(pieces[k + 1]), name, start, end, lineno))
        return turns
    parts: list[list[str]] = []  # each turn's lines, joined once at the end (not += per line)
    for raw in payload:
        line = strip_markup(raw)
        got = split_label(line)
        if got and vote.accepts(got[0]):
            turns.append(Turn(got[2], got[0], start, end, lineno))
            parts.append([got[2]])
        elif turns:
            parts[-1].append(line)
        else:
            turns.append(Turn(line, None, start, end, lineno))
            parts.append([line])
    for turn, texts in zip(turns, parts):
        if len(texts) > 1:
            turn.text = "\n".join(texts)
    return turns


def looks_like_timing(line: str) -> bool:
    return "-->" in line or "->" in line or bool(_CLOCKISH.search(line) and len(line.split()) <= 4)


def read_cue(src: Source, block: list[str], lineno: int, turns: list[Turn], vote, *, example: str,
             numbered_hint: str, digits_are_ids: bool) -> None:
    """Read one cue block into ``turns``: an optional id line, the timing line, the text.

    A block without a timing line is text that belongs to the previous cue (kept, with a
    warning), unless it holds something that looks like a broken timing (an error that
    names the line). ``digits_are_ids``: a bare number line is a cue id, not a timing.
    """
    if "-->" in block[0]:
        t = 0
    elif len(block) > 1 and "-->" in block[1]:
        t = 1  # the cue id or number
    else:
        for k, line in enumerate(block[:2]):
            if looks_like_timing(line) and not (digits_are_ids and line.strip().isdigit()):
                raise src.error(f"broken cue timing line: {line.strip()[:60]!r}", line=lineno + k,
                                hint=f"a timing line looks like '{example}'; fix or delete this cue")
        if turns:
            src.warn_at(lineno, "text outside a cue (no timing line); kept with the previous cue")
            turns[-1].text += " " + " ".join(strip_markup(x) for x in block)
            return
        raise src.error("a cue without a timing line", line=lineno, hint=numbered_hint)
    start, end = parse_timing(src, block[t], lineno + t, example)
    payload = block[t + 1:]
    if not payload:
        src.warn_at(lineno + t, "cue has no text; skipped")
        return
    turns.extend(cue_turns(payload, lineno + t, start, end, vote))
