"""Behaviors in the context of the outcome, across calls.

* :func:`compare_outcomes` - each behavior's rate per call (per 100 labeled passages),
  successful calls (the taxonomy's ``success_outcomes``) against the rest: mean per group,
  the difference with a seeded bootstrap confidence interval, and the calls per group.
  Under ``min_calls`` calls in a group the comparison says "too few calls to compare"
  (``None`` / null) instead of a number.
* :func:`compare_sellers` - the same per seller: each seller's calls against the team's
  successful calls.
* :func:`coach` - one call against the team: the behaviors outside the range of the team's
  successful calls, unanswered objections and a missing commitment request, ranked so the
  first point is the one most worth a manager's minute, each with the passages that are
  its evidence.

Labels are whatever the calls carry (a labeled corpus, a reviewed call, a model's output);
the meanings needed (objection, commitment request, ...) come from the taxonomy. These are
correlations in the team's own calls, not causes: a manager reads them as questions to ask.
numpy is imported inside the functions that need it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from .metrics import objections
from .vocabulary import counted, display, noun, ranges
from .records import Call, Passage
from .taxonomy import Taxonomy, default_taxonomy

TOO_FEW = "too few calls to compare"
DEFAULT_MIN_CALLS = 5
DEFAULT_BOOT = 2000
UNKNOWN_SELLER = "(unknown seller)"


# --------------------------------------------------------------------------- per call rates


def labeled_passages(call: Call) -> int:
    return sum(1 for p in call.passages if p.behavior)


def behavior_counts(call: Call) -> Counter[str]:
    """How many passages carry each behavior label."""
    return Counter(p.behavior for p in call.passages if p.behavior)


def behavior_rates(call: Call, labels: Iterable[str] | None = None) -> dict[str, float]:
    """Each behavior's rate in the call, per 100 labeled passages (0 for absent labels)."""
    n = labeled_passages(call)
    counts = behavior_counts(call)
    keys = list(labels) if labels is not None else list(counts)
    if not n:
        return {k: 0.0 for k in keys}
    return {k: 100.0 * counts.get(k, 0) / n for k in keys}


def seller_of(call: Call) -> str | None:
    """The seller being coached: the call's seller, else the seller-side speakers."""
    if call.seller:
        return call.seller
    names = [s for s, r in call.roles.items() if r == "seller"]
    return "; ".join(names) if names else None


def _label_order(labels: Iterable[str], taxonomy: Taxonomy) -> list[str]:
    order = {lab: i for i, lab in enumerate(taxonomy.behaviors)}
    return sorted(set(labels), key=lambda lab: (order.get(lab, len(order)), lab))


# --------------------------------------------------------------------------- splitting


@dataclass(frozen=True)
class Split:
    """Calls sorted into successful, other and excluded (with the reason)."""

    success: tuple[Call, ...]
    other: tuple[Call, ...]
    excluded: Mapping[str, int]

    @property
    def n_excluded(self) -> int:
        return sum(self.excluded.values())


def split_by_outcome(calls: Iterable[Call], taxonomy: Taxonomy | None = None) -> Split:
    """Successful vs other calls; calls with no outcome, an outcome the taxonomy does not
    know, or no behavior labels are excluded and counted."""
    tax = taxonomy or default_taxonomy()
    success: list[Call] = []
    other: list[Call] = []
    excluded: Counter[str] = Counter()
    for c in calls:
        if not c.outcome:
            excluded["no outcome"] += 1
        elif tax.outcomes and c.outcome not in tax.outcomes:
            excluded[f"outcome not in taxonomy ({c.outcome})"] += 1
        elif not labeled_passages(c):
            excluded["no behavior labels"] += 1
        elif tax.is_success(c.outcome):
            success.append(c)
        else:
            other.append(c)
    return Split(tuple(success), tuple(other), dict(excluded))


# --------------------------------------------------------------------------- statistics


def _matrix(calls: Sequence[Call], labels: Sequence[str]):
    import numpy as np

    m = np.zeros((len(calls), len(labels)), dtype=float)
    col = {lab: j for j, lab in enumerate(labels)}
    for i, c in enumerate(calls):
        n = labeled_passages(c)
        if not n:
            continue
        for lab, k in behavior_counts(c).items():
            j = col.get(lab)
            if j is not None:
                m[i, j] = 100.0 * k / n
    return m


