"""Helpers for the review app tests (test_tui_*.py): the files they open, a tiny model
trained once per session on tests/data/tui/team.jsonl, and waiting for the app.

The data in tests/data/tui/ comes from the default corpus: team.jsonl holds 14 of its
calls (8 successful, 6 not), brightline-discovery.vtt is call fieldservice-1001 written
as a Teams VTT, lakeshore-demo.txt is dental-pms-1004 as 'Name: text' lines.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Callable

DATA = Path(__file__).parent / "data" / "tui"
TEAM = DATA / "team.jsonl"
VTT = DATA / "brightline-discovery.vtt"
PLAIN = DATA / "lakeshore-demo.txt"
SELLER = "Marisol Vega"
SIZE = (120, 40)


async def wait_for(pilot, condition: Callable[[], bool], what: str = "the app", tries: int = 600) -> None:
    """Let the app run until ``condition()`` holds (background workers included)."""
    for _ in range(tries):
        if condition():
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {what}; screen is {type(pilot.app.screen).__name__}")


async def wait_workers(pilot) -> None:
    """Let every running background job finish and its message be handled."""
    app = pilot.app
    for _ in range(600):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            break
        await asyncio.sleep(0.02)
    await pilot.pause()


def screen_name(app) -> str:
    return type(app.screen).__name__


def call_loaded(app) -> bool:
    s = app.screen
    return type(s).__name__ == "CallScreen" and s.review is not None and s.context is not None


def screen_text(app) -> str:
    """Everything the screen shows, as plain text lines (laid out from an SVG screenshot)."""
    import html
    import re

    svg = app.export_screenshot()
    rows: dict[float, dict[int, str]] = {}
    for attrs, body in re.findall(r"<text([^>]*)>(.*?)</text>", svg, flags=re.S):
        x = re.search(r' x="([\d.]+)"', attrs)
        y = re.search(r' y="([\d.]+)"', attrs)
        length = re.search(r'textLength="([\d.]+)"', attrs)
        text = html.unescape(body).replace("\xa0", " ")
        if not (x and y and length and text):
            continue
        width = float(length.group(1)) / len(text)
        rows.setdefault(float(y.group(1)), {})[round(float(x.group(1)) / width)] = text
    lines = []
    for _y, cells in sorted(rows.items()):
        line = ""
        for col, text in sorted(cells.items()):
            line = line.ljust(col) + text
        lines.append(line.rstrip())
    return "\n".join(lines)


# --------------------------------------------------------------------------- models

_TINY: dict[str, object] = {}


def tiny_model_dir() -> Path:
    """A model trained (once per test process) on tests/data/tui/team.jsonl, saved in a
    temporary folder. Its id is fixed, so screens that show it do not change."""
    if "dir" not in _TINY:
        import tempfile

        from callreview.artifacts import save_model
        from callreview.corpora import read_corpus
        from callreview.train import train

        folder = Path(tempfile.mkdtemp(prefix="callreview-tui-model-")) / "tiny"
        save_model(train(read_corpus(TEAM), cv_folds=0, model_id="tiny-test-model"), folder)
        _TINY["dir"] = folder
    return _TINY["dir"]  # type: ignore[return-value]


def tiny_model():
    from callreview.artifacts import load_model

    return load_model(tiny_model_dir())


#: the passages a fake annotation makes unsure: every 7th from the 4th (3, 10, 17, ...)
def fake_unsure(index: int) -> bool:
    return index % 7 == 3


FAKE_STAGES = ("opening", "discovery", "discovery", "presentation", "commitment")


def fake_annotate(calls, model):
    """A stand-in classifier with known answers: sellers ask situation questions, buyers
    give information, stages follow the call's fifths; every 7th passage from the 4th is
    unsure about its behavior (45% against 40%)."""
    from dataclasses import replace

    from callreview.records import Prediction

    out = []
    for call in calls:
        n = len(call.passages)
        passages = []
        for p in call.passages:
            i = p.index
            seller = p.role == "seller"
            beh = "situation_question" if seller else "buyer_info"
            alt = "problem_question" if seller else "buyer_need"
            unsure = fake_unsure(i)
            stage = FAKE_STAGES[min(4, i * 5 // max(n, 1))]
            preds = {
                "behavior": Prediction(beh, 0.45 if unsure else 0.9, ((alt, 0.40 if unsure else 0.05),),
                                       (f"words: {p.text.split()[0].lower() if p.text.split() else '-'}",
                                        "fake signal"), model.id),
                "stage": Prediction(stage, 0.95, (("objection_handling", 0.03),), ("position in the call",),
                                    model.id),
            }
            passages.append(replace(p, predictions=preds, behavior=p.behavior or beh, stage=p.stage or stage))
        out.append(call.with_passages(passages))
    return out


def make_test_app(store_path, files=(), **options):
    """The real app (the CLI's factory) on a temporary store, with the tiny model, the
    fake classifier and the test team, unless the test says otherwise."""
    from callreview.tui import make_app

    options.setdefault("annotate", fake_annotate)
    if "model_dir" not in options and not options.get("no_model"):
        options.setdefault("model", tiny_model())
    options.setdefault("team", [TEAM])
    options.setdefault("reviewer", "test-manager")
    seller = options.pop("seller", SELLER if files else None)
    return make_app([str(f) for f in files], seller=seller, store_path=store_path, **options)
