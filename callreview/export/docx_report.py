"""The coaching report as a Word document (python-docx), for managers who work in Word.

The same view as the Markdown and HTML reports: header, key metrics with their
published references, the stage timeline (a row of shaded cells as wide as each stage's
share), the behavior mix (shaded bars), the feedback, the team's coaching points and
the evidence. Text that XML cannot hold (control characters) is dropped; everything
else is kept as written. python-docx is imported only here.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any, Sequence

from .view import ReportView, report_view

if TYPE_CHECKING:  # pragma: no cover
    from ..taxonomy import Taxonomy
    from .report import ReportData

INK, MUTED, FAINT, LINE, WASH, ACCENT = "1F2A37", "5B6878", "8A96A3", "E3E7EC", "F5F7F9", "3F5F8A"
CARD_COLORS = {"Strengths": "4F8A6F", "Things to improve": "B0803A", "Focus for the next call": "3F5F8A",
               "Notes": "8A96A3"}
FONT = "Calibri"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# OOXML wants the children of a properties element in schema order: each new child
# goes before the first of the elements that may follow it.
_RPR_AFTER_FONTS = ("w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
                    "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish",
                    "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs",
                    "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl",
                    "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
_PPR_AFTER_SHD = ("w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                  "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                  "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                  "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                  "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_PPR_AFTER_PBDR = ("w:shd",) + _PPR_AFTER_SHD
_TCPR_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
                   "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")
_TCPR_AFTER_BORDERS = ("w:shd",) + _TCPR_AFTER_SHD
_BORDER_SIDES = ("top", "left", "bottom", "right", "between", "bar")
_CELL_SIDES = ("top", "start", "left", "bottom", "end", "right", "insideH", "insideV", "tl2br", "tr2bl")


def _child(parent: Any, tag: str, successors: Sequence[str]) -> Any:
    """A new empty child element placed where the schema wants it."""
    from docx.oxml.ns import qn

    el = parent.makeelement(qn(tag), {})
    for name in successors:
        nxt = parent.find(qn(name))
        if nxt is not None:
            nxt.addprevious(el)
            return el
    parent.append(el)
    return el


def _set_side(parent: Any, side: str, attrs: dict[str, str], order: Sequence[str]) -> None:
    """Set one side of a border element, replacing it if present, in schema order."""
    from docx.oxml.ns import qn

    old = parent.find(qn(f"w:{side}"))
    if old is not None:
        parent.remove(old)
    later = order[order.index(side) + 1:] if side in order else ()
    el = _child(parent, f"w:{side}", [f"w:{s}" for s in later])
    for k, v in attrs.items():
        el.set(k, v)


def clean(text: str | None) -> str:
    """Text Word can hold: XML-incompatible control characters removed, CR as a line break."""
    return _NOT_XML.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))


class _Doc:
    """A small layer over python-docx with the report's styles."""

    def __init__(self) -> None:
        from docx import Document
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm, Pt

        self.Pt, self.Cm = Pt, Cm
        self.doc = Document()
        sec = self.doc.sections[0]
        sec.orientation = WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
        sec.left_margin = sec.right_margin = Cm(2.0)
        sec.top_margin, sec.bottom_margin = Cm(1.8), Cm(1.8)
        self.width = sec.page_width - sec.left_margin - sec.right_margin
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(10.5)
        self._color(normal.font, INK)
        normal.paragraph_format.space_after = Pt(4)
        normal.paragraph_format.line_spacing = 1.15
        self._east_asian(normal)
        for name, size, before in (("Heading 1", 13.5, 16), ("Heading 2", 11, 10)):
            st = self.doc.styles[name]
            st.font.name = FONT
            st.font.size = Pt(size)
            st.font.bold = True
            st.font.italic = False
            self._color(st.font, INK)
            st.paragraph_format.space_before = Pt(before)
            st.paragraph_format.space_after = Pt(4)
            st.paragraph_format.keep_with_next = True
            self._east_asian(st)
        core = self.doc.core_properties
        core.author = "callreview"
        core.last_modified_by = "callreview"
        core.comments = ""

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _color(font: Any, hex_color: str) -> None:
        from docx.shared import RGBColor

        font.color.rgb = RGBColor.from_string(hex_color)

    @staticmethod
    def _east_asian(style: Any) -> None:
        from docx.oxml.ns import qn

        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = _child(rpr, "w:rFonts", _RPR_AFTER_FONTS)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)

    def run(self, par: Any, text: str, *, bold: bool = False, italic: bool = False, size: float | None = None,
            color: str | None = None, caps: bool = False) -> Any:
        r = par.add_run(clean(text))
        r.bold = bold or None
        r.italic = italic or None
        if size:
            r.font.size = self.Pt(size)
        if color:
            self._color(r.font, color)
        if caps:
            r.font.all_caps = True
        return r

    def para(self, text: str = "", *, size: float | None = None, color: str | None = None, bold: bool = False,
             italic: bool = False, after: float | None = None, before: float | None = None,
             caps: bool = False, style: str | None = None, container: Any = None) -> Any:
        where = container if container is not None else self.doc
        par = where.add_paragraph(style=style)
        if text:
            self.run(par, text, bold=bold, italic=italic, size=size, color=color, caps=caps)
        if after is not None:
            par.paragraph_format.space_after = self.Pt(after)
        if before is not None:
            par.paragraph_format.space_before = self.Pt(before)
        return par

    def heading(self, text: str, level: int = 1) -> Any:
        par = self.doc.add_heading(clean(text), level=level)
        if level == 1:
            self.border(par, "bottom", LINE, 6)
        return par

    @staticmethod
    def border(par: Any, side: str, color: str, size: int = 8, space: int = 4) -> None:
        """A paragraph border on one side (top, left, bottom, right)."""
        from docx.oxml.ns import qn

        ppr = par._p.get_or_add_pPr()
        bdr = ppr.find(qn("w:pBdr"))
        if bdr is None:
            bdr = _child(ppr, "w:pBdr", _PPR_AFTER_PBDR)
        _set_side(bdr, side, {qn("w:val"): "single", qn("w:sz"): str(size), qn("w:space"): str(space),
                              qn("w:color"): color}, _BORDER_SIDES)

    @staticmethod
    def shade(target: Any, fill: str) -> None:
        """Background colour of a paragraph or a table cell."""
        from docx.oxml.ns import qn

        if hasattr(target, "_tc"):
            pr, after = target._tc.get_or_add_tcPr(), _TCPR_AFTER_SHD
        else:
            pr, after = target._p.get_or_add_pPr(), _PPR_AFTER_SHD
        old = pr.find(qn("w:shd"))
        if old is not None:
            pr.remove(old)
        shd = _child(pr, "w:shd", after)
        for k, v in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
            shd.set(qn(k), v)

    @staticmethod
    def cell_borders(cell: Any, size: int = 4, **sides: str) -> None:
        """Cell borders: side=color ("nil" for none), ``size`` in eighths of a point."""
        from docx.oxml.ns import qn

        tcpr = cell._tc.get_or_add_tcPr()
        borders = tcpr.find(qn("w:tcBorders"))
        if borders is None:
            borders = _child(tcpr, "w:tcBorders", _TCPR_AFTER_BORDERS)
        for side, color in sides.items():
            attrs = ({qn("w:val"): "nil"} if color == "nil" else
                     {qn("w:val"): "single", qn("w:sz"): str(size), qn("w:space"): "0", qn("w:color"): color})
            _set_side(borders, side, attrs, _CELL_SIDES)

    @staticmethod
    def cell_margins(table: Any, top: int = 60, bottom: int = 60, left: int = 0, right: int = 120) -> None:
        """Default cell margins of a table, in twentieths of a point."""
        from docx.oxml.ns import qn

        tblpr = table._tbl.tblPr
        old = tblpr.find(qn("w:tblCellMar"))
        if old is not None:
            tblpr.remove(old)
        mar = _child(tblpr, "w:tblCellMar", ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"))
        for side, v in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
            el = mar.makeelement(qn(f"w:{side}"), {qn("w:w"): str(v), qn("w:type"): "dxa"})
            mar.append(el)

    def table(self, rows: int, widths: Sequence[float], spans: Sequence[Sequence[int]] | None = None
              ) -> tuple[Any, list[list[Any]]]:
        """A borderless table with fixed column widths (fractions of the text width), and
        its cells by row. ``spans`` gives, per row, how many grid columns each cell covers.

        Cells are read once from the XML: python-docx's ``table.cell()`` rescans the
        whole table on every call, which is slow for the bar charts' narrow grids.
        """
        from docx.table import _Cell

        t = self.doc.add_table(rows=rows, cols=len(widths))
        t.autofit = False  # a fixed layout: the widths below hold
        col_w = [int(int(self.width) * frac) for frac in widths]
        for k, w in enumerate(col_w):
            t.columns[k].width = w
        grid: list[list[Any]] = []
        for i, tr in enumerate(t._tbl.tr_lst):
            tcs = list(tr.tc_lst)
            if spans is not None:
                kept, col = [], 0
                for n in spans[i]:
                    tc = tcs[col]
                    for extra in tcs[col + 1:col + n]:
                        tr.remove(extra)
                    if n > 1:
                        tc.grid_span = n
                    kept.append((tc, sum(col_w[col:col + n])))
                    col += n
            else:
                kept = list(zip(tcs, col_w))
            row = []
            for tc, w in kept:
                cell = _Cell(tc, t)
                cell.width = w
                self.cell_borders(cell, top="nil", left="nil", bottom="nil", right="nil")
                row.append(cell)
            grid.append(row)
        return t, grid

    @staticmethod
    def cell_text(cell: Any) -> Any:
        par = cell.paragraphs[0]
        par.paragraph_format.space_after = 0
        return par

    def save(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def _write_view(d: _Doc, v: ReportView, first: bool) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

    Pt = d.Pt
    if not first:
        d.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.para("Coaching report", size=9, color=ACCENT, bold=True, caps=True, after=2)
    d.para(v.title, size=20, bold=True, after=2)
    d.para(v.subtitle, size=9, color=MUTED, after=10)

    facts, cells = d.table(2, [1 / len(v.facts)] * len(v.facts))
    for k, (label, value) in enumerate(v.facts):
        top, bottom = cells[0][k], cells[1][k]
        d.run(d.cell_text(top), label, size=8, color=FAINT, caps=True)
        d.run(d.cell_text(bottom), value, size=10.5, bold=True)
        d.cell_borders(top, top=LINE)
        d.cell_borders(bottom, bottom=LINE)
    d.cell_margins(facts, top=70, bottom=70, left=0, right=140)
    d.para(v.intro, size=9.5, color=MUTED, before=8, after=4)

    # key metrics
    d.heading("Key metrics")
    if v.metrics:
        t, cells = d.table(len(v.metrics) + 1, [0.36, 0.24, 0.40])
        for k, head in enumerate(("Metric", "This call", "Published reference")):
            par = d.cell_text(cells[0][k])
            d.run(par, head, size=8, color=MUTED, bold=True, caps=True)
            if k == 1:
                par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            d.cell_borders(cells[0][k], bottom=LINE)
        for i, m in enumerate(v.metrics, 1):
            name = d.cell_text(cells[i][0])
            d.run(name, ("    " if m.indent else "") + m.name, color=MUTED if m.indent else None)
            val = d.cell_text(cells[i][1])
            val.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if m.estimated:
                d.run(val, "\u2248 ", color=FAINT)
            d.run(val, m.value, bold=True)
            ref = d.cell_text(cells[i][2])
            ref.paragraph_format.left_indent = Pt(14)
            if m.note:
                d.run(ref, m.reference, size=9.5, color=MUTED)
                r = d.run(ref, str(m.note), size=9.5, color=FAINT)
                r.font.superscript = True
            else:
                d.run(ref, "\u2013", color=FAINT)
            if i < len(v.metrics):
                for k in range(3):
                    d.cell_borders(cells[i][k], bottom=LINE)
        d.cell_margins(t)
    else:
        d.para("No metric could be computed for this call.", color=MUTED)
    if v.unavailable:
        d.para("Not computable for this call: " + "; ".join(v.unavailable) + ".", size=9, color=MUTED, before=6)

    # stage timeline
    d.heading("Stage timeline")
    if v.timeline:
        if v.timeline_basis:
            d.para(f"Width is the {v.timeline_basis}.", size=9, color=MUTED)
        shares = [max(t.share, 0.0) for t in v.timeline]
        total = sum(shares) or 1.0
        bar, cells = d.table(2, [s / total for s in shares])
        for k, span in enumerate(v.timeline):
            cell = cells[0][k]
            d.shade(cell, span.color.lstrip("#"))
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            d.cell_borders(cell, right="FFFFFF")
            if span.share / total >= 0.1:
                d.run(d.cell_text(cell), span.stage if span.share / total >= 0.16 else f"{span.share:.0%}",
                      size=8.5, color="FFFFFF", bold=True)
            if span.share / total >= 0.06:  # narrower spans: no room for their start time
                d.run(d.cell_text(cells[1][k]), span.start, size=8, color=FAINT)
        bar.rows[0].height = d.Cm(0.75)
        for row in cells:  # keep the bar, its times and the legend on one page
            for cell in row:
                d.cell_text(cell).paragraph_format.keep_with_next = True
        d.cell_margins(bar, top=40, bottom=40, left=80, right=40)
        legend = d.para(before=6, after=6)
        totals: dict[str, tuple[str, float]] = {}
        for span in v.timeline:
            c, s = totals.get(span.stage, (span.color, 0.0))
            totals[span.stage] = (c, s + span.share)
        for stage, (color, share) in totals.items():
            d.run(legend, "\u25a0\u00a0", color=color.lstrip("#"), size=11)
            d.run(legend, stage.replace(" ", "\u00a0") + "\u00a0", size=9, color=MUTED)
            d.run(legend, f"{share:.0%}\u00a0\u00a0\u00a0 ", size=9, bold=True)
    else:
        d.para("No stage labels, so no timeline.", color=MUTED)

    # behavior mix
    if v.behavior_mix:
        d.heading("Behavior mix")
        d.para("Passages per behavior; dark bars are the seller's behaviors, light bars the buyer's.",
               size=9, color=MUTED)
        most = max(r.count for r in v.behavior_mix) or 1
        units = 40  # the bar area is a grid of narrow columns; a bar spans as many as its count needs
        lengths = [max(1, min(units - 4, round((units - 4) * r.count / most))) for r in v.behavior_mix]
        t, cells = d.table(len(v.behavior_mix), [0.3] + [0.7 / units] * units,
                           spans=[(1, n, units - n) for n in lengths])
        for i, r in enumerate(v.behavior_mix):
            label, bar, rest = cells[i]
            par = d.cell_text(label)
            par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            par.paragraph_format.right_indent = Pt(8)
            d.run(par, r.label, size=9)
            d.shade(bar, r.color.lstrip("#"))
            d.cell_borders(bar, size=20, top="FFFFFF", bottom="FFFFFF")
            d.cell_text(bar)
            d.run(d.cell_text(rest), f" {r.count}", size=8.5, color=MUTED)
            t.rows[i].height = d.Cm(0.5)
            for cell in cells[i]:
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        d.cell_margins(t, top=25, bottom=25, left=0, right=0)

    # feedback
    d.heading("Feedback")
    if v.feedback_empty:
        d.para(v.feedback_empty, color=MUTED)
    for heading, text in v.feedback:
        color = CARD_COLORS.get(heading, FAINT)
        h = d.para(heading, size=8.5, bold=True, color=color, caps=True, before=8, after=2)
        d.border(h, "left", color, 24, 8)
        h.paragraph_format.left_indent = Pt(10)
        h.paragraph_format.keep_with_next = True
        lines = [ln for ln in clean(text).strip().split("\n")] if text.strip() else []
        body = d.para(after=4)
        d.border(body, "left", color, 24, 8)
        body.paragraph_format.left_indent = Pt(10)
        if lines:
            for k, ln in enumerate(lines):
                r = d.run(body, ln)
                if k < len(lines) - 1:
                    r.add_break()
        else:
            d.run(body, "Not written yet.", italic=True, color=FAINT)

    if v.coaching:
        d.heading("What the team's calls suggest")
        d.para(v.coaching_intro, size=9, color=MUTED)
        for k, c in enumerate(v.coaching, 1):
            par = d.para(after=3)
            par.paragraph_format.left_indent = Pt(16)
            par.paragraph_format.first_line_indent = Pt(-16)
            d.run(par, f"{k}.\t", bold=True)
            d.run(par, c.message)
            if c.where:
                d.run(par, f" ({c.where})", color=FAINT, size=9)

    for heading, rows in v.plan_sections:
        d.heading(heading)
        for r in rows:
            d.para(r, after=3)

    d.heading("Evidence")
    d.para("Passages the manager commented on or corrected.", size=9, color=MUTED).paragraph_format.keep_with_next = True
    if not v.evidence:
        d.para(v.evidence_empty, color=MUTED)
    for e in v.evidence:
        meta = d.para(before=10, after=3)
        meta.paragraph_format.keep_with_next = True
        d.run(meta, e.time, bold=True)
        d.run(meta, "   " + e.speaker + (f" ({e.role})" if e.role else ""))
        d.run(meta, f"   {e.behavior} \u00b7 {e.stage}", size=9, color=MUTED)
        quote = d.para(after=4)
        quote.paragraph_format.left_indent = Pt(10)
        quote.paragraph_format.keep_with_next = bool(e.comments or e.corrections)
        d.border(quote, "left", "CFD7E0", 18, 8)
        lines = clean(e.text).strip().split("\n")
        for k, ln in enumerate(lines):
            r = d.run(quote, ln, size=10.5)
            if k < len(lines) - 1:
                r.add_break()
        for c in e.comments:
            par = d.para(after=3)
            par.paragraph_format.left_indent = Pt(10)
            d.shade(par, WASH)
            d.run(par, "Manager: ", bold=True, size=9.5, color=ACCENT)
            for k, ln in enumerate(clean(c).strip().split("\n")):
                r = d.run(par, ln, size=10)
                if k < len(clean(c).strip().split("\n")) - 1:
                    r.add_break()
        for fix in e.corrections:
            par = d.para(f"Correction: {fix}", size=8.5, color=MUTED, after=2)
            par.paragraph_format.left_indent = Pt(10)

    # notes and references
    end = d.para(before=18, after=4)
    d.border(end, "top", LINE, 6, 6)
    for n in v.notes:
        d.run(end, f"Note: {n}.", size=8.5, color=MUTED).add_break()
    if v.reference_notes:
        d.run(end, "References", size=8.5, bold=True, color=MUTED)
        for k, r in enumerate(v.reference_notes, 1):
            par = d.para(f"{k}. {r}", size=8, color=MUTED, after=1)
            par.paragraph_format.left_indent = Pt(12)
            par.paragraph_format.first_line_indent = Pt(-12)
    d.para(v.footer, size=8, color=MUTED, italic=True, before=6)


def render(reports: Sequence["ReportData"], taxonomy: "Taxonomy | None" = None) -> bytes:
    """One .docx document with the report of each call, each starting on a new page."""
    d = _Doc()
    views = [report_view(r, taxonomy) for r in reports]
    d.doc.core_properties.title = clean(f"Coaching report: {views[0].title}" if len(views) == 1
                                        else f"{len(views)} coaching reports")
    for k, v in enumerate(views):
        _write_view(d, v, first=(k == 0))
    if not views:
        d.para("No calls to report.", color=MUTED)
    return d.save()


# --------------------------------------------------------------------------- the team report


def _dots_table(d: _Doc, rows: Sequence[Any], digits: int) -> None:
    """A dot-and-whisker chart as a table: per row, the interval as light cells on a grid
    of narrow columns, the difference as a dark cell, zero as a line down the grid."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from .html_report import _fig, _row_name

    units = 40
    most = max([abs(r.diff) for r in rows] + [1e-9])
    reach = max([max(abs(r.ci_low), abs(r.ci_high)) for r in rows] + [most])
    lim = max(most, min(reach, 3 * most)) * 1.05 or 1.0

    def col(v: float) -> int:
        return max(0, min(units - 1, int((max(-lim, min(lim, v)) + lim) / (2 * lim) * units)))

    zero = col(0.0)
    t, cells = d.table(len(rows), [0.32] + [0.46 / units] * units + [0.22])
    for i, r in enumerate(rows):
        label = d.cell_text(cells[i][0])
        label.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        label.paragraph_format.right_indent = d.Pt(8)
        d.run(label, _row_name(r.label), size=9)
        lo, hi, dot = col(r.ci_low), col(r.ci_high), col(r.diff)
        light, dark = ("C9D5E6", ACCENT) if r.excludes_zero else (LINE, FAINT)
        for c in range(units):
            cell = cells[i][1 + c]
            d.cell_text(cell)
            if c == dot:
                d.shade(cell, dark)
            elif lo <= c <= hi:
                d.shade(cell, light)
            if c == zero:
                d.cell_borders(cell, size=6, left=MUTED)
        d.run(d.cell_text(cells[i][-1]), f"  {_fig(r.diff, digits)} [{_fig(r.ci_low, digits)}, "
                                         f"{_fig(r.ci_high, digits)}]", size=8.5, color=INK if r.excludes_zero else MUTED)
        t.rows[i].height = d.Cm(0.45)
        for cell in cells[i]:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    d.cell_margins(t, top=20, bottom=20, left=0, right=0)
    scale = d.para(f"Scale: {_fig(-lim, digits)} at the left edge, 0 at the line, {_fig(lim, digits)} at the right "
                   "edge; a dark cell is the difference, light cells its interval.", size=8, color=FAINT, before=2)
    scale.paragraph_format.left_indent = d.Pt(0)


def render_team(report: Any, source: str = "") -> bytes:
    """The team report (:class:`callreview.insights.OutcomeReport`) as a Word document:
    the three sentences, the differences as dot-and-whisker charts drawn as tables, the
    table of figures, and how it was computed."""
    from ..insights import METHOD
    from .html_report import _fig, _mean, _row_name

    r = report
    d = _Doc()
    d.doc.core_properties.title = "Team report"
    d.para("Team report", size=9, color=ACCENT, bold=True, caps=True, after=2)
    d.para("What the team's successful calls do differently", size=20, bold=True, after=2)
    sub = f"{r.n_success} successful and {r.n_other} other calls" + (f" from {source}" if source else "")
    if r.n_excluded:
        sub += f"; {r.n_excluded} excluded (" + ", ".join(f"{k}: {v}" for k, v in r.excluded.items()) + ")"
    d.para(sub, size=9, color=MUTED, after=10)
    d.heading("In three sentences")
    for k, s in enumerate(r.summary(), 1):
        par = d.para(f"{k}. {s}", after=4)
        par.paragraph_format.left_indent = d.Pt(14)
        par.paragraph_format.first_line_indent = d.Pt(-14)
    if not r.compared:
        d.para(f"{r.note}.", color=MUTED)
    behaviors = [b for b in r.by_difference() if b.compared]
    shares = [s for s in r.sequences if s.compared and s.kind == "share"]
    counts = [s for s in r.sequences if s.compared and s.kind != "share"]
    for rows, title, hint, digits in (
            (behaviors, "Behaviors", "Difference in passages per 100, successful - other.", 1),
            (shares, "How behaviors work together", "Difference in points of % of steps.", 0),
            (counts, "Presenting before the first need", "Difference in passages.", 1)):
        if rows:
            d.heading(title)
            d.para(hint + " Blue: a supported difference (false discovery rate 5%); grey: could be chance.",
                   size=9, color=MUTED)
            _dots_table(d, rows, digits)
    d.heading("The table")
    all_rows = [*r.by_difference(), *r.sequences]
    t, cells = d.table(len(all_rows) + 1, [0.34, 0.11, 0.11, 0.12, 0.16, 0.08, 0.08])
    for k, h in enumerate(("Behavior or sequence", "Successful", "Other", "Difference", "Interval", "q", "Calls")):
        d.run(d.cell_text(cells[0][k]), h, size=8, color=MUTED, bold=True, caps=True)
        d.cell_borders(cells[0][k], bottom=LINE)
    for i, b in enumerate(all_rows, 1):
        pct = b.kind == "share"
        digits = 0 if pct else 1
        q = "" if b.q_value is None else f"{b.q_value:.3f}" + (" \u2713" if b.excludes_zero else "")
        values = (_row_name(b.label), _mean(b.success_mean, pct), _mean(b.other_mean, pct),
                  _fig(b.diff, digits) if b.compared else "not compared",
                  f"{_fig(b.ci_low, digits)} to {_fig(b.ci_high, digits)}" if b.compared else "", q,
                  f"{b.n_success}/{b.n_other}")
        for k, v in enumerate(values):
            d.run(d.cell_text(cells[i][k]), v, size=9, bold=k == 3 and b.excludes_zero)
            d.cell_borders(cells[i][k], bottom=LINE)
    d.cell_margins(t, top=40, bottom=40, left=0, right=80)
    end = d.para(before=14, after=4)
    d.border(end, "top", LINE, 6, 6)
    d.run(end, f"How: {METHOD}. Rates are per 100 labeled passages of a call; these are correlations in the "
               "team's calls, not causes.", size=8, color=MUTED)
    if r.interval_confidence is not None:
        d.para(f"Intervals: {r.interval_confidence:.1%}, adjusted for the {r.n_tests} comparisons.", size=8,
               color=MUTED)
    return d.save()
