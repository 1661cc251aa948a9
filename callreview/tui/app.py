"""The review app and its factory, :func:`make_app`, used by ``callreview review`` and the tests.

The app owns the open review store, the model (loaded in the background) and the team
calls used for coaching. Blocking work runs in :meth:`CallreviewApp.run_job`: a thread
worker that calls one core function and posts one message; handlers update widgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen

from ..errors import CallreviewError
from . import messages as msg

if TYPE_CHECKING:  # pragma: no cover
    from ..artifacts import Model
    from ..records import Call
    from ..session import Annotate
    from ..store import Store


@dataclass
class Settings:
    """What the app is opened on. Every field has a CLI option or a test use."""

    #: transcript / notes / corpus files to import and open (empty: the library)
    files: tuple[str, ...] = ()
    #: the seller being coached on the imported calls
    seller: str | None = None
    #: the format of ``files`` (``auto``: found from each file's content)
    input_format: str = "auto"
    #: model folder (None: the current default model)
    model_dir: str | None = None
    #: review store file (None: $CALLREVIEW_STORE, else the user data folder)
    store_path: str | None = None
    #: a model already loaded (tests); skips loading ``model_dir``
    model: "Model | None" = None
    #: load no model at all (the stored predictions are still shown)
    no_model: bool = False
    #: the classifier function (tests may inject a fake one)
    annotate: "Annotate | None" = None
    #: the model loader, ``artifacts.load_model`` (tests may inject a slow or failing one)
    load_model: "Callable[[str | None], Model] | None" = None
    #: corpus files/folders the calls are coached against (None: the shipped corpus)
    team: tuple[str, ...] | None = None
    #: corpus files/folders a retrain starts from (None: the model's own corpus)
    corpus: tuple[str, ...] | None = None
    #: where exports are written by default (None: the current folder)
    export_dir: str | None = None
    #: where a kept retrained model is saved (None: the user models folder)
    models_dir: str | None = None
    #: the reviewer's name recorded with every edit (None: $CALLREVIEW_REVIEWER or the login)
    reviewer: str | None = None


class CallreviewApp(App[None]):
    """callreview: review sales calls in the terminal."""

    TITLE = "callreview"
    SUB_TITLE = "call review"
    CSS_PATH = ["app.tcss"]
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="Quit (every edit is already saved)"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("f1", "help", "Help", show=False),
        Binding("ctrl+p", "command_palette", "Commands", show=False, tooltip="every action by name; themes"),
    ]

    #: "loading", "ready", "none" (no model used) or "failed"
    model_state: reactive[str] = reactive("loading")
    #: the latest message (a saved edit, an undo, a warning), kept in the status line
    last_message: reactive[str] = reactive("")

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.store: "Store | None" = None
        self.model: "Model | None" = None
        self.team: "list[Call] | None" = None
        self.team_source = ""
        self._model_waiters: list[Callable[[], None]] = []
        self._after_dialog: list[Callable[[], None]] = []
        #: how many store writes the app made (see :meth:`write`)
        self.writes = 0

    # ------------------------------------------------------------------ jobs

    def run_job(self, job: str, fn: Callable[[], Message | None], *, target: Any = None,
                exclusive: bool = True):
        """Run ``fn`` (one core call returning the message to post) in a thread worker.

        A :class:`CallreviewError` (or any other failure) is posted as :class:`messages.Failed`,
        so the app shows it in a dialog and keeps running."""
        receiver = target or self

        def body() -> None:
            try:
                message = fn()
            except CallreviewError as exc:
                message = msg.Failed(exc, job)
            except Exception as exc:  # a bug or an environment problem: show it, keep running
                message = msg.Failed(CallreviewError(
                    f"{job} failed: {type(exc).__name__}: {exc}",
                    hint="your review work is saved; please report this with the steps that led to it"), job)
            if message is not None:
                receiver.post_message(message)

        return self.run_worker(body, name=job, group=job, thread=True, exclusive=exclusive,
                               exit_on_error=False)

    # --------------------------------------------------------------- startup

    def on_mount(self) -> None:
        from .library import LibraryScreen

        self.push_screen(LibraryScreen())
        self._open_store()
        if self.settings.model is not None:
            self.post_message(msg.ModelLoaded(self.settings.model))
        elif self.settings.no_model:
            self.model_state = "none"
            self._model_ready()
        else:
            self.load_model()
        if self.store is not None:
            self.load_team()

    def _open_store(self) -> None:
        from ..store import Store

        try:
            self.store = Store.open(self.settings.store_path)
        except CallreviewError as exc:
            self.show_error(exc)

    def load_model(self) -> None:
        from ..artifacts import load_model

        self.model_state = "loading"
        path, load = self.settings.model_dir, self.settings.load_model or load_model
        self.run_job("loading the model", lambda: msg.ModelLoaded(load(path)))

    def load_team(self) -> None:
        from ..session import team_calls

        store, paths = self.store, self.settings.team
        self.run_job("loading the team calls", lambda: msg.TeamLoaded(*team_calls(store, paths)))

    def when_model_settled(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the model is loaded (or known to be unavailable)."""
        if self.model_state == "loading":
            self._model_waiters.append(callback)
        else:
            callback()

    def _model_ready(self) -> None:
        waiters, self._model_waiters = self._model_waiters, []
        for w in waiters:
            w()

    @on(msg.ModelLoaded)
    def _model_loaded(self, event: msg.ModelLoaded) -> None:
        self.model = event.model
        self.model_state = "ready"
        self.sub_title = f"model {event.model.id}"
        self._model_ready()
        self._import_files()

    @on(msg.Failed)
    def _failed(self, event: msg.Failed) -> None:
        if event.job == "loading the model":
            self.model_state = "failed"
            self.sub_title = "no model: showing the stored labels"
            self._model_ready()
            self._import_files()
        if event.job == "loading the team calls":  # coach against no team: the points say so
            self.post_message(msg.TeamLoaded([], "no team calls"))
        self.show_error(event.error)

    @on(msg.TeamLoaded)
    def _team_loaded(self, event: msg.TeamLoaded) -> None:
        self.team = event.calls
        self.team_source = event.source
        for screen in self.screen_stack:
            if hasattr(screen, "team_ready"):
                screen.team_ready()

    def _import_files(self) -> None:
        if not self.settings.files or self.store is None:
            return
        from ..session import import_files

        files, self.settings.files = self.settings.files, ()
        store, model, seller = self.store, self.model, self.settings.seller
        annotate, fmt = self.settings.annotate, self.settings.input_format
        self.notify(f"Importing {len(files)} file{'s' if len(files) != 1 else ''}…", timeout=3)
        self.run_job("importing the files",
                     lambda: msg.CallsImported(import_files(store, files, model, seller=seller, annotate=annotate,
                                                              input_format=fmt)))

    @on(msg.CallsImported)
    def _calls_imported(self, event: msg.CallsImported) -> None:
        self.refresh_views()
        if event.stored:
            new = sum(1 for s in event.stored if s.created)
            again = len(event.stored) - new
            what = f"Imported {new} call{'s' if new != 1 else ''}" if new else "Nothing new imported"
            if again:
                what += f"; {again} already in the store (its review is kept)"
            if len(event.stored) > 1:
                what += "; the others are in the library (escape)"
            self.notify(what, timeout=4)
            self.open_call(event.stored[0].call_id)

    # ------------------------------------------------------------ navigation

    def open_call(self, call_id: str, index: int | None = None) -> None:
        from .call import CallScreen
        from .dialogs import ErrorDialog

        if isinstance(self.screen, ErrorDialog):  # read the problem first, then see the call
            self._after_dialog.append(lambda: self.open_call(call_id, index))
            return

        screen = self.screen
        if isinstance(screen, CallScreen) and screen.call_id == call_id:
            if index is not None:
                screen.go_to(index)
            return
        if self._is_plan(call_id):
            from .plan import PlanScreen

            self.push_screen(PlanScreen(call_id, cursor=index))
            return
        self.push_screen(CallScreen(call_id, cursor=index))

    def _is_plan(self, call_id: str) -> bool:
        """The stored item is a seller's plan (it opens on the plan screen)."""
        from ..errors import CallreviewError

        try:
            return self.store is not None and self.store.get_call(call_id).is_plan
        except CallreviewError:
            return False

    def refresh_views(self, call_id: str | None = None) -> None:
        """Tell every open screen that the store changed."""
        for screen in self.screen_stack:
            if hasattr(screen, "store_changed"):
                screen.store_changed(call_id)

    # ------------------------------------------------------------ dialogs

    def show_error(self, error: CallreviewError) -> None:
        from .dialogs import ErrorDialog

        def closed(_result: object) -> None:
            if not isinstance(self.screen, ErrorDialog):
                pending, self._after_dialog = self._after_dialog, []
                for fn in pending:
                    fn()

        self.push_screen(ErrorDialog(error.render()), closed)

    def guarded(self, fn: Callable[[], Any]) -> Any:
        """Call ``fn`` (a store write); a CallreviewError becomes a dialog. Returns None then."""
        try:
            return fn()
        except CallreviewError as exc:
            self.show_error(exc)
            return None

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = False) -> None:
        """A toast, also kept in the status line so the manager can read it after it fades."""
        self.last_message = f"{title}: {message}" if title else message
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def write(self, fn: Callable[[], Any]) -> Any:
        """A store write (an edit or an undo): like :meth:`guarded`, and counted in
        :attr:`writes`, so a screen can tell that others changed the store meanwhile."""
        result = self.guarded(fn)
        if result is not None:
            self.writes += 1
        return result

    def undo_last(self, call_id: str | None = None) -> Any:
        """Take back the last edit (within one call when ``call_id`` is given), say what
        was undone, and return its event; None when there was nothing to undo."""
        store = self.store
        if store is None:
            return None
        event = self.write(lambda: store.undo(call_id, reviewer=self.reviewer))
        if event is None:
            self.notify("Nothing left to undo on this call" if call_id else "Nothing to undo", timeout=2)
            return None
        self.notify(f"Undone: {event.describe()}", timeout=3)
        return event

    @property
    def reviewer(self) -> str | None:
        return self.settings.reviewer

    # ------------------------------------------------------------- actions

    def action_help(self) -> None:
        from .dialogs import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))

    def action_library(self) -> None:
        from .library import LibraryScreen

        while len(self.screen_stack) > 2 and not isinstance(self.screen, LibraryScreen):
            self.pop_screen()

    def action_queue(self) -> None:
        from .queue import QueueScreen

        if self.store is None:
            return
        if not isinstance(self.screen, QueueScreen):
            self.push_screen(QueueScreen())

    def action_retrain(self) -> None:
        from .retrain import RetrainScreen

        if self.store is None:
            return
        if not isinstance(self.screen, RetrainScreen):
            self.push_screen(RetrainScreen())

    async def action_quit(self) -> None:
        """Quit at any moment: text still being typed is saved first."""
        for screen in reversed(self.screen_stack):
            flush = getattr(screen, "flush", None)
            if flush is not None:
                try:
                    flush()
                except CallreviewError:
                    pass
        if self.store is not None:
            self.store.close()
            self.store = None
        self.exit()

    # ------------------------------------------------------ command palette

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action with a key, on the screen in view, then the app's own commands."""
        seen: set[str] = set()
        for owner, bindings in ((screen, getattr(screen, "BINDINGS", [])), (self, self.BINDINGS)):
            for b in bindings:
                if not isinstance(b, Binding) or not b.description or b.action in seen:
                    continue
                if b.action in ("command_palette",):
                    continue
                if owner is screen and screen.check_action(b.action, ()) is False:
                    continue
                seen.add(b.action)
                key = b.key_display or self.get_key_display(b)
                yield SystemCommand(b.description, f"key: {key}" + (f"  {b.tooltip}" if b.tooltip else ""),
                                    partial(owner.run_action, b.action))
        for cmd in super().get_system_commands(screen):
            if cmd.title not in ("Quit", "Keys"):
                yield cmd


