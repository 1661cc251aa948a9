"""Behaviors in the context of the outcome, across calls.

* :func:`compare_outcomes` - the team report: each behavior's rate per call (per 100
  labeled passages) and each sequence inside the call (:data:`SEQUENCES`: a need later
  linked to a benefit, an answered objection followed by a commitment or a second
  objection, ...), successful calls (the taxonomy's ``success_outcomes``) against the
  rest, with the statistics of :data:`METHOD` (:class:`PermutationTest`, Benjamini-Hochberg
  over the report, intervals that invert the test), made for tens of calls: calls per
  group, effect sizes, and three plain sentences (:func:`summary_sentences`). Under
  ``min_calls`` calls in a group nothing is compared; the rows only describe the calls.
* :func:`compare_sellers` - each seller's calls against the team's successful calls
  (a percentile bootstrap; not yet on the team report's footing).
* :func:`coach` - one call against the team: unanswered objections, a missing commitment
  request, the sequences that went wrong, and the behaviors outside the range of the
  team's successful calls, rate and sequence points only where the team report supports
  the difference and only in its direction; ranked so the first point is the one most
  worth a manager's minute, each with the passages that are its evidence.

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
from .records import Call, Passage
from .taxonomy import Taxonomy, default_taxonomy
from .vocabulary import counted, display, noun, ranges

TOO_FEW = "too few calls to compare"
DEFAULT_MIN_CALLS = 5
DEFAULT_BOOT = 2000
DEFAULT_PERM = 2000
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


# --------------------------------------------------------------------------- permutation inference


class PermutationTest:
    """Difference in means of two groups of calls, column by column, with a permutation
    test and the interval that inverts it.

    The statistic is Welch's t (the plain difference when a group has one call), referred
    to its distribution over reassignments of the calls to the two groups: every
    reassignment when there are at most ``n_perm + 1`` of them (an exact test), else the
    observed one and ``n_perm`` drawn at random (seeded). Calls are the unit, so the test
    holds its level at any group size when outcomes carry no information (the negative
    control in ``benchmarks/negative_control.py``); Welch's t keeps it close when the groups
    differ in spread.

    :meth:`interval` gives the shifts ``delta`` the same test does not reject when
    ``delta`` is taken from every successful call (the shift model): its end points are
    found by bisection over the same reassignments, so the interval excludes zero exactly
    when the p-value is at most the interval's alpha. Where the data cannot reject any
    shift on a side (tiny groups) that end is ``bound``, the largest difference possible.
    """

    def __init__(self, a, b, *, n_perm: int = 2000, seed: int = 0, bound: Any = 100.0) -> None:
        import numpy as np

        a = np.asarray(a, dtype=float)
        b = np.asarray(b, dtype=float)
        if a.ndim == 1:
            a, b = a[:, None], b[:, None]
        na, nb = len(a), len(b)
        if na < 1 or nb < 1:
            raise ValueError("each group needs at least one call")
        self.n_a, self.n_b = na, nb
        self.diff = a.mean(axis=0) - b.mean(axis=0)
        x = np.vstack([a, b])
        x = x - x.mean(axis=0)  # t does not change with a common shift; this keeps the sums small
        ind = np.r_[np.ones(na), np.zeros(nb)]
        n = na + nb
        total = math.comb(n, na)
        if total <= n_perm + 1:
            from itertools import combinations

            w = np.zeros((total, n))
            for r, idx in enumerate(combinations(range(n), na)):
                w[r, list(idx)] = 1.0
            self.exact = True
        else:
            rng = np.random.default_rng(seed)
            w = np.vstack([ind, rng.permuted(np.tile(ind, (n_perm, 1)), axis=1)])
            self.exact = False
        self.n_rows = len(w)
        self._k = (w @ ind)[:, None]
        self._s1, self._q1, self._ta = w @ x, w @ (x * x), w @ (ind[:, None] * x)
        self._t1, self._t2 = x.sum(axis=0), (x * x).sum(axis=0)
        self._a1, self._a2 = x[:na].sum(axis=0), (x[:na] ** 2).sum(axis=0)
        self._studentize = min(na, nb) >= 2
        self._eps = 1e-9 * (1.0 + np.ptp(x, axis=0))
        self.bound = np.broadcast_to(np.asarray(bound, dtype=float), self.diff.shape).copy()
        va = a.var(axis=0, ddof=1) if na > 1 else np.zeros_like(self.diff)
        vb = b.var(axis=0, ddof=1) if nb > 1 else np.zeros_like(self.diff)
        pooled = np.sqrt(((na - 1) * va + (nb - 1) * vb) / max(n - 2, 1))
        with np.errstate(divide="ignore", invalid="ignore"):
            g = self.diff / pooled * (1.0 - 3.0 / max(4 * n - 9, 1))
        #: Hedges' g (the difference in pooled standard deviations); nan where both groups are constant
        self.effect = np.where(pooled > self._eps, g, np.nan)
        self.p = self.pvalue(np.zeros_like(self.diff))

    def _stat(self, s1, q1, s2, q2):
        import numpy as np

        na, nb = self.n_a, self.n_b
        m1, m2 = s1 / na, s2 / nb
        d = m1 - m2
        if not self._studentize:
            return d
        v1 = np.maximum(q1 - na * m1 * m1, 0.0) / (na - 1)
        v2 = np.maximum(q2 - nb * m2 * m2, 0.0) / (nb - 1)
        se = np.sqrt(v1 / na + v2 / nb)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(se > self._eps, d / se, np.where(np.abs(d) > self._eps, np.sign(d) * np.inf, 0.0))

    def pvalue(self, delta):
        """Two-sided p-value per column of "the successful calls' mean is the others' plus
        ``delta``" (``delta`` one number per column)."""
        import numpy as np

        delta = np.asarray(delta, dtype=float)
        na = self.n_a
        # observed groups with delta taken from every successful call
        obs = self._stat(self._a1 - delta * na, self._a2 - 2 * delta * self._a1 + delta * delta * na,
                         self._t1 - self._a1, self._t2 - self._a2)
        k = self._k
        s1 = self._s1 - delta * k
        q1 = self._q1 - 2 * delta * self._ta + delta * delta * k
        s2 = self._t1 - delta * na - s1
        q2 = self._t2 - 2 * delta * self._a1 + delta * delta * na - q1
        t = self._stat(s1, q1, s2, q2)
        hit = np.abs(t) >= np.abs(obs) * (1.0 - 1e-9) - 1e-12
        return hit.sum(axis=0) / self.n_rows

    def interval(self, alpha, iterations: int = 24):
        """(low, high) per column: the shifts whose p-value is above ``alpha``."""
        import numpy as np

        d, p0 = self.diff, self.p
        alpha = np.broadcast_to(np.asarray(alpha, dtype=float), d.shape)
        zero = np.zeros_like(d)
        ends = []
        for side in (-1.0, 1.0):
            far = side * np.maximum(self.bound, np.abs(d) + 1e-9)
            crosses = side * d < 0  # zero lies between d and this side's far end
            rejects_zero = p0 <= alpha
            acc = np.where(crosses & ~rejects_zero, zero, d)
            rej = np.where(crosses & rejects_zero, zero, far)
            at_far = rej == far
            open_end = at_far & (self.pvalue(far) > alpha)
            for _ in range(iterations):
                mid = (acc + rej) / 2.0
                ok = self.pvalue(mid) > alpha
                acc = np.where(ok, mid, acc)
                rej = np.where(ok, rej, mid)
            ends.append(np.where(open_end, far, acc))
        return ends[0], ends[1]


