"""The one structure every export format renders: :class:`ReportData`.

A report is built either from a stored review (:func:`from_store`: the call as the
manager sees it now, their decisions, comments and feedback) or from a call that was
only annotated by the model (:func:`from_call`, :func:`from_files`: no feedback). The
metrics, the stage timeline and, when a team corpus is given, the coaching points are
computed from the call's current labels.

Redaction (:func:`redacted`) is a transform of a ReportData into another, so every
format shows exactly the same redacted content.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from ..errors import ModelError
from ..records import TASKS, Call, Passage
from ..review import CallReview, Comment, Decision, Feedback

if TYPE_CHECKING:  # pragma: no cover
    from ..artifacts import Model
    from ..insights import CoachingContext
    from ..metrics import CallMetrics
    from ..plan_coach import Execution, PlanCoaching
    from ..store import Store
    from ..taxonomy import Taxonomy

#: where a report's labels come from
REVIEW = "review"
MODEL = "model"


@dataclass(frozen=True)
class Evidence:
    """A passage the manager commented on or corrected."""

    passage: Passage
    comments: tuple[Comment, ...] = ()
    corrections: tuple[Decision, ...] = ()


@dataclass(frozen=True)
class ReportData:
    """Everything an export shows about one call."""

    #: the call with its current labels (the manager's where decided, else the model's or
    #: the file's) and the model's predictions
    call: Call
    metrics: "CallMetrics"
    #: REVIEW (from the review store) or MODEL (annotated by the model, not reviewed)
    origin: str = MODEL
    feedback: Feedback = field(default_factory=Feedback)
    comments: tuple[Comment, ...] = ()
    #: (passage index, task) -> the manager's current decision
    decisions: Mapping[tuple[int, str], Decision] = field(default_factory=dict)
    #: (passage index, task) -> label given by a person (a decision, or the file's own
    #: label); None for a skipped task. What the corpus (jsonl) export keeps as labels.
    human_labels: Mapping[tuple[int, str], str | None] = field(default_factory=dict)
    coaching: "CoachingContext | None" = None
    #: "new", "in_progress" or "done" for a stored review
    status: str | None = None
    reviewers: tuple[str, ...] = ()
    #: UTC time of the latest review edit (ISO 8601)
    reviewed_at: str | None = None
    model_id: str | None = None
    #: a plan's coaching (what it covers and lacks), when the report is of a plan
    plan: "PlanCoaching | None" = None
    #: a call held against the call plans that prepared it
    plan_checks: "tuple[Execution, ...]" = ()

    @property
    def call_id(self) -> str:
        return self.call.call_id

    @property
    def date(self) -> str | None:
        """The call's date when the file gave one, else the day of the latest review edit."""
        given = self.call.extra.get("date")
        if isinstance(given, str) and given.strip():
            return given.strip()
        return self.reviewed_at[:10] if self.reviewed_at else None

    @property
    def seller(self) -> str | None:
        from ..insights import seller_of

        return seller_of(self.call)

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The passages the manager commented on or corrected, in call order."""
        by_passage: dict[int, list[Comment]] = {}
        for c in self.comments:
            by_passage.setdefault(c.index, []).append(c)
        corrected: dict[int, list[Decision]] = {}
        for d in self.decisions.values():
            if d.corrected:
                corrected.setdefault(d.index, []).append(d)
        out = []
        for i in sorted(set(by_passage) | set(corrected)):
            if 0 <= i < len(self.call.passages):
                fixes = sorted(corrected.get(i, []), key=lambda d: TASKS.index(d.task) if d.task in TASKS else 9)
                out.append(Evidence(self.call.passages[i], tuple(by_passage.get(i, [])), tuple(fixes)))
        return tuple(out)

    def training_call(self) -> Call:
        """The call as corpus v1 training data: only labels a person gave (the manager's
        decisions, or the labels the file came with); the model's output stays in
        ``predictions``. For a stored review this is what ``reviews export`` writes."""
        passages = []
        for p in self.call.passages:
            labels = {t: self.human_labels.get((p.index, t)) for t in TASKS}
            passages.append(replace(p, **labels))
        return self.call.with_passages(passages)

    def to_json(self) -> dict[str, Any]:
        from ..corpora import call_to_json

        return {
            "call_id": self.call_id,
            "origin": self.origin,
            "title": self.call.title,
            "date": self.date,
            "seller": self.seller,
            "outcome": self.call.outcome,
            "status": self.status,
            "reviewers": list(self.reviewers),
            "reviewed_at": self.reviewed_at,
            "model_id": self.model_id,
            "feedback": self.feedback.as_dict(),
            "comments": [{"index": c.index, "text": c.text, "reviewer": c.reviewer, "at": c.at}
                         for c in self.comments],
            "decisions": [d.to_json() for _, d in sorted(self.decisions.items())],
            "evidence": [{"index": e.passage.index, "comments": [c.text for c in e.comments],
                          "corrections": [{"task": d.task, "from": d.predicted.label if d.predicted else None,
                                           "to": d.label} for d in e.corrections]}
                         for e in self.evidence],
            "metrics": self.metrics.to_json(),
            "coaching": self.coaching.to_json() if self.coaching else None,
            "plan_coaching": self.plan.to_json() if self.plan else None,
            "plan_checks": [e.to_json() for e in self.plan_checks],
            "call": call_to_json(self.call),
        }


# --------------------------------------------------------------------------- building


def _model_id(call: Call) -> str | None:
    for p in call.passages:
        for pred in p.predictions.values():
            if pred.model_id:
                return pred.model_id
    return None


def _plan_part(call: Call, team: Sequence[Call] | None, taxonomy: "Taxonomy | None"
               ) -> "tuple[PlanCoaching | None, tuple[Execution, ...]]":
    """A plan's coaching against the team's plans (the deal's calls and plans among them);
    a call against the call plans in the team that prepared it."""
    from datetime import date

    from ..plan_coach import coach_plan, execution, plans_for

    team = list(team or ())
    if call.is_plan:
        return coach_plan(call, team, taxonomy, related=team, today=date.today()), ()
    return None, tuple(execution(p, call, taxonomy) for p in plans_for(call, team))


def _coaching(call: Call, team: Sequence[Call] | None, taxonomy: "Taxonomy | None") -> "CoachingContext | None":
    if not team or call.is_plan:
        return None
    team = [c for c in team if not c.is_plan]
    if not team:
        return None
    from ..insights import coach

    return coach(call, team, taxonomy)


def from_call(call: Call, *, human_labels: Mapping[tuple[int, str], str | None] | None = None,
              team: Sequence[Call] | None = None, taxonomy: "Taxonomy | None" = None) -> ReportData:
    """The report of a call that was not reviewed: labels from the file or the model.

    ``human_labels`` are the labels the file came with. By default a label counts as the
    file's when the passage has no prediction for that task or the prediction differs
    from it (a label equal to the prediction is taken as the model's).
    """
    from ..metrics import call_metrics

    if human_labels is None:
        human_labels = {(p.index, t): p.label(t) for p in call.passages for t in TASKS
                        if p.label(t) is not None
                        and (t not in p.predictions or p.predictions[t].label != p.label(t))}
    plan, checks = _plan_part(call, team, taxonomy)
    return ReportData(call=call, metrics=call_metrics(call, taxonomy), origin=MODEL,
                      human_labels=dict(human_labels), coaching=_coaching(call, team, taxonomy),
                      model_id=_model_id(call), plan=plan, plan_checks=checks)


def from_store(store: "Store", call_id: str, *, team: Sequence[Call] | None = None,
               taxonomy: "Taxonomy | None" = None) -> ReportData:
    """The report of a stored review (:meth:`Store.review`): the call as the manager sees
    it, with their decisions, comments and feedback."""
    return from_review(store.review(call_id), team=team, taxonomy=taxonomy)


def from_review(review: CallReview, *, team: Sequence[Call] | None = None,
                taxonomy: "Taxonomy | None" = None) -> ReportData:
    """The report of a call's review as the store derived it."""
    from ..metrics import call_metrics

    call, decisions = review.call, review.decisions
    plan, checks = _plan_part(call, team, taxonomy)
    # a label the manager decided is a person's label: the metrics count it as measured,
    # not as the model's estimate, even where the manager accepted the model's label
    decided = call.with_passages(
        replace(p, predictions={t: pr for t, pr in p.predictions.items() if (p.index, t) not in decisions})
        for p in call.passages)
    return ReportData(
        call=call,
        metrics=call_metrics(decided, taxonomy),
        origin=REVIEW,
        feedback=review.feedback,
        comments=review.all_comments,
        decisions=dict(decisions),
        human_labels={k: d.label for k, d in decisions.items()},
        coaching=_coaching(call, team, taxonomy),
        status=review.status,
        reviewers=review.reviewers,
        reviewed_at=review.reviewed_at,
        model_id=_model_id(call),
        plan=plan,
        plan_checks=checks,
    )


def from_files(paths: Iterable[str | Path], *, model: "Model | Callable[[], Model] | None" = None,
               sellers: Sequence[str] = (), store: "Store | None" = None, team: Sequence[Call] | None = None,
               taxonomy: "Taxonomy | None" = None, warn: Callable[[str], None] | None = None,
               input_format: str = "auto") -> list[ReportData]:
    """Reports of the calls in transcript files (``input_format``: as :func:`load_calls` takes it).

    A call already in ``store`` (the same content was added with ``reviews add``) is
    reported from its review. The others are annotated with ``model`` (a Model, or a
    function that loads one, called only when a call needs it); the labels the file came
    with are kept. When no model can be loaded and every passage is labeled already, the
    report uses the file's labels without predictions (and says so through ``warn``).
    """
    from ..formats import load_calls

    say = warn or (lambda _m: None)
    slots: list[ReportData | Call] = []
    for path in paths:
        for call in load_calls(path, format=input_format, sellers=tuple(sellers), warn=warn):
            stored = store.find(call) if store is not None else None
            if stored is not None:
                say(f"{path}: reporting the review of stored call {stored}")
                slots.append(from_store(store, stored, team=team, taxonomy=taxonomy))  # type: ignore[arg-type]
            else:
                slots.append(call)
    todo = [s for s in slots if isinstance(s, Call) and not s.is_plan]  # a plan's lines get elements, not behaviors
    annotated: dict[int, Call] = {}
    if todo:
        m = None
        if model is not None:
            try:
                m = model() if callable(model) else model
            except ModelError as exc:
                if any(not p.behavior or not p.stage for c in todo for p in c.passages):
                    raise
                say(f"no model ({exc.message}); the report uses the labels the files came with")
        if m is not None:
            from ..classify import annotate

            for call, done in zip(todo, annotate(todo, m, keep_labels=True)):  # type: ignore[arg-type]
                annotated[id(call)] = done
    out = []
    for s in slots:
        if isinstance(s, ReportData):
            out.append(s)
            continue
        human = {(p.index, t): p.label(t) for p in s.passages for t in TASKS if p.label(t) is not None}
        out.append(from_call(annotated.get(id(s), s), human_labels=human, team=team, taxonomy=taxonomy))
    return out


# --------------------------------------------------------------------------- redaction


def redacted(data: ReportData, *, extra_names: Iterable[str] = ()) -> ReportData:
    """The report with people's names, e-mail addresses, phone, card and account numbers
    replaced (see :mod:`callreview.redact`) everywhere it holds text."""
    from ..redact import Redactor

    r = Redactor(data.call, extra_names=extra_names)
    reviewer_alias: dict[str, str] = {}

    def reviewer(name: str | None) -> str | None:
        if name is None:
            return None
        return reviewer_alias.setdefault(name, f"Reviewer {len(reviewer_alias) + 1}")

    for name in data.reviewers:
        reviewer(name)
    call = r.call(data.call)
    m = data.metrics
    metrics = replace(
        m, call_id=call.call_id, title=r.text(m.title),
        objections=tuple(replace(o, text=r.text(o.text) or "") for o in m.objections),
        notes=tuple(r.text(n) or "" for n in m.notes),
        metrics=tuple(replace(x, detail=r.text(x.detail) or "") for x in m.metrics),
    )
    coaching = data.coaching
    if coaching is not None:
        coaching = replace(
            coaching, call_id=call.call_id, title=r.text(coaching.title),
            notes=tuple(r.text(n) or "" for n in coaching.notes),
            points=tuple(replace(p, message=r.text(p.message) or "") for p in coaching.points),
        )
    decisions = {k: replace(d, reviewer=reviewer(d.reviewer),
                            predicted=r.prediction(d.predicted) if d.predicted else None)
                 for k, d in data.decisions.items()}

    def points(ps):
        return tuple(replace(p, message=r.text(p.message) or "") for p in ps)

    def check(e):  # a call plan against its call quotes both
        return replace(e, points=points(e.points), notes=tuple(r.text(n) or "" for n in e.notes),
                       questions=tuple(replace(q, text=r.text(q.text) or "", sentence=r.text(q.sentence) or "")
                                       for q in e.questions),
                       objections=tuple(replace(o, text=r.text(o.text) or "") for o in e.objections))

    plan = data.plan
    if plan is not None:
        plan = replace(plan, title=r.text(plan.title), notes=tuple(r.text(n) or "" for n in plan.notes),
                       points=points(plan.points), execution=check(plan.execution) if plan.execution else None)
    return replace(
        data,
        plan=plan,
        plan_checks=tuple(check(e) for e in data.plan_checks),
        call=call,
        metrics=metrics,
        coaching=coaching,
        feedback=Feedback(**{k: r.text(v) for k, v in data.feedback.as_dict().items()}),
        comments=tuple(replace(c, call_id=call.call_id, text=r.text(c.text) or "", reviewer=reviewer(c.reviewer))
                       for c in data.comments),
        decisions=decisions,
        reviewers=tuple(reviewer(n) or "" for n in data.reviewers),
    )
