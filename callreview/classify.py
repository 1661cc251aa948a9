"""Run a model over calls: labels, confidences, alternatives and explanations."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Sequence

from .artifacts import Model
from .records import Call, Prediction

#: below this margin between the top two labels a prediction counts as unsure
UNSURE_MARGIN = 0.25


@contextmanager
def _no_cyclic_gc():
    """Pause the cyclic garbage collector while building many small acyclic objects.

    Labelling a 1,000-passage call allocates ~20,000 small objects (predictions, passages,
    tuples), freed by reference counting; they still trigger full collections, and with
    spaCy and numpy loaded a full collection walks ~100,000 objects: 60 ms, every fourth
    call or so, on top of a call that takes 80 ms. Nothing built here forms a cycle."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def annotate(calls: Sequence[Call], model: Model, *, keep_labels: bool = True, explain: int = 5,
             split: bool = True) -> list[Call]:
    """Label every passage of the calls.

    Each passage gets ``predictions`` (one :class:`Prediction` per task of the model).
    Its ``behavior``/``stage`` are set to the predicted label where the passage has no
    label; with ``keep_labels=False`` every label is replaced by the prediction. With
    ``split`` a transcript's turn that does two jobs is first split into passages where
    the model says so (:mod:`callreview.segment`).
    """
    with _no_cyclic_gc():
        calls = list(calls)
        if split:
            from .segment import split_turns

            calls = split_turns(calls, model)
        return _annotate(calls, model, keep_labels, explain)


def _annotate(calls: list[Call], model: Model, keep_labels: bool, explain: int) -> list[Call]:
    results = model.classifier.predict_calls(calls, explain=explain)
    out = []
    for call, res in zip(calls, results):
        passages = []
        for i, p in enumerate(call.passages):
            preds = dict(p.predictions)
            for task, rows in res.items():
                r = rows[i]
                preds[task] = Prediction(r["label"], r["probability"], tuple(r["alternatives"]),
                                         tuple(r["explanation"]), model.id)
            b = preds["behavior"] if "behavior" in res else None
            s = preds["stage"] if "stage" in res else None
            behavior = b.label if b is not None and (not keep_labels or p.behavior is None) else p.behavior
            stage = s.label if s is not None and (not keep_labels or p.stage is None) else p.stage
            passages.append(p.relabeled(behavior, stage, preds))
        out.append(call.with_passages(passages))
    return out


def is_unsure(prediction: Prediction | None, margin: float = UNSURE_MARGIN) -> bool:
    return prediction is not None and prediction.margin < margin
