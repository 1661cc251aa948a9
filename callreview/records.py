"""The domain types: Call, Passage, Prediction.

They are immutable (frozen dataclasses); change one with :func:`dataclasses.replace`
or the ``with_*`` helpers. Label values are plain strings: the default taxonomy is
data (see ``callreview.taxonomy``), never hard-wired here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Iterable, Mapping

ROLES = ("seller", "buyer", "other")
KINDS = ("transcript", "notes", "plan")
#: the plan activities of the plan guide (shared/plan-guide.md); a plan's ``activity``
ACTIVITIES = ("call", "opportunity", "account", "territory")
TASKS = ("behavior", "stage")


@dataclass(frozen=True, slots=True)
class Prediction:
    """What the model said about one passage for one task."""

    label: str
    probability: float
    #: the next most likely labels with their probabilities, best first
    alternatives: tuple[tuple[str, float], ...] = ()
    #: readable words and signals that pushed most toward ``label``
    explanation: tuple[str, ...] = ()
    #: id of the model that made it
    model_id: str | None = None

    @property
    def margin(self) -> float:
        """Probability gap to the runner-up: small means the model is unsure."""
        runner_up = self.alternatives[0][1] if self.alternatives else 0.0
        return self.probability - runner_up

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "label": self.label,
            "probability": round(self.probability, 4),
            "alternatives": [[lab, round(p, 4)] for lab, p in self.alternatives],
            "explanation": list(self.explanation),
        }
        if self.model_id:
            data["model_id"] = self.model_id
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Prediction":
        """Raises KeyError, TypeError or ValueError (never OverflowError) for bad data."""
        return cls(
            label=str(data["label"]),
            probability=_probability(data["probability"]),
            alternatives=tuple((str(a), _probability(p)) for a, p in data.get("alternatives", ())),
            explanation=tuple(str(e) for e in data.get("explanation", ())),
            model_id=data.get("model_id"),
        )


def _probability(value: Any) -> float:
    """A probability read from JSON: a number from 0 to 1, else ValueError (an integer
    of hundreds of digits too, which ``float`` turns into an OverflowError)."""
    try:
        p = float(value)
    except OverflowError:
        raise ValueError(f"probability {str(value)[:20]}... is not between 0 and 1") from None
    if not 0.0 <= p <= 1.0:  # also NaN
        raise ValueError(f"probability {p!r} is not between 0 and 1")
    return p


@dataclass(frozen=True, slots=True)
class Passage:
    """One speaker turn (or one line of call notes)."""

    index: int
    text: str
    speaker: str | None = None
    role: str | None = None
    start: float | None = None
    end: float | None = None
    behavior: str | None = None
    stage: str | None = None
    #: model output per task ("behavior", "stage"); empty when not annotated
    predictions: Mapping[str, Prediction] = field(default_factory=dict)
    #: fields this project does not know, kept for round trips
    extra: Mapping[str, Any] = field(default_factory=dict)

    def label(self, task: str) -> str | None:
        return getattr(self, task) if task in TASKS else self.extra.get(task)

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def duration(self) -> float | None:
        if self.start is None or self.end is None:
            return None
        return max(0.0, self.end - self.start)

    def relabeled(self, behavior: str | None, stage: str | None,
                  predictions: Mapping[str, Prediction]) -> "Passage":
        """A copy with these labels and predictions, every other field kept. What
        ``dataclasses.replace`` does, without inspecting the fields on each call:
        annotating a call makes one per passage (replace took a third of the time)."""
        kept = {name: getattr(self, name) for name in _PASSAGE_FIELDS}
        kept.update(behavior=behavior, stage=stage, predictions=predictions)
        return Passage(**kept)


_PASSAGE_FIELDS = tuple(f.name for f in fields(Passage))


@dataclass(frozen=True, slots=True)
class Call:
    """A call: its passages in order plus what is known about it."""

    call_id: str
    passages: tuple[Passage, ...]
    title: str | None = None
    kind: str = "transcript"
    outcome: str | None = None
    #: the seller being coached, when known (a header line or ``--seller``)
    seller: str | None = None
    #: where the call was read from
    source: str | None = None
    #: True when speaker roles were guessed by the heuristic rather than given
    roles_inferred: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.passages, tuple):
            object.__setattr__(self, "passages", tuple(self.passages))

    @property
    def is_plan(self) -> bool:
        """A seller's written plan (``kind == "plan"``) rather than a call."""
        return self.kind == "plan"

    @property
    def activity(self) -> str | None:
        """A plan's activity (``call``, ``opportunity``, ``account``, ``territory``), kept
        in the corpus field ``activity``; None for calls."""
        value = self.extra.get("activity")
        return value if isinstance(value, str) else None

    @property
    def speakers(self) -> list[str]:
        """Distinct speaker names in order of first appearance."""
        seen: dict[str, None] = {}
        for p in self.passages:
            if p.speaker:
                seen.setdefault(p.speaker, None)
        return list(seen)

    @property
    def roles(self) -> dict[str, str | None]:
        """Speaker name -> role, from the passages."""
        out: dict[str, str | None] = {}
        for p in self.passages:
            if p.speaker and p.speaker not in out:
                out[p.speaker] = p.role
        return out

    @property
    def has_times(self) -> bool:
        return any(p.start is not None for p in self.passages)

    def is_labeled(self, task: str) -> bool:
        return any(p.label(task) for p in self.passages)

    def with_passages(self, passages: Iterable[Passage]) -> "Call":
        return replace(self, passages=tuple(passages))

    def with_roles(self, roles: Mapping[str, str], *, inferred: bool = False) -> "Call":
        """Set each passage's role from a speaker -> role mapping."""
        return replace(
            self,
            passages=tuple(
                replace(p, role=roles.get(p.speaker, p.role)) if p.speaker else p
                for p in self.passages
            ),
            roles_inferred=inferred,
        )