def benjamini_hochberg(p) -> Any:
    """Benjamini-Hochberg q-values (adjusted p-values) of one family of tests."""
    import numpy as np

    p = np.asarray(p, dtype=float)
    m = len(p)
    if not m:
        return p
    order = np.argsort(p, kind="stable")
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.minimum(np.minimum.accumulate(ranked[::-1])[::-1], 1.0)
    out = np.empty(m)
    out[order] = q
    return out


# --------------------------------------------------------------------------- sequences


@dataclass(frozen=True)
class Step:
    """One occurrence of a sequence in a call: the passage that opens it, whether it went
    the way the sequence's name says, and the passages that show it."""

    opener: int
    good: bool
    #: the passage that completed it (the benefit, the commitment) or broke it (a second
    #: objection, a stall); None when nothing followed
    follow: int | None = None
    #: the passage between (the seller's response to an objection)
    middle: int | None = None


@dataclass(frozen=True)
class SequenceKind:
    key: str
    #: "share": per call, the share (%) of its steps that went well; "count": passages
    kind: str
    #: for a sentence: "of the needs the buyer stated were later linked to a benefit"
    what: str
    #: the calls it applies to: "with a stated need"
    applies: str
    #: the team table's name
    name: str
    #: a chart's row name
    short: str = ""


SEQUENCES: tuple[SequenceKind, ...] = (
    SequenceKind("need_then_benefit", "share", "of the needs the buyer stated were later linked to a benefit",
                 "with a stated need", "stated needs later linked to a benefit", "Need \u2192 benefit"),
    SequenceKind("objection_then_commitment", "share",
                 "of the answered objections were followed by a commitment rather than another objection",
                 "with an answered objection", "answered objections followed by a commitment, not a second objection",
                 "Answered objection \u2192 commitment"),
    SequenceKind("implication_then_need_payoff", "share",
                 "of the implication questions were followed by a need-payoff question",
                 "with an implication question", "implication questions followed by a need-payoff question",
                 "Implication \u2192 need-payoff question"),
    SequenceKind("request_then_commitment", "share",
                 "of the commitment requests were answered by a commitment rather than a stall",
                 "with a commitment request the buyer answered", "commitment requests answered by a commitment, not a stall",
                 "Request \u2192 commitment, not a stall"),
    SequenceKind("presenting_before_need", "count", "passages of presenting before the buyer's first stated need",
                 "", "passages of presenting before the first stated need",
                 "Presenting before the first need"),
)
SEQUENCE = {s.key: s for s in SEQUENCES}
#: sequences whose good end is the buyer's commitment: close to the outcome itself
OUTCOME_SEQUENCES = ("objection_then_commitment", "request_then_commitment")


def _question_labels(tax: Taxonomy, qtype: str) -> frozenset[str]:
    return frozenset(lab for lab, t in tax.meaning.get("question_type", {}).items() if t == qtype)


def _buyer_reply(ps: Sequence[Passage], i: int, tax: Taxonomy) -> list[Passage]:
    """The buyer's next turn after passage ``i``: the first run of buyer passages that is not
    a mere backchannel (the seller may say more first)."""
    from .metrics import is_backchannel, side

    j = i + 1
    while j < len(ps) and (side(ps[j], tax) != "buyer" or is_backchannel(ps[j])):
        j += 1
    run = []
    while j < len(ps) and side(ps[j], tax) == "buyer":
        run.append(ps[j])
        j += 1
    return run


def available_sequences(taxonomy: Taxonomy | None = None) -> tuple[SequenceKind, ...]:
    """The sequences the taxonomy has the meanings for."""
    tax = taxonomy or default_taxonomy()
    need = {"need_then_benefit": ("buyer_need", "benefit"),
            "objection_then_commitment": ("buyer_objection", "objection_response", "buyer_commitment"),
            "request_then_commitment": ("commitment_request", "buyer_commitment"),
            "presenting_before_need": ("buyer_need", "information")}
    out = []
    for s in SEQUENCES:
        if s.key == "implication_then_need_payoff":
            ok = bool(_question_labels(tax, "implication") and _question_labels(tax, "need-payoff"))
        else:
            ok = all(tax.labels(m) for m in need[s.key])
        if ok:
            out.append(s)
    return tuple(out)


