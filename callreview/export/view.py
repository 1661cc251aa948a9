"""What a coaching report says, in words, before any format lays it out.

:func:`report_view` turns a :class:`~callreview.export.report.ReportData` into a
:class:`ReportView`: the header, the key metrics with their published references, the
stage timeline, the feedback sections, the coaching points and the evidence, all as
plain strings. The Markdown, HTML and Word renderers lay out this one view, so the
three reports say exactly the same thing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..metrics import ESTIMATED, NOT_COMPUTABLE, format_time, where
from ..taxonomy import default_taxonomy

if TYPE_CHECKING:  # pragma: no cover
    from ..metrics import Metric, Reference
    from ..taxonomy import Taxonomy
    from .report import ReportData

#: the metrics a report shows, in order
KEY_METRICS = (
    "duration", "talk_ratio", "longest_seller_monologue", "longest_buyer_story", "interactivity",
    "patience", "talking_speed", "filler_rate", "seller_questions", "seller_questions.implication",
    "seller_questions.need-payoff", "buyer_needs", "benefits_linked_to_need", "objections",
    "objections_unanswered", "commitment_requested", "buyer_committed",
)

NAMES = {
    "duration": "Call length",
    "talk_ratio": "Seller talk share",
    "longest_seller_monologue": "Longest seller monologue",
    "longest_buyer_story": "Longest buyer story",
    "interactivity": "Speaker switches",
    "patience": "Pause before answering",
    "talking_speed": "Seller talking speed",
    "filler_rate": "Seller filler words",
    "seller_questions": "Seller questions",
    "buyer_needs": "Needs the buyer stated",
    "benefits_linked_to_need": "Benefits tied to a stated need",
    "objections": "Buyer objections",
    "objections_unanswered": "Objections left unanswered",
    "commitment_requested": "Asked for a commitment",
    "buyer_committed": "Buyer committed to a next step",
}

#: the feedback fields and their headings, in report order
FEEDBACK_HEADINGS = (
    ("strengths", "Strengths"),
    ("improve", "Things to improve"),
    ("focus", "Focus for the next call"),
    ("notes", "Notes"),
)

#: muted colours for stages and sides (HTML and Word)
STAGE_COLORS = ("#6f8fb8", "#7fae9c", "#c7a96b", "#b98383", "#9587b8", "#7fa9b8", "#a8957f", "#8c9a6e")
NO_STAGE_COLOR = "#cfd6de"
SIDE_COLORS = {"seller": "#3f5f8a", "buyer": "#9aa7b6", "other": "#c9cfd6"}


def pretty(label: str | None) -> str:
    """A label as words: "buyer_objection" -> "buyer objection"."""
    return (label or "").replace("_", " ").strip()


def metric_name(name: str) -> str:
    if name.startswith("seller_questions."):
        return f"\u2003{name.split('.', 1)[1].capitalize()} questions"
    return NAMES.get(name, pretty(name).capitalize())


def metric_value(m: "Metric") -> str:
    """The value in words, with its unit: 62%, 1:45, 230 words, 4.2 per minute."""
    v = m.value
    if v is None:
        return "not computable"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if m.unit == "s":
        return format_time(v) if v >= 60 else f"{v:.0f} s" if v >= 10 else f"{v:.1f} s"
    if m.unit == "%":
        return f"{v:.0f}%"
    if m.unit == "words":
        return f"{v:.0f} words"
    if m.unit == "switches/min":
        return f"{v:.1f} per minute"
    if m.unit == "switches/100 words":
        return f"{v:.1f} per 100 words"
    if m.unit == "wpm":
        return f"{v:.0f} words/min"
    if m.unit == "per 100 words":
        return f"{v:.1f} per 100 words"
    if isinstance(v, float):
        return f"{v:.1f}"
    return str(v)


def reference_figure(ref: "Reference") -> str:
    """The published figure in a few words: "11-14 questions", "about 43%"."""
    unit = ref.unit or ""
    if unit == "s":
        def fmt(x: float) -> str:
            return format_time(x) if x >= 60 else f"{x:g} s"
        if ref.low is not None and ref.high is not None:
            return f"{fmt(ref.low)}-{fmt(ref.high)}"
        if ref.value is not None:
            return f"about {fmt(ref.value)}"
    sep = "" if unit == "%" else " "
    if ref.low is not None and ref.high is not None:
        return f"{ref.low:g}-{ref.high:g}{sep}{unit}".strip()
    if ref.value is not None:
        return f"about {ref.value:g}{sep}{unit}".strip()
    return "more went with success"


def reference_source(ref: "Reference") -> str:
    source = ref.source.split(",")[0].split("(")[0].strip()
    return f"{source}, {ref.year}" if ref.year else source


@dataclass(frozen=True)
class MetricRow:
    name: str
    value: str
    estimated: bool
    detail: str
    #: the published figure ("11-14 questions"), "" when none
    reference: str = ""
    #: 1-based number of the reference note, 0 when none
    note: int = 0
    indent: bool = False


@dataclass(frozen=True)
class TimelineRow:
    stage: str
    label: str | None
    start: str
    share: float
    passages: str
    color: str


@dataclass(frozen=True)
class BarRow:
    """One bar of the behavior mix."""

    label: str
    count: int
    side: str
    color: str


@dataclass(frozen=True)
class CoachingRow:
    message: str
    where: str


@dataclass(frozen=True)
class EvidenceRow:
    time: str
    speaker: str
    role: str
    behavior: str
    stage: str
    text: str
    comments: tuple[str, ...]
    corrections: tuple[str, ...]
    index: int


@dataclass(frozen=True)
class ReportView:
    title: str
    subtitle: str
    #: (label, value) pairs for the header: Date, Seller, Outcome, Reviewed by, ...
    facts: tuple[tuple[str, str], ...]
    intro: str
    metrics: tuple[MetricRow, ...]
    unavailable: tuple[str, ...]
    reference_notes: tuple[str, ...]
    timeline: tuple[TimelineRow, ...]
    timeline_basis: str
    behavior_mix: tuple[BarRow, ...]
    feedback: tuple[tuple[str, str], ...]
    #: said instead of the feedback sections when there are none
    feedback_empty: str
    coaching: tuple[CoachingRow, ...]
    coaching_intro: str
    evidence: tuple[EvidenceRow, ...]
    evidence_empty: str
    notes: tuple[str, ...]
    footer: str
    #: a plan's coaching, or a call against its plan: (heading, lines) in report order
    plan_sections: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _join(names: list[str]) -> str:
    """["Call length", "Seller talk share"] -> "call length and seller talk share"."""
    words = [n[0].lower() + n[1:] for n in names]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _ranges(indices: tuple[int, ...]) -> str:
    from ..metrics import _ranges as ranges

    return ranges(list(indices))


def stage_color(stage: str | None, taxonomy: "Taxonomy") -> str:
    if not stage:
        return NO_STAGE_COLOR
    order = list(taxonomy.stages)
    if stage in order:
        return STAGE_COLORS[order.index(stage) % len(STAGE_COLORS)]
    return STAGE_COLORS[(len(order) + sum(map(ord, stage))) % len(STAGE_COLORS)]


def plan_sections(data: "ReportData") -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The plan coaching a report shows: what a plan covers (has, lacks, planning against
    reporting, specificity) and its ranked points with their lines; for a call, each call
    plan that prepared it held against it (advance, questions, objections)."""
    out: list[tuple[str, tuple[str, ...]]] = []
    pc = data.plan
    if pc is not None:
        lines = list(pc.summary()) + [n[0].upper() + n[1:] + "." for n in pc.notes]
        out.append(("What the plan covers", tuple(lines)))
        points = []
        for pt in pc.points:
            where = ""
            if pt.passages and pt.kind not in ("advance_not_asked", "planned_question_not_asked",
                                               "anticipated_objection_unanswered"):
                where = f" ({'likeliest lines' if pt.absent else 'lines'} {_ranges(pt.passages)})"
            points.append(f"{'Check: ' if not pt.sure and not pt.message.startswith('Check') else ''}"
                          f"{pt.message}{where}")
        if points:
            out.append(("Plan coaching points", tuple(points)))
    checks = list(data.plan_checks) + ([pc.execution] if pc is not None and pc.execution is not None else [])
    for e in checks:
        lines = []
        if e.advance is not None:
            lines.append("The advance was asked for" + (f" at passage {e.advance.requests[0]}" if e.advance.requests
                                                         else "") + "." if e.advance.asked
                         else "The advance was never asked for.")
        for q in e.questions:
            lines.append(f"Planned question (line {q.line}) " + (f"asked at passage {q.passage}: “{q.sentence}”"
                                                                 if q.asked else "not asked") + f" — {q.text}")
        for o in e.objections:
            state = ("came up at passage %s and was %s" % (o.passage, "answered" if o.answered else "not answered")
                     if o.came_up else "did not come up")
            lines.append(f"Expected objection (line {o.line}) {state} — {o.text}")
        lines += [n[0].upper() + n[1:] + "." for n in e.notes]
        out.append((f"Against the plan {e.plan_id}" if not data.call.is_plan else f"Against the call {e.call_id}",
                    tuple(lines)))
    return tuple(out)


