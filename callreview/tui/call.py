"""The call review screen: the transcript beside the call's context (outcome, stage
timeline, coaching points, metrics). Every edit goes to the store at once."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..records import TASKS
from ..taxonomy import default_taxonomy
from . import messages as msg
from .keybar import KeyBar, group
from .labels import LOOK_CLASSES, look, outcome_text, readable, readable_message, status_text
from .status import ModelStatus
from .widgets import METHOD_LEGEND, PassageStrip, StageBar, TranscriptTable, clip, metrics_table

if TYPE_CHECKING:  # pragma: no cover
    from ..insights import CoachingPoint
    from ..review import CallReview


def label_choices(app, task: str, review: "CallReview | None" = None) -> list[str]:
    """The labels a passage can get: the model's, in the taxonomy's order, then any other
    label the call already uses; the taxonomy's when no model is loaded."""
    tax = default_taxonomy()
    if task == "element":  # a plan line: its activity's elements, then the shared ones
        from ..plan_coach import SHARED_ELEMENTS, activity_of, elements_for

        act = activity_of(review.call) if review is not None else None
        order = [*elements_for(act), *SHARED_ELEMENTS]
    else:
        order = list(tax.behaviors if task == "behavior" else tax.stages)
    model = getattr(app, "model", None)
    labels = list(model.labels(task)) if model is not None and task in model.tasks else list(order)
    if review is not None:
        labels += [p.label(task) for p in review.call.passages if p.label(task)]
    seen: dict[str, None] = {}
    for lab in sorted(labels, key=lambda x: (order.index(x) if x in order else len(order), x)):
        seen.setdefault(lab, None)
    return list(seen)


