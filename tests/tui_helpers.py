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
    """Everything the screen shows, as plain text (an SVG screenshot's text)."""
    import html
    import re

    svg = app.export_screenshot()
    spans = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape("".join(spans)).replace("\xa0", " ")
