"""The taxonomy: label names and the few meanings the metrics need.

Labels are data. The default taxonomy ships as ``data/taxonomy.json``; a team with its
own labels supplies its own file (same keys) and nothing else changes. The only place
that knows what a label *means* (is it a question? an objection?) is the ``meaning``
mapping, so code asks ``taxonomy.is_("seller_question", label)`` rather than comparing
label strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from .errors import InputError


@dataclass(frozen=True)
class Taxonomy:
    name: str
    behaviors: tuple[str, ...]
    stages: tuple[str, ...]
    outcomes: tuple[str, ...]
    success_outcomes: frozenset[str]
    seller_behaviors: frozenset[str] = frozenset()
    buyer_behaviors: frozenset[str] = frozenset()
    meaning: Mapping[str, Any] = field(default_factory=dict)

    def labels(self, meaning: str) -> frozenset[str]:
        """The labels that carry a meaning ("seller_question", "buyer_objection", ...)."""
        value = self.meaning.get(meaning, ())
        return frozenset(value.keys() if isinstance(value, Mapping) else value)

    def is_(self, meaning: str, label: str | None) -> bool:
        return label is not None and label in self.labels(meaning)

    def question_type(self, label: str | None) -> str | None:
        return self.meaning.get("question_type", {}).get(label) if label else None

    def is_success(self, outcome: str | None) -> bool | None:
        """True for a successful outcome, False for another known one, None if unknown."""
        if not outcome:
            return None
        return outcome in self.success_outcomes

    @classmethod
    def from_json(cls, data: Mapping[str, Any], source: str = "<taxonomy>") -> "Taxonomy":
        try:
            return cls(
                name=str(data.get("name", "custom")),
                behaviors=tuple(data.get("behaviors", ())),
                stages=tuple(data.get("stages", ())),
                outcomes=tuple(data.get("outcomes", ())),
                success_outcomes=frozenset(data.get("success_outcomes", ())),
                seller_behaviors=frozenset(data.get("seller_behaviors", ())),
                buyer_behaviors=frozenset(data.get("buyer_behaviors", ())),
                meaning=dict(data.get("meaning", {})),
            )
        except TypeError as exc:
            raise InputError(f"taxonomy file is malformed: {exc}", path=source) from None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "behaviors": list(self.behaviors),
            "stages": list(self.stages),
            "outcomes": list(self.outcomes),
            "success_outcomes": sorted(self.success_outcomes),
            "seller_behaviors": sorted(self.seller_behaviors),
            "buyer_behaviors": sorted(self.buyer_behaviors),
            "meaning": dict(self.meaning),
        }


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    text = resources.files("callreview").joinpath("data/taxonomy.json").read_text(encoding="utf-8")
    return Taxonomy.from_json(json.loads(text), "callreview/data/taxonomy.json")


def load_taxonomy(path: str | Path | None) -> Taxonomy:
    """A taxonomy file, or the default one when ``path`` is None."""
    if path is None:
        return default_taxonomy()
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read taxonomy: {exc.strerror or exc}", path=str(p)) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"taxonomy is not valid JSON ({exc.msg})", path=str(p), line=exc.lineno) from None
    return Taxonomy.from_json(data, str(p))
