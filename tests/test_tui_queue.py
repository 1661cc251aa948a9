"""The queue: the store's least-confident undecided passages across calls, reviewed one
after another with single keys."""

from __future__ import annotations

import pytest
from tui_helpers import PLAIN, SIZE, VTT, call_loaded, make_test_app, screen_name, screen_text, wait_for, wait_workers

from callreview.store import Store

pytestmark = pytest.mark.asyncio


def queue_heads(store_path, n=3):
    with Store.open(store_path) as store:
        return [(it.call_id, it.index) for it in store.queue(n)]


def live_decisions(store_path, call_id, index):
    with Store.open(store_path) as store:
        return {(e.task, e.action, e.value) for e in store.history(call_id)
                if e.kind == "decision" and not e.undone and e.index == index}


async def test_queue_reviews_the_least_confident_passages_of_all_calls_with_single_keys(tmp_path):
    store_path = tmp_path / "reviews.sqlite3"
    app = make_test_app(store_path, [VTT, PLAIN])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: call_loaded(app), "the first call")
        await wait_workers(pilot)
        expected = queue_heads(store_path, 50)
        assert {cid for cid, _ in expected} == {"brightline-discovery", "lakeshore-demo"}
        await pilot.press("Q")
        await wait_workers(pilot)
        assert screen_name(app) == "QueueScreen"
        queue = app.screen
        first = expected[0]
        assert (queue.current().call_id, queue.current().index) == first
        assert "least sure" in screen_text(app)

        # a: accept both tasks, the next one comes up
        await pilot.press("a")
        await wait_workers(pilot)
        assert {(t, a) for t, a, _ in live_decisions(store_path, *first)} == {("behavior", "accept"), ("stage", "accept")}
        second = (queue.current().call_id, queue.current().index)
        assert second == expected[1]

        # b + key: relabel the behavior, the unsure task: the passage is answered, the next comes up
        # (its stage, which the model is sure of, waits at the back of the queue)
        await pilot.press("b")
        await pilot.press(app.screen.key_of["buyer_need"])
        await wait_workers(pilot)
        assert live_decisions(store_path, *second) == {("behavior", "relabel", "buyer_need")}
        assert (queue.current().call_id, queue.current().index) == expected[2]
        assert second not in queue_heads(store_path, 10)

        # → leaves one for later; x skips the next
        await pilot.press("right")
        assert (queue.current().call_id, queue.current().index) == expected[3]
        await pilot.press("x")
        await wait_workers(pilot)
        assert {a for _t, a, _ in live_decisions(store_path, *expected[3])} == {"skip"}

        # u takes the skip back (one task at a time): after two undos the passage is open again
        await pilot.press("u", "u")
        await wait_workers(pilot)
        assert live_decisions(store_path, *expected[3]) == set()

        # c comments; enter opens the call at that passage
        item = queue.current()
        await pilot.press("c", *"check this one", "enter")
        with Store.open(store_path) as store:
            assert [(c.index, c.text) for c in store.comments(item.call_id)] == [(item.index, "check this one")]
        await pilot.press("enter")
        await wait_for(pilot, lambda: call_loaded(app), "the call at that passage")
        assert app.screen.call_id == item.call_id and app.screen.current() == item.index
        await pilot.press("escape")
        assert screen_name(app) == "QueueScreen"
