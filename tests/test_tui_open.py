"""Opening the review app: on files (imported into the store) or on the library; the model
loading in the background; bad input shown as the CLI shows it while the app keeps running."""

from __future__ import annotations

import pytest
from tui_helpers import (
    PLAIN,
    SIZE,
    VTT,
    call_loaded,
    make_test_app,
    screen_name,
    screen_text,
    tiny_model_dir,
    wait_for,
    wait_workers,
)

from callreview.errors import CallreviewError
from callreview.store import Store


@pytest.mark.asyncio
async def test_opening_a_file_imports_it_and_shows_the_call_with_its_context(tmp_path):
    store_path = tmp_path / "reviews.sqlite3"
    app = make_test_app(store_path, [VTT])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: call_loaded(app), "the call review")
        await wait_workers(pilot)
        screen = app.screen
        n = len(screen.review.call.passages)
        assert screen.query_one("#transcript").row_count == n
        text = screen_text(app)
        for heading in ("Outcome", "Stage timeline", "Coaching points"):
            assert heading in text
        screen.query_one("#context-pane").scroll_end(animate=False)
        await pilot.pause()
        assert "Call metrics" in screen_text(app) and "Seller talk" in screen_text(app)
        assert "Marisol Vega" in text and "seller" in text
        assert "Situation question" in text  # readable label, not situation_question
        assert screen.context.coaching is not None and screen.context.coaching.points
    with Store.open(store_path) as store:
        (summary,) = store.list_calls()
        assert summary.n_passages == n
        assert summary.seller == "Marisol Vega"
        assert summary.model_id == "tiny-test-model"


@pytest.mark.asyncio
async def test_library_lists_stored_calls_with_outcome_status_and_unsure_and_opens_one(tmp_path):
    store_path = tmp_path / "reviews.sqlite3"
    app = make_test_app(store_path, [VTT, PLAIN])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: call_loaded(app), "the first call")
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen_name(app) == "LibraryScreen", "the library")
    # plain `callreview review`: the library of what is stored
    app = make_test_app(store_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_workers(pilot)
        assert screen_name(app) == "LibraryScreen"
        table = app.screen.query_one("#library")
        assert table.row_count == 2
        text = screen_text(app)
        assert "brightline-discovery" in text and "lakeshore-demo" in text
        assert "Unsure" in text and "Outcome" in text and "Review" in text
        with Store.open(store_path) as store:
            unsure = {c.call_id: c.n_unsure for c in store.list_calls()}
        assert unsure["brightline-discovery"] > 0
        # filter by typing
        await pilot.press("slash", *"lakeshore", "enter")
        assert table.row_count == 1
        await pilot.press("escape")
        assert table.row_count == 2
        # sort: most unsure first puts the call with more unsure passages on top
        while app.screen.sort_index != 5:
            await pilot.press("s")
        first = max(unsure, key=unsure.get)
        assert table.coordinate_to_cell_key((0, 0)).row_key.value == first
        await pilot.press("home", "enter")
        await wait_for(pilot, lambda: call_loaded(app), "the opened call")
        assert app.screen.call_id == first


@pytest.mark.asyncio
async def test_the_model_loads_in_the_background_with_a_visible_indicator(tmp_path):
    import threading

    from callreview.artifacts import load_model

    release = threading.Event()

    def slow_load(path):
        assert release.wait(30), "the test never let the model load"
        return load_model(path)

    app = make_test_app(tmp_path / "reviews.sqlite3", [VTT], model_dir=tiny_model_dir(), load_model=slow_load)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert app.model_state == "loading"
        assert "Loading the model" in screen_text(app)
        assert app.is_running and screen_name(app) == "LibraryScreen"  # the app answers meanwhile
        release.set()
        await wait_for(pilot, lambda: call_loaded(app), "the call once the model is loaded")
        await wait_workers(pilot)
        assert app.model_state == "ready" and app.model.id == "tiny-test-model"
        text = screen_text(app)
        assert "Loading the model" not in text
        assert "tiny-test-model" in text


@pytest.mark.asyncio
async def test_an_unreadable_file_shows_the_cli_message_and_hint_and_the_app_keeps_running(tmp_path):
    from callreview.formats import load_calls

    bad = tmp_path / "broken.vtt"
    bad.write_text("WEBVTT\n\n00:00:01.000 --> banana\n<v Dana>hello</v>\n", encoding="utf-8")
    with pytest.raises(CallreviewError) as expected:
        load_calls(bad)
    app = make_test_app(tmp_path / "reviews.sqlite3", [bad])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: screen_name(app) == "ErrorDialog", "the error dialog")
        assert app.screen.text == expected.value.render()
        assert "hint:" in app.screen.text
        await pilot.press("enter")
        assert screen_name(app) == "LibraryScreen"
        await pilot.press("i", *str(VTT), "enter")  # still works: import a good file
        await wait_for(pilot, lambda: call_loaded(app), "the good call")


@pytest.mark.asyncio
async def test_a_broken_model_shows_its_error_and_the_calls_still_open_with_stored_labels(tmp_path):
    from callreview.artifacts import load_model

    broken = tmp_path / "model"
    broken.mkdir()
    (broken / "meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CallreviewError) as expected:
        load_model(broken)
    app = make_test_app(tmp_path / "reviews.sqlite3", [VTT], model_dir=broken)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: screen_name(app) == "ErrorDialog", "the error dialog")
        assert app.screen.text == expected.value.render()
        await pilot.press("escape")
        await wait_for(pilot, lambda: call_loaded(app), "the call, without a model")
        assert app.model_state == "failed"
        assert "could not be loaded" in screen_text(app)


@pytest.mark.asyncio
async def test_a_store_that_is_not_a_store_shows_the_error_and_the_app_keeps_running(tmp_path):
    not_a_store = tmp_path / "notes.txt"
    not_a_store.write_text("shopping list\n", encoding="utf-8")
    with pytest.raises(CallreviewError) as expected:
        Store.open(not_a_store)
    app = make_test_app(not_a_store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: screen_name(app) == "ErrorDialog", "the error dialog")
        assert app.screen.text == expected.value.render()
        await pilot.press("enter")
        assert screen_name(app) == "LibraryScreen"
        assert app.is_running
    assert not_a_store.read_text(encoding="utf-8") == "shopping list\n"


def test_the_review_command_builds_the_app_with_the_factory_and_runs_it(tmp_path, monkeypatch):
    from callreview.cli import main
    from callreview.tui.app import CallreviewApp

    ran = []
    monkeypatch.setattr(CallreviewApp, "run", lambda self, *a, **k: ran.append(self.settings))
    code = main(["review", str(VTT), "--seller", "Marisol Vega", "--model", str(tmp_path / "m"),
                 "--store", str(tmp_path / "s.sqlite3"), "--against", str(PLAIN)])
    assert code == 0
    (settings,) = ran
    assert settings.files == (str(VTT),) and settings.seller == "Marisol Vega"
    assert settings.model_dir == str(tmp_path / "m") and settings.store_path == str(tmp_path / "s.sqlite3")
    assert settings.team == (str(PLAIN),) and settings.corpus is None
    assert main(["review", "--store", str(tmp_path / "s.sqlite3")]) == 0
    assert ran[-1].files == ()  # no file: the library
