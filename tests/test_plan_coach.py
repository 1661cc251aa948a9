"""Plan coaching (callreview.plan_coach): coverage, planning vs reporting, specificity,
the plan against its call, stale plans, and elements against outcomes across a team.
Files: tests/data/plan_coach/ (labeled plans, a call a plan prepared, a team of plans)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from callreview import plan_coach as pc
from callreview.corpora import read_corpus
from callreview.records import Passage, Prediction

DATA = Path(__file__).parent / "data" / "plan_coach"


def one(name: str):
    return read_corpus(DATA / name)[0]


def team():
    return read_corpus(DATA / "team_plans.jsonl")


def test_weak_opportunity_plan_names_missing_elements_and_reads_as_a_log():
    c = pc.coach_plan(one("weak_opportunity.jsonl"), team(), today=date(2027, 3, 25))
    assert set(c.missing) == {"decision_process", "competition", "win_strategy", "resources", "risk"}
    kinds = [p.kind for p in c.points]
    assert kinds[:2] == [pc.MISSING_ELEMENT, pc.MISSING_ELEMENT]
    # the team's won plans have competition and a decision process: those rank first, with the team's figures
    assert {c.points[0].label, c.points[1].label} == {"competition", "decision_process"}
    assert "100% of the plans of won deals" in c.points[0].message
    log = next(p for p in c.points if p.kind == pc.ACTIVITY_LOG)
    assert log.passages == (1, 2, 3, 5)
    assert c.reporting_share == 0.5
    vague = next(p for p in c.points if p.kind == pc.VAGUE_STEPS)
    assert vague.passages == (6,)


def test_strong_plan_has_every_element_and_is_specific():
    c = pc.coach_plan(one("strong_opportunity.jsonl"), today=date(2027, 3, 5))
    assert c.missing == ()
    assert c.specific_share is not None and c.specific_share >= 0.8
    assert not [p for p in c.points if p.kind in (pc.MISSING_ELEMENT, pc.ACTIVITY_LOG, pc.VAGUE_STEPS)]


def test_account_and_territory_plans_use_their_own_elements():
    acc = pc.coach_plan(one("account.jsonl"))
    assert set(acc.missing) == {"relationship_map", "account_health"}
    ter = pc.coach_plan(one("territory.jsonl"))
    assert ter.missing == ("territory_goal",)


def test_unlabeled_plan_says_so_and_invents_no_coverage():
    plan = one("weak_opportunity.jsonl")
    bare = plan.with_passages(Passage(p.index, p.text) for p in plan.passages)
    c = pc.coach_plan(bare)
    assert not c.labeled and c.coverage == () and c.points == ()
    assert "no element labels" in c.summary()[0]


def _predicted(plan, element: str, probability: float):
    """The plan with its human labels replaced by predictions; lines are `element` at most `probability`."""
    out = []
    for p in plan.passages:
        label = p.label("element")
        alts = ((element, probability),) if label != element else ()
        out.append(Passage(p.index, p.text, predictions={"element": Prediction(label, 0.9, alts)}))
    return plan.with_passages(out)


def test_missing_element_is_a_finding_only_when_the_model_is_sure():
    plan = one("weak_opportunity.jsonl")
    sure = pc.coach_plan(_predicted(plan, "competition", 0.001))
    unsure = pc.coach_plan(_predicted(plan, "competition", 0.3))
    point = next(p for p in sure.points if p.label == "competition")
    assert point.sure
    check = next(p for p in unsure.points if p.label == "competition")
    assert not check.sure and check.message.startswith("Check") and check.passages


def test_call_plan_against_its_call_with_evidence():
    plan, call = one("call_plan.jsonl"), one("northwind_call.jsonl")
    e = pc.execution(plan, call)
    assert e.advance is not None and e.advance.asked and e.advance.requests == (9,) and e.advance.committed
    asked = {q.line: q for q in e.questions}
    assert asked[3].asked and asked[3].passage == 2 and "cooler failures" in asked[3].sentence
    assert asked[4].asked and asked[4].passage == 4
    assert not asked[5].asked
    obj = {o.line: o for o in e.objections}
    assert obj[6].came_up and obj[6].passage == 7 and obj[6].answered
    assert not obj[7].came_up
    assert [p.kind for p in e.points] == [pc.QUESTION_NOT_ASKED]


def test_advance_never_asked_is_a_point():
    plan, call = one("call_plan.jsonl"), one("northwind_call.jsonl")
    no_ask = call.with_passages(p if p.behavior != "commitment_request" else Passage(p.index, "Thanks, talk soon.",
                                                                                   role="seller", behavior="other")
                                for p in call.passages)
    e = pc.execution(plan, no_ask)
    assert e.advance is not None and not e.advance.asked
    assert e.points[0].kind == pc.ADVANCE_NOT_ASKED and e.points[0].sure


def test_question_threshold_separates_asked_from_other_questions():
    rows = [json.loads(line) for line in (DATA / "question_pairs.jsonl").read_text().splitlines()]
    for r in rows:
        score = pc.best_match(r["planned"], [Passage(0, r["said"], role="seller")])[0]
        assert (score >= pc.QUESTION_MATCH) == r["asked"], r


def test_stale_plan_dates_passed_and_later_call():
    plan = one("strong_opportunity.jsonl")
    s = pc.staleness(plan, [one("northwind_call.jsonl")], today=date(2027, 3, 25))
    assert s.stale and s.lines == (6, 7) and s.later_call == ("call-northwind-02", "2027-03-12")
    fresh = pc.staleness(plan, [], today=date(2027, 3, 5))
    assert not fresh.stale


def test_timeline_orders_the_deal():
    items = [one("strong_opportunity.jsonl"), one("call_plan.jsonl"), one("northwind_call.jsonl")]
    t = pc.timeline(items, "northwind-coldchain", today=date(2027, 3, 25))
    assert [i.call_id for i in t.items] == ["plan-strong-opp", "plan-call-northwind-02", "call-northwind-02"]
    assert t.items[0].next_steps[0][2] == ("2027-03-14",)
    assert "plan-strong-opp" in {i.call_id for i in t.stale_plans}


def test_team_report_finds_the_elements_of_won_deals():
    rep = pc.compare_plans(team(), "opportunity")
    assert rep.n_success == 6 and rep.n_other == 6 and rep.excluded == {"no decided outcome": 1}
    sup = {r.label for r in rep.rows if r.excludes_zero}
    assert {"competition", "decision_process", pc.REPORTING_SHARE} <= sup
    assert "qualification" not in sup
    assert rep.get("competition").ci_low > 0  # type: ignore[union-attr]


def test_team_report_too_few_plans_compares_nothing():
    rep = pc.compare_plans(team()[:4], "opportunity")
    assert not rep.compared and not any(r.compared for r in rep.rows)
    assert rep.summary()[0].startswith("Too few")


REF = date(2027, 3, 10)


@given(st.integers(min_value=-100, max_value=240))
def test_dates_read_in_every_written_form(offset):
    d = REF + timedelta(days=offset)
    forms = [d.isoformat(), f"{d.day} {d.strftime('%b')}", f"{d.strftime('%B')} {d.day}", f"{d.month}/{d.day}",
             f"{d.day} {d.strftime('%B')} {d.year}"]
    for text in forms:
        assert [x for _, x in pc.parse_dates(f"Review with the COO on {text} (me).", REF)] == [d], text


def test_relative_dates():
    # 2027-03-10 is a Wednesday
    got = dict(pc.parse_dates("tomorrow; next week; Friday; in 2 weeks; end of month; Q3", REF))
    assert got == {"tomorrow": date(2027, 3, 11), "next week": date(2027, 3, 19), "Friday": date(2027, 3, 12),
                   "in 2 weeks": date(2027, 3, 24), "end of month": date(2027, 3, 31), "Q3": date(2027, 9, 30)}
    assert pc.parse_dates("legal takes 3 weeks; 30 Feb", REF) == []


def test_specifics_of_a_line():
    s = pc.specifics(Passage(0, "14 Mar: sandbox live with Priya (SE), budget $180k."), REF)
    assert s.dates == (("14 Mar", "2027-03-14"),) and "(SE)" in s.owners and "$180k" in s.numbers
    assert "Priya" in s.names
    assert not pc.specifics(Passage(0, "Follow up on pricing."), REF).specific