def sequence_steps(call: Call, taxonomy: Taxonomy | None = None) -> dict[str, tuple[Step, ...]]:
    """The steps of each share sequence in the call (see :data:`SEQUENCES`).

    * need -> benefit: each benefit links back to the latest need before it not yet linked;
      needs left over were never linked;
    * answered objection -> commitment or second objection: after the seller's response,
      the buyer's next commitment or objection, whichever comes first (neither: not counted);
    * implication question -> need-payoff question later in the call;
    * commitment request -> the buyer's next turn: a commitment, or a stall (anything else;
      no buyer turn after it: not counted).
    """
    from .metrics import side

    tax = taxonomy or default_taxonomy()
    keys = {s.key for s in available_sequences(tax)}
    ps = call.passages
    out: dict[str, tuple[Step, ...]] = {}
    if "need_then_benefit" in keys:
        need, benefit = tax.labels("buyer_need"), tax.labels("benefit")
        open_needs: list[int] = []
        steps: list[Step] = []
        for p in ps:
            if p.behavior in need:
                open_needs.append(p.index)
            elif p.behavior in benefit and side(p, tax) != "buyer" and open_needs:
                steps.append(Step(open_needs.pop(), True, p.index))
        steps += [Step(i, False) for i in open_needs]
        out["need_then_benefit"] = tuple(sorted(steps, key=lambda s: s.opener))
    if "objection_then_commitment" in keys:
        obj, done = tax.labels("buyer_objection"), tax.labels("buyer_commitment")
        pos = {p.index: k for k, p in enumerate(ps)}
        steps = []
        for o in objections(call, tax):
            if not o.answered or o.response is None:
                continue
            nxt = next((q for q in ps[pos[o.response] + 1:] if side(q, tax) == "buyer"
                        and (q.behavior in done or q.behavior in obj)), None)
            if nxt is not None:
                steps.append(Step(o.index, nxt.behavior in done, nxt.index, o.response))
        out["objection_then_commitment"] = tuple(steps)
    if "implication_then_need_payoff" in keys:
        imp, payoff = _question_labels(tax, "implication"), _question_labels(tax, "need-payoff")
        steps = []
        for k, p in enumerate(ps):
            if p.behavior in imp:
                nxt = next((q for q in ps[k + 1:] if q.behavior in payoff), None)
                steps.append(Step(p.index, nxt is not None, nxt.index if nxt is not None else None))
        out["implication_then_need_payoff"] = tuple(steps)
    if "request_then_commitment" in keys:
        req, done = tax.labels("commitment_request"), tax.labels("buyer_commitment")
        steps = []
        for k, p in enumerate(ps):
            if p.behavior in req:
                reply = _buyer_reply(ps, k, tax)
                if reply:
                    hit = next((q for q in reply if q.behavior in done), None)
                    steps.append(Step(p.index, hit is not None, (hit or reply[0]).index))
        out["request_then_commitment"] = tuple(steps)
    return out


def presenting_before_need(call: Call, taxonomy: Taxonomy | None = None) -> tuple[tuple[int, ...], int | None]:
    """The seller's passages of information or benefits before the buyer's first stated need
    (all of them when no need is stated), and the first need's passage (None: no need)."""
    from .metrics import side

    tax = taxonomy or default_taxonomy()
    need = tax.labels("buyer_need")
    present = tax.labels("information") | tax.labels("benefit")
    first = next((p.index for p in call.passages if p.behavior in need), None)
    idx = tuple(p.index for p in call.passages if p.behavior in present and side(p, tax) != "buyer"
                and (first is None or p.index < first))
    return idx, first


def sequence_values(call: Call, taxonomy: Taxonomy | None = None) -> dict[str, float | None]:
    """Each sequence's value in the call: the share (%) of its steps that went well (None
    when the call has none), or the passages of presenting before the first need."""
    tax = taxonomy or default_taxonomy()
    out: dict[str, float | None] = {}
    for key, steps in sequence_steps(call, tax).items():
        out[key] = 100.0 * sum(s.good for s in steps) / len(steps) if steps else None
    if any(s.key == "presenting_before_need" for s in available_sequences(tax)):
        out["presenting_before_need"] = float(len(presenting_before_need(call, tax)[0]))
    return out


def _f(x) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), 4)


# --------------------------------------------------------------------------- across calls


def _sure_words(q: float | None, alpha: float) -> str:
    if q is None:
        return "not compared"
    if q <= alpha / 5:
        return "strong evidence"
    if q <= alpha:
        return "evidence"
    return "could be chance"


@dataclass(frozen=True)
class BehaviorComparison:
    """One behavior (or one sequence): successful calls against the others.

    Rates are per 100 labeled passages; a share sequence is in % of its steps, the
    presenting sequence in passages. ``diff`` is success minus other with its interval,
    None when too few calls (the means and counts are still given, as description)."""

    label: str
    success_mean: float | None
    other_mean: float | None
    #: success minus other, with its interval (adjusted for the comparisons of the report)
    diff: float | None
    ci_low: float | None
    ci_high: float | None
    n_success: int
    n_other: int
    #: the permutation test's two-sided p-value, and its Benjamini-Hochberg q-value
    p_value: float | None = None
    q_value: float | None = None
    #: the difference holds with the false discovery rate of the report controlled
    supported: bool = False
    #: Hedges' g (difference in pooled standard deviations)
    effect: float | None = None
    #: mean passages with the behavior per call, and calls with at least one, per group
    success_count: float | None = None
    other_count: float | None = None
    success_with: int | None = None
    other_with: int | None = None
    #: "behavior", or the sequence's kind ("share" or "count")
    kind: str = "behavior"
    unit: str = "per 100 passages"

    @property
    def compared(self) -> bool:
        return self.diff is not None

    @property
    def excludes_zero(self) -> bool:
        """The difference is supported: its interval (adjusted for every comparison of the
        report) excludes zero, which is the same as the Benjamini-Hochberg test holding."""
        return self.compared and self.supported

    def sure(self, alpha: float = 0.05) -> str:
        return _sure_words(self.q_value, alpha)

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "kind": self.kind, "unit": self.unit,
                "success_mean": _f(self.success_mean), "other_mean": _f(self.other_mean),
                "diff": _f(self.diff), "ci_low": _f(self.ci_low), "ci_high": _f(self.ci_high),
                "p_value": _f(self.p_value), "q_value": _f(self.q_value), "supported": self.excludes_zero,
                "effect": _f(self.effect), "n_success": self.n_success, "n_other": self.n_other,
                "success_count": _f(self.success_count), "other_count": _f(self.other_count),
                "success_with": self.success_with, "other_with": self.other_with,
                "note": None if self.compared else TOO_FEW}


