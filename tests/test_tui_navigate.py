"""Finding one's way in a call: next/previous unsure or unreviewed passage, filters by
behavior, stage or speaker, text search, jump to a time, coaching points to their evidence."""

from __future__ import annotations

import pytest
from tui_helpers import SIZE, VTT, call_loaded, fake_unsure, make_test_app, screen_text, wait_for, wait_workers

pytestmark = pytest.mark.asyncio


async def opened(tmp_path):
    app = make_test_app(tmp_path / "reviews.sqlite3", [VTT])
    return app


async def ready(pilot):
    await wait_for(pilot, lambda: call_loaded(pilot.app), "the call review")
    await wait_workers(pilot)
    return pilot.app.screen


async def test_next_and_previous_unsure_and_unreviewed_passages(tmp_path):
    app = await opened(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        unsure = [p.index for p in screen.review.call.passages if fake_unsure(p.index)]
        assert unsure[:3] == [3, 10, 17]
        await pilot.press("n")
        assert screen.current() == 3
        await pilot.press("n")
        assert screen.current() == 10
        await pilot.press("N")
        assert screen.current() == 3
        await pilot.press("a")  # accepting it: no longer unsure
        assert not screen.review.is_unsure(3)
        await pilot.press("home", "N")  # back from the top wraps to the last unsure one
        assert screen.current() == unsure[-1]
        # unreviewed: 0..2 accepted, then ] from 0 skips to the first without a decision
        await pilot.press("home", "a", "a", "a", "home", "right_square_bracket")
        assert screen.current() == 4  # 3 was accepted above
        await pilot.press("left_square_bracket")  # nothing unreviewed above: wraps to the last passage
        assert screen.current() == 55


async def test_filter_by_behavior_stage_or_speaker_and_clear(tmp_path):
    app = await opened(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        call = screen.review.call
        table = screen.query_one("#transcript")
        await pilot.press("f")
        await pilot.press(app.screen.key_of["behavior:buyer_info"])
        buyer_info = [p.index for p in call.passages if p.behavior == "buyer_info"]
        assert table.row_count == len(buyer_info) and table.indices == buyer_info
        assert f"showing {len(buyer_info)} of 56" in screen_text(app)
        await pilot.press("f")
        await pilot.press(app.screen.key_of["speaker:Aisha Bello"])
        both = [i for i in buyer_info if call.passages[i].speaker == "Aisha Bello"]
        assert table.indices == both
        await pilot.press("f")
        await pilot.press(app.screen.key_of["stage:commitment"])
        assert table.indices == [i for i in both if call.passages[i].stage == "commitment"]
        await pilot.press("f")
        await pilot.press(app.screen.key_of["clear:"])
        assert table.row_count == 56
        assert "showing" not in screen_text(app)


async def test_search_text_and_jump_to_a_time(tmp_path):
    app = await opened(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        table = screen.query_one("#transcript")
        await pilot.press("slash", *"compressor", "enter")
        assert table.indices == [0]
        await pilot.press("slash", "ctrl+u", "enter")  # an empty search shows every passage
        assert table.row_count == 56
        await pilot.press("t", *"1:13", "enter")
        assert screen.current() == 8  # the passage under way at 1:13
        passages = screen.review.call.passages
        assert passages[8].start <= 73 < passages[9].start
        await pilot.press("t", *"#40", "enter")
        assert screen.current() == 40
        await pilot.press("t", *"noon", "enter")
        assert screen.current() == 40
        assert "No passage at" in screen_text(app)


async def test_a_coaching_point_jumps_to_its_evidence_passages(tmp_path):
    app = await opened(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(pilot)
        points = screen.context.coaching.points
        assert points
        first = points[0]
        coaching = screen.query_one("#coaching")
        coaching.focus()
        coaching.highlighted = 0
        await pilot.press("enter")
        assert screen.current() == first.passages[0]
        if len(first.passages) > 1:
            await pilot.press("enter")
            assert screen.current() == first.passages[1]
        if len(points) > 1:
            coaching.highlighted = 1
            await pilot.press("enter")
            assert screen.current() == points[1].passages[0]
