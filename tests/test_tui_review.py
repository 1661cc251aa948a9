"""Reviewing a call with the keyboard: relabel, accept, skip, comment, outcome, feedback,
done, undo; every edit is in the store at once, and quitting at any moment loses nothing."""

from __future__ import annotations

import pytest
from tui_helpers import SIZE, VTT, call_loaded, make_test_app, screen_name, screen_text, wait_for, wait_workers

from callreview.store import Store

pytestmark = pytest.mark.asyncio

CALL = "brightline-discovery"


async def open_call(pilot):
    app = pilot.app
    await wait_for(pilot, lambda: call_loaded(app), "the call review")
    await wait_workers(pilot)
    return app.screen


def decisions(store_path, call_id=CALL):
    with Store.open(store_path) as store:
        return [(e.index, e.task, e.action, e.value) for e in store.history(call_id)
                if e.kind == "decision" and not e.undone]


async def test_relabel_with_one_key_or_by_typing_and_the_row_shows_the_correction(tmp_path):
    store_path = tmp_path / "reviews.sqlite3"
    app = make_test_app(store_path, [VTT])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_call(pilot)
        await pilot.press("down", "down")  # passage 2
        assert screen.current() == 2
        await pilot.press("b")
        assert screen_name(app) == "Picker"
        key = app.screen.key_of["rapport"]
        await pilot.press(key)
        assert screen_name(app) == "CallScreen"
        # the stage by type-to-search: / then part of the name, enter
        await pilot.press("s", "slash", *"commit", "enter")
        await pilot.pause()
        assert decisions(store_path) == [(2, "behavior", "relabel", "rapport"), (2, "stage", "relabel", "commitment")]
        with Store.open(store_path) as store:
            p = store.get_call(CALL).passages[2]
        assert (p.behavior, p.stage) == ("rapport", "commitment")
        table = screen.query_one("#transcript")
        row = [str(c) for c in table.get_row("2")]
        assert "✎" in row[0]  # corrected mark, readable without color
        assert "Rapport" in row[2] and "Commitment" in row[2]
        assert "the model said Buyer info" in screen_text(app)  # passage 2 is the buyer's


async def test_accept_and_skip_record_both_tasks_and_move_on(tmp_path):
    store_path = tmp_path / "reviews.sqlite3"
    app = make_test_app(store_path, [VTT])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_call(pilot)
        await pilot.press("a")
        assert screen.current() == 1
        await pilot.press("x")
        assert screen.current() == 2
        with Store.open(store_path) as store:
            call = store.get_call(CALL)
        assert decisions(store_path) == [
            (0, "behavior", "accept", call.passages[0].predictions["behavior"].label),
            (0, "stage", "accept", call.passages[0].predictions["stage"].label),
            (1, "behavior", "skip", None), (1, "stage", "skip", None)]
        assert call.passages[1].behavior is None
        rows = screen.query_one("#transcript")
        assert "✓" in str(rows.get_row("0")[0]) and "–" in str(rows.get_row("1")[0])
        assert "2/56" in screen_text(app)


async def test_comment_outcome_and_done_are_saved_and_shown(tmp_path):
    store_path = tmp_path / "reviews.sqlite3"
    app = make_test_app(store_path, [VTT])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_call(pilot)
        await pilot.press("down", "c", *"Nice opener", "enter")
        await pilot.press("o")
        await pilot.press(app.screen.key_of["advance"])
        await pilot.press("d")
        await pilot.pause()
        text = screen_text(app)
        assert "Advance" in text and "Done" in text
        assert "* Nice opener" in text  # the passage strip shows the comment
        assert "*" in str(screen.query_one("#transcript").get_row("1")[0])
    with Store.open(store_path) as store:
        (comment,) = store.comments(CALL)
        assert (comment.index, comment.text, comment.reviewer) == (1, "Nice opener", "test-manager")
        (summary,) = store.list_calls()
        assert (summary.outcome, summary.status) == ("advance", "done")


async def test_feedback_fields_outcome_and_done_are_written_from_the_feedback_screen(tmp_path):
    store_path = tmp_path / "reviews.sqlite3"
    app = make_test_app(store_path, [VTT])
    async with app.run_test(size=SIZE) as pilot:
        await open_call(pilot)
        await pilot.press("w")
        assert screen_name(app) == "FeedbackScreen"
        await pilot.press(*"Warm opening", "tab", *"Ask implication questions", "tab", *"Book the pilot")
        app.screen.query_one("#fb-outcome").value = "order"
        app.screen.query_one("#fb-done").value = True
        await pilot.press("ctrl+s")
        assert screen_name(app) == "CallScreen"
        text = screen_text(app)
        assert "Warm opening" in text and "Order" in text and "Done" in text
    with Store.open(store_path) as store:
        fb = store.feedback(CALL)
        assert (fb.strengths, fb.improve, fb.focus, fb.notes) == (
            "Warm opening", "Ask implication questions", "Book the pilot", None)
        (summary,) = store.list_calls()
        assert (summary.outcome, summary.status) == ("order", "done")


