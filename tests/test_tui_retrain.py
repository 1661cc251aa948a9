"""Retrain with the reviews: a background worker with a progress bar, per-label F1 before
and after, how many labels change; keep the new model or stay on the old one."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import SIZE, TEAM, VTT, call_loaded, make_test_app, screen_name, screen_text, wait_for, wait_workers

from callreview.store import Store

pytestmark = pytest.mark.asyncio


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Where a kept model goes and where the current-model choice is written."""
    folder = tmp_path / "user-data"
    monkeypatch.setenv("CALLREVIEW_DATA", str(folder))
    monkeypatch.delenv("CALLREVIEW_MODEL", raising=False)
    return folder


async def review_some(pilot):
    app = pilot.app
    await wait_for(pilot, lambda: call_loaded(app), "the call review")
    await wait_workers(pilot)
    for label in ("rapport", "rapport", "agenda"):
        await pilot.press("b")
        await pilot.press(app.screen.key_of[label])
        await pilot.press("s")
        await pilot.press(app.screen.key_of["opening"])
        await pilot.press("down")
    await pilot.press("a", "a", "a")


async def retrained(pilot):
    app = pilot.app
    await pilot.press("R")
    assert screen_name(app) == "RetrainScreen"
    screen = app.screen
    await wait_for(pilot, lambda: screen.state in ("ready", "failed"), "the retrained model", tries=2400)
    assert screen.state == "ready", screen_text(app)
    return screen


async def test_retrain_shows_progress_then_f1_before_and_after_and_keeping_switches_the_model(tmp_path, data_dir):
    store_path = tmp_path / "reviews.sqlite3"
    app = make_test_app(store_path, [VTT], corpus=[TEAM])
    async with app.run_test(size=SIZE) as pilot:
        await review_some(pilot)
        old_id = app.model.id
        screen = await retrained(pilot)
        bar = screen.query_one("#retrain-progress")
        assert bar.percentage == 1.0
        result = screen.result
        assert result.n_reviewed_calls == 1 and result.n_corpus_calls == 14
        assert {s.label for s in result.scores if s.task == "behavior"} >= {"rapport", "agenda"}
        assert all(s.after is not None for s in result.scores)
        table = screen.query_one("#retrain-scores")
        assert table.row_count == len(result.scores)
        text = screen_text(app)
        assert "F1 before" in text and "F1 after" in text
        assert "labels on the reviewed calls change" in text
        assert "k Keep new model" in text

        await pilot.press("k")
        await wait_for(pilot, lambda: screen_name(app) == "CallScreen" and app.model.id != old_id,
                       "the new model in use", tries=2400)
        await wait_workers(pilot)
        new_id = app.model.id
        assert new_id == result.model.id
        assert new_id in screen_text(app)
    saved = data_dir / "models" / new_id
    assert (saved / "meta.json").exists()
    assert Path((data_dir / "current-model").read_text(encoding="utf-8").strip()) == saved.resolve()
    with Store.open(store_path) as store:
        (summary,) = store.list_calls()
        assert summary.model_id == new_id  # the call under review was labeled again
        assert store.get_call(summary.call_id).passages[0].behavior == "rapport"  # decisions kept


async def test_staying_on_the_old_model_changes_nothing(tmp_path, data_dir):
    store_path = tmp_path / "reviews.sqlite3"
    app = make_test_app(store_path, [VTT], corpus=[TEAM])
    async with app.run_test(size=SIZE) as pilot:
        await review_some(pilot)
        old_id = app.model.id
        await retrained(pilot)
        await pilot.press("escape")
        assert screen_name(app) == "CallScreen"
        assert app.model.id == old_id
        assert "Staying on the old model" in screen_text(app)
    assert not (data_dir / "current-model").exists()
    assert not (data_dir / "models").exists()
    with Store.open(store_path) as store:
        (summary,) = store.list_calls()
        assert summary.model_id == old_id


async def test_retrain_without_reviews_says_what_to_do(tmp_path, data_dir):
    app = make_test_app(tmp_path / "reviews.sqlite3", [VTT], corpus=[TEAM])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: call_loaded(app), "the call review")
        await pilot.press("R")
        await wait_for(pilot, lambda: screen_name(app) == "ErrorDialog", "the error dialog")
        assert "no reviewed passages" in app.screen.text and "hint:" in app.screen.text
        await pilot.press("enter", "escape")
        assert screen_name(app) == "CallScreen"