#: a comparison row, behavior or sequence
Comparison = BehaviorComparison


@dataclass(frozen=True)
class OutcomeReport:
    """What separates successful calls from the rest, behavior by behavior, and the
    sequences inside the call."""

    n_success: int
    n_other: int
    excluded: Mapping[str, int]
    behaviors: tuple[BehaviorComparison, ...]
    min_calls: int
    confidence: float
    n_perm: int
    seed: int
    success_outcomes: tuple[str, ...]
    unit: str = "per 100 passages"
    sequences: tuple[BehaviorComparison, ...] = ()
    #: how many differences were tested (the false discovery rate's family), how many hold
    n_tests: int = 0
    n_supported: int = 0
    #: the confidence of each interval: 1 - alpha * max(supported, 1) / tests
    interval_confidence: float | None = None
    #: median labeled passages per compared call (to turn rates into passages)
    typical_length: float | None = None
    #: the buyer's behaviors, and the rows that are close to the outcome itself (the buyer's
    #: commitments): the summary names what the seller does first
    buyer_labels: tuple[str, ...] = ()
    outcome_labels: tuple[str, ...] = ()

    @property
    def n_excluded(self) -> int:
        return sum(self.excluded.values())

    @property
    def alpha(self) -> float:
        return 1.0 - self.confidence

    @property
    def compared(self) -> bool:
        return self.n_success >= self.min_calls and self.n_other >= self.min_calls

    @property
    def note(self) -> str | None:
        if self.compared:
            return None
        return (f"{TOO_FEW}: {self.n_success} successful and {self.n_other} other calls; "
                f"at least {self.min_calls} in each group are needed, so nothing is compared "
                "(the means below only describe these calls)")

    def by_difference(self) -> list[BehaviorComparison]:
        """Largest |difference| first; behaviors that could not be compared last."""
        return sorted(self.behaviors, key=lambda b: (b.diff is None, -abs(b.diff or 0.0), b.label))

    def get(self, label: str) -> BehaviorComparison | None:
        return next((b for b in (*self.behaviors, *self.sequences) if b.label == label), None)

    def rows(self) -> list[BehaviorComparison]:
        return [*self.behaviors, *self.sequences]

    def summary(self) -> list[str]:
        """Three plain sentences on what the team's successful calls do differently, each
        with its numbers and how sure it is."""
        return summary_sentences(self)

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
            "method": METHOD,
            "permutation": {"permutations": self.n_perm, "seed": self.seed},
            "fdr": {"method": "benjamini-hochberg", "level": round(self.alpha, 4), "tests": self.n_tests,
                    "supported": self.n_supported},
            "interval_confidence": _f(self.interval_confidence),
            "typical_length": _f(self.typical_length),
            "note": self.note,
            "summary": self.summary(),
            "behaviors": [b.to_json() for b in self.by_difference()],
            "sequences": [s.to_json() for s in self.sequences],
        }


METHOD = ("per call values, calls as the unit; p-value from a permutation test of Welch's t over "
          "reassignments of the outcomes (exact when there are few); Benjamini-Hochberg over every "
          "behavior and sequence of the report; intervals invert the same test at the level the "
          "false discovery rate leaves (false-coverage-rate adjusted), so an interval excludes zero "
          "exactly when the difference is supported")


#: per call features already computed, by the call's identity (the call is kept so its id
#: is not reused): a team is compared again for every call coached against it
_FEATURES: dict[int, tuple[Call, Taxonomy, tuple[Counter[str], int, dict[str, float | None]]]] = {}
_FEATURES_MAX = 4096


def _features(call: Call, tax: Taxonomy) -> tuple[Counter[str], int, dict[str, float | None]]:
    """The call's behavior counts, labeled passages and sequence values."""
    hit = _FEATURES.get(id(call))
    if hit is not None and hit[0] is call and hit[1] is tax:
        return hit[2]
    if len(_FEATURES) >= _FEATURES_MAX:
        _FEATURES.clear()
    value = (behavior_counts(call), labeled_passages(call), sequence_values(call, tax))
    _FEATURES[id(call)] = (call, tax, value)
    return value


def _count_matrix(calls: Sequence[Call], labels: Sequence[str], tax: Taxonomy):
    import numpy as np

    m = np.zeros((len(calls), len(labels)))
    col = {lab: j for j, lab in enumerate(labels)}
    for i, c in enumerate(calls):
        for lab, k in _features(c, tax)[0].items():
            if lab in col:
                m[i, col[lab]] = k
    return m


def _rates(counts, calls: Sequence[Call], tax: Taxonomy):
    """Counts per call -> per 100 labeled passages."""
    import numpy as np

    n = np.array([_features(c, tax)[1] for c in calls], dtype=float).reshape(-1, 1)
    return np.divide(100.0 * counts, n, out=np.zeros_like(counts), where=n > 0)



