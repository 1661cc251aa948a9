"""The review store keeps a manager's review work and gives back the current state.

Calls come from tests/data/store/calls.jsonl (corpus v1 with hand-written predictions
of a pretend model "test-model-1"); no model is run.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from callreview.corpora import read_corpus
from callreview.errors import StoreError
from callreview.records import Call, Prediction
from callreview.review import Feedback
from callreview.store import Store, content_hash, default_store_path, store_path

DATA = Path(__file__).parent / "data" / "store"
NORTHWIND, ACME, GLOBEX = "northwind-0412", "acme-0101", "globex-notes"


def calls() -> dict[str, Call]:
    return {c.call_id: c for c in read_corpus(DATA / "calls.jsonl")}


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "reviews.sqlite3") as st:
        for call in calls().values():
            st.add_call(call, seller="Dana Ortiz" if call.call_id == NORTHWIND else None)
        yield st


def reannotated(call: Call, model_id: str, flip: dict[int, str]) -> Call:
    """The call as another model would annotate it: behavior of some passages changed."""
    out = []
    for p in call.passages:
        preds = {t: replace(pr, model_id=model_id) for t, pr in p.predictions.items()}
        if p.index in flip:
            preds["behavior"] = Prediction(flip[p.index], 0.6, (("other", 0.3),), (), model_id)
        out.append(replace(p, predictions=preds))
    return call.with_passages(out)


# ------------------------------------------------------------------ adding calls

def test_adding_the_same_call_again_finds_its_review_instead_of_duplicating(store):
    northwind = calls()[NORTHWIND]
    store.decide(NORTHWIND, 0, "behavior", "accept", reviewer="ana")
    again = store.add_call(northwind)
    assert again.call_id == NORTHWIND and not again.created
    assert [s.call_id for s in store.list_calls()] == [NORTHWIND, ACME, GLOBEX]
    assert store.list_calls()[0].n_decided == 1


def test_calls_from_one_multi_call_file_stay_apart_and_are_found_again(tmp_path):
    # loaders put the hash of the whole file in content_sha256: every call of a
    # corpus or CSV file carries the same one
    tagged = [replace(c, extra={"content_sha256": "same-file"}) for c in calls().values()]
    assert len({content_hash(c) for c in tagged}) == 3
    assert content_hash(tagged[0]) != content_hash(calls()[NORTHWIND])  # the file hash counts
    with Store.open(tmp_path / "s.sqlite3") as st:
        first = [st.add_call(c) for c in tagged]
        again = [st.add_call(replace(c, title="renamed")) for c in tagged]
        assert len(st.list_calls()) == 3
    assert all(a.created for a in first) and not any(a.created for a in again)
    assert [a.call_id for a in again] == [a.call_id for a in first]


def test_another_call_with_a_taken_id_gets_its_own_id(store):
    other = calls()[ACME].with_passages(
        replace(p, text=p.text + " (second recording)") for p in calls()[ACME].passages)
    added = store.add_call(other)
    assert added.created and added.call_id == "acme-0101-2"
    assert store.get_call("acme-0101-2").passages[0].text.endswith("(second recording)")
    assert store.get_call(ACME).passages[0].text == calls()[ACME].passages[0].text


def test_a_stored_call_comes_back_as_it_was_added(store):
    original = calls()[NORTHWIND]
    back = store.get_call(NORTHWIND)
    assert back.title == original.title and back.kind == original.kind and back.outcome == "advance"
    assert back.seller == "Dana Ortiz"
    for a, b in zip(original.passages, back.passages, strict=True):
        assert (a.text, a.speaker, a.role) == (b.text, b.speaker, b.role)
        assert dict(a.predictions) == dict(b.predictions)
        # undecided: the model's labels
        assert (b.behavior, b.stage) == (a.predictions["behavior"].label, a.predictions["stage"].label)


def test_a_call_without_predictions_keeps_its_imported_labels(store):
    notes = store.get_call(GLOBEX)
    assert notes.kind == "notes"
    assert [p.behavior for p in notes.passages] == ["situation_question", "buyer_objection", "buyer_commitment"]
    assert all(not p.predictions for p in notes.passages)


# ---------------------------------------------------------------- decisions

def test_decisions_set_the_labels_the_manager_sees(store):
    store.decide(NORTHWIND, 1, "behavior", "relabel", "buyer_info", reviewer="ana")
    store.decide(NORTHWIND, 1, "stage", "accept", reviewer="ana")
    store.decide(NORTHWIND, 3, "behavior", "skip", reviewer="ana")
    call = store.get_call(NORTHWIND)
    assert (call.passages[1].behavior, call.passages[1].stage) == ("buyer_info", "discovery")
    assert call.passages[3].behavior is None
    assert call.passages[3].stage == "discovery"  # undecided: the model's
    assert call.passages[1].predictions["behavior"].label == "buyer_need"  # what the model said stays


def test_the_latest_decision_on_a_passage_wins(store):
    store.decide(NORTHWIND, 2, "behavior", "accept", reviewer="ana")
    store.decide(NORTHWIND, 2, "behavior", "relabel", "problem_question", reviewer="ben")
    assert store.get_call(NORTHWIND).passages[2].behavior == "problem_question"


def test_decisions_record_reviewer_and_utc_time(store):
    event_id = store.decide(ACME, 0, "behavior", "accept", reviewer="ana")
    (event,) = store.history(ACME)
    assert event.id == event_id
    assert (event.kind, event.index, event.task, event.action, event.value, event.reviewer) == (
        "decision", 0, "behavior", "accept", "buyer_need", "ana")
    assert event.at.endswith("Z") and event.at.startswith("20")


def test_the_reviewer_defaults_to_the_environment(store, monkeypatch):
    monkeypatch.setenv("CALLREVIEW_REVIEWER", "Morgan")
    store.decide(ACME, 0, "stage", "accept")
    assert store.history(ACME)[-1].reviewer == "Morgan"


@pytest.mark.parametrize("args, message", [
    (("nope", 0, "behavior", "accept"), "no call 'nope'"),
    ((NORTHWIND, 4, "behavior", "accept"), "has no passage 4"),
    ((NORTHWIND, 0, "outcome", "accept"), "unknown task"),
    ((NORTHWIND, 0, "behavior", "approve"), "unknown action"),
    ((NORTHWIND, 0, "behavior", "relabel"), "needs the new label"),
    ((NORTHWIND, 0, "behavior", "accept", "rapport"), "accept takes the predicted behavior .agenda."),
    ((GLOBEX, 0, "behavior", "accept"), "no behavior prediction to accept"),
])
def test_a_decision_that_cannot_be_made_is_refused_and_nothing_is_recorded(store, args, message):
    with pytest.raises(StoreError, match=message):
        store.decide(*args, reviewer="ana")
    assert store.event_ids() == set()


# ------------------------------------------------- comments, feedback, status

def test_comments_are_kept_per_passage(store):
    store.comment(NORTHWIND, 1, "  Dig into this: ask what a mess costs them. ", reviewer="ana")
    store.comment(NORTHWIND, 2, "Good quantifying question", reviewer="ben")
    got = store.comments(NORTHWIND)
    assert [(c.index, c.text, c.reviewer) for c in got] == [
        (1, "Dig into this: ask what a mess costs them.", "ana"), (2, "Good quantifying question", "ben")]
    with pytest.raises(StoreError):
        store.comment(NORTHWIND, 1, "   ")


def test_feedback_fields_are_merged_and_can_be_cleared(store):
    assert store.feedback(ACME) == Feedback()
    store.set_feedback(ACME, strengths="Clear need-payoff question", focus="Ask for a next step")
    store.set_feedback(ACME, improve="Close with a date", focus=None)
    assert store.feedback(ACME) == Feedback(strengths="Clear need-payoff question", improve="Close with a date")
    with pytest.raises(StoreError, match="unknown feedback field"):
        store.set_feedback(ACME, praise="x")


def test_status_moves_from_new_to_in_progress_by_itself_and_to_done_when_set(store):
    def status(cid):
        return {s.call_id: s.status for s in store.list_calls()}[cid]

    assert status(ACME) == "new"
    store.comment(ACME, 0, "Nice")
    assert status(ACME) == "in_progress"
    store.set_status(ACME, "done")
    assert status(ACME) == "done"
    with pytest.raises(StoreError, match="unknown review status"):
        store.set_status(ACME, "finished")


def test_outcome_and_seller_set_by_the_manager_replace_the_imported_ones(store):
    store.set_outcome(NORTHWIND, "order")
    store.set_seller(NORTHWIND, "Dana O.")
    summary = store.list_calls()[0]
    assert (summary.outcome, summary.seller) == ("order", "Dana O.")
    call = store.get_call(NORTHWIND)
    assert (call.outcome, call.seller) == ("order", "Dana O.")


def test_list_counts_unsure_and_decided_passages(store):
    # margins below UNSURE_MARGIN (0.25): northwind passages 1 (0.05) and 3 (0.15);
    # acme 0 (0.05) and 1 (0.10); every other margin is 0.30 or more
    before = {s.call_id: s for s in store.list_calls()}
    assert {c: (s.n_passages, s.n_unsure, s.n_decided) for c, s in before.items()} == {
        NORTHWIND: (4, 2, 0), ACME: (3, 2, 0), GLOBEX: (3, 0, 0)}
    assert before[NORTHWIND].model_id == "test-model-1" and before[GLOBEX].model_id is None
    store.decide(NORTHWIND, 1, "behavior", "accept")
    store.decide(NORTHWIND, 0, "stage", "accept")
    after = {s.call_id: s for s in store.list_calls()}[NORTHWIND]
    assert (after.n_unsure, after.n_decided) == (1, 2)
    assert after.status == "in_progress"


def test_the_unsure_threshold_can_be_chosen(store):
    counts = {s.call_id: s.n_unsure for s in store.list_calls(unsure_below=0.12)}
    assert counts == {NORTHWIND: 1, ACME: 2, GLOBEX: 0}


# -------------------------------------------------------------------- undo

def test_undo_takes_back_the_latest_edit_and_says_what_it_was(store):
    store.decide(NORTHWIND, 1, "behavior", "relabel", "buyer_info", reviewer="ana")
    store.decide(NORTHWIND, 1, "behavior", "relabel", "buyer_objection", reviewer="ana")
    undone = store.undo()
    assert undone is not None and undone.value == "buyer_objection" and undone.undone
    assert undone.describe() == f"relabeled behavior as 'buyer_objection' on passage 1 of {NORTHWIND}"
    assert store.get_call(NORTHWIND).passages[1].behavior == "buyer_info"
    store.undo()
    assert store.get_call(NORTHWIND).passages[1].behavior == "buyer_need"  # the model's again
    assert store.undo() is None


def test_undo_within_one_call_leaves_other_calls_alone(store):
    store.decide(NORTHWIND, 0, "behavior", "accept")
    store.set_feedback(ACME, strengths="x")
    undone = store.undo(NORTHWIND)
    assert undone.kind == "decision" and undone.call_id == NORTHWIND
    assert store.feedback(ACME).strengths == "x"


def test_undo_of_feedback_restores_the_previous_text(store):
    store.set_feedback(ACME, strengths="first")
    store.set_feedback(ACME, strengths="second", notes="n")
    store.undo(ACME)
    assert store.feedback(ACME) == Feedback(strengths="first")


def test_history_is_append_only_and_shows_undos(store):
    a = store.decide(ACME, 0, "behavior", "accept")
    b = store.set_outcome(ACME, "advance")
    store.undo(ACME)
    events = store.history(ACME)
    assert [(e.id, e.kind, e.undone, e.undoes) for e in events] == [
        (a, "decision", False, None), (b, "outcome", True, None), (b + 1, "undo", False, b)]
    assert store.list_calls()[1].outcome == "continuation"  # back to the imported outcome


def test_the_store_refuses_to_change_or_delete_recorded_rows(store):
    store.decide(ACME, 0, "behavior", "accept")
    conn = sqlite3.connect(store.path)
    for sql in ("UPDATE events SET value = 'x'", "DELETE FROM events", "DELETE FROM calls",
                "UPDATE predictions SET label = 'x'", "DELETE FROM prediction_sets"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(sql)
    conn.close()


# ---------------------------------------------------------- re-annotation

def test_reannotation_adds_a_prediction_set_and_the_latest_is_current(store):
    new = reannotated(store.get_call(NORTHWIND), "test-model-2", {1: "buyer_objection"})
    store.set_predictions(NORTHWIND, new)
    call = store.get_call(NORTHWIND)
    assert call.passages[1].behavior == "buyer_objection"
    assert {pr.model_id for p in call.passages for pr in p.predictions.values()} == {"test-model-2"}
    assert store.list_calls()[0].model_id == "test-model-2"


def test_a_decision_keeps_the_label_accepted_even_after_reannotation(store):
    store.decide(NORTHWIND, 1, "behavior", "accept")
    store.set_predictions(NORTHWIND, reannotated(store.get_call(NORTHWIND), "test-model-2", {1: "other"}))
    assert store.get_call(NORTHWIND).passages[1].behavior == "buyer_need"


def test_adding_a_call_again_with_another_models_predictions_records_them(store):
    again = reannotated(calls()[ACME], "test-model-2", {0: "buyer_objection"})
    assert store.add_call(again).prediction_set is not None
    assert store.add_call(again).prediction_set is None  # same model: nothing new
    assert store.get_call(ACME).passages[0].behavior == "buyer_objection"


def test_predictions_for_another_call_are_refused(store):
    with pytest.raises(StoreError, match="3 passages, the stored call has 4"):
        store.set_predictions(NORTHWIND, calls()[ACME])


# ---------------------------------------------------------- one call's review

def test_the_review_of_a_call_holds_its_decisions_comments_feedback_status_and_reviewers(store):
    assert (store.review(ACME).status, store.review(ACME).reviewers, store.review(ACME).reviewed_at) == (
        "new", (), None)
    store.decide(ACME, 0, "behavior", "relabel", "buyer_info", reviewer="ana")
    store.comment(ACME, 1, "ask why", reviewer="ben")
    store.set_feedback(ACME, strengths="Clear agenda", reviewer="ana")
    review = store.review(ACME)
    d = review.decision(0, "behavior")
    assert (d.action, d.label, d.reviewer, d.predicted.label, d.corrected) == (
        "relabel", "buyer_info", "ana", "buyer_need", True)
    assert review.call == store.get_call(ACME) and review.call.passages[0].behavior == "buyer_info"
    assert [c.text for c in review.comments[1]] == ["ask why"] == [c.text for c in review.all_comments]
    assert review.feedback == store.feedback(ACME) == Feedback(strengths="Clear agenda")
    assert (review.status, review.reviewers) == ("in_progress", ("ana", "ben"))
    assert review.reviewed_at == store.history(ACME)[-1].at


def test_the_review_and_the_list_agree_on_status_and_progress(store):
    store.decide(NORTHWIND, 0, "behavior", "accept")  # one task of two: decided, not reviewed
    store.decide(NORTHWIND, 1, "behavior", "accept")
    store.decide(NORTHWIND, 1, "stage", "accept")  # both tasks: reviewed
    store.decide(GLOBEX, 0, "behavior", "relabel", "agenda")  # no predictions: every task is needed
    store.decide(GLOBEX, 1, "behavior", "skip")
    store.decide(GLOBEX, 1, "stage", "skip")
    store.comment(ACME, 0, "listen here")
    for summary in store.list_calls():
        review = store.review(summary.call_id)
        assert (summary.status, summary.n_reviewed, summary.n_unsure) == (
            review.status, review.n_reviewed, review.n_unsure), summary.call_id
    assert {s.call_id: (s.n_decided, s.n_reviewed) for s in store.list_calls()} == {
        NORTHWIND: (2, 1), ACME: (0, 0), GLOBEX: (2, 1)}


def test_the_review_read_again_follows_undo_and_a_new_prediction_set(store):
    store.review(NORTHWIND)
    store.decide(NORTHWIND, 1, "behavior", "relabel", "buyer_info")
    assert store.review(NORTHWIND).call.passages[1].behavior == "buyer_info"
    store.undo(NORTHWIND)
    assert store.review(NORTHWIND).decisions == {}
    store.set_predictions(NORTHWIND, reannotated(store.get_call(NORTHWIND), "test-model-2", {1: "buyer_objection"}))
    review = store.review(NORTHWIND)
    assert review.call.passages[1].behavior == "buyer_objection"
    assert review.call.passages[1].predictions["behavior"].model_id == "test-model-2"


# ---------------------------------------------------------- review results

def test_reviewed_calls_keep_only_decided_labels(store):
    store.decide(NORTHWIND, 0, "behavior", "accept", reviewer="ana")
    store.decide(NORTHWIND, 1, "behavior", "relabel", "buyer_info", reviewer="ana")
    store.decide(NORTHWIND, 1, "stage", "skip", reviewer="ana")
    store.set_outcome(NORTHWIND, "order")
    (call,) = store.reviewed_calls()  # acme and globex have no decisions: left out
    assert call.call_id == NORTHWIND and call.outcome == "order"
    assert [(p.behavior, p.stage) for p in call.passages] == [
        ("agenda", None), ("buyer_info", None), (None, None), (None, None)]
    assert all(not p.predictions for p in call.passages)


def test_decisions_by_reviewer_keep_each_reviewers_latest(store):
    store.decide(NORTHWIND, 1, "behavior", "relabel", "buyer_info", reviewer="ana")
    store.decide(NORTHWIND, 1, "behavior", "accept", reviewer="ana")
    store.decide(NORTHWIND, 1, "behavior", "relabel", "buyer_info", reviewer="ben")
    store.decide(NORTHWIND, 2, "stage", "skip", reviewer="ben")
    assert store.decisions_by_reviewer() == {
        "behavior": {"ana": {(NORTHWIND, 1): "buyer_need"}, "ben": {(NORTHWIND, 1): "buyer_info"}},
        "stage": {"ben": {(NORTHWIND, 2): None}},
    }


# -------------------------------------------------------------------- queue

def test_queue_puts_the_least_certain_passages_first(store):
    # smallest margin of any undecided task; ties (0.05) by call order, then passage
    got = [(q.call_id, q.index, q.task, q.margin) for q in store.queue(limit=None)]
    assert got == [
        (NORTHWIND, 1, "behavior", pytest.approx(0.05)),
        (ACME, 0, "behavior", pytest.approx(0.05)),
        (ACME, 1, "behavior", pytest.approx(0.10)),
        (NORTHWIND, 3, "behavior", pytest.approx(0.15)),
        (NORTHWIND, 2, "behavior", pytest.approx(0.50)),
        (NORTHWIND, 0, "behavior", pytest.approx(0.65)),
        (ACME, 2, "behavior", pytest.approx(0.85)),
    ]
    first = store.queue(limit=1)[0]
    assert first.text == "Sure. Returns are a mess, honestly." and first.role == "buyer"
    assert first.predictions["behavior"].alternatives[0][0] == "buyer_info"


def test_queue_skips_decided_tasks_and_done_calls(store):
    store.decide(NORTHWIND, 1, "behavior", "accept")
    store.set_status(ACME, "done")
    got = [(q.call_id, q.index, q.task) for q in store.queue(limit=2)]
    # passage 1's behavior is decided; its stage (margin 0.30) is still open
    assert got == [(NORTHWIND, 3, "behavior"), (NORTHWIND, 1, "stage")]
    assert [q.call_id for q in store.queue(limit=None, include_done=True)].count(ACME) == 3
    store.set_status(ACME, "in_progress")
    store.set_status(ACME, "done")
    store.undo(ACME)  # its latest status is in_progress again
    assert [(q.call_id, q.index) for q in store.queue(limit=1)] == [(ACME, 0)]


# ---------------------------------------------------------------- location

def test_store_location_is_option_then_environment_then_user_data_dir(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(tmp_path / "data"))
    monkeypatch.delenv("CALLREVIEW_STORE", raising=False)
    monkeypatch.delenv("CALLREVIEW_DATA", raising=False)
    assert default_store_path() == tmp_path / "data" / "reviews.sqlite3"
    monkeypatch.setenv("CALLREVIEW_STORE", str(tmp_path / "env.sqlite3"))
    assert store_path() == tmp_path / "env.sqlite3"
    assert store_path(tmp_path / "opt.sqlite3") == tmp_path / "opt.sqlite3"


def test_a_new_store_is_created_with_its_folders(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLREVIEW_STORE", str(tmp_path / "a" / "b" / "reviews.sqlite3"))
    with Store.open() as st:
        st.add_call(calls()[ACME])
    assert (tmp_path / "a" / "b" / "reviews.sqlite3").is_file()
    with Store.open() as st:
        assert [s.call_id for s in st.list_calls()] == [ACME]
