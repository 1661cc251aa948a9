"""The review app's colors live in its stylesheet (app.tcss); only the label palette, which
is data (one color per behavior, stage and outcome), is in Python, in tui/labels.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tui_helpers import SIZE, make_test_app, wait_workers

from callreview.tui import labels

TUI = Path(labels.__file__).parent
HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


def test_no_color_is_written_in_the_apps_python_but_the_label_palette():
    found = {p.name: HEX.findall(p.read_text(encoding="utf-8")) for p in sorted(TUI.glob("*.py"))}
    assert {name: hits for name, hits in found.items() if hits and name != "labels.py"} == {}


@pytest.mark.asyncio
async def test_every_review_state_has_its_style_in_the_stylesheet(tmp_path):
    app = make_test_app(tmp_path / "reviews.sqlite3", no_model=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_workers(pilot)
        screen = app.screen
        assert set(labels.LOOK_CLASSES) <= set(type(screen)._get_component_classes())
        styles = {name: labels.look(screen, name) for name in labels.LOOKS}
        assert [name for name, style in styles.items() if style.color is None] == []
        assert styles["unsure"].bold and not styles["worse"].bold
        assert styles["unsure"].color == styles["worse"].color  # one variable, $review-attention