async def test_undo_takes_back_the_last_edit_in_the_store_and_on_screen(tmp_path):
    store_path = tmp_path / "reviews.sqlite3"
    app = make_test_app(store_path, [VTT])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_call(pilot)
        before = str(screen.query_one("#transcript").get_row("0")[2])
        await pilot.press("b")
        await pilot.press(app.screen.key_of["agenda"])
        assert "Agenda" in str(screen.query_one("#transcript").get_row("0")[2])
        await pilot.press("u")
        await wait_workers(pilot)
        assert decisions(store_path) == []
        assert str(screen.query_one("#transcript").get_row("0")[2]) == before
        assert "Undone" in screen_text(app)
        await pilot.press("u")
        assert "Nothing left to undo" in screen_text(app)


async def test_quit_at_any_moment_and_reopen_finds_everything(tmp_path):
    store_path = tmp_path / "reviews.sqlite3"
    app = make_test_app(store_path, [VTT])
    async with app.run_test(size=SIZE) as pilot:
        await open_call(pilot)
        await pilot.press("b")
        await pilot.press(app.screen.key_of["rapport"])
        await pilot.press("c", *"Good energy", "enter")
        # quit while typing feedback: what was typed is saved
        await pilot.press("w", *"Strong discovery")
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not app.is_running
    with Store.open(store_path) as store:
        assert store.feedback(CALL).strengths == "Strong discovery"
    app = make_test_app(store_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_workers(pilot)
        await pilot.press("enter")
        screen = await open_call(pilot)
        row = [str(c) for c in screen.query_one("#transcript").get_row("0")]
        assert "✎" in row[0] and "*" in row[0] and "Rapport" in row[2]
        text = screen_text(app)
        assert "Strong discovery" in text and "Good energy" in text
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


async def test_quitting_while_typing_a_comment_keeps_it(tmp_path):
    store_path = tmp_path / "reviews.sqlite3"
    app = make_test_app(store_path, [VTT])
    async with app.run_test(size=SIZE) as pilot:
        await open_call(pilot)
        await pilot.press("c", *"Half-typed thought")
        assert screen_name(app) == "Prompt"
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not app.is_running
    with Store.open(store_path) as store:
        assert [(c.index, c.text) for c in store.comments(CALL)] == [(0, "Half-typed thought")]


async def test_the_call_screen_and_the_library_agree_on_progress_status_and_unsure(tmp_path):
    # relabeling only the behavior of three passages decides them without reviewing them;
    # accepting a fourth decides both its tasks: one passage is reviewed, on both screens
    import re

    store_path = tmp_path / "reviews.sqlite3"
    app = make_test_app(store_path, [VTT])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_call(pilot)
        for _ in range(3):
            await pilot.press("b")
            await pilot.press(app.screen.key_of["rapport"])
            await pilot.press("down")
        await pilot.press("a")
        await pilot.press("c", *"Good question", "enter")
        await wait_workers(pilot)
        progress = re.search(r"Progress (\d+)/(\d+) reviewed, (\d+) unsure", screen_text(app))
        assert progress is not None
        on_call = (int(progress[1]), int(progress[3]), str(screen.query_one("#outcome-box").render()))
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen_name(app) == "LibraryScreen", "the library")
        await wait_workers(pilot)
        row = [str(c) for c in app.screen.query_one("#library").get_row(CALL)]
        reviewed, unsure, status = int(row[6].split("/")[0]), int(row[5]), row[4]
        assert (reviewed, unsure) == on_call[:2]
        assert reviewed == 1 and status == "In progress" and status in on_call[2]
    with Store.open(store_path) as store:
        (summary,) = store.list_calls()
        review = store.review(CALL)
    assert (summary.n_reviewed, summary.n_decided, summary.status) == (1, 4, "in_progress")
    assert (review.n_reviewed, review.n_unsure) == (summary.n_reviewed, summary.n_unsure)


async def test_coaching_is_recomputed_off_the_ui_thread_only_when_labels_outcome_or_team_change(
        tmp_path, monkeypatch):
    import threading

    import callreview.session

    computed: list[tuple[str, bool]] = []
    real = callreview.session.call_context

    def counting(call, team):
        computed.append((threading.current_thread().name, team is not None))
        return real(call, team)

    monkeypatch.setattr(callreview.session, "call_context", counting)
    app = make_test_app(tmp_path / "reviews.sqlite3", [VTT])
    async with app.run_test(size=SIZE) as pilot:
        await open_call(pilot)
        assert computed and computed[-1][1]  # with the team
        assert all(name != threading.main_thread().name for name, _ in computed)
        before = len(computed)
        await pilot.press("a")  # the model's labels accepted: the labels stay as they were
        await pilot.press("c", *"Nice", "enter")
        await pilot.press("d")
        await wait_workers(pilot)
        assert len(computed) == before
        await pilot.press("b")
        await pilot.press(app.screen.key_of["rapport"])
        await wait_workers(pilot)
        assert len(computed) == before + 1
        await pilot.press("o")
        await pilot.press(app.screen.key_of["advance"])
        await wait_workers(pilot)
        assert len(computed) == before + 2
        assert "Advance" in screen_text(app)
