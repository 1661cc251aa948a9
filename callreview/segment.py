"""Passages from raw turns: split a speaker turn that does two jobs, where the model says so.

A transcript file gives speaker turns; the annotation guide labels passages, and a turn
that holds a summary and then a question is two passages. Which turns to split is not a
rule per format: the model labels each sentence of every multi-sentence turn (in the
context of the whole call, as it labels passages), and a turn is cut at a sentence boundary
where the sentences on both sides get different behaviors the model is sure of. Short or
unsure sentences stay with their neighbours, so "Okay. How many sites do you run?" stays
one passage.

Nothing is lost or reordered: the passages of a split turn are consecutive pieces of its
text (joined with single spaces they give the turn's text with its whitespace normalised),
with the turn's speaker and role, times shared out by characters, and ``extra["turn"]``
naming the reader's passage they came from (``inspect`` still shows the reader's turns).
Only turns read from a transcript file are split: never a labeled passage, a corpus or
CSV passage, or a line of call notes (one line is one passage).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Sequence

from .records import Call, Passage

if TYPE_CHECKING:  # pragma: no cover
    from .artifacts import Model

#: a sentence ends with . ! ? (or an ellipsis), maybe a closing quote or bracket, then
#: whitespace before the next sentence's first character
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
#: the model must be at least this sure of both sides' behaviors to cut between them
SPLIT_PROBABILITY = 0.75
#: each side of a cut has at least this many words
MIN_WORDS = 5
#: the formats that give speaker turns (a corpus, a CSV of passages or a built Call give passages)
_TURNS = frozenset({"vtt", "srt", "plain", "otter", "docx"})


def sentences(text: str) -> list[str]:
    """The sentences of a turn, as consecutive pieces of its text."""
    return [s for s in _BOUNDARY.split(" ".join(text.split())) if s]


def splittable(call: Call) -> bool:
    return call.kind == "transcript" and call.extra.get("source_format") in _TURNS


def split_turns(calls: Sequence[Call], model: "Model") -> list[Call]:
    """The calls with each turn that does two jobs split into passages (see the module)."""
    todo: list[int] = []
    fine: list[Call] = []
    owners: list[list[tuple[int, int]]] = []  # per fine call: (turn index, sentence number) per passage
    for k, call in enumerate(calls):
        if not splittable(call):
            continue
        pieces = [sentences(p.text) if p.behavior is None and p.stage is None else [p.text]
                  for p in call.passages]
        if all(len(s) < 2 for s in pieces):
            continue
        todo.append(k)
        fine.append(_explode(call, pieces))
        owners.append([(i, j) for i, ss in enumerate(pieces) for j in range(len(ss))])
    if not todo:
        return list(calls)
    results = model.classifier.predict_calls(fine, explain=0)
    out = list(calls)
    for k, fcall, res, own in zip(todo, fine, results, owners):
        rows = res.get("behavior")
        if rows is None:
            continue
        out[k] = _regroup(calls[k], fcall, rows, own)
    return out


def _explode(call: Call, pieces: list[list[str]]) -> Call:
    """The call with every multi-sentence turn cut into its sentences."""
    out: list[Passage] = []
    for p, ss in zip(call.passages, pieces):
        if len(ss) < 2:
            out.append(_renumbered(p, len(out)))
            continue
        for text, (start, end) in zip(ss, _times(p, ss)):
            out.append(Passage(len(out), text, p.speaker, p.role, start, end, extra={"turn": p.index}))
    return call.with_passages(out)


def _renumbered(p: Passage, index: int) -> Passage:
    return p if p.index == index else replace(p, index=index)


def _times(p: Passage, parts: Sequence[str]) -> list[tuple[float | None, float | None]]:
    """Each part's share of the turn's time, by characters."""
    if p.start is None or p.end is None:
        return [(p.start if i == 0 else None, p.end if i == len(parts) - 1 else None) for i in range(len(parts))]
    total = sum(len(s) for s in parts) or 1
    out, t = [], p.start
    for s in parts:
        t2 = t + (p.end - p.start) * len(s) / total
        out.append((round(t, 3), round(t2, 3)))
        t = t2
    return out


def _cuts(labels: list[str], probs: list[float], words: list[int]) -> list[int]:
    """Where to cut a turn of sentences: before sentence j when the behavior changes there
    and the model is sure of both sides, each side long enough."""
    groups: list[list[int]] = [[0]]
    for j in range(1, len(labels)):
        groups[-1].append(j) if labels[j] == labels[groups[-1][0]] else groups.append([j])
    # a group is kept apart only when sure and long enough; otherwise it joins a neighbour
    def solid(g: list[int]) -> bool:
        return max(probs[j] for j in g) >= SPLIT_PROBABILITY and sum(words[j] for j in g) >= MIN_WORDS

    merged: list[list[int]] = []
    for g in groups:
        if merged and (not solid(g) or not solid(merged[-1])):
            merged[-1] += g
        else:
            merged.append(list(g))
    return [g[0] for g in merged[1:]]


def _regroup(call: Call, fcall: Call, rows: list[dict], own: list[tuple[int, int]]) -> Call:
    by_turn: dict[int, list[int]] = {}
    for f, (i, _j) in enumerate(own):
        by_turn.setdefault(i, []).append(f)
    out: list[Passage] = []
    for i, p in enumerate(call.passages):
        fs = by_turn[i]
        if len(fs) < 2:
            out.append(_renumbered(p, len(out)))
            continue
        labels = [rows[f]["label"] for f in fs]
        probs = [float(rows[f]["probability"]) for f in fs]
        words = [len(fcall.passages[f].text.split()) for f in fs]
        cuts = _cuts(labels, probs, words)
        if not cuts:
            out.append(_renumbered(p, len(out)))
            continue
        bounds = [0, *cuts, len(fs)]
        parts = [" ".join(fcall.passages[fs[j]].text for j in range(a, b)) for a, b in zip(bounds, bounds[1:])]
        for text, (start, end) in zip(parts, _times(p, parts)):
            out.append(Passage(len(out), text, p.speaker, p.role, start, end,
                               extra={**p.extra, "turn": p.index}))
    return call.with_passages(out)


__all__ = ["MIN_WORDS", "SPLIT_PROBABILITY", "sentences", "split_turns", "splittable"]
