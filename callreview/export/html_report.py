"""The coaching report as one self-contained HTML file.

Inline CSS (screen and print), inline SVG for the stage timeline and the behavior mix;
no script, no external resource, so the file opens anywhere and prints on A4. Every
piece of text that comes from a call, a review or a label goes through :func:`esc`
(``html.escape`` with quotes), in element content, in attributes and inside the SVG:
a transcript holding ``<script>`` shows it as text.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Sequence

from .view import ReportView, report_view

if TYPE_CHECKING:  # pragma: no cover
    from ..taxonomy import Taxonomy
    from .report import ReportData

CSS = """
:root {
  --ink: #1f2a37; --muted: #5b6878; --faint: #8a96a3; --line: #e3e7ec; --paper: #ffffff;
  --wash: #f5f7f9; --accent: #3f5f8a; --good: #4f8a6f; --work: #b0803a; --focus: #3f5f8a;
}
* { box-sizing: border-box; }
html { background: #eef1f4; }
body { margin: 0; color: var(--ink); background: #eef1f4;
  font: 15px/1.55 "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "Noto Sans", sans-serif;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.report { max-width: 880px; margin: 32px auto; background: var(--paper); padding: 44px 56px 36px;
  border-radius: 6px; box-shadow: 0 1px 3px rgba(31, 42, 55, .08); }
.report + .report { margin-top: 40px; }
.eyebrow { margin: 0 0 6px; color: var(--accent); font-size: 12px; font-weight: 600; letter-spacing: .08em;
  text-transform: uppercase; }
h1 { margin: 0; font-size: 27px; line-height: 1.25; font-weight: 600; letter-spacing: -.01em; }
.subtitle { margin: 6px 0 0; color: var(--muted); font-size: 13px; }
.facts { display: grid; grid-template-columns: repeat(4, 1fr); gap: 0; margin: 22px 0 0; padding: 0;
  border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); }
.facts div { padding: 10px 14px 10px 0; }
.facts div + div { padding-left: 14px; border-left: 1px solid var(--line); }
.facts dt { color: var(--faint); font-size: 11.5px; text-transform: uppercase; letter-spacing: .06em; }
.facts dd { margin: 2px 0 0; font-weight: 600; font-size: 14.5px; overflow-wrap: anywhere; }
.intro { margin: 16px 0 0; color: var(--muted); font-size: 13.5px; }
h2 { margin: 34px 0 12px; font-size: 17px; font-weight: 600; color: var(--ink);
  padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h2 .hint { float: right; font-size: 12px; font-weight: 400; color: var(--faint); padding-top: 4px; }
p { margin: 0 0 10px; }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase;
  letter-spacing: .05em; padding: 6px 10px 6px 0; border-bottom: 1px solid var(--line); }
