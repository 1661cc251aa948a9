"""Fit a model from corpora (and reviews): the function behind ``callreview train``."""

from __future__ import annotations

from typing import Any, Callable, Sequence

from .artifacts import Model, library_versions, new_model_id
from .errors import InputError
from .evaluate import corpus_fingerprint, cross_validate, labeled_tasks
from .records import Call

Progress = Callable[[str], None]

def train(calls: Sequence[Call], *, settings: dict[str, Any] | None = None, cv_folds: int = 5,
          progress: Progress | None = None, model_id: str | None = None,
          sources: Sequence[str] = (), n_jobs: int = -1) -> Model:
    """Train on labeled calls; with ``cv_folds`` >= 2 also measure grouped CV first.
    Deterministic: the same calls and settings give the same model. The folds run in
    ``n_jobs`` processes (-1: one per core)."""
    from .pipeline import CallClassifier

    calls = list(calls)
    tasks = labeled_tasks(calls)
    if not tasks:
        raise InputError("the corpus has no labeled passages (no 'behavior' or 'stage' values)",
                         hint="label passages as corpora/GUIDE.md describes, or train on corpora/default")
    say = progress or (lambda _m: None)
    settings = dict(settings or {})
    metrics: dict[str, Any] = {}
    if cv_folds >= 2 and len(calls) >= 2:
        cv = cross_validate(calls, folds=cv_folds, settings=settings, n_jobs=n_jobs,
                            progress=lambda m: say(f"cross-validation: {m}"))
        metrics = {t: {"macro_f1": r["macro_f1"], "accuracy": r["accuracy"],
                       "per_label_f1": {k: v["f1"] for k, v in r["per_label"].items()},
                       **({"independent": r["independent"]} if "independent" in r else {})}
                   for t, r in cv.items() if not t.startswith("_")}
        metrics["_setup"] = cv["_setup"]
    say("fitting the final model")
    clf = CallClassifier(**settings).fit(calls, tasks=tasks, progress=lambda m: say(f"final model: {m}"))
    fp = corpus_fingerprint(calls)
    meta = {
        "corpus": {"fingerprint": fp, "calls": len(calls),
                   "passages": sum(len(c.passages) for c in calls), "sources": list(sources)},
        "settings": clf.get_params(),
        "metrics": metrics,
        "versions": library_versions(),
    }
    return Model(id=model_id or new_model_id(fp, clf.get_params()), classifier=clf, meta=meta)


def merge_reviews(calls: Sequence[Call], store_path: str | None = None) -> tuple[list[Call], int]:
    """Corpus calls plus the reviewed calls of the store (see :func:`merge_reviewed`)."""
    from .store import Store

    with Store.open(store_path) as store:
        reviewed = store.reviewed_calls()
    return merge_reviewed(calls, reviewed), len(reviewed)


def merge_reviewed(calls: Sequence[Call], reviewed: Sequence[Call]) -> list[Call]:
    """Training calls from a corpus and reviewed calls.

    Only the labels a manager decided are used (accepted or relabeled; skipped and
    undecided passages carry no label, so they stay out of training). When a reviewed
    call is also in the corpus (same id and passage texts), the manager's labels replace
    the corpus labels passage by passage and the other corpus labels stay."""
    from dataclasses import replace

    by_id = {c.call_id: c for c in calls}
    for rc in reviewed:
        base = by_id.get(rc.call_id)
        if base is not None and [p.text for p in base.passages] == [p.text for p in rc.passages]:
            by_id[rc.call_id] = base.with_passages(
                replace(bp, behavior=rp.behavior or bp.behavior, stage=rp.stage or bp.stage)
                for bp, rp in zip(base.passages, rc.passages))
        else:
            key = rc.call_id if rc.call_id not in by_id else f"{rc.call_id}@review"
            by_id[key] = replace(rc, call_id=key)
    return list(by_id.values())
