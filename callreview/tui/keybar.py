"""The footer: every key of the screen in view, wrapped over as many lines as it takes.

Textual's one-line Footer cuts keys off on a busy screen; this one shows them all (pairs
such as n/N share one entry), and each entry can be clicked.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static


class KeyBar(Static, can_focus=False):
    DEFAULT_CLASSES = "keybar"

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._paint)

    def _bindings_changed(self, _screen: Screen) -> None:
        self._paint()

    def entries(self) -> list[tuple[str, str, str | None, bool]]:
        """(keys, description, click action, enabled) for each shown binding, screen first."""
        active = list(self.screen.active_bindings.values())
        active.sort(key=lambda ab: isinstance(ab.node, App))
        out: list[tuple[str, str, str | None, bool]] = []
        groups: dict[str, int] = {}
        seen: set[str] = set()
        for node, binding, enabled, _tooltip in active:
            if not binding.show or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            key = self.app.get_key_display(binding)
            if isinstance(node, App):
                click = f"app.{binding.action}"
            elif isinstance(node, Screen):
                click = f"screen.{binding.action}"
            else:
                click = f"focused.{binding.action}"
            group = binding.group
            if group is not None:
                if group.description in groups:
                    k, d, c, e = out[groups[group.description]]
                    out[groups[group.description]] = (f"{k}/{key}", d, c, e or enabled)
                    continue
                groups[group.description] = len(out)
                out.append((key, group.description, click, enabled))
                continue
            out.append((key, binding.description, click, enabled))
        return out

    def on_resize(self) -> None:
        self._paint()

    def _paint(self) -> None:
        """Entries packed into lines by hand, so an entry never breaks across two lines."""
        width = max(20, self.size.width or self.app.size.width)
        lines: list[list[Content]] = [[]]
        used = 0
        for key, description, click, enabled in self.entries():
            key_style = "bold $footer-key-foreground" if enabled else "$text-disabled"
            piece = Content.assemble((key, key_style), (" " + description, "" if enabled else "dim"))
            if click and enabled:
                piece = piece.stylize(f"@click={click}")
            need = piece.cell_length + (2 if lines[-1] else 0)
            if lines[-1] and used + need > width:
                lines.append([])
                used, need = 0, piece.cell_length
            lines[-1].append(piece)
            used += need
        self.update(Content("\n").join(Content("  ").join(line) for line in lines))


def group(description: str) -> Binding.Group:
    """A pair of keys shown as one footer entry ('n/N Unsure')."""
    return Binding.Group(description)
