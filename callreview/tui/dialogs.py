"""Dialogs: errors, the label picker, one-line prompts, feedback, export, help."""

from __future__ import annotations

from typing import Callable, Sequence

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from ..review import FEEDBACK_FIELDS, Feedback
from .labels import MARK_HELP, MARKS, readable

#: the keys a picker gives its options, in order
HOTKEYS = "1234567890abcdefghijklmnopqrstuvwxyz"


class ErrorDialog(ModalScreen[None]):
    """A problem shown with the same message and hint as the command line."""

    BINDINGS = [Binding("escape,enter", "close", "Close")]

    def __init__(self, text: str) -> None:
        super().__init__(classes="dialog-screen")
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog error"):
            yield Label("Something needs your attention", classes="dialog-title")
            lines = Text()
            for line in self.text.splitlines():
                style = "bold" if line.startswith("error:") else "italic" if line.startswith("hint:") else ""
                lines.append(line + "\n", style=style)
            yield Static(lines, id="error-text")
            with Horizontal(classes="buttons"):
                yield Button("OK", id="ok", variant="primary")

    @on(Button.Pressed, "#ok")
    def action_close(self) -> None:
        self.dismiss(None)


class Picker(ModalScreen[str | None]):
    """Pick one label: one key per label, or type to search (after /), or arrows and enter."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("slash", "search", "Search", key_display="/"),
    ]

    def __init__(self, title: str, options: Sequence[tuple[str, str]], current: str | None = None,
                 hint: str | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.options = list(options)
        self.current = current
        self.hint = hint
        self.keys = {HOTKEYS[i]: value for i, (value, _t) in enumerate(self.options[: len(HOTKEYS)])}
        self.key_of = {v: k for k, v in self.keys.items()}

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog picker"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(placeholder="/ to search: type part of a name", id="search")
            yield OptionList(*self._options(""), id="choices")
            yield Static(self.hint or "press a label's key · / search · ↑↓ enter · esc cancel",
                         classes="dialog-hint")

    def _options(self, query: str) -> list[Option]:
        q = query.strip().lower()
        out = []
        for value, text in self.options:
            if q and q not in text.lower() and q not in value.lower():
                continue
            key = self.key_of.get(value, " ")
            prompt = Text()
            prompt.append(f" {key} ", style="bold reverse")
            prompt.append(f"  {text}")
            if value == self.current:
                prompt.append("  (current)", style="dim")
            out.append(Option(prompt, id=value))
        return out

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.focus()
        if self.current is not None:
            try:
                choices.highlighted = choices.get_option_index(self.current)
            except Exception:
                pass

    def on_key(self, event) -> None:
        if isinstance(self.focused, Input):
            if event.key == "down":
                self.query_one("#choices", OptionList).focus()
                event.stop()
            return
        value = self.keys.get(event.key) if event.character else None
        if value is not None:
            event.stop()
            event.prevent_default()
            self.dismiss(value)

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        choices.add_options(self._options(event.value))
        if choices.option_count:
            choices.highlighted = 0

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.option_count:
            opt = choices.get_option_at_index(choices.highlighted or 0)
            self.dismiss(opt.id)

    @on(OptionList.OptionSelected, "#choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class Prompt(ModalScreen[str | None]):
    """Ask for one line of text (a comment, a time, a search, a file)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str = "", *, placeholder: str = "", hint: str = "",
                 keep: Callable[[str], None] | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.hint = hint
        #: called with the text typed so far when the app quits with the prompt open (comments)
        self.keep = keep

    def flush(self) -> None:
        text = self.query_one("#answer", Input).value
        if self.keep is not None and text.strip():
            keep, self.keep = self.keep, None
            keep(text)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog prompt"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="answer")
            yield Static(self.hint or "enter to confirm · esc to cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#answer", Input).focus()

    @on(Input.Submitted, "#answer")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


FEEDBACK_TITLES = {"strengths": "Strengths", "improve": "Things to improve",
                   "focus": "Focus for the next call", "notes": "Notes"}


