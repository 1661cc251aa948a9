"""Hostile text in a call or a review cannot get out of its box in any export.

tests/data/export/calls.jsonl holds "hostile-0001": a title with an ``<img onerror>``,
passages with ``<script>``, closing table tags, spreadsheet formulas (``=``, ``+``, ``-``,
``@``, a leading tab and carriage return) and speakers named like formulas; review.json
adds comments and feedback in the same spirit (and a Word XML break-out attempt).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from callreview.corpora import read_corpus
from callreview.export import from_store, render
from callreview.export.data import neutralise
from callreview.store import Store

DATA = Path(__file__).parent / "data" / "export"
HOSTILE = "hostile-0001"
REVIEW = json.loads((DATA / "review.json").read_text(encoding="utf-8"))[HOSTILE]


@pytest.fixture
def report(tmp_path):
    with Store.open(tmp_path / "s.sqlite3") as st:
        for call in read_corpus(DATA / "calls.jsonl"):
            st.add_call(call)
        who = REVIEW["reviewer"]
        for d in REVIEW["decisions"]:
            st.decide(HOSTILE, d["index"], d["task"], d["action"], d.get("label"), reviewer=who)
        for c in REVIEW["comments"]:
            st.comment(HOSTILE, c["index"], c["text"], reviewer=who)
        st.set_feedback(HOSTILE, reviewer=who, **REVIEW["feedback"])
        yield from_store(st, HOSTILE)


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs |= {name for name, _ in attrs}

    def handle_data(self, data):
        self.text.append(data)


def test_html_shows_hostile_transcript_text_as_text(report):
    page = render([report], "html")
    parsed = Tags()
    parsed.feed(page)
    # only the report's own markup: no script, img, b or h1 from the call got through
    assert parsed.tags <= {"html", "head", "meta", "title", "style", "body", "article", "header", "p", "h1",
                           "h2", "h3", "dl", "div", "dt", "dd", "section", "table", "thead", "tbody", "tr",
                           "th", "td", "span", "sup", "svg", "rect", "text", "line", "ul", "li", "blockquote",
                           "footer", "strong", "ol", "b"}
    assert not any(a.startswith("on") for a in parsed.attrs)
    assert "<script" not in page and "<img" not in page and "<b " not in page and "<h1>big" not in page
    text = "".join(parsed.text)
    for shown in ("<script>alert('owned')</script> Hello there.", "<img src=x onerror=alert(1)>",
                  "</td></tr></table><h1>big</h1>", "<b onmouseover=alert(1)>bold</b> & =SUM(A1:A9)",
                  "<script>document.title='pwned'</script>", "=cmd|' /C calc'!A0"):
        assert shown in text, shown


def test_html_escapes_text_inside_attributes_and_the_svg(report):
    page = render([report], "html")
    assert "<title>Coaching report: &lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;</title>" in page
    # the metric details go into title="..." attributes; every quote inside is escaped
    parsed = Tags()
    parsed.feed(page)
    assert "title" in parsed.attrs


def test_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas(report):
    rows = list(csv.DictReader(io.StringIO(render([report], "csv"))))
    speakers = [r["speaker"] for r in rows]
    assert speakers[:4] == ["'=cmd|' /C calc'!A0", "'@Buyer", "'+Plus", "'-Minus"]
    texts = [r["text"] for r in rows]
    assert texts[1] == "'=HYPERLINK(\"http://evil.example\",\"click me\")"
    assert texts[2] == "'+SUM(1+1)*cmd|' /C calc'!A0"
    assert texts[3].startswith("'-2+3 is what we pay")
    assert texts[4] == "'\t=1+1 tab first"
    assert texts[5] == "'\r=1+1 carriage return first"
    assert rows[1]["comment"] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert texts[0].startswith("<script>")  # not a formula: kept as it is
    # no cell of any row starts a formula
    for r in rows:
        for v in r.values():
            assert not v.startswith(("=", "+", "-", "@", "\t", "\r")), v
    # numbers the export writes itself stay numbers
    assert rows[0]["start"] == "1" and rows[0]["behavior_confidence"] == "0.900"


@pytest.mark.parametrize("cell, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("  =1+1", "'  =1+1"), ("plain text", "plain text"), ("a=b", "a=b"), ("", ""), (3, 3),
])
def test_neutralise_prefixes_only_formula_starts(cell, expected):
    assert neutralise(cell) == expected


def test_markdown_makes_html_and_markup_literal(report):
    md = render([report], "md")
    assert re.search(r"(?<!\\)[<>]", md.replace("\n> ", "\n")) is None  # every < and > escaped
    assert "\\<script\\>alert('owned')\\</script\\> Hello there." in md
    assert "# Coaching report: \\<img src=x onerror=alert(1)\\> & \"quotes\"" in md


def test_word_keeps_hostile_text_as_text(report):
    data = render([report], "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # type: ignore[arg-type]
        xml = z.read("word/document.xml").decode("utf-8")
    assert "injected" in xml and "<w:t>injected" not in xml  # the break-out attempt stayed text
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in xml


def test_word_drops_control_characters_xml_cannot_hold(report):
    from dataclasses import replace

    from callreview.export.docx_report import clean

    assert clean("a\x00b\x0bc\x1fd\re") == "abcd\ne"
    p = report.call.passages[1]
    call = report.call.with_passages([replace(p, text="bell\x07 and nul\x00 here")] + list(report.call.passages[1:]))
    data = render([replace(report, call=call, comments=())], "docx")
    assert isinstance(data, bytes) and data[:2] == b"PK"
