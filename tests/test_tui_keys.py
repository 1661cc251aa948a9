"""Keyboard first, mouse too: every action has a key in the footer, the help screen lists
them, the command palette offers them; clicks work; themes change; passage detail."""

from __future__ import annotations

import pytest
from tui_helpers import SIZE, VTT, call_loaded, make_test_app, screen_name, screen_text, wait_for, wait_workers

from callreview.store import Store

pytestmark = pytest.mark.asyncio


async def ready(tmp_path, pilot):
    app = pilot.app
    await wait_for(pilot, lambda: call_loaded(app), "the call review")
    await wait_workers(pilot)
    return app.screen


def described(screen):
    return [b for b in screen.BINDINGS if b.description]


async def test_every_call_screen_action_has_its_key_in_the_footer_and_in_help(tmp_path):
    app = make_test_app(tmp_path / "reviews.sqlite3", [VTT])
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(tmp_path, pilot)
        footer = " ".join(screen.query_one("KeyBar").render().plain.split())
        for b in described(screen):
            shown = b.group.description if b.group else b.description
            assert shown in footer, f"{b.description} ({b.key}) is not in the footer"
        for b in app.BINDINGS:
            if b.show:
                assert b.description in footer
        await pilot.press("question_mark")
        assert screen_name(app) == "HelpScreen"
        help_text = screen_text(app)
        for b in described(screen):
            assert b.description in help_text, f"{b.description} is not in the help screen"
        assert "the model is unsure" in help_text  # the marks are explained
        await pilot.press("escape")
        await pilot.press("f1")
        assert screen_name(app) == "HelpScreen"
        await pilot.press("f1")
        assert screen_name(app) == "CallScreen"


async def test_the_command_palette_offers_every_action_and_runs_it(tmp_path):
    app = make_test_app(tmp_path / "reviews.sqlite3", [VTT])
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(tmp_path, pilot)
        titles = [c.title for c in app.get_system_commands(screen)]
        for b in described(screen):
            assert b.description in titles
        assert "Theme" in titles and "Quit" in titles
        await pilot.press("ctrl+p", *"Done")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        with Store.open(tmp_path / "reviews.sqlite3") as store:
            (summary,) = store.list_calls()
        assert summary.status == "done"


async def test_the_mouse_moves_the_cursor_opens_the_detail_and_clicks_footer_keys(tmp_path):
    app = make_test_app(tmp_path / "reviews.sqlite3", [VTT])
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(tmp_path, pilot)
        table = screen.query_one("#transcript")
        await pilot.click(table, offset=(30, 1 + 2 * 2))  # header line, then two lines a row
        assert screen.current() == 2
        keybar = screen.query_one("KeyBar")
        line = keybar.render().plain.split("\n")[0]
        await pilot.click(keybar, offset=(line.index("Accept"), 0))
        await pilot.pause()
        with Store.open(tmp_path / "reviews.sqlite3") as store:
            events = [(e.index, e.action) for e in store.history("brightline-discovery") if e.kind == "decision"]
        assert events == [(2, "accept"), (2, "accept")]
        await pilot.click(table, offset=(30, 1 + 2 * 3))
        await pilot.click(table, offset=(30, 1 + 2 * 3))  # a click on the current row opens it
        assert screen_name(app) == "PassageScreen"


async def test_passage_detail_shows_probabilities_alternatives_and_reasons_and_takes_decisions(tmp_path):
    app = make_test_app(tmp_path / "reviews.sqlite3", [VTT])
    async with app.run_test(size=SIZE) as pilot:
        screen = await ready(tmp_path, pilot)
        await pilot.press("n", "enter")  # the first unsure passage, in detail
        assert screen_name(app) == "PassageScreen"
        detail = app.screen
        assert detail.index == 3
        text = screen_text(app)
        assert "Probabilities" in text and "45%" in text and "40%" in text
        assert "Problem question" in text  # the alternative, readably
        assert "fake signal" in text  # the signals behind the label
        assert "5% ahead of the runner-up" in text and "(unsure)" in text
        await pilot.press("b")
        await pilot.press(app.screen.key_of["problem_question"])
        assert screen_name(app) == "PassageScreen"
        assert "relabeled by you" in screen_text(app)
        await pilot.press("c", *"ask what it costs them", "enter")
        assert "ask what it costs them" in screen_text(app)
        await pilot.press("right")
        assert detail.index == 4 and screen.current() == 4
        await pilot.press("a", "escape")
        assert screen_name(app) == "CallScreen"
    with Store.open(tmp_path / "reviews.sqlite3") as store:
        events = [(e.index, e.task, e.action, e.value) for e in store.history("brightline-discovery")
                  if e.kind == "decision"]
        call = store.get_call("brightline-discovery")
    assert events[0] == (3, "behavior", "relabel", "problem_question")
    assert {(i, a) for i, _t, a, _v in events[1:]} == {(4, "accept")}
    assert call.passages[3].behavior == "problem_question"


async def test_themes_change_and_labels_stay_readable(tmp_path):
    app = make_test_app(tmp_path / "reviews.sqlite3", [VTT])
    async with app.run_test(size=SIZE) as pilot:
        await ready(tmp_path, pilot)
        for theme in ("textual-light", "nord", "textual-dark"):
            app.theme = theme
            await pilot.pause()
            text = screen_text(app)
            assert "Situation question" in text and "Opening" in text


async def test_a_narrow_terminal_hides_the_context_pane_and_v_shows_it(tmp_path):
    app = make_test_app(tmp_path / "reviews.sqlite3", [VTT])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(tmp_path, pilot)
        pane = screen.query_one("#context-pane")
        assert not pane.display and "Stage timeline" not in screen_text(app)
        assert "Hi Tom, hi Aisha" in screen_text(app)  # the transcript gets the room
        await pilot.press("v")
        assert pane.display and "Stage timeline" in screen_text(app)
        await pilot.press("v")
        assert not pane.display