class FeedbackScreen(ModalScreen[None]):
    """Call-level coaching feedback, the outcome and the review status. Saved on leaving,
    and on quitting from here: nothing typed is lost."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save and close"),
        Binding("escape", "save", "Save and close", show=False),
    ]

    def __init__(self, feedback: Feedback, outcome: str | None, done: bool, outcomes: Sequence[str],
                 save: Callable[[dict[str, str | None], str | None, bool], None], title: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.feedback = feedback
        self.outcome = outcome
        self.done = done
        self.outcomes = list(outcomes)
        if outcome and outcome not in self.outcomes:
            self.outcomes.append(outcome)
        self.save = save
        self.title_text = title
        self._saved = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog feedback"):
            yield Label(f"Feedback: {self.title_text}", classes="dialog-title")
            with VerticalScroll(id="feedback-fields"):
                for name in FEEDBACK_FIELDS:
                    yield Label(FEEDBACK_TITLES.get(name, readable(name)), classes="field-title")
                    yield TextArea(getattr(self.feedback, name) or "", id=f"fb-{name}", classes="feedback-text",
                                   soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
                with Horizontal(classes="feedback-row"):
                    yield Label("Outcome", classes="field-title")
                    yield Select([(readable(o), o) for o in self.outcomes], value=self.outcome or Select.NULL,
                                 prompt="not set", id="fb-outcome", allow_blank=True)
                    yield Checkbox("Review done", self.done, id="fb-done")
            yield Static("tab next field · ctrl+s or esc: save and close", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(f"#fb-{FEEDBACK_FIELDS[0]}", TextArea).focus()

    def values(self) -> tuple[dict[str, str | None], str | None, bool]:
        fields = {name: self.query_one(f"#fb-{name}", TextArea).text for name in FEEDBACK_FIELDS}
        sel = self.query_one("#fb-outcome", Select).value
        outcome = None if sel is Select.NULL or sel is None else str(sel)
        return fields, outcome, self.query_one("#fb-done", Checkbox).value

    def flush(self) -> None:
        if not self._saved:
            self._saved = True
            self.save(*self.values())

    def action_save(self) -> None:
        self.flush()
        self.dismiss(None)


FORMAT_NAMES = {"md": "Markdown report", "html": "HTML report", "docx": "Word report (.docx)",
                "json": "JSON (the whole review)", "csv": "CSV (one row per passage)",
                "jsonl": "Corpus v1 JSON lines (training data)"}


class ExportScreen(ModalScreen[tuple[str, str] | None]):
    """Where to write the call's feedback, and in which format."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default_path: str, formats: Sequence[str]) -> None:
        super().__init__(classes="dialog-screen")
        self.default_path = default_path
        self.formats = list(formats)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog prompt"):
            yield Label("Export this call's review", classes="dialog-title")
            yield Select([(FORMAT_NAMES.get(f, f), f) for f in self.formats], value=self.formats[0],
                         id="format", allow_blank=False)
            yield Input(self.default_path, id="path")
            yield Static("the file's extension follows the format · enter to write it · esc to cancel",
                         classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    def _go(self, event: Input.Submitted) -> None:
        self.dismiss((event.value, str(self.query_one("#format", Select).value)))

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every key of the screen below and of the app, and what the marks mean."""

    BINDINGS = [Binding("escape,question_mark,f1,q", "close", "Close")]

    def __init__(self, below: Screen) -> None:
        super().__init__(classes="dialog-screen")
        self.below = below

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog help"):
            yield Label(f"Keys: {getattr(self.below, 'HELP_TITLE', 'callreview')}", classes="dialog-title")
            with Horizontal(id="help-columns"):
                yield Static(self._keys(), id="help-keys")
                yield Static(self._general(), id="help-general")
            yield Static("esc or ? to close · ctrl+p: every action by name · the mouse works too",
                         classes="dialog-hint")

    def _table(self) -> Table:
        t = Table(box=None, show_header=False, padding=(0, 1, 0, 0), expand=True)
        t.add_column("key", style="bold", no_wrap=True)
        t.add_column("what", no_wrap=True)
        t.add_column("more", style="dim", no_wrap=True, overflow="ellipsis", ratio=1)
        return t

    def _rows(self, t: Table, title: str, bindings) -> None:
        rows = []
        for b in bindings:
            if not isinstance(b, Binding) or not b.description:
                continue
            rows.append((b.key_display or self.app.get_key_display(b), b.description, b.tooltip))
        if rows:
            t.add_row(Text(title, style="bold underline"), "", "")
            for key, what, more in rows:
                t.add_row(key, what, more)

    def _keys(self) -> Table:
        t = self._table()
        self._rows(t, getattr(self.below, "HELP_TITLE", "This screen"), getattr(self.below, "BINDINGS", []))
        return t

    def _general(self) -> Table:
        t = self._table()
        self._rows(t, "Everywhere", self.app.BINDINGS)
        t.add_row("", "", "")
        t.add_row(Text("Marks", style="bold underline"), "", "")
        for mark, what in MARK_HELP.items():
            t.add_row(MARKS[mark], what, "")
        t.add_row("*", "the passage has a comment", "")
        t.add_row("", "", "")
        t.add_row(Text("Pickers", style="bold underline"), "", "")
        t.add_row("1-9 a-z", "pick that label", "")
        t.add_row("/", "type to search", "")
        return t

    def action_close(self) -> None:
        self.dismiss(None)
