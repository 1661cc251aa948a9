"""Messages the background workers post. Workers never touch widgets: they call one core
function and post one of these; the handlers on the app and screens update the widgets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from ..errors import CallreviewError

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from ..artifacts import Model
    from ..records import Call
    from ..review import CallReview, StoredCall
    from ..session import CallContext, RetrainResult


class Failed(Message):
    """A job failed: ``error`` is shown in a dialog with its message and hint."""

    def __init__(self, error: CallreviewError, job: str) -> None:
        super().__init__()
        self.error = error
        self.job = job


class ModelLoaded(Message):
    def __init__(self, model: "Model") -> None:
        super().__init__()
        self.model = model


class CallsImported(Message):
    def __init__(self, stored: "list[StoredCall]") -> None:
        super().__init__()
        self.stored = stored


class ReviewLoaded(Message):
    """A call and its review state, read from the store."""

    def __init__(self, review: "CallReview", cursor: int | None = None) -> None:
        super().__init__()
        self.review = review
        self.cursor = cursor


class TeamLoaded(Message):
    def __init__(self, calls: "list[Call]", source: str) -> None:
        super().__init__()
        self.calls = calls
        self.source = source


class ContextReady(Message):
    """The metrics and coaching points of a call."""

    def __init__(self, context: "CallContext") -> None:
        super().__init__()
        self.context = context


class RetrainProgress(Message):
    def __init__(self, done: int, total: int, text: str) -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.text = text


class RetrainDone(Message):
    def __init__(self, result: "RetrainResult") -> None:
        super().__init__()
        self.result = result


class ModelKept(Message):
    def __init__(self, model: "Model", path: "Path") -> None:
        super().__init__()
        self.model = model
        self.path = path


class Exported(Message):
    def __init__(self, path: "Path") -> None:
        super().__init__()
        self.path = path


class CallsListed(Message):
    """The library's rows, read from the store."""

    def __init__(self, calls: list) -> None:
        super().__init__()
        self.calls = calls


class QueueLoaded(Message):
    """The queue's items, and the review of the call of the first one when it was not known."""

    def __init__(self, items: list, reviews: dict) -> None:
        super().__init__()
        self.items = items
        self.reviews = reviews


class PlanReady(Message):
    """A plan's coaching (:class:`callreview.plan_coach.PlanCoaching`) is computed."""

    def __init__(self, coaching, asked: int) -> None:
        super().__init__()
        self.coaching = coaching
        self.asked = asked