def _boot_means(x, rng, n_boot: int):
    """Column means of ``n_boot`` resamples (with replacement) of the rows of ``x``."""
    import numpy as np

    n = x.shape[0]
    w = rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot)  # (n_boot, n) resample counts
    return (w @ x) / n


def bootstrap_diff(a, b, *, n_boot: int = DEFAULT_BOOT, seed: int = 0, confidence: float = 0.95,
                   b_boot=None):
    """Mean of ``a`` minus mean of ``b`` per column, with a percentile bootstrap interval.

    ``a`` and ``b`` are (calls x labels) arrays; each group is resampled with replacement
    on its own (calls are the unit). Deterministic for a given seed. ``b_boot`` may pass
    resampled means of ``b`` already drawn (to compare many groups with one reference).
    Returns three arrays: diff, low, high.
    """
    import numpy as np

    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    rng = np.random.default_rng(seed)
    diff = a.mean(axis=0) - b.mean(axis=0)
    a_boot = _boot_means(a, rng, n_boot)
    if b_boot is None:
        b_boot = _boot_means(b, rng, n_boot)
    d = a_boot - b_boot
    alpha = (1.0 - confidence) / 2.0
    low, high = np.quantile(d, [alpha, 1.0 - alpha], axis=0)
    return diff, low, high


def _f(x) -> float | None:
    return None if x is None else round(float(x), 4)


# --------------------------------------------------------------------------- across calls


@dataclass(frozen=True)
class BehaviorComparison:
    """One behavior: successful calls against the others (rates per 100 passages)."""

    label: str
    success_mean: float | None
    other_mean: float | None
    #: success minus other, with its bootstrap interval; None when too few calls
    diff: float | None
    ci_low: float | None
    ci_high: float | None
    n_success: int
    n_other: int

    @property
    def compared(self) -> bool:
        return self.diff is not None

    @property
    def excludes_zero(self) -> bool:
        return self.compared and (self.ci_low > 0 or self.ci_high < 0)  # type: ignore[operator]

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "success_mean": _f(self.success_mean), "other_mean": _f(self.other_mean),
                "diff": _f(self.diff), "ci_low": _f(self.ci_low), "ci_high": _f(self.ci_high),
                "n_success": self.n_success, "n_other": self.n_other,
                "note": None if self.compared else TOO_FEW}


@dataclass(frozen=True)
class OutcomeReport:
    """What separates successful calls from the rest, behavior by behavior."""

    n_success: int
    n_other: int
    excluded: Mapping[str, int]
    behaviors: tuple[BehaviorComparison, ...]
    min_calls: int
    confidence: float
    n_boot: int
    seed: int
    success_outcomes: tuple[str, ...]
    unit: str = "per 100 passages"

    @property
    def n_excluded(self) -> int:
        return sum(self.excluded.values())

    @property
    def compared(self) -> bool:
        return self.n_success >= self.min_calls and self.n_other >= self.min_calls

    @property
    def note(self) -> str | None:
        if self.compared:
            return None
        return (f"{TOO_FEW}: {self.n_success} successful and {self.n_other} other calls; "
                f"at least {self.min_calls} in each group are needed")

    def by_difference(self) -> list[BehaviorComparison]:
        """Largest |difference| first; behaviors that could not be compared last."""
        return sorted(self.behaviors, key=lambda b: (b.diff is None, -abs(b.diff or 0.0), b.label))

    def get(self, label: str) -> BehaviorComparison | None:
        return next((b for b in self.behaviors if b.label == label), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "n_success": self.n_success,
            "n_other": self.n_other,
            "n_excluded": self.n_excluded,
            "excluded": dict(self.excluded),
            "success_outcomes": list(self.success_outcomes),
            "unit": self.unit,
            "min_calls": self.min_calls,
            "confidence": self.confidence,
            "bootstrap": {"resamples": self.n_boot, "seed": self.seed},
            "note": self.note,
            "behaviors": [b.to_json() for b in self.by_difference()],
        }