def make_app(files: Sequence[str | Path] = (), *, seller: str | None = None, model_dir: str | Path | None = None,
             store_path: str | Path | None = None, **options: Any) -> CallreviewApp:
    """The review app, opened on ``files`` (imported into the store) or on the library.

    ``options`` are the other :class:`Settings` fields (model, no_model, annotate, load_model,
    team, corpus, export_dir, models_dir, reviewer, input_format)."""
    def paths(v: Any) -> tuple[str, ...] | None:
        return None if v is None else tuple(str(p) for p in v)

    settings = Settings(
        files=tuple(str(f) for f in files), seller=seller,
        model_dir=str(model_dir) if model_dir is not None else None,
        store_path=str(store_path) if store_path is not None else None,
        model=options.pop("model", None), no_model=bool(options.pop("no_model", False)),
        annotate=options.pop("annotate", None), load_model=options.pop("load_model", None),
        team=paths(options.pop("team", None)),
        corpus=paths(options.pop("corpus", None)),
        export_dir=options.pop("export_dir", None), models_dir=options.pop("models_dir", None),
        reviewer=options.pop("reviewer", None), input_format=options.pop("input_format", "auto"),
    )
    if options:
        raise TypeError(f"make_app() got unknown options: {', '.join(sorted(options))}")
    return CallreviewApp(settings)
