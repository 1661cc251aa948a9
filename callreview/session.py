"""A manager's review session as plain functions: the steps the review app runs.

Each function here is what one background job of ``callreview review`` calls: import
files into the store with a model, load a call with its review state, find the team
to coach against, retrain with the reviews and compare the two models, keep the new
model, export a call's feedback. They only use the core (store, formats, classify,
train, evaluate, insights), never Textual, so they can be tested and scripted alone.
Heavy libraries are imported inside the functions that need them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from .errors import ExportError, UsageError
from .records import TASKS, Call, Passage
from .review import CallReview, StoredCall

if TYPE_CHECKING:  # pragma: no cover
    from .artifacts import Model
    from .store import Store

#: ``annotate(calls, model) -> calls``: the classifier (replaceable in tests)
Annotate = Callable[[list[Call], "Model"], list[Call]]
#: ``progress(done, total, message)``
Progress = Callable[[int, int, str], None]


def default_annotate(calls: list[Call], model: "Model") -> list[Call]:
    from .classify import annotate

    return annotate(calls, model)


# --------------------------------------------------------------------------- one call


def load_review(store: "Store", call_id: str) -> CallReview:
    """Everything the review screen shows about one stored call: :meth:`Store.review`."""
    return store.review(call_id)


# --------------------------------------------------------------------------- import


def import_files(store: "Store", paths: Sequence[str | Path], model: "Model | None", *,
                 seller: str | None = None, annotate: Annotate | None = None,
                 warn: Callable[[str], None] | None = None, input_format: str = "auto") -> list[StoredCall]:
    """Read files, label their calls with the model and keep them in the store
    (what ``callreview reviews add`` does). Without a model the calls keep their own labels."""
    from .formats import load_calls

    calls: list[Call] = []
    for path in paths:
        calls.extend(load_calls(path, format=input_format, sellers=(seller,) if seller else (), warn=warn))
    if not calls:
        raise UsageError("no calls found in the files given", hint="check the files with: callreview inspect FILE")
    if model is not None:  # a plan's lines get elements from a plan model, not the call model's behaviors
        todo = [c for c in calls if not c.is_plan]
        done = iter((annotate or default_annotate)(todo, model) if todo else [])
        calls = [c if c.is_plan else next(done) for c in calls]
    return [store.add_call(c, seller=seller, model_id=model.id if model is not None and not c.is_plan else None)
            for c in calls]


def annotate_stored(store: "Store", call_ids: Iterable[str], model: "Model", *,
                    annotate: Annotate | None = None, progress: Progress | None = None) -> int:
    """Label stored calls again with ``model`` (their decisions are kept); returns how many."""
    ids = list(call_ids)
    say = progress or (lambda *_: None)
    n = 0
    for k, cid in enumerate(ids):
        say(k, len(ids), f"labeling {cid}")
        call = store.get_call(cid)
        new = (annotate or default_annotate)([call], model)[0]
        store.set_predictions(cid, new, model_id=model.id)
        n += 1
    say(len(ids), len(ids), "done")
    return n


# --------------------------------------------------------------------------- team


def team_calls(store: "Store", paths: Sequence[str | Path] | None = None) -> tuple[list[Call], str]:
    """The calls a call is coached against, and where they come from: the one team of
    ``coach``, ``report`` and the exports (:func:`callreview.team.load_team`)."""
    from .team import load_team

    team = load_team(paths, store=store)
    return list(team.calls), team.source


@dataclass(frozen=True)
class CallContext:
    """What the review screen shows beside the transcript."""

    call_id: str
    metrics: Any  # metrics.CallMetrics
    coaching: Any = None  # insights.CoachingContext, None until the team is known


def plan_context(plan: Call, store: "Store | None", team: Sequence[Call] | None, today: Any = None) -> Any:
    """What the plan screen shows: the plan's coaching (:func:`plan_coach.coach_plan`)
    against the team's plans, with the store's calls and plans as the deal around it, and
    the call it prepared held against it when that call is in the store."""
    from .plan_coach import coach_plan

    related: list[Call] = list(team or ())
    if store is not None:
        related += [c for c in store_items(store) if c.call_id != plan.call_id]
    return coach_plan(plan, related, related=related, today=today)


def store_items(store: "Store") -> list[Call]:
    """Every stored call and plan as it stands now (the manager's labels where decided)."""
    return [store.review(s.call_id).call for s in store.list_calls()]


def call_context(call: Call, team: Sequence[Call] | None) -> CallContext:
    """The call's metrics (``metrics.call_metrics``) and, given the team, its coaching points
    (``insights.coach``)."""
    from .insights import coach
    from .metrics import call_metrics

    return CallContext(call.call_id, call_metrics(call), coach(call, team) if team is not None else None)


# --------------------------------------------------------------------------- retrain


@dataclass(frozen=True)
class LabelScore:
    task: str
    label: str
    before: float | None
    after: float | None
    support: int

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass
class RetrainResult:
    """A model trained with the reviews, compared with the model in use."""

    model: "Model"
    old_model_id: str | None
    n_reviewed_calls: int
    n_reviewed_passages: int
    n_corpus_calls: int
    #: per task and label: F1 on the reviewed passages (the manager's labels) before and after
    scores: tuple[LabelScore, ...]
    #: task -> macro-F1 before and after on the reviewed passages
    macro: Mapping[str, tuple[float | None, float | None]]
    #: (passage, task) predictions on the reviewed calls that the new model changes
    n_changed: int
    n_compared: int
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = field(default_factory=tuple)


def _corpus_sources(model: "Model | None", paths: Sequence[str | Path] | None) -> list[Path]:
    if paths:
        return [Path(p) for p in paths]
    from .locations import repo_root

    found: list[Path] = []
    given = (model.meta.get("corpus", {}).get("sources", []) if model is not None else [])
    for src in given:
        if not isinstance(src, str) or src.startswith("reviews"):
            continue
        for base in filter(None, [Path.cwd(), repo_root(), model.path.parent.parent if model and model.path else None]):
            cand = Path(src) if Path(src).is_absolute() else base / src
            if cand.exists():
                found.append(cand)
                break
    from .corpora import default_corpus_dir

    shipped = default_corpus_dir()
    if not found and shipped is not None:
        found.append(shipped)
    return found


def _labels_of(calls: Sequence[Call], task: str) -> list[tuple[int, int, str]]:
    return [(ci, p.index, p.label(task)) for ci, c in enumerate(calls) for p in c.passages if p.label(task)]


def retrain(store: "Store", model: "Model | None", *, corpus: Sequence[str | Path] | None = None,
            progress: Progress | None = None, train_fn: Callable[..., "Model"] | None = None) -> RetrainResult:
    """Train a new model on the corpus plus the store's reviews and compare it with ``model``.

    The comparison is on the reviewed passages, the manager's labels taken as right:
    per-label F1 of the old and of the new model (the new one was trained on them, so
    its figure says how well it took the corrections in, not how it does on new calls),
    and how many predictions on the reviewed calls change. Nothing is saved.
    """
    from .corpora import read_corpus
    from .evaluate import task_report
    from .train import merge_reviewed, train

    say = progress or (lambda *_: None)
    steps = {"n": 0, "total": 18}

    def step(message: str) -> None:
        steps["n"] += 1
        steps["total"] = max(steps["total"], steps["n"] + 3)
        say(steps["n"], steps["total"], message)

    step("reading the reviews")
    reviewed = store.reviewed_calls()
    n_passages = sum(1 for c in reviewed for p in c.passages if p.behavior or p.stage)
    if not reviewed:
        raise UsageError("no reviewed passages to learn from yet",
                         hint="accept or relabel some passages first (a, b, s on the call screen)")
    sources = _corpus_sources(model, corpus)
    step("reading the corpus")
    base = read_corpus(*sources) if sources else []
    calls = merge_reviewed(base, reviewed)
    new = (train_fn or train)(calls, cv_folds=0, progress=lambda m: step(m),
                              sources=[str(s) for s in sources] + [f"reviews ({len(reviewed)} calls)"])
    step("comparing the models on the reviewed calls")
    current = [store.get_call(c.call_id) for c in reviewed]  # with the predictions shown now
    after = new.classifier.predict_calls(current, explain=0)
    before = model.classifier.predict_calls(current, explain=0) if model is not None else None
    scores: list[LabelScore] = []
    macro: dict[str, tuple[float | None, float | None]] = {}
    n_changed = n_compared = 0
    notes: list[str] = []
    for task in TASKS:
        gold = _labels_of(reviewed, task)
        if task not in new.tasks:
            continue
        y = [lab for _ci, _i, lab in gold]
        pa = [after[ci][task][i]["label"] for ci, i, _ in gold]
        ra = task_report(y, pa) if y else None
        rb = None
        if before is not None and task in model.tasks and y:  # type: ignore[union-attr]
            pb = [before[ci][task][i]["label"] for ci, i, _ in gold]
            rb = task_report(y, pb)
        if ra is not None:
            labels = sorted(set(y))
            for lab in labels:
                scores.append(LabelScore(
                    task, lab,
                    rb["per_label"][lab]["f1"] if rb and lab in rb["per_label"] else None,
                    ra["per_label"][lab]["f1"],
                    ra["per_label"][lab]["support"]))
            macro[task] = (rb["macro_f1"] if rb else None, ra["macro_f1"])
        if before is not None and task in model.tasks:  # type: ignore[union-attr]
            for ci, c in enumerate(current):
                for i in range(len(c.passages)):
                    n_compared += 1
                    n_changed += before[ci][task][i]["label"] != after[ci][task][i]["label"]
    if not sources:
        notes.append("no training corpus was found: the new model learned from the reviews alone")
    if model is None:
        notes.append("no model was in use: there is nothing to compare with")
    step("done")
    return RetrainResult(model=new, old_model_id=model.id if model is not None else None,
                         n_reviewed_calls=len(reviewed), n_reviewed_passages=n_passages,
                         n_corpus_calls=len(base), scores=tuple(scores), macro=macro,
                         n_changed=n_changed, n_compared=n_compared, notes=tuple(notes),
                         sources=tuple(str(s) for s in sources))


def keep_model(store: "Store", model: "Model", *, out_dir: str | Path | None = None,
               annotate: Annotate | None = None, progress: Progress | None = None) -> Path:
    """Save the retrained model, make it the current one, and label the calls still
    under review with it (their decisions are kept). Returns the model folder."""
    from .artifacts import save_model, set_current_model, user_models_dir

    target = Path(out_dir) if out_dir else user_models_dir() / model.id
    save_model(model, target)
    set_current_model(target)
    open_ids = [s.call_id for s in store.list_calls() if s.status != "done"]
    annotate_stored(store, open_ids, model, annotate=annotate, progress=progress)
    return target


# --------------------------------------------------------------------------- navigation


_CLOCK = re.compile(r"^\s*(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)\s*$")


def parse_clock(text: str) -> float | None:
    """'12:03' or '1:02:03' or '75' (seconds) -> seconds; None if it is not a time."""
    m = _CLOCK.match(text)
    if m:
        h, mnt, s = m.groups()
        return int(h or 0) * 3600 + int(mnt) * 60 + float(s)
    try:
        return float(text.strip())
    except ValueError:
        return None


def passage_at(call: Call, target: str) -> int | None:
    """The passage at a time ('12:03') or with a number ('#12'): the last one starting at
    or before the time. None when the call has no such passage or no times."""
    t = target.strip()
    if t.startswith("#"):
        try:
            n = int(t[1:])
        except ValueError:
            return None
        return n if 0 <= n < len(call.passages) else None
    seconds = parse_clock(t)
    if seconds is None:
        return None
    timed = [p for p in call.passages if p.start is not None]
    if not timed:
        n = int(seconds)
        return n if ":" not in t and 0 <= n < len(call.passages) else None
    best: Passage | None = None
    for p in timed:
        if p.start <= seconds and (best is None or p.start >= best.start):  # type: ignore[operator]
            best = p
    return (best or timed[0]).index


# --------------------------------------------------------------------------- export

#: the export formats offered for one call's review, best first, when the export module has them
PREFERRED_FORMATS = ("md", "html", "docx", "json", "csv", "jsonl")
SUFFIXES = {"md": ".md", "html": ".html", "docx": ".docx", "json": ".json", "csv": ".csv", "jsonl": ".jsonl"}


def export_formats() -> tuple[str, ...]:
    """The formats one call's review can be exported to here (Markdown first); empty while
    this installation has no export module."""
    try:
        from . import export as _export
    except ImportError:
        return ()
    have = tuple(getattr(_export, "FORMATS", ()))
    return tuple(f for f in PREFERRED_FORMATS if f in have) + tuple(f for f in have if f not in PREFERRED_FORMATS)


def export_call(store: "Store", call_id: str, path: str | Path, fmt: str = "md",
                team: Sequence[Call] | None = None) -> Path:
    """Write one call's review and feedback (``callreview.export``); returns the file."""
    if fmt not in export_formats():
        raise ExportError(f"export to {fmt!r} is not available in this installation",
                          hint="use one of: " + (", ".join(export_formats()) or "none yet; the review is kept "
                                                 "in the store meanwhile"))
    from .export import from_store, render, write_atomic

    out = Path(path).expanduser()
    data = from_store(store, call_id, team=team)
    write_atomic(out, render([data], fmt))
    return out
