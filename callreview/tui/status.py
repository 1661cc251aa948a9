"""The status line every main screen shows: is the model loaded, which one."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from .labels import LOOK_CLASSES, look

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class ModelStatus(Static):
    """'Loading the model…' with a spinner while it loads in the background, then its id."""

    DEFAULT_CLASSES = "status-line"
    COMPONENT_CLASSES = LOOK_CLASSES

    def on_mount(self) -> None:
        self._frame = 0
        self._timer = self.set_interval(0.12, self._tick, pause=True)
        self.watch(self.app, "model_state", self._changed)
        self.watch(self.app, "last_message", lambda _m: self._paint())

    def _tick(self) -> None:
        self._frame += 1
        self._paint()

    def _changed(self, state: str) -> None:
        if state == "loading":
            self._timer.resume()
        else:
            self._timer.pause()
        self.set_class(state == "loading", "-loading")
        self._paint()

    def _paint(self) -> None:
        state = self.app.model_state
        model = self.app.model
        t = Text()
        if state == "loading":
            t.append(f"{SPINNER[self._frame % len(SPINNER)]} Loading the model in the background… "
                     "(the stored labels are shown meanwhile)")
        elif state == "ready" and model is not None:
            t.append("Model ", style="dim")
            t.append(model.id, style="bold")
        elif state == "failed":
            t.append("No model: it could not be loaded; showing the stored labels", style=look(self, "alert"))
        else:
            t.append("No model in use: showing the stored labels", style="dim")
        message = self.app.last_message
        if message:
            t.append("   ·   ", style="dim")
            t.append(" ".join(message.split()))
        self.update(t)