def fdr_results(tests: Sequence[tuple[str, PermutationTest, int]], alpha: float
                ) -> tuple[dict[str, dict[str, Any]], int, float | None]:
    """One report's family of tests, ``(row key, test, column)``, with Benjamini-Hochberg
    over all of them and each interval inverting its test at the level the false discovery
    rate leaves (false-coverage-rate adjusted: ``alpha * supported / tests``).

    Returns (row key -> diff, ci_low, ci_high, p_value, q_value, supported, effect), the
    number supported, and the intervals' confidence (None when nothing was tested). The
    call team report and the plan team report (:mod:`callreview.plan_coach`) both use it."""
    import numpy as np

    m = len(tests)
    result: dict[str, dict[str, Any]] = {}
    if not m:
        return result, 0, None
    p = np.array([t.p[j] for _, t, j in tests])
    q = benjamini_hochberg(p)
    n_sup = int((q <= alpha + 1e-12).sum())
    a_prime = alpha * max(n_sup, 1) / m
    by_test: dict[int, tuple[Any, Any]] = {}
    for key, t, j in tests:
        if id(t) not in by_test:
            by_test[id(t)] = t.interval(a_prime)
        low, high = by_test[id(t)]
        result[key] = dict(diff=float(t.diff[j]), ci_low=float(low[j]), ci_high=float(high[j]),
                           p_value=float(t.p[j]), supported=bool(t.p[j] <= a_prime),
                           effect=float(t.effect[j]))
    for (key, _, _), qi in zip(tests, q):
        result[key]["q_value"] = float(qi)
    return result, sum(r["supported"] for r in result.values()), 1.0 - a_prime


def compare_outcomes(calls: Iterable[Call], taxonomy: Taxonomy | None = None, *,
                     min_calls: int = DEFAULT_MIN_CALLS, n_perm: int = DEFAULT_PERM, seed: int = 0,
                     confidence: float = 0.95, labels: Sequence[str] | None = None,
                     sequences: bool = True) -> OutcomeReport:
    """Each behavior's rate per call, and each sequence inside the call, successful calls
    against the others (see :data:`METHOD`).

    With fewer than ``min_calls`` calls in either group nothing is compared: the rows give
    the groups' means and counts only. A sequence is compared among the calls it applies
    to (a share of needs needs calls with a need), with the same minimum.
    """
    import numpy as np

    if min_calls < 1:
        raise ValueError("min_calls must be at least 1")
    tax = taxonomy or default_taxonomy()
    alpha = 1.0 - confidence
    split = split_by_outcome(calls, tax)
    labs = list(labels) if labels is not None else _label_order(
        (p.behavior for c in split.success + split.other for p in c.passages if p.behavior), tax)
    ns, no = len(split.success), len(split.other)
    enough = ns >= min_calls and no >= min_calls
    lengths = [labeled_passages(c) for c in split.success + split.other]
    typical = float(np.median(lengths)) if lengths else None

    tests: list[tuple[str, PermutationTest, int]] = []  # (row key, test, column)
    described: dict[str, dict[str, Any]] = {}
    if labs and (ns or no):
        cs, co = _count_matrix(split.success, labs, tax), _count_matrix(split.other, labs, tax)
        s, o = _rates(cs, split.success, tax), _rates(co, split.other, tax)
        for j, lab in enumerate(labs):
            described[lab] = dict(
                success_mean=float(s[:, j].mean()) if ns else None, other_mean=float(o[:, j].mean()) if no else None,
                success_count=float(cs[:, j].mean()) if ns else None, other_count=float(co[:, j].mean()) if no else None,
                success_with=int((cs[:, j] > 0).sum()), other_with=int((co[:, j] > 0).sum()), n=(ns, no))
        if enough:
            t = PermutationTest(s, o, n_perm=n_perm, seed=seed, bound=100.0)
            tests += [(lab, t, j) for j, lab in enumerate(labs)]
    seq_kinds = available_sequences(tax) if sequences else ()
    if seq_kinds:
        vs = [_features(c, tax)[2] for c in split.success]
        vo = [_features(c, tax)[2] for c in split.other]
        for k, sk in enumerate(seq_kinds):
            a = np.array([v[sk.key] for v in vs if v.get(sk.key) is not None], float)
            b = np.array([v[sk.key] for v in vo if v.get(sk.key) is not None], float)
            described[sk.key] = dict(success_mean=float(a.mean()) if len(a) else None,
                                     other_mean=float(b.mean()) if len(b) else None, n=(len(a), len(b)))
            if enough and len(a) >= min_calls and len(b) >= min_calls:
                top = max(float(np.max(a, initial=0)), float(np.max(b, initial=0)))
                bound = 100.0 if sk.kind == "share" else 2.0 * top + 1.0
                tests.append((sk.key, PermutationTest(a, b, n_perm=n_perm, seed=seed + 1 + k, bound=bound), 0))

    result, n_sup, level = fdr_results(tests, alpha)
    m = len(tests)

    def row(key: str, kind: str, unit: str) -> BehaviorComparison:
        d = described.get(key, {})
        n_s, n_o = d.get("n", (ns, no))
        r = result.get(key, {})
        return BehaviorComparison(
            key, d.get("success_mean"), d.get("other_mean"), r.get("diff"), r.get("ci_low"), r.get("ci_high"),
            n_s, n_o, r.get("p_value"), r.get("q_value"), r.get("supported", False), r.get("effect"),
            d.get("success_count"), d.get("other_count"), d.get("success_with"), d.get("other_with"), kind, unit)

    rows = tuple(row(lab, "behavior", "per 100 passages") for lab in labs)
    seq_rows = tuple(row(sk.key, sk.kind, "% of steps" if sk.kind == "share" else "passages") for sk in seq_kinds)
    return OutcomeReport(ns, no, split.excluded, rows, min_calls, confidence, n_perm, seed,
                         tuple(sorted(tax.success_outcomes)), sequences=seq_rows, n_tests=m, n_supported=n_sup,
                         interval_confidence=level, typical_length=typical,
                         buyer_labels=tuple(sorted(tax.buyer_behaviors)),
                         outcome_labels=(*sorted(tax.labels("buyer_commitment")), *OUTCOME_SEQUENCES))


# --------------------------------------------------------------------------- the summary


_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def number_word(n: int) -> str:
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def _num(x: float | None, digits: int = 1) -> str:
    return "-" if x is None else f"{round(x, digits) + 0.0:.{digits}f}"


def _signed_num(x: float | None, digits: int = 1) -> str:
    return "-" if x is None else f"{round(x, digits) + 0.0:+.{digits}f}"


def _how_sure(r: BehaviorComparison, rep: OutcomeReport) -> str:
    return f"{r.sure(rep.alpha)} (q = {r.q_value:.3f})" if r.q_value is not None else "not compared"