def compare_outcomes(calls: Iterable[Call], taxonomy: Taxonomy | None = None, *,
                     min_calls: int = DEFAULT_MIN_CALLS, n_boot: int = DEFAULT_BOOT, seed: int = 0,
                     confidence: float = 0.95, labels: Sequence[str] | None = None) -> OutcomeReport:
    """Each behavior's rate per call, successful calls against the others.

    The difference is success minus other, in rates per 100 labeled passages, with a
    percentile bootstrap interval (calls resampled within each group; ``seed`` makes it
    repeatable). With fewer than ``min_calls`` calls in either group every comparison is
    None ("too few calls to compare").
    """
    if min_calls < 1:
        raise ValueError("min_calls must be at least 1")
    tax = taxonomy or default_taxonomy()
    split = split_by_outcome(calls, tax)
    labs = list(labels) if labels is not None else _label_order(
        (p.behavior for c in split.success + split.other for p in c.passages if p.behavior), tax)
    ns, no = len(split.success), len(split.other)
    rows: list[BehaviorComparison] = []
    enough = ns >= min_calls and no >= min_calls
    if enough and labs:
        s = _matrix(split.success, labs)
        o = _matrix(split.other, labs)
        diff, low, high = bootstrap_diff(s, o, n_boot=n_boot, seed=seed, confidence=confidence)
        sm, om = s.mean(axis=0), o.mean(axis=0)
        for j, lab in enumerate(labs):
            rows.append(BehaviorComparison(lab, float(sm[j]), float(om[j]), float(diff[j]),
                                           float(low[j]), float(high[j]), ns, no))
    else:
        rows = [BehaviorComparison(lab, None, None, None, None, None, ns, no) for lab in labs]
    return OutcomeReport(ns, no, split.excluded, tuple(rows), min_calls, confidence, n_boot, seed,
                         tuple(sorted(tax.success_outcomes)))


# --------------------------------------------------------------------------- by seller


@dataclass(frozen=True)
class SellerBehavior:
    """One behavior of one seller, against the team's successful calls."""

    label: str
    seller_mean: float | None
    team_success_mean: float | None
    #: seller minus team's successful calls, with its bootstrap interval
    diff: float | None
    ci_low: float | None
    ci_high: float | None

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "seller_mean": _f(self.seller_mean),
                "team_success_mean": _f(self.team_success_mean), "diff": _f(self.diff),
                "ci_low": _f(self.ci_low), "ci_high": _f(self.ci_high),
                "note": None if self.diff is not None else TOO_FEW}


@dataclass(frozen=True)
class SellerProfile:
    seller: str
    n_calls: int
    n_success: int
    behaviors: tuple[SellerBehavior, ...]

    @property
    def success_rate(self) -> float | None:
        return self.n_success / self.n_calls if self.n_calls else None

    def by_difference(self) -> list[SellerBehavior]:
        return sorted(self.behaviors, key=lambda b: (b.diff is None, -abs(b.diff or 0.0), b.label))

    def to_json(self) -> dict[str, Any]:
        return {"seller": self.seller, "n_calls": self.n_calls, "n_success": self.n_success,
                "success_rate": _f(self.success_rate), "behaviors": [b.to_json() for b in self.by_difference()]}


@dataclass(frozen=True)
class SellerReport:
    n_team_success: int
    excluded: Mapping[str, int]
    sellers: tuple[SellerProfile, ...]
    min_calls: int
    confidence: float
    n_boot: int
    seed: int
    unit: str = "per 100 passages"

    def to_json(self) -> dict[str, Any]:
        return {"n_team_success": self.n_team_success, "excluded": dict(self.excluded),
                "n_excluded": sum(self.excluded.values()), "unit": self.unit, "min_calls": self.min_calls,
                "confidence": self.confidence, "bootstrap": {"resamples": self.n_boot, "seed": self.seed},
                "sellers": [s.to_json() for s in self.sellers]}


