"""The plan review screen: a seller's plan line by line beside its coaching (what it has
and lacks, planning against reporting, specificity, staleness) and, for a call plan whose
call is in the store, the call held against the plan. The same keys as the call screen:
b relabels a line's element, c comments, w writes feedback, d marks the review done, u undoes;
every edit goes to the store at once. The coaching is :func:`callreview.session.plan_context`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from . import messages as msg
from .call import CallScreen
from .labels import readable, readable_message

if TYPE_CHECKING:  # pragma: no cover
    from ..plan_coach import Execution, PlanCoaching


class PlanScreen(CallScreen):
    HELP_TITLE = "Plan review"
    BINDINGS = [
        Binding("enter", "detail", "Detail", tooltip="Open the line: probabilities, alternatives, why"),
        Binding("b", "relabel('element')", "Element", tooltip="Relabel the line's element (picker)"),
        Binding("c", "comment", "Comment", tooltip="Comment on the line"),
        Binding("slash", "search", "Search", key_display="/", tooltip="Show only lines with some words"),
        Binding("w", "feedback", "Feedback", tooltip="Write the plan's feedback; outcome; mark done"),
        Binding("d", "done", "Done", tooltip="Mark the review done (again: reopen it)"),
        Binding("e", "export", "Export", tooltip="Export this plan's review (Markdown, HTML, Word...)"),
        Binding("u", "undo", "Undo", tooltip="Take back the last edit on this plan"),
        Binding("v", "toggle_context", "Context", tooltip="Show or hide the plan's coaching pane"),
        Binding("escape", "back", "Library", tooltip="Back to the library"),
    ]

    def __init__(self, call_id: str, cursor: int | None = None) -> None:
        super().__init__(call_id, cursor)
        self.plan_coaching: "PlanCoaching | None" = None

    def on_mount(self) -> None:
        titles = list(self.query(".section-title").results(Label))
        names = ["", "What the plan covers", "Against its call"]
        for label, name in zip(titles, names):
            if name:
                label.update(name)
            else:
                label.display = False
        self.query_one("#timeline").display = False
        super().on_mount()
        from textual.widgets.data_table import ColumnKey

        from .widgets import TranscriptTable

        table = self.query_one(TranscriptTable)
        self.call_after_refresh(lambda: setattr(table.columns[ColumnKey("label")], "label", Text("Element")))

    def compute_context(self) -> None:
        from ..session import plan_context

        if self.review is None:
            return
        app: Any = self.app  # the review app (tui/app.py): its store, team and jobs
        plan, team, store = self.review.call, app.team, app.store
        last = self._context_inputs
        if last is not None and last[1] is team and last[0] == plan and last[2] == app.writes:
            return
        self._context_inputs = (plan, team, app.writes)
        self._context_asked += 1
        asked = self._context_asked
        app.run_job(f"coaching plan {self.call_id}",
                         lambda: msg.PlanReady(plan_context(plan, store, team), asked), target=self)

    @on(msg.PlanReady)
    def _plan_ready(self, event: msg.PlanReady) -> None:
        event.stop()
        if event.asked != self._context_asked:
            return
        pc = self.plan_coaching = event.coaching
        note = self.query_one("#coaching-note", Static)
        head = Text("\n".join(pc.summary()))
        for n in pc.notes:
            head.append(f"\nnote: {readable_message(n)}", style="dim")
        note.update(head)
        coaching = self.query_one("#coaching", OptionList)
        coaching.clear_options()
        if not pc.points:
            coaching.add_option(Option(Text("nothing stands out in this plan" if pc.labeled else
                                            "no element labels yet: nothing to coach", style="dim"), disabled=True))
        for k, p in enumerate(pc.points, 1):
            t = Text()
            t.append(f"{k}. ", style="bold")
            t.append(readable_message(p.message))
            if p.passages and p.kind not in ("advance_not_asked", "planned_question_not_asked",
                                             "anticipated_objection_unanswered"):
                t.append(f"\n   ↳ lines {', '.join(map(str, p.passages[:6]))}", style="dim")
            coaching.add_option(Option(t, id=str(k - 1)))
        self.query_one("#metrics", Static).update(execution_text(pc.execution))

    @on(OptionList.OptionSelected, "#coaching")
    def _point(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        pc = self.plan_coaching
        if pc is None or event.option.id is None:
            return
        point = pc.points[int(event.option.id)]
        if point.passages and point.kind not in ("advance_not_asked", "planned_question_not_asked",
                                                 "anticipated_objection_unanswered"):
            self.go_to(point.passages[0])


def execution_text(e: "Execution | None") -> Text:
    """The call plan beside its call: the advance, each planned question with the call's
    passage that asked it, each expected objection."""
    if e is None:
        return Text("this plan prepared no call in the store", style="dim")
    t = Text()
    t.append(f"call {e.call_id}\n", style="bold")
    if e.advance is not None:
        t.append("advance: " + (f"asked at passage {e.advance.requests[0]}" if e.advance.asked else "never asked")
                 + "\n")
    for q in e.questions:
        t.append(f"line {q.line} ", style="bold")
        t.append(("asked" if q.asked else "not asked") + f": {q.text}\n")
        if q.asked:
            t.append(f"   ↳ passage {q.passage}: {q.sentence}\n", style="dim")
    for o in e.objections:
        state = ("came up and was answered" if o.came_up and o.answered else
                 "came up, not answered" if o.came_up else "did not come up")
        t.append(f"line {o.line} ", style="bold")
        t.append(f"{readable('anticipated_objection')}: {state}\n")
    for n in e.notes:
        t.append(f"note: {n}\n", style="dim")
    return t
