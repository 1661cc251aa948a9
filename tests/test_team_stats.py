"""The team statistics at a manager's team size: the permutation test and its interval,
Benjamini-Hochberg over a report, the summary sentences, and the sequences inside a call
(on calls written for these tests, tests/data/insights/sequences.jsonl)."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callreview.corpora import read_corpus
from callreview.insights import (
    BROKEN_SEQUENCE,
    PermutationTest,
    benjamini_hochberg,
    coach,
    compare_outcomes,
    presenting_before_need,
    sequence_steps,
    sequence_values,
)
from callreview.records import Call, Passage

DATA = Path(__file__).parent / "data" / "insights"
SEQ = {c.call_id: c for c in read_corpus(DATA / "sequences.jsonl")}


# ----------------------------------------------------------------- the test and its interval


def test_small_groups_get_the_exact_permutation_distribution():
    a, b = [3.0, 4.0, 5.0, 6.0, 7.0], [0.0, 1.0, 1.0, 2.0, 0.0]
    t = PermutationTest(a, b, n_perm=2000)
    assert t.exact and t.n_rows == 252  # every split of 10 calls into 5 and 5
    # the observed split and its mirror are the most extreme: p = 2 / 252
    assert t.p[0] == pytest.approx(2 / 252)
    assert t.diff[0] == pytest.approx(4.2)


def test_the_interval_inverts_the_test_and_agrees_with_welch_on_normal_data():
    from scipy import stats

    rng = np.random.default_rng(5)
    a, b = rng.normal(1.0, 1.0, 30), rng.normal(0.0, 1.0, 30)
    t = PermutationTest(a, b, n_perm=2000, seed=1)
    low, high = t.interval(0.05)
    ci = stats.ttest_ind(a, b, equal_var=False).confidence_interval()
    assert low[0] == pytest.approx(ci.low, abs=0.1) and high[0] == pytest.approx(ci.high, abs=0.1)
    # just inside the ends the shift is not rejected; well outside it is
    assert t.pvalue(low + 0.01)[0] > 0.05 and t.pvalue(high - 0.01)[0] > 0.05
    assert t.pvalue(low - 0.3)[0] <= 0.05 and t.pvalue(high + 0.3)[0] <= 0.05


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=3, max_size=9), st.lists(st.integers(0, 6), min_size=3, max_size=9),
       st.sampled_from([0.01, 0.05, 0.2]))
def test_an_interval_excludes_zero_exactly_when_the_test_rejects(a, b, alpha):
    t = PermutationTest(np.array(a, float), np.array(b, float), n_perm=300, seed=2, bound=10.0)
    low, high = t.interval(alpha)
    assert low[0] <= t.diff[0] + 1e-9 <= high[0] + 2e-9
    assert (low[0] > 0 or high[0] < 0) == bool(t.p[0] <= alpha)


def test_benjamini_hochberg_q_values():
    q = benjamini_hochberg([0.01, 0.04, 0.03, 0.5])
    assert q == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5])
    assert (benjamini_hochberg([0.001, 0.9]) <= 0.05).tolist() == [True, False]


# ----------------------------------------------------------------- reports


def _corpus():
    from callreview.corpora import default_corpus_dir

    return [c for c in read_corpus(default_corpus_dir()) if c.outcome]


def test_every_interval_of_a_report_excludes_zero_exactly_when_supported():
    calls = _corpus()
    rng = random.Random(3)
    for n in (14, 40):
        rep = compare_outcomes(rng.sample(calls, n), n_perm=400)
        for r in rep.rows():
            if r.compared:
                assert (r.ci_low > 0 or r.ci_high < 0) == r.excludes_zero == r.supported, r
                assert r.ci_low <= r.diff <= r.ci_high
        assert rep.n_supported == sum(r.excludes_zero for r in rep.rows())


def test_shuffled_outcomes_of_a_small_team_are_almost_never_flagged():
    """A seeded negative control at 20 calls (the full one is benchmarks/negative_control.py)."""
    calls = _corpus()
    rng = random.Random(11)
    flagged = rows = 0
    for k in range(10):
        drawn = rng.sample(calls, 20)
        outcomes = [c.outcome for c in drawn]
        rng.shuffle(outcomes)
        rep = compare_outcomes([replace(c, outcome=o) for c, o in zip(drawn, outcomes)], n_perm=300, seed=k)
        flagged += sum(r.excludes_zero for r in rep.rows())
        rows += sum(r.compared for r in rep.rows())
    assert rows and flagged / rows <= 0.05


def test_the_report_opens_with_three_sentences_with_numbers_and_how_sure():
    rep = compare_outcomes(_corpus(), n_perm=400)
    sentences = rep.summary()
    assert len(sentences) == 3
    for s in sentences:
        assert any(ch.isdigit() for ch in s) and ("evidence" in s or "chance" in s)
        assert "interval" in s and "calls" in s
    # what the seller does comes before what is the outcome itself (the buyer committing)
    assert "buyer commitment" not in sentences[0]
    assert rep.to_json()["summary"] == sentences


def test_below_the_minimum_the_summary_says_nothing_is_compared():
    calls = _corpus()[:6]
    rep = compare_outcomes(calls, min_calls=5)
    assert not rep.compared and rep.n_tests == 0
    assert "nothing is compared" in rep.summary()[0]
    assert all(r.p_value is None and not r.excludes_zero for r in rep.rows())
    assert any(r.success_mean is not None or r.other_mean is not None for r in rep.behaviors)


# ----------------------------------------------------------------- sequences


def test_needs_never_linked_to_a_benefit_are_found_and_linked_ones_are_not():
    steps = sequence_steps(SEQ["seq-unlinked"])["need_then_benefit"]
    assert [(s.opener, s.good) for s in steps] == [(2, False), (4, False)]
    linked = sequence_steps(SEQ["seq-linked"])["need_then_benefit"]
    assert [(s.opener, s.good, s.follow) for s in linked] == [(1, True, 2), (5, True, 6)]


def test_an_answered_objection_is_followed_by_a_second_objection_or_a_commitment():
    steps = sequence_steps(SEQ["seq-linked"])["objection_then_commitment"]
    # objection 7, answered at 8, then the buyer objected again at 9; that one was answered
    # at 10 and the next thing the buyer did was commit (12)
    assert [(s.opener, s.middle, s.follow, s.good) for s in steps] == [(7, 8, 9, False), (9, 10, 12, True)]
    assert sequence_values(SEQ["seq-linked"])["objection_then_commitment"] == 50.0
    assert sequence_values(SEQ["seq-unlinked"])["objection_then_commitment"] is None  # no objection


def test_implication_questions_followed_by_a_need_payoff_question():
    assert [(s.opener, s.good) for s in sequence_steps(SEQ["seq-linked"])["implication_then_need_payoff"]] == [(3, True)]
    assert [(s.opener, s.good) for s in sequence_steps(SEQ["seq-unlinked"])["implication_then_need_payoff"]] == [(3, False)]


def test_a_commitment_request_answered_by_a_commitment_or_a_stall():
    assert [(s.opener, s.follow, s.good) for s in sequence_steps(SEQ["seq-unlinked"])["request_then_commitment"]] \
        == [(8, 9, False)]
    assert [(s.opener, s.follow, s.good) for s in sequence_steps(SEQ["seq-linked"])["request_then_commitment"]] \
        == [(11, 12, True)]


def test_presenting_before_the_first_need_counts_the_tour():
    assert presenting_before_need(SEQ["seq-presenting"]) == ((1, 2, 3, 4), 5)
    assert presenting_before_need(SEQ["seq-unlinked"]) == ((), 2)
    no_need = SEQ["seq-presenting"].with_passages(
        replace(p, behavior="buyer_info") if p.behavior == "buyer_need" else p for p in SEQ["seq-presenting"].passages)
    assert presenting_before_need(no_need) == ((1, 2, 3, 4), None)


def _team_linking_needs(n_success: int = 10, n_other: int = 10, seed: int = 1) -> list[Call]:
    """Successful calls link each stated need to a benefit; the others state needs and
    then present plain information. Everything else is alike."""
    rng = random.Random(seed)
    calls = []
    for k in range(n_success + n_other):
        ok = k < n_success
        rows = [("seller", "rapport"), ("seller", "situation_question"), ("seller", "situation_question")]
        for _ in range(rng.randint(2, 3)):
            rows.append(("buyer", "buyer_need"))
            rows.append(("seller", "benefit_statement" if ok or rng.random() < 0.1 else "giving_information"))
        rows += [("seller", "giving_information")] * rng.randint(1, 3) + [("seller", "commitment_request")]
        ps = tuple(Passage(i, f"words of {lab}", speaker="Sam" if role == "buyer" else "Dana", role=role,
                           behavior=lab, start=10.0 * i, end=10.0 * i + 8) for i, (role, lab) in enumerate(rows))
        calls.append(Call(f"team-{k:02d}", ps, outcome="advance" if ok else "no_sale"))
    return calls


def test_coach_says_the_needs_were_never_linked_with_both_passages_as_evidence():
    team = _team_linking_needs()
    rep = compare_outcomes(team)
    assert rep.get("need_then_benefit").excludes_zero and rep.get("need_then_benefit").diff > 0
    ctx = coach(SEQ["seq-unlinked"], team)
    point = next(p for p in ctx.points if p.kind == BROKEN_SEQUENCE and p.label == "need_then_benefit")
    assert point.message.startswith("The two needs the buyer stated (at 0:14 and 0:35) were never linked to a "
                                    "benefit; in the team's successful calls 100% of stated needs are")
    assert point.passages == (2, 4) and point.sure and not point.absent
    assert point.team_diff > 0 and point.ci_low > 0 and point.value < point.range_low
    # the sequence point comes before the behavior-rate points
    kinds = [p.kind for p in ctx.points if p.sure]
    assert kinds.index(BROKEN_SEQUENCE) < min((kinds.index(k) for k in ("below_successful_range",
                                                                         "above_successful_range") if k in kinds),
                                              default=len(kinds))
    json.dumps(ctx.to_json())


def test_a_call_that_links_its_needs_gets_no_such_point():
    ctx = coach(SEQ["seq-linked"], _team_linking_needs())
    assert not any(p.kind == BROKEN_SEQUENCE and p.label == "need_then_benefit" for p in ctx.points)


def test_an_unsure_need_makes_the_sequence_point_one_to_check():
    from callreview.records import Prediction

    call = SEQ["seq-unlinked"]
    ps = list(call.passages)
    ps[2] = replace(ps[2], predictions={"behavior": Prediction("buyer_need", 0.55, (("buyer_info", 0.4),))})
    ctx = coach(call.with_passages(ps), _team_linking_needs())
    point = next(p for p in ctx.points if p.kind == BROKEN_SEQUENCE and p.label == "need_then_benefit")
    assert not point.sure and point.message.startswith("Check this: the two needs")
    assert point in ctx.checks


def test_sequences_appear_in_the_report_json_with_their_calls():
    data = compare_outcomes(_team_linking_needs()).to_json()
    seq = {s["label"]: s for s in data["sequences"]}
    assert seq["need_then_benefit"]["supported"] and seq["need_then_benefit"]["n_success"] == 10
    assert seq["need_then_benefit"]["unit"] == "% of steps"
    assert data["fdr"]["tests"] == len([r for r in data["behaviors"] + data["sequences"] if r["diff"] is not None])