def _interval_text(r: BehaviorComparison, rep: OutcomeReport, digits: int = 1) -> str:
    return (f"interval {_signed_num(r.ci_low, digits)} to {_signed_num(r.ci_high, digits)}, adjusted for the "
            f"{rep.n_tests} comparisons; {r.n_success} and {r.n_other} calls")


def describe_difference(r: BehaviorComparison, rep: OutcomeReport) -> str:
    """One plain sentence on a compared row, with its numbers and how sure it is."""
    seq = SEQUENCE.get(r.label)
    if seq is None:
        more = "more" if (r.diff or 0) > 0 else "fewer"
        counts = ""
        if r.success_count is not None and r.other_count is not None:
            counts = f" (about {_num(r.success_count)} against {_num(r.other_count)} in a call"
            gap = round(r.success_count - r.other_count, 1)
            if gap == 0 or (gap > 0) != ((r.diff or 0) > 0):
                counts += ", in calls of another length"
            counts += ")"
        return (f"Successful calls have {more} {noun(r.label, 2)}: {_num(r.success_mean)} per 100 passages "
                f"against {_num(r.other_mean)} in the other calls{counts}, a difference of {_signed_num(r.diff)} "
                f"({_interval_text(r, rep)}); {_how_sure(r, rep)}.")
    if seq.kind == "share":
        return (f"In successful calls {_num(r.success_mean, 0)}% {seq.what}, against {_num(r.other_mean, 0)}% in "
                f"the other calls: a difference of {_signed_num(r.diff, 0)} points ({_interval_text(r, rep, 0)} "
                f"{seq.applies}); {_how_sure(r, rep)}.")
    return (f"Successful calls have {_num(r.success_mean)} {seq.what}, the other calls {_num(r.other_mean)}: "
            f"a difference of {_signed_num(r.diff)} ({_interval_text(r, rep)}); {_how_sure(r, rep)}.")


def summary_sentences(rep: OutcomeReport) -> list[str]:
    """Three sentences a manager reads first (see :meth:`OutcomeReport.summary`)."""
    if not rep.compared:
        rows = [r for r in rep.behaviors if r.success_count is not None and r.other_count is not None]
        gaps = sorted(rows, key=lambda r: -abs((r.success_count or 0) - (r.other_count or 0)))[:2]
        said = "; ".join(f"{noun(r.label, 2)} {_num(r.success_count)} against {_num(r.other_count)}" for r in gaps)
        return [
            f"Too few calls to compare: {rep.n_success} successful and {rep.n_other} other calls, and at least "
            f"{rep.min_calls} of each are needed, so nothing is compared.",
            (f"Counted only, per call, successful against other: {said}; with this few calls gaps like these "
             "are often chance." if said else "There are no labeled calls with an outcome to count."),
            "Set the outcome of more reviewed calls (report --store reads the outcomes set in the review app), "
            "or report on a larger set of calls.",
        ]
    def first(r: BehaviorComparison) -> int:
        """What the seller does first, then the buyer's side, then what is close to the outcome."""
        return 2 if r.label in rep.outcome_labels else 1 if r.label in rep.buyer_labels else 0

    supported = sorted((r for r in rep.rows() if r.excludes_zero),
                       key=lambda r: (first(r), r.q_value or 0.0, -abs(r.effect or 0.0)))
    out = [describe_difference(r, rep) for r in supported[:3]]
    if len(out) < 3:
        rest = sorted((r for r in rep.rows() if r.compared and not r.excludes_zero),
                      key=lambda r: (r.p_value if r.p_value is not None else 1.0, r.label))
        what = "No other behavior or sequence" if out else "No behavior or sequence"
        out.append(f"{what} differs clearly between {rep.n_success} successful and {rep.n_other} other calls: "
                   f"{rep.n_tests} were compared with the false discovery rate held at {rep.alpha:.0%}.")
        if len(out) < 3 and rest:
            r = rest[0]
            text = describe_difference(r, rep)
            out.append(f"Closest to a difference: {text[0].lower()}{text[1:]}")
        if len(out) < 3:
            out.append("Read the table below as questions to ask, not findings; these are correlations in the "
                       "team's calls, not causes.")
    return out[:3]


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
            for lab in labs:
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
    """0: unanswered objections; 1: no commitment request; 2: sequences inside the call (a
    need never linked to a benefit, ...); 3: behavior rates (all verdicts); 4: points to check."""
    if not p.sure:
        return 4
    return {UNANSWERED_OBJECTION: 0, NO_COMMITMENT_REQUEST: 1, BROKEN_SEQUENCE: 2}.get(p.kind, 3)


RANKING = (
    "Verdicts first, then points to check. A point resting on single passages (an objection the "
    f"seller's next turn did not answer; no commitment request in the call) is a verdict when the labels "
    f"it rests on are at least {SURE:.0%} sure, else a point to check, most sure first. A behavior-rate "
    "point appears only where the team's successful calls differ from the others in the team report "
    "(a permutation test with the false discovery rate over the report's behaviors and sequences held at "
    "5%; its adjusted interval excludes zero), and only in that direction (fewer than the successful calls' middle "
    "half of a behavior they have more of, or more of one they have less of); it is a verdict when the "
    "call is outside that range both by its labels and by the labels' expected count give or take two "
    "standard deviations (the model's confidences spread over the passages), and it is ranked "
    "by the team difference times the distance outside the range (in interquartile ranges, up to 3), "
    "halved for buyer behaviors (not directly coachable). Sequences inside the call (needs never linked "
    "to a benefit, an answered objection followed by another, implication questions with no need-payoff "
    "question after them, a commitment request met by a stall, presenting before the first need) come "
    "before the rates, on the same terms: supported by the team report, in its direction, the call outside "
    "the successful calls' middle half, the passages as evidence, a verdict when their labels are sure; "
    "ranked by the team's standardized difference times one minus its q-value, halved for those ending in "
    "the buyer's commitment (close to the outcome itself)."
)