def compare_sellers(calls: Iterable[Call], taxonomy: Taxonomy | None = None, *,
                    min_calls: int = DEFAULT_MIN_CALLS, n_boot: int = DEFAULT_BOOT, seed: int = 0,
                    confidence: float = 0.95) -> SellerReport:
    """Each seller's mean behavior rates against the team's successful calls.

    A seller's calls are all their calls with an outcome (the team's successful calls
    include the seller's own). Under ``min_calls`` calls for the seller, or successful
    calls in the team, the comparison is None.
    """
    tax = taxonomy or default_taxonomy()
    split = split_by_outcome(calls, tax)
    team = split.success + split.other
    labs = _label_order((p.behavior for c in team for p in c.passages if p.behavior), tax)
    by_seller: dict[str, list[Call]] = defaultdict(list)
    for c in team:
        by_seller[seller_of(c) or UNKNOWN_SELLER].append(c)
    succ = _matrix(split.success, labs) if labs else None
    succ_boot = None
    if labs and len(split.success) >= min_calls:
        import numpy as np

        # the team's successful calls are resampled once and shared by every seller
        succ_boot = _boot_means(succ, np.random.default_rng(seed), n_boot)
    profiles = []
    for k, (name, cs) in enumerate(sorted(by_seller.items())):
        m = _matrix(cs, labs) if labs else None
        n_ok = sum(1 for c in cs if tax.is_success(c.outcome))
        rows = []
        if labs and len(cs) >= min_calls and len(split.success) >= min_calls:
            diff, low, high = bootstrap_diff(m, succ, n_boot=n_boot, seed=seed + 1 + k, confidence=confidence,
                                             b_boot=succ_boot)
            for j, lab in enumerate(labs):
                rows.append(SellerBehavior(lab, float(m[:, j].mean()), float(succ[:, j].mean()),
                                           float(diff[j]), float(low[j]), float(high[j])))
        else:
            for j, lab in enumerate(labs):
                rows.append(SellerBehavior(lab, None, None, None, None, None))
        profiles.append(SellerProfile(name, len(cs), n_ok, tuple(rows)))
    return SellerReport(len(split.success), split.excluded, tuple(profiles), min_calls, confidence, n_boot, seed)


# --------------------------------------------------------------------------- one call


UNANSWERED_OBJECTION = "unanswered_objection"
NO_COMMITMENT_REQUEST = "no_commitment_request"
BELOW_RANGE = "below_successful_range"
ABOVE_RANGE = "above_successful_range"

#: a point resting on single passages is a verdict only when the labels it rests on are at
#: least this sure (the model's calibrated probability); otherwise it is something to check.
#: This and RATE_MARGIN_SD were chosen on a training writer held out of a model's training
#: (coaching agreement with that writer's true labels), never on corpora/heldout.
SURE = 0.9
#: distance outside the successful range counts up to this many interquartile ranges
MAX_DISTANCE = 3.0
#: a rate point is a finding when the call's count, as the model's confidences spread it
#: (its expected value give or take this many standard deviations), is outside the range
RATE_MARGIN_SD = 2.0


@dataclass(frozen=True)
class CoachingPoint:
    """One thing worth a manager's attention in a call, with its evidence.

    ``sure`` is False for a point to check: the labels it rests on are not sure enough to
    state it as a finding (``certainty`` says how sure they are)."""

    kind: str
    message: str
    #: indices of the passages that are the evidence (or where the behavior should have been)
    passages: tuple[int, ...]
    score: float
    label: str | None = None
    #: the call's rate (per 100 passages) and count, when the point is about a behavior rate
    value: float | None = None
    count: int | None = None
    success_mean: float | None = None
    success_p25: float | None = None
    success_p75: float | None = None
    success_mean_count: float | None = None
    n_success: int | None = None
    team_diff: float | None = None
    #: True when the passages mark where the behavior was missing, not where it happened
    absent: bool = False
    sure: bool = True
    #: how sure the labels the point rests on are (1.0 for labels a person gave)
    certainty: float = 1.0
    #: the team difference's interval (success - other, per 100 passages) and group sizes
    ci_low: float | None = None
    ci_high: float | None = None
    n_other: int | None = None
    #: the successful calls' middle half, in passages at this call's length
    range_low: float | None = None
    range_high: float | None = None
    expected_count: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label, "message": self.message,
                "passages": list(self.passages), "absent": self.absent, "sure": self.sure,
                "certainty": round(self.certainty, 4), "score": round(self.score, 4),
                "value": _f(self.value), "count": self.count, "expected_count": _f(self.expected_count),
                "range_low": _f(self.range_low), "range_high": _f(self.range_high),
                "success_mean": _f(self.success_mean),
                "success_p25": _f(self.success_p25), "success_p75": _f(self.success_p75),
                "success_mean_count": _f(self.success_mean_count), "n_success": self.n_success,
                "n_other": self.n_other, "team_diff": _f(self.team_diff),
                "ci_low": _f(self.ci_low), "ci_high": _f(self.ci_high)}


