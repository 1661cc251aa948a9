"""How labels look: readable names, one color per behavior, stage and outcome, and the
styles of the review's states.

Label colors are data: chosen once per label from the taxonomy order, so a label has the
same color on every screen (chip in the transcript, band in the stage timeline, legend);
this module is their one home (:data:`BEHAVIOR_COLORS`, :data:`STAGE_COLORS`,
:data:`OUTCOME_COLORS`). Everything else (unsure, corrected, done, a better or worse
score...) is styled by a rule in ``app.tcss`` on the component class ``review--NAME``
(:data:`LOOKS`), read with :func:`look`. Every colored thing also carries its name or
letter, so nothing depends on color alone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable

from rich.style import Style
from rich.text import Text

from ..taxonomy import default_taxonomy
from ..vocabulary import display, percent  # noqa: F401  (percent: read by the screens)

#: background colors for behavior chips (light, with dark text): ColorBrewer Set3 + Paired
BEHAVIOR_COLORS = (
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
    "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f", "#a6cee3", "#b2df8a", "#fb9a99", "#cab2d6",
)
#: background colors for stage bands (stronger, with dark text)
STAGE_COLORS = ("#9ecae1", "#a1d99b", "#fdd0a2", "#fc9272", "#bcbddc", "#c7e9c0", "#fdae6b", "#d9d9d9")
#: the band of passages without a stage
NO_STAGE_COLOR = "#444444"
#: the text on a chip or a band (dark on the light label colors)
CHIP_INK = "#111111"
OUTCOME_COLORS = {"order": "#1a9850", "advance": "#66bd63", "continuation": "#fdae61", "no_sale": "#d73027"}
STATUS_TEXT = {"new": "New", "in_progress": "In progress", "done": "Done"}

#: the mark column of the transcript: readable without color
MARKS = {"unsure": "?", "corrected": "✎", "skipped": "–", "accepted": "✓", None: " "}
MARK_HELP = {"unsure": "the model is unsure (low confidence)", "corrected": "you relabeled it",
             "skipped": "you skipped it", "accepted": "you accepted the model's label"}

#: the review states styled in app.tcss, each by the rule ``.review--NAME``: the marks
#: (unsure, corrected, skipped, accepted), a comment, an edit of yours, the statuses
#: (done, in-progress), an active filter, the model's probabilities, a score better or
#: worse than before, and an alert (a failure the manager should see)
LOOKS = ("unsure", "corrected", "skipped", "accepted", "comment", "yours", "done", "in-progress", "filter",
         "probability", "better", "worse", "alert")
#: the component classes a widget or screen declares to :func:`look` these up
LOOK_CLASSES = frozenset(f"review--{name}" for name in LOOKS)
#: a review state's name -> its style (:func:`look` bound to a widget)
Look = Callable[[str], Style]
STATUS_LOOKS = {"done": "done", "in_progress": "in-progress"}


def look(node: Any, name: str | None) -> Style:
    """The style app.tcss gives the review state ``name`` (the rule ``.review--NAME``), as
    it applies on ``node``: a widget or screen whose COMPONENT_CLASSES hold
    :data:`LOOK_CLASSES`. No style for None, or before the node has its styles."""
    if not name:
        return Style.null()
    return node.get_component_rich_style(f"review--{name}", partial=True, default=Style.null())


def readable(label: str | None, empty: str = "—") -> str:
    """'implication_question' -> 'Implication question'."""
    return display(label, empty)


def _pick(label: str, order: tuple[str, ...], palette: tuple[str, ...]) -> str:
    if label in order:
        return palette[order.index(label) % len(palette)]
    return palette[sum(map(ord, label)) % len(palette)]


@lru_cache(maxsize=256)
def behavior_color(label: str) -> str:
    return _pick(label, default_taxonomy().behaviors, BEHAVIOR_COLORS)


@lru_cache(maxsize=64)
def stage_color(label: str) -> str:
    return _pick(label, default_taxonomy().stages, STAGE_COLORS)


def color_for(task: str, label: str) -> str:
    return behavior_color(label) if task in ("behavior", "element") else stage_color(label)


def chip(task: str, label: str | None, width: int | None = None) -> Text:
    """A label as colored chip text with its readable name (dark text on the label's color)."""
    if not label:
        return Text("—", style="dim")
    name = readable(label)
    if width is not None:
        name = name if len(name) <= width else name[: width - 1] + "…"
        name = name.ljust(width)
    return Text(name, style=Style(color=CHIP_INK, bgcolor=color_for(task, label)))


def band_style(stage: str | None) -> Style:
    """A stage's band in the timeline: dark text on the stage's color."""
    return Style(color=CHIP_INK, bgcolor=stage_color(stage) if stage else NO_STAGE_COLOR)


def outcome_text(outcome: str | None) -> Text:
    if not outcome:
        return Text("not set", style="dim italic")
    color = OUTCOME_COLORS.get(outcome)
    return Text(readable(outcome), style=Style(bold=True, color=color) if color else Style(bold=True))


def status_text(status: str, look: Look) -> Text:
    """The review status readably, styled by ``look`` (done, in progress)."""
    return Text(STATUS_TEXT.get(status, readable(status)), style=look(STATUS_LOOKS.get(status, "")))


@lru_cache(maxsize=1)
def _label_pattern() -> re.Pattern[str]:
    tax = default_taxonomy()
    labels = sorted(set(tax.behaviors) | set(tax.stages) | set(tax.outcomes), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(map(re.escape, labels)) + r")\b")


def readable_message(text: str) -> str:
    """Core messages name labels ('implication_question'); show them readably."""
    return _label_pattern().sub(lambda m: readable(m.group(1)).lower(), text)
