"""The review screen's widgets: the transcript table, the stage bar, metrics, the passage strip."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from ..metrics import ESTIMATED, MEASURED, NOT_COMPUTABLE, format_time
from .labels import (
    LOOK_CLASSES,
    MARKS,
    NO_STAGE_COLOR,
    Look,
    band_style,
    chip,
    look,
    percent,
    readable,
    readable_message,
    stage_color,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..metrics import CallMetrics, Metric, StageSpan
    from ..records import Passage
    from ..review import CallReview

LABEL_WIDTH = 20
#: widths of the fixed transcript columns (the passage column takes the rest)
FIXED = {"when": 7, "who": 13, "label": LABEL_WIDTH, "conf": 4}
COLUMNS = ("when", "who", "label", "conf", "text")


def clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: max(1, n - 1)] + "…"


class _Row:
    """The cells of one transcript row, built the first time the row is drawn: filling the
    table with a long call costs next to nothing, only the rows on screen are ever built."""

    __slots__ = ("review", "index", "look", "_texts", "_clipped")

    def __init__(self, review: "CallReview", index: int, look: Look) -> None:
        self.review = review
        self.index = index
        self.look = look
        self._texts: list[Text] | None = None
        self._clipped: tuple[int, Text] | None = None

    def texts(self) -> list[Text]:
        if self._texts is None:
            self._texts = row_texts(self.review, self.index, self.look)
        return self._texts

    def passage(self, width: int) -> Text:
        """The passage text cut to two lines of ``width`` with an ellipsis."""
        if self._clipped is None or self._clipped[0] != width:
            self._clipped = (width, Text(clip(self.review.call.passages[self.index].text, 2 * width - 2)))
        return self._clipped[1]


class Cell:
    """A lazily built transcript cell (a Rich renderable). It has no measure on purpose:
    every column has a fixed width, so the table need not measure a thousand rows."""

    __slots__ = ("row", "k")

    def __init__(self, row: _Row, k: int) -> None:
        self.row = row
        self.k = k

    def __rich_console__(self, console, options):
        if COLUMNS[self.k] == "text":
            yield self.row.passage(options.max_width)
        else:
            yield self.row.texts()[self.k]

    def __str__(self) -> str:
        if COLUMNS[self.k] == "text":
            return self.row.review.call.passages[self.row.index].text
        return self.row.texts()[self.k].plain


def label_probability(p: "Passage", task: str) -> float | None:
    """How likely the model found the label the passage has now (yours after a relabel)."""
    pred = p.predictions.get(task)
    label = p.label(task)
    if pred is None or label is None:
        return None
    if label == pred.label:
        return pred.probability
    return dict(pred.alternatives).get(label)


def row_texts(review: "CallReview", index: int, look: Look) -> list[Text]:
    """The transcript cells of a passage: when (mark, time, number), who, labels, confidence;
    the marks styled by ``look`` (app.tcss)."""
    p = review.call.passages[index]
    mark = review.mark(index)
    commented = index in review.comments
    clock = format_time(p.start) if p.start is not None else ""
    when = Text(MARKS[mark], style=look(mark or ""))
    when.append(f" {clock}\n")
    when.append("*" if commented else " ", style=look("comment"))
    when.append(f" #{index}", style="dim")
    who = Text(clip(p.speaker or "—", FIXED["who"]))
    who.append("\n" + (p.role or ""), style="dim")
    tasks = ("element", None) if review.call.is_plan else ("behavior", "stage")
    label = chip(tasks[0], p.label(tasks[0]), LABEL_WIDTH)
    label.append("\n")
    if tasks[1]:
        label.append_text(chip(tasks[1], p.label(tasks[1]), LABEL_WIDTH))
    def shown(task: str) -> str:
        q = label_probability(p, task)
        return percent(q) if q is not None else ("—" if p.label(task) and p.predictions.get(task) else "")

    conf = Text()
    conf.append(shown(tasks[0]), style=look("unsure") if mark == "unsure" else "")
    conf.append("\n" + (shown(tasks[1]) if tasks[1] else ""), style="dim")
    return [when, who, label, conf, Text("")]


class TranscriptTable(DataTable):
    """The call's passages, two lines each: virtualized, so a long call stays fast."""

    DEFAULT_CLASSES = "transcript"
    COMPONENT_CLASSES = LOOK_CLASSES
    BINDINGS = [
        Binding("enter", "select_cursor", "Detail", tooltip="Open the passage in detail"),
        Binding("home", "scroll_top", "First passage", show=False),
        Binding("end", "scroll_bottom", "Last passage", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.review: "CallReview | None" = None
        self.indices: list[int] = []
        self._text_width = 40

    def look(self, name: str) -> Style:
        return look(self, name)

    def on_mount(self) -> None:
        self.add_column("  Time", width=FIXED["when"], key="when")
        self.add_column("Speaker", width=FIXED["who"], key="who")
        self.add_column("Behavior / stage", width=FIXED["label"], key="label")
        self.add_column("Conf", width=FIXED["conf"], key="conf")
        self.add_column("Passage", width=self._text_width, key="text")

    def _wanted_text_width(self) -> int:
        width = self.size.width or 80
        used = sum(FIXED.values()) + 2 * self.cell_padding * (len(FIXED) + 1) + 2
        return max(20, width - used)

    def on_resize(self) -> None:
        w = self._wanted_text_width()
        if w != self._text_width:
            self._text_width = w
            self.columns[ColumnKey("text")].width = w
            # cells are cut to their column when drawn, so a new width needs no new rows;
            # the virtual size is recomputed on idle
            self._require_update_dimensions = True
            self.refresh()

    def cells(self, review: "CallReview", index: int) -> list["Cell"]:
        row = _Row(review, index, self.look)
        return [Cell(row, k) for k in range(len(COLUMNS))]

    def show(self, review: "CallReview", visible: Sequence[int], *, keep_cursor: bool = False,
             cursor_index: int | None = None) -> None:
        """Fill the table with the ``visible`` passages of the review."""
        current = cursor_index if cursor_index is not None else (self.current_index() if keep_cursor else None)
        self.review = review
        self.indices = list(visible)
        if self.size.width:
            self._text_width = self._wanted_text_width()
            self.columns[ColumnKey("text")].width = self._text_width
        self.clear()
        for i in self.indices:
            row = _Row(review, i, self.look)
            self.add_row(*(Cell(row, k) for k in range(len(COLUMNS))), height=2, key=str(i))
        if current is not None:
            self.go_to(current)

    def update_passage(self, review: "CallReview", index: int) -> None:
        self.review = review
        key = str(index)
        if index not in self.indices:
            return
        for col, value in zip(COLUMNS, self.cells(review, index)):
            self.update_cell(key, col, value)

    def current_index(self) -> int | None:
        if not self.indices or self.row_count == 0:
            return None
        row = min(max(self.cursor_row, 0), len(self.indices) - 1)
        return self.indices[row]

    def go_to(self, index: int) -> bool:
        """Move the cursor to a passage; False when it is not shown (filtered out)."""
        try:
            row = self.indices.index(index)
        except ValueError:
            return False
        self.move_cursor(row=row, animate=False, scroll=True)
        return True


class StageBar(Static):
    """The stage timeline as one bar: each stage's share of the call, in its color,
    with its initial on it and a legend under it, so it reads without color too."""

    spans: reactive[tuple] = reactive((), layout=True)
    method: reactive[str] = reactive(NOT_COMPUTABLE)

    def render(self) -> Text:
        spans: Sequence["StageSpan"] = self.spans
        width = max(10, (self.size.width or 40))
        if not spans:
            return Text("no stages labeled yet", style="dim")
        cells: list[int] = []
        total = sum(s.share for s in spans) or 1.0
        for s in spans:
            cells.append(max(1, round(s.share / total * width)))
        while sum(cells) > width:
            cells[cells.index(max(cells))] -= 1
        bar = Text()
        for s, n in zip(spans, cells):
            name = readable(s.stage)
            inside = (name if n >= len(name) + 1 else (name[:1] if s.stage else "·")).center(n)[:n]
            bar.append(inside, style=band_style(s.stage))
        bar.append("\n")
        seen: dict[str | None, float] = {}
        for s in spans:
            seen[s.stage] = seen.get(s.stage, 0.0) + s.share
        how = "of the time" if self.method == MEASURED else "of the words" if self.method == ESTIMATED else ""
        legend = Text()
        for stage, share in seen.items():
            if legend:
                legend.append("  ")
            legend.append("■\u00a0", style=stage_color(stage) if stage else NO_STAGE_COLOR)
            legend.append(f"{readable(stage, 'no stage')}\u00a0{share:.0%}".replace(" ", "\u00a0"))
        bar.append_text(legend)
        if how:
            bar.append(f"\n(share {how})", style="dim")
        return bar


_METHOD = {MEASURED: "meas.", ESTIMATED: "est.", NOT_COMPUTABLE: "n/a"}
METHOD_LEGEND = ("meas. measured from the call (cue times, words, labels) · est. estimated (word shares, "
                 "the model's labels) · n/a the call cannot tell · Typical: a published correlation, not a rule")
METRIC_NAMES = {
    "duration": "Duration", "talk_ratio": "Seller talk", "longest_seller_monologue": "Longest monologue",
    "longest_buyer_story": "Longest buyer story", "interactivity": "Speaker switches",
    "patience": "Patience", "talking_speed": "Talking speed", "filler_rate": "Fillers",
    "seller_questions": "Seller questions", "buyer_questions": "Buyer questions", "benefits": "Benefits",
    "benefits_linked_to_need": "Benefits on a need", "information": "Information", "buyer_needs": "Buyer needs",
    "summaries": "Summaries", "objections": "Objections", "objections_unanswered": "Unanswered objections",
    "commitment_requested": "Asked for commitment", "buyer_committed": "Buyer committed",
}


def metric_name(name: str) -> str:
    if name in METRIC_NAMES:
        return METRIC_NAMES[name]
    if "." in name:
        head, tail = name.split(".", 1)
        return f"  {readable(tail)}"
    return readable(name)


def metric_value(m: "Metric") -> str:
    v = m.value
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if m.unit == "s":
        return format_time(v) if v >= 60 else f"{v:.0f} s"
    if isinstance(v, float):
        text = f"{v:.1f}" if abs(v) < 100 else f"{v:.0f}"
    else:
        text = str(v)
    unit = {"questions": "", "statements": "", "objections": "", "switches/min": "/min",
            "per 100 words": "/100 w"}.get(m.unit or "", m.unit or "")
    return f"{text}{'' if unit == '%' else ' '}{unit}".strip()


def metric_reference(m: "Metric") -> str:
    r = m.reference
    if r is None:
        return ""
    unit = "" if r.unit in ("questions", "statements", "objections") else (r.unit or "")
    if r.low is not None and r.high is not None:
        return f"{r.low:g}–{r.high:g}{unit}"
    if r.value is not None:
        return f"~{r.value:g}{unit}"
    return "see note"


def metrics_table(cm: "CallMetrics") -> Table:
    t = Table(box=None, show_header=True, header_style="bold", expand=True, padding=(0, 1, 0, 0))
    t.add_column("Metric", ratio=4, no_wrap=True, overflow="ellipsis")
    t.add_column("Value", ratio=2, justify="right", no_wrap=True)
    t.add_column("How", width=5, no_wrap=True, style="dim")
    t.add_column("Typical", ratio=2, no_wrap=True, style="italic")
    for m in cm.metrics:
        t.add_row(metric_name(m.name), metric_value(m), _METHOD.get(m.method, m.method), metric_reference(m))
    return t


def prediction_lines(p: "Passage", task: str, *, alternatives: int = 2) -> Text:
    """'Behavior: [Rapport] 97% · else Agenda 2%, Other 1%', or, for a relabeled passage,
    '[Summarizing] yours · the model said Rapport 97%'."""
    pred = p.predictions.get(task)
    label = p.label(task)
    out = Text()
    out.append(f"{readable(task)}: ", style="bold")
    out.append_text(chip(task, label))
    if pred is None:
        return out
    if label == pred.label:
        out.append(f" {percent(pred.probability)}")
    else:
        out.append(f"  the model said {readable(pred.label)} {percent(pred.probability)}", style="italic")
    alts = ", ".join(f"{readable(a)} {percent(q)}" for a, q in pred.alternatives[:alternatives])
    if alts:
        out.append(f" · else {alts}", style="dim")
    return out


class PassageStrip(Static):
    """The whole text of the passage under the cursor, and why the model labeled it so."""

    COMPONENT_CLASSES = LOOK_CLASSES

    def show(self, review: "CallReview | None", index: int | None) -> None:
        if review is None or index is None:
            self.update("", layout=False)
            return
        p = review.call.passages[index]
        t = Text()
        head = f"#{index}"
        if p.start is not None:
            head += f"  {format_time(p.start)}"
        head += f"  {p.speaker or '—'}"
        if p.role:
            head += f" ({p.role})"
        t.append(head, style="bold")
        mark = review.mark(index)
        if mark:
            t.append(f"  [{mark}]", style=look(self, mark))
        t.append("\n" + p.text + "\n")
        t.append_text(prediction_lines(p, "behavior"))
        t.append("\n")
        t.append_text(prediction_lines(p, "stage"))
        b = p.predictions.get("behavior")
        if b is not None and b.explanation:
            t.append("\nwhy: ", style="bold")
            t.append(readable_message("; ".join(b.explanation[:4])), style="italic")
        for c in review.comments.get(index, ()):
            t.append(f"\n* {c.text}", style=look(self, "comment"))
        self.update(t, layout=False)  # a fixed height: moving the cursor lays nothing out again
