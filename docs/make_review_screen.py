"""Make docs/review-screen.svg and .png: the call review screen on a sample call.

usage: python docs/make_review_screen.py [--model DIR] [--call FILE] [--seller NAME]

Opens the real app (the CLI's ``make_app``) at 120x40 on a sample call with the shipped
model and a fresh temporary store, does a little review work (accepts the first passages,
relabels one the model was unsure of, comments on it, sets the outcome), and saves a
Textual screenshot as SVG. The PNG (what GitHub shows in the README) is made from it with
``rsvg-convert`` (``apt-get install librsvg2-bin``); text runs that start with spaces are
moved right first, because rsvg drops leading spaces where a terminal keeps them.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZE = (120, 40)


async def shoot(svg: Path, call: Path, seller: str, model: Path) -> None:
    from callreview.tui import make_app

    with tempfile.TemporaryDirectory() as tmp:
        app = make_app([call], seller=seller, model_dir=model, store_path=Path(tmp) / "reviews.sqlite3",
                       reviewer="docs")
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(1200):
                s = app.screen
                if type(s).__name__ == "CallScreen" and s.review is not None and s.context is not None \
                        and s.context.coaching is not None:
                    break
                await pilot.pause(0.05)
            else:
                raise SystemExit(f"error: the call did not open (screen {type(app.screen).__name__})")
            await pilot.press(*"a" * 11)  # accept the opening and the first answers
            await pilot.press("b")  # "And how are those monitored right now?" asks about the situation
            await pilot.press(app.screen.key_of["situation_question"])
            await pilot.press("c", *"Good question. Next, ask what a failed cooler overnight costs them.", "enter")
            await pilot.press("o")
            await pilot.press(app.screen.key_of["advance"])
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
            app.clear_notifications()
            await pilot.pause()
            app.save_screenshot(filename=svg.name, path=str(svg.parent))


def fix_leading_spaces(svg: str) -> str:
    """Move each text run that starts with non-breaking spaces right by that many cells."""
    def repl(m: re.Match[str]) -> str:
        attrs, body = m.group(1), m.group(2)
        lead = re.match(r"(?:&#160;)+", body)
        if not lead:
            return m.group(0)
        k = lead.group(0).count("&#160;")
        n = len(re.sub(r"&#?\w+;", "x", body))
        x = re.search(r' x="([\d.]+)"', attrs)
        length = re.search(r'textLength="([\d.]+)"', attrs)
        if not x or not length or n == k:
            return ""
        w = float(length.group(1)) / n
        attrs = attrs.replace(x.group(0), f' x="{float(x.group(1)) + k * w:.1f}"')
        attrs = attrs.replace(length.group(0), f'textLength="{float(length.group(1)) - k * w:.1f}"')
        return f"<text{attrs}>{body[len(lead.group(0)):]}</text>"

    return re.sub(r"<text([^>]*)>(.*?)</text>", repl, svg.replace("\u00a0", "&#160;"), flags=re.S)


def to_png(svg: Path, png: Path) -> None:
    if not shutil.which("rsvg-convert"):
        raise SystemExit("error: rsvg-convert not found\nhint: apt-get install librsvg2-bin")
    with tempfile.TemporaryDirectory() as tmp:
        fixed = Path(tmp) / "fixed.svg"
        fixed.write_text(fix_leading_spaces(svg.read_text(encoding="utf-8")), encoding="utf-8")
        subprocess.run(["rsvg-convert", "-o", str(png), str(fixed)], check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=str(ROOT / "models" / "default"))
    ap.add_argument("--call", default=str(ROOT / "corpora" / "samples" / "northwind-discovery.teams.vtt"))
    ap.add_argument("--seller", default="Dana Ortiz")
    args = ap.parse_args()
    svg = ROOT / "docs" / "review-screen.svg"
    asyncio.run(shoot(svg, Path(args.call), args.seller, Path(args.model)))
    to_png(svg, svg.with_suffix(".png"))
    print(f"wrote {svg} and {svg.with_suffix('.png')}")


if __name__ == "__main__":
    main()
