"""coach PLAN --json, coach CALL --plan PLAN --json, report over plans, and plan coaching
in the Markdown, HTML and Word exports (files: tests/data/plan_coach/)."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from callreview.cli import cli
from callreview.corpora import read_corpus, write_corpus

DATA = Path(__file__).parent / "data" / "plan_coach"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_coach_plan_json_names_missing_elements():
    r = run("coach", str(DATA / "weak_opportunity.jsonl"), "--against", str(DATA / "team_plans.jsonl"),
            "--against", str(DATA / "harbor_call.jsonl"), "--today", "2027-03-25", "--json")
    assert r.exit_code == 0, r.output
    plan = json.loads(r.output)["plans"][0]
    assert set(plan["missing"]) == {"decision_process", "competition", "win_strategy", "resources", "risk"}
    assert plan["points"][0]["kind"] == "missing_element"
    assert plan["reporting"]["share"] == 0.5
    assert plan["stale"]["later_call"]["call_id"] == "call-harbor-03"
    assert plan["team"] == {"n_success": 6, "n_other": 6, "compared": True}


def test_coach_plan_text_shows_the_lines_as_evidence():
    r = run("coach", str(DATA / "weak_opportunity.jsonl"), "--today", "2027-03-25", "--top", "0")
    assert r.exit_code == 0, r.output
    assert "Lacks: decision process, competition" in r.output
    assert "line   1  Had lunch with Tom on Tuesday." in r.output


def test_coach_call_with_its_plan_json(tmp_path):
    r = run("coach", str(DATA / "northwind_call.jsonl"), "--plan", str(DATA / "call_plan.jsonl"),
            "--against", str(DATA / "northwind_call.jsonl"), "--json")
    assert r.exit_code == 0, r.output
    check = json.loads(r.output)["calls"][0]["plans"][0]
    assert check["plan_id"] == "plan-call-northwind-02"
    assert check["advance_target"]["asked"] is True
    qs = {q["line"]: q for q in check["planned_questions"]}
    assert qs[3]["asked"] and qs[3]["passage"] == 2 and "cooler failures" in qs[3]["evidence"]
    assert qs[5]["asked"] is False and qs[5]["evidence"] is None
    assert check["questions_asked"] == 2


def test_coach_plan_refuses_a_transcript_as_plan():
    r = CliRunner().invoke(cli, ["coach", str(DATA / "northwind_call.jsonl"), "--plan",
                                 str(DATA / "northwind_call.jsonl"), "--against", str(DATA / "northwind_call.jsonl")])
    assert r.exit_code == 2 and "not a plan" in r.output


def test_report_over_plans_json():
    r = run("report", str(DATA / "team_plans.jsonl"), "--json")
    assert r.exit_code == 0, r.output
    rep = json.loads(r.output)["plans"][0]
    assert rep["activity"] == "opportunity" and rep["n_success"] == 6
    supported = {row["label"] for row in rep["rows"] if row["supported"]}
    assert {"competition", "decision_process"} <= supported
    assert rep["fdr"]["method"] == "benjamini-hochberg"


def _export(fmt: str, out: Path, plan: str = "weak_opportunity.jsonl"):
    return run("export", str(DATA / plan), "--against", str(DATA / "team_plans.jsonl"), "--format", fmt,
               "-o", str(out))


def test_markdown_export_has_plan_coaching(tmp_path):
    out = tmp_path / "plan.md"
    assert _export("md", out).exit_code == 0
    text = out.read_text()
    assert "## What the plan covers" in text and "Lacks: decision process" in text
    assert "The plan has no competition line" in text


def test_html_export_escapes_plan_coaching(tmp_path):
    plan = read_corpus(DATA / "weak_opportunity.jsonl")[0]
    evil = plan.with_passages([replace(plan.passages[0], text="<script>alert(1)</script> notes"),
                               *plan.passages[1:]])
    src = tmp_path / "evil.jsonl"
    with src.open("w") as f:
        write_corpus([replace(evil, title="<b>Harbor</b>")], f)
    out = tmp_path / "plan.html"
    r = run("export", str(src), "--against", str(DATA / "team_plans.jsonl"), "--format", "html", "-o", str(out))
    assert r.exit_code == 0, r.output
    html = out.read_text()
    assert "What the plan covers" in html and "The plan has no competition line" in html
    assert "<script>alert" not in html and "<b>Harbor</b>" not in html


def test_docx_export_has_plan_coaching(tmp_path):
    import docx

    out = tmp_path / "plan.docx"
    assert _export("docx", out).exit_code == 0
    doc = docx.Document(io.BytesIO(out.read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "What the plan covers" in text and "The plan has no competition line" in text


def test_call_export_shows_its_plan(tmp_path):
    out = tmp_path / "call.md"
    r = run("export", str(DATA / "northwind_call.jsonl"), "--against", str(DATA / "call_plan.jsonl"),
            "--format", "md", "-o", str(out))
    assert r.exit_code == 0, r.output
    text = out.read_text()
    assert "## Against the plan plan-call-northwind-02" in text
    assert "Planned question (line 3) asked at passage 2" in text


def test_redacted_export_of_a_call_with_its_plan_hides_names(tmp_path):
    out = tmp_path / "call.md"
    r = run("export", str(DATA / "northwind_call.jsonl"), "--against", str(DATA / "call_plan.jsonl"),
            "--format", "md", "--redact-name", "Riverside", "-o", str(out))
    assert r.exit_code == 0, r.output
    text = out.read_text()
    assert "## Against the plan" in text and "Riverside" not in text
