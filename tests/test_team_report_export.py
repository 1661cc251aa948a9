"""The team report as HTML (inline SVG dot-and-whisker chart) and Word (a chart drawn as a
table), written by ``callreview report -o``."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from callreview.cli import cli
from callreview.corpora import read_corpus
from callreview.export.html_report import nice_ticks, render_team
from callreview.insights import compare_outcomes

DATA = Path(__file__).parent / "data" / "insights"
TEAM = DATA / "team.jsonl"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_the_html_team_report_draws_a_dot_and_whisker_per_compared_row(tmp_path):
    out = tmp_path / "team.html"
    res = run("report", TEAM, "-o", out)
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    rep = compare_outcomes(read_corpus(TEAM))
    compared = [r for r in rep.rows() if r.compared]
    assert page.count("<circle") == len(compared)
    # a filled dot for each supported difference, a hollow one for the rest
    assert page.count('fill="#3f5f8a" stroke="#3f5f8a"') == sum(r.excludes_zero for r in compared)
    for sentence in rep.summary():
        assert sentence.replace("'", "&#x27;") in page
    body = page.split("<body>")[1].replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script" not in page and "http" not in body and "src=" not in body  # self-contained


def test_the_html_team_report_escapes_labels(tmp_path):
    calls = [c.with_passages(replace(p, behavior="<script>alert(1)</script>" if p.behavior == "rapport"
                                     else p.behavior) for p in c.passages) for c in read_corpus(TEAM)]
    page = render_team(compare_outcomes(calls), "team <b>file</b>")
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "team &lt;b&gt;file&lt;/b&gt;" in page


def test_below_the_minimum_the_html_report_has_no_chart_and_says_why():
    page = render_team(compare_outcomes(read_corpus(TEAM), min_calls=11), "team.jsonl")
    assert "<circle" not in page and "nothing is compared" in page


def test_ticks_are_round_numbers_around_zero():
    assert nice_ticks(97.6) == [-80.0, -60.0, -40.0, -20.0, 0.0, 20.0, 40.0, 60.0, 80.0]
    assert nice_ticks(14.0) == [-10.0, -5.0, 0.0, 5.0, 10.0]
    assert nice_ticks(4.2) == [-4.0, -2.0, 0.0, 2.0, 4.0]


def test_the_word_team_report_has_the_sentences_and_a_chart_table(tmp_path):
    from docx import Document

    out = tmp_path / "team.docx"
    res = run("report", TEAM, "-o", out)
    assert res.exit_code == 0, res.output
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "In three sentences" in text and "What the team's successful calls do differently" in text
    rep = compare_outcomes(read_corpus(TEAM))
    assert rep.summary()[0] in text
    behaviors = [b for b in rep.by_difference() if b.compared]
    chart = doc.tables[0]
    assert len(chart.rows) == len(behaviors) and len(chart.columns) == 42
    first = chart.rows[0].cells
    assert first[0].text == "Implication question" and "+13.4" in first[-1].text
    shaded = [c for c in first[1:-1] if c._tc.tcPr is not None and c._tc.tcPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}shd") is not None]
    assert shaded  # the whisker and its dot


def test_report_output_needs_a_known_suffix(tmp_path):
    res = run("report", TEAM, "-o", tmp_path / "team.txt")
    assert res.exit_code == 2 and ".html or .docx" in res.output
    assert not (tmp_path / "team.txt").exists()
    assert re.search(r"error:", res.output)
