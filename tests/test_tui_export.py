"""Exporting the current call's review and feedback from the app (Markdown by default)."""

from __future__ import annotations

import pytest
from tui_helpers import SIZE, VTT, call_loaded, make_test_app, screen_name, screen_text, wait_for, wait_workers

pytestmark = pytest.mark.asyncio


async def test_export_writes_the_calls_feedback_as_markdown_in_a_worker(tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    app = make_test_app(tmp_path / "reviews.sqlite3", [VTT], export_dir=str(out_dir))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: call_loaded(app), "the call review")
        await wait_workers(pilot)
        await pilot.press("w", *"Great rapport with the dispatcher", "ctrl+s")
        await pilot.press("e")
        assert screen_name(app) == "ExportScreen"
        assert app.screen.formats[0] == "md"
        await pilot.press("enter")
        await wait_workers(pilot)
        target = out_dir / "brightline-discovery-review.md"
        assert target.exists()
        text = target.read_text(encoding="utf-8")
        assert "Great rapport with the dispatcher" in text
        assert text.lstrip().startswith("#")
        assert "Exported: Wrote" in screen_text(app)
        assert app.last_message == f"Exported: Wrote {target}"


async def test_export_in_another_format_and_a_bad_path_shows_the_error(tmp_path):
    app = make_test_app(tmp_path / "reviews.sqlite3", [VTT], export_dir=str(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: call_loaded(app), "the call review")
        await wait_workers(pilot)
        await pilot.press("e", "shift+tab", "enter")  # open the format list
        await pilot.press(*["down"] * app.screen.formats.index("html"), "enter")
        await pilot.press("tab", "enter")
        await wait_workers(pilot)
        assert (tmp_path / "brightline-discovery-review.html").read_text(encoding="utf-8").lower().startswith("<!doctype html")
        await pilot.press("e", "ctrl+u", *str(tmp_path / "missing" / "x.md"), "enter")
        await wait_for(pilot, lambda: screen_name(app) == "ErrorDialog", "the error dialog")
        assert app.screen.text.startswith("error: ") and "hint:" in app.screen.text
        await pilot.press("enter")
        assert screen_name(app) == "CallScreen"
