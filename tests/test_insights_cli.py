"""The metrics, report and coach commands, driven through the real CLI."""

from __future__ import annotations

import json
import sys
import types
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from callreview.cli import cli
from callreview.corpora import read_corpus, write_corpus

DATA = Path(__file__).parent / "data" / "insights"
TEAM = DATA / "team.jsonl"  # 10 successful calls with 3-5 implication questions, 10 others with 0-1, 1 without outcome


def run(*args: str):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result


def test_metrics_json_reports_values_and_how_they_were_obtained():
    res = run("metrics", DATA / "timed.jsonl", DATA / "untimed.jsonl", "--json")
    assert res.exit_code == 0, res.output
    calls = json.loads(res.output)["calls"]
    tr = [next(m for m in c["metrics"] if m["name"] == "talk_ratio") for c in calls]
    assert tr[0]["method"] == "measured" and tr[0]["value"] == pytest.approx(56.0241, abs=1e-3)
    assert tr[1]["method"] == "estimated" and tr[1]["value"] == pytest.approx(66.0870, abs=1e-3)
    assert tr[0]["reference"]["source"].startswith("Gong Labs")
    patience = next(m for m in calls[1]["metrics"] if m["name"] == "patience")
    assert patience["value"] is None and patience["method"] == "not_computable"


def test_metrics_table_marks_not_computable_and_lists_references_as_correlations():
    res = run("metrics", DATA / "notes.jsonl")
    assert res.exit_code == 0, res.output
    assert "not computable" in res.output
    assert "written call notes" in res.output
    assert "not rules" in res.output


def test_report_json_compares_outcomes_and_counts_excluded_calls():
    res = run("report", TEAM, "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert (data["n_success"], data["n_other"], data["n_excluded"]) == (10, 10, 1)
    first = data["behaviors"][0]
    assert first["label"] == "implication_question"
    assert first["diff"] > 0 and first["ci_low"] > 0


def test_report_says_too_few_calls_below_the_minimum():
    res = run("report", TEAM, "--min-calls", "11")
    assert res.exit_code == 0, res.output
    assert "too few calls to compare" in res.output
    data = json.loads(run("report", TEAM, "--min-calls", "11", "--json").output)
    assert all(b["diff"] is None and b["ci_low"] is None for b in data["behaviors"])


def test_report_table_is_sorted_by_absolute_difference():
    res = run("report", TEAM)
    rows = [line.split() for line in res.output.splitlines() if line.split() and line.split()[-1] == "10/10"]
    diffs = [abs(float(r[3])) for r in rows]
    assert diffs and diffs == sorted(diffs, reverse=True)
    assert "1 excluded (no outcome: 1)" in res.output


def test_report_by_seller_profiles_each_seller():
    data = json.loads(run("report", TEAM, "--by", "seller", "--json").output)
    sellers = {s["seller"]: s for s in data["sellers"]}
    lou = {b["label"]: b for b in sellers["Lou Brandt"]["behaviors"]}
    assert sellers["Lou Brandt"]["n_success"] == 2
    assert lou["implication_question"]["diff"] < 0 and lou["implication_question"]["ci_high"] < 0


def test_report_reads_a_folder_of_corpus_files(tmp_path):
    calls = read_corpus(TEAM)
    (tmp_path / "a").mkdir()
    with open(tmp_path / "a" / "one.jsonl", "w", encoding="utf-8") as f:
        write_corpus(calls[:10], f)
    with open(tmp_path / "two.jsonl", "w", encoding="utf-8") as f:
        write_corpus(calls[10:], f)
    data = json.loads(run("report", tmp_path, "--json").output)
    assert (data["n_success"], data["n_other"]) == (10, 10)


def test_coach_puts_the_unanswered_objection_first_with_its_passage():
    res = run("coach", DATA / "timed.jsonl", "--against", TEAM, "--json")
    assert res.exit_code == 0, res.output
    ctx = json.loads(res.output)["calls"][0]
    assert ctx["points"][0]["kind"] == "unanswered_objection"
    assert ctx["points"][0]["passages"][0] == 10 and ctx["points"][0]["sure"]
    n = len(read_corpus(DATA / "timed.jsonl")[0].passages)
    assert all(0 <= i < n for p in ctx["points"] for i in p["passages"])
    text = run("coach", DATA / "timed.jsonl", "--against", TEAM).output
    first_point = next(line for line in text.splitlines() if line.startswith("1. "))
    assert first_point.startswith("1. The buyer objected at 1:11")


def test_coach_without_a_team_corpus_says_how_to_pass_one(monkeypatch, tmp_path):
    import callreview.corpora as corpora

    monkeypatch.setattr(corpora, "default_corpus_dir", lambda: None)
    res = run("coach", DATA / "timed.jsonl")
    assert res.exit_code == 2
    assert "error:" in res.output and "--against" in res.output
    assert "Traceback" not in res.output


def test_only_calls_with_unlabeled_passages_go_through_the_model(monkeypatch, tmp_path):
    labeled = read_corpus(DATA / "timed.jsonl")[0]
    bare = replace(labeled, call_id="bare").with_passages(
        replace(p, behavior=None if p.index == 3 else p.behavior) for p in labeled.passages)
    path = tmp_path / "mixed.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        write_corpus([labeled, bare], f)
    seen = {}

    def annotate(calls, model, *, keep_labels=True):
        seen["ids"] = [c.call_id for c in calls]
        seen["keep_labels"] = keep_labels
        return [c.with_passages(replace(p, behavior=p.behavior or "situation_question") for p in c.passages)
                for c in calls]

    monkeypatch.setitem(sys.modules, "callreview.artifacts",
                        types.SimpleNamespace(load_model=lambda path=None: object()))
    monkeypatch.setitem(sys.modules, "callreview.classify", types.SimpleNamespace(annotate=annotate))
    res = run("metrics", path, "--json")
    assert res.exit_code == 0, res.output
    assert seen == {"ids": ["bare"], "keep_labels": True}
    data = json.loads(res.output)
    assert data["annotated_by_model"] == 1
    q = [next(m for m in c["metrics"] if m["name"] == "seller_questions")["value"] for c in data["calls"]]
    assert q == [2, 2]


def test_a_missing_file_is_an_error_line_not_a_traceback(tmp_path):
    res = run("metrics", tmp_path / "nope.jsonl")
    assert res.exit_code == 2
    assert res.output.startswith("error:") and "Traceback" not in res.output


def test_coach_takes_the_sellers_name_for_a_raw_transcript():
    sample = Path(__file__).resolve().parent.parent / "corpora" / "samples" / "lakeside-coldcall.txt"
    res = run("coach", sample, "--seller", "Kayla Moss", "--json")
    assert res.exit_code == 0, res.output
    [ctx] = json.loads(res.output)["calls"]
    assert ctx["points"], ctx
    assert all(isinstance(i, int) for p in ctx["points"] for i in p["passages"])