@dataclass(frozen=True)
class CoachingContext:
    call_id: str
    outcome: str | None
    n_team_success: int
    n_team_other: int
    #: verdicts first (best first), then the points to check
    points: tuple[CoachingPoint, ...]
    notes: tuple[str, ...] = ()
    title: str | None = None

    @property
    def verdicts(self) -> tuple[CoachingPoint, ...]:
        return tuple(p for p in self.points if p.sure)

    @property
    def checks(self) -> tuple[CoachingPoint, ...]:
        return tuple(p for p in self.points if not p.sure)

    def to_json(self) -> dict[str, Any]:
        return {"call_id": self.call_id, "title": self.title, "outcome": self.outcome,
                "n_team_success": self.n_team_success, "n_team_other": self.n_team_other,
                "ranking": RANKING, "notes": list(self.notes), "points": [p.to_json() for p in self.points]}


def _tier(p: "CoachingPoint") -> int:
    """0: unanswered objections; 1: no commitment request; 2: behavior rates (all verdicts);
    3: points to check."""
    if not p.sure:
        return 3
    return {UNANSWERED_OBJECTION: 0, NO_COMMITMENT_REQUEST: 1}.get(p.kind, 2)


RANKING = (
    "Verdicts first, then points to check. A point resting on single passages (an objection the "
    f"seller's next turn did not answer; no commitment request in the call) is a verdict when the labels "
    f"it rests on are at least {SURE:.0%} sure, else a point to check, most sure first. A behavior-rate "
    "point appears only where the team's successful calls differ from the others with a 95% bootstrap "
    "interval that excludes zero, and only in that direction (fewer than the successful calls' middle "
    "half of a behavior they have more of, or more of one they have less of); it is a verdict when the "
    "call is outside that range both by its labels and by the labels' expected count give or take two "
    "standard deviations (the model's confidences spread over the passages), and it is ranked "
    "by the team difference times the distance outside the range (in interquartile ranges, up to 3), "
    "halved for buyer behaviors (not directly coachable)."
)


def label_probability(p: Passage, labels: frozenset[str] | set[str]) -> float:
    """How sure the labels are that ``p`` is one of ``labels``: the model's probability where
    it labeled the passage, 1 or 0 for a label a person gave. A label the model did not list
    among its top three gets the most it could have (the smallest listed probability)."""
    pred = p.predictions.get("behavior")
    if pred is None or (p.behavior is not None and p.behavior != pred.label):
        return 1.0 if p.behavior in labels else 0.0
    probs = {pred.label: pred.probability, **dict(pred.alternatives)}
    total = sum(v for k, v in probs.items() if k in labels)
    if any(lab not in probs for lab in labels):
        total += min(min(probs.values()), max(0.0, 1.0 - sum(probs.values())))
    return min(1.0, total)