def label_probability(p: Passage, labels: frozenset[str] | set[str], task: str = "behavior") -> float:
    """How sure the labels are that ``p`` is one of ``labels`` (for ``task``: a call's
    "behavior", a plan line's "element"): the model's probability where it labeled the
    passage, 1 or 0 for a label a person gave. A label the model did not list among its top
    three gets the most it could have (the smallest listed probability)."""
    pred = p.predictions.get(task)
    given = p.label(task)
    if pred is None or (given is not None and given != pred.label):
        return 1.0 if given in labels else 0.0
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


#: the last few team reports, by the identity of the team's calls: the review app and a
#: batch of ``coach`` compare every call with the same team
_REPORTS: list[tuple[tuple[Call, ...], tuple[Any, ...], "OutcomeReport"]] = []


def _team_report(team: Sequence[Call], tax: Taxonomy, **options: Any) -> "OutcomeReport":
    key = (id(tax), *sorted(options.items()))
    for calls, k, rep in _REPORTS:
        if k == key and len(calls) == len(team) and all(a is b for a, b in zip(calls, team)):
            return rep
    rep = compare_outcomes(team, tax, **options)
    _REPORTS.insert(0, (tuple(team), key, rep))
    del _REPORTS[4:]
    return rep


BROKEN_SEQUENCE = "broken_sequence"


def _wheres(call: Call, indices: Sequence[int]) -> str:
    """'at 1:10 and 2:05', 'at 1:10, 2:05 and 3:00'."""
    from .metrics import where

    by_index = {p.index: p for p in call.passages}
    names = [where(by_index[i]) for i in indices if i in by_index]
    plural = len(names) > 1 and all(n.startswith("passage ") for n in names)
    if plural:  # untimed: "at passages 22 and 24"
        names = [n[len("passage "):] for n in names]
    if len(names) > 4:
        names = names[:3] + [f"{len(names) - 3} more"]
    return ("at passages " if plural else "at ") + (
        names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])


def _step_certainty(call: Call, step: Step, key: str, tax: Taxonomy) -> float:
    """How sure the labels are that a step went wrong: its opener carries its label, the
    passage that broke it carries its label, and (where nothing followed) none of the three
    later passages likeliest to complete it does."""
    by_index = {p.index: p for p in call.passages}
    opener_labels = {"need_then_benefit": tax.labels("buyer_need"),
                     "objection_then_commitment": tax.labels("buyer_objection"),
                     "implication_then_need_payoff": _question_labels(tax, "implication"),
                     "request_then_commitment": tax.labels("commitment_request")}[key]
    sure = label_probability(by_index[step.opener], opener_labels)
    if step.follow is not None:
        f = by_index[step.follow]
        sure *= (label_probability(f, tax.labels("buyer_objection")) if key == "objection_then_commitment"
                 else 1.0 - label_probability(f, tax.labels("buyer_commitment")))
    else:
        done = tax.labels("benefit") if key == "need_then_benefit" else _question_labels(tax, "need-payoff")
        later = sorted((label_probability(p, done) for p in call.passages if p.index > step.opener), reverse=True)
        sure *= math.prod(1.0 - c for c in later[:3])
    return sure


def _short(by_index: Mapping[int, Passage], index: int | None, n: int = 60) -> str:
    """A passage's text on one line, cut to ``n`` characters, to quote in a point."""
    text = " ".join(by_index[index].text.split())  # type: ignore[index]
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _sequence_message(call: Call, key: str, bad: Sequence[Step], total: int, rep_row: "BehaviorComparison") -> str:
    k = len(bad)
    s_pct, o_pct = f"{rep_row.success_mean:.0f}%", f"{rep_row.other_mean:.0f}%"
    by_index = {p.index: p for p in call.passages}
    if key == "need_then_benefit":
        where = _wheres(call, [s.opener for s in bad])
        head = (f"The {number_word(k) if k > 1 else ''}{' ' if k > 1 else ''}need{'s' if k > 1 else ''} the buyer "
                f"stated ({where}) {'were' if k > 1 else 'was'} never linked to a benefit" if k == total else
                f"{k} of the {total} needs the buyer stated ({where}) {'were' if k > 1 else 'was'} never linked "
                "to a benefit")
        return f"{head}; in the team's successful calls {s_pct} of stated needs are, in the others {o_pct}."
    if key == "objection_then_commitment":
        if k == 1:
            s = bad[0]
            head = (f"After the seller answered the objection {_wheres(call, [s.opener])}, the buyer objected again "
                    f"{_wheres(call, [s.follow])} (\"{_short(by_index, s.follow)}\")")  # type: ignore[list-item]
        else:
            which = (("Both" if k == 2 else f"All {number_word(k)}") + " objections" if k == total
                     else f"{k} of the {total} objections")
            head = (f"{which} the seller answered were followed by another objection "
                    f"({_wheres(call, [s.follow for s in bad])})")  # type: ignore[misc]
        return (f"{head}; in the team's successful calls {s_pct} of answered objections lead to a commitment "
                f"instead, in the others {o_pct}.")
    if key == "implication_then_need_payoff":
        where = _wheres(call, [s.opener for s in bad])
        head = (f"No need-payoff question followed the {number_word(k) if k > 1 else ''}{' ' if k > 1 else ''}"
                f"implication question{'s' if k > 1 else ''} {where}" if k == total else
                f"{k} of the {total} implication questions ({where}) had no need-payoff question after them")
        return f"{head}; in the team's successful calls {s_pct} are followed by one, in the others {o_pct}."
    if k == 1:
        s = bad[0]
        head = (f"The buyer answered the commitment request {_wheres(call, [s.opener])} with a stall "
                f"{_wheres(call, [s.follow])} (\"{_short(by_index, s.follow)}\")")  # type: ignore[list-item]
    else:
        which = (("Both" if k == 2 else f"All {number_word(k)}") + " commitment requests" if k == total
                     else f"{k} of the {total} commitment requests")
        head = f"{which} got a stall ({_wheres(call, [s.follow for s in bad])})"  # type: ignore[misc]
    return f"{head}; in the team's successful calls {s_pct} of requests get a commitment, in the others {o_pct}."


