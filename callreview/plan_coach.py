"""Coaching the plans a seller writes (shared/plan-guide.md): what a plan covers, the plan
against the call it prepared, a deal over time, and which elements go with good outcomes.

* :func:`coach_plan` - one plan: the elements of its activity it has and lacks (each with
  the lines that are its evidence, a missing element a finding only when the labels are
  sure that no line is it), planning against reporting (the share of ``status_update``
  lines), how specific it is (dates, owners, numbers, names), and, with the deal's other
  calls and plans, whether it went stale; ranked like call coaching (findings first).
* :func:`execution` - a call plan against its call: was the ``advance_target`` asked for
  (a commitment request), were the ``planned_question``\\ s asked (matched to the seller's
  sentences by shared lemmas, :data:`QUESTION_MATCH`), did the ``anticipated_objection``\\ s
  come up (a buyer objection sharing the concern's words) and were they answered.
* :func:`timeline` / :func:`staleness` - calls and plans sharing an ``opportunity_id``.
* :func:`compare_plans` - across a team: the plans of won deals, grown accounts and
  territories above plan against the rest, element by element, with the permutation test,
  Benjamini-Hochberg and adjusted intervals of :mod:`callreview.insights`.

A line's element is ``p.label("element")`` (a person's label, else the model's) and its
confidence ``p.predictions["element"]``. No UI code here: the CLI, the review app and the
exports are faces over these functions. spaCy and numpy are imported where they are used.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .errors import InputError
from .insights import (
    SURE,
    BehaviorComparison,
    CoachingPoint,
    PermutationTest,
    _f,
    fdr_results,
    label_probability,
    sequence_steps,
)
from .records import Call, Passage
from .taxonomy import Taxonomy, default_taxonomy
from .vocabulary import display, noun, ranges

ELEMENT = "element"

#: the default elements of each activity (shared/plan-guide.md); a plan line may also be
#: one of :data:`SHARED_ELEMENTS`
PLAN_ELEMENTS: Mapping[str, tuple[str, ...]] = {
    "call": ("call_objective", "advance_target", "planned_question", "anticipated_objection", "buyer_context",
             "value_hypothesis"),
    "opportunity": ("qualification", "decision_process", "competition", "win_strategy", "resources",
                    "action_plan", "risk"),
    "account": ("client_goals", "account_strategy", "growth_opportunity", "relationship_map", "account_health"),
    "territory": ("segmentation", "prioritization", "effort_allocation", "territory_goal"),
}
REPORTING = "status_update"
FILLER = "other"
SHARED_ELEMENTS = (REPORTING, FILLER)
#: the outcome that counts as success per activity; a call plan takes its call's outcome
#: (the call taxonomy's success outcomes); ``open`` deals are not decided yet
SUCCESS_OUTCOMES: Mapping[str, tuple[str, ...]] = {
    "opportunity": ("won",), "account": ("grew",), "territory": ("above_plan",)}
PLAN_OUTCOMES: Mapping[str, tuple[str, ...]] = {
    "opportunity": ("won", "lost", "slipped", "open"), "account": ("grew", "held", "shrank"),
    "territory": ("above_plan", "on_plan", "below_plan")}
UNDECIDED = frozenset({"open"})
#: the elements whose lines are next steps (dated, owned) in each activity
STEP_ELEMENTS: Mapping[str, tuple[str, ...]] = {"opportunity": ("action_plan",), "call": ("advance_target",)}
#: a plan reads as an activity log when at least this share of its lines report
LOG_SHARE = 0.5
#: a plan is vague when fewer than this share of its planning lines carry a date, owner, number or name
SPECIFIC_SHARE = 0.5

MISSING_ELEMENT = "missing_element"
ACTIVITY_LOG = "activity_log"
VAGUE_STEPS = "vague_next_steps"
NOT_SPECIFIC = "not_specific"
STALE_PLAN = "stale_plan"
ADVANCE_NOT_ASKED = "advance_not_asked"
QUESTION_NOT_ASKED = "planned_question_not_asked"
OBJECTION_UNANSWERED = "anticipated_objection_unanswered"


# --------------------------------------------------------------------------- reading plans


def read_plans(paths: Iterable[str | Path]) -> list[Call]:
    """The plans in files: THE one place a command reads a plan file.

    For now it reads labeled plan corpora (JSON Lines, ``kind: "plan"``); raw plan files
    (Markdown, text, DOCX, CSV exports) are read here once the plan reader lands (wire
    ``callreview.formats`` plan reading in at this point and nowhere else)."""
    from .corpora import read_corpus

    out: list[Call] = []
    for path in paths:
        p = Path(path)
        if p.is_file() and p.suffix.lower() != ".jsonl":
            raise InputError("this plan is not a plan corpus file (.jsonl); raw plan files are not read yet",
                             path=str(p), hint="pass the plan in corpus format v1 with kind \"plan\" "
                                               "(shared/plan-guide.md)")
        calls = read_corpus(p)
        for c in calls:
            if not c.is_plan:
                raise InputError(f"{c.call_id!r} is a {c.kind}, not a plan", path=str(p),
                                 hint="a plan's corpus line has kind \"plan\" and an activity")
        out.extend(calls)
    return out


# --------------------------------------------------------------------------- elements


def element_of(p: Passage) -> str | None:
    """A line's element: a person's label, else the model's."""
    value = p.label(ELEMENT)
    if isinstance(value, str) and value:
        return value
    pred = p.predictions.get(ELEMENT)
    return pred.label if pred is not None else None


def is_labeled(plan: Call) -> bool:
    """Some line has an element (a person's label or a prediction)."""
    return any(element_of(p) for p in plan.passages)


def element_probability(p: Passage, elements: Iterable[str]) -> float:
    """How sure the labels are that the line is one of ``elements`` (1 or 0 for a label a
    person gave; the model's probability otherwise): :func:`insights.label_probability`."""
    if p.label(ELEMENT) is None and ELEMENT not in p.predictions:
        return 0.0
    return label_probability(p, frozenset(elements), ELEMENT)


def activity_of(plan: Call) -> str | None:
    """The plan's activity, else the activity most of its elements belong to."""
    if plan.activity in PLAN_ELEMENTS:
        return plan.activity
    counts: dict[str, int] = defaultdict(int)
    for p in plan.passages:
        e = element_of(p)
        for act, els in PLAN_ELEMENTS.items():
            if e in els:
                counts[act] += 1
    return max(counts, key=lambda a: counts[a]) if counts else None


def elements_for(activity: str | None) -> tuple[str, ...]:
    return PLAN_ELEMENTS.get(activity or "", ())


# --------------------------------------------------------------------------- dates


_MONTHS = {m: i for i, ms in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
    ("nov", "november"), ("dec", "december")), 1) for m in ms}
_DAYS = {d: i for i, ds in enumerate((("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"),
                                      ("thu", "thur", "thurs", "thursday"), ("fri", "friday"),
                                      ("sat", "saturday"), ("sun", "sunday"))) for d in ds}
_MON = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|" \
       r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)"
_NUMWORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "six": 6}
_DATE_PATTERNS = (
    ("iso", re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")),
    ("dmy", re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MON + r"(?:,?\s+(\d{4}))?(?![a-z])", re.I)),
    ("mdy", re.compile(r"\b" + _MON + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(\d{4}))?", re.I)),
    ("slash", re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")),
    ("quarter", re.compile(r"\b(?:end of\s+)?Q([1-4])(?:\s*(?:FY)?'?(\d{2}|\d{4}))?\b", re.I)),
    ("rel", re.compile(r"\b(today|tonight|tomorrow|this week|next week|end of (?:the )?week|eow|next month|"
                       r"end of (?:the )?month|eom|end of (?:the )?quarter|eoq)\b", re.I)),
    ("in", re.compile(r"\bin\s+(\d+|a|an|one|two|three|four|six)\s+(day|week|month)s?\b", re.I)),
    ("weekday", re.compile(r"\b(next\s+)?" + _DAY + r"\b", re.I)),
)


def _month_end(y: int, m: int) -> date:
    return (date(y + (m == 12), m % 12 + 1, 1)) - timedelta(days=1)


def _infer_year(m: int, d: int, ref: date) -> date | None:
    """A day and month without a year: the one from four months before the plan to eight
    months after it (plans look ahead, and cite recent evidence)."""
    for y in (ref.year, ref.year + 1, ref.year - 1):
        try:
            candidate = date(y, m, d)
        except ValueError:  # 29 Feb
            continue
        if ref - timedelta(days=120) <= candidate < ref + timedelta(days=245):
            return candidate
    return None


def _year(text: str | None, ref: date) -> int | None:
    if not text:
        return None
    y = int(text)
    return y + 2000 if y < 100 else y


def _one_date(kind: str, g: Sequence[str | None], ref: date) -> date | None:
    try:
        if kind == "iso":
            return date(int(g[0]), int(g[1]), int(g[2]))  # type: ignore[arg-type]
        if kind in ("dmy", "mdy"):
            day, mon, y = (g[0], g[1], g[2]) if kind == "dmy" else (g[1], g[0], g[2])
            m = _MONTHS[mon.lower().rstrip(".")[:3] if mon.lower()[:4] != "sept" else "sep"]  # type: ignore[union-attr]
            year = _year(y, ref)
            return date(year, m, int(day)) if year else _infer_year(m, int(day), ref)  # type: ignore[arg-type]
        if kind == "slash":
            a, b = int(g[0]), int(g[1])  # type: ignore[arg-type]
            m, d = (a, b) if a <= 12 else (b, a)  # US month/day, unless the first cannot be a month
            year = _year(g[2], ref)
            return date(year, m, d) if year else _infer_year(m, d, ref)
        if kind == "quarter":
            quarter, given_year = int(g[0] or 0), _year(g[1], ref)
            base = given_year or ref.year
            end = _month_end(base, 3 * quarter)
            if given_year is None and end < ref - timedelta(days=120):
                end = _month_end(base + 1, 3 * quarter)
            return end
        if kind == "rel":
            word = " ".join((g[0] or "").lower().replace("the ", "").split())
            friday = ref + timedelta(days=(4 - ref.weekday()) % 7)
            return {"today": ref, "tonight": ref, "tomorrow": ref + timedelta(days=1), "this week": friday,
                    "end of week": friday, "eow": friday, "next week": friday + timedelta(days=7),
                    "next month": _month_end(ref.year + (ref.month == 12), ref.month % 12 + 1),
                    "end of month": _month_end(ref.year, ref.month), "eom": _month_end(ref.year, ref.month),
                    "end of quarter": _month_end(ref.year, 3 * ((ref.month - 1) // 3 + 1)),
                    "eoq": _month_end(ref.year, 3 * ((ref.month - 1) // 3 + 1))}.get(word)
        if kind == "in":
            n = int(g[0] or 0) if (g[0] or "").isdigit() else _NUMWORDS[(g[0] or "").lower()]
            unit = (g[1] or "").lower()
            return ref + timedelta(days=n * {"day": 1, "week": 7, "month": 30}[unit])
        if kind == "weekday":
            wd = _DAYS[(g[1] or "").lower()]
            ahead = (wd - ref.weekday()) % 7 or 7
            return ref + timedelta(days=ahead + (7 if g[0] and ahead < 7 and wd <= ref.weekday() else 0))
    except (ValueError, KeyError, OverflowError):
        return None
    return None


def parse_dates(text: str, ref: date) -> list[tuple[str, date]]:
    """The dates a plan line names, as (the words, the date), in order.

    Read: ISO (``2027-03-14``), day and month (``14 Mar``, ``March 14th``, ``14 March 2027``),
    ``3/14`` (month/day; ``14/3`` when the first number cannot be a month), quarters (``Q3``,
    end of the quarter), and words relative to ``ref``, the plan's date: ``today``,
    ``tomorrow``, ``this week``/``next week`` (its Friday), ``next month`` and ``end of
    month`` (the month's last day), ``in 2 weeks``, ``Friday`` (the next one). A date with
    no year is the one from four months before the plan to eight months after it. Impossible dates (``30 Feb``) are not dates."""
    found: list[tuple[int, int, str, date]] = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e, _, _ in found):
                continue
            if kind == "weekday" and m.group(2).lower() in ("mar", "sun", "sat", "wed") and not m.group(1) \
                    and len(m.group(2)) == 3 and m.group(2)[0].islower():
                continue  # "wed" as a verb, "sun"/"sat" as words
            d = _one_date(kind, m.groups(), ref)
            if d is not None:
                found.append((m.start(), m.end(), m.group(0), d))
    return [(t, d) for _, _, t, d in sorted(found)]


def plan_date(plan: Call) -> date | None:
    return iso_date(plan.extra.get("date"))


def iso_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


# --------------------------------------------------------------------------- specificity


_NUMBER = re.compile(r"[$€£]\s?\d[\d,.]*\s?(?:[kKmMbB]\b|million|bn)?|\b\d[\d,.]*\s?(?:%|[kKmM]\b|x\b)?")
_OWNER = re.compile(
    r"\((?:me|us|we|I|[A-Z][\w.'-]*(?:\s*(?:[/&,+]|and)\s*[A-Z\w][\w.'-]*)*)\)"
    r"|\bowners?\s*[:=-]\s*\w+|\b(?:I|I'll|we'll|We'll|I will|we will)\b"
    r"|@\w+|\b[A-Z][a-z]+\s+(?:to|will|owns)\s+[a-z]+", re.UNICODE)
#: title-case words that are not names (line openers, calendar words, common plan words)
_NOT_NAMES = frozenset(
    {*(m.title() for m in _MONTHS), *(d.title() for d in _DAYS), "I", "Q1", "Q2", "Q3", "Q4", "Goal", "Ask",
     "Tier", "Next", "Risk", "Plan", "Budget", "Fallback", "Owner", "Note", "Notes", "Call", "Account",
     "Territory", "Opportunity", "Competition", "Win", "Strategy", "Decision", "Process", "Action", "Steps",
     "Objective", "Questions", "Objections", "Value", "Context", "Resources", "Health", "Growth", "Goals",
     "Relationship", "Map", "Segmentation", "Priority", "Priorities", "Effort", "Targets", "Status", "Update",
     "Sent", "Had", "Met", "Called", "Follow", "Send", "Book", "Get", "Show", "Find", "Confirm", "Review"})


@dataclass(frozen=True)
class LineSpecifics:
    """What makes a plan line concrete: the dates, owners, numbers and names in it."""

    index: int
    dates: tuple[tuple[str, str], ...] = ()  # (the words, ISO date)
    owners: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    @property
    def specific(self) -> bool:
        return bool(self.dates or self.owners or self.numbers or self.names)

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "dates": [{"text": t, "date": d} for t, d in self.dates],
                "owners": list(self.owners), "numbers": list(self.numbers), "names": list(self.names)}


def _names(text: str) -> list[str]:
    """Proper names: title-case or all-capitals words that do not open the line or a
    sentence, and are not calendar words or common plan words (spaCy's tokenizer)."""
    from .nlp import get_nlp, lemma_table

    table = lemma_table()
    doc = get_nlp().tokenizer(text)
    out: list[str] = []
    prev = None
    for i, t in enumerate(doc):
        opener = i == 0 or (prev is not None and prev.text in (".", ":", "!", "?", ";", "-", "\u2013", "(", "\u2022", "*"))
        prev = t
        w = t.text
        if not w[:1].isupper() or not w[:1].isalpha() or w in _NOT_NAMES or t.is_stop:
            continue
        if opener and (w.lower() in table or not w[1:].islower()):
            continue  # a capital that opens a sentence: a name only when it is no English word form
        if w.isupper() and len(w) < 2:
            continue
        out.append(w)
    return out


def specifics(p: Passage, ref: date) -> LineSpecifics:
    """The line's dates (read against ``ref``, the plan's date), owners, numbers and names."""
    text = p.text
    dates = parse_dates(text, ref)
    spans = [(m.start(), m.end()) for _, pattern in _DATE_PATTERNS for m in pattern.finditer(text)]
    nums = [m.group(0).strip() for m in _NUMBER.finditer(text)
            if not any(s <= m.start() < e for s, e in spans) and m.group(0).strip()]
    owners = [m.group(0) for m in _OWNER.finditer(text)]
    names = [n for n in _names(text) if not any(n in d for d, _ in dates)]
    return LineSpecifics(p.index, tuple((t, d.isoformat()) for t, d in dates), tuple(owners), tuple(nums),
                         tuple(names))


# --------------------------------------------------------------------------- coverage


@dataclass(frozen=True)
class ElementCoverage:
    """One element of the plan's activity: the lines that are it, or (missing) how sure
    the labels are that none is, and the lines likeliest to be it."""

    element: str
    lines: tuple[int, ...]
    #: present: the surest of its lines; missing: that no line is it
    certainty: float
    likely: tuple[int, ...] = ()

    @property
    def present(self) -> bool:
        return bool(self.lines)

    def to_json(self) -> dict[str, Any]:
        return {"element": self.element, "name": display(self.element), "present": self.present,
                "lines": list(self.lines), "certainty": round(self.certainty, 4), "likely": list(self.likely)}


def coverage(plan: Call, activity: str | None = None) -> tuple[ElementCoverage, ...]:
    """The elements of the plan's activity, in the guide's order, with their lines."""
    act = activity or activity_of(plan)
    out = []
    for el in elements_for(act):
        lines = tuple(p.index for p in plan.passages if element_of(p) == el)
        if lines:
            sure = max(element_probability(plan.passages[i], {el}) for i in lines)
            out.append(ElementCoverage(el, lines, sure))
            continue
        chances = sorted(((element_probability(p, {el}), p.index) for p in plan.passages), reverse=True)
        certainty = math.prod(1.0 - c for c, _ in chances)
        likely = tuple(sorted(i for c, i in chances[:3] if c >= 0.05))
        out.append(ElementCoverage(el, (), certainty, likely))
    return tuple(out)


# --------------------------------------------------------------------------- staleness and timeline


@dataclass(frozen=True)
class Staleness:
    """Why a plan is stale: next steps whose dates have passed, or a call of the deal after it."""

    plan_id: str
    #: (line, latest date it names) for next-step lines whose every date is before ``today``
    passed: tuple[tuple[int, str], ...] = ()
    plan_date: str | None = None
    #: the deal's latest call after the plan: (call_id, date)
    later_call: tuple[str, str] | None = None
    today: str | None = None

    @property
    def stale(self) -> bool:
        return bool(self.passed or self.later_call)

    @property
    def lines(self) -> tuple[int, ...]:
        return tuple(i for i, _ in self.passed)

    def reasons(self) -> list[str]:
        out = []
        if self.passed:
            out.append(f"every date in next step{'s' if len(self.passed) > 1 else ''} (lines "
                       f"{ranges(list(self.lines))}) is before {self.today}, the latest "
                       f"{max(d for _, d in self.passed)}")
        if self.later_call:
            out.append(f"it was written {self.plan_date or 'before'}, and the deal has had a call since "
                       f"({self.later_call[0]} on {self.later_call[1]})")
        return out

    def to_json(self) -> dict[str, Any]:
        return {"plan_id": self.plan_id, "stale": self.stale, "today": self.today, "plan_date": self.plan_date,
                "passed": [{"line": i, "latest_date": d} for i, d in self.passed],
                "later_call": ({"call_id": self.later_call[0], "date": self.later_call[1]}
                               if self.later_call else None), "reasons": self.reasons()}


def opportunity_of(item: Call) -> str | None:
    v = item.extra.get("opportunity_id")
    return v if isinstance(v, str) and v else None


def _step_elements(plan: Call) -> tuple[str, ...]:
    return STEP_ELEMENTS.get(activity_of(plan) or "", ("action_plan",))


def staleness(plan: Call, related: Iterable[Call] = (), today: date | None = None) -> Staleness:
    """Is the plan stale? Its ``action_plan`` lines whose dates have all passed by
    ``today`` (dates read against the plan's date), or a call of the same deal (same
    ``opportunity_id``) dated after the plan (a call plan's own prepared call excepted)."""
    ref = plan_date(plan) or today
    passed: list[tuple[int, str]] = []
    if today is not None and ref is not None:
        for p in plan.passages:
            if element_of(p) != "action_plan":
                continue
            ds = [d for _, d in parse_dates(p.text, ref)]
            if ds and max(ds) < today:
                passed.append((p.index, max(ds).isoformat()))
    later = None
    deal, pd = opportunity_of(plan), plan_date(plan)
    if deal and pd is not None:
        prepared = plan.extra.get("prepares")  # a call plan's own call is what it was for
        calls = [(iso_date(c.extra.get("date")), c.call_id) for c in related
                 if not c.is_plan and opportunity_of(c) == deal and c.call_id != prepared]
        after = sorted((d, cid) for d, cid in calls if d is not None and d > pd)
        if after:
            later = (after[-1][1], after[-1][0].isoformat())
    return Staleness(plan.call_id, tuple(passed), pd.isoformat() if pd else None, later,
                     today.isoformat() if today else None)


@dataclass(frozen=True)
class TimelineItem:
    call_id: str
    kind: str  # "call" or "plan"
    date: str | None
    title: str | None
    outcome: str | None
    activity: str | None = None
    #: a plan's next steps: (line, text, dates named)
    next_steps: tuple[tuple[int, str, tuple[str, ...]], ...] = ()
    stale: Staleness | None = None

    def to_json(self) -> dict[str, Any]:
        return {"call_id": self.call_id, "kind": self.kind, "date": self.date, "title": self.title,
                "outcome": self.outcome, "activity": self.activity,
                "next_steps": [{"line": i, "text": t, "dates": list(d)} for i, t, d in self.next_steps],
                "stale": self.stale.to_json() if self.stale else None}


@dataclass(frozen=True)
class Timeline:
    opportunity_id: str
    items: tuple[TimelineItem, ...]

    @property
    def stale_plans(self) -> tuple[TimelineItem, ...]:
        return tuple(i for i in self.items if i.stale is not None and i.stale.stale)

    def to_json(self) -> dict[str, Any]:
        return {"opportunity_id": self.opportunity_id, "items": [i.to_json() for i in self.items],
                "stale_plans": [i.call_id for i in self.stale_plans]}


def timeline(items: Iterable[Call], opportunity_id: str, today: date | None = None) -> Timeline:
    """The deal's calls and plans in date order (undated last): each call's outcome, what
    each plan said would happen next, and which plans are stale."""
    unique: dict[str, Call] = {}
    for c in items:  # the same call or plan read twice (a file and a folder holding it) is one item
        unique.setdefault(c.call_id, c)
    items = list(unique.values())
    mine = [c for c in items if opportunity_of(c) == opportunity_id]
    prepared = {c.extra.get("prepares") for c in mine if c.is_plan}
    mine += [c for c in items if c.call_id in prepared and c not in mine]
    out = []
    for c in mine:
        d = iso_date(c.extra.get("date"))
        if c.is_plan:
            ref = d or today or date.today()
            steps = tuple((p.index, p.text, tuple(x.isoformat() for _, x in parse_dates(p.text, ref)))
                          for p in c.passages if element_of(p) in (*_step_elements(c), "action_plan"))
            out.append(TimelineItem(c.call_id, "plan", d.isoformat() if d else None, c.title, c.outcome,
                                    activity_of(c), steps, staleness(c, mine, today)))
        else:
            out.append(TimelineItem(c.call_id, "call", d.isoformat() if d else None, c.title, c.outcome))
    out.sort(key=lambda i: (i.date is None, i.date or "", i.kind != "plan", i.call_id))
    return Timeline(opportunity_id, tuple(out))


def timelines(items: Sequence[Call], today: date | None = None) -> list[Timeline]:
    deals = sorted({d for c in items if (d := opportunity_of(c))})
    return [timeline(items, d, today) for d in deals]


# --------------------------------------------------------------------------- matching plan and call


#: a planned question was asked when one sentence of a seller passage holds at least this
#: share of the question's content lemmas (and at least two of them, or all when it has
#: fewer; a hyphenated word such as "month-end" is one word). Chosen on
#: tests/data/plan_coach/question_pairs.jsonl: ten planned questions, each against the
#: paraphrase a seller asked and against another question of the same call on the same
#: topic. Every asked pair scores 0.67 or more (paraphrases lose a word or two: "$50k" said
#: as "fifty thousand"), every other pair 0.5 or less (the hardest shares "month-end" and
#: "team"), so 0.6 sits in the gap; test_plan_coach checks that it still separates them.
QUESTION_MATCH = 0.6
#: an anticipated objection came up when a buyer objection holds this share of the
#: concern's lemmas (the part before the planned answer); buyers word a concern their own
#: way, so the bar is lower, and only buyer objections are candidates
OBJECTION_MATCH = 0.4
#: a sentence this close to a planned question but under QUESTION_MATCH is a point to check
NEAR_MATCH = 0.3


def content_lemmas(text: str) -> frozenset[str]:
    """The lemmas of the content words (spaCy's tokenizer, its stop words and the English
    lemma lookup table): "How are overnight failures caught?" -> {overnight, failure, catch}."""
    from .nlp import get_nlp, lemma_table

    table = lemma_table()
    words: list[str] = []
    glue = False  # the last token was a hyphen inside a word ("month-end" is one word)
    for t in get_nlp().tokenizer(text):
        if t.text == "-" and words and not t.whitespace_ and t.i > 0 and not t.doc[t.i - 1].whitespace_:
            glue = True
            continue
        if glue and words and not t.is_punct:
            words[-1] = f"{words[-1]}-{t.lower_}"
            glue = False
            continue
        glue = False
        if t.is_punct or t.is_space or t.is_stop or not any(ch.isalnum() for ch in t.text):
            words.append("")  # keeps a hyphen after it from gluing to an earlier word
            continue
        low = t.lower_.strip("'\u2019")
        words.append(table.get(low, low) if len(low) >= 2 or low.isdigit() else "")
    return frozenset(w for w in words if w)


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.?!])\s+", text.strip())
    return [s for s in parts if s.strip()] or [text]


def overlap(planned: frozenset[str], said: frozenset[str]) -> float:
    """The share of the planned words found in what was said, 0 when too few of them
    (fewer than two shared words, unless the plan has fewer than two)."""
    if not planned:
        return 0.0
    shared = len(planned & said)
    if shared < min(2, len(planned)):
        return 0.0
    return shared / len(planned)


def best_match(planned: str, passages: Sequence[Passage]) -> tuple[float, Passage | None, str]:
    """The passage (and its sentence) that holds most of ``planned``'s content words."""
    want = content_lemmas(planned)
    best: tuple[float, Passage | None, str] = (0.0, None, "")
    for p in passages:
        for s in _sentences(p.text):
            score = overlap(want, content_lemmas(s))
            if score > best[0]:
                best = (score, p, s)
    return best


def concern_of(line: str) -> str:
    """The concern in an anticipated-objection line, without the planned answer:
    "They'll say Q3 is frozen: show the phased start" -> "They'll say Q3 is frozen"."""
    for sep in (" -> ", "\u2192", ": ", " \u2013 ", " - ", "; ", " so ", " then "):
        if sep in line:
            head = line.split(sep, 1)[0]
            if len(head.split()) >= 2:
                return head
    return line


@dataclass(frozen=True)
class QuestionCheck:
    line: int
    text: str
    asked: bool
    similarity: float
    passage: int | None = None
    sentence: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "text": self.text, "asked": self.asked, "similarity": round(self.similarity, 4),
                "passage": self.passage, "evidence": self.sentence or None}


@dataclass(frozen=True)
class ObjectionCheck:
    line: int
    text: str
    came_up: bool
    similarity: float
    passage: int | None = None
    answered: bool | None = None
    response: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "text": self.text, "came_up": self.came_up, "similarity": round(self.similarity, 4),
                "passage": self.passage, "answered": self.answered, "response": self.response}


@dataclass(frozen=True)
class AdvanceCheck:
    lines: tuple[int, ...]
    asked: bool
    #: the call's commitment requests, the one closest to the target first
    requests: tuple[int, ...] = ()
    #: the buyer committed after a request (None: no request the buyer answered)
    committed: bool | None = None
    certainty: float = 1.0

    def to_json(self) -> dict[str, Any]:
        return {"lines": list(self.lines), "asked": self.asked, "requests": list(self.requests),
                "committed": self.committed, "certainty": round(self.certainty, 4)}


@dataclass(frozen=True)
class Execution:
    """A call plan against the call it prepared."""

    plan_id: str
    call_id: str
    advance: AdvanceCheck | None
    questions: tuple[QuestionCheck, ...]
    objections: tuple[ObjectionCheck, ...]
    points: tuple[CoachingPoint, ...]
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"plan_id": self.plan_id, "call_id": self.call_id,
                "advance_target": self.advance.to_json() if self.advance else None,
                "planned_questions": [q.to_json() for q in self.questions],
                "questions_asked": sum(q.asked for q in self.questions),
                "anticipated_objections": [o.to_json() for o in self.objections],
                "notes": list(self.notes), "points": [p.to_json() for p in self.points]}