def _usual_place(team: Sequence[Call]) -> tuple[dict[str, str], dict[str, float]]:
    """Where each behavior usually happens in these calls: its most common stage, and its
    median position in the call (0 = first passage, 1 = last)."""
    stages: dict[str, Counter[str]] = defaultdict(Counter)
    positions: dict[str, list[float]] = defaultdict(list)
    for c in team:
        n = len(c.passages)
        for p in c.passages:
            if p.behavior:
                positions[p.behavior].append(p.index / max(n - 1, 1))
                if p.stage:
                    stages[p.behavior][p.stage] += 1
    stage = {lab: cnt.most_common(1)[0][0] for lab, cnt in stages.items()}
    pos = {lab: sorted(v)[len(v) // 2] for lab, v in positions.items()}
    return stage, pos


def _where_missing(call: Call, label: str, usual_stage: Mapping[str, str],
                   usual_pos: Mapping[str, float]) -> tuple[tuple[int, ...], str]:
    """The passages where a missing behavior would usually have been, and how they were found:
    this call's passages in the stage where the behavior usually happens, else the three
    passages around its usual position in the call."""
    stage = usual_stage.get(label)
    if stage:
        idx = tuple(p.index for p in call.passages if p.stage == stage)
        if idx:
            return idx, f"they usually come in the {display(stage).lower()} stage (passages {ranges(idx)} here)"
    pos = usual_pos.get(label)
    if pos is None or not call.passages:
        return (), ""
    n = len(call.passages)
    centre = round(pos * (n - 1))
    lo = max(0, min(centre - 1, n - 3))
    idx = tuple(p.index for p in call.passages[lo:lo + 3])
    return idx, f"they usually come {pos:.0%} of the way into a call (passages {ranges(idx)} here)"


def _span(lo: float, hi: float) -> str:
    """The successful calls' middle half in whole passages: '3 to 5', 'about 2'."""
    a, b = math.ceil(lo - 1e-9), math.floor(hi + 1e-9)
    if a > b:
        return f"about {round((lo + hi) / 2)}"
    return str(a) if a == b else f"{a} to {b}"


def _objection_points(call: Call, tax: Taxonomy) -> list[CoachingPoint]:
    obj, resp = tax.labels("buyer_objection"), tax.labels("objection_response")
    by_index = {p.index: p for p in call.passages}
    out = []
    for o in objections(call, tax):
        if o.answered:
            continue
        sure_obj = label_probability(by_index[o.index], obj)
        sure_none = math.prod(1.0 - label_probability(by_index[j], resp) for j in o.checked)
        certainty = sure_obj * sure_none
        if certainty >= SURE:
            msg = (f"The buyer objected at {o.where} (\"{o.text}\") and the seller's next turn did not "
                   "answer it.")
        else:
            msg = (f"Check {o.where}: the buyer may have objected (\"{o.text}\") without an answer in the "
                   f"seller's next turn; the labels are {certainty:.0%} sure of it.")
        out.append(CoachingPoint(UNANSWERED_OBJECTION, msg, (o.index, *o.checked[:2]), certainty,
                                 sure=certainty >= SURE, certainty=certainty))
    return out


def _commitment_point(call: Call, tax: Taxonomy, success: Sequence[Call]) -> CoachingPoint | None:
    req = tax.labels("commitment_request")
    if not req or any(p.behavior in req for p in call.passages):
        return None
    seller = [p for p in call.passages if p.role != "buyer"]
    chances = sorted(((label_probability(p, req), p.index) for p in seller), reverse=True)
    certainty = math.prod(1.0 - c for c, _ in chances)
    with_req = sum(1 for c in success if any(p.behavior in req for p in c.passages))
    team = f"; {with_req} of the team's {len(success)} successful calls asked for one" if success else ""
    name = noun(next(iter(sorted(req))), 1)
    if certainty >= SURE:
        return CoachingPoint(NO_COMMITMENT_REQUEST, f"The call ended without a {name} (a next step or the "
                             f"order){team}.", tuple(p.index for p in call.passages[-3:]), certainty,
                             absent=True, n_success=len(success), certainty=certainty)
    likely = tuple(sorted(i for c, i in chances[:3] if c >= 0.1)) or tuple(p.index for p in call.passages[-3:])
    return CoachingPoint(NO_COMMITMENT_REQUEST, f"Check whether the seller asked for a next step: no passage "
                         f"is labeled a {name}, but passage{'s' if len(likely) > 1 else ''} {ranges(likely)} may "
                         f"be one{team}.", likely, certainty, absent=True, n_success=len(success), sure=False,
                         certainty=certainty)


def coach(call: Call, team: Iterable[Call], taxonomy: Taxonomy | None = None, *,
          min_calls: int = DEFAULT_MIN_CALLS, low_pct: float = 25.0, high_pct: float = 75.0,
          n_boot: int = DEFAULT_BOOT, seed: int = 0) -> CoachingContext:
    """The coaching context of one call against the team's calls, best point first.

    The ranking is :data:`RANKING`. The team is every call in ``team`` with an outcome and
    labels, except the coached call itself (same call_id). Behavior-rate points need at
    least ``min_calls`` successful and ``min_calls`` other calls in the team.
    """
    import numpy as np

    tax = taxonomy or default_taxonomy()
    team_calls = [c for c in team if c.call_id != call.call_id]
    split = split_by_outcome(team_calls, tax)
    notes: list[str] = []
    points: list[CoachingPoint] = []
    labeled = labeled_passages(call) > 0
    if not labeled:
        notes.append("the call has no behavior labels: annotate it with a model first")
    if labeled and tax.labels("buyer_objection"):
        points += _objection_points(call, tax)
    if labeled and (cp := _commitment_point(call, tax, split.success)) is not None:
        points.append(cp)

    ns, no = len(split.success), len(split.other)
    if labeled and (ns < min_calls or no < min_calls):
        notes.append(f"{TOO_FEW}: {ns} successful and {no} other calls in the team, at least {min_calls} "
                     "of each are needed to compare behavior rates")
    elif labeled:
        labs = _label_order({p.behavior for c in split.success + split.other for p in c.passages if p.behavior}
                            | {p.behavior for p in call.passages if p.behavior}, tax)
        s = _matrix(split.success, labs)
        o = _matrix(split.other, labs)
        diff, low, high = bootstrap_diff(s, o, n_boot=n_boot, seed=seed)
        n = labeled_passages(call)
        my_counts = behavior_counts(call)
        usual_stage, usual_pos = _usual_place(split.success)
        p25 = np.percentile(s, low_pct, axis=0)
        p75 = np.percentile(s, high_pct, axis=0)
        counts_s = np.array([[behavior_counts(c).get(lab, 0) for lab in labs] for c in split.success], float)
        for j, lab in enumerate(labs):
            more, fewer = bool(low[j] > 0), bool(high[j] < 0)  # what the team's successful calls do
            lo, hi = float(p25[j]) * n / 100.0, float(p75[j]) * n / 100.0
            count = my_counts.get(lab, 0)
            below = more and count < lo
            if not (below or (fewer and count > hi)):
                continue
            probs = [label_probability(p, {lab}) for p in call.passages]
            expected = sum(probs)
            spread = RATE_MARGIN_SD * math.sqrt(sum(q * (1.0 - q) for q in probs))
            sure = expected + spread < lo if below else expected - spread > hi
            iqr = max(hi - lo, 1.0)
            dist = min((lo - count) / iqr if below else (count - hi) / iqr, MAX_DISTANCE)
            score = abs(float(diff[j])) * dist
            if tax.seller_behaviors and lab not in tax.seller_behaviors:
                score *= 0.5
            idx = tuple(p.index for p in call.passages if p.behavior == lab)
            absent, where_txt = False, ""
            if not idx:
                (idx, where_txt), absent = _where_missing(call, lab, usual_stage, usual_pos), True
            msg = (f"{counted(lab, count).capitalize()}; at this call's length the team's successful calls "
                   f"have {_span(lo, hi)}.")
            if where_txt:
                msg = msg[:-1] + f"; {where_txt}."
            if not sure:
                msg = (f"Check the {noun(lab, 2)}: {msg[0].lower()}{msg[1:-1]}; counted by the model's "
                       f"confidence it is about {expected:.1f}.")
            points.append(CoachingPoint(
                BELOW_RANGE if below else ABOVE_RANGE, msg, idx, score, lab, 100.0 * count / n if n else 0.0,
                count, float(s[:, j].mean()), float(p25[j]), float(p75[j]), float(counts_s[:, j].mean()), ns,
                float(diff[j]), absent, sure, 1.0 if sure else 0.5, float(low[j]), float(high[j]), no, lo, hi,
                expected))
    points.sort(key=lambda p: (_tier(p), -p.score, p.passages[0] if p.passages else 0))
    return CoachingContext(call.call_id, call.outcome, ns, no, tuple(points), tuple(notes), call.title)


__all__ = [
    "TOO_FEW", "behavior_counts", "behavior_rates", "seller_of", "split_by_outcome", "Split",
    "bootstrap_diff", "BehaviorComparison", "OutcomeReport", "compare_outcomes", "SellerBehavior",
    "SellerProfile", "SellerReport", "compare_sellers", "CoachingPoint", "CoachingContext", "coach",
    "RANKING", "SURE", "label_probability", "UNANSWERED_OBJECTION", "NO_COMMITMENT_REQUEST", "BELOW_RANGE", "ABOVE_RANGE",
]
