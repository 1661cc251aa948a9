"""Per-call metrics, checked against values computed by hand from tests/data/insights/.

timed.jsonl and untimed.jsonl hold the same 15-passage call, with and without cue times.
Seller passages: 0,2,3,5,7,9,11,12,14 (46.5 s, 76 words); buyer: 1,4,6,8,10,13 (36.5 s, 39 words).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from callreview.corpora import read_corpus
from callreview.metrics import (
    ESTIMATED,
    MEASURED,
    NOT_COMPUTABLE,
    Metric,
    call_metrics,
    is_backchannel,
    load_references,
    objections,
    stage_timeline,
)
from callreview.records import Passage, Prediction
from callreview.taxonomy import Taxonomy

DATA = Path(__file__).parent / "data" / "insights"


def load(name: str):
    return read_corpus(DATA / f"{name}.jsonl")[0]


@pytest.fixture(scope="module")
def timed():
    return call_metrics(load("timed"))


@pytest.fixture(scope="module")
def untimed():
    return call_metrics(load("untimed"))


@pytest.fixture(scope="module")
def notes():
    return call_metrics(load("notes"))


# ----------------------------------------------------------------- timed call


def test_talk_ratio_is_seller_share_of_talk_time_from_cue_times(timed):
    m = timed["talk_ratio"]
    assert m.method == MEASURED
    assert m.value == pytest.approx(100 * 46.5 / 83.0)
    assert m.unit == "%"


def test_duration_runs_from_first_start_to_last_end(timed):
    assert timed["duration"].value == pytest.approx(92.0)
    assert timed["duration"].method == MEASURED


def test_longest_monologue_is_the_longest_seller_run_in_seconds(timed):
    m = timed["longest_seller_monologue"]
    assert (m.value, m.unit, m.method) == (pytest.approx(14.0), "s", MEASURED)
    assert m.passages == (9,)


def test_buyer_backchannel_free_story_is_not_broken_by_a_seller_mm_hmm(timed):
    # buyer 4 (17-30 s), seller "Mm-hmm." (5), buyer 6 (31-40 s): one story of 23 s
    m = timed["longest_buyer_story"]
    assert m.value == pytest.approx(23.0)
    assert m.passages == (4, 6)


def test_interactivity_counts_speaker_switches_per_minute(timed):
    m = timed["interactivity"]
    assert m.unit == "switches/min"
    assert m.value == pytest.approx(12 / (92 / 60))


def test_patience_is_the_median_pause_before_the_seller_answers(timed):
    # hand-overs buyer->seller: 1->2 0 s, 6->7 2 s, 8->9 1 s, 10->11 1 s, 13->14 0.5 s;
    # the seller's "Mm-hmm." after 4 is a backchannel, not an answer
    m = timed["patience"]
    assert m.value == pytest.approx(1.0)
    assert m.passages == (2, 7, 9, 11, 14)


def test_talking_speed_is_seller_words_per_minute_of_seller_talk(timed):
    assert timed["talking_speed"].value == pytest.approx(76 / (46.5 / 60))


def test_filler_rate_counts_um_uh_and_you_know_per_100_seller_words(timed):
    m = timed["filler_rate"]
    assert m.value == pytest.approx(100 * 3 / 76)
    assert m.passages == (2, 9)


def test_seller_questions_are_counted_by_type_from_the_labels(timed):
    assert timed["seller_questions"].value == 2
    assert timed["seller_questions"].passages == (3, 7)
    assert timed["seller_questions.situation"].value == 1
    assert timed["seller_questions.problem"].value == 0
    assert timed["seller_questions.implication"].value == 1
    assert timed["seller_questions.need-payoff"].value == 0


def test_buyer_questions_without_a_label_are_an_estimate_from_question_marks(timed):
    m = timed["buyer_questions"]
    assert (m.value, m.method) == (0, ESTIMATED)


def test_benefits_linked_to_stated_needs_are_told_apart_from_information(timed):
    assert timed["benefits"].value == 1
    assert timed["benefits_linked_to_need"].value == 1
    assert timed["information"].value == 1
    assert timed["buyer_needs"].passages == (4, 6)


def test_commitment_request_and_buyer_commitment_say_where(timed):
    req, com = timed["commitment_requested"], timed["buyer_committed"]
    assert req.value is True and req.passages == (12,) and "1:20" in req.detail
    assert com.value is True and com.passages == (13,)


def test_an_objection_followed_by_plain_information_is_unanswered(timed):
    assert [(o.index, o.answered) for o in timed.objections] == [(10, False)]
    assert timed.objections[0].where == "1:11"
    assert timed["objections_unanswered"].value == 1


def test_stage_timeline_has_ordered_spans_with_durations_and_shares(timed):
    assert timed.timeline_method == MEASURED
    got = [(s.stage, s.first, s.last, s.seconds) for s in timed.timeline]
    assert got == [("opening", 0, 2, 12.0), ("discovery", 3, 8, 44.0),
                   ("presentation", 9, 11, 24.0), ("commitment", 12, 14, 12.0)]
    assert [s.share for s in timed.timeline] == pytest.approx([12 / 92, 44 / 92, 24 / 92, 12 / 92])


def test_talk_ratio_shows_the_gong_reference_as_a_published_correlation(timed):
    ref = timed["talk_ratio"].reference
    assert ref is not None and ref.value == 43 and "25,537" in ref.sample
    assert ref.kind == "published correlation"
    assert "not a rule" in ref.describe()


# ----------------------------------------------------------------- no cue times


def test_without_times_talk_ratio_is_estimated_from_words(untimed):
    m = untimed["talk_ratio"]
    assert m.method == ESTIMATED
    assert m.value == pytest.approx(100 * 76 / 115)


def test_without_times_no_time_is_invented(untimed):
    for name in ("duration", "patience", "talking_speed"):
        m = untimed[name]
        assert m.method == NOT_COMPUTABLE and m.value is None, name
    assert untimed["longest_seller_monologue"].unit == "words"
    assert untimed["longest_seller_monologue"].value == 22
    assert untimed["longest_buyer_story"].value == 25
    assert all(s.seconds is None for s in untimed.timeline)


def test_without_times_interactivity_is_per_100_words(untimed):
    m = untimed["interactivity"]
    assert (m.unit, m.method) == ("switches/100 words", ESTIMATED)
    assert m.value == pytest.approx(100 * 12 / 115)


def test_without_times_stage_shares_are_word_shares(untimed):
    assert untimed.timeline_method == ESTIMATED
    assert [s.share for s in untimed.timeline] == pytest.approx([19 / 115, 49 / 115, 30 / 115, 17 / 115])


def test_without_times_the_objection_is_placed_by_passage_number(untimed):
    assert untimed.objections[0].where == "passage 10"


# ----------------------------------------------------------------- written notes


def test_notes_have_no_talk_time_speed_patience_or_turns(notes):
    for name in ("duration", "talk_ratio", "longest_seller_monologue", "longest_buyer_story",
                 "interactivity", "patience", "talking_speed", "filler_rate"):
        m = notes[name]
        assert m.method == NOT_COMPUTABLE and m.value is None, name
        assert "notes" in m.detail


def test_notes_still_count_questions_objections_and_commitment_from_labels(notes):
    assert notes["seller_questions"].value == 2
    assert notes["seller_questions.problem"].passages == (4,)
    assert notes["objections_unanswered"].passages == (5, 7)
    assert notes["commitment_requested"].value is False


# ----------------------------------------------------------------- rules


def test_objection_is_answered_only_by_the_sellers_next_turn():
    call = load("objections")
    pts = objections(call)
    # 1: "Right." is a backchannel; the seller's next real turn (4) answers it
    # 5: the seller moves on (6, 7); the answer at 9 comes too late
    assert [(o.index, o.answered, o.response) for o in pts] == [(1, True, 4), (5, False, None)]


@pytest.mark.parametrize("text,expected", [
    ("Mm-hmm.", True), ("Right, right.", True), ("Got it.", True), ("Yes, Tuesday works.", False),
    ("No.", False), ("We have three sites.", False),
])
def test_backchannels_are_short_reactions(text, expected):
    assert is_backchannel(Passage(0, text)) is expected


def test_counts_from_model_labels_are_estimates():
    call = load("timed")
    ps = [replace(p, predictions={"behavior": Prediction(p.behavior, 0.9)}) if p.index == 3 else p
          for p in call.passages]
    m = call_metrics(call.with_passages(ps))["seller_questions"]
    assert m.method == ESTIMATED and "1 of 15 predicted by the model" in m.detail


def test_unlabeled_call_has_label_metrics_not_computable_but_talk_metrics():
    call = load("timed")
    bare = call.with_passages(replace(p, behavior=None, stage=None) for p in call.passages)
    cm = call_metrics(bare)
    assert cm["seller_questions"].method == NOT_COMPUTABLE
    assert cm["commitment_requested"].value is None
    assert cm["talk_ratio"].value == pytest.approx(100 * 46.5 / 83.0)
    assert cm.timeline == () and cm.objections == ()


def test_a_custom_taxonomy_is_read_through_its_meanings():
    # same call, relabeled with another team's label names
    rename = {"situation_question": "Q-facts", "implication_question": "Q-impact",
              "buyer_objection": "pushback", "giving_information": "pitch",
              "commitment_request": "ask", "buyer_commitment": "yes"}
    call = load("timed")
    call = call.with_passages(replace(p, behavior=rename.get(p.behavior, p.behavior)) for p in call.passages)
    tax = Taxonomy.from_json({
        "name": "acme", "behaviors": sorted(set(rename.values()) | {"rapport", "agenda", "other",
                                                                     "buyer_need", "buyer_info",
                                                                     "benefit_statement"}),
        "outcomes": ["won", "lost"], "success_outcomes": ["won"],
        "meaning": {"seller_question": ["Q-facts", "Q-impact"],
                    "question_type": {"Q-facts": "facts", "Q-impact": "impact"},
                    "buyer_objection": ["pushback"], "objection_response": [],
                    "commitment_request": ["ask"], "buyer_commitment": ["yes"]},
    })
    cm = call_metrics(call, tax)
    assert cm["seller_questions"].value == 2
    assert cm["seller_questions.impact"].passages == (7,)
    assert cm["commitment_requested"].passages == (12,)
    assert [o.index for o in cm.objections] == [10]
    # the default taxonomy cannot read these labels: it says so instead of counting 0
    assert call_metrics(call)["seller_questions"].method == MEASURED  # some default labels remain
    only_custom = call.with_passages(replace(p, behavior="pushback") for p in call.passages)
    assert call_metrics(only_custom)["seller_questions"].method == NOT_COMPUTABLE


def test_call_metrics_are_json_serialisable(timed, untimed, notes):
    for cm in (timed, untimed, notes):
        data = json.loads(json.dumps(cm.to_json()))
        assert {m["method"] for m in data["metrics"]} <= {MEASURED, ESTIMATED, NOT_COMPUTABLE}
        tr = next(m for m in data["metrics"] if m["name"] == "talk_ratio")
        assert tr["reference"]["kind"] == "published correlation"


def test_a_metric_that_is_not_computable_cannot_carry_a_value():
    with pytest.raises(ValueError):
        Metric("x", 3.0, "s", NOT_COMPUTABLE)


def test_every_shipped_reference_names_its_source_and_is_a_correlation():
    refs = load_references()
    assert {"talk_ratio", "seller_questions", "seller_questions.implication"} <= set(refs)
    for ref in refs.values():
        assert ref.source and ref.statement and ref.kind == "published correlation"


def test_stage_timeline_of_a_call_without_stages_is_not_computable():
    call = load("untimed")
    spans, method = stage_timeline(call.with_passages(replace(p, stage=None) for p in call.passages))
    assert spans == () and method == NOT_COMPUTABLE


# ----------------------------------------------------------------- any call

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from callreview.records import Call  # noqa: E402

_labels = st.sampled_from([None, "situation_question", "implication_question", "buyer_objection",
                           "objection_response", "commitment_request", "buyer_need", "benefit_statement",
                           "unknown-label"])


@st.composite
def calls(draw):
    n = draw(st.integers(1, 12))
    timed = draw(st.booleans())
    ps, t = [], 0.0
    for i in range(n):
        dur = draw(st.floats(0, 30))
        gap = draw(st.floats(-2, 5))
        start, end = (max(0.0, t + gap), max(0.0, t + gap) + dur) if timed else (None, None)
        t = end or 0.0
        ps.append(Passage(i, draw(st.text(min_size=1, max_size=30).filter(str.strip)),
                          speaker=draw(st.sampled_from([None, "A", "B"])),
                          role=draw(st.sampled_from([None, "seller", "buyer", "other"])),
                          start=start, end=end, behavior=draw(_labels),
                          stage=draw(st.sampled_from([None, "opening", "discovery"]))))
    return Call("h", tuple(ps), kind=draw(st.sampled_from(["transcript", "notes"])))


@settings(max_examples=150, deadline=None)
@given(calls())
def test_metrics_of_any_call_never_crash_and_never_invent_a_value(call):
    cm = call_metrics(call)
    data = json.loads(json.dumps(cm.to_json()))
    for m in data["metrics"]:
        assert (m["value"] is None) == (m["method"] == NOT_COMPUTABLE), m
        if m["unit"] == "s" and not call.has_times:
            assert m["value"] is None, m
    if cm.timeline:
        assert sum(s.share for s in cm.timeline) == pytest.approx(1.0)
        assert [s.first for s in cm.timeline] == sorted(s.first for s in cm.timeline)
