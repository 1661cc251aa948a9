"""The terminal review app (``callreview review``). Importing it loads Textual; the core
modules never do. Build the app with :func:`make_app`, as the CLI and the tests do."""

from .app import CallreviewApp, Settings, make_app

__all__ = ["CallreviewApp", "Settings", "make_app"]
