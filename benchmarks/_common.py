"""Small helpers shared by the classifier benchmarks (compare_classifiers, bench_annotate,
pfg_classify): where the repository and the venv's ``callreview`` are, medians, tables."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def callreview_exe() -> str:
    """The ``callreview`` console script of the interpreter running this benchmark
    (the venv's), else the one on PATH."""
    here = Path(sys.executable).parent / "callreview"
    if here.exists():
        return str(here)
    found = shutil.which("callreview")
    if not found:
        sys.exit("error: no `callreview` command found\nhint: /work/venv/bin/pip install -e .")
    return found


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def median_time(fn: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    """Median wall time of ``runs`` calls of ``fn`` and all the times (the machine is
    shared, so one run says little)."""
    times = [timed(fn)[0] for _ in range(runs)]
    return statistics.median(times), times


def _numeric(text: str) -> bool:
    return text == "-" or text.replace(",", "").replace(".", "").replace("%", "").lstrip("-").isdigit()


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table: numbers right-aligned, text left-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    right = [all(_numeric(r[i]) for r in cells[1:]) for i in range(len(headers))]
    lines = []
    for k, r in enumerate(cells):
        line = "  ".join(c.rjust(widths[i]) if right[i] else c.ljust(widths[i]) for i, c in enumerate(r))
        lines.append(line.rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def shown(path: str | Path) -> str:
    """A path as printed: relative to the repository when inside it."""
    p = Path(path).resolve()
    return str(p.relative_to(REPO)) if p.is_relative_to(REPO) else str(path)


def machine() -> str:
    return (f"{date.today().isoformat()}, {platform.machine()} {os.cpu_count()} cores, "
            f"Python {platform.python_version()} (shared machine: timings are noisy)")
