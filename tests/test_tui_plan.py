"""The plan screen of the review app: a plan opens on it from the library, b relabels a
line's element, c comments, w writes feedback and marks it done, and all of it survives
quitting; a call plan shows its call beside it (which planned questions were asked)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import SIZE, make_test_app, screen_name, screen_text, wait_for, wait_workers

from callreview.store import Store

pytestmark = pytest.mark.asyncio

DATA = Path(__file__).parent / "data" / "plan_coach"
PLAN = DATA / "call_plan.jsonl"
CALL = DATA / "northwind_call.jsonl"
PLAN_ID = "plan-call-northwind-02"


def plan_loaded(app) -> bool:
    s = app.screen
    return screen_name(app) == "PlanScreen" and s.review is not None and s.plan_coaching is not None


async def open_plan(pilot):
    app = pilot.app
    await wait_workers(pilot)
    if screen_name(app) != "PlanScreen":
        app.open_call(PLAN_ID)
    await wait_for(pilot, lambda: plan_loaded(app), "the plan review")
    await wait_workers(pilot)
    return app.screen


async def test_plan_screen_relabel_comment_feedback_done_survive_quitting(tmp_path):
    store_path = tmp_path / "reviews.sqlite3"
    app = make_test_app(store_path, [PLAN, CALL])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot)
        assert "Lacks: value hypothesis." in screen_text(app)
        screen.go_to(8)  # "Priya runs ops at three sites..." (buyer_context)
        await pilot.press("b")
        assert screen_name(app) == "Picker"
        await pilot.press(app.screen.key_of["value_hypothesis"])
        assert screen_name(app) == "PlanScreen"
        await wait_workers(pilot)
        await pilot.press("c", *"Say how the alert meets her need", "enter")
        await pilot.press("w", *"Clear questions")
        app.screen.query_one("#fb-done").value = True
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: plan_loaded(app) and "value hypothesis" not in
                       " ".join(app.screen.plan_coaching.missing), "the coaching to follow the relabel")
        await pilot.press("ctrl+q")
        await pilot.pause()
    with Store.open(store_path) as store:
        plan = store.get_call(PLAN_ID)
        assert plan.passages[8].label("element") == "value_hypothesis"
        assert [c.text for c in store.comments(PLAN_ID)] == ["Say how the alert meets her need"]
        assert store.feedback(PLAN_ID).strengths == "Clear questions"
        assert store.review(PLAN_ID).status == "done"
    app = make_test_app(store_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot)
        row = [str(c) for c in screen.query_one("#transcript").get_row("8")]
        assert "Value hypothesis" in row[2] and "*" in row[0] and "✎" in row[0]
        assert screen.review.n_reviewed == 1
        assert "value_hypothesis" not in screen.plan_coaching.missing


async def test_library_lists_plans_beside_calls(tmp_path):
    app = make_test_app(tmp_path / "reviews.sqlite3", [PLAN, CALL])
    async with app.run_test(size=SIZE) as pilot:
        await wait_workers(pilot)
        if screen_name(app) != "LibraryScreen":
            await pilot.press("escape")
            await wait_workers(pilot)
        text = screen_text(app)
        assert "Call plan · Call plan: Northwind" in text
        assert "Northwind pilot call" in text


async def test_call_plan_beside_its_call(tmp_path):
    app = make_test_app(tmp_path / "reviews.sqlite3", [PLAN, CALL])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(pilot)
        ex = screen.plan_coaching.execution
        assert ex is not None and ex.call_id == "call-northwind-02"
        assert "Against its call" in screen_text(app)
        shown = screen.query_one("#metrics")
        text = str(getattr(shown, "renderable", None) or shown.render())
        assert "line 3 asked: How are overnight cooler failures caught today?" in text
        assert "passage 2: So tell me, how do you catch cooler failures overnight" in text
        assert "line 5 not asked: Who else needs to see the pilot results?" in text
