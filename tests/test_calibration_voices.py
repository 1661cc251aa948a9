"""Confidence is calibrated on folds that hold out whole voices (a corpus file is one writer's
batch), so what is shown is what the model earns on a voice it has not seen."""

from __future__ import annotations

from dataclasses import replace

from callreview.pipeline import _voice_groups
from callreview.records import Call, Passage


def _call(cid: str, source: str, n: int = 2) -> Call:
    return Call(cid, tuple(Passage(i, "words") for i in range(n)), source=source)


def test_passages_are_grouped_by_the_file_their_call_came_from():
    calls = [_call("a", "w1.jsonl"), _call("b", "w1.jsonl", 3), _call("c", "w2.jsonl"), _call("d", "w3.jsonl")]
    bounds, k = [], 0
    for c in calls:
        bounds.append((k, k + len(c.passages)))
        k += len(c.passages)
    groups = _voice_groups(calls, bounds).tolist()
    assert groups == [0, 0, 0, 0, 0, 1, 1, 2, 2]  # both calls of w1 are one voice


def test_with_fewer_than_three_files_each_call_is_its_own_group():
    calls = [_call("a", "w1.jsonl"), _call("b", "w1.jsonl"), replace(_call("c", "w2.jsonl"), source=None)]
    groups = _voice_groups(calls, [(0, 2), (2, 4), (4, 6)]).tolist()
    assert groups == [0, 0, 1, 1, 2, 2]
