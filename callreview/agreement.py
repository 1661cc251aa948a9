"""How much reviewers agree on labels: raw agreement, Cohen's kappa, Krippendorff's alpha.

Input is plain data, independent of where the labels are kept: for one task,
``{reviewer: {item: label}}`` where an item is anything hashable (the store uses
``(call_id, passage index)``) and a label of None means the reviewer gave none (a
skip); such items count as not labeled by that reviewer. Only items someone labeled
are counted.

- **raw**: of all pairs of labels two different reviewers gave the same item, the
  share that are equal.
- **kappa** (Cohen): two reviewers, over the items both labeled; chance agreement
  from each reviewer's own label frequencies. Reported only for exactly two reviewers.
- **alpha** (Krippendorff, nominal): any number of reviewers, missing labels allowed;
  computed from the coincidence matrix of the items with at least two labels.

A statistic is None when it is undefined (fewer than two labels to compare, or all
labels the same so chance agreement is total). Pure Python, no heavy imports.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from typing import Hashable, Mapping

#: reviewer -> item -> label (None: no label)
TaskRatings = Mapping[str, Mapping[Hashable, "str | None"]]


@dataclass(frozen=True)
class Agreement:
    #: reviewers who labeled at least one item
    reviewers: tuple[str, ...]
    #: items labeled by at least one reviewer
    n_items: int
    #: items labeled by at least two reviewers (the ones agreement is measured on)
    n_compared: int
    #: labels given per reviewer
    n_labels: Mapping[str, int] = field(default_factory=dict)
    raw: float | None = None
    kappa: float | None = None
    alpha: float | None = None

    def to_json(self) -> dict:
        return {"reviewers": list(self.reviewers), "n_items": self.n_items, "n_compared": self.n_compared,
                "n_labels": dict(self.n_labels), "raw": self.raw, "kappa": self.kappa, "alpha": self.alpha}


def _units(ratings: TaskRatings) -> dict[Hashable, list[str]]:
    units: dict[Hashable, list[str]] = {}
    for reviewer in sorted(ratings):
        for item, label in ratings[reviewer].items():
            if label is not None:
                units.setdefault(item, []).append(label)
    return units


def raw_agreement(ratings: TaskRatings) -> float | None:
    """Share of equal label pairs among all pairs given to the same item by two reviewers."""
    agree = total = 0
    for labels in _units(ratings).values():
        for a, b in combinations(labels, 2):
            total += 1
            agree += a == b
    return agree / total if total else None


def cohen_kappa(a: Mapping[Hashable, str | None], b: Mapping[Hashable, str | None]) -> float | None:
    """Cohen's kappa of two reviewers over the items both labeled."""
    items = [i for i in a if a[i] is not None and b.get(i) is not None]
    n = len(items)
    if n == 0:
        return None
    observed = sum(a[i] == b[i] for i in items) / n
    ca, cb = Counter(a[i] for i in items), Counter(b[i] for i in items)
    expected = sum(ca[label] * cb[label] for label in ca) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha_nominal(ratings: TaskRatings) -> float | None:
    """Krippendorff's alpha for nominal labels, any number of reviewers, missing allowed."""
    coincidence: Counter[tuple[str, str]] = Counter()
    for labels in _units(ratings).values():
        m = len(labels)
        if m < 2:
            continue
        for i, c in enumerate(labels):
            for j, k in enumerate(labels):
                if i != j:
                    coincidence[(c, k)] += 1.0 / (m - 1)
    n_c: Counter[str] = Counter()
    for (c, _k), v in coincidence.items():
        n_c[c] += v
    n = sum(n_c.values())
    if n <= 1:
        return None
    disagree_observed = sum(v for (c, k), v in coincidence.items() if c != k)
    disagree_expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k)
    if disagree_expected == 0:
        return None
    return 1.0 - (n - 1) * disagree_observed / disagree_expected


def agreement(ratings: TaskRatings) -> Agreement:
    """All the agreement figures for one task."""
    labeled = {r: {i: v for i, v in items.items() if v is not None} for r, items in ratings.items()}
    labeled = {r: items for r, items in labeled.items() if items}
    reviewers = tuple(sorted(labeled))
    units = _units(labeled)
    kappa = cohen_kappa(labeled[reviewers[0]], labeled[reviewers[1]]) if len(reviewers) == 2 else None
    return Agreement(
        reviewers=reviewers,
        n_items=len(units),
        n_compared=sum(len(v) >= 2 for v in units.values()),
        n_labels={r: len(labeled[r]) for r in reviewers},
        raw=raw_agreement(labeled),
        kappa=kappa,
        alpha=krippendorff_alpha_nominal(labeled),
    )


def agreement_by_task(ratings: Mapping[str, TaskRatings]) -> dict[str, Agreement]:
    """``{task: {reviewer: {item: label}}}`` (e.g. ``Store.decisions_by_reviewer()``) to figures per task."""
    return {task: agreement(r) for task, r in sorted(ratings.items())}
