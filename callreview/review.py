"""The review domain: what a manager decides about a call, as plain immutable values.

A manager works through a call passage by passage and, per task ("behavior",
"stage"), either **accepts** the model's label, **relabels** it, or **skips** it
(no label for that task on that passage). They may comment on passages, write
call-level feedback, set the outcome and the review status.

These types carry no storage logic: :mod:`callreview.store` keeps them in SQLite and
derives a call's :class:`CallReview` from its history (:meth:`Store.review`); the app, the
CLI and the exports read that one value. The rules a review follows (when a call is "in
progress", when a passage counts as reviewed) are the functions here, used by the store
for one call and for its list of calls alike. Nothing here imports a heavy library.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Collection, Iterable, Mapping

from .classify import UNSURE_MARGIN  # one meaning of "unsure" for classifier, store and TUI
from .records import TASKS, Call, Prediction

#: what a manager can do with one passage and task
ACTIONS = ("accept", "relabel", "skip")
#: the review status of a call, in the order a review goes through them
STATUSES = ("new", "in_progress", "done")
#: the fields of call-level feedback
FEEDBACK_FIELDS = ("strengths", "improve", "focus", "notes")
#: the edits that take a call from "new" to "in_progress" while no status was set
PROGRESS_KINDS = ("decision", "comment", "feedback", "outcome")
#: every kind of review edit (the history's other kind is "undo"): whoever made one is a reviewer
EDIT_KINDS = PROGRESS_KINDS + ("status", "seller")
#: the marks a passage can carry in the review (see :meth:`CallReview.mark`)
ACCEPTED, CORRECTED, SKIPPED, UNSURE = "accepted", "corrected", "skipped", "unsure"

#: task -> reviewer -> (call_id, passage index) -> label (None when the reviewer skipped it)
Ratings = dict[str, dict[str, dict[tuple[str, int], "str | None"]]]


@dataclass(frozen=True, slots=True)
class Feedback:
    """Call-level coaching feedback; a field is None until the manager writes it."""

    strengths: str | None = None
    improve: str | None = None
    focus: str | None = None
    notes: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def is_empty(self) -> bool:
        return not any(self.as_dict().values())


@dataclass(frozen=True, slots=True)
class StoredCall:
    """What :meth:`Store.add_call` did."""

    #: the id the call has in the store (the call's own id, or ``id-2``... if that was taken)
    call_id: str
    content_sha256: str
    #: False when the same call was already in the store (its review is kept)
    created: bool
    #: id of the prediction set recorded by this add, if any
    prediction_set: int | None = None


@dataclass(frozen=True, slots=True)
class CallSummary:
    """One line of the review list."""

    call_id: str
    title: str | None
    seller: str | None
    #: when the call was added, UTC, ISO 8601
    added_at: str
    outcome: str | None
    #: "new", "in_progress" or "done" (see :data:`STATUSES`)
    status: str
    n_passages: int
    #: passages with an undecided task whose current prediction margin is below the threshold
    n_unsure: int
    #: passages with a decision on at least one task
    n_decided: int
    #: passages with a decision on every task the model labeled (:func:`passage_reviewed`),
    #: what the review app counts as reviewed
    n_reviewed: int = 0
    #: id of the model whose predictions are current, if any
    model_id: str | None = None
    #: "transcript", "notes" or "plan" (a seller's written plan, with its activity)
    kind: str = "transcript"
    activity: str | None = None


@dataclass(frozen=True, slots=True)
class QueueItem:
    """An undecided passage, with how unsure the model is about it."""

    call_id: str
    index: int
    #: the undecided task whose prediction has the smallest margin
    task: str
    margin: float
    text: str
    speaker: str | None
    role: str | None
    #: the current predictions of this passage, per task
    predictions: Mapping[str, Prediction]


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    call_id: str
    index: int
    text: str
    reviewer: str | None
    at: str


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of a call's review history. History is append-only; an undo is an event."""

    id: int
    call_id: str
    #: "decision", "comment", "feedback", "outcome", "status", "seller" or "undo"
    kind: str
    at: str
    reviewer: str | None = None
    #: passage index (decisions and comments)
    index: int | None = None
    #: "behavior" or "stage" (decisions)
    task: str | None = None
    #: "accept", "relabel" or "skip" (decisions)
    action: str | None = None
    #: the label (decisions), text (comments), JSON of the fields (feedback), or the new value
    value: str | None = None
    #: for an undo event: the id of the event it took back
    undoes: int | None = None
    #: True when a later undo event took this one back
    undone: bool = False

    def describe(self) -> str:
        """A short readable line, e.g. for ``undo`` messages and history views."""
        where = f"passage {self.index}" if self.index is not None else "call"
        if self.kind == "decision":
            what = {"accept": f"accepted {self.task} {self.value!r}",
                    "relabel": f"relabeled {self.task} as {self.value!r}",
                    "skip": f"skipped {self.task}"}.get(self.action or "", f"{self.action} {self.task}")
            return f"{what} on {where} of {self.call_id}"
        if self.kind == "comment":
            return f"comment on {where} of {self.call_id}: {self.value}"
        if self.kind == "undo":
            return f"undo of event {self.undoes}"
        if self.kind == "feedback":
            return f"feedback on {self.call_id}"
        return f"{self.kind} of {self.call_id} set to {self.value!r}"


