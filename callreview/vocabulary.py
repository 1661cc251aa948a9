"""The words callreview shows people: label names, counted phrases, passage ranges.

One home for them, read by the CLI, the review app and every export, so a label reads the
same everywhere. Labels are data (a team may train its own taxonomy); names for the default
taxonomy's labels live here, any other label is shown from its own spelling
(``"deal_review"`` -> ``"Deal review"``).
"""

from __future__ import annotations

from typing import Sequence

#: display names where the spelling alone reads badly
_SPECIAL = {"need_payoff_question": "Need-payoff question", "no_sale": "No sale", "above_plan": "Above plan",
            "below_plan": "Below plan", "on_plan": "On plan"}

#: (singular, plural) of what one passage with the label is, for counted phrases
_NOUNS = {
    "rapport": ("rapport passage", "rapport passages"),
    "agenda": ("agenda statement", "agenda statements"),
    "situation_question": ("situation question", "situation questions"),
    "problem_question": ("problem question", "problem questions"),
    "implication_question": ("implication question", "implication questions"),
    "need_payoff_question": ("need-payoff question", "need-payoff questions"),
    "giving_information": ("passage of plain information", "passages of plain information"),
    "benefit_statement": ("benefit statement", "benefit statements"),
    "summarizing": ("summary", "summaries"),
    "objection_response": ("objection response", "objection responses"),
    "commitment_request": ("commitment request", "commitment requests"),
    "buyer_info": ("buyer information passage", "buyer information passages"),
    "buyer_need": ("need the buyer stated", "needs the buyer stated"),
    "buyer_objection": ("buyer objection", "buyer objections"),
    "buyer_commitment": ("buyer commitment", "buyer commitments"),
    "other": ("other passage", "other passages"),
    # plan elements (shared/plan-guide.md): what one plan line is
    "call_objective": ("call objective", "call objectives"),
    "advance_target": ("advance to ask for", "advances to ask for"),
    "planned_question": ("planned question", "planned questions"),
    "anticipated_objection": ("expected objection", "expected objections"),
    "buyer_context": ("line on the buyer", "lines on the buyer"),
    "value_hypothesis": ("value hypothesis", "value hypotheses"),
    "qualification": ("qualification", "qualification"),
    "decision_process": ("decision process", "decision process"),
    "competition": ("competition", "competition"),
    "win_strategy": ("win strategy", "win strategy"),
    "resources": ("resources", "resources"),
    "action_plan": ("next step", "next steps"),
    "risk": ("risk", "risks"),
    "client_goals": ("client goal", "client goals"),
    "account_strategy": ("account strategy", "account strategy"),
    "growth_opportunity": ("growth opportunity", "growth opportunities"),
    "relationship_map": ("relationship map", "relationship map"),
    "account_health": ("account health", "account health"),
    "segmentation": ("segmentation", "segmentation"),
    "prioritization": ("prioritization", "prioritization"),
    "effort_allocation": ("effort allocation", "effort allocation"),
    "territory_goal": ("territory goal", "territory goals"),
    "status_update": ("status update", "status updates"),
}


def display(label: str | None, empty: str = "—") -> str:
    """'implication_question' -> 'Implication question'."""
    if not label:
        return empty
    if label in _SPECIAL:
        return _SPECIAL[label]
    words = label.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def noun(label: str, n: float = 1) -> str:
    """What ``n`` passages with the label are called: 'implication questions'."""
    sing, plur = _NOUNS.get(label) or (f"{display(label).lower()} passage", f"{display(label).lower()} passages")
    return sing if n == 1 else plur


def counted(label: str, n: int) -> str:
    """'2 implication questions', 'no commitment requests', '1 summary'."""
    return f"no {noun(label, 2)}" if n == 0 else f"{n} {noun(label, n)}"


def ranges(indices: Sequence[int]) -> str:
    """[3, 4, 5, 9] -> '3-5, 9'."""
    out: list[str] = []
    idx = sorted(indices)
    i = 0
    while i < len(idx):
        j = i
        while j + 1 < len(idx) and idx[j + 1] == idx[j] + 1:
            j += 1
        out.append(str(idx[i]) if i == j else f"{idx[i]}-{idx[j]}")
        i = j + 1
    return ", ".join(out)


def percent(p: float | None) -> str:
    """0.625 -> '62%'; None -> ''."""
    return "" if p is None else f"{p * 100:.0f}%"


__all__ = ["counted", "display", "noun", "percent", "ranges"]
