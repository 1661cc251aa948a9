"""Data formats for a team: CSV (one row per passage), JSON (the full review) and JSON
Lines in corpus format v1 (the retraining interchange).

CSV cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return, also after leading spaces) are neutralised with a
leading apostrophe, the OWASP recommendation against CSV injection; the text is
otherwise kept as it was.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .. import __version__
from ..metrics import format_time
from ..records import TASKS

if TYPE_CHECKING:  # pragma: no cover
    from .report import ReportData

CSV_COLUMNS = (
    "call_id", "index", "time", "start", "end", "speaker", "role", "text",
    "behavior", "stage",
    "predicted_behavior", "behavior_confidence", "predicted_stage", "stage_confidence",
    "manager_behavior", "manager_stage", "behavior_decision", "stage_decision",
    "comment",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

JSON_FORMAT = "callreview-export"
JSON_VERSION = 1


def neutralise(cell: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, made plain text."""
    if not isinstance(cell, str) or not cell:
        return cell
    if cell.startswith(_FORMULA_START) or cell.lstrip(" \n").startswith(_FORMULA_START):
        return "'" + cell
    return cell


def _num(x: float | None, digits: int = 2) -> str:
    return "" if x is None else f"{x:.{digits}f}".rstrip("0").rstrip(".") if digits else str(x)


def csv_rows(report: "ReportData") -> Iterable[dict[str, Any]]:
    """The passages of one report as CSV rows (values not yet neutralised)."""
    comments: dict[int, list[str]] = {}
    for c in report.comments:
        comments.setdefault(c.index, []).append(c.text)
    for p in report.call.passages:
        row: dict[str, Any] = {
            "call_id": report.call_id, "index": p.index,
            "time": format_time(p.start) if p.start is not None else "",
            "start": _num(p.start), "end": _num(p.end),
            "speaker": p.speaker or "", "role": p.role or "", "text": p.text,
            "behavior": p.behavior or "", "stage": p.stage or "",
            "comment": "\n".join(comments.get(p.index, [])),
        }
        for task in TASKS:
            pred = p.predictions.get(task)
            row[f"predicted_{task}"] = pred.label if pred else ""
            row[f"{task}_confidence"] = f"{pred.probability:.3f}" if pred else ""
            d = report.decisions.get((p.index, task))
            row[f"manager_{task}"] = (d.label or "") if d else ""
            row[f"{task}_decision"] = d.action if d else ""
        yield row


def render_csv(reports: Sequence["ReportData"]) -> str:
    """One CSV table (RFC 4180, CRLF line ends) with the passages of every report."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, quoting=csv.QUOTE_MINIMAL)
    w.writeheader()
    for r in reports:
        for row in csv_rows(r):
            w.writerow({k: neutralise(v) for k, v in row.items()})
    return buf.getvalue()


def render_json(reports: Sequence["ReportData"]) -> str:
    """The full reviews as one JSON document: ``{"format", "version", "calls": [...]}``."""
    doc = {"format": JSON_FORMAT, "version": JSON_VERSION, "generator": f"callreview {__version__}",
           "calls": [r.to_json() for r in reports]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render_jsonl(reports: Sequence["ReportData"]) -> str:
    """Corpus format v1: one call per line, labels only where a person gave them (see
    :meth:`ReportData.training_call`), the model's output in ``predictions``."""
    from ..corpora import write_corpus

    buf = io.StringIO()
    write_corpus((r.training_call() for r in reports), buf, predictions=True)
    return buf.getvalue()
