"""Does the team report hold its level at a manager's team size, and what can it find?

usage: python benchmarks/negative_control.py [--shuffles 40] [--replicates 60] [--share 0.25 0.5]
                                             [--target implication_question] [--pfg DIR] [--json FILE]

1. **Negative control.** Sets of 14, 20 and 40 calls are drawn from corpora/default (and
   14, 20, 40 and all 300 dialogues of a PersuasionForGood sample, read at run time from
   ../shared/external/persuasionforgood, never copied here). In each, the calls' outcomes
   are shuffled among them, so no behavior or sequence can truly separate the outcomes,
   and ``compare_outcomes`` (what ``callreview report`` prints) is run. A row counts as
   flagged when it is supported (its adjusted interval excludes zero). An honest 95%
   report flags at most 5% of rows at every size; with the false discovery rate
   controlled, the share of *reports* with any flag is also at most 5%.
2. **Power.** In real calls with shuffled outcomes, an effect of known size is planted:
   a share (``--share``) of the target behavior's passages in the other calls is moved
   into the successful calls (relabeled "other" there; in the successful calls as many
   seller passages of plain information or "other" become the target). The script prints
   the planted difference (per 100 passages, and in the calls' standard deviations) and
   how often the report supports it, in the planted direction, at 20, 40 and 90 calls.

Every draw is seeded (``--seed``); the figures go into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

from _common import REPO, machine, shown, table  # puts the repository on sys.path

from callreview.corpora import default_corpus_dir, read_corpus
from callreview.insights import compare_outcomes, split_by_outcome
from callreview.taxonomy import default_taxonomy

SIZES = (14, 20, 40)
POWER_SIZES = (20, 40, 90)


def shuffled(calls, rng: random.Random):
    """The calls with their outcomes shuffled among them."""
    outcomes = [c.outcome for c in calls]
    rng.shuffle(outcomes)
    return [replace(c, outcome=o) for c, o in zip(calls, outcomes)]


def flagged(calls, tax, n_perm: int, seed: int) -> tuple[int, int, bool]:
    """(rows supported, rows compared, the report compared at all)."""
    rep = compare_outcomes(calls, tax, n_perm=n_perm, seed=seed)
    rows = [r for r in rep.rows() if r.compared]
    return sum(r.excludes_zero for r in rows), len(rows), rep.compared


def bootstrap_flagged(calls, tax, seed: int, min_calls: int = 5) -> tuple[int, int]:
    """What the report did before: a 95% percentile bootstrap interval per behavior, no
    control for testing many at once; (behaviors whose interval excludes zero, behaviors)."""
    from callreview.insights import _label_order, _matrix, bootstrap_diff

    split = split_by_outcome(calls, tax)
    if len(split.success) < min_calls or len(split.other) < min_calls:
        return 0, 0
    labs = _label_order((p.behavior for c in split.success + split.other for p in c.passages if p.behavior), tax)
    _, low, high = bootstrap_diff(_matrix(split.success, labs), _matrix(split.other, labs), seed=seed)
    return int(((low > 0) | (high < 0)).sum()), len(labs)


def negative_control(name: str, calls, tax, sizes, shuffles: int, n_perm: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for n in sizes:
        hits = rows = reports = any_flag = old_hits = old_rows = 0
        t0 = time.perf_counter()
        for k in range(shuffles):
            drawn = shuffled(rng.sample(calls, n) if n < len(calls) else list(calls), rng)
            h, r, compared = flagged(drawn, tax, n_perm, seed + k)
            hits, rows = hits + h, rows + r
            reports += compared
            any_flag += h > 0
            oh, orows = bootstrap_flagged(drawn, tax, seed + k)
            old_hits, old_rows = old_hits + oh, old_rows + orows
        out.append({"set": name, "calls": n, "shuffles": shuffles, "reports_compared": reports,
                    "rows_compared": rows, "rows_flagged": hits, "flagged": hits / rows if rows else 0.0,
                    "reports_with_a_flag": any_flag / reports if reports else 0.0,
                    "bootstrap_flagged": old_hits / old_rows if old_rows else 0.0,
                    "seconds": round(time.perf_counter() - t0, 1)})
        print(f"  {name}, {n} calls: {hits} of {rows} rows flagged ({out[-1]['flagged']:.1%}); "
              f"{any_flag} of {reports} compared reports flag anything", file=sys.stderr)
    return out


def plant(calls, tax, target: str, share: float, rng: random.Random):
    """Move ``share`` of the target's passages out of the other calls into the successful
    ones (see the module docstring)."""
    donors = set(tax.labels("information")) | set(tax.labels("filler"))
    filler = next(iter(sorted(tax.labels("filler"))), "other")
    out, moved = [], 0
    split_ok = [tax.is_success(c.outcome) for c in calls]
    for c, ok in zip(calls, split_ok):
        if ok or not c.outcome:
            out.append(c)
            continue
        ps = []
        for p in c.passages:
            if p.behavior == target and rng.random() < share:
                ps.append(replace(p, behavior=filler))
                moved += 1
            else:
                ps.append(p)
        out.append(c.with_passages(ps))
    okays = [i for i, ok in enumerate(split_ok) if ok]
    slots = [(i, p.index) for i in okays for p in out[i].passages
             if p.behavior in donors and p.role != "buyer"]
    rng.shuffle(slots)
    chosen: dict[int, set[int]] = {}
    for i, j in slots[:moved]:
        chosen.setdefault(i, set()).add(j)
    for i, idx in chosen.items():
        out[i] = out[i].with_passages(replace(p, behavior=target) if p.index in idx else p for p in out[i].passages)
    return out


def power(calls, tax, target: str, share: float, sizes, replicates: int, n_perm: int, seed: int) -> list[dict]:
    import numpy as np

    rng = random.Random(seed + 1)
    out = []
    for n in sizes:
        found = compared = 0
        planted, sds = [], []
        t0 = time.perf_counter()
        for k in range(replicates):
            drawn = shuffled(rng.sample(calls, n), rng)
            base = compare_outcomes(drawn, tax, n_perm=n_perm, seed=seed + k, sequences=False)
            with_effect = plant(drawn, tax, target, share, rng)
            rep = compare_outcomes(with_effect, tax, n_perm=n_perm, seed=seed + k)
            if not rep.compared:
                continue
            compared += 1
            row, before = rep.get(target), base.get(target)
            planted.append(row.diff - before.diff)
            split = split_by_outcome(with_effect, tax)
            rates = [100.0 * sum(p.behavior == target for p in c.passages) / max(1, sum(1 for p in c.passages if p.behavior))
                     for c in split.success + split.other]
            sds.append(float(np.std(rates, ddof=1)))
            found += row.excludes_zero and row.diff > 0
        d = float(np.mean(planted)) if planted else 0.0
        sd = float(np.mean(sds)) if sds else 0.0
        out.append({"calls": n, "replicates": replicates, "reports_compared": compared, "planted_diff": round(d, 2),
                    "planted_sd": round(d / sd, 2) if sd else None, "power": found / compared if compared else 0.0,
                    "seconds": round(time.perf_counter() - t0, 1)})
        print(f"  power at {n} calls: {found} of {compared} ({out[-1]['power']:.0%}); planted {d:+.2f} per 100 "
              f"passages", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=default_corpus_dir())
    ap.add_argument("--pfg", type=Path, default=REPO.parent / "shared" / "external" / "persuasionforgood")
    ap.add_argument("--shuffles", type=int, default=40, help="outcome shuffles per size (at least 20)")
    ap.add_argument("--replicates", type=int, default=60, help="planted-effect draws per size")
    ap.add_argument("--share", type=float, nargs="+", default=[0.25, 0.5],
                    help="shares of the target's passages moved (one power table row per share and size)")
    ap.add_argument("--target", default="implication_question")
    ap.add_argument("--perm", type=int, default=2000, help="permutations per test (the report's default)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    if args.shuffles < 20:
        ap.error("--shuffles must be at least 20")
    tax = default_taxonomy()
    calls = [c for c in read_corpus(args.corpus) if c.outcome]
    print(f"negative control and power of `callreview report` ({machine()})")
    print(f"corpus: {shown(args.corpus)}, {len(calls)} calls with an outcome; {args.perm} permutations per test; "
          f"seed {args.seed}")
    results: dict = {"negative_control": negative_control("corpora/default", calls, tax, SIZES, args.shuffles,
                                                          args.perm, args.seed)}
    if (args.pfg / "annotated_300_dialog.csv").is_file():
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from pfg_report import read_calls

        pfg_calls, pfg_tax = read_calls(args.pfg)
        pfg_calls = [c for c in pfg_calls if c.outcome]
        results["negative_control"] += negative_control("PersuasionForGood", pfg_calls, pfg_tax,
                                                        (*SIZES, len(pfg_calls)), args.shuffles, args.perm,
                                                        args.seed)
    else:
        print(f"note: no PersuasionForGood data at {args.pfg}; pass --pfg DIR", file=sys.stderr)
    results["power"] = []
    for share in args.share:
        results["power"] += [r | {"share": share} for r in
                             power(calls, tax, args.target, share, POWER_SIZES, args.replicates, args.perm, args.seed)]
    print()
    print(f"Negative control: outcomes shuffled {args.shuffles} times per size; a row is flagged when the report "
          "supports it (its adjusted interval excludes zero)")
    print(table(["set", "calls", "reports compared", "rows compared", "rows flagged", "flagged",
                 "reports with a flag", "before: percentile bootstrap"],
                [[r["set"], r["calls"], f"{r['reports_compared']}/{r['shuffles']}", r["rows_compared"],
                  r["rows_flagged"], f"{r['flagged']:.1%}", f"{r['reports_with_a_flag']:.1%}",
                  f"{r['bootstrap_flagged']:.1%}"]
                 for r in results["negative_control"]]))
    print("(before: the old report's 95% percentile bootstrap per behavior, no FDR control, on the same draws)")
    worst = max(r["flagged"] for r in results["negative_control"])
    print(f"at most {worst:.1%} of rows flagged at any size ({'within' if worst <= 0.05 else 'ABOVE'} 5%)")
    print()
    print(f"Power: a share of the {args.target} passages of the other calls moved into the successful "
          f"calls; {args.replicates} draws per size; power = the report supports it, in that direction")
    print(table(["share moved", "calls", "reports compared", "planted diff (per 100 passages)", "in SDs", "power"],
                [[f"{r['share']:.0%}", r["calls"], f"{r['reports_compared']}/{r['replicates']}", f"{r['planted_diff']:+.2f}",
                  f"{r['planted_sd']:.2f}" if r["planted_sd"] is not None else "-", f"{r['power']:.0%}"]
                 for r in results["power"]]))
    print()
    print("command: python benchmarks/negative_control.py " + " ".join(argv if argv is not None else sys.argv[1:]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
