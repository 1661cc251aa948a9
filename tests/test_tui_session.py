"""The session functions the review app's workers call (callreview.session): headless,
so they are tested without the app."""

from __future__ import annotations

import pytest
from tui_helpers import PLAIN, TEAM, VTT, fake_annotate, fake_unsure, tiny_model

from callreview.errors import UsageError
from callreview.session import (
    annotate_stored,
    call_context,
    export_formats,
    import_files,
    load_review,
    parse_clock,
    passage_at,
    retrain,
)
from callreview.store import Store


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "reviews.sqlite3") as st:
        yield st


def test_import_files_labels_the_calls_and_adding_them_again_keeps_the_review(store):
    model = tiny_model()
    first = import_files(store, [VTT, PLAIN], model, seller="Marisol Vega", annotate=fake_annotate)
    assert [s.created for s in first] == [True, True]
    store.decide(first[0].call_id, 0, "behavior", "relabel", "rapport")
    again = import_files(store, [VTT], model, seller="Marisol Vega", annotate=fake_annotate)
    assert [(s.call_id, s.created) for s in again] == [(first[0].call_id, False)]
    assert store.get_call(first[0].call_id).passages[0].behavior == "rapport"


def test_import_files_with_the_real_classifier_records_its_predictions(store):
    model = tiny_model()
    (stored,) = import_files(store, [VTT], model)
    call = store.get_call(stored.call_id)
    assert all(set(p.predictions) == {"behavior", "stage"} for p in call.passages)
    assert {p.predictions["behavior"].model_id for p in call.passages} == {"tiny-test-model"}


def test_load_review_marks_follow_the_decisions(store):
    (stored,) = import_files(store, [VTT], tiny_model(), annotate=fake_annotate)
    cid = stored.call_id
    review = load_review(store, cid)
    assert review.status == "new"
    assert [i for i in range(len(review.call.passages)) if review.mark(i) == "unsure"] == \
        [i for i in range(len(review.call.passages)) if fake_unsure(i)]
    store.decide(cid, 0, "behavior", "accept")
    store.decide(cid, 3, "behavior", "relabel", "agenda")
    store.decide(cid, 4, "stage", "skip")
    store.comment(cid, 5, "good")
    review = load_review(store, cid)
    assert [review.mark(i) for i in range(6)] == ["accepted", None, None, "corrected", "skipped", None]
    assert not review.is_reviewed(0) and review.decision(0, "behavior").action == "accept"
    assert review.comments[5][0].text == "good" and review.status == "in_progress"


def test_the_review_read_again_after_each_edit_matches_a_fresh_read_of_the_store(store):
    # the app asks the store for the review after every edit (the store keeps the call
    # parsed between reads); another process opening the store reads the same review
    (stored,) = import_files(store, [VTT], tiny_model(), annotate=fake_annotate)
    cid = stored.call_id
    review = load_review(store, cid)
    for index, task, action, label in [(0, "behavior", "accept", None), (1, "stage", "relabel", "commitment"),
                                       (2, "behavior", "skip", None)]:
        store.decide(cid, index, task, action, label)
        review = load_review(store, cid)
    store.set_outcome(cid, "advance")
    review = load_review(store, cid)
    assert review.call.passages[1].stage == "commitment" and review.call.outcome == "advance"
    with Store.open(store.path) as other:
        fresh = load_review(other, cid)
    assert review.call == fresh.call
    assert dict(review.decisions) == dict(fresh.decisions)
    assert review.status == fresh.status


def test_passage_at_a_time_or_number():
    from callreview.formats import load_calls

    (timed,) = load_calls(VTT)
    (untimed,) = load_calls(PLAIN)
    assert parse_clock("1:02:03") == 3723 and parse_clock("12:30") == 750 and parse_clock("abc") is None
    assert passage_at(timed, "0:00") == 0
    assert passage_at(timed, "#7") == 7
    assert passage_at(timed, "#999") is None
    t = timed.passages[20].start
    assert passage_at(timed, f"{int(t // 60)}:{int(t % 60) + 1:02d}") == 20
    assert passage_at(untimed, "12") == 12 and passage_at(untimed, "1:00") is None


def test_call_context_has_metrics_and_coaching_with_a_team(store):
    from callreview.corpora import read_corpus

    (stored,) = import_files(store, [VTT], tiny_model(), annotate=fake_annotate)
    call = store.get_call(stored.call_id)
    without = call_context(call, None)
    assert without.metrics.get("talk_ratio").computable and without.coaching is None
    with_team = call_context(call, read_corpus(TEAM))
    assert with_team.coaching.points
    assert all(0 <= i < len(call.passages) for p in with_team.coaching.points for i in p.passages)


def test_retrain_compares_on_the_reviewed_passages_and_needs_some(store):
    model = tiny_model()
    (stored,) = import_files(store, [VTT], model)
    with pytest.raises(UsageError) as err:
        retrain(store, model, corpus=[TEAM])
    assert err.value.hint
    cid = stored.call_id
    for i in range(6):
        store.decide(cid, i, "behavior", "relabel", "rapport")
    steps = []
    result = retrain(store, model, corpus=[TEAM], progress=lambda d, t, m: steps.append((d, t, m)))
    assert [d for d, _t, _m in steps] == sorted(d for d, _t, _m in steps) and steps[-1][2] == "done"
    assert all(d <= t for d, t, _ in steps)
    (rapport,) = [s for s in result.scores if s.task == "behavior" and s.label == "rapport"]
    assert rapport.support == 6 and rapport.after is not None and rapport.before is not None
    assert result.n_compared == 2 * len(store.get_call(cid).passages)
    assert 0 <= result.n_changed <= result.n_compared
    assert result.old_model_id == "tiny-test-model" and result.model.id != "tiny-test-model"


def test_annotate_stored_keeps_decisions(store):
    model = tiny_model()
    (stored,) = import_files(store, [VTT], model, annotate=fake_annotate)
    store.decide(stored.call_id, 0, "behavior", "relabel", "agenda")
    assert annotate_stored(store, [stored.call_id], model) == 1
    call = store.get_call(stored.call_id)
    assert call.passages[0].behavior == "agenda"
    assert "fake signal" not in call.passages[1].predictions["behavior"].explanation


def test_markdown_comes_first_among_the_export_formats():
    formats = export_formats()
    assert formats and formats[0] == "md"