def report_view(data: "ReportData", taxonomy: "Taxonomy | None" = None, *, max_coaching: int = 3) -> ReportView:
    """The report of one call, in words (see the module docstring)."""
    tax = taxonomy or default_taxonomy()
    call = data.call
    cm = data.metrics

    # ---- header
    facts: list[tuple[str, str]] = []
    given = data.call.extra.get("date")
    if isinstance(given, str) and given.strip():
        facts.append(("Call date", given.strip()))
    else:
        facts.append(("Reviewed on" if data.reviewed_at else "Call date", data.date or "not recorded"))
    facts.append(("Seller", data.seller or "not recorded"))
    facts.append(("Outcome", pretty(call.outcome) or "not recorded"))
    if data.origin == "review":
        facts.append(("Reviewed by", ", ".join(data.reviewers) or "not yet reviewed"))
    else:
        facts.append(("Reviewed by", "not reviewed"))
    dur = cm.get("duration")
    kind = "call notes" if call.kind == "notes" else "transcript"
    sub = [f"Call {call.call_id}", f"{kind}, {len(call.passages)} passages"]
    if call.is_plan:
        sub = [f"Plan {call.call_id}", f"{call.activity or 'unknown activity'} plan, {len(call.passages)} lines"]
    if dur is not None and dur.value is not None:
        sub.append(f"{format_time(dur.value)} long")
    if data.model_id:
        sub.append(f"model {data.model_id}")
    if data.origin == "review":
        intro = ("This report comes from your manager's review of the call: the labels below are "
                 "the ones they confirmed or corrected where they decided, and the model's elsewhere.")
    else:
        intro = ("This report was produced from the model's labels; no manager has reviewed this call "
                 "yet, so read the figures as a first pass.")

    # ---- metrics
    rows: list[MetricRow] = []
    why: dict[str, list[str]] = {}  # reason -> the metrics it rules out
    notes: list[str] = []
    for name in KEY_METRICS:
        m = cm.get(name)
        if m is None:
            continue
        if m.method == NOT_COMPUTABLE:
            if not name.startswith("seller_questions."):
                why.setdefault(m.detail, []).append(metric_name(name).strip())
            continue
        ref_text, note = "", 0
        if m.reference is not None:
            text = f"{m.reference.describe()}"
            if text not in notes:
                notes.append(text)
            note = notes.index(text) + 1
            ref_text = f"{reference_figure(m.reference)} ({reference_source(m.reference)})"
        rows.append(MetricRow(metric_name(name).strip(), metric_value(m), m.method == ESTIMATED, m.detail,
                              ref_text, note, indent=name.startswith("seller_questions.")))

    unavailable = [f"{_join(names)} ({reason})" if reason else _join(names) for reason, names in why.items()]
    unavailable = [u[0].upper() + u[1:] for u in unavailable]

    # ---- timeline
    timeline = tuple(
        TimelineRow(pretty(s.stage) or "no stage", s.stage,
                    format_time(s.start) if s.start is not None else "", s.share,
                    f"{s.first}-{s.last}" if s.last != s.first else str(s.first), stage_color(s.stage, tax))
        for s in cm.timeline)
    basis = ("share of the call's time" if cm.timeline_method == "measured" else
             "share of the call's words (no cue times)" if cm.timeline_method == ESTIMATED else "")

    # ---- behavior mix
    counts = Counter(p.behavior for p in call.passages if p.behavior)
    order = {lab: i for i, lab in enumerate(tax.behaviors)}

    def side_of(label: str) -> str:
        if label in tax.seller_behaviors:
            return "seller"
        if label in tax.buyer_behaviors:
            return "buyer"
        return "other"

    side_order = {"seller": 0, "buyer": 1, "other": 2}
    mix = tuple(BarRow(pretty(lab), n, side_of(lab), SIDE_COLORS[side_of(lab)])
                for lab, n in sorted(counts.items(),
                                     key=lambda kv: (side_order[side_of(kv[0])], order.get(kv[0], 99), kv[0])))

    # ---- feedback
    fb = data.feedback.as_dict()
    feedback = tuple((heading, fb.get(key) or "") for key, heading in FEEDBACK_HEADINGS
                     if key != "notes" or fb.get("notes"))
    feedback_empty = ""
    if data.origin != "review" and data.feedback.is_empty:
        # nobody reviewed the call: one line instead of three empty sections
        feedback, feedback_empty = (), "No feedback yet: nobody has reviewed this call."

    # ---- coaching points
    coaching: list[CoachingRow] = []
    coaching_intro = ""
    if data.coaching is not None:
        by_index = {p.index: p for p in call.passages}
        for pt in data.coaching.points[:max_coaching]:
            at = ""
            if pt.passages:
                first = by_index.get(pt.passages[0])
                lead = "would fit around" if pt.absent else "see"
                at = f"{lead} {where(first)}" if first is not None else f"passages {_ranges(pt.passages)}"
            message = pt.message
            for lab in sorted({p.behavior for p in call.passages if p.behavior} | set(tax.behaviors), key=len,
                              reverse=True):
                message = message.replace(lab, pretty(lab))  # "buyer_objection" -> "buyer objection"
            coaching.append(CoachingRow(message, at))
        ctx = data.coaching
        coaching_intro = (f"Compared with {ctx.n_team_success} successful and {ctx.n_team_other} other calls "
                          "of the team. These are patterns in the team's calls, not rules: questions worth "
                          "talking through.")

    # ---- evidence
    evidence = []
    for ev in data.evidence:
        p = ev.passage
        fixes = []
        for d in ev.corrections:
            was = (f"{pretty(d.predicted.label)} ({d.predicted.probability:.0%})" if d.predicted else "no label")
            fixes.append(f"{d.task}: the model said {was}; corrected to {pretty(d.label)}")
        evidence.append(EvidenceRow(
            time=where(p), speaker=p.speaker or pretty(p.role).capitalize() or "Unknown speaker",
            role=p.role or "", behavior=pretty(p.behavior) or "no behavior", stage=pretty(p.stage) or "no stage",
            text=p.text, comments=tuple(c.text for c in ev.comments), corrections=tuple(fixes), index=p.index))
    if data.origin == "review":
        empty = "The manager has not commented on or corrected any passage yet."
    else:
        empty = "No manager has commented on or corrected this call yet."

    extra_notes = list(cm.notes)
    footer = ("Reference figures are published correlations from other companies' calls, measured their "
              "way; they give context, not targets. \u2248 marks a value estimated from words or from the "
              "model's labels.")
    return ReportView(
        plan_sections=plan_sections(data),
        title=call.title or call.call_id,
        subtitle=" \u00b7 ".join(sub),
        facts=tuple(facts),
        intro=intro,
        metrics=tuple(rows),
        unavailable=tuple(unavailable),
        reference_notes=tuple(notes),
        timeline=timeline,
        timeline_basis=basis,
        behavior_mix=mix,
        feedback=feedback,
        feedback_empty=feedback_empty,
        coaching=tuple(coaching),
        coaching_intro=coaching_intro,
        evidence=tuple(evidence),
        evidence_empty=empty,
        notes=tuple(extra_notes),
        footer=footer,
    )