# --------------------------------------------------------------------------- rules


def review_status(latest: str | None, edited: bool) -> str:
    """A call's review status: the latest status set and not undone; until one is set,
    "in_progress" once the call has an edit of :data:`PROGRESS_KINDS`, else "new"."""
    if latest:
        return latest
    return "in_progress" if edited else "new"


#: what a decision may label: a call passage's tasks, and a plan line's element
#: (shared/plan-guide.md), kept in the passage's ``element`` field
DECIDABLE = (*TASKS, *(() if "element" in TASKS else ("element",)))


def passage_reviewed(predicted: Iterable[str], decided: Collection[str]) -> bool:
    """A passage is reviewed when every task the model labeled on it (every task, when
    the model labeled none) has a decision. ``predicted`` and ``decided`` are task names.
    A passage with every task decided is reviewed whatever the model labeled; a plan
    line has one task, its element."""
    tasks = [t for t in predicted if t in DECIDABLE] or (["element"] if "element" in decided else list(TASKS))
    return all(t in decided for t in tasks)


# --------------------------------------------------------------------------- one call


@dataclass(frozen=True, slots=True)
class Decision:
    """A manager's current decision on one passage and task."""

    index: int
    task: str
    #: "accept", "relabel" or "skip"
    action: str
    #: the label decided (None when skipped)
    label: str | None
    #: the model's current prediction for this passage and task, if any
    predicted: Prediction | None = None
    reviewer: str | None = None
    at: str | None = None

    @property
    def corrected(self) -> bool:
        """The manager set a label other than the model's."""
        return self.action == "relabel" and (self.predicted is None or self.predicted.label != self.label)

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "task": self.task, "action": self.action, "label": self.label,
                "predicted": self.predicted.to_json() if self.predicted else None,
                "corrected": self.corrected, "reviewer": self.reviewer, "at": self.at}


@dataclass(frozen=True)
class CallReview:
    """One call's review as the store holds it now (:meth:`Store.review`).

    The store derives it from the call's history in one place; the review app, the CLI
    and the exports read it, and after an edit the app asks the store for the new one
    rather than working it out itself.
    """

    #: the call as the manager sees it: current predictions, the manager's labels where
    #: decided (else the prediction's, else the file's), the latest seller and outcome
    call: Call
    #: (passage index, task) -> the current decision
    decisions: Mapping[tuple[int, str], Decision]
    #: passage index -> its comments, oldest first
    comments: Mapping[int, tuple[Comment, ...]]
    feedback: Feedback
    #: "new", "in_progress" or "done" (:func:`review_status`)
    status: str
    #: who edited the review, in the order they first did
    reviewers: tuple[str, ...] = ()
    #: UTC time of the latest edit (ISO 8601); None before the first
    reviewed_at: str | None = None

    @property
    def call_id(self) -> str:
        return self.call.call_id

    @property
    def all_comments(self) -> tuple[Comment, ...]:
        """Every comment of the call, oldest first."""
        return tuple(sorted((c for cs in self.comments.values() for c in cs), key=lambda c: c.id))

    def decision(self, index: int, task: str) -> Decision | None:
        return self.decisions.get((index, task))

    def is_unsure(self, index: int, margin: float = UNSURE_MARGIN) -> bool:
        """An undecided task of the passage whose prediction margin is below ``margin``."""
        p = self.call.passages[index]
        return any(pred.margin < margin and (index, task) not in self.decisions
                   for task, pred in p.predictions.items() if task in DECIDABLE)

    def undecided(self, index: int) -> list[str]:
        """The tasks the model labeled on this passage that have no decision yet
        (what "accept" and a queue answer act on)."""
        p = self.call.passages[index]
        return [t for t in DECIDABLE if t in p.predictions and self.decision(index, t) is None]

    def is_reviewed(self, index: int) -> bool:
        """:func:`passage_reviewed`: every task the model predicted has a decision."""
        p = self.call.passages[index]
        return passage_reviewed(p.predictions, {t for t in DECIDABLE if (index, t) in self.decisions})

    def mark(self, index: int) -> str | None:
        """corrected > skipped > unsure > accepted > None, for the transcript's mark column."""
        actions = {d.action for t in DECIDABLE if (d := self.decisions.get((index, t))) is not None}
        if "relabel" in actions:
            return CORRECTED
        if "skip" in actions:
            return SKIPPED
        if self.is_unsure(index):
            return UNSURE
        if "accept" in actions:
            return ACCEPTED
        return None

    @property
    def n_unsure(self) -> int:
        return sum(1 for p in self.call.passages if self.is_unsure(p.index))

    @property
    def n_reviewed(self) -> int:
        """Passages reviewed (:func:`passage_reviewed`): what the library counts too."""
        return sum(1 for p in self.call.passages if self.is_reviewed(p.index))
