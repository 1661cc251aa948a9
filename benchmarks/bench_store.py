"""How fast the review store opens and lists a large review history.

    python benchmarks/bench_store.py [--calls 1000] [--passages 50] [--runs 7]

Builds a store in a temporary folder with CALLS reviewed calls of PASSAGES passages
each (hand-made predictions for both tasks, three decisions and a comment per call,
every fifth call marked done), all through the public API (one committed transaction
per write, as in real use). Then times, as the median of RUNS runs: opening the store,
listing the calls, the review queue, loading one call, and exporting the reviewed calls.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from callreview.records import Call, Passage, Prediction
from callreview.store import Store

BEHAVIORS = ("rapport", "agenda", "situation_question", "problem_question", "buyer_info", "buyer_need")
STAGES = ("opening", "discovery", "presentation", "commitment")


def make_call(i: int, n_passages: int, rng: random.Random) -> Call:
    passages = []
    for j in range(n_passages):
        preds = {}
        for task, labels in (("behavior", BEHAVIORS), ("stage", STAGES)):
            top, second = rng.sample(labels, 2)
            p = rng.uniform(0.35, 0.95)
            preds[task] = Prediction(top, p, ((second, rng.uniform(0, min(p, 1 - p))),), ("word",), "bench-model")
        passages.append(Passage(index=j, text=f"Call {i} passage {j}: {' '.join(rng.sample(BEHAVIORS, 3))}",
                                speaker="Dana" if j % 2 == 0 else "Sam", role="seller" if j % 2 == 0 else "buyer",
                                predictions=preds))
    return Call(call_id=f"call-{i:04d}", passages=tuple(passages), title=f"Benchmark call {i}")


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=1000)
    ap.add_argument("--passages", type=int, default=50)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reviews.sqlite3"
        t0 = time.perf_counter()
        with Store.open(path) as store:
            for i in range(args.calls):
                cid = store.add_call(make_call(i, args.passages, rng), seller=f"Seller {i % 12}").call_id
                for j in rng.sample(range(args.passages), 3):
                    action = rng.choice(("accept", "relabel", "skip"))
                    store.decide(cid, j, "behavior", action, "buyer_need" if action == "relabel" else None,
                                 reviewer=f"manager-{i % 3}")
                store.comment(cid, 0, "Open with the customer's agenda next time")
                if i % 5 == 0:
                    store.set_status(cid, "done")
        build_s = time.perf_counter() - t0
        size_mb = path.stat().st_size / 1e6
        n_writes = args.calls * (1 + 3 + 1) + args.calls // 5

        def open_close() -> None:
            Store.open(path).close()

        with Store.open(path) as store:
            listed = store.list_calls()
            assert len(listed) == args.calls
            figures = {
                "open (and close) the store": median_ms(open_close, args.runs),
                "list_calls()": median_ms(store.list_calls, args.runs),
                "queue(20)": median_ms(lambda: store.queue(20), args.runs),
                "get_call(one call)": median_ms(lambda: store.get_call("call-0500"), args.runs),
                "reviewed_calls() (export)": median_ms(store.reviewed_calls, args.runs),
            }
    print(f"store: {args.calls} calls x {args.passages} passages, {n_writes} committed writes, "
          f"built in {build_s:.1f} s ({build_s / n_writes * 1000:.2f} ms per write), {size_mb:.1f} MB")
    print(f"median of {args.runs} runs:")
    for name, ms in figures.items():
        print(f"  {name:<28} {ms:8.1f} ms")


if __name__ == "__main__":
    main()
