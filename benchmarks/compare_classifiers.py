"""callreview's classifier against simpler ones, on one grouped 5-fold split.

usage: python benchmarks/compare_classifiers.py [--corpus DIR] [--folds K] [--textcat {bow,ensemble,none}]
                                                [--epochs N] [--seed S] [--json FILE]

Every classifier sees the same folds: ``GroupKFold`` over the calls of the corpus (a call is
never in both train and test), exactly as ``callreview.evaluate.cross_validate`` splits them.
Scored on the labeled passages of each task (behavior, stage) pooled over the test folds,
with ``callreview.evaluate.task_report`` (macro-F1 over the labels that occur, accuracy).

* **callreview**: ``CallClassifier`` with its default settings, the code path of
  ``cross_validate``: ``call_features`` once for the corpus, ``FeatureBatch.take`` per fold,
  ``fit(..., batch=)``, ``predict_calls(..., explain=0, batch=)``.
* **majority**: the train fold's most frequent label, always.
* **tfidf+lr**: ``TfidfVectorizer`` word 1-2-grams (sublinear tf) of the passage text alone
  + ``LogisticRegression`` (scikit-learn defaults, C=1), one per task.
* **spacy textcat**: spaCy's own ``textcat`` (exclusive classes) on ``spacy.blank("en")``,
  trained from scratch on the passage text alone, one per task: a fixed seed, at most
  ``--epochs`` epochs of minibatch updates, early stopping (patience 3) on macro-F1 of a
  held-out 10% of the train fold's calls, best epoch's weights kept. ``--textcat bow``
  (default) is ``spacy.TextCatBOW.v3`` (uni+bigrams, ~2.5 min for the 10 fits on 2 cores);
  ``ensemble`` is spaCy's default ``TextCatEnsemble.v2`` with a narrower tok2vec (width 32),
  ~3x slower and, in 12 epochs from scratch on this little data, no better.

Speed: *train s* is the fit time summed over the folds; *pred p/s* is passages per second
from text to label over all test folds. For callreview both include the spaCy feature
extraction, which this script runs once for the whole corpus (as ``cross_validate`` does)
and charges to train and test passages in proportion; the baselines vectorize inside fit
and predict. callreview's prediction also covers both tasks at once (context features and
stage decoding), so its per-task figure is the same number.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

from _common import REPO, machine, shown, table, timed

from callreview.corpora import read_corpus
from callreview.evaluate import labeled_tasks, task_report
from callreview.records import Call


def gold(calls: list[Call], task: str) -> tuple[list[str], list[int]]:
    """Labels of the labeled passages of ``calls`` and their row numbers (calls back to back)."""
    ys, rows, k = [], [], 0
    for c in calls:
        for p in c.passages:
            lab = p.label(task)
            if lab:
                ys.append(lab)
                rows.append(k)
            k += 1
    return ys, rows


def texts_of(calls: list[Call]) -> list[str]:
    return [p.text for c in calls for p in c.passages]


# ---------------------------------------------------------------- classifiers
def run_callreview(train, test, tasks, batch, tr, te, feat_per_passage):
    from callreview.pipeline import CallClassifier

    n_train = sum(len(c.passages) for c in train)
    n_test = sum(len(c.passages) for c in test)
    t_fit, clf = timed(lambda: CallClassifier().fit(train, tasks=tasks, batch=batch.take(tr)))
    test_batch = batch.take(te)
    t_pred, preds = timed(lambda: clf.predict_calls(test, explain=0, batch=test_batch))
    out = {}
    for t in tasks:
        labels = [r["label"] for res in preds for r in res[t]]
        _, rows = gold(test, t)
        out[t] = {"pred": [labels[r] for r in rows],
                  "fit_s": t_fit + n_train * feat_per_passage,
                  "pred_s": t_pred + n_test * feat_per_passage, "pred_n": n_test}
    return out


def run_majority(train, test, tasks):
    out = {}
    for t in tasks:
        ytr, _ = gold(train, t)
        t0 = time.perf_counter()
        lab = Counter(ytr).most_common(1)[0][0]
        fit = time.perf_counter() - t0
        _, rows = gold(test, t)
        t0 = time.perf_counter()
        pred = [lab] * len(rows)
        out[t] = {"pred": pred, "fit_s": fit, "pred_s": time.perf_counter() - t0, "pred_n": len(rows)}
    return out


def run_tfidf(train, test, tasks, seed):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    out = {}
    tr_texts, te_texts = texts_of(train), texts_of(test)
    for t in tasks:
        ytr, rtr = gold(train, t)
        _, rte = gold(test, t)
        pipe = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                             LogisticRegression(max_iter=2000, random_state=seed))
        t_fit, _ = timed(lambda: pipe.fit([tr_texts[r] for r in rtr], ytr))
        x = [te_texts[r] for r in rte]
        t_pred, pred = timed(lambda: pipe.predict(x))
        out[t] = {"pred": list(pred), "fit_s": t_fit, "pred_s": t_pred, "pred_n": len(x)}
    return out


def textcat_nlp(labels, arch: str):
    import spacy

    nlp = spacy.blank("en")
    if arch == "bow":
        model = {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
                 "no_output_layer": False, "length": 262144}
    else:
        model = {"@architectures": "spacy.TextCatEnsemble.v2",
                 "tok2vec": {"@architectures": "spacy.Tok2Vec.v2",
                             "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 32,
                                       "rows": [2000, 2000, 500, 1000, 500],
                                       "attrs": ["NORM", "LOWER", "PREFIX", "SUFFIX", "SHAPE"],
                                       "include_static_vectors": False},
                             "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 32,
                                        "window_size": 1, "maxout_pieces": 3, "depth": 2}},
                 "linear_model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True,
                                  "length": 262144, "ngram_size": 1, "no_output_layer": False}}
    tc = nlp.add_pipe("textcat", config={"model": model})
    for lab in labels:
        tc.add_label(lab)
    return nlp


def textcat_predict(nlp, texts: list[str]) -> list[str]:
    return [max(doc.cats, key=doc.cats.get) for doc in nlp.pipe(texts, batch_size=256)]


def fit_textcat(texts, ys, call_of, arch: str, epochs: int, seed: int, patience: int = 3):
    """Train a textcat; early stopping on the macro-F1 of a held-out 10% of the calls."""
    from sklearn.metrics import f1_score
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    rng = random.Random(seed)
    calls = sorted(set(call_of))
    rng.shuffle(calls)
    dev_calls = set(calls[:max(1, len(calls) // 10)])
    labels = sorted(set(ys))
    nlp = textcat_nlp(labels, arch)
    train_ex, dev_x, dev_y = [], [], []
    for x, y, c in zip(texts, ys, call_of):
        if c in dev_calls:
            dev_x.append(x)
            dev_y.append(y)
        else:
            train_ex.append(Example.from_dict(nlp.make_doc(x), {"cats": {lab: float(lab == y) for lab in labels}}))
    optimizer = nlp.initialize(lambda: train_ex)
    best, best_bytes, bad, log = -1.0, None, 0, []
    for _epoch in range(epochs):
        rng.shuffle(train_ex)
        losses: dict[str, float] = {}
        for b in minibatch(train_ex, size=32):
            nlp.update(b, sgd=optimizer, drop=0.2, losses=losses)
        with nlp.use_params(optimizer.averages):
            score = f1_score(dev_y, textcat_predict(nlp, dev_x), average="macro", labels=sorted(set(dev_y)),
                             zero_division=0)
            if score > best:
                best, bad, best_bytes = score, 0, nlp.to_bytes()
            else:
                bad += 1
        log.append(round(score, 4))
        if bad >= patience:
            break
    nlp.from_bytes(best_bytes)
    return nlp, {"epochs_run": len(log), "best_epoch": log.index(max(log)) + 1, "dev_macro_f1": log}


def run_textcat(train, test, tasks, arch, epochs, seed):
    out = {}
    tr_texts, te_texts = texts_of(train), texts_of(test)
    tr_call = [ci for ci, c in enumerate(train) for _ in c.passages]
    for t in tasks:
        ytr, rtr = gold(train, t)
        _, rte = gold(test, t)
        t_fit, (nlp, info) = timed(lambda: fit_textcat([tr_texts[r] for r in rtr], ytr, [tr_call[r] for r in rtr],
                                                       arch, epochs, seed))
        x = [te_texts[r] for r in rte]
        t_pred, pred = timed(lambda: textcat_predict(nlp, x))
        out[t] = {"pred": pred, "fit_s": t_fit, "pred_s": t_pred, "pred_n": len(x), "info": info}
    return out


# ----------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=str(REPO / "corpora" / "default"), help="corpus v1 file or folder")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--textcat", choices=("bow", "ensemble", "none"), default="bow",
                    help="spaCy textcat architecture (none skips it)")
    ap.add_argument("--epochs", type=int, default=12, help="most textcat epochs (early stopping may end sooner)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", dest="json_out", metavar="FILE", help="also write the numbers as JSON to FILE")
    args = ap.parse_args(argv)

    import numpy as np
    from sklearn.model_selection import GroupKFold

    from callreview.features import call_features

    calls = read_corpus(args.corpus)
    tasks = labeled_tasks(calls)
    if not tasks or len(calls) < 2:
        print(f"error: {args.corpus}: needs at least two calls with labeled passages", file=sys.stderr)
        return 2
    n_pass = sum(len(c.passages) for c in calls)
    print(f"corpus {args.corpus}: {len(calls)} calls, {n_pass} passages; tasks {', '.join(tasks)}", file=sys.stderr)
    t_feat, batch = timed(lambda: call_features(calls))
    feat_per_passage = t_feat / n_pass
    print(f"callreview features (spaCy + signals) for the corpus: {t_feat:.1f}s", file=sys.stderr)

    k = min(args.folds, len(calls))
    idx = np.arange(len(calls))
    systems = ["callreview", "majority", "tfidf+lr"] + ([f"spacy textcat ({args.textcat})"]
                                                       if args.textcat != "none" else [])
    acc = {s: {t: {"y": [], "p": [], "fit_s": 0.0, "pred_s": 0.0, "pred_n": 0, "info": []} for t in tasks}
           for s in systems}
    for f, (tr, te) in enumerate(GroupKFold(n_splits=k).split(idx, groups=idx)):
        train = [calls[i] for i in tr]
        test = [calls[i] for i in te]
        runs = {
            "callreview": lambda: run_callreview(train, test, tasks, batch, tr, te, feat_per_passage),
            "majority": lambda: run_majority(train, test, tasks),
            "tfidf+lr": lambda: run_tfidf(train, test, tasks, args.seed),
        }
        if args.textcat != "none":
            runs[systems[-1]] = lambda: run_textcat(train, test, tasks, args.textcat, args.epochs, args.seed)
        for name, run in runs.items():
            print(f"fold {f + 1}/{k}: {name}", file=sys.stderr)
            res = run()
            for t in tasks:
                y, _ = gold(test, t)
                a = acc[name][t]
                a["y"] += y
                a["p"] += list(res[t]["pred"])
                a["fit_s"] += res[t]["fit_s"]
                a["pred_s"] += res[t]["pred_s"]
                a["pred_n"] += res[t]["pred_n"]
                if "info" in res[t]:
                    a["info"].append(res[t]["info"])

    results: dict = {"corpus": args.corpus, "calls": len(calls), "passages": n_pass, "folds": k,
                     "grouped_by": "call", "machine": machine(), "feature_seconds": t_feat, "systems": {}}
    rows = []
    for s in systems:
        results["systems"][s] = {}
        for t in tasks:
            a = acc[s][t]
            rep = task_report(a["y"], a["p"])
            pps = a["pred_n"] / a["pred_s"] if a["pred_s"] > 0 else 0.0
            entry = {"macro_f1": rep["macro_f1"], "accuracy": rep["accuracy"], "n": rep["n"],
                     "train_seconds": a["fit_s"],
                     "predict_passages_per_second": None if s == "majority" else pps,
                     "per_label_f1": {lab: v["f1"] for lab, v in rep["per_label"].items()}}
            if a["info"]:
                entry["textcat_epochs"] = a["info"]
            results["systems"][s][t] = entry
            rows.append([s, t, f"{rep['macro_f1']:.3f}", f"{rep['accuracy']:.3f}", f"{a['fit_s']:.1f}",
                         "-" if s == "majority" else f"{pps:,.0f}"])
    print(f"grouped {k}-fold CV by call on {shown(args.corpus)} ({len(calls)} calls, {n_pass:,} passages); {machine()}")
    print(table(["system", "task", "macro-F1", "accuracy", "train s (all folds)", "pred passages/s"], rows))
    if "callreview" in systems:
        print("callreview: train s and pred passages/s include the spaCy features "
              f"({t_feat:.1f}s for the corpus, charged per passage); one fit and one prediction cover both tasks, "
              "so both rows show the same time.")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
