"""Across calls: what separates the outcomes, by seller, and one call's coaching context."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import pytest

from callreview.corpora import read_corpus
from callreview.insights import (
    BELOW_RANGE,
    NO_COMMITMENT_REQUEST,
    TOO_FEW,
    UNANSWERED_OBJECTION,
    behavior_rates,
    coach,
    compare_outcomes,
    compare_sellers,
    seller_of,
)
from callreview.records import Call, Passage

DATA = Path(__file__).parent / "data" / "insights"

STAGE = {"rapport": "opening", "agenda": "opening", "situation_question": "discovery",
         "implication_question": "discovery", "buyer_need": "discovery", "buyer_info": "discovery",
         "giving_information": "presentation", "commitment_request": "commitment",
         "buyer_commitment": "commitment"}


def make_call(call_id: str, outcome: str | None, counts: dict[str, int], seller: str = "Dana") -> Call:
    """A call holding `counts` passages of each label, in a plausible stage order."""
    order = list(STAGE)
    labels = [lab for lab in order for _ in range(counts.get(lab, 0))]
    ps = []
    for i, lab in enumerate(labels):
        buyer = lab.startswith("buyer")
        ps.append(Passage(i, f"passage {i} about {lab}", speaker="Sam" if buyer else seller,
                          role="buyer" if buyer else "seller", behavior=lab, stage=STAGE[lab]))
    return Call(call_id, tuple(ps), outcome=outcome)


def team(n_success: int, n_other: int, seed: int = 7, seller: str = "Dana") -> list[Call]:
    """Successful calls ask 3-5 implication questions, the others 0-1; all else alike."""
    rng = random.Random(seed)
    calls = []
    for k in range(n_success + n_other):
        ok = k < n_success
        counts = {"rapport": 2, "agenda": 1, "situation_question": 3 + rng.randint(0, 1),
                  "implication_question": rng.randint(3, 5) if ok else rng.randint(0, 1),
                  "buyer_need": 2, "buyer_info": 5 + rng.randint(0, 2),
                  "giving_information": 3 + rng.randint(0, 2), "commitment_request": 1,
                  "buyer_commitment": 1 if ok else 0}
        calls.append(make_call(f"{seller.lower()}-{k:03d}", "order" if ok else "no_sale", counts, seller))
    return calls


# ----------------------------------------------------------------- rates


def test_behavior_rate_is_per_100_labeled_passages():
    call = read_corpus(DATA / "timed.jsonl")[0]
    rates = behavior_rates(call)
    assert rates["buyer_need"] == pytest.approx(100 * 2 / 15)
    assert behavior_rates(call, ["summarizing"]) == {"summarizing": 0.0}


# ----------------------------------------------------------------- report


def test_report_finds_a_planted_difference_with_an_interval_excluding_zero():
    report = compare_outcomes(team(12, 12))
    imp = report.get("implication_question")
    assert imp.diff > 10 and imp.ci_low > 0 and imp.excludes_zero
    assert imp.ci_low <= imp.diff <= imp.ci_high
    assert (imp.n_success, imp.n_other) == (12, 12)
    # the planted behavior leads the table
    assert report.by_difference()[0].label == "implication_question"


def test_report_with_too_few_calls_in_a_group_says_so_instead_of_comparing():
    report = compare_outcomes(team(4, 12))
    assert not report.compared
    assert TOO_FEW in report.note
    assert all(b.diff is None and b.ci_low is None for b in report.behaviors)
    data = json.loads(json.dumps(report.to_json()))
    assert data["n_success"] == 4 and data["n_other"] == 12
    assert all(b["diff"] is None and b["p_value"] is None and not b["supported"] and b["note"] == TOO_FEW
               for b in data["behaviors"])
    # below the minimum the rows still describe the calls (means and counts), nothing more
    imp = report.get("implication_question")
    assert imp.success_count > imp.other_count and imp.success_with == 4
    assert "nothing is compared" in report.note and "nothing is compared" in report.summary()[0]


def test_minimum_calls_per_group_is_a_parameter():
    assert compare_outcomes(team(3, 3), min_calls=3).compared
    assert not compare_outcomes(team(3, 3)).compared


def test_bootstrap_is_repeatable_for_a_seed_and_changes_with_it():
    calls = team(8, 8)
    a, b = compare_outcomes(calls, seed=1), compare_outcomes(calls, seed=1)
    c = compare_outcomes(calls, seed=2)
    assert a.to_json() == b.to_json()
    assert a.get("implication_question").ci_low != c.get("implication_question").ci_low
    assert a.get("implication_question").diff == c.get("implication_question").diff


def test_calls_without_outcome_or_labels_are_excluded_and_counted():
    calls = team(6, 6)
    calls.append(replace(calls[0], call_id="x1", outcome=None))
    calls.append(replace(calls[1], call_id="x2", outcome="won-ish"))
    calls.append(calls[2].with_passages(replace(p, behavior=None) for p in calls[2].passages))
    calls[-1] = replace(calls[-1], call_id="x3")
    report = compare_outcomes(calls)
    assert (report.n_success, report.n_other, report.n_excluded) == (6, 6, 3)
    assert report.excluded["no outcome"] == 1
    assert report.to_json()["n_excluded"] == 3


def test_report_json_has_the_documented_shape():
    data = compare_outcomes(team(6, 6)).to_json()
    assert {"n_success", "n_other", "behaviors"} <= set(data)
    row = data["behaviors"][0]
    assert {"label", "success_mean", "other_mean", "diff", "ci_low", "ci_high"} <= set(row)
    diffs = [abs(b["diff"]) for b in data["behaviors"]]
    assert diffs == sorted(diffs, reverse=True)


def test_report_uses_the_labels_the_calls_carry():
    calls = [c.with_passages(replace(p, behavior=f"team:{p.behavior}") for p in c.passages)
             for c in team(6, 6)]
    report = compare_outcomes(calls)
    assert report.get("team:implication_question").excludes_zero


# ----------------------------------------------------------------- by seller


def test_seller_profile_compares_each_seller_with_the_teams_successful_calls():
    rng = random.Random(3)
    weak = [make_call(f"weak-{k}", rng.choice(["no_sale", "continuation"]),
                      {"rapport": 2, "situation_question": 4, "implication_question": 0, "buyer_info": 6,
                       "giving_information": 6, "commitment_request": 1}, seller="Lou") for k in range(6)]
    few = team(2, 1, seller="Kim")
    rep = compare_sellers(team(8, 4) + weak + few)
    by = {s.seller: s for s in rep.sellers}
    lou = {b.label: b for b in by["Lou"].behaviors}
    assert lou["implication_question"].diff < 0 and lou["implication_question"].ci_high < 0
    assert by["Lou"].n_calls == 6 and by["Lou"].n_success == 0
    assert all(b.diff is None for b in by["Kim"].behaviors)  # 3 calls: too few
    json.dumps(rep.to_json())


def test_seller_of_falls_back_to_the_seller_side_speakers():
    call = read_corpus(DATA / "timed.jsonl")[0]
    assert seller_of(call) == "Dana Ortiz"
    assert seller_of(replace(call, seller="Ana")) == "Ana"


# ----------------------------------------------------------------- coach


@pytest.fixture(scope="module")
def timed_call():
    return read_corpus(DATA / "timed.jsonl")[0]


def test_coach_ranks_an_unanswered_objection_first(timed_call):
    ctx = coach(timed_call, team(10, 10))
    first = ctx.points[0]
    assert first.kind == UNANSWERED_OBJECTION
    assert first.passages[0] == 10  # the objection, then the seller's turn that did not answer it
    assert all(timed_call.passages[i].role == "seller" for i in first.passages[1:])
    assert "1:11" in first.message and "expensive" in first.message


def test_every_coaching_point_points_at_passages_that_exist(timed_call):
    ctx = coach(timed_call, team(10, 10))
    indices = {p.index for p in timed_call.passages}
    assert ctx.points
    for point in ctx.points:
        assert set(point.passages) <= indices
        assert point.passages or point.absent


def test_coach_flags_too_few_implication_questions_with_the_team_figures():
    call = make_call("me", "no_sale", {"rapport": 2, "situation_question": 4, "implication_question": 0,
                                       "buyer_info": 6, "giving_information": 4, "commitment_request": 1})
    ctx = coach(call, team(10, 10))
    point = next(p for p in ctx.points if p.label == "implication_question")
    assert point.kind == BELOW_RANGE and point.absent
    assert point.message.startswith("No implication questions; at this call's length the team's successful calls")
    assert point.n_success == 10 and point.ci_low > 0  # the team's successful calls have more of them
    # absent: it points at where such questions usually come, the discovery stage of this call
    assert point.passages and all(call.passages[i].stage == "discovery" for i in point.passages)
    assert ctx.points[0].label == "implication_question"  # the biggest success-vs-other gap


def test_coach_names_a_missing_commitment_request_and_points_at_the_end(tmp_path):
    call = make_call("me", "continuation", {"rapport": 2, "situation_question": 3,
                                            "implication_question": 4, "buyer_info": 6,
                                            "giving_information": 4})
    ctx = coach(call, team(10, 10))
    point = next(p for p in ctx.points if p.kind == NO_COMMITMENT_REQUEST)
    assert point.passages == tuple(p.index for p in call.passages[-3:])
    assert "without a commitment request" in point.message
    assert "10 of the team's 10 successful calls" in point.message
    assert ctx.points[0].kind == NO_COMMITMENT_REQUEST


def test_coach_with_too_few_successful_calls_still_names_the_objection(timed_call):
    ctx = coach(timed_call, team(2, 10))
    assert [p.kind for p in ctx.points] == [UNANSWERED_OBJECTION]
    assert any(TOO_FEW in n for n in ctx.notes)


def test_coach_leaves_the_coached_call_out_of_the_team():
    calls = team(5, 5)
    ctx = coach(calls[0], calls)
    assert ctx.n_team_success == 4 and any(TOO_FEW in n for n in ctx.notes)


def test_coaching_context_is_json_serialisable(timed_call):
    data = json.loads(json.dumps(coach(timed_call, team(10, 10)).to_json()))
    assert data["points"][0]["kind"] == UNANSWERED_OBJECTION
    assert "ranking" in data


def test_an_absent_behavior_in_a_call_without_stages_points_at_its_usual_place():
    call = make_call("me", "no_sale", {"rapport": 2, "situation_question": 4, "buyer_info": 6,
                                       "giving_information": 4, "commitment_request": 1})
    call = call.with_passages(replace(p, stage=None) for p in call.passages)
    ctx = coach(call, team(10, 10))
    point = next(p for p in ctx.points if p.label == "implication_question")
    assert point.absent and len(point.passages) == 3
    assert "of the way into a call" in point.message
    assert set(point.passages) <= {p.index for p in call.passages}


def test_coach_ranks_a_large_team_gap_above_a_far_but_irrelevant_excess():
    # far too much rapport (which barely separates outcomes) must not outrank missing
    # implication questions (which separate them most)
    call = make_call("me", "no_sale", {"rapport": 12, "situation_question": 4, "buyer_info": 6,
                                       "giving_information": 4, "commitment_request": 1})
    ctx = coach(call, team(10, 10))
    labels = [p.label for p in ctx.points]
    assert labels.index("implication_question") < labels.index("rapport")


# ----------------------------------------------------------------- any call

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TEAM = team(8, 8)


@st.composite
def any_call(draw):
    labels = st.sampled_from([None, *STAGE, "buyer_objection", "objection_response", "odd-label"])
    n = draw(st.integers(1, 15))
    ps = [Passage(i, "words", role=draw(st.sampled_from([None, "seller", "buyer"])), behavior=draw(labels),
                  stage=draw(st.sampled_from([None, "opening", "discovery", "commitment"])))
          for i in range(n)]
    return Call("any", tuple(ps), outcome=draw(st.sampled_from([None, "order", "no_sale"])))


@settings(max_examples=100, deadline=None)
@given(any_call())
def test_every_point_of_any_call_points_at_passages_of_that_call(call):
    ctx = coach(call, _TEAM)
    indices = {p.index for p in call.passages}
    for point in ctx.points:
        assert set(point.passages) <= indices
    if any(p.kind == UNANSWERED_OBJECTION for p in ctx.points):
        assert ctx.points[0].kind == UNANSWERED_OBJECTION
    json.dumps(ctx.to_json())


def test_no_rate_point_goes_against_the_direction_the_team_supports():
    """Over every call of the shipped corpus coached against the rest: a rate point says
    "fewer" only of a behavior the team's successful calls have less of, "more" only of one
    they have more of, each with an interval that excludes zero (supported with the team
    report's false discovery rate controlled); a sequence point likewise."""
    from callreview.corpora import default_corpus_dir
    from callreview.insights import ABOVE_RANGE, BELOW_RANGE, BROKEN_SEQUENCE, SEQUENCE

    calls = read_corpus(default_corpus_dir())
    seen = sequences = 0
    for call in calls[::3]:
        for p in coach(call, calls, n_perm=400).points:
            if p.kind == BELOW_RANGE:
                assert p.ci_low > 0 and p.count < p.range_low, p
                seen += 1
            elif p.kind == ABOVE_RANGE:
                assert p.ci_high < 0 and p.count > p.range_high, p
                seen += 1
            elif p.kind == BROKEN_SEQUENCE:  # a sequence: only in the direction the team supports
                if SEQUENCE[p.label].kind == "share":
                    assert p.team_diff > 0 and p.ci_low > 0 and p.value < p.range_low, p
                else:
                    assert p.team_diff < 0 and p.ci_high < 0 and p.value > p.range_high, p
                sequences += 1
    assert seen and sequences  # the corpus does give rate and sequence points


def test_an_unsure_objection_is_a_point_to_check_not_a_finding(timed_call):
    from callreview.records import Prediction

    unsure = Prediction("buyer_objection", 0.55, (("buyer_info", 0.4), ("buyer_need", 0.05)))
    ps = list(timed_call.passages)
    ps[10] = replace(ps[10], predictions={"behavior": unsure})
    ctx = coach(timed_call.with_passages(ps), team(10, 10))
    point = next(p for p in ctx.points if p.kind == UNANSWERED_OBJECTION)
    assert not point.sure and point.message.startswith("Check 1:11")
    assert point not in ctx.verdicts and ctx.points.index(point) >= len(ctx.verdicts)
