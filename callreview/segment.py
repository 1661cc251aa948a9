"""Passages from raw turns: split a speaker turn that does two jobs, where the model says so.

A transcript file gives speaker turns; the annotation guide labels passages, and a turn
that holds a summary and then a question is two passages. Which turns to split is not a
rule per format: the trained model has a **boundary classifier** (a logistic regression,
fitted with the rest of the model on the corpus: every sentence boundary inside a run of
one speaker's passages, positive where the corpus starts a new passage). Its features are
the first-pass behavior probabilities of the sentences on either side (out of fold when
training), how far apart they are, question marks, and the lengths of both sides. A turn is
cut where the classifier gives a cut at least 30% (chosen on a writer held out of training: the corpus splits turns rarely, so the cut is rare too).

Nothing is lost or reordered: the passages of a split turn are consecutive pieces of its
text (joined with single spaces they give the turn's text with its whitespace normalised),
with the turn's speaker and role, times shared out by characters, and ``extra["turn"]``
naming the reader's passage they came from (``inspect`` still shows the reader's turns).
Only turns read from a transcript file are split: never a labeled passage, a corpus or
CSV passage, or a line of call notes (one line is one passage). A model without a
boundary classifier (trained before it existed) splits nothing.
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
#: cut where the boundary classifier gives a cut at least this probability
CUT_PROBABILITY = 0.3
#: the task whose first-pass probabilities the boundary classifier reads
TASK = "behavior"

#: the formats that give speaker turns (a corpus, a CSV of passages or a built Call give passages)
_TURNS = frozenset({"vtt", "srt", "plain", "otter", "docx"})


def sentences(text: str) -> list[str]:
    """The sentences of a turn, as consecutive pieces of its text."""
    return [s for s in _BOUNDARY.split(" ".join(text.split())) if s]


def splittable(call: Call) -> bool:
    return call.kind == "transcript" and call.extra.get("source_format") in _TURNS


def split_turns(calls: Sequence[Call], model: "Model") -> list[Call]:
    """The calls with each turn that does two jobs split into passages (see the module)."""
    clf = model.classifier
    if getattr(clf, "boundary_", None) is None or TASK not in getattr(clf, "tasks_", ()):
        return list(calls)
    todo: list[int] = []
    fine: list[Call] = []
    pieces_of: list[list[list[str]]] = []
    for k, call in enumerate(calls):
        if not splittable(call):
            continue
        pieces = [sentences(p.text) if p.behavior is None and p.stage is None else [p.text]
                  for p in call.passages]
        if all(len(s) < 2 for s in pieces):
            continue
        todo.append(k)
        fine.append(_explode(call, pieces))
        pieces_of.append(pieces)
    if not todo:
        return list(calls)
    P = clf.first_pass(fine, TASK)
    out = list(calls)
    row = 0
    for k, fcall, pieces in zip(todo, fine, pieces_of):
        n = len(fcall.passages)
        cuts = _predict_cuts(clf.boundary_, P[row:row + n], fcall, pieces)
        row += n
        out[k] = _regroup(calls[k], pieces, cuts)
    return out


#: the features beside the two sides' probabilities and their difference (see boundary_features)
_EXTRA_FEATURES = 10


def n_boundary_features(n_labels: int) -> int:
    """How many features :func:`boundary_features` gives for a task of ``n_labels`` labels."""
    return 3 * n_labels + _EXTRA_FEATURES


def boundary_features(P, fcall: Call, left: int, right: int, turn_rows: Sequence[int]):
    """The features of the sentence boundary between fine passages ``left`` and ``right``
    (rows of ``P``, the first-pass probabilities of ``fcall``'s passages), inside the turn
    whose sentences are ``turn_rows``."""
    import numpy as np

    pl, pr = P[left], P[right]
    lt, rt = fcall.passages[left].text, fcall.passages[right].text
    k = turn_rows.index(left)
    words = [len(fcall.passages[j].text.split()) for j in turn_rows]
    cos = float(pl @ pr) / (float(np.linalg.norm(pl) * np.linalg.norm(pr)) or 1.0)
    extra = [1.0 - cos, float(rt.rstrip().endswith("?")), float(lt.rstrip().endswith("?")),
             np.log1p(words[k]), np.log1p(words[k + 1]), np.log1p(sum(words[:k + 1])),
             np.log1p(sum(words[k + 1:])), (k + 1) / len(turn_rows),
             float(fcall.passages[left].role == "seller"), float(fcall.passages[left].role == "buyer")]
    return np.concatenate([pl, pr, np.abs(pl - pr), np.asarray(extra)])


def _predict_cuts(boundary, P, fcall: Call, pieces: list[list[str]]) -> dict[int, list[int]]:
    """Per turn index: the sentence numbers before which to cut."""
    import numpy as np

    feats, where = [], []
    row = 0
    for i, ss in enumerate(pieces):
        rows = list(range(row, row + len(ss)))
        for j in range(len(ss) - 1):
            feats.append(boundary_features(P, fcall, rows[j], rows[j + 1], rows))
            where.append((i, j + 1))
        row += len(ss)
    cuts: dict[int, list[int]] = {}
    if feats:
        p = boundary.predict_proba(np.vstack(feats))[:, 1]
        for (i, j), pc in zip(where, p):
            if pc >= CUT_PROBABILITY:
                cuts.setdefault(i, []).append(j)
    return cuts


def training_boundaries(calls: Sequence[Call]) -> tuple[list[Call], list[tuple[int, int, int, list[int], int]]]:
    """What the boundary classifier learns from: each transcript call of the corpus as a
    reader would give it (runs of one speaker's passages joined into turns) cut into its
    sentences, and every sentence boundary inside a turn as
    ``(fine call, left row, right row, the turn's rows, 1 if the corpus starts a passage there)``
    (rows within the fine call)."""
    fine: list[Call] = []
    examples: list[tuple[int, int, int, list[int], int]] = []
    for call in calls:
        if call.kind != "transcript" or not any(p.behavior for p in call.passages):
            continue
        turns: list[list[Passage]] = []
        for p in call.passages:
            if turns and p.speaker and turns[-1][-1].speaker == p.speaker:
                turns[-1].append(p)
            else:
                turns.append([p])
        passages: list[Passage] = []
        ci = len(fine)
        for turn in turns:
            starts, w = set(), 0
            for p in turn:
                starts.add(w)
                w += len(p.text.split())
            ss = sentences(" ".join(p.text for p in turn))
            rows = list(range(len(passages), len(passages) + len(ss)))
            w = 0
            for j, text in enumerate(ss):
                if j:
                    examples.append((ci, rows[j - 1], rows[j], rows, int(w in starts)))
                passages.append(Passage(len(passages), text, turn[0].speaker, turn[0].role))
                w += len(text.split())
        fine.append(call.with_passages(passages))
    return fine, examples


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


def _regroup(call: Call, pieces: list[list[str]], cuts: dict[int, list[int]]) -> Call:
    out: list[Passage] = []
    for i, p in enumerate(call.passages):
        ss = pieces[i]
        if i not in cuts:
            out.append(_renumbered(p, len(out)))
            continue
        bounds = [0, *cuts[i], len(ss)]
        parts = [" ".join(ss[a:b]) for a, b in zip(bounds, bounds[1:])]
        for text, (start, end) in zip(parts, _times(p, parts)):
            out.append(Passage(len(out), text, p.speaker, p.role, start, end,
                               extra={**p.extra, "turn": p.index}))
    return call.with_passages(out)


__all__ = ["CUT_PROBABILITY", "boundary_features", "sentences", "split_turns", "splittable", "training_boundaries"]
