"""Passage detail: the model's probabilities, alternatives and reasons, and the decision keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ..metrics import format_time
from ..records import TASKS
from ..review import UNSURE_MARGIN
from .keybar import KeyBar
from .labels import LOOK_CLASSES, MARK_HELP, chip, look, readable, readable_message

if TYPE_CHECKING:  # pragma: no cover
    from .call import CallScreen

BAR = 24


def bar(p: float, width: int = BAR) -> str:
    n = round(max(0.0, min(1.0, p)) * width)
    return "█" * n + "·" * (width - n)


class PassageScreen(ModalScreen[None]):
    HELP_TITLE = "Passage detail"
    COMPONENT_CLASSES = LOOK_CLASSES
    BINDINGS = [
        Binding("a", "accept", "Accept"),
        Binding("b", "relabel('behavior')", "Behavior"),
        Binding("s", "relabel('stage')", "Stage"),
        Binding("x", "skip", "Skip"),
        Binding("c", "comment", "Comment"),
        Binding("left,p", "move(-1)", "Previous", key_display="←"),
        Binding("right,n", "move(1)", "Next", key_display="→"),
        Binding("u", "undo", "Undo"),
        Binding("escape,enter", "close", "Close"),
    ]

    def __init__(self, owner: "CallScreen", index: int) -> None:
        super().__init__(classes="dialog-screen")
        self.owner = owner
        self.index = index

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog passage"):
            yield Label("", id="passage-title", classes="dialog-title")
            with VerticalScroll(id="passage-body"):
                yield Static("", id="passage-text")
                yield Static("", id="passage-tasks")
                yield Static("", id="passage-comments")
        yield KeyBar()

    def on_mount(self) -> None:
        self.paint()

    def paint(self) -> None:
        review = self.owner.review
        if review is None:
            return
        p = review.call.passages[self.index]
        head = f"Passage {self.index} of {len(review.call.passages) - 1}"
        if p.start is not None:
            head += f" · {format_time(p.start)}"
        head += f" · {p.speaker or 'unknown speaker'}"
        if p.role:
            head += f" ({p.role})"
        self.query_one("#passage-title", Label).update(head)
        mark = review.mark(self.index)
        text = Text(p.text)
        if mark:
            text.append(f"\n\n{MARK_HELP[mark].capitalize()}.", style="italic")
        self.query_one("#passage-text", Static).update(text)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True)
        grid.add_column()
        for task in TASKS:
            pred = p.predictions.get(task)
            d = review.decision(self.index, task)
            state = Text()
            state.append_text(chip(task, p.label(task)))
            if d is None:
                state.append("  the model's label, not reviewed yet" if pred else "  not labeled by a model",
                             style="dim")
            elif d.action == "accept":
                state.append("  accepted by you", style=look(self, "accepted"))
            elif d.action == "relabel":
                state.append(f"  relabeled by you (the model said {readable(pred.label) if pred else '—'})",
                             style=look(self, "yours"))
            else:
                state.append("  skipped by you: no label", style="dim")
            grid.add_row(Text(readable(task), style="bold underline"), state)
            if pred is None:
                grid.add_row("", "")
                continue
            rows = [(pred.label, pred.probability), *pred.alternatives]
            probs = Table.grid(padding=(0, 1))
            probs.add_column(no_wrap=True)
            probs.add_column(no_wrap=True)
            probs.add_column(justify="right", no_wrap=True)
            for lab, q in rows:
                probs.add_row(chip(task, lab, 22), Text(bar(q), style=look(self, "probability")), f"{q:.0%}")
            grid.add_row("Probabilities", probs)
            margin = pred.margin
            unsure = margin < UNSURE_MARGIN and d is None
            grid.add_row("Confidence", Text(f"{margin:.0%} ahead of the runner-up" + ("  (unsure)" if unsure else ""),
                                            style=look(self, "unsure") if unsure else ""))
            if pred.explanation:
                why = Text()
                for e in pred.explanation:
                    why.append(f"• {readable_message(e)}\n")
                why.rstrip()
                grid.add_row("Why", why)
            grid.add_row("", "")
        self.query_one("#passage-tasks", Static).update(grid)
        comments = Text()
        for c in review.comments.get(self.index, ()):
            comments.append("Comment: ", style="bold")
            comments.append(f"{c.text}\n")
        self.query_one("#passage-comments", Static).update(comments)

    def _then(self) -> None:
        self.paint()

    def action_accept(self) -> None:
        if self.owner.review is not None:
            self.owner.accept(self.index)
            self.paint()

    def action_skip(self) -> None:
        if self.owner.review is not None:
            self.owner.skip(self.index)
            self.paint()

    def action_relabel(self, task: str) -> None:
        if self.owner.review is not None:
            self.owner.relabel(self.index, task, then=self._then)

    def action_comment(self) -> None:
        if self.owner.review is not None:
            self.owner.comment(self.index, then=self._then)

    def action_undo(self) -> None:
        if self.app.undo_last(self.owner.call_id) is None:
            return
        self.owner.reread(self.index, all_rows=True)
        self.paint()

    def action_move(self, step: int) -> None:
        review = self.owner.review
        if review is None:
            return
        visible = self.owner.query_one("TranscriptTable").indices or list(range(len(review.call.passages)))
        try:
            pos = visible.index(self.index)
        except ValueError:
            pos = 0
        pos = max(0, min(len(visible) - 1, pos + step))
        self.index = visible[pos]
        self.owner.go_to(self.index)
        self.paint()

    def action_close(self) -> None:
        self.dismiss(None)
