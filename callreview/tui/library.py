"""The library: every stored call with its outcome and review progress."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from ..review import STATUSES
from . import messages as msg
from .keybar import KeyBar
from .labels import LOOK_CLASSES, look, outcome_text, readable, status_text
from .status import ModelStatus

if TYPE_CHECKING:  # pragma: no cover
    from ..review import CallSummary

#: (key, title, sort key)
SORTS = (
    ("added", "date added", lambda c: c.added_at),
    ("title", "title", lambda c: (c.title or c.call_id).lower()),
    ("seller", "seller", lambda c: (c.seller or "~").lower()),
    ("outcome", "outcome", lambda c: c.outcome or "~"),
    ("status", "review status", lambda c: STATUSES.index(c.status) if c.status in STATUSES else 9),
    ("unsure", "most unsure first", lambda c: -c.n_unsure),
)
COLUMNS = (("title", "Title"), ("seller", "Seller"), ("added", "Date"), ("outcome", "Outcome"),
           ("status", "Review"), ("unsure", "Unsure"), ("progress", "Reviewed"))


class CallTable(DataTable):
    BINDINGS = [
        Binding("enter", "select_cursor", "Open", tooltip="Open the call"),
        Binding("home", "scroll_top", "First call", show=False),
        Binding("end", "scroll_bottom", "Last call", show=False),
    ]


class LibraryScreen(Screen):
    HELP_TITLE = "Library"
    COMPONENT_CLASSES = LOOK_CLASSES
    BINDINGS = [
        Binding("o", "open", "Open", show=False),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("s", "sort", "Sort"),
        Binding("i", "import", "Import file"),
        Binding("Q", "app.queue", "Queue", key_display="Q"),
        Binding("R", "app.retrain", "Retrain", key_display="R"),
        Binding("u", "undo", "Undo"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.calls: list["CallSummary"] = []
        self.sort_index = 0
        self.query_text = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="library-title", classes="screen-title")
        yield Input(placeholder="filter: part of a title, seller, outcome or status (esc clears)",
                    id="library-filter", classes="hidden")
        yield CallTable(id="library", cursor_type="row", zebra_stripes=True)
        yield Static("", id="library-empty", classes="empty-hint hidden")
        yield ModelStatus()
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#library", DataTable)
        for key, title in COLUMNS:
            table.add_column(title, key=key)
        self.reload()
        table.focus()

    # ------------------------------------------------------------------ data

    def store_changed(self, call_id: str | None = None) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        store = self.app.store
        if store is None:
            self.calls = []
            self._fill()
            return
        self.app.run_job("listing the calls", lambda: msg.CallsListed(store.list_calls()), target=self)

    @on(msg.CallsListed)
    def _listed(self, event: msg.CallsListed) -> None:
        event.stop()
        self.calls = event.calls
        self._fill()

    def shown(self) -> list["CallSummary"]:
        q = self.query_text.strip().lower()
        rows = [c for c in self.calls if not q or q in " ".join(
            filter(None, [c.title, c.call_id, c.seller, c.outcome, readable(c.outcome), c.status,
                          readable(c.status)])).lower()]
        _k, _t, key = SORTS[self.sort_index]
        return sorted(rows, key=key)

    def _fill(self) -> None:
        table = self.query_one("#library", DataTable)
        current = self.current_call_id()
        table.clear()
        rows = self.shown()
        styled = partial(look, self)
        for c in rows:
            unsure = Text(str(c.n_unsure), style=styled("unsure") if c.n_unsure else "dim")
            name = Text(c.title or c.call_id)
            if c.kind == "plan":  # plans sit beside the calls, marked as what they are
                what = f"{readable(c.activity)} plan".capitalize() if c.activity else "Plan"
                name = Text.assemble((what + " · ", "dim"), name)
            table.add_row(
                name, c.seller or "—", c.added_at[:10], outcome_text(c.outcome),
                status_text(c.status, styled), unsure, f"{c.n_reviewed}/{c.n_passages}", key=c.call_id)
        if current is not None:
            for i, c in enumerate(rows):
                if c.call_id == current:
                    table.move_cursor(row=i)
        _k, sort_title, _ = SORTS[self.sort_index]
        title = f"{len(rows)} call{'s' if len(rows) != 1 else ''}"
        if self.query_text:
            title += f" matching “{self.query_text}” (of {len(self.calls)})"
        title += f" · sorted by {sort_title}"
        if self.app.store is not None:
            title += f" · store {self.app.store.path}"
        self.query_one("#library-title", Static).update(title)
        empty = self.query_one("#library-empty", Static)
        if not self.calls:
            empty.update("No calls in the review store yet.\nPress i to import a transcript, "
                         "or start with: callreview review FILE...")
        empty.set_class(bool(self.calls), "hidden")

    def current_call_id(self) -> str | None:
        table = self.query_one("#library", DataTable)
        if table.row_count == 0:
            return None
        key, _ = table.coordinate_to_cell_key((table.cursor_row, 0))
        return key.value

    # --------------------------------------------------------------- actions

    @on(DataTable.RowSelected, "#library")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_call(event.row_key.value)

    @on(DataTable.HeaderSelected, "#library")
    def _header(self, event: DataTable.HeaderSelected) -> None:
        keys = [k for k, _t, _f in SORTS]
        if event.column_key.value in keys:
            self.sort_index = keys.index(event.column_key.value)
            self._fill()

    def action_open(self) -> None:
        cid = self.current_call_id()
        if cid:
            self.app.open_call(cid)

    def action_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self._fill()
        self.notify(f"Sorted by {SORTS[self.sort_index][1]}", timeout=2)

    def action_filter(self) -> None:
        box = self.query_one("#library-filter", Input)
        box.remove_class("hidden")
        box.focus()

    @on(Input.Changed, "#library-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self._fill()

    @on(Input.Submitted, "#library-filter")
    def _filter_done(self) -> None:
        self.query_one("#library", DataTable).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#library-filter", Input)
        box.value = ""
        box.add_class("hidden")
        self.query_text = ""
        self._fill()
        self.query_one("#library", DataTable).focus()

    def action_undo(self) -> None:
        event = self.app.undo_last()
        if event is not None:
            self.app.refresh_views(event.call_id)

    def action_import(self) -> None:
        from .dialogs import Prompt

        def done(path: str | None) -> None:
            if path and path.strip():
                self.app.settings.files = tuple(p for p in path.split() if p)
                self.app.when_model_settled(self.app._import_files)

        self.app.push_screen(Prompt("Import a transcript, notes or corpus file", placeholder="path/to/call.vtt",
                                    hint="one or more paths separated by spaces · enter to import · esc to cancel"),
                             done)
