"""Retrain with the reviews in the background, compare per-label F1, keep or discard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, ProgressBar, Static

from . import messages as msg
from .keybar import KeyBar
from .labels import LOOK_CLASSES, chip, look, readable

if TYPE_CHECKING:  # pragma: no cover
    from ..session import RetrainResult


def _f1(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


class RetrainScreen(Screen):
    HELP_TITLE = "Retrain"
    COMPONENT_CLASSES = LOOK_CLASSES
    BINDINGS = [
        Binding("k", "keep", "Keep new model"),
        Binding("escape", "discard", "Stay on the old model",
                tooltip="while training: leave (the result is dropped); after: keep the model in use"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.result: "RetrainResult | None" = None
        self.state = "training"  # training, ready, keeping, kept, discarded, failed

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="retrain-body"):
            yield Static("Retraining the model with your reviews", id="retrain-title", classes="screen-title")
            yield Static("", id="retrain-intro")
            yield ProgressBar(id="retrain-progress", show_eta=False)
            yield Static("starting…", id="retrain-step")
            yield Static("", id="retrain-summary")
            yield DataTable(id="retrain-scores", cursor_type="row", zebra_stripes=True, classes="hidden")
            yield Static("", id="retrain-choice")
        yield KeyBar()

    def on_mount(self) -> None:
        from ..session import retrain

        app = self.app
        old = app.model
        self.query_one("#retrain-intro", Static).update(Text(
            "A new model is trained on the corpus plus every label you accepted or corrected. "
            "You keep working meanwhile; nothing changes until you choose to keep it.\n"
            f"Model in use: {old.id if old else 'none'}"))
        store, corpus = app.store, app.settings.corpus

        def progress(done: int, total: int, text: str) -> None:
            self.post_message(msg.RetrainProgress(done, total, text))

        app.run_job("retraining", lambda: msg.RetrainDone(retrain(store, old, corpus=corpus, progress=progress)),
                    target=self)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "keep":
            return self.state == "ready"
        return True

    @on(msg.RetrainProgress)
    def _progress(self, event: msg.RetrainProgress) -> None:
        event.stop()
        bar = self.query_one("#retrain-progress", ProgressBar)
        bar.update(total=event.total, progress=event.done)
        self.query_one("#retrain-step", Static).update(event.text)

    @on(msg.Failed)
    def _failed(self, event: msg.Failed) -> None:
        if event.job == "retraining":
            self.state = "failed"
            self.query_one("#retrain-step", Static).update(Text("Retraining stopped.", style=look(self, "alert")))
            self.query_one("#retrain-choice", Static).update("esc: back")
            self.refresh_bindings()
        # the app shows the dialog

    @on(msg.RetrainDone)
    def _done(self, event: msg.RetrainDone) -> None:
        event.stop()
        r = self.result = event.result
        self.state = "ready"
        bar = self.query_one("#retrain-progress", ProgressBar)
        bar.update(total=100, progress=100)
        self.query_one("#retrain-step", Static).update("Done.")
        self.query_one("#retrain-title", Static).update(
            f"Retrained: {r.model.id} against the model in use, {r.old_model_id or 'none'}")
        s = Text()
        s.append(f"Trained on {r.n_corpus_calls} corpus calls and {r.n_reviewed_calls} reviewed calls "
                 f"({r.n_reviewed_passages} reviewed passages).\n")
        for task, (before, after) in r.macro.items():
            s.append(f"{readable(task)}: macro-F1 on your reviewed passages {_f1(before)} → {_f1(after)}\n",
                     style="bold")
        if r.n_compared:
            s.append(f"{r.n_changed} of {r.n_compared} labels on the reviewed calls change with the new model.\n")
        s.append("F1 is measured against your labels; the new model learned from them, so 'after' shows how "
                 "well it took your corrections in, not how it will do on new calls.", style="dim italic")
        for note in r.notes:
            s.append(f"\nnote: {note}", style="italic")
        self.query_one("#retrain-summary", Static).update(s)
        table = self.query_one("#retrain-scores", DataTable)
        table.add_columns("Task", "Label", "F1 before", "F1 after", "Change", "Passages")
        for sc in r.scores:
            ch = sc.change
            change = Text("—" if ch is None else f"{ch:+.2f}",
                          style="" if not ch else look(self, "better" if ch > 0 else "worse"))
            table.add_row(readable(sc.task), chip(sc.task, sc.label, 22), _f1(sc.before), _f1(sc.after), change,
                          str(sc.support))
        table.remove_class("hidden")
        self.query_one("#retrain-choice", Static).update(Text(
            "k: keep the new model (it becomes the default and relabels the calls under review)   "
            "esc: stay on the old model", style="bold"))
        self.refresh_bindings()

    def action_keep(self) -> None:
        from ..session import keep_model

        if self.state != "ready" or self.result is None:
            return
        self.state = "keeping"
        self.refresh_bindings()
        app, model = self.app, self.result.model
        store, out = app.store, app.settings.models_dir
        annotate = app.settings.annotate
        target = f"{out}/{model.id}" if out else None
        self.query_one("#retrain-step", Static).update("Saving the model and relabeling the calls under review…")

        def progress(done: int, total: int, text: str) -> None:
            self.post_message(msg.RetrainProgress(done, max(total, 1), text))

        app.run_job("keeping the model",
                    lambda: msg.ModelKept(model, keep_model(store, model, out_dir=target, annotate=annotate,
                                                            progress=progress)),
                    target=self)

    @on(msg.ModelKept)
    def _kept(self, event: msg.ModelKept) -> None:
        event.stop()
        self.state = "kept"
        app = self.app
        app.model = event.model
        app.model_state = "ready"
        app.sub_title = f"model {event.model.id}"
        self.notify(f"Now using model {event.model.id} (saved in {event.path})", title="New model kept")
        self.dismiss_screen()
        app.refresh_views()

    def action_discard(self) -> None:
        if self.state in ("keeping",):
            self.notify("Saving the new model: wait a moment", timeout=2)
            return
        if self.state == "ready":
            self.notify("Staying on the old model", timeout=2)
        self.state = "discarded"
        self.dismiss_screen()

    def dismiss_screen(self) -> None:
        if self.app.screen is self:
            self.app.pop_screen()
