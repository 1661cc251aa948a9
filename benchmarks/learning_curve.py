"""Learning curve: train on a share of corpora/default, score on the held-back voice.

    python benchmarks/learning_curve.py [--shares 0.25 0.5 1.0] [--seed 0]

For each share, a seeded random sample of the corpus's calls (the same sample grows with
the share) trains a model (no cross-validation), which labels corpora/heldout/; prints the
calls, passages and out-of-voice behavior and stage macro-F1. The held-back calls are
never trained on.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from _common import REPO

from callreview.classify import annotate
from callreview.corpora import read_corpus
from callreview.evaluate import task_report
from callreview.train import train


def scores(model, gold) -> dict[str, float]:
    pred = annotate(gold, model, keep_labels=False, explain=0, split=False)
    out = {}
    for t in ("behavior", "stage"):
        yt = [p.label(t) for c in gold for p in c.passages]
        yp = [p.predictions[t].label for c in pred for p in c.passages]
        out[t] = task_report(yt, yp)["macro_f1"]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shares", type=float, nargs="+", default=[0.125, 0.25, 0.5, 1.0])
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    corpus = read_corpus(REPO / "corpora" / "default")
    gold = read_corpus(REPO / "corpora" / "heldout")
    order = list(range(len(corpus)))
    random.Random(a.seed).shuffle(order)
    print(f"{'share':>6} {'calls':>6} {'passages':>9} {'behavior F1':>12} {'stage F1':>9} {'train s':>8}")
    for share in a.shares:
        picked = [corpus[i] for i in sorted(order[:max(2, round(share * len(corpus)))])]
        t0 = time.perf_counter()
        model = train(picked, cv_folds=0)
        dt = time.perf_counter() - t0
        s = scores(model, gold)
        print(f"{share:>6.3f} {len(picked):>6} {sum(len(c.passages) for c in picked):>9} "
              f"{s['behavior']:>12.3f} {s['stage']:>9.3f} {dt:>8.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
