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

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from .metrics import _ranges, objections
from .records import Call
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

#: fixed scores of the points that come before any behavior-rate point (see :func:`coach`)
_SCORE_OBJECTION = 1000.0
_SCORE_COMMITMENT = 900.0
#: distance outside the successful range counts up to this many interquartile ranges
MAX_DISTANCE = 3.0


@dataclass(frozen=True)
class CoachingPoint:
    """One thing worth a manager's attention in a call, with its evidence."""

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

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label, "message": self.message,
                "passages": list(self.passages), "absent": self.absent, "score": round(self.score, 4),
                "value": _f(self.value), "count": self.count, "success_mean": _f(self.success_mean),
                "success_p25": _f(self.success_p25), "success_p75": _f(self.success_p75),
                "success_mean_count": _f(self.success_mean_count), "n_success": self.n_success,
                "team_diff": _f(self.team_diff)}


@dataclass(frozen=True)
class CoachingContext:
    call_id: str
    outcome: str | None
    n_team_success: int
    n_team_other: int
    points: tuple[CoachingPoint, ...]
    notes: tuple[str, ...] = ()
    title: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"call_id": self.call_id, "title": self.title, "outcome": self.outcome,
                "n_team_success": self.n_team_success, "n_team_other": self.n_team_other,
                "ranking": RANKING, "notes": list(self.notes), "points": [p.to_json() for p in self.points]}


def _tier(p: "CoachingPoint") -> int:
    """0: unanswered objections and a missing commitment request; 1: rates on the side of
    the unsuccessful calls; 2: rates that lean the way of the successful calls (listed last:
    there is nothing to fix in them, only something to notice)."""
    if p.kind not in (BELOW_RANGE, ABOVE_RANGE):
        return 0
    if p.team_diff is None:
        return 1
    toward_other = (p.kind == BELOW_RANGE and p.team_diff > 0) or (p.kind == ABOVE_RANGE and p.team_diff < 0)
    return 1 if toward_other else 2


RANKING = (
    "1. each buyer objection the seller's next turn did not respond to, in call order; "
    "2. a call with no commitment request at all; "
    "3. behavior rates outside the team's successful range (below its 25th or above its 75th "
    "percentile), scored by |success - other| mean difference in the team (how much the behavior "
    "separates outcomes; 1 when the other group is too small) times the distance outside the range "
    "in interquartile ranges (the range taken as at least 1 per 100 passages; counted up to 3), times 1 when the call leans toward the "
    "unsuccessful calls and 0.25 when it overshoots in the successful direction, halved for buyer "
    "behaviors (not directly coachable); behaviors on which the team's successful and other calls "
    "do not differ at all are left out. Points of kind 3 where the call leans the way of the "
    "successful calls come after every other point: nothing to fix there, only to notice."
)


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
            return idx, f"they usually come in the {stage} stage (passages {_ranges(idx)} here)"
    pos = usual_pos.get(label)
    if pos is None or not call.passages:
        return (), ""
    n = len(call.passages)
    centre = round(pos * (n - 1))
    lo = max(0, min(centre - 1, n - 3))
    idx = tuple(p.index for p in call.passages[lo:lo + 3])
    return idx, f"they usually come {pos:.0%} of the way into a call (passages {_ranges(idx)} here)"


def _rate(x: float) -> str:
    return f"{x:.1f}"