class CallScreen(Screen):
    HELP_TITLE = "Call review"
    COMPONENT_CLASSES = LOOK_CLASSES
    BINDINGS = [
        Binding("enter", "detail", "Detail", tooltip="Open the passage: probabilities, alternatives, why"),
        Binding("a", "accept", "Accept", tooltip="Accept the model's labels and go to the next passage"),
        Binding("b", "relabel('behavior')", "Behavior", tooltip="Relabel the behavior (picker)"),
        Binding("s", "relabel('stage')", "Stage", tooltip="Relabel the stage (picker)"),
        Binding("x", "skip", "Skip", tooltip="No label for this passage, and go to the next one"),
        Binding("c", "comment", "Comment", tooltip="Comment on the passage"),
        Binding("n", "next_unsure", "Next unsure", group=group("Unsure"),
                tooltip="Next passage the model is unsure of"),
        Binding("N", "previous_unsure", "Previous unsure", key_display="N", group=group("Unsure"),
                tooltip="Previous passage the model is unsure of"),
        Binding("right_square_bracket", "next_unreviewed", "Next unreviewed", key_display="]",
                group=group("Unreviewed"), tooltip="Next passage without your decision"),
        Binding("left_square_bracket", "previous_unreviewed", "Previous unreviewed", key_display="[",
                group=group("Unreviewed"), tooltip="Previous passage without your decision"),
        Binding("f", "filter", "Filter", tooltip="Show only a behavior, a stage or a speaker"),
        Binding("slash", "search", "Search", key_display="/", tooltip="Show only passages with some words"),
        Binding("t", "jump", "Time", tooltip="Jump to a time (12:30) or a passage (#40)"),
        Binding("o", "outcome", "Outcome", tooltip="Set the call's outcome"),
        Binding("w", "feedback", "Feedback", tooltip="Write the call's feedback; outcome; mark done"),
        Binding("d", "done", "Done", tooltip="Mark the review done (again: reopen it)"),
        Binding("e", "export", "Export", tooltip="Export this call's review (Markdown, HTML, Word...)"),
        Binding("u", "undo", "Undo", tooltip="Take back the last edit on this call"),
        Binding("Q", "app.queue", "Queue", key_display="Q",
                tooltip="The least-confident passages of all calls, one after another"),
        Binding("R", "app.retrain", "Retrain", key_display="R", tooltip="Retrain the model with your reviews"),
        Binding("v", "toggle_context", "Context", tooltip="Show or hide the call's context pane"),
        Binding("escape", "back", "Library", tooltip="Back to the library of calls"),
    ]

    #: below this many columns the context pane starts hidden (v shows it)
    NARROW = 100
    #: below this many lines the passage strip is shorter
    SHORT = 30

    def __init__(self, call_id: str, cursor: int | None = None) -> None:
        super().__init__()
        self.call_id = call_id
        self.review: "CallReview | None" = None
        self.context = None
        self.filters: dict[str, str | None] = {"behavior": None, "stage": None, "speaker": None}
        self.search = ""
        self._start_cursor = cursor
        self._evidence: dict[int, int] = {}
        #: the app's write count this screen's review reflects
        self._seen_writes = -1
        #: the manager's own choice to show (True) or hide (False) the context pane
        self._context_choice: bool | None = None
        #: how many times the context was asked for (only the latest answer is shown)
        self._context_asked = 0
        #: what the latest context asked for was computed from: (the call, the team)
        self._context_inputs: tuple | None = None

    # ------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="call-body"):
            with Vertical(id="transcript-pane"):
                yield Static("", id="call-title", classes="screen-title")
                yield TranscriptTable(id="transcript")
                yield PassageStrip(id="passage-strip")
            with VerticalScroll(id="context-pane"):
                yield Static("", id="outcome-box")
                yield Static("", id="feedback-box")
                yield Label("Stage timeline", classes="section-title")
                yield StageBar(id="timeline")
                yield Label("Coaching points", classes="section-title")
                yield Static("", id="coaching-note")
                yield OptionList(id="coaching")
                yield Label("Call metrics", classes="section-title")
                yield Static("", id="metrics")
                yield Static(METHOD_LEGEND, id="metrics-legend")
        yield ModelStatus()
        yield KeyBar()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        size = self.app.size
        show = self._context_choice if self._context_choice is not None else size.width >= self.NARROW
        self.set_class(not show, "-no-context")
        self.set_class(size.height < self.SHORT, "-short")

    def action_toggle_context(self) -> None:
        self._context_choice = self.has_class("-no-context")
        self._fit()

    def on_mount(self) -> None:
        self._fit()
        table = self.query_one(TranscriptTable)
        table.focus()
        self.query_one("#call-title", Static).update(Text(f"Opening {self.call_id}…", style="italic"))
        self.load()

    # --------------------------------------------------------------- data

    def load(self, cursor: int | None = None) -> None:
        from ..session import load_review

        store, cid = self.app.store, self.call_id
        if store is None:
            return
        self._seen_writes = self.app.writes
        self.app.run_job(f"opening call {cid}", lambda: msg.ReviewLoaded(load_review(store, cid), cursor),
                         target=self)

    @on(msg.ReviewLoaded)
    def _loaded(self, event: msg.ReviewLoaded) -> None:
        event.stop()
        self.review = event.review
        table = self.query_one(TranscriptTable)
        cursor = event.cursor if event.cursor is not None else self._start_cursor
        self._start_cursor = None
        table.show(self.review, self.shown_indices(), keep_cursor=cursor is None, cursor_index=cursor)
        self._refresh_header()
        self._refresh_strip()
        self._refresh_feedback()
        self.call_after_refresh(self.compute_context)  # metrics and coaching after the first paint

    def on_screen_resume(self) -> None:
        # another screen (the queue, another view of this call) may have changed the review
        if self.review is not None and self.app.store is not None and self.app.writes != self._seen_writes:
            self.load(cursor=self.current())

    def store_changed(self, call_id: str | None = None) -> None:
        if call_id is None or call_id == self.call_id:
            self.load()

    def team_ready(self) -> None:
        self.compute_context()

    def compute_context(self) -> None:
        """Metrics and coaching points in a worker, when what they are computed from (the
        call: its labels, outcome...; and the team) differs from the last time: a comment,
        an accepted label, feedback or a status leaves them as they are."""
        from ..session import call_context

        if self.review is None:
            return
        call, team = self.review.call, self.app.team
        last = self._context_inputs
        if last is not None and last[1] is team and last[0] == call:
            return
        self._context_inputs = (call, team)
        self._context_asked += 1
        asked = self._context_asked

        def job() -> msg.ContextReady:
            ready = msg.ContextReady(call_context(call, team))
            ready.asked = asked
            return ready

        self.app.run_job(f"coaching {self.call_id}", job, target=self)

    @on(msg.ContextReady)
    def _context_ready(self, event: msg.ContextReady) -> None:
        event.stop()
        if getattr(event, "asked", self._context_asked) != self._context_asked:
            return  # a later edit asked again: that answer is the one to show
        self.context = event.context
        cm = event.context.metrics
        bar = self.query_one(StageBar)
        bar.spans = cm.timeline
        bar.method = cm.timeline_method
        self.query_one("#metrics", Static).update(metrics_table(cm))
        coaching = self.query_one("#coaching", OptionList)
        highlighted = coaching.highlighted
        coaching.clear_options()
        ctx = event.context.coaching
        note = self.query_one("#coaching-note", Static)
        if ctx is None:
            note.update("")
            coaching.add_option(Option(Text("waiting for the team's calls…", style="dim"), disabled=True))
        elif not ctx.points:
            why = "; ".join(ctx.notes) or "nothing stands out against the team's successful calls"
            coaching.add_option(Option(Text(readable_message(why), style="dim"), disabled=True))
        else:
            for k, p in enumerate(ctx.points, 1):
                t = Text()
                t.append(f"{k}. ", style="bold")
                t.append(readable_message(p.message))
                where = "where it would usually be" if p.absent else "evidence"
                t.append(f"\n   ↳ {where}: passages {', '.join(map(str, p.passages[:6]))}"
                         f"{'…' if len(p.passages) > 6 else ''}", style="dim")
                coaching.add_option(Option(t, id=str(k - 1)))
            if highlighted is not None and highlighted < coaching.option_count:
                coaching.highlighted = highlighted
        if ctx is not None:
            t = Text(f"vs {ctx.n_team_success} successful, {ctx.n_team_other} other calls "
                     f"({self.app.team_source or 'the team'}) · enter: its passages", style="dim italic")
            for line in ctx.notes if ctx.points else ():
                t.append(f"\nnote: {readable_message(line)}", style="dim")
            note.update(t)

    # ----------------------------------------------------------- showing

    def shown_indices(self) -> list[int]:
        if self.review is None:
            return []
        f, q = self.filters, self.search.strip().lower()
        out = []
        for p in self.review.call.passages:
            if f["behavior"] and p.behavior != f["behavior"]:
                continue
            if f["stage"] and p.stage != f["stage"]:
                continue
            if f["speaker"] and p.speaker != f["speaker"]:
                continue
            if q and q not in p.text.lower():
                continue
            out.append(p.index)
        return out

    def _refresh_header(self) -> None:
        r = self.review
        if r is None:
            return
        c = r.call
        title = Text(c.title or c.call_id, style="bold")
        if c.seller:
            title.append(f"  ·  seller {c.seller}")
        title.append(f"  ·  {len(c.passages)} passages")
        table = self.query_one(TranscriptTable)
        active = [f"{readable(k)}: {readable(v) if k != 'speaker' else v}" for k, v in self.filters.items() if v]
        if self.search:
            active.append(f"text “{self.search}”")
        if active:
            title.append(f"\nshowing {len(table.indices)} of {len(c.passages)} · " + " · ".join(active)
                         + "  (f: change filter)", style=look(self, "filter"))
        self.query_one("#call-title", Static).update(title)
        box = Text()
        box.append("Outcome  ", style="bold")
        box.append_text(outcome_text(c.outcome))
        box.append("   o: change\n", style="dim")
        box.append("Review   ", style="bold")
        box.append_text(status_text(r.status, lambda name: look(self, name)))
        box.append("   d: done\n", style="dim")
        box.append("Progress ", style="bold")
        box.append(f"{r.n_reviewed}/{len(c.passages)} reviewed, ")
        box.append(f"{r.n_unsure} unsure", style=look(self, "unsure") if r.n_unsure else "")
        self.query_one("#outcome-box", Static).update(box)

    def _refresh_strip(self) -> None:
        table = self.query_one(TranscriptTable)
        self.query_one(PassageStrip).show(self.review, table.current_index())

    def _refresh_feedback(self) -> None:
        r = self.review
        if r is None:
            return
        from .dialogs import FEEDBACK_TITLES

        t = Text()
        fb = r.feedback
        if fb.is_empty:
            t.append("Feedback none yet   w: write it", style="dim")
        else:
            t.append("Feedback", style="bold")
            t.append("   w: edit\n", style="dim")
            for name, value in fb.as_dict().items():
                if value:
                    t.append(f"{FEEDBACK_TITLES.get(name, name)}: ", style="italic")
                    t.append(clip(value, 80) + "\n")
            t.rstrip()
        self.query_one("#feedback-box", Static).update(t)

    @on(DataTable.RowHighlighted, "#transcript")
    def _row(self) -> None:
        self._refresh_strip()

    @on(DataTable.RowSelected, "#transcript")
    def _selected(self) -> None:
        self.action_detail()

    def current(self) -> int | None:
        return self.query_one(TranscriptTable).current_index()

    def go_to(self, index: int) -> None:
        table = self.query_one(TranscriptTable)
        if not table.go_to(index) and self.review is not None:
            self.filters = {k: None for k in self.filters}
            self.search = ""
            table.show(self.review, self.shown_indices(), cursor_index=index)
            self._refresh_header()
            self.notify("Filters cleared to show that passage", timeout=2)
        self._refresh_strip()

    def reread(self, index: int | None = None, *, all_rows: bool = False) -> None:
        """After an edit: show the review as the store now holds it (asked for, not worked
        out here), on the row of passage ``index`` (every row with ``all_rows``), in the
        header, the passage strip and the feedback; the context if its inputs changed."""
        store = self.app.store
        review = self.app.guarded(lambda: store.review(self.call_id)) if store is not None else None
        if review is None:
            return
        self.review = review
        self._seen_writes = self.app.writes
        table = self.query_one(TranscriptTable)
        if all_rows:
            table.show(review, self.shown_indices(), keep_cursor=True)
        elif index is not None:
            table.update_passage(review, index)
        self._refresh_header()
        self._refresh_strip()
        self._refresh_feedback()
        self.compute_context()

    # ---------------------------------------------------------- editing

    def _write(self, fn) -> bool:
        """One edit of this call in the store (``fn(store)``); False when it was refused."""
        store = self.app.store
        if store is None or self.review is None:
            return False
        return self.app.write(lambda: fn(store)) is not None

    def _decide(self, index: int, task: str, action: str, label: str | None = None) -> bool:
        return self._write(lambda store: store.decide(self.call_id, index, task, action, label,
                                                      reviewer=self.app.reviewer))

    def decide(self, index: int, task: str, action: str, label: str | None = None) -> bool:
        ok = self._decide(index, task, action, label)
        if ok:
            self.reread(index)
        return ok

    def accept(self, index: int) -> int:
        """Accept the model's label for every task of the passage not decided yet."""
        p = self.review.call.passages[index]
        todo = self.review.undecided(index)
        if not p.predictions:
            self.notify("The model has not labeled this passage: relabel it with b or s", severity="warning")
            return 0
        if not todo:
            self.notify("Already reviewed: relabel with b or s, or undo with u", timeout=2)
        done = sum(self._decide(index, t, "accept") for t in todo)
        if done:
            self.reread(index)
        return done

    def skip(self, index: int) -> int:
        p = self.review.call.passages[index]
        tasks = [t for t in TASKS if t in p.predictions or p.label(t)]
        todo = [t for t in tasks if (d := self.review.decision(index, t)) is None or d.action != "skip"]
        done = sum(self._decide(index, t, "skip") for t in todo)
        if done:
            self.reread(index)
        return done

    def relabel(self, index: int, task: str, then=None) -> None:
        from .dialogs import Picker

        p = self.review.call.passages[index]
        labels = label_choices(self.app, task, self.review)
        pred = p.predictions.get(task)
        hint = None
        if pred is not None:
            hint = (f"model: {readable(pred.label)} {pred.probability:.0%}"
                    + "".join(f" · {readable(a)} {q:.0%}" for a, q in pred.alternatives[:2])
                    + "\npress a label's key · / search · ↑↓ enter · esc cancel")

        def picked(label: str | None) -> None:
            if label is None:
                return
            if self.decide(index, task, "relabel", label):
                self.notify(f"Passage {index}: {task} is now {readable(label)}", timeout=2)
            if then is not None:
                then()

        self.app.push_screen(Picker(f"{readable(task)} for passage {index}",
                                    [(lab, readable(lab)) for lab in labels], p.label(task), hint), picked)

    def comment(self, index: int, then=None) -> None:
        from .dialogs import Prompt

        def done(text: str | None) -> None:
            if text and text.strip() and self._write(
                    lambda store: store.comment(self.call_id, index, text, reviewer=self.app.reviewer)):
                self.reread(index)
                self.notify(f"Comment saved on passage {index}", timeout=2)
            if then is not None:
                then()

        self.app.push_screen(Prompt(f"Comment on passage {index}", placeholder="what the seller should hear",
                                    keep=done), done)

    def set_outcome(self, outcome: str | None) -> bool:
        if self.review is None:
            return False
        if outcome == self.review.call.outcome:
            return True
        if not self._write(lambda store: store.set_outcome(self.call_id, outcome, reviewer=self.app.reviewer)):
            return False
        self.reread()
        return True

    def set_status(self, status: str) -> bool:
        if self.review is None or status == self.review.status:
            return False
        if not self._write(lambda store: store.set_status(self.call_id, status, reviewer=self.app.reviewer)):
            return False
        self.reread()
        return True

    def save_feedback(self, fields: dict[str, str | None], outcome: str | None, done: bool) -> None:
        if self.review is None:
            return
        old = self.review.feedback.as_dict()
        changed = {k: v for k, v in fields.items() if (v or "").strip() != (old.get(k) or "")}
        if changed and self._write(lambda store: store.set_feedback(self.call_id, reviewer=self.app.reviewer,
                                                                    **changed)):
            self.reread()
        self.set_outcome(outcome)
        if done and self.review.status != "done":
            self.set_status("done")
        elif not done and self.review.status == "done":
            self.set_status("in_progress")

    # ---------------------------------------------------------- actions

    def _need(self) -> int | None:
        if self.review is None:
            return None
        index = self.current()
        if index is None:
            self.notify("No passage here: change the filter (f) or search (/)", timeout=2)
        return index

    def _advance(self) -> None:
        self.query_one(TranscriptTable).action_cursor_down()

    def action_accept(self) -> None:
        index = self._need()
        if index is not None and self.accept(index):
            self._advance()

    def action_skip(self) -> None:
        index = self._need()
        if index is not None and self.skip(index):
            self._advance()

    def action_relabel(self, task: str) -> None:
        index = self._need()
        if index is not None:
            self.relabel(index, task)

    def action_comment(self) -> None:
        index = self._need()
        if index is not None:
            self.comment(index)

    def action_detail(self) -> None:
        from .passage import PassageScreen

        index = self._need()
        if index is not None:
            self.app.push_screen(PassageScreen(self, index))

    def _find(self, step: int, want) -> None:
        table = self.query_one(TranscriptTable)
        if self.review is None or not table.indices:
            return
        rows = table.indices
        start = table.cursor_row
        n = len(rows)
        for k in range(1, n + 1):
            row = (start + step * k) % n
            if want(rows[row]):
                if (step > 0 and row <= start) or (step < 0 and row >= start):
                    self.notify("Wrapped around the call", timeout=1.5)
                table.move_cursor(row=row, scroll=True)
                return
        self.notify("None left in view", timeout=2)

    def action_next_unsure(self) -> None:
        self._find(1, lambda i: self.review.is_unsure(i))

    def action_previous_unsure(self) -> None:
        self._find(-1, lambda i: self.review.is_unsure(i))

    def action_next_unreviewed(self) -> None:
        self._find(1, lambda i: not self.review.is_reviewed(i))

    def action_previous_unreviewed(self) -> None:
        self._find(-1, lambda i: not self.review.is_reviewed(i))

    def action_filter(self) -> None:
        from collections import Counter

        from .dialogs import Picker

        if self.review is None:
            return
        call = self.review.call
        options: list[tuple[str, str]] = [("clear:", "Show every passage (clear filters and search)")]
        counts = {t: Counter(p.label(t) for p in call.passages if p.label(t)) for t in TASKS}
        for task in TASKS:
            for lab in label_choices(self.app, task, self.review):
                if counts[task].get(lab):
                    options.append((f"{task}:{lab}", f"{readable(task)}: {readable(lab)} ({counts[task][lab]})"))
        speakers = Counter(p.speaker for p in call.passages if p.speaker)
        for name in call.speakers:
            role = call.roles.get(name)
            options.append((f"speaker:{name}", f"Speaker: {name}{f' ({role})' if role else ''} ({speakers[name]})"))

        def picked(value: str | None) -> None:
            if value is None:
                return
            kind, _, what = value.partition(":")
            if kind == "clear":
                self.filters = {k: None for k in self.filters}
                self.search = ""
            else:
                self.filters[kind] = what
            self._reshow()

        self.app.push_screen(Picker("Show only…", options, hint="filters add up · pick the first line to clear "
                                    "· press a key · / search · esc cancel"), picked)

    def _reshow(self) -> None:
        table = self.query_one(TranscriptTable)
        current = table.current_index()
        table.show(self.review, self.shown_indices())
        if current is not None:
            table.go_to(current)
        self._refresh_header()
        self._refresh_strip()

    def action_search(self) -> None:
        from .dialogs import Prompt

        def done(text: str | None) -> None:
            if text is None:
                return
            self.search = text.strip()
            self._reshow()
            if self.search and not self.query_one(TranscriptTable).indices:
                self.notify(f"No passage contains “{self.search}”", severity="warning")

        self.app.push_screen(Prompt("Show passages containing…", self.search,
                                    hint="enter to search · empty to show every passage · esc to cancel"), done)

    def action_jump(self) -> None:
        from ..session import passage_at
        from .dialogs import Prompt

        def done(text: str | None) -> None:
            if not text or self.review is None:
                return
            index = passage_at(self.review.call, text)
            if index is None:
                self.notify(f"No passage at “{text}”: give a time like 12:30 or a passage number like #40",
                            severity="warning")
                return
            self.go_to(index)

        self.app.push_screen(Prompt("Jump to a time or passage", placeholder="12:30 or #40",
                                    hint="a time (m:ss or h:mm:ss) or # and a passage number · esc to cancel"), done)

    def action_outcome(self) -> None:
        from .dialogs import Picker

        if self.review is None:
            return
        outcomes = list(default_taxonomy().outcomes)
        current = self.review.call.outcome
        if current and current not in outcomes:
            outcomes.append(current)
        options = [(o, readable(o)) for o in outcomes] + [("", "Not set (unknown)")]

        def picked(value: str | None) -> None:
            if value is None:
                return
            if self.set_outcome(value or None):
                self.notify(f"Outcome: {readable(value or None, 'not set')}", timeout=2)

        self.app.push_screen(Picker("Outcome of the call", options, current or ""), picked)

    def action_feedback(self) -> None:
        from .dialogs import FeedbackScreen

        if self.review is None:
            return
        r = self.review
        self.app.push_screen(FeedbackScreen(r.feedback, r.call.outcome, r.status == "done",
                                            default_taxonomy().outcomes, self.save_feedback,
                                            r.call.title or r.call_id))

    def action_done(self) -> None:
        if self.review is None:
            return
        if self.review.status == "done":
            if self.set_status("in_progress"):
                self.notify("Review reopened", timeout=2)
        elif self.set_status("done"):
            self.notify("Review marked done", timeout=2)

    def action_export(self) -> None:
        from ..errors import ExportError
        from ..session import export_formats
        from .dialogs import ExportScreen

        formats = export_formats()
        if not formats:
            self.app.show_error(ExportError("no export format is available in this installation",
                                            hint="the review is kept in the store; export it later"))
            return
        base = Path(self.app.settings.export_dir or ".")
        default = base / f"{self.call_id}-review"

        def chosen(answer: tuple[str, str] | None) -> None:
            if not answer:
                return
            self.export(answer[0], answer[1])

        self.app.push_screen(ExportScreen(str(default), formats), chosen)

    def export(self, path: str, fmt: str = "md") -> None:
        from ..session import SUFFIXES, export_call

        p = Path(path)
        if not p.suffix:
            p = p.with_name(p.name + SUFFIXES.get(fmt, ""))
        store, cid, team = self.app.store, self.call_id, self.app.team
        self.app.run_job("exporting", lambda: msg.Exported(export_call(store, cid, p, fmt, team=team)),
                         target=self)

    @on(msg.Exported)
    def _exported(self, event: msg.Exported) -> None:
        event.stop()
        self.notify(f"Wrote {event.path}", title="Exported")

    def action_undo(self) -> None:
        event = self.app.undo_last(self.call_id)
        if event is None:
            return
        self.load(cursor=event.index if event.index is not None else self.current())

    def action_back(self) -> None:
        self.app.pop_screen()

    # ------------------------------------------------------- coaching jumps

    @on(OptionList.OptionSelected, "#coaching")
    def _point(self, event: OptionList.OptionSelected) -> None:
        ctx = self.context.coaching if self.context is not None else None
        if ctx is None or event.option.id is None:
            return
        k = int(event.option.id)
        point: "CoachingPoint" = ctx.points[k]
        if not point.passages:
            return
        n = self._evidence.get(k, -1) + 1
        n %= len(point.passages)
        self._evidence[k] = n
        self.go_to(point.passages[n])
        what = "where it would usually be" if point.absent else "evidence"
        self.notify(f"{readable(what)} {n + 1} of {len(point.passages)}: passage {point.passages[n]}"
                    + ("  (enter again for the next)" if len(point.passages) > 1 else ""), timeout=3)
