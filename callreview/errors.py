"""The project's own exceptions.

Every problem a user can cause (a bad file, a broken model, an unwritable path)
is raised as a :class:`CallreviewError` carrying where it happened and how to fix it.
The CLI prints it as one ``error: FILE:LINE: message`` line plus a ``hint:`` line
and exits with status 2; the TUI shows the same text in a dialog.
"""

from __future__ import annotations


class CallreviewError(Exception):
    """A problem the user can act on. Never shown with a traceback."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    @property
    def location(self) -> str:
        if self.path is None:
            return ""
        if self.line is None:
            return f"{self.path}: "
        return f"{self.path}:{self.line}: "

    def __str__(self) -> str:
        return f"{self.location}{self.message}"

    def render(self) -> str:
        """The text shown to a user: the error line and, when known, the hint line.

        Each is one line with no control characters (see :mod:`callreview.text_safety`):
        a file name or a quoted piece of a file may hold a newline or an escape sequence."""
        from .text_safety import for_terminal

        text = f"error: {for_terminal(self)}"
        if self.hint:
            text += f"\nhint: {for_terminal(self.hint)}"
        return text


class InputError(CallreviewError):
    """A transcript, notes, CSV or corpus file that cannot be read."""


class ModelError(CallreviewError):
    """A model folder that is missing, tampered with, or from other library versions."""


class StoreError(CallreviewError):
    """The review store cannot be opened or written."""


class ExportError(CallreviewError):
    """An export that cannot be written."""


class UsageError(CallreviewError):
    """Options that do not fit together."""
