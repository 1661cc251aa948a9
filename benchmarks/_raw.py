"""Write labeled calls out as the raw files a manager has (Teams VTT, SRT, plain, Otter, notes),
and score what callreview reads back from them against the labels.

A raw file knows speaker turns, not passages: consecutive passages of one speaker become one
turn, as a meeting tool writes them. Reading back must find the passages again (``segment``).
Scoring maps each labeled passage to the label callreview gave most of its words, so a turn
split differently still scores by what each word was labeled.
"""

from __future__ import annotations

import difflib
from collections import Counter
from pathlib import Path
from typing import Sequence

from callreview.records import Call

TRANSCRIPT_FORMATS = ("vtt", "srt", "plain", "otter")


def _turns(call: Call) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for p in call.passages:
        who = p.speaker or p.role or "Speaker"
        if out and out[-1][0] == who:
            out[-1][1].append(p.text)
        else:
            out.append((who, [p.text]))
    return out


def _times(call: Call) -> list[tuple[float, float]]:
    """Each turn's start and end: the passages' times where given, else 2.6 words a second."""
    out, t = [], 1.0
    k = 0
    for _who, texts in _turns(call):
        ps = call.passages[k:k + len(texts)]
        k += len(texts)
        if ps[0].start is not None and ps[-1].end is not None:
            out.append((ps[0].start, ps[-1].end))
            t = ps[-1].end + 0.4
        else:
            d = max(0.8, sum(len(x.split()) for x in texts) / 2.6)
            out.append((t, t + d))
            t += d + 0.4
    return out


def _clock(t: float, sep: str = ".") -> str:
    ms = int(round(t * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def render(call: Call, fmt: str) -> str:
    turns = _turns(call)
    if fmt == "notes":
        head = []
        if call.title:
            head.append(f"Title: {call.title}")
        if call.seller:
            head.append(f"Seller: {call.seller}")
        body = [f"- {p.text}" for p in call.passages]
        return "\n".join(head + ([""] if head else []) + body) + "\n"
    times = _times(call)
    if fmt == "vtt":
        cues = [f"{_clock(a)} --> {_clock(b)}\n<v {who}>{' '.join(texts)}</v>" for (who, texts), (a, b) in zip(turns, times)]
        return "WEBVTT\n\n" + "\n\n".join(cues) + "\n"
    if fmt == "srt":
        cues = [f"{i}\n{_clock(a, ',')} --> {_clock(b, ',')}\n{who}: {' '.join(texts)}"
                for i, ((who, texts), (a, b)) in enumerate(zip(turns, times), 1)]
        return "\n\n".join(cues) + "\n"
    if fmt == "plain":
        return "\n".join(f"{who}: {' '.join(texts)}" for who, texts in turns) + "\n"
    if fmt == "otter":
        blocks = []
        for (who, texts), (a, _b) in zip(turns, times):
            m, s = divmod(int(a), 60)
            blocks.append(f"{who}  {m}:{s:02d}\n{' '.join(texts)}")
        return "\n\n".join(blocks) + "\n\nTranscribed by https://otter.ai\n"
    raise ValueError(fmt)


def raw_format(call: Call, k: int) -> str:
    """Notes as notes; transcripts take the four transcript formats in turn."""
    return "notes" if call.kind == "notes" else TRANSCRIPT_FORMATS[k % len(TRANSCRIPT_FORMATS)]


def write_raw(calls: Sequence[Call], folder: Path) -> list[tuple[Call, Path, str]]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for k, call in enumerate(calls):
        fmt = raw_format(call, k)
        ext = {"vtt": ".vtt", "srt": ".srt", "plain": ".txt", "otter": ".otter.txt", "notes": ".md"}[fmt]
        path = folder / f"{call.call_id}{ext}"
        path.write_text(render(call, fmt), encoding="utf-8")
        out.append((call, path, fmt))
    return out


def word_labels(gold: Call, read: Call, task: str = "behavior") -> list[str | None]:
    """Per passage of ``gold``: the label ``read`` gave most of its words."""
    g_words: list[tuple[int, str]] = [(i, w) for i, p in enumerate(gold.passages) for w in p.text.split()]
    r_words: list[tuple[str | None, str]] = [(p.label(task), w) for p in read.passages for w in p.text.split()]
    votes: list[Counter[str | None]] = [Counter() for _ in gold.passages]
    a = [w for _, w in g_words]
    b = [w for _, w in r_words]
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for block in sm.get_matching_blocks():
        for d in range(block.size):
            votes[g_words[block.a + d][0]][r_words[block.b + d][0]] += 1
    return [v.most_common(1)[0][0] if v else None for v in votes]
