"""How callreview scales: passages a second for 1 and 2 processes and a 2-worker local Dask
cluster, on 100, 1,000 and 10,000 generated calls, with peak memory; and the in-process cost
of labeling against spaCy's blank tokenizer over the same text.

usage: python benchmarks/bench_scale.py [--sizes 100,1000,10000] [--per-file 50] [--runs R] [--json FILE]

(a) For each size N: N calls generated from the passages of corpora/default (each call 20-80
    consecutive passages of the corpus, labels removed, seeded), written as a folder of corpus
    .jsonl files of ``--per-file`` calls each. Then, from a cold start:
        callreview annotate DIR --json -q                      > /dev/null   (1 process)
        callreview annotate DIR --json -q --jobs 2             > /dev/null   (2 processes)
        callreview annotate DIR --json -q --scheduler ADDRESS  > /dev/null   (Dask, 2 workers)
    The Dask cluster (``distributed.LocalCluster(n_workers=2, threads_per_worker=1)``) is
    started by this script before the command and is not in its time. Passages a second =
    passages labeled / wall time of the command (start-up, model load, reading, labeling,
    writing JSON lines). Peak memory = the highest sum of the resident memory of the command
    and its child processes (sampled every 20 ms with psutil; for Dask the workers' memory is
    reported on its own).
(b) In process, the model loaded: ``callreview.classify.annotate`` of one 1,000-passage call
    and ``spacy.blank("en").tokenizer`` over the same 1,000 texts, side by side, median of R
    (default 7) runs of each after a warm-up; the ratio of the two.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

from _common import REPO, callreview_exe, machine, table

from callreview.corpora import read_corpus, write_corpus
from callreview.records import Call


def generate(n: int, out: Path, per_file: int, seed: int = 7) -> int:
    """``n`` unlabeled calls in ``out`` (files of ``per_file`` calls); returns the passages."""
    rng = random.Random(seed)
    pool = [p for c in read_corpus(REPO / "corpora" / "default") for p in c.passages]
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for f in range(0, n, per_file):
        calls = []
        for k in range(f, min(n, f + per_file)):
            size = rng.randint(20, 80)
            start = rng.randrange(0, len(pool) - size)
            ps = tuple(replace(p, index=i, behavior=None, stage=None, predictions={})
                       for i, p in enumerate(pool[start:start + size]))
            calls.append(Call(f"gen-{k:06d}", ps, title=f"generated call {k}"))
            total += size
        with open(out / f"calls-{f // per_file:05d}.jsonl", "w", encoding="utf-8") as fh:
            write_corpus(calls, fh, predictions=False)
    return total


def _tree_rss(proc) -> int:
    import psutil

    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def run_command(args: list[str], watch_extra=None) -> tuple[float, int, int]:
    """Wall time, peak memory of the command's process tree, and of ``watch_extra`` processes."""
    import psutil

    peak = [0, 0]
    done = threading.Event()
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ps = psutil.Process(proc.pid)

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(ps))
            if watch_extra:
                peak[1] = max(peak[1], sum(_tree_rss(w) for w in watch_extra))
            time.sleep(0.02)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    th.join()
    if proc.returncode != 0:
        sys.exit(f"error: {' '.join(args)} failed:\n{err.decode()[-2000:]}")
    return wall, peak[0], peak[1]


def tokenizer_ratio(runs: int) -> dict:
    import spacy

    sys.path.insert(0, str(REPO / "benchmarks"))
    from bench_annotate import long_call

    from callreview.artifacts import load_model
    from callreview.classify import annotate

    call = long_call(read_corpus(REPO / "corpora" / "default"), 1000)
    texts = [p.text for p in call.passages]
    model = load_model(None)
    nlp = spacy.blank("en")
    annotate([call], model)
    list(nlp.tokenizer.pipe(texts))
    a_times, t_times = [], []
    for _ in range(runs):  # side by side: the machine's load affects both alike
        t0 = time.perf_counter()
        annotate([call], model)
        a_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for t in texts:
            nlp.tokenizer(t)
        t_times.append(time.perf_counter() - t0)
    a, t = statistics.median(a_times), statistics.median(t_times)
    return {"annotate_ms": a * 1000, "tokenizer_ms": t * 1000, "ratio": a / t}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--per-file", type=int, default=50)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--json", dest="json_out", default=None)
    args = ap.parse_args()
    from distributed import LocalCluster

    exe = callreview_exe()
    rows, results = [], []
    print(machine())
    with tempfile.TemporaryDirectory() as tmp, \
            LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster:
        import psutil

        workers = [psutil.Process(p.pid) for p in psutil.Process().children() if p.pid]
        for n in (int(s) for s in args.sizes.split(",")):
            folder = Path(tmp) / f"calls-{n}"
            passages = generate(n, folder, args.per_file)
            base = [exe, "annotate", str(folder), "--json", "-q"]
            for label, extra, watch in (("1 process", [], None), ("2 processes", ["--jobs", "2"], None),
                                        ("Dask, 2 workers", ["--scheduler", cluster.scheduler_address], workers)):
                wall, peak, peak_workers = run_command(base + extra, watch)
                r = {"calls": n, "passages": passages, "how": label, "seconds": wall,
                     "passages_per_s": passages / wall, "peak_mb": peak / 2**20,
                     "workers_peak_mb": peak_workers / 2**20 if watch else None}
                results.append(r)
                rows.append([f"{n:,}", f"{passages:,}", label, f"{wall:.1f}", f"{passages / wall:,.0f}",
                             f"{peak / 2**20:,.0f}", f"{peak_workers / 2**20:,.0f}" if watch else "-"])
                print(f"  {n:>6,} calls  {label:<16} {wall:7.1f} s  {passages / wall:8,.0f} passages/s  "
                      f"peak {peak / 2**20:6,.0f} MB", flush=True)
    print()
    print(table(["calls", "passages", "how", "seconds", "passages/s", "peak MB", "Dask workers MB"], rows))
    ratio = tokenizer_ratio(args.runs)
    print()
    print(f"in process, one 1,000-passage call: annotate {ratio['annotate_ms']:.1f} ms, "
          f"spaCy blank tokenizer {ratio['tokenizer_ms']:.1f} ms, ratio {ratio['ratio']:.2f}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"runs": results, "tokenizer": ratio}, indent=2))


if __name__ == "__main__":
    main()
