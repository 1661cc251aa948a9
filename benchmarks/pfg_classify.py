"""Real-data check of the classifier on PersuasionForGood (Wang et al., ACL 2019).

usage: python benchmarks/pfg_classify.py [--data DIR] [--folds K] [--keep DIR] [--json FILE]

The data is read at run time from DIR (default ../shared/external/persuasionforgood relative
to the repository; see its SOURCE.md for origin and license, Apache-2.0) and converted into
a corpus v1 file in a temporary folder. Nothing from it is written into the repository.

The paper's classification setting: persuader sentences, the 10 persuasion strategies plus
one class, ``non-strategy``, for every other persuader sentence (the CSV's 16 dialogue-act
labels such as greeting, thank, proposition-of-donation, and its own label ``other``). The
mapping onto corpus v1:

* a dialogue (``B2``) is a call; each annotated sentence (``Unit``) is a passage, in file order;
* persuader sentences (``B4`` = 0) are ``seller`` passages (speaker "Persuader") whose behavior
  is ``er_label_1`` if it is one of the 10 strategies, else ``non-strategy``;
* persuadee sentences (``B4`` = 1) are ``buyer`` passages (speaker "Persuadee") with no
  behavior: they are context for the features but never trained on or scored
  (``CallClassifier.fit`` and ``cross_validate`` skip passages without a label);
* no stage labels, so only the behavior task is trained; ``er_label_2`` (22 sentences) is ignored.

Then, with the venv's ``callreview`` as subprocesses:

    callreview train --corpus TMP --out TMP2 --folds 0
    callreview evaluate --corpus TMP --json          (grouped 5-fold CV: no dialogue in both)

and the macro-F1 and accuracy are printed beside the published Hybrid RCNN result
(accuracy 74.8%, macro-F1 59.6; its split is the paper's, not ours), with per-label F1.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from collections import Counter, OrderedDict
from pathlib import Path

from _common import REPO, callreview_exe, machine, table, timed

from callreview.corpora import write_corpus
from callreview.records import Call, Passage

STRATEGIES = (
    "logical-appeal", "emotion-appeal", "credibility-appeal", "foot-in-the-door", "self-modeling",
    "personal-story", "donation-information", "source-related-inquiry", "task-related-inquiry",
    "personal-related-inquiry",
)
NON_STRATEGY = "non-strategy"
PUBLISHED = {"system": "Hybrid RCNN (Wang et al. 2019)", "accuracy": 0.748, "macro_f1": 0.596}


def default_dir() -> Path:
    return REPO.parent / "shared" / "external" / "persuasionforgood"


def read_calls(data_dir: Path) -> tuple[list[Call], dict]:
    """The annotated dialogues as calls, and counts of the raw labels and the mapping."""
    dialogs: OrderedDict[str, list[Passage]] = OrderedDict()
    raw = Counter()
    unlabeled_persuader = 0
    with open(data_dir / "annotated_300_dialog.csv", newline="", encoding="utf-8") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            text = (row["Unit"] or "").strip()
            if not text:
                continue
            ps = dialogs.setdefault(row["B2"], [])
            role = row["B4"].strip()
            if role == "0":
                lab = (row["er_label_1"] or "").strip()
                if lab:
                    raw[lab] += 1
                    behavior = lab if lab in STRATEGIES else NON_STRATEGY
                else:
                    unlabeled_persuader += 1
                    behavior = None
                ps.append(Passage(len(ps), text, speaker="Persuader", role="seller", behavior=behavior,
                                  extra={"turn": row["Turn"]}))
            elif role == "1":
                ps.append(Passage(len(ps), text, speaker="Persuadee", role="buyer", extra={"turn": row["Turn"]}))
            else:
                sys.exit(f"error: {data_dir / 'annotated_300_dialog.csv'}:{n}: B4 is {role!r}, expected 0 or 1")
    calls = [Call(did, tuple(ps), source="persuasionforgood") for did, ps in dialogs.items()]
    missing = [s for s in STRATEGIES if s not in raw]
    if missing:
        sys.exit(f"error: strategy labels not found in er_label_1: {', '.join(missing)}\n"
                 "hint: check the label spelling in the CSV against STRATEGIES")
    return calls, {"raw_labels": dict(raw.most_common()), "unlabeled_persuader_sentences": unlabeled_persuader}


def run(cmd: list[str]) -> tuple[float, str]:
    t, r = timed(lambda: subprocess.run(cmd, capture_output=True, text=True, cwd=REPO))
    if r.returncode != 0:
        sys.exit(f"error: {' '.join(cmd)} exited {r.returncode}:\n{r.stderr[-3000:]}")
    return t, r.stdout


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=default_dir(), help="the PersuasionForGood folder (with SOURCE.md)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--keep", type=Path, default=None,
                    help="write the converted corpus and model here instead of a temp dir (outside the repo)")
    ap.add_argument("--skip-train", action="store_true", help="only cross-validate")
    ap.add_argument("--json", dest="json_out", metavar="FILE")
    args = ap.parse_args(argv)
    if not (args.data / "annotated_300_dialog.csv").is_file():
        print(f"error: {args.data}: no annotated_300_dialog.csv here", file=sys.stderr)
        print("hint: pass the PersuasionForGood folder (the one with SOURCE.md) with --data", file=sys.stderr)
        return 2
    if args.keep and REPO in args.keep.resolve().parents:
        print("error: --keep must be outside the repository (the data is never copied into it)", file=sys.stderr)
        return 2
    exe = callreview_exe()
    calls, info = read_calls(args.data)
    counts = Counter(p.behavior for c in calls for p in c.passages if p.behavior)
    n_seller = sum(1 for c in calls for p in c.passages if p.role == "seller")
    n_buyer = sum(1 for c in calls for p in c.passages if p.role == "buyer")

    print(f"PersuasionForGood annotated subset ({args.data}); {machine()}")
    print(f"{len(calls)} dialogues -> calls; {n_seller:,} persuader sentences (seller passages, labeled), "
          f"{n_buyer:,} persuadee sentences (buyer passages, unlabeled context)")
    if info["unlabeled_persuader_sentences"]:
        print(f"{info['unlabeled_persuader_sentences']} persuader sentences have no er_label_1 (left unlabeled)")
    print("\nPersuader labels in er_label_1 and the class each becomes:")
    print(table(["er_label_1", "sentences", "class"],
                [[lab, n, lab if lab in STRATEGIES else NON_STRATEGY] for lab, n in info["raw_labels"].items()]))
    print("\nClasses (the paper's setting: 10 strategies + non-strategy):")
    total = sum(counts.values())
    print(table(["class", "sentences", "share"],
                [[lab, n, f"{n / total:.1%}"] for lab, n in counts.most_common()]))

    result: dict = {"machine": machine(), "dialogues": len(calls), "persuader_sentences": n_seller,
                    "persuadee_sentences": n_buyer, "raw_labels": info["raw_labels"],
                    "classes": dict(counts.most_common()), "published": PUBLISHED}
    with tempfile.TemporaryDirectory(prefix="callreview-pfg-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        corpus = work / "pfg-corpus"
        corpus.mkdir(exist_ok=True)
        with open(corpus / "persuasionforgood.jsonl", "w", encoding="utf-8") as fh:
            write_corpus(calls, fh)
        if not args.skip_train:
            cmd = [exe, "train", "--corpus", str(corpus), "--out", str(work / "pfg-model"), "--folds", "0", "--quiet"]
            t_train, out = run(cmd)
            result["train"] = {"command": "callreview train --corpus TMP --out TMP2 --folds 0", "seconds": t_train,
                               "stdout": out.strip()}
            last = out.strip().splitlines()[-1]
            print(f"\ncallreview train --corpus TMP --out TMP2 --folds 0: {t_train:.0f}s  ({last})")
        cmd = [exe, "evaluate", "--corpus", str(corpus), "--folds", str(args.folds), "--json", "--quiet"]
        t_eval, out = run(cmd)
    rep = json.loads(out)["behavior"]
    result["evaluate"] = {"command": f"callreview evaluate --corpus TMP --folds {args.folds} --json",
                          "seconds": t_eval, "macro_f1": rep["macro_f1"], "accuracy": rep["accuracy"],
                          "n": rep["n"], "baseline": rep["baseline"], "ece": rep.get("ece"),
                          "per_label": rep["per_label"]}
    print(f"callreview evaluate --corpus TMP --folds {args.folds} --json: {t_eval:.0f}s "
          f"(grouped {args.folds}-fold CV by dialogue, {rep['n']:,} persuader sentences scored)\n")
    b = rep["baseline"]
    print(table(["system", "accuracy", "macro-F1"], [
        [f"callreview (grouped {args.folds}-fold CV)", f"{rep['accuracy']:.3f}", f"{rep['macro_f1']:.3f}"],
        [PUBLISHED["system"] + ", published", f"{PUBLISHED['accuracy']:.3f}", f"{PUBLISHED['macro_f1']:.3f}"],
        [f"majority class ({b['majority_label']})", f"{b['accuracy']:.3f}", f"{b['macro_f1']:.3f}"],
    ]))
    print("\nPer class (callreview, pooled over the test folds):")
    print(table(["class", "precision", "recall", "F1", "support"],
                [[lab, f"{v['precision']:.3f}", f"{v['recall']:.3f}", f"{v['f1']:.3f}", v["support"]]
                 for lab, v in sorted(rep["per_label"].items(), key=lambda kv: -kv[1]["support"])]))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
