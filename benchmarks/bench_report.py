"""How long the outcome report takes on 1,000 labeled calls.

usage: python benchmarks/bench_report.py [--calls N] [--runs R] [--seed S] [SOURCE...]

The calls are made by resampling and perturbing the labeled calls of SOURCE (default: the
shipped corpus folder corpora/default; when it is missing or empty, the calls written for
the tests in tests/data/insights/): each new call copies a random source call, drops ~10%
of its passages, repeats ~5%, and gets one of 12 sellers. Prints the median wall time of
R runs for `compare_outcomes` (what `callreview report` computes), `compare_sellers`
(`report --by seller`), `coach` for one call, and `call_metrics` over every call.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from callreview.corpora import read_corpus  # noqa: E402
from callreview.insights import coach, compare_outcomes, compare_sellers  # noqa: E402
from callreview.metrics import call_metrics  # noqa: E402
from callreview.records import Call  # noqa: E402


def source_calls(paths: list[str]) -> tuple[list[Call], str]:
    if paths:
        return read_corpus(*paths), ", ".join(paths)
    default = REPO / "corpora" / "default"
    if default.is_dir() and any(default.rglob("*.jsonl")):
        calls = [c for c in read_corpus(default) if c.outcome and any(p.behavior for p in c.passages)]
        if calls:
            return calls, str(default.relative_to(REPO))
    test_data = REPO / "tests" / "data" / "insights"
    return read_corpus(test_data), f"{test_data.relative_to(REPO)} (corpora/default not found)"


def perturb(base: list[Call], n: int, seed: int) -> list[Call]:
    rng = random.Random(seed)
    labeled = [c for c in base if c.outcome and any(p.behavior for p in c.passages)]
    sellers = [f"Seller {k:02d}" for k in range(12)]
    out = []
    for k in range(n):
        src = rng.choice(labeled)
        ps = []
        for p in src.passages:
            r = rng.random()
            if r < 0.10 and len(src.passages) > 5:
                continue
            ps.append(p)
            if r > 0.95:
                ps.append(p)
        ps = [replace(p, index=i) for i, p in enumerate(ps)] or [replace(src.passages[0], index=0)]
        out.append(replace(src, call_id=f"bench-{k:05d}", passages=tuple(ps), seller=rng.choice(sellers)))
    return out


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sources", nargs="*")
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    base, where = source_calls(args.sources)
    calls = perturb(base, args.calls, args.seed)
    n_pass = sum(len(c.passages) for c in calls)
    compare_outcomes(calls)  # warm up: numpy import
    t_report = median_time(lambda: compare_outcomes(calls), args.runs)
    t_sellers = median_time(lambda: compare_sellers(calls), args.runs)
    t_coach = median_time(lambda: coach(calls[0], calls), args.runs)
    t_metrics = median_time(lambda: [call_metrics(c) for c in calls], args.runs)
    rep = compare_outcomes(calls)
    print(f"source: {len(base)} labeled calls from {where}")
    print(f"bench set: {len(calls)} calls, {n_pass} passages ({rep.n_success} successful, {rep.n_other} other)")
    print(f"median of {args.runs} runs, 2000 bootstrap resamples:")
    print(f"  report (compare_outcomes)          {t_report * 1000:8.1f} ms")
    print(f"  report --by seller (12 sellers)    {t_sellers * 1000:8.1f} ms")
    print(f"  coach one call against the rest    {t_coach * 1000:8.1f} ms")
    print(f"  call_metrics for every call        {t_metrics * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