td { padding: 7px 10px 7px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
tr:last-child td { border-bottom: 0; }
td.value, th.value { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.value { font-weight: 600; }
td.ref { color: var(--muted); font-size: 13px; padding-left: 22px; }
th.ref { padding-left: 22px; }
td.indent { padding-left: 18px; color: var(--muted); }
sup { color: var(--faint); font-size: 10px; margin-left: 2px; }
.est { color: var(--faint); font-weight: 400; margin-right: 3px; }
.muted { color: var(--muted); font-size: 13px; }
.small { font-size: 12.5px; }
.chart { margin: 4px 0 6px; }
.chart svg { display: block; width: 100%; height: auto; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 8px 0 0; padding: 0; list-style: none;
  font-size: 13px; color: var(--muted); }
.legend li { display: flex; align-items: center; gap: 7px; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; }
.legend b { color: var(--ink); font-weight: 600; font-variant-numeric: tabular-nums; }
.feedback { display: grid; grid-template-columns: 1fr; gap: 12px; }
.card { border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 4px;
  padding: 12px 16px 4px; background: var(--paper); break-inside: avoid; }
.card h3 { margin: 0 0 6px; font-size: 13px; font-weight: 600; text-transform: uppercase; letter-spacing: .06em; }
.card.strengths { border-left-color: var(--good); } .card.strengths h3 { color: var(--good); }
.card.improve { border-left-color: var(--work); } .card.improve h3 { color: var(--work); }
.card.focus { border-left-color: var(--focus); background: #f4f7fb; } .card.focus h3 { color: var(--focus); }
.card.notes { border-left-color: var(--faint); } .card.notes h3 { color: var(--muted); }
.card .empty { color: var(--faint); font-style: italic; }
ol.points { margin: 0; padding-left: 22px; } ol.points li { margin: 0 0 8px; }
ol.points .where { color: var(--faint); font-size: 13px; white-space: nowrap; }
.evidence { margin: 0 0 14px; padding: 14px 18px 10px; background: var(--wash); border-radius: 4px;
  break-inside: avoid; }
.evidence .meta { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 10px; margin: 0 0 6px;
  font-size: 13px; color: var(--muted); }
.evidence .time { font-weight: 600; color: var(--ink); font-variant-numeric: tabular-nums; }
.evidence .who { color: var(--ink); }
.chip { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; background: #e6ebf1;
  color: #34465c; }
.chip.stage { background: transparent; border: 1px solid #cfd7e0; }
blockquote { margin: 0 0 8px; padding: 0 0 0 12px; border-left: 3px solid #cfd7e0; font-size: 15px;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.comment { margin: 6px 0 6px; padding: 8px 12px; background: var(--paper); border-radius: 4px;
  border: 1px solid var(--line); font-size: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.comment::before { content: "Manager"; display: block; font-size: 11px; color: var(--accent); font-weight: 600;
  text-transform: uppercase; letter-spacing: .06em; margin-bottom: 2px; }
.correction { margin: 4px 0 6px; font-size: 12.5px; color: var(--muted); }
.prose { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 10px; }
footer { margin-top: 34px; padding-top: 12px; border-top: 1px solid var(--line); color: var(--muted);
  font-size: 12px; }
footer ol { margin: 6px 0 10px; padding-left: 18px; } footer li { margin: 0 0 3px; }
@page { size: A4; margin: 14mm 14mm 16mm; }
@media print {
  html, body { background: #fff; }
  body { font-size: 10.5pt; }
  .report { margin: 0; padding: 0; max-width: none; box-shadow: none; border-radius: 0; }
  .report + .report { break-before: page; margin-top: 0; }
  h2 { break-after: avoid; }
  tr, .evidence, .card, .chart { break-inside: avoid; }
}
@media (max-width: 700px) {
  .report { padding: 24px 20px; margin: 0; border-radius: 0; }
  .facts { grid-template-columns: repeat(2, 1fr); }
  .facts div:nth-child(3) { border-left: 0; padding-left: 0; }
}
"""


def esc(text: object) -> str:
    """Text made safe for HTML content and attribute values."""
    return html.escape("" if text is None else str(text), quote=True)


def _prose(text: str) -> str:
    return f'<p class="prose">{esc(text.strip())}</p>'


def _timeline_svg(v: ReportView) -> str:
    width, bar_h, top = 800, 34, 4
    parts = [f'<svg viewBox="0 0 {width} 62" role="img" aria-labelledby="tl-title" '
             'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="tl-title">Stage timeline: {esc(", ".join(f"{t.stage} {t.share:.0%}" for t in v.timeline))}</title>']
    x, last_tick = 0.0, -100.0
    for t in v.timeline:
        w = t.share * width
        parts.append(f'<rect x="{x:.1f}" y="{top}" width="{max(w - 1.5, 0.5):.1f}" height="{bar_h}" rx="2" '
                     f'fill="{esc(t.color)}"><title>{esc(t.stage)}: {t.share:.0%}'
                     f'{", from " + esc(t.start) if t.start else ""}</title></rect>')
        if w >= 74:
            label = t.stage if len(t.stage) * 6.6 < w - 12 else f"{t.share:.0%}"
            parts.append(f'<text x="{x + 8:.1f}" y="{top + 22}" font-size="12.5" fill="#ffffff" '
                         f'font-family="inherit">{esc(label)}</text>')
        if t.start and x - last_tick >= 44:
            last_tick = x
            parts.append(f'<line x1="{x:.1f}" y1="{top + bar_h + 2}" x2="{x:.1f}" y2="{top + bar_h + 7}" '
                         'stroke="#aab4bf" stroke-width="1"/>')
            anchor = "start" if x < width - 40 else "end"
            parts.append(f'<text x="{x:.1f}" y="{top + bar_h + 20}" font-size="11" fill="#8a96a3" '
                         f'text-anchor="{anchor}" font-family="inherit">{esc(t.start)}</text>')
        x += w
    parts.append("</svg>")
    return "".join(parts)


def _timeline_legend(v: ReportView) -> str:
    totals: dict[str, tuple[str, float]] = {}
    for t in v.timeline:
        color, share = totals.get(t.stage, (t.color, 0.0))
        totals[t.stage] = (color, share + t.share)
    items = "".join(f'<li><span class="swatch" style="background:{esc(c)}"></span>{esc(stage)} <b>{s:.0%}</b></li>'
                    for stage, (c, s) in totals.items())
    return f'<ul class="legend">{items}</ul>'


def _mix_svg(v: ReportView) -> str:
    rows = v.behavior_mix
    row_h, label_w, width = 24, 200, 800
    height = row_h * len(rows) + 6
    most = max(r.count for r in rows) or 1
    bar_max = width - label_w - 50
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="mix-title" '
             'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="mix-title">Behavior mix: {esc(", ".join(f"{r.label} {r.count}" for r in rows))}</title>']
    for k, r in enumerate(rows):
        y = k * row_h + 3
        w = max(2.0, bar_max * r.count / most)
        parts.append(f'<text x="{label_w - 12}" y="{y + 15}" font-size="13" fill="#3a4756" text-anchor="end" '
                     f'font-family="inherit">{esc(r.label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 9}" rx="2" '
                     f'fill="{esc(r.color)}"/>')
        parts.append(f'<text x="{label_w + w + 7:.1f}" y="{y + 15}" font-size="12.5" fill="#5b6878" '
                     f'font-family="inherit">{r.count}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_view(v: ReportView) -> str:
    out: list[str] = ['<article class="report">', "<header>", '<p class="eyebrow">Coaching report</p>',
                      f"<h1>{esc(v.title)}</h1>", f'<p class="subtitle">{esc(v.subtitle)}</p>', '<dl class="facts">']
    for label, value in v.facts:
        out.append(f"<div><dt>{esc(label)}</dt><dd>{esc(value)}</dd></div>")
    out += ["</dl>", f'<p class="intro">{esc(v.intro)}</p>', "</header>"]

    # key metrics
    out.append('<section class="metrics"><h2>Key metrics</h2>')
    if v.metrics:
        out.append('<table><thead><tr><th>Metric</th><th class="value">This call</th>'
                   '<th class="ref">Published reference</th></tr></thead><tbody>')
        for m in v.metrics:
            est = '<span class="est" title="estimated">\u2248</span>' if m.estimated else ""
            ref = (f'{esc(m.reference)}<sup>{m.note}</sup>' if m.note else '<span class="muted">\u2013</span>')
            cls = ' class="indent"' if m.indent else ""
            out.append(f'<tr><td{cls} title="{esc(m.detail)}">{esc(m.name)}</td>'
                       f'<td class="value">{est}{esc(m.value)}</td><td class="ref">{ref}</td></tr>')
        out.append("</tbody></table>")
    else:
        out.append('<p class="muted">No metric could be computed for this call.</p>')
    if v.unavailable:
        out.append(f'<p class="muted small">Not computable for this call: {esc("; ".join(v.unavailable))}.</p>')
    out.append("</section>")

    # stage timeline and behavior mix
    out.append('<section class="timeline"><h2>Stage timeline'
               + (f'<span class="hint">{esc(v.timeline_basis)}</span>' if v.timeline_basis else "") + "</h2>")
    if v.timeline:
        out.append(f'<div class="chart">{_timeline_svg(v)}</div>{_timeline_legend(v)}')
    else:
        out.append('<p class="muted">No stage labels, so no timeline.</p>')
    out.append("</section>")
    if v.behavior_mix:
        sides = []
        for side, label in (("seller", "seller"), ("buyer", "buyer"), ("other", "either side")):
            color = next((r.color for r in v.behavior_mix if r.side == side), None)
            if color:
                sides.append(f'<li><span class="swatch" style="background:{esc(color)}"></span>{label}</li>')
        out.append('<section class="mix"><h2>Behavior mix<span class="hint">passages per behavior</span></h2>'
                   f'<div class="chart">{_mix_svg(v)}</div><ul class="legend">{"".join(sides)}</ul></section>')

    # feedback
    out.append('<section class="feedback-section"><h2>Feedback</h2><div class="feedback">')
    if v.feedback_empty:
        out.append(f'<p class="muted">{esc(v.feedback_empty)}</p>')
    classes = {"Strengths": "strengths", "Things to improve": "improve", "Focus for the next call": "focus",
               "Notes": "notes"}
    for heading, text in v.feedback:
        body = _prose(text) if text.strip() else '<p class="empty">Not written yet.</p>'
        out.append(f'<div class="card {classes.get(heading, "notes")}"><h3>{esc(heading)}</h3>{body}</div>')
    out.append("</div></section>")

    if v.coaching:
        out.append(f'<section class="coaching"><h2>What the team\'s calls suggest</h2>'
                   f'<p class="muted">{esc(v.coaching_intro)}</p><ol class="points">')
        for c in v.coaching:
            where = f' <span class="where">({esc(c.where)})</span>' if c.where else ""
            out.append(f"<li>{esc(c.message)}{where}</li>")
        out.append("</ol></section>")

    for heading, rows in v.plan_sections:
        out.append(f'<section class="plan"><h2>{esc(heading)}</h2><ul>'
                   + "".join(f"<li>{esc(r)}</li>" for r in rows) + "</ul></section>")

    out.append('<section class="evidence-section"><h2>Evidence<span class="hint">passages the manager '
               'commented on or corrected</span></h2>')
    if not v.evidence:
        out.append(f'<p class="muted">{esc(v.evidence_empty)}</p>')
    for e in v.evidence:
        role = f' <span class="role">({esc(e.role)})</span>' if e.role else ""
        out.append(f'<div class="evidence" id="passage-{e.index}"><p class="meta"><span class="time">{esc(e.time)}</span>'
                   f'<span class="who">{esc(e.speaker)}{role}</span>'
                   f'<span class="chip">{esc(e.behavior)}</span><span class="chip stage">{esc(e.stage)}</span></p>'
                   f"<blockquote>{esc(e.text.strip())}</blockquote>")
        for c in e.comments:
            out.append(f'<div class="comment">{esc(c.strip())}</div>')
        for fix in e.corrections:
            out.append(f'<p class="correction">Correction: {esc(fix)}</p>')
        out.append("</div>")
    out.append("</section>")

    out.append("<footer>")
    for n in v.notes:
        out.append(f"<p>Note: {esc(n)}.</p>")
    if v.reference_notes:
        out.append("<strong>References</strong><ol>")
        out += [f"<li>{esc(r)}</li>" for r in v.reference_notes]
        out.append("</ol>")
    out.append(f"<p>{esc(v.footer)}</p></footer></article>")
    return "\n".join(out)


def render(reports: Sequence["ReportData"], taxonomy: "Taxonomy | None" = None) -> str:
    """One HTML document holding the report of each call (a page each when printed)."""
    views = [report_view(r, taxonomy) for r in reports]
    title = views[0].title if len(views) == 1 else f"{len(views)} coaching reports"
    body = "\n".join(render_view(v) for v in views) or (
        '<article class="report"><p class="muted">No calls to report.</p></article>')
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<meta name=\"generator\" content=\"callreview\">\n<title>Coaching report: {esc(title)}</title>\n"
            f"<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


# --------------------------------------------------------------------------- the team report


def _row_name(label: str) -> str:
    from ..insights import SEQUENCE
    from ..vocabulary import display

    seq = SEQUENCE.get(label)
    return (seq.short or seq.name) if seq else display(label)


def nice_ticks(lim: float) -> list[float]:
    """Round tick values from -lim to lim: steps of 1, 2 or 5 times a power of ten."""
    import math

    raw = lim / 2 or 1.0
    mag = 10 ** math.floor(math.log10(raw))
    step = max(m * mag for m in (1, 2, 5) if m * mag <= raw * 1.001)
    n = int(lim // step + 1e-9)
    return [float(k * step) for k in range(-n, n + 1)]


def _fig(x: float | None, digits: int = 1) -> str:
    return "-" if x is None else f"{round(x, digits) + 0.0:+.{digits}f}"


def _mean(v: float | None, pct: bool) -> str:
    return "-" if v is None else (f"{v:.0f}%" if pct else f"{v:.1f}")


def _dots_svg(rows: Sequence[Any], title: str, key: str, digits: int = 1) -> str:
    """A dot-and-whisker chart: each row's difference (successful - other) as a dot, its
    adjusted interval as a whisker, zero as a line; a filled dot is a supported difference.
    Whiskers wider than the chart end in an arrow."""
    row_h, label_w, value_w, width, top = 26, 260, 150, 800, 8
    x0, x1 = label_w, width - value_w
    most = max([abs(r.diff) for r in rows] + [1e-9])
    reach = max([max(abs(r.ci_low), abs(r.ci_high)) for r in rows] + [most])
    lim = max(most, min(reach, 3 * most)) * 1.05 or 1.0

    def x(v: float) -> float:
        return x0 + (max(-lim, min(lim, v)) + lim) / (2 * lim) * (x1 - x0)

    height = top + row_h * len(rows) + 26
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="{key}-title" '
             'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{key}-title">{esc(title)}: ' + esc("; ".join(
                 f"{_row_name(r.label)} {_fig(r.diff, digits)} ({_fig(r.ci_low, digits)} to {_fig(r.ci_high, digits)})"
                 for r in rows)) + "</title>"]
    zx = x(0.0)
    parts.append(f'<line x1="{zx:.1f}" y1="{top - 4}" x2="{zx:.1f}" y2="{top + row_h * len(rows)}" '
                 'stroke="#8a96a3" stroke-width="1" stroke-dasharray="3 3"/>')
    for k, r in enumerate(rows):
        y = top + k * row_h + row_h / 2
        color = "#3f5f8a" if r.excludes_zero else "#8a96a3"
        lo, hi = x(r.ci_low), x(r.ci_high)
        parts.append(f'<text x="{label_w - 12}" y="{y + 4.5:.1f}" font-size="13" fill="#3a4756" text-anchor="end" '
                     f'font-family="inherit">{esc(_row_name(r.label))}</text>')
        parts.append(f'<line x1="{lo:.1f}" y1="{y:.1f}" x2="{hi:.1f}" y2="{y:.1f}" stroke="{color}" stroke-width="2"/>')
        for end, v, sign in ((lo, r.ci_low, -1), (hi, r.ci_high, 1)):
            if abs(v) > lim:  # the whisker goes on: an arrow
                parts.append(f'<path d="M{end:.1f} {y - 4:.1f} L{end + 6 * sign:.1f} {y:.1f} L{end:.1f} {y + 4:.1f} Z" '
                             f'fill="{color}"/>')
            else:
                parts.append(f'<line x1="{end:.1f}" y1="{y - 5:.1f}" x2="{end:.1f}" y2="{y + 5:.1f}" '
                             f'stroke="{color}" stroke-width="1.5"/>')
        fill = color if r.excludes_zero else "#ffffff"
        parts.append(f'<circle cx="{x(r.diff):.1f}" cy="{y:.1f}" r="5" fill="{fill}" stroke="{color}" '
                     f'stroke-width="2"><title>{esc(_row_name(r.label))}: {_fig(r.diff, digits)}, interval '
                     f'{_fig(r.ci_low, digits)} to {_fig(r.ci_high, digits)}, q = {r.q_value:.3f}</title></circle>')
        parts.append(f'<text x="{x1 + 12}" y="{y + 4.5:.1f}" font-size="12" fill="#5b6878" font-family="inherit">'
                     f'{_fig(r.diff, digits)} [{_fig(r.ci_low, digits)}, {_fig(r.ci_high, digits)}]</text>')
    axis_y = top + row_h * len(rows) + 16
    for v in nice_ticks(lim):
        parts.append(f'<text x="{x(v):.1f}" y="{axis_y}" font-size="11" fill="#8a96a3" text-anchor="middle" '
                     f'font-family="inherit">{_fig(v, 0 if abs(v) >= 10 else digits) if v else "0"}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_team(report: Any, source: str = "") -> str:
    """The team report (:class:`callreview.insights.OutcomeReport`) as one HTML file: the
    three sentences, the differences as dot-and-whisker charts with their intervals, the
    table, and how it was computed."""
    from ..insights import METHOD

    r = report
    sub = f"{r.n_success} successful and {r.n_other} other calls" + (f" from {source}" if source else "")
    if r.n_excluded:
        sub += f"; {r.n_excluded} excluded (" + ", ".join(f"{k}: {v}" for k, v in r.excluded.items()) + ")"
    out = ['<article class="report">', "<header>", '<p class="eyebrow">Team report</p>',
           "<h1>What the team's successful calls do differently</h1>", f'<p class="subtitle">{esc(sub)}</p>',
           "</header>", '<section class="summary"><h2>In three sentences</h2><ol class="points">']
    out += [f"<li>{esc(s)}</li>" for s in r.summary()]
    out.append("</ol></section>")
    behaviors = [b for b in r.by_difference() if b.compared]
    shares = [s for s in r.sequences if s.compared and s.kind == "share"]
    counts = [s for s in r.sequences if s.compared and s.kind != "share"]
    if not r.compared:
        out.append(f'<p class="muted">{esc(r.note)}.</p>')
    for rows, title, key, hint, digits in (
            (behaviors, "Behaviors", "dots-behaviors", "difference in passages per 100, successful - other", 1),
            (shares, "How behaviors work together", "dots-shares", "difference in points of % of steps", 0),
            (counts, "Presenting before the first need", "dots-counts", "difference in passages", 1)):
        if rows:
            out.append(f'<section class="dots"><h2>{esc(title)}<span class="hint">{esc(hint)}</span></h2>'
                       f'<div class="chart">{_dots_svg(rows, title, key, digits)}</div></section>')
    if behaviors or shares or counts:
        out.append('<p class="muted small">A dot is the difference between the successful and the other calls, '
                   f'a whisker its interval ({(r.interval_confidence or 0):.1%}, adjusted for the {r.n_tests} '
                   'comparisons); a filled dot is a supported difference (false discovery rate 5%), a hollow '
                   'one could be chance.</p>')
    out.append('<section class="table"><h2>The table</h2><table><thead><tr><th>Behavior or sequence</th>'
               '<th class="value">Successful</th><th class="value">Other</th><th class="value">Difference</th>'
               '<th class="value">Interval</th><th class="value">q</th><th class="value">Calls</th></tr></thead><tbody>')
    for b in [*r.by_difference(), *r.sequences]:
        pct = b.kind == "share"
        diff = _fig(b.diff, 0 if pct else 1) if b.compared else "not compared"
        ci = f"{_fig(b.ci_low, 0 if pct else 1)} to {_fig(b.ci_high, 0 if pct else 1)}" if b.compared else ""
        q = "" if b.q_value is None else f"{b.q_value:.3f}" + (" \u2713" if b.excludes_zero else "")
        out.append(f"<tr><td>{esc(_row_name(b.label))}</td><td class=\"value\">{_mean(b.success_mean, pct)}</td>"
                   f"<td class=\"value\">{_mean(b.other_mean, pct)}</td><td class=\"value\">{esc(diff)}</td>"
                   f"<td class=\"value\">{esc(ci)}</td><td class=\"value\">{esc(q)}</td>"
                   f"<td class=\"value\">{b.n_success} / {b.n_other}</td></tr>")
    out.append("</tbody></table></section>")
    out.append(f"<footer><p>How: {esc(METHOD)}.</p><p>Rates are per 100 labeled passages of a call; these are "
               "correlations in the team's calls, not causes.</p></footer></article>")
    body = "\n".join(out)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"callreview\">\n<title>Team report</title>\n"
            f"<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")
