"""The coaching report as Markdown.

Transcript text, comments and feedback are escaped (backslash escapes for Markdown
syntax and ``<``/``>``), so a passage can neither break the layout nor smuggle HTML
into a Markdown viewer.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

from .view import ReportView, report_view

if TYPE_CHECKING:  # pragma: no cover
    from ..taxonomy import Taxonomy
    from .report import ReportData

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
#: what would start a heading, list or quote at the beginning of a line
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def esc(text: str) -> str:
    """Inline text with Markdown syntax and HTML made literal; line breaks become spaces."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _line(text: str) -> str:
    def fix(m: re.Match[str]) -> str:
        mark = m.group(2)
        return m.group(1) + (mark[:-1] + "\\" + mark[-1] if mark[0].isdigit() else "\\" + mark)

    return _LINE_START.sub(fix, esc(text))


def _block(text: str) -> list[str]:
    """Multi-line text as escaped paragraphs (blank lines kept as paragraph breaks)."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = [_line(ln) for ln in para.splitlines() if ln.strip()]
        if lines:
            out.append("  \n".join(lines))
            out.append("")
    return out


def _cell(text: str) -> str:
    return esc(text) or " "


def render_view(v: ReportView) -> str:
    lines: list[str] = [f"# Coaching report: {esc(v.title)}", "", f"*{esc(v.subtitle)}*", ""]
    for label, value in v.facts:
        lines.append(f"- **{label}:** {esc(value)}")
    lines += ["", f"> {esc(v.intro)}", ""]

    lines += ["## Key metrics", ""]
    if v.metrics:
        lines += ["| Metric | This call | Published reference |", "|---|---:|---|"]
        for m in v.metrics:
            value = ("\u2248 " if m.estimated else "") + m.value
            ref = f"{m.reference} [{m.note}]" if m.note else "\u2013"
            name = ("\u2003" if m.indent else "") + m.name
            lines.append(f"| {_cell(name)} | {_cell(value)} | {_cell(ref)} |")
        lines.append("")
    else:
        lines += ["No metric could be computed for this call.", ""]
    if v.unavailable:
        lines += [f"Not computable for this call: {esc('; '.join(v.unavailable))}.", ""]

    lines += ["## Stage timeline", ""]
    if v.timeline:
        timed = any(t.start for t in v.timeline)
        lines += [f"Share is the {esc(v.timeline_basis)}.", ""]
        lines += (["| Starts | Stage | Share | Passages |", "|---:|---|---:|---|"] if timed else
                  ["| Stage | Share | Passages |", "|---|---:|---|"])
        for t in v.timeline:
            start = f"| {_cell(t.start)} " if timed else ""
            lines.append(f"{start}| {_cell(t.stage)} | {t.share:.0%} | {_cell(t.passages)} |")
        lines.append("")
    else:
        lines += ["No stage labels, so no timeline.", ""]

    if v.feedback_empty:
        lines += ["## Feedback", "", esc(v.feedback_empty), ""]
    for heading, text in v.feedback:
        lines += [f"## {heading}", ""]
        lines += _block(text) if text.strip() else ["*Not written yet.*", ""]

    if v.coaching:
        lines += ["## What the team's calls suggest", "", esc(v.coaching_intro), ""]
        for k, c in enumerate(v.coaching, 1):
            where = f" ({esc(c.where)})" if c.where else ""
            lines.append(f"{k}. {esc(c.message)}{where}")
        lines.append("")

    for heading, rows in v.plan_sections:
        lines += [f"## {esc(heading)}", ""]
        lines += [f"- {esc(r)}" for r in rows] + [""]

    lines += ["## Evidence", ""]
    if not v.evidence:
        lines += [esc(v.evidence_empty), ""]
    for e in v.evidence:
        who = esc(e.speaker) + (f" ({esc(e.role)})" if e.role else "")
        lines += [f"### {esc(e.time)} \u00b7 {who}", "",
                  f"*{esc(e.behavior)} \u00b7 {esc(e.stage)} \u00b7 passage {e.index}*", ""]
        for para in _block(e.text)[:-1]:
            lines += [f"> {ln}" if ln else ">" for ln in para.split("\n")]
        lines.append("")
        for c in e.comments:
            lines.append(f"- **Comment:** {esc(c)}")
        for fix in e.corrections:
            lines.append(f"- **Correction:** {esc(fix)}")
        if e.comments or e.corrections:
            lines.append("")

    if v.notes or v.reference_notes:
        lines += ["---", ""]
        for n in v.notes:
            lines.append(f"*Note: {esc(n)}.*  ")
        if v.reference_notes:
            if v.notes:
                lines.append("")
            lines += ["**References**", ""]
            for k, r in enumerate(v.reference_notes, 1):
                lines.append(f"{k}. {esc(r)}")
        lines.append("")
    lines += [f"*{esc(v.footer)}*", ""]
    return "\n".join(lines)


def render(reports: Sequence["ReportData"], taxonomy: "Taxonomy | None" = None) -> str:
    """One Markdown document: the report of each call, separated by a rule."""
    return "\n---\n\n".join(render_view(report_view(r, taxonomy)) for r in reports)
