"""How fast the review app shows and scrolls a long call.

usage: python benchmarks/bench_tui.py [--model DIR] [--passages N] [--runs R] [--json FILE]

A call of N (default 1,000) passages is made by putting the corpus calls back to back
(times shifted so they run on), labeled once with the model (the current one, or --model;
without a loadable model, with made-up predictions, which paint the same), and added to a
temporary review store. Then, R times (default 7) in a fresh app (``make_app``, the CLI's
factory) of 120x40 cells, headless, with the model already loaded:

paint       from asking to open the call to the end of the first screen update that draws
            its rows: the store read in a worker, the transcript table filled (a DataTable:
            virtualized, two lines a row, cells built only when drawn), the frame rendered.
            The metrics and coaching points come after, from another worker.
scroll      one page down (pagedown) through Textual's test pilot, which also waits for the
            app to be idle (about 40 ms for a key that does nothing): median of 30 presses
end         jump to the last passage (end)
accept      `a` on a passage: the store write, the row updated, the cursor moved
no-op key   a key bound to nothing: the pilot's own cost, to subtract from the three above

Every figure is a median over the runs, printed with the settings that produced it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from _common import REPO, machine, table

from callreview.corpora import read_corpus
from callreview.records import Call, Prediction


def long_call(calls: list[Call], n: int) -> Call:
    """One timed call of ``n`` passages: the corpus calls back to back."""
    ps, offset = [], 0.0
    while len(ps) < n:
        for c in calls:
            last = offset
            for p in c.passages:
                start = (p.start if p.start is not None else 4.0 * p.index) + offset
                end = (p.end if p.end is not None else start + 3.5) + (offset if p.end is not None else 0.0)
                ps.append(replace(p, index=len(ps), behavior=None, stage=None, start=start, end=end))
                last = max(last, end)
                if len(ps) == n:
                    break
            offset = last + 2.0
            if len(ps) == n:
                break
    return Call("bench-long", tuple(ps), title=f"{n} passages from the corpus", seller=calls[0].seller)


def made_up(call: Call) -> Call:
    """Predictions of the right shape when no model can be loaded (the paint does not care)."""
    beh = ("situation_question", "buyer_info", "problem_question", "buyer_need", "giving_information")
    st = ("opening", "discovery", "presentation", "objection_handling", "commitment")
    out = []
    for p in call.passages:
        b = beh[p.index % len(beh)]
        s = st[min(4, p.index * 5 // len(call.passages))]
        prob = 0.45 if p.index % 7 == 3 else 0.9
        preds = {"behavior": Prediction(b, prob, (("other", 0.4 if prob < 0.5 else 0.05),), ("made up",), "made-up"),
                 "stage": Prediction(s, 0.95, (("opening", 0.03),), ("made up",), "made-up")}
        out.append(replace(p, predictions=preds, behavior=b, stage=s))
    return call.with_passages(out)


class PaintClock:
    """When the first frame showing the call's rows was rendered: the transcript drew its
    lines with all rows loaded, and the screen's compositor update that drew them ended."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.drawn_at: float | None = None
        self.painted_at: float | None = None

    def install(self):
        from textual.screen import Screen

        from callreview.tui.widgets import TranscriptTable

        clock = self
        render_lines = TranscriptTable.render_lines
        refresh = Screen._compositor_refresh

        def counted_render_lines(table, crop):
            lines = render_lines(table, crop)
            if clock.drawn_at is None and table.row_count == clock.n:
                clock.drawn_at = time.perf_counter()
            return lines

        def counted_refresh(screen):
            refresh(screen)
            if clock.drawn_at is not None and clock.painted_at is None:
                clock.painted_at = time.perf_counter()

        TranscriptTable.render_lines = counted_render_lines
        Screen._compositor_refresh = counted_refresh

        def undo():
            TranscriptTable.render_lines = render_lines
            Screen._compositor_refresh = refresh

        return undo


async def one_run(store_path: Path, call_id: str, model, team: list[str], n: int) -> dict[str, float]:
    from callreview.tui import make_app

    app = make_app(store_path=store_path, model=model, no_model=model is None, team=team, reviewer="bench")
    out: dict[str, float] = {}
    clock = PaintClock(n)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        undo = clock.install()
        try:
            t0 = time.perf_counter()
            app.open_call(call_id)
            while clock.painted_at is None:
                await asyncio.sleep(0.001)
        finally:
            undo()
        out["paint"] = clock.painted_at - t0
        screen = app.screen
        await app.workers.wait_for_complete()  # metrics and coaching (off the paint path)
        await pilot.pause()
        idle = []
        for _ in range(10):
            t = time.perf_counter()
            await pilot.press("f12")  # bound to nothing: what the pilot itself costs
            idle.append(time.perf_counter() - t)
        out["no-op key"] = statistics.median(idle)
        presses = []
        for _ in range(30):
            t = time.perf_counter()
            await pilot.press("pagedown")
            presses.append(time.perf_counter() - t)
        out["scroll"] = statistics.median(presses)
        t = time.perf_counter()
        await pilot.press("end")
        out["end"] = time.perf_counter() - t
        assert screen.current() == n - 1
        await pilot.press("home")
        t = time.perf_counter()
        await pilot.press("a")
        out["accept"] = time.perf_counter() - t
        await app.workers.wait_for_complete()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=None, help="model folder (default: the current model)")
    ap.add_argument("--passages", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--json", default=None, help="also write the figures as JSON here")
    args = ap.parse_args()

    from callreview.errors import CallreviewError
    from callreview.store import Store

    corpus = REPO / "corpora" / "default"
    calls = read_corpus(corpus)
    call = long_call(calls, args.passages)
    model, how = None, "made-up predictions (no model could be loaded)"
    try:
        from callreview.artifacts import load_model
        from callreview.classify import annotate

        model = load_model(args.model)
        t = time.perf_counter()
        call = annotate([call], model)[0]
        how = f"model {model.id} (annotating took {time.perf_counter() - t:.1f} s, not counted)"
    except CallreviewError as exc:
        print(f"note: {exc}", file=sys.stderr)
        call = made_up(call)
    with tempfile.TemporaryDirectory() as tmp:
        store_path = Path(tmp) / "reviews.sqlite3"
        with Store.open(store_path) as store:
            cid = store.add_call(call, model_id=model.id if model else "made-up").call_id
        runs = [asyncio.run(one_run(store_path, cid, model, [str(corpus)], args.passages)) for _ in range(args.runs)]
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print(f"callreview review: a {args.passages}-passage call, 120x40 headless, {args.runs} runs; {how}")
    print(machine())
    rows = [[k, f"{med[k] * 1000:.0f}", f"{min(r[k] for r in runs) * 1000:.0f}", f"{max(r[k] for r in runs) * 1000:.0f}"]
            for k in ("paint", "scroll", "end", "accept", "no-op key")]
    print(table(["measure", "median ms", "min ms", "max ms"], rows))
    if args.json:
        Path(args.json).write_text(json.dumps({"passages": args.passages, "runs": runs, "median": med,
                                               "predictions": how}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