def _quote(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def execution(plan: Call, call: Call, taxonomy: Taxonomy | None = None) -> Execution:
    """The call plan held against its call (see the module docstring). A point's
    ``passages`` are the call's passages; the plan's lines are in the message and in
    :class:`Execution`'s checks."""
    from .metrics import objections, side

    tax = taxonomy or default_taxonomy()
    notes: list[str] = []
    points: list[CoachingPoint] = []
    if not is_labeled(plan):
        notes.append("the plan has no element labels and no predictions: annotate it with a plan model "
                     "to hold it against the call")
        return Execution(plan.call_id, call.call_id, None, (), (), (), tuple(notes))
    if not any(p.behavior for p in call.passages):
        notes.append("the call has no behavior labels: annotate it with a model first")
    seller = [p for p in call.passages if side(p, tax) != "buyer"]
    lines = {e: [p for p in plan.passages if element_of(p) == e]
             for e in ("advance_target", "planned_question", "anticipated_objection")}

    # ---- the advance
    advance = None
    req = tax.labels("commitment_request")
    if lines["advance_target"]:
        targets = " ".join(p.text for p in lines["advance_target"])
        requests = [p for p in call.passages if p.behavior in req]
        want = content_lemmas(targets)
        requests.sort(key=lambda p: -overlap(want, content_lemmas(p.text)))
        steps = sequence_steps(call, tax).get("request_then_commitment", ())
        committed = any(s.good for s in steps) if steps else None
        t_lines = tuple(p.index for p in lines["advance_target"])
        if requests:
            certainty = max(label_probability(p, req) for p in requests)
            advance = AdvanceCheck(t_lines, True, tuple(p.index for p in requests), committed, certainty)
        else:
            chances = sorted(((label_probability(p, req), p.index) for p in seller), reverse=True)
            certainty = math.prod(1.0 - c for c, _ in chances)
            advance = AdvanceCheck(t_lines, False, (), None, certainty)
            sure = certainty >= SURE
            where = tuple(sorted(i for c, i in chances[:3] if c >= 0.1)) or tuple(
                p.index for p in call.passages[-3:])
            msg = (f"The plan's advance (line {ranges(list(t_lines))}: \"{_quote(targets)}\") was never asked "
                   "for: no commitment request in the call.")
            if not sure:
                msg = (f"Check whether the seller asked for the planned advance (\"{_quote(targets)}\"): no passage "
                       f"is labeled a commitment request, but passages {ranges(list(where))} may be one; the "
                       f"labels are {certainty:.0%} sure there is none.")
            points.append(CoachingPoint(ADVANCE_NOT_ASKED, msg, where, 3.0, "advance_target", absent=True,
                                        sure=sure, certainty=certainty))
    elif plan.activity == "call" or activity_of(plan) == "call":
        notes.append("the plan names no advance to ask for (advance_target)")

    # ---- the questions
    questions = []
    for p in lines["planned_question"]:
        score, hit, sentence = best_match(p.text, seller)
        asked = score >= QUESTION_MATCH and hit is not None
        questions.append(QuestionCheck(p.index, p.text, asked, score, hit.index if hit else None,
                                       sentence if hit else ""))
    missed = [q for q in questions if not q.asked]
    for q in missed:
        near = q.similarity >= NEAR_MATCH and q.passage is not None
        if near:
            msg = (f"Check whether the planned question on line {q.line} (\"{_quote(q.text)}\") was asked: the "
                   f"closest the seller came is passage {q.passage} (\"{_quote(q.sentence)}\"), sharing "
                   f"{q.similarity:.0%} of its words.")
        else:
            msg = f"The planned question on line {q.line} (\"{_quote(q.text)}\") was not asked in the call."
        points.append(CoachingPoint(QUESTION_NOT_ASKED, msg, (q.passage,) if near else (), 1.0,  # type: ignore[arg-type]
                                    "planned_question", absent=not near, sure=not near,
                                    certainty=1.0 - q.similarity))

    # ---- the objections
    checks = []
    obj_points = {o.index: o for o in objections(call, tax)}
    buyer_obj = [p for p in call.passages if p.index in obj_points]
    for p in lines["anticipated_objection"]:
        concern = concern_of(p.text)
        want = content_lemmas(concern)
        best: tuple[float, Passage | None] = (0.0, None)
        for b in buyer_obj:
            s = max(overlap(want, content_lemmas(x)) for x in _sentences(b.text))
            if s > best[0]:
                best = (s, b)
        score, hit = best
        if hit is not None and score >= OBJECTION_MATCH:
            o = obj_points[hit.index]
            checks.append(ObjectionCheck(p.index, p.text, True, score, hit.index, o.answered, o.response))
            if not o.answered:
                sure_obj = label_probability(hit, tax.labels("buyer_objection"))
                sure_none = math.prod(1.0 - label_probability(call.passages[j], tax.labels("objection_response"))
                                      for j in o.checked)
                certainty = sure_obj * sure_none
                msg = (f"The objection the plan expected on line {p.index} (\"{_quote(concern)}\") came up at "
                       f"{o.where} (\"{o.text}\") and the seller's next turn did not answer it, though the plan "
                       "had an answer ready.")
                if certainty < SURE:
                    msg = (f"Check {o.where}: the objection the plan expected on line {p.index} "
                           f"(\"{_quote(concern)}\") may have come up without an answer; the labels are "
                           f"{certainty:.0%} sure of it.")
                points.append(CoachingPoint(OBJECTION_UNANSWERED, msg, (hit.index, *o.checked[:2]), 2.0,
                                            "anticipated_objection", sure=certainty >= SURE, certainty=certainty))
        else:
            checks.append(ObjectionCheck(p.index, p.text, False, score, None))
    points.sort(key=lambda x: (not x.sure, -x.score, x.passages[0] if x.passages else 0))
    return Execution(plan.call_id, call.call_id, advance, tuple(questions), tuple(checks), tuple(points),
                     tuple(notes))


def prepared_call(plan: Call, calls: Iterable[Call]) -> Call | None:
    """The call a call plan prepared (its ``prepares`` field)."""
    target = plan.extra.get("prepares")
    return next((c for c in calls if not c.is_plan and c.call_id == target), None) if target else None


def plans_for(call: Call, plans: Iterable[Call]) -> list[Call]:
    """The call plans that prepared this call."""
    return [p for p in plans if p.is_plan and p.extra.get("prepares") == call.call_id]


# --------------------------------------------------------------------------- across the team


def success_of(plan: Call, taxonomy: Taxonomy | None = None) -> bool | None:
    """True for a won deal, a grown account, a territory above plan (a call plan: its call's
    successful outcome); False for another decided outcome; None when unknown or open."""
    if not plan.outcome or plan.outcome in UNDECIDED:
        return None
    act = activity_of(plan)
    if act is not None and act in SUCCESS_OUTCOMES:
        if plan.outcome not in PLAN_OUTCOMES[act]:
            return None
        return plan.outcome in SUCCESS_OUTCOMES[act]
    return (taxonomy or default_taxonomy()).is_success(plan.outcome)


def success_words(activity: str | None, taxonomy: Taxonomy | None = None) -> tuple[str, str]:
    """('won deals', 'the other deals'), ('grown accounts', ...)."""
    return {"opportunity": ("won deals", "the other deals"), "account": ("grown accounts", "the other accounts"),
            "territory": ("territories above plan", "the other territories")}.get(
        activity or "", ("successful calls", "the other calls"))


REPORTING_SHARE = "reporting_share"
SPECIFIC = "specific_share"


def plan_features(plan: Call, activity: str | None = None) -> dict[str, float]:
    """Per plan: 100 for each element of its activity it has (else 0), the share (%) of
    its lines that report, and the share (%) of its planning lines that are specific."""
    act = activity or activity_of(plan)
    ref = plan_date(plan) or date(2000, 1, 1)
    els = [element_of(p) for p in plan.passages]
    out = {e: 100.0 if e in els else 0.0 for e in elements_for(act)}
    n = len(plan.passages)
    out[REPORTING_SHARE] = 100.0 * sum(e == REPORTING for e in els) / n if n else 0.0
    planning = [p for p, e in zip(plan.passages, els) if e in elements_for(act)]
    out[SPECIFIC] = (100.0 * sum(specifics(p, ref).specific for p in planning) / len(planning)) if planning else 0.0
    return out


@dataclass(frozen=True)
class PlanReport:
    """One activity's plans: the successful outcome's against the rest, row by row."""

    activity: str
    n_success: int
    n_other: int
    excluded: Mapping[str, int]
    rows: tuple[BehaviorComparison, ...]
    min_plans: int
    confidence: float
    n_perm: int
    seed: int
    success_outcomes: tuple[str, ...]
    n_tests: int = 0
    n_supported: int = 0
    interval_confidence: float | None = None

    @property
    def alpha(self) -> float:
        return 1.0 - self.confidence

    @property
    def compared(self) -> bool:
        return self.n_success >= self.min_plans and self.n_other >= self.min_plans

    def get(self, key: str) -> BehaviorComparison | None:
        return next((r for r in self.rows if r.label == key), None)

    def summary(self) -> list[str]:
        good, rest = success_words(self.activity)
        if not self.compared:
            return [f"Too few {self.activity} plans to compare: {self.n_success} of {good} and {self.n_other} of "
                    f"{rest}; at least {self.min_plans} in each group are needed, so nothing is compared."]
        sup = sorted((r for r in self.rows if r.excludes_zero), key=lambda r: (r.q_value or 0.0, r.label))
        out = [describe_row(r, self) for r in sup[:3]]
        if not out:
            out.append(f"No element differs clearly between the plans of {self.n_success} {good} and "
                       f"{self.n_other} of {rest}: {self.n_tests} were compared with the false discovery rate "
                       f"held at {self.alpha:.0%}.")
        return out

    def to_json(self) -> dict[str, Any]:
        from .insights import METHOD

        return {"activity": self.activity, "n_success": self.n_success, "n_other": self.n_other,
                "excluded": dict(self.excluded), "success_outcomes": list(self.success_outcomes),
                "min_plans": self.min_plans, "confidence": self.confidence, "method": METHOD,
                "permutation": {"permutations": self.n_perm, "seed": self.seed},
                "fdr": {"method": "benjamini-hochberg", "level": round(self.alpha, 4), "tests": self.n_tests,
                        "supported": self.n_supported},
                "interval_confidence": _f(self.interval_confidence), "summary": self.summary(),
                "rows": [r.to_json() | {"name": row_name(r.label)} for r in self.rows]}


def row_name(key: str) -> str:
    if key == REPORTING_SHARE:
        return "Lines that report, not plan"
    if key == SPECIFIC:
        return "Planning lines with a date, owner, number or name"
    return display(key)


def describe_row(r: BehaviorComparison, rep: PlanReport) -> str:
    good, rest = success_words(rep.activity)
    sure = f"{r.sure(rep.alpha)} (q = {r.q_value:.3f})" if r.q_value is not None else "not compared"
    tail = (f"a difference of {r.diff:+.0f} points (interval {r.ci_low:+.0f} to {r.ci_high:+.0f}, adjusted for the "
            f"{rep.n_tests} comparisons; {r.n_success} and {r.n_other} plans); {sure}.")
    if r.label in (REPORTING_SHARE, SPECIFIC):
        what = "of their lines report rather than plan" if r.label == REPORTING_SHARE else \
            "of their planning lines name a date, owner, number or name"
        return f"In the plans of {good} {r.success_mean:.0f}% {what}, against {r.other_mean:.0f}% in {rest}: {tail}"
    more = "more often" if (r.diff or 0) > 0 else "less often"
    return (f"The plans of {good} have {noun(r.label, 1)} lines {more}: {r.success_mean:.0f}% of them against "
            f"{r.other_mean:.0f}% of {rest}, {tail}")


def compare_plans(plans: Iterable[Call], activity: str, taxonomy: Taxonomy | None = None, *,
                  min_plans: int = 5, n_perm: int = 2000, seed: int = 0, confidence: float = 0.95) -> PlanReport:
    """The plans of one activity with a decided outcome, successful against the rest: each
    element's presence (% of plans with it), the share of reporting lines and of specific
    planning lines, with :class:`insights.PermutationTest` and :func:`insights.fdr_results`
    (Benjamini-Hochberg over the rows, intervals at the level it leaves). Plans are the unit."""
    import numpy as np

    tax = taxonomy or default_taxonomy()
    success: list[Call] = []
    other: list[Call] = []
    excluded: dict[str, int] = defaultdict(int)
    for p in plans:
        if not p.is_plan or activity_of(p) != activity:
            continue
        s = success_of(p, tax)
        if not is_labeled(p):
            excluded["no element labels"] += 1
        elif s is None:
            excluded["no decided outcome" if not p.outcome or p.outcome in UNDECIDED
                     else f"outcome not of a {activity} plan ({p.outcome})"] += 1
        else:
            (success if s else other).append(p)
    keys = [*elements_for(activity), REPORTING_SHARE, SPECIFIC]
    fs = np.array([[plan_features(p, activity)[k] for k in keys] for p in success], float).reshape(-1, len(keys))
    fo = np.array([[plan_features(p, activity)[k] for k in keys] for p in other], float).reshape(-1, len(keys))
    ns, no = len(success), len(other)
    alpha = 1.0 - confidence
    result: dict[str, dict[str, Any]] = {}
    n_sup, level, m = 0, None, 0
    if ns >= min_plans and no >= min_plans:
        t = PermutationTest(fs, fo, n_perm=n_perm, seed=seed, bound=100.0)
        tests = [(k, t, j) for j, k in enumerate(keys)]
        result, n_sup, level = fdr_results(tests, alpha)
        m = len(tests)
    rows = []
    for j, k in enumerate(keys):
        r = result.get(k, {})
        rows.append(BehaviorComparison(
            k, float(fs[:, j].mean()) if ns else None, float(fo[:, j].mean()) if no else None, r.get("diff"),
            r.get("ci_low"), r.get("ci_high"), ns, no, r.get("p_value"), r.get("q_value"), r.get("supported", False),
            r.get("effect"), None, None, int((fs[:, j] > 0).sum()) if ns else 0, int((fo[:, j] > 0).sum()) if no else 0,
            "element" if k in elements_for(activity) else "share", "% of plans" if k in elements_for(activity)
            else "% of lines"))
    succ = SUCCESS_OUTCOMES.get(activity) or tuple(sorted(tax.success_outcomes))
    return PlanReport(activity, ns, no, dict(excluded), tuple(rows), min_plans, confidence, n_perm, seed,
                      tuple(succ), m, n_sup, level)


def compare_all(plans: Sequence[Call], taxonomy: Taxonomy | None = None, **options: Any) -> list[PlanReport]:
    """A :func:`compare_plans` report for each activity the plans have."""
    acts = [a for a in PLAN_ELEMENTS if any(p.is_plan and activity_of(p) == a for p in plans)]
    return [compare_plans(plans, a, taxonomy, **options) for a in acts]


# --------------------------------------------------------------------------- one plan


@dataclass(frozen=True)
class PlanCoaching:
    """What one plan covers and lacks, ranked points first (findings, then points to check)."""

    plan_id: str
    title: str | None
    activity: str | None
    outcome: str | None
    labeled: bool
    coverage: tuple[ElementCoverage, ...] = ()
    n_lines: int = 0
    reporting_lines: tuple[int, ...] = ()
    specifics: tuple[LineSpecifics, ...] = ()
    planning_lines: tuple[int, ...] = ()
    points: tuple[CoachingPoint, ...] = ()
    notes: tuple[str, ...] = ()
    stale: Staleness | None = None
    team: PlanReport | None = None
    execution: Execution | None = None
    timeline: Timeline | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def present(self) -> tuple[str, ...]:
        return tuple(c.element for c in self.coverage if c.present)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(c.element for c in self.coverage if not c.present)

    @property
    def reporting_share(self) -> float | None:
        return len(self.reporting_lines) / self.n_lines if self.labeled and self.n_lines else None

    @property
    def specific_share(self) -> float | None:
        if not self.planning_lines:
            return None
        by = {s.index: s for s in self.specifics}
        return sum(by[i].specific for i in self.planning_lines if i in by) / len(self.planning_lines)

    @property
    def verdicts(self) -> tuple[CoachingPoint, ...]:
        return tuple(p for p in self.points if p.sure)

    @property
    def checks(self) -> tuple[CoachingPoint, ...]:
        return tuple(p for p in self.points if not p.sure)

    def summary(self) -> list[str]:
        """Plain lines a manager reads first: has, lacks, planning vs reporting, specificity."""
        if not self.labeled:
            return ["This plan has no element labels and no predictions, so what it covers is not known: "
                    "annotate it with a plan model (or label its lines) first."]
        out = []
        if self.coverage:
            has = ", ".join(display(e).lower() for e in self.present) or "none of its elements"
            out.append(f"Has: {has}.")
            if self.missing:
                out.append("Lacks: " + ", ".join(display(e).lower() for e in self.missing) + ".")
        if self.reporting_share is not None:
            out.append(f"Planning against reporting: {len(self.reporting_lines)} of {self.n_lines} lines "
                       f"({self.reporting_share:.0%}) report what happened.")
        if self.specific_share is not None:
            out.append(f"Specific: {self.specific_share:.0%} of {len(self.planning_lines)} planning lines name a "
                       "date, an owner, a number or a name.")
        return out

    def to_json(self) -> dict[str, Any]:
        return {"plan_id": self.plan_id, "title": self.title, "activity": self.activity, "outcome": self.outcome,
                "labeled": self.labeled, "summary": self.summary(), "notes": list(self.notes),
                "coverage": [c.to_json() for c in self.coverage], "present": list(self.present),
                "missing": list(self.missing), "n_lines": self.n_lines,
                "reporting": {"lines": list(self.reporting_lines), "share": _f(self.reporting_share)},
                "specificity": {"planning_lines": list(self.planning_lines), "share": _f(self.specific_share),
                                "lines": [s.to_json() for s in self.specifics if s.specific]},
                "stale": self.stale.to_json() if self.stale else None,
                "team": ({"n_success": self.team.n_success, "n_other": self.team.n_other,
                          "compared": self.team.compared} if self.team else None),
                "execution": self.execution.to_json() if self.execution else None,
                "timeline": self.timeline.to_json() if self.timeline else None,
                "ranking": PLAN_RANKING, "points": [p.to_json() for p in self.points]}


PLAN_RANKING = (
    "Findings first, then points to check. A missing element is a finding only when the labels are at least "
    f"{SURE:.0%} sure that none of the plan's lines is that element (a person's labels are sure; the model's "
    "confidences multiply), else a point to check naming the lines likeliest to be it. Findings in order: the "
    "plan against its call (an advance never asked for, an expected objection left unanswered, planned questions "
    "not asked); missing elements, those the team's successful plans have more often (supported by the plan team "
    "report, false discovery rate 5%) first, by the team's difference; a plan that reads as an activity log; a "
    "stale plan; next steps without a date or an owner; a plan with few specific lines."
)

_TIER = {ADVANCE_NOT_ASKED: 0, OBJECTION_UNANSWERED: 0, QUESTION_NOT_ASKED: 0, MISSING_ELEMENT: 1,
         ACTIVITY_LOG: 2, STALE_PLAN: 3, VAGUE_STEPS: 4, NOT_SPECIFIC: 5}


def _rank(p: CoachingPoint) -> tuple:
    return (not p.sure, _TIER.get(p.kind, 6), -p.score, p.passages[0] if p.passages else 0)


def coach_plan(plan: Call, team: Iterable[Call] = (), taxonomy: Taxonomy | None = None, *,
               related: Iterable[Call] = (), today: date | None = None, call: Call | None = None,
               min_plans: int = 5, n_perm: int = 2000, seed: int = 0) -> PlanCoaching:
    """The coaching of one plan (see :data:`PLAN_RANKING`).

    ``team``: other plans with outcomes (those of the same activity are compared, the plan
    itself left out); ``related``: the deal's other calls and plans (a timeline and
    staleness; ``today`` dates the staleness, else only a later call makes a plan stale);
    ``call``: the call a call plan prepared (plan against execution; by default the
    ``prepares`` call among ``related``)."""
    tax = taxonomy or default_taxonomy()
    related = list(related)
    act = activity_of(plan)
    notes: list[str] = []
    if plan.activity is None and act is not None:
        notes.append(f"the plan gives no activity; read as {act} plan from its elements")
    ref = plan_date(plan) or today or date.today()
    deal = opportunity_of(plan)
    tl = timeline([plan, *related], deal, today) if deal else None
    stale = staleness(plan, related, today)
    target = call if call is not None else prepared_call(plan, related)
    if not is_labeled(plan):
        notes.append("the plan has no element labels and no predictions: what it covers is not known until it is "
                     "annotated with a plan model or its lines are labeled")
        ex = execution(plan, target, tax) if target is not None else None
        return PlanCoaching(plan.call_id, plan.title, act, plan.outcome, False, n_lines=len(plan.passages),
                            notes=tuple(notes), stale=stale, execution=ex, timeline=tl)
    if act is None:
        notes.append("the plan's activity is not known and none of its elements names one")
    cov = coverage(plan, act)
    els = [element_of(p) for p in plan.passages]
    reporting = tuple(p.index for p, e in zip(plan.passages, els) if e == REPORTING)
    planning = tuple(p.index for p, e in zip(plan.passages, els) if e in elements_for(act))
    specs = tuple(specifics(p, ref) for p in plan.passages)
    by_line = {s.index: s for s in specs}
    points: list[CoachingPoint] = []

    team_plans = [p for p in team if p.is_plan and p.call_id != plan.call_id and activity_of(p) == act]
    rep = compare_plans(team_plans, act, tax, min_plans=min_plans, n_perm=n_perm, seed=seed) \
        if act and team_plans else None
    if rep is not None and not rep.compared:
        notes.append(rep.summary()[0])
    good, rest = success_words(act)

    # ---- missing elements
    for c in cov:
        if c.present:
            continue
        row = rep.get(c.element) if rep is not None else None
        backed = row is not None and row.excludes_zero and (row.diff or 0) > 0
        team_txt = (f"; {row.success_mean:.0f}% of the plans of {good} have one, {row.other_mean:.0f}% of {rest}"
                    if backed and row is not None else "")
        sure = c.certainty >= SURE
        name = display(c.element).lower()
        if sure:
            msg = f"The plan has no {name} line{team_txt}."
        else:
            where = f"lines {ranges(list(c.likely))} may be one" if c.likely else "no line looks like one"
            msg = (f"Check whether the plan covers {name}: no line is labeled so, but {where}; the labels are "
                   f"{c.certainty:.0%} sure it is missing{team_txt}.")
        score = 1.0 + (abs(row.diff or 0) / 100.0 if backed and row is not None else 0.0)
        points.append(CoachingPoint(MISSING_ELEMENT, msg, c.likely, score, c.element, absent=True, sure=sure,
                                    certainty=c.certainty, n_success=rep.n_success if rep else None,
                                    n_other=rep.n_other if rep else None,
                                    success_mean=row.success_mean if backed and row else None,
                                    team_diff=row.diff if backed and row else None,
                                    ci_low=row.ci_low if backed and row else None,
                                    ci_high=row.ci_high if backed and row else None))

    # ---- planning against reporting
    n = len(plan.passages)
    if n and len(reporting) / n >= LOG_SHARE:
        certainty = math.prod(element_probability(plan.passages[i], {REPORTING}) for i in reporting) ** (1 / len(reporting))
        msg = (f"This reads as an activity log, not a plan: {len(reporting)} of {n} lines "
               f"({len(reporting) / n:.0%}) report what happened, and {len(planning)} plan what comes next.")
        points.append(CoachingPoint(ACTIVITY_LOG, msg, reporting, len(reporting) / n, REPORTING,
                                    value=100.0 * len(reporting) / n, count=len(reporting),
                                    sure=certainty >= SURE, certainty=certainty))

    # ---- stale
    if stale.stale:
        lines = stale.lines or tuple(p.index for p in plan.passages if element_of(p) == "action_plan")
        points.append(CoachingPoint(STALE_PLAN, "The plan is stale: " + "; ".join(stale.reasons()) + ".", lines, 1.0,
                                    "action_plan"))

    # ---- next steps without a date or an owner
    steps = [p for p, e in zip(plan.passages, els) if e in _step_elements(plan)]
    vague = [p.index for p in steps if not (by_line[p.index].dates or by_line[p.index].owners)]
    if vague:
        what = noun(_step_elements(plan)[0], 2) if len(vague) > 1 else noun(_step_elements(plan)[0], 1)
        msg = (f"{len(vague)} of the {len(steps)} {noun(_step_elements(plan)[0], 2)} (lines {ranges(vague)}) "
               f"name{'s' if len(vague) == 1 else ''} no date and no owner." if len(steps) > 1 else
               f"The {what} (line {ranges(vague)}) names no date and no owner.")
        points.append(CoachingPoint(VAGUE_STEPS, msg, tuple(vague), len(vague) / max(len(steps), 1),
                                    _step_elements(plan)[0], count=len(vague)))

    # ---- specificity
    if planning:
        plain = [i for i in planning if not by_line[i].specific]
        share = 1.0 - len(plain) / len(planning)
        if share < SPECIFIC_SHARE:
            some = len(planning) - len(plain)
            msg = ((f"Only {some} of the {len(planning)} planning lines name" if some else
                    f"None of the {len(planning)} planning lines names") + " a date, an owner, a number or a name"
                   + (f"; lines {ranges(plain)} say none." if some else f" (lines {ranges(plain)})."))
            points.append(CoachingPoint(NOT_SPECIFIC, msg, tuple(plain), 1.0 - share, None,
                                        value=100.0 * share, count=len(plain)))

    ex = None
    if target is not None:
        ex = execution(plan, target, tax)
        points += list(ex.points)
    points.sort(key=_rank)
    return PlanCoaching(plan.call_id, plan.title, act, plan.outcome, True, cov, n, reporting, specs, planning,
                        tuple(points), tuple(notes), stale, rep, ex, tl)


__all__ = [
    "ELEMENT", "PLAN_ELEMENTS", "SHARED_ELEMENTS", "SUCCESS_OUTCOMES", "PLAN_OUTCOMES", "read_plans", "element_of",
    "element_probability", "is_labeled", "activity_of", "elements_for", "parse_dates", "specifics", "LineSpecifics",
    "coverage", "ElementCoverage", "staleness", "Staleness", "timeline", "timelines", "Timeline", "TimelineItem",
    "content_lemmas", "overlap", "best_match", "concern_of", "execution", "Execution", "QuestionCheck",
    "ObjectionCheck", "AdvanceCheck", "prepared_call", "plans_for", "success_of", "plan_features", "compare_plans",
    "compare_all", "PlanReport", "PlanCoaching", "coach_plan", "PLAN_RANKING", "QUESTION_MATCH", "OBJECTION_MATCH",
    "MISSING_ELEMENT", "ACTIVITY_LOG", "VAGUE_STEPS", "NOT_SPECIFIC", "STALE_PLAN", "ADVANCE_NOT_ASKED",
    "QUESTION_NOT_ASKED", "OBJECTION_UNANSWERED", "row_name",
]
