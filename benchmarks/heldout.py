"""The honest out-of-voice test: the shipped model on corpora/heldout/, calls written by a
writer of their own and never trained or tuned on.

    python benchmarks/heldout.py [--model DIR] [--heldout DIR] [--team DIR] [--json]

prints, on the held-back calls only (aggregate figures; nothing here is for reading calls
one by one):

1. **Labels** (the labeled form: the writer's passages): behavior and stage macro-F1,
   accuracy and expected calibration error, overall and per style (clean, disfluent, asr,
   notes), beside the majority baseline.
2. **Coaching agreement**: ``coach`` on each call's true labels and on the model's, both
   against the same team (the shipped corpus, true labels). Precision of the model's top 3
   findings (points that the true labels also give: same kind and label, and for an
   unanswered objection the same passage), and on how many calls the first finding is false.
   Points to check are not findings and are counted apart.
3. **Raw files**: each call written out as the file a manager would have (notes as notes,
   transcripts in turn as Teams VTT, SRT, plain and Otter, one turn per speaker run), read
   back with callreview's readers (the seller named, as a manager would), annotated (turns
   split where the model says so) and scored word by word against the labels; and how many
   notes files were read as notes.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from _common import REPO
from _raw import word_labels, write_raw

from callreview.artifacts import load_model
from callreview.classify import annotate
from callreview.corpora import read_corpus
from callreview.evaluate import task_report
from callreview.formats import load_calls
from callreview.insights import coach

TASKS = ("behavior", "stage")


def style(call) -> str:
    return call.extra.get("style") or ("notes" if call.kind == "notes" else "transcript")


def label_figures(gold, pred) -> dict:
    acc: dict[str, dict[str, dict[str, list]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for g, p in zip(gold, pred):
        for key in ("all", style(g)):
            for t in TASKS:
                for gp, pp in zip(g.passages, p.passages):
                    if gp.label(t):
                        pr = pp.predictions[t]
                        acc[key][t]["true"].append(gp.label(t))
                        acc[key][t]["pred"].append(pr.label)
                        acc[key][t]["conf"].append(pr.probability)
    out = {}
    for key, tasks in acc.items():
        out[key] = {t: task_report(v["true"], v["pred"], v["conf"]) for t, v in tasks.items()}
    return out


def _key(pt) -> tuple:
    if pt.kind == "unanswered_objection":
        return (pt.kind, pt.passages[0])
    return (pt.kind, pt.label)


def coaching_figures(gold, pred, team) -> dict:
    top_hits = top_n = first_false = with_first = checks = 0
    for g, p in zip(gold, pred):
        truth = {_key(pt) for pt in coach(g, team).verdicts}
        ctx = coach(p, team)
        mine = ctx.verdicts[:3]
        checks += len(ctx.checks)
        top_n += len(mine)
        top_hits += sum(1 for pt in mine if _key(pt) in truth)
        if mine:
            with_first += 1
            first_false += _key(mine[0]) not in truth
    return {"calls": len(gold), "top3_points": top_n, "top3_true": top_hits,
            "top3_precision": top_hits / top_n if top_n else None,
            "calls_with_a_first_point": with_first, "first_point_false": first_false, "points_to_check": checks}


def raw_figures(gold, model, folder: Path) -> dict:
    written = write_raw(gold, folder)
    by_style: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    notes_total = notes_as_notes = 0
    n_turns = n_read = 0
    for call, path, fmt in written:
        sellers = [call.seller] if call.seller else []
        read = load_calls(path, sellers=sellers)[0]
        if fmt == "notes":
            notes_total += 1
            notes_as_notes += read.kind == "notes"
        n_turns += len(read.passages)
        labeled = annotate([read], model, keep_labels=False, explain=0)[0]
        n_read += len(labeled.passages)
        got = word_labels(call, labeled, "behavior")
        for key in ("all", style(call)):
            for gp, lab in zip(call.passages, got):
                by_style[key]["true"].append(gp.behavior)
                by_style[key]["pred"].append(lab or "")
    out = {k: task_report(v["true"], v["pred"])["macro_f1"] for k, v in by_style.items()}
    return {"behavior_macro_f1": out, "notes_files": notes_total, "notes_read_as_notes": notes_as_notes,
            "turns_read": n_turns, "passages_after_split": n_read,
            "labeled_passages": sum(len(c.passages) for c in gold)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=str(REPO / "models" / "default"))
    ap.add_argument("--heldout", default=str(REPO / "corpora" / "heldout"))
    ap.add_argument("--team", default=str(REPO / "corpora" / "default"))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--skip-raw", action="store_true")
    a = ap.parse_args()
    model = load_model(a.model)
    gold = read_corpus(a.heldout)
    team = read_corpus(a.team)
    pred = annotate(gold, model, keep_labels=False, explain=0, split=False)
    res = {"model": model.id, "calls": len(gold), "passages": sum(len(c.passages) for c in gold),
           "labels": label_figures(gold, pred), "coaching": coaching_figures(gold, pred, team)}
    if not a.skip_raw:
        with tempfile.TemporaryDirectory() as tmp:
            res["raw"] = raw_figures(gold, model, Path(tmp))
    if a.json:
        print(json.dumps(res, indent=2, default=float))
        return 0
    print(f"model {res['model']} on {res['calls']} held-back calls, {res['passages']} passages")
    print(f"{'style':<12}{'passages':>9}  {'behavior F1':>11} {'acc':>6} {'ECE':>6}  {'stage F1':>8} {'acc':>6} {'ECE':>6}")
    for key in ("all", "clean", "disfluent", "asr", "notes"):
        r = res["labels"].get(key)
        if not r:
            continue
        b, s = r["behavior"], r["stage"]
        print(f"{key:<12}{b['n']:>9}  {b['macro_f1']:>11.3f} {b['accuracy']:>6.3f} {b['ece']:>6.3f}  "
              f"{s['macro_f1']:>8.3f} {s['accuracy']:>6.3f} {s['ece']:>6.3f}")
    c = res["coaching"]
    prec = "n/a" if c["top3_precision"] is None else f"{c['top3_precision']:.3f}"
    print(f"coaching: top-3 findings {c['top3_true']}/{c['top3_points']} true (precision {prec}); first finding "
          f"false on {c['first_point_false']} of {c['calls_with_a_first_point']} calls with one "
          f"({c['calls']} calls); {c['points_to_check']} points to check")
    if "raw" in res:
        r = res["raw"]
        f1 = r["behavior_macro_f1"]
        print(f"raw files: behavior macro-F1 {f1['all']:.3f} (labeled form {res['labels']['all']['behavior']['macro_f1']:.3f}); "
              + ", ".join(f"{k} {v:.3f}" for k, v in f1.items() if k != "all"))
        print(f"  {r['notes_read_as_notes']} of {r['notes_files']} notes files read as notes; {r['turns_read']} turns "
              f"read, {r['passages_after_split']} passages after splitting, {r['labeled_passages']} labeled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
