"""Counts for a labeled corpus (the tables of corpora/README.md).

    python benchmarks/corpus_stats.py                    # corpora/default
    python benchmarks/corpus_stats.py path/to/corpus --markdown

Prints calls and passages, then passages per behavior, per stage and per role, and calls
per outcome, style, industry and call type (``style``, ``industry`` and ``call_type`` are
extra fields of the default corpus; a corpus without them shows them as "(none)").
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from callreview.corpora import read_corpus  # noqa: E402


def stats(calls) -> dict[str, Counter]:
    passages = [p for c in calls for p in c.passages]
    return {
        "behavior (passages)": Counter(p.behavior or "(none)" for p in passages),
        "stage (passages)": Counter(p.stage or "(none)" for p in passages),
        "role (passages)": Counter(p.role or "(none)" for p in passages),
        "outcome (calls)": Counter(c.outcome or "(none)" for c in calls),
        "kind (calls)": Counter(c.kind for c in calls),
        "style (calls)": Counter(c.extra.get("style") or "(none)" for c in calls),
        "industry (calls)": Counter(c.extra.get("industry") or "(none)" for c in calls),
        "call type (calls)": Counter(c.extra.get("call_type") or "(none)" for c in calls),
        "passages by style": Counter({s: sum(len(c.passages) for c in calls if (c.extra.get("style") or "(none)") == s)
                                      for s in {c.extra.get("style") or "(none)" for c in calls}}),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(REPO / "corpora" / "default"))
    ap.add_argument("--markdown", action="store_true", help="print markdown tables")
    args = ap.parse_args(argv)
    calls = read_corpus(args.corpus)
    n_pass = sum(len(c.passages) for c in calls)
    words = sum(p.words for c in calls for p in c.passages)
    print(f"{len(calls)} calls, {n_pass} passages, {words} words")
    for name, counter in stats(calls).items():
        total = sum(counter.values())
        print()
        if args.markdown:
            print(f"| {name} | count | share |\n|---|---:|---:|")
            for label, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
                print(f"| {label} | {n} | {n / total:.1%} |")
        else:
            print(name)
            for label, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
                print(f"  {label:<50} {n:>5}  {n / total:6.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
