"""The queue: the least-confident undecided passages of every stored call, one after another."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from ..metrics import format_time
from ..records import TASKS
from . import messages as msg
from .keybar import KeyBar
from .labels import LOOK_CLASSES, MARK_HELP, chip, look, readable, readable_message
from .status import ModelStatus
from .widgets import clip, prediction_lines

if TYPE_CHECKING:  # pragma: no cover
    from ..review import CallReview, QueueItem

LIMIT = 500


class QueueScreen(Screen):
    HELP_TITLE = "Queue"
    COMPONENT_CLASSES = LOOK_CLASSES
    BINDINGS = [
        Binding("a", "accept", "Accept"),
        Binding("b", "relabel('behavior')", "Behavior"),
        Binding("s", "relabel('stage')", "Stage"),
        Binding("x", "skip", "Skip"),
        Binding("c", "comment", "Comment"),
        Binding("right,l", "later", "Later", key_display="→", tooltip="Leave it for later and show the next one"),
        Binding("u", "undo", "Undo"),
        Binding("enter", "open", "Open call"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list["QueueItem"] = []
        self.later: set[tuple[str, int]] = set()
        self.reviews: dict[str, "CallReview"] = {}
        self.done_here = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="queue-title", classes="screen-title")
        with VerticalScroll(id="queue-body"):
            with Vertical(id="queue-card"):
                yield Static("", id="queue-call")
                yield Static("", id="queue-before", classes="queue-context")
                yield Static("", id="queue-passage")
                yield Static("", id="queue-after", classes="queue-context")
                yield Static("", id="queue-preds")
            yield Static("", id="queue-next")
        yield ModelStatus()
        yield KeyBar()

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        self.reviews.clear()
        self.reload()

    def store_changed(self, call_id: str | None = None) -> None:
        self.reviews.clear()
        self.reload()

    # ------------------------------------------------------------------ data

    def reload(self) -> None:
        """Read the queue again in a worker (at a thousand calls it takes a moment)."""
        from ..session import load_review

        store = self.app.store
        if store is None:
            return
        known = set(self.reviews)
        later = set(self.later)

        def read() -> msg.QueueLoaded:
            items = store.queue(LIMIT)
            waiting = [it for it in items if (it.call_id, it.index) not in later] or items
            reviews = {}
            if waiting and waiting[0].call_id not in known:
                reviews[waiting[0].call_id] = load_review(store, waiting[0].call_id)
            return msg.QueueLoaded(items, reviews)

        self.app.run_job("reading the queue", read, target=self)

    @on(msg.QueueLoaded)
    def _loaded(self, event: msg.QueueLoaded) -> None:
        event.stop()
        self.items = event.items
        self.reviews.update(event.reviews)
        self.paint()

    def _answered(self, item: "QueueItem") -> None:
        """Take the item off at once (the store has the decision) and read the queue again."""
        self.items = [it for it in self.items if (it.call_id, it.index) != (item.call_id, item.index)]
        self.paint()
        self.reload()

    def current(self) -> "QueueItem | None":
        waiting = [it for it in self.items if (it.call_id, it.index) not in self.later]
        if not waiting and self.later and self.items:
            self.later.clear()
            waiting = self.items
        return waiting[0] if waiting else None

    def review_of(self, call_id: str) -> "CallReview | None":
        """The review of a call of the queue, None while it is being read."""
        return self.reviews.get(call_id)

    def paint(self) -> None:
        item = self.current()
        title = Text("Queue: the passages the model is least sure of, across all calls", style="bold")
        title.append(f"  ·  {len(self.items)}{'+' if len(self.items) >= LIMIT else ''} to review")
        if self.done_here:
            title.append(f"  ·  {self.done_here} done now")
        self.query_one("#queue-title", Static).update(title)
        parts = ["#queue-call", "#queue-before", "#queue-passage", "#queue-after", "#queue-preds", "#queue-next"]
        if item is None:
            for sel in parts:
                self.query_one(sel, Static).update("")
            self.query_one("#queue-call", Static).update(
                Text("Nothing left to review: every passage of the open calls has a decision.", style="bold"))
            return
        review = self.review_of(item.call_id)
        if review is None:
            for sel in parts:
                self.query_one(sel, Static).update("")
            self.query_one("#queue-call", Static).update(Text(f"Reading {item.call_id}…", style="italic"))
            self.reload()
            return
        call = review.call
        p = call.passages[item.index]
        head = Text()
        head.append(call.title or call.call_id, style="bold")
        if call.seller:
            head.append(f" · seller {call.seller}")
        head.append(f" · outcome {readable(call.outcome, 'not set')}")
        head.append(f"\npassage {item.index} of {len(call.passages) - 1}")
        if p.start is not None:
            head.append(f" · {format_time(p.start)}")
        head.append(f" · model margin {item.margin:.0%} on {readable(item.task).lower()}", style="dim")
        self.query_one("#queue-call", Static).update(head)

        def line(i: int) -> Text:
            if not 0 <= i < len(call.passages):
                return Text("")
            q = call.passages[i]
            t = Text(f"{q.speaker or '—'}: ", style="bold dim")
            t.append(clip(q.text, 300), style="dim")
            return t

        self.query_one("#queue-before", Static).update(line(item.index - 1))
        cur = Text(f"{p.speaker or '—'}{f' ({p.role})' if p.role else ''}: ", style="bold")
        cur.append(p.text)
        self.query_one("#queue-passage", Static).update(cur)
        self.query_one("#queue-after", Static).update(line(item.index + 1))
        preds = Text()
        for task in TASKS:
            preds.append_text(prediction_lines(p, task, alternatives=3))
            d = review.decision(item.index, task)
            if d is not None:
                preds.append(f"  ({'accepted' if d.action == 'accept' else d.action + 'ed'} by you)",
                             style=look(self, "accepted"))
            preds.append("\n")
        why = p.predictions.get(item.task)
        if why is not None and why.explanation:
            preds.append("why: ", style="bold")
            preds.append(readable_message("; ".join(why.explanation[:5])), style="italic")
        mark = review.mark(item.index)
        if mark:
            preds.append(f"\n{MARK_HELP[mark].capitalize()}", style="dim")
        self.query_one("#queue-preds", Static).update(preds)
        upcoming = [it for it in self.items if it is not item and (it.call_id, it.index) not in self.later][:6]
        nxt = Text("Next up\n", style="bold")
        for it in upcoming:
            pred = it.predictions.get(it.task)
            nxt.append(f"  {it.margin:4.0%}  ", style="dim")
            nxt.append_text(chip(it.task, pred.label if pred else None, 18))
            nxt.append(f"  {it.call_id} #{it.index}: {clip(it.text, 60)}\n")
        self.query_one("#queue-next", Static).update(nxt if upcoming else "")

    # --------------------------------------------------------------- editing

    def _decide(self, item: "QueueItem", task: str, action: str, label: str | None = None) -> bool:
        store = self.app.store
        ok = self.app.write(lambda: store.decide(item.call_id, item.index, task, action, label,
                                                   reviewer=self.app.reviewer))
        return ok is not None

    def _reread(self, call_id: str) -> None:
        """After an edit: the call's review as the store now holds it."""
        store = self.app.store
        review = self.app.guarded(lambda: store.review(call_id)) if store is not None else None
        if review is not None:
            self.reviews[call_id] = review
        else:
            self.reviews.pop(call_id, None)

    def _next(self, item: "QueueItem") -> None:
        self.done_here += 1
        self._answered(item)

    def _answer(self, action: str) -> None:
        """Accept or skip every task of the current item still waiting, then move on."""
        item = self.current()
        review = self.review_of(item.call_id) if item else None
        if item is None or review is None:
            return
        todo = [t for t in review.undecided(item.index) if t in item.predictions]
        answered = all(self._decide(item, t, action) for t in todo)
        self._reread(item.call_id)
        if answered:
            self._next(item)

    def action_accept(self) -> None:
        self._answer("accept")

    def action_skip(self) -> None:
        self._answer("skip")

    def action_relabel(self, task: str) -> None:
        from .call import label_choices
        from .dialogs import Picker

        item = self.current()
        review = self.review_of(item.call_id) if item else None
        if item is None or review is None:
            return
        p = review.call.passages[item.index]

        def picked(label: str | None) -> None:
            if label is not None and self._decide(item, task, "relabel", label):
                self._reread(item.call_id)
                self.notify(f"{readable(task)}: {readable(label)}", timeout=2)
                self._next(item)

        self.app.push_screen(Picker(f"{readable(task)} for passage {item.index} of {item.call_id}",
                                    [(lab, readable(lab)) for lab in label_choices(self.app, task, review)],
                                    p.label(task)), picked)

    def action_comment(self) -> None:
        from .dialogs import Prompt

        item = self.current()
        if item is None:
            return

        def done(text: str | None) -> None:
            store = self.app.store
            if text and text.strip() and store is not None:
                eid = self.app.write(lambda: store.comment(item.call_id, item.index, text,
                                                             reviewer=self.app.reviewer))
                if eid is not None:
                    if item.call_id in self.reviews:
                        self._reread(item.call_id)
                    self.notify("Comment saved", timeout=2)
                    self.paint()

        self.app.push_screen(Prompt(f"Comment on passage {item.index} of {item.call_id}", keep=done), done)

    def action_later(self) -> None:
        item = self.current()
        if item is not None:
            self.later.add((item.call_id, item.index))
            self.paint()

    def action_undo(self) -> None:
        event = self.app.undo_last()
        if event is None:
            return
        self.reviews.pop(event.call_id, None)
        if event.index is not None:
            self.later.discard((event.call_id, event.index))
        self.done_here = max(0, self.done_here - 1)
        self.reload()

    def action_open(self) -> None:
        item = self.current()
        if item is not None:
            self.app.open_call(item.call_id, item.index)

    def action_back(self) -> None:
        self.app.pop_screen()