def _sequence_points(call: Call, tax: Taxonomy, rep: "OutcomeReport", success: Sequence[Call],
                     low_pct: float, high_pct: float) -> list[CoachingPoint]:
    """Points from the sequences inside the call, only where the team's difference is
    supported and only in its direction: a share sequence when the call's share is below
    the successful calls' middle half of a sequence they complete more often; presenting
    before the first need when the call presents for longer than that middle half of
    successful calls that present for less."""
    import numpy as np

    values = sequence_values(call, tax)
    steps = sequence_steps(call, tax)
    team_values = [_features(c, tax)[2] for c in success]
    out: list[CoachingPoint] = []
    for r in rep.sequences:
        mine = values.get(r.label)
        if not r.excludes_zero or mine is None or r.diff is None:
            continue
        vals = np.array([v[r.label] for v in team_values if v.get(r.label) is not None], float)
        if not len(vals):
            continue
        lo, hi = (float(x) for x in np.percentile(vals, [low_pct, high_pct]))
        weight = min(abs(r.effect or 0.0), MAX_DISTANCE) * (1.0 - (r.q_value or 0.0))
        if r.label in OUTCOME_SEQUENCES:  # a stall or a second objection is close to the outcome itself
            weight *= 0.5
        if SEQUENCE[r.label].kind == "share":
            if not (r.diff > 0 and mine < lo):
                continue
            bad = [s for s in steps[r.label] if not s.good]
            evidence = tuple(sorted({i for s in bad for i in (s.opener, s.middle, s.follow) if i is not None}))
            certainty = min(_step_certainty(call, s, r.label, tax) for s in bad)
            msg = _sequence_message(call, r.label, bad, len(steps[r.label]), r)
            count = len(bad)
            absent = False
        else:
            if not (r.diff < 0 and mine > hi):
                continue
            idx, first = presenting_before_need(call, tax)
            evidence = idx + ((first,) if first is not None else ())
            present = tax.labels("information") | tax.labels("benefit")
            probs = [label_probability(p, present) for p in call.passages
                     if first is None or p.index < first]
            expected = sum(probs)
            spread = RATE_MARGIN_SD * math.sqrt(sum(q * (1.0 - q) for q in probs))
            certainty = 1.0 if expected - spread > hi else 0.5
            need = f"before the buyer stated a need {_wheres(call, [first])}" if first is not None else \
                "and the buyer never stated a need"
            msg = (f"The seller presented for {len(idx)} passages ({ranges(idx)}) {need}; the team's successful "
                   f"calls present for {_span(lo, hi)} before the first need, the others {r.other_mean:.1f} on "
                   "average.")
            count = len(idx)
            absent = False
        sure = certainty >= SURE
        if not sure:
            msg = f"Check this: {msg[0].lower()}{msg[1:-1]}; the labels are {certainty:.0%} sure of it."
        out.append(CoachingPoint(
            BROKEN_SEQUENCE, msg, evidence, weight, r.label, value=mine, count=count, success_mean=r.success_mean,
            success_p25=lo, success_p75=hi, n_success=r.n_success, team_diff=r.diff, absent=absent, sure=sure,
            certainty=certainty, ci_low=r.ci_low, ci_high=r.ci_high, n_other=r.n_other, range_low=lo,
            range_high=hi))
    return out


def coach(call: Call, team: Iterable[Call], taxonomy: Taxonomy | None = None, *,
          min_calls: int = DEFAULT_MIN_CALLS, low_pct: float = 25.0, high_pct: float = 75.0,
          n_perm: int = DEFAULT_PERM, seed: int = 0) -> CoachingContext:
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
                     "of each are needed to compare behavior rates and sequences")
    elif labeled:
        # the same comparison as the team's report: a rate or sequence point rests on its
        # FDR-controlled result (supported, in that direction)
        rep = _team_report(team_calls, tax, min_calls=min_calls, n_perm=n_perm, seed=seed)
        labs = [b.label for b in rep.behaviors]
        counts_s = _count_matrix(split.success, labs, tax)
        s = _rates(counts_s, split.success, tax)
        n = labeled_passages(call)
        my_counts = behavior_counts(call)
        usual_stage, usual_pos = _usual_place(split.success)
        p25 = np.percentile(s, low_pct, axis=0)
        p75 = np.percentile(s, high_pct, axis=0)
        for j, lab in enumerate(labs):
            b = rep.behaviors[j]
            # what the team's successful calls do, where it holds with the report's FDR controlled
            more, fewer = b.excludes_zero and b.diff > 0, b.excludes_zero and b.diff < 0  # type: ignore[operator]
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
            score = abs(float(b.diff)) * dist  # type: ignore[arg-type]
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
                float(b.diff), absent, sure, 1.0 if sure else 0.5, float(b.ci_low), float(b.ci_high), no, lo, hi,  # type: ignore[arg-type]
                expected))
        points += _sequence_points(call, tax, rep, split.success, low_pct, high_pct)
    points.sort(key=lambda p: (_tier(p), -p.score, p.passages[0] if p.passages else 0))
    return CoachingContext(call.call_id, call.outcome, ns, no, tuple(points), tuple(notes), call.title)


__all__ = [
    "TOO_FEW", "behavior_counts", "behavior_rates", "seller_of", "split_by_outcome", "Split",
    "bootstrap_diff", "BehaviorComparison", "OutcomeReport", "compare_outcomes", "SellerBehavior",
    "SellerProfile", "SellerReport", "compare_sellers", "CoachingPoint", "CoachingContext", "coach",
    "RANKING", "SURE", "label_probability", "UNANSWERED_OBJECTION", "NO_COMMITMENT_REQUEST", "BELOW_RANGE", "ABOVE_RANGE",
    "PermutationTest", "benjamini_hochberg", "METHOD", "Comparison", "summary_sentences", "describe_difference",
    "SEQUENCES", "SEQUENCE", "SequenceKind", "Step", "sequence_steps", "sequence_values", "presenting_before_need",
    "available_sequences", "BROKEN_SEQUENCE", "fdr_results",
]
