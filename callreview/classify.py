"""Run a model over calls: labels, confidences, alternatives and explanations."""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from .artifacts import Model
from .records import Call, Prediction

#: below this margin between the top two labels a prediction counts as unsure
UNSURE_MARGIN = 0.25


def annotate(calls: Sequence[Call], model: Model, *, keep_labels: bool = True, explain: int = 5) -> list[Call]:
    """Label every passage of the calls.

    Each passage gets ``predictions`` (one :class:`Prediction` per task of the model).
    Its ``behavior``/``stage`` are set to the predicted label where the passage has no
    label; with ``keep_labels=False`` every label is replaced by the prediction.
    """
    calls = list(calls)
    results = model.classifier.predict_calls(calls, explain=explain)
    out = []
    for call, res in zip(calls, results):
        passages = []
        for i, p in enumerate(call.passages):
            preds = dict(p.predictions)
            changes = {}
            for task, rows in res.items():
                r = rows[i]
                pred = Prediction(label=r["label"], probability=r["probability"],
                                  alternatives=tuple(r["alternatives"]), explanation=tuple(r["explanation"]),
                                  model_id=model.id)
                preds[task] = pred
                if task in ("behavior", "stage") and (not keep_labels or getattr(p, task) is None):
                    changes[task] = pred.label
            passages.append(replace(p, predictions=preds, **changes))
        out.append(call.with_passages(passages))
    return out


def is_unsure(prediction: Prediction | None, margin: float = UNSURE_MARGIN) -> bool:
    return prediction is not None and prediction.margin < margin
