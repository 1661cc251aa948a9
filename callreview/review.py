"""The review domain: what a manager decides about a call, as plain immutable values.

A manager works through a call passage by passage and, per task ("behavior",
"stage"), either **accepts** the model's label, **relabels** it, or **skips** it
(no label for that task on that passage). They may comment on passages, write
call-level feedback, set the outcome and the review status.

These types carry no storage logic: :mod:`callreview.store` keeps them in SQLite and
the TUI and CLI show them. Nothing here imports a heavy library.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Mapping

from .classify import UNSURE_MARGIN  # one meaning of "unsure" for classifier, store and TUI
from .records import Prediction

#: what a manager can do with one passage and task
ACTIONS = ("accept", "relabel", "skip")
#: the review status of a call, in the order a review goes through them
STATUSES = ("new", "in_progress", "done")
#: the fields of call-level feedback
FEEDBACK_FIELDS = ("strengths", "improve", "focus", "notes")

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
    #: id of the model whose predictions are current, if any
    model_id: str | None = None


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