def coach(call: Call, team: Iterable[Call], taxonomy: Taxonomy | None = None, *,
          min_calls: int = DEFAULT_MIN_CALLS, low_pct: float = 25.0, high_pct: float = 75.0) -> CoachingContext:
    """The coaching context of one call against the team's calls, best point first.

    The ranking is :data:`RANKING`. The team is every call in ``team`` with an outcome and
    labels, except the coached call itself (same call_id). Behavior-rate points need at
    least ``min_calls`` successful calls in the team.
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

    # 1. objections the seller did not respond to
    if labeled and tax.labels("buyer_objection"):
        for k, o in enumerate(objections(call, tax)):
            if o.answered:
                continue
            points.append(CoachingPoint(
                UNANSWERED_OBJECTION,
                f"a buyer objection at {o.where} with no response in the seller's next turn: \"{o.text}\"",
                (o.index,), _SCORE_OBJECTION - 0.001 * k))

    # 2. no commitment request
    req = tax.labels("commitment_request")
    if labeled and req and not any(p.behavior in req for p in call.passages):
        with_req = sum(1 for c in split.success if any(p.behavior in req for p in c.passages))
        tail = tuple(p.index for p in call.passages[-3:])
        extra = (f" ({with_req} of {len(split.success)} successful calls in the team had one)"
                 if split.success else "")
        points.append(CoachingPoint(
            NO_COMMITMENT_REQUEST, f"the call ended without a request for commitment{extra}",
            tail, _SCORE_COMMITMENT, absent=True, n_success=len(split.success)))

    # 3. behavior rates outside the successful range
    ns, no = len(split.success), len(split.other)
    if labeled and ns < min_calls:
        notes.append(f"{TOO_FEW}: {ns} successful calls in the team, at least {min_calls} needed "
                     "to compare behavior rates")
    elif labeled:
        labs = _label_order({p.behavior for c in split.success + split.other for p in c.passages if p.behavior}
                            | {p.behavior for p in call.passages if p.behavior}, tax)
        s = _matrix(split.success, labs)
        o = _matrix(split.other, labs) if no >= min_calls else None
        if o is None:
            notes.append(f"only {no} other calls in the team: behaviors are weighted equally, "
                         "not by how much they separate outcomes")
        counts_s = np.array([[behavior_counts(c).get(lab, 0) for lab in labs] for c in split.success], float)
        mine = behavior_rates(call, labs)
        my_counts = behavior_counts(call)
        usual_stage, usual_pos = _usual_place(split.success)
        p25 = np.percentile(s, low_pct, axis=0)
        p75 = np.percentile(s, high_pct, axis=0)
        silent = 0
        for j, lab in enumerate(labs):
            x = mine[lab]
            lo, hi = float(p25[j]), float(p75[j])
            if lo <= x <= hi:
                continue
            iqr = max(hi - lo, 1.0)
            below = x < lo
            dist = min((lo - x) / iqr if below else (x - hi) / iqr, MAX_DISTANCE)
            sm = float(s[:, j].mean())
            diff = float(sm - o[:, j].mean()) if o is not None else None
            weight = abs(diff) if diff is not None else 1.0
            toward_other = diff is None or (below and diff > 0) or (not below and diff < 0)
            score = weight * dist * (1.0 if toward_other else 0.25)
            if tax.seller_behaviors and lab not in tax.seller_behaviors:
                score *= 0.5
            if score <= 0.0:
                silent += 1
                continue
            n_here = my_counts.get(lab, 0)
            idx = tuple(p.index for p in call.passages if p.behavior == lab)
            absent, where_txt = False, ""
            if not idx:
                (idx, where_txt), absent = _where_missing(call, lab, usual_stage, usual_pos), True
            mean_count = float(counts_s[:, j].mean()) if ns else None
            if n_here == 0:
                head = f"no {lab} passages"
            else:
                head = f"{n_here} {lab} passage{'s' if n_here != 1 else ''} ({_rate(x)} per 100 passages)"
            msg = (f"{head} where the team's successful calls average {mean_count:.1f} per call over {ns} "
                   f"calls ({'below' if below else 'above'} their middle half, {_rate(lo)}-{_rate(hi)} "
                   "per 100 passages)")
            if where_txt:
                msg += f"; {where_txt}"
            if diff is not None:
                msg += f"; team difference success - other {diff:+.1f}"
                if not toward_other:
                    msg += " (this call leans the way of the successful calls)"
            points.append(CoachingPoint(
                BELOW_RANGE if below else ABOVE_RANGE, msg, idx, score, lab, x, n_here, sm, lo, hi,
                mean_count, ns, diff, absent))
        if silent:
            notes.append(f"{silent} behaviors outside the successful range are left out: the team's "
                         "successful and other calls do not differ on them")
    points.sort(key=lambda p: (_tier(p), -p.score, p.passages[0] if p.passages else 0))
    return CoachingContext(call.call_id, call.outcome, ns, no, tuple(points), tuple(notes), call.title)


__all__ = [
    "TOO_FEW", "behavior_counts", "behavior_rates", "seller_of", "split_by_outcome", "Split",
    "bootstrap_diff", "BehaviorComparison", "OutcomeReport", "compare_outcomes", "SellerBehavior",
    "SellerProfile", "SellerReport", "compare_sellers", "CoachingPoint", "CoachingContext", "coach",
    "RANKING", "UNANSWERED_OBJECTION", "NO_COMMITMENT_REQUEST", "BELOW_RANGE", "ABOVE_RANGE",
]
