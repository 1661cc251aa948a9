"""Measure a model: per-label precision, recall, F1, confusion matrix, baselines,
calibration; and grouped cross-validation (no call in both train and test)."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Callable, Sequence

from .records import Call

Progress = Callable[[str], None]


def task_report(y_true: Sequence[str], y_pred: Sequence[str], confidences: Sequence[float] | None = None) -> dict[str, Any]:
    """The numbers for one task: per label, macro-F1, accuracy, confusion, majority baseline."""
    import warnings
    from collections import Counter

    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

    labels = sorted(set(y_true) | set(y_pred))
    true_labels = sorted(set(y_true))
    majority = Counter(y_true).most_common(1)[0][0]
    base = [majority] * len(y_true)
    with warnings.catch_warnings():
        # one label only (a handful of reviewed passages): the figures are still defined
        warnings.filterwarnings("ignore", message="A single label was found", category=UserWarning)
        p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
        report: dict[str, Any] = {
            "n": len(y_true),
            "macro_f1": float(f1_score(y_true, y_pred, labels=true_labels, average="macro", zero_division=0)),
            "accuracy": float(accuracy_score(y_true, y_pred)),
            "per_label": {lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
                                "support": int(s[i])} for i, lab in enumerate(labels)},
            "confusion": {"labels": labels, "matrix": confusion_matrix(y_true, y_pred, labels=labels).tolist()},
            "baseline": {"majority_label": majority,
                         "accuracy": float(accuracy_score(y_true, base)),
                         "macro_f1": float(f1_score(y_true, base, labels=true_labels, average="macro",
                                                    zero_division=0))},
        }
    if confidences is not None:
        report["ece"] = expected_calibration_error(y_true, y_pred, confidences)
    return report


def expected_calibration_error(y_true, y_pred, conf, bins: int = 10) -> float:
    """How far confidence is from accuracy, averaged over confidence bins (0 is perfect)."""
    import numpy as np

    conf = np.asarray(conf, dtype=float)
    correct = np.asarray([a == b for a, b in zip(y_true, y_pred)], dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            ece += m.mean() * abs(correct[m].mean() - conf[m].mean())
    return float(ece)


def corpus_fingerprint(calls: Sequence[Call]) -> str:
    """SHA-256 of the corpus content (text and labels), independent of file layout."""
    from .corpora import call_to_json

    h = hashlib.sha256()
    for c in sorted(calls, key=lambda c: c.call_id):
        h.update(json.dumps(call_to_json(c, predictions=False), sort_keys=True, ensure_ascii=False).encode())
        h.update(b"\n")
    return h.hexdigest()


def _collect(calls: Sequence[Call], preds: Sequence[dict[str, list[dict[str, Any]]]], tasks: Sequence[str],
             acc: dict[str, dict[str, list]]) -> None:
    for call, res in zip(calls, preds):
        for t in tasks:
            if t not in res:
                continue
            for p, r in zip(call.passages, res[t]):
                gold = p.label(t)
                if not gold:
                    continue
                a = acc.setdefault(t, {"y": [], "p": [], "c": [], "ind": []})
                a["y"].append(gold)
                a["p"].append(r["label"])
                a["c"].append(r["probability"])
                a["ind"].append(r.get("independent", r["label"]))


def _reports(acc: dict[str, dict[str, list]], sequence_tasks: Sequence[str]) -> dict[str, Any]:
    from sklearn.metrics import accuracy_score, f1_score

    out = {}
    for t, a in acc.items():
        rep = task_report(a["y"], a["p"], a["c"])
        if t in sequence_tasks:
            labels = sorted(set(a["y"]))
            rep["independent"] = {
                "macro_f1": float(f1_score(a["y"], a["ind"], labels=labels, average="macro", zero_division=0)),
                "accuracy": float(accuracy_score(a["y"], a["ind"]))}
        out[t] = rep
    return out


def labeled_tasks(calls: Sequence[Call], tasks: Sequence[str] = ("behavior", "stage")) -> list[str]:
    return [t for t in tasks if any(p.label(t) for c in calls for p in c.passages)]


def _fold(train_calls, test_calls, train_batch, test_batch, tasks, settings):
    from .pipeline import CallClassifier

    clf = CallClassifier(**settings).fit(train_calls, tasks=tasks, batch=train_batch)
    return test_calls, clf.predict_calls(test_calls, explain=0, batch=test_batch)


def cross_validate(calls: Sequence[Call], *, folds: int = 5, settings: dict[str, Any] | None = None,
                   progress: Progress | None = None, tasks: Sequence[str] = ("behavior", "stage"),
                   n_jobs: int = -1) -> dict[str, Any]:
    """Grouped k-fold cross-validation of the callreview pipeline (calls are the groups).
    Folds run in parallel processes (``n_jobs``; -1 = one per core)."""
    import os

    import numpy as np
    from joblib import Parallel, delayed
    from sklearn.model_selection import GroupKFold

    from .errors import InputError
    from .features import call_features
    from .pipeline import CallClassifier

    calls = list(calls)
    tasks = labeled_tasks(calls, tasks)
    if not tasks:
        raise InputError("the corpus has no labeled passages to evaluate",
                         hint="label passages with 'behavior' and/or 'stage' (corpora/GUIDE.md)")
    if len(calls) < 2:
        raise InputError("cross-validation needs at least two calls", hint="add calls, or pass --model to evaluate a trained model")
    say = progress or (lambda _m: None)
    say("features")
    batch = call_features(calls)
    k = min(folds, len(calls))
    idx = np.arange(len(calls))
    acc: dict[str, dict[str, list]] = {}
    settings = settings or {}
    clf0 = CallClassifier(**settings)
    splits = list(GroupKFold(n_splits=k).split(idx, groups=idx))
    jobs = (delayed(_fold)([calls[i] for i in tr], [calls[i] for i in te], batch.take(tr), batch.take(te),
                           tasks, settings) for tr, te in splits)
    n_jobs = max(1, min(k, os.cpu_count() or 1, n_jobs if n_jobs > 0 else 64))
    for f, (test, preds) in enumerate(Parallel(n_jobs=n_jobs, return_as="generator")(jobs)):
        say(f"fold {f + 1}/{k} done")
        _collect(test, preds, tasks, acc)
    rep = _reports(acc, clf0.sequence_tasks)
    rep["_setup"] = {"folds": k, "calls": len(calls), "grouped_by": "call"}
    return rep


def evaluate_model(model, calls: Sequence[Call], tasks: Sequence[str] = ("behavior", "stage")) -> dict[str, Any]:
    """A trained model against labeled calls it may not have seen."""
    calls = list(calls)
    tasks = [t for t in labeled_tasks(calls, tasks) if t in model.tasks]
    preds = model.classifier.predict_calls(calls, explain=0)
    acc: dict[str, dict[str, list]] = {}
    _collect(calls, preds, tasks, acc)
    return _reports(acc, model.classifier.sequence_tasks)


def compare_models(a, b, calls: Sequence[Call], *, examples: int = 5) -> dict[str, Any]:
    """Two models side by side: per-label F1 from their metadata (cross-validated when
    trained), and how many predictions change between them on ``calls`` (e.g. the
    reviewed calls), with examples, and how often each agrees with the manager."""
    calls = list(calls)
    pa = a.classifier.predict_calls(calls, explain=0) if calls else []
    pb = b.classifier.predict_calls(calls, explain=0) if calls else []
    out: dict[str, Any] = {"a": a.id, "b": b.id, "calls": len(calls), "tasks": {}}
    for task in sorted(set(a.tasks) | set(b.tasks)):
        fa = a.meta.get("metrics", {}).get(task, {})
        fb = b.meta.get("metrics", {}).get(task, {})
        labels = sorted(set(fa.get("per_label_f1", {})) | set(fb.get("per_label_f1", {})))
        t: dict[str, Any] = {
            "macro_f1": {"a": fa.get("macro_f1"), "b": fb.get("macro_f1")},
            "per_label_f1": {lab: {"a": fa.get("per_label_f1", {}).get(lab), "b": fb.get("per_label_f1", {}).get(lab)}
                             for lab in labels},
            "passages": 0, "changed": 0, "examples": [],
            "agree_with_reviewer": {"a": 0, "b": 0, "reviewed": 0},
        }
        if task in a.tasks and task in b.tasks:
            for call, ra, rb in zip(calls, pa, pb):
                for p, x, y in zip(call.passages, ra[task], rb[task]):
                    t["passages"] += 1
                    gold = p.label(task)
                    if gold:
                        t["agree_with_reviewer"]["reviewed"] += 1
                        t["agree_with_reviewer"]["a"] += x["label"] == gold
                        t["agree_with_reviewer"]["b"] += y["label"] == gold
                    if x["label"] != y["label"]:
                        t["changed"] += 1
                        if len(t["examples"]) < examples:
                            t["examples"].append({"call_id": call.call_id, "index": p.index, "text": p.text,
                                                  "a": x["label"], "b": y["label"], "reviewer": gold})
        out["tasks"][task] = t
    return out
