"""Inter-annotator agreement between the default corpus and an independent second labeling.

A second annotator relabeled a sample of calls of ``corpora/default`` from the annotation
guide alone (``corpora/agreement/second-annotator.jsonl``, same call ids and passages, their
own ``behavior`` and ``stage``). This prints, per task, Cohen's kappa
(``sklearn.metrics.cohen_kappa_score``) and raw agreement over all passages, the same by
call style (clean / disfluent / asr / notes), the most frequent confusions, and the call
outcome agreement.

    python benchmarks/corpus_agreement.py                  # against corpora/default as it is now
    python benchmarks/corpus_agreement.py --rev 0fd695f    # against corpora/default at a commit
    python benchmarks/corpus_agreement.py --json           # the figures as JSON

The passages of both files must line up one for one (same count and text); the script stops
with an error if they do not.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from callreview.corpora import call_from_json, read_corpus  # noqa: E402
from callreview.records import TASKS  # noqa: E402

DEFAULT_SECOND = REPO / "corpora" / "agreement" / "second-annotator.jsonl"
DEFAULT_CORPUS = REPO / "corpora" / "default"


def load_corpus_at(rev: str, folder: str = "corpora/default") -> dict:
    """The calls of ``folder`` as committed at ``rev`` (read with ``git show``)."""
    names = subprocess.run(["git", "-C", str(REPO), "ls-tree", "--name-only", f"{rev}:{folder}"],
                           check=True, capture_output=True, text=True).stdout.split()
    calls = {}
    for name in sorted(n for n in names if n.endswith(".jsonl")):
        text = subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:{folder}/{name}"],
                              check=True, capture_output=True, text=True).stdout
        for lineno, line in enumerate(text.split("\n"), 1):  # JSON Lines end at \n only
            if line.strip():
                call = call_from_json(json.loads(line), path=f"{rev}:{folder}/{name}", line=lineno)
                calls[call.call_id] = call
    return calls


UNMATCHED: Counter = Counter()


def pairs(second, reference):
    """Aligned rows (call, passage index, style, task -> (reference label, second label)).

    Passages are matched by their text. A writer who revised a call after the sample was
    drawn may have added or dropped a passage: those are left out and counted in
    ``UNMATCHED`` (per call), never compared."""
    import difflib

    rows = []
    for call in second:
        ref = reference.get(call.call_id)
        if ref is None:
            sys.exit(f"error: call {call.call_id!r} of the second annotator is not in the corpus")
        style = ref.extra.get("style") or ("notes" if ref.kind == "notes" else "clean")
        a_texts, b_texts = [p.text for p in ref.passages], [p.text for p in call.passages]
        matched = 0
        for block in difflib.SequenceMatcher(a=a_texts, b=b_texts, autojunk=False).get_matching_blocks():
            for d in range(block.size):
                a, b = ref.passages[block.a + d], call.passages[block.b + d]
                rows.append({"call_id": call.call_id, "index": a.index, "style": style, "role": a.role,
                             **{t: (a.label(t), b.label(t)) for t in TASKS}})
                matched += 1
        if matched < max(len(a_texts), len(b_texts)):
            UNMATCHED[call.call_id] = max(len(a_texts), len(b_texts)) - matched
    return rows


def agreement(labels: list[tuple[str, str]]) -> dict:
    ref = [a for a, _ in labels]
    sec = [b for _, b in labels]
    same = sum(a == b for a, b in labels)
    kappa = cohen_kappa_score(ref, sec) if len(set(ref) | set(sec)) > 1 else float("nan")
    return {"n": len(labels), "agree": same, "raw": same / len(labels) if labels else float("nan"),
            "kappa": kappa}


def report(rows, second, reference, top: int) -> dict:
    out: dict = {"calls": len(second), "passages": len(rows), "tasks": {}}
    for task in TASKS:
        labels = [r[task] for r in rows]
        by_style = {}
        for style in sorted({r["style"] for r in rows}):
            by_style[style] = agreement([r[task] for r in rows if r["style"] == style])
        confusions = Counter((a, b) for a, b in labels if a != b).most_common(top)
        out["tasks"][task] = {**agreement(labels), "by_style": by_style,
                              "confusions": [{"corpus": a, "second": b, "count": n} for (a, b), n in confusions]}
    outcomes = [(reference[c.call_id].outcome, c.outcome) for c in second]
    out["outcome"] = {"n": len(outcomes), "agree": sum(a == b for a, b in outcomes),
                      "disagreements": [{"call_id": c.call_id, "corpus": a, "second": b}
                                        for c, (a, b) in zip(second, outcomes) if a != b]}
    return out


def print_report(r: dict, source: str) -> None:
    print(f"second annotator vs {source}: {r['calls']} calls, {r['passages']} passages")
    if UNMATCHED:
        print("passages revised after the sample was drawn, not compared: "
              + ", ".join(f"{cid} {n}" for cid, n in UNMATCHED.items()))
    print()
    print(f"{'task':<10} {'n':>5} {'agree':>6} {'raw':>7} {'kappa':>7}")
    for task, t in r["tasks"].items():
        print(f"{task:<10} {t['n']:>5} {t['agree']:>6} {t['raw']:>7.3f} {t['kappa']:>7.3f}")
    for task, t in r["tasks"].items():
        print(f"\n{task} by call style")
        for style, s in t["by_style"].items():
            print(f"  {style:<10} {s['n']:>5} {s['raw']:>7.3f} {s['kappa']:>7.3f}")
        print(f"{task}: top confusions (corpus -> second annotator)")
        for c in t["confusions"]:
            print(f"  {c['count']:>3}  {c['corpus']:<22} -> {c['second']}")
    o = r["outcome"]
    print(f"\noutcome: {o['agree']}/{o['n']} calls agree")
    for d in o["disagreements"]:
        print(f"  {d['call_id']}: corpus {d['corpus']} -> second {d['second']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--second", default=str(DEFAULT_SECOND), help="the second annotator's corpus v1 file")
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="the reference corpus (file or folder)")
    ap.add_argument("--rev", help="read corpora/default as committed at this git revision instead")
    ap.add_argument("--top", type=int, default=12, help="how many confusions to list per task")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)

    second = read_corpus(args.second)
    if args.rev:
        reference, source = load_corpus_at(args.rev), f"corpora/default@{args.rev}"
    else:
        reference, source = {c.call_id: c for c in read_corpus(args.corpus)}, args.corpus
    rows = pairs(second, reference)
    r = report(rows, second, reference, args.top)
    if args.json:
        print(json.dumps(r, indent=2))
    else:
        print_report(r, source)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
