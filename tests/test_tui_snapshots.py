"""Snapshots guard the layout of the main screens: the library, the call review with its
context pane, and passage detail. Update them with ``pytest --snapshot-update`` after a
deliberate change, and look at the SVGs under tests/__snapshots__/ before committing."""

from __future__ import annotations

import pytest
from tui_helpers import PLAIN, SIZE, VTT, call_loaded, make_test_app, wait_for, wait_workers


@pytest.fixture
def fixed(tmp_path, monkeypatch):
    """Nothing that changes between runs: the time edits are stored at, the store's path."""
    import callreview.store

    monkeypatch.setattr(callreview.store, "_now", lambda: "2026-01-15T09:30:00.000Z")
    monkeypatch.chdir(tmp_path)
    return "reviews.sqlite3"


def opened_call(*keys: str):
    async def run(pilot):
        await wait_for(pilot, lambda: call_loaded(pilot.app), "the call review")
        await wait_workers(pilot)
        for key in keys:
            await pilot.press(key)
            await wait_workers(pilot)
        pilot.app.clear_notifications()  # toasts fade on a timer; the status line keeps the message
        await pilot.pause()
    return run


def test_snapshot_call_review_with_context_pane(snap_compare, fixed):
    app = make_test_app(fixed, [VTT])
    assert snap_compare(app, terminal_size=SIZE, run_before=opened_call("n"))


def test_snapshot_passage_detail(snap_compare, fixed):
    app = make_test_app(fixed, [VTT])
    assert snap_compare(app, terminal_size=SIZE, run_before=opened_call("n", "enter"))


def test_snapshot_library(snap_compare, fixed):
    app = make_test_app(fixed, [VTT, PLAIN])
    assert snap_compare(app, terminal_size=SIZE, run_before=opened_call("a", "a", "escape"))
