"""Reviewer agreement figures, checked against values computed by hand."""

from __future__ import annotations

import pytest

from callreview.agreement import agreement, agreement_by_task, cohen_kappa, krippendorff_alpha_nominal

# Two reviewers, ten passages, they disagree on passages 4 and 9.
#   observed agreement p_o = 8/10 = 0.8
#   each reviewer said "a" 5 times and "b" 5 times: p_e = 0.5*0.5 + 0.5*0.5 = 0.5
#   kappa = (0.8 - 0.5) / (1 - 0.5) = 0.6
#   alpha: coincidences o_aa = o_bb = 8, o_ab = o_ba = 2; n_a = n_b = 10, n = 20
#          alpha = 1 - (n - 1) * (o_ab + o_ba) / (2 * n_a * n_b) = 1 - 19 * 4 / 200 = 0.62
TWO = {
    "ana": dict(enumerate("a a a a a b b b b b".split())),
    "ben": dict(enumerate("a a a a b b b b b a".split())),
}


def test_two_reviewers_get_hand_computed_kappa_alpha_and_raw_agreement():
    result = agreement(TWO)
    assert result.reviewers == ("ana", "ben")
    assert result.n_items == 10 and result.n_compared == 10
    assert result.raw == pytest.approx(0.8)
    assert result.kappa == pytest.approx(0.6)
    assert result.alpha == pytest.approx(0.62)


def test_kappa_matches_scikit_learn_on_the_same_labels():
    from sklearn.metrics import cohen_kappa_score

    a = "x y y z x x y z z x y x".split()
    b = "x y z z x y y z x x y y".split()
    expected = cohen_kappa_score(a, b)
    assert cohen_kappa(dict(enumerate(a)), dict(enumerate(b))) == pytest.approx(expected)


def test_three_reviewers_with_a_skip_get_hand_computed_alpha():
    # u1: a a a   u2: a b (r3 skipped)   u3: b b b   u4: a (only one label: not compared)
    # raw: pairs agreeing 3 + 0 + 3 of 3 + 1 + 3 = 6/7
    # coincidences: u1 gives o_aa = 6 * 1/2 = 3; u2 gives o_ab = o_ba = 1; u3 gives o_bb = 3
    # n_a = n_b = 4, n = 8: alpha = 1 - 7 * 2 / (2 * 4 * 4) = 0.5625
    ratings = {
        "r1": {"u1": "a", "u2": "a", "u3": "b"},
        "r2": {"u1": "a", "u2": "b", "u3": "b", "u4": "a"},
        "r3": {"u1": "a", "u2": None, "u3": "b"},
    }
    result = agreement(ratings)
    assert result.n_items == 4
    assert result.n_compared == 3
    assert result.n_labels == {"r1": 3, "r2": 4, "r3": 2}
    assert result.raw == pytest.approx(6 / 7)
    assert result.alpha == pytest.approx(0.5625)
    assert result.kappa is None  # Cohen's kappa is for exactly two reviewers


def test_alpha_matches_krippendorffs_published_nominal_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 coders,
    # 12 units, nominal alpha = 0.743.
    rows = {
        "A": "1 2 3 3 2 1 4 1 2 . . .",
        "B": "1 2 3 3 2 2 4 1 2 5 . 3",
        "C": ". 3 3 3 2 3 4 2 2 5 1 .",
        "D": "1 2 3 3 2 4 4 1 2 5 1 .",
    }
    ratings = {c: {u: (None if v == "." else v) for u, v in enumerate(row.split())} for c, row in rows.items()}
    assert krippendorff_alpha_nominal(ratings) == pytest.approx(0.743, abs=5e-4)


def test_agreement_is_undefined_rather_than_invented_when_nothing_can_be_compared():
    one = agreement({"ana": {1: "a", 2: "b"}})
    assert (one.n_items, one.n_compared, one.raw, one.kappa, one.alpha) == (2, 0, None, None, None)
    same = agreement({"ana": {1: "a", 2: "a"}, "ben": {1: "a", 2: "a"}})
    assert same.raw == 1.0
    assert same.kappa is None and same.alpha is None  # chance agreement is total


def test_agreement_by_task_keeps_tasks_apart():
    result = agreement_by_task({"stage": TWO, "behavior": {"ana": {1: "x"}, "ben": {1: "y"}}})
    assert list(result) == ["behavior", "stage"]
    assert result["behavior"].raw == 0.0
    assert result["stage"].kappa == pytest.approx(0.6)
